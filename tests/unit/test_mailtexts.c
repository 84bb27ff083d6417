/* test_mailtexts.c: the words of the gateway's mails (src/notify.c,
 * src/reader.c, src/follow.c, src/modmail.c, src/moderate.c,
 * src/console.c, src/ingest.c, and command.c's explanations) are
 * translated in every shipped catalog.
 * Each msgid those files mark (read from po/mailcomments.pot, so a new
 * one is checked without touching this test) is looked up in each
 * language the way the program does (catalog_get, catalog_nget) and must
 * come back translated, with the conversions of the English text; and
 * reader_notice_text(), the commands of every notice to a reader, speaks
 * each of the eight languages. */
#include "testutil.h"

#include <stdio.h>

#include "catalog.h"
#include "command.h"
#include "reader.h"
#include "util.h"

/* Texts that are the same in every language on purpose. */
static const char *const same_everywhere[] = {
	"Re: ", /* RFC 5322 3.6.5: the reply prefix mail programs read */
	NULL,
};

static const char *const shipped[] = { "en", "fr", "de", "es",
				       "it", "pt", "nl", "pl" };

struct entry {
	char *ctx, *id, *plural;
};

static struct entry entries[400];
static size_t nentries;

/* The string of a .pot line `KEYWORD "..."` or `"..."`, unescaped,
 * appended to *to. */
static void add_quoted(char **to, const char *line)
{
	const char *p = strchr(line, '"');
	struct buf b;

	if (p == NULL)
		return;
	buf_init(&b);
	if (*to)
		buf_adds(&b, *to);
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			buf_addc(&b, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
		} else {
			buf_addc(&b, *p);
		}
	}
	free(*to);
	*to = buf_detach(&b);
}

/* The entries of the .pot marked in one of the files above. */
static void read_pot(void)
{
	FILE *f = fopen("po/mailcomments.pot", "r");
	char line[4096], **cur = NULL;
	struct entry e = { NULL, NULL, NULL };
	int ours = 0;

	if (f == NULL)
		fail_msg("po/mailcomments.pot: cannot open (run from the tree)");
	for (;;) {
		int eof = fgets(line, sizeof(line), f) == NULL;

		if (eof || line[0] == '\n') {
			if (e.id && e.id[0] && ours) {
				assert_true(nentries < sizeof(entries) /
							       sizeof(entries[0]));
				entries[nentries++] = e;
			} else {
				free(e.ctx);
				free(e.id);
				free(e.plural);
			}
			memset(&e, 0, sizeof(e));
			cur = NULL;
			ours = 0;
			if (eof)
				break;
			continue;
		}
		/* (the locations of one entry may take several lines) */
		if (strncmp(line, "#:", 2) == 0)
			ours |= strstr(line, "src/notify.c") ||
				strstr(line, "src/reader.c") ||
				strstr(line, "src/follow.c") ||
				strstr(line, "src/modmail.c") ||
				strstr(line, "src/moderate.c") ||
				strstr(line, "src/console.c") ||
				strstr(line, "src/ingest.c") ||
				strstr(line, "src/command.c");
		if (strncmp(line, "msgctxt ", 8) == 0)
			cur = &e.ctx;
		else if (strncmp(line, "msgid_plural ", 13) == 0)
			cur = &e.plural;
		else if (strncmp(line, "msgid ", 6) == 0)
			cur = &e.id;
		else if (line[0] != '"')
			cur = NULL;
		if (cur)
			add_quoted(cur, line);
	}
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	read_pot();
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nentries; i++) {
		free(entries[i].ctx);
		free(entries[i].id);
		free(entries[i].plural);
	}
	return 0;
}

static int exempt(const char *ctx, const char *id)
{
	size_t i;

	/* the command word "spam" is "spam" in most of these languages */
	if (ctx && strcmp(ctx, "command") == 0 && strcmp(id, "spam") == 0)
		return 1;
	for (i = 0; same_everywhere[i]; i++)
		if (strcmp(id, same_everywhere[i]) == 0)
			return 1;
	return 0;
}

/* The printf conversions of s, in order ("%s%lld"), without their field
 * widths: a translation may widen a column (the console's stats) but
 * keeps each conversion's type and precision. */
