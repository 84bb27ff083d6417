/* cmdwords.c: the reply words of every catalog language, read from the
 * catalogs' "command words" and "reply words" entries, folded, indexed
 * and checked.
 *
 * Each language gives: the verbs moderators type (imperative,
 * infinitive, the past participle they answer with: "genehmigt",
 * "aprobado", "zatwierdzone"; the Spanish and Italian imperatives with
 * the pronoun glued on: "publícalo", "eliminalo"), yes and no, the
 * readers' and the console's words, politeness, the little words that
 * point at the comment, words of approval, negations, the phrases that
 * say nothing is wrong, and greetings.  Only one spelling of each word:
 * folding makes "approuvé" and "approuve", "usuń" and "usun" one word.
 *
 * Words the shipped catalogs leave out on purpose: words that mean one
 * thing in one language and another in a second where both could head a
 * reply ("keur" is approve and, in "keur af", reject; "vrijgeven" is
 * release or publish), and the Polish pronoun "ją", which folds to the
 * German and Dutch "ja": "nie, ją" must not hold a yes.  A word of
 * approval is never also a word that may follow "no" (politeness,
 * pointing words): the English "go" of "go ahead" is the Polish "go"
 * (it), so only "ahead" approves.  cmdwords_build() enforces what a rule
 * can: a site's override cannot give one word two verbs. */
#include <stdlib.h>
#include <string.h>

#include "cmdwords.h"
#include "fold.h"
#include "log.h"
#include "util.h"
#include "banned.h"

/* Marks a (context, words) pair for xgettext (keyword WORDS_:1c,2) and
 * fills both fields of a slot. */
#define WORDS_(ctx, s) ctx, s

/* One catalog entry of words: what they are, and the entry. */
struct cw_slot {
	enum cw_kind kind;
	enum verb verb;
	unsigned ctx;
	unsigned flags;
	const char *msgctxt;
	const char *msgid; /* the English words */
};

