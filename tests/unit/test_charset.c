/* test_charset.c: conversion to UTF-8: UTF-8 itself, latin1, windows-1252
 * read for a latin1 label with C1 bytes, iconv charsets, unknown labels,
 * invalid bytes and NULs replaced, never dropped; UTF-16 and UTF-32 in
 * either byte order, with and without marks; where to cut a long text. */
#include "testutil.h"

#include "charset.h"
#include "util.h"

/* Converts s (n bytes) from label; returns the text, flags in *flags. */
static char *conv(const char *label, const char *s, size_t n,
		  unsigned *flags)
{
	struct buf b;

	buf_init(&b);
	*flags = charset_to_utf8(label, s, n, &b);
	return buf_detach(&b);
}

#define CONV(label, lit, flags) conv(label, lit, sizeof(lit) - 1, flags)

static void test_utf8(void **state)
{
	unsigned f;
	char *t = CONV("UTF-8", "caf\xC3\xA9 \xF0\x9F\x91\x8D", &f);

	(void)state;
	assert_string_equal(t, "caf\xC3\xA9 \xF0\x9F\x91\x8D");
	assert_int_equal(f, 0);
	free(t);
	t = CONV("utf8", "ok", &f);
	assert_string_equal(t, "ok");
	assert_int_equal(f, 0);
	free(t);
}

static void test_latin1(void **state)
{
	unsigned f;
	char *t = CONV("ISO-8859-1", "caf\xE9 \xE0 l'\xEEle", &f);

	(void)state;
	assert_string_equal(t, "caf\xC3\xA9 \xC3\xA0 l'\xC3\xAEle");
	assert_int_equal(f, 0);
	free(t);
	/* quoted, spaced label */
	t = CONV(" \"latin1\" ", "\xE9t\xE9", &f);
	assert_string_equal(t, "\xC3\xA9t\xC3\xA9");
	assert_int_equal(f, 0);
	free(t);
}

static void test_latin1_with_c1_is_1252(void **state)
{
	unsigned f;
	char *t = CONV("iso-8859-1", "l\x92\xE9t\xE9 \x80 \x85", &f), *note;

	(void)state;
	/* U+2019, U+20AC, U+2026 */
	assert_string_equal(t, "l\xE2\x80\x99\xC3\xA9t\xC3\xA9 \xE2\x82\xAC "
			       "\xE2\x80\xA6");
	assert_int_equal(f, CHARSET_LATIN1_AS_1252);
	free(t);
	note = charset_note(CHARSET_LATIN1_AS_1252, "ISO-8859-1");
	assert_string_equal(note, "charset iso-8859-1 read as windows-1252");
	free(note);
	note = charset_note(CHARSET_LATIN1_AS_1252, "Latin1");
	assert_string_equal(note, "charset latin1 read as windows-1252");
	free(note);
	t = CONV("iso8859-1", "\x93quoted\x94", &f);
	assert_string_equal(t, "\xE2\x80\x9Cquoted\xE2\x80\x9D");
	assert_int_equal(f, CHARSET_LATIN1_AS_1252);
	free(t);
}

