/* test_sender_counts.c: the per-sender checks of a new comment cost the
 * same whatever that sender's backlog (VM steps, deterministic), and the
 * counters they read (sender_counts, kept by triggers) equal a COUNT(*)
 * of the comments after every kind of change, and after the migration
 * that fills them for an existing database. */
#include "testutil.h"

#include "comment.h"
#include "compose.h"
#include "modmail.h"
#include "conf.h"
#include "store.h"
#include "throttle.h"
#include "util.h"

#define T0 1800000000LL
#define KEY "flood@spam.example"

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

static struct store *open_db(const char *dir, const char *name)
{
	struct store *st;
	struct mc_err err;
	char *path = xasprintf("%s/%s", dir, name);

	if (store_open(&st, path, &err) < 0)
		fail_msg("%s", err.msg);
	free(path);
	return st;
}

/* n comments of KEY, all in the last hour (the worst case for the
 * hourly count), one in ten pending, the others approved. */
static void backlog(struct store *st, int n)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		" WHERE i < ?1)"
		" INSERT INTO comments (article_id, author_name, author_address,"
		" author_key, body, status, created_at, updated_at, notified_at)"
		" SELECT 1, 'flood', '" KEY "', '" KEY "', 'spam',"
		" CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'approved' END,"
		" ?2 - 3000 + i % 3000, ?2, ?2 FROM n",
		NULL);
	struct mc_err err;

	assert_non_null(stmt);
	exec_sql(st, "INSERT INTO articles (id, slug, title, url, created_at)"
		     " VALUES (1, 'a', 'A', 'https://example.org/a', 0)");
	sqlite3_bind_int(stmt, 1, n);
	sqlite3_bind_int64(stmt, 2, T0);
	assert_int_equal(store_step_done(st, stmt, &err), 0);
}

static int64_t total_steps(struct store *st, int reset)
{
	sqlite3_stmt *s;
	int64_t n = 0;

	for (s = sqlite3_next_stmt(store_db(st), NULL); s;
	     s = sqlite3_next_stmt(store_db(st), s))
		n += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, reset);
	return n;
}

/* What ingest.c's handle_comment() and initial_status() ask before a
 * new comment of KEY is stored, then the insert itself (the triggers
 * run in it): the VM steps of all of it. */
static int64_t checks_of_one_comment(struct store *st, const struct conf *c)
{
	struct sender s;
	struct comment cm = { 0 };
	struct mc_err err;
	char why[120];
	int n, over;
	int64_t id;

	/* prepare every statement once, then count a second comment */
	for (int round = 0; round < 2; round++) {
		total_steps(st, 1);
		assert_int_equal(sender_get(st, KEY, &s, &err), 0);
		assert_int_equal(comment_count_recent(st, KEY, T0 - 3600,
						      c->limit_comments_per_hour,
						      &n, &err),
				 0);
		/* over the default 10, under a million */
		assert_int_equal(n >= c->limit_comments_per_hour,
				 c->limit_comments_per_hour < 500);
		assert_int_equal(comment_count_status(st, KEY, "pending", &n,
						      &err),
				 0);
		assert_true(n >= 50);
		assert_int_equal(throttle_site_check(st, c, &over, why,
						     sizeof(why), &err),
				 0);
		assert_int_equal(comment_count_status(st, KEY, "approved", &n,
						      &err),
				 0);
		assert_true(n >= 450);
		cm.article_id = 1;
		cm.author_name = "flood";
		cm.author_address = KEY;
		cm.author_key = KEY;
		cm.body = "spam";
		cm.status = "pending";
		assert_int_equal(comment_insert(st, &cm, &id, &err), 0);
	}
	return total_steps(st, 0);
}

static void test_checks_flat_with_the_backlog(void **state)
{
	char *dir = tu_tmpdir();
	struct store *small = open_db(dir, "small.db");
	struct store *big = open_db(dir, "big.db");
	struct conf c;
	int64_t s_small, s_big;

	(void)state;
	conf_defaults(&c);
	set_now(T0);
	backlog(small, 500);
	backlog(big, 50000);
	s_small = checks_of_one_comment(small, &c);
	s_big = checks_of_one_comment(big, &c);
	print_message("# VM steps of one comment's checks: %lld with 500"
		      " earlier comments of its sender, %lld with 50,000\n",
		      (long long)s_small, (long long)s_big);
	/* a count of the backlog would take 50,000 steps at least */
	assert_true(s_big < 5000);
	assert_int_equal(s_big, s_small);
	/* and with an hourly limit that the flood does not reach: no
	 * index range up to the limit either */
	c.limit_comments_per_hour = 1000000;
	c.limit_pending_per_sender = 1000000;
	s_small = checks_of_one_comment(small, &c);
	s_big = checks_of_one_comment(big, &c);
	print_message("# with limits of a million: %lld and %lld\n",
		      (long long)s_small, (long long)s_big);
	assert_true(s_big < 5000);
	assert_int_equal(s_big, s_small);
	store_close(small);
	store_close(big);
	conf_free(&c);
	tu_rmtree(dir);
	free(dir);
	unsetenv("MAILCOMMENTS_NOW");
}

