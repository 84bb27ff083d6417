/* test_catalog.c: the translation catalogs (src/catalog.c): the shipped
 * po/ files (plurals and dates of every language), fallbacks, override
 * directories, a ninth language added as one file, the .po parser's edge
 * cases and its errors, and the plural expression evaluator. */
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include <time.h>

#include "catalog.h"
#include "util.h"


static struct catalog *open_shipped(void)
{
	struct mc_err err = { "" };
	struct catalog *cat = catalog_open(1, NULL, &err);

	if (cat == NULL)
		fail_msg("%s", err.msg);
	return cat;
}

static time_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static void assert_date(const struct catalog *cat, const char *code,
			time_t t, const char *want)
{
	struct buf b;

	buf_init(&b);
	catalog_date(catalog_lang(cat, code), t, &b);
	if (strcmp(b.s, want) != 0)
		fail_msg("%s: date \"%s\", want \"%s\"", code, b.s, want);
	buf_free(&b);
}

/* ---- the shipped catalogs ---- */

static const unsigned long plural_n[] = { 0, 1, 2, 5, 12, 22, 25, 101, 111,
					  112 };

static void test_plurals_all_languages(void **state)
{
	static const struct {
		const char *code;
		const char *form[10]; /* for plural_n, with %d */
	} want[] = {
		{ "en", { "%s comments", "%s comment", "%s comments",
			  "%s comments", "%s comments", "%s comments",
			  "%s comments", "%s comments", "%s comments",
			  "%s comments" } },
		/* French and Brazilian Portuguese: 0 takes the singular */
		{ "fr", { "%s commentaire", "%s commentaire",
			  "%s commentaires", "%s commentaires",
			  "%s commentaires", "%s commentaires",
			  "%s commentaires", "%s commentaires",
			  "%s commentaires", "%s commentaires" } },
		{ "pt", { "%s comentário", "%s comentário", "%s comentários",
			  "%s comentários", "%s comentários", "%s comentários",
			  "%s comentários", "%s comentários", "%s comentários",
			  "%s comentários" } },
		{ "de", { "%s Kommentare", "%s Kommentar", "%s Kommentare",
			  "%s Kommentare", "%s Kommentare", "%s Kommentare",
			  "%s Kommentare", "%s Kommentare", "%s Kommentare",
			  "%s Kommentare" } },
		{ "es", { "%s comentarios", "%s comentario",
			  "%s comentarios", "%s comentarios",
			  "%s comentarios", "%s comentarios",
			  "%s comentarios", "%s comentarios",
			  "%s comentarios", "%s comentarios" } },
		{ "it", { "%s commenti", "%s commento", "%s commenti",
			  "%s commenti", "%s commenti", "%s commenti",
			  "%s commenti", "%s commenti", "%s commenti",
			  "%s commenti" } },
		{ "nl", { "%s reacties", "%s reactie", "%s reacties",
			  "%s reacties", "%s reacties", "%s reacties",
			  "%s reacties", "%s reacties", "%s reacties",
			  "%s reacties" } },
		/* Polish: one, few (2-4 but 12-14), many */
		{ "pl", { "%s komentarzy", "%s komentarz", "%s komentarze",
			  "%s komentarzy", "%s komentarzy", "%s komentarze",
			  "%s komentarzy", "%s komentarzy", "%s komentarzy",
			  "%s komentarzy" } },
	};
	struct catalog *cat = open_shipped();
	const struct catalog_lang *l;
	const char *got;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		l = catalog_lang(cat, want[i].code);
		assert_string_equal(catalog_lang_code(l), want[i].code);
		for (k = 0; k < 10; k++) {
			got = catalog_nget(l, NULL, "%s comment",
					   "%s comments", plural_n[k]);
			if (strcmp(got, want[i].form[k]) != 0)
				fail_msg("%s, n = %lu: \"%s\", want \"%s\"",
					 want[i].code, plural_n[k], got,
					 want[i].form[k]);
		}
	}
	catalog_free(cat);
}

static void test_dates_all_languages(void **state)
{
	struct catalog *cat = open_shipped();
	time_t first = utc(2026, 12, 1, 13, 9), other = utc(2026, 3, 5, 8, 4);

	(void)state;
	/* what the pages print today for English, and CLDR's long date
	 * format for the others */
	assert_date(cat, "en", first, "December 1, 2026 at 13:09");
	assert_date(cat, "en", other, "March 5, 2026 at 08:04");
	assert_date(cat, "fr", first, "1er décembre 2026 à 13:09");
	assert_date(cat, "fr", other, "5 mars 2026 à 08:04");
	assert_date(cat, "de", first, "1. Dezember 2026 um 13:09");
	assert_date(cat, "de", other, "5. März 2026 um 08:04");
	assert_date(cat, "es", first, "1 de diciembre de 2026, 13:09");
	assert_date(cat, "es", other, "5 de marzo de 2026, 08:04");
	assert_date(cat, "it", first, "1 dicembre 2026 alle 13:09");
	assert_date(cat, "it", other, "5 marzo 2026 alle 08:04");
	assert_date(cat, "pt", first, "1º de dezembro de 2026 às 13:09");
	assert_date(cat, "pt", other, "5 de março de 2026 às 08:04");
	assert_date(cat, "nl", first, "1 december 2026 om 13:09");
	assert_date(cat, "nl", other, "5 maart 2026 om 08:04");
	/* Polish dates take the genitive: "grudnia", not "grudzień" */
	assert_date(cat, "pl", first, "1 grudnia 2026 o 13:09");
	assert_date(cat, "pl", other, "5 marca 2026 o 08:04");
	catalog_free(cat);
}

/* Every month and weekday of every language is translated (German,
 * whose April, August, September and November are spelt as in English,
 * is checked by its dates instead). */
