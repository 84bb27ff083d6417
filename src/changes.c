/* changes.c: the audit log past the "told" mark of publish_marks. */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "banned.h"

#define TAKE_MAX 1000

static const char *const names[][3] = {
	{ "approve", "comment.approved", "approved" },
	{ "delete", "comment.deleted", "deleted" },
	{ "edit", "comment.edited", "edited" },
	{ "reply", "comment.answered", "answered" },
	{ "undo", "comment.restored", "restored" },
	{ "reject", "comment.rejected", "rejected" },
	{ "spam", "comment.rejected", "marked as spam" },
};

static const char *const *row_of(const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], action) == 0)
			return names[i];
	return NULL;
}

const char *changes_event(const char *action)
{
	const char *const *r = row_of(action);

	return r ? r[1] : "comment.changed";
}

void changes_free(struct change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].slug);
		free(v[i].event);
		free(v[i].verb);
	}
	free(v);
}

int changes_take(struct store *st, struct change **v, size_t *n,
		 struct mc_err *err)
{
	int own = sqlite3_get_autocommit(store_db(st)), rc;
	sqlite3_stmt *s;

	*v = NULL;
	*n = 0;
	if (own && store_begin(st, err) < 0)
		return -1;
	s = store_stmt(st,
		       "SELECT au.id, au.action, au.comment_id, a.slug"
		       " FROM audit au JOIN comments c ON c.id = au.comment_id"
		       " JOIN articles a ON a.id = c.article_id"
		       " WHERE au.id > (SELECT audit_id FROM publish_marks"
		       "  WHERE name = 'told') ORDER BY au.id",
		       err);
	if (s == NULL)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(s, 1);
		const char *const *r = row_of(action ? action : "");
		struct change *c;

		/* not published: a rejection changes no page */
		if (*n >= TAKE_MAX || r == NULL || strcmp(r[0], "reject") == 0 ||
		    strcmp(r[0], "spam") == 0)
			continue;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		c = &(*v)[(*n)++];
		c->comment_id = sqlite3_column_int64(s, 2);
		c->slug = xstrdup((const char *)sqlite3_column_text(s, 3));
		c->event = xstrdup(r[1]);
		c->verb = xstrdup(r[2]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		err_set(err, "audit: %s", sqlite3_errmsg(store_db(st)));
		goto fail;
	}
	/* past every row, also those about no comment any more */
	s = store_stmt(st,
		       "UPDATE publish_marks SET audit_id ="
		       " (SELECT COALESCE(MAX(id), 0) FROM audit)"
		       " WHERE name = 'told'",
		       err);
	if (s == NULL || store_step_done(st, s, err) < 0 ||
	    (own && store_commit(st, err) < 0))
		goto fail;
	return 0;
fail:
	if (own)
		store_rollback(st);
	changes_free(*v, *n);
	*v = NULL;
	*n = 0;
	return -1;
}
