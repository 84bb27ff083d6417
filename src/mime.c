/* mime.c: from raw body to text, through libetpan's MIME tree.
 *
 * libetpan is given a copy of the message whose header block holds only
 * the top-level MIME fields (we split and read the real header block
 * ourselves, see headers.h), defused by mime_defuse(), and measured by
 * mime_scan() first.  Pointers into the copy are turned back into offsets
 * of the original, so the text is decoded from the bytes as received. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "charset.h"
#include "codec.h"
#include "flowed.h"
#include "html.h"
#include "mime.h"
#include "banned.h"

void mime_defuse(char *s, size_t len)
{
	size_t i, start = 0, parens = 0;

	for (i = 0; i <= len; i++) {
		/* a logical line ends before a line that does not start
		 * with a blank, and at the end */
		if (i == len || (i > 0 && s[i - 1] == '\n' && s[i] != ' ' &&
				 s[i] != '\t')) {
			if (parens > MIME_PAREN_MAX) {
				size_t j;

				for (j = start; j < i; j++)
					if (s[j] == '(' || s[j] == ')')
						s[j] = ' ';
			}
			start = i;
			parens = 0;
		}
		if (i == len)
			break;
		if (s[i] == '(')
			parens++;
		else if (s[i] == '?' && i > 0 && s[i - 1] == '=')
			s[i] = '_';
	}
}

/* --- the copy --- */

struct copy {
	char *s;
	size_t len;
	size_t head;     /* length of the synthetic header block */
	const char *raw; /* the original */
	size_t body_off;
};

static void add_field(struct buf *b, const char *name, const char *value)
{
	const char *p;

	if (value == NULL)
		return;
	buf_adds(b, name);
	buf_adds(b, ": ");
	for (p = value; *p; p++) /* unfolded already; be sure */
		buf_addc(b, *p == '\r' || *p == '\n' ? ' ' : *p);
	buf_adds(b, "\r\n");
}

static void make_copy(struct copy *c, const char *raw, size_t len,
		      size_t body_off, const struct mime_top *top)
{
	struct buf b;

	buf_init(&b);
	add_field(&b, "Content-Type", top->type);
	add_field(&b, "Content-Transfer-Encoding", top->encoding);
	add_field(&b, "Content-Disposition", top->disposition);
	buf_adds(&b, "\r\n");
	c->head = b.len;
	buf_add(&b, raw + body_off, len - body_off);
	mime_defuse(b.s, b.len);
	c->len = b.len;
	c->s = buf_detach(&b);
	c->raw = raw;
	c->body_off = body_off;
}

/* The original bytes behind a pointer into the body of the copy. */
static const char *original(const struct copy *c, const char *p)
{
	return c->raw + c->body_off + (size_t)(p - (c->s + c->head));
}

/* --- the tree --- */

static struct mailmime_content *ctype(const struct mailmime *mm)
{
	return mm->mm_content_type;
}

static int is_type(const struct mailmime_content *ct, int discrete,
		   int composite, const char *subtype)
{
	if (ct == NULL || ct->ct_type == NULL)
		return 0;
	if (discrete && (ct->ct_type->tp_type != MAILMIME_TYPE_DISCRETE_TYPE ||
			 ct->ct_type->tp_data.tp_discrete_type->dt_type !=
				 discrete))
		return 0;
	if (composite &&
	    (ct->ct_type->tp_type != MAILMIME_TYPE_COMPOSITE_TYPE ||
	     ct->ct_type->tp_data.tp_composite_type->ct_type != composite))
		return 0;
	return ct->ct_subtype && strcasecmp(ct->ct_subtype, subtype) == 0;
}

static const char *param(const struct mailmime_content *ct, const char *name)
{
	return ct ? mailmime_content_param_get((struct mailmime_content *)ct,
					       (char *)name) :
		    NULL;
}

/* Content-Disposition: attachment, or a file name anywhere. */
static int is_attachment(const struct mailmime *mm)
{
	const struct mailmime_content *ct = ctype(mm);
	clistiter *it;

	if (ct && ct->ct_parameters)
		for (it = clist_begin(ct->ct_parameters); it;
		     it = clist_next(it)) {
			struct mailmime_parameter *p = clist_content(it);

			if (p->pa_name && strncasecmp(p->pa_name, "name", 4) == 0)
				return 1;
		}
	if (mm->mm_mime_fields == NULL)
		return 0;
	for (it = clist_begin(mm->mm_mime_fields->fld_list); it;
	     it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);
		struct mailmime_disposition *d;
		clistiter *pi;

		if (f->fld_type != MAILMIME_FIELD_DISPOSITION)
			continue;
		d = f->fld_data.fld_disposition;
		if (d->dsp_type &&
		    d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return 1;
		for (pi = clist_begin(d->dsp_parms); pi; pi = clist_next(pi)) {
			struct mailmime_disposition_parm *p = clist_content(pi);

			if (p->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME)
				return 1;
			if (p->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER &&
			    p->pa_data.pa_parameter->pa_name &&
			    strncasecmp(p->pa_data.pa_parameter->pa_name,
					"filename", 8) == 0)
				return 1;
		}
	}
	return 0;
}

