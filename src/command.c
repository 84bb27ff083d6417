/* command.c: the command words of replies to the gateway, and the rule
 * that a command is a line that IS a command.  Words are matched after
 * lowercasing and removing French accents, so "Approuvé", "APPROUVER" and
 * "approuve" all read the same.  A command may be followed by punctuation
 * ("OK!", "oui."), by the arguments its verb takes (a reason, numbers, an
 * address, a text after a colon) and by politeness ("merci", "thanks");
 * anything else on the line makes it a sentence, which is not understood:
 * a gateway that acts on the first word of "No problem with this one,
 * publish it." rejects the comment the moderator meant to publish. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "term.h"
#include "utf8.h"
#include "util.h"
#include "banned.h"

/* The answer's texts are format strings from the tables below. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

struct word {
	const char *w;
	enum verb v;
	unsigned ctx; /* the contexts it is a command in */
};

/* Words that are also the first word of ordinary sentences ("No problem",
 * "Non disponible", "OK so", "Yes but"): they take no free reason. */
static const char *const short_words[] = { "no", "non", "ok", "okay", "yes",
					   "oui", NULL };

#define MOD ((1u << CMD_NOTIFICATION) | (1u << CMD_DIGEST))
#define READER (1u << CMD_READER)
#define CONSOLE (1u << CMD_CONSOLE)

static const struct word words[] = {
	{ "approve", VERB_APPROVE, MOD },   { "approved", VERB_APPROVE, MOD },
	{ "ok", VERB_APPROVE, MOD },        { "okay", VERB_APPROVE, MOD },
	{ "yes", VERB_APPROVE, MOD },       { "oui", VERB_APPROVE, MOD },
	{ "approuver", VERB_APPROVE, MOD }, { "approuve", VERB_APPROVE, MOD },
	{ "publier", VERB_APPROVE, MOD },   { "publish", VERB_APPROVE, MOD },
	{ "valider", VERB_APPROVE, MOD },   { "accept", VERB_APPROVE, MOD },
	{ "reject", VERB_REJECT, MOD },     { "rejected", VERB_REJECT, MOD },
	{ "no", VERB_REJECT, MOD },         { "non", VERB_REJECT, MOD },
	{ "refuser", VERB_REJECT, MOD },    { "refuse", VERB_REJECT, MOD },
	{ "rejeter", VERB_REJECT, MOD },    { "decline", VERB_REJECT, MOD },
	{ "spam", VERB_SPAM, MOD },         { "indesirable", VERB_SPAM, MOD },
	{ "delete", VERB_DELETE, MOD },     { "supprimer", VERB_DELETE, MOD },
	{ "remove", VERB_DELETE, MOD },     { "unpublish", VERB_DELETE, MOD },
	{ "depublier", VERB_DELETE, MOD },  { "ban", VERB_BAN, MOD },
	{ "bannir", VERB_BAN, MOD },        { "unban", VERB_UNBAN, MOD },
	{ "debannir", VERB_UNBAN, MOD },    { "edit", VERB_EDIT, MOD },
	{ "modifier", VERB_EDIT, MOD },     { "corriger", VERB_EDIT, MOD },
	{ "trust", VERB_TRUST, MOD },       { "confiance", VERB_TRUST, MOD },
	{ "reply", VERB_REPLY, MOD },       { "repondre", VERB_REPLY, MOD },
	{ "answer", VERB_REPLY, MOD },      { "undo", VERB_UNDO, MOD },
	{ "annuler", VERB_UNDO, MOD },
	/* the past participles moderators type ("validé", "rejeté") */
	{ "valide", VERB_APPROVE, MOD },    { "publie", VERB_APPROVE, MOD },
	{ "accepte", VERB_APPROVE, MOD },   { "accepter", VERB_APPROVE, MOD },
	{ "accepted", VERB_APPROVE, MOD },  { "rejete", VERB_REJECT, MOD },
	{ "declined", VERB_REJECT, MOD },   { "supprime", VERB_DELETE, MOD },
	{ "banni", VERB_BAN, MOD },
	{ "edit", VERB_EDIT, READER },         { "modifier", VERB_EDIT, READER },
	{ "corriger", VERB_EDIT, READER },     { "delete", VERB_DELETE, READER },
	{ "remove", VERB_DELETE, READER },     { "supprimer", VERB_DELETE, READER },
	{ "effacer", VERB_DELETE, READER },    { "follow", VERB_FOLLOW, READER },
	{ "suivre", VERB_FOLLOW, READER },     { "mute", VERB_MUTE, READER },
	{ "silence", VERB_MUTE, READER },      { "unsubscribe", VERB_UNSUBSCRIBE, READER },
	{ "stop", VERB_UNSUBSCRIBE, READER },  { "desabonner", VERB_UNSUBSCRIBE, READER },
	{ "desinscrire", VERB_UNSUBSCRIBE, READER },
	{ "pending", VERB_PENDING, CONSOLE },  { "attente", VERB_PENDING, CONSOLE },
	{ "show", VERB_SHOW, CONSOLE },        { "voir", VERB_SHOW, CONSOLE },
	{ "afficher", VERB_SHOW, CONSOLE },    { "stats", VERB_STATS, CONSOLE },
	{ "statistiques", VERB_STATS, CONSOLE }, { "help", VERB_HELP, CONSOLE },
	{ "aide", VERB_HELP, CONSOLE },
};

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

