/* throttle.c: site-wide limits and flood mode (the rules are in
 * throttle.h).  The state of flood mode is two rows of the state table:
 * flood_since (when it started, 0: off) and flood_digest_at (when the
 * last digest it decided went out). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "throttle.h"
#include "banned.h"

#define HOUR 3600

/* The most rows a count reads where no limit bounds it (the figures of a
 * flood digest): enough to describe any flood, cheap to count. */
#define COUNT_CAP 100000

/* Comments of readers that were or will be shown to the moderators,
 * created since ?: pending, or already notified.  Read through the
 * comments_created index, so the rows read are those of the last hour,
 * which the hourly limit bounds. */
#define ARRIVALS                                                     \
	" FROM comments WHERE created_at >= ? AND by_moderator = 0" \
	" AND (status = 'pending' OR notified_at IS NOT NULL)"

/* Comments of readers stored since t, counting at most cap. */
static int stored_since(struct store *st, int64_t t, long cap, int *n,
			struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(*) FROM (SELECT 1 FROM comments"
		" WHERE created_at >= ? AND by_moderator = 0 LIMIT ?)",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, t);
	sqlite3_bind_int64(stmt, 2, cap);
	return store_step_count(st, stmt, n, err);
}

/* Comments waiting for moderation, counting at most cap. */
static int waiting(struct store *st, long cap, int *n, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(*) FROM (SELECT 1 FROM comments"
		" WHERE status = 'pending' LIMIT ?)",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, cap);
	return store_step_count(st, stmt, n, err);
}

static int arrivals(struct store *st, int64_t t, long cap, int *n,
		    struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT count(*) FROM (SELECT 1" ARRIVALS " LIMIT ?)", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, t);
	sqlite3_bind_int64(stmt, 2, cap);
	return store_step_count(st, stmt, n, err);
}

static int arrival_senders(struct store *st, int64_t t, int *n,
			   struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(DISTINCT a) FROM (SELECT author_key"
		" AS a" ARRIVALS " LIMIT ?)",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, t);
	sqlite3_bind_int64(stmt, 2, COUNT_CAP);
	return store_step_count(st, stmt, n, err);
}

/* When the arrivals of the last hour fall to at most `most` if no more
 * come: an hour after the (most + 1)-th latest of them. */
static int resume_time(struct store *st, int64_t t, long most,
		       int64_t *when, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT created_at" ARRIVALS
		" ORDER BY created_at DESC LIMIT 1 OFFSET ?",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, t);
	sqlite3_bind_int64(stmt, 2, most);
	rc = sqlite3_step(stmt);
	*when = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) + HOUR + 1 :
				   now();
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "reading the flood's comments: %s",
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

/* 1 if a pending comment was never notified: it waits for a digest. */
static int held(struct store *st, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT 1 FROM comments WHERE status = 'pending'"
		" AND notified_at IS NULL LIMIT 1",
		err);

	if (stmt == NULL)
		return -1;
	return store_step_exists(st, stmt, err);
}

static int state_time(struct store *st, const char *key, int64_t *t,
		      struct mc_err *err)
{
	struct mc_err e;
	char *v;

	e.msg[0] = '\0';
	v = store_state_get(st, key, &e);
	if (v == NULL && e.msg[0])
		return err_set(err, "%s", e.msg);
	*t = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return 0;
}

static int state_time_set(struct store *st, const char *key, int64_t t,
			  struct mc_err *err)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)t);
	return store_state_set(st, key, v, err);
}

static int audit_switch(struct store *st, const char *action,
			const char *detail, struct mc_err *err)
{
	struct audit au = { "gateway", action, 0, detail, NULL, NULL };

	return store_audit(st, &au, err);
}

int throttle_site_check(struct store *st, const struct conf *c, int *over,
			char *why, size_t whylen, struct mc_err *err)
{
	int n;

	*over = 0;
	if (c->limit_site_per_hour > 0) {
		if (stored_since(st, now() - HOUR, c->limit_site_per_hour, &n,
				 err) < 0)
			return -1;
		if (n >= c->limit_site_per_hour) {
			*over = 1;
			snprintf(why, whylen,
				 "site limit: %ld new comments an hour",
				 c->limit_site_per_hour);
			return 0;
		}
	}
	if (c->limit_site_pending > 0) {
		if (waiting(st, c->limit_site_pending, &n, err) < 0)
			return -1;
		if (n >= c->limit_site_pending) {
			*over = 1;
			snprintf(why, whylen,
				 "site limit: %ld comments wait for moderation",
				 c->limit_site_pending);
		}
	}
	return 0;
}

