/* html.c: escaping, link filtering, mailto: URIs and address masking for
 * published text.  Everything a reader wrote reaches a page, a feed or a
 * JSON file through these functions, so they are strict: when in doubt,
 * escape, refuse the link, mask the address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "utf8.h"
#include "banned.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* Decodes the code point at s[i]; a byte that is not valid UTF-8 reads as
 * U+FFFD of length 1. */
static size_t next_cp(const char *s, size_t n, size_t i, uint32_t *cp)
{
	size_t k = utf8_decode((const unsigned char *)s + i, n - i, cp);

	if (k == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return k;
}

/* Characters XML 1.0 does not allow (tab, LF and CR aside), and DEL. */
static int bad_char(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	       cp == 0x7f || cp == 0xFFFE || cp == 0xFFFF;
}

/* Bytes that html_escape_n copies as they are. */
static int plain_ascii(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' &&
		c != '"' && c != '\'') ||
	       c == '\t' || c == '\n' || c == '\r';
}

void html_escape_n(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0, k;
	uint32_t cp;

	/* Runs of bytes kept as they are are copied at once: this is the
	 * renderer's inner loop. */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (plain_ascii(c)) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = utf8_decode((const unsigned char *)s + i, n - i,
					&cp);
			if (k > 0 && !bad_char(cp)) {
				i += k;
				continue;
			}
		}
		buf_add(out, s + run, i - run);
		k = next_cp(s, n, i, &cp);
		if (bad_char(cp) || (cp == 0xFFFD && k == 1))
			buf_adds(out, REPLACEMENT);
		else if (cp == '&')
			buf_adds(out, "&amp;");
		else if (cp == '<')
			buf_adds(out, "&lt;");
		else if (cp == '>')
			buf_adds(out, "&gt;");
		else if (cp == '"')
			buf_adds(out, "&quot;");
		else
			buf_adds(out, "&#39;");
		i += k;
		run = i;
	}
	buf_add(out, s + run, n - run);
}

void html_escape(struct buf *out, const char *s)
{
	html_escape_n(out, s, strlen(s));
}

void html_clean(struct buf *out, const char *s, int one_line)
{
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = next_cp(s, n, i, &cp);
		if (one_line && (cp == '\n' || cp == '\r' || cp == '\t'))
			buf_addc(out, ' ');
		else if (bad_char(cp) || (cp == 0xFFFD && k == 1))
			buf_adds(out, REPLACEMENT);
		else
			buf_add(out, s + i, k);
		i += k;
	}
}

