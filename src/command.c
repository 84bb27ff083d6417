/* command.c: the rules that read replies to the gateway, and the rule
 * that a command is a line that IS a command.  The words themselves, in
 * every language, are data in cmdwords.c; words are matched folded
 * (fold.h), so "Approuvé", "APPROUVER" and "approuve" all read the same,
 * and so do "Zatwierdź" and "zatwierdz".  A command may be followed by
 * punctuation ("OK!", "oui."), by the arguments its verb takes (a reason,
 * numbers, an address, a text after a colon) and by politeness ("merci",
 * "thanks"); a negation turns an approval into a rejection ("No lo
 * publiques"), never the other way round.  Anything else on the line
 * makes it a sentence, which is not understood:
 * a gateway that acts on the first word of "No problem with this one,
 * publish it." rejects the comment the moderator meant to publish. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>

#include "catalog.h"
#include "cmdwords.h"
#include "command.h"
#include "fold.h"
#include "term.h"
#include "utf8.h"
#include "util.h"
#include "banned.h"

/* The answer's texts are format strings from the tables below. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"


/* ---- characters and words ----------------------------------------- */

enum cclass { C_SPACE, C_LETTER, C_DIGIT, C_PUNCT };

/* The class of the character at s[i] (its length in *len): what splits
 * words.  No-break spaces are spaces, typographic apostrophes, dashes
 * and quotes are their ASCII punctuation (*pc), emoji and other symbols
 * are punctuation without a name (*pc 0): "OK 👍" is "OK".  Bytes that
 * are not UTF-8 are letters, so they make a word no list knows. */