static void test_windows_1252_undefined_bytes(void **state)
{
	unsigned f;
	char *t = CONV("windows-1252", "a\x81" "b\x9D", &f);

	(void)state;
	assert_string_equal(t, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
}

static void test_iconv_charsets(void **state)
{
	unsigned f;
	char *t = CONV("iso-8859-15", "\xA4 5", &f); /* euro sign */

	(void)state;
	assert_string_equal(t, "\xE2\x82\xAC 5");
	assert_int_equal(f, 0);
	free(t);
	t = CONV("KOI8-R", "\xF0\xD2\xC9\xD7\xC5\xD4", &f);
	assert_string_equal(t, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5"
			       "\xD1\x82"); /* Привет */
	assert_int_equal(f, 0);
	free(t);
	t = CONV("ks_c_5601-1987", "\xC7\xD1", &f); /* an alias: CP949 */
	assert_string_equal(t, "\xED\x95\x9C");
	assert_int_equal(f, 0);
	free(t);
	t = CONV("utf-16le", "h\0i\0", &f);
	assert_string_equal(t, "hi");
	free(t);
}

/* Labels iconv knows under another name: the alias table, then the
 * label without "x-", without the -i/-e of ISO-8859-6/8, as CPnnnn. */
static void test_other_names(void **state)
{
	static const struct {
		const char *label, *in, *out;
	} cases[] = {
		{ "iso-8859-8-e", "\xF9\xEC\xE5\xED",
		  "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D" }, /* שלום */
		{ "ISO-8859-8-I", "\xF9", "\xD7\xA9" },
		{ "iso-8859-6-e", "\xC7", "\xD8\xA7" },
		{ "x-euc-kr", "\xC7\xD1", "\xED\x95\x9C" },
		{ "win-1251", "\xCF", "\xD0\x9F" },
		{ "cp-1250", "\x8A", "\xC5\xA0" },
		{ "windows_1251", "\xCF", "\xD0\x9F" },
		{ "x-cp1251", "\xCF", "\xD0\x9F" },
		{ "x-mac-cyrillic", "\x8F", "\xD0\x9F" },
		{ "x-x-big5", "\xA4\xA4", "\xE4\xB8\xAD" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned f;
		char *t = conv(cases[i].label, cases[i].in, strlen(cases[i].in),
			       &f);

		if (strcmp(t, cases[i].out) != 0 || f != 0)
			fail_msg("%s: \"%s\", flags %u", cases[i].label, t, f);
		free(t);
	}
	/* no other name: still unknown, read as before */
	{
		unsigned f;
		char *t = CONV("x-", "ok", &f);

		assert_int_equal(f, CHARSET_UNKNOWN_UTF8);
		free(t);
		t = CONV("win-12345678", "ok", &f);
		assert_int_equal(f, CHARSET_UNKNOWN_UTF8);
		free(t);
	}
}

static void test_unknown_label(void **state)
{
	unsigned f;
	char *t = CONV("X-Nonsense", "d\xC3\xA9j\xC3\xA0", &f), *note;

	(void)state;
	assert_string_equal(t, "d\xC3\xA9j\xC3\xA0");
	assert_int_equal(f, CHARSET_UNKNOWN_UTF8);
	free(t);
	note = charset_note(CHARSET_UNKNOWN_UTF8, "X-Nonsense");
	assert_string_equal(note, "unknown charset x-nonsense read as utf-8");
	free(note);
	t = CONV("x-nonsense", "d\xE9j\xE0 \x80", &f);
	assert_string_equal(t, "d\xC3\xA9j\xC3\xA0 \xE2\x82\xAC");
	assert_int_equal(f, CHARSET_UNKNOWN_1252);
	free(t);
	note = charset_note(CHARSET_UNKNOWN_1252, "x-nonsense");
	assert_string_equal(note,
			    "unknown charset x-nonsense read as windows-1252");
	free(note);
	/* a label iconv must never see */
	t = CONV("utf-8//TRANSLIT", "ok", &f);
	assert_string_equal(t, "ok");
	assert_int_equal(f, CHARSET_UNKNOWN_UTF8);
	free(t);
}

static void test_invalid_bytes_replaced(void **state)
{
	unsigned f;
	char *t = CONV("utf-8", "a\xC3(b\xFF" "c", &f), *note;

	(void)state;
	assert_string_equal(t, "a\xEF\xBF\xBD(b\xEF\xBF\xBD" "c");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	note = charset_note(CHARSET_REPLACED, "utf-8");
	assert_string_equal(note, "invalid bytes replaced");
	free(note);
	/* NUL bytes are replaced too, in every charset */
	t = CONV("utf-8", "a\0b", &f);
	assert_int_equal(strlen(t), 5);
	assert_string_equal(t, "a\xEF\xBF\xBD" "b");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	t = CONV("iso-8859-1", "a\0b", &f);
	assert_string_equal(t, "a\xEF\xBF\xBD" "b");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	t = CONV("koi8-r", "a\0b", &f);
	assert_string_equal(t, "a\xEF\xBF\xBD" "b");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	/* iconv's refusals: each bad byte is one U+FFFD, the rest is kept */
	t = CONV("us-ascii", "caf\xE9!", &f);
	assert_string_equal(t, "caf\xEF\xBF\xBD!");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
	t = CONV("shift_jis", "\x82\xA0x\x82", &f); /* あ, x, cut sequence */
	assert_string_equal(t, "\xE3\x81\x82x\xEF\xBF\xBD");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
}

static void test_no_label(void **state)
{
	unsigned f;
	char *t = CONV(NULL, "d\xC3\xA9j\xC3\xA0", &f);

	(void)state;
	assert_string_equal(t, "d\xC3\xA9j\xC3\xA0");
	assert_int_equal(f, 0);
	free(t);
	t = CONV("", "d\xE9j\xE0", &f);
	assert_string_equal(t, "d\xC3\xA9j\xC3\xA0");
	assert_int_equal(f, 0);
	free(t);
}

static void test_long_input_is_complete(void **state)
{
	size_t n = 200000, i;
	char *in = malloc(n), *t;
	unsigned f;

	(void)state;
	for (i = 0; i < n; i++)
		in[i] = (char)(i % 2 ? 0xE9 : 'a');
	t = conv("iso-8859-2", in, n, &f); /* through iconv, in chunks */
	assert_int_equal(f, 0);
	assert_int_equal(strlen(t), n / 2 * 3);
	free(t);
	free(in);
}

/* "été" is C3 A9 74 C3 A9 in UTF-8. */
#define ETE "\xC3\xA9t\xC3\xA9"

static void test_utf16_byte_order_mark(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	/* little-endian mark, the way Windows programs write it */
	t = CONV("utf-16", "\xFF\xFE\xE9\0t\0\xE9\0", &f);
	assert_string_equal(t, ETE);
	assert_int_equal(f, 0);
	free(t);
	t = CONV("UTF-16", "\xFE\xFF\0\xE9\0t\0\xE9", &f);
	assert_string_equal(t, ETE);
	assert_int_equal(f, 0);
	free(t);
	/* an explicit order with a mark that agrees: the mark goes */
	t = CONV("utf-16le", "\xFF\xFE\xE9\0t\0\xE9\0", &f);
	assert_string_equal(t, ETE);
	free(t);
	/* a mark that contradicts the label wins */
	t = CONV("utf-16be", "\xFF\xFE\xE9\0t\0\xE9\0", &f);
	assert_string_equal(t, ETE);
	assert_int_equal(f, 0);
	free(t);
}

static void test_utf16_without_mark(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	/* RFC 2781: big-endian */
	t = CONV("utf-16", "\0\xE9\0t\0\xE9", &f);
	assert_string_equal(t, ETE);
	assert_int_equal(f, 0);
	free(t);
	/* little-endian shows in where the zero bytes are */
	t = CONV("utf-16", "\xE9\0t\0\xE9\0", &f);
	assert_string_equal(t, ETE);
	free(t);
	/* no zero bytes to tell: big-endian (U+6F22 U+5B57) */
	t = CONV("utf16", "\x6F\x22\x5B\x57", &f);
	assert_string_equal(t, "\xE6\xBC\xA2\xE5\xAD\x97");
	free(t);
	t = CONV("utf-16le", "\x22\x6F", &f);
	assert_string_equal(t, "\xE6\xBC\xA2");
	free(t);
	t = CONV("unicode", "h\0i\0", &f);
	assert_string_equal(t, "hi");
	free(t);
}

static void test_utf16_marks_inside(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	/* two encoded words run together, each with its mark, the second
	 * in the other byte order */
	t = CONV("utf-16", "\xFF\xFE\xC9\0t\0\xE9\0\xFE\xFF\0 \0l\0\xE0",
		 &f);
	assert_string_equal(t, "\xC3\x89t\xC3\xA9 l\xC3\xA0");
	assert_int_equal(f, 0);
	free(t);
}

static void test_utf16_surrogates_and_junk(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	/* U+1F44D as a pair */
	t = CONV("utf-16be", "\xD8\x3D\xDC\x4D", &f);
	assert_string_equal(t, "\xF0\x9F\x91\x8D");
	assert_int_equal(f, 0);
	free(t);
	/* a lone high surrogate, a lone low one, a NUL, a cut last unit */
	t = CONV("utf-16be", "\xD8\x3D\0a\xDC\x4D\0\0\0", &f);
	assert_string_equal(t, "\xEF\xBF\xBD" "a" "\xEF\xBF\xBD"
			       "\xEF\xBF\xBD" "\xEF\xBF\xBD");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
}

static void test_utf32(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	t = CONV("utf-32", "\xFF\xFE\0\0\xE9\0\0\0t\0\0\0", &f);
	assert_string_equal(t, "\xC3\xA9t");
	assert_int_equal(f, 0);
	free(t);
	t = CONV("utf-32", "\0\0\0\xE9\0\0\0t", &f);
	assert_string_equal(t, "\xC3\xA9t");
	free(t);
	t = CONV("utf-32le", "M\xF4\x01\0", &f); /* U+1F44D */
	assert_string_equal(t, "\xF0\x9F\x91\x8D");
	free(t);
	/* past U+10FFFF, a surrogate */
	t = CONV("utf-32be", "\0\x11\0\0\0\0\xD8\0", &f);
	assert_string_equal(t, "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(f, CHARSET_REPLACED);
	free(t);
}

static void test_mark_wins_over_label(void **state)
{
	unsigned f;
	char *t;

	(void)state;
	/* no label, or a wrong one: the UTF-16 mark says how to read */
	t = CONV(NULL, "\xFF\xFE\xE9\0t\0\xE9\0", &f);
	assert_string_equal(t, ETE);
	assert_int_equal(f, 0);
	free(t);
	t = CONV("utf-8", "\xFE\xFF\0\xE9\0t\0\xE9", &f);
	assert_string_equal(t, ETE);
	free(t);
	t = CONV("windows-1252", "\xEF\xBB\xBF" ETE, &f);
	assert_string_equal(t, "\xEF\xBB\xBF" ETE); /* mime.c drops it */
	assert_int_equal(f, 0);
	free(t);
}

/* The converters kept between calls start each text afresh: a text that
 * ends in ISO-2022-JP's kanji mode does not leave the next one there,
 * and more charsets than the cache holds give the same text again. */
static void test_kept_converters(void **state)
{
	static const char *const labels[] = {
		"iso-8859-15", "koi8-r", "iso-8859-2", "iso-8859-7",
		"windows-1251", "iso-8859-5", "cp850", "iso-8859-9",
		"macintosh", "iso-8859-13",
	};
	unsigned f;
	char *a, *b;
	size_t i, round;

	(void)state;
	/* "\x1b$B" enters JIS X 0208 and the text ends there */
	a = CONV("iso-2022-jp", "\x1b$B$3$s", &f);
	assert_string_equal(a, "\xE3\x81\x93\xE3\x82\x93");
	free(a);
	b = CONV("iso-2022-jp", "abc", &f);
	assert_string_equal(b, "abc");
	free(b);
	for (round = 0; round < 3; round++)
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
			a = CONV(labels[i], "A\xE9z", &f);
			assert_int_equal(strlen(a) >= 3, 1);
			assert_int_equal(a[0], 'A');
			assert_int_equal(a[strlen(a) - 1], 'z');
			free(a);
		}
	charset_release();
	a = CONV("koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", &f);
	assert_string_equal(a, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2"
			       "\xD0\xB5\xD1\x82");
	free(a);
	charset_release();
}

static void test_cut(void **state)
{
	const char *s = "ab\ncd\nef";
	/* UTF-16LE "a\nb\n" and UTF-16BE with a mark */
	const char le[] = "a\0\n\0b\0\n\0c\0";
	const char be[] = "\xFE\xFF\0a\0\n\0b\0\n\0c";

	(void)state;
	assert_int_equal(charset_cut("utf-8", s, 8, 100), 8);
	assert_int_equal(charset_cut("utf-8", s, 8, 7), 6);
	assert_int_equal(charset_cut("iso-8859-1", s, 8, 5), 3);
	assert_int_equal(charset_cut(NULL, s, 8, 2), 2); /* no line break */
	/* no line break in UTF-8: between characters */
	assert_int_equal(charset_cut("utf-8", ETE ETE, 10, 4), 3);
	assert_int_equal(charset_cut(NULL, ETE ETE, 10, 6), 5);
	assert_int_equal(charset_cut("iso-8859-1", ETE ETE, 10, 4), 4);
	assert_int_equal(charset_cut("utf-16le", le, sizeof(le) - 1, 9), 8);
	assert_int_equal(charset_cut("utf-16le", le, sizeof(le) - 1, 7), 4);
	assert_int_equal(charset_cut("utf-16le", le, sizeof(le) - 1, 3), 2);
	assert_int_equal(charset_cut("utf-16", be, sizeof(be) - 1, 11), 10);
	assert_int_equal(charset_cut("utf-16", be, sizeof(be) - 1, 9), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_latin1_with_c1_is_1252),
		cmocka_unit_test(test_windows_1252_undefined_bytes),
		cmocka_unit_test(test_iconv_charsets),
		cmocka_unit_test(test_kept_converters),
		cmocka_unit_test(test_other_names),
		cmocka_unit_test(test_unknown_label),
		cmocka_unit_test(test_invalid_bytes_replaced),
		cmocka_unit_test(test_no_label),
		cmocka_unit_test(test_long_input_is_complete),
		cmocka_unit_test(test_utf16_byte_order_mark),
		cmocka_unit_test(test_utf16_without_mark),
		cmocka_unit_test(test_utf16_marks_inside),
		cmocka_unit_test(test_utf16_surrogates_and_junk),
		cmocka_unit_test(test_utf32),
		cmocka_unit_test(test_mark_wins_over_label),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
