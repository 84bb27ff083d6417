/* test_markup.c: comment bodies to HTML: CommonMark with raw HTML shown
 * as text, only http/https/mailto links (with rel), bare URLs linked,
 * images never loaded, addresses masked however they are written; and
 * the plain-text format.  Stored renderings: every output passes
 * markup_html_plausible(), what we never write does not, and a change
 * of the output fails until MARKUP_VERSION is bumped. */
#include "testutil.h"

#include "markup.h"
#include "util.h"

static int keep_gateway(const char *addr, void *arg)
{
	(void)arg;
	return strcmp(addr, "comments+slug@example.org") == 0;
}

static char *md(const char *body)
{
	struct markup_opts o = { MARKUP_MARKDOWN, "[hidden]", keep_gateway,
				 NULL };
	struct buf b;

	buf_init(&b);
	markup_body(&b, body, &o);
	return buf_detach(&b);
}

static char *txt(const char *body)
{
	struct markup_opts o = { MARKUP_TEXT, "[hidden]", keep_gateway, NULL };
	struct buf b;

	buf_init(&b);
	markup_body(&b, body, &o);
	return buf_detach(&b);
}

#define A(url) "<a href=\"" url "\" rel=\"nofollow ugc noopener\">"

static void check(char *(*f)(const char *), const char *in, const char *want)
{
	char *got = f(in);

	if (strcmp(got, want) != 0)
		fail_msg("body \"%s\"\n got: \"%s\"\nwant: \"%s\"", in, got,
			 want);
	free(got);
}

/* Fails if the output holds needle (case-insensitive). */
static void check_not(const char *in, const char *needle)
{
	char *got = md(in);

	if (strcasestr(got, needle))
		fail_msg("body \"%s\" gave \"%s\", which holds \"%s\"", in, got,
			 needle);
	free(got);
}

static void test_basic_markdown(void **state)
{
	(void)state;
	check(md, "Hello *world* and **bold** `code`.",
	      "<p>Hello <em>world</em> and <strong>bold</strong> "
	      "<code>code</code>.</p>\n");
	check(md, "# Title\n\ntext", "<p><strong>Title</strong></p>\n"
				     "<p>text</p>\n");
	check(md, "- a\n- b\n", "<ul>\n<li>a\n</li>\n<li>b\n</li>\n</ul>\n");
	check(md, "3. x\n4. y\n", "<ol start=\"3\">\n<li>x\n</li>\n<li>y\n"
				  "</li>\n</ol>\n");
	check(md, "> quoted\n", "<blockquote>\n<p>quoted</p>\n</blockquote>\n");
	check(md, "    code <b>\n", "<pre><code>code &lt;b&gt;\n</code></pre>\n");
	check(md, "a  \nb", "<p>a<br>\nb</p>\n");
	check(md, "---\n", "<hr>\n");
	check(md, "", "");
}

static void test_links(void **state)
{
	(void)state;
	check(md, "[site](https://example.org/a?b=1&c=2)",
	      "<p>" A("https://example.org/a?b=1&amp;c=2") "site</a></p>\n");
	check(md, "<http://example.org>",
	      "<p>" A("http://example.org") "http://example.org</a></p>\n");
	check(md, "[ref][1]\n\n[1]: https://example.org/r \"t\"",
	      "<p>" A("https://example.org/r") "ref</a></p>\n");
	check(md, "[x](javascript:alert(1))", "<p>x</p>\n");
	check(md, "[x](JAVASCRIPT:alert(1))", "<p>x</p>\n");
	check(md, "[x](&#106;avascript:alert(1))", "<p>x</p>\n");
	check(md, "[x](java&#9;script:alert(1))", "<p>x</p>\n");
	check(md, "[x](<javascript:alert(1)>)", "<p>x</p>\n");
	check(md, "[x](data:text/html,<script>alert(1)</script>)",
	      "<p>x</p>\n");
	check(md, "[x](/relative)", "<p>x</p>\n");
	check(md, "[x][r]\n\n[r]: vbscript:x", "<p>x</p>\n");
	check(md, "<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n");
	check(md, "[](https://example.org/)",
	      "<p>" A("https://example.org/") "https://example.org/</a>"
	      "</p>\n");
	check(md, "[a \" onmouseover=x](https://e.org/\"onmouseover=\"x)",
	      "<p>" A("https://e.org/&quot;onmouseover=&quot;x") "a &quot; "
	      "onmouseover=x</a></p>\n");
}

