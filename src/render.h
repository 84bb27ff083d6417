/* render.h: the comment sections, from the database alone.  For each
 * article: an HTML fragment, the section injected into the built page
 * between the markers, JSON and an Atom feed; and a site-wide feed.
 * Files are replaced atomically and left alone (mtime kept) when their
 * content did not change. */
#ifndef MC_RENDER_H
#define MC_RENDER_H

#include "conf.h"
#include "store.h"
#include "util.h"

/* Renders one article (by slug).  *changed (may be NULL) is set to 1 when
 * any output file changed. */
int render_article(struct store *st, const struct conf *c, const char *slug,
		   int *changed, struct mc_err *err);

/* Renders every article marked dirty (articles.dirty = 1), clears the
 * marks, then the site-wide outputs.  Called after each committed batch of
 * decisions.  *nchanged (may be NULL) counts the articles whose outputs
 * changed. */
int render_dirty(struct store *st, const struct conf *c, int *nchanged,
		 struct mc_err *err);

/* Renders every article and the site-wide outputs. */
int render_all(struct store *st, const struct conf *c, int *nchanged,
	       struct mc_err *err);

#endif
