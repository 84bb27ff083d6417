/* articles.h: the articles that accept comments.  They are found in the
 * built site (pages carrying the comment markers) or added by hand; mail
 * for any other slug is set aside, never stored as a comment. */
#ifndef MC_ARTICLES_H
#define MC_ARTICLES_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "store.h"
#include "util.h"

#define ARTICLE_MARK_BEGIN "<!-- mailcomments:begin -->"
#define ARTICLE_MARK_END "<!-- mailcomments:end -->"

struct article {
	int64_t id;
	char *slug;
	char *title;
	char *url;
	char *page; /* path under site.directory, "" if none */
	char *origin; /* "site" or "manual" */
};

/* Finds an article by slug: returns 1 and fills a (release with
 * article_free), 0 if unknown, -1 on error. */
int article_find(struct store *st, const char *slug, struct article *a,
		 struct mc_err *err);
int article_get(struct store *st, int64_t id, struct article *a,
		struct mc_err *err);
void article_free(struct article *a);

/* Adds (or updates) a manual article.  title and url may be NULL: the url
 * defaults to site.url + slug + "/". */
int article_add(struct store *st, const struct conf *c, const char *slug,
		const char *title, const char *url, struct mc_err *err);

/* Removes an article; refused when it has comments unless force (which
 * deletes them too).  Returns 1 if removed, 0 if unknown. */
int article_remove(struct store *st, const char *slug, int force,
		   struct mc_err *err);

/* Scans site.directory for pages with the begin marker and records each
 * as an article (slug from its path: "a/b/index.html" and "a/b.html" are
 * "a/b"; title from <title>).  Pages whose path is not a valid slug are
 * reported in *skipped (may be NULL).  Runs its own transaction. */
int articles_sync(struct store *st, const struct conf *c, int *added,
		  struct mc_err *err);

/* Marks an article's outputs as needing a render. */
int article_mark_dirty(struct store *st, int64_t article_id,
		       struct mc_err *err);

int articles_print(struct store *st, FILE *out, struct mc_err *err);

#endif
