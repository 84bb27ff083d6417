/* test_html.c: the publishing rules: escaping, which link targets are
 * allowed, mailto: URIs (RFC 6068) and the masking of mail addresses. */
#include "testutil.h"

#include "html.h"
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

static void check_mailto(const char *addr, const char *subject,
			 const char *want)
{
	struct buf b;

	buf_init(&b);
	html_mailto(&b, addr, subject);
	assert_string_equal(b.s, want);
	buf_free(&b);
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
	size_t st, len;

	(void)state;
	assert_int_equal(html_find_address(s, strlen(s), 0, 0, &st, &len), 1);
	assert_int_equal(st, 3);
	assert_int_equal(len, 6);
	assert_int_equal(
		html_find_address(s, strlen(s), st + len, 0, &st, &len), 1);
	assert_int_equal(st, 13);
	assert_int_equal(
		html_find_address(s, strlen(s), st + len, 0, &st, &len), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_invalid_bytes),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_mailto),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_keep),
		cmocka_unit_test(test_has_address),
		cmocka_unit_test(test_find_address_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
