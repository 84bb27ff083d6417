/* render.c: placeholder until the publishing issue lands: it only clears
 * the dirty marks, so the moderation loop can run.  Replaced by the real
 * renderer. */
#include <stddef.h>

#include "render.h"
#include "banned.h"

int render_article(struct store *st, const struct conf *c, const char *slug,
		   int *changed, struct mc_err *err)
{
	(void)st;
	(void)c;
	(void)slug;
	(void)err;
	if (changed)
		*changed = 0;
	return 0;
}

int render_dirty(struct store *st, const struct conf *c, int *nchanged,
		 struct mc_err *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "UPDATE articles SET dirty = 0 WHERE dirty", err);

	(void)c;
	if (nchanged)
		*nchanged = 0;
	return stmt ? store_step_done(st, stmt, err) : -1;
}

int render_all(struct store *st, const struct conf *c, int *nchanged,
	       struct mc_err *err)
{
	return render_dirty(st, c, nchanged, err);
}