static enum cclass cclass_at(const char *s, size_t n, size_t i, size_t *len,
			     char *pc)
{
	unsigned char ch = (unsigned char)s[i];
	uint32_t cp;

	*len = 1;
	*pc = 0;
	if (ch < 0x80) {
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
		    ch == '\v')
			return C_SPACE;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
			return C_LETTER;
		if (ch >= '0' && ch <= '9')
			return C_DIGIT;
		*pc = (char)ch;
		return C_PUNCT;
	}
	*len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
	if (*len == 0) {
		*len = 1;
		return C_LETTER;
	}
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
	    cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
		return C_SPACE;
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC)
		*pc = '\'';
	else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212)
		*pc = '-';
	else if (cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D)
		*pc = '"';
	else if (cp == 0x2026)
		*pc = '.';
	else if (cp == 0xBF)
		*pc = '?';
	else if (cp == 0xA1)
		*pc = '!';
	else if (!((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
		   (cp >= 0x2010 && cp <= 0x2BFF) ||
		   (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0x1F000))
		return C_LETTER;
	return C_PUNCT;
}

enum tkind { TK_END, TK_SPACE, TK_WORD, TK_NUM, TK_PUNCT };

struct tok {
	enum tkind k;
	size_t b, e; /* l[b..e) */
	char pc;     /* TK_PUNCT: the ASCII punctuation, or 0 */
};

/* The token of l[0..n) that starts at i: a run of spaces, of letters or
 * of digits, or one punctuation character. */
static void tok_at(const char *l, size_t n, size_t i, struct tok *t)
{
	enum cclass first, c;
	size_t len;
	char pc;

	t->b = t->e = i;
	t->pc = 0;
	if (i >= n) {
		t->k = TK_END;
		return;
	}
	first = cclass_at(l, n, i, &len, &pc);
	t->e = i + len;
	if (first == C_PUNCT) {
		t->k = TK_PUNCT;
		t->pc = pc;
		return;
	}
	t->k = first == C_SPACE ? TK_SPACE : first == C_DIGIT ? TK_NUM : TK_WORD;
	while (t->e < n && (c = cclass_at(l, n, t->e, &len, &pc)) == first)
		t->e += len;
}

/* The folding of l[b..e) (fold.h) into w.  0 when the word is too long
 * to be one the table knows. */
static int fold_word(const char *s, size_t n, char w[32])
{
	return fold_into(s, n, w, 32) >= 0;
}

static int tok_word(const char *l, const struct tok *t, char w[32])
{
	return t->k == TK_WORD && fold_word(l + t->b, t->e - t->b, w);
}

static enum verb lookup(const char *w, enum command_ctx ctx)
{
	return cmdwords_verb(w, ctx, 0, NULL);
}

/* The next token at or after i that is no space, nor an apostrophe or a
 * hyphen: what joins the words of "don't", "non c'è", "publica-o". */
static void next_joined(const char *l, size_t n, size_t i, struct tok *t)
{
	for (tok_at(l, n, i, t);
	     t->k == TK_SPACE ||
	     (t->k == TK_PUNCT && (t->pc == '\'' || t->pc == '-'));
	     tok_at(l, n, t->e, t))
		;
}

/* 1 when the words from the word token *t on are the folded phrase f
 * ("kein problem"); *end then is past its last word. */
static int phrase_match(const char *l, size_t n, struct tok t, const char *f,
			size_t *end)
{
	char w[32];

	for (;;) {
		size_t len = strcspn(f, " ");

		if (!tok_word(l, &t, w) || strlen(w) != len ||
		    memcmp(w, f, len) != 0)
			return 0;
		f += len;
		if (*f == '\0') {
			*end = t.e;
			return 1;
		}
		f++;
		next_joined(l, n, t.e, &t);
	}
}

/* The longest phrase of kind k (a negation, a no-objection) that starts
 * with the word token at i: 1 and *end past it. */
static int phrase_at(const char *l, size_t n, size_t i, enum cw_kind k,
		     size_t *end)
{
	const struct cmdword *tab;
	struct tok t;
	char w[32];
	size_t cnt, e, len, best = 0, stop;

	tok_at(l, n, i, &t);
	if (!tok_word(l, &t, w))
		return 0;
	len = strlen(w);
	tab = cmdwords_table(&cnt);
	for (e = 0; e < cnt; e++) {
		const char *f;

		if (tab[e].kind != k)
			continue;
		f = tab[e].folded;
		if (strncmp(f, w, len) != 0 ||
		    (f[len] != ' ' && f[len] != '\0'))
			continue;
		if (phrase_match(l, n, t, f, &stop) && stop > best)
			best = stop;
	}
	if (best)
		*end = best;
	return best > 0;
}

/* A negation, with the words that may stand between it and its verb
 * (more negation: "ne pas", "no, no lo"; pronouns: "no lo", "ne le"), at
 * the word token at i, joined to a command word by spaces only:
 * "nicht veröffentlichen", "no lo publiques", "don't publish", "ne pas
 * publier".  Returns the verb (VERB_NONE if none) and *end past it.  A
 * comma breaks it: "No, publish it" is no negated publish. */
static enum verb negation_at(const char *l, size_t n, size_t i,
			     enum command_ctx ctx, size_t *end)
{
	struct tok t;
	char w[32];
	size_t e;
	enum verb v;

	if (!phrase_at(l, n, i, CW_NEGATION, &e))
		return VERB_NONE;
	for (;;) {
		next_joined(l, n, e, &t);
		if (!tok_word(l, &t, w))
			return VERB_NONE;
		if ((v = cmdwords_verb(w, ctx, 1, NULL)) != VERB_NONE &&
		    !cmdwords_has(w, CW_NEGATION)) {
			*end = t.e;
			return v;
		}
		if (phrase_at(l, n, t.b, CW_NEGATION, &e))
			continue;
		if (!cmdwords_has(w, CW_NEUTRAL))
			return VERB_NONE;
		e = t.e;
	}
}

/* ---- what may follow a command ------------------------------------ */

/* 1 when l[i..n) holds only politeness, words pointing at the comment
 * ("reject this one", "oui pour moi", "supprime-le"), words of the same
 * verb, approval after approve, and punctuation.  Approval words after
 * "no" would turn it into "no objection" ("No, that's fine", "Non, c'est
 * bon", "No, go ahead"), so they may follow approve only.  After reject,
 * a negated approval is the same verb ("Nein, nicht veröffentlichen");
 * negated: the line's verb came from a negation, whose second half may
 * follow ("ne le publie pas"). */
static int courtesy(const char *l, size_t n, size_t i, enum verb v,
		    enum command_ctx ctx, int negated)
{
	struct tok t;
	char w[32];
	size_t e;

	for (tok_at(l, n, i, &t); t.k != TK_END; tok_at(l, n, t.e, &t)) {
		if (t.k == TK_SPACE || (t.k == TK_PUNCT && t.pc != '?'))
			continue;
		if (!tok_word(l, &t, w))
			return 0;
		/* "ne le publie pas encore": not yet, which is no
		 * rejection (and "encore" is politeness elsewhere) */
		if (v == VERB_REJECT && cmdwords_has(w, CW_NOT_YET))
			return 0;
		/* first, as "no" is both a no and a negation: "No, no lo
		 * publiques" */
		if (v == VERB_REJECT &&
		    negation_at(l, n, t.b, ctx, &e) == VERB_APPROVE) {
			t.e = e;
			continue;
		}
		if (cmdwords_has(w, CW_POLITE) || cmdwords_has(w, CW_NEUTRAL) ||
		    (v == VERB_APPROVE && cmdwords_has(w, CW_APPROVING)) ||
		    lookup(w, ctx) == v)
			continue;
		if (negated && phrase_at(l, n, t.b, CW_NEGATION, &e)) {
			t.e = e;
			continue;
		}
		return 0;
	}
	return 1;
}

/* 1 when a reason holds a long word of approval ("reject the other one,
 * approve this"): two verbs on one line. */
static int names_approval(const char *l, size_t n, size_t i,
			  enum command_ctx ctx)
{
	struct tok t;
	char w[32];
	unsigned flags;

	for (tok_at(l, n, i, &t); t.k != TK_END; tok_at(l, n, t.e, &t))
		if (tok_word(l, &t, w) &&
		    cmdwords_verb(w, ctx, 1, &flags) == VERB_APPROVE &&
		    !(flags & CW_SHORT))
			return 1;
	return 0;
}

/* After an approve word, a negation and nothing else that counts
 * ("Publiceer het niet", "Veröffentliche es nicht"): 1.  Pronouns may
 * stand between; the negation must touch them, so "Publish it, not
 * this one" is no such line. */
static int post_negated(const char *l, size_t n, size_t i,
			enum command_ctx ctx)
{
	struct tok t;
	char w[32];
	size_t e;

	for (;;) {
		next_joined(l, n, i, &t);
		if (!tok_word(l, &t, w))
			return 0;
		if (phrase_at(l, n, t.b, CW_NEGATION, &e))
			return courtesy(l, n, e, VERB_REJECT, ctx, 1);
		if (!cmdwords_has(w, CW_NEUTRAL))
			return 0;
		i = t.e;
	}
}

enum sep { SEP_NONE, SEP_SOFT, SEP_COLON };

/* Skips spaces and the punctuation between a command word (or its
 * numbers) and what follows; *i moves past them.  SEP_COLON for a colon
 * or a dash ("no: spammy", "non - hors sujet"), SEP_SOFT for a comma, a
 * full stop or an exclamation mark. */
static enum sep skip_sep(const char *l, size_t n, size_t *i)
{
	enum sep s = SEP_NONE;
	struct tok t;

	for (tok_at(l, n, *i, &t); t.k == TK_SPACE || t.k == TK_PUNCT;
	     tok_at(l, n, t.e, &t)) {
		if (t.k == TK_PUNCT) {
			if (t.pc == ':' || t.pc == '-')
				s = SEP_COLON;
			else if (t.pc && strchr(".,;!", t.pc) == NULL)
				break;
			else if (s == SEP_NONE)
				s = SEP_SOFT;
		}
		*i = t.e;
	}
	return s;
}

/* Numbers at l[*i..): "12 13, #14 and 15".  Returns -1 for a number that
 * is glued to letters ("1x"), zero, or beyond int64; *i moves past the
 * last number. */
static int read_ids(const char *l, size_t n, size_t *i, struct command *c)
{
	size_t j = *i;

	for (;;) {
		struct tok t;
		char w[32];
		int64_t v = 0;
		size_t k;

		for (tok_at(l, n, j, &t);
		     t.k == TK_SPACE ||
		     (t.k == TK_PUNCT && (t.pc == ',' || t.pc == '#' ||
					  t.pc == '&')) ||
		     (tok_word(l, &t, w) && cmdwords_has(w, CW_AND));
		     tok_at(l, n, t.e, &t))
			;
		if (t.k != TK_NUM)
			break;
		for (k = t.b; k < t.e; k++) {
			if (v > (INT64_MAX - (l[k] - '0')) / 10)
				return -1;
			v = v * 10 + (l[k] - '0');
		}
		if (v <= 0)
			return -1;
		j = t.e;
		tok_at(l, n, j, &t);
		if (t.k == TK_WORD)
			return -1;
		if (c->nids < COMMAND_MAX_IDS)
			c->ids[c->nids++] = v;
		*i = j;
	}
	return 0;
}

/* 1 when the line's last visible character is a question mark: a
 * question is not an order ("Reject?", "ok ou pas ?"). */
static int question(const char *l, size_t n)
{
	size_t i = 0, len;
	char pc, last = 0;
	enum cclass c;

	while (i < n) {
		c = cclass_at(l, n, i, &len, &pc);
		if (c != C_SPACE && !(c == C_PUNCT && pc == 0))
			last = c == C_PUNCT ? pc : 'a';
		i += len;
	}
	return last == '?';
}

static char *trimmed(const char *s, size_t n)
{
	char *t = xstrndup(s, n), *p = str_trim(t), *r;

	r = *p ? xstrdup(p) : NULL;
	free(t);
	return r;
}

/* ---- one line ----------------------------------------------------- */

enum line_rc {
	L_PLAIN,     /* no command word: text */
	L_COMMAND,   /* a command; c filled */
	L_HALF,      /* a command word that goes on: not understood */
	L_NO_NUMBER, /* digest (or show): no numbers */
};

/* What follows reject or spam: a reason.  "no" and "non" (and every
 * short word: "nein", "nie", "não"...) take one after a colon or a dash
 * only: "No, that's fine" and "Non, c'est bon" mean no objection, "No
 * problem with this one, publish it" and "Non disponible jusqu'au 5
 * janvier" are sentences, so a comma or a space cannot tell a reason
 * from the rest of a sentence, while "non : hors sujet" and "no: spammy"
 * cannot be read otherwise.  After comment numbers ("non 14 hors
 * sujet") the numbers make the separation.  A reason that names approval
 * ("reject the other one, approve this") is two verbs on one line. */
static enum line_rc reason(const char *l, size_t n, size_t i, enum sep sep,
			   int shortw, int negated, enum command_ctx ctx,
			   struct command *c, int *hint)
{
	if (courtesy(l, n, i, c->verb, ctx, negated))
		return L_COMMAND;
	if (shortw && c->nids == 0 && sep != SEP_COLON) {
		*hint = 1;
		return L_HALF;
	}
	if (names_approval(l, n, i, ctx))
		return L_HALF;
	c->arg = trimmed(l + i, n - i);
	return L_COMMAND;
}

/* ban / unban: an address or @domain, or nothing (the sender). */
static enum line_rc ban_arg(const char *l, size_t n, size_t i,
			    enum command_ctx ctx, struct command *c)
{
	size_t e = i;

	while (e < n && l[e] != ' ' && l[e] != '\t' && l[e] != '\r')
		e++;
	if (memchr(l + i, '@', e - i) != NULL) {
		size_t b = i;

		if (!courtesy(l, n, e, c->verb, ctx, 0))
			return L_HALF;
		/* "<spam@x.example>," is spam@x.example */
		while (b < e && strchr("<(\"'", l[b]))
			b++;
		while (e > b && strchr(".,;:!>)\"'", l[e - 1]))
			e--;
		c->arg = trimmed(l + b, e - b);
		return c->arg ? L_COMMAND : L_HALF;
	}
	return courtesy(l, n, i, c->verb, ctx, 0) ? L_COMMAND : L_HALF;
}

/* The verb a line starts with, from l[i..): a command word, or a
 * negation and an approve word, which is a rejection ("nicht
 * veröffentlichen", "No lo publiques", "ne pas publier").  A negation of
 * another verb ("nicht löschen", "don't ban") says what not to do, not
 * what to do: L_HALF, unless its first word is a command of its own
 * ("no spam" is "no" and a word that goes on, as before).  *e is past
 * the verb; *shortw and *negated say how it was read. */
static enum line_rc line_verb(const char *l, size_t n, size_t i,
			      enum command_ctx ctx, struct command *c,
			      size_t *e, int *shortw, int *negated)
{
	struct tok t;
	char w[32];
	unsigned flags;
	enum verb v;

	*shortw = *negated = 0;
	tok_at(l, n, i, &t);
	if (t.k == TK_SPACE)
		tok_at(l, n, t.e, &t);
	if (!tok_word(l, &t, w))
		return L_PLAIN;
	/* readers and the console have no approval to negate: "Don't
	 * remove the old posts" is a reader's comment */
	v = ctx == CMD_NOTIFICATION || ctx == CMD_DIGEST ?
		    negation_at(l, n, t.b, ctx, e) :
		    VERB_NONE;
	if (v == VERB_APPROVE) {
		c->verb = VERB_REJECT;
		*shortw = *negated = 1;
		return L_COMMAND;
	}
	c->verb = cmdwords_verb(w, ctx, 0, &flags);
	if (c->verb == VERB_NONE)
		return v != VERB_NONE ? L_HALF : L_PLAIN;
	*shortw = (flags & CW_SHORT) != 0;
	*e = t.e;
	return L_COMMAND;
}

/* Parses one line from l[i..n) (without its newline) into c. */
static enum line_rc parse_from(const char *l, size_t n, size_t i,
			       enum command_ctx ctx, struct command *c,
			       int *hint, int *neg)
{
	struct tok t;
	enum sep sep;
	enum line_rc rc;
	int shortw, negated, takes_ids;
	size_t e;

	memset(c, 0, sizeof(*c));
	*hint = 0;
	rc = line_verb(l, n, i, ctx, c, &e, &shortw, &negated);
	*neg = negated;
	if (rc != L_COMMAND)
		return rc;
	tok_at(l, n, e, &t);
	if (t.k == TK_SPACE)
		tok_at(l, n, t.e, &t);
	if (question(l, n) || (t.k == TK_PUNCT && t.pc == '?'))
		return L_HALF; /* "Reject?", "Spam? not sure" */
	/* "Publiceer het niet", "Veröffentliche es nicht": rejections */
	if (c->verb == VERB_APPROVE && !shortw && !negated &&
	    post_negated(l, n, e, ctx)) {
		c->verb = VERB_REJECT;
		*neg = 1;
		return ctx == CMD_DIGEST ? L_NO_NUMBER : L_COMMAND;
	}
	i = t.b;
	sep = skip_sep(l, n, &i);
	takes_ids = ctx == CMD_DIGEST || ctx == CMD_NOTIFICATION ||
		    c->verb == VERB_SHOW;
	if (read_ids(l, n, &i, c) < 0)
		return L_HALF;
	if (c->nids > 0) {
		if (!takes_ids)
			return L_HALF;
		sep = skip_sep(l, n, &i);
	}
	if (c->verb == VERB_SHOW && c->nids != 1)
		return c->nids == 0 ? L_NO_NUMBER : L_HALF;
	while (n > i && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
		n--;
	/* A digest line without numbers: "approve" or "reject off-topic"
	 * forgot them, "No idea about 13" is a sentence. */
	if (ctx == CMD_DIGEST && c->nids == 0 && c->verb != VERB_BAN &&
	    c->verb != VERB_UNBAN)
		return courtesy(l, n, i, c->verb, ctx, negated) ||
				       ((c->verb == VERB_REJECT ||
					 c->verb == VERB_SPAM) &&
					!shortw) ?
			       L_NO_NUMBER :
			       L_HALF;
	if (i >= n)
		rc = L_COMMAND;
	else if (c->verb == VERB_REJECT || c->verb == VERB_SPAM)
		rc = reason(l, n, i, sep, shortw, negated, ctx, c, hint);
	else if (c->verb == VERB_BAN || c->verb == VERB_UNBAN)
		rc = ban_arg(l, n, i, ctx, c);
	else if ((c->verb == VERB_EDIT || c->verb == VERB_REPLY) &&
		 sep == SEP_COLON) {
		/* "reply: Merci !": the text starts on the line; without
		 * the colon, "Reply to him that..." is a sentence */
		c->text = trimmed(l + i, n - i);
		rc = L_COMMAND;
	} else
		rc = courtesy(l, n, i, c->verb, ctx, 0) ? L_COMMAND : L_HALF;
	if (rc == L_COMMAND && ctx == CMD_DIGEST && c->nids == 0 &&
	    c->arg == NULL)
		rc = L_NO_NUMBER; /* a digest's "ban" names nobody */
	if (rc != L_COMMAND)
		command_free(c);
	return rc;
}

/* Past politeness and punctuation at l[i..): "Bitte veröffentlichen",
 * "Por favor, bórralo", "Proszę usunąć", "Thank you, delete".  Its
 * first word must be one that opens a line (CW_LEAD).  Returns i itself
 * when no politeness is there. */
static size_t past_politeness(const char *l, size_t n, size_t i)
{
	struct tok t;
	char w[32];
	size_t j = i;
	int any = 0;

	for (tok_at(l, n, i, &t); t.k != TK_END; tok_at(l, n, t.e, &t)) {
		if (t.k == TK_SPACE ||
		    (t.k == TK_PUNCT && t.pc && strchr(",.!;'-", t.pc)))
			continue;
		if (!tok_word(l, &t, w) ||
		    !cmdwords_has_flags(w, CW_POLITE, any ? 0 : CW_LEAD))
			break;
		any = 1;
		j = t.e;
	}
	if (!any)
		return i;
	for (tok_at(l, n, j, &t);
	     t.k == TK_SPACE ||
	     (t.k == TK_PUNCT && t.pc && strchr(",.!;-", t.pc));
	     tok_at(l, n, t.e, &t))
		j = t.e;
	return j;
}

/* Parses one line l[0..n) (without its newline) into c.  Before the
 * verb may come politeness ("bitte", "please") and, before an approval
 * only, a phrase that says nothing is wrong ("Kein Problem,
 * veröffentlichen.", "Sin problema, publícalo"): followed by anything
 * else, the line is read as it would be without them, and a phrase that
 * made no approval is not understood. */
static enum line_rc parse_line(const char *l, size_t n, enum command_ctx ctx,
			       struct command *c, int *hint)
{
	size_t i = 0, e;
	enum line_rc rc;
	int objection = 0, neg;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if ((ctx == CMD_NOTIFICATION || ctx == CMD_DIGEST) &&
	    phrase_at(l, n, past_politeness(l, n, i), CW_NO_OBJECTION, &e)) {
		size_t j = e;

		objection = 1;
		skip_sep(l, n, &j);
		rc = parse_from(l, n, past_politeness(l, n, j), ctx, c, hint,
				&neg);
		/* an approval, or a negated one ("Kein Problem, nicht
		 * veröffentlichen" says what it says) */
		if ((rc == L_COMMAND || rc == L_NO_NUMBER) &&
		    (c->verb == VERB_APPROVE ||
		     (c->verb == VERB_REJECT && neg)))
			return rc;
		if (rc == L_COMMAND)
			command_free(c);
	}
	rc = parse_from(l, n, i, ctx, c, hint, &neg);
	if (rc == L_PLAIN && past_politeness(l, n, i) != i) {
		/* politeness first: a command, or it stays text for a reader
		 * ("Thank you! Follow-up question...") and the console */
		rc = parse_from(l, n, past_politeness(l, n, i), ctx, c, hint,
				&neg);
		if (rc != L_COMMAND && ctx != CMD_NOTIFICATION &&
		    ctx != CMD_DIGEST) {
			rc = L_PLAIN;
			*hint = 0;
		}
	}
	if (rc == L_PLAIN && objection)
		rc = L_HALF;
	return rc;
}

/* ---- the lines around the command --------------------------------- */

static const char *next_line(const char *p, size_t *n)
{
	const char *nl = strchr(p, '\n');

	*n = nl ? (size_t)(nl - p) : strlen(p);
	return nl ? nl + 1 : p + *n;
}

static int blank(const char *p, size_t n)
{
	size_t i, len;
	char pc;

	for (i = 0; i < n; i += len)
		if (cclass_at(p, n, i, &len, &pc) != C_SPACE)
			return 0;
	return 1;
}

static int prefix_ci(const char *l, size_t n, const char *p)
{
	size_t k = strlen(p), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++) {
		char a = l[i], b = p[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b + 32);
		if (a != b)
			return 0;
	}
	return 1;
}

/* The end of what the person wrote: a signature, a phone's footer, the
 * forwarded or original message, an Outlook header block. */
static int stop_line(const char *l, size_t n)
{
	static const char *const starts[] = {
		"Sent from ", "Sent with ", "Get Outlook for ",
		"Envoy\xc3\xa9 de mon ", "Envoy\xc3\xa9 depuis ",
		"Envoy\xc3\xa9 \xc3\xa0 partir de ", "Envoy\xc3\xa9 avec ",
		"T\xc3\xa9l\xc3\xa9" "charger Outlook", "Obtenir Outlook",
		"Begin forwarded message", "D\xc3\xa9" "but du message",
		"-----", "_____", "From:", "De :", "De\xc2\xa0:", "De:", "Von:",
		"Sent:", "Envoy\xc3\xa9 :", "Envoy\xc3\xa9:", NULL,
	};
	size_t k;

	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r'))
		n--;
	if (n == 2 && l[0] == '-' && l[1] == '-')
		return 1; /* "-- ", the signature separator */
	for (k = 0; starts[k]; k++)
		if (prefix_ci(l, n, starts[k]))
			return 1;
	return 0;
}

/* "... wrote:" and its sisters at the end of a line. */
static int attribution_tail(const char *l, size_t n)
{
	static const char *const tails[] = {
		"wrote:", "a \xc3\xa9" "crit :", "a \xc3\xa9" "crit:",
		"a \xc3\xa9" "crit\xc2\xa0:", "a \xc3\xa9" "crit\xe2\x80\xaf:",
		"schrieb:", "escribi\xc3\xb3:", "ha scritto:", "escreveu:",
		"schreef:", NULL,
	};
	size_t k, m;

	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r'))
		n--;
	for (k = 0; tails[k]; k++) {
		m = strlen(tails[k]);
		if (n >= m && memcmp(l + n - m, tails[k], m) == 0)
			return 1;
	}
	return 0;
}

static int quote_line(const char *l, size_t n)
{
	return n > 0 && l[0] == '>';
}

enum lkind { LK_BLANK, LK_QUOTE, LK_GREETING, LK_ATTRIB, LK_STOP, LK_TEXT };

/* A name starts with a capital, in any script ("Émilie", "Łukasz"). */
static int capitalized(const char *l, const struct tok *t)
{
	ucs4_t uc;

	return u8_mbtoucr(&uc, (const uint8_t *)l + t->b, t->e - t->b) > 0 &&
	       uc_is_upper(uc);
}

/* 1 when l is a salutation: a greeting (cmdwords.h: CW_GREETING, or a
 * CW_GREETING2 and the word after it: "Guten Tag", "Dzień dobry"), at
 * most four more words that are no command and are a name
 * (capitalized: "Hi, not sure" is a sentence) or "all", "à tous",
 * "zusammen", "tudo bem?"; punctuation. */
static int greeting(const char *l, size_t n, enum command_ctx ctx)
{
	struct tok t, u;
	char w[32];
	int nwords = 0, greeted = 0;

	for (tok_at(l, n, 0, &t); t.k != TK_END; tok_at(l, n, t.e, &t)) {
		if (t.k == TK_SPACE)
			continue;
		if (t.k == TK_PUNCT) {
			if (!greeted ||
			    (t.pc && strchr(",!?.:;-'()", t.pc) == NULL))
				return 0;
			continue;
		}
		if (!tok_word(l, &t, w))
			return 0;
		if (!greeted) {
			if (cmdwords_has(w, CW_GREETING2)) {
				/* "good morning": the next word belongs to
				 * it ("Buenas," alone is a greeting too) */
				tok_at(l, n, t.e, &u);
				if (u.k == TK_SPACE)
					tok_at(l, n, u.e, &u);
				if (tok_word(l, &u, w) &&
				    lookup(w, ctx) != VERB_NONE)
					return 0; /* "sehr löschen" */
				if (u.k == TK_WORD)
					t = u;
				else if (!cmdwords_has(w, CW_GREETING))
					return 0;
			} else if (!cmdwords_has(w, CW_GREETING)) {
				return 0;
			}
			greeted = 1;
			continue;
		}
		if (++nwords > 4 || lookup(w, ctx) != VERB_NONE ||
		    !(capitalized(l, &t) || cmdwords_has(w, CW_GREET_ALL)))
			return 0;
	}
	return greeted;
}

/* The first non-blank line at or after p is a quote. */
static int quote_follows(const char *p)
{
	size_t n;
	const char *line;

	while (*p) {
		line = p;
		p = next_line(p, &n);
		if (!blank(line, n))
			return quote_line(line, n);
	}
	return 0;
}

/* What l[0..n) is, p being the text after it.  An attribution may be
 * wrapped over two lines ("On Tue, 6 Aug 2024 at 11:58, Le Blog <" /
 * "comments@example.org> wrote:"): *p then moves past the second.  An
 * attribution that no quote follows introduces the original message
 * unquoted: the end. */
static enum lkind line_kind(const char *l, size_t n, const char **p,
			    enum command_ctx ctx)
{
	const char *q = *p;
	size_t n2;

	if (blank(l, n))
		return LK_BLANK;
	if (quote_line(l, n))
		return LK_QUOTE;
	if (stop_line(l, n))
		return LK_STOP;
	if (attribution_tail(l, n))
		return quote_follows(*p) ? LK_ATTRIB : LK_STOP;
	if (prefix_ci(l, n, "On ") || prefix_ci(l, n, "Le ") ||
	    prefix_ci(l, n, "Am ") || prefix_ci(l, n, "El ") ||
	    prefix_ci(l, n, "Il ") || prefix_ci(l, n, "Em ") ||
	    prefix_ci(l, n, "Op ")) {
		const char *l2 = q;

		if (*q) {
			q = next_line(q, &n2);
			if (attribution_tail(l2, n2)) {
				*p = q;
				return quote_follows(q) ? LK_ATTRIB : LK_STOP;
			}
		}
	}
	if (greeting(l, n, ctx))
		return LK_GREETING;
	return LK_TEXT;
}

/* ---- the report --------------------------------------------------- */

/* Copies l[0..n), cleaned for a terminal and a mail and cut to 100
 * characters, into dst. */
static void quote_into(char dst[COMMAND_LINE_MAX], const char *l, size_t n)
{
	struct buf b;
	size_t i, cps = 0;

	while (n > 0 && (l[0] == ' ' || l[0] == '\t')) {
		l++;
		n--;
	}
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t' ||
			 l[n - 1] == '\r'))
		n--;
	buf_init(&b);
	term_clean(&b, l, n, 0);
	for (i = 0; i < b.len; i++) {
		if (((unsigned char)b.s[i] & 0xC0) != 0x80 && ++cps > 100) {
			buf_truncate(&b, i);
			buf_adds(&b, "...");
			break;
		}
	}
	snprintf(dst, COMMAND_LINE_MAX, "%s", b.s);
	buf_free(&b);
}

