/* test_inject.c: putting the section between the markers of a page:
 * every byte outside the markers kept (binary, CRLF, no final newline),
 * idempotence, and missing, doubled and misordered markers refused with
 * their line numbers. */
#include "testutil.h"

#include "inject.h"
#include "util.h"

#define B INJECT_BEGIN
#define E INJECT_END

static void check(const char *page, const char *section, const char *want)
{
	struct mc_err err;
	struct buf out;

	buf_init(&out);
	if (inject_section(page, strlen(page), section, &out, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(out.s, want);
	buf_free(&out);
}

static void check_error(const char *page, const char *want)
{
	struct mc_err err;
	struct buf out;

	buf_init(&out);
	assert_int_equal(inject_section(page, strlen(page), "S\n", &out, &err),
			 -1);
	assert_int_equal(out.len, 0);
	if (strstr(err.msg, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, want);
	buf_free(&out);
}

static void test_replaces_between_markers(void **state)
{
	(void)state;
	check("<p>a</p>\n" B "\nold\n" E "\n<p>z</p>\n", "<s>new</s>\n",
	      "<p>a</p>\n" B "\n<s>new</s>\n" E "\n<p>z</p>\n");
	check(B E, "S\n", B "\nS\n" E);
	check("x" B "  \t" E "y", "S\n", "x" B "\nS\n" E "y");
	/* CRLF pages keep their line ends outside the markers. */
	check("a\r\n" B "\r\nold\r\n" E "\r\nb\r\n", "S\n",
	      "a\r\n" B "\nS\n" E "\r\nb\r\n");
}

static void test_every_byte_kept(void **state)
{
	struct buf page, out;
	struct mc_err err;
	size_t i, pre = 3000, post = 5000, at;
	unsigned seed = 42;

	(void)state;
	buf_init(&page);
	buf_init(&out);
	for (i = 0; i < pre; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_addc(&page, (char)(seed >> 16)); /* NULs included */
	}
	buf_adds(&page, B "old section" E);
	at = page.len;
	for (i = 0; i < post; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_addc(&page, (char)(seed >> 16));
	}
	/* The random bytes must not happen to hold a marker. */
	assert_int_equal(inject_section(page.s, page.len, "S\n", &out, &err),
			 0);
	assert_int_equal(out.len, page.len - strlen("old section") + 3);
	assert_memory_equal(out.s, page.s, pre + strlen(B));
	assert_memory_equal(out.s + pre + strlen(B), "\nS\n", 3);
	assert_memory_equal(out.s + out.len - (page.len - at + strlen(E)),
			    page.s + at - strlen(E), page.len - at + strlen(E));
	buf_free(&page);
	buf_free(&out);
}

static void test_idempotent(void **state)
{
	const char *page = "<html>\n" B "\n" E "\n</html>";
	struct buf one, two;
	struct mc_err err;

	(void)state;
	buf_init(&one);
	buf_init(&two);
	assert_int_equal(inject_section(page, strlen(page), "<s>x</s>\n", &one,
					&err),
			 0);
	assert_int_equal(inject_section(one.s, one.len, "<s>x</s>\n", &two,
					&err),
			 0);
	assert_string_equal(one.s, two.s);
	buf_free(&one);
	buf_free(&two);
}

static void test_bad_markers(void **state)
{
	(void)state;
	check_error("<html></html>", "no begin marker " B);
	check_error("<p>\n" B "\n</p>", "no end marker " E);
}

static void test_doubled_and_misordered(void **state)
{
	(void)state;
	check_error("a\n" B "\nb\n" B "\n" E,
		    "2 begin markers (lines 2 and 4)");
	check_error(B "\n" E "\n\n" E "\n" E, "3 end markers (lines 2 and 4, "
					      "...)");
	check_error("x\n" E "\ny\n" B "\n",
		    "the end marker (line 2) comes before the begin marker "
		    "(line 4)");
	/* A marker spelt differently is not a marker. */
	check_error("<!--mailcomments:begin-->\n" E, "no begin marker");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replaces_between_markers),
		cmocka_unit_test(test_every_byte_kept),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_bad_markers),
		cmocka_unit_test(test_doubled_and_misordered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
