/* test_rfc2047.c: encoded words (B and Q, any charset), adjacent words
 * joined, malformed words kept as written, unknown charsets, raw 8-bit
 * header bytes; and the codec underneath (base64, quoted-printable). */
#include "testutil.h"

#include "charset.h"
#include "codec.h"
#include "rfc2047.h"
#include "util.h"

static char *dec(const char *s, unsigned *flags, char **label)
{
	struct buf b;
	unsigned f;

	buf_init(&b);
	f = rfc2047_decode(s, strlen(s), &b, label);
	if (flags)
		*flags = f;
	return buf_detach(&b);
}

static void expect(const char *in, const char *want)
{
	char *t = dec(in, NULL, NULL);

	assert_string_equal(t, want);
	free(t);
}

static void test_b_and_q(void **state)
{
	(void)state;
	expect("=?UTF-8?B?SsOpcsO0bWU=?=", "J\xC3\xA9r\xC3\xB4me");
	expect("=?utf-8?q?J=C3=A9r=C3=B4me_Dupont?=",
	       "J\xC3\xA9r\xC3\xB4me Dupont");
	expect("=?ISO-8859-1?Q?R=E9ponse?= : ok", "R\xC3\xA9ponse : ok");
	expect("=?iso-8859-1?b?6Q==?=", "\xC3\xA9");
	/* lower-case hex, and '=' not followed by hex is kept */
	expect("=?utf-8?q?=c3=a9_=3D=zz?=", "\xC3\xA9 ==zz");
	/* base64 without padding decodes what it holds */
	expect("=?utf-8?b?w6nDqQ?=", "\xC3\xA9\xC3\xA9");
	/* the charset may carry an RFC 2231 language */
	expect("=?utf-8*fr?q?=C3=A9t=C3=A9?=", "\xC3\xA9t\xC3\xA9");
	/* text around, whitespace kept as written */
	expect("Re:  =?utf-8?q?caf=C3=A9?=  au  lait", "Re:  caf\xC3\xA9  au  lait");
	/* next to other text without a space (common in the wild) */
	expect("Re:=?utf-8?q?caf=C3=A9?=", "Re:caf\xC3\xA9");
	expect("", "");
}

static void test_adjacent_words_joined(void **state)
{
	(void)state;
	/* whitespace between two encoded words is dropped */
	expect("=?utf-8?q?Bon?= =?utf-8?q?jour?=", "Bonjour");
	expect("=?utf-8?q?Bon?=\t  =?iso-8859-1?q?=E9t=E9?=",
	       "Bon\xC3\xA9t\xC3\xA9");
	/* a character split across two words survives */
	expect("=?UTF-8?B?w6k=?= =?UTF-8?B?qQ==?=", "\xC3\xA9\xEF\xBF\xBD");
	expect("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "caf\xC3\xA9");
	expect("=?UTF-8?B?4oKs?==?UTF-8?B?4oKs?=", "\xE2\x82\xAC\xE2\x82\xAC");
	/* but not across plain text */
	expect("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c");
}

static void test_malformed_kept(void **state)
{
	(void)state;
	expect("=?utf-8?q?no end", "=?utf-8?q?no end");
	expect("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
	expect("=??q?abc?=", "=??q?abc?=");
	expect("=?utf-8?q?with space?=", "=?utf-8?q?with space?=");
	expect("=?utf-8?b?not*base64?=", "=?utf-8?b?not*base64?=");
	expect("a =? b ?= c", "a =? b ?= c");
	/* a good word after a broken one is still decoded */
	expect("=?utf-8?q?broken =?utf-8?q?ok?=", "=?utf-8?q?broken ok");
	/* many "=?" and no end: linear, and all of it kept */
	{
		struct buf in;
		char *t;
		int i;

		buf_init(&in);
		for (i = 0; i < 20000; i++)
			buf_adds(&in, "=?a?b?AAAA");
		t = dec(in.s, NULL, NULL);
		assert_string_equal(t, in.s);
		free(t);
		buf_free(&in);
	}
}

static void test_unknown_charset(void **state)
{
	unsigned f;
	char *label = NULL, *t;

	(void)state;
	t = dec("=?x-klingon?q?caf=C3=A9?=", &f, &label);
	assert_string_equal(t, "caf\xC3\xA9");
	assert_int_equal(f, CHARSET_UNKNOWN_UTF8);
	assert_string_equal(label, "x-klingon");
	free(t);
	free(label);
	label = NULL;
	t = dec("=?x-klingon?q?caf=E9?=", &f, &label);
	assert_string_equal(t, "caf\xC3\xA9");
	assert_int_equal(f, CHARSET_UNKNOWN_1252);
	free(t);
	free(label);
	/* invalid bytes in a known charset */
	t = dec("=?utf-8?q?caf=E9?=", &f, NULL);
	assert_string_equal(t, "caf\xEF\xBF\xBD");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	t = dec("=?utf-8?q?a=00b?=", &f, NULL);
	assert_string_equal(t, "a\xEF\xBF\xBD" "b");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
}

static void test_raw_8bit(void **state)
{
	(void)state;
	expect("D\xC3\xA9j\xC3\xA0 vu", "D\xC3\xA9j\xC3\xA0 vu");
	expect("D\xE9j\xE0 vu", "D\xC3\xA9j\xC3\xA0 vu"); /* latin1 */
	expect("\x93Hi\x94 =?utf-8?q?=C3=A9?=", "\xE2\x80\x9CHi\xE2\x80\x9D \xC3\xA9");
}

static void test_codec(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	codec_base64_decode("SGVs\nbG8=", 9, &b);
	assert_string_equal(b.s, "Hello");
	buf_reset(&b);
	codec_base64_decode("SGVsbG8", 7, &b); /* truncated */
	assert_string_equal(b.s, "Hello");
	buf_reset(&b);
	codec_base64_decode("SGVsbG8gd", 9, &b); /* a lone sextet: no byte */
	assert_string_equal(b.s, "Hello ");
	buf_reset(&b);
	codec_base64_decode("SGk=SGk=", 8, &b); /* concatenated */
	assert_string_equal(b.s, "HiHi");
	buf_reset(&b);
	codec_qp_decode("caf=C3=A9 =\r\nsuite=\nfin = \n=3d=XY=", 34, 0, &b);
	assert_string_equal(b.s, "caf\xC3\xA9 suitefin ==XY");
	buf_reset(&b);
	codec_qp_decode("a=\n", 3, 0, &b);
	assert_string_equal(b.s, "a");
	buf_reset(&b);
	codec_qp_decode("a_b=5F", 6, 1, &b);
	assert_string_equal(b.s, "a b_");
	buf_reset(&b);
	codec_qp_decode("a_b", 3, 0, &b);
	assert_string_equal(b.s, "a_b");
	buf_free(&b);
	assert_true(codec_base64_clean("QUJD+/==", 8));
	assert_false(codec_base64_clean("QU JD", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b_and_q),
		cmocka_unit_test(test_adjacent_words_joined),
		cmocka_unit_test(test_malformed_kept),
		cmocka_unit_test(test_unknown_charset),
		cmocka_unit_test(test_raw_8bit),
		cmocka_unit_test(test_codec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
