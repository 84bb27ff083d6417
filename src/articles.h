/* articles.h: the articles that accept comments.  They are found in the
 * built site (pages carrying the comment markers) or added by hand; mail
 * for any other slug is set aside, never stored as a comment. */
#ifndef MC_ARTICLES_H
#define MC_ARTICLES_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "lang.h"
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
	int64_t created_at;  /* first recorded (found in the site or added) */
	int64_t closed_at;   /* closed since (by hand or by the days rule);
			      * 0: open */
	int64_t reopened_at; /* opened by hand: the days rule no longer
			      * closes it; 0: never */
	char *language; /* a tag (lang.h); "" until a sync decides it */
};

/* Finds an article by slug: returns 1 and fills a (release with
 * article_free), 0 if unknown, -1 on error. */
int article_find(struct store *st, const char *slug, struct article *a,
		 struct mc_err *err);
int article_get(struct store *st, int64_t id, struct article *a,
		struct mc_err *err);
void article_free(struct article *a);

/* The language an article speaks, into out: stored (its row's language
 * column), else decided now from its page's path or its slug
 * (lang_decide(): site.language_paths, site.language), as for an
 * article recorded before languages were. */
void article_language(const struct conf *c, const char *stored,
		      const char *page, const char *slug,
		      char out[LANG_TAG_MAX]);

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

/* Closing comments.  An article is closed when closed_at is set, or when
 * moderation.close_after_days have passed since created_at and nobody
 * opened it by hand since.  A closed article keeps its comments (and the
 * pending ones can still be moderated) but takes no new comment or
 * reply. */
int article_is_closed(const struct conf *c, const struct article *a);

/* `articles close SLUG` / `articles open SLUG`: sets or clears the
 * closure (open also makes the days rule pass it by), audits it as
 * actor, marks the article for a render.  Returns 1 when done, 0 for an
 * unknown slug, -1 on errors.  Runs in the caller's transaction. */
int article_set_closed(struct store *st, const char *slug, int closed,
		       const char *actor, struct mc_err *err);

/* Records the closure of every article the days rule closed since the
 * last call (closed_at set, audited as "gateway", marked for a render),
 * so that its page says so.  *n (may be NULL) counts them.  Runs in the
 * caller's transaction. */
int articles_close_due(struct store *st, const struct conf *c, int *n,
		       struct mc_err *err);

/* The list `articles list` prints: each article's slug, origin, state,
 * language (article_language()), counts and title. */
int articles_print(struct store *st, const struct conf *c, FILE *out,
		   struct mc_err *err);

#endif
