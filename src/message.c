/* message.c: one mail, from raw bytes to struct message.  The steps, in
 * order: limits that need no parsing (size, line length), the header
 * block (headers.c) and the fields the gateway uses, the MIME structure
 * and the text (mime.c, after mime_scan.c measured it), the new text
 * (extract.c), then the kind (classify.c).  A message over a limit is
 * still read as far as the limits allow: it is invalid, but its headers
 * and text are there for the logs. */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "charset.h"
#include "classify.h"
#include "extract.h"
#include "headers.h"
#include "json.h"
#include "message.h"
#include "mime.h"
#include "rfc2047.h"
#include "banned.h"

void msg_add_reason(struct message *m, const char *reason)
{
	if (!strlist_has(&m->reasons, reason))
		strlist_add(&m->reasons, reason);
}

void msg_limits_from_conf(struct msg_limits *lim, const struct conf *c)
{
	lim->message_size = (size_t)c->limit_message_size;
	lim->mime_depth = (size_t)c->limit_mime_depth;
	lim->mime_parts = (size_t)c->limit_mime_parts;
	lim->line_length = (size_t)c->limit_line_length;
	lim->header_length = (size_t)c->limit_header_length;
	lim->header_fields = (size_t)c->limit_header_fields;
	lim->header_size = (size_t)c->limit_header_size;
	lim->text_size = (size_t)c->limit_text_size;
	lim->text_lines = (size_t)c->limit_text_lines;
	lim->html_elements = (size_t)c->limit_html_elements;
	lim->html_depth = (size_t)c->limit_html_depth;
}

const char *msg_kind_name(enum msg_kind k)
{
	switch (k) {
	case MSG_COMMENT:
		return "comment";
	case MSG_COMMAND:
		return "command";
	case MSG_AUTOREPLY:
		return "autoreply";
	case MSG_BOUNCE:
		return "bounce";
	case MSG_LIST:
		return "list";
	case MSG_INVALID:
		return "invalid";
	case MSG_REPORT:
		return "report";
	}
	return "invalid";
}

const char *msg_header(const struct message *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (ascii_casecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

const char *msg_key(const struct message *m)
{
	return m->key;
}

/* The longest line of raw, terminators not counted. */
static size_t longest_line(const char *raw, size_t len)
{
	size_t pos = 0, max = 0;

	while (pos < len) {
		const char *nl = memchr(raw + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - raw) : len, n = end - pos;

		if (n > 0 && raw[end - 1] == '\r')
			n--;
		if (n > max)
			max = n;
		pos = end + 1;
	}
	return max;
}

/* Decoded text of a header value (RFC 2047, raw 8-bit bytes). */
static char *decode(const char *v)
{
	struct buf b;

	buf_init(&b);
	rfc2047_decode(v, strlen(v), &b, NULL);
	return buf_detach(&b);
}

/* The raw (unfolded, not decoded) values of the header block, kept while
 * parsing so structured fields are read before RFC 2047 decoding. */
struct raw_headers {
	char **name, **value;
	size_t n;
};

static const char *raw_header(const struct raw_headers *rh, const char *name)
{
	size_t i;

	for (i = 0; i < rh->n; i++)
		if (ascii_casecmp(rh->name[i], name) == 0)
			return rh->value[i];
	return NULL;
}

static size_t count_headers(const struct raw_headers *rh, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < rh->n; i++)
		n += ascii_casecmp(rh->name[i], name) == 0;
	return n;
}

/* The reasons of kind invalid for a From address, one per problem of
 * addr_problem(). */
static const char *from_problem(const char *why)
{
	static const char *const map[][2] = {
		{ "no domain", "from address without a domain" },
		{ "domain is not fully qualified",
		  "from address without a fully qualified domain" },
		{ "address literal", "from address with an address literal" },
		{ "source route", "from address with a source route" },
		{ "control character in the address",
		  "control character in the from address" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], why) == 0)
			return map[i][1];
	return "malformed from address";
}

/* From: NAME <> (or a bare "<>"): the name, decoded, into m; no address. */
static void read_null_name(struct message *m, const char *v)
{
	const char *lt = strchr(v, '<');
	char *raw = xstrndup(v, lt ? (size_t)(lt - v) : 0), *name = decode(raw);
	char *p = str_trim(name);
	size_t len = strlen(p);

	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p[len - 1] = '\0';
		p = str_trim(p + 1);
	}
	m->from_name = xstrdup(p);
	free(name);
	free(raw);
}

