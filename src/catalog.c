/* catalog.c: gettext .po catalogs read at start (see catalog.h).
 *
 * Why .po and not compiled .mo files: our catalogs are small (a few
 * hundred entries) and parsed in well under a millisecond at start; the
 * shipped files and a site's overrides are then one and the same format,
 * which a site owner reads and edits with any editor or PO tool; there is
 * no build step to forget and one parser (fuzzed) instead of two.
 * `msgfmt --check` still validates the shipped files in the tests.
 *
 * A catalog never crashes on a bad file: every error names FILE:LINE and
 * the file is refused whole.  Plural expressions are evaluated by a tiny
 * evaluator with bounded size and depth, checked at load for n = 0..999
 * and a few large values (no division by zero, an index below nplurals). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "log.h"
#include "utf8.h"

#define CAT_FILE_MAX (8u << 20) /* bytes of one .po file */
#define CAT_LANGS_MAX 256
#define CAT_FORMS_MAX 16        /* nplurals, and msgstr[N] per entry */
#define PX_NODES_MAX 256        /* nodes of one plural expression */
#define PX_DEPTH_MAX 64         /* nesting of one plural expression */
#define PX_CHECK_N 1000         /* n = 0..999 evaluated at load */

/* ---- plural expressions ---- */

enum px_op {
	PX_N, PX_NUM, PX_NOT, PX_MUL, PX_DIV, PX_MOD, PX_ADD, PX_SUB,
	PX_LT, PX_GT, PX_LE, PX_GE, PX_EQ, PX_NE, PX_AND, PX_OR, PX_COND
};

struct px_node {
	enum px_op op;
	unsigned a, b, c; /* operands: indices of nodes */
	unsigned long v;  /* PX_NUM */
};

struct plural {
	struct px_node *node; /* NULL: the English rule, n != 1 */
	unsigned nnodes, root;
	unsigned long nplurals;
};

struct px_parser {
	const char *p;
	struct plural *pl;
	unsigned depth;
	const char *error;
};

static void px_space(struct px_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	       *ps->p == '\r')
		ps->p++;
}

/* Adds a node; returns its index, or UINT_MAX when the limit is hit. */
static unsigned px_node(struct px_parser *ps, enum px_op op, unsigned a,
			unsigned b, unsigned c, unsigned long v)
{
	struct plural *pl = ps->pl;

	if (pl->nnodes >= PX_NODES_MAX) {
		ps->error = "expression too long";
		return UINT_MAX;
	}
	pl->node[pl->nnodes] = (struct px_node){ op, a, b, c, v };
	return pl->nnodes++;
}

static unsigned px_cond(struct px_parser *ps);

/* Matches the operator s (and not a longer one starting with it). */
static int px_eat(struct px_parser *ps, const char *s)
{
	size_t n = strlen(s);

	px_space(ps);
	if (strncmp(ps->p, s, n) != 0)
		return 0;
	/* "<" must not take "<=", "!" must not take "!=" */
	if ((n == 1 && (s[0] == '<' || s[0] == '>' || s[0] == '!') &&
	     ps->p[1] == '='))
		return 0;
	ps->p += n;
	return 1;
}

static unsigned px_primary(struct px_parser *ps)
{
	unsigned r;
	unsigned long v = 0;

	px_space(ps);
	if (*ps->p == 'n') {
		ps->p++;
		return px_node(ps, PX_N, 0, 0, 0, 0);
	}
	if (*ps->p >= '0' && *ps->p <= '9') {
		while (*ps->p >= '0' && *ps->p <= '9') {
			if (v > (ULONG_MAX - 9) / 10) {
				ps->error = "number too large";
				return UINT_MAX;
			}
			v = v * 10 + (unsigned long)(*ps->p++ - '0');
		}
		return px_node(ps, PX_NUM, 0, 0, 0, v);
	}
	if (*ps->p == '(') {
		ps->p++;
		r = px_cond(ps);
		if (r == UINT_MAX)
			return r;
		if (!px_eat(ps, ")")) {
			ps->error = "')' expected";
			return UINT_MAX;
		}
		return r;
	}
	ps->error = *ps->p ? "'n', a number or '(' expected" :
			     "expression ends too soon";
	return UINT_MAX;
}

static unsigned px_unary(struct px_parser *ps)
{
	unsigned a;

	if (++ps->depth > PX_DEPTH_MAX) {
		ps->error = "expression nested too deeply";
		return UINT_MAX;
	}
	if (px_eat(ps, "!")) {
		a = px_unary(ps);
		a = a == UINT_MAX ? a : px_node(ps, PX_NOT, a, 0, 0, 0);
	} else {
		a = px_primary(ps);
	}
	ps->depth--;
	return a;
}

/* One level of left-associative binary operators, from tighter to
 * looser; each level lists its operators and their ops. */
struct px_level {
	const char *ops[4];
	enum px_op op[4];
};

static const struct px_level px_levels[] = {
	{ { "*", "/", "%" }, { PX_MUL, PX_DIV, PX_MOD } },
	{ { "+", "-" }, { PX_ADD, PX_SUB } },
	{ { "<=", ">=", "<", ">" }, { PX_LE, PX_GE, PX_LT, PX_GT } },
	{ { "==", "!=" }, { PX_EQ, PX_NE } },
	{ { "&&" }, { PX_AND } },
	{ { "||" }, { PX_OR } },
};

static unsigned px_binary(struct px_parser *ps, int level)
{
	unsigned a, b;
	int i, hit;

	a = level == 0 ? px_unary(ps) : px_binary(ps, level - 1);
	while (a != UINT_MAX) {
		hit = -1;
		for (i = 0; i < 4 && px_levels[level].ops[i]; i++)
			if (px_eat(ps, px_levels[level].ops[i])) {
				hit = i;
				break;
			}
		if (hit < 0)
			break;
		b = level == 0 ? px_unary(ps) : px_binary(ps, level - 1);
		if (b == UINT_MAX)
			return b;
		/* a long chain makes a deep tree: bound it like nesting */
		if (++ps->depth > PX_DEPTH_MAX) {
			ps->error = "expression nested too deeply";
			return UINT_MAX;
		}
		a = px_node(ps, px_levels[level].op[hit], a, b, 0, 0);
	}
	return a;
}

#define PX_TOP ((int)(sizeof(px_levels) / sizeof(px_levels[0])) - 1)

