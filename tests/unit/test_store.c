/* test_store.c: the database: migrations (older schemas upgrade, newer
 * ones are refused), WAL and foreign keys, idempotent message records and
 * the audit log. */
#include <sys/stat.h>

#include "testutil.h"

#include "store.h"
#include "util.h"

struct fx {
	char *dir;
	char *db;
	struct store *st;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct mc_err err;

	fx->dir = tu_tmpdir();
	fx->db = xasprintf("%s/sub/dir/t.db", fx->dir);
	if (store_open(&fx->st, fx->db, &err) < 0)
		fail_msg("%s", err.msg);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx->db);
	free(fx);
	return 0;
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

static void test_fresh_db_is_latest_wal_fk(void **state)
{
	struct fx *fx = *state;
	sqlite3_stmt *stmt;

	assert_int_equal(store_schema_version(fx->st), store_schema_latest());
	assert_int_equal(scalar(fx->st, "PRAGMA foreign_keys"), 1);
	/* statement journals in memory, not 700 MB of /var/tmp writes a
	 * batch (store.c) */
	assert_int_equal(scalar(fx->st, "PRAGMA temp_store"), 2);
	/* checkpoints after 32 MB of WAL, not after every batch */
	assert_int_equal(scalar(fx->st, "PRAGMA wal_autocheckpoint"), 8192);
	/* a cache that holds the pages a batch reads (8 MiB); a sibling, which
	 * only reads the outbox, keeps SQLite's 2 */
	assert_int_equal(scalar(fx->st, "PRAGMA cache_size"), -8192);
	{
		struct store *sib = NULL;
		struct mc_err err;

		assert_int_equal(store_open_sibling(&sib, fx->st, &err), 0);
		assert_int_equal(scalar(sib, "PRAGMA cache_size"), -2000);
		store_close(sib);
	}
	/* no memory statistics: a global mutex at every allocation */
	assert_int_equal(sqlite3_memory_used(), 0);
	stmt = store_stmt(fx->st, "PRAGMA journal_mode", NULL);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_reset(stmt);
	assert_int_equal(scalar(fx->st,
				"SELECT count(*) FROM sqlite_master WHERE name IN"
				" ('articles','comments','senders','tokens',"
				"'outbox','processed','audit')"),
			 7);
}

static void test_every_older_schema_migrates(void **state)
{
	struct fx *fx = *state;
	struct store *st;
	struct mc_err err;
	int v;

	for (v = 0; v < store_schema_latest(); v++) {
		char *path = xasprintf("%s/old%d.db", fx->dir, v);

		assert_int_equal(store_open_version(&st, path, v, &err), 0);
		assert_int_equal(store_schema_version(st), v);
		store_close(st);
		if (store_open(&st, path, &err) < 0)
			fail_msg("from version %d: %s", v, err.msg);
		assert_int_equal(store_schema_version(st), store_schema_latest());
		assert_int_equal(scalar(st, "SELECT count(*) FROM schema_migrations"),
				 store_schema_latest());
		store_close(st);
		free(path);
	}
}

/* Whether st's statement sql, explained, opens a temporary table. */
static int builds_temp_table(struct store *st, const char *sql)
{
	char *q = xasprintf("EXPLAIN %s", sql);
	sqlite3_stmt *stmt;
	int found = 0;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), q, -1, &stmt, NULL),
			 SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(stmt, 1),
			   "OpenEphemeral") == 0)
			found = 1;
	sqlite3_finalize(stmt);
	free(q);
	return found;
}

static int exec_rc(struct store *st, const char *sql)
{
	return sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) & 0xff;
}

/* The CHECKs on a status or purpose (migration 16): comparisons, not a
 * temporary table at every row, and as strict as before, whether the
 * database is new or upgraded with rows in it. */