/* Lowercases ASCII and folds the accented letters French moderators type
 * (é è ê ë à â ù û ô î ï ç, and the capitals) to their base letter, into
 * w.  0 when the word is too long to be one the lists know. */
static int fold_word(const char *s, size_t n, char w[32])
{
	static const struct {
		const char *utf8;
		char base;
	} acc[] = {
		{ "\xc3\xa9", 'e' }, { "\xc3\xa8", 'e' }, { "\xc3\xaa", 'e' },
		{ "\xc3\xab", 'e' }, { "\xc3\xa0", 'a' }, { "\xc3\xa2", 'a' },
		{ "\xc3\xb9", 'u' }, { "\xc3\xbb", 'u' }, { "\xc3\xb4", 'o' },
		{ "\xc3\xae", 'i' }, { "\xc3\xaf", 'i' }, { "\xc3\xa7", 'c' },
		{ "\xc3\x89", 'e' }, { "\xc3\x88", 'e' }, { "\xc3\x8a", 'e' },
		{ "\xc3\x80", 'a' }, { "\xc3\x82", 'a' }, { "\xc3\x94", 'o' },
		{ "\xc3\x8e", 'i' }, { "\xc3\x99", 'u' }, { "\xc3\x9b", 'u' },
		{ "\xc3\x87", 'c' }, { "\xc3\xb3", 'o' }, { "\xc3\xa1", 'a' },
		{ "\xc3\xad", 'i' }, { "\xc3\xb1", 'n' }, { "\xc3\xa3", 'a' },
	};
	size_t i, k, o = 0;

	for (i = 0; i < n;) {
		if (o >= 31)
			return 0;
		for (k = 0; k < sizeof(acc) / sizeof(acc[0]); k++)
			if (i + 1 < n && memcmp(s + i, acc[k].utf8, 2) == 0)
				break;
		if (k < sizeof(acc) / sizeof(acc[0])) {
			w[o++] = acc[k].base;
			i += 2;
			continue;
		}
		w[o++] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
		i++;
	}
	w[o] = '\0';
	return 1;
}

static int tok_word(const char *l, const struct tok *t, char w[32])
{
	return t->k == TK_WORD && fold_word(l + t->b, t->e - t->b, w);
}

static enum verb lookup(const char *w, enum command_ctx ctx)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((words[i].ctx & (1u << ctx)) &&
		    strcmp(words[i].w, w) == 0)
			return words[i].v;
	return VERB_NONE;
}

static int in_set(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(*set, w) == 0)
			return 1;
	return 0;
}

/* ---- what may follow a command ------------------------------------ */

/* Politeness: it may follow any command ("approuvé, merci", "Approve.
 * Thanks!", "oui merci", "delete it please").  Apostrophes split words,
 * so "s'il vous plaît" is s, il, vous, plait. */
