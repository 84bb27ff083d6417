/* test_lang.c: language tags as pages write them (normalised, or refused
 * when malformed or hostile), site.language_paths, and the order in which
 * an article's language is decided. */
#include "testutil.h"

#include "conf.h"
#include "lang.h"
#include "util.h"

static void norm_is(const char *in, const char *want)
{
	char out[LANG_TAG_MAX];

	if (!lang_normalize(in, out))
		fail_msg("\"%s\" refused, want \"%s\"", in, want);
	assert_string_equal(out, want);
}

static void refused(const char *in)
{
	char out[LANG_TAG_MAX] = "x";

	if (lang_normalize(in, out))
		fail_msg("\"%s\" accepted as \"%s\"", in, out);
	assert_string_equal(out, "");
}

static void test_normalize(void **state)
{
	(void)state;
	norm_is("fr", "fr");
	norm_is("FR", "fr");
	norm_is("fr-ca", "fr-CA");
	norm_is("pt_BR", "pt-BR");
	norm_is("zh-hant-tw", "zh-Hant-TW");
	norm_is("es-419", "es-419");
	norm_is("  de-DE\n", "de-DE");
	norm_is("ast", "ast");
}

static void test_hostile_or_malformed(void **state)
{
	(void)state;
	refused(NULL);
	refused("");
	refused("   ");
	refused("e");
	refused("english");
	refused("12");
	refused("fr-");
	refused("-fr");
	refused("fr--CA");
	refused("fr CA");
	refused("fr\" onmouseover=\"alert(1)");
	refused("<script>");
	refused("fr-CA<");
	refused("fr-abcdefghi");
	refused("\xc3\xa9n");
	/* each subtag fits, the whole does not */
	refused("fr-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd");
}

static void test_is(void **state)
{
	(void)state;
	assert_true(lang_is("fr", "fr"));
	assert_true(lang_is("fr-CA", "fr"));
	assert_true(lang_is("FR", "fr"));
	assert_false(lang_is("fry", "fr"));
	assert_false(lang_is("en", "fr"));
	assert_false(lang_is(NULL, "fr"));
}

static void test_path_entries(void **state)
{
	(void)state;
	assert_null(lang_path_entry_error("en/=en"));
	assert_null(lang_path_entry_error("blog/pt-br/=pt-BR"));
	assert_non_null(lang_path_entry_error("en/"));
	assert_non_null(lang_path_entry_error("=en"));
	assert_non_null(lang_path_entry_error("/en/=en"));
	assert_non_null(lang_path_entry_error("en/=<b>"));
}

static void test_decide(void **state)
{
	struct conf c;
	char out[LANG_TAG_MAX];

	(void)state;
	conf_defaults(&c);
	free(c.site_language);
	c.site_language = xstrdup("fr");
	strlist_add(&c.site_language_paths, "en/=en");
	strlist_add(&c.site_language_paths, "en/de/=de");
	/* the longest prefix wins, whatever the order */
	assert_string_equal(lang_for_path(&c, "en/de/x/index.html"), "de");
	assert_string_equal(lang_for_path(&c, "en/x/index.html"), "en");
	assert_null(lang_for_path(&c, "english/x.html"));
	assert_null(lang_for_path(&c, NULL));
	/* the page first, then the path, then the site */
	lang_decide(&c, "es", "en/x/index.html", out);
	assert_string_equal(out, "es");
	lang_decide(&c, NULL, "en/x/index.html", out);
	assert_string_equal(out, "en");
	lang_decide(&c, "", "en/de/x.html", out);
	assert_string_equal(out, "de");
	lang_decide(&c, "not a tag", "x/index.html", out);
	assert_string_equal(out, "fr");
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_hostile_or_malformed),
		cmocka_unit_test(test_is),
		cmocka_unit_test(test_path_entries),
		cmocka_unit_test(test_decide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