/* Rows where sender_counts and a COUNT(*) of the comments differ. */
static int64_t mismatches(struct store *st)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"WITH c AS (SELECT author_key, sum(status = 'unconfirmed'),"
		" sum(status = 'pending'), sum(status = 'approved'),"
		" sum(status IN ('rejected', 'spam')), sum(status = 'deleted')"
		" FROM comments WHERE by_moderator = 0"
		" AND author_key IS NOT NULL GROUP BY author_key),"
		" s AS (SELECT author_key, unconfirmed, pending, approved,"
		" refused, deleted FROM sender_counts)"
		" SELECT (SELECT count(*) FROM (SELECT * FROM c EXCEPT"
		" SELECT * FROM s)) + (SELECT count(*) FROM (SELECT * FROM s"
		" EXCEPT SELECT * FROM c))",
		NULL);
	int64_t n;

	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return n;
}

static int64_t count_of(struct store *st, const char *key, const char *status)
{
	struct mc_err err;
	int n;

	assert_int_equal(comment_count_status(st, key, status, &n, &err), 0);
	return n;
}

static int64_t add(struct store *st, const char *key, const char *status,
		   int by_moderator)
{
	struct comment cm = { 0 };
	struct mc_err err;
	int64_t id;

	cm.article_id = 1;
	cm.author_name = "x";
	cm.author_address = (char *)key;
	cm.author_key = (char *)key;
	cm.body = "text";
	cm.status = (char *)status;
	cm.by_moderator = by_moderator;
	assert_int_equal(comment_insert(st, &cm, &id, &err), 0);
	return id;
}

#define SAME(st) assert_int_equal(mismatches(st), 0)

static void status(struct store *st, int64_t id, const char *to)
{
	struct mc_err err;

	assert_int_equal(comment_set_status(st, id, to, "mod", &err), 0);
	SAME(st);
}

static void test_counters_follow_every_change(void **state)
{
	char *dir = tu_tmpdir();
	struct store *st = open_db(dir, "t.db");
	struct mc_err err;
	int64_t a, b, u, m;

	(void)state;
	exec_sql(st, "INSERT INTO articles (id, slug, title, url, created_at)"
		     " VALUES (1, 'a', 'A', 'u', 0), (2, 'b', 'B', 'v', 0)");
	a = add(st, "ann@x.example", "pending", 0);
	b = add(st, "ann@x.example", "pending", 0);
	add(st, "bob@x.example", "approved", 0);
	m = add(st, "ann@x.example", "approved", 1); /* a moderator's answer */
	u = add(st, "cat@x.example", "unconfirmed", 0);
	SAME(st);
	assert_int_equal(count_of(st, "ann@x.example", "pending"), 2);
	assert_int_equal(count_of(st, "ann@x.example", "approved"), 0);
	status(st, a, "approved");	/* approve */
	status(st, b, "rejected");	/* reject */
	status(st, b, "pending");	/* undo */
	status(st, b, "spam");
	status(st, a, "deleted");	/* the reader deletes it */
	status(st, a, "pending");	/* an edit goes back to moderation */
	status(st, u, "pending");	/* confirmed */
	status(st, u, "approved");
	status(st, u, "approved");	/* approved again: no change */
	assert_int_equal(count_of(st, "cat@x.example", "approved"), 1);
	status(st, m, "pending");	/* not counted either way */
	exec_sql(st, "UPDATE comments SET by_moderator = 0 WHERE id = 4");
	SAME(st);
	assert_int_equal(count_of(st, "ann@x.example", "pending"), 2);
	/* a new key (limits.subaddress_separators changed) */
	exec_sql(st, "UPDATE comments SET author_key = 'ann+x@x.example'"
		     " WHERE id = 1");
	SAME(st);
	/* a row deleted (retention), then forget: nothing of ann left */
	assert_int_equal(comment_delete_row(st, b, &err), 0);
	SAME(st);
	exec_sql(st, "DELETE FROM comments WHERE author_key LIKE 'ann%'");
	SAME(st);
	assert_int_equal(count_of(st, "ann@x.example", "pending"), 0);
	/* an article deleted with its comments (ON DELETE CASCADE) */
	add(st, "dan@x.example", "approved", 0);
	exec_sql(st, "UPDATE comments SET article_id = 2 WHERE author_key ="
		     " 'dan@x.example'");
	exec_sql(st, "DELETE FROM articles WHERE id = 2");
	SAME(st);
	/* no row outlives its comments: only cat's and bob's remain */
	{
		sqlite3_stmt *s = store_stmt(
			st, "SELECT group_concat(author_key, ' ') FROM"
			    " (SELECT author_key FROM sender_counts ORDER BY 1)",
			NULL);

		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0),
				    "bob@x.example cat@x.example");
		sqlite3_reset(s);
	}
	store_close(st);
	tu_rmtree(dir);
	free(dir);
}