static void assert_checks(struct store *st)
{
	static const char *const writes[] = {
		"INSERT INTO outbox (kind, recipient, created_at,"
		" next_attempt_at, status) VALUES ('a', 'b', 1, 1, 'sent')",
		"INSERT INTO tokens (hash, purpose, created_at, expires_at)"
		" VALUES ('h', 'reader', 1, 2)",
		"INSERT INTO comments (article_id, author_name, author_address,"
		" body, status, created_at, updated_at) VALUES (1, 'a', 'b',"
		" 'c', 'spam', 1, 1)",
		"UPDATE outbox SET status = 'failed' WHERE id = 1",
	};
	size_t i;

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		assert_false(builds_temp_table(st, writes[i]));
	assert_int_equal(exec_rc(st, "INSERT INTO articles (slug, created_at)"
				     " VALUES ('checks', 1)"), SQLITE_OK);
	assert_int_equal(exec_rc(st, "INSERT INTO comments (article_id,"
				     " author_name, author_address, body,"
				     " status, created_at, updated_at) SELECT"
				     " id, 'a', 'b', 'c', 'deleted', 1, 1 FROM"
				     " articles WHERE slug = 'checks'"),
			 SQLITE_OK);
	assert_int_equal(exec_rc(st, "INSERT INTO comments (article_id,"
				     " author_name, author_address, body,"
				     " status, created_at, updated_at) SELECT"
				     " id, 'a', 'b', 'c', 'publish', 1, 1 FROM"
				     " articles WHERE slug = 'checks'"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(st, "INSERT INTO tokens (hash, purpose,"
				     " created_at, expires_at) VALUES"
				     " ('h2', 'moderate', 1, 2)"), SQLITE_OK);
	assert_int_equal(exec_rc(st, "INSERT INTO tokens (hash, purpose,"
				     " created_at, expires_at) VALUES"
				     " ('h3', 'Moderate', 1, 2)"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(st, "INSERT INTO outbox (kind, recipient,"
				     " created_at, next_attempt_at,"
				     " status) VALUES ('a', 'b', 1, 1,"
				     " 'queued')"), SQLITE_OK);
	assert_int_equal(exec_rc(st, "UPDATE outbox SET status = 'gone'"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(st, "PRAGMA writable_schema"), SQLITE_OK);
	assert_int_equal(scalar(st, "PRAGMA writable_schema"), 0);
}

/* The plan SQLite makes for sql, its steps' details joined by "; ". */
static char *plan_of(struct store *st, const char *sql)
{
	char *q = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *stmt = NULL;
	struct buf b;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), q, -1, &stmt, NULL),
			 SQLITE_OK);
	buf_init(&b);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		buf_adds(&b, (const char *)sqlite3_column_text(stmt, 3));
		buf_adds(&b, "; ");
	}
	sqlite3_finalize(stmt);
	free(q);
	return buf_detach(&b);
}

/* One index by sender (migrations 17 and 19), new databases and upgraded
 * ones alike: it serves the queries by sender of every row (ban, forget,
 * export: no scan of the table), and the limits' queries and the next
 * sender_seq read it alone (by_moderator is in it).  The ones by address
 * and by key and date are gone. */
static void test_one_sender_index(void **state)
{
	static const char *alone[] = {
		"SELECT sender_seq FROM comments INDEXED BY comments_sender_seq"
		" WHERE author_key = 'k' AND by_moderator = 0"
		" ORDER BY sender_seq DESC LIMIT 1",
		"SELECT created_at FROM comments INDEXED BY comments_sender_seq"
		" WHERE author_key = 'k' AND by_moderator = 0 AND sender_seq <= 3"
		" ORDER BY sender_seq DESC LIMIT 1",
		"SELECT count(*) FROM (SELECT created_at FROM comments"
		" INDEXED BY comments_sender_seq WHERE author_key = 'k'"
		" AND by_moderator = 0 ORDER BY sender_seq DESC LIMIT 5)"
		" WHERE created_at >= 0",
	};
	struct fx *fx = *state;
	struct store *st = NULL;
	struct mc_err err;
	char *path = xasprintf("%s/v16.db", fx->dir), *p;
	int pass;
	size_t i;

	/* a database left at version 16, then opened by this version */
	assert_int_equal(store_open_version(&st, path, 16, &err), 0);
	assert_int_equal(scalar(st, "SELECT count(*) FROM sqlite_master"
				    " WHERE name IN ('comments_author_key',"
				    " 'comments_author')"), 2);
	store_close(st);
	assert_int_equal(store_open(&st, path, &err), 0);
	for (pass = 0; pass < 2; pass++) {
		struct store *s = pass == 0 ? fx->st : st;

		assert_int_equal(scalar(s, "SELECT count(*) FROM sqlite_master"
					   " WHERE type = 'index' AND tbl_name ="
					   " 'comments' AND (sql LIKE"
					   " '%author_key%' OR sql LIKE"
					   " '%author_address%')"),
				 1);
		p = plan_of(s, "SELECT id, author_name FROM comments"
			       " WHERE author_key = 'k'");
		assert_non_null(strstr(p, "INDEX comments_sender_seq"));
		assert_null(strstr(p, "SCAN"));
		free(p);
		for (i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
			p = plan_of(s, alone[i]);
			if (strstr(p, "COVERING INDEX comments_sender_seq") ==
			    NULL)
				fail_msg("not the index alone: %s: %s",
					 alone[i], p);
			free(p);
		}
	}
	store_close(st);
	free(path);
}

