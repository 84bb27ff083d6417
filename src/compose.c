/* compose.c: the gateway's outgoing mail.  Everything that came from a
 * reader (names, subjects, comment text) passes through the encoders here,
 * so a header can never be injected and every line stays within limits. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compose.h"
#include "utf8.h"
#include "banned.h"

void mail_init(struct mail *m)
{
	buf_init(&m->head);
	buf_init(&m->body);
}

void mail_free(struct mail *m)
{
	buf_free(&m->head);
	buf_free(&m->body);
}

/* Appends value folded at spaces so that no line passes 78 characters
 * where it can be helped; CR and LF never get through. */
static void add_folded(struct buf *out, size_t col, const char *value)
{
	const char *p = value;

	while (*p) {
		const char *sp = p;
		size_t wl;

		while (*sp == ' ' || *sp == '\t')
			sp++;
		wl = strcspn(sp, " \t");
		if (p != value && col + (size_t)(sp - p) + wl > 78 && wl > 0) {
			buf_adds(out, "\r\n ");
			col = 1;
			p = sp;
		}
		for (; p < sp + wl; p++) {
			char c = *p;

			if (c == '\r' || c == '\n')
				c = ' ';
			buf_addc(out, c);
			col++;
		}
	}
	buf_adds(out, "\r\n");
}

void mail_header(struct mail *m, const char *name, const char *value)
{
	buf_addf(&m->head, "%s: ", name);
	add_folded(&m->head, strlen(name) + 2, value);
}

static int needs_encoding(const char *s, int phrase)
{
	const unsigned char *p = (const unsigned char *)s;

	if (strstr(s, "=?"))
		return 1;
	for (; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return 1;
		if (phrase && strchr("()<>[]:;@\\,.\"", *p))
			return 1;
	}
	return 0;
}

/* Encoded words of at most 75 characters, split on UTF-8 boundaries,
 * separated by folding white space. */
void mail_encode_words(struct buf *out, const char *text, int phrase)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf clean;
	const unsigned char *p;
	size_t len, i;
	int first = 1;

	buf_init(&clean);
	utf8_repair(&clean, text, strlen(text));
	for (i = 0; i < clean.len; i++)
		if (clean.s[i] == '\r' || clean.s[i] == '\n' || clean.s[i] == '\t')
			clean.s[i] = ' ';
	if (!needs_encoding(clean.s, phrase)) {
		buf_add(out, clean.s, clean.len);
		buf_free(&clean);
		return;
	}
	p = (const unsigned char *)clean.s;
	len = clean.len;
	while (len > 0) {
		/* 45 bytes of UTF-8 become 60 base64 characters: with the
		 * 12 of "=?UTF-8?B?" and "?=" a word stays under 75. */
		size_t n = len < 45 ? len : 45;
		uint32_t cp;

		while (n < len && n > 0 && (p[n] & 0xC0) == 0x80)
			n--;
		if (n == 0)
			n = utf8_decode(p, len, &cp) ? utf8_decode(p, len, &cp) : 1;
		if (!first)
			buf_adds(out, "\r\n ");
		first = 0;
		buf_adds(out, "=?UTF-8?B?");
		for (i = 0; i < n; i += 3) {
			unsigned v = (unsigned)p[i] << 16;

			if (i + 1 < n)
				v |= (unsigned)p[i + 1] << 8;
			if (i + 2 < n)
				v |= p[i + 2];
			buf_addc(out, b64[(v >> 18) & 63]);
			buf_addc(out, b64[(v >> 12) & 63]);
			buf_addc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
			buf_addc(out, i + 2 < n ? b64[v & 63] : '=');
		}
		buf_adds(out, "?=");
		p += n;
		len -= n;
	}
	buf_free(&clean);
}

void mail_header_text(struct mail *m, const char *name, const char *text)
{
	struct buf enc;

	buf_init(&enc);
	mail_encode_words(&enc, text, 0);
	if (strstr(enc.s, "=?UTF-8?B?")) {
		buf_addf(&m->head, "%s: %s\r\n", name, enc.s);
	} else {
		buf_addf(&m->head, "%s: ", name);
		add_folded(&m->head, strlen(name) + 2, enc.s);
	}
	buf_free(&enc);
}

