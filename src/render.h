/* render.h: the comment sections, from the database alone.  For each
 * article: an HTML fragment, the section injected into the built page
 * between the markers, JSON and an Atom feed; and a site-wide feed.
 * Files are replaced atomically and left alone (mtime kept) when their
 * content did not change.
 *
 * Where they go (OUT is render.directory, relative to site.directory):
 *   OUT/SLUG.html              the comment section (fragment)
 *   OUT/SLUG.json              the same comments as JSON
 *   OUT/SLUG.atom              Atom feed of the article's comments
 *   OUT/all_comments.atom      Atom feed of the site's latest comments
 *   OUT/mailcomments.css       the stylesheet (render.stylesheet)
 *   site.directory/PAGE        the section injected (articles.page set)
 * Slugs never hold '_', so all_comments.atom is never an article's.
 *
 * Only approved comments are published; no mail address ever is (see
 * html.h for the masking rule).  After a render that changed something,
 * render.webhook_url (if set) gets a POST listing the changed articles;
 * a webhook failure is logged, never an error; then the changed files
 * go to the deploy targets (deploy.h), whose failures are logged too. */
#ifndef MC_RENDER_H
#define MC_RENDER_H

#include <stddef.h>

#include "changes.h"
#include "conf.h"
#include "store.h"
#include "util.h"

/* Renders one article (by slug), then the site-wide outputs.  *changed
 * (may be NULL) is set to 1 when any of the article's output files
 * changed.  An unknown slug is an error. */
int render_article(struct store *st, const struct conf *c, const char *slug,
		   int *changed, struct mc_err *err);

/* Renders every article marked dirty (articles.dirty = 1), clears the
 * marks, then the site-wide outputs.  Called after each committed batch of
 * decisions.  *nchanged (may be NULL) counts the articles whose outputs
 * changed.  An article that fails is logged and stays dirty, the others
 * are rendered; the return is then -1. */
int render_dirty(struct store *st, const struct conf *c, int *nchanged,
		 struct mc_err *err);

/* Renders every article and the site-wide outputs. */
int render_all(struct store *st, const struct conf *c, int *nchanged,
	       struct mc_err *err);

/* What a render did, for `mailcomments render` to print. */
struct render_report {
	char **files;     /* output files that changed, in order written */
	size_t nfiles;
	size_t narticles; /* articles rendered */
	size_t nchanged;  /* articles whose outputs changed */
	size_t nfailed;   /* articles that could not be rendered (logged) */
	size_t nbadpages; /* of which: pages with missing or doubled markers */
	char *slug;       /* the first article whose outputs changed */
	struct change *changes; /* the decisions published (changes.h) */
	size_t nchanges;
	int deployed;     /* targets that failed: -1 none tried, else count */
};

/* RENDER_SITE renders no article, only the site-wide outputs (the site
 * feed, counts.json and the count markers): after the removal of the
 * article slug (may be NULL), which the deploy's message names. */
enum render_scope { RENDER_ONE, RENDER_DIRTY, RENDER_ALL, RENDER_SITE };

/* The three functions above, with a report (filled even on failure;
 * release it with render_report_free).  slug is used by RENDER_ONE. */
int render_run(struct store *st, const struct conf *c,
	       enum render_scope scope, const char *slug,
	       struct render_report *rep, struct mc_err *err);

void render_report_free(struct render_report *rep);

/* Removes the outputs an article left (OUT/SLUG.html, .json, .atom, and
 * the generator's data file when render.generator is set) once it is
 * removed, and from the deploy targets (deploy.h).  *nremoved (may be
 * NULL) counts the files removed locally.  A link planted in the place
 * of an output is refused, never followed; one planted in the place of
 * the data file is removed as a link.  counts.json and the site feed are
 * the caller's: render_run(RENDER_SITE) after it. */
int render_forget(struct store *st, const struct conf *c, const char *slug,
		  size_t *nremoved, struct mc_err *err);

/* Sends the files of rep to the deploy targets (deploy.h), with what
 * waits in st's deploy queue; done by render_run() itself after a
 * render that changed something.  Returns the number of targets that
 * failed (logged), -1 when there was nothing to send. */
int render_deploy(const struct conf *c, struct store *st,
		  const struct render_report *rep);

#endif