int html_url_allowed(const char *url)
{
	const unsigned char *p;

	if (!str_casestartswith(url, "http://") &&
	    !str_casestartswith(url, "https://") &&
	    !str_casestartswith(url, "mailto:"))
		return 0;
	for (p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static void pct(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_addc(out, '%');
	buf_addc(out, hex[c >> 4]);
	buf_addc(out, hex[c & 15]);
}

void html_mailto(struct buf *out, const char *addr, const char *subject)
{
	const unsigned char *p;
	struct buf clean;

	buf_adds(out, "mailto:");
	for (p = (const unsigned char *)addr; *p; p++) {
		if (is_alnum(*p) || strchr("-._~!$'*+@", *p))
			buf_addc(out, (char)*p);
		else
			pct(out, *p);
	}
	if (subject == NULL || *subject == '\0')
		return;
	buf_init(&clean);
	html_clean(&clean, subject, 1);
	buf_adds(out, "?subject=");
	for (p = (const unsigned char *)clean.s; *p; p++) {
		if (is_alnum(*p) || strchr("-._~", *p))
			buf_addc(out, (char)*p);
		else
			pct(out, *p);
	}
	buf_free(&clean);
}

int html_letter(uint32_t cp)
{
	if (cp < 0x80)
		return is_alnum((int)cp);
	return !(cp <= 0xBF || cp == 0xD7 || cp == 0xF7 ||
		 (cp >= 0x2000 && cp <= 0x2BFF) ||
		 (cp >= 0x3000 && cp <= 0x303F) ||
		 (cp >= 0xFE30 && cp <= 0xFE4F) ||
		 (cp >= 0xFF00 && cp <= 0xFF0F) || cp >= 0xFFF0);
}

static int local_ascii(int c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

/* Start of the code point that ends just before i (i > lo). */
static size_t prev_start(const char *s, size_t lo, size_t i)
{
	size_t j = i - 1;

	while (j > lo && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return j;
}

/* Extends the local part left from at; returns its start (== at: none). */
static size_t local_start(const char *s, size_t lo, size_t at)
{
	size_t j = at, p;
	uint32_t cp;

	if (at >= lo + 2 && s[at - 1] == '"') {
		/* "quoted local"@domain: back to the opening quote. */
		for (p = at - 1; p > lo && at - p < 80; p--) {
			if (s[p - 1] == '\n')
				break;
			if (s[p - 1] == '"')
				return p - 1;
		}
	}
	while (j > lo) {
		if ((unsigned char)s[j - 1] < 0x80) {
			if (!local_ascii(s[j - 1]))
				break;
			j--;
			continue;
		}
		p = prev_start(s, lo, j);
		if (utf8_decode((const unsigned char *)s + p, j - p, &cp) !=
			    j - p ||
		    !html_letter(cp))
			break;
		j = p;
	}
	while (j < at && s[j] == '.')
		j++;
	return j;
}

/* Length of one domain label at s[i..n). */
static size_t label_len(const char *s, size_t n, size_t i)
{
	size_t j = i, k;
	uint32_t cp;

	while (j < n) {
		if ((unsigned char)s[j] < 0x80) {
			if (!is_alnum(s[j]) && s[j] != '-')
				break;
			j++;
			continue;
		}
		k = utf8_decode((const unsigned char *)s + j, n - j, &cp);
		if (k == 0 || !html_letter(cp))
			break;
		j += k;
	}
	return j - i;
}

/* End of the domain that starts at i, or i when there is none: at least
 * two labels, or an address literal in brackets. */
static size_t domain_end(const char *s, size_t n, size_t i)
{
	size_t j = i, l, labels = 0;

	if (i < n && s[i] == '[') {
		for (j = i + 1; j < n && j - i < 64; j++) {
			if (s[j] == ']')
				return j - i > 1 ? j + 1 : i;
			if (!is_alnum(s[j]) && s[j] != '.' && s[j] != ':')
				return i;
		}
		return i;
	}
	for (;;) {
		l = label_len(s, n, j);
		if (l == 0)
			break;
		j += l;
		labels++;
		if (j + 1 < n && s[j] == '.' && label_len(s, n, j + 1) > 0)
			j++;
		else
			break;
	}
	return labels >= 2 ? j : i;
}

int html_find_address(const char *s, size_t n, size_t from, int pctat,
		      size_t *start, size_t *len)
{
	size_t i, atlen, l, e;

	for (i = from; i < n; i++) {
		if (s[i] == '@')
			atlen = 1;
		else if (pctat && s[i] == '%' && i + 2 < n && s[i + 1] == '4' &&
			 s[i + 2] == '0')
			atlen = 3;
		else
			continue;
		l = local_start(s, from, i);
		if (l == i)
			continue;
		e = domain_end(s, n, i + atlen);
		if (e == i + atlen)
			continue;
		*start = l;
		*len = e - l;
		return 1;
	}
	return 0;
}

static size_t mask(struct buf *out, const char *s, size_t n, int pctat,
		   const char *maskstr, html_keep_fn keep, void *arg)
{
	size_t from = 0, start, len, count = 0;
	char *a;
	int kept;

	while (html_find_address(s, n, from, pctat, &start, &len)) {
		a = xstrndup(s + start, len);
		kept = keep && keep(a, arg);
		free(a);
		if (out)
			buf_add(out, s + from, start - from);
		if (kept) {
			if (out)
				buf_add(out, s + start, len);
		} else {
			if (out)
				buf_adds(out, maskstr);
			count++;
		}
		from = start + len;
	}
	if (out)
		buf_add(out, s + from, n - from);
	return count;
}

size_t html_mask_addresses(struct buf *out, const char *s, size_t n,
			   const char *maskstr, html_keep_fn keep, void *arg)
{
	return mask(out, s, n, 0, maskstr, keep, arg);
}

int html_has_address(const char *s, size_t n, html_keep_fn keep, void *arg)
{
	return mask(NULL, s, n, 1, "", keep, arg) > 0;
}