static unsigned px_cond(struct px_parser *ps)
{
	unsigned a, b, c;
	unsigned depth = ps->depth;

	if (++ps->depth > PX_DEPTH_MAX) {
		ps->error = "expression nested too deeply";
		return UINT_MAX;
	}
	a = px_binary(ps, PX_TOP);
	if (a != UINT_MAX && px_eat(ps, "?")) {
		b = px_cond(ps);
		if (b == UINT_MAX)
			return b;
		if (!px_eat(ps, ":")) {
			ps->error = "':' expected";
			return UINT_MAX;
		}
		c = px_cond(ps);
		if (c == UINT_MAX)
			return c;
		a = px_node(ps, PX_COND, a, b, c, 0);
	}
	ps->depth = depth;
	return a;
}

/* Evaluates node i for n; -1 on a division by zero. */
static int px_eval(const struct plural *pl, unsigned i, unsigned long n,
		   unsigned long *out)
{
	const struct px_node *x = &pl->node[i];
	unsigned long a, b = 0;

	switch (x->op) {
	case PX_N:
		*out = n;
		return 0;
	case PX_NUM:
		*out = x->v;
		return 0;
	default:
		break;
	}
	if (px_eval(pl, x->a, n, &a) < 0)
		return -1;
	switch (x->op) {
	case PX_NOT:
		*out = !a;
		return 0;
	case PX_AND:
		if (!a) {
			*out = 0;
			return 0;
		}
		if (px_eval(pl, x->b, n, &b) < 0)
			return -1;
		*out = b != 0;
		return 0;
	case PX_OR:
		if (a) {
			*out = 1;
			return 0;
		}
		if (px_eval(pl, x->b, n, &b) < 0)
			return -1;
		*out = b != 0;
		return 0;
	case PX_COND:
		return px_eval(pl, a ? x->b : x->c, n, out);
	default:
		break;
	}
	if (px_eval(pl, x->b, n, &b) < 0)
		return -1;
	switch (x->op) {
	case PX_MUL: *out = a * b; break;
	case PX_DIV:
	case PX_MOD:
		if (b == 0)
			return -1;
		*out = x->op == PX_DIV ? a / b : a % b;
		break;
	case PX_ADD: *out = a + b; break;
	case PX_SUB: *out = a - b; break;
	case PX_LT: *out = a < b; break;
	case PX_GT: *out = a > b; break;
	case PX_LE: *out = a <= b; break;
	case PX_GE: *out = a >= b; break;
	case PX_EQ: *out = a == b; break;
	case PX_NE: *out = a != b; break;
	default: *out = 0; break;
	}
	return 0;
}

/* The index of the plural form for n; -1 when the rule fails for n. */
static long plural_index(const struct plural *pl, unsigned long n)
{
	unsigned long v;

	if (pl->node == NULL)
		return n != 1;
	if (px_eval(pl, pl->root, n, &v) < 0 || v >= pl->nplurals)
		return -1;
	return (long)v;
}

static void plural_free(struct plural *pl)
{
	free(pl->node);
	pl->node = NULL;
	pl->nnodes = 0;
}

/* Checks the rule over n = 0..PX_CHECK_N-1 and some large n. */
static const char *plural_check(const struct plural *pl, unsigned long *bad)
{
	static const unsigned long big[] = {
		1000, 1001, 10000, 100000, 1000000, 1000001, 10000000,
		1000000000UL, ULONG_MAX - 1, ULONG_MAX
	};
	unsigned long n, v;
	size_t i;

	for (i = 0; i < PX_CHECK_N + sizeof(big) / sizeof(big[0]); i++) {
		n = i < PX_CHECK_N ? i : big[i - PX_CHECK_N];
		*bad = n;
		if (px_eval(pl, pl->root, n, &v) < 0)
			return "divides by zero";
		if (v >= pl->nplurals)
			return "gives a form number not below nplurals";
	}
	return NULL;
}

/* Parses "nplurals=N; plural=EXPR;" into pl; NULL or an error. */
static const char *plural_parse(const char *s, struct plural *pl,
				struct mc_err *detail)
{
	struct px_parser ps = { s, pl, 0, NULL };
	unsigned long n = 0, bad;
	const char *e;

	pl->node = xcalloc(PX_NODES_MAX, sizeof(*pl->node));
	pl->nnodes = 0;
	px_space(&ps);
	if (strncmp(ps.p, "nplurals", 8) != 0)
		return "'nplurals=' expected";
	ps.p += 8;
	if (!px_eat(&ps, "="))
		return "'nplurals=' expected";
	px_space(&ps);
	if (*ps.p < '1' || *ps.p > '9')
		return "nplurals must be a number from 1 to 16";
	while (*ps.p >= '0' && *ps.p <= '9' && n <= CAT_FORMS_MAX)
		n = n * 10 + (unsigned long)(*ps.p++ - '0');
	if (n > CAT_FORMS_MAX || (*ps.p >= '0' && *ps.p <= '9'))
		return "nplurals must be a number from 1 to 16";
	pl->nplurals = n;
	if (!px_eat(&ps, ";"))
		return "';' expected after nplurals";
	px_space(&ps);
	if (strncmp(ps.p, "plural", 6) != 0)
		return "'plural=' expected";
	ps.p += 6;
	if (!px_eat(&ps, "="))
		return "'plural=' expected";
	pl->root = px_cond(&ps);
	if (pl->root == UINT_MAX)
		return ps.error;
	(void)px_eat(&ps, ";");
	px_space(&ps);
	if (*ps.p != '\0')
		return "unexpected text after the plural expression";
	if ((e = plural_check(pl, &bad)) != NULL) {
		err_set(detail, "for n = %lu", bad);
		return e;
	}
	return NULL;
}

/* ---- languages: entries in an open-addressing hash table ---- */

struct entry {
	char *ctx;         /* NULL: no msgctxt ("" is a context) */
	char *id;
	char **forms;      /* msgstr, or msgstr[0..nforms) */
	unsigned nforms;
	unsigned char plural;        /* had msgid_plural */
	unsigned char untranslated;  /* every msgstr empty: not used */
	const char *file;  /* owned by the catalog's file list */
	unsigned line;
};