static int recent(struct store *st, const char *key, int64_t t, long max)
{
	struct mc_err err;
	int n;

	assert_int_equal(comment_count_recent(st, key, t, max, &n, &err), 0);
	return n;
}

/* The hourly count against a COUNT(*), below and past its exact part,
 * with rows inserted by SQL (the trigger numbers them), moderators'
 * answers among them, and a new key. */
static void test_recent_count(void **state)
{
	char *dir = tu_tmpdir();
	struct store *st = open_db(dir, "t.db");
	long limits[] = { 1, 5, 31, 32, 33, 100, 199, 200, 201, 1000000 };
	size_t i;

	(void)state;
	exec_sql(st,
		 "INSERT INTO articles (id, slug, title, url, created_at)"
		 " VALUES (1, 'a', 'A', 'u', 0);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		 " WHERE i < 400)"
		 " INSERT INTO comments (article_id, author_name, author_address,"
		 " author_key, body, status, created_at, updated_at,"
		 " by_moderator) SELECT 1, 'x', 'k@x.example', 'k@x.example',"
		 " 'b', 'pending', 1000 + i * 10, 0, i % 9 = 0 FROM n;");
	add(st, "k@x.example", "pending", 0); /* C's number, created T0 */
	set_now(T0);
	exec_sql(st, "UPDATE comments SET created_at = 1000 + id * 10"
		     " WHERE created_at = 1800000000");
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		int64_t t;

		for (t = 1000; t <= 5100; t += 700) {
			sqlite3_stmt *s = store_stmt(
				st, "SELECT count(*) FROM comments WHERE"
				    " author_key = 'k@x.example' AND"
				    " by_moderator = 0 AND created_at >= ?",
				NULL);
			int64_t exact;
			int n = recent(st, "k@x.example", t, limits[i]);

			sqlite3_bind_int64(s, 1, t);
			assert_int_equal(sqlite3_step(s), SQLITE_ROW);
			exact = sqlite3_column_int64(s, 0);
			sqlite3_reset(s);
			if (exact >= limits[i])
				assert_int_equal(n, limits[i]);
			else
				assert_true(n < limits[i]);
			if (exact < 32)
				assert_int_equal(n, exact);
		}
	}
	/* numbers unique and in order of arrival, per key */
	exec_sql(st, "UPDATE comments SET author_key = 'k2@x.example'"
		     " WHERE id % 2 = 0");
	{
		sqlite3_stmt *s = store_stmt(
			st, "SELECT count(*) FROM comments a JOIN comments b"
			    " ON a.author_key = b.author_key AND a.id < b.id"
			    " AND a.by_moderator = 0 AND b.by_moderator = 0"
			    " WHERE a.sender_seq >= b.sender_seq OR"
			    " a.sender_seq IS NULL",
			NULL);

		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(s, 0), 0);
		sqlite3_reset(s);
	}
	store_close(st);
	tu_rmtree(dir);
	free(dir);
	unsetenv("MAILCOMMENTS_NOW");
}