static void test_images(void **state)
{
	(void)state;
	check(md, "![a cat](https://example.org/cat.png)",
	      "<p>" A("https://example.org/cat.png") "a cat</a></p>\n");
	check(md, "![x](javascript:alert(1))", "<p>x</p>\n");
	check(md, "[![in](https://e.org/i.png)](https://e.org/)",
	      "<p>" A("https://e.org/") "in</a></p>\n");
	check_not("![x](https://e.org/i.png)", "<img");
}

static void test_raw_html_is_text(void **state)
{
	(void)state;
	check(md, "<script>alert(1)</script>",
	      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	check(md, "a <img src=x onerror=alert(1)> b",
	      "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n");
	check(md, "<div>\n*x*\n</div>",
	      "<p>&lt;div&gt;\n*x*\n&lt;/div&gt;</p>\n");
	check(md, "<!-- mailcomments:end -->",
	      "<p>&lt;!-- mailcomments:end --&gt;</p>\n");
	check_not("<svg onload=alert(1)>", "<svg");
	check_not("<iframe src=x>", "<iframe");
	check_not("<a href=\"javascript:x\">y</a>", "<a href=\"javascript");
}

static void test_bare_urls(void **state)
{
	(void)state;
	check(md, "see https://example.org/page.",
	      "<p>see " A("https://example.org/page") "https://example.org/"
	      "page</a>.</p>\n");
	check(md, "(https://en.wikipedia.org/wiki/C_(langage))",
	      "<p>(" A("https://en.wikipedia.org/wiki/C_(langage)")
	      "https://en.wikipedia.org/wiki/C_(langage)</a>)</p>\n");
	check(md, "«\u00a0https://fr.wikipedia.org/wiki/Vélo_(véhicule)\u00a0»",
	      "<p>«\u00a0" A("https://fr.wikipedia.org/wiki/Vélo_(véhicule)")
	      "https://fr.wikipedia.org/wiki/Vélo_(véhicule)</a>\u00a0»</p>\n");
	check(md, "https://example.org’s page",
	      "<p>" A("https://example.org") "https://example.org</a>’s "
	      "page</p>\n");
	check(md, "`https://example.org`",
	      "<p><code>https://example.org</code></p>\n");
	check(md, "xhttps://example.org", "<p>xhttps://example.org</p>\n");
	check(md, "https://", "<p>https://</p>\n");
	check(txt, "go to http://example.org/?a=1&b=2, now",
	      "<p>go to " A("http://example.org/?a=1&amp;b=2")
	      "http://example.org/?a=1&amp;b=2</a>, now</p>\n");
}

static void test_addresses_masked(void **state)
{
	(void)state;
	check(md, "mail me: john@example.com",
	      "<p>mail me: [hidden]</p>\n");
	check(md, "<john@example.com>", "<p>[hidden]</p>\n");
	check(md, "[write](mailto:john@example.com)", "<p>write</p>\n");
	check(md, "[john@example.com](https://example.org/)",
	      "<p>" A("https://example.org/") "[hidden]</a></p>\n");
	check(md, "[x](https://example.org/?u=john%40example.com)",
	      "<p>x</p>\n");
	check(md, "[x](mailto:comments+slug@example.org?subject=hi)",
	      "<p>" A("mailto:comments+slug@example.org?subject=hi")
	      "x</a></p>\n");
	check(md, "[x](mailto:comments+slug@example.org?cc=j@example.com)",
	      "<p>x</p>\n");
	/* Split by emphasis, escapes or entities: still one address. */
	check_not("john@*example*.com", "example");
	check_not("john\\@example.com", "john");
	check_not("john&#64;example&#46;com", "john");
	check_not("**john**@example.com", "john");
	check(md, "`john@example.com`", "<p><code>[hidden]</code></p>\n");
	check(md, "    john@example.com\n",
	      "<pre><code>[hidden]\n</code></pre>\n");
	check(md, "<p>john@example.com</p>",
	      "<p>&lt;p&gt;[hidden]&lt;/p&gt;</p>\n");
	check(txt, "john@example.com", "<p>[hidden]</p>\n");
	/* A link without text shows its target: joined to the text after
	 * it, that reads as an address (found by fuzz_markup). */
	check_not("[](mailto:john.smith)@example.com", "@example.com");
	check_not("[](https://x.test/john.smith)@example.com",
		  "@example.com");
	check_not("![](mailto:john.smith)@example.com", "@example.com");
}

static char *text_of(const char *body, enum markup_format f)
{
	struct markup_opts o = { f, "[hidden]", keep_gateway, NULL };
	struct buf b;

	buf_init(&b);
	markup_text(&b, body, &o);
	return buf_detach(&b);
}

/* JSON's "text" and the mails that quote a comment never hold what the
 * page hides: for each body, neither the HTML nor the text shows any
 * part of the address. */
static void test_text_masks_like_html(void **state)
{
	static const char *const bodies[] = {
		"mail me: john@example.com",
		"john\\@example.com",
		"john&#64;example&#46;com",
		"john&commat;example.com",
		"john@*example*.com",
		"[john](https://x.test/)@example.com",
		"<john@example.com>",
		"[write](mailto:john&#64;example.com)",
		"[write][r]\n\n[r]: mailto:john&#64;example.com",
		"![photo](mailto:john%40example.com)",
		"`john@example.com`",
		"    john@example.com\n",
		"<p>john&#64;example.com</p>",
		"john\u00ad@exa\u200bmple.com",
		"john\uff20example.com",
		"*john*\uff20*example*.com",
		"john @ example.com",
	};
	const enum markup_format fmts[] = { MARKUP_MARKDOWN, MARKUP_TEXT };
	size_t i, f;

	(void)state;
	for (f = 0; f < 2; f++)
		for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
			char *t = text_of(bodies[i], fmts[f]);

			/* plain text reads no markup: only what it shows
			 * as text must go */
			if (fmts[f] == MARKUP_TEXT &&
			    (strchr(bodies[i], '&') || strchr(bodies[i], '\\') ||
			     strchr(bodies[i], '*') || strchr(bodies[i], ']'))) {
				free(t);
				continue;
			}
			if (strcasestr(t, "john") || strcasestr(t, "example"))
				fail_msg("text of \"%s\" is \"%s\"", bodies[i],
					 t);
			if (fmts[f] == MARKUP_MARKDOWN)
				check_not(bodies[i], "john");
			free(t);
		}
	/* Deeply nested, the fallback stays linear (cmark would repeat
	 * 3,000 quote markers on each of 2,000 lines). */
	{
		struct buf b;
		char *t;
		int k;

		buf_init(&b);
		for (k = 0; k < 3000; k++)
			buf_adds(&b, "> ");
		buf_adds(&b, "john\\@example.com\n");
		for (k = 0; k < 2000; k++)
			buf_adds(&b, "a\n");
		t = text_of(b.s, MARKUP_MARKDOWN);
		assert_null(strstr(t, "john"));
		assert_true(strlen(t) < 2 * b.len);
		free(t);
		buf_free(&b);
	}
	/* Most bodies are kept exactly as written. */
	{
		char *t = text_of("Merci **Claire** ! Écrivez-moi : "
				  "claire@example.fr\n> cité\n",
				  MARKUP_MARKDOWN);

		assert_string_equal(t, "Merci **Claire** ! Écrivez-moi : "
				       "[hidden]\n> cité\n");
		free(t);
	}
}

