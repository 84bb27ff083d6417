/* test_cmdwords.c: every word of the command table (cmdwords.c), in every
 * language, read where it belongs: each verb alone, in capitals and
 * without its accents, in each of its contexts; each politeness, pointing
 * word, approval, negation, no-objection phrase, greeting and "and" in a
 * line that uses it.  And the table's own rules: no word with two verbs
 * in one context, no negation that could be skipped as politeness, every
 * verb in every language. */
#include "testutil.h"

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "catalog.h"
#include "cmdwords.h"
#include "command.h"
#include "fold.h"

#define NOT_UNDERSTOOD (-(int)COMMAND_NOT_UNDERSTOOD)
#define NO_COMMAND (-(int)COMMAND_NO_COMMAND)
#define NO_NUMBER (-(int)COMMAND_NO_NUMBER)

static const struct cmdword *tab;
static size_t ntab;

/* The verb text gives in ctx, or minus the problem; *nids the numbers
 * the first command names. */
static int read_as(const char *text, enum command_ctx ctx, size_t *nids)
{
	struct command c[8];
	struct command_report r;
	int n = command_parse_full(text, ctx, c, 8, &r), i, v;

	v = n > 0 ? (int)c[0].verb : -(int)r.problem;
	if (nids)
		*nids = n > 0 ? c[0].nids : 0;
	for (i = 0; i < n; i++)
		command_free(&c[i]);
	return v;
}

static void expect(const char *text, enum command_ctx ctx, int want)
{
	int got = read_as(text, ctx, NULL);

	if (got != want)
		fail_msg("\"%s\" (context %d): %d, not %d", text, (int)ctx, got,
			 want);
}

static void expect_not(const char *text, enum command_ctx ctx, int never)
{
	int got = read_as(text, ctx, NULL);

	if (got == never)
		fail_msg("\"%s\" (context %d) read as %d", text, (int)ctx, got);
}

/* s in capitals (libunistring, not the folding under test). */
static char *upper(const char *s)
{
	size_t len = 0;
	uint8_t *u = u8_toupper((const uint8_t *)s, strlen(s), NULL, NULL,
				NULL, &len);
	char *r;

	assert_non_null(u);
	r = strndup((const char *)u, len);
	free(u);
	return r;
}

/* s as typed on a keyboard without accents: canonical decomposition,
 * combining marks U+0300-U+036F dropped, ł as l. */
static char *bare(const char *s)
{
	size_t len = 0, i, o = 0;
	uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)s, strlen(s),
				  NULL, &len);
	char *r = calloc(len + 1, 1);

	assert_non_null(d);
	for (i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, d + i, len - i);

		if (uc == 0x142)
			r[o++] = 'l';
		else if (uc == 0x141)
			r[o++] = 'L';
		else if (uc < 0x300 || uc > 0x36F) {
			memcpy(r + o, d + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	free(d);
	return r;
}

/* The line that makes entry e's verb in ctx: "show" takes a number, a
 * digest line numbers, edit and reply a text below. */
static void verb_line(char *out, size_t size, const char *w,
		      const struct cmdword *e, enum command_ctx ctx)
{
	const char *nums = ctx == CMD_DIGEST || e->verb == VERB_SHOW ?
				   " 12" :
				   "";
	const char *below = e->verb == VERB_EDIT || e->verb == VERB_REPLY ?
				    "\nThe new text." :
				    "";

	snprintf(out, size, "%s%s%s\n", w, nums, below);
}

/* A word of the verb v, in language lang, that is no short word. */
static const char *word_of(const char *lang, enum verb v)
{
	size_t i;

	for (i = 0; i < ntab; i++)
		if (tab[i].kind == CW_VERB && tab[i].verb == v &&
		    strcmp(tab[i].lang, lang) == 0 &&
		    !(tab[i].flags & (CW_SHORT | CW_NEG_ONLY)) &&
		    (tab[i].ctx & (1u << CMD_NOTIFICATION)))
			return tab[i].text;
	return NULL;
}

static const char *short_of(const char *lang, enum verb v)
{
	size_t i;

	for (i = 0; i < ntab; i++)
		if (tab[i].kind == CW_VERB && tab[i].verb == v &&
		    strcmp(tab[i].lang, lang) == 0 && (tab[i].flags & CW_SHORT))
			return tab[i].text;
	return NULL;
}

/* Every command word, in each of its contexts, as written, in capitals
 * and without accents. */
static void test_every_verb(void **state)
{
	char line[256];
	size_t i, nids;
	int ctx;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *e = &tab[i];
		char *forms[3];
		int f;

		if (e->kind != CW_VERB)
			continue;
		forms[0] = strdup(e->text);
		forms[1] = upper(e->text);
		forms[2] = bare(e->text);
		for (f = 0; f < 3; f++) {
			if (e->flags & CW_NEG_ONLY) {
				/* "publiques" alone is nothing; after "no",
				 * a rejection */
				snprintf(line, sizeof(line), "%s\n", forms[f]);
				expect(line, CMD_NOTIFICATION, NO_COMMAND);
				snprintf(line, sizeof(line), "no %s\n", forms[f]);
				expect(line, CMD_NOTIFICATION, VERB_REJECT);
				continue;
			}
			for (ctx = 0; ctx <= CMD_CONSOLE; ctx++) {
				if (!(e->ctx & (1u << ctx)))
					continue;
				verb_line(line, sizeof(line), forms[f], e, ctx);
				if (read_as(line, ctx, &nids) != (int)e->verb)
					fail_msg("\"%s\" (%s, context %d) is not "
						 "verb %d but %d", line, e->lang,
						 ctx, (int)e->verb,
						 read_as(line, ctx, NULL));
				if ((ctx == CMD_DIGEST || e->verb == VERB_SHOW) &&
				    nids != 1)
					fail_msg("\"%s\": %zu numbers", line, nids);
			}
		}
		for (f = 0; f < 3; f++)
			free(forms[f]);
	}
}