void mail_header_addr(struct mail *m, const char *name, const char *display,
		      const char *addr)
{
	struct buf v;
	size_t i;

	buf_init(&v);
	if (display && *display) {
		mail_encode_words(&v, display, 1);
		buf_adds(&v, " ");
	}
	buf_addc(&v, '<');
	for (i = 0; addr[i]; i++)
		if (addr[i] != '\r' && addr[i] != '\n' && addr[i] != '<' &&
		    addr[i] != '>')
			buf_addc(&v, addr[i]);
	buf_addc(&v, '>');
	buf_addf(&m->head, "%s: %s\r\n", name, v.s);
	buf_free(&v);
}

void mail_printf(struct mail *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&m->body, fmt, ap);
	va_end(ap);
}

void mail_puts(struct mail *m, const char *text)
{
	buf_adds(&m->body, text);
}

/* Bytes quoted-printable encodes wherever they stand (RFC 2045, 6.7):
 * controls but tab, '=', DEL and every byte above it. */
static int qp_always(unsigned char c)
{
	return c == '=' || c >= 0x7f || (c < 0x20 && c != '\t');
}

/* A '.' or "From " opening an encoded line is encoded too, so that no
 * transport or mbox reader takes it for an end of data or a separator.
 * The test is made after the soft break is placed, since the break is
 * what may put the byte at the start of a line.  The output is written
 * straight into room reserved for the worst case: this runs over every
 * byte of every notification. */
static void qp_line(struct buf *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0, i;
	char *o;

	/* each byte at most 3 wide, a soft break ("=\r\n") at least every
	 * 24 bytes, and the line's CRLF */
	buf_grow(out, n * 3 + (n / 24 + 1) * 3 + 2);
	o = out->s + out->len;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		int enc;

		/* inside a line, copy the run of bytes that need nothing, as
		 * far as the line has room; the last byte (a space there is
		 * encoded) and the start of a line take the test below */
		if (col > 0 && col < 75 && i + 1 < n && !qp_always(c)) {
			size_t j = i + 1, lim = i + (75 - col);

			if (lim > n - 1)
				lim = n - 1;
			while (j < lim && !qp_always(s[j]))
				j++;
			memcpy(o, s + i, j - i);
			o += j - i;
			col += j - i;
			i = j - 1;
			continue;
		}
		enc = qp_always(c) ||
			  ((c == ' ' || c == '\t') && i + 1 == n);

		/* soft break: keep room for "=" at the end of the line */
		if (col + (enc ? 3 : 1) > 75) {
			memcpy(o, "=\r\n", 3);
			o += 3;
			col = 0;
		}
		if (col == 0 && (c == '.' || (c == 'F' && n - i >= 5 &&
					     memcmp(s + i, "From ", 5) == 0)))
			enc = 1;
		if (enc) {
			o[0] = '=';
			o[1] = hex[c >> 4];
			o[2] = hex[c & 15];
			o += 3;
			col += 3;
		} else {
			*o++ = (char)c;
			col++;
		}
	}
	memcpy(o, "\r\n", 2);
	o += 2;
	out->len = (size_t)(o - out->s);
	out->s[out->len] = '\0';
}

void mail_qp_encode(struct buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0 && p[n - 1] == '\r')
			n--;
		qp_line(out, (const unsigned char *)p, n);
		p = nl ? nl + 1 : end;
	}
}

char *mail_finish(struct mail *m, size_t *len)
{
	struct buf out, clean;

	buf_init(&out);
	buf_init(&clean);
	utf8_repair(&clean, m->body.s, m->body.len);
	buf_add(&out, m->head.s, m->head.len);
	buf_adds(&out, "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: quoted-printable\r\n"
		       "\r\n");
	mail_qp_encode(&out, clean.s, clean.len);
	buf_free(&clean);
	*len = out.len;
	return buf_detach(&out);
}

char *mail_message_id(const char *local, const char *domain)
{
	unsigned char r[12];
	char hex[25];
	size_t i;

	if (local)
		return xasprintf("<mailcomments.%s@%s>", local, domain);
	if (random_bytes(r, sizeof(r), NULL) < 0)
		memset(r, 0, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return xasprintf("<mailcomments.%lld.%s@%s>", (long long)now(), hex,
			 domain);
}