static void test_plain_text(void **state)
{
	(void)state;
	check(txt, "Line 1\nLine 2\r\n\n\n  \nPara 2 *not em* <b>",
	      "<p>Line 1<br>\nLine 2</p>\n<p>Para 2 *not em* &lt;b&gt;</p>\n");
	check(txt, "", "");
	check(txt, "\n\n", "");
}

static void test_invalid_utf8(void **state)
{
	char *got;

	(void)state;
	got = md("caf\xe9 \xff");
	assert_string_equal(got, "<p>caf\xef\xbf\xbd \xef\xbf\xbd</p>\n");
	free(got);
}

/* Deep nesting must not exhaust the stack. */
static void test_deep_nesting(void **state)
{
	size_t n = 50000, i;
	char *body = malloc(2 * n + 2), *got;

	(void)state;
	for (i = 0; i < n; i++) {
		body[2 * i] = '>';
		body[2 * i + 1] = ' ';
	}
	body[2 * n] = 'x';
	body[2 * n + 1] = '\0';
	got = md(body);
	assert_non_null(strstr(got, "<p>x</p>"));
	free(got);
	for (i = 0; i < n; i++)
		body[i] = '[';
	body[n] = '\0';
	got = md(body);
	assert_non_null(got);
	free(got);
	free(body);
}