static const struct cw_slot slots[] = {
	/* TRANSLATORS: A short "yes": approves when it is the answer, and
	 * also starts ordinary sentences, so it takes no free reason after
	 * it. Each "... command words" and "reply words" entry is a
	 * comma-separated list of the words or phrases people of your
	 * language type, accents and case as they come (both are ignored
	 * when reading); "-" for none. Every language is read at once: never
	 * list a word that, first in a reply, means something else in
	 * another language of the catalogs (the tests check).
	 */
	{ CW_VERB, VERB_APPROVE, CW_MOD, CW_SHORT,
	  WORDS_("command words: yes",
		 "yes, ok, okay") },
	/* TRANSLATORS: A short "no": rejects when it is the answer, and also
	 * starts ordinary sentences.
	 */
	{ CW_VERB, VERB_REJECT, CW_MOD, CW_SHORT,
	  WORDS_("command words: no",
		 "no") },
	/* TRANSLATORS: A moderator approves (publishes) a comment:
	 * imperative, infinitive, and the past participle people answer
	 * with.
	 */
	{ CW_VERB, VERB_APPROVE, CW_MOD, 0,
	  WORDS_("command words: approve",
		 "approve, approved, publish, published, accept, accepted") },
	/* TRANSLATORS: Forms of "approve" said only after a negation ("no lo
	 * publiques"); "-" if your language has none.
	 */
	{ CW_VERB, VERB_APPROVE, CW_MOD, CW_NEG_ONLY,
	  WORDS_("command words: approve, after a negation",
		 "-") },
	/* TRANSLATORS: A moderator rejects a comment (it is not published). */
	{ CW_VERB, VERB_REJECT, CW_MOD, 0,
	  WORDS_("command words: reject",
		 "reject, rejected, decline, declined") },
	/* TRANSLATORS: A moderator marks a comment as spam. */
	{ CW_VERB, VERB_SPAM, CW_MOD, 0,
	  WORDS_("command words: spam",
		 "spam") },
	/* TRANSLATORS: A moderator removes an already published comment. */
	{ CW_VERB, VERB_DELETE, CW_MOD, 0,
	  WORDS_("command words: delete",
		 "delete, deleted, remove, unpublish") },
	/* TRANSLATORS: A moderator bans the comment's author. */
	{ CW_VERB, VERB_BAN, CW_MOD, 0,
	  WORDS_("command words: ban",
		 "ban") },
	/* TRANSLATORS: A moderator lifts a ban. */
	{ CW_VERB, VERB_UNBAN, CW_MOD, 0,
	  WORDS_("command words: unban",
		 "unban") },
	/* TRANSLATORS: A moderator edits a comment (the new text follows). */
	{ CW_VERB, VERB_EDIT, CW_MOD, 0,
	  WORDS_("command words: edit",
		 "edit") },
	/* TRANSLATORS: A moderator trusts the author: later comments are
	 * published at once.
	 */
	{ CW_VERB, VERB_TRUST, CW_MOD, 0,
	  WORDS_("command words: trust",
		 "trust") },
	/* TRANSLATORS: A moderator publishes a reply to the comment (the
	 * text follows).
	 */
	{ CW_VERB, VERB_REPLY, CW_MOD, 0,
	  WORDS_("command words: reply",
		 "reply, answer") },
	/* TRANSLATORS: A moderator undoes the last decision. */
	{ CW_VERB, VERB_UNDO, CW_MOD, 0,
	  WORDS_("command words: undo",
		 "undo") },
	/* TRANSLATORS: A reader asks to remove their own comment. */
	{ CW_VERB, VERB_DELETE, CW_READER, 0,
	  WORDS_("reader command words: delete",
		 "delete, remove") },
	/* TRANSLATORS: A reader corrects their own comment (the new text
	 * follows).
	 */
	{ CW_VERB, VERB_EDIT, CW_READER, 0,
	  WORDS_("reader command words: edit",
		 "edit") },
	/* TRANSLATORS: A reader asks to be mailed about new comments on the
	 * article.
	 */
	{ CW_VERB, VERB_FOLLOW, CW_READER, 0,
	  WORDS_("reader command words: follow",
		 "follow") },
	/* TRANSLATORS: A reader stops mails about replies to their comment. */
	{ CW_VERB, VERB_MUTE, CW_READER, 0,
	  WORDS_("reader command words: mute",
		 "mute") },
	/* TRANSLATORS: A reader stops every mail from the site. */
	{ CW_VERB, VERB_UNSUBSCRIBE, CW_READER, 0,
	  WORDS_("reader command words: unsubscribe",
		 "unsubscribe, stop") },
	/* TRANSLATORS: The moderators' console: list comments awaiting a
	 * decision.
	 */
	{ CW_VERB, VERB_PENDING, CW_CONSOLE, 0,
	  WORDS_("console command words: pending",
		 "pending") },
	/* TRANSLATORS: The moderators' console: show one comment. */
	{ CW_VERB, VERB_SHOW, CW_CONSOLE, 0,
	  WORDS_("console command words: show",
		 "show") },
	/* TRANSLATORS: The moderators' console: statistics. */
	{ CW_VERB, VERB_STATS, CW_CONSOLE, 0,
	  WORDS_("console command words: stats",
		 "stats") },
	/* TRANSLATORS: The moderators' console: help. */
	{ CW_VERB, VERB_HELP, CW_CONSOLE, 0,
	  WORDS_("console command words: help",
		 "help") },
	/* TRANSLATORS: Politeness that may come before the command on its
	 * line ("please delete", "thanks, approved").
	 */
	{ CW_POLITE, VERB_NONE, 0, CW_LEAD,
	  WORDS_("reply words: politeness that may open a line",
		 "thanks, thank, thx, please, pls, plz") },
	/* TRANSLATORS: Politeness around a command, never first on its line
	 * ("approve, thank you very much").
	 */
	{ CW_POLITE, VERB_NONE, 0, 0,
	  WORDS_("reply words: politeness",
		 "ty, tks, cheers, you, much, lot, a, so, very, again, "
		 "sorry, regards, best") },
	/* TRANSLATORS: Little words that point at the comment ("approve it",
	 * "delete this one").
	 */
	{ CW_NEUTRAL, VERB_NONE, 0, 0,
	  WORDS_("reply words: pointing at the comment",
		 "it, this, that, one, comment, me, for, is, its") },
	/* TRANSLATORS: Words of approval after "approve" ("approved, looks
	 * good"); never a word that may follow "no".
	 */
	{ CW_APPROVING, VERB_NONE, 0, 0,
	  WORDS_("reply words: approval",
		 "good, fine, great, perfect, cool, nice, looks, all, "
		 "ahead") },
	/* TRANSLATORS: Negations that turn the next command word around
	 * ("don't publish"); phrases allowed.
	 */
	{ CW_NEGATION, VERB_NONE, 0, 0,
	  WORDS_("reply words: negations",
		 "not, don't, dont, do not, never") },
	/* TRANSLATORS: Phrases that say nothing is wrong, before an approval
	 * ("no problem, publish it").
	 */
	{ CW_NO_OBJECTION, VERB_NONE, 0, 0,
	  WORDS_("reply words: nothing wrong",
		 "no problem, no problems, no objection, no objections, "
		 "not spam, all good") },
	/* TRANSLATORS: Greetings skipped before the command ("Hello Anna,
	 * approved").
	 */
	{ CW_GREETING, VERB_NONE, 0, 0,
	  WORDS_("reply words: greetings",
		 "hello, hi, hey, hiya, howdy, greetings, dear, morning, "
		 "evening") },
	/* TRANSLATORS: The first word of a two-word greeting whose second
	 * word may be anything ("good morning").
	 */
	{ CW_GREETING2, VERB_NONE, 0, 0,
	  WORDS_("reply words: first word of a two-word greeting",
		 "good") },
	/* TRANSLATORS: Words after a greeting that are no name ("hello
	 * everyone", "how are you").
	 */
	{ CW_GREET_ALL, VERB_NONE, 0, 0,
	  WORDS_("reply words: after a greeting",
		 "all, everyone, everybody, team, there, folks, guys, a, "
		 "how, are, you") },
	/* TRANSLATORS: Time words: with a negation, "not yet" means wait,
	 * not reject.
	 */
	{ CW_NOT_YET, VERB_NONE, 0, 0,
	  WORDS_("reply words: time",
		 "yet, now, later, until, before") },
	/* TRANSLATORS: The word that joins comment numbers in a digest ("12
	 * and 13").
	 */
	{ CW_AND, VERB_NONE, 0, 0,
	  WORDS_("reply words: and",
		 "and") },
};