/* Politeness after any command and before one; pointing words after a
 * verb; approval after approve, and never after "no". */
static void test_politeness_pointing_approval(void **state)
{
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *e = &tab[i];
		const char *del = word_of(e->lang, VERB_DELETE);

		switch (e->kind) {
		case CW_POLITE:
			snprintf(line, sizeof(line), "%s, %s\n", del, e->text);
			expect(line, CMD_NOTIFICATION, VERB_DELETE);
			snprintf(line, sizeof(line), "%s %s\n", e->text, del);
			expect(line, CMD_NOTIFICATION,
			       cmdwords_has_flags(tab[i].folded, CW_POLITE,
						  CW_LEAD) ?
				       (int)VERB_DELETE :
				       NO_COMMAND);
			snprintf(line, sizeof(line), "please %s, %s\n", e->text,
				 del);
			expect(line, CMD_NOTIFICATION, VERB_DELETE);
			/* after no, "encore" is "not yet" (test_every_not_yet) */
			snprintf(line, sizeof(line), "%s, %s\n",
				 short_of(e->lang, VERB_REJECT), e->text);
			expect(line, CMD_NOTIFICATION,
			       cmdwords_has(tab[i].folded, CW_NOT_YET) ?
				       NOT_UNDERSTOOD :
				       (int)VERB_REJECT);
			break;
		case CW_NEUTRAL:
			snprintf(line, sizeof(line), "%s %s\n", del, e->text);
			expect(line, CMD_NOTIFICATION, VERB_DELETE);
			break;
		case CW_APPROVING:
			snprintf(line, sizeof(line), "%s, %s\n",
				 short_of(e->lang, VERB_APPROVE), e->text);
			expect(line, CMD_NOTIFICATION, VERB_APPROVE);
			/* "No, that's fine": no objection, no rejection */
			snprintf(line, sizeof(line), "%s, %s\n",
				 short_of(e->lang, VERB_REJECT), e->text);
			expect(line, CMD_NOTIFICATION, NOT_UNDERSTOOD);
			break;
		default:
			break;
		}
	}
}

/* Each negation before and after each approve word of every language is
 * a rejection; with a comma between, or after a short yes, it is never
 * an approval. */
static void test_every_negation(void **state)
{
	char line[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *g = &tab[i];

		if (g->kind != CW_NEGATION)
			continue;
		for (j = 0; j < ntab; j++) {
			const struct cmdword *v = &tab[j];

			if (v->kind != CW_VERB || v->verb != VERB_APPROVE)
				continue;
			snprintf(line, sizeof(line), "%s %s\n", g->text, v->text);
			expect(line, CMD_NOTIFICATION, VERB_REJECT);
			if (v->flags & CW_NEG_ONLY)
				continue;
			snprintf(line, sizeof(line), "%s, %s\n", g->text, v->text);
			expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
			snprintf(line, sizeof(line), "%s, %s\n", v->text, g->text);
			expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
			snprintf(line, sizeof(line), "%s %s %s\n", v->text,
				 g->text, v->text);
			expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
			if (v->flags & CW_SHORT) {
				snprintf(line, sizeof(line), "%s %s\n", v->text,
					 g->text);
				expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
				continue;
			}
			snprintf(line, sizeof(line), "%s %s\n", v->text, g->text);
			expect(line, CMD_NOTIFICATION, VERB_REJECT);
		}
		/* a negated verb that is no approval says what not to do */
		snprintf(line, sizeof(line), "%s %s\n", g->text,
			 word_of(g->lang, VERB_BAN));
		expect_not(line, CMD_NOTIFICATION, VERB_BAN);
		expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
	}
}

