/* test_token.c: tokens: unguessable, hashed at rest, scoped, expiring,
 * revocable. */
#include "testutil.h"

#include "store.h"
#include "token.h"

struct fx {
	char *dir;
	struct store *st;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct mc_err err;
	char *db;

	fx->dir = tu_tmpdir();
	db = xasprintf("%s/t.db", fx->dir);
	assert_int_equal(store_open(&fx->st, db, &err), 0);
	free(db);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	unsetenv("MAILCOMMENTS_NOW");
	return 0;
}

static void test_new_and_check(void **state)
{
	struct fx *fx = *state;
	char tok[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
	enum token_status s;
	struct token_row row;
	struct mc_err err;
	sqlite3_stmt *stmt;
	size_t i;

	assert_int_equal(token_new(fx->st, TOKEN_CONFIRM, 0, "a@b.org", 3600,
				   tok, NULL, &err), 0);
	assert_int_equal(strlen(tok), TOKEN_LEN);
	for (i = 0; i < TOKEN_LEN; i++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz234567", tok[i]));
	assert_int_equal(token_new(fx->st, TOKEN_CONFIRM, 0, NULL, 3600, tok2,
				   NULL, &err), 0);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(token_check(fx->st, TOKEN_CONFIRM, tok, &s, &row, &err), 0);
	assert_int_equal(s, TOKEN_VALID);
	assert_string_equal(row.address, "a@b.org");
	token_row_free(&row);
	/* only the hash is stored */
	stmt = store_stmt(fx->st, "SELECT count(*) FROM tokens WHERE hash = ?", NULL);
	sqlite3_bind_text(stmt, 1, tok, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 0);
	sqlite3_reset(stmt);
}

static void test_refusals(void **state)
{
	struct fx *fx = *state;
	char tok[TOKEN_LEN + 1], upper[TOKEN_LEN + 1], t[64];
	enum token_status s;
	struct token_row row;
	struct mc_err err;
	sqlite3_stmt *stmt;
	size_t i;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, tok,
				   NULL, &err), 0);
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = { T(test_new_and_check), T(test_refusals) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