struct pick {
	struct mailmime *plain, *html;
	int seen_text;
	int dsn;
};

/* text_ok: text found under here may be chosen (a forwarded message
 * counts only when no text came before it).  The depth is bounded by
 * mime_scan(). */
static void walk(struct mailmime *mm, struct pick *pk, int text_ok)
{
	const struct mailmime_content *ct = ctype(mm);
	clistiter *it;

	switch (mm->mm_type) {
	case MAILMIME_SINGLE:
		if (is_type(ct, 0, MAILMIME_COMPOSITE_TYPE_MESSAGE,
			    "delivery-status") ||
		    is_type(ct, 0, MAILMIME_COMPOSITE_TYPE_MESSAGE,
			    "global-delivery-status"))
			pk->dsn = 1;
		if (!text_ok || is_attachment(mm))
			break;
		if (is_type(ct, MAILMIME_DISCRETE_TYPE_TEXT, 0, "plain")) {
			if (!pk->plain)
				pk->plain = mm;
			pk->seen_text = 1;
		} else if (is_type(ct, MAILMIME_DISCRETE_TYPE_TEXT, 0,
				   "html")) {
			if (!pk->html)
				pk->html = mm;
			pk->seen_text = 1;
		}
		break;
	case MAILMIME_MULTIPLE: {
		const char *rt = param(ct, "report-type");

		if (is_type(ct, 0, MAILMIME_COMPOSITE_TYPE_MULTIPART,
			    "report") &&
		    rt && strcasecmp(rt, "delivery-status") == 0)
			pk->dsn = 1;
		if (mm->mm_data.mm_multipart.mm_mp_list)
			for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
			     it; it = clist_next(it))
				walk(clist_content(it), pk, text_ok);
		break;
	}
	case MAILMIME_MESSAGE:
		if (mm->mm_data.mm_message.mm_msg_mime)
			walk(mm->mm_data.mm_message.mm_msg_mime, pk,
			     text_ok && !pk->seen_text);
		break;
	}
}

/* Where a part really ends.  libetpan ends the last part of a multipart
 * that has no closing delimiter before the last line starting with '-';
 * the spec says such a part runs to the end of its multipart. */
static const char *true_end(const struct mailmime *mm, const char *end)
{
	while (mm->mm_parent && mm->mm_parent_type == MAILMIME_MULTIPLE &&
	       mm->mm_multipart_pos && clist_next(mm->mm_multipart_pos) == NULL) {
		const struct mailmime *parent = mm->mm_parent;
		const char *p = mm->mm_mime_start + mm->mm_length;
		const char *pend = parent->mm_mime_start + parent->mm_length;
		int unsafe = 0, closed;
		char *b = mime_scan_boundary(ctype(parent), &unsafe);

		if (b == NULL)
			break;
		if (p < pend && *p == '\r')
			p++;
		if (p < pend && *p == '\n')
			p++;
		closed = (size_t)(pend - p) >= strlen(b) + 2 && p[0] == '-' &&
			 p[1] == '-' && memcmp(p + 2, b, strlen(b)) == 0;
		free(b);
		if (closed)
			break;
		end = pend;
		mm = parent;
	}
	return end;
}

