/* json.c: the JSON writer.  Kept tiny on purpose: mailcomments only ever
 * writes JSON, it never reads it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "term.h"
#include "utf8.h"
#include "banned.h"

void json_init(struct json *j, struct buf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void newline(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	buf_addc(j->out, '\n');
	for (i = 0; i < j->depth; i++)
		buf_adds(j->out, "  ");
}

/* Before any value or key: the comma and indentation it needs. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			buf_addc(j->out, ',');
		newline(j);
	}
	j->first[j->depth] = 0;
}

static void open(struct json *j, char c)
{
	sep(j);
	buf_addc(j->out, c);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
}

static void close(struct json *j, char c)
{
	int empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		newline(j);
	buf_addc(j->out, c);
}

void json_obj_begin(struct json *j)
{
	open(j, '{');
}

void json_obj_end(struct json *j)
{
	close(j, '}');
}

void json_arr_begin(struct json *j)
{
	open(j, '[');
}

void json_arr_end(struct json *j)
{
	close(j, ']');
}

/* "\\u%04x" without printf: HTML in JSON has two of these per tag. */
static void json_u_escape(struct buf *out, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u' };
	int i;

	if (cp > 0xffff) {
		buf_addf(out, "\\u%04x", (unsigned)cp);
		return;
	}
	for (i = 0; i < 4; i++)
		u[2 + i] = hex[(cp >> (12 - 4 * i)) & 0xf];
	buf_add(out, u, sizeof(u));
}

void json_escape(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s), *run = p;

	buf_addc(out, '"');
	while (p < end) {
		uint32_t cp;
		size_t n;

		/* Plain ASCII is copied in runs, not byte by byte. */
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' &&
		    *p != '<' && *p != '>' && *p != '&') {
			p++;
			continue;
		}
		n = utf8_decode(p, (size_t)(end - p), &cp);
		if (n > 1 && !term_control(cp)) {
			p += n;
			continue;
		}
		buf_add(out, run, (size_t)(p - run));
		if (n == 0) { /* invalid byte: replaced, never dropped */
			buf_adds(out, "\xEF\xBF\xBD");
			p++;
			run = p;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else if (cp == '\n') {
			buf_adds(out, "\\n");
		} else if (cp == '\r') {
			buf_adds(out, "\\r");
		} else if (cp == '\t') {
			buf_adds(out, "\\t");
		} else {
			/* controls (C0, DEL, C1, bidi: term.h), U+2028/9, and
			 * < > & (safe to embed in a <script> or an HTML
			 * attribute); the text is unchanged, and a terminal
			 * that shows the JSON sees no control */
			json_u_escape(out, cp);
		}
		p += n;
		run = p;
	}
	buf_add(out, run, (size_t)(p - run));
	buf_addc(out, '"');
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	json_escape(j->out, key);
	buf_adds(j->out, j->pretty ? ": " : ":");
	j->after_key = 1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	if (s == NULL)
		buf_adds(j->out, "null");
	else
		json_escape(j->out, s);
}

void json_int(struct json *j, int64_t v)
{
	sep(j);
	buf_addf(j->out, "%lld", (long long)v);
}

void json_num(struct json *j, double v)
{
	sep(j);
	if (isfinite(v))
		buf_addf(j->out, "%.15g", v);
	else
		buf_adds(j->out, "null");
}

void json_bool(struct json *j, int v)
{
	sep(j);
	buf_adds(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	sep(j);
	buf_adds(j->out, "null");
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kint(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kbool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}