int throttle_hold(struct store *st, const struct conf *c, int *hold,
		  struct mc_err *err)
{
	int64_t since, t = now() - HOUR;
	int n, senders;
	char detail[160];

	*hold = 0;
	if (c->flood_threshold == 0)
		return 0;
	if (state_time(st, "flood_since", &since, err) < 0)
		return -1;
	if (since > 0) {
		*hold = 1;
		return 0;
	}
	if (arrivals(st, t, c->flood_threshold + 1, &n, err) < 0)
		return -1;
	if (n <= c->flood_threshold)
		return 0;
	if (arrival_senders(st, t, &senders, err) < 0)
		return -1;
	snprintf(detail, sizeof(detail),
		 "%d comments for moderation in the last hour from %d senders,"
		 " more than moderation.flood_threshold (%ld)",
		 n, senders, c->flood_threshold);
	if (state_time_set(st, "flood_since", now(), err) < 0 ||
	    audit_switch(st, "flood-start", detail, err) < 0)
		return -1;
	*hold = 2;
	return 0;
}

/* The figures a flood digest gives. */
static int reason(struct store *st, const struct conf *c,
		  enum digest_why why, struct digest_reason *r,
		  struct mc_err *err)
{
	int64_t t = now() - HOUR;

	memset(r, 0, sizeof(*r));
	r->why = why;
	if (arrivals(st, t, COUNT_CAP, &r->comments, err) < 0 ||
	    arrival_senders(st, t, &r->senders, err) < 0 ||
	    resume_time(st, t, c->flood_threshold / 2, &r->resume, err) < 0)
		return -1;
	return 0;
}

/* Sends the digest r describes; notes it and stamps flood_digest_at when
 * one went out. */
static int flood_digest(struct store *st, const struct conf *c,
			const struct digest_reason *r, char *note,
			size_t notelen, struct mc_err *err)
{
	int sent;

	if (notify_digest(st, c, r, &sent, err) < 0)
		return -1;
	if (!sent)
		return 0;
	if (r && r->why != DIGEST_FLOOD_OVER)
		snprintf(note, notelen,
			 "flood mode: digest sent (%d comments for moderation "
			 "in the last hour from %d senders)",
			 r->comments, r->senders);
	return state_time_set(st, "flood_digest_at", now(), err);
}

int throttle_tick(struct store *st, const struct conf *c, char *note,
		  size_t notelen, struct mc_err *err)
{
	int64_t since, last;
	long most = c->flood_threshold / 2;
	int on = c->flood_threshold > 0 && c->digest_minutes == 0, n = 0, h;
	struct digest_reason r;
	char detail[160];

	note[0] = '\0';
	if (state_time(st, "flood_since", &since, err) < 0 ||
	    state_time(st, "flood_digest_at", &last, err) < 0)
		return -1;
	if (since > 0) {
		if (on && arrivals(st, now() - HOUR, most + 1, &n, err) < 0)
			return -1;
		if (on && n > most) {
			if (last >= since &&
			    now() - last < c->flood_digest_minutes * 60)
				return 0;
			if (reason(st, c,
				   last < since ? DIGEST_FLOOD_STARTED :
						  DIGEST_FLOOD_ONGOING,
				   &r, err) < 0)
				return -1;
			return flood_digest(st, c, &r, note, notelen, err);
		}
		/* The rate fell (or flood mode was turned off): single
		 * notifications resume, and what is still held goes out
		 * now, saying so. */
		if (reason(st, c, DIGEST_FLOOD_OVER, &r, err) < 0)
			return -1;
		snprintf(detail, sizeof(detail),
			 "%d comments for moderation in the last hour, at most "
			 "%ld",
			 r.comments, most);
		if (state_time_set(st, "flood_since", 0, err) < 0 ||
		    audit_switch(st, "flood-end", detail, err) < 0)
			return -1;
		snprintf(note, notelen, "flood mode ended: %s", detail);
		if (c->digest_minutes > 0)
			return 0;
		return flood_digest(st, c, &r, note + strlen(note),
				    notelen - strlen(note), err);
	}
	if (c->digest_minutes > 0)
		return 0;
	/* Left by a flood that ended: more than one digest could hold, or
	 * digests were turned off while some waited. */
	h = held(st, err);
	if (h <= 0)
		return h;
	if (now() - last < c->flood_digest_minutes * 60)
		return 0;
	return flood_digest(st, c, NULL, note, notelen, err);
}

int throttle_busy(struct store *st, const struct conf *c,
		  struct mc_err *err)
{
	int64_t since;

	if (state_time(st, "flood_since", &since, err) < 0)
		return -1;
	if (since > 0)
		return 1;
	return c->digest_minutes > 0 ? 0 : held(st, err);
}
