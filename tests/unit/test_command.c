/* test_command.c: reading moderators' commands, English and French. */
#include "testutil.h"

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
	/* only the first meaningful line counts */
	assert_int_equal(first("hello\napprove\n", 0), VERB_NONE);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_first_meaningful_line),
		cmocka_unit_test(test_reject_reason),
		cmocka_unit_test(test_edit_and_reply_text),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_digest_edit_below),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
