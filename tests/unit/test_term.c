/* test_term.c: mail text on its way to a terminal or a log line: no
 * escape sequence, no C1 control, no carriage return or newline that
 * forges a line, no bidi override survives; everything else is kept. */
#include "testutil.h"

#include "json.h"
#include "log.h"
#include "term.h"
#include "util.h"
#include "utf8.h"

static char *clean(const char *s, int flags)
{
	struct buf b;

	buf_init(&b);
	term_clean(&b, s, strlen(s), flags);
	return buf_detach(&b);
}

static void check(const char *in, int flags, const char *want)
{
	char *got = clean(in, flags);

	assert_string_equal(got, want);
	free(got);
}

/* No byte of the output is a control, and no code point a C1 or bidi
 * control: the property every caller relies on. */
static void assert_inert(const char *s, int lines)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (lines && (*p == '\n' || *p == '\t'))
			continue;
		assert_false(*p < 0x20 || *p == 0x7f);
		/* C1 in UTF-8: C2 80..C2 9F */
		assert_false(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
		/* U+202A..U+202E: E2 80 AA..AE; U+2066..U+2069: E2 81 A6..A9 */
		assert_false(p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
			     p[2] <= 0xae);
		assert_false(p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
			     p[2] <= 0xa9);
	}
}

static const char *const hostile[] = {
	"\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07", /* clipboard */
	"\x1b]0;pwned\x1b\\",                           /* window title */
	"\x1b[2K\rApproved by moderator",                 /* erase line */
	"\xc2\x9b" "2K",                                  /* C1 CSI */
	"\xc2\x9d" "0;title\xc2\x9c",                     /* C1 OSC, ST */
	"abc\xe2\x80\xae" "gnp.exe",                      /* RLO */
	"x\xe2\x81\xa6y\xe2\x81\xa9z\xe2\x80\xaaw\xe2\x80\xac", /* LRI..PDF */
	"line one\r\nmailcomments: forged line",
	"\x9b" "31m raw C1 byte, invalid UTF-8",
	"nul\x00hidden", /* cut at the NUL by strlen, like every C string */
	"del\x7f" " and \x08" "backspace",
};

static void test_hostile(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *one = clean(hostile[i], 0), *lines;

		lines = clean(hostile[i], TERM_LINES);
		assert_inert(one, 0);
		assert_inert(lines, 1);
		assert_null(strchr(one, '\n'));
		free(one);
		free(lines);
	}
}

static void test_exact(void **state)
{
	(void)state;
	check("\x1b]0;pwned\x07", 0, "?]0;pwned?");
	check("\x1b[2K\rok", 0, "?[2K?ok");
	check("a\xc2\x9b" "b", 0, "a?b");
	check("abc\xe2\x80\xae" "gnp.exe", 0, "abc?gnp.exe");
	check("a\nb\tc\r\n", 0, "a?b?c??");
	check("a\nb\tc\r\n", TERM_LINES, "a\nb\tc?\n");
	check("\xff\xfe", 0, "??");
	/* What is not a control is kept, byte for byte. */
	check("Zoé Ünal — « ça va » 日本 🙂 \xe2\x80\x8d", 0,
	      "Zoé Ünal — « ça va » 日本 🙂 \xe2\x80\x8d");
	check("", 0, "");
}

static void test_control_set(void **state)
{
	(void)state;
	assert_true(term_control(0x1b));
	assert_true(term_control(0x0d));
	assert_true(term_control(0x7f));
	assert_true(term_control(0x85));
	assert_true(term_control(0x9b));
	assert_true(term_control(0x202e));
	assert_true(term_control(0x2067));
	assert_true(term_control(0x2028));
	assert_false(term_control(' '));
	assert_false(term_control(0xa0));
	assert_false(term_control(0xe9));
	assert_false(term_control(0x200d)); /* ZWJ: emoji need it */
}

/* JSON keeps the text but shows no control either. */
static void test_json(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	json_escape(&b, "a\x1b]0;t\x07\xc2\x9b\xe2\x80\xae" "b\xe2\x80\x8d");
	assert_string_equal(b.s, "\"a\\u001b]0;t\\u0007\\u009b\\u202eb\xe2\x80\x8d\"");
	buf_free(&b);
}

/* Keys are written as they are when plain ASCII (json_key()'s short
 * way), escaped like any string otherwise: a long one, a quote, '<', a
 * control, a letter beyond ASCII. */
