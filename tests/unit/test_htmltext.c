/* test_htmltext.c: HTML to text: paragraphs, divs, br, lists, links, dropped
 * elements, entities, whitespace, and the quote markers of Gmail,
 * Outlook, Thunderbird, Yahoo, Proton and plain blockquotes, and an <hr>
 * that a quoted message's header line follows. */
#include "testutil.h"

#include "htmltext.h"
#include "util.h"

static char *conv(const char *html)
{
	struct buf b;

	buf_init(&b);
	assert_int_equal(htmltext_convert(html, strlen(html), NULL, &b), 0);
	/* the tests compare without the final newline */
	while (b.len > 0 && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	return buf_detach(&b);
}

static void expect(const char *html, const char *want)
{
	char *t = conv(html);

	assert_string_equal(t, want);
	free(t);
}

static void test_paragraphs(void **state)
{
	(void)state;
	expect("<p>One</p><p>Two</p>", "One\n\nTwo");
	expect("<h1>Title</h1>Text<hr>After", "Title\n\nText\n\nAfter");
	expect("<body><div>a</div><div>b</div></body>", "a\n\nb");
	/* Gmail: divs inside a div are lines */
	expect("<div dir=\"ltr\">Line one<div>Line two</div><div><br></div>"
	       "<div>Line three</div></div>",
	       "Line one\nLine two\n\nLine three");
	expect("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr>"
	       "</table>",
	       "a b\n\nc");
	expect("<pre>  keep\n    this</pre>", "  keep\n    this");
}

static void test_br(void **state)
{
	(void)state;
	expect("a<br>b", "a\nb");
	expect("a<br><br>b", "a\n\nb");
	expect("<div>a<br></div><div>b</div>", "a\n\nb");
	expect("<div><div>a<br></div><div>b</div></div>", "a\nb");
}

static void test_lists(void **state)
{
	(void)state;
	expect("<ul><li>one</li><li>two</li></ul>", "- one\n- two");
	expect("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two");
	expect("<ol start=\"3\"><li>c</li></ol>", "3. c");
	/* (in a body: libxml2 wraps text that opens a document in a <p>) */
	expect("<body>Intro<ul><li>x</li></ul>Outro</body>",
	       "Intro\n- x\nOutro");
}

static void test_links(void **state)
{
	(void)state;
	expect("See <a href=\"https://example.org/a\">this page</a>.",
	       "See this page (https://example.org/a).");
	expect("<a href=\"https://example.org/\">https://example.org/</a>",
	       "https://example.org/");
	expect("<a href=\"mailto:jean@example.org\">jean@example.org</a>",
	       "mailto:jean@example.org");
	expect("<a href=\"mailto:c%2Bslug@x.org\">c+slug@x.org</a>",
	       "mailto:c%2Bslug@x.org");
	expect("<a href=\"mailto:jean@example.org\">Jean</a>",
	       "Jean (mailto:jean@example.org)");
	expect("<a name=\"x\">anchor</a> and <a href=\"#top\">top</a>",
	       "anchor and top");
	expect("<a href=\"https://x.org\"><img src=\"logo.png\"></a>",
	       "https://x.org");
}

static void test_dropped(void **state)
{
	(void)state;
	expect("<html><head><title>T</title><style>p{color:red}</style>"
	       "</head><body><script>alert(1)</script><p>Text"
	       "<img src=x alt=\"img\"></p></body></html>",
	       "Text");
}

static void test_entities_and_space(void **state)
{
	(void)state;
	expect("caf&eacute; &amp; th&#233; &lt;ok&gt; &#x263A;",
	       "caf\xC3\xA9 & th\xC3\xA9 <ok> \xE2\x98\xBA");
	expect("<p>  many   spaces\n and\tlines  </p>",
	       "many spaces and lines");
	expect("<b>bold</b> <i>italic</i>", "bold italic");
}

static void test_blockquote(void **state)
{
	(void)state;
	expect("<p>Reply</p><blockquote><p>Quoted one</p><p>Quoted two</p>"
	       "</blockquote>",
	       "Reply\n\n> Quoted one\n> \n> Quoted two");
	expect("<blockquote>a<blockquote>b</blockquote></blockquote>",
	       "> a\n> \n> > b");
}

static void test_gmail(void **state)
{
	(void)state;
	expect("<div dir=\"ltr\">Merci !</div><br><div class=\"gmail_quote\">"
	       "<div dir=\"ltr\" class=\"gmail_attr\">On Mon, Jul 29, 2024 at "
	       "10:00 AM Jean &lt;j@x.org&gt; wrote:<br></div>"
	       "<blockquote class=\"gmail_quote\" style=\"margin:0\">"
	       "Bonjour<br>ligne 2</blockquote></div>",
	       "Merci !\n\n\nOn Mon, Jul 29, 2024 at 10:00 AM Jean <j@x.org> "
	       "wrote:\n\n> Bonjour\n> ligne 2");
	/* the container quotes even without a blockquote */
	expect("<p>A</p><div class=\"gmail_quote gmail_quote_container\">"
	       "<div>old</div></div>",
	       "A\n\n> old");
}

static void test_outlook(void **state)
{
	(void)state;
	expect("<div>My answer</div><div id=\"appendonsend\"></div><hr>"
	       "<div id=\"divRplyFwdMsg\"><b>From:</b> X<br><b>Sent:</b> "
	       "Monday</div><div>Original text</div>",
	       "My answer\n\n> From: X\n> Sent: Monday\n> \n> Original text");
	expect("<p>Yes</p><div id=\"divRplyFwdMsg\">From: X</div><p>q</p>",
	       "Yes\n\n> From: X\n> \n> q");
	/* an <hr> with a header line of any language under it opens the
	 * quoted message */
	expect("<div>Danke</div><hr><div><b>Von:</b> Blog<br><b>Datum:</b> x"
	       "</div><div>alt</div>",
	       "Danke\n\n> Von: Blog\n> Datum: x\n> \n> alt");
	expect("<p>Merci</p><hr><p><b>De&nbsp;:</b> Blog</p><p>vieux</p>",
	       "Merci\n\n> De\xC2\xA0: Blog\n> \n> vieux");
	expect("<p>Hvala</p><hr><div>-----Original Message-----</div><p>old</p>",
	       "Hvala\n\n> -----Original Message-----\n> \n> old");
	/* an <hr> between the writer's own paragraphs is only a break */
	expect("<p>First</p><hr><p>From my side: nothing.</p><p>Anne</p>",
	       "First\n\nFrom my side: nothing.\n\nAnne");
	expect("<p>First</p><hr>", "First");
	/* OWA forwarded through OWA prefixes its ids with x_ */
	expect("<p>Ok</p><div id=\"x_divRplyFwdMsg\">From: X</div><p>q</p>",
	       "Ok\n\n> From: X\n> \n> q");
}

static void test_thunderbird_and_yahoo(void **state)
{
	(void)state;
	expect("<p>Agreed.</p><div class=\"moz-cite-prefix\">On 29/07/2024 "
	       "10:00, Jean wrote:<br></div><blockquote type=\"cite\">"
	       "<p>Original</p></blockquote>",
	       "Agreed.\n\n> On 29/07/2024 10:00, Jean wrote:\n> \n> Original");
	/* the attribution above the blockquote is quoted, in any language,
	 * and the writer's sign-off above it stays */
	expect("<p>D\xC3\xADky</p><p>Jan</p><div class=\"moz-cite-prefix\">Dne "
	       "5. 6. 24 Blog napsal(a):<br></div><blockquote type=\"cite\">"
	       "old</blockquote>",
	       "D\xC3\xADky\n\nJan\n\n> Dne 5. 6. 24 Blog napsal(a):\n> \n> old");
	expect("<div>Sara</div><div class=\"protonmail_quote\">On Wed, X wrote:"
	       "<br><blockquote class=\"protonmail_quote\">old</blockquote></div>",
	       "Sara\n\n> On Wed, X wrote:\n> \n> old");
	expect("<div>Oui</div><div class=\"yahoo_quoted\"><div>Le lundi, X a "
	       "\xC3\xA9" "crit :</div><div>texte</div></div>",
	       "Oui\n\n> Le lundi, X a \xC3\xA9" "crit :\n> texte");
}

static void test_deep_and_broken(void **state)
{
	struct buf in, out;
	int i;

	(void)state;
	buf_init(&in);
	for (i = 0; i < 100000; i++)
		buf_adds(&in, "<div><blockquote>");
	buf_adds(&in, "deep");
	buf_init(&out);
	assert_int_equal(htmltext_convert(in.s, in.len, NULL, &out), 0);
	buf_free(&out);
	buf_free(&in);
	expect("<p>unclosed <b>tags <div>everywhere", "unclosed tags\neverywhere");
	expect("", "");
}

static void test_list_start_bounded(void **state)
{
	(void)state;
	/* a counter that would pass LLONG_MAX: clamped to an int, as
	 * browsers do, and counting on without overflow */
	expect("<ol start=\"9223372036854775807\"><li>x</li><li>y</li></ol>",
	       "2147483647. x\n2147483648. y");
	expect("<ol start=\"99999999999999999999999999\"><li>x</li></ol>",
	       "2147483647. x");
	expect("<ol start=\"-9223372036854775808\"><li>x</li><li>y</li></ol>",
	       "-2147483647. x\n-2147483646. y");
	expect("<ol start=\" +7th\"><li>x</li></ol>", "7. x");
	expect("<ol start=\"abc\"><li>x</li></ol>", "1. x");
	expect("<ol start=\"-0\"><li>x</li></ol>", "0. x");
}

/* Converts html under lim; returns the text, the result in *rc. */
static char *conv_lim(const char *html, size_t len,
		      const struct htmltext_limits *lim, int *rc)
{
	struct buf b;

	buf_init(&b);
	*rc = htmltext_convert(html, len, lim, &b);
	return buf_detach(&b);
}

static void test_limits(void **state)
{
	struct htmltext_limits lim = { 0, 0, 0, 0 };
	struct buf in;
	char *t, *t2;
	int rc, i;

	(void)state;
	/* within the limits: all of it, and 0 */
	lim.elements = 100;
	t = conv_lim("<p>a</p><p>b</p>", 16, &lim, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t, "a\n\nb\n");
	free(t);
	/* html, body, then p: reading stops at the fifth element */
	lim.elements = 5;
	t = conv_lim("<p>a<p>b<p>c<p>d", 16, &lim, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(t, "a\n\nb\n");
	free(t);
	/* depth: html, body, then the divs */
	lim.elements = 0;
	lim.depth = 4;
	t = conv_lim("<div>a<div>b<div>c<div>d", 24, &lim, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(t, "a\n");
	lim.depth = 5;
	t2 = conv_lim("<div>a<div>b<div>c<div>d", 24, &lim, &rc);
	assert_string_equal(t2, "a\nb\n");
	free(t2);
	free(t);
	/* lines, and bytes with the quote marks counted */
	lim.depth = 0;
	lim.lines = 2;
	t = conv_lim("x<br>y<br>z<br>w", 16, &lim, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(t, "x\ny\n");
	free(t);
	lim.lines = 0;
	lim.size = 9;
	t = conv_lim("<blockquote>ab<br>cd</blockquote>", 33, &lim, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(t, "> ab\n");
	free(t);
	lim.size = 10;
	t = conv_lim("<blockquote>ab<br>cd</blockquote>", 33, &lim, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t, "> ab\n> cd\n");
	free(t);
	/* 100,000 nested blockquotes under the default limits: the text
	 * stays small (each line would carry 100,000 "> ") */
	buf_init(&in);
	for (i = 0; i < 100000; i++)
		buf_adds(&in, "<blockquote>x");
	lim.elements = 20000;
	lim.depth = 256;
	lim.size = 1 << 20;
	lim.lines = 20000;
	t = conv_lim(in.s, in.len, &lim, &rc);
	assert_int_equal(rc, 1);
	assert_true(strlen(t) <= (1 << 20));
	assert_true(strncmp(t, "> x\n", 4) == 0);
	free(t);
	buf_free(&in);
}

static void test_attributes_and_tokens(void **state)
{
	struct buf in;
	int i;

	(void)state;
	/* libxml2 is shown at most 100 attributes of a tag */
	buf_init(&in);
	buf_adds(&in, "<a href=\"https://x.org/\"");
	for (i = 0; i < 200; i++)
		buf_addf(&in, " x%d", i);
	buf_adds(&in, ">t</a>");
	expect(in.s, "t (https://x.org/)");
	buf_reset(&in);
	buf_adds(&in, "<a");
	for (i = 0; i < 100; i++)
		buf_addf(&in, " x%d=\"v\"", i);
	buf_adds(&in, " href=\"https://x.org/\">t</a>");
	expect(in.s, "t");
	buf_free(&in);
	/* values in any quotes, or none, are read as libxml2 reads them */
	expect("<a href='https://x.org/?q=\"a\"'>t</a>",
	       "t (https://x.org/?q=\"a\")");
	expect("<a href=https://x.org/a&amp;b>t</a>", "t (https://x.org/a&b)");
	expect("<p title=\"a>b\">x</p><p title='<p>'>y</p>", "x\n\ny");
	expect("<a href=u/>t</a>", "t (u/)");
	/* what is never text goes, a stray '<' stays */
	expect("<!-- <p>hidden</p> -->x<!-- a -- b --!>y", "xy");
	expect("<style>p { content: \"</p>\" }</style>After", "After");
	expect("<script>if (a < b) { x = '</div>'; }</script>After", "After");
	expect("<?php echo 1; ?>a < b <3 </ c", "a < b <3 c");
	expect("<!DOCTYPE html><p>x</p>", "x");
	expect("<p>a<![if !supportLists]>b<![endif]></p>",
	       "a<![if !supportLists]>b<![endif]>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_br),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_entities_and_space),
		cmocka_unit_test(test_blockquote),
		cmocka_unit_test(test_gmail),
		cmocka_unit_test(test_outlook),
		cmocka_unit_test(test_thunderbird_and_yahoo),
		cmocka_unit_test(test_deep_and_broken),
		cmocka_unit_test(test_list_start_bounded),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_attributes_and_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
