/* mime_scan.c: a counting twin of libetpan 1.9's MIME parser
 * (mailmime_parse() in mailmime_content.c).  The header fields of each
 * entity are read by libetpan's own exported parsers, so types, subtypes,
 * boundaries and encodings are exactly the ones it will see; the way it
 * finds delimiter lines (including its quirks: a "--" accepted one byte
 * after a line break in the preamble, blank lines eaten after a
 * delimiter, a part with no closing delimiter running to the end) is
 * reimplemented here from its behaviour.  Where the two could differ the
 * scan errs on the side of counting more.  The fuzz target checks that
 * libetpan's tree is never bigger or deeper than this scan says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "mime_scan.h"
#include "banned.h"

#define NONE ((size_t)-1)

/* --- finding delimiters the way libetpan does --- */

/* The first "--" the preamble scanner accepts at or after pos; returns
 * the index after it.  A "--" counts at a line start, which includes the
 * start (when at_line), the byte after CR or LF, and, a quirk kept on
 * purpose, the second byte of a line. */
static size_t preamble_dashes(const char *m, size_t len, size_t pos,
			      int at_line)
{
	enum { LINE, MID, DASH_LINE, CR, LF, DASH_NL } st = at_line ? LINE :
								      MID;

	for (; pos < len; pos++) {
		char c = m[pos];

		switch (st) {
		case LINE:
			st = c == '-' ? DASH_LINE : c == '\r' ? CR :
			     c == '\n' ? LF : MID;
			break;
		case MID:
			st = c == '\r' ? CR : c == '\n' ? LF : MID;
			break;
		case DASH_LINE:
			if (c == '-')
				return pos + 1;
			st = c == '\r' ? CR : c == '\n' ? LF : MID;
			break;
		case CR:
			st = c == '\r' ? CR : c == '\n' ? LF :
			     c == '-' ? DASH_NL : LINE;
			break;
		case LF:
			st = c == '-' ? DASH_NL : c == '\r' ? CR :
			     c == '\n' ? LF : LINE;
			break;
		case DASH_NL:
			if (c == '-')
				return pos + 1;
			st = MID;
			break;
		}
	}
	return NONE;
}

static int boundary_at(const char *m, size_t len, size_t pos, const char *b,
		       size_t blen)
{
	return pos + blen < len && memcmp(m + pos, b, blen) == 0;
}

static size_t skip_wsp(const char *m, size_t len, size_t pos)
{
	while (pos < len && (m[pos] == ' ' || m[pos] == '\t'))
		pos++;
	return pos;
}

/* CRLF or LF at pos: returns the index after it, or NONE. */
static size_t crlf_at(const char *m, size_t len, size_t pos)
{
	if (pos < len && m[pos] == '\r')
		pos++;
	return pos < len && m[pos] == '\n' ? pos + 1 : NONE;
}

/* One body part up to the next "\n--boundary": fills [*ds, *de) and the
 * index after the boundary (or len when none follows).  The data ends
 * before the last line that started with '-', without its line break;
 * empty data is a failure.  Returns 1 when a boundary ended the data, 0
 * when the end of the input did, -1 on failure. */
static int dash2(const char *m, size_t len, size_t pos, const char *b,
		 size_t blen, size_t *ds, size_t *de, size_t *next)
{
	size_t begin = pos, end = len;
	int st = 0, found = 0;

	while (pos < len) {
		char c = m[pos];

		if (st == 4) {
			if (boundary_at(m, len, pos, b, blen)) {
				pos += blen;
				found = 1;
				break;
			}
			st = 0; /* look at this byte again */
			continue;
		}
		switch (st) {
		case 0:
		case 1:
			st = c == '\r' && st == 0 ? 1 : c == '\n' ? 2 : 0;
			break;
		case 2:
			if (c == '-') {
				end = pos;
				st = 3;
			} else {
				st = c == '\r' ? 1 : c == '\n' ? 2 : 0;
			}
			break;
		case 3:
			st = c == '\r' ? 1 : c == '\n' ? 2 : c == '-' ? 4 : 0;
			break;
		}
		pos++;
	}
	if (end > begin) {
		if (m[end - 1] == '\r') {
			end--;
		} else if (m[end - 1] == '\n') {
			end--;
			if (end > begin && m[end - 1] == '\r')
				end--;
		}
	}
	if (end == begin)
		return -1;
	*ds = begin;
	*de = end;
	*next = pos;
	return found;
}

