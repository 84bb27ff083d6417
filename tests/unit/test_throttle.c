/* test_throttle.c: the site-wide throttles over a backlog of 50,000
 * comments.  The limits and flood mode decide as documented, and no
 * statement reads the backlog: each stays within a few thousand VM steps,
 * where a scan would take hundreds of thousands.  The per-sender counts
 * are checked the same way, since an index added for the throttles could
 * lure the planner away from theirs. */
#include "testutil.h"

#include "comment.h"
#include "conf.h"
#include "store.h"
#include "throttle.h"
#include "util.h"

#define T0 1800000000LL
#define MAX_STEPS 20000

struct fx {
	char *dir;
	struct store *st;
	struct conf c;
};

static void set_now(int64_t t)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)t);
	setenv("MAILCOMMENTS_NOW", v, 1);
}

static void exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, NULL);
	int64_t v;

	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct mc_err err;
	char *path;

	fx->dir = tu_tmpdir();
	path = xasprintf("%s/t.db", fx->dir);
	if (store_open(&fx->st, path, &err) < 0)
		fail_msg("%s", err.msg);
	free(path);
	conf_defaults(&fx->c);
	exec_sql(fx->st,
		 "INSERT INTO articles (id, slug, title, url, created_at)"
		 " VALUES (1, 'a', 'A', 'https://example.org/a', 0);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		 " WHERE i < 50000)"
		 " INSERT INTO comments (article_id, author_name, author_address,"
		 " author_key, body, status, created_at, updated_at, notified_at)"
		 " SELECT 1, 'old', 'r' || i || '@old.example',"
		 " 'r' || i || '@old.example', 'old',"
		 " CASE WHEN i % 1000 = 0 THEN 'pending' ELSE 'approved' END,"
		 " 1600000000 + i, 1600000000 + i, 1600000000 + i FROM n;");
	set_now(T0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	conf_free(&fx->c);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	unsetenv("MAILCOMMENTS_NOW");
	return 0;
}

/* n new comments from made-up senders, created at t, pending and not
 * notified, as ingest leaves them before notifying. */
static void arrive(struct fx *fx, int n, int64_t t)
{
	sqlite3_stmt *stmt = store_stmt(
		fx->st,
		"INSERT INTO comments (article_id, author_name, author_address,"
		" author_key, body, status, created_at, updated_at) VALUES (1,"
		" 'new', 'n' || ?1 || '@made-up.example',"
		" 'n' || ?1 || '@made-up.example', 'new', 'pending', ?2, ?3)",
		NULL);
	struct mc_err err;
	int i;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(stmt, 1, t * 1000 + i);
		sqlite3_bind_int64(stmt, 2, t);
		sqlite3_bind_int64(stmt, 3, t);
		assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	}
}

static void steps_reset(struct store *st)
{
	sqlite3_stmt *s;

	for (s = sqlite3_next_stmt(store_db(st), NULL); s;
	     s = sqlite3_next_stmt(store_db(st), s))
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
}

/* Fails when a statement took more than MAX_STEPS since the reset. */
static void steps_bounded(struct store *st)
{
	sqlite3_stmt *s;

	for (s = sqlite3_next_stmt(store_db(st), NULL); s;
	     s = sqlite3_next_stmt(store_db(st), s)) {
		int n = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0);

		if (n > MAX_STEPS)
			fail_msg("%d VM steps (a scan of the backlog?): %s", n,
				 sqlite3_sql(s));
	}
}

