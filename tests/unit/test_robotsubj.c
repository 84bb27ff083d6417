/* test_robotsubj.c: robots' subject lines (auto-replies, bounces) in many
 * languages, and people's subjects that merely look like them. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fold.h"
#include "robotsubj.h"

/* The tables are compared with a folded subject: each entry must be its
 * own folding, or it could never match. */
static void test_tables_folded(void **state)
{
	int t;

	(void)state;
	for (t = RS_VACATION; t <= RS_PREFIXES; t++) {
		const char *const *p;

		for (p = rs_table(t); *p; p++) {
			char *f = fold_str(*p);

			if (strcmp(f, *p) != 0)
				fail_msg("table %d: \"%s\" folds to \"%s\"", t, *p,
					 f);
			free(f);
		}
	}
}

static void test_vacation(void **state)
{
	static const char *const yes[] = {
		"Auto reply: Your comment", "Automatic reply: New comment",
		"Automatische Antwort: Ihr Kommentar",
		"R\xC3\xA9ponse automatique : Votre commentaire",
		"Out of Office: Nouveau commentaire", "OUT OF OFFICE",
		"Respuesta autom\xC3\xA1tica: Tu comentario",
		"Risposta automatica: Il tuo commento",
		"Automatisch antwoord: Uw reactie", "Autosvar: Din kommentar",
		"Odpowied\xC5\xBA automatyczna: Tw\xC3\xB3j komentarz",
		"Odpowiedz automatyczna: x", "AW: Abwesenheitsnotiz",
		"SV: Autosvar: x", "Re: RE : vacation!",
		"Out of Office AutoReply: Comment", "Out of office until 5 January",
		"Absence du bureau jusqu'au 19 ao\xC3\xBBt", "[Auto-Reply] x",
		"Automaattinen vastaus: x",
		"Automatick\xC3\xA1 odpov\xC4\x9B\xC4\x8F: x",
		"\xD0\x90\xD0\xB2\xD1\x82\xD0\xBE\xD0\xBC\xD0\xB0\xD1\x82\xD0\xB8"
		"\xD1\x87\xD0\xB5\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 \xD0\xBE\xD1\x82"
		"\xD0\xB2\xD0\xB5\xD1\x82: x",
		"\xE8\x87\xAA\xE5\x8A\xA8\xE5\x9B\x9E\xE5\xA4\x8D\xEF\xBC\x9Ax",
		"Auto: Votre commentaire", NULL,
	};
	static const char *const no[] = {
		"Out of office hours, who answers the phone?",
		"Vacation photos from Brittany", "Autonomie en hiver",
		"Re: Reply", "", "About your out of office reply",
		"Automatic replies are annoying", "Ausentes y presentes",
		"Autosvaret fungerar inte", NULL,
	};
	const char *const *p;

	(void)state;
	for (p = yes; *p; p++)
		if (!rs_vacation(*p))
			fail_msg("not recognised: \"%s\"", *p);
	for (p = no; *p; p++)
		if (rs_vacation(*p))
			fail_msg("taken for an auto-reply: \"%s\"", *p);
}

static void test_bounce(void **state)
{
	static const char *const yes[] = {
		"Undelivered Mail Returned to Sender",
		"Delivery Status Notification (Failure)",
		"Mail delivery failed: returning message to sender",
		"failure notice", "Returned mail: see transcript for details",
		"Undeliverable: Your comment", "Unzustellbar: Ihr Kommentar",
		"Non remis : Votre commentaire", "Non remis: x",
		"No se puede entregar: x", "Onbestelbaar: x",
		"Niedostarczalne: x", "DELIVERY FAILURE: User x not listed",
		"Warning: could not send message for past 4 hours",
		"\xD0\x9D\xD0\xB5\xD0\xB4\xD0\xBE\xD1\x81\xD1\x82\xD0\xB0\xD0\xB2"
		"\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xBE: x",
		"Notification d'\xC3\xA9tat de remise (\xC3\xA9" "chec)",
		"Unzustellbare Nachricht an den Absender zur\xC3\xBC" "ck", NULL,
	};
	static const char *const no[] = {
		"Re: Undelivered Mail Returned to Sender",
		"Fwd: Mail delivery failed", "Undeliverables and other words",
		"My comment on delivery failures", "", "Returned mailbox", NULL,
	};
	const char *const *p;

	(void)state;
	for (p = yes; *p; p++)
		if (!rs_bounce(*p))
			fail_msg("not recognised: \"%s\"", *p);
	for (p = no; *p; p++)
		if (rs_bounce(*p))
			fail_msg("taken for a bounce: \"%s\"", *p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_folded),
		cmocka_unit_test(test_vacation),
		cmocka_unit_test(test_bounce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
