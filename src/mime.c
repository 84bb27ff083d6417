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
#include "htmltext.h"
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

/* --- libetpan's tree, as nodes --- */

/* Where a part really ends.  libetpan ends the last part of a multipart
 * that has no closing delimiter before the last line starting with '-';
 * the spec says such a part runs to the end of its multipart (and so
 * does the message inside it, when that part is a message/rfc822). */
static const char *true_end(const struct mailmime *mm, const char *end)
{
	while (mm->mm_parent) {
		const struct mailmime *parent = mm->mm_parent;
		const char *p = mm->mm_mime_start + mm->mm_length;
		const char *pend = parent->mm_mime_start + parent->mm_length;
		int unsafe = 0, closed;
		char *b;
		size_t blen;

		if (mm->mm_parent_type == MAILMIME_MESSAGE) {
			mm = parent; /* a message ends where its content does */
			continue;
		}
		if (mm->mm_parent_type != MAILMIME_MULTIPLE ||
		    mm->mm_multipart_pos == NULL ||
		    clist_next(mm->mm_multipart_pos) != NULL)
			break;
		if ((b = mime_scan_boundary(parent->mm_content_type,
					    &unsafe)) == NULL)
			break;
		blen = strlen(b);
		if (p < pend && *p == '\r')
			p++;
		if (p < pend && *p == '\n')
			p++;
		/* a delimiter libetpan would accept: at least one byte
		 * follows the boundary */
		closed = (size_t)(pend - p) > blen + 2 && p[0] == '-' &&
			 p[1] == '-' && memcmp(p + 2, b, blen) == 0;
		free(b);
		if (closed)
			break;
		end = pend;
		mm = parent;
	}
	return end;
}

/* Nodes for libetpan's tree (depth bounded by mime_scan()). */
static struct mime_node *convert(const struct copy *c, struct mailmime *mm)
{
	struct mime_node *n, **link;
	clistiter *it;
	enum mime_kind kind = mm->mm_type == MAILMIME_MULTIPLE ? MIME_MULTIPLE :
			      mm->mm_type == MAILMIME_MESSAGE ? MIME_MESSAGE :
								MIME_SINGLE;

	n = mime_node_new(mm->mm_content_type, mm->mm_mime_fields, kind, 0);
	switch (kind) {
	case MIME_SINGLE: {
		struct mailmime_data *d = mm->mm_data.mm_single;

		if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
			break;
		n->encoding = d->dt_encoding;
		n->start = (size_t)(d->dt_data.dt_text.dt_data - c->s);
		n->end = (size_t)(true_end(mm, d->dt_data.dt_text.dt_data +
						       d->dt_data.dt_text.dt_length) -
				  c->s);
		break;
	}
	case MIME_MULTIPLE:
		link = &n->child;
		if (mm->mm_data.mm_multipart.mm_mp_list)
			for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
			     it; it = clist_next(it)) {
				*link = convert(c, clist_content(it));
				link = &(*link)->next;
			}
		break;
	case MIME_MESSAGE:
		if (mm->mm_data.mm_message.mm_msg_mime)
			n->child = convert(c, mm->mm_data.mm_message.mm_msg_mime);
		break;
	}
	return n;
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

/* --- choosing the text --- */

struct pick {
	const struct mime_node *plain, *html;
	const struct mime_node *named; /* inline text/plain with a file name */
	int seen_text;
	const struct mime_node *status; /* the first delivery-status part */
	int dsn_report;  /* multipart/report; report-type=delivery-status */
	int feedback;    /* ARF: report-type=feedback-report, or its part */
	int disposition; /* MDN: report-type=disposition-notification, or
			  * its part */
	int other_report; /* multipart/report of another or no type */
};

static int is(const struct mime_node *n, const char *type, const char *sub)
{
	return strcmp(n->type, type) == 0 && strcmp(n->subtype, sub) == 0;
}

/* text_ok: text found under here may be chosen (a forwarded message
 * counts only when no text came before it).  DSNs count anywhere. */
