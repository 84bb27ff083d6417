/* test_extract.c: the body extraction rules of mailcomments(1)'s parse,
 * one by one:
 * trailing whitespace, signatures, mobile footers, forwarded/original
 * message markers, header blocks in any language and order, attributions
 * (on one line and wrapped over two or three, dashed, date first), phone
 * signatures above an unquoted original, list footers, leftover rules and
 * wrapped links, the inline-reply rule against top- and bottom-posting,
 * and blank lines; each with the look-alike sentences that stay. */
#include "testutil.h"

#include "extract.h"

static void expect(const char *in, const char *want)
{
	char *t = extract_body(in, strlen(in));

	assert_string_equal(t, want);
	free(t);
}

static void test_trailing_whitespace_and_blanks(void **state)
{
	(void)state;
	expect("\n\n  \nHello   \t\nworld \xC2\xA0\n\n\n\nBye\n\n", "Hello\nworld\n\nBye");
	expect("", "");
	expect("\n\n", "");
	expect("no final newline", "no final newline");
}

static void test_signature(void **state)
{
	(void)state;
	expect("Text\n-- \nJean Dupont\nhttps://jean.example\n", "Text");
	expect("Text\n--\nJean\n", "Text");
	/* not a separator: more than two dashes, or quoted */
	expect("Text\n---\nmore\n", "Text\n---\nmore");
	expect("Text\n--- \n", "Text\n---");
}

static void test_mobile_footers(void **state)
{
	(void)state;
	expect("Great!\n\nSent from my iPhone\n", "Great!");
	expect("Great!\nSent from my Samsung Galaxy smartphone.\n", "Great!");
	expect("Super\n\nEnvoy\xC3\xA9 de mon iPhone\n", "Super");
	expect("Super\nEnvoy\xC3\xA9 depuis mon appareil mobile\n", "Super");
	expect("Ok\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n", "Ok");
	expect("Ok\n\nT\xC3\xA9l\xC3\xA9" "charger Outlook pour Android\n",
	       "Ok");
	expect("Ja\n\nVon meinem iPhone gesendet\n", "Ja");
	expect("S\xC3\xAD\n\nEnviado desde mi iPhone\n", "S\xC3\xAD");
	expect("S\xC3\xAC\n\nInviato da iPhone\n", "S\xC3\xAC");
	expect("Yo\n\nSent from Yahoo Mail on Android\n", "Yo");
	expect("Hi\n\nSent from Mail for Windows\n", "Hi");
	/* only when it is the last line of the new text */
	expect("Sent from my iPhone, I think\nbut more text\n",
	       "Sent from my iPhone, I think\nbut more text");
	/* above the quote of a phone reply */
	expect("Yes!\n\nSent from my iPhone\n\n> On 29 Jul 2024, at 10:00, "
	       "Jean <j@x.org> wrote:\n> \n> Question?\n",
	       "Yes!");
}