/* A part ended by a delimiter followed by blanks and a line break. */
static int transport_part(const char *m, size_t len, size_t pos,
			  const char *b, size_t blen, size_t *ds, size_t *de,
			  size_t *next)
{
	size_t begin = pos, s, e, after;

	for (;;) {
		if (dash2(m, len, pos, b, blen, &s, &e, &pos) < 0)
			return -1;
		*de = e;
		pos = skip_wsp(m, len, pos);
		if ((after = crlf_at(m, len, pos)) != NONE) {
			*ds = begin;
			*next = after;
			return 0;
		}
	}
}

/* The last part: ended by the close delimiter, or by the end.  Returns
 * 1 when no delimiter ended it (the closing one is missing), 0 when one
 * did, -1 on failure. */
static int close_part(const char *m, size_t len, size_t pos, const char *b,
		      size_t blen, size_t *ds, size_t *de, size_t *next)
{
	size_t begin = pos, s, e;
	int r;

	for (;;) {
		if ((r = dash2(m, len, pos, b, blen, &s, &e, &pos)) < 0)
			return -1;
		*de = e;
		if (r == 0 || pos >= len || (pos + 1 < len && m[pos] == '-' &&
					     m[pos + 1] == '-'))
			break;
	}
	*ds = begin;
	*next = pos;
	return r == 0;
}

/* --- nodes --- */

static char *lower_dup(const char *v)
{
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup(v);
	ascii_lower(s);
	return s;
}

/* MIME_ATTACHED for Content-Disposition: attachment, else MIME_NAMED
 * for a file name anywhere, else 0. */
static int is_attachment(const struct mailmime_content *ct,
			 const struct mailmime_fields *mf)
{
	clistiter *it;
	int named = 0;

	if (ct && ct->ct_parameters)
		for (it = clist_begin(ct->ct_parameters); it;
		     it = clist_next(it)) {
			struct mailmime_parameter *p = clist_content(it);

			if (p->pa_name && strncasecmp(p->pa_name, "name", 4) == 0)
				named = MIME_NAMED;
		}
	if (mf == NULL)
		return named;
	for (it = clist_begin(mf->fld_list); it; it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);
		struct mailmime_disposition *d;
		clistiter *pi;

		if (f->fld_type != MAILMIME_FIELD_DISPOSITION)
			continue;
		d = f->fld_data.fld_disposition;
		if (d->dsp_type &&
		    d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return MIME_ATTACHED;
		for (pi = clist_begin(d->dsp_parms); pi; pi = clist_next(pi)) {
			struct mailmime_disposition_parm *p = clist_content(pi);

			if (p->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME)
				named = MIME_NAMED;
			if (p->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER &&
			    p->pa_data.pa_parameter->pa_name &&
			    strncasecmp(p->pa_data.pa_parameter->pa_name,
					"filename", 8) == 0)
				named = MIME_NAMED;
		}
	}
	return named;
}

static const char *param(const struct mailmime_content *ct, const char *name)
{
	return ct ? mailmime_content_param_get((struct mailmime_content *)ct,
					       (char *)name) :
		    NULL;
}

struct mime_node *mime_node_new(const void *content, const void *fields,
				enum mime_kind kind, int default_msg)
{
	const struct mailmime_content *ct = content;
	const struct mailmime_fields *mf = fields;
	struct mime_node *n = xcalloc(1, sizeof(*n));
	const char *type = default_msg ? "message" : "text";

	n->kind = kind;
	n->encoding = MAILMIME_MECHANISM_8BIT;
	if (ct == NULL) {
		snprintf(n->type, sizeof(n->type), "%s", type);
		n->subtype = xstrdup(default_msg ? "rfc822" : "plain");
	} else {
		type = "";
		if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
			int t = ct->ct_type->tp_data.tp_composite_type->ct_type;

			type = t == MAILMIME_COMPOSITE_TYPE_MESSAGE ? "message" :
			       t == MAILMIME_COMPOSITE_TYPE_MULTIPART ?
								    "multipart" :
								    "";
		} else if (ct->ct_type->tp_data.tp_discrete_type->dt_type ==
			   MAILMIME_DISCRETE_TYPE_TEXT) {
			type = "text";
		}
		snprintf(n->type, sizeof(n->type), "%s", type);
		n->subtype = lower_dup(ct->ct_subtype ? ct->ct_subtype : "");
	}
	n->charset = param(ct, "charset") ? xstrdup(param(ct, "charset")) :
					    NULL;
	n->format = lower_dup(param(ct, "format"));
	n->delsp = lower_dup(param(ct, "delsp"));
	n->report_type = lower_dup(param(ct, "report-type"));
	n->attachment = is_attachment(ct, mf);
	return n;
}