static const char *const polite[] = {
	"thanks", "thank", "thx", "ty", "tks", "cheers", "please", "pls",
	"plz", "you", "much", "lot", "a", "so", "very", "again", "sorry",
	"regards", "best", "merci", "beaucoup", "bcp", "mille", "stp", "svp",
	"s", "il", "te", "vous", "plait", "d", "avance", "encore", "desole",
	"desolee", "cordialement", "bises", "amicalement", NULL,
};

/* Words that only point at the comment: they change no verb's meaning
 * ("reject this one", "oui pour moi", "supprime-le"). */
static const char *const neutral[] = {
	"it", "this", "that", "one", "comment", "me", "for", "is", "its",
	"le", "la", "l", "les", "ce", "cet", "cette", "celui", "celle", "ci",
	"cela", "ca", "commentaire", "pour", "moi", "c", "est", NULL,
};

/* Words of approval: after "approve" they confirm it, after "no" they
 * turn it into "no objection" ("No, that's fine", "Non, c'est bon", "No,
 * go ahead"), so they may follow approve only. */
static const char *const approving[] = {
	"good", "fine", "great", "perfect", "cool", "nice", "looks", "all",
	"go", "ahead", "bon", "bien", "parfait", "super", "nickel", "vas",
	"y", "tres", "impeccable", NULL,
};

/* 1 when l[i..n) holds only politeness, words pointing at the comment,
 * words of the same verb, approval after approve, and punctuation. */
static int courtesy(const char *l, size_t n, size_t i, enum verb v,
		    enum command_ctx ctx)
{
	struct tok t;
	char w[32];

	for (tok_at(l, n, i, &t); t.k != TK_END; tok_at(l, n, t.e, &t)) {
		if (t.k == TK_SPACE || (t.k == TK_PUNCT && t.pc != '?'))
			continue;
		if (!tok_word(l, &t, w))
			return 0;
		if (in_set(w, polite) || in_set(w, neutral) ||
		    (v == VERB_APPROVE && in_set(w, approving)) ||
		    lookup(w, ctx) == v)
			continue;
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

	for (tok_at(l, n, i, &t); t.k != TK_END; tok_at(l, n, t.e, &t))
		if (tok_word(l, &t, w) && lookup(w, ctx) == VERB_APPROVE &&
		    !in_set(w, short_words))
			return 1;
	return 0;
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
		     (tok_word(l, &t, w) &&
		      (strcmp(w, "and") == 0 || strcmp(w, "et") == 0));
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

/* What follows reject or spam: a reason.  "no" and "non" take one after
 * a colon or a dash only: "No, that's fine" and "Non, c'est bon" mean no
 * objection, "No problem, publish it" and "Non disponible jusqu'au 5
 * janvier" are sentences, so a comma or a space cannot tell a reason
 * from the rest of a sentence, while "non : hors sujet" and "no: spammy"
 * cannot be read otherwise.  After comment numbers ("non 14 hors
 * sujet") the numbers make the separation.  A reason that names approval
 * ("reject the other one, approve this") is two verbs on one line. */
static enum line_rc reason(const char *l, size_t n, size_t i, enum sep sep,
			   int shortw, enum command_ctx ctx, struct command *c,
			   int *hint)
{
	if (courtesy(l, n, i, c->verb, ctx))
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

		if (!courtesy(l, n, e, c->verb, ctx))
			return L_HALF;
		/* "<spam@x.example>," is spam@x.example */
		while (b < e && strchr("<(\"'", l[b]))
			b++;
		while (e > b && strchr(".,;:!>)\"'", l[e - 1]))
			e--;
		c->arg = trimmed(l + b, e - b);
		return c->arg ? L_COMMAND : L_HALF;
	}
	return courtesy(l, n, i, c->verb, ctx) ? L_COMMAND : L_HALF;
}

/* Parses one line l[0..n) (without its newline) into c. */
static enum line_rc parse_line(const char *l, size_t n, enum command_ctx ctx,
			       struct command *c, int *hint)
{
	struct tok t;
	char w[32];
	size_t i = 0;
	enum sep sep;
	enum line_rc rc;
	int shortw, takes_ids;