static void test_json_keys(void **state)
{
	struct json j;
	struct buf b;

	(void)state;
	buf_init(&b);
	json_init(&j, &b, 0);
	json_obj_begin(&j);
	json_kint(&j, "id", 1);
	json_kint(&j, "reply_mailto", 2);
	json_kint(&j, "a\"b", 3);
	json_kint(&j, "<script", 4);
	json_kint(&j, "x\x1b", 5);
	json_kint(&j, "\xc3\xa9t\xc3\xa9", 6);
	json_kint(&j, "0123456789012345678901234567890123456789<", 7);
	json_kint(&j, "", 8);
	json_obj_end(&j);
	assert_string_equal(b.s, "{\"id\":1,\"reply_mailto\":2,\"a\\\"b\":3,"
			    "\"\\u003cscript\":4,\"x\\u001b\":5,"
			    "\"\xc3\xa9t\xc3\xa9\":6,"
			    "\"0123456789012345678901234567890123456789"
			    "\\u003c\":7,\"\":8}");
	buf_free(&b);
}

/* What JSON makes of one ASCII byte, escaped or not. */
static void json_byte(struct buf *b, unsigned char c)
{
	if (c == '"' || c == '\\')
		buf_addf(b, "\\%c", c);
	else if (c == '\n')
		buf_adds(b, "\\n");
	else if (c == '\r')
		buf_adds(b, "\\r");
	else if (c == '\t')
		buf_adds(b, "\\t");
	else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&')
		buf_addf(b, "\\u%04x", c);
	else
		buf_addc(b, (char)c);
}

/* Long plain runs are skipped many bytes at a time: every ASCII byte,
 * and a letter of two bytes, is still seen at every place in them. */
static void test_json_runs(void **state)
{
	char s[49];
	struct buf got, want;
	size_t at, i;
	int c;

	(void)state;
	buf_init(&got);
	buf_init(&want);
	for (c = 1; c < 0x80; c++) {
		for (at = 0; at < 47; at++) {
			memset(s, 'a', 48);
			s[48] = '\0';
			s[at] = (char)c;
			buf_reset(&got);
			json_escape(&got, s);
			buf_reset(&want);
			buf_addc(&want, '"');
			for (i = 0; i < 48; i++)
				json_byte(&want, (unsigned char)s[i]);
			buf_addc(&want, '"');
			assert_string_equal(got.s, want.s);
			/* é across the place: kept as it is */
			memcpy(s + at, "\xc3\xa9", 2);
			buf_reset(&got);
			json_escape(&got, s);
			assert_int_equal(got.len, 50);
			assert_memory_equal(got.s + 1, s, 48);
		}
	}
	buf_free(&got);
	buf_free(&want);
}

/* What JSON makes of s, a character at a time (the reference
 * json_escape() must agree with). */
static void json_ref(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = strlen(s);
	uint32_t cp;

	buf_addc(b, '"');
	while (*p) {
		if (*p < 0x80) {
			json_byte(b, *p++);
			continue;
		}
		n = utf8_decode(p, len - (size_t)(p - (const unsigned char *)s),
				&cp);
		if (n == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			p++;
		} else if (term_control(cp)) {
			buf_addf(b, "\\u%04x", (unsigned)cp);
			p += n;
		} else {
			buf_add(b, p, n);
			p += n;
		}
	}
	buf_addc(b, '"');
}

/* Two things to escape or check in one block of 16 bytes, or across
 * two, at every pair of places: each is handled where it is and the
 * bytes between are kept, whatever the two are (the first ends in
 * the next block, a character of two bytes is a control or not at the
 * ends of the range taken without decoding). */
static void test_json_stops(void **state)
{
	static const char *const pieces[] = {
		"<", "\"", "\n", "\x01", "\xc2\x9f", "\xc2\xa0", "\xc3\xa9",
		"\xd7\xbf", "\xd8\x9c", "\xdf\xbf", "\xe2\x80\xa8",
		"\xe2\x80\x8d", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xe2\x80",
	};
	(void)state;
	tu_two_stops(pieces, sizeof(pieces) / sizeof(pieces[0]), json_escape,
		     json_ref);
}

/* A log line cannot be forged: what the caller passes is one line. */
static void test_log_line(void **state)
{
	char path[] = "/tmp/mc-term-log.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char got[512];
	ssize_t n;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	log_init(LOG_TO_STDERR, 0);
	log_warnx("message %s stored",
		  "<x\r\nmailcomments: forged\x1b]0;t\x07@example.org>");
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	n = pread(fd, got, sizeof(got) - 1, 0);
	assert_true(n > 0);
	got[n] = '\0';
	close(fd);
	unlink(path);
	assert_string_equal(got, "mailcomments: message <x??mailcomments: "
				 "forged?]0;t?@example.org> stored\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_control_set),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_runs),
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_json_stops),
		cmocka_unit_test(test_log_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