static void conversions(const char *s, struct buf *out)
{
	for (; *s; s++) {
		if (*s != '%')
			continue;
		if (s[1] == '%') {
			s++;
			continue;
		}
		buf_addc(out, *s++);
		while (*s && strchr("0123456789", *s))
			s++;
		while (*s && strchr("0123456789.-+ #'hlLqjzt", *s))
			buf_addc(out, *s++);
		if (*s)
			buf_addc(out, *s);
		else
			break;
	}
}

static void same_conversions(const char *lang, const char *id,
			     const char *tr)
{
	struct buf a, b;

	buf_init(&a);
	buf_init(&b);
	conversions(id, &a);
	conversions(tr, &b);
	if (strcmp(a.s ? a.s : "", b.s ? b.s : "") != 0)
		fail_msg("%s: \"%s\" has conversions \"%s\", the English \"%s\"",
			 lang, tr, b.s ? b.s : "", a.s ? a.s : "");
	buf_free(&a);
	buf_free(&b);
}

/* The .pot holds the mails' texts: a parser that finds none would make
 * the next test pass on nothing. */
static void test_pot_read(void **state)
{
	size_t i, plurals = 0, ctx = 0;

	(void)state;
	if (nentries < 105)
		fail_msg("only %zu msgids of notify.c, reader.c, follow.c, "
			 "modmail.c, moderate.c, console.c in the .pot",
			 nentries);
	for (i = 0; i < nentries; i++) {
		plurals += entries[i].plural != NULL;
		ctx += entries[i].ctx != NULL;
	}
	assert_true(plurals >= 9); /* digests, flood, a sender's record */
	assert_true(ctx >= 6);     /* the comment states */
}

static void test_every_text_translated(void **state)
{
	static const unsigned long ns[] = { 1, 2, 5, 22 };
	const struct catalog *cat = catalog_shipped();
	size_t l, i, k;

	(void)state;
	for (l = 1; l < sizeof(shipped) / sizeof(shipped[0]); l++) {
		const struct catalog_lang *cl = catalog_lang(cat, shipped[l]);

		if (strcmp(catalog_lang_code(cl), shipped[l]) != 0)
			fail_msg("%s: not shipped", shipped[l]);
		for (i = 0; i < nentries; i++) {
			const struct entry *e = &entries[i];

			if (e->plural == NULL) {
				const char *tr = catalog_get(cl, e->ctx, e->id);

				if (strcmp(tr, e->id) == 0 && !exempt(e->ctx, e->id))
					fail_msg("%s: untranslated: \"%s\"",
						 shipped[l], e->id);
				same_conversions(shipped[l], e->id, tr);
				continue;
			}
			for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
				const char *tr = catalog_nget(cl, e->ctx, e->id,
							      e->plural, ns[k]);

				if (strcmp(tr, e->id) == 0 ||
				    strcmp(tr, e->plural) == 0)
					fail_msg("%s: untranslated for n = %lu: "
						 "\"%s\"",
						 shipped[l], ns[k], e->id);
				same_conversions(shipped[l], e->id, tr);
			}
		}
	}
}

/* The real function, in each language: the English sentences are in
 * English only, and no two languages give the same text. */
/* The word a help line lists ("  WORD<sep>what it does", e ending the
 * line), copied NUL-terminated into word (room for max bytes); its
 * length, or 0 when p is no such line. */
static size_t listed_word(const char *p, const char *e, const char *sep,
			  char *word, size_t max)
{
	const char *w;
	size_t n;

	if (strncmp(p, "  ", 2) != 0 || p[2] == ' ')
		return 0;
	w = strstr(p + 2, sep);
	assert_true(w != NULL && (e == NULL || w < e));
	n = (size_t)(w - (p + 2));
	assert_true(n > 0 && n < max);
	memcpy(word, p + 2, n);
	word[n] = '\0';
	return n;
}

/* The five command words a reader's notice lists (lines "  WORD  ...")
 * are, in its language, ones the parser reads as the five reader
 * commands: a reader can type what the mail shows. */