static void walk(const struct mime_node *n, struct pick *pk, int text_ok)
{
	const struct mime_node *c;

	switch (n->kind) {
	case MIME_SINGLE:
		if ((is(n, "message", "delivery-status") ||
		     is(n, "message", "global-delivery-status")) &&
		    !pk->status)
			pk->status = n;
		if (is(n, "message", "feedback-report"))
			pk->feedback = 1;
		if (is(n, "message", "disposition-notification") ||
		    is(n, "message", "global-disposition-notification"))
			pk->disposition = 1;
		if (!text_ok || n->attachment == MIME_ATTACHED)
			break;
		if (n->attachment == MIME_NAMED) {
			/* the body only if the mail has no other */
			if (!pk->named && is(n, "text", "plain"))
				pk->named = n;
			break;
		}
		if (is(n, "text", "plain")) {
			if (!pk->plain)
				pk->plain = n;
			pk->seen_text = 1;
		} else if (is(n, "text", "html")) {
			if (!pk->html)
				pk->html = n;
			pk->seen_text = 1;
		}
		break;
	case MIME_MULTIPLE:
		if (is(n, "multipart", "report")) {
			const char *t = n->report_type ? n->report_type : "";

			if (strcmp(t, "delivery-status") == 0 ||
			    strcmp(t, "global-delivery-status") == 0)
				pk->dsn_report = 1;
			else if (strcmp(t, "feedback-report") == 0)
				pk->feedback = 1;
			else if (strcmp(t, "disposition-notification") == 0)
				pk->disposition = 1;
			else
				pk->other_report = 1;
		}
		for (c = n->child; c; c = c->next)
			walk(c, pk, text_ok);
		break;
	case MIME_MESSAGE:
		if (n->child)
			walk(n->child, pk, text_ok && !pk->seen_text);
		break;
	}
}

static const struct mime_node *choose(const struct mime_node *root,
				      struct pick *pk)
{
	memset(pk, 0, sizeof(*pk));
	if (root)
		walk(root, pk, 1);
	return pk->plain ? pk->plain : pk->html ? pk->html : pk->named;
}

/* --- reports --- */

static size_t input_for(int encoding, size_t max);

enum { ACT_SUCCESS = 1, ACT_OTHER = 2 };

/* The Action fields (RFC 3464) of a delivery-status body s[0..len):
 * ACT_SUCCESS for delivered, relayed or expanded, ACT_OTHER for failed,
 * delayed or anything else.  Reads at most REPORT_SCAN_MAX bytes. */
#define REPORT_SCAN_MAX 65536
static unsigned dsn_actions(const char *s, size_t len)
{
	static const char *const ok[] = { "delivered", "relayed", "expanded",
					   NULL };
	unsigned acts = 0;
	size_t pos = 0;

	if (len > REPORT_SCAN_MAX)
		len = REPORT_SCAN_MAX;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, i = pos + 7, k;
		const char *const *w;

		if (end - pos > 7 && strncasecmp(s + pos, "action:", 7) == 0) {
			while (i < end && (s[i] == ' ' || s[i] == '\t'))
				i++;
			for (k = i; k < end && ((s[k] | 0x20) >= 'a' &&
						(s[k] | 0x20) <= 'z');
			     k++)
				;
			for (w = ok; *w; w++)
				if (k - i == strlen(*w) &&
				    strncasecmp(s + i, *w, k - i) == 0)
					break;
			acts |= *w ? ACT_SUCCESS : ACT_OTHER;
		}
		pos = end + 1;
	}
	return acts;
}