struct cmdwords {
	struct cmdword *v; /* sorted by folded text, then slot order */
	size_t n, alloc;
	char **langs;      /* the catalog's codes, in its order */
	size_t nlangs;
};

/* The folding of t with apostrophes, hyphens and runs of spaces made one
 * space, as command.c splits words. */
static char *fold_entry(const char *t)
{
	char *f = fold_str(t), *r = f, *w = f;

	for (; *r; r++) {
		char c = *r == '\'' || *r == '-' ? ' ' : *r;

		if (c == ' ' && (w == f || w[-1] == ' '))
			continue;
		*w++ = c;
	}
	while (w > f && w[-1] == ' ')
		w--;
	*w = '\0';
	return f;
}

static void cw_add(struct cmdwords *w, const char *lang,
		   const struct cw_slot *s, const char *text, size_t len)
{
	struct cmdword *e;
	char *t = xstrndup(text, len);

	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 1024;
		w->v = xrealloc(w->v, w->alloc * sizeof(*w->v));
	}
	e = &w->v[w->n++];
	e->lang = lang;
	e->kind = s->kind;
	e->text = t;
	e->folded = fold_entry(t);
	e->slot = s->msgctxt;
	e->verb = s->verb;
	e->ctx = s->ctx;
	e->flags = s->flags;
}