static void test_quoted_material_cut(void **state)
{
	(void)state;
	expect("Mine\n\n-----Original Message-----\nFrom: X\nold\n", "Mine");
	expect("Mine\n-----Message d'origine-----\nold\n", "Mine");
	expect("Mine\n-------- Message d'origine --------\nold\n", "Mine");
	expect("Mine\n-------- Original Message --------\nold\n", "Mine");
	expect("Look:\n\n---------- Forwarded message ---------\nFrom: X\n",
	       "Look:");
	expect("Vois\n-------- Message transf\xC3\xA9r\xC3\xA9 --------\nx\n",
	       "Vois");
	expect("FYI\n\nBegin forwarded message:\n\nFrom: X\n", "FYI");
	expect("Pour info\n\nD\xC3\xA9" "but du message r\xC3\xA9" "exp\xC3\xA9"
	       "di\xC3\xA9\xC2\xA0:\n\nDe: X\n",
	       "Pour info");
	expect("Mine\n\n________________________________\nFrom: X\n", "Mine");
	/* 31 underscores are just a line */
	expect("Mine\n_______________________________\nx\n",
	       "Mine\n_______________________________\nx");
	/* Yahoo quotes under the attribution without ">" */
	expect("Merci\nJo\n    Le mardi 30 juillet 2024 \xC3\xA0 15:20, Blog a "
	       "\xC3\xA9" "crit :\n\n Old notice\nline\n", "Merci\nJo");
	expect("Thanks\n\nOn Tue, Jul 30, 2024 at 3:20 PM Blog wrote:\nold\n",
	       "Thanks");
	/* not without a date, nor when quotes follow (rule 4 handles it) */
	expect("On the hill Jean wrote:\nnew text\n",
	       "On the hill Jean wrote:\nnew text");
	expect("Hi\nOn Tue, Jul 30, 2024 Blog wrote:\nmine\n> old\n",
	       "Hi\nOn Tue, Jul 30, 2024 Blog wrote:\nmine");
	/* Zimbra's markers, French and English */
	expect("Mine\n----- Mail original -----\nx\n", "Mine");
	expect("Mine\n----- Original Message -----\nx\n", "Mine");
	/* the words count, not the number of dashes */
	expect("Mine\n---- Mail original ----\nx\n", "Mine");
	expect("Mine\n---- Mail originel ----\nx\n",
	       "Mine\n---- Mail originel ----\nx");
}

static void test_outlook_header_block(void **state)
{
	(void)state;
	expect("Answer\n\nFrom: Jean <j@x.org>\nSent: Monday, July 29, 2024\n"
	       "To: Blog\nSubject: Re: x\n\nOld text\n",
	       "Answer");
	expect("R\xC3\xA9ponse\n\nDe : Jean\nEnvoy\xC3\xA9\xC2\xA0: lundi\n"
	       "\xC3\x80\xC2\xA0: Blog\nObjet\xC2\xA0: x\n\nvieux\n",
	       "R\xC3\xA9ponse");
	expect("Antwort\n\nVon: Jean\nGesendet: Montag\nAn: Blog\nBetreff: x\n",
	       "Antwort");
	expect("Resp\n\nDe: Jean\nEnviado: lunes\nPara: Blog\n", "Resp");
	/* Zimbra: no space before the colons */
	expect("Bonsoir\n\nDe: \"Blog\" <c@x.org>\n\xC3\x80: \"Nat\" <n@y.fr>\n"
	       "Envoy\xC3\xA9: Mardi 30 Juillet 2024\nObjet: Re\n\nvieux\n",
	       "Bonsoir");
	expect("Ans\n*From:* Jean\n*Date:* Mon\n*Subject:* x\n", "Ans");
	/* a From: line alone is text */
	expect("From: my experience\nit works\n", "From: my experience\nit works");
	/* Sent/To too far below */
	expect("From: a\n1\n2\n3\n4\nSent: x\nTo: y\n",
	       "From: a\n1\n2\n3\n4\nSent: x\nTo: y");
}

static void test_attributions_one_line(void **state)
{
	(void)state;
	expect("Yes.\n\nOn Mon, Jul 29, 2024 at 10:00 AM Jean <j@x.org> wrote:\n"
	       "> Question?\n",
	       "Yes.");
	expect("Oui.\n\nLe lun. 29 juil. 2024 \xC3\xA0 10:00, Jean <j@x.org> a "
	       "\xC3\xA9" "crit :\n> Question ?\n",
	       "Oui.");
	expect("Oui.\nLe 29/07/2024 \xC3\xA0 10:00, Jean a \xC3\xA9" "crit:\n>"
	       " q\n",
	       "Oui.");
	expect("Ja.\n\nAm 29.07.2024 um 10:00 schrieb Jean Dupont <j@x.org>:\n"
	       "> Frage?\n",
	       "Ja.");
	expect("S\xC3\xAD.\n\nEl lun, 29 jul 2024 a las 10:00, Jean "
	       "(<j@x.org>) escribi\xC3\xB3:\n> Pregunta\n",
	       "S\xC3\xAD.");
	expect("S\xC3\xAC.\n\nIl giorno lun 29 lug 2024 alle ore 10:00 Jean ha "
	       "scritto:\n> Domanda\n",
	       "S\xC3\xAC.");
	expect("S\xC3\xAC.\n\nIl 29/07/2024 10:00, Jean ha scritto:\n> D\n",
	       "S\xC3\xAC.");
	expect("Ja.\n\nOp ma 29 jul. 2024 om 10:00 schreef Jean <j@x.org>:\n"
	       "> Vraag\n",
	       "Ja.");
	expect("Sim.\n\nEm seg., 29 de jul. de 2024 \xC3\xA0s 10:00, Jean "
	       "escreveu:\n> Pergunta\n",
	       "Sim.");
	expect("Ok\n\nJean Dupont wrote:\n> q\n", "Ok");
	expect("Ok\n\nJean Dupont a \xC3\xA9" "crit :\n> q\n", "Ok");
	/* with a no-break space before the colon (French clients) */
	expect("Ok\n\nLe 29 juil. 2024, Jean a \xC3\xA9" "crit\xC2\xA0:\n> q\n",
	       "Ok");
	/* not before a quote: kept */
	expect("He wrote:\nthat it works\n", "He wrote:\nthat it works");
}