static void test_site_limits(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char why[120];
	int over;

	steps_reset(fx->st);
	/* 50 comments of the backlog wait for moderation */
	fx->c.limit_site_pending = 50;
	assert_int_equal(throttle_site_check(fx->st, &fx->c, &over, why,
					     sizeof(why), &err),
			 0);
	assert_int_equal(over, 1);
	assert_string_equal(why, "site limit: 50 comments wait for moderation");
	fx->c.limit_site_pending = 56;
	arrive(fx, 5, T0 - 100);
	assert_int_equal(throttle_site_check(fx->st, &fx->c, &over, why,
					     sizeof(why), &err),
			 0);
	assert_int_equal(over, 0);
	fx->c.limit_site_per_hour = 5;
	assert_int_equal(throttle_site_check(fx->st, &fx->c, &over, why,
					     sizeof(why), &err),
			 0);
	assert_int_equal(over, 1);
	assert_string_equal(why, "site limit: 5 new comments an hour");
	/* an hour later the five are out of the window */
	set_now(T0 + 3600);
	assert_int_equal(throttle_site_check(fx->st, &fx->c, &over, why,
					     sizeof(why), &err),
			 0);
	assert_int_equal(over, 0);
	fx->c.limit_site_pending = 0;
	fx->c.limit_site_per_hour = 0;
	steps_bounded(fx->st);
}

static void test_flood_mode(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char note[256];
	int hold;

	fx->c.flood_threshold = 4;
	steps_reset(fx->st);
	arrive(fx, 4, T0);
	assert_int_equal(throttle_hold(fx->st, &fx->c, &hold, &err), 0);
	assert_int_equal(hold, 0);
	arrive(fx, 1, T0);
	assert_int_equal(throttle_hold(fx->st, &fx->c, &hold, &err), 0);
	assert_int_equal(hold, 2);
	assert_int_equal(throttle_hold(fx->st, &fx->c, &hold, &err), 0);
	assert_int_equal(hold, 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM audit"
					" WHERE action = 'flood-start'"),
			 1);
	assert_int_equal(throttle_busy(fx->st, &fx->c, &err), 1);

	/* the first digest goes out at the end of the pass */
	assert_int_equal(throttle_tick(fx->st, &fx->c, note, sizeof(note), &err),
			 0);
	assert_non_null(strstr(note, "digest sent (5 comments"));
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox"
					" WHERE kind = 'digest'"),
			 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM comments WHERE"
					" status = 'pending' AND notified_at"
					" IS NULL"),
			 0);
	/* the next one waits for flood_digest_minutes */
	arrive(fx, 1, T0 + 60);
	set_now(T0 + 60);
	assert_int_equal(throttle_tick(fx->st, &fx->c, note, sizeof(note), &err),
			 0);
	assert_string_equal(note, "");
	/* three in the last hour: under the threshold, over half of it */
	arrive(fx, 2, T0 + 3000);
	set_now(T0 + 3650);
	assert_int_equal(throttle_tick(fx->st, &fx->c, note, sizeof(note), &err),
			 0);
	assert_non_null(strstr(note, "digest sent (3 comments"));
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM audit"
					" WHERE action = 'flood-end'"),
			 0);
	/* two: flood mode ends, nothing is held, no mail */
	set_now(T0 + 3721);
	assert_int_equal(throttle_tick(fx->st, &fx->c, note, sizeof(note), &err),
			 0);
	assert_non_null(strstr(note, "flood mode ended"));
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM audit"
					" WHERE action = 'flood-end'"),
			 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox"
					" WHERE kind = 'digest'"),
			 2);
	assert_int_equal(throttle_busy(fx->st, &fx->c, &err), 0);
	assert_int_equal(throttle_hold(fx->st, &fx->c, &hold, &err), 0);
	assert_int_equal(hold, 0);
	steps_bounded(fx->st);
}

static void test_sender_counts_keep_their_index(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	int n;

	steps_reset(fx->st);
	assert_int_equal(comment_count_status(fx->st, "r5001@old.example",
					      "approved", &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(comment_count_status(fx->st, "r5000@old.example",
					      "pending", &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(comment_count_since(fx->st, "r5001@old.example", 0,
					     &n, &err),
			 0);
	assert_int_equal(n, 1);
	steps_bounded(fx->st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_site_limits),
		T(test_flood_mode),
		T(test_sender_counts_keep_their_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