static int fail(struct command_report *r, enum command_problem p,
		const char *l, size_t n)
{
	/* in English: the callers translate (command.h) */
	static const char *const why[] = {
		[COMMAND_NOT_UNDERSTOOD] =
			N_("a line starts with a command word but goes on as a "
			   "sentence"),
		[COMMAND_NO_NUMBER] = N_("name the comments by number, as in "
					 "\"approve 12 13\""),
		[COMMAND_NO_TEXT] = N_("write the text below the command"),
		[COMMAND_CONTRADICTION] =
			N_("two commands contradict each other"),
		[COMMAND_TOO_MANY] = N_("too many commands in one reply"),
	};

	r->problem = p;
	r->why = why[p];
	if (l)
		quote_into(r->line, l, n);
	return -1;
}

static void free_all(struct command *cmds, size_t k)
{
	while (k > 0)
		command_free(&cmds[--k]);
}

/* ---- the whole reply ---------------------------------------------- */

/* cmds[k - 1] is an edit or a reply: the text on its line after the
 * colon and below it (from p) is its text, up to the quote's attribution
 * or the signature; quote lines are left out.  Returns k, or -1
 * (everything freed) when there is none. */
static int with_text(struct command *cmds, size_t k, const char *p,
		     enum command_ctx ctx, const char *cl, size_t cn,
		     struct command_report *r)
{
	struct command *c = &cmds[k - 1];
	struct buf b;