/* A negation with a word of time is "not yet": a wait, neither a
 * rejection nor an approval ("Ne le publie pas encore", "Noch nicht
 * veröffentlichen", "Publiceer het nu niet"). */
static void test_every_not_yet(void **state)
{
	char line[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *y = &tab[i];
		const char *yes = word_of(y->lang, VERB_APPROVE);

		if (y->kind != CW_NOT_YET)
			continue;
		for (j = 0; j < ntab; j++) {
			const struct cmdword *g = &tab[j];

			if (g->kind != CW_NEGATION ||
			    strcmp(g->lang, y->lang) != 0)
				continue;
			snprintf(line, sizeof(line), "%s %s %s\n", g->text, yes,
				 y->text);
			expect_not(line, CMD_NOTIFICATION, VERB_REJECT);
			expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
			snprintf(line, sizeof(line), "%s %s, %s\n", yes, g->text,
				 y->text);
			expect_not(line, CMD_NOTIFICATION, VERB_REJECT);
			expect_not(line, CMD_NOTIFICATION, VERB_APPROVE);
		}
	}
}

/* Each no-objection phrase before an approval approves; alone, or before
 * another verb, it is not understood; before a negated approval, it is
 * the rejection. */
static void test_every_no_objection(void **state)
{
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *o = &tab[i];
		const char *yes, *neg = NULL;
		size_t j;

		if (o->kind != CW_NO_OBJECTION)
			continue;
		yes = word_of(o->lang, VERB_APPROVE);
		for (j = 0; j < ntab && !neg; j++)
			if (tab[j].kind == CW_NEGATION &&
			    strcmp(tab[j].lang, o->lang) == 0)
				neg = tab[j].text;
		snprintf(line, sizeof(line), "%s, %s.\n", o->text, yes);
		expect(line, CMD_NOTIFICATION, VERB_APPROVE);
		snprintf(line, sizeof(line), "%s %s 12 13\n", o->text, yes);
		expect(line, CMD_DIGEST, VERB_APPROVE);
		snprintf(line, sizeof(line), "%s\n", o->text);
		expect(line, CMD_NOTIFICATION, NOT_UNDERSTOOD);
		snprintf(line, sizeof(line), "%s, %s\n", o->text,
			 word_of(o->lang, VERB_DELETE));
		expect(line, CMD_NOTIFICATION, NOT_UNDERSTOOD);
		snprintf(line, sizeof(line), "%s, %s %s\n", o->text, neg, yes);
		expect(line, CMD_NOTIFICATION, VERB_REJECT);
		/* a reader's "no problem, thanks" is a comment */
		snprintf(line, sizeof(line), "%s, %s\n", o->text, yes);
		expect(line, CMD_READER, NO_COMMAND);
	}
}

/* Each greeting (with a name, or "all") is skipped before a command. */
static void test_every_greeting(void **state)
{
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < ntab; i++) {
		const struct cmdword *e = &tab[i];
		const char *yes = short_of(e->lang, VERB_APPROVE);

		switch (e->kind) {
		case CW_GREETING:
			snprintf(line, sizeof(line), "%s,\n\n%s\n", e->text, yes);
			expect(line, CMD_NOTIFICATION, VERB_APPROVE);
			snprintf(line, sizeof(line), "%s Łucja!\n%s\n", e->text,
				 yes);
			expect(line, CMD_NOTIFICATION, VERB_APPROVE);
			break;
		case CW_GREETING2:
			snprintf(line, sizeof(line), "%s morgen Anna,\n%s\n",
				 e->text, yes);
			expect(line, CMD_NOTIFICATION, VERB_APPROVE);
			break;
		case CW_GREET_ALL:
			snprintf(line, sizeof(line), "Hello %s,\n%s\n", e->text,
				 yes);
			expect(line, CMD_NOTIFICATION, VERB_APPROVE);
			break;
		case CW_AND:
			snprintf(line, sizeof(line), "%s 12 %s 13\n", yes,
				 e->text);
			{
				size_t nids;

				assert_int_equal(read_as(line, CMD_DIGEST, &nids),
						 VERB_APPROVE);
				assert_int_equal(nids, 2);
			}
			break;
		default:
			break;
		}
	}
}

