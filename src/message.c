/* message.c: placeholder until the reading-mail issue lands: a crude
 * header reader so the moderation loop can be built and run.  Replaced. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "json.h"
#include "message.h"

void msg_limits_from_conf(struct msg_limits *lim, const struct conf *c)
{
	lim->message_size = (size_t)c->limit_message_size;
	lim->mime_depth = (size_t)c->limit_mime_depth;
	lim->mime_parts = (size_t)c->limit_mime_parts;
	lim->line_length = (size_t)c->limit_line_length;
	lim->header_length = (size_t)c->limit_header_length;
}

static void sl_add(struct strlist *l, const char *s, size_t n)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrndup(s, n);
}

static char *angle(const char *v)
{
	const char *a = strchr(v, '<'), *b = a ? strchr(a, '>') : NULL;
	if (!a || !b)
		return xstrdup("");
	return xstrndup(a + 1, (size_t)(b - a - 1));
}

static void addrs(struct strlist *l, const char *v)
{
	const char *p = v;
	while (*p) {
		const char *a = strchr(p, '<');
		const char *comma = strchr(p, ',');
		if (a && (!comma || a < comma)) {
			const char *b = strchr(a, '>');
			if (!b) break;
			sl_add(l, a + 1, (size_t)(b - a - 1));
			p = b + 1;
		} else {
			const char *e = comma ? comma : p + strlen(p);
			char *t = xstrndup(p, (size_t)(e - p));
			char *s = str_trim(t);
			if (*s) sl_add(l, s, strlen(s));
			free(t);
			p = e;
		}
		while (*p == ',' || *p == ' ') p++;
	}
}

int msg_parse(const char *raw, size_t len, const struct conf *conf,
	      struct message **out, struct mc_err *err)
{
	struct message *m = xcalloc(1, sizeof(*m));
	const char *p = raw, *end = raw + len;
	struct buf body;
	size_t i;
	(void)err;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '\r')) { p = nl ? nl + 1 : end; break; }
		if ((p[0] == ' ' || p[0] == '\t') && m->nheaders) {
			struct msg_header *h = &m->headers[m->nheaders - 1];
			char *v = xasprintf("%s %.*s", h->value, (int)n, p);
			free(h->value); h->value = v;
		} else {
			const char *colon = memchr(p, ':', n);
			if (colon) {
				m->headers = realloc(m->headers, (m->nheaders + 1) * sizeof(*m->headers));
				m->headers[m->nheaders].name = xstrndup(p, (size_t)(colon - p));
				char *v = xstrndup(colon + 1, n - (size_t)(colon - p) - 1);
				char *t = str_trim(v);
				m->headers[m->nheaders].value = xstrdup(t);
				free(v);
				m->nheaders++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	const char *h;
	h = msg_header(m, "From");
	m->from_address = h ? angle(h) : xstrdup("");
	if (h && !m->from_address[0] && strchr(h, '@')) { free(m->from_address); m->from_address = xstrdup(h); }
	if (h && strchr(h, '<')) {
		char *n = xstrndup(h, (size_t)(strchr(h, '<') - h));
		char *t = str_trim(n);
		if (*t == '"') { t++; if (*t && t[strlen(t)-1] == '"') t[strlen(t)-1] = 0; }
		m->from_name = xstrdup(t); free(n);
	} else m->from_name = xstrdup("");
	const char *tos[] = { "To", "Cc", "Delivered-To", "X-Original-To" };
	for (i = 0; i < m->nheaders; i++)
		for (size_t k = 0; k < 4; k++)
			if (ascii_casecmp(m->headers[i].name, tos[k]) == 0)
				addrs(&m->to, m->headers[i].value);
	h = msg_header(m, "Subject"); m->subject = xstrdup(h ? h : "");
	h = msg_header(m, "Message-ID"); m->message_id = h ? angle(h) : xstrdup("");
	h = msg_header(m, "In-Reply-To"); m->in_reply_to = h ? angle(h) : xstrdup("");
	h = msg_header(m, "References");
	if (h) { const char *q = h; while ((q = strchr(q, '<'))) { const char *b = strchr(q, '>'); if (!b) break; sl_add(&m->references, q + 1, (size_t)(b - q - 1)); q = b; } }
	m->date = -1;
	buf_init(&body);
	int inquote = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n-1] == '\r') n--;
		if (n > 0 && p[0] == '>') inquote = 1;
		else if (n >= 6 && memcmp(p + n - 6, "wrote:", 6) == 0) inquote = 1;
		else if (n == 3 && memcmp(p, "-- ", 3) == 0) break;
		else if (!inquote || n > 0) { if (!inquote) { buf_add(&body, p, n); buf_addc(&body, '\n'); } }
		p = nl ? nl + 1 : end;
	}
	char *t = xstrdup(str_trim(body.s)); buf_free(&body);
	m->body = t; m->text = xstrdup(t);
	sha256_hex(raw, len, m->hash);
	m->key = m->message_id[0] ? xasprintf("<%s>", m->message_id) : xasprintf("sha256:%s", m->hash);
	m->kind = MSG_COMMENT;
	h = msg_header(m, "Auto-Submitted");
	if (h && ascii_casecmp(h, "no")) { m->kind = MSG_AUTOREPLY; m->is_autoreply = 1; sl_add(&m->reasons, "auto-submitted header", 21); }
	else if (strstr(m->from_address, "MAILER-DAEMON") || strstr(m->from_address, "mailer-daemon")) { m->kind = MSG_BOUNCE; m->is_bounce = 1; sl_add(&m->reasons, "mailer-daemon sender", 20); }
	else if (!m->from_address[0] || !m->body[0]) { m->kind = MSG_INVALID; sl_add(&m->reasons, "no usable text", 14); }
	else {
		for (i = 0; i < m->to.n; i++) { struct addr_target tt; addr_classify(conf, m->to.v[i], &tt); if (tt.kind == ADDR_TOKEN) m->kind = MSG_COMMAND; }
		const char *ids[2] = { m->in_reply_to, m->references.n ? m->references.v[0] : "" };
		for (i = 0; i < 2; i++) if (str_startswith(ids[i], "mailcomments.") && ids[i][14] == '_') m->kind = MSG_COMMAND;
	}
	*out = m;
	return 0;
}

static void sl_free(struct strlist *l) { for (size_t i = 0; i < l->n; i++) free(l->v[i]); free(l->v); }

void msg_free(struct message *m)
{
	if (!m) return;
	free(m->from_name); free(m->from_address); sl_free(&m->to); free(m->subject);
	free(m->message_id); free(m->in_reply_to); sl_free(&m->references); free(m->return_path);
	for (size_t i = 0; i < m->nheaders; i++) { free(m->headers[i].name); free(m->headers[i].value); }
	free(m->headers); free(m->text); free(m->body); sl_free(&m->reasons); free(m->key); free(m);
}

const char *msg_header(const struct message *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (ascii_casecmp(m->headers[i].name, name) == 0) return m->headers[i].value;
	return NULL;
}

const char *msg_key(const struct message *m) { return m->key; }

void msg_to_json(const struct message *m, struct buf *out) { (void)m; buf_adds(out, "{}"); }

const char *msg_kind_name(enum msg_kind k)
{
	static const char *n[] = { "comment", "command", "autoreply", "bounce", "list", "invalid" };
	return n[k];
}
