/* test_html.c: the publishing rules: escaping, which link targets are
 * allowed, mailto: URIs (RFC 6068) and the masking of mail addresses. */
#include "testutil.h"

#include "html.h"
#include "utf8.h"
#include "util.h"

static char *esc(const char *s)
{
	struct buf b;

	buf_init(&b);
	html_escape(&b, s);
	return buf_detach(&b);
}

static void check_esc(const char *in, const char *want)
{
	char *got = esc(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_escape_specials(void **state)
{
	(void)state;
	check_esc("<a href=\"x\" onclick='y'>&amp;</a>",
		  "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;"
		  "&lt;/a&gt;");
	check_esc("plain text, accents: éàü — “ok”", "plain text, accents: "
						       "éàü — “ok”");
	check_esc("", "");
}

/* Long plain runs are skipped many bytes at a time: every ASCII byte
 * (and é) at every place of a run is escaped as it is alone, where no
 * run is long enough to skip. */
static void test_escape_runs(void **state)
{
	char s[49], one[2] = { 0, 0 };
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
			html_escape(&got, s);
			buf_reset(&want);
			for (i = 0; i < 48; i++) {
				one[0] = s[i];
				html_escape(&want, one);
			}
			assert_string_equal(got.s, want.s);
			memcpy(s + at, "\xc3\xa9", 2);
			buf_reset(&got);
			html_escape(&got, s);
			assert_string_equal(got.s, s);
		}
	}
	buf_free(&got);
	buf_free(&want);
}

static void test_escape_invalid_bytes(void **state)
{
	(void)state;
	/* Invalid UTF-8, an overlong '<', controls and U+FFFE all become
	 * U+FFFD: the output is valid UTF-8 and valid XML. */
	check_esc("a\xff" "b", "a\xef\xbf\xbd" "b");
	check_esc("\xc0\xbc" "script", "\xef\xbf\xbd\xef\xbf\xbd" "script");
	check_esc("x\x01y\x1b\x7f", "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd");
	check_esc("\xef\xbf\xbe", "\xef\xbf\xbd");
	check_esc("tab\tnl\ncr\r", "tab\tnl\ncr\r");
}

static void test_clean(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	html_clean(&b, "Jean\r\nDupont\t<x>\x01", 1);
	assert_string_equal(b.s, "Jean  Dupont <x>\xef\xbf\xbd");
	buf_reset(&b);
	html_clean(&b, "a\nb", 0);
	assert_string_equal(b.s, "a\nb");
	buf_free(&b);
}

static void test_url_allowed(void **state)
{
	static const char *const good[] = {
		"http://example.org/",
		"https://example.org/a?b=c&d=e#f",
		"HTTPS://EXAMPLE.ORG",
		"mailto:comments@example.org",
		"https://exemple.fr/été",
	};
	static const char *const bad[] = {
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		" javascript:alert(1)",
		"java\tscript:alert(1)",
		"java\nscript:alert(1)",
		"\x01javascript:alert(1)",
		"vbscript:msgbox(1)",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"file:///etc/passwd",
		"//evil.example/",
		"/relative",
		"relative.html",
		"#anchor",
		"https:\\\\evil.example",
		"https://evil.example/\\@good",
		"http://a b",
		"https://x\x7f",
		"http:",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!html_url_allowed(good[i]))
			fail_msg("refused: %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (html_url_allowed(bad[i]))
			fail_msg("allowed: %s", bad[i]);
}

/* What HTML makes of s, a character at a time (the reference
 * html_escape_n() must agree with). */
static void html_ref(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = strlen(s);
	uint32_t cp;

	while (*p) {
		n = utf8_decode(p, len - (size_t)(p - (const unsigned char *)s),
				&cp);
		if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' &&
			       cp != '\r') ||
		    cp == 0x7f || cp == 0xfffe || cp == 0xffff)
			buf_adds(b, "\xef\xbf\xbd");
		else if (cp == '&')
			buf_adds(b, "&amp;");
		else if (cp == '<')
			buf_adds(b, "&lt;");
		else if (cp == '>')
			buf_adds(b, "&gt;");
		else if (cp == '"')
			buf_adds(b, "&quot;");
		else if (cp == '\'')
			buf_adds(b, "&#39;");
		else
			buf_add(b, p, n);
		p += n ? n : 1;
	}
}