void mime_node_free(struct mime_node *n)
{
	while (n) {
		struct mime_node *next = n->next;

		mime_node_free(n->child);
		free(n->subtype);
		free(n->charset);
		free(n->format);
		free(n->delsp);
		free(n->report_type);
		free(n);
		n = next;
	}
}

/* --- below the depth limit ---
 *
 * An entity deeper than the limit is not parsed, but its parts still
 * count towards the part limit (a message 10,000 levels deep has 10,000
 * parts).  They are counted from the text alone, in one pass: the
 * delimiter lines "--B" of every boundary B declared in that content, or
 * the "Content-Type:" header lines if there are more of those (parts
 * nested without delimiters, message/rfc822 inside message/rfc822).  An
 * estimate, used only for a message that is already invalid. */

struct bset {
	const char **s;
	size_t *n;
	size_t cap, used;
};

static size_t bhash(const char *s, size_t n)
{
	size_t h = 1469598103934665603ULL & (size_t)-1, i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ULL;
	return h;
}

static int bset_find(const struct bset *b, const char *s, size_t n)
{
	size_t i;

	if (b->cap == 0)
		return 0;
	for (i = bhash(s, n) & (b->cap - 1); b->s[i];
	     i = (i + 1) & (b->cap - 1))
		if (b->n[i] == n && memcmp(b->s[i], s, n) == 0)
			return 1;
	return 0;
}

static void bset_add(struct bset *b, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || bset_find(b, s, n))
		return;
	if (2 * (b->used + 1) > b->cap) {
		struct bset old = *b;

		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xcalloc(b->cap, sizeof(*b->s));
		b->n = xcalloc(b->cap, sizeof(*b->n));
		b->used = 0;
		for (i = 0; i < old.cap; i++)
			if (old.s[i])
				bset_add(b, old.s[i], old.n[i]);
		free(old.s);
		free(old.n);
	}
	for (i = bhash(s, n) & (b->cap - 1); b->s[i];
	     i = (i + 1) & (b->cap - 1))
		;
	b->s[i] = s;
	b->n[i] = n;
	b->used++;
}

static size_t count_deep(const char *m, size_t len, size_t idx,
			 const char *own, size_t max)
{
	struct bset set = { NULL, NULL, 0, 0 };
	size_t i, delims = 0, types = 0, pos;

	if (own)
		bset_add(&set, own, strlen(own));
	for (i = idx; i + 9 <= len; i++) {
		size_t j, k;

		if ((m[i] | 0x20) != 'b' || strncasecmp(m + i, "boundary=", 9))
			continue;
		j = i + 9;
		if (j < len && m[j] == '"') {
			for (k = ++j; k < len && m[k] != '"' && m[k] != '\n';
			     k++)
				;
		} else {
			for (k = j; k < len && !strchr(" \t\r\n;", m[k]); k++)
				;
		}
		bset_add(&set, m + j, k - j);
	}
	for (pos = idx; pos < len && delims <= max && types <= max;) {
		const char *nl = memchr(m + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - m) : len;

		while (end > pos && strchr(" \t\r", m[end - 1]))
			end--;
		if (end - pos > 2 && m[pos] == '-' && m[pos + 1] == '-' &&
		    bset_find(&set, m + pos + 2, end - pos - 2))
			delims++;
		if (end - pos >= 13 &&
		    strncasecmp(m + pos, "content-type:", 13) == 0)
			types++;
		pos = nl ? (size_t)(nl - m) + 1 : len;
	}
	free(set.s);
	free(set.n);
	return delims > types ? delims : types;
}

/* --- entities --- */

struct scan {
	const struct msg_limits *lim;
	struct mime_scan *out;
	const char *base; /* the whole buffer: node offsets are from here */
	int stop;
};

static struct mime_node *entity(struct scan *sc, const char *m, size_t len,
				size_t true_len, size_t idx, int default_msg,
				struct mailmime_fields *mf, size_t depth);

static void check_fields(struct scan *sc, struct mailimf_fields *f)
{
	clistiter *it;

	if (f == NULL)
		return;
	for (it = clist_begin(f->fld_list); it; it = clist_next(it)) {
		struct mailimf_field *fld = clist_content(it);
		struct mailimf_optional_field *o;
		size_t n, i;

		if (fld->fld_type != MAILIMF_FIELD_OPTIONAL_FIELD)
			continue;
		o = fld->fld_data.fld_optional_field;
		n = strlen(o->fld_name) + 2;
		for (i = 0; o->fld_value[i]; i++)
			n += o->fld_value[i] != '\r' && o->fld_value[i] != '\n';
		if (n > sc->lim->header_length)
			sc->out->header_too_long = 1;
	}
}

