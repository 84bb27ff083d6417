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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "mime_scan.h"
#include "banned.h"

#define NONE ((size_t)-1)

struct scan {
	const struct msg_limits *lim;
	struct mime_scan *out;
	int stop;
};

static void entity(struct scan *sc, const char *m, size_t len, size_t idx,
		   int default_msg, struct mailmime_fields *mf, size_t depth);

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
 * empty data is a failure. */
static int dash2(const char *m, size_t len, size_t pos, const char *b,
		 size_t blen, size_t *ds, size_t *de, size_t *next)
{
	size_t begin = pos, end = len;
	int st = 0;

	while (pos < len) {
		char c = m[pos];

		if (st == 4) {
			if (boundary_at(m, len, pos, b, blen)) {
				pos += blen;
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
	return 0;
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

/* The last part: ended by the close delimiter, or by the end. */
static int close_part(const char *m, size_t len, size_t pos, const char *b,
		      size_t blen, size_t *ds, size_t *de, size_t *next)
{
	size_t begin = pos, s, e;

	for (;;) {
		if (dash2(m, len, pos, b, blen, &s, &e, &pos) < 0)
			return -1;
		*de = e;
		if (pos >= len || (pos + 1 < len && m[pos] == '-' &&
				   m[pos + 1] == '-'))
			break;
	}
	*ds = begin;
	*next = pos;
	return 0;
}

/* --- entities --- */

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
		if (n > sc->lim->header_length) {
			sc->out->header_too_long = 1;
			sc->stop = 1;
			return;
		}
	}
}

/* The MIME fields of a header block, as libetpan keeps them. */
static struct mailmime_fields *mime_fields(struct scan *sc,
					   struct mailimf_fields *f)
{
	struct mailmime_fields *mf = NULL;

	check_fields(sc, f);
	if (f && !sc->stop && mailmime_fields_parse(f, &mf) != MAILIMF_NO_ERROR)
		mf = NULL;
	if (f)
		mailimf_fields_free(f);
	return mf;
}

/* A body part of a multipart: its own header block, then its content. */
static void part(struct scan *sc, const char *d, size_t size,
		 int default_msg, size_t depth)
{
	struct mailimf_fields *f = NULL;
	struct mailmime_fields *mf;
	size_t bp = 0;

	if (mailimf_optional_fields_parse(d, size, &bp, &f) != MAILIMF_NO_ERROR)
		f = NULL;
	mailimf_crlf_parse(d, size, &bp);
	mf = mime_fields(sc, f);
	if (!sc->stop)
		entity(sc, d, size, bp, default_msg, mf, depth);
	if (mf)
		mailmime_fields_free(mf);
}

/* The message inside a message/rfc822 entity (or the whole message). */
static void message_child(struct scan *sc, const char *m, size_t len,
			  size_t idx, size_t depth)
{
	struct mailimf_fields *f = NULL;
	struct mailmime_fields *mf;
	size_t cur = idx;

	if (mailimf_envelope_and_optional_fields_parse(m, len, &cur, &f) !=
	    MAILIMF_NO_ERROR)
		f = NULL;
	mailimf_crlf_parse(m, len, &cur);
	mf = mime_fields(sc, f);
	if (!sc->stop)
		entity(sc, m, len, cur, 0, mf, depth);
	if (mf)
		mailmime_fields_free(mf);
}

static void multipart(struct scan *sc, const char *m, size_t len, size_t idx,
		      const char *b, int default_msg, size_t depth)
{
	size_t blen = strlen(b), cur = idx, p, q, ds, de;
	int final = 0;

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
		if (transport_part(m, len, cur, b, blen, &ds, &de, &cur) < 0) {
			if (close_part(m, len, cur, b, blen, &ds, &de, &cur) <
			    0)
				return; /* libetpan drops the whole list */
			final = 1;
		}
		part(sc, m + ds, de - ds, default_msg, depth);
		if ((q = crlf_at(m, len, skip_wsp(m, len, cur))) != NONE)
			cur = q;
	}
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

static void entity(struct scan *sc, const char *m, size_t len, size_t idx,
		   int default_msg, struct mailmime_fields *mf, size_t depth)
{
	struct mailmime_content *ct = content_type(mf);
	enum { SINGLE, MULTIPLE, MESSAGE } kind = SINGLE;
	char *boundary = NULL;
	int enc;

	if (sc->stop)
		return;
	if (++sc->out->parts > sc->lim->mime_parts) {
		sc->out->too_many = 1;
		sc->stop = 1;
		return;
	}
	if (depth > sc->out->depth)
		sc->out->depth = depth;
	if (depth > sc->lim->mime_depth) {
		sc->out->too_deep = 1;
		sc->stop = 1;
		return;
	}
	if (ct == NULL) {
		kind = default_msg ? MESSAGE : SINGLE;
	} else if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		int t = ct->ct_type->tp_data.tp_composite_type->ct_type;

		if (t == MAILMIME_COMPOSITE_TYPE_MULTIPART) {
			boundary = mime_scan_boundary(ct, &sc->out->unsafe);
			if (sc->out->unsafe) {
				sc->stop = 1;
				return;
			}
			kind = boundary ? MULTIPLE : SINGLE;
		} else if (t == MAILMIME_COMPOSITE_TYPE_MESSAGE &&
			   strcasecmp(ct->ct_subtype, "rfc822") == 0) {
			kind = MESSAGE;
		}
	}
	enc = mf ? mailmime_transfer_encoding_get(mf) : MAILMIME_MECHANISM_8BIT;
	if (kind == MESSAGE && (enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE ||
				enc == MAILMIME_MECHANISM_BASE64))
		kind = SINGLE;
	if (kind == MESSAGE)
		message_child(sc, m, len, idx, depth + 1);
	else if (kind == MULTIPLE)
		multipart(sc, m, len, idx, boundary,
			  strcasecmp(ct->ct_subtype, "digest") == 0, depth + 1);
	free(boundary);
}

void mime_scan(const char *msg, size_t len, const struct msg_limits *lim,
	       struct mime_scan *out)
{
	struct scan sc = { lim, out, 0 };

	memset(out, 0, sizeof(*out));
	message_child(&sc, msg, len, 0, 0);
}