static void test_month_names_translated(void **state)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November",
		"December"
	};
	static const char *const days[] = {
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday"
	};
	struct catalog *cat = open_shipped();
	const char *const *codes;
	const struct catalog_lang *l;
	size_t n = catalog_langs(cat, &codes), i, k;
	struct buf b;

	(void)state;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (strcmp(codes[i], "en") == 0)
			continue;
		l = catalog_lang(cat, codes[i]);
		for (k = 0; k < 12; k++) {
			if (strcmp(codes[i], "de") != 0)
				assert_string_not_equal(
					catalog_get(l, "month", months[k]),
					months[k]);
			buf_reset(&b);
			catalog_date(l, utc(2027, (int)k + 1, 15, 0, 0), &b);
			if (strstr(b.s, catalog_get(l, "month", months[k])) ==
			    NULL)
				fail_msg("%s: %s has no month name", codes[i],
					 b.s);
		}
		for (k = 0; k < 7; k++)
			assert_string_not_equal(
				catalog_get(l, "weekday", days[k]), days[k]);
	}
	buf_free(&b);
	catalog_free(cat);
}

static void test_langs_and_fallback(void **state)
{
	struct catalog *cat = open_shipped();
	const char *const *codes;
	const struct catalog_lang *de;
	size_t n = catalog_langs(cat, &codes);
	struct buf b;
	const char *id = "No such string";

	(void)state;
	assert_int_equal(n, 8);
	assert_string_equal(codes[0], "de");
	assert_string_equal(codes[1], "en");
	assert_string_equal(codes[2], "es");
	assert_string_equal(codes[3], "fr");
	assert_string_equal(codes[4], "it");
	assert_string_equal(codes[5], "nl");
	assert_string_equal(codes[6], "pl");
	assert_string_equal(codes[7], "pt");
	/* a region falls back to its language, case and '_' ignored */
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "pt-BR")),
			    "pt");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "PT_br")),
			    "pt");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "de-CH-1996")),
			    "de");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "FR")), "fr");
	/* unknown or malformed: English */
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "sv")), "en");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "")), "en");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, NULL)), "en");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "d e")),
			    "en");
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "de-")),
			    "en");
	assert_string_equal(catalog_lang_code(catalog_lang(NULL, "de")),
			    "en");
	/* a missing string is the English msgid itself */
	de = catalog_lang(cat, "de");
	assert_ptr_equal(catalog_get(de, NULL, id), id);
	assert_ptr_equal(catalog_get(de, "other context", "Reply"), "Reply");
	assert_string_equal(catalog_get(de, NULL, "Reply"), "Antworten");
	assert_string_equal(catalog_nget(de, NULL, "%d apple", "%d apples", 1),
			    "%d apple");
	assert_string_equal(catalog_nget(de, NULL, "%d apple", "%d apples", 0),
			    "%d apples");
	/* no catalog at all: English */
	assert_string_equal(catalog_get(catalog_lang(NULL, "de"), NULL,
					"Reply"), "Reply");
	assert_string_equal(catalog_get(NULL, NULL, "Reply"), "Reply");
	buf_init(&b);
	catalog_date(NULL, utc(2026, 12, 1, 13, 9), &b);
	assert_string_equal(b.s, "December 1, 2026 at 13:09");
	buf_free(&b);
	n = catalog_langs(NULL, &codes);
	assert_int_equal(n, 1);
	assert_string_equal(codes[0], "en");
	catalog_free(cat);
}

/* ---- override directory, ninth language ---- */