/* Every language has a word for every verb of every context, a short
 * yes and no, and each kind of word. */
static void test_every_language_complete(void **state)
{
	static const struct {
		enum verb v;
		unsigned ctx;
	} need[] = {
		{ VERB_APPROVE, CW_MOD }, { VERB_REJECT, CW_MOD },
		{ VERB_SPAM, CW_MOD },    { VERB_DELETE, CW_MOD },
		{ VERB_BAN, CW_MOD },     { VERB_UNBAN, CW_MOD },
		{ VERB_EDIT, CW_MOD },    { VERB_TRUST, CW_MOD },
		{ VERB_REPLY, CW_MOD },   { VERB_UNDO, CW_MOD },
		{ VERB_EDIT, CW_READER }, { VERB_DELETE, CW_READER },
		{ VERB_FOLLOW, CW_READER }, { VERB_MUTE, CW_READER },
		{ VERB_UNSUBSCRIBE, CW_READER },
		{ VERB_PENDING, CW_CONSOLE }, { VERB_SHOW, CW_CONSOLE },
		{ VERB_STATS, CW_CONSOLE }, { VERB_HELP, CW_CONSOLE },
	};
	const char *const *codes, *const *lang;
	size_t i, k, nlangs = cmdwords_langs(&codes);
	int kind;

	(void)state;
	/* the eight of the shipped catalogs */
	assert_int_equal(nlangs, 8);
	for (lang = codes; lang < codes + nlangs; lang++) {
		for (k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
			for (i = 0; i < ntab; i++)
				if (tab[i].kind == CW_VERB &&
				    tab[i].verb == need[k].v &&
				    (tab[i].ctx & need[k].ctx) == need[k].ctx &&
				    strcmp(tab[i].lang, *lang) == 0)
					break;
			if (i == ntab)
				fail_msg("%s: no word for verb %d in contexts "
					 "%#x", *lang, (int)need[k].v,
					 need[k].ctx);
		}
		if (!short_of(*lang, VERB_APPROVE) ||
		    !short_of(*lang, VERB_REJECT))
			fail_msg("%s: no short yes or no", *lang);
		for (kind = CW_POLITE; kind <= CW_NOT_YET; kind++) {
			for (i = 0; i < ntab; i++)
				if ((int)tab[i].kind == kind &&
				    strcmp(tab[i].lang, *lang) == 0)
					break;
			if (i == ntab && kind != CW_GREETING2 &&
			    kind != CW_GREET_ALL)
				fail_msg("%s: no word of kind %d", *lang, kind);
		}
	}
	for (i = 0; i < ntab; i++) {
		for (lang = codes; lang < codes + nlangs; lang++)
			if (strcmp(*lang, tab[i].lang) == 0)
				break;
		if (lang == codes + nlangs)
			fail_msg("\"%s\": language %s is not listed", tab[i].text,
				 tab[i].lang);
	}
}

/* The words of the shipped catalogs plus one override file dir/LANG.po
 * holding the entry (slot, English words) -> words; NULL and *err when
 * cmdwords_build() refuses them. */
static struct cmdwords *with_override(const char *lang, const char *slot,
				      const char *english, const char *words,
				      struct mc_err *err)
{
	char *dir = tu_tmpdir(), *po, *p;
	struct catalog *cat;
	struct cmdwords *w;

	po = xasprintf("msgid \"\"\nmsgstr \"\"\n"
		       "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		       "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"
		       "msgctxt \"%s\"\nmsgid \"%s\"\nmsgstr \"%s\"\n",
		       slot, english, words);
	p = tu_write(dir, lang, po, 0644);
	cat = catalog_open(1, dir, err);
	assert_non_null(cat);
	w = cmdwords_build(cat, err);
	catalog_free(cat);
	tu_rmtree(dir);
	free(p);
	free(po);
	free(dir);
	return w;
}

static void expect_refused(const char *lang, const char *slot,
			   const char *english, const char *words,
			   const char *why)
{
	struct mc_err err = { "" };
	struct cmdwords *w = with_override(lang, slot, english, words, &err);

	if (w != NULL)
		fail_msg("%s %s \"%s\" accepted", lang, slot, words);
	if (strstr(err.msg, why) == NULL)
		fail_msg("%s: \"%s\", not \"%s\"", words, err.msg, why);
}

/* The rules of a set of words, which bind a site's override as much as
 * the shipped catalogs: commands are read in every language at once, so
 * no folded word has two verbs in one context; a negation or command
 * word is never politeness, a pointing word or approval (it would be
 * skipped: "ok, nicht" would approve, "nein ja" reject); approval is
 * neither politeness nor a pointing word, which may follow "no";
 * one-word kinds are one word. */