/* 1 if the From value v is a null address: "<>" alone or after a name,
 * with nothing but blanks inside the brackets. */
static int null_from(const char *v)
{
	const char *lt, *p;

	if (v == NULL || (lt = strchr(v, '<')) == NULL)
		return 0;
	for (p = lt + 1; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '>')
		return 0;
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	return *p == '\0' && strchr(lt + 1, '<') == NULL;
}

/* Reads the From field; returns why its address can be no author (see
 * addr_problem), or NULL. */
static const char *read_from(struct message *m, const char *v,
			     size_t nfrom)
{
	struct hdr_mailbox *boxes = NULL;
	size_t n = 0, len;
	const char *why;
	char *name, *p;

	if (v)
		hdr_parse_addresses(v, &boxes, &n);
	if (n == 0) {
		/* "MAILER-DAEMON <>": the null address of a bounce; the
		 * name is kept for the classifier */
		if (v)
			read_null_name(m, v);
		else
			m->from_name = xstrdup("");
		m->from_address = xstrdup("");
		hdr_mailboxes_free(boxes, n);
		return NULL; /* "no from address" */
	}
	m->from_address = xstrdup(boxes[0].addr);
	/* Whom would a reply, a ban or a rate limit be about?  Only one
	 * plain, fully qualified address says it. */
	if (n > 1 || nfrom > 1)
		why = "more than one from address";
	else if (boxes[0].route)
		why = "from address with a source route";
	else if ((why = addr_problem(boxes[0].addr, 1)) != NULL)
		why = from_problem(why);
	name = decode(boxes[0].name);
	/* quotes that came out of an encoded word, or 'single quotes' */
	p = str_trim(name);
	len = strlen(p);
	if (len >= 2 && (p[0] == '"' || p[0] == '\'') && p[len - 1] == p[0]) {
		p[len - 1] = '\0';
		p = str_trim(p + 1);
	}
	m->from_name = xstrdup(p);
	free(name);
	hdr_mailboxes_free(boxes, n);
	return why;
}

/* Addresses seen, any case: a hash set, so that a To: of 100,000
 * addresses is not compared pairwise. */
struct seen {
	char **v;
	size_t cap, n;
};

static size_t hash_ci(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	return h;
}

/* Adds s; returns 0 if it was there already (in any case). */
static int seen_add(struct seen *st, char *s)
{
	size_t i;

	if (2 * (st->n + 1) > st->cap) {
		struct seen old = *st;

		st->cap = st->cap ? st->cap * 2 : 64;
		st->v = xcalloc(st->cap, sizeof(*st->v));
		st->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.v[i])
				seen_add(st, old.v[i]);
		free(old.v);
	}
	for (i = hash_ci(s) & (st->cap - 1); st->v[i];
	     i = (i + 1) & (st->cap - 1))
		if (ascii_casecmp(st->v[i], s) == 0)
			return 0;
	st->v[i] = s;
	st->n++;
	return 1;
}

static void read_recipients(struct message *m, const struct raw_headers *rh)
{
	static const char *const names[] = { "To", "Cc", "Delivered-To",
					     "X-Original-To", NULL };
	const char *const *nm;
	struct seen seen = { NULL, 0, 0 };
	size_t i, j;

	for (nm = names; *nm; nm++)
		for (i = 0; i < rh->n; i++) {
			struct hdr_mailbox *boxes = NULL;
			size_t n = 0;

			if (ascii_casecmp(rh->name[i], *nm) != 0)
				continue;
			hdr_parse_addresses(rh->value[i], &boxes, &n);
			for (j = 0; j < n; j++) {
				strlist_add(&m->to, boxes[j].addr);
				/* the list owns the copy; the set points to it */
				if (!seen_add(&seen, m->to.v[m->to.n - 1]))
					free(m->to.v[--m->to.n]);
			}
			hdr_mailboxes_free(boxes, n);
		}
	free(seen.v);
}

static void add_id(void *ctx, const char *id)
{
	strlist_add(ctx, id);
}

static char *first_id(const char *v)
{
	struct strlist ids = { 0 };
	char *id;

	if (v)
		hdr_parse_msgids(v, add_id, &ids);
	id = xstrdup(ids.n ? ids.v[0] : "");
	strlist_free(&ids);
	return id;
}

