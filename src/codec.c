/* codec.c: base64 and quoted-printable decoding.  Both are one pass over
 * the input, and both copy runs of plain bytes in one go. */
#include <string.h>

#include "codec.h"
#include "banned.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

void codec_base64_decode(const char *s, size_t len, struct buf *out)
{
	unsigned long acc = 0;
	int bits = 0;
	size_t i;

	buf_grow(out, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (s[i] == '=') {
			/* padding: whatever bits are left are not a byte */
			acc = 0;
			bits = 0;
			continue;
		}
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xFF));
			acc &= (1UL << bits) - 1;
		}
	}
}

int codec_base64_clean(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != '=' && b64_value((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

/* If s[i] == '=' starts a soft line break ("=", blanks, then LF or CRLF,
 * or the end of the input), returns its length; else 0. */
static size_t soft_break(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j == len)
		return j - i;
	if (s[j] == '\n')
		return j + 1 - i;
	if (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n')
		return j + 2 - i;
	return 0;
}

void codec_qp_decode(const char *s, size_t len, int header, struct buf *out)
{
	size_t i = 0, run = 0;

	buf_grow(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		int hi, lo;

		if (c != '=' && !(header && c == '_')) {
			i++;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (c == '_') {
			buf_addc(out, ' ');
			i++;
		} else if (i + 2 < len &&
			   (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
			   (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			buf_addc(out, (char)(hi * 16 + lo));
			i += 3;
		} else if (!header && (n = soft_break(s, len, i)) > 0) {
			i += n;
		} else {
			buf_addc(out, '=');
			i++;
		}
		run = i;
	}
	buf_add(out, s + run, i - run);
}
