/* test_import.c: the import's small rules: the dates every format writes
 * (import_parse_date), and the string map behind its sets and indexes
 * (strmap.h). */
#include "testutil.h"

#include "import.h"
#include "strmap.h"
#include "util.h"

static void test_dates(void **state)
{
	(void)state;
	/* Disqus, Remark42 (nanoseconds), Commento */
	assert_int_equal(import_parse_date("2024-07-20T10:00:00Z"), 1721469600);
	assert_int_equal(import_parse_date("2024-07-20T10:00:00.123456789Z"),
			 1721469600);
	/* an offset is made UTC, both signs, with or without a colon */
	assert_int_equal(import_parse_date("2024-07-20T12:00:00+02:00"),
			 1721469600);
	assert_int_equal(import_parse_date("2024-07-20T08:30:00-0130"),
			 1721469600);
	/* WordPress's comment_date_gmt */
	assert_int_equal(import_parse_date("2024-07-20 10:00:00"), 1721469600);
	assert_int_equal(import_parse_date("  2024-07-20 10:00:00"), 1721469600);
	/* not dates: 0 (the import then says "now") */
	assert_int_equal(import_parse_date(NULL), 0);
	assert_int_equal(import_parse_date(""), 0);
	assert_int_equal(import_parse_date("yesterday"), 0);
	assert_int_equal(import_parse_date("2024-07-20"), 0);
	assert_int_equal(import_parse_date("2024-13-45T99:99:99Z"), 0);
	assert_int_equal(import_parse_date("0000-00-00 00:00:00"), 0);
}

static void test_strmap(void **state)
{
	struct smap m = { 0 };
	char key[32];
	int added, i;

	(void)state;
	assert_null(smap_find(&m, "a"));
	/* through several doublings: every key found with its value */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "thread-%d", i);
		smap_get(&m, key, &added)->val = i;
		assert_true(added);
	}
	assert_int_equal(m.n, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "thread-%d", i);
		assert_non_null(smap_find(&m, key));
		assert_int_equal(smap_find(&m, key)->val, i);
	}
	smap_get(&m, "thread-7", &added);
	assert_false(added);
	assert_int_equal(m.n, 5000);
	assert_null(smap_find(&m, "thread-5000"));
	assert_non_null(smap_get(&m, "", &added));
	assert_true(added);
	smap_free(&m);
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_strmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
