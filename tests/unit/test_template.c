/* test_template.c: the template language: escaping by default, HTML only
 * through triple braces, blocks, comments, lines of block tags dropped,
 * and every kind of mistake reported with the template's name and line;
 * plus the built-in templates, which must parse. */
#include "testutil.h"

#include "template.h"
#include "util.h"

enum { V_NAME, V_BODY, V_FLAG, V_EMPTY, NV };

static const struct template_var vars[NV] = {
	{ "name", TEMPLATE_TEXT },
	{ "body", TEMPLATE_HTML },
	{ "flag", TEMPLATE_BOOL },
	{ "empty", TEMPLATE_TEXT },
};

static char *apply(const char *text, int flag)
{
	struct template_val v[NV];
	struct template *t;
	struct mc_err err;
	struct buf b;

	memset(v, 0, sizeof(v));
	v[V_NAME].s = "<Zoé & \"Co\">";
	v[V_BODY].s = "<p>ok</p>";
	v[V_FLAG].b = flag;
	v[V_EMPTY].s = "";
	if (template_parse(&t, "t.html", text, strlen(text), vars, NV, &err) <
	    0)
		fail_msg("%s", err.msg);
	buf_init(&b);
	template_render(t, v, &b);
	template_free(t);
	return buf_detach(&b);
}

static void check(const char *text, int flag, const char *want)
{
	char *got = apply(text, flag);

	if (strcmp(got, want) != 0)
		fail_msg("template \"%s\"\n got: \"%s\"\nwant: \"%s\"", text,
			 got, want);
	free(got);
}

static void check_error(const char *text, const char *want)
{
	struct template *t = NULL;
	struct mc_err err;

	if (template_parse(&t, "t.html", text, strlen(text), vars, NV, &err) ==
	    0) {
		template_free(t);
		fail_msg("template \"%s\" was accepted", text);
	}
	assert_null(t);
	if (strstr(err.msg, want) == NULL)
		fail_msg("template \"%s\": error \"%s\" lacks \"%s\"", text,
			 err.msg, want);
}

static void test_variables(void **state)
{
	(void)state;
	check("Hi {{name}}!", 0, "Hi &lt;Zoé &amp; &quot;Co&quot;&gt;!");
	check("<a title='{{ name }}'>", 0,
	      "<a title='&lt;Zoé &amp; &quot;Co&quot;&gt;'>");
	check("{{{body}}}", 0, "<p>ok</p>");
	check("{{{ body }}}", 0, "<p>ok</p>");
	check("[{{empty}}]", 0, "[]");
	check("no tags { } }} at all", 0, "no tags { } }} at all");
	check("", 0, "");
}

static void test_blocks(void **state)
{
	(void)state;
	check("{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}", 1, "yes");
	check("{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}", 0, "no");
	check("{{#name}}[{{name}}]{{/name}}", 0,
	      "[&lt;Zoé &amp; &quot;Co&quot;&gt;]");
	check("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", 0, "none");
	check("{{#flag}}a{{#empty}}b{{/empty}}c{{/flag}}d", 1, "acd");
	check("{{#flag}}a{{#empty}}b{{/empty}}c{{/flag}}d", 0, "d");
}

static void test_comments_and_lines(void **state)
{
	(void)state;
	check("a{{! a comment, even with {{ inside }}b", 0, "ab");
	/* A comment ends at the first closing braces. */
	check("a{{! x {{name}} y }}b", 0, "a y }}b");
	/* A block tag or a comment alone on its line takes the line. */
	check("<ul>\n  {{#flag}}\n  <li>x</li>\n  {{/flag}}\n</ul>\n", 1,
	      "<ul>\n  <li>x</li>\n</ul>\n");
	check("<ul>\n  {{#flag}}\n  <li>x</li>\n  {{/flag}}\n</ul>\n", 0,
	      "<ul>\n</ul>\n");
	check("{{! header\n  comment }}\n<p>\n", 0, "<p>\n");
	check("x {{#flag}}y{{/flag}}\nz", 1, "x y\nz");
	check("{{name}}\n", 0, "&lt;Zoé &amp; &quot;Co&quot;&gt;\n");
	check("a\r\n{{#flag}}\r\nb\r\n{{/flag}}\r\n", 1, "a\r\nb\r\n");
}

static void test_errors(void **state)
{
	(void)state;
	check_error("{{nope}}", "t.html:1: unknown variable in {{nope}}");
	check_error("a\nb\n{{#nope}}x{{/nope}}", "t.html:3: unknown variable");
	check_error("{{{name}}}", "t.html:1: name is text, not HTML");
	check_error("{{body}}", "t.html:1: body is HTML: write {{{body}}}");
	check_error("{{flag}}", "flag is a condition");
	check_error("x\n{{name", "t.html:2: tag not closed");
	check_error("{{{body}}", "tag not closed");
	check_error("{{#flag}}\n\nx", "t.html:1: {{#flag}} is never closed");
	check_error("{{#flag}}{{/name}}", "{{/name}} closes {{#flag}}");
	check_error("{{/flag}}", "block closed but never opened");
	check_error("{{Name}}", "bad variable name");
	check_error("{{}}", "bad variable name");
	check_error("{{&body}}", "bad variable name");
}

static void test_nul_refused(void **state)
{
	struct template *t = NULL;
	struct mc_err err;

	(void)state;
	assert_int_equal(template_parse(&t, "t.html", "a\0b", 3, vars, NV,
					&err),
			 -1);
	assert_non_null(strstr(err.msg, "NUL"));
}

static void put_twice(const void *arg, struct buf *out)
{
	buf_adds(out, arg);
	buf_adds(out, arg);
}

/* An HTML variable written by its put(): where the template prints it,
 * as many times, and set for a block even without s. */
static void test_put(void **state)
{
	const char *text = "[{{{body}}}]{{#body}}+{{/body}}{{^body}}-{{/body}}"
			   "{{{body}}}";
	struct template_val v[NV];
	struct template *t;
	struct mc_err err;
	struct buf b;

	(void)state;
	memset(v, 0, sizeof(v));
	v[V_BODY].put = put_twice;
	v[V_BODY].arg = "<i>";
	if (template_parse(&t, "t.html", text, strlen(text), vars, NV, &err) <
	    0)
		fail_msg("%s", err.msg);
	buf_init(&b);
	template_render(t, v, &b);
	assert_string_equal(b.s, "[<i><i>]+<i><i>");
	buf_reset(&b);
	v[V_BODY].put = NULL;
	template_render(t, v, &b);
	assert_string_equal(b.s, "[]-");
	buf_free(&b);
	template_free(t);
}

static void test_builtins_exist(void **state)
{
	const char *names[] = { "section.html", "comment.html",
				"mailcomments.css" };
	size_t i, len;

	(void)state;
	for (i = 0; i < 3; i++) {
		const char *d = template_builtin(names[i], &len);

		assert_non_null(d);
		assert_true(len > 100);
		assert_int_equal(strlen(d), len);
	}
	assert_null(template_builtin("nope.html", &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_comments_and_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_builtins_exist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