	memset(c, 0, sizeof(*c));
	*hint = 0;
	tok_at(l, n, 0, &t);
	if (t.k == TK_SPACE)
		tok_at(l, n, t.e, &t);
	if (!tok_word(l, &t, w) || (c->verb = lookup(w, ctx)) == VERB_NONE)
		return L_PLAIN;
	shortw = in_set(w, short_words);
	tok_at(l, n, t.e, &t);
	if (t.k == TK_SPACE)
		tok_at(l, n, t.e, &t);
	if (question(l, n) || (t.k == TK_PUNCT && t.pc == '?'))
		return L_HALF; /* "Reject?", "Spam? not sure" */
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
		return courtesy(l, n, i, c->verb, ctx) ||
				       ((c->verb == VERB_REJECT ||
					 c->verb == VERB_SPAM) &&
					!shortw) ?
			       L_NO_NUMBER :
			       L_HALF;
	if (i >= n)
		rc = L_COMMAND;
	else if (c->verb == VERB_REJECT || c->verb == VERB_SPAM)
		rc = reason(l, n, i, sep, shortw, ctx, c, hint);
	else if (c->verb == VERB_BAN || c->verb == VERB_UNBAN)
		rc = ban_arg(l, n, i, ctx, c);
	else if ((c->verb == VERB_EDIT || c->verb == VERB_REPLY) &&
		 sep == SEP_COLON) {
		/* "reply: Merci !": the text starts on the line; without
		 * the colon, "Reply to him that..." is a sentence */
		c->text = trimmed(l + i, n - i);
		rc = L_COMMAND;
	} else
		rc = courtesy(l, n, i, c->verb, ctx) ? L_COMMAND : L_HALF;
	if (rc == L_COMMAND && ctx == CMD_DIGEST && c->nids == 0 &&
	    c->arg == NULL)
		rc = L_NO_NUMBER; /* a digest's "ban" names nobody */
	if (rc != L_COMMAND)
		command_free(c);
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

/* Salutations, each optionally with a name and a comma or "!". */
static const char *const greet1[] = {
	"hello", "hi", "hey", "hiya", "howdy", "greetings", "dear", "morning",
	"evening", "bonjour", "bonsoir", "salut", "coucou", "cher", "chere",
	"chers", "cheres", "madame", "monsieur", "mesdames", "messieurs",
	"hallo", "hola", "ciao", "buongiorno", "buonasera", "ola", "hoi",
	"liebe", "lieber", "moin", "servus", "querida", "querido", "caro",
	"cara", NULL,
};
static const char *const greet_good[] = { "good", "guten", "buenos",
					  "buenas", "bom", "boa", "goede",
					  NULL };

/* The words after a greeting that are no name. */
static const char *const greet_all[] = {
	"all", "everyone", "everybody", "team", "there", "folks", "guys",
	"a", "tous", "toutes", "tout", "le", "monde", "l", "equipe", "les",
	"amis", "collegues", NULL,
};

/* A name starts with a capital, ASCII or Latin-1 ("Émilie"). */
static int capitalized(const char *l, const struct tok *t)
{
	unsigned char a = (unsigned char)l[t->b],
		      b = t->e - t->b > 1 ? (unsigned char)l[t->b + 1] : 0;

	return (a >= 'A' && a <= 'Z') || (a == 0xC3 && b >= 0x80 && b <= 0x9E);
}

/* 1 when l is a salutation: a greeting, at most four more words that are
 * no command and are a name (capitalized: "Hi, not sure" is a sentence)
 * or "all", "à tous", "tout le monde"; punctuation. */
static int greeting(const char *l, size_t n, enum command_ctx ctx)
{
	struct tok t;
	char w[32];
	int nwords = 0, greeted = 0;

	for (tok_at(l, n, 0, &t); t.k != TK_END; tok_at(l, n, t.e, &t)) {
		if (t.k == TK_SPACE)
			continue;
		if (t.k == TK_PUNCT) {
			if (!greeted ||
			    (t.pc && strchr(",!.:;-'()", t.pc) == NULL))
				return 0;
			continue;
		}
		if (!tok_word(l, &t, w))
			return 0;
		if (!greeted) {
			if (in_set(w, greet_good)) {
				/* "good morning": the next word belongs to it */
				tok_at(l, n, t.e, &t);
				if (t.k != TK_SPACE)
					return 0;
				tok_at(l, n, t.e, &t);
				if (t.k != TK_WORD)
					return 0;
			} else if (!in_set(w, greet1)) {
				return 0;
			}
			greeted = 1;
			continue;
		}
		if (++nwords > 4 || lookup(w, ctx) != VERB_NONE ||
		    !(capitalized(l, &t) || in_set(w, greet_all)))
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
	static const char *const why[] = {
		[COMMAND_NOT_UNDERSTOOD] =
			"a line starts with a command word but goes on as a "
			"sentence",
		[COMMAND_NO_NUMBER] = "name the comments by number, as in "
				      "\"approve 12 13\"",
		[COMMAND_NO_TEXT] = "write the text below the command",
		[COMMAND_CONTRADICTION] = "two commands contradict each other",
		[COMMAND_TOO_MANY] = "too many commands in one reply",
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
		r->why = edit ? "write the corrected text below \"edit\"" :
				"write your answer below \"reply\"";
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

static const struct explain {
	const char *empty;
	const char *no_command;    /* line */
	const char *sentence;      /* line */
	const char *colon;
	const char *no_number;     /* line */
	const char *no_text;       /* line */
	const char *contradiction; /* line, line */
	const char *named_twice;   /* id, line, line */
	const char *too_many;      /* max */
} explain_en = {
	.empty = "it holds no command.",
	.no_command = "the line \"%s\" is no command.",
	.sentence =
		"the line \"%s\" starts with a command word but goes on as a "
		"sentence (or asks a question), so nothing was done. Write "
		"the command alone on its line, with only what it takes: a "
		"reason after \"reject\", numbers in a digest, the text after "
		"\"edit:\".",
	.colon = " To give a reason after \"no\", write it after a colon "
		 "(\"no: off-topic\"), or write \"reject off-topic\".",
	.no_number = "the line \"%s\" names no comment: write their numbers, "
		     "as in \"approve 12 13\".",
	.no_text = "\"%s\" has no text: write it below the command, or after "
		   "a colon on the same line.",
	.contradiction = "the lines \"%s\" and \"%s\" contradict each other, "
			 "so nothing was done. Send the one you mean.",
	.named_twice = "comment #%lld is named both in \"%s\" and in \"%s\", "
		       "so nothing was done. Send the lines you mean.",
	.too_many = "it holds more than %lld commands, so nothing was done. "
		    "Send them in several replies.",
}, explain_fr = {
	.empty = "il ne contient aucune commande.",
	.no_command = "la ligne « %s » n'est pas une commande.",
	.sentence =
		"la ligne « %s » commence par un mot de commande mais "
		"continue en phrase (ou pose une question) : rien n'a été "
		"fait. Écrivez la commande seule sur sa ligne, avec seulement "
		"ce qu'elle prend : un motif après « refuser », des numéros "
		"dans un résumé, le texte après « modifier : ».",
	.colon = " Pour donner un motif après « non », écrivez-le après "
		 "deux-points (« non : hors sujet »), ou écrivez « refuser "
		 "hors sujet ».",
	.no_number = "la ligne « %s » ne nomme aucun commentaire : écrivez "
		     "leurs numéros, comme dans « oui 12 13 ».",
	.no_text = "« %s » n'a pas de texte : écrivez-le sous la commande, "
		   "ou après deux-points sur la même ligne.",
	.contradiction = "les lignes « %s » et « %s » se contredisent : rien "
			 "n'a été fait. Envoyez celle que vous voulez dire.",
	.named_twice = "le commentaire n° %lld est nommé dans « %s » et dans "
		       "« %s » : rien n'a été fait. Envoyez les lignes que "
		       "vous voulez dire.",
	.too_many = "il contient plus de %lld commandes : rien n'a été fait. "
		    "Envoyez-les en plusieurs réponses.",
};

void command_explain(const struct command_report *r, int fr,
		     struct buf *out)
{
	const struct explain *t = fr ? &explain_fr : &explain_en;

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
