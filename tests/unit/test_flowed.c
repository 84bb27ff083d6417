/* test_flowed.c: format=flowed unwrapping (RFC 3676): soft breaks with
 * and without DelSp, space stuffing, quoted flowed text, the signature
 * separator, and depth changes ending a paragraph. */
#include "testutil.h"

#include "flowed.h"
#include "util.h"

static void expect(const char *in, int delsp, const char *want)
{
	struct buf b;

	buf_init(&b);
	flowed_unwrap(in, strlen(in), delsp, &b);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

static void test_delsp_no(void **state)
{
	(void)state;
	expect("Une phrase qui \ncontinue ici \net finit.\nNouvelle ligne.\n",
	       0, "Une phrase qui continue ici et finit.\nNouvelle ligne.\n");
	expect("fixed\nlines\n", 0, "fixed\nlines\n");
	/* a flowed line at the end of the text ends there */
	expect("last \n", 0, "last \n");
}

static void test_delsp_yes(void **state)
{
	(void)state;
	/* the space before the break belongs to the encoding, not the text */
	expect("Un mot coup\xC3\xA9 \nen deux.\n", 1,
	       "Un mot coup\xC3\xA9" "en deux.\n");
	expect("abc \ndef\n", 0, "abc def\n");
	expect("abc \ndef\n", 1, "abcdef\n");
}

static void test_stuffing(void **state)
{
	(void)state;
	expect(" >not a quote\n From here\n", 0, ">not a quote\nFrom here\n");
	expect(" stuffed and \nflowed\n", 0, "stuffed and flowed\n");
}

static void test_quoted_flowed(void **state)
{
	(void)state;
	expect("> quoted text that \n> goes on\n>> deeper \n>> still\nreply\n",
	       0, "> quoted text that goes on\n>> deeper still\nreply\n");
	/* a change of depth ends the paragraph (improperly flowed) */
	expect("> flowed \nunquoted\n", 0, "> flowed \nunquoted\n");
	expect(">\n", 0, ">\n");
}

static void test_signature_never_flows(void **state)
{
	(void)state;
	expect("text\n-- \nJean \nDupont\n", 0, "text\n-- \nJean Dupont\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delsp_no),
		cmocka_unit_test(test_delsp_yes),
		cmocka_unit_test(test_stuffing),
		cmocka_unit_test(test_quoted_flowed),
		cmocka_unit_test(test_signature_never_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