/* Bodies that between them use every construct the renderer writes. */
static const char *const corpus[] = {
	"Hello *world* and **bold** and `code`.",
	"# Title\n\n## Sub\n\nText",
	"- one\n- two\n\n1. a\n2. b\n\n7. seven\n8. eight",
	"> quoted\n> > twice\n\nafter",
	"```\nint x = 1 < 2;\n```\n\n    indented code",
	"line one  \nhard break\\\nagain\n\n---\n\nend",
	"[ok](https://example.org/a?b=1&c=\"2\") [no](javascript:alert(1))"
	" [rel](/relative) <https://auto.example.org/>",
	"![alt *text*](https://example.org/i.png) ![x](data:image/png,x)",
	"bare https://fr.wikipedia.org/wiki/V%C3%A9lo_(ville). and http://x.org",
	"mail me: bob@example.net, b&#64;ex.org, [me](mailto:bob@example.net),"
	" [us](mailto:comments+slug@example.org) bob\xc2\xad@example.net",
	"<script>alert(1)</script> <b onclick=x>b</b> &amp; &lt; &#x3C; \\<",
	"invalid \xff\xfe bytes and \xe2\x80\xae bidi",
	"'quotes' \"double\" <>&",
};

static void digest_add(struct buf *all, const char *body,
		       enum markup_format f)
{
	struct markup_opts o = { f, "[hidden]", keep_gateway, NULL };
	struct buf b;

	buf_init(&b);
	markup_body(&b, body, &o);
	if (!markup_html_plausible(b.s))
		fail_msg("body \"%s\": our own output \"%s\" is refused", body,
			 b.s);
	buf_add(all, b.s, b.len + 1);
	buf_reset(&b);
	markup_text(&b, body, &o);
	buf_add(all, b.s, b.len + 1);
	buf_free(&b);
}

/* Our output is never refused, whatever the body: a refused one would be
 * rendered at every render. */
static void test_plausible_accepts_ours(void **state)
{
	struct buf all, line;
	FILE *f = fopen("tests/xss-payloads.txt", "r");
	char raw[4096];
	size_t i;

	(void)state;
	buf_init(&all);
	buf_init(&line);
	for (i = 0; i < sizeof(corpus) / sizeof(*corpus); i++) {
		digest_add(&all, corpus[i], MARKUP_MARKDOWN);
		digest_add(&all, corpus[i], MARKUP_TEXT);
	}
	while (f && fgets(raw, sizeof(raw), f)) {
		if (raw[0] == '#' || raw[0] == '\n')
			continue;
		buf_reset(&line);
		buf_adds(&line, raw);
		digest_add(&all, line.s, MARKUP_MARKDOWN);
		digest_add(&all, line.s, MARKUP_TEXT);
	}
	if (f)
		fclose(f);
	buf_free(&all);
	buf_free(&line);
}