static void test_override_dir(void **state)
{
	char *dir = tu_tmpdir(), *p[3];
	struct mc_err err = { "" };
	struct catalog *cat;
	const struct catalog_lang *de;

	(void)state;
	/* one string, no header: the shipped Plural-Forms stays */
	p[0] = tu_write(dir, "de.po",
			"# only what this site says differently\n"
			"msgid \"Reply\"\nmsgstr \"Antwort schreiben\"\n"
			"# left empty, or a guess: the shipped one stays\n"
			"msgid \"No comments yet\"\nmsgstr \"\"\n"
			"#, fuzzy\n"
			"msgid \"Write a comment by email\"\nmsgstr \"Mail?\"\n",
			0644);
	/* English strings can be changed too */
	p[1] = tu_write(dir, "en.po",
			"msgid \"Write a comment by email\"\n"
			"msgstr \"Comment by email\"\n", 0644);
	/* a file that is no catalog is not read */
	p[2] = tu_write(dir, ".#de.po", "garbage", 0644);
	cat = catalog_open(1, dir, &err);
	if (cat == NULL)
		fail_msg("%s", err.msg);
	de = catalog_lang(cat, "de");
	assert_string_equal(catalog_get(de, NULL, "Reply"),
			    "Antwort schreiben");
	/* the rest of the shipped German catalog is still there */
	assert_string_equal(catalog_get(de, NULL, "No comments yet"),
			    "Noch keine Kommentare");
	assert_string_equal(catalog_get(de, NULL, "Write a comment by email"),
			    "Per E-Mail kommentieren");
	assert_string_equal(catalog_nget(de, NULL, "%s comment", "%s comments",
					 1), "%s Kommentar");
	assert_date(cat, "de", utc(2026, 12, 1, 13, 9),
		    "1. Dezember 2026 um 13:09");
	assert_string_equal(catalog_get(catalog_lang(cat, "en"), NULL,
					"Write a comment by email"),
			    "Comment by email");
	/* other languages untouched */
	assert_string_equal(catalog_get(catalog_lang(cat, "fr"), NULL,
					"Reply"), "Répondre");
	catalog_free(cat);

	/* an override that changes the plural rule must cover the shipped
	 * plural entries: else they would pick forms that do not exist */
	free(p[0]);
	p[0] = tu_write(dir, "de.po",
			"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=3; "
			"plural=n==1 ? 0 : n==2 ? 1 : 2;\\n\"\n", 0644);
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "po/de.po:"));
	assert_non_null(strstr(err.msg, "nplurals=3"));

	/* an override without a header follows the shipped rule: Polish
	 * needs three forms */
	unlink(p[0]);
	free(p[0]);
	p[0] = tu_write(dir, "pl.po",
			"msgid \"%d comment\"\nmsgid_plural \"%d comments\"\n"
			"msgstr[0] \"%d komentarz\"\n"
			"msgstr[1] \"%d komentarze\"\n", 0644);
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "/pl.po:1: 2 plural forms, but the "
			       "Plural-Forms of the catalog read before says "
			       "nplurals=3"));

	/* a missing override directory is a configuration error */
	assert_null(catalog_open(1, "/nonexistent/catalogs", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/catalogs"));
	tu_rmtree(dir);
	free(p[0]);
	free(p[1]);
	free(p[2]);
	free(dir);
}

/* A ninth language is one .po file and nothing else: Swedish, written
 * here, with its own plural header and date pattern. */
static void test_ninth_language(void **state)
{
	static const char sv[] =
		"msgid \"\"\n"
		"msgstr \"\"\n"
		"\"Language: sv\\n\"\n"
		"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
		"\n"
		"msgctxt \"month\"\nmsgid \"December\"\nmsgstr \"december\"\n"
		"msgctxt \"weekday\"\nmsgid \"Tuesday\"\nmsgstr \"tisdag\"\n"
		"msgctxt \"date\"\n"
		"msgid \"{month} {day}, {year} at {time}\"\n"
		"msgstr \"{weekday} {day} {month} {year} kl. {time}\"\n"
		"msgctxt \"date\"\nmsgid \"{hour}:{minute}\"\n"
		"msgstr \"{hour}.{minute}\"\n"
		"msgid \"%d comment\"\nmsgid_plural \"%d comments\"\n"
		"msgstr[0] \"%d kommentar\"\nmsgstr[1] \"%d kommentarer\"\n";
	char *dir = tu_tmpdir(), *p = tu_write(dir, "sv.po", sv, 0644);
	struct mc_err err = { "" };
	struct catalog *cat = catalog_open(1, dir, &err);
	const struct catalog_lang *l;
	const char *const *codes;

	(void)state;
	if (cat == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(catalog_langs(cat, &codes), 9);
	assert_string_equal(codes[8], "sv");
	l = catalog_lang(cat, "sv-SE");
	assert_string_equal(catalog_lang_code(l), "sv");
	assert_string_equal(catalog_nget(l, NULL, "%d comment", "%d comments",
					 1), "%d kommentar");
	assert_string_equal(catalog_nget(l, NULL, "%d comment", "%d comments",
					 5), "%d kommentarer");
	assert_date(cat, "sv", utc(2026, 12, 1, 13, 9),
		    "tisdag 1 december 2026 kl. 13.09");
	catalog_free(cat);
	/* the same file alone, without the shipped ones */
	cat = catalog_open(0, dir, &err);
	assert_non_null(cat);
	assert_int_equal(catalog_langs(cat, &codes), 2);
	catalog_free(cat);
	tu_rmtree(dir);
	free(p);
	free(dir);
}

/* ---- the parser ---- */

static struct catalog *parse_ok(const char *tag, const char *text)
{
	struct mc_err err = { "" };
	struct catalog *cat = catalog_new();

	if (catalog_add_po(cat, tag, "t.po", text, strlen(text), &err) < 0)
		fail_msg("%s", err.msg);
	return cat;
}

static void test_parse_edge_cases(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBF# a byte order mark, then comments\r\n"
		"#  translator comment\r\n"
		"#. extracted comment\n"
		"#: src/x.c:12\n"
		"#| msgid \"Old\"\n"
		"msgid \"\"\n"
		"msgstr \"Content-Type: text/plain; charset=utf-8\\n\"\n"
		"\"Plural-Forms: nplurals=3; \"\n"
		"   \"plural=n%10==1 ? 0 : n%10==2 ? 1 : 2;\\n\"\n"
		"\n"
		"msgid \"Multi\"\n"
		"\"line\"\n"
		"msgstr \"\"\n"
		"\"One \"\n"
		"\t\"two\\n\"  \n"
		"\n"
		"msgid \"esc\"\n"
		"msgstr \"\\t\\\"q\\\"\\\\ \\x41\\101\\a\\b\\f\\v\\r\\'\\?\"\n"
		"msgctxt \"\"\nmsgid \"ctx\"\nmsgstr \"empty context\"\n"
		"msgctxt \"menu\"\nmsgid \"ctx\"\nmsgstr \"menu context\"\n"
		"msgid \"ctx\"\nmsgstr \"no context\"\n"
		"#, c-format, fuzzy\n"
		"msgid \"fuzzy one\"\nmsgstr \"a guess\"\n"
		"#, fuzzy\n"
		"msgctxt \"c\"\nmsgid \"fuzzy two\"\nmsgstr \"a guess\"\n"
		"#, c-format\n"
		"msgid \"not fuzzy\"\nmsgstr \"sure\"\n"
		"msgid \"untranslated\"\nmsgstr \"\"\n"
		"#~ msgid \"obsolete\"\n"
		"#~ msgstr \"gone\"\n"
		"msgid \"%d file\"\n"
		"msgid_plural \"%d files\"\n"
		"msgstr[0] \"one\"\n"
		"msgstr[1] \"two\"\n"
		"msgstr[2] \"other\"\n"
		"msgid \"partial\"\nmsgid_plural \"partials\"\n"
		"msgstr[0] \"P\"\nmsgstr[1] \"\"\nmsgstr[2] \"Q\"\n"
		"msgid \"last\"\nmsgstr \"no newline at the end\"";
	struct catalog *cat = parse_ok("xx", text);
	const struct catalog_lang *l = catalog_lang(cat, "xx");

	(void)state;
	assert_string_equal(catalog_get(l, NULL, "Multiline"), "One two\n");
	assert_string_equal(catalog_get(l, NULL, "esc"),
			    "\t\"q\"\\ AA\a\b\f\v\r'?");
	assert_string_equal(catalog_get(l, "", "ctx"), "empty context");
	assert_string_equal(catalog_get(l, "menu", "ctx"), "menu context");
	assert_string_equal(catalog_get(l, NULL, "ctx"), "no context");
	assert_string_equal(catalog_get(l, "other", "ctx"), "ctx");
	assert_string_equal(catalog_get(l, NULL, "fuzzy one"), "fuzzy one");
	assert_string_equal(catalog_get(l, "c", "fuzzy two"), "fuzzy two");
	assert_string_equal(catalog_get(l, NULL, "not fuzzy"), "sure");
	assert_string_equal(catalog_get(l, NULL, "untranslated"),
			    "untranslated");
	assert_string_equal(catalog_get(l, NULL, "obsolete"), "obsolete");
	assert_string_equal(catalog_nget(l, NULL, "%d file", "%d files", 1),
			    "one");
	assert_string_equal(catalog_nget(l, NULL, "%d file", "%d files", 21),
			    "one");
	assert_string_equal(catalog_nget(l, NULL, "%d file", "%d files", 2),
			    "two");
	assert_string_equal(catalog_nget(l, NULL, "%d file", "%d files", 7),
			    "other");
	assert_string_equal(catalog_get(l, NULL, "%d file"), "one");
	/* an empty form is English */
	assert_string_equal(catalog_nget(l, NULL, "partial", "partials", 2),
			    "partials");
	assert_string_equal(catalog_nget(l, NULL, "partial", "partials", 3),
			    "Q");
	/* a singular entry asked as a plural: English */
	assert_string_equal(catalog_nget(l, NULL, "last", "lasts", 1), "last");
	assert_string_equal(catalog_get(l, NULL, "last"),
			    "no newline at the end");
	catalog_free(cat);
}

static void test_fuzzy_header_ignored(void **state)
{
	/* a copy of the .pot whose header is still the template's */
	struct catalog *cat = parse_ok("xx",
		"#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n"
		"\"Content-Type: text/plain; charset=CHARSET\\n\"\n"
		"\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n"
		"msgid \"a\"\nmsgid_plural \"as\"\n"
		"msgstr[0] \"A\"\nmsgstr[1] \"As\"\n");
	const struct catalog_lang *l = catalog_lang(cat, "xx");

	(void)state;
	/* English rule meanwhile */
	assert_string_equal(catalog_nget(l, NULL, "a", "as", 1), "A");
	assert_string_equal(catalog_nget(l, NULL, "a", "as", 0), "As");
	catalog_free(cat);
}

static void test_later_file_replaces(void **state)
{
	struct mc_err err = { "" };
	struct catalog *cat = parse_ok("pt_BR",
		"msgid \"a\"\nmsgstr \"first\"\nmsgid \"b\"\nmsgstr \"kept\"\n");
	const struct catalog_lang *l;
	static const char bad[] =
		"msgid \"a\"\nmsgstr \"never\"\nmsgid \"c\"\nmsgstr \"x\n";

	(void)state;
	assert_int_equal(catalog_add_po(cat, "pt-br", "u.po",
					"msgid \"a\"\nmsgstr \"second\"\n", 26,
					&err), 0);
	l = catalog_lang(cat, "pt-BR");
	assert_string_equal(catalog_lang_code(l), "pt-br");
	assert_string_equal(catalog_get(l, NULL, "a"), "second");
	assert_string_equal(catalog_get(l, NULL, "b"), "kept");
	/* a bad file changes nothing, not even its good first entries */
	assert_int_equal(catalog_add_po(cat, "pt-br", "v.po", bad,
					strlen(bad), &err), -1);
	assert_string_equal(err.msg, "v.po:4: unterminated string");
	assert_string_equal(catalog_get(l, NULL, "a"), "second");
	assert_string_equal(catalog_get(l, NULL, "c"), "c");
	/* and adds no language */
	assert_int_equal(catalog_add_po(cat, "de", "w.po", bad, strlen(bad),
					&err), -1);
	assert_string_equal(catalog_lang_code(catalog_lang(cat, "de")), "en");
	catalog_free(cat);
}

/* Many entries: the table grows and keeps every one. */
static void test_many_entries(void **state)
{
	struct buf b, id;
	struct catalog *cat;
	const struct catalog_lang *l;
	char want[32];
	int i;

	(void)state;
	buf_init(&b);
	buf_init(&id);
	for (i = 0; i < 5000; i++)
		buf_addf(&b, "msgctxt \"c%d\"\nmsgid \"id %d\"\nmsgstr \"s%d\"\n",
			 i % 3, i, i);
	cat = parse_ok("xx", b.s);
	l = catalog_lang(cat, "xx");
	for (i = 0; i < 5000; i++) {
		char ctx[16];

		buf_reset(&id);
		buf_addf(&id, "id %d", i);
		snprintf(ctx, sizeof(ctx), "c%d", i % 3);
		snprintf(want, sizeof(want), "s%d", i);
		assert_string_equal(catalog_get(l, ctx, id.s), want);
		snprintf(ctx, sizeof(ctx), "c%d", (i + 1) % 3);
		assert_string_equal(catalog_get(l, ctx, id.s), id.s);
	}
	buf_free(&b);
	buf_free(&id);
	catalog_free(cat);
}

static void expect_error(const char *tag, const char *text, size_t len,
			 const char *want)
{
	struct mc_err err = { "" };
	struct catalog *cat = catalog_new();

	if (catalog_add_po(cat, tag, "x.po", text, len, &err) == 0)
		fail_msg("accepted: %s", text);
	if (strstr(err.msg, want) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err.msg, want);
	catalog_free(cat);
}

#define EXPECT(text, want) expect_error("xx", text, sizeof(text) - 1, want)
#define HDR(pf) "msgid \"\"\nmsgstr \"Plural-Forms: " pf "\\n\"\n"

static void test_parse_errors(void **state)
{
	(void)state;
	EXPECT("msgid \"a\"\n", "x.po:1: msgid without msgstr");
	EXPECT("msgid \"a\"\nmsgid \"b\"\nmsgstr \"\"\n",
	       "x.po:1: msgid without msgstr");
	EXPECT("msgctxt \"a\"\n", "x.po:1: msgctxt without msgid");
	EXPECT("msgctxt \"a\"\nmsgctxt \"b\"\n", "x.po:2: msgctxt out of place");
	EXPECT("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n",
	       "x.po:4: duplicate entry (first at line 1)");
	EXPECT("msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"b\"\n"
	       "msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"\"\n",
	       "x.po:4: duplicate entry (first at line 1)");
	EXPECT("msgid \"a\nmsgstr \"b\"\n", "x.po:1: unterminated string");
	EXPECT("msgid \"a\\", "x.po:1: unterminated string");
	EXPECT("msgid \"a\"\nmsgstr \"\\q\"\n", "x.po:2: unknown escape \\q");
	EXPECT("msgid \"a\"\nmsgstr \"\\\xc3\xa9\"\n",
	       "x.po:2: unknown escape (byte 195 after \\)");
	EXPECT("msgid \"a\"\nmsgstr \"\\0\"\n", "x.po:2: NUL byte in a string");
	EXPECT("msgid \"a\"\nmsgstr \"\\x00\"\n", "NUL byte in a string");
	EXPECT("msgid \"a\"\nmsgstr \"\\x\"\n", "\\x without hex digits");
	EXPECT("msgid \"a\"\nmsgstr \"\\777\"\n", "octal escape above \\377");
	EXPECT("msgid \"a\"\nmsgstr \"b\0\"\n", "x.po:1: NUL byte in the file");
	EXPECT("msgstr \"x\"\n", "x.po:1: msgstr without msgid");
	EXPECT("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr \"x\"\n",
	       "x.po:3: msgid_plural needs msgstr[0], msgstr[1]...");
	EXPECT("msgid \"a\"\nmsgstr[0] \"x\"\n",
	       "x.po:2: msgstr[0] without msgid_plural");
	EXPECT("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[1] \"x\"\n",
	       "x.po:3: msgstr[1] where msgstr[0] was expected");
	EXPECT("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\n"
	       "msgstr[0] \"y\"\n", "x.po:4: msgstr[0] where msgstr[1]");
	EXPECT("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[x] \"x\"\n",
	       "x.po:3: bad msgstr index");
	EXPECT("msgid \"a\"\nmsgstr \"x\"\nmsgstr \"y\"\n",
	       "x.po:3: a second msgstr");
	EXPECT("msgid \"a\"\nmsgstr \"x\"\nmsgid_plural \"b\"\n",
	       "x.po:3: msgid_plural out of place");
	EXPECT("msgid \"a\"\nmsgstr\n", "x.po:2: a string is expected");
	EXPECT("msgid \"a\" x\nmsgstr \"\"\n", "x.po:1: text after the string");
	EXPECT("msgid \"a\"\nmsgstr \"\"\n\"b\" c\n",
	       "x.po:3: text after the string");
	EXPECT("\"orphan\"\n", "x.po:1: string without a keyword");
	EXPECT("msgid \"a\"\n# hm\nmsgstr \"\"\n",
	       "x.po:2: comment inside an entry");
	EXPECT("msgfoo \"a\"\n", "x.po:1: unknown keyword 'msgfoo'");
	EXPECT("msgid \"a\"\nmsgstr \"\\xff\"\n", "x.po:1: msgstr not UTF-8");
	EXPECT("msgid \"\\xc3\"\nmsgstr \"b\"\n",
	       "x.po:1: msgid or msgctxt not UTF-8");
	EXPECT("msgid \"\"\nmsgstr \"Content-Type: text/plain; "
	       "charset=ISO-8859-1\\n\"\n",
	       "x.po:1: charset ISO-8859-1: catalogs must be UTF-8");
	EXPECT("msgid \"\"\nmsgstr \"a: b\\n\"\nmsgid \"\"\nmsgstr \"c: d\"\n",
	       "x.po:3: a second header entry");
	/* plural entries must have nplurals forms */
	EXPECT(HDR("nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;")
	       "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\n"
	       "msgstr[1] \"y\"\n",
	       "x.po:3: 2 plural forms, but the Plural-Forms of x.po says "
	       "nplurals=3");
	/* without a header: English's two */
	EXPECT("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\n",
	       "x.po:1: 1 plural forms, but the Plural-Forms of English "
	       "(default) says nplurals=2");
	{
		struct buf b;
		int i;

		buf_init(&b);
		buf_adds(&b, "msgid \"a\"\nmsgid_plural \"b\"\n");
		for (i = 0; i < 17; i++)
			buf_addf(&b, "msgstr[%d] \"x\"\n", i);
		expect_error("xx", b.s, b.len, "x.po:19: more than 16 plural");
		buf_free(&b);
	}
	/* file names that are no language */
	expect_error("1x", "", 0, "x.po: '1x' is not a language code");
	expect_error("english", "", 0, "not a language code");
	expect_error("e", "", 0, "not a language code");
	expect_error("de--at", "", 0, "not a language code");
	expect_error("de-", "", 0, "not a language code");
	expect_error("de-abcdefghi", "", 0, "not a language code");
}

static void test_plural_errors(void **state)
{
	char deep[400], chain[1200];
	size_t i, n;

	(void)state;
	EXPECT(HDR("nplurals=2; plural=n/0;"),
	       "x.po:1: Plural-Forms: divides by zero for n = 0");
	EXPECT(HDR("nplurals=2; plural=n%(n-3) > 0;"),
	       "Plural-Forms: divides by zero for n = 3");
	EXPECT(HDR("nplurals=2; plural=n;"),
	       "Plural-Forms: gives a form number not below nplurals for n = 2");
	/* a rule that goes wrong only for large numbers is caught too */
	EXPECT(HDR("nplurals=2; plural=n == 1000000 ? 7 : 0;"),
	       "for n = 1000000");
	EXPECT(HDR("nplurals=0; plural=0;"), "nplurals must be a number");
	EXPECT(HDR("nplurals=17; plural=0;"), "nplurals must be a number");
	EXPECT(HDR("nplurals=999999999999999999999; plural=0;"),
	       "nplurals must be a number");
	EXPECT(HDR("nplural=2; plural=0;"), "'nplurals=' expected");
	EXPECT(HDR("nplurals=2 plural=0;"), "';' expected after nplurals");
	EXPECT(HDR("nplurals=2; plurals=0;"), "'plural=' expected");
	EXPECT(HDR("nplurals=2; plural=(n != 1;"), "')' expected");
	EXPECT(HDR("nplurals=2; plural=n ? 1;"), "':' expected");
	EXPECT(HDR("nplurals=2; plural=;"), "'n', a number or '(' expected");
	EXPECT(HDR("nplurals=2; plural="), "expression ends too soon");
	EXPECT(HDR("nplurals=2; plural=n != 1; junk"),
	       "unexpected text after the plural expression");
	EXPECT(HDR("nplurals=2; plural=n = 1;"), "unexpected text");
	EXPECT(HDR("nplurals=2; plural=n & 1;"), "unexpected text");
	EXPECT(HDR("nplurals=2; plural=-n;"), "'n', a number or '('");
	EXPECT(HDR("nplurals=2; plural=99999999999999999999999;"),
	       "number too large");
	/* nesting and length are bounded: no stack to exhaust */
	n = 150;
	for (i = 0; i < n; i++)
		deep[i] = '(';
	deep[n] = 'n';
	for (i = 0; i < n; i++)
		deep[n + 1 + i] = ')';
	deep[2 * n + 1] = '\0';
	{
		struct buf b;

		buf_init(&b);
		buf_addf(&b, HDR("nplurals=2; plural=%s > 1;"), deep);
		expect_error("xx", b.s, b.len, "expression nested too deeply");
		buf_reset(&b);
		memset(deep, '!', 150);
		deep[150] = '\0';
		buf_addf(&b, HDR("nplurals=2; plural=%sn;"), deep);
		expect_error("xx", b.s, b.len, "expression nested too deeply");
		buf_reset(&b);
		chain[0] = '\0';
		for (i = 0; i < 200; i++)
			strcat(chain, "0+");
		buf_addf(&b, HDR("nplurals=2; plural=%sn > 1;"), chain);
		expect_error("xx", b.s, b.len, "Plural-Forms: expression");
		buf_free(&b);
	}
}

/* The evaluator's operators, precedence and short-circuits, seen through
 * which of three forms a rule picks. */
static void test_plural_evaluator(void **state)
{
	static const struct {
		const char *rule;
		unsigned long n;
		const char *want;
	} t[] = {
		{ "n%3", 4, "1" },
		{ "n%3", 5, "2" },
		{ "!n", 0, "1" },
		{ "!n", 5, "0" },
		{ "!!n", 5, "1" },
		{ "n-1 > 2 ? 2 : n-1 < 1 ? 0 : 1", 0, "2" }, /* 0-1 wraps */
		{ "n-1 > 2 ? 2 : n-1 < 1 ? 0 : 1", 1, "0" },
		{ "n-1 > 2 ? 2 : n-1 < 1 ? 0 : 1", 4, "2" },
		{ "1 + 2 * n == 7", 3, "1" },       /* * before + before == */
		{ "(1 + 2) * n == 9", 3, "1" },
		{ "n / 2 * 2 == n ? 0 : 1", 6, "0" },
		{ "n / 2 * 2 == n ? 0 : 1", 7, "1" },
		{ "n >= 3 && n <= 5 || n == 10 ? 2 : 0", 4, "2" },
		{ "n >= 3 && n <= 5 || n == 10 ? 2 : 0", 10, "2" },
		{ "n >= 3 && n <= 5 || n == 10 ? 2 : 0", 6, "0" },
		{ "n < 2 ? n : 2", 1, "1" },
		{ "n <= 2 && n != 0 ? 1 : n > 2 ? 2 : 0", 2, "1" },
		{ "n <= 2 && n != 0 ? 1 : n > 2 ? 2 : 0", 0, "0" },
		/* && and || do not evaluate what they skip: no division by
		 * zero for n = 0 */
		{ "n == 0 || 10 / n > 5 ? 1 : 0", 0, "1" },
		{ "n != 0 && 10 / n > 5 ? 1 : 0", 0, "0" },
		{ "n == 0 ? 0 : 10 / n > 5 ? 1 : 2", 1, "1" },
		{ "n == 0 ? 0 : 10 / n > 5 ? 1 : 2", 7, "2" },
		{ " ( n\\t>  1 ) ", 2, "1" },
	};
	struct buf b;
	struct catalog *cat;
	size_t i;
	const char *got;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		buf_addf(&b, "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=3; "
			 "plural=%s;\\n\"\n"
			 "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"0\"\n"
			 "msgstr[1] \"1\"\nmsgstr[2] \"2\"\n", t[i].rule);
		cat = parse_ok("xx", b.s);
		got = catalog_nget(catalog_lang(cat, "xx"), NULL, "a", "b",
				   t[i].n);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("%s for n = %lu: %s, want %s", t[i].rule,
				 t[i].n, got, t[i].want);
		catalog_free(cat);
	}
	buf_free(&b);
}

/* Dates: the fields a pattern may use, and what it does not know. */
static void test_date_fields(void **state)
{
	struct catalog *cat = parse_ok("xx",
		"msgctxt \"date\"\nmsgid \"{month} {day}, {year} at {time}\"\n"
		"msgstr \"{weekday}|{day}|{month}|{year}|{time}|{hour}|"
		"{minute}|{nope}|{|}\"\n"
		"msgctxt \"date\"\nmsgid \"{hour}:{minute}\"\n"
		"msgstr \"{hour}h{minute} {time}\"\n");
	const struct catalog_lang *l = catalog_lang(cat, "xx");
	struct buf b;
	struct tm tm;

	(void)state;
	buf_init(&b);
	catalog_date(l, utc(2027, 1, 9, 7, 5), &b);
	/* {time} inside the time pattern is not expanded again */
	assert_string_equal(b.s, "Saturday|9|January|2027|07h05 {time}|07|05|"
			    "{nope}|{|}");
	/* a broken-down time the caller made (another time zone) */
	buf_reset(&b);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 99;
	tm.tm_mon = 11;
	tm.tm_mday = 31;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_wday = 5;
	catalog_date_tm(catalog_lang(NULL, "en"), &tm, &b);
	assert_string_equal(b.s, "December 31, 1999 at 23:59");
	/* out-of-range fields do not read outside the tables */
	buf_reset(&b);
	tm.tm_mon = 12;
	tm.tm_wday = -1;
	catalog_date_tm(l, &tm, &b);
	assert_non_null(strstr(b.s, "|?|"));
	assert_string_equal(b.s, "?|31|?|1999|23h59 {time}|23|59|{nope}|{|}");
	buf_free(&b);
	catalog_free(cat);
}

/* A pattern of more pieces than a date format holds cut (a site's own
 * catalog may write anything) is read as each date is made: the same
 * date, every field and brace in place. */
static void test_date_long(void **state)
{
	struct buf pat, po, want, b;
	struct catalog *cat;
	struct catalog_datefmt f;
	int i;

	(void)state;
	buf_init(&pat);
	buf_init(&want);
	for (i = 0; i < 20; i++) {
		buf_adds(&pat, "{day}.{hour}{x}");
		buf_adds(&want, "9.07{x}");
	}
	buf_adds(&pat, " {time}");
	buf_adds(&want, " 07:05");
	buf_init(&po);
	buf_addf(&po, "msgctxt \"date\"\nmsgid \"{month} {day}, {year} at "
		      "{time}\"\nmsgstr \"%s\"\n", pat.s);
	cat = parse_ok("xx", po.s);
	catalog_datefmt_init(catalog_lang(cat, "xx"), &f);
	assert_int_equal(f.nseg, 0);
	buf_init(&b);
	catalog_date(catalog_lang(cat, "xx"), utc(2027, 1, 9, 7, 5), &b);
	assert_string_equal(b.s, want.s);
	/* and one that fits is cut */
	catalog_datefmt_init(catalog_lang(cat, "en"), &f);
	assert_true(f.nseg > 0);
	buf_free(&b);
	buf_free(&po);
	buf_free(&pat);
	buf_free(&want);
	catalog_free(cat);
}

/* The shipped catalogs of a process (catalog_shipped()) are parsed a
 * language at a time, when first used: the same languages as read at
 * once, the same strings, plurals and dates, and the languages not
 * asked for never parsed.  A file added to a language not parsed yet
 * replaces single strings of the shipped ones, as with catalog_open(). */
static void test_shipped_lazy(void **state)
{
	struct catalog *all = open_shipped(), *lazy = catalog_open_shipped();
	const char *const *ca, *const *cl;
	const struct catalog_lang *la, *ll;
	struct mc_err err = { "" };
	const char *po = "msgid \"Reply\"\nmsgstr \"Erwidern\"\n";
	struct buf a, b;
	size_t n, i;

	(void)state;
	assert_int_equal(catalog_parsed(lazy), 1); /* English: no file */
	n = catalog_langs(all, &ca);
	assert_int_equal(catalog_langs(lazy, &cl), n);
	assert_true(n >= 8);
	assert_int_equal(catalog_parsed(lazy), 1);
	la = catalog_lang(all, "fr");
	ll = catalog_lang(lazy, "fr-CA");
	assert_string_equal(catalog_lang_code(ll), "fr");
	assert_int_equal(catalog_parsed(lazy), 2);
	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		assert_string_equal(ca[i], cl[i]);
		la = catalog_lang(all, ca[i]);
		ll = catalog_lang(lazy, cl[i]);
		assert_string_equal(_(ll, "Reply"), _(la, "Reply"));
		assert_string_equal(_(ll, "Write a comment by email"),
				    _(la, "Write a comment by email"));
		assert_string_equal(P_(ll, "%d approved", "%d approved", 5),
				    P_(la, "%d approved", "%d approved", 5));
		buf_reset(&a);
		buf_reset(&b);
		catalog_date(la, 1722124800 + 86400 * 40, &a);
		catalog_date(ll, 1722124800 + 86400 * 40, &b);
		assert_string_equal(b.s, a.s);
	}
	assert_int_equal(catalog_parsed(lazy), n);
	assert_string_equal(_(catalog_lang(lazy, "de"), "Reply"), "Antworten");
	catalog_free(lazy);

	lazy = catalog_open_shipped();
	if (catalog_add_po(lazy, "de", "de.po", po, strlen(po), &err) < 0)
		fail_msg("%s", err.msg);
	ll = catalog_lang(lazy, "de");
	assert_string_equal(_(ll, "Reply"), "Erwidern");
	assert_string_equal(_(ll, "Write a comment by email"),
			    _(catalog_lang(all, "de"),
			      "Write a comment by email"));
	assert_int_equal(catalog_parsed(lazy), 2);
	buf_free(&a);
	buf_free(&b);
	catalog_free(lazy);
	catalog_free(all);
}

