/* fuzz_headers.c: libFuzzer target for header fields as a sender writes
 * them: the header block (hdr_parse_block), unfolding (hdr_unfold),
 * RFC 2047 encoded words (rfc2047_decode), address lists, message-ids
 * and dates (headers.c), and the MIME fields libetpan reads after
 * mime_defuse() (Content-Type parameters, RFC 2231 file names), with
 * mime_node_new() and mime_scan_boundary() on what it built.  Every
 * field's value goes through every parser, whatever its name, so the
 * fuzzer need not guess names.  The input is a header block.
 *
 * Checks, each a crash when broken:
 * - fields lie inside the input, in order, with a name of printable
 *   characters without ':'; the body starts inside the input;
 * - an unfolded value holds no CR or LF and no blank at either end;
 * - decoded text is valid UTF-8 without NUL;
 * - every mailbox has an address without CR or LF; every message-id is
 *   non-empty, without '<' or blanks;
 * - a date read lies in 1970..9999 (give or take a zone), and formatted
 *   again (time_rfc5322) it reads back the same;
 * - a charset label as the notes show it is at most 64 bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "charset.h"
#include "check.h"
#include "headers.h"
#include "mime.h"
#include "mime_scan.h"
#include "rfc2047.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_text;
static size_t fuzz_len;

static void bad(const char *what, const char *detail)
{
	check_fail(what, detail, fuzz_text, fuzz_len);
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

static void msgid(void *ctx, const char *id)
{
	(void)ctx;
	if (id[0] == '\0' || strpbrk(id, "< \t\r\n"))
		bad("hdr_parse_msgids", "an empty id, or one with '<' or a "
					"blank");
}

static void date(const char *v)
{
	int64_t t, u;
	char back[64];

	if (hdr_parse_date(v, &t) < 0)
		return;
	/* 1970-01-01 00:00 +2359 .. 9999-12-31 23:59:60 -2359 */
	if (t < -86400 || t > 253402300800LL + 86400)
		bad("hdr_parse_date", "a date outside 1970..9999");
	if (t < 0 || t >= 253402300800LL)
		return;
	time_rfc5322(t, back);
	if (hdr_parse_date(back, &u) < 0 || u != t)
		bad("hdr_parse_date", "a date formatted by time_rfc5322 does "
				      "not read back");
}

static void value(const char *raw, size_t len)
{
	char *v = hdr_unfold(raw, len), *label = NULL, *norm;
	size_t n = strlen(v), nb = 0, i;
	struct hdr_mailbox *boxes = NULL;
	struct buf out;

	/* (a NUL byte cuts the value short, maybe just after a blank) */
	if (strpbrk(v, "\r\n") ||
	    (n > 0 && (blank(v[0]) ||
		       (blank(v[n - 1]) && !memchr(raw, '\0', len)))))
		bad("hdr_unfold", "CR, LF or a blank at an end");
	buf_init(&out);
	rfc2047_decode(v, n, &out, &label);
	if (!utf8_valid(out.s, out.len) || memchr(out.s, '\0', out.len))
		bad("rfc2047_decode", "invalid UTF-8 or a NUL");
	if (label) {
		norm = charset_label_norm(label);
		if (strlen(norm) > 64)
			bad("charset_label_norm", "longer than 64 bytes");
		free(norm);
	}
	free(label);
	buf_free(&out);
	hdr_parse_addresses(v, &boxes, &nb);
	for (i = 0; i < nb; i++)
		if (boxes[i].addr[0] == '\0' || strpbrk(boxes[i].addr, "\r\n"))
			bad("hdr_parse_addresses", "an empty address or one "
						   "with CR or LF");
	hdr_mailboxes_free(boxes, nb);
	hdr_parse_msgids(v, msgid, NULL);
	date(v);
	free(v);
}

/* The MIME fields of the block as mime_scan.c has libetpan read them. */
static void mime_fields(const char *s, size_t len)
{
	struct mailimf_fields *f = NULL;
	struct mailmime_fields *mf = NULL;
	char *copy = xmalloc(len + 1);
	size_t idx = 0;
	clistiter *it;

	memcpy(copy, s, len);
	copy[len] = '\0';
	mime_defuse(copy, len);
	if (mailimf_optional_fields_parse(copy, len, &idx, &f) !=
	    MAILIMF_NO_ERROR) {
		free(copy);
		return;
	}
	if (mailmime_fields_parse(f, &mf) == MAILIMF_NO_ERROR) {
		for (it = clist_begin(mf->fld_list); it; it = clist_next(it)) {
			struct mailmime_field *fld = clist_content(it);
			struct mime_node *node;
			char *b;
			int unsafe = 0;

			if (fld->fld_type != MAILMIME_FIELD_TYPE)
				continue;
			node = mime_node_new(fld->fld_data.fld_content, mf,
					     MIME_SINGLE, 0);
			if (node->charset) {
				char *norm = charset_label_norm(node->charset);

				if (strlen(norm) > 64)
					bad("charset_label_norm",
					    "longer than 64 bytes");
				free(norm);
			}
			mime_node_free(node);
			b = mime_scan_boundary(fld->fld_data.fld_content,
					       &unsafe);
			free(b);
		}
		mailmime_fields_free(mf);
	}
	mailimf_fields_free(f);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct hdr_field *fields = NULL;
	size_t n = 0, body, i, last = 0, k;

	fuzz_text = s;
	fuzz_len = size;
	body = hdr_parse_block(s, size, &fields, &n);
	if (body > size)
		bad("hdr_parse_block", "the body starts after the end");
	for (i = 0; i < n; i++) {
		const struct hdr_field *f = &fields[i];

		if (f->name < last || f->name_len == 0 ||
		    f->name + f->name_len >= f->value ||
		    f->value > f->value_end || f->value_end > size ||
		    (body < size && f->value_end > body))
			bad("hdr_parse_block", "a field out of order or "
					       "outside the input");
		for (k = 0; k < f->name_len; k++) {
			unsigned char c = (unsigned char)s[f->name + k];

			if (c <= 32 || c == ':' || c == 127)
				bad("hdr_parse_block", "a name with a blank, "
						       "control or ':'");
		}
		if (s[f->value - 1] != ':')
			bad("hdr_parse_block", "the value does not follow a "
					       "colon");
		last = f->value_end;
		value(s + f->value, f->value_end - f->value);
	}
	free(fields);
	mime_fields(s, size);
	return 0;
}
