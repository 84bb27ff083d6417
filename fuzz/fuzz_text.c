/* fuzz_text.c: libFuzzer target for a text part's way from bytes to the
 * new text, as mime.c and message.c take it: transfer decoding (base64,
 * quoted-printable, codec.c), the declared charset to UTF-8
 * (charset_to_utf8, iconv underneath), format=flowed (flowed_unwrap),
 * and quote and signature removal (extract_body).
 *
 * Input: one flag byte (bit 0: base64, bit 1: quoted-printable, bit 2:
 * format=flowed, bit 3: DelSp=yes, bit 4: no charset declared), the
 * charset label up to a NUL byte, then the part's bytes (NULs
 * included).
 *
 * Checks, each a crash when broken: base64 gives at most 3 bytes per 4
 * (plus 3), quoted-printable no more bytes than it read; the charset's
 * text is valid UTF-8 without NUL, with only the CHARSET_* flags (and
 * only CHARSET_REPLACED without a label); flowed and extracted text stay
 * valid UTF-8 without NUL, the extract no longer than its input; and a
 * label as the notes show it is at most 64 bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "check.h"
#include "codec.h"
#include "extract.h"
#include "flowed.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_text;
static size_t fuzz_len;

static void bad(const char *what, const char *why)
{
	check_fail(what, why, fuzz_text, fuzz_len);
}

static int text_ok(const char *s, size_t n)
{
	return utf8_valid(s, n) && !memchr(s, '\0', n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nul, *label, *raw;
	struct buf bytes, text, flowed;
	size_t len, i, j;
	unsigned flags;
	char *l, *body;
	uint8_t f;

	if (size < 1)
		return 0;
	fuzz_text = s;
	fuzz_len = size;
	f = data[0];
	nul = memchr(s + 1, '\0', size - 1);
	if (nul == NULL)
		return 0;
	l = xstrndup(s + 1, (size_t)(nul - s - 1));
	label = f & 16 ? NULL : l;
	raw = nul + 1;
	len = size - (size_t)(raw - s);

	buf_init(&bytes);
	if (f & 1) {
		codec_base64_decode(raw, len, &bytes);
		if (bytes.len > len / 4 * 3 + 3)
			bad("codec_base64_decode", "more bytes than 3 per 4");
		(void)codec_base64_clean(raw, len);
	} else if (f & 2) {
		codec_qp_decode(raw, len, 0, &bytes);
		if (bytes.len > len)
			bad("codec_qp_decode", "more bytes than it read");
		buf_reset(&bytes);
		codec_qp_decode(raw, len, 1, &bytes);
		if (bytes.len > len)
			bad("codec_qp_decode", "more bytes than it read");
	} else {
		buf_add(&bytes, raw, len);
	}

	buf_init(&text);
	flags = charset_to_utf8(label, bytes.s, bytes.len, &text);
	if (!text_ok(text.s, text.len))
		bad("charset_to_utf8", "invalid UTF-8 or a NUL");
	if (flags & ~(unsigned)(CHARSET_LATIN1_AS_1252 | CHARSET_UNKNOWN_UTF8 |
				CHARSET_UNKNOWN_1252 | CHARSET_REPLACED))
		bad("charset_to_utf8", "an unknown flag");
	if ((label == NULL || label[0] == '\0') && (flags & ~CHARSET_REPLACED))
		bad("charset_to_utf8", "a flag other than REPLACED without a "
				       "label");
	if (label) {
		char *norm = charset_label_norm(label);

		if (strlen(norm) > 64)
			bad("charset_label_norm", "longer than 64 bytes");
		free(norm);
	}

	/* CRLF and lone CR to LF, as mime.c does before the rest */
	for (i = j = 0; i < text.len; i++) {
		if (text.s[i] == '\r') {
			text.s[j++] = '\n';
			if (i + 1 < text.len && text.s[i + 1] == '\n')
				i++;
		} else {
			text.s[j++] = text.s[i];
		}
	}
	buf_truncate(&text, j);
	buf_init(&flowed);
	if (f & 4) {
		flowed_unwrap(text.s, text.len, (f & 8) != 0, &flowed);
		if (!text_ok(flowed.s, flowed.len))
			bad("flowed_unwrap", "invalid UTF-8 or a NUL");
	} else {
		buf_add(&flowed, text.s, text.len);
	}
	body = extract_body(flowed.s, flowed.len);
	if (!text_ok(body, strlen(body)) || strlen(body) > flowed.len)
		bad("extract_body", "invalid UTF-8, a NUL, or longer than its "
				    "input");
	free(body);
	free(l);
	buf_free(&bytes);
	buf_free(&text);
	buf_free(&flowed);
	return 0;
}