	buf_init(&b);
	if (c->text) {
		buf_adds(&b, c->text);
		buf_addc(&b, '\n');
		free(c->text);
		c->text = NULL;
	}
	while (*p) {
		size_t n;
		const char *line = p;
		enum lkind kind;

		p = next_line(p, &n);
		kind = line_kind(line, n, &p, ctx);
		if (kind == LK_STOP)
			break;
		if (kind == LK_QUOTE || kind == LK_ATTRIB)
			continue;
		buf_add(&b, line, n);
		buf_addc(&b, '\n');
	}
	c->text = trimmed(b.s, b.len);
	buf_free(&b);
	if (c->text == NULL) {
		int edit = c->verb == VERB_EDIT;

		free_all(cmds, k);
		fail(r, COMMAND_NO_TEXT, cl, cn);
		r->why = edit ? N_("write the corrected text below \"edit\"") :
				N_("write your answer below \"reply\"");
		return -1;
	}
	return (int)k;
}

struct named {
	int64_t id;
	size_t cmd;
};

static int by_id(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* A digest reply that names one comment under two verbs: -1, with the
 * two lines in r. */
static int digest_conflict(const struct command *cmds, size_t k,
			   const char *const *ls, const size_t *ln,
			   struct command_report *r)
{
	struct named *v;
	size_t i, j, m = 0;
	int rc = 0;

	for (i = 0; i < k; i++)
		m += cmds[i].nids;
	v = xcalloc(m ? m : 1, sizeof(*v));
	m = 0;
	for (i = 0; i < k; i++)
		for (j = 0; j < cmds[i].nids; j++) {
			v[m].id = cmds[i].ids[j];
			v[m++].cmd = i;
		}
	qsort(v, m, sizeof(*v), by_id);
	for (i = 1; i < m && rc == 0; i++)
		if (v[i].id == v[i - 1].id &&
		    cmds[v[i].cmd].verb != cmds[v[i - 1].cmd].verb) {
			size_t a = v[i - 1].cmd < v[i].cmd ? v[i - 1].cmd : v[i].cmd,
			       b = a == v[i].cmd ? v[i - 1].cmd : v[i].cmd;

			rc = fail(r, COMMAND_CONTRADICTION, ls[a], ln[a]);
			quote_into(r->line2, ls[b], ln[b]);
			r->id = v[i].id;
		}
	free(v);
	return rc;
}

int command_parse(const char *text, int digest, struct command *cmds,
		  size_t max, const char **why)
{
	return command_parse_ctx(text, digest ? CMD_DIGEST : CMD_NOTIFICATION,
				 cmds, max, why);
}

int command_parse_ctx(const char *text, enum command_ctx ctx,
		      struct command *cmds, size_t max, const char **why)
{
	struct command_report r;
	int n = command_parse_full(text, ctx, cmds, max, &r);

	*why = r.why;
	return n;
}

/* The lines after the first command, up to the quote, the attribution or
 * the signature.  A digest collects each command line and refuses the
 * whole reply for a line it does not understand; a single form ignores
 * lines of its own verb and text, and is contradicted by a line that
 * starts with another command word ("approve" then "reject"). */
static int more_lines(const char *p, enum command_ctx ctx,
		      struct command *cmds, size_t max,
		      struct command_report *r, const char **ls, size_t *ln)
{
	size_t k = 1, n, i;
	struct command probe;
	int hint;

	while (*p) {
		const char *line = p;
		enum lkind kind;
		enum line_rc rc;

		p = next_line(p, &n);
		kind = line_kind(line, n, &p, ctx);
		if (kind == LK_BLANK)
			continue;
		if (kind == LK_QUOTE || kind == LK_ATTRIB || kind == LK_STOP)
			break;
		rc = parse_line(line, n, ctx, &probe, &hint);
		if (rc == L_PLAIN)
			continue;
		if (ctx != CMD_DIGEST) {
			if (probe.verb == cmds[0].verb) {
				/* "approve 7" then "approve 8": the numbers
				 * add up, for the caller to check */
				for (i = 0; rc == L_COMMAND && i < probe.nids &&
					    cmds[0].nids < COMMAND_MAX_IDS;
				     i++)
					cmds[0].ids[cmds[0].nids++] = probe.ids[i];
				command_free(&probe);
				continue;
			}
			command_free(&probe);
			free_all(cmds, k);
			fail(r, COMMAND_CONTRADICTION, ls[0], ln[0]);
			quote_into(r->line2, line, n);
			return -1;
		}
		if (rc != L_COMMAND) {
			free_all(cmds, k);
			r->hint_colon = hint;
			return fail(r, rc == L_HALF ? COMMAND_NOT_UNDERSTOOD :
						      COMMAND_NO_NUMBER,
				    line, n);
		}
		if (k == max) {
			command_free(&probe);
			free_all(cmds, k);
			fail(r, COMMAND_TOO_MANY, NULL, 0);
			r->id = (int64_t)max;
			return -1;
		}
		cmds[k] = probe;
		ls[k] = line;
		ln[k++] = n;
		if (probe.verb == VERB_EDIT || probe.verb == VERB_REPLY) {
			/* edit and reply take the rest of the reply */
			int m = with_text(cmds, k, p, ctx, line, n, r);

			if (m < 0)
				return -1;
			break;
		}
	}
	if (ctx == CMD_DIGEST && digest_conflict(cmds, k, ls, ln, r) < 0) {
		free_all(cmds, k);
		return -1;
	}
	return (int)k;
}

int command_parse_full(const char *text, enum command_ctx ctx,
		       struct command *cmds, size_t max,
		       struct command_report *r)
{
	const char *p = text, *line, **ls;
	size_t n, *ln;
	int rc, hint;

	memset(r, 0, sizeof(*r));
	r->problem = COMMAND_NO_COMMAND;
	if (max == 0)
		return 0;
	/* The first meaningful line: greetings, blank lines, and the quote
	 * (with its attribution) of a bottom-posted reply come before it;
	 * a signature or a footer ends the search. */
	for (;;) {
		enum lkind kind;

		if (*p == '\0')
			return 0;
		line = p;
		p = next_line(p, &n);
		kind = line_kind(line, n, &p, ctx);
		if (kind == LK_STOP)
			return 0;
		if (kind != LK_TEXT)
			continue;
		switch (parse_line(line, n, ctx, &cmds[0], &hint)) {
		case L_PLAIN:
			quote_into(r->line, line, n);
			return 0;
		case L_HALF:
			r->hint_colon = hint;
			return fail(r, COMMAND_NOT_UNDERSTOOD, line, n);
		case L_NO_NUMBER:
			return fail(r, COMMAND_NO_NUMBER, line, n);
		case L_COMMAND:
			break;
		}
		break;
	}
	r->problem = COMMAND_OK;
	if (cmds[0].verb == VERB_EDIT || cmds[0].verb == VERB_REPLY)
		return with_text(cmds, 1, p, ctx, line, n, r);
	if (ctx == CMD_CONSOLE)
		return 1;
	ls = xcalloc(max, sizeof(*ls));
	ln = xcalloc(max, sizeof(*ln));
	ls[0] = line;
	ln[0] = n;
	rc = more_lines(p, ctx, cmds, max, r, ls, ln);
	free(ls);
	free(ln);
	return rc;
}

/* ---- the answer --------------------------------------------------- */

struct explain {
	const char *empty;
	const char *no_command;    /* line */
	const char *sentence;      /* line */
	const char *colon;
	const char *no_number;     /* line */
	const char *no_text;       /* line */
	const char *contradiction; /* line, line */
	const char *named_twice;   /* id, line, line */
	const char *too_many;      /* max */
};

/* The explanations in language l (catalog.h).  The command words they
 * show are ones the parser reads in that language (cmdwords.c). */
static void explain_of(const struct catalog_lang *l, struct explain *t)
{
	/* TRANSLATORS: the explanations of a reply that was not
	 * understood follow "Your mail could not be understood: ".  The
	 * command words they quote must be ones the gateway reads in
	 * your language (src/cmdwords.c; English ones work too). */
	t->empty = _(l, "it holds no command.");
	t->no_command = _(l, "the line \"%s\" is no command.");
	t->sentence = _(l,
		"the line \"%s\" starts with a command word but goes on as a "
		"sentence (or asks a question), so nothing was done. Write "
		"the command alone on its line, with only what it takes: a "
		"reason after \"reject\", numbers in a digest, the text after "
		"\"edit:\".");
	t->colon = _(l, " To give a reason after \"no\", write it after a "
			"colon (\"no: off-topic\"), or write \"reject "
			"off-topic\".");
	t->no_number = _(l, "the line \"%s\" names no comment: write their "
			    "numbers, as in \"approve 12 13\".");
	t->no_text = _(l, "\"%s\" has no text: write it below the command, "
			  "or after a colon on the same line.");
	t->contradiction = _(l, "the lines \"%s\" and \"%s\" contradict each "
				"other, so nothing was done. Send the one "
				"you mean.");
	t->named_twice = _(l, "comment #%lld is named both in \"%s\" and in "
			      "\"%s\", so nothing was done. Send the lines "
			      "you mean.");
	t->too_many = _(l, "it holds more than %lld commands, so nothing was "
			   "done. Send them in several replies.");
}

void command_explain(const struct command_report *r,
		     const struct catalog_lang *l, struct buf *out)
{
	struct explain e, *t = &e;

	explain_of(l, &e);
	switch (r->problem) {
	case COMMAND_OK:
		break;
	case COMMAND_NO_COMMAND:
		if (r->line[0])
			buf_addf(out, t->no_command, r->line);
		else
			buf_adds(out, t->empty);
		break;
	case COMMAND_NOT_UNDERSTOOD:
		buf_addf(out, t->sentence, r->line);
		if (r->hint_colon)
			buf_adds(out, t->colon);
		break;
	case COMMAND_NO_NUMBER:
		buf_addf(out, t->no_number, r->line);
		break;
	case COMMAND_NO_TEXT:
		buf_addf(out, t->no_text, r->line);
		break;
	case COMMAND_CONTRADICTION:
		if (r->id > 0)
			buf_addf(out, t->named_twice, (long long)r->id, r->line,
				 r->line2);
		else
			buf_addf(out, t->contradiction, r->line, r->line2);
		break;
	case COMMAND_TOO_MANY:
		buf_addf(out, t->too_many, (long long)r->id);
		break;
	}
}

void command_free(struct command *c)
{
	free(c->arg);
	free(c->text);
	c->arg = c->text = NULL;
}

const char *verb_name(enum verb v)
{
	static const char *const names[] = {
		"none",   "approve", "reject",      "spam",    "delete",
		"ban",    "unban",   "edit",        "trust",   "reply",
		"undo",   "follow",  "mute",        "unsubscribe",
		"pending", "show",   "stats",       "help",
	};

	return names[v];
}

const char *verb_status(enum verb v)
{
	switch (v) {
	case VERB_APPROVE:
	case VERB_EDIT:
	case VERB_TRUST:
	case VERB_REPLY:
		return "approved";
	case VERB_REJECT:
		return "rejected";
	case VERB_SPAM:
		return "spam";
	case VERB_DELETE:
		return "deleted";
	default:
		return NULL;
	}
}