/* Adds the comma-separated words of one slot in one language. */
static void cw_add_list(struct cmdwords *w, const char *lang,
			const struct cw_slot *s, const char *list)
{
	const char *p = list;

	if (strcmp(list, "-") == 0)
		return;
	while (*p) {
		const char *end = strchr(p, ','), *q;

		if (end == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (q = end; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		if (q > p)
			cw_add(w, lang, s, p, (size_t)(q - p));
		p = *end ? end + 1 : end;
	}
}

static int by_folded(const void *a, const void *b)
{
	const struct cmdword *x = a, *y = b;
	int c = strcmp(x->folded, y->folded);

	/* slot, then text: a stable order whatever qsort does */
	if (c == 0)
		c = (x->slot > y->slot) - (x->slot < y->slot);
	if (c == 0)
		c = strcmp(x->lang, y->lang);
	return c ? c : strcmp(x->text, y->text);
}

/* The entries whose folding is f: [returned, *end), next to each other
 * since the table is sorted by folding. */
static size_t cw_range(const struct cmdwords *w, const char *f, size_t *end)
{
	size_t lo = 0, hi = w->n, e;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(w->v[mid].folded, f) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (e = lo; e < w->n && strcmp(w->v[e].folded, f) == 0; e++)
		;
	*end = e;
	return lo;
}

static int set_has(const struct cmdwords *w, const char *f,
		   enum cw_kind kind, unsigned flags)
{
	size_t k, end;

	for (k = cw_range(w, f, &end); k < end; k++)
		if (w->v[k].kind == kind && (w->v[k].flags & flags) == flags)
			return 1;
	return 0;
}

static enum verb set_verb(const struct cmdwords *w, const char *f,
			  enum command_ctx ctx, int neg, unsigned *flags)
{
	size_t k, end;

	for (k = cw_range(w, f, &end); k < end; k++) {
		const struct cmdword *e = &w->v[k];

		if (e->kind != CW_VERB || !(e->ctx & (1u << ctx)) ||
		    ((e->flags & CW_NEG_ONLY) && !neg))
			continue;
		if (flags)
			*flags = e->flags;
		return e->verb;
	}
	if (flags)
		*flags = 0;
	return VERB_NONE;
}

/* Why entry e breaks a rule of the set, or NULL.  *other: the entry it
 * clashes with, if one. */
static const char *cw_rule(const struct cmdwords *w, size_t i,
			   const struct cmdword **other)
{
	const struct cmdword *e = &w->v[i];
	const char *f = e->folded;
	int phrase = e->kind == CW_NEGATION || e->kind == CW_NO_OBJECTION;
	size_t k, end;

	*other = NULL;
	if (*f == '\0' || strlen(f) >= 32)
		return "is empty or too long once folded";
	if (!phrase && strchr(f, ' '))
		return "is more than one word where one word is read";
	if (strchr(f, ' '))
		return NULL;
	if ((e->kind == CW_NEGATION || e->kind == CW_VERB) &&
	    (set_has(w, f, CW_POLITE, 0) || set_has(w, f, CW_NEUTRAL, 0) ||
	     set_has(w, f, CW_APPROVING, 0)))
		return "is a command word or negation and also politeness, a "
		       "pointing word or approval, which are skipped";
	/* approval after "no" would reject ("No, go ahead") */
	if (e->kind == CW_APPROVING &&
	    (set_has(w, f, CW_POLITE, 0) || set_has(w, f, CW_NEUTRAL, 0)))
		return "is approval and also politeness or a pointing word, "
		       "which may follow \"no\"";
	if (e->kind == CW_NEGATION) {
		enum verb v = set_verb(w, f, CMD_NOTIFICATION, 1, NULL);

		if (v != VERB_NONE && v != VERB_REJECT)
			return "is a negation and a command word";
	}
	if (e->kind != CW_VERB)
		return NULL;
	/* the entries of the same folding are next to it */
	for (k = cw_range(w, f, &end); k < end; k++) {
		if (w->v[k].kind == CW_VERB && (w->v[k].ctx & e->ctx) &&
		    w->v[k].verb != e->verb) {
			*other = &w->v[k];
			return "has two verbs in one context";
		}
	}
	return NULL;
}

static int cw_check(const struct cmdwords *w, struct mc_err *err)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct cmdword *e = &w->v[i], *o;
		const char *why = cw_rule(w, i, &o);

		if (why == NULL)
			continue;
		if (o)
			return err_set(err, "%s: \"%s\" (%s) %s: also \"%s\" "
				       "(%s, %s)", e->lang, e->text, e->slot,
				       why, o->text, o->lang, o->slot);
		return err_set(err, "%s: \"%s\" (%s) %s", e->lang, e->text,
			       e->slot, why);
	}
	return 0;
}

