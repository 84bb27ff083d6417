/* test_command.c: reading moderators' commands, in English and French
 * first, then in every language as moderators write them (every word of
 * the table: test_cmdwords.c). */
#include "testutil.h"

#include "catalog.h"
#include "command.h"

static enum verb first(const char *text, int digest)
{
	struct command c[8];
	const char *why;
	int n = command_parse(text, digest, c, 8, &why), i;
	enum verb v = n > 0 ? c[0].verb : VERB_NONE;

	for (i = 0; i < n; i++)
		command_free(&c[i]);
	return v;
}

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(first("approve", 0), VERB_APPROVE);
	assert_int_equal(first("OK!", 0), VERB_APPROVE);
	assert_int_equal(first("Oui.", 0), VERB_APPROVE);
	assert_int_equal(first("Approuvé", 0), VERB_APPROVE);
	assert_int_equal(first("APPROUVER", 0), VERB_APPROVE);
	assert_int_equal(first("non", 0), VERB_REJECT);
	assert_int_equal(first("Refuser : hors sujet", 0), VERB_REJECT);
	assert_int_equal(first("spam", 0), VERB_SPAM);
	assert_int_equal(first("Supprimer", 0), VERB_DELETE);
	assert_int_equal(first("délete", 0), VERB_DELETE);
	assert_int_equal(first("bannir", 0), VERB_BAN);
	assert_int_equal(first("débannir", 0), VERB_UNBAN);
	assert_int_equal(first("trust", 0), VERB_TRUST);
	assert_int_equal(first("Annuler", 0), VERB_UNDO);
	assert_int_equal(first("maybe later", 0), VERB_NONE);
	assert_int_equal(first("approvex", 0), VERB_NONE);
	assert_int_equal(first("", 0), VERB_NONE);
}

static void test_first_meaningful_line(void **state)
{
	(void)state;
	assert_int_equal(first("\n\n  \napprove\n", 0), VERB_APPROVE);
	assert_int_equal(first("> quoted approve\n\nreject\n", 0), VERB_REJECT);
	/* only the first meaningful line counts ("hello" is a greeting,
	 * skipped: test_greetings) */
	assert_int_equal(first("maybe\napprove\n", 0), VERB_NONE);
}

static void test_reject_reason(void **state)
{
	struct command c[2];
	const char *why;

	(void)state;
	assert_int_equal(command_parse("reject off-topic, sorry\n", 0, c, 2, &why), 1);
	assert_string_equal(c[0].arg, "off-topic, sorry");
	command_free(&c[0]);
	assert_int_equal(command_parse("non: hors sujet\n", 0, c, 2, &why), 1);
	assert_string_equal(c[0].arg, "hors sujet");
	command_free(&c[0]);
	assert_int_equal(command_parse("reject\n", 0, c, 2, &why), 1);
	assert_null(c[0].arg);
	command_free(&c[0]);
}

static void test_edit_and_reply_text(void **state)
{
	struct command c[2];
	const char *why;

	(void)state;
	assert_int_equal(command_parse("edit\nCorrected text.\nSecond line.\n\n> quoted\n",
				       0, c, 2, &why), 1);
	assert_int_equal(c[0].verb, VERB_EDIT);
	assert_string_equal(c[0].text, "Corrected text.\nSecond line.");
	command_free(&c[0]);
	assert_int_equal(command_parse("répondre\n\nMerci !\n", 0, c, 2, &why), 1);
	assert_int_equal(c[0].verb, VERB_REPLY);
	assert_string_equal(c[0].text, "Merci !");
	command_free(&c[0]);
	assert_int_equal(command_parse("edit\n\n", 0, c, 2, &why), -1);
	assert_non_null(why);
}

static void test_digest(void **state)
{
	struct command c[8];
	const char *why;
	int n;

	(void)state;
	n = command_parse("approve 12 13, #14\nreject 15 off-topic\nspam 16\n\n"
			  "thanks\n", 1, c, 8, &why);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].nids, 3);
	assert_int_equal(c[0].ids[2], 14);
	assert_int_equal(c[1].verb, VERB_REJECT);
	assert_int_equal(c[1].ids[0], 15);
	assert_string_equal(c[1].arg, "off-topic");
	assert_int_equal(c[2].verb, VERB_SPAM);
	while (n > 0)
		command_free(&c[--n]);
	assert_int_equal(command_parse("approve\n", 1, c, 8, &why), -1);
	assert_non_null(strstr(why, "number"));
	assert_int_equal(command_parse("approve 1\nreject\n", 1, c, 8, &why), -1);
	assert_int_equal(command_parse("ban @spam.example\n", 1, c, 8, &why), 1);
	assert_string_equal(c[0].arg, "@spam.example");
	command_free(&c[0]);
	assert_int_equal(command_parse("approve 1x\n", 1, c, 8, &why), -1);
	/* beyond int64: malformed, not INT64_MAX */
	assert_int_equal(command_parse("approve 99999999999999999999\n", 1, c,
				       8, &why),
			 -1);
	assert_int_equal(command_parse("approve 9223372036854775807\n", 1, c,
				       8, &why),
			 1);
	assert_int_equal(c[0].ids[0], INT64_MAX);
	command_free(&c[0]);
}

