/* template.c: parsing and applying templates.  A template is parsed once
 * into a flat list of operations (text, variable, block); a block jumps
 * past its end when its condition fails, so applying one is a single
 * loop with no recursion. */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "template.h"
#include "banned.h"

#define MAX_NESTING 32

enum op_kind { OP_TEXT, OP_VAR, OP_RAW, OP_IF, OP_UNLESS };

struct op {
	enum op_kind kind;
	size_t start, len; /* OP_TEXT: the bytes of text */
	size_t var;        /* others: index in vars */
	size_t jump;       /* OP_IF, OP_UNLESS: the op after the block */
};

struct template {
	char *text;
	struct op *ops;
	size_t nops, cap;
};

static size_t add_op(struct template *t, enum op_kind kind)
{
	if (t->nops == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->ops = xrealloc(t->ops, t->cap * sizeof(*t->ops));
	}
	memset(&t->ops[t->nops], 0, sizeof(t->ops[0]));
	t->ops[t->nops].kind = kind;
	return t->nops++;
}

static void add_text(struct template *t, size_t start, size_t end)
{
	size_t i;

	if (end <= start)
		return;
	i = add_op(t, OP_TEXT);
	t->ops[i].start = start;
	t->ops[i].len = end - start;
}

static int line_of(const char *s, size_t pos)
{
	int line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

struct parser {
	struct template *t;
	const char *name;
	const char *s;
	size_t len;
	const struct template_var *vars;
	size_t nvars;
	size_t open[MAX_NESTING]; /* op index of each open block */
	size_t depth;
	struct mc_err *err;
};

static int fail(struct parser *p, size_t pos, const char *what,
		const char *tag, size_t taglen)
{
	return err_set(p->err, "%s:%d: %s%s%.*s%s", p->name,
		       line_of(p->s, pos), what, taglen ? " in {{" : "",
		       (int)(taglen > 60 ? 60 : taglen), tag,
		       taglen ? "}}" : "");
}

static int find_var(struct parser *p, const char *s, size_t n, size_t *idx)
{
	size_t i;

	for (i = 0; i < p->nvars; i++)
		if (strlen(p->vars[i].name) == n &&
		    memcmp(p->vars[i].name, s, n) == 0) {
			*idx = i;
			return 0;
		}
	return -1;
}

/* One tag whose inside (braces stripped) is s[a..b), at pos. */
static int tag(struct parser *p, size_t pos, size_t a, size_t b, int triple)
{
	const char *s = p->s;
	char sigil;
	size_t var, i;

	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	sigil = a < b ? s[a] : '\0';
	if (sigil == '!' && !triple)
		return 0;
	if (!triple && (sigil == '#' || sigil == '^' || sigil == '/')) {
		a++;
		while (a < b && is_space(s[a]))
			a++;
	} else {
		sigil = '\0';
	}
	if (!name_ok(s + a, b - a))
		return fail(p, pos, "bad variable name", s + a, b - a);
	if (find_var(p, s + a, b - a, &var) < 0)
		return fail(p, pos, "unknown variable", s + a, b - a);
	if (sigil == '/') {
		if (p->depth == 0)
			return fail(p, pos, "block closed but never opened",
				    s + a, b - a);
		i = p->open[--p->depth];
		if (p->t->ops[i].var != var)
			return err_set(p->err,
				       "%s:%d: {{/%.*s}} closes {{#%s}} "
				       "(opened on line %d)",
				       p->name, line_of(s, pos), (int)(b - a),
				       s + a, p->vars[p->t->ops[i].var].name,
				       line_of(s, p->t->ops[i].start));
		p->t->ops[i].jump = p->t->nops;
		return 0;
	}
	if (sigil == '#' || sigil == '^') {
		if (p->depth == MAX_NESTING)
			return fail(p, pos, "blocks nested too deeply", s + a,
				    b - a);
		i = add_op(p->t, sigil == '#' ? OP_IF : OP_UNLESS);
		p->t->ops[i].var = var;
		p->t->ops[i].start = pos; /* for the error above */
		p->open[p->depth++] = i;
		return 0;
	}
	if (p->vars[var].type == TEMPLATE_BOOL)
		return err_set(p->err,
			       "%s:%d: %s is a condition: use it as "
			       "{{#%s}}...{{/%s}}",
			       p->name, line_of(s, pos), p->vars[var].name,
			       p->vars[var].name, p->vars[var].name);
	if (triple && p->vars[var].type != TEMPLATE_HTML)
		return err_set(p->err,
			       "%s:%d: %s is text, not HTML: write {{%s}} "
			       "(it is escaped)",
			       p->name, line_of(s, pos), p->vars[var].name,
			       p->vars[var].name);
	if (!triple && p->vars[var].type == TEMPLATE_HTML)
		return err_set(p->err,
			       "%s:%d: %s is HTML: write {{{%s}}}", p->name,
			       line_of(s, pos), p->vars[var].name,
			       p->vars[var].name);
	i = add_op(p->t, triple ? OP_RAW : OP_VAR);
	p->t->ops[i].var = var;
	return 0;
}

/* A block tag or comment alone on its line (spaces aside) takes the line:
 * returns where the line starts and sets *after past its newline. */
static int standalone(const struct parser *p, size_t text_start, size_t pos,
		      size_t end, size_t *line_start, size_t *after)
{
	const char *s = p->s;
	size_t i = pos, j = end;
	char sigil;

	for (j = pos + 2; j < end && is_space(s[j]); j++)
		;
	sigil = s[j];
	if (s[pos + 2] == '{' || !strchr("#^/!", sigil))
		return 0;
	while (i > text_start && is_space(s[i - 1]))
		i--;
	if (i > 0 && s[i - 1] != '\n')
		return 0; /* text or another tag before it on the line */
	for (j = end; j < p->len && is_space(s[j]); j++)
		;
	if (j < p->len && s[j] == '\r' && j + 1 < p->len && s[j + 1] == '\n')
		j++;
	if (j < p->len && s[j] != '\n')
		return 0;
	*line_start = i;
	*after = j < p->len ? j + 1 : j;
	return 1;
}

int template_parse(struct template **tp, const char *name, const char *text,
		   size_t len, const struct template_var *vars, size_t nvars,
		   struct mc_err *err)
{
	struct parser p = { 0 };
	size_t i = 0, text_start = 0, close, end, ls, after;
	const char *q;
	int triple;

	*tp = NULL;
	p.t = xcalloc(1, sizeof(*p.t));
	p.t->text = xstrndup(text, len);
	p.name = name;
	p.s = p.t->text;
	p.len = len;
	p.vars = vars;
	p.nvars = nvars;
	p.err = err;
	if (strlen(p.s) != len) {
		err_set(err, "%s: holds a NUL byte", name);
		goto fail;
	}
	while ((q = strstr(p.s + i, "{{")) != NULL) {
		i = (size_t)(q - p.s);
		triple = p.s[i + 2] == '{';
		q = strstr(p.s + i + (triple ? 3 : 2), triple ? "}}}" : "}}");
		if (q == NULL) {
			fail(&p, i, "tag not closed", "", 0);
			goto fail;
		}
		close = (size_t)(q - p.s);
		end = close + (triple ? 3 : 2);
		if (standalone(&p, text_start, i, end, &ls, &after)) {
			add_text(p.t, text_start, ls);
		} else {
			add_text(p.t, text_start, i);
			after = end;
		}
		if (tag(&p, i, i + (triple ? 3 : 2), close, triple) < 0)
			goto fail;
		i = text_start = after;
	}
	add_text(p.t, text_start, len);
	if (p.depth > 0) {
		size_t o = p.open[p.depth - 1];

		err_set(err, "%s:%d: {{#%s}} is never closed", name,
			line_of(p.s, p.t->ops[o].start),
			vars[p.t->ops[o].var].name);
		goto fail;
	}
	*tp = p.t;
	return 0;
fail:
	template_free(p.t);
	return -1;
}

static int is_set(const struct op *o, const struct template_val *vals)
{
	const struct template_val *v = &vals[o->var];

	return v->b || v->put || (v->s && *v->s);
}

void template_render(const struct template *t,
		     const struct template_val *vals, struct buf *out)
{
	size_t i = 0;
	const struct op *o;

	while (i < t->nops) {
		o = &t->ops[i];
		switch (o->kind) {
		case OP_TEXT:
			buf_add(out, t->text + o->start, o->len);
			break;
		case OP_VAR:
			if (vals[o->var].s)
				html_escape(out, vals[o->var].s);
			break;
		case OP_RAW:
			if (vals[o->var].put)
				vals[o->var].put(vals[o->var].arg, out);
			else if (vals[o->var].s)
				buf_adds(out, vals[o->var].s);
			break;
		case OP_IF:
			if (!is_set(o, vals)) {
				i = o->jump;
				continue;
			}
			break;
		case OP_UNLESS:
			if (is_set(o, vals)) {
				i = o->jump;
				continue;
			}
			break;
		}
		i++;
	}
}

void template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t->ops);
	free(t);
}