/* A language's dates looked up once (catalog_datefmt_init()) write every
 * day of a year, the first of each month included, as catalog_date()
 * does. */
static void test_datefmt_once(void **state)
{
	const struct catalog_lang *fr = catalog_lang(catalog_shipped(), "fr");
	struct catalog_datefmt f;
	struct buf a, b;
	struct tm tm;
	time_t t;
	int day;

	(void)state;
	catalog_datefmt_init(fr, &f);
	buf_init(&a);
	buf_init(&b);
	for (day = 0; day < 366; day++) {
		t = utc(2024, 1, 1, 13, 9) + (time_t)day * 86400;
		assert_non_null(gmtime_r(&t, &tm));
		buf_reset(&a);
		buf_reset(&b);
		catalog_datefmt_tm(&f, &tm, &a);
		catalog_date(fr, t, &b);
		assert_string_equal(a.s, b.s);
	}
	assert_string_equal(a.s, "31 décembre 2024 à 13:09");
	buf_reset(&a);
	t = utc(2024, 3, 1, 0, 0);
	catalog_datefmt_tm(&f, gmtime_r(&t, &tm), &a);
	assert_string_equal(a.s, "1er mars 2024 à 00:00");
	buf_free(&a);
	buf_free(&b);
}

/* An override another local user could change is refused, as a password
 * file would be: group- or world-writable directory or file, or a link
 * to such a file; and a FIFO never hangs the start. */
