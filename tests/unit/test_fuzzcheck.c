/* test_fuzzcheck.c: the checkers of the fuzz targets (fuzz/check.c) must
 * accept what mailcomments publishes (the golden outputs of t-render and
 * bodies from markup_body) and refuse each way of breaking the rules: a
 * checker that accepts everything would make the fuzz targets prove
 * nothing. */
#include "testutil.h"

#include "../../fuzz/check.c"

#include "markup.h"
#include "util.h"

#define GOLDEN "tests/golden/render/"

static char *slurp(const char *name, size_t *n)
{
	struct mc_err err;
	struct buf b;

	buf_init(&b);
	if (read_file(name, &b, 0, &err) < 0)
		fail_msg("%s", err.msg);
	*n = b.len;
	return buf_detach(&b);
}

static void html_ok(const char *s, enum check_html_mode m)
{
	char why[CHECK_WHY];

	if (check_html(s, strlen(s), m, why) < 0)
		fail_msg("refused: %s\n%s", why, s);
}

static void html_bad(const char *s, enum check_html_mode m)
{
	char why[CHECK_WHY];

	if (check_html(s, strlen(s), m, why) == 0)
		fail_msg("accepted: %s", s);
}

#define A_TAG(url) "<a href=\"" url "\" rel=\"nofollow ugc noopener\">"
#define A_OPEN(url) "<p>" A_TAG(url)
#define LINK(url) A_OPEN(url) "x</a></p>"

static void test_html_accepts_output(void **state)
{
	static const char *const md[] = {
		"Hello *you* and **all**, see [this](https://example.org/?a=1&b=2).",
		"> quote\n>> deeper\n\n- a\n- b\n  1. c\n\n```\n<code> & \"x\"\n```",
		"# Title\n\n---\n\nline  \nbreak <b>raw</b> <!-- c -->\n\n<div>\nblock\n</div>",
		"![alt *x*](http://x.example/y.png) <https://a.example> a@b.example",
		"7. seven\n8. eight\n\n[a `code` link](HTTPS://X.EXAMPLE/)",
		"\x01\x7f\xff bytes",
	};
	static const char *const golden[] = { "fragment.html",
					      "fragment-en-text.html",
					      "empty.html" };
	struct markup_opts o = { MARKUP_MARKDOWN, "[hidden]", NULL, NULL };
	char *s;
	size_t i, n;
	struct buf b;

	(void)state;
	for (i = 0; i < sizeof(md) / sizeof(md[0]); i++) {
		buf_init(&b);
		o.format = MARKUP_MARKDOWN;
		markup_body(&b, md[i], &o);
		html_ok(b.s, CHECK_BODY);
		buf_reset(&b);
		o.format = MARKUP_TEXT;
		markup_body(&b, md[i], &o);
		html_ok(b.s, CHECK_BODY);
		buf_free(&b);
	}
	for (i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		char *path = xasprintf(GOLDEN "%s", golden[i]);

		s = slurp(path, &n);
		html_ok(s, CHECK_SECTION);
		free(s);
		free(path);
	}
	html_ok(LINK("mailto:a"), CHECK_BODY);
	html_ok(LINK("HTTP://x.example/a?b=1&amp;c=&quot;2&quot;"), CHECK_BODY);
	html_ok("<ol start=\"-3\">\n<li>x</li>\n</ol>\n", CHECK_BODY);
	html_ok("<pre><code>a\n</code></pre>\n", CHECK_BODY);
	html_ok("", CHECK_BODY);
}

