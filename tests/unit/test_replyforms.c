/* test_replyforms.c: the tables of replyforms.c, row by row where a row
 * is a language's form (attributions in 30 languages, name first and
 * date first, header fields, "Original Message" lines, phone signatures,
 * list footers), and the sentences that look like them but are not. */
#include "testutil.h"

#include "replyforms.h"

static int attr(const char *s)
{
	return rf_attribution(s, strlen(s));
}

static int field(const char *s)
{
	return rf_header_field(s, strlen(s));
}

static int sep(const char *s)
{
	return rf_separator(s, strlen(s));
}

static int phone(const char *s)
{
	return rf_phone_signature(s, strlen(s));
}

/* One attribution per language as its clients write it (joined from
 * the lines they wrap it over). */
static const char *const attributions[] = {
	/* en */ "On Wed, Jun 5, 2024 at 10:12 AM Blog <c@x.org> wrote:",
	"Blog <c@x.org> wrote:",
	"On 5 Jun 2024, at 10:12, Blog <c@x.org> sent:",
	"2017-11-24 16:32 GMT+01:00 Blog <c@x.org>:",
	"Quoting Blog <c@x.org>:",
	/* fr */ "Le mer. 5 juin 2024 \xC3\xA0 10:12, Blog <c@x.org> a \xC3\xA9"
	"crit :",
	"Blog a \xC3\xA9" "crit\xEF\xBC\x9A",
	/* de */ "Am 05.06.24 um 10:12 schrieb Blog:",
	"Blog <c@x.org> schrieb am 05.06.2024 um 10:12:",
	"Blog hat am 5. Juni geschrieben:",
	/* es */ "El mi\xC3\xA9, 5 jun 2024 a las 10:12, Blog (<c@x.org>) "
	"escribi\xC3\xB3:",
	/* ca */ "El dc., 5 de juny 2024, Blog (<c@x.org>) va escriure:",
	/* it */ "Il giorno mer 5 giu 2024 alle ore 10:12 Blog <c@x.org> ha "
	"scritto:",
	/* nl */ "Op wo 5 jun 2024 om 10:12 schreef Blog <c@x.org>:",
	"Blog schreef op 05-06-2024 om 10:12:",
	/* pt */ "Em qua., 5 de jun. de 2024 \xC3\xA0s 10:12, Blog <c@x.org> "
	"escreveu:",
	/* pl */ "W dniu 5.06.2024 o 10:12, Blog pisze:",
	"\xC5\x9Br., 5 cze 2024 o 10:12 Blog <c@x.org> napisa\xC5\x82(a):",
	/* sv, da, no */ "Den 2024-06-05 kl. 10:12, skrev Blog:",
	"Blog skrev den 5 juni 2024 10:12:",
	"ons. 5. jun. 2024 kl. 10:12 skrev Blog <c@x.org>:",
	/* fi */ "Blog kirjoitti 5.6.2024 klo 10.12:",
	"ke 5. kes\xC3\xA4k. 2024 klo 10.12 Blog (c@x.org) kirjoitti:",
	/* ru */ "05.06.2024 10:12, Blog \xD0\xBF\xD0\xB8\xD1\x88\xD0\xB5\xD1\x82:",
	"\xD1\x81\xD1\x80, 5 \xD0\xB8\xD1\x8E\xD0\xBD. 2024 \xD0\xB3. \xD0\xB2 "
	"10:12, Blog <c@x.org>:",
	/* uk */ "Blog <c@x.org> \xD0\xBF\xD0\xB8\xD1\x88\xD0\xB5:",
	/* vi */ "V\xC3\xA0o Th 4, 5 thg 6, 2024 Blog <c@x.org> \xC4\x91\xC3\xA3 "
	"vi\xE1\xBA\xBFt:",
	/* cs */ "st 5. 6. 2024 v 10:12 odes\xC3\xADlatel Blog <c@x.org> napsal:",
	"Dne 05. 06. 24 v 10:12 Blog napsal(a):",
	/* tr */ "Blog <c@x.org>, 5 Haz 2024 \xC3\x87" "ar, 10:12 tarihinde "
	"\xC5\x9Funu yazd\xC4\xB1:",
	/* ja */ "2024\xE5\xB9\xB4" "6\xE6\x9C\x88" "5\xE6\x97\xA5 10:12 Blog "
	"<c@x.org>:",
	/* zh */ "Blog <c@x.org> \xE4\xBA\x8E" "2024 10:12\xE5\x86\x99\xE9\x81\x93"
	"\xEF\xBC\x9A",
	/* ko */ "2024 10:12, Blog <c@x.org>\xEB\x8B\x98\xEC\x9D\xB4 "
	"\xEC\x9E\x91\xEC\x84\xB1:",
	/* hu */ "Blog <c@x.org> ezt \xC3\xADrta (id\xC5\x91pont: 2024. j\xC3\xBAn. "
	"5., Sze, 10:12):",
	/* ro */ "Pe mie., 5 iun. 2024 la 10:12, Blog <c@x.org> a scris:",
	/* el */ "\xCE\xA3\xCF\x84\xCE\xB9\xCF\x82 5 2024, Blog <c@x.org> "
	"\xCE\xAD\xCE\xB3\xCF\x81\xCE\xB1\xCF\x88\xCE\xB5:",
	/* id */ "Pada tanggal Rab, 5 Jun 2024 Blog <c@x.org> menulis:",
	/* sk, sl, hr, bg, et, lt, lv */
	"Blog nap\xC3\xADsal(a):", "Blog je napisal(a):", "Blog je napisao:",
	"Blog \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0:",
	"Blog kirjutas:", "Blog ra\xC5\xA1\xC4\x97:", "Blog rakst\xC4\xAB" "ja:",
	NULL,
};

