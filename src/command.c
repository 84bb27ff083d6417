/* command.c: the moderator's command words.  Words are matched after
 * lowercasing and removing French accents, so "Approuvé", "APPROUVER" and
 * "approuve" all read the same.  A command may be followed by punctuation
 * ("OK!", "oui.") and, for reject, by a reason. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "util.h"
#include "banned.h"

struct word {
	const char *w;
	enum verb v;
	unsigned ctx; /* the contexts it is a command in */
};

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

/* Lowercases ASCII and folds the accented letters French moderators type
 * (UTF-8 é è ê ë à â ù û ô î ï ç) to their base letter. */
static char *fold(const char *s, size_t n)
{
	static const struct {
		const char *utf8;
		char base;
	} acc[] = {
		{ "\xc3\xa9", 'e' }, { "\xc3\xa8", 'e' }, { "\xc3\xaa", 'e' },
		{ "\xc3\xab", 'e' }, { "\xc3\xa0", 'a' }, { "\xc3\xa2", 'a' },
		{ "\xc3\xb9", 'u' }, { "\xc3\xbb", 'u' }, { "\xc3\xb4", 'o' },
		{ "\xc3\xae", 'i' }, { "\xc3\xaf", 'i' }, { "\xc3\xa7", 'c' },
		{ "\xc3\x89", 'e' }, { "\xc3\x88", 'e' }, { "\xc3\x80", 'a' },
	};
	struct buf b;
	size_t i, k;

	buf_init(&b);
	for (i = 0; i < n;) {
		for (k = 0; k < sizeof(acc) / sizeof(acc[0]); k++)
			if (i + 1 < n && memcmp(s + i, acc[k].utf8, 2) == 0)
				break;
		if (k < sizeof(acc) / sizeof(acc[0])) {
			buf_addc(&b, acc[k].base);
			i += 2;
			continue;
		}
		buf_addc(&b, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) :
							    s[i]);
		i++;
	}
	return buf_detach(&b);
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

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads the first word of line: letters (and UTF-8) up to space or
 * punctuation; *rest points after it. */
static enum verb first_word(const char *line, enum command_ctx ctx,
			    const char **rest)
{
	const char *p = line, *e;
	enum verb v;
	char *w;

	while (is_space(*p))
		p++;
	e = p;
	while (*e && !is_space(*e) && strchr(".,;:!?", *e) == NULL)
		e++;
	if (e == p)
		return VERB_NONE;
	w = fold(p, (size_t)(e - p));
	v = lookup(w, ctx);
	free(w);
	while (*e && strchr(".,;:!?", *e))
		e++;
	*rest = e;
	return v;
}

static char *trimmed(const char *s, size_t n)
{
	char *t = xstrndup(s, n), *p = str_trim(t), *r;

	r = *p ? xstrdup(p) : NULL;
	free(t);
	return r;
}

/* Numbers at the start of rest ("12 13, 14"), then the remainder. */
static int read_ids(const char **rest, struct command *c)
{
	const char *p = *rest;

	for (;;) {
		char *end;
		long long v;

		while (is_space(*p) || *p == ',' || *p == '#')
			p++;
		if (*p < '0' || *p > '9')
			break;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (v <= 0 || errno == ERANGE ||
		    (*end && !is_space(*end) && *end != ',' && *end != '\n'))
			return -1;
		if (c->nids < COMMAND_MAX_IDS)
			c->ids[c->nids++] = v;
		p = end;
	}
	*rest = p;
	return 0;
}

/* Parses one command line (without its newline). */
static int parse_line(const char *line, size_t n, enum command_ctx ctx,
		      struct command *c, const char **why)
{
	char *l = xstrndup(line, n);
	const char *rest;
	int rc = 1, digest = ctx == CMD_DIGEST;

	memset(c, 0, sizeof(*c));
	c->verb = first_word(l, ctx, &rest);
	if (c->verb == VERB_NONE) {
		free(l);
		return 0;
	}
	if (digest && c->verb != VERB_BAN && c->verb != VERB_UNBAN) {
		if (read_ids(&rest, c) < 0 || c->nids == 0) {
			*why = "name the comments by number, as in "
			       "\"approve 12 13\"";
			rc = -1;
		}
	}
	if (rc == 1 && c->verb == VERB_SHOW) {
		if (read_ids(&rest, c) < 0 || c->nids == 0) {
			*why = "name the comment by number, as in \"show 12\"";
			rc = -1;
		}
	}
	if (rc == 1)
		c->arg = trimmed(rest, strlen(rest));
	free(l);
	return rc;
}

static const char *next_line(const char *p, size_t *n)
{
	const char *nl = strchr(p, '\n');

	*n = nl ? (size_t)(nl - p) : strlen(p);
	return nl ? nl + 1 : p + *n;
}

static int blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space(p[i]) && p[i] != '\r')
			return 0;
	return 1;
}

/* The text below the command line, without quote lines. */
static char *text_below(const char *p)
{
	struct buf b;
	char *t;

	buf_init(&b);
	while (*p) {
		size_t n;
		const char *line = p;

		p = next_line(p, &n);
		if (n > 0 && line[0] == '>')
			continue;
		buf_add(&b, line, n);
		buf_addc(&b, '\n');
	}
	t = trimmed(b.s, b.len);
	buf_free(&b);
	return t;
}

/* cmds[k - 1] is an edit or a reply: the text below it (from p) is its
 * text.  Returns k, or -1 (everything freed) when there is none. */
static int with_text(struct command *cmds, size_t k, const char *p,
		     const char **why)
{
	struct command *c = &cmds[k - 1];

	c->text = text_below(p);
	if (c->text == NULL) {
		*why = c->verb == VERB_EDIT ?
			       "write the corrected text below \"edit\"" :
			       "write your answer below \"reply\"";
		while (k > 0)
			command_free(&cmds[--k]);
		return -1;
	}
	return (int)k;
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
	int digest = ctx == CMD_DIGEST;
	const char *p = text;
	size_t n, k = 0;
	int rc;

	*why = NULL;
	/* The first meaningful line: quotes left by an inline reply and
	 * blank lines come before it. */
	for (;;) {
		const char *line = p;

		if (*p == '\0')
			return 0;
		p = next_line(p, &n);
		if (blank(line, n) || line[0] == '>')
			continue;
		rc = parse_line(line, n, ctx, &cmds[0], why);
		if (rc <= 0)
			return rc;
		k = 1;
		break;
	}
	if (cmds[0].verb == VERB_EDIT || cmds[0].verb == VERB_REPLY)
		return with_text(cmds, k, p, why);
	if (!digest)
		return 1;
	/* More digest lines, up to the first line that is no command. */
	while (*p && k < max) {
		const char *line = p;

		p = next_line(p, &n);
		if (blank(line, n) || line[0] == '>')
			continue;
		rc = parse_line(line, n, ctx, &cmds[k], why);
		if (rc == 0)
			break;
		if (rc < 0) {
			while (k > 0)
				command_free(&cmds[--k]);
			return -1;
		}
		k++;
		/* edit and reply take the rest of the reply, wherever they
		 * stand */
		if (cmds[k - 1].verb == VERB_EDIT ||
		    cmds[k - 1].verb == VERB_REPLY)
			return with_text(cmds, k, p, why);
	}
	return (int)k;
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
