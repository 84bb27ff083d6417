/* deploy_queue.c: what a target gave up on waits in the database
 * (deploy_queue, one row per target and file) and goes with that
 * target's next send, so that a site that was down for a while gets the
 * approvals made meanwhile without an operator's `deploy --all`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "deploy_int.h"
#include "log.h"
#include "store.h"
#include "banned.h"

/* at most this many queued files go with one send: a long outage of a
 * big site stays bounded in memory and in one request's work; the rest
 * follows in the next sends */
#define DQ_MAX 20000

static int in_set(const struct deploy_set *s, const char *rel)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].rel, rel) == 0)
			return 1;
	return 0;
}

/* A queued file written then, but gone from disk since (and no removal
 * recorded), is sent as removed: the target must not keep what the site
 * no longer has, and reading it would fail every send. */
static int gone_now(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) < 0 && errno == ENOENT;
}

/* A row no send will take (its path left the site): it leaves the
 * queue, through dq_clear(), which only reads the rels. */
static void drop(struct deploy_set *d, const char *rel)
{
	d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
	d->v[d->n].path = xstrdup("");
	d->v[d->n].rel = xstrdup(rel ? rel : "");
	d->v[d->n++].removed = 0;
}

int dq_merge(struct store *st, const struct conf *c, const char *target,
	     const struct deploy_set *s, struct deploy_set *out,
	     struct mc_err *err)
{
	struct deploy_set dropped;
	sqlite3_stmt *q;
	struct mc_err e;
	size_t i;
	int rc, added = 0;

	memset(out, 0, sizeof(*out));
	memset(&dropped, 0, sizeof(dropped));
	for (i = 0; i < s->n; i++) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n].path = xstrdup(s->v[i].path);
		out->v[out->n].rel = xstrdup(s->v[i].rel);
		out->v[out->n++].removed = s->v[i].removed;
	}
	q = store_stmt(st,
		       "SELECT path, removed, rel FROM deploy_queue"
		       " WHERE target = ?1 ORDER BY rel LIMIT 20000",
		       err);
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, target, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(q, 0);
		int removed = sqlite3_column_int(q, 1);
		size_t before = out->n;

		/* checked again as a new file is: a queue written under
		 * another site.directory is refused, not followed */
		if (deploy_set_add(out, c, path ? path : "", removed, &e) < 0) {
			log_warnx("deploy %s: dropped from the queue: %s",
				  target, e.msg);
			drop(&dropped, (const char *)sqlite3_column_text(q, 2));
			continue;
		}
		if (in_set(s, out->v[before].rel)) {
			/* the new state of that file wins */
			free(out->v[before].path);
			free(out->v[before].rel);
			out->n = before;
			continue;
		}
		if (!removed && gone_now(out->v[before].path))
			out->v[before].removed = 1;
		added++;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		deploy_set_free(&dropped);
		return err_set(err, "deploy queue: %s",
			       sqlite3_errmsg(store_db(st)));
	}
	if (dropped.n > 0 && dq_clear(st, target, &dropped, err) < 0) {
		deploy_set_free(&dropped);
		return -1;
	}
	deploy_set_free(&dropped);
	if (added == 0 && s->message)
		out->message = xstrdup(s->message);
	else if (added > 0 && s->message)
		out->message = xasprintf("%s (and %d files of an earlier failed "
					 "deploy)",
					 s->message, added);
	else if (added > 0)
		out->message = xasprintf("mailcomments: %d files of an earlier "
					 "failed deploy",
					 added);
	return added;
}

/* Runs u (bound: target, rel, then with state path, removed and now)
 * for each file of s, in one transaction unless the caller has one. */
static int each_file(struct store *st, sqlite3_stmt *u, const char *target,
		     const struct deploy_set *s, int state, struct mc_err *err)
{
	int own = sqlite3_get_autocommit(store_db(st));
	long long now = (long long)time(NULL);
	size_t i;

	if (u == NULL || (own && store_begin(st, err) < 0))
		return -1;
	for (i = 0; i < s->n; i++) {
		sqlite3_bind_text(u, 1, target, -1, SQLITE_STATIC);
		sqlite3_bind_text(u, 2, s->v[i].rel, -1, SQLITE_STATIC);
		if (state) {
			sqlite3_bind_text(u, 3, s->v[i].path, -1, SQLITE_STATIC);
			sqlite3_bind_int(u, 4, s->v[i].removed != 0);
			sqlite3_bind_int64(u, 5, now);
		}
		if (store_step_done(st, u, err) < 0) {
			if (own)
				store_rollback(st);
			return -1;
		}
	}
	return own ? store_commit(st, err) : 0;
}

int dq_clear(struct store *st, const char *target, const struct deploy_set *s,
	     struct mc_err *err)
{
	return each_file(st,
			 store_stmt(st,
				    "DELETE FROM deploy_queue"
				    " WHERE target = ?1 AND rel = ?2",
				    err),
			 target, s, 0, err);
}

int dq_keep(struct store *st, const char *target, const struct deploy_set *s,
	    struct mc_err *err)
{
	return each_file(st,
			 store_stmt(st,
				    "INSERT INTO deploy_queue"
				    " (target, rel, path, removed, last_attempt)"
				    " VALUES (?1, ?2, ?3, ?4, ?5)"
				    " ON CONFLICT (target, rel) DO UPDATE SET"
				    " path = excluded.path,"
				    " removed = excluded.removed,"
				    " last_attempt = excluded.last_attempt",
				    err),
			 target, s, 1, err);
}

int dq_due(struct store *st, long min_age, struct mc_err *err)
{
	sqlite3_stmt *q;
	long long now = (long long)time(NULL);

	q = store_stmt(st,
		       "SELECT 1 FROM deploy_queue WHERE last_attempt <= ?1"
		       " LIMIT 1",
		       err);
	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, now - min_age);
	return store_step_exists(st, q, err);
}