static void test_attributions(void **state)
{
	const char *const *a;

	(void)state;
	for (a = attributions; *a; a++) {
		if (!attr(*a))
			fail_msg("not an attribution: %s", *a);
	}
	assert_true(rf_attribution_start("W dniu 5", 8));
	assert_true(rf_attribution_start("On Wed", 6));
	assert_false(rf_attribution_start("Once", 4));
}

static void test_not_attributions(void **state)
{
	(void)state;
	/* no colon at the end */
	assert_false(attr("On Wed, Jun 5, 2024 Blog <c@x.org> wrote"));
	assert_false(attr("As the engineer wrote: nothing to do"));
	assert_false(attr("Comme il a \xC3\xA9" "crit : rien"));
	/* the verb alone is no name */
	assert_false(attr("wrote:"));
	assert_false(attr("\xC3\xA9" "crit :"));
	/* an address and a colon, but no date at the start */
	assert_false(attr("Write to me at <me@x.org>:"));
	/* start word without the verb */
	assert_false(attr("On Monday we met:"));
	assert_false(attr("Quoting the manual:"));
	assert_false(attr(""));
	{ /* a long paragraph that happens to end so */
		char big[600];

		memset(big, 'a', sizeof(big));
		memcpy(big, "On ", 3);
		memcpy(big + sizeof(big) - 8, " wrote:", 8);
		assert_false(attr(big));
		memset(big + 3, 'a', sizeof(big) - 3 - 8);
		big[300] = '\0';
		memcpy(big + 300 - 8, " wrote:", 8);
		assert_true(attr(big));
	}
}

static void test_header_fields(void **state)
{
	(void)state;
	assert_int_equal(field("From: Blog <c@x.org>"), RF_FROM);
	assert_int_equal(field("*From:* Blog"), RF_FROM);
	assert_int_equal(field("De : Blog"), RF_FROM);
	assert_int_equal(field("Envoy\xC3\xA9 le : mercredi"), RF_DATE);
	assert_int_equal(field("Von: Blog"), RF_FROM);
	assert_int_equal(field("Gesendet: Mittwoch"), RF_DATE);
	assert_int_equal(field("Fra: Blog"), RF_FROM);
	assert_int_equal(field("Sendt: 5. juni"), RF_DATE);
	assert_int_equal(field("Fr\xC3\xA5n: Blog"), RF_FROM);
	assert_int_equal(field("\xC3\x84mne: x"), RF_SUBJECT);
	assert_int_equal(field("Verzonden: woensdag"), RF_DATE);
	assert_int_equal(field("Da: Blog"), RF_FROM);
	assert_int_equal(field("Inviato: mercoled\xC3\xAC"), RF_DATE);
	assert_int_equal(field("\xD0\x9E\xD1\x82: Blog"), RF_FROM);
	assert_int_equal(field("\xD0\x9A\xD0\xBE\xD0\xBC\xD1\x83: x"), RF_TO);
	assert_int_equal(field("Wys\xC5\x82" "ano: \xC5\x9Broda"), RF_DATE);
	assert_int_equal(field("\xE5\xB7\xAE\xE5\x87\xBA\xE4\xBA\xBA\xEF\xBC\x9A"
			       " Blog"), RF_FROM);
	assert_int_equal(field("To: x"), RF_TO);
	assert_int_equal(field("Date: Wed"), RF_DATE);
	/* not header lines */
	assert_int_equal(field("From my experience: no"), RF_NONE);
	assert_int_equal(field("Today: rain"), RF_NONE);
	assert_int_equal(field("Dear all:"), RF_NONE);
}

