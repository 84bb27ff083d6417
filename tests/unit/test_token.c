/* test_token.c: tokens: unguessable, derived from a key file that is not
 * in the database, never at rest (neither the token nor anything that
 * gives it without the key), scoped, expiring, revocable. */
#include <sys/stat.h>

#include "testutil.h"

#include "keyfile.h"
#include "store.h"
#include "token.h"

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
	fx->db = xasprintf("%s/t.db", fx->dir);
	assert_int_equal(store_open(&fx->st, fx->db, &err), 0);
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
	unsetenv("MAILCOMMENTS_NOW");
	return 0;
}

/* The token a mail carrying placeholder ph (token id) would carry. */
static void expand(struct store *st, int64_t id, const char *ph,
		   char tok[TOKEN_LEN + 1])
{
	const char *why;
	struct mc_err err;

	assert_int_equal(token_expand(st, id, ph, tok, &why, &err), 0);
}

/* 1 if the bytes of the database files hold s. */
static int db_holds(struct fx *fx, const char *s)
{
	const char *suffix[] = { "", "-wal" };
	size_t i;
	int found = 0;

	for (i = 0; i < 2 && !found; i++) {
		char *path = xasprintf("%s%s", fx->db, suffix[i]);
		struct buf b;
		struct mc_err err;

		buf_init(&b);
		if (read_file(path, &b, 0, &err) == 0)
			found = memmem(b.s, b.len, s, strlen(s)) != NULL;
		buf_free(&b);
		free(path);
	}
	return found;
}

static void test_new_and_check(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], ph2[TOKEN_LEN + 1], tok[TOKEN_LEN + 1];
	char tok2[TOKEN_LEN + 1];
	enum token_status s;
	struct token_row row;
	struct mc_err err;
	int64_t id, id2;
	size_t i;

	assert_int_equal(token_new(fx->st, TOKEN_CONFIRM, 0, "a@b.org", 3600,
				   ph, &id, &err), 0);
	assert_int_equal(strlen(ph), TOKEN_LEN);
	assert_int_equal(token_new(fx->st, TOKEN_CONFIRM, 0, NULL, 3600, ph2,
				   &id2, &err), 0);
	assert_string_not_equal(ph, ph2);
	expand(fx->st, id, ph, tok);
	expand(fx->st, id2, ph2, tok2);
	for (i = 0; i < TOKEN_LEN; i++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz234567", tok[i]));
	assert_string_not_equal(tok, ph);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(token_check(fx->st, TOKEN_CONFIRM, tok, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_VALID);
	assert_string_equal(row.address, "a@b.org");
	token_row_free(&row);
	/* the placeholder is no token */
	assert_int_equal(token_check(fx->st, TOKEN_CONFIRM, ph, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_UNKNOWN);
	/* neither the token nor its placeholder is at rest */
	assert_int_equal(store_checkpoint(fx->st, &err), 0);
	assert_false(db_holds(fx, tok));
	assert_false(db_holds(fx, ph));
}

static void test_refusals(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], upper[TOKEN_LEN + 1], t[64];
	enum token_status s;
	struct token_row row;
	struct mc_err err;
	sqlite3_stmt *stmt;
	int64_t id;
	size_t i;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	expand(fx->st, id, ph, tok);
	assert_int_equal(token_check(fx->st, TOKEN_UNSUBSCRIBE, tok, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_WRONG_PURPOSE);
	token_row_free(&row);
	for (i = 0; i <= TOKEN_LEN; i++)
		upper[i] = (char)(tok[i] >= 'a' && tok[i] <= 'z' ? tok[i] - 32 : tok[i]);
	assert_int_equal(token_check(fx->st, TOKEN_MODERATE, upper, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_UNKNOWN);
	snprintf(t, sizeof(t), "%sx", tok);
	assert_int_equal(token_check(fx->st, TOKEN_MODERATE, t, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_UNKNOWN);

	snprintf(t, sizeof(t), "%lld", (long long)now() + 3601);
	setenv("MAILCOMMENTS_NOW", t, 1);
	assert_int_equal(token_check(fx->st, TOKEN_MODERATE, tok, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_EXPIRED);
	token_row_free(&row);
	unsetenv("MAILCOMMENTS_NOW");

	stmt = store_stmt(fx->st, "UPDATE tokens SET revoked = 1", NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	assert_int_equal(token_check(fx->st, TOKEN_MODERATE, tok, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_REVOKED);
	token_row_free(&row);
}

/* A token that can no longer be used is not expanded: the mail that
 * carries it is not sent. */
static void test_expand_refusals(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], t[32];
	const char *why;
	struct mc_err err;
	sqlite3_stmt *stmt;
	int64_t id;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	snprintf(t, sizeof(t), "%lld", (long long)now() + 3601);
	setenv("MAILCOMMENTS_NOW", t, 1);
	assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err), 1);
	assert_non_null(strstr(why, "expired"));
	unsetenv("MAILCOMMENTS_NOW");
	assert_int_equal(token_revoke_id(fx->st, id, &err), 0);
	assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err), 1);
	assert_non_null(strstr(why, "revoked"));
	stmt = store_stmt(fx->st, "DELETE FROM tokens", NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err), 1);
	assert_non_null(strstr(why, "no longer exists"));
}

/* The key file: made on first use, owner-only whatever the umask, the
 * same key afterwards; another key gives other tokens, which are refused
 * rather than sent wrong; a key others can read, a symlink or junk is
 * refused. */
static void test_key_file(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], *keyp, *link;
	unsigned char k1[KEYFILE_LEN], k2[KEYFILE_LEN];
	const char *why;
	struct mc_err err;
	struct stat sb;
	int64_t id;
	int created;
	mode_t old;

	keyp = xasprintf("%s/k", fx->dir);
	assert_int_equal(mkdir(keyp, 0700), 0);
	free(keyp);
	keyp = xasprintf("%s/k/other.key", fx->dir);
	old = umask(0);
	assert_int_equal(keyfile_load(keyp, k1, &created, &err), 0);
	umask(old);
	assert_int_equal(created, 1);
	assert_int_equal(stat(keyp, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(keyfile_load(keyp, k2, &created, &err), 0);
	assert_int_equal(created, 0);
	assert_memory_equal(k1, k2, KEYFILE_LEN);
	assert_int_equal(keyfile_check(keyp, &err), 0);

	assert_int_equal(chmod(keyp, 0640), 0);
	assert_int_equal(keyfile_load(keyp, k2, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "group or others"));
	assert_int_equal(keyfile_check(keyp, &err), -1);
	assert_int_equal(chmod(keyp, 0600), 0);
	link = xasprintf("%s/k/link.key", fx->dir);
	assert_int_equal(symlink(keyp, link), 0);
	assert_int_equal(keyfile_load(link, k2, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	free(link);
	free(keyp);
	keyp = tu_write(fx->dir, "junk.key", "not a key\n", 0600);
	assert_int_equal(keyfile_load(keyp, k2, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "not a key"));
	free(keyp);

	/* the database's key, then another one in its place */
	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	keyp = xasprintf("%s.key", fx->db);
	assert_string_equal(store_key_path(fx->st), keyp);
	assert_int_equal(stat(keyp, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	store_close(fx->st);
	free(tu_write(fx->dir, "t.db.key",
		      "00112233445566778899aabbccddeeff"
		      "00112233445566778899aabbccddeeff\n",
		      0600));
	assert_int_equal(store_open(&fx->st, fx->db, &err), 0);
	assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err), 1);
	assert_non_null(strstr(why, "another key"));
	free(keyp);
}

static void test_lookup_text(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], text[200];
	static const char *const forms[][2] = {
		{ "", "" },
		{ "m_", "" },
		{ "comments+m_", "@example.org" },
		{ "<mailcomments.m_", "@example.org>" },
		{ "  mailto:comments+m_", "@example.org?subject=x " },
	};
	struct token_row row;
	struct mc_err err;
	int64_t id;
	size_t i;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, "m@b.org", 3600,
				   ph, &id, &err), 0);
	expand(fx->st, id, ph, tok);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(text, sizeof(text), "%s%s%s", forms[i][0], tok,
			 forms[i][1]);
		assert_int_equal(token_lookup_text(fx->st, text, &row, &err), 1);
		assert_int_equal(row.id, id);
		assert_string_equal(row.address, "m@b.org");
		token_row_free(&row);
	}
	assert_int_equal(token_lookup_text(fx->st, ph, &row, &err), 0);
	snprintf(text, sizeof(text), "m_%sx", tok);
	assert_int_equal(token_lookup_text(fx->st, text, &row, &err), 0);
}