static void test_checks_are_comparisons(void **state)
{
	struct fx *fx = *state;
	struct store *st;
	struct mc_err err;
	char *path = xasprintf("%s/v15.db", fx->dir);

	assert_checks(fx->st);
	/* upgraded: rows written under the old CHECKs stay, and read */
	assert_int_equal(store_open_version(&st, path, 15, &err), 0);
	assert_true(builds_temp_table(st, "INSERT INTO outbox (kind,"
				      " recipient, message, created_at,"
				      " next_attempt_at) VALUES ('a', 'b',"
				      " 'c', 1, 1)"));
	assert_int_equal(exec_rc(st, "INSERT INTO outbox (kind, recipient,"
				     " message, created_at, next_attempt_at,"
				     " status) VALUES ('k', 'r', 'm', 1, 1,"
				     " 'sent')"), SQLITE_OK);
	store_close(st);
	if (store_open(&st, path, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(scalar(st, "SELECT count(*) FROM outbox WHERE"
				    " kind = 'k' AND status = 'sent'"), 1);
	assert_int_equal(scalar(st, "SELECT count(*) FROM pragma_quick_check"
				    " WHERE quick_check = 'ok'"), 1);
	assert_checks(st);
	store_close(st);
	free(path);
}

static void test_reopen_keeps_data(void **state)
{
	struct fx *fx = *state;
	struct processed p = { "<a@b>", "maildir:x", "1", "comment", "stored",
			       0, 0 };
	struct mc_err err;
	int inserted;

	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	store_close(fx->st);
	assert_int_equal(store_open(&fx->st, fx->db, &err), 0);
	assert_int_equal(store_processed_has(fx->st, "<a@b>", &err), 1);
}

static void test_newer_schema_refused(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	sqlite3_stmt *stmt;

	stmt = store_stmt(fx->st,
			  "INSERT INTO schema_migrations VALUES (?, 0)", NULL);
	sqlite3_bind_int(stmt, 1, store_schema_latest() + 5);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	store_close(fx->st);
	assert_int_equal(store_open(&fx->st, fx->db, &err), -1);
	assert_null(fx->st);
	assert_non_null(strstr(err.msg, "newer than this mailcomments"));
	assert_non_null(strstr(err.msg, fx->db));
}

static void test_processed_is_idempotent(void **state)
{
	struct fx *fx = *state;
	struct processed p = { "<m1@example.org>", "maildir:in", "f1",
			       "comment", "stored", 0, 0 };
	struct mc_err err;
	int inserted;

	assert_int_equal(store_processed_has(fx->st, p.key, &err), 0);
	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(inserted, 1);
	p.source_id = "f2";
	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(inserted, 0);
	assert_int_equal(store_processed_has(fx->st, p.key, &err), 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM processed"), 1);
}

/* A message set aside by a limit may come again (re-imported after a
 * flood): its record does not make it a duplicate, and the next outcome
 * replaces it; a final record is never replaced. */
static void test_processed_retry(void **state)
{
	struct fx *fx = *state;
	struct processed p = { "<r1@example.org>", "maildir:in", "f1",
			       "comment", "set aside: site limit", 0, 1 };
	struct mc_err err;
	int inserted;

	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(inserted, 1);
	assert_int_equal(store_processed_has(fx->st, p.key, &err), 0);
	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(store_processed_has(fx->st, p.key, &err), 0);
	p.outcome = "stored as #1, pending";
	p.retry = 0;
	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(inserted, 1);
	assert_int_equal(store_processed_has(fx->st, p.key, &err), 1);
	p.outcome = "set aside: site limit";
	p.retry = 1;
	assert_int_equal(store_processed_add(fx->st, &p, &inserted, &err), 0);
	assert_int_equal(inserted, 0);
	assert_int_equal(store_processed_has(fx->st, p.key, &err), 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM processed WHERE"
					" outcome = 'stored as #1, pending'"),
			 1);
}

static void test_foreign_keys_enforced(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	sqlite3_stmt *stmt;

	stmt = store_stmt(fx->st,
			  "INSERT INTO comments (article_id, author_name,"
			  " author_address, body, created_at, updated_at)"
			  " VALUES (999, 'a', 'a@b', 'x', 0, 0)",
			  NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), -1);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));
}