static char *return_path(const char *v)
{
	const char *lt, *gt;

	if (v == NULL)
		return NULL;
	lt = strchr(v, '<');
	if (lt == NULL) {
		char *t = xstrdup(v), *r = xstrdup(str_trim(t));

		free(t);
		return r;
	}
	gt = strchr(lt, '>');
	{
		char *t = xstrndup(lt + 1, gt ? (size_t)(gt - lt - 1) :
						strlen(lt + 1));
		char *r = xstrdup(str_trim(t));

		free(t);
		return r;
	}
}

/* Reads the header block; returns the offset of the body. */
static size_t read_headers(struct message *m, const char *raw, size_t len,
			   const struct msg_limits *lim, unsigned *limits,
			   struct raw_headers *rh)
{
	struct hdr_field *f;
	size_t n, i, total, body;

	/* only what fits in the limits is kept: a header of 3.5 million
	 * empty fields is counted, not stored */
	body = hdr_parse_block_max(raw, len, lim->header_fields,
				   lim->header_size, &f, &n, &total);
	if (total > lim->header_fields)
		*limits |= LIMIT_FIELDS;
	if (body > lim->header_size)
		*limits |= LIMIT_HEADER_SIZE;

	rh->name = xcalloc(n, sizeof(char *));
	rh->value = xcalloc(n, sizeof(char *));
	rh->n = n;
	m->headers = xcalloc(n, sizeof(*m->headers));
	m->nheaders = n;
	for (i = 0; i < n; i++) {
		if (f[i].length > lim->header_length)
			*limits |= LIMIT_HEADER;
		rh->name[i] = xstrndup(raw + f[i].name, f[i].name_len);
		rh->value[i] = hdr_unfold(raw + f[i].value,
					  f[i].value_end - f[i].value);
		m->headers[i].name = xstrdup(rh->name[i]);
		m->headers[i].value = decode(rh->value[i]);
	}
	free(f);
	return body;
}

static void raw_headers_free(struct raw_headers *rh)
{
	size_t i;

	for (i = 0; i < rh->n; i++) {
		free(rh->name[i]);
		free(rh->value[i]);
	}
	free(rh->name);
	free(rh->value);
}

static void add_charset_notes(struct message *m, unsigned flags,
			      const char *label)
{
	static const unsigned order[] = { CHARSET_LATIN1_AS_1252,
					  CHARSET_UNKNOWN_UTF8,
					  CHARSET_UNKNOWN_1252,
					  CHARSET_REPLACED };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char *note;

		if (!(flags & order[i]))
			continue;
		note = charset_note(order[i], label);
		msg_add_reason(m, note);
		free(note);
	}
}

/* The classifier's verdict, copied into m. */
static void classify_into(struct message *m, const struct conf *conf,
			  const struct classify_facts *facts)
{
	struct classification cl;
	size_t i;

	classify(m, conf, facts, &cl);
	m->kind = cl.kind;
	m->is_autoreply = cl.is_autoreply;
	m->is_bounce = cl.is_bounce;
	for (i = 0; i < cl.reasons.n; i++)
		msg_add_reason(m, cl.reasons.v[i]);
	strlist_free(&cl.reasons);
}

int msg_parse(const char *raw, size_t len, const struct conf *conf,
	      struct message **out, struct mc_err *err)
{
	return msg_parse_head(raw, len, len, conf, out, err);
}

int msg_parse_head(const char *raw, size_t len, size_t size,
		   const struct conf *conf, struct message **out,
		   struct mc_err *err)
{
	struct classify_facts facts = { 0, 0, 0, 0, NULL };
	struct raw_headers rh = { NULL, NULL, 0 };
	struct mime_result res;
	struct msg_limits lim;
	struct message *m;
	size_t body_off;
	const char *v;

	if (raw == NULL && len > 0)
		return err_set(err, "no message to parse");
	if (raw == NULL)
		raw = "";
	msg_limits_from_conf(&lim, conf);
	m = xcalloc(1, sizeof(*m));
	sha256_hex(raw, len, m->hash);
	if (len > lim.message_size || size > lim.message_size)
		facts.limits |= LIMIT_SIZE;
	if (longest_line(raw, len) > lim.line_length)
		facts.limits |= LIMIT_LINE;