struct cmdwords *cmdwords_build(const struct catalog *cat,
				struct mc_err *err)
{
	struct cmdwords *w = xcalloc(1, sizeof(*w));
	const char *const *codes;
	size_t i, s;

	w->nlangs = catalog_langs(cat, &codes);
	w->langs = xcalloc(w->nlangs, sizeof(*w->langs));
	for (i = 0; i < w->nlangs; i++) {
		const struct catalog_lang *l = catalog_lang(cat, codes[i]);

		w->langs[i] = xstrdup(codes[i]);
		for (s = 0; s < sizeof(slots) / sizeof(slots[0]); s++) {
			const char *list;

			/* English is the msgids, unless an en.po says
			 * otherwise; another language without the entry has
			 * no words of that kind */
			if (strcmp(codes[i], "en") == 0)
				list = catalog_get(l, slots[s].msgctxt,
						   slots[s].msgid);
			else
				list = catalog_find(l, slots[s].msgctxt,
						    slots[s].msgid);
			if (list)
				cw_add_list(w, w->langs[i], &slots[s], list);
		}
	}
	qsort(w->v, w->n, sizeof(*w->v), by_folded);
	if (cw_check(w, err) < 0) {
		cmdwords_free(w);
		return NULL;
	}
	return w;
}

void cmdwords_free(struct cmdwords *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		free((char *)w->v[i].text);
		free((char *)w->v[i].folded);
	}
	for (i = 0; i < w->nlangs; i++)
		free(w->langs[i]);
	free(w->langs);
	free(w->v);
	free(w);
}

static const struct cmdwords *current;

/* The shipped catalogs' words, built once per process and kept to its
 * end.  Never NULL: were they to break a rule (test_cmdwords checks they
 * do not), the reason is logged once and English alone is read. */
static const struct cmdwords *shipped(void)
{
	static struct cmdwords *w;
	struct mc_err err = { "" };

	if (w == NULL && (w = cmdwords_build(catalog_shipped(), &err)) == NULL) {
		log_warnx("command words of the shipped catalogs: %s", err.msg);
		w = cmdwords_build(NULL, &err);
	}
	return w;
}

static const struct cmdwords *words(void)
{
	return current ? current : shipped();
}

void cmdwords_use(const struct cmdwords *w)
{
	current = w;
}

const struct cmdword *cmdwords_table(size_t *n)
{
	*n = words()->n;
	return words()->v;
}

size_t cmdwords_langs(const char *const **codes)
{
	*codes = (const char *const *)words()->langs;
	return words()->nlangs;
}

enum verb cmdwords_verb(const char *w, enum command_ctx ctx, int neg,
			unsigned *flags)
{
	return set_verb(words(), w, ctx, neg, flags);
}

int cmdwords_has(const char *w, enum cw_kind kind)
{
	return set_has(words(), w, kind, 0);
}

int cmdwords_has_flags(const char *w, enum cw_kind kind, unsigned flags)
{
	return set_has(words(), w, kind, flags);
}