/* The delivery-status part n of the copy c, decoded, its actions. */
static unsigned status_actions(const struct copy *c,
			       const struct mime_node *n)
{
	struct buf b;
	unsigned acts;
	size_t len;

	if (n->start > n->end || n->end > c->len)
		return 0;
	len = n->end - n->start;
	if (len > input_for(n->encoding, REPORT_SCAN_MAX))
		len = input_for(n->encoding, REPORT_SCAN_MAX);
	buf_init(&b);
	if (n->encoding == MAILMIME_MECHANISM_BASE64)
		codec_base64_decode(c->s + n->start, len, &b);
	else if (n->encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		codec_qp_decode(c->s + n->start, len, 0, &b);
	else
		buf_add(&b, c->s + n->start, len);
	acts = dsn_actions(b.s ? b.s : "", b.len);
	buf_free(&b);
	return acts;
}

/* What the walk saw, as res->dsn and res->report.  A feedback report
 * wins (it quotes the reported mail, DSN headers and all); a delivery
 * status whose every recipient was delivered, relayed or expanded is a
 * notice; any other, or one whose status cannot be read, is a failure;
 * a read receipt is a notice; a multipart/report of another type (or
 * none), with no status part, is taken for a failure, as servers that
 * mislabel their bounces mean. */
static void reports(const struct copy *c, const struct pick *pk,
		    struct mime_result *res)
{
	if (pk->feedback) {
		res->report = MIME_REPORT_FEEDBACK;
	} else if (pk->status || pk->dsn_report) {
		unsigned acts = pk->status ? status_actions(c, pk->status) : 0;

		if (acts == ACT_SUCCESS)
			res->report = MIME_REPORT_DELIVERED;
		else
			res->dsn = 1;
	} else if (pk->disposition) {
		res->report = MIME_REPORT_DISPOSITION;
	} else if (pk->other_report) {
		res->dsn = 1;
	}
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

/* Bytes of input that decode to more than max bytes, unless most of
 * them are not in the encoding's alphabet: base64 gives 3 bytes for 4
 * characters and line breaks, quoted-printable at least one for 3. */
static size_t input_for(int encoding, size_t max)
{
	if (max > SIZE_MAX / 4)
		return SIZE_MAX;
	if (encoding == MAILMIME_MECHANISM_BASE64)
		return max / 3 * 4 + max / 8 + 16;
	if (encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		return max * 3 + 3;
	return max + 1;
}

/* Cuts UTF-8 text to at most max bytes, after its last line feed when
 * there is one, else on a character boundary.  Returns 1 if it cut. */
static int cut_utf8(struct buf *b, size_t max)
{
	size_t i;

	if (b->len <= max)
		return 0;
	for (i = max; i > 0 && b->s[i - 1] != '\n'; i--)
		;
	if (i == 0)
		for (i = max; i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80;
		     i--)
			;
	buf_truncate(b, i);
	return 1;
}

/* Cuts text after its max-th line.  Returns 1 if it cut. */
static int cut_lines(struct buf *b, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		if (b->s[i] == '\n' && ++n == max) {
			if (i + 1 == b->len)
				return 0;
			buf_truncate(b, i + 1);
			return 1;
		}
	return 0;
}

/* The text of node n, whose body is raw[start..start+len). */
static void read_part(const char *raw, size_t start, size_t len,
		      const struct mime_node *n, const struct msg_limits *lim,
		      struct mime_result *res)
{
	int html = strcmp(n->subtype, "html") == 0, cut = 0;
	size_t in = input_for(n->encoding, lim->text_size);
	struct buf bytes, text;
	const char *p = raw + start;

	buf_init(&bytes);
	buf_init(&text);
	if (len > in) {
		len = in;
		cut = 1;
	}
	if (n->encoding == MAILMIME_MECHANISM_BASE64)
		codec_base64_decode(p, len, &bytes);
	else if (n->encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		codec_qp_decode(p, len, 0, &bytes);
	else
		buf_add(&bytes, p, len);
	res->charset = n->charset ? xstrdup(n->charset) :
		       html ? html_meta_charset(bytes.s, bytes.len) : NULL;
	if (cut || bytes.len > lim->text_size) {
		/* the part goes on: its text ends at a line break (or on a
		 * character) at most text_size bytes in, and before the
		 * last byte decoded when the input was cut in a character */
		size_t max = bytes.len > lim->text_size ? lim->text_size :
			     bytes.len > 0		 ? bytes.len - 1 :
							   0;

		buf_truncate(&bytes, charset_cut(res->charset, bytes.s,
						 bytes.len, max));
		cut = 1;
	}
	res->charset_flags = charset_to_utf8(res->charset, bytes.s, bytes.len,
					     &text);
	buf_free(&bytes);
	/* a charset can take three bytes of UTF-8 for one */
	cut |= cut_utf8(&text, lim->text_size);
	line_endings(&text);
	if (html) {
		struct htmltext_limits hl = { lim->html_elements,
					      lim->html_depth, lim->text_size,
					      lim->text_lines };

		/* no document: no text (never the markup itself) */
		buf_init(&bytes);
		cut |= htmltext_convert(text.s, text.len, &hl, &bytes) == 1;
		buf_free(&text);
		text = bytes;
		res->from_html = 1;
	} else {
		cut |= cut_lines(&text, lim->text_lines);
		if (n->format && strcmp(n->format, "flowed") == 0) {
			buf_init(&bytes);
			flowed_unwrap(text.s, text.len,
				      n->delsp && strcmp(n->delsp, "yes") == 0,
				      &bytes);
			buf_free(&text);
			text = bytes;
		}
	}
	res->truncated = cut;
	res->text = buf_detach(&text);
}

#ifdef MC_FUZZING
/* The scan and libetpan must agree: never a bigger or deeper tree than
 * measured, and the same part chosen. */
static void cross_check(const struct mime_result *res, struct mailmime *top,
			const struct mime_node *chosen, const struct pick *pk)
{
	size_t parts = 0, deepest = 0;
	const struct mime_node *mine;
	struct pick mpk;

	if (top)
		measure(top, 0, &parts, &deepest);
	if (parts > res->scan.parts || deepest > res->scan.depth)
		abort();
	mine = choose(res->scan.root, &mpk);
	if (mpk.dsn_report != pk->dsn_report || !mpk.status != !pk->status ||
	    mpk.feedback != pk->feedback ||
	    mpk.disposition != pk->disposition ||
	    mpk.other_report != pk->other_report || !mine != !chosen)
		abort();
	if (mine && (mine->start != chosen->start || mine->end != chosen->end ||
		     mine->encoding != chosen->encoding ||
		     strcmp(mine->subtype, chosen->subtype) != 0))
		abort();
}
#endif

void mime_read(const char *raw, size_t len, size_t body_off,
	       const struct mime_top *top, const struct msg_limits *lim,
	       struct mime_result *res)
{
	struct mailmime *root = NULL, *top_mm = NULL;
	struct mime_node *tree = NULL;
	const struct mime_node *chosen;
	struct pick pk;
	struct copy c;
	size_t idx = 0;

	memset(res, 0, sizeof(res[0]));
	make_copy(&c, raw, len, body_off, top);
	mime_scan(c.s, c.len, lim, &res->scan);
	if (res->scan.unsafe)
		goto out;
	if (!res->scan.too_deep && !res->scan.too_many &&
	    !res->scan.too_many_fields && !res->scan.header_too_large &&
	    mailmime_parse(c.s, c.len, &idx, &root) == MAILIMF_NO_ERROR) {
		size_t parts = 0, deepest = 0;

		res->parsed = 1;
		top_mm = root->mm_data.mm_message.mm_msg_mime;
		if (top_mm)
			measure(top_mm, 0, &parts, &deepest);
		/* never more than the scan said; but if ever, no text */
		if (parts > lim->mime_parts || deepest > lim->mime_depth) {
#ifdef MC_FUZZING
			abort();
#endif
			res->scan.too_many |= parts > lim->mime_parts;
			res->scan.too_deep |= deepest > lim->mime_depth;
			goto out;
		}
		tree = top_mm ? convert(&c, top_mm) : NULL;
		chosen = choose(tree, &pk);
#ifdef MC_FUZZING
		cross_check(res, top_mm, chosen, &pk);
#endif
	} else {
		/* over the limits: the text is looked for in what the scan
		 * saw, never handed to libetpan */
		chosen = choose(res->scan.root, &pk);
	}
	reports(&c, &pk, res);
	/* libetpan's tree and the copy go before the text is decoded:
	 * only the chosen node's offsets in the original are needed */
	if (root)
		mailmime_free(root);
	root = NULL;
	free(c.s);
	c.s = NULL;
	if (chosen && chosen->start >= c.head && chosen->end <= c.len &&
	    chosen->start <= chosen->end)
		read_part(raw, c.body_off + (chosen->start - c.head),
			  chosen->end - chosen->start, chosen, lim, res);
out:
	mime_node_free(tree);
	mime_node_free(res->scan.root);
	res->scan.root = NULL;
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