/* A charset named in the first bytes of an HTML document. */
static char *html_meta_charset(const char *s, size_t n)
{
	size_t i, k;

	if (n > 4096)
		n = 4096;
	for (i = 0; i + 8 <= n; i++) {
		if (strncasecmp(s + i, "charset=", 8) != 0)
			continue;
		i += 8;
		while (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == ' '))
			i++;
		for (k = i; k < n && k - i < 40 &&
			    (((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z') ||
			     (s[k] >= '0' && s[k] <= '9') ||
			     strchr("-_.:", s[k]) != NULL) && s[k] != '\0';
		     k++)
			;
		return k > i ? xstrndup(s + i, k - i) : NULL;
	}
	return NULL;
}

/* CRLF and lone CR become LF; a leading byte order mark goes. */
static void line_endings(struct buf *b)
{
	size_t i, j = 0;

	if (b->len >= 3 && memcmp(b->s, "\xEF\xBB\xBF", 3) == 0)
		j = 3;
	for (i = 0; j < b->len; j++) {
		if (b->s[j] == '\r') {
			b->s[i++] = '\n';
			if (j + 1 < b->len && b->s[j + 1] == '\n')
				j++;
		} else {
			b->s[i++] = b->s[j];
		}
	}
	buf_truncate(b, i);
}

static void read_part(const struct copy *c, struct mailmime *mm, int html,
		      struct mime_result *res)
{
	struct mailmime_data *d = mm->mm_data.mm_single;
	const struct mailmime_content *ct = ctype(mm);
	struct buf bytes, text;
	const char *start, *end, *label, *fmt, *delsp;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return;
	start = d->dt_data.dt_text.dt_data;
	end = true_end(mm, start + d->dt_data.dt_text.dt_length);
	if (start < c->s + c->head || end > c->s + c->len || end < start)
		return; /* not in the body: cannot happen, but never read it */
	buf_init(&bytes);
	buf_init(&text);
	if (d->dt_encoding == MAILMIME_MECHANISM_BASE64)
		codec_base64_decode(original(c, start), (size_t)(end - start),
				    &bytes);
	else if (d->dt_encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		codec_qp_decode(original(c, start), (size_t)(end - start), 0,
				&bytes);
	else
		buf_add(&bytes, original(c, start), (size_t)(end - start));
	label = param(ct, "charset");
	res->charset = label ? xstrdup(label) :
		       html ? html_meta_charset(bytes.s, bytes.len) : NULL;
	res->charset_flags = charset_to_utf8(res->charset, bytes.s, bytes.len,
					     &text);
	line_endings(&text);
	buf_reset(&bytes);
	fmt = param(ct, "format");
	delsp = param(ct, "delsp");
	if (html) {
		if (html_to_text(text.s, text.len, &bytes) == 0) {
			buf_free(&text);
			text = bytes;
			buf_init(&bytes);
		}
		res->from_html = 1;
	} else if (fmt && strcasecmp(fmt, "flowed") == 0) {
		flowed_unwrap(text.s, text.len,
			      delsp && strcasecmp(delsp, "yes") == 0, &bytes);
		buf_free(&text);
		text = bytes;
		buf_init(&bytes);
	}
	buf_free(&bytes);
	res->text = buf_detach(&text);
}

/* Size and depth of libetpan's tree, counted like mime_scan() does. */
static void measure(const struct mailmime *mm, size_t depth, size_t *parts,
		    size_t *deepest)
{
	clistiter *it;

	(*parts)++;
	if (depth > *deepest)
		*deepest = depth;
	if (mm->mm_type == MAILMIME_MULTIPLE &&
	    mm->mm_data.mm_multipart.mm_mp_list)
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list); it;
		     it = clist_next(it))
			measure(clist_content(it), depth + 1, parts, deepest);
	if (mm->mm_type == MAILMIME_MESSAGE && mm->mm_data.mm_message.mm_msg_mime)
		measure(mm->mm_data.mm_message.mm_msg_mime, depth + 1, parts,
			deepest);
}

void mime_read(const char *raw, size_t len, size_t body_off,
	       const struct mime_top *top, const struct msg_limits *lim,
	       struct mime_result *res)
{
	struct mailmime *root = NULL, *top_mm;
	struct pick pk = { NULL, NULL, 0, 0 };
	struct copy c;
	size_t idx = 0, parts = 0, deepest = 0;

	memset(res, 0, sizeof(*res));
	make_copy(&c, raw, len, body_off, top);
	mime_scan(c.s, c.len, lim, &res->scan);
	if (res->scan.too_deep || res->scan.too_many ||
	    res->scan.header_too_long || res->scan.unsafe)
		goto out;
	if (mailmime_parse(c.s, c.len, &idx, &root) != MAILIMF_NO_ERROR)
		goto out;
	res->parsed = 1;
	top_mm = root->mm_data.mm_message.mm_msg_mime;
	if (top_mm)
		measure(top_mm, 0, &parts, &deepest);
	if (parts > res->scan.parts || deepest > res->scan.depth) {
#ifdef MC_FUZZING
		/* the scan must never say less than libetpan builds */
		abort();
#endif
		res->scan.too_many |= parts > lim->mime_parts;
		res->scan.too_deep |= deepest > lim->mime_depth;
		if (res->scan.too_many || res->scan.too_deep)
			goto out;
	}
	if (top_mm)
		walk(top_mm, &pk, 1);
	res->dsn = pk.dsn;
	if (pk.plain)
		read_part(&c, pk.plain, 0, res);
	else if (pk.html)
		read_part(&c, pk.html, 1, res);
out:
	if (root)
		mailmime_free(root);
	free(c.s);
}

void mime_result_free(struct mime_result *res)
{
	free(res->text);
	free(res->charset);
	res->text = res->charset = NULL;
}