static void test_html_refuses(void **state)
{
	static const char *const bad[] = {
		"<script>x</script>",
		"<p>x<script>y</script></p>",
		"<p onclick=\"x\">x</p>",
		"<p class=\"x\">x</p>",
		"<P>x</P>",
		"<p >x</p>",
		"<p>x</p ><p>",
		"<img src=\"x\">",
		"<p>x",
		"<p>x</em>",
		"</p>",
		"<p><p>x</p></p>",
		"<p><blockquote>x</blockquote></p>",
		"<ul>text</ul>",
		"<ul><p>x</p></ul>",
		"<li>x</li>",
		"<pre>x</pre>",
		"<code><em>x</em></code>",
		"text outside a block",
		"<p>a & b</p>",
		"<p>a > b</p>",
		"<p>a < b</p>",
		"<p>&nbsp;</p>",
		"<p>&#60;</p>",
		"<p>\x01</p>",
		"<p>\x7f</p>",
		"<p>\xff</p>",
		"<p>\xef\xbf\xbe</p>",
		"<p>\xc0\xaf</p>",
		"<br></br>",
		"<hr></hr>",
		"<ol start=\"1\" start=\"2\">\n<li>x</li>\n</ol>",
		"<ol start=\"x\">\n<li>x</li>\n</ol>",
		"<ol start=1>\n<li>x</li>\n</ol>",
		LINK("javascript:alert(1)"),
		LINK("JaVaScRiPt:alert(1)"),
		LINK(" https://x.example/"),
		LINK("https://x.example/ y"),
		LINK("https://x.example/\ty"),
		LINK("https://x.example\\@evil.example"),
		LINK("java&#9;script:x"),
		LINK("&#106;avascript:x"),
		LINK("data:text/html,x"),
		LINK("//evil.example/"),
		LINK("#comment-1"),
		LINK("ftp://x.example/"),
		"<p><a href=\"https://x.example/\">x</a></p>",
		"<p><a href=\"https://x.example/\" rel=\"nofollow\">x</a></p>",
		"<p><a rel=\"nofollow ugc noopener\">x</a></p>",
		"<p><a href='https://x.example/' rel=\"nofollow ugc noopener\">x</a></p>",
		"<p><a href=https://x.example/ rel=\"nofollow ugc noopener\">x</a></p>",
		A_OPEN("https://x.example/") A_TAG("https://y.example/") "x</a></a></p>",
		A_OPEN("https://x.example/") "<em>" A_TAG("https://y.example/") "x</a></em></a></p>",
		"<p><a href=\"https://x.example/\" rel=\"nofollow ugc noopener\" href=\"javascript:x\">x</a></p>",
		"<p><a href=\"https://x.example/\" rel=\"nofollow ugc noopener\" target=\"_blank\">x</a></p>",
		"<p><a href=\"https://x.example/\" rel=\"nofollow ugc noopener\" onmouseover=\"x\">x</a></p>",
		"<p>x</p>\n<!-- comment -->",
		"<section class=\"mailcomments\"></section>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		html_bad(bad[i], CHECK_BODY);
}

static void test_html_section(void **state)
{
	static const char *const bad[] = {
		"<section onload=\"x\"></section>",
		"<section class=\"x\">",
		"<script>x</script>",
		"<time>x</time>",
		"<div class=\"mc-body\"><script>x</script></div>",
		"<div class=\"mc-body\">" LINK("javascript:x") "</div>",
		"<div class=\"mc-body\"><p><a href=\"https://x.example/\" "
		"rel=\"nofollow\">x</a></p></div>",
		"<div class=\"mc-body\"><p>x</div></p>",
		"<div class=\"mc-body\"><p>x</p>",
		"<div class=\"mc-body\"><div class=\"x\"></div></div>",
		"<div class=\"mc-body\">text</div>",
		"<p class=\"mc-actions\"><a class=\"mc-reply\" "
		"href=\"javascript:x\" rel=\"nofollow\">R</a></p>",
		"<a href=\"#comment-1\" rel=\"ugc\">x</a>",
		"<a href=\"#comment 1\">x</a>",
		"<link rel=\"icon\" href=\"https://x.example/\">",
		"<bdi class=\"mc-author\"><b>x</b></bdi>",
		"<bdi class=\"mc-author\">a <!-- b --></bdi>",
		"<p class=\"x&quot; onclick=&quot;y\">x</p>",
		"<article class=\"mc-comment\" id=\"comment-1\">",
	};
	size_t i;

	(void)state;
	html_ok("<p class=\"mc-actions\"><a class=\"mc-reply\" "
		"href=\"mailto:c+a.1@x.example?subject=%5Ba%5D\" "
		"rel=\"nofollow\">R</a></p>\n"
		"<a class=\"mc-date\" href=\"#comment-1\"><time "
		"datetime=\"2024-07-29T08:00:00Z\">x</time></a>\n"
		"<div class=\"mc-body\">\n<p>x</p>\n</div>",
		CHECK_SECTION);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		html_bad(bad[i], CHECK_SECTION);
}

static int html_member(void *arg, const char *key, const char *v, size_t n,
		       char why[CHECK_WHY])
{
	int *count = arg;

	if (key && strcmp(key, "html") == 0) {
		(*count)++;
		return check_html(v, n, CHECK_BODY, why);
	}
	return 0;
}

static void test_json(void **state)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-0.5e+10", "\"\\u00e9\\ud83d\\ude00\\/\"",
		" { \"a\" : [ 1 , true , false , null , \"x\" ] } ",
		"{\"a\":{\"a\":1}}",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "{\"a\" 1}",
		"01", "1.", ".5", "1e", "-", "NaN", "Infinity", "tru", "nul",
		"\"a", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
		"\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\nb\"", "\"\x01\"",
		"\"\xff\"", "\"\xc0\xaf\"", "\"</script>\"", "\"a>b\"",
		"\"a&b\"", "\"\xe2\x80\xa8\"", "{\"a\":1,\"a\":2}", "1 2",
		"[1] x", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		"[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
		"]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	char why[CHECK_WHY], *s;
	size_t i, n;
	int count = 0;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check_json(good[i], strlen(good[i]), NULL, NULL, why) < 0)
			fail_msg("refused %s: %s", good[i], why);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (check_json(bad[i], strlen(bad[i]), NULL, NULL, why) == 0)
			fail_msg("accepted %s", bad[i]);
	s = slurp(GOLDEN "article.json", &n);
	if (check_json(s, n, html_member, &count, why) < 0)
		fail_msg("article.json refused: %s", why);
	assert_true(count >= 6);
	free(s);
	/* the html member is checked, decoded */
	s = "{\"html\":\"\\u003cscript\\u003ex\\u003c/script\\u003e\"}";
	assert_int_equal(check_json(s, strlen(s), html_member, &count, why),
			 -1);
	s = "{\"html\":\"\\u003cp\\u003ex\\u003c/p\\u003e\"}";
	assert_int_equal(check_json(s, strlen(s), html_member, &count, why),
			 0);
}