static void reader_words_readable(const char *lang, const char *text)
{
	const char *p = text;
	unsigned seen = 0;
	int rows = 0;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		struct command cmd;
		const char *why;
		char word[128];
		size_t n = listed_word(p, e, " ", word, 64);

		if (n) {
			/* edit takes its text below */
			memcpy(word + n, "\nThe text.", 11);
			if (command_parse_ctx(word, CMD_READER, &cmd, 1,
					      &why) != 1)
				fail_msg("%s: the notice's \"%.*s\" is no "
					 "reader command", lang, (int)n, word);
			seen |= 1u << cmd.verb;
			command_free(&cmd);
			rows++;
		}
		p = e ? e + 1 : NULL;
	}
	if (rows != 5 ||
	    seen != (1u << VERB_EDIT | 1u << VERB_DELETE | 1u << VERB_FOLLOW |
		     1u << VERB_MUTE | 1u << VERB_UNSUBSCRIBE))
		fail_msg("%s: the notice lists %d words, not the five reader "
			 "commands", lang, rows);
}

static void test_notice_text_languages(void **state)
{
	const struct catalog *cat = catalog_shipped();
	char *text[2][8];
	size_t l, m;
	int own;

	(void)state;
	for (own = 0; own < 2; own++)
		for (l = 0; l < 8; l++) {
			struct buf b;

			buf_init(&b);
			reader_notice_text(&b, catalog_lang(cat, shipped[l]),
					   own);
			text[own][l] = buf_detach(&b);
			reader_words_readable(shipped[l], text[own][l]);
			if (l == 0) {
				assert_non_null(strstr(text[own][l],
						       "Anything else you write"));
				continue;
			}
			if (strstr(text[own][l], "Anything else") ||
			    strstr(text[own][l], "Reply to this mail") ||
			    strstr(text[own][l], "remove your comment") ||
			    strstr(text[own][l], "the moderators"))
				fail_msg("%s: English in the notice:\n%s",
					 shipped[l], text[own][l]);
			for (m = 0; m < l; m++)
				assert_string_not_equal(text[own][l],
							text[own][m]);
		}
	for (own = 0; own < 2; own++)
		for (l = 0; l < 8; l++)
			free(text[own][l]);
}

/* The console's help in each language lists, at the head of its first
 * rows, that language's words as the parser reads them: a word the
 * translator made up would be answered with the help again. */
/* The command word an "undone" notice names (context "command") is, in
 * each language, one the parser reads as that same command: the
 * moderator can type what the mail shows. */
static void test_command_words_readable(void **state)
{
	const struct catalog *cat = catalog_shipped();
	size_t i, l, n = 0;

	(void)state;
	for (i = 0; i < nentries; i++) {
		const struct entry *e = &entries[i];
		struct command want;
		const char *why;
		/* edit and reply take their text below */
		const char *below;
		char text[128];

		if (e->ctx == NULL || strcmp(e->ctx, "command") != 0)
			continue;
		n++;
		below = strcmp(e->id, "edit") == 0 ||
				strcmp(e->id, "reply") == 0 ?
			"\nThe text." : "";
		snprintf(text, sizeof(text), "%s%s", e->id, below);
		if (command_parse_ctx(text, CMD_NOTIFICATION, &want, 1,
				      &why) != 1)
			fail_msg("\"%s\" is no command in English", e->id);
		for (l = 0; l < sizeof(shipped) / sizeof(shipped[0]); l++) {
			const char *w = catalog_get(
				catalog_lang(cat, shipped[l]), "command", e->id);
			struct command got;

			snprintf(text, sizeof(text), "%s%s", w, below);
			if (command_parse_ctx(text, CMD_NOTIFICATION, &got, 1,
					      &why) != 1 ||
			    got.verb != want.verb)
				fail_msg("%s: \"%s\" is not read as \"%s\"",
					 shipped[l], w, e->id);
			command_free(&got);
		}
		command_free(&want);
	}
	assert_true(n >= 9);
}