struct catalog_lang {
	char *code;
	struct entry *v;
	size_t n, cap;
	size_t *slot; /* index + 1 into v; 0: free */
	size_t nslots;
	struct plural pl;
	/* a shipped catalog not parsed yet (catalog_open_shipped()): parsed
	 * by the first catalog_lang() that returns this language */
	const struct catalog_builtin *pending;
};

struct catalog {
	struct catalog_lang **lang; /* sorted by code */
	size_t n;
	const char **codes;
	char **files; /* names of the files read, for entries' file */
	size_t nfiles;
	/* catalog_open_shipped(): languages parsed on first use, under mu
	 * (a loaded catalog is shared by threads) */
	int lazy;
	pthread_mutex_t mu;
};

static const struct catalog_lang english_builtin = {
	(char *)"en", NULL, 0, 0, NULL, 0, { NULL, 0, 0, 2 }, NULL
};

static size_t key_hash(const char *ctx, const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	if (ctx) {
		for (p = (const unsigned char *)ctx; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 4) * 1099511628211ULL;
	}
	for (p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

static int key_eq(const struct entry *e, const char *ctx, const char *id)
{
	if ((e->ctx == NULL) != (ctx == NULL))
		return 0;
	if (ctx && strcmp(e->ctx, ctx) != 0)
		return 0;
	return strcmp(e->id, id) == 0;
}

/* The slot of (ctx, id): holding it, or the free one it would take. */
static size_t lang_slot(const struct catalog_lang *l, const char *ctx,
			const char *id)
{
	size_t i = key_hash(ctx, id) & (l->nslots - 1);

	while (l->slot[i] && !key_eq(&l->v[l->slot[i] - 1], ctx, id))
		i = (i + 1) & (l->nslots - 1);
	return i;
}

static const struct entry *lang_find(const struct catalog_lang *l,
				     const char *ctx, const char *id)
{
	size_t i;

	if (l == NULL || l->nslots == 0 || id == NULL)
		return NULL;
	i = lang_slot(l, ctx, id);
	return l->slot[i] ? &l->v[l->slot[i] - 1] : NULL;
}

static void entry_free(struct entry *e)
{
	unsigned i;

	free(e->ctx);
	free(e->id);
	for (i = 0; i < e->nforms; i++)
		free(e->forms[i]);
	free(e->forms);
}

static void lang_rehash(struct catalog_lang *l)
{
	size_t i, j;

	free(l->slot);
	l->nslots = l->nslots ? l->nslots * 2 : 64;
	l->slot = xcalloc(l->nslots, sizeof(*l->slot));
	for (i = 0; i < l->n; i++) {
		j = lang_slot(l, l->v[i].ctx, l->v[i].id);
		l->slot[j] = i + 1;
	}
}

/* Takes e (its strings) into l, replacing an entry of the same key. */
static void lang_put(struct catalog_lang *l, struct entry *e)
{
	size_t i;

	if ((l->n + 1) * 2 > l->nslots)
		lang_rehash(l);
	i = lang_slot(l, e->ctx, e->id);
	if (l->slot[i]) {
		entry_free(&l->v[l->slot[i] - 1]);
		l->v[l->slot[i] - 1] = *e;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = *e;
	l->slot[i] = ++l->n;
}

static void lang_free(struct catalog_lang *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	free(l->slot);
	plural_free(&l->pl);
	free(l->code);
	free(l);
}

static struct catalog_lang *lang_new(const char *code)
{
	struct catalog_lang *l = xcalloc(1, sizeof(*l));

	l->code = xstrdup(code);
	l->pl.nplurals = 2;
	return l;
}

/* ---- the .po parser ---- */

struct po_entry {
	struct buf ctx, id, plural, str[CAT_FORMS_MAX];
	int has_ctx, has_id, has_plural, nstr, fuzzy;
	unsigned line;
	struct buf *cur; /* where a continuation string goes */
};

struct po_parser {
	const char *name;
	unsigned line;
	struct catalog_lang *out; /* the file's entries */
	int fuzzy_next;           /* "#, fuzzy" seen for the next entry */
	int has_header, has_plural;
	struct mc_err *err;
};

static int po_error(struct po_parser *pp, unsigned line, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

static int po_error(struct po_parser *pp, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(pp->err, "%s:%u: %s", pp->name, line, msg);
}

static void po_entry_reset(struct po_entry *e)
{
	int i;

	buf_reset(&e->ctx);
	buf_reset(&e->id);
	buf_reset(&e->plural);
	for (i = 0; i < CAT_FORMS_MAX; i++)
		buf_reset(&e->str[i]);
	e->has_ctx = e->has_id = e->has_plural = e->nstr = e->fuzzy = 0;
	e->line = 0;
	e->cur = NULL;
}

/* Parses the C string at *p (at its opening quote) onto out; *p ends
 * after the closing quote.  end: the end of the line. */
static int po_string(struct po_parser *pp, const char **p, const char *end,
		     struct buf *out)
{
	const char *s = *p + 1;
	int v, k;
	char c;

	for (;;) {
		if (s >= end)
			return po_error(pp, pp->line, "unterminated string");
		c = *s++;
		if (c == '"')
			break;
		if (c != '\\') {
			buf_addc(out, c);
			continue;
		}
		if (s >= end)
			return po_error(pp, pp->line, "unterminated string");
		c = *s++;
		switch (c) {
		case 'n': buf_addc(out, '\n'); continue;
		case 't': buf_addc(out, '\t'); continue;
		case 'r': buf_addc(out, '\r'); continue;
		case 'a': buf_addc(out, '\a'); continue;
		case 'b': buf_addc(out, '\b'); continue;
		case 'f': buf_addc(out, '\f'); continue;
		case 'v': buf_addc(out, '\v'); continue;
		case '\\': case '"': case '\'': case '?':
			buf_addc(out, c);
			continue;
		case 'x':
			v = 0;
			for (k = 0; k < 2 && s < end && hex_value(*s) >= 0; k++)
				v = v * 16 + hex_value(*s++);
			if (k == 0)
				return po_error(pp, pp->line,
						"\\x without hex digits");
			break;
		default:
			if ((c < '0' || c > '7') && c > ' ' && c < 127)
				return po_error(pp, pp->line,
						"unknown escape \\%c", c);
			if (c < '0' || c > '7')
				return po_error(pp, pp->line,
						"unknown escape (byte %u after "
						"\\)", (unsigned char)c);
			v = c - '0';
			for (k = 1; k < 3 && s < end && *s >= '0' && *s <= '7';
			     k++)
				v = v * 8 + (*s++ - '0');
			if (v > 255)
				return po_error(pp, pp->line,
						"octal escape above \\377");
			break;
		}
		if (v == 0)
			return po_error(pp, pp->line, "NUL byte in a string");
		buf_addc(out, (char)v);
	}
	*p = s;
	return 0;
}

/* The value of header field name (like "Plural-Forms"), copied into
 * out; 0 when absent. */
static int header_field(const char *h, const char *name, struct buf *out)
{
	size_t n = strlen(name);
	const char *line = h, *nl;

	while (*line) {
		nl = strchr(line, '\n');
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			line += n + 1;
			buf_add(out, line,
				nl ? (size_t)(nl - line) : strlen(line));
			return 1;
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return 0;
}

static int po_header(struct po_parser *pp, const struct po_entry *e)
{
	struct buf v;
	const char *cs, *why;
	struct mc_err detail = { "" };
	size_t n;
	int rc = 0;

	if (pp->has_header)
		return po_error(pp, e->line, "a second header entry");
	pp->has_header = 1;
	buf_init(&v);
	if (header_field(e->str[0].s, "Content-Type", &v) &&
	    (cs = strstr(v.s, "charset=")) != NULL) {
		cs += 8;
		n = strcspn(cs, " \t;");
		if (!(n == 5 && strncasecmp(cs, "UTF-8", 5) == 0))
			rc = po_error(pp, e->line,
				      "charset %.*s: catalogs must be UTF-8",
				      (int)(n > 40 ? 40 : n), cs);
	}
	buf_reset(&v);
	if (rc == 0 && header_field(e->str[0].s, "Plural-Forms", &v)) {
		plural_free(&pp->out->pl);
		why = plural_parse(v.s, &pp->out->pl, &detail);
		if (why) {
			plural_free(&pp->out->pl);
			pp->out->pl.nplurals = 2;
			rc = po_error(pp, e->line, "Plural-Forms: %s%s%s", why,
				      detail.msg[0] ? " " : "", detail.msg);
		} else {
			pp->has_plural = 1;
		}
	}
	buf_free(&v);
	return rc;
}

/* The entry read so far is complete: checks it and stores it. */
static int po_flush(struct po_parser *pp, struct po_entry *e)
{
	const struct entry *d;
	struct entry x;
	int i, empty = 1;

	if (!e->has_id && !e->has_ctx)
		return 0;
	if (!e->has_id)
		return po_error(pp, e->line, "msgctxt without msgid");
	if (e->nstr == 0)
		return po_error(pp, e->line, "msgid without msgstr");
	if (e->fuzzy)
		return 0; /* a guess awaiting review: not shown */
	for (i = 0; i < e->nstr; i++) {
		if (e->str[i].len)
			empty = 0;
		if (!utf8_valid(e->str[i].s, e->str[i].len))
			return po_error(pp, e->line, "msgstr not UTF-8");
	}
	if (!utf8_valid(e->id.s, e->id.len) ||
	    !utf8_valid(e->ctx.s, e->ctx.len) ||
	    !utf8_valid(e->plural.s, e->plural.len))
		return po_error(pp, e->line, "msgid or msgctxt not UTF-8");
	if (!e->has_ctx && e->id.len == 0)
		return po_header(pp, e);
	d = lang_find(pp->out, e->has_ctx ? e->ctx.s : NULL, e->id.s);
	if (d)
		return po_error(pp, e->line,
				"duplicate entry (first at line %u)", d->line);
	x.ctx = e->has_ctx ? xstrdup(e->ctx.s) : NULL;
	x.id = xstrdup(e->id.s);
	x.nforms = (unsigned)e->nstr;
	x.forms = xcalloc((size_t)e->nstr, sizeof(*x.forms));
	for (i = 0; i < e->nstr; i++)
		x.forms[i] = xstrdup(e->str[i].s);
	x.plural = (unsigned char)e->has_plural;
	x.untranslated = (unsigned char)empty;
	x.file = pp->name;
	x.line = e->line;
	lang_put(pp->out, &x);
	return 0;
}

/* One keyword line: "msgid "..."", "msgstr[1] "..."", etc. */
static int po_keyword(struct po_parser *pp, struct po_entry *e,
		      const char *p, const char *end)
{
	const char *w = p;
	size_t n;
	unsigned long idx = 0;
	int indexed = 0;

	while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_'))
		p++;
	n = (size_t)(p - w);
	if (p < end && *p == '[') {
		indexed = 1;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return po_error(pp, pp->line, "bad msgstr index");
		while (p < end && *p >= '0' && *p <= '9' && idx < 1000)
			idx = idx * 10 + (unsigned long)(*p++ - '0');
		if (p >= end || *p != ']')
			return po_error(pp, pp->line, "bad msgstr index");
		p++;
	}
	if (n == 7 && !indexed && strncmp(w, "msgctxt", 7) == 0) {
		if (e->nstr && po_flush(pp, e) < 0)
			return -1;
		if (e->nstr)
			po_entry_reset(e);
		if (e->has_ctx || e->has_id)
			return po_error(pp, pp->line, "msgctxt out of place");
		e->fuzzy = pp->fuzzy_next;
		pp->fuzzy_next = 0;
		e->has_ctx = 1;
		e->line = pp->line;
		e->cur = &e->ctx;
	} else if (n == 5 && !indexed && strncmp(w, "msgid", 5) == 0) {
		if (e->nstr && po_flush(pp, e) < 0)
			return -1;
		if (e->nstr)
			po_entry_reset(e);
		if (e->has_id)
			return po_error(pp, e->line, "msgid without msgstr");
		if (!e->has_ctx) {
			e->fuzzy = pp->fuzzy_next;
			pp->fuzzy_next = 0;
			e->line = pp->line;
		}
		e->has_id = 1;
		e->cur = &e->id;
	} else if (n == 12 && !indexed && strncmp(w, "msgid_plural", 12) == 0) {
		if (!e->has_id || e->has_plural || e->nstr)
			return po_error(pp, pp->line,
					"msgid_plural out of place");
		e->has_plural = 1;
		e->cur = &e->plural;
	} else if (n == 6 && strncmp(w, "msgstr", 6) == 0) {
		if (!e->has_id)
			return po_error(pp, pp->line, "msgstr without msgid");
		if (e->has_plural && !indexed)
			return po_error(pp, pp->line,
					"msgid_plural needs msgstr[0], "
					"msgstr[1]...");
		if (!e->has_plural && indexed)
			return po_error(pp, pp->line,
					"msgstr[%lu] without msgid_plural",
					idx);
		if (!indexed && e->nstr)
			return po_error(pp, pp->line, "a second msgstr");
		if (indexed && idx != (unsigned long)e->nstr)
			return po_error(pp, pp->line,
					"msgstr[%lu] where msgstr[%d] was "
					"expected", idx, e->nstr);
		if (e->nstr >= CAT_FORMS_MAX)
			return po_error(pp, pp->line,
					"more than %d plural forms",
					CAT_FORMS_MAX);
		e->cur = &e->str[e->nstr++];
	} else {
		return po_error(pp, pp->line, "unknown keyword '%.*s'",
				(int)(n > 20 ? 20 : n), w);
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '"')
		return po_error(pp, pp->line, "a string is expected after "
				"%.*s", (int)n, w);
	if (po_string(pp, &p, end, e->cur) < 0)
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end)
		return po_error(pp, pp->line, "text after the string");
	return 0;
}

static int po_comment(struct po_parser *pp, struct po_entry *e,
		      const char *p, const char *end)
{
	const char *f;
	size_t n;

	if (e->nstr) {
		if (po_flush(pp, e) < 0)
			return -1;
		po_entry_reset(e);
	}
	if (e->has_ctx || e->has_id)
		return po_error(pp, pp->line, "comment inside an entry");
	if (end - p < 2 || p[1] != ',')
		return 0; /* translator, reference, obsolete (#~)... */
	/* flags: "#, fuzzy, c-format" */
	for (f = p + 2; f < end; f += n) {
		while (f < end && (*f == ' ' || *f == '\t' || *f == ','))
			f++;
		n = 0;
		while (f + n < end && f[n] != ',' && f[n] != ' ' &&
		       f[n] != '\t')
			n++;
		if (n == 5 && strncmp(f, "fuzzy", 5) == 0)
			pp->fuzzy_next = 1;
	}
	return 0;
}

/* Parses text into pp->out; -1 with pp->err set on the first error. */
static int po_parse(struct po_parser *pp, const char *text, size_t len)
{
	struct po_entry e;
	const char *p = text, *end = text + len, *eol, *q;
	int i, rc = 0;

	memset(&e, 0, sizeof(e));
	buf_init(&e.ctx);
	buf_init(&e.id);
	buf_init(&e.plural);
	for (i = 0; i < CAT_FORMS_MAX; i++)
		buf_init(&e.str[i]);
	if (memchr(text, '\0', len))
		rc = po_error(pp, 1, "NUL byte in the file");
	/* a UTF-8 byte order mark is tolerated */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (rc == 0 && p < end) {
		pp->line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		q = eol;
		if (q > p && q[-1] == '\r')
			q--;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		if (p == q)
			;
		else if (*p == '#')
			rc = po_comment(pp, &e, p, q);
		else if (*p == '"') {
			if (e.cur == NULL)
				rc = po_error(pp, pp->line,
					      "string without a keyword");
			else if (po_string(pp, &p, q, e.cur) < 0)
				rc = -1;
			else {
				while (p < q && (*p == ' ' || *p == '\t'))
					p++;
				if (p < q)
					rc = po_error(pp, pp->line,
						      "text after the string");
			}
		} else
			rc = po_keyword(pp, &e, p, q);
		p = eol < end ? eol + 1 : end;
	}
	if (rc == 0)
		rc = po_flush(pp, &e);
	buf_free(&e.ctx);
	buf_free(&e.id);
	buf_free(&e.plural);
	for (i = 0; i < CAT_FORMS_MAX; i++)
		buf_free(&e.str[i]);
	return rc;
}

/* ---- the catalog ---- */

/* "pt_BR" -> "pt-br"; -1 unless LL or LLL, then -XX.. subtags. */
static int tag_normalise(const char *tag, char *out, size_t size)
{
	size_t i, n = strlen(tag), run = 0, first = 0;
	char c;

	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i <= n; i++) {
		c = tag[i];
		if (c == '\0' || c == '-' || c == '_') {
			if (run == 0 || run > 8 || (first == 0 &&
						    (run < 2 || run > 3)))
				return -1;
			if (first == 0)
				first = run;
			run = 0;
			out[i] = c ? '-' : '\0';
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (first && c >= '0' && c <= '9')))
			return -1;
		out[i] = c;
		run++;
	}
	return 0;
}

static struct catalog_lang *cat_find(const struct catalog *cat,
				     const char *code)
{
	size_t i;

	for (i = 0; cat && i < cat->n; i++)
		if (strcmp(cat->lang[i]->code, code) == 0)
			return cat->lang[i];
	return NULL;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int lang_cmp(const void *a, const void *b)
{
	return strcmp((*(struct catalog_lang *const *)a)->code,
		      (*(struct catalog_lang *const *)b)->code);
}

static void cat_index(struct catalog *cat)
{
	size_t i;

	qsort(cat->lang, cat->n, sizeof(*cat->lang), lang_cmp);
	free(cat->codes);
	cat->codes = xcalloc(cat->n, sizeof(*cat->codes));
	for (i = 0; i < cat->n; i++)
		cat->codes[i] = cat->lang[i]->code;
	qsort(cat->codes, cat->n, sizeof(*cat->codes), code_cmp);
}

struct catalog *catalog_new(void)
{
	struct catalog *cat = xcalloc(1, sizeof(*cat));

	cat->lang = xcalloc(1, sizeof(*cat->lang));
	cat->lang[cat->n++] = lang_new("en");
	cat_index(cat);
	return cat;
}

void catalog_free(struct catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++)
		lang_free(cat->lang[i]);
	free(cat->lang);
	free(cat->codes);
	for (i = 0; i < cat->nfiles; i++)
		free(cat->files[i]);
	free(cat->files);
	if (cat->lazy)
		pthread_mutex_destroy(&cat->mu);
	free(cat);
}

/* Every plural entry of `l` that `incoming` does not replace must have
 * the number of forms `pl` says (incoming's own were checked). */
static int check_forms(const struct catalog_lang *l,
		       const struct catalog_lang *incoming,
		       const struct plural *pl, const char *rule_from,
		       struct mc_err *err)
{
	size_t i;
	const struct entry *e;

	for (i = 0; l && i < l->n; i++) {
		e = &l->v[i];
		if (!e->plural || e->untranslated ||
		    e->nforms == pl->nplurals)
			continue;
		if (incoming != l && lang_find(incoming, e->ctx, e->id))
			continue;
		return err_set(err, "%s:%u: %u plural forms, but the "
			       "Plural-Forms of %s says nplurals=%lu",
			       e->file, e->line, e->nforms, rule_from,
			       pl->nplurals);
	}
	return 0;
}

static void lang_load(struct catalog *cat, struct catalog_lang *l);

int catalog_add_po(struct catalog *cat, const char *tag, const char *name,
		   const char *text, size_t len, struct mc_err *err)
{
	char code[64];
	struct po_parser pp;
	struct catalog_lang *in, *l;
	const char *fname, *rule_from;
	size_t i;
	int added = 0;

	if (tag_normalise(tag, code, sizeof(code)) < 0)
		return err_set(err, "%s: '%s' is not a language code (LANG.po, "
			       "like de.po or pt_BR.po)", name, tag);
	l = cat_find(cat, code);
	if (l && l->pending)
		lang_load(cat, l);
	if (l == NULL && cat->n >= CAT_LANGS_MAX)
		return err_set(err, "%s: more than %d languages", name,
			       CAT_LANGS_MAX);
	/* entries point to their file's name, kept until catalog_free() */
	cat->files = xrealloc(cat->files,
			      (cat->nfiles + 1) * sizeof(*cat->files));
	fname = cat->files[cat->nfiles++] = xstrdup(name);
	memset(&pp, 0, sizeof(pp));
	pp.name = fname;
	pp.out = in = lang_new(code);
	pp.err = err;
	if (po_parse(&pp, text, len) < 0)
		goto fail;
	/* the rule in force after this file: its own, else the language's
	 * (from a file read before), else English's */
	rule_from = fname;
	if (!pp.has_plural && l) {
		in->pl.nplurals = l->pl.nplurals;
		rule_from = l->pl.node ? "the catalog read before" :
					 "English (default)";
	} else if (!pp.has_plural) {
		rule_from = "English (default)";
	}
	if (check_forms(in, in, &in->pl, rule_from, err) < 0)
		goto fail;
	if (l && pp.has_plural &&
	    check_forms(l, in, &in->pl, fname, err) < 0)
		goto fail;
	if (l == NULL) {
		cat->lang = xrealloc(cat->lang,
				     (cat->n + 1) * sizeof(*cat->lang));
		cat->lang[cat->n++] = l = lang_new(code);
		added = 1;
	}
	if (pp.has_plural) {
		plural_free(&l->pl);
		l->pl = in->pl;
		in->pl.node = NULL;
	}
	for (i = 0; i < in->n; i++) {
		if (in->v[i].untranslated) {
			entry_free(&in->v[i]);
			continue;
		}
		lang_put(l, &in->v[i]);
	}
	in->n = 0;
	lang_free(in);
	/* not when the language was there: a lazy load must not move the
	 * codes catalog_langs() gave out (cmdwords_build() walks them) */
	if (added)
		cat_index(cat);
	return 0;
fail:
	lang_free(in);
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every LANG.po of dir into cat, in name order. */
/* What a catalog says goes into every page and mail: a file or a
 * directory that another local user could change would let them write
 * to the site's readers in its name.  So, like a password file, a
 * catalog is refused when group or others may write it (or the
 * directory holding it), and it must be a regular file: a FIFO would
 * hang the start. */
static int cat_check_mode(const char *path, const struct stat *sb,
			  int want_dir, struct mc_err *err)
{
	if (want_dir ? !S_ISDIR(sb->st_mode) : !S_ISREG(sb->st_mode))
		return err_set(err, "catalogs %s: not a %s", path,
			       want_dir ? "directory" : "regular file");
	if (sb->st_mode & (S_IWGRP | S_IWOTH))
		return err_set(err,
			       "catalogs %s: refusing a %s that group or others "
			       "can change (mode %04o); run chmod go-w %s",
			       path, want_dir ? "directory" : "file",
			       (unsigned)(sb->st_mode & 07777), path);
	return 0;
}

static int cat_read_file(const char *path, struct buf *text,
			 struct mc_err *err)
{
	char chunk[65536];
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return err_set(err, "catalogs %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0) {
		err_set(err, "catalogs %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (cat_check_mode(path, &sb, 0, err) < 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (text->len + (size_t)n > CAT_FILE_MAX) {
			err_set(err, "catalogs %s: larger than %u bytes", path,
				CAT_FILE_MAX);
			close(fd);
			return -1;
		}
		buf_add(text, chunk, (size_t)n);
	}
	if (n < 0)
		err_set(err, "catalogs %s: %s", path, strerror(errno));
	close(fd);
	return n < 0 ? -1 : 0;
}

static int cat_read_dir(struct catalog *cat, const char *dir,
			struct mc_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strlist names = { NULL, 0 };
	struct buf text;
	char *path, *tag;
	size_t i, n;
	int rc = 0;

	struct stat sb;

	if (d == NULL)
		return err_set(err, "catalogs %s: %s", dir, strerror(errno));
	if (fstat(dirfd(d), &sb) < 0) {
		err_set(err, "catalogs %s: %s", dir, strerror(errno));
		closedir(d);
		return -1;
	}
	if (cat_check_mode(dir, &sb, 1, err) < 0) {
		closedir(d);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		/* hidden files are editors' and tools' temporary copies */
		if (de->d_name[0] == '.' || n < 4 ||
		    strcmp(de->d_name + n - 3, ".po") != 0)
			continue;
		strlist_add(&names, de->d_name);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), name_cmp);
	buf_init(&text);
	for (i = 0; rc == 0 && i < names.n; i++) {
		path = xasprintf("%s/%s", dir, names.v[i]);
		tag = xstrndup(names.v[i], strlen(names.v[i]) - 3);
		buf_reset(&text);
		rc = cat_read_file(path, &text, err);
		if (rc == 0)
			rc = catalog_add_po(cat, tag, path, text.s, text.len,
					    err);
		free(tag);
		free(path);
	}
	buf_free(&text);
	strlist_free(&names);
	return rc;
}

static int cat_read_builtins(struct catalog *cat, struct mc_err *err)
{
	const struct catalog_builtin *b = NULL;
	size_t n = 0, i;
	char name[64];

	b = catalog_builtins(&n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "po/%s.po", b[i].tag);
		if (catalog_add_po(cat, b[i].tag, name, b[i].text, b[i].len,
				   err) < 0)
			return -1;
	}
	return 0;
}

/* Parses a language of catalog_open_shipped() that was put off (cat->mu
 * held, or the catalog not shared yet).  A bad shipped catalog (t-catalog
 * checks them all) leaves its language in English, said once. */
static void lang_load(struct catalog *cat, struct catalog_lang *l)
{
	const struct catalog_builtin *b = l->pending;
	struct mc_err err;
	char name[64];

	l->pending = NULL;
	snprintf(name, sizeof(name), "po/%s.po", b->tag);
	if (catalog_add_po(cat, b->tag, name, b->text, b->len, &err) < 0)
		log_warnx("translation catalog: %s; English instead", err.msg);
}

struct catalog *catalog_open_shipped(void)
{
	const struct catalog_builtin *b;
	struct catalog *cat = catalog_new();
	struct catalog_lang *l;
	char code[64];
	size_t n = 0, i;

	/* a process speaks one or two languages: an approval parsed every
	 * shipped catalog for its two notifications (6 % of its work) */
	b = catalog_builtins(&n);
	for (i = 0; i < n; i++) {
		if (tag_normalise(b[i].tag, code, sizeof(code)) < 0 ||
		    cat->n >= CAT_LANGS_MAX)
			continue; /* never: t-catalog reads them all */
		if ((l = cat_find(cat, code)) == NULL) {
			cat->lang = xrealloc(cat->lang,
					     (cat->n + 1) * sizeof(*cat->lang));
			cat->lang[cat->n++] = l = lang_new(code);
			l->pending = &b[i];
		}
	}
	cat_index(cat);
	pthread_mutex_init(&cat->mu, NULL);
	cat->lazy = 1;
	return cat;
}

size_t catalog_parsed(const struct catalog *cat)
{
	size_t i, n = 0;

	for (i = 0; cat && i < cat->n; i++)
		n += cat->lang[i]->pending == NULL;
	return n;
}

const struct catalog *catalog_shipped(void)
{
	static struct catalog *shipped;

	if (shipped == NULL)
		shipped = catalog_open_shipped();
	return shipped;
}

struct catalog *catalog_open(int builtin, const char *dir,
			     struct mc_err *err)
{
	struct catalog *cat = catalog_new();

	if ((builtin && cat_read_builtins(cat, err) < 0) ||
	    (dir && *dir && cat_read_dir(cat, dir, err) < 0)) {
		catalog_free(cat);
		return NULL;
	}
	return cat;
}

/* cat_find(), the language parsed first if it was put off. */
static const struct catalog_lang *cat_ready(const struct catalog *cat,
					    const char *code)
{
	struct catalog *c = (struct catalog *)cat; /* only a lazy one */
	struct catalog_lang *l;

	if (!cat->lazy)
		return cat_find(cat, code);
	pthread_mutex_lock(&c->mu);
	if ((l = cat_find(cat, code)) != NULL && l->pending)
		lang_load(c, l);
	pthread_mutex_unlock(&c->mu);
	return l;
}

const struct catalog_lang *catalog_lang(const struct catalog *cat,
					const char *tag)
{
	char code[64], *dash;
	const struct catalog_lang *l;

	if (cat == NULL || tag == NULL ||
	    tag_normalise(tag, code, sizeof(code)) < 0)
		return cat ? cat_ready(cat, "en") : &english_builtin;
	if ((l = cat_ready(cat, code)) != NULL)
		return l;
	while ((dash = strrchr(code, '-')) != NULL) {
		*dash = '\0';
		if ((l = cat_ready(cat, code)) != NULL)
			return l;
	}
	return cat_ready(cat, "en");
}

const char *catalog_lang_code(const struct catalog_lang *lang)
{
	return lang ? lang->code : "en";
}

size_t catalog_langs(const struct catalog *cat, const char *const **codes)
{
	static const char *const en[] = { "en" };

	if (cat == NULL) {
		*codes = en;
		return 1;
	}
	*codes = cat->codes;
	return cat->n;
}

const char *catalog_get(const struct catalog_lang *lang, const char *ctx,
			const char *msgid)
{
	const struct entry *e = lang_find(lang, ctx, msgid);

	return e && e->forms[0][0] ? e->forms[0] : msgid;
}

const char *catalog_find(const struct catalog_lang *lang, const char *ctx,
			 const char *msgid)
{
	const struct entry *e = lang_find(lang, ctx, msgid);

	return e && e->forms[0][0] ? e->forms[0] : NULL;
}

const char *catalog_nget(const struct catalog_lang *lang, const char *ctx,
			 const char *msgid, const char *msgid_plural,
			 unsigned long n)
{
	const struct entry *e = lang_find(lang, ctx, msgid);
	long i;

	if (e && e->plural) {
		i = plural_index(&lang->pl, n);
		if (i >= 0 && (unsigned long)i < e->nforms && e->forms[i][0])
			return e->forms[i];
	}
	return n == 1 ? msgid : msgid_plural;
}

/* ---- dates ---- */

static const char *const month_names[12] = {
	NC_("month", "January"), NC_("month", "February"),
	NC_("month", "March"), NC_("month", "April"), NC_("month", "May"),
	NC_("month", "June"), NC_("month", "July"), NC_("month", "August"),
	NC_("month", "September"), NC_("month", "October"),
	NC_("month", "November"), NC_("month", "December"),
};

static const char *const weekday_names[7] = {
	NC_("weekday", "Sunday"), NC_("weekday", "Monday"),
	NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
	NC_("weekday", "Thursday"), NC_("weekday", "Friday"),
	NC_("weekday", "Saturday"),
};

static void add_num(struct buf *out, long v, int width)
{
	char d[24];
	int n = 24;
	unsigned long u = v < 0 ? 0 - (unsigned long)v : (unsigned long)v;

	do {
		d[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u && n > 2);
	while (24 - n < width && n > 2)
		d[--n] = '0';
	if (v < 0)
		d[--n] = '-';
	buf_add(out, d + n, (size_t)(24 - n));
}

/* Writes pattern with its {name} fields from tm; unknown names and
 * unmatched braces are copied as they are. */
static void date_fill(const struct catalog_datefmt *f, const char *pat,
		      const struct tm *tm, struct buf *out, int depth)
{
	const char *p = pat, *open, *close;
	size_t n;

	while ((open = strchr(p, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		buf_add(out, p, (size_t)(open - p));
		n = (size_t)(close - open - 1);
		p = close + 1;
#define IS(s) (n == sizeof(s) - 1 && strncmp(open + 1, s, n) == 0)
		if (IS("day") && tm->tm_mday == 1) {
			buf_adds(out, f->first_day);
		} else if (IS("day")) {
			add_num(out, tm->tm_mday, 1);
		} else if (IS("month")) {
			buf_adds(out, tm->tm_mon >= 0 && tm->tm_mon < 12 ?
				 f->months[tm->tm_mon] : "?");
		} else if (IS("weekday")) {
			buf_adds(out, tm->tm_wday >= 0 && tm->tm_wday < 7 ?
				 f->weekdays[tm->tm_wday] : "?");
		} else if (IS("year")) {
			add_num(out, (long)tm->tm_year + 1900, 1);
		} else if (IS("hour")) {
			add_num(out, tm->tm_hour, 2);
		} else if (IS("minute")) {
			add_num(out, tm->tm_min, 2);
		} else if (IS("time") && depth == 0) {
			date_fill(f, f->time, tm, out, 1);
		} else {
			buf_add(out, open, n + 2);
		}
#undef IS
	}
	buf_adds(out, p);
}

/* The fields of a date pattern, once cut (struct catalog_dateseg). */
enum { DF_DAY, DF_MONTH, DF_WEEKDAY, DF_YEAR, DF_HOUR, DF_MINUTE };

/* Adds a piece to f's cut pattern; 0 when there is no room. */
static int seg_add(struct catalog_datefmt *f, const char *text, size_t len)
{
	if (text && len == 0)
		return 1;
	if (f->nseg >= CATALOG_DATE_SEGS)
		return 0;
	f->seg[f->nseg].text = text;
	f->seg[f->nseg++].len = len;
	return 1;
}

/* Cuts pat into f->seg as date_fill() reads it (the same braces, the
 * same names, {time} once); 0 when it has too many pieces. */
static int date_cut(struct catalog_datefmt *f, const char *pat, int depth)
{
	static const char *const names[] = {
		[DF_DAY] = "day", [DF_MONTH] = "month",
		[DF_WEEKDAY] = "weekday", [DF_YEAR] = "year",
		[DF_HOUR] = "hour", [DF_MINUTE] = "minute",
	};
	const char *p = pat, *open, *close;
	size_t n, i;

	while ((open = strchr(p, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		if (!seg_add(f, p, (size_t)(open - p)))
			return 0;
		n = (size_t)(close - open - 1);
		p = close + 1;
		for (i = 0; i < sizeof(names) / sizeof(*names); i++)
			if (strlen(names[i]) == n &&
			    strncmp(open + 1, names[i], n) == 0)
				break;
		if (i < sizeof(names) / sizeof(*names)) {
			if (!seg_add(f, NULL, i))
				return 0;
		} else if (n == 4 && strncmp(open + 1, "time", 4) == 0 &&
			   depth == 0) {
			if (!date_cut(f, f->time, 1))
				return 0;
		} else if (!seg_add(f, open, n + 2)) {
			return 0;
		}
	}
	return seg_add(f, p, strlen(p));
}

void catalog_datefmt_init(const struct catalog_lang *lang,
			  struct catalog_datefmt *f)
{
	size_t i;

	/* TRANSLATORS: the first day of the month in a date,
	 * if the language writes it unlike the other days
	 * (French: 1er); the other days are digits. */
	f->first_day = C_(lang, "first day of month", "1");
	for (i = 0; i < 12; i++)
		f->months[i] = C_(lang, "month", month_names[i]);
	for (i = 0; i < 7; i++)
		f->weekdays[i] = C_(lang, "weekday", weekday_names[i]);
	/* TRANSLATORS: the time of day in a date: {hour}
	 * (00-23) and {minute} (00-59). */
	f->time = C_(lang, "date", "{hour}:{minute}");
	/* TRANSLATORS: a date and time on pages, as CLDR's long date
	 * format of the language followed by the time: {month} (context
	 * "month"), {day}, {year}, {time}; {weekday} is also available. */
	f->pattern = C_(lang, "date", "{month} {day}, {year} at {time}");
	/* cut once: a page writes thousands of dates with it */
	f->nseg = 0;
	if (!date_cut(f, f->pattern, 0))
		f->nseg = 0;
}

void catalog_datefmt_tm(const struct catalog_datefmt *f, const struct tm *tm,
			struct buf *out)
{
	const struct catalog_dateseg *g;
	unsigned i;

	if (f->nseg == 0) { /* too many pieces to cut, or none */
		date_fill(f, f->pattern, tm, out, 0);
		return;
	}
	for (i = 0; i < f->nseg; i++) {
		g = &f->seg[i];
		if (g->text) {
			buf_add(out, g->text, g->len);
			continue;
		}
		switch (g->len) {
		case DF_DAY:
			if (tm->tm_mday == 1)
				buf_adds(out, f->first_day);
			else
				add_num(out, tm->tm_mday, 1);
			break;
		case DF_MONTH:
			buf_adds(out, tm->tm_mon >= 0 && tm->tm_mon < 12 ?
				 f->months[tm->tm_mon] : "?");
			break;
		case DF_WEEKDAY:
			buf_adds(out, tm->tm_wday >= 0 && tm->tm_wday < 7 ?
				 f->weekdays[tm->tm_wday] : "?");
			break;
		case DF_YEAR:
			add_num(out, (long)tm->tm_year + 1900, 1);
			break;
		case DF_HOUR:
			add_num(out, tm->tm_hour, 2);
			break;
		default:
			add_num(out, tm->tm_min, 2);
			break;
		}
	}
}

void catalog_date_tm(const struct catalog_lang *lang, const struct tm *tm,
		     struct buf *out)
{
	struct catalog_datefmt f;

	catalog_datefmt_init(lang, &f);
	catalog_datefmt_tm(&f, tm, out);
}

void catalog_date(const struct catalog_lang *lang, time_t t, struct buf *out)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	catalog_date_tm(lang, &tm, out);
}