/* In a digest, "edit N" or "reply N" below other lines takes the text
 * under it, as on the first line; without text it is refused.  (It used
 * to come back with no text: the edit then published the comment
 * unedited, and the reply failed the whole batch.  Found by
 * fuzz/fuzz_command.c.) */
static void test_digest_edit_below(void **state)
{
	struct command c[8];
	const char *why;
	int n;

	(void)state;
	n = command_parse("approve 12\nedit 13\nLe texte corrigé.\n"
			  "> quoted\n", 1, c, 8, &why);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].verb, VERB_APPROVE);
	assert_int_equal(c[1].verb, VERB_EDIT);
	assert_int_equal(c[1].nids, 1);
	assert_int_equal(c[1].ids[0], 13);
	assert_non_null(c[1].text);
	assert_string_equal(c[1].text, "Le texte corrigé.");
	while (n > 0)
		command_free(&c[--n]);
	n = command_parse("reject 1\nreply 2\nMerci !\n", 1, c, 8, &why);
	assert_int_equal(n, 2);
	assert_int_equal(c[1].verb, VERB_REPLY);
	assert_non_null(c[1].text);
	assert_string_equal(c[1].text, "Merci !");
	while (n > 0)
		command_free(&c[--n]);
	assert_int_equal(command_parse("approve 12\nedit 13\n", 1, c, 8, &why),
			 -1);
	assert_non_null(strstr(why, "edit"));
	assert_int_equal(command_parse("approve 12\nreply 13\n\n> q\n", 1, c,
				       8, &why),
			 -1);
	assert_non_null(strstr(why, "reply"));
}

/* ---- issue 10: a command is a line that IS a command --------------- */

/* Parses text in ctx; returns the count, the first verb in *v and the
 * report in *r (commands freed). */
static int parse(const char *text, enum command_ctx ctx, enum verb *v,
		 struct command_report *r)
{
	struct command c[8];
	int n = command_parse_full(text, ctx, c, 8, r), i;

	*v = n > 0 ? c[0].verb : VERB_NONE;
	for (i = 0; i < n; i++)
		command_free(&c[i]);
	return n;
}

static int verb_of(const char *text, enum command_ctx ctx)
{
	struct command_report r;
	enum verb v;

	return parse(text, ctx, &v, &r) > 0 ? (int)v : -(int)r.problem;
}

#define N CMD_NOTIFICATION
#define NOT_UNDERSTOOD (-(int)COMMAND_NOT_UNDERSTOOD)
#define NO_COMMAND (-(int)COMMAND_NO_COMMAND)
#define CONTRADICTION (-(int)COMMAND_CONTRADICTION)

/* The misreadings of issue 10: a sentence that starts with a command
 * word is not understood, and quoted in the report. */
