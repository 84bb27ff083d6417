/* test_util.c: the string pool (util.h): copies that never move, however
 * many and however long, and a pool emptied by strpool_free. */
#include "testutil.h"

#include "util.h"

static void test_strpool(void **state)
{
	struct strpool p = { 0 };
	char *keep[3000], word[32], *big;
	size_t len = 3u << 20, i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		snprintf(word, sizeof(word), "comment %zu", i);
		keep[i] = strpool_dup(&p, word);
	}
	/* longer than any block: a block of its own, the others stay */
	big = xmalloc(len + 1);
	memset(big, 'x', len);
	big[len] = '\0';
	assert_int_equal(strlen(strpool_dup(&p, big)), len);
	/* n bytes, NUL-terminated, whatever follows them */
	assert_string_equal(strpool_add(&p, "abcdef", 3), "abc");
	assert_string_equal(strpool_add(&p, "", 0), "");
	for (i = 0; i < 3000; i++) {
		snprintf(word, sizeof(word), "comment %zu", i);
		assert_string_equal(keep[i], word);
	}
	strpool_free(&p);
	assert_null(p.blocks);
	assert_int_equal(p.room, 0);
	/* usable again once emptied */
	assert_string_equal(strpool_dup(&p, "again"), "again");
	strpool_free(&p);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strpool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