static void test_revoke_and_scrub(void **state)
{
	struct fx *fx = *state;
	char ph[3][TOKEN_LEN + 1], tok[3][TOKEN_LEN + 1], *text;
	struct mc_err err;
	enum token_status s;
	struct token_row row;
	sqlite3_stmt *stmt;
	int64_t id[3];
	int i, n;

	stmt = store_stmt(fx->st,
			  "INSERT INTO articles (slug, created_at) VALUES ('a', 0);"
			  , NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	stmt = store_stmt(fx->st,
			  "INSERT INTO comments (id, article_id, author_name,"
			  " author_address, body, created_at, updated_at)"
			  " VALUES (5, 1, 'A', 'a@b.org', 'x', 0, 0)",
			  NULL);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(token_new(fx->st, i == 2 ? TOKEN_DIGEST :
							    TOKEN_MODERATE,
					   i == 2 ? 0 : 5, NULL, 3600, ph[i],
					   &id[i], &err), 0);
		expand(fx->st, id[i], ph[i], tok[i]);
	}
	stmt = store_stmt(fx->st,
			  "INSERT INTO digest_items VALUES (?, 5)", NULL);
	sqlite3_bind_int64(stmt, 1, id[2]);
	assert_int_equal(store_step_done(fx->st, stmt, &err), 0);

	/* a text that holds a live token and a look-alike */
	text = xasprintf("Reply-To: <comments+m_%s@example.org>\n"
			 "abcdefghijklmnopqrstuvwxyz234567 %s\n", tok[0], ph[1]);
	assert_int_equal(token_scrub(fx->st, text, strlen(text), &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(strstr(text, tok[0]));
	assert_non_null(strstr(text, "comments+m_00000000000000000000000000000000@"));
	assert_non_null(strstr(text, "abcdefghijklmnopqrstuvwxyz234567"));
	assert_non_null(strstr(text, ph[1]));
	free(text);

	assert_int_equal(token_revoke_comment(fx->st, 5, &n, &err), 0);
	assert_int_equal(n, 3); /* two tokens, one digest entry */
	for (i = 0; i < 2; i++) {
		assert_int_equal(token_check(fx->st, TOKEN_MODERATE, tok[i], &s,
					     &row, &err), 0);
		assert_int_equal(s, TOKEN_REVOKED);
		token_row_free(&row);
	}
	/* the digest stays good for its other comments, not for this one */
	assert_int_equal(token_check(fx->st, TOKEN_DIGEST, tok[2], &s, &row,
				     &err), 0);
	assert_int_equal(s, TOKEN_VALID);
	token_row_free(&row);
	stmt = store_stmt(fx->st, "SELECT count(*) FROM digest_items", NULL);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 0);
	sqlite3_reset(stmt);
	assert_int_equal(token_revoke_all(fx->st, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(token_check(fx->st, TOKEN_DIGEST, tok[2], &s, &row,
				     &err), 0);
	assert_int_equal(s, TOKEN_REVOKED);
	token_row_free(&row);
}

static void exec_ok(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* No statement of st that looks tokens up has scanned the table: the
 * lookup by hash reads tokens_hash (migration 20). */
static void assert_no_scan(struct store *st)
{
	sqlite3_stmt *stmt = NULL;
	int seen = 0;

	while ((stmt = sqlite3_next_stmt(store_db(st), stmt))) {
		if (strstr(sqlite3_sql(stmt), "FROM tokens WHERE") == NULL)
			continue;
		seen++;
		if (sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP,
					0) != 0)
			fail_msg("scans tokens: %s", sqlite3_sql(stmt));
	}
	assert_true(seen > 0);
}

/* A token is found by the first 16 digits of its hash, and then only if
 * the whole hash is its own: another row with the same first digits
 * (a revoked one, found first) is not taken for it.  A database of
 * version 19 keeps its tokens and digest items through the rebuild. */
static void test_found_by_prefix_then_whole(void **state)
{
	struct fx *fx = *state;
	char *path = xasprintf("%s/v19.db", fx->dir), *sql;
	char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], hash[65];
	enum token_status s;
	struct token_row row;
	struct store *st;
	struct mc_err err;
	sqlite3_stmt *stmt;
	int64_t id;

	assert_int_equal(store_open_version(&st, path, 19, &err), 0);
	exec_ok(st, "INSERT INTO articles (id, slug, created_at)"
		    " VALUES (1, 'a', 0);"
		    "INSERT INTO comments (id, article_id, author_name,"
		    " author_address, body, created_at, updated_at)"
		    " VALUES (1, 1, 'A', 'a@b.org', 'x', 0, 0);");
	assert_int_equal(token_new(st, TOKEN_MODERATE, 1, NULL, 3600, ph, &id,
				   &err), 0);
	expand(st, id, ph, tok);
	sha256_hex(tok, TOKEN_LEN, hash);
	sql = sqlite3_mprintf(
		"UPDATE tokens SET id = 1000 WHERE id = %lld;"
		"INSERT INTO tokens (id, hash, purpose, comment_id, created_at,"
		" expires_at, revoked) VALUES (5, substr(%Q, 1, 16) ||"
		" '000000000000000000000000000000000000000000000000',"
		" 'moderate', 1, 0, 9999999999, 1);"
		"INSERT INTO digest_items VALUES (1000, 1);",
		(long long)id, hash);
	exec_ok(st, sql);
	sqlite3_free(sql);
	store_close(st);

	assert_int_equal(store_open(&st, path, &err), 0);
	assert_int_equal(token_check(st, TOKEN_MODERATE, tok, &s, &row, &err),
			 0);
	assert_int_equal(s, TOKEN_VALID);
	assert_int_equal(row.id, 1000);
	token_row_free(&row);
	stmt = store_stmt(st, "SELECT group_concat(token_id || ':' ||"
			      " comment_id) FROM digest_items", &err);
	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0),
			    "1000:1");
	sqlite3_reset(stmt);
	stmt = store_stmt(st, "SELECT count(*) FROM sqlite_master WHERE"
			      " name LIKE 'sqlite_autoindex_tokens%' OR"
			      " name LIKE '%_v20'", &err);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 0);
	sqlite3_reset(stmt);
	/* the digest item still goes with its token */
	exec_ok(st, "DELETE FROM tokens WHERE id = 1000");
	stmt = store_stmt(st, "SELECT count(*) FROM digest_items", &err);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 0);
	sqlite3_reset(stmt);
	assert_no_scan(st);
	store_close(st);
	free(path);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_and_check), T(test_refusals), T(test_expand_refusals),
		T(test_key_file),      T(test_lookup_text),
		T(test_revoke_and_scrub), T(test_found_by_prefix_then_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