static void test_sentences(void **state)
{
	struct command_report r;
	enum verb v;

	(void)state;
	assert_int_equal(parse("No problem with this one, publish it.\n", N,
			       &v, &r), -1);
	assert_int_equal(r.problem, COMMAND_NOT_UNDERSTOOD);
	assert_string_equal(r.line, "No problem with this one, publish it.");
	assert_non_null(r.why);
	assert_int_equal(parse("Non disponible jusqu'au 5 janvier.\n\n"
			       "Cordialement,\nCamille\n", N, &v, &r), -1);
	assert_int_equal(r.problem, COMMAND_NOT_UNDERSTOOD);
	assert_string_equal(r.line, "Non disponible jusqu'au 5 janvier.");
	assert_int_equal(verb_of("OK so I had a look and I am not sure", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Yes but the link is dubious", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Approve the first one only", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Reply to him that he is wrong", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Ban him", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Spam? not sure", N), NOT_UNDERSTOOD);
	/* a question is not an order */
	assert_int_equal(verb_of("Reject?", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("ok ou pas ?", N), NOT_UNDERSTOOD);
	/* "no objection" is no rejection */
	assert_int_equal(verb_of("No, that's fine", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Non, c'est bon", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Non, c'est très bien", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("No, go ahead", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("No worries", N), NOT_UNDERSTOOD);
	/* two verbs on one line */
	assert_int_equal(verb_of("Reject the other one, approve this", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Yes, reject it", N), NOT_UNDERSTOOD);
	/* a line that is no command at all is reported apart */
	assert_int_equal(parse("Peut-être plus tard\n", N, &v, &r), 0);
	assert_int_equal(r.problem, COMMAND_NO_COMMAND);
	assert_string_equal(r.line, "Peut-être plus tard");
	assert_null(r.why);
	assert_int_equal(parse("\n\n", N, &v, &r), 0);
	assert_string_equal(r.line, "");
}

/* The quoted line is cleaned for a terminal and a mail, and cut. */
static void test_quoted_line(void **state)
{
	struct command_report r;
	enum verb v;
	char long_line[400];
	struct buf b;

	(void)state;
	assert_int_equal(parse("No \x1b]52;c;aGk=\x07 way\n", N, &v, &r), -1);
	assert_null(strchr(r.line, '\x1b'));
	assert_null(strchr(r.line, '\x07'));
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "non ", 4);
	long_line[sizeof(long_line) - 1] = '\0';
	assert_int_equal(parse(long_line, N, &v, &r), -1);
	assert_int_equal(strlen(r.line), 103);
	assert_non_null(strstr(r.line, "..."));
	buf_init(&b);
	assert_int_equal(parse("Non disponible\n", N, &v, &r), -1);
	command_explain(&r, catalog_lang(catalog_shipped(), "fr"), &b);
	assert_non_null(strstr(b.s, "«\u00a0Non disponible\u00a0»"));
	assert_non_null(strstr(b.s, "rien n'a été fait"));
	buf_reset(&b);
	command_explain(&r, NULL, &b);
	assert_non_null(strstr(b.s, "\"Non disponible\""));
	assert_non_null(strstr(b.s, "nothing was done"));
	/* every shipped language, its own words */
	buf_reset(&b);
	command_explain(&r, catalog_lang(catalog_shipped(), "de"), &b);
	assert_non_null(strstr(b.s, "„Non disponible“ beginnt mit einem "
				    "Befehlswort"));
	assert_null(strstr(b.s, "nothing was done"));
	buf_reset(&b);
	command_explain(&r, catalog_lang(catalog_shipped(), "pl"), &b);
	assert_non_null(strstr(b.s, "nic nie zostało zrobione"));
	buf_free(&b);
}

/* The command alone, with punctuation, politeness, words that only point
 * at the comment: en and fr, as phones write them. */
static void test_politeness(void **state)
{
	(void)state;
	assert_int_equal(verb_of("approuvé, merci", N), VERB_APPROVE);
	assert_int_equal(verb_of("ok thanks", N), VERB_APPROVE);
	assert_int_equal(verb_of("Approve. Thanks!", N), VERB_APPROVE);
	assert_int_equal(verb_of("oui merci", N), VERB_APPROVE);
	assert_int_equal(verb_of("Oui merci beaucoup 🙂", N), VERB_APPROVE);
	assert_int_equal(verb_of("OK 👍", N), VERB_APPROVE);
	assert_int_equal(verb_of("Yes, publish it", N), VERB_APPROVE);
	assert_int_equal(verb_of("OK, looks good", N), VERB_APPROVE);
	assert_int_equal(verb_of("ok pour moi", N), VERB_APPROVE);
	assert_int_equal(verb_of("Validé", N), VERB_APPROVE);
	assert_int_equal(verb_of("Ok\xc2\xa0!", N), VERB_APPROVE);
	assert_int_equal(verb_of("Supprime-le s’il te plaît", N), VERB_DELETE);
	assert_int_equal(verb_of("Delete it please", N), VERB_DELETE);
	assert_int_equal(verb_of("non merci", N), VERB_REJECT);
	assert_int_equal(verb_of("No thanks.", N), VERB_REJECT);
	assert_int_equal(verb_of("Rejeté", N), VERB_REJECT);
	assert_int_equal(verb_of("undo that, sorry", N), VERB_UNDO);
}

static const char *arg_of(const char *text, enum command_ctx ctx,
			  char *out, size_t size)
{
	struct command c[8];
	const char *why;
	int n = command_parse_ctx(text, ctx, c, 8, &why), i;

	assert_true(n > 0);
	snprintf(out, size, "%s", c[0].arg ? c[0].arg : "(null)");
	for (i = 0; i < n; i++)
		command_free(&c[i]);
	return out;
}

/* A reason after reject words and spam; after "no"/"non" only behind a
 * colon or a dash. */
static void test_reasons(void **state)
{
	char a[200];
	struct command_report r;
	enum verb v;

	(void)state;
	assert_string_equal(arg_of("refuser hors sujet", N, a, sizeof(a)),
			    "hors sujet");
	assert_string_equal(arg_of("Rejeter : hors sujet", N, a, sizeof(a)),
			    "hors sujet");
	assert_string_equal(arg_of("decline - duplicate", N, a, sizeof(a)),
			    "duplicate");
	assert_string_equal(arg_of("spam pharma links", N, a, sizeof(a)),
			    "pharma links");
	assert_string_equal(arg_of("no: spammy", N, a, sizeof(a)), "spammy");
	assert_string_equal(arg_of("non : hors sujet", N, a, sizeof(a)),
			    "hors sujet");
	assert_string_equal(arg_of("Reject, thanks", N, a, sizeof(a)),
			    "(null)");
	assert_int_equal(parse("non, hors sujet", N, &v, &r), -1);
	assert_int_equal(r.problem, COMMAND_NOT_UNDERSTOOD);
	assert_int_equal(r.hint_colon, 1);
	assert_int_equal(verb_of("no spammy", N), NOT_UNDERSTOOD);
	/* ban takes an address */
	assert_string_equal(arg_of("ban spammer@spam.example", N, a, sizeof(a)),
			    "spammer@spam.example");
	assert_string_equal(arg_of("Bannir @spam.example, merci", N, a,
				   sizeof(a)),
			    "@spam.example");
	assert_string_equal(arg_of("ban <spammer@spam.example>.", N, a,
				   sizeof(a)),
			    "spammer@spam.example");
	assert_string_equal(arg_of("ban", N, a, sizeof(a)), "(null)");
}

/* edit and reply: the text below, or after a colon on the line. */
static void test_text_on_the_line(void **state)
{
	struct command c[2];
	const char *why;

	(void)state;
	assert_int_equal(command_parse("reply: Merci, c'est corrigé.\n", 0, c,
				       2, &why), 1);
	assert_string_equal(c[0].text, "Merci, c'est corrigé.");
	command_free(&c[0]);
	assert_int_equal(command_parse("Edit : Il y a une faute.\nSuite.\n\n"
				       "Le 6 août 2024, X a écrit :\n> old\n",
				       0, c, 2, &why), 1);
	assert_string_equal(c[0].text, "Il y a une faute.\nSuite.");
	command_free(&c[0]);
	/* below, up to the signature */
	assert_int_equal(command_parse("edit\nNew text.\n-- \nThomas\n", 0, c,
				       2, &why), 1);
	assert_string_equal(c[0].text, "New text.");
	command_free(&c[0]);
	assert_int_equal(command_parse("répondre\n\nSent from my iPhone\n", 0,
				       c, 2, &why), -1);
	assert_non_null(why);
}

/* Greetings and blank lines before the command, in en and fr. */
static void test_greetings(void **state)
{
	(void)state;
	assert_int_equal(verb_of("Hello,\n\napprove\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Bonjour Camille,\napprouvé, merci\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Hi!\nreject off-topic\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Hey Tom\n\n\nok\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Dear Mr. Smith,\nspam\n", N), VERB_SPAM);
	assert_int_equal(verb_of("Good morning all,\nyes\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Salut !\noui\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Coucou,\n\nnon merci\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Bonsoir à tous,\nsupprimer\n", N),
			 VERB_DELETE);
	assert_int_equal(verb_of("Chère Camille,\noui\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Cher Thomas !\nrefuser\n", N), VERB_REJECT);
	/* a greeting that goes on is text: the first meaningful line */
	assert_int_equal(verb_of("Hi, I am not sure about this one\nok\n", N),
			 NO_COMMAND);
	assert_int_equal(verb_of("Hi, not sure\nok\n", N), NO_COMMAND);
	assert_int_equal(verb_of("Hello :)\nok\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Bonjour Émilie,\nok\n", N), VERB_APPROVE);
	/* a "name" that is a command is no name */
	assert_int_equal(verb_of("Hello ok\nreject\n", N), NO_COMMAND);
	assert_int_equal(verb_of("Hello Ok\nreject\n", N), NO_COMMAND);
}

/* The quote, the attribution line and the signature end the search. */
static void test_quote_attribution_signature(void **state)
{
	(void)state;
	/* top posting: the command, then the quote */
	assert_int_equal(verb_of("approve\n\nOn Tue, Aug 6, 2024 at 11:58 AM "
				 "Le Blog <\ncomments+m_x@example.org> wrote:\n"
				 "> reject\n",
				 N),
			 VERB_APPROVE);
	/* bottom posting: the quote, then the command */
	assert_int_equal(verb_of("Le 06/08/2024 à 12:05, Le Blog a écrit :\n"
				 "> Nouveau commentaire\n>   non [motif]\n\noui\n",
				 N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("On Tue, 6 Aug 2024, Le Blog <\n"
				 "c@example.org> wrote:\n> x\n\nreject\n",
				 N),
			 VERB_REJECT);
	/* greeting, then the quote: nothing of the moderator's before it */
	assert_int_equal(verb_of("Hello,\n\n> approve\n", N), NO_COMMAND);
	/* an attribution no quote follows: the original, unquoted */
	assert_int_equal(verb_of("Bonjour,\nLe lun. 5 août 2024, X a écrit :\n"
				 "approve\n",
				 N),
			 NO_COMMAND);
	/* signatures and phone footers */
	assert_int_equal(verb_of("-- \nok\n", N), NO_COMMAND);
	assert_int_equal(verb_of("Sent from my iPhone\n\nok\n", N), NO_COMMAND);
	assert_int_equal(verb_of("Envoyé de mon iPhone\nok\n", N), NO_COMMAND);
	assert_int_equal(verb_of("ok\n-- \nThomas\nreject\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("oui\n\nEnvoyé de mon iPhone\nnon\n", N),
			 VERB_APPROVE);
	/* Outlook's unquoted original below the answer */
	assert_int_equal(verb_of("refuser hors sujet\n\nThomas\n\nDe : Le Blog\n"
				 "Envoyé : mardi\n  approve   publish\n",
				 N),
			 VERB_REJECT);
	assert_int_equal(verb_of("ok\n-----Original Message-----\nreject\n", N),
			 VERB_APPROVE);
}

/* Two contradicting commands: nothing. */
static void test_contradictions(void **state)
{
	struct command_report r;
	enum verb v;
	struct command c[8];
	const char *why;
	int n;

	(void)state;
	assert_int_equal(parse("approve\nreject\n", N, &v, &r), -1);
	assert_int_equal(r.problem, COMMAND_CONTRADICTION);
	assert_string_equal(r.line, "approve");
	assert_string_equal(r.line2, "reject");
	assert_int_equal(verb_of("oui\n\nnon, finalement\n", N), CONTRADICTION);
	assert_int_equal(verb_of("Bonjour,\nok\nspam\n", N), CONTRADICTION);
	/* the same verb twice, politeness, a sign-off: no contradiction */
	assert_int_equal(verb_of("approve\nok\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("OK\n\nThanks a lot,\nThomas\n", N),
			 VERB_APPROVE);
	/* the text of an edit or reply is not read as commands */
	assert_int_equal(verb_of("reply\nNo, this is wrong.\n", N), VERB_REPLY);
	/* digest: one comment under two verbs */
	n = command_parse_full("approve 12 13\nspam 14\nreject 13 off-topic\n",
			       CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, -1);
	assert_int_equal(r.problem, COMMAND_CONTRADICTION);
	assert_int_equal(r.id, 13);
	assert_string_equal(r.line, "approve 12 13");
	assert_string_equal(r.line2, "reject 13 off-topic");
	/* under one verb twice: fine */
	n = command_parse_ctx("approve 12\napprove 12 13\n", CMD_DIGEST, c, 8,
			      &why);
	assert_int_equal(n, 2);
	while (n > 0)
		command_free(&c[--n]);
	/* more lines than the caller takes: nothing, not the first ones */
	n = command_parse_full("approve 1\napprove 2\napprove 3\n", CMD_DIGEST,
			       c, 2, &r);
	assert_int_equal(n, -1);
	assert_int_equal(r.problem, COMMAND_TOO_MANY);
}

/* Numbers in a single notification: read, for the caller to check. */
static void test_single_numbers(void **state)
{
	struct command c[2];
	const char *why;

	(void)state;
	assert_int_equal(command_parse("approve 8\n", 0, c, 2, &why), 1);
	assert_int_equal(c[0].nids, 1);
	assert_int_equal(c[0].ids[0], 8);
	command_free(&c[0]);
	assert_int_equal(command_parse("approve #7 and #8, thanks\n", 0, c, 2,
				       &why), 1);
	assert_int_equal(c[0].nids, 2);
	assert_int_equal(c[0].ids[1], 8);
	command_free(&c[0]);
	assert_int_equal(command_parse("approve 7\napprove 8\n", 0, c, 2, &why),
			 1);
	assert_int_equal(c[0].nids, 2);
	command_free(&c[0]);
	assert_int_equal(command_parse("reject 8 off-topic\n", 0, c, 2, &why),
			 1);
	assert_int_equal(c[0].ids[0], 8);
	assert_string_equal(c[0].arg, "off-topic");
	command_free(&c[0]);
	assert_int_equal(command_parse("approve\n", 0, c, 2, &why), 1);
	assert_int_equal(c[0].nids, 0);
	command_free(&c[0]);
}

/* Digest lines: numbers, reasons, politeness, greetings; a line not
 * understood refuses the whole reply. */
static void test_digest_lines(void **state)
{
	struct command c[8];
	struct command_report r;
	int n;

	(void)state;
	n = command_parse_full("Bonjour,\n\noui 12 13, merci\nnon 14 hors sujet\n"
			       "\nCordialement\n",
			       CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].nids, 2);
	assert_int_equal(c[1].verb, VERB_REJECT);
	assert_string_equal(c[1].arg, "hors sujet");
	while (n > 0)
		command_free(&c[--n]);
	n = command_parse_full("approve 12\nNo idea about 13\n", CMD_DIGEST, c,
			       8, &r);
	assert_int_equal(n, -1);
	assert_int_equal(r.problem, COMMAND_NOT_UNDERSTOOD);
	assert_string_equal(r.line, "No idea about 13");
	n = command_parse_full("approve\n", CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, -1);
	assert_int_equal(r.problem, COMMAND_NO_NUMBER);
	n = command_parse_full("ban\n", CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, -1);
	assert_int_equal(r.problem, COMMAND_NO_NUMBER);
	n = command_parse_full("edit 12: Le texte.\n", CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].text, "Le texte.");
	command_free(&c[0]);
}

/* The reader's and the console's words follow the same line rules; the
 * reader's plain text (a new comment) is 0, a half command -1. */
static void test_reader_and_console(void **state)
{
	struct command c[2];
	struct command_report r;

	(void)state;
	assert_int_equal(verb_of("Thanks, good point!\n", CMD_READER),
			 NO_COMMAND);
	assert_int_equal(verb_of("Stop sending me these mails, I never asked\n",
				 CMD_READER),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Bonjour,\nsupprimer, merci\n", CMD_READER),
			 VERB_DELETE);
	assert_int_equal(verb_of("unsubscribe\n", CMD_READER), VERB_UNSUBSCRIBE);
	assert_int_equal(verb_of("Delete this please\n", CMD_READER),
			 VERB_DELETE);
	/* no numbers for a reader: the notice is about one comment */
	assert_int_equal(verb_of("delete 12\n", CMD_READER), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("follow\nmute\n", CMD_READER), CONTRADICTION);
	/* a reader's "approve" is plain text */
	assert_int_equal(verb_of("approve\n", CMD_READER), NO_COMMAND);
	assert_int_equal(command_parse_full("Hello,\nshow #12 please\n",
					    CMD_CONSOLE, c, 2, &r),
			 1);
	assert_int_equal(c[0].verb, VERB_SHOW);
	assert_int_equal(c[0].ids[0], 12);
	command_free(&c[0]);
	assert_int_equal(verb_of("show\n", CMD_CONSOLE),
			 -(int)COMMAND_NO_NUMBER);
	assert_int_equal(verb_of("pending 3\n", CMD_CONSOLE), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Stats, merci\n", CMD_CONSOLE), VERB_STATS);
	assert_int_equal(verb_of("Help me please I am lost\n", CMD_CONSOLE),
			 NOT_UNDERSTOOD);
}

/* Replies in de, es, it, pt, nl, pl, as moderators write them: greeting,
 * command, politeness, capitals, missing accents. */
static void test_languages(void **state)
{
	(void)state;
	assert_int_equal(verb_of("Hallo,\n\ngenehmigt, danke\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("GENEHMIGT\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Guten Morgen zusammen,\nVeröffentlichen, "
				 "bitte.\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Veroeffentlichen\n", N), NO_COMMAND);
	assert_int_equal(verb_of("Ja, passt.\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Bitte löschen\n", N), VERB_DELETE);
	assert_int_equal(verb_of("Hola:\naprobado, gracias\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Buenas tardes Ana,\nAPROBADO\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Sí, publícalo por favor\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Si publicalo\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Vale, gracias\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Por favor, bórralo\n", N), VERB_DELETE);
	assert_int_equal(verb_of("Ciao Marco,\npubblicalo pure, grazie\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Sì, va bene\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Olá,\naprovado, obrigada\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Bom dia!\nSim, obrigado\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Hoi,\ngoedgekeurd, dank je\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Ja hoor, publiceer maar\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Publiceer maar, alvast bedankt\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Dzień dobry,\nzatwierdź, dziękuję\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("zatwierdz\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Cześć Łukasz,\ntak\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Proszę usunąć\n", N), VERB_DELETE);
	assert_int_equal(verb_of("usun go\n", N), VERB_DELETE);
	assert_int_equal(verb_of("Witam,\n\nNie, dziękuję.\n", N), VERB_REJECT);
	/* "how are you?" after the greeting */
	assert_int_equal(verb_of("Olá, tudo bem?\naprovado\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Hola, ¿qué tal?\nvale\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Hallo Jonas, wie geht's?\nja\n", N),
			 VERB_APPROVE);
	/* full-width, from a keyboard left in that mode */
	assert_int_equal(verb_of("\xef\xbc\xaf\xef\xbc\xab\n", N), VERB_APPROVE);
	/* phones: the command, the footer, the quote */
	assert_int_equal(verb_of("Genehmigt\n\nVon meinem iPhone gesendet\n\n"
				 "Am 06.08.2024 um 11:58 schrieb Le Blog <\n"
				 "c@example.org>:\n> Neuer Kommentar\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Rechazado, es spam\n\nEnviado desde mi "
				 "iPhone\n", N),
			 VERB_REJECT);
	assert_int_equal(verb_of("Odrzuć\n\nWysłane z iPhone'a\n", N),
			 VERB_REJECT);
	/* sentences are still sentences */
	assert_int_equal(verb_of("Ja, aber der Link ist seltsam\n", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("No sé, publícalo si quieres\n", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Tak jak mówiłem, usuń\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Nie wiem\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Löschen? Weiß nicht\n", N), NOT_UNDERSTOOD);
}

/* Negations are never approvals: a negated approve word rejects, a
 * negation beside a yes is not understood, and "no problem" before an
 * approval is no negation. */
static void test_negations(void **state)
{
	char a[200];

	(void)state;
	assert_int_equal(verb_of("No lo publiques\n", N), VERB_REJECT);
	assert_int_equal(verb_of("No, no lo publiques.\n", N), VERB_REJECT);
	assert_int_equal(verb_of("no publicar\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Kein Problem, veröffentlichen.\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("kein problem veroffentlichen\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Bitte nicht veröffentlichen.\n", N),
			 VERB_REJECT);
	assert_int_equal(verb_of("Nein, nicht veröffentlichen.\n", N),
			 VERB_REJECT);
	assert_int_equal(verb_of("Veröffentliche es nicht\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Kein Problem, nicht veröffentlichen\n", N),
			 VERB_REJECT);
	assert_string_equal(arg_of("Nicht veröffentlichen: Werbung", N, a,
				   sizeof(a)),
			    "Werbung");
	assert_int_equal(verb_of("Nicht löschen\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Kein Problem\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Kein Problem, ablehnen\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Kein Spam, freigeben\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("OK, nicht veröffentlichen\n", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Ja, nein\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Sin problema, publícalo\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("No es spam, apruébalo\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("No es spam\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Non pubblicare, grazie\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Nessun problema, pubblica\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Não publique\n", N), VERB_REJECT);
	assert_int_equal(verb_of("nao publicar\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Sem problema, publique\n", N), VERB_APPROVE);
	assert_int_equal(verb_of("Niet publiceren\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Publiceer het niet\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Geen probleem, publiceer maar\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Nie publikuj tego\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Nie ma problemu, opublikuj\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Ne le publie pas\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Ne pas publier, merci\n", N), VERB_REJECT);
	assert_int_equal(verb_of("N'approuvez pas\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Pas de problème, publie-le\n", N),
			 VERB_APPROVE);
	assert_int_equal(verb_of("Don't publish it\n", N), VERB_REJECT);
	assert_int_equal(verb_of("Please don’t approve this one\n", N),
			 VERB_REJECT);
	assert_int_equal(verb_of("Do not approve\n", N), VERB_REJECT);
	assert_int_equal(verb_of("No problem, publish it.\n", N), VERB_APPROVE);
	/* not yet: a wait, no rejection */
	assert_int_equal(verb_of("Ne le publie pas encore\n", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Noch nicht veröffentlichen\n", N), NO_COMMAND);
	assert_int_equal(verb_of("No lo publiques todavía\n", N),
			 NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Non, merci encore\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Oui, merci encore\n", N), VERB_APPROVE);
	/* a comma ends a negation: "No, publish it" is no "not publish" */
	assert_int_equal(verb_of("No, publish it\n", N), NOT_UNDERSTOOD);
	assert_int_equal(verb_of("Publish it, not\n", N), NOT_UNDERSTOOD);
	/* digests: numbers after a negated approval */
	assert_int_equal(verb_of("nicht veröffentlichen 14\n", CMD_DIGEST),
			 VERB_REJECT);
	assert_int_equal(verb_of("Kein Problem, veröffentlichen 12\n",
				 CMD_DIGEST),
			 VERB_APPROVE);
	/* a negation of an approval beside an approval contradicts it */
	assert_int_equal(verb_of("genehmigt\nnicht veröffentlichen\n", N),
			 CONTRADICTION);
}

/* Digests, readers and the console in the other languages. */
static void test_languages_contexts(void **state)
{
	struct command c[8];
	struct command_report r;
	int n;

	(void)state;
	n = command_parse_full("Hallo,\n\nja 12 und 13\nnein 14 Werbung\n"
			       "Spam 15\n\nViele Grüße\nAnna\n",
			       CMD_DIGEST, c, 8, &r);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].verb, VERB_APPROVE);
	assert_int_equal(c[0].nids, 2);
	assert_int_equal(c[1].verb, VERB_REJECT);
	assert_string_equal(c[1].arg, "Werbung");
	assert_int_equal(c[2].verb, VERB_SPAM);
	while (n > 0)
		command_free(&c[--n]);
	n = command_parse_full("tak 3 i 4\nodrzuć 5: reklama\n", CMD_DIGEST, c,
			       8, &r);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].nids, 2);
	assert_string_equal(c[1].arg, "reklama");
	while (n > 0)
		command_free(&c[--n]);
	assert_int_equal(verb_of("borrar, por favor\n", CMD_READER),
			 VERB_DELETE);
	assert_int_equal(verb_of("Bitte löschen\n", CMD_READER), VERB_DELETE);
	assert_int_equal(verb_of("BAJA\n", CMD_READER), VERB_UNSUBSCRIBE);
	assert_int_equal(verb_of("Kein Problem, danke!\n", CMD_READER),
			 NO_COMMAND);
	assert_int_equal(verb_of("genehmigt\n", CMD_READER), NO_COMMAND);
	/* a reader's comment that opens with politeness or a negation */
	assert_int_equal(verb_of("Thank you! Follow-up question: why?\n",
				 CMD_READER),
			 NO_COMMAND);
	assert_int_equal(verb_of("Don't remove the old posts, please\n",
				 CMD_READER),
			 NO_COMMAND);
	assert_int_equal(verb_of("Please stop\n", CMD_READER),
			 VERB_UNSUBSCRIBE);
	assert_int_equal(verb_of("Hallo,\nStatistik, bitte\n", CMD_CONSOLE),
			 VERB_STATS);
	assert_int_equal(command_parse_full("pokaż 12\n", CMD_CONSOLE, c, 2, &r),
			 1);
	assert_int_equal(c[0].verb, VERB_SHOW);
	assert_int_equal(c[0].ids[0], 12);
	command_free(&c[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_first_meaningful_line),
		cmocka_unit_test(test_reject_reason),
		cmocka_unit_test(test_edit_and_reply_text),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_digest_edit_below),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_quoted_line),
		cmocka_unit_test(test_politeness),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_text_on_the_line),
		cmocka_unit_test(test_greetings),
		cmocka_unit_test(test_quote_attribution_signature),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_single_numbers),
		cmocka_unit_test(test_digest_lines),
		cmocka_unit_test(test_reader_and_console),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_negations),
		cmocka_unit_test(test_languages_contexts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