static void test_atom(void **state)
{
	static const char head[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		"<id>x</id><title>t</title><updated>2024-07-29T08:00:00Z"
		"</updated><author><name>n</name></author>";
	static const char *const bad[] = {
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id>",
		"<?xml version=\"1.0\"?><feed><id>x</id><title>t</title>"
		"<updated>2024-07-29T08:00:00Z</updated><author><name>n</name>"
		"</author></feed>",
		"<!DOCTYPE feed [<!ENTITY x \"y\">]>"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
		"%s<entry><id>1</id><title>a & b</title></entry></feed>",
		"%s<entry><id>1</id><title>t</title><updated>"
		"2024-07-29T08:00:00Z</updated><published>2024-07-29T08:00:00Z"
		"</published><author><name>n</name></author><content "
		"type=\"html\">&lt;script&gt;x&lt;/script&gt;</content>"
		"</entry></feed>",
		"%s<entry><id>1</id><title>t</title><updated>"
		"2024-07-29T08:00:00Z</updated><published>2024-07-29T08:00:00Z"
		"</published><author><name>n</name></author><content "
		"type=\"text\">x</content></entry></feed>",
		"%s<entry><id>1</id><title>t</title><updated>"
		"29 Jul 2024</updated><published>2024-07-29T08:00:00Z"
		"</published><author><name>n</name></author><content "
		"type=\"html\">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>",
		"%s<entry><id>1</id><title>\x01</title></entry></feed>",
		"%s<entry><id>1</id><title>\xff</title></entry></feed>",
	};
	char why[CHECK_WHY], *s;
	size_t i, n;

	(void)state;
	s = slurp(GOLDEN "article.atom", &n);
	if (check_atom(s, n, why) < 0)
		fail_msg("article.atom refused: %s", why);
	free(s);
	s = slurp(GOLDEN "all_comments.atom", &n);
	if (check_atom(s, n, why) < 0)
		fail_msg("all_comments.atom refused: %s", why);
	free(s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = strncmp(bad[i], "%s", 2) == 0 ?
			    xasprintf("%s%s", head, bad[i] + 2) :
			    xstrdup(bad[i]);
		if (check_atom(s, strlen(s), why) == 0)
			fail_msg("accepted %s", s);
		free(s);
	}
}

static void test_text_and_clean(void **state)
{
	char why[CHECK_WHY], *s, *hrefs;
	const char *t;
	size_t n;

	(void)state;
	assert_int_equal(check_text("a\tb\xc3\xa9", 5, "\t", why), 0);
	assert_int_equal(check_text("a\tb", 3, "", why), -1);
	assert_int_equal(check_text("a\0b", 3, "\t", why), -1);
	assert_int_equal(check_text("\xed\xa0\x80", 3, "", why), -1);
	s = check_clean("a\x01\xff\t\xef\xbf\xbf", 7, 0, &n);
	assert_string_equal(s, "a\xef\xbf\xbd\xef\xbf\xbd\t\xef\xbf\xbd");
	free(s);
	s = check_clean("a\t\r\nb", 5, 1, &n);
	assert_string_equal(s, "a   b");
	free(s);
	s = check_unescape("&lt;&amp;&#39;&#x41;&quot;", 26, &n);
	assert_string_equal(s, "<&'A\"");
	free(s);
	assert_null(check_unescape("&nbsp;", 6, &n));
	assert_null(check_unescape("&#;", 3, &n));
	t = "<p>a &amp; <a href=\"https://x/?a=1&amp;b\" "
	    "rel=\"nofollow ugc noopener\">b</a></p>\n";
	s = check_html_text(t, strlen(t), &hrefs);
	assert_string_equal(s, "a & b\n");
	assert_string_equal(hrefs, "https://x/?a=1&b\n");
	free(s);
	free(hrefs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_accepts_output),
		cmocka_unit_test(test_html_refuses),
		cmocka_unit_test(test_html_section),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_atom),
		cmocka_unit_test(test_text_and_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