static void test_override_permissions(void **state)
{
	char *dir = tu_tmpdir(), *p, *q, *outside = tu_tmpdir();
	struct mc_err err = { "" };

	(void)state;
	p = tu_write(dir, "de.po", "msgid \"Reply\"\nmsgstr \"Antwort\"\n",
		     0644);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "refusing a directory that group or "
				       "others can change (mode 0777)"));
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chmod(p, 0666), 0);
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "/de.po: refusing a file that group "
				       "or others can change (mode 0666)"));
	assert_int_equal(chmod(p, 0644), 0);
	{
		struct catalog *cat = catalog_open(1, dir, &err);

		assert_non_null(cat);
		catalog_free(cat);
	}
	/* a link to a file anyone may change */
	q = tu_write(outside, "evil.po", "msgid \"Reply\"\nmsgstr \"x\"\n",
		     0666);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(q, p), 0);
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "refusing a file"));
	/* a FIFO */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	alarm(10); /* a hang would be the failure: bounded */
	assert_null(catalog_open(1, dir, &err));
	alarm(0);
	assert_non_null(strstr(err.msg, "/de.po: not a regular file"));
	free(p);
	free(q);
	tu_rmtree(dir);
	tu_rmtree(outside);
	free(dir);
	free(outside);
}

static void test_open_errors(void **state)
{
	char *dir = tu_tmpdir(), *p;
	struct mc_err err = { "" };

	(void)state;
	assert_null(catalog_open(0, "/nonexistent/po", &err));
	assert_string_equal(err.msg,
			    "catalogs /nonexistent/po: No such file or directory");
	p = tu_write(dir, "de.po", "msgid \"a\"\nmsgstr \"b\"\nmsgid x\n",
		     0644);
	assert_null(catalog_open(0, dir, &err));
	assert_non_null(strstr(err.msg, "/de.po:3: a string is expected"));
	/* a bad override is refused as well */
	assert_null(catalog_open(1, dir, &err));
	assert_non_null(strstr(err.msg, "/de.po:3:"));
	free(p);
	p = tu_write(dir, "de.po", "", 0644);
	free(p);
	p = tu_write(dir, "not a language.po", "", 0644);
	assert_null(catalog_open(0, dir, &err));
	assert_non_null(strstr(err.msg, "'not a language' is not a language"));
	free(p);
	/* an empty directory, or nothing asked: English only */
	tu_rmtree(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	{
		struct catalog *cat = catalog_open(0, dir, &err);
		const char *const *codes;

		assert_non_null(cat);
		assert_int_equal(catalog_langs(cat, &codes), 1);
		catalog_free(cat);
		cat = catalog_open(0, NULL, &err);
		assert_non_null(cat);
		catalog_free(cat);
		/* the shipped ones are built in: the eight languages */
		cat = catalog_open(1, "", &err);
		assert_non_null(cat);
		assert_int_equal(catalog_langs(cat, &codes), 8);
		catalog_free(cat);
	}
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plurals_all_languages),
		cmocka_unit_test(test_dates_all_languages),
		cmocka_unit_test(test_month_names_translated),
		cmocka_unit_test(test_langs_and_fallback),
		cmocka_unit_test(test_override_dir),
		cmocka_unit_test(test_ninth_language),
		cmocka_unit_test(test_parse_edge_cases),
		cmocka_unit_test(test_fuzzy_header_ignored),
		cmocka_unit_test(test_later_file_replaces),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_plural_errors),
		cmocka_unit_test(test_plural_evaluator),
		cmocka_unit_test(test_date_fields),
		cmocka_unit_test(test_date_long),
		cmocka_unit_test(test_datefmt_once),
		cmocka_unit_test(test_shipped_lazy),
		cmocka_unit_test(test_override_permissions),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