/* An upper bound of the fields and bytes libetpan's field parsers read
 * from the header block at s[0..len): logical lines (a line and its
 * continuation lines) up to an empty line, or up to one without a ':'
 * (no field can be read from it: libetpan stops there too, and the
 * colon of a field may come on a continuation line, after a comment). */
static void measure_header(const char *s, size_t len, size_t *fields,
			   size_t *bytes)
{
	size_t pos = 0;

	*fields = 0;
	while (pos < len) {
		size_t start = pos;
		int colon = 0;

		/* one logical line */
		do {
			const char *nl = memchr(s + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - s) + 1 : len;

			if (pos == start &&
			    (end - pos == 1 || (end - pos == 2 && s[pos] == '\r')))
				goto out; /* the empty line */
			colon |= memchr(s + pos, ':', end - pos) != NULL;
			pos = end;
		} while (pos < len && (s[pos] == ' ' || s[pos] == '\t'));
		if (!colon) {
			pos = start;
			break;
		}
		(*fields)++;
	}
out:
	*bytes = pos;
}

/* 0 if the header block at s[0..len) keeps the headers of the parts
 * within the limits; else sets the flag and stops the scan. */
static int header_within(struct scan *sc, const char *s, size_t len)
{
	size_t fields, bytes;

	measure_header(s, len, &fields, &bytes);
	sc->out->fields += fields;
	sc->out->header_bytes += bytes;
	if (sc->out->fields > sc->lim->header_fields)
		sc->out->too_many_fields = 1;
	if (sc->out->header_bytes > sc->lim->header_size)
		sc->out->header_too_large = 1;
	if (sc->out->too_many_fields || sc->out->header_too_large) {
		sc->stop = 1;
		return -1;
	}
	return 0;
}

/* The MIME fields of a header block, as libetpan keeps them. */
static struct mailmime_fields *mime_fields(struct scan *sc,
					   struct mailimf_fields *f)
{
	struct mailmime_fields *mf = NULL;

	check_fields(sc, f);
	if (f && mailmime_fields_parse(f, &mf) != MAILIMF_NO_ERROR)
		mf = NULL;
	if (f)
		mailimf_fields_free(f);
	return mf;
}

/* A body part of a multipart: its own header block, then its content. */
static struct mime_node *part(struct scan *sc, const char *d, size_t size,
			      size_t true_len, int default_msg, size_t depth)
{
	struct mailimf_fields *f = NULL;
	struct mailmime_fields *mf;
	struct mime_node *n = NULL;
	size_t bp = 0;

	if (header_within(sc, d, size) < 0)
		return NULL;
	if (mailimf_optional_fields_parse(d, size, &bp, &f) != MAILIMF_NO_ERROR)
		f = NULL;
	mailimf_crlf_parse(d, size, &bp);
	mf = mime_fields(sc, f);
	n = entity(sc, d, size, true_len, bp, default_msg, mf, depth);
	if (mf)
		mailmime_fields_free(mf);
	return n;
}

/* The message inside a message/rfc822 entity (or the whole message). */
static struct mime_node *message_child(struct scan *sc, const char *m,
				       size_t len, size_t true_len,
				       size_t idx, size_t depth)
{
	struct mailimf_fields *f = NULL;
	struct mailmime_fields *mf;
	struct mime_node *n;
	size_t cur = idx;

	if (header_within(sc, m + idx, len - idx) < 0)
		return NULL;
	if (mailimf_envelope_and_optional_fields_parse(m, len, &cur, &f) !=
	    MAILIMF_NO_ERROR)
		f = NULL;
	mailimf_crlf_parse(m, len, &cur);
	mf = mime_fields(sc, f);
	n = entity(sc, m, len, true_len, cur, 0, mf, depth);
	if (mf)
		mailmime_fields_free(mf);
	return n;
}

static struct mime_node *multipart(struct scan *sc, const char *m,
				   size_t len, size_t true_len, size_t idx,
				   const char *b, int default_msg,
				   size_t depth)
{
	size_t blen = strlen(b), cur = idx, p, q, ds, de;
	struct mime_node *first = NULL, **link = &first, *n;
	int final = 0, open;

	p = preamble_dashes(m, len, cur, 1);
	while (p != NONE) {
		cur = p;
		if (boundary_at(m, len, cur, b, blen)) {
			cur += blen;
			break;
		}
		p = preamble_dashes(m, len, cur, 0);
	}
	/* blank lines after the first delimiter are skipped */
	while ((q = crlf_at(m, len, skip_wsp(m, len, cur))) != NONE)
		cur = q;
	while (!final && !sc->stop) {
		open = 0;
		if (transport_part(m, len, cur, b, blen, &ds, &de, &cur) < 0) {
			open = close_part(m, len, cur, b, blen, &ds, &de, &cur);
			if (open < 0) {
				/* libetpan drops the whole list */
				mime_node_free(first);
				return NULL;
			}
			final = 1;
		}
		/* a last part with no closing delimiter runs to the end */
		n = part(sc, m + ds, de - ds, open ? true_len - ds : de - ds,
			 default_msg, depth);
		if (n) {
			*link = n;
			link = &n->next;
		}
		if ((q = crlf_at(m, len, skip_wsp(m, len, cur))) != NONE)
			cur = q;
	}
	return first;
}