static void test_plausible_refuses(void **state)
{
	static const char *const bad[] = {
		"<script>x</script>",
		"<p onclick=\"x\">",
		"<P>",
		"<img src=x>",
		"<a href=\"javascript:x\" rel=\"nofollow ugc noopener\">",
		"<a href=\"data:text/html,x\" rel=\"nofollow ugc noopener\">",
		"<a href=\" javascript:x\" rel=\"nofollow ugc noopener\">",
		"<a href=\"https://x\" onclick=\"y\" rel=\"nofollow ugc noopener\">",
		"<a href=\"https://x\">",
		"<a href=\"https://x\" rel=\"nofollow ugc noopener\" >",
		"<a href=\"https://x\"rel=\"nofollow ugc noopener\">",
		"<a href=\"https://x<script>\" rel=\"nofollow ugc noopener\">",
		"<a href=\"https://x\ty\" rel=\"nofollow ugc noopener\">",
		"<ol start=\"\">", "<ol start=\"1\" x>", "<ol start=\"1 \">",
		"</section>", "<!-- x -->", "<", "text <p",
		/* near the tags we write: no other name, no other side */
		"<a>", "</hr>", "</br>", "<pp>", "</pp>", "<emm>", "<e>",
		"<>", "</>", "<strongx>", "</blockquot>", "<blockquotes>",
		"<em", "<Em>", "<h1>", "<li >", "< p>", "<//p>", "<co de>",
		"<pre\n>", "<code\0>",
	};
	static const char *const good[] = {
		"<p>", "</p>", "</a>", "<em>", "</em>", "<strong>",
		"</strong>", "<blockquote>", "</blockquote>", "<code>",
		"</code>", "<li>", "</li>", "<ul>", "</ul>", "<ol>", "</ol>",
		"<pre>", "</pre>", "<hr>", "<br>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (markup_html_plausible(bad[i]))
			fail_msg("\"%s\" passes", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!markup_html_plausible(good[i]))
			fail_msg("\"%s\" fails", good[i]);
	assert_true(markup_html_plausible(""));
	assert_true(markup_html_plausible("a &lt; b &amp;&gt; \" ' >"));
	assert_true(markup_html_plausible(
		"<ol start=\"12\">\n<li><a href=\"HTTPS://x.org/?a=1&amp;b\""
		" rel=\"nofollow ugc noopener\">x</a></li>\n</ol>\n"));
}

/* The digest of the corpus's outputs for this MARKUP_VERSION.  When the
 * output changes on purpose, bump MARKUP_VERSION (markup.h) and put the
 * new digest here: stored renderings are then made again. */
#define CORPUS_VERSION 1
#define CORPUS_DIGEST \
	"c60d1c45864addb729e6751df1706e489f7027734a7e6c0f3df0c6aef78c03b6"

static void test_version_follows_output(void **state)
{
	struct buf all;
	char hex[65];
	size_t i;

	(void)state;
	buf_init(&all);
	for (i = 0; i < sizeof(corpus) / sizeof(*corpus); i++) {
		digest_add(&all, corpus[i], MARKUP_MARKDOWN);
		digest_add(&all, corpus[i], MARKUP_TEXT);
	}
	sha256_hex(all.s, all.len, hex);
	buf_free(&all);
	if (MARKUP_VERSION != CORPUS_VERSION || strcmp(hex, CORPUS_DIGEST))
		fail_msg("the renderer's output changed (digest %s): bump "
			 "MARKUP_VERSION in src/markup.h (it is %d), then set "
			 "CORPUS_VERSION to it and CORPUS_DIGEST to this digest",
			 hex, MARKUP_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_markdown),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_raw_html_is_text),
		cmocka_unit_test(test_bare_urls),
		cmocka_unit_test(test_addresses_masked),
		cmocka_unit_test(test_text_masks_like_html),
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_plausible_accepts_ours),
		cmocka_unit_test(test_plausible_refuses),
		cmocka_unit_test(test_version_follows_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