static void test_rules_refuse(void **state)
{
	struct mc_err err = { "" };
	struct cmdwords *w;

	(void)state;
	/* the shipped catalogs keep them */
	w = cmdwords_build(catalog_shipped(), &err);
	if (w == NULL)
		fail_msg("%s", err.msg);
	cmdwords_free(w);
	/* German "ja" is yes: a German reject may not be "ja", and a
	 * Swedish approve may not be the Dutch "nee" */
	expect_refused("de.po", "command words: reject",
		       "reject, rejected, decline, declined", "ablehnen, ja",
		       "two verbs in one context");
	expect_refused("sv.po", "command words: approve",
		       "approve, approved, publish, published, accept, "
		       "accepted", "godkänn, NEE", "two verbs in one context");
	/* a reader's word may mean another verb for moderators */
	w = with_override("sv.po", "reader command words: follow", "follow",
			  "följ, spam", &err);
	if (w == NULL)
		fail_msg("%s", err.msg);
	cmdwords_free(w);
	expect_refused("sv.po", "reply words: politeness", "ty, tks, cheers, "
		       "you, much, lot, a, so, very, again, sorry, regards, "
		       "best", "tack, nicht", "also politeness");
	expect_refused("sv.po", "reply words: pointing at the comment",
		       "it, this, that, one, comment, me, for, is, its",
		       "den, spam", "also politeness");
	expect_refused("sv.po", "reply words: approval", "good, fine, great, "
		       "perfect, cool, nice, looks, all, ahead", "bra, bitte",
		       "approval and also");
	expect_refused("sv.po", "reply words: negations", "not, don't, dont, "
		       "do not, never", "inte, publish", "negation and a command");
	expect_refused("sv.po", "reply words: greetings", "hello, hi, hey, "
		       "hiya, howdy, greetings, dear, morning, evening",
		       "hej, god morgon", "more than one word");
	/* phrases where they belong are fine, and so is "-" */
	w = with_override("sv.po", "reply words: nothing wrong",
			  "no problem, no problems, no objection, no "
			  "objections, not spam, all good",
			  "inga problem, inte spam", &err);
	if (w == NULL)
		fail_msg("%s", err.msg);
	cmdwords_free(w);
	w = with_override("sv.po", "command words: approve, after a negation",
			  "-", "-", &err);
	if (w == NULL)
		fail_msg("%s", err.msg);
	cmdwords_free(w);
}

/* A ninth language is one .po file: its command words are read once its
 * set is current, next to the eight others, and a language without an
 * entry has no words of that kind (never English's again). */
static void test_ninth_language_words(void **state)
{
	struct mc_err err = { "" };
	struct cmdwords *w;
	const char *const *codes;

	(void)state;
	w = with_override("sv.po", "command words: approve",
			  "approve, approved, publish, published, accept, "
			  "accepted", "godkänn, godkänd, publicera", &err);
	if (w == NULL)
		fail_msg("%s", err.msg);
	expect_not("Godkänn\n", CMD_NOTIFICATION, VERB_APPROVE);
	cmdwords_use(w);
	assert_int_equal(cmdwords_langs(&codes), 9);
	expect("Godkänn\n", CMD_NOTIFICATION, VERB_APPROVE);
	expect("GODKAND\n", CMD_NOTIFICATION, VERB_APPROVE);
	expect("Publicera, danke\n", CMD_NOTIFICATION, VERB_APPROVE);
	expect("Genehmigt\n", CMD_NOTIFICATION, VERB_APPROVE);
	tab = cmdwords_table(&ntab);
	assert_null(short_of("sv", VERB_APPROVE));
	assert_non_null(word_of("sv", VERB_APPROVE));
	assert_null(word_of("sv", VERB_REJECT));
	cmdwords_use(NULL);
	tab = cmdwords_table(&ntab);
	expect_not("Godkänn\n", CMD_NOTIFICATION, VERB_APPROVE);
	cmdwords_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_verb),
		cmocka_unit_test(test_politeness_pointing_approval),
		cmocka_unit_test(test_every_negation),
		cmocka_unit_test(test_every_not_yet),
		cmocka_unit_test(test_every_no_objection),
		cmocka_unit_test(test_every_greeting),
		cmocka_unit_test(test_every_language_complete),
		cmocka_unit_test(test_rules_refuse),
		cmocka_unit_test(test_ninth_language_words),
	};

	tab = cmdwords_table(&ntab);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