static void test_separators(void **state)
{
	(void)state;
	assert_true(sep("-----Original Message-----"));
	assert_true(sep("-----Urspr\xC3\xBCngliche Nachricht-----"));
	assert_true(sep("-----Messaggio originale-----"));
	assert_true(sep("----- Mensaje original -----"));
	assert_true(sep("-------- P\xC5\xAFvodn\xC3\xAD zpr\xC3\xA1va --------"));
	assert_true(sep("---- Replied Message ----"));
	assert_true(sep("-----Reply Message-----"));
	assert_true(sep("-----Oorspronkelijk bericht-----"));
	assert_true(sep("---------- Forwarded message ---------"));
	assert_true(sep("Begin forwarded message:"));
	assert_true(sep("Anfang der weitergeleiteten Nachricht:"));
	/* the words without dashes are a sentence */
	assert_false(sep("Original message"));
	assert_false(sep("- original message"));
	assert_false(sep("----- Mail originel -----"));
	assert_false(sep("-----"));
}

static void test_phone_signatures(void **state)
{
	(void)state;
	assert_true(phone("Sent from my iPhone"));
	assert_true(phone("Sent from my Wiko"));
	assert_true(phone("Sent from my phone"));
	assert_true(phone("Sent from Yahoo Mail on Android"));
	assert_true(phone("Get Outlook for Android<https://aka.ms/AAb9ysg>"));
	assert_true(phone("Von meinem iPhone gesendet"));
	assert_true(phone("Enviado desde mi Samsung Galaxy"));
	assert_true(phone("Envoy\xC3\xA9 de mon iPad"));
	assert_true(phone("Inviato da iPhone"));
	assert_true(phone("Verzonden vanaf mijn iPhone"));
	assert_true(phone("Wys\xC5\x82" "ane z iPhone'a"));
	assert_true(phone("Skickat fr\xC3\xA5n min iPhone"));
	assert_true(phone("Sendt fra min iPhone"));
	assert_true(phone("L\xC3\xA4hetetty iPhonesta"));
	assert_true(phone("iPhone'umdan g\xC3\xB6nderildi"));
	assert_true(phone("iPhone\xE3\x81\x8B\xE3\x82\x89\xE9\x80\x81\xE4\xBF\xA1"));
	/* sentences that start like one */
	assert_false(phone("Sent from my desk, is much easier"));
	assert_false(phone("Sent from the office as promised."));
	assert_false(phone("Sent from home"));
	assert_false(phone("Sent from my iPhone, I think"));
	assert_false(phone("Wys\xC5\x82" "ane z mojego biura bo w domu nie ma pr"
			   "\xC4\x85" "du od dw\xC3\xB3" "ch dni"));
	assert_false(phone("Das habe ich gestern gesendet."));
	assert_false(phone(""));
}

static void test_list_footers(void **state)
{
	(void)state;
	assert_true(rf_list_footer("blog-readers mailing list", 25));
	assert_true(rf_list_footer("https://lists.x.org/listinfo/b", 30));
	assert_false(rf_list_footer("See you at the meeting", 22));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributions),
		cmocka_unit_test(test_not_attributions),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_phone_signatures),
		cmocka_unit_test(test_list_footers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