static void test_console_help_words(void **state)
{
	const struct catalog *cat = catalog_shipped();
	const char *id = NULL;
	size_t i, l;

	(void)state;
	for (i = 0; i < nentries && id == NULL; i++)
		if (strncmp(entries[i].id, "Write to %s (no plus-address)",
			    29) == 0)
			id = entries[i].id;
	assert_non_null(id);
	for (l = 0; l < sizeof(shipped) / sizeof(shipped[0]); l++) {
		const char *p = catalog_get(catalog_lang(cat, shipped[l]),
					    NULL, id);
		const char *end = strstr(p, "\n\n");
		int rows = 0, seen = 0;

		assert_non_null(end);
		while (p < end) {
			const char *e = strchr(p, '\n');
			struct command cmd;
			const char *why;
			char word[64];

			if (listed_word(p, e, "  ", word, sizeof(word))) {
				if (command_parse_ctx(word, CMD_CONSOLE, &cmd, 1,
						      &why) != 1)
					fail_msg("%s: the console help's \"%s\" "
						 "is no console command",
						 shipped[l], word);
				seen |= 1 << (cmd.verb == VERB_PENDING ? 0 :
					      cmd.verb == VERB_SHOW    ? 1 :
					      cmd.verb == VERB_STATS   ? 2 :
					      cmd.verb == VERB_HELP    ? 3 : 4);
				command_free(&cmd);
				rows++;
			}
			p = e + 1;
		}
		if (rows != 4 || seen != 0xf)
			fail_msg("%s: the console help lists %d words, not "
				 "pending, show, stats and help (%#x)",
				 shipped[l], rows, seen);
	}
}

/* The moderators' help rows ("  WORD ...") of the entry whose msgid
 * starts with id, in each language, are commands of ctx the parser reads,
 * giving the verbs of want (bits of enum verb; "non [: motif]" may
 * repeat a verb): a moderator can type what the notification or digest
 * shows. */
static void help_rows_readable(const char *id, enum command_ctx ctx,
			       unsigned want)
{
	const struct catalog *cat = catalog_shipped();
	const char *msgid = NULL;
	size_t i, l;

	for (i = 0; i < nentries && msgid == NULL; i++)
		if (strncmp(entries[i].id, id, strlen(id)) == 0)
			msgid = entries[i].id;
	assert_non_null(msgid);
	for (l = 0; l < sizeof(shipped) / sizeof(shipped[0]); l++) {
		const char *p = catalog_get(catalog_lang(cat, shipped[l]),
					    NULL, msgid);
		unsigned seen = 0;

		while (p && *p) {
			const char *e = strchr(p, '\n');
			struct command cmd;
			const char *why;
			char line[128], text[160];
			size_t n = e ? (size_t)(e - p) : strlen(p), k;

			/* a row: two spaces, a word; the digest's rows name
			 * numbers and a reason, which the line keeps */
			if (n > 2 && n < 128 && strncmp(p, "  ", 2) == 0 &&
			    p[2] != ' ') {
				memcpy(line, p + 2, n - 2);
				line[n - 2] = '\0';
				if (ctx != CMD_DIGEST) {
					k = strcspn(line, " ");
					line[k] = '\0';
				}
				/* edit and reply take their text below */
				snprintf(text, sizeof(text), "%s\nThe text.",
					 line);
				if (command_parse_ctx(text, ctx, &cmd, 1,
						      &why) != 1)
					fail_msg("%s: the help's row \"%.*s\" "
						 "is no command (%s)",
						 shipped[l], (int)n, p,
						 why ? why : "none");
				seen |= 1u << cmd.verb;
				command_free(&cmd);
			}
			p = e ? e + 1 : NULL;
		}
		if (seen != want)
			fail_msg("%s: the help's rows give verbs %#x, not %#x",
				 shipped[l], seen, want);
	}
}

static void test_moderator_help_words(void **state)
{
	(void)state;
	help_rows_readable("Reply to this mail with one of these words on a "
			   "line of its own", CMD_NOTIFICATION,
			   1u << VERB_APPROVE | 1u << VERB_REJECT |
				   1u << VERB_SPAM | 1u << VERB_EDIT |
				   1u << VERB_REPLY | 1u << VERB_TRUST |
				   1u << VERB_BAN);
	help_rows_readable("Reply to this mail with one line per decision",
			   CMD_DIGEST,
			   1u << VERB_APPROVE | 1u << VERB_REJECT |
				   1u << VERB_SPAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pot_read),
		cmocka_unit_test(test_every_text_translated),
		cmocka_unit_test(test_notice_text_languages),
		cmocka_unit_test(test_moderator_help_words),
		cmocka_unit_test(test_console_help_words),
		cmocka_unit_test(test_command_words_readable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