	body_off = read_headers(m, raw, len, &lim, &facts.limits, &rh);
	facts.from_problem = read_from(m, raw_header(&rh, "From"),
				       count_headers(&rh, "From"));
	facts.null_from = count_headers(&rh, "From") == 1 &&
			  null_from(raw_header(&rh, "From"));
	read_recipients(m, &rh);
	v = msg_header(m, "Subject");
	m->subject = xstrdup(v ? v : "");
	m->message_id = first_id(raw_header(&rh, "Message-ID"));
	m->in_reply_to = first_id(raw_header(&rh, "In-Reply-To"));
	if ((v = raw_header(&rh, "References")) != NULL)
		hdr_parse_msgids(v, add_id, &m->references);
	if ((v = raw_header(&rh, "Date")) == NULL ||
	    hdr_parse_date(v, &m->date) < 0)
		m->date = -1;
	m->return_path = return_path(raw_header(&rh, "Return-Path"));

	/* Over a limit the text is still looked for, within the limits:
	 * the message is invalid, but the log and the moderator see what
	 * it said.  mime_read() never parses beyond them. */
	{
		struct mime_top top = {
			raw_header(&rh, "Content-Type"),
			raw_header(&rh, "Content-Transfer-Encoding"),
			raw_header(&rh, "Content-Disposition"),
		};

		mime_read(raw, len, body_off, &top, &lim, &res);
	}
	if (res.scan.too_deep)
		facts.limits |= LIMIT_DEPTH;
	if (res.scan.too_many)
		facts.limits |= LIMIT_PARTS;
	if (res.scan.header_too_long)
		facts.limits |= LIMIT_HEADER;
	if (res.scan.too_many_fields)
		facts.limits |= LIMIT_FIELDS;
	if (res.scan.header_too_large)
		facts.limits |= LIMIT_HEADER_SIZE;
	facts.dsn = res.dsn;
	facts.report = (int)res.report;
	raw_headers_free(&rh);

	m->text = res.text ? res.text : xstrdup("");
	res.text = NULL;
	m->text_from_html = res.from_html;
	m->body = extract_body(m->text, strlen(m->text));
	if (m->text_from_html)
		msg_add_reason(m, "text from html");
	if (res.truncated)
		msg_add_reason(m, "text truncated");
	add_charset_notes(m, res.charset_flags, res.charset);
	mime_result_free(&res);

	classify_into(m, conf, &facts);
	m->key = *m->message_id ? xasprintf("<%s>", m->message_id) :
				  xasprintf("sha256:%s", m->hash);
	*out = m;
	return 0;
}

void msg_free(struct message *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->from_name);
	free(m->from_address);
	strlist_free(&m->to);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	strlist_free(&m->references);
	free(m->return_path);
	for (i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	free(m->headers);
	free(m->text);
	free(m->body);
	strlist_free(&m->reasons);
	free(m->key);
	free(m);
}

void msg_to_json(const struct message *m, struct buf *out)
{
	struct json j;
	size_t i;

	json_init(&j, out, 1);
	json_obj_begin(&j);
	json_kstr(&j, "from_name", m->from_name);
	json_kstr(&j, "from_address", m->from_address);
	json_key(&j, "to");
	json_arr_begin(&j);
	for (i = 0; i < m->to.n; i++)
		json_str(&j, m->to.v[i]);
	json_arr_end(&j);
	json_kstr(&j, "subject", m->subject);
	json_kstr(&j, "message_id", m->message_id);
	json_kstr(&j, "in_reply_to", m->in_reply_to);
	json_key(&j, "references");
	json_arr_begin(&j);
	for (i = 0; i < m->references.n; i++)
		json_str(&j, m->references.v[i]);
	json_arr_end(&j);
	json_key(&j, "date");
	if (m->date == -1) {
		json_null(&j);
	} else {
		char iso[32];

		time_iso8601(m->date, iso);
		json_str(&j, iso);
	}
	json_kstr(&j, "body", m->body);
	json_kstr(&j, "kind", msg_kind_name(m->kind));
	json_kbool(&j, "is_autoreply", m->is_autoreply);
	json_kbool(&j, "is_bounce", m->is_bounce);
	json_key(&j, "reasons");
	json_arr_begin(&j);
	for (i = 0; i < m->reasons.n; i++)
		json_str(&j, m->reasons.v[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	buf_addc(out, '\n');
}