static void test_attributions_two_lines(void **state)
{
	(void)state;
	expect("Yes.\n\nOn Mon, Jul 29, 2024 at 10:00 AM Jean Dupont <jean@x.org>"
	       "\nwrote:\n\n> Question?\n",
	       "Yes.");
	expect("Oui.\n\nLe lun. 29 juil. 2024 \xC3\xA0 10:00, Jean Dupont <j@x.org> a"
	       "\n\xC3\xA9" "crit :\n> q\n",
	       "Oui.");
	expect("Ja.\n\nAm Mo., 29. Juli 2024 um 10:00 Uhr schrieb Jean Dupont\n"
	       "<jean@example.org>:\n> q\n",
	       "Ja.");
	expect("S\xC3\xAD.\n\nEl lun, 29 jul 2024 a las 10:00, Jean Dupont\n"
	       "(<jean@example.org>) escribi\xC3\xB3:\n> q\n",
	       "S\xC3\xAD.");
	expect("S\xC3\xAC.\n\nIl giorno lun 29 lug 2024 alle ore 10:00 Jean\n"
	       "<j@x.org> ha scritto:\n> q\n",
	       "S\xC3\xAC.");
	expect("Ja.\n\nOp ma 29 jul. 2024 om 10:00 schreef Jean Dupont\n"
	       "<jean@example.org>:\n> q\n",
	       "Ja.");
	expect("Sim.\n\nEm seg., 29 de jul. de 2024 \xC3\xA0s 10:00, Jean Dupont <\n"
	       "jean@example.org> escreveu:\n> q\n",
	       "Sim.");
	/* a line of text above a one-line generic attribution stays */
	expect("On the train home I read it.\nJean wrote:\n> q\n",
	       "On the train home I read it.");
}