/* The newest schema without the counters (migrations may follow them). */
static int before_counters(const char *dir)
{
	char *path = xasprintf("%s/probe.db", dir);
	struct store *st;
	struct mc_err err;
	sqlite3_stmt *s;
	int v, found = 0;

	for (v = store_schema_latest() - 1; v > 0 && !found; v--) {
		unlink(path);
		assert_int_equal(store_open_version(&st, path, v, &err), 0);
		assert_int_equal(sqlite3_prepare_v2(store_db(st),
						    "SELECT count(*) FROM"
						    " sqlite_master WHERE name ="
						    " 'sender_counts'",
						    -1, &s, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		found = sqlite3_column_int(s, 0) == 0;
		sqlite3_finalize(s);
		store_close(st);
	}
	unlink(path);
	free(path);
	assert_true(found);
	return v + 1;
}

/* A database made before the counters gets them filled in. */
static void test_migration_fills_the_counters(void **state)
{
	char *dir = tu_tmpdir();
	char *path = xasprintf("%s/old.db", dir);
	struct store *st;
	struct mc_err err;

	(void)state;
	assert_int_equal(store_open_version(&st, path, before_counters(dir),
					    &err),
			 0);
	exec_sql(st,
		 "INSERT INTO articles (id, slug, title, url, created_at)"
		 " VALUES (1, 'a', 'A', 'u', 0);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		 " WHERE i < 300)"
		 " INSERT INTO comments (article_id, author_name, author_address,"
		 " author_key, body, status, created_at, updated_at,"
		 " by_moderator) SELECT 1, 'x', 'r' || (i % 7) || '@x.example',"
		 " 'r' || (i % 7) || '@x.example', 'b', CASE i % 4 WHEN 0 THEN"
		 " 'pending' WHEN 1 THEN 'approved' WHEN 2 THEN 'rejected'"
		 " ELSE 'approved' END, i, i, i % 11 = 0 FROM n;");
	store_close(st);
	assert_int_equal(store_open(&st, path, &err), 0);
	SAME(st);
	assert_true(count_of(st, "r3@x.example", "approved") > 0);
	store_close(st);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* The sender's record a moderator's notification shows (modmail.c): the
 * VM steps of describing the newest comment of a flood sender, and the
 * text, with 500 and with 50,000 earlier comments. */
static int64_t describe_newest(struct store *st, const struct conf *c,
			       char **text)
{
	struct comment cm;
	struct mail m;
	struct mc_err err;
	sqlite3_stmt *stmt;
	int64_t id, steps = 0;
	size_t len;

	stmt = store_stmt(st, "SELECT MAX(id) FROM comments", NULL);
	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	assert_int_equal(comment_get(st, id, &cm, &err), 1);
	/* prepare every statement once, then count */
	for (int round = 0; round < 2; round++) {
		mail_init(&m);
		total_steps(st, 1);
		assert_int_equal(modmail_describe(st, c, "en", &m, &cm, 0, &err), 0);
		steps = total_steps(st, 0);
		if (round == 1)
			*text = mail_finish(&m, &len);
		mail_free(&m);
	}
	comment_free(&cm);
	return steps;
}

static void test_record_flat_with_the_backlog(void **state)
{
	char *dir = tu_tmpdir();
	struct store *small = open_db(dir, "small.db");
	struct store *big = open_db(dir, "big.db");
	struct conf c;
	char *t_small, *t_big;
	int64_t s_small, s_big;

	(void)state;
	conf_defaults(&c);
	set_now(T0);
	backlog(small, 500);
	backlog(big, 50000);
	s_small = describe_newest(small, &c, &t_small);
	s_big = describe_newest(big, &c, &t_big);
	print_message("# VM steps of a notification's sender record: %lld"
		      " with 500 earlier comments, %lld with 50,000\n",
		      (long long)s_small, (long long)s_big);
	/* one counter row read: the same cost with 100 times the backlog
	 * (a count of the backlog would take 50,000 steps at least) */
	assert_true(s_big <= s_small + 50);
	assert_true(s_big < 2000);
	assert_non_null(strstr(t_small, "450 approved, 0 rejected or spam"));
	assert_non_null(strstr(t_big, "45000 approved, 0 rejected or spam"));
	/* the comment described is not its own record */
	assert_non_null(strstr(t_small, "spam, 49 waiting"));
	assert_non_null(strstr(t_big, "spam, 4999 waiting"));
	free(t_small);
	free(t_big);
	conf_free(&c);
	store_close(small);
	store_close(big);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks_flat_with_the_backlog),
		cmocka_unit_test(test_record_flat_with_the_backlog),
		cmocka_unit_test(test_counters_follow_every_change),
		cmocka_unit_test(test_recent_count),
		cmocka_unit_test(test_migration_fills_the_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