static void test_cascade_and_rollback(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	sqlite3_stmt *stmt;

	assert_int_equal(store_begin(fx->st, &err), 0);
	stmt = store_stmt(fx->st,
			  "INSERT INTO articles (slug, created_at) VALUES ('a', 0)",
			  NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	store_rollback(fx->st);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM articles"), 0);

	assert_int_equal(store_begin(fx->st, &err), 0);
	stmt = store_stmt(fx->st,
			  "INSERT INTO articles (slug, created_at) VALUES ('a', 0)",
			  NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	stmt = store_stmt(fx->st,
			  "INSERT INTO comments (article_id, author_name,"
			  " author_address, body, created_at, updated_at)"
			  " VALUES (1, 'a', 'a@b', 'x', 0, 0)",
			  NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	assert_int_equal(store_commit(fx->st, &err), 0);
	stmt = store_stmt(fx->st, "DELETE FROM articles", NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM comments"), 0);
}

static void test_audit_rows(void **state)
{
	struct fx *fx = *state;
	struct audit a = { "mod@example.org", "approve", 0, "ok",
			   "<r1@example.org>", "pending" };
	struct mc_err err;
	sqlite3_stmt *stmt;

	setenv("MAILCOMMENTS_NOW", "1722247200", 1);
	assert_int_equal(store_audit(fx->st, &a, &err), 0);
	a.actor = "operator";
	a.action = "ban";
	a.message_id = NULL;
	assert_int_equal(store_audit(fx->st, &a, &err), 0);
	unsetenv("MAILCOMMENTS_NOW");
	stmt = store_stmt(fx->st,
			  "SELECT at, actor, action, message_id FROM audit"
			  " ORDER BY id",
			  NULL);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(stmt, 0), 1722247200);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 1),
			    "mod@example.org");
	assert_string_equal((const char *)sqlite3_column_text(stmt, 3),
			    "<r1@example.org>");
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 2), "ban");
	assert_int_equal(sqlite3_column_type(stmt, 3), SQLITE_NULL);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_reset(stmt);
}

/* A batch's changed pages stay in memory until its commit, beyond the
 * 8 MiB cache: spilled ahead of it, the hot ones are written into the
 * WAL twice (store.c, STORE_SPILL_PAGES).  3,000 rows of 3,000 bytes
 * (a page each, 12 MB) leave the WAL as it was until the commit; 5,000
 * (20 MB, over the threshold) do spill, so that memory stays bounded. */
static off_t wal_size(const char *db)
{
	char *wal = xasprintf("%s-wal", db);
	struct stat sb;
	off_t n = stat(wal, &sb) == 0 ? sb.st_size : 0;

	free(wal);
	return n;
}

static off_t wal_growth_before_commit(struct fx *fx, int rows)
{
	struct mc_err err;
	sqlite3_stmt *ins;
	char blob[3000];
	off_t before, grew;
	int i;

	memset(blob, 'x', sizeof(blob));
	assert_int_equal(sqlite3_exec(store_db(fx->st),
				      "CREATE TABLE IF NOT EXISTS big (b BLOB)",
				      NULL, NULL, NULL), SQLITE_OK);
	before = wal_size(fx->db);
	assert_int_equal(store_begin(fx->st, &err), 0);
	ins = store_stmt(fx->st, "INSERT INTO big VALUES (?)", &err);
	assert_non_null(ins);
	for (i = 0; i < rows; i++) {
		blob[0] = (char)('a' + i % 26);
		sqlite3_bind_blob(ins, 1, blob, sizeof(blob), SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	grew = wal_size(fx->db) - before;
	assert_int_equal(store_commit(fx->st, &err), 0);
	return grew;
}

static void test_batch_pages_not_spilled(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(wal_growth_before_commit(fx, 3000), 0);
	assert_true(wal_growth_before_commit(fx, 5000) > 0);
}

static void test_unwritable_path(void **state)
{
	struct store *st;
	struct mc_err err;

	(void)state;
	assert_int_equal(store_open(&st, "/proc/nope/x.db", &err), -1);
	assert_non_null(strstr(err.msg, "/proc/nope"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fresh_db_is_latest_wal_fk),
		T(test_every_older_schema_migrates),
		T(test_checks_are_comparisons),
		T(test_one_sender_index),
		T(test_reopen_keeps_data),
		T(test_newer_schema_refused),
		T(test_processed_is_idempotent),
		T(test_processed_retry),
		T(test_foreign_keys_enforced),
		T(test_cascade_and_rollback),
		T(test_audit_rows),
		T(test_batch_pages_not_spilled),
		cmocka_unit_test(test_unwritable_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