static void test_attributions_three_lines(void **state)
{
	(void)state;
	expect("Thanks\n\nOn Wed, 5 Jun 2024 at 10:12,\nBlog <c@x.org>\nwrote:\n"
	       "> old\n", "Thanks");
	/* French wrapped by Gmail before "écrit :" */
	expect("Merci\n\nLe mer. 5 juin 2024 \xC3\xA0 10:12, Blog <c@x.org> a\n"
	       "\xC3\xA9" "crit :\n\n> vieux\n", "Merci");
	/* name first, the address wrapped */
	expect("Tack\n\nDen ons 5 juni 2024 kl 10:12 skrev Blog <\nc@x.org>:\n\n"
	       "> gammal\n", "Tack");
	/* dashed (Zoho), the original unquoted */
	expect("Yes\n\n---- On Wed, 05 Jun 2024 10:12 Blog <c@x.org> wrote ----\n\n"
	       "old text\n", "Yes");
	/* date first, no verb */
	expect("Fine\n\n2017-11-24 16:32 GMT+01:00 Blog <c@x.org>:\n> old\n",
	       "Fine");
	/* unquoted, wrapped over two lines (Yahoo) */
	expect("Bien\n\n    Le mercredi 5 juin 2024 \xC3\xA0 10:12, Blog\n"
	       "<c@x.org> a \xC3\xA9" "crit :\n\n\nvieux texte\n", "Bien");
	/* a sentence above the attribution stays: no blank line between,
	 * or it does not open like an attribution */
	expect("I called them on 5 June.\nMarc wrote:\n> no\n",
	       "I called them on 5 June.");
	expect("Thanks!\nOn Wed, 5 Jun 2024, Blog <c@x.org>\nwrote:\n> old\n",
	       "Thanks!");
	expect("See below, my answer of 5 June.\n\nJean wrote:\n> old\n",
	       "See below, my answer of 5 June.");
	/* a line that opens with a number, in the writer's paragraph */
	expect("Agreed.\n2 of us were there, as\nJean <j@x.org> wrote:\n> old\n",
	       "Agreed.\n2 of us were there, as");
	/* "wrote:" inside a sentence is text */
	expect("As the engineer wrote: nothing to do.\nOk?\n",
	       "As the engineer wrote: nothing to do.\nOk?");
}

static void test_header_blocks_any_language(void **state)
{
	(void)state;
	expect("Tak\n\nFra: Blog\nSendt: 5. juni 2024\nTil: Lars\nEmne: x\n\n"
	       "gammel\n", "Tak");
	expect("Prima\n\nVan: Blog\nVerzonden: woensdag\nAan: Bram\n", "Prima");
	expect("Ok\n\n\xD0\x9E\xD1\x82: Blog\n\xD0\x9E\xD1\x82\xD0\xBF\xD1\x80"
	       "\xD0\xB0\xD0\xB2\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xBE: 5\n\xD0\x9A\xD0"
	       "\xBE\xD0\xBC\xD1\x83: x\n", "Ok");
	/* English blocks that start with Date: or To: */
	expect("Go\n\nDate: Wed, 5 Jun\nTo: Kate\nFrom: Blog\nSubject: x\n\nold\n",
	       "Go");
	expect("Go\n\nTo: Greg\nFrom: Blog\nSent: 6/5/2024\n\nold\n", "Go");
	/* header lines of two kinds, or without a date, are text */
	expect("Plan:\nFrom: Monday\nTo: Wednesday\nSubject to change.\n",
	       "Plan:\nFrom: Monday\nTo: Wednesday\nSubject to change.");
	/* From, To and Subject without a date: the headers a bounce or a
	 * writer copies, not a reply's block */
	expect("The robot sent:\nFrom: Blog\nTo: x\nSubject: y\n\nhello\n",
	       "The robot sent:\nFrom: Blog\nTo: x\nSubject: y\n\nhello");
	expect("De : mon c\xC3\xB4t\xC3\xA9, rien.\nFin\n",
	       "De : mon c\xC3\xB4t\xC3\xA9, rien.\nFin");
	/* separators in other languages */
	expect("Danke\n-----Urspr\xC3\xBCngliche Nachricht-----\nVon: x\n", "Danke");
	expect("Grazie\n-----Messaggio originale-----\nx\n", "Grazie");
	expect("Thx\n---- Replied Message ----\n| From | x |\n", "Thx");
}

static void test_phone_signatures_cut(void **state)
{
	(void)state;
	/* the unquoted original under the phone's signature goes */
	expect("Ok\n\nSent from my Wiko\n\nBlog <c@x.org> a \xC3\xA9" "crit :\n\n"
	       "old\n", "Ok");
	expect("Ok\n\nInviato da iPhone\n\nold text\nmore\n", "Ok");
	expect("Ok\n\nL\xC3\xA4hetetty iPhonesta\n", "Ok");
	/* sentences that start like one stay, and what follows them */
	expect("Sent from my desk, is much easier.\nSo: two days.\n",
	       "Sent from my desk, is much easier.\nSo: two days.");
	expect("Sent from the office as promised.\n\nThe numbers.\n",
	       "Sent from the office as promised.\n\nThe numbers.");
	/* followed by text on the next line: a sentence */
	expect("Sent from my phone\nbecause the laptop died.\n",
	       "Sent from my phone\nbecause the laptop died.");
}

