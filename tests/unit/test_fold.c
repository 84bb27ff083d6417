/* test_fold.c: the one folding of typed words (fold.h): case, marks,
 * compatibility forms, the letters without a decomposition. */
#include "testutil.h"

#include "classify.h"
#include "fold.h"

#include <unicase.h>
#include <uninorm.h>

static void is(const char *in, const char *want)
{
	char *f = fold_str(in);

	if (strcmp(f, want) != 0)
		fail_msg("fold(\"%s\") is \"%s\", not \"%s\"", in, f, want);
	free(f);
}

static void test_case_and_marks(void **state)
{
	(void)state;
	is("Approuvé", "approuve");
	is("APPROUVER", "approuver");
	is("débannir", "debannir");
	is("Zatwierdź", "zatwierdz");
	is("ZATWIERDŹ", "zatwierdz");
	is("usunięte", "usuniete");
	is("Veröffentlichen", "veroffentlichen");
	is("Publícalo", "publicalo");
	is("não", "nao");
	is("sì", "si");
	is("Ça", "ca");
	/* already decomposed (a Mac's file names, some phones) */
	is("approuve\xcc\x81", "approuve");
	/* an enclosing mark: the keycap of "1️⃣" */
	is("ok\xe2\x83\xa3", "ok");
}

static void test_compatibility(void **state)
{
	(void)state;
	is("\xef\xbc\xaf\xef\xbc\xab", "ok");     /* full-width ＯＫ */
	is("\xef\xac\x81n", "fin");              /* the ligature ﬁ */
	is("\xc4\xb2s", "ijs");                  /* Dutch Ĳ */
	is("\xc5\xbf", "s");                     /* long s */
	is("\xe2\x84\xa1", "tel");               /* ℡ */
}

/* The letters NFKD leaves alone, typed without their mark. */
static void test_bare_letters(void **state)
{
	(void)state;
	is("Łódź", "lodz");
	is("odrzuć", "odrzuc");
	is("Øre", "ore");
	is("Đorđe", "dorde");
	is("Æble", "aeble");
	is("Œuvre", "oeuvre");
	is("Þór", "thor");
	is("Ħal", "hal");
	is("ıi", "ii");
	is("İstanbul", "istanbul");
	/* ß and ẞ by case folding */
	is("Straße", "strasse");
	is("\xe1\xba\x9e", "ss");
}

/* No transliteration: another script never folds into a Latin word. */
static void test_other_scripts(void **state)
{
	(void)state;
	is("\xd0\x9e\xd0\x9a", "\xd0\xbe\xd0\xba"); /* Cyrillic ОК */
	is("\xce\xa3\xce\x9f", "\xcf\x83\xce\xbf"); /* Greek ΣΟ */
	is("\xe5\xa5\xbd", "\xe5\xa5\xbd");         /* 好 */
}

static void test_invalid_and_limits(void **state)
{
	char w[8];

	(void)state;
	is("A\xff" "B\xc3", "a\xff" "b\xc3");
	is("", "");
	assert_int_equal(fold_into("OK", 2, w, sizeof(w)), 2);
	assert_string_equal(w, "ok");
	assert_int_equal(fold_into("abcdefgh", 8, w, sizeof(w)), -1);
	assert_string_equal(w, "");
	/* ß grows: 7 letters, 8 bytes folded */
	assert_int_equal(fold_into("STRASSE", 7, w, sizeof(w)), 7);
	assert_int_equal(fold_into("Straßee", 8, w, sizeof(w)), -1);
	assert_int_equal(fold_starts("R\xc3\x89PONSE AUTOMATIQUE : absent",
				     "R\xc3\xa9ponse automatique"),
			 1);
	assert_int_equal(fold_starts("Reponse automatique",
				     "R\xc3\xa9ponse automatique"),
			 1);
	assert_int_equal(fold_starts("R\xc3\xa9pons", "R\xc3\xa9ponse"), 0);
}

/* classify's subjects go through the same folding. */
/* The ASCII shortcut gives what libunistring's full folding gives, for
 * every ASCII byte, alone and with a non-ASCII neighbour. */
static void test_ascii_shortcut(void **state)
{
	int c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		uint8_t in[2] = { (uint8_t)c, 0 }, tmp[16];
		size_t len = sizeof(tmp);
		uint8_t *slow = u8_casefold(in, 1, NULL, UNINORM_NFKD, tmp, &len);
		char *fast = fold_str((const char *)in), *mixed;
		char with[8];

		assert_non_null(slow);
		assert_int_equal(strlen(fast), len);
		assert_memory_equal(fast, slow, len);
		/* beside an accented letter, the slow path runs */
		snprintf(with, sizeof(with), "%c\xc3\x89", c);
		mixed = fold_str(with);
		assert_memory_equal(mixed, fast, len);
		assert_string_equal(mixed + len, "e");
		free(mixed);
		free(fast);
	}
}

static void test_vacation_subjects(void **state)
{
	(void)state;
	assert_int_equal(classify_vacation_subject("RESPUESTA AUTOMÁTICA"), 1);
	assert_int_equal(classify_vacation_subject("Respuesta automatica: x"), 1);
	assert_int_equal(classify_vacation_subject("AW: ABWESENHEITSNOTIZ"), 1);
	assert_int_equal(classify_vacation_subject("Re: Resposta"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_and_marks),
		cmocka_unit_test(test_compatibility),
		cmocka_unit_test(test_bare_letters),
		cmocka_unit_test(test_other_scripts),
		cmocka_unit_test(test_invalid_and_limits),
		cmocka_unit_test(test_vacation_subjects),
		cmocka_unit_test(test_ascii_shortcut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