char *mime_scan_boundary(const void *content, int *unsafe)
{
	struct mailmime_content *ct = (struct mailmime_content *)content;
	char *v = mailmime_content_param_get(ct, "boundary");
	size_t n;

	if (v == NULL)
		return NULL;
	n = strlen(v);
	if (v[0] != '"')
		return xstrdup(v);
	if (n < 2) {
		/* mailmime_extract_boundary() would copy SIZE_MAX bytes */
		*unsafe = 1;
		return NULL;
	}
	return xstrndup(v + 1, n - 2);
}

static struct mailmime_content *content_type(struct mailmime_fields *mf)
{
	clistiter *it;

	if (mf == NULL)
		return NULL;
	for (it = clist_begin(mf->fld_list); it; it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);

		if (f->fld_type == MAILMIME_FIELD_TYPE)
			return f->fld_data.fld_content;
	}
	return NULL;
}

static struct mime_node *entity(struct scan *sc, const char *m, size_t len,
				size_t true_len, size_t idx, int default_msg,
				struct mailmime_fields *mf, size_t depth)
{
	struct mailmime_content *ct = content_type(mf);
	enum mime_kind kind = MIME_SINGLE;
	struct mime_node *n;
	char *boundary = NULL;
	int enc;

	if (sc->stop)
		return NULL;
	if (++sc->out->parts > sc->lim->mime_parts) {
		sc->out->too_many = 1;
		sc->stop = 1;
		return NULL;
	}
	if (depth > sc->out->depth)
		sc->out->depth = depth;
	if (ct == NULL) {
		kind = default_msg ? MIME_MESSAGE : MIME_SINGLE;
	} else if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		int t = ct->ct_type->tp_data.tp_composite_type->ct_type;

		if (t == MAILMIME_COMPOSITE_TYPE_MULTIPART) {
			boundary = mime_scan_boundary(ct, &sc->out->unsafe);
			if (sc->out->unsafe) {
				sc->stop = 1;
				return NULL;
			}
			kind = boundary ? MIME_MULTIPLE : MIME_SINGLE;
		} else if (t == MAILMIME_COMPOSITE_TYPE_MESSAGE &&
			   strcasecmp(ct->ct_subtype, "rfc822") == 0) {
			kind = MIME_MESSAGE;
		}
	}
	enc = mf ? mailmime_transfer_encoding_get(mf) : MAILMIME_MECHANISM_8BIT;
	if (kind == MIME_MESSAGE && (enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE ||
				     enc == MAILMIME_MECHANISM_BASE64))
		kind = MIME_SINGLE;
	if (depth > sc->lim->mime_depth) {
		/* not entered: its parts are only counted */
		sc->out->too_deep = 1;
		if (kind != MIME_SINGLE)
			sc->out->parts += count_deep(m, len, idx, boundary,
						     sc->lim->mime_parts);
		if (sc->out->parts > sc->lim->mime_parts)
			sc->out->too_many = 1;
		free(boundary);
		return NULL;
	}
	n = mime_node_new(ct, mf, kind, default_msg);
	n->encoding = enc;
	if (kind == MIME_SINGLE) {
		n->start = (size_t)(m - sc->base) + idx;
		n->end = (size_t)(m - sc->base) + true_len;
	} else if (kind == MIME_MESSAGE) {
		n->child = message_child(sc, m, len, true_len, idx, depth + 1);
	} else {
		n->child = multipart(sc, m, len, true_len, idx, boundary,
				     strcasecmp(ct->ct_subtype, "digest") == 0,
				     depth + 1);
	}
	free(boundary);
	return n;
}

void mime_scan(const char *msg, size_t len, const struct msg_limits *lim,
	       struct mime_scan *out)
{
	struct scan sc = { lim, out, msg, 0 };

	memset(out, 0, sizeof(*out));
	out->root = message_child(&sc, msg, len, len, 0, 0);
	if (out->unsafe) {
		mime_node_free(out->root);
		out->root = NULL;
	}
}