static void test_list_footer(void **state)
{
	(void)state;
	expect("Same here.\n\n__\nreaders mailing list\nr@lists.x.org\n"
	       "https://lists.x.org/listinfo/readers\n", "Same here.");
	/* underscores without a list under them are text */
	expect("a\n__\nb\n", "a\n__\nb");
}

static void test_leftovers(void **state)
{
	(void)state;
	/* a lone rule above a removed quote */
	expect("Thanks.\n\n -----\nOn 2024-06-05 10:12, Blog wrote:\n> old\n",
	       "Thanks.");
	expect("Merci\n\n-----\nDe : Blog\nEnvoy\xC3\xA9 : mercredi\n\xC3\x80 : x\n",
	       "Merci");
	/* a rule the writer ends with, nothing removed after it */
	expect("Thanks.\n-----\n", "Thanks.\n-----");
	/* a wrapped link inside a quote, without its ">" */
	expect("Here.\n\nOn 05.06.2024 10:12, Blog wrote:\n> The report is at "
	       "https://www.example.org/reports/2024/panne/annexes/\nfinal.pdf\n"
	       "> Thanks.\n", "Here.");
	/* a short reply under a link is not part of it */
	expect("> q1 https://x.org/a\nthanks!\n> q2\nok\n",
	       "> q1 https://x.org/a\nthanks!\n> q2\nok");
}

static void test_top_and_bottom_posting(void **state)
{
	(void)state;
	/* top-posting: quotes dropped */
	expect("My answer.\n\nOn Mon, X wrote:\n> q1\n> q2\n", "My answer.");
	/* bottom-posting under one quote block: quotes dropped */
	expect("Jean wrote:\n> q1\n> q2\n\nMy answer.\n", "My answer.");
	/* only quotes: nothing left */
	expect("> q1\n> q2\n", "");
	/* one answer between text and quotes: still not inline */
	expect("Hi,\n> q1\n\nanswer\n", "Hi,\n\nanswer");
}

static void test_inline_reply(void **state)
{
	(void)state;
	expect("Jean wrote:\n> first question?\nfirst answer\n\n"
	       "> second question?\n> more\nsecond answer\n"
	       "> rest of the quote\n> that nobody answered\n",
	       "> first question?\nfirst answer\n\n> second question?\n"
	       "> more\nsecond answer");
	/* blank lines inside quote blocks do not split them */
	expect("> a\n>\n> b\nx\n\n> c\n\ny\n", "> a\n>\n> b\nx\n\n> c\n\ny");
	/* nested quotes are kept as they are */
	expect(">> old\n> q\nans1\n> q2\nans2\n",
	       ">> old\n> q\nans1\n> q2\nans2");
}

static void test_rules_in_order(void **state)
{
	(void)state;
	/* a signature in the quoted part: cut at the first "--" */
	expect("Answer\n-- \nMe\n\nOn X, Y wrote:\n> q\n", "Answer");
	/* a marker after an inline reply still cuts */
	expect("> q1\na1\n> q2\na2\n\n-----Original Message-----\nold\n",
	       "> q1\na1\n> q2\na2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trailing_whitespace_and_blanks),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_mobile_footers),
		cmocka_unit_test(test_quoted_material_cut),
		cmocka_unit_test(test_outlook_header_block),
		cmocka_unit_test(test_attributions_one_line),
		cmocka_unit_test(test_attributions_two_lines),
		cmocka_unit_test(test_attributions_three_lines),
		cmocka_unit_test(test_header_blocks_any_language),
		cmocka_unit_test(test_phone_signatures_cut),
		cmocka_unit_test(test_list_footer),
		cmocka_unit_test(test_leftovers),
		cmocka_unit_test(test_top_and_bottom_posting),
		cmocka_unit_test(test_inline_reply),
		cmocka_unit_test(test_rules_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