/* Two things to escape or check in one block of 16 bytes, or across
 * two, at every pair of places: each handled where it is, the bytes
 * between kept (html_escape_n() reads 16 bytes at a time). */
static void test_escape_stops(void **state)
{
	static const char *const pieces[] = {
		"<", "'", "&", "\t", "\x01", "\x7f", "\xc2\x85", "\xc3\xa9",
		"\xdf\xbf", "\xe2\x80\xa8", "\xef\xbf\xbe", "\xf0\x9f\x98\x80",
		"\xff", "\xc3", "\xe2\x80",
	};
	(void)state;
	tu_two_stops(pieces, sizeof(pieces) / sizeof(pieces[0]), html_escape,
		     html_ref);
}

static void check_mailto(const char *addr, const char *subject,
			 const char *want)
{
	struct buf b;

	buf_init(&b);
	html_mailto(&b, addr, subject);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

/* A subject encoded in pieces cut between code points is the subject
 * encoded whole (what render.c's reply links rely on), controls, bidi
 * marks and bytes that are no UTF-8 included. */
static void test_mailto_pieces(void **state)
{
	static const char *const pieces[] = {
		"[2024/a#", "12", "] R\xc3\xa9ponse \xc3\xa0 ", "Zo\xc3\xa9\r\n",
		"\xe2\x80\xae\x1b[0m", "\xc3", "\xff\xfe", "\xe2\x80\x9d ?&%",
		"\xf0\x9f\x98\x80\x7f\t",
	};
	size_t n = sizeof(pieces) / sizeof(pieces[0]), i, j;
	struct buf whole, subject, parts;

	(void)state;
	for (i = 0; i < n; i++) {
		buf_init(&whole);
		buf_init(&subject);
		buf_init(&parts);
		html_mailto_addr(&parts, "c=2024/a.12@example.org");
		buf_adds(&parts, "?subject=");
		for (j = i; j < n; j++) {
			buf_adds(&subject, pieces[j]);
			html_mailto_subject(&parts, pieces[j]);
		}
		html_mailto(&whole, "c=2024/a.12@example.org", subject.s);
		assert_string_equal(parts.s, whole.s);
		buf_free(&whole);
		buf_free(&subject);
		buf_free(&parts);
	}
}

static void test_mailto(void **state)
{
	(void)state;
	check_mailto("comments+slug@example.org", NULL,
		     "mailto:comments+slug@example.org");
	check_mailto("comments+slug.12@example.org", "",
		     "mailto:comments+slug.12@example.org");
	/* RFC 6068: '/', '=', '?', '#', '%', '&' in the address are encoded;
	 * the subject keeps only unreserved characters, spaces are %20 (never
	 * '+'), UTF-8 is percent-encoded byte by byte, CR/LF are spaces. */
	check_mailto("c=2024/a@example.org", "[2024/a] Re: “été” & co?#%+",
		     "mailto:c%3D2024%2Fa@example.org?subject=%5B2024%2Fa%5D"
		     "%20Re%3A%20%E2%80%9C%C3%A9t%C3%A9%E2%80%9D%20%26%20co"
		     "%3F%23%25%2B");
	check_mailto("a@example.org", "line\r\nBcc: x@y",
		     "mailto:a@example.org?subject=line%20%20Bcc%3A%20x%40y");
	check_mailto("a\"<b>@example.org", "x",
		     "mailto:a%22%3Cb%3E@example.org?subject=x");
}

static char *masked(const char *s, html_keep_fn keep)
{
	struct buf b;

	buf_init(&b);
	html_mask_addresses(&b, s, strlen(s), "[X]", keep, NULL);
	return buf_detach(&b);
}

static void check_mask(const char *in, const char *want)
{
	char *got = masked(in, NULL);

	if (strcmp(got, want) != 0)
		fail_msg("mask(\"%s\") = \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void test_mask(void **state)
{
	(void)state;
	check_mask("write to john@example.com.", "write to [X].");
	check_mask("a@b.fr, c.d+e@sub.example.co.uk; (f_g@h.io)",
		   "[X], [X]; ([X])");
	check_mask("Écrivez à «\u00a0marie@exemple.fr\u00a0» ou à l’adresse"
		   " zoé@exämple.fr",
		   "Écrivez à «\u00a0[X]\u00a0» ou à l’adresse [X]");
	check_mask("\"john doe\"@example.com", "[X]");
	check_mask("root@[192.0.2.1] and x@[IPv6:2001:db8::1]", "[X] and [X]");
	check_mask("mailto:x@example.org?subject=hi", "mailto:[X]?subject=hi");
	check_mask("@mention, user@localhost, a@b, @@, x@.com, x@-",
		   "@mention, user@localhost, a@b, @@, x@.com, x@-");
	check_mask("no address here", "no address here");
	check_mask("", "");
}

/* What a reader reads as an address, however it is written: each is
 * masked whole, the text around it kept. */
static void test_mask_bypasses(void **state)
{
	static const char *const hidden[] = {
		"bob\u00adby@example.com",            /* soft hyphen */
		"bob\u200b@example.com",              /* zero-width space */
		"bob@exa\u200cmple.com",              /* ZWNJ */
		"b\u200do\u2060b@example\ufeff.com", /* ZWJ, WJ, BOM */
		"bob\u180e@example.com",              /* Mongolian VS */
		"bob\u034f@example.com",              /* grapheme joiner */
		"bob\ufe0f@example.com",              /* variation selector */
		"bob\U000e0041@example.com",          /* tag character */
		"bob\u202e@example.com",              /* RLO */
		"bob\u2066@\u2069example.com",        /* isolates */
		"bob\uff20example.com",               /* full-width at */
		"bob\ufe6bexample.com",               /* small at */
		"\uff42\uff4f\uff42\uff20\uff45\uff58\uff41\uff4d\uff50"
		"\uff4c\uff45\uff0e\uff43\uff4f\uff4d", /* all full-width */
		"bob@example\u3002com",               /* ideographic stop */
		"bob@example\uff61com",               /* half-width stop */
		"bob@example\u2024com",               /* one dot leader */
		"bob@example\ufe52com",               /* small full stop */
		"bob @ example.com",
		"bob\u00a0@\u00a0example.com",        /* no-break spaces */
		"bob\u3000@example.com",              /* ideographic space */
		"bob@example dot com",
		"bob@example [dot] com",
		"bob@example(.)com",
		"bob@exemple point fr",
		"john dot smith@example.com",
		"john[.]smith@example.com",
		"\u24d1\u24de\u24d1@example.com",    /* circled letters */
		"bob&#64;example&#46;com",             /* shown as text */
		"bob&commat;example.com",
		"b\u00adob\u200b\uff20exa\u00admple\uff0ecom", /* all */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		size_t n = strlen(hidden[i]) + 20;
		char *in = malloc(n), *want = malloc(n);

		snprintf(in, n, "Write to %s now.", hidden[i]);
		snprintf(want, n, "Write to [X] now.");
		check_mask(in, want);
		free(in);
		free(want);
	}
	/* In a comment, spelled-out "at" is the writer's choice. */
	check_mask("name at example dot org", "name at example dot org");
	/* Look-alikes in URLs, percent-encoded. */
	assert_true(html_has_address("mailto:bob%EF%BC%A0example.com", 30,
				     NULL, NULL));
	assert_true(html_has_address("https://x.org/?to=bob%C2%AD%40ex.com",
				     36, NULL, NULL));
}

static char *public_name(const char *name, const char *addr)
{
	struct buf b;

	buf_init(&b);
	html_public_name(&b, name, addr, "ANON");
	return buf_detach(&b);
}

static void check_name(const char *name, const char *addr, const char *want)
{
	char *got = public_name(name, addr);

	if (strcmp(got, want) != 0)
		fail_msg("public_name(\"%s\", %s) = \"%s\", want \"%s\"",
			 name ? name : "(null)", addr ? addr : "(null)", got,
			 want);
	free(got);
}

static void test_public_name(void **state)
{
	static const char *const hidden[] = {
		"", "   ", "\u200b\u00ad", "\u2060 \ufeff",
		"bob", /* the local part: never published */
		"bob@example.com", "Bob <bob@example.com>",
		"bob@example.com (Bob)", "Robert Dupont (r.dupont@example.net)",
		"bob\u00ad@example.com", "bob\u200b@example.com",
		"bob\uff20example.com", "bob\ufe6bexample.com",
		"\uff42\uff4f\uff42\uff20\uff45\uff58\uff41\uff4d\uff50"
		"\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
		"bob\\@example.com", "[bob](x)@example.com",
		"bob&#64;example.com", "bob%40example.com", "@example.com",
		"bob @ example.com", "Bob (bob at example dot com)",
		"bob [at] example [dot] com", "bob(at)example.com",
		"Bob AT example DOT org", "bob arobase exemple point fr",
		"Alice at example.org",
	};
	char longname[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		check_name(hidden[i], "bob@example.com", "ANON");
	check_name(NULL, "bob@example.com", "ANON");
	check_name("Claire Dubois", "claire@example.fr", "Claire Dubois");
	check_name("  Claire\r\n Dubois ", NULL, "Claire   Dubois");
	check_name("Claire", "claire@example.fr", "Claire");
	check_name("John at Acme", "john@acme.example", "John at Acme");
	check_name("Alice @alice", "alice@example.org", "Alice @alice");
	check_name("Zoé Lefèvre 日本", "z@example.fr", "Zoé Lefèvre 日本");
	/* Bidi controls would reorder the page around the name. */
	check_name("Eve\u202egnp.exe\u202c", "eve@example.net", "Evegnp.exe");
	memset(longname, 'a', 100);
	longname[100] = '\0';
	{
		char want[120];

		memset(want, 'a', 80);
		memcpy(want + 80, "\u2026", sizeof("\u2026"));
		check_name(longname, "x@example.net", want);
	}
}

static int keep_gateway(const char *addr, void *arg)
{
	(void)arg;
	return strcmp(addr, "comments+slug@example.org") == 0;
}

static void test_mask_keep(void **state)
{
	char *got;

	(void)state;
	got = masked("to comments+slug@example.org or me@example.org",
		     keep_gateway);
	assert_string_equal(got, "to comments+slug@example.org or [X]");
	free(got);
}

static void test_has_address(void **state)
{
	const char *u;

	(void)state;
	u = "https://example.com/?to=john%40example.com";
	assert_true(html_has_address(u, strlen(u), NULL, NULL));
	u = "https://user@example.com/";
	assert_true(html_has_address(u, strlen(u), NULL, NULL));
	u = "mailto:comments+slug@example.org?cc=x@example.net";
	assert_true(html_has_address(u, strlen(u), keep_gateway, NULL));
	u = "mailto:comments+slug@example.org?subject=hi";
	assert_false(html_has_address(u, strlen(u), keep_gateway, NULL));
	u = "https://example.com/@user/status/1";
	assert_false(html_has_address(u, strlen(u), NULL, NULL));
}

static void test_find_address_positions(void **state)
{
	const char *s = "xx a@b.cd yy e@f.gh";
	struct html_span *sp;

	(void)state;
	assert_int_equal(html_find_addresses(s, strlen(s), &sp), 2);
	assert_int_equal(sp[0].start, 3);
	assert_int_equal(sp[0].len, 6);
	assert_int_equal(sp[1].start, 13);
	assert_int_equal(sp[1].len, 6);
	free(sp);
	assert_int_equal(html_find_addresses("none", 4, &sp), 0);
	assert_null(sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_invalid_bytes),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_mailto),
		cmocka_unit_test(test_escape_stops),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_keep),
		cmocka_unit_test(test_mask_bypasses),
		cmocka_unit_test(test_public_name),
		cmocka_unit_test(test_escape_runs),
		cmocka_unit_test(test_mailto_pieces),
		cmocka_unit_test(test_has_address),
		cmocka_unit_test(test_find_address_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
