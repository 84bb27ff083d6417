/* html.c: escaping, link filtering, mailto: URIs and address masking for
 * published text.  Everything a reader wrote reaches a page, a feed or a
 * JSON file through these functions, so they are strict: when in doubt,
 * escape, refuse the link, mask the address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

#ifndef __SSE2__
/* 1 for the bytes html_escape_n() copies as they are: printable ASCII
 * but & < > " and ', and tab, LF and CR. */
static const unsigned char html_plain[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
	['\x20'] = 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};
#endif

#ifdef __SSE2__
/* The mask of the bytes of v that are not html_plain: a byte from 0x80
 * is negative, signed, and stops the run as one below 0x20 does. */
static inline unsigned html_stops16(__m128i v)
{
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
		      tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
		      cr = _mm_set1_epi8('\r'), amp = _mm_set1_epi8('&'),
		      lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
		      quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
	__m128i ctl = _mm_andnot_si128(
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab),
					  _mm_cmpeq_epi8(v, lf)),
			     _mm_cmpeq_epi8(v, cr)),
		_mm_cmplt_epi8(v, space));
	__m128i bad = _mm_or_si128(
		_mm_or_si128(ctl, _mm_cmpeq_epi8(v, del)),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp),
					  _mm_cmpeq_epi8(v, lt)),
			     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt),
						       _mm_cmpeq_epi8(v, quot)),
					  _mm_cmpeq_epi8(v, apos))));

	return (unsigned)_mm_movemask_epi8(bad);
}
#endif

/* Writes what the byte or character at p (not html_plain) becomes to
 * *wp, moving it past; returns how many bytes of the input it took. */
static inline __attribute__((always_inline)) size_t
html_one(const unsigned char *p, const unsigned char *end, char **wp)
{
	const char *e;
	char *w = *wp;
	uint32_t cp;
	size_t k;

	if (*p >= 0xc3 && *p <= 0xdf && end - p >= 2 &&
	    (p[1] & 0xc0) == 0x80) {
		/* U+00C0..U+07FF, two bytes well formed: kept (the accented
		 * letters of names and dates) */
		w[0] = (char)p[0];
		w[1] = (char)p[1];
		*wp = w + 2;
		return 2;
	}
	if (*p >= 0x80) {
		k = utf8_decode(p, (size_t)(end - p), &cp);
		if (k > 0 && !bad_char(cp)) {
			memcpy(w, p, k);
			*wp = w + k;
			return k;
		}
	}
	k = utf8_decode(p, (size_t)(end - p), &cp);
	if (k == 0) {
		cp = 0xFFFD;
		k = 1;
	}
	if (bad_char(cp) || (cp == 0xFFFD && k == 1))
		e = REPLACEMENT;
	else if (cp == '&')
		e = "&amp;";
	else if (cp == '<')
		e = "&lt;";
	else if (cp == '>')
		e = "&gt;";
	else if (cp == '"')
		e = "&quot;";
	else
		e = "&#39;";
	while (*e)
		*w++ = *e++;
	*wp = w;
	return k;
}

void html_escape_n(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	char *w;

	/* Written in place, room made first: nothing a byte becomes is
	 * longer than "&quot;", and a block of 16 is stored whole before
	 * its plain bytes are counted.  This is the renderer's inner loop
	 * (a feed escapes every body's HTML; a section a reply link, a
	 * date, a URL and a name per comment). */
	buf_grow(out, 6 * n + 16);
	w = out->s + out->len;
#ifdef __SSE2__
	/* 16 bytes at a time, each block stored whole, then the bytes to
	 * escape in it taken in turn; the last bytes (and a short string)
	 * in a block of their own, their count masking the rest. */
	unsigned char blk[32];

	memset(blk + 16, 0, 16);
	while (p < end) {
		unsigned char tail[16];
		const unsigned char *from = p;
		unsigned mask, at = 0, k, c = 16;
		__m128i v;

		if (end - p < 16) {
			c = (unsigned)(end - p);
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p, c);
			from = tail;
		}
		v = _mm_loadu_si128((const __m128i *)(const void *)from);
		mask = html_stops16(v) & ((1u << c) - 1);
		_mm_storeu_si128((__m128i *)(void *)w, v);
		if (mask == 0) {
			p += c;
			w += c;
			continue;
		}
		_mm_storeu_si128((__m128i *)(void *)blk, v);
		do {
			k = (unsigned)__builtin_ctz(mask);
			w += k - at;
			at = k + (unsigned)html_one(p + k, end, &w);
			if (at >= c) /* a character past the block */
				break;
			mask &= ~0u << at;
			_mm_storeu_si128((__m128i *)(void *)w,
					 _mm_loadu_si128((const __m128i *)(
						 const void *)(blk + at)));
		} while (mask);
		if (at < c) {
			w += c - at;
			at = c;
		}
		p += at;
	}
#else
	while (p < end) {
		if (html_plain[*p])
			*w++ = (char)*p++;
		else
			p += html_one(p, end, &w);
	}
#endif
	*w = '\0';
	out->len = (size_t)(w - out->s);
}

void html_escape(struct buf *out, const char *s)
{
	html_escape_n(out, s, strlen(s));
}

void html_clean(struct buf *out, const char *s, int one_line)
{
	size_t n = strlen(s), i = 0, k, run;
	uint32_t cp;

	while (i < n) {
		/* printable ASCII is kept: copied in runs */
		for (run = i; i < n && (unsigned char)s[i] >= 0x20 &&
			      (unsigned char)s[i] < 0x7f;
		     i++)
			;
		buf_add(out, s + run, i - run);
		if (i == n)
			break;
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

/* The bytes a mailto: link keeps as they are besides letters and digits
 * (RFC 6068): in the address, and in the subject. */
enum { KEEP_ADDR = 1, KEEP_SUBJECT = 2 };
static const unsigned char pct_keep[128] = {
	['-'] = KEEP_ADDR | KEEP_SUBJECT, ['.'] = KEEP_ADDR | KEEP_SUBJECT,
	['_'] = KEEP_ADDR | KEEP_SUBJECT, ['~'] = KEEP_ADDR | KEEP_SUBJECT,
	['!'] = KEEP_ADDR, ['$'] = KEEP_ADDR, ['\''] = KEEP_ADDR,
	['*'] = KEEP_ADDR, ['+'] = KEEP_ADDR, ['@'] = KEEP_ADDR,
};

/* Writes the n bytes at p to w, each not kept (a letter, a digit, or in
 * pct_keep[] with bit keep) as %XX; returns the end written.  Every
 * published reply link goes through here, twice. */
static inline char *pct_put(char *w, const unsigned char *p, size_t n,
			    int keep)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *end = p + n;

	for (; p < end; p++) {
		if (is_alnum(*p) || (*p < 0x80 && (pct_keep[*p] & keep))) {
			*w++ = (char)*p;
		} else {
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 15];
		}
	}
	return w;
}

void html_mailto_addr(struct buf *out, const char *addr)
{
	size_t n = strlen(addr);
	char *w;

	buf_grow(out, 7 + 3 * n);
	w = out->s + out->len;
	memcpy(w, "mailto:", 7);
	w = pct_put(w + 7, (const unsigned char *)addr, n, KEEP_ADDR);
	*w = '\0';
	out->len = (size_t)(w - out->s);
}

/* html_clean(subject, one line) percent-encoded, in one pass: no copy of
 * the cleaned name first (a reply link per comment, each with its
 * author's name). */
void html_mailto_subject(struct buf *out, const char *subject)
{
	const unsigned char *s = (const unsigned char *)subject;
	size_t n = strlen(subject), i = 0, k;
	uint32_t cp;
	char *w;

	/* 9 bytes at most a byte: U+FFFD for one, %XX each of 3 */
	buf_grow(out, 9 * n);
	w = out->s + out->len;
	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			w = pct_put(w, s + i, 1, KEEP_SUBJECT);
			i++;
			continue;
		}
		k = next_cp(subject, n, i, &cp);
		if (cp == '\n' || cp == '\r' || cp == '\t')
			w = pct_put(w, (const unsigned char *)" ", 1,
				    KEEP_SUBJECT);
		else if (bad_char(cp) || (cp == 0xFFFD && k == 1))
			w = pct_put(w, (const unsigned char *)REPLACEMENT, 3,
				    KEEP_SUBJECT);
		else
			w = pct_put(w, s + i, k, KEEP_SUBJECT);
		i += k;
	}
	*w = '\0';
	out->len = (size_t)(w - out->s);
}

void html_mailto(struct buf *out, const char *addr, const char *subject)
{
	html_mailto_addr(out, addr);
	if (subject == NULL || *subject == '\0')
		return;
	buf_adds(out, "?subject=");
	html_mailto_subject(out, subject);
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

/* ---- what address detection reads ----
 *
 * A reader sees an address where the bytes may not spell one: a soft
 * hyphen or a zero-width space inside it, a full-width or small "＠",
 * full-width letters, a dot leader.  Detection therefore reads a view of
 * the text: each code point as NFKC maps it (libunistring), default-
 * ignorable code points (soft hyphen, zero-width characters, bidi
 * controls, variation selectors, tags...) dropped, the ideographic
 * full stops read as '.', as IDNA reads them, and "&#64;" or "&commat;"
 * shown as text read as '@'.  Each byte of the view remembers which code
 * point of the text made it, so what is found in the view is masked in
 * the text, invisible characters included. */

struct view {
	const char *s; /* the text searched: the input itself when ASCII */
	size_t n;
	struct buf b;  /* the folded text, when it is not the input */
	size_t *at;    /* at[i], end[i]: the input's code point that made
			* byte i; NULL when the view is the input (and then
			* b is not used) */
	size_t *end;
	size_t cap;    /* of at and end */
};

static void view_put(struct view *v, const char *p, size_t len, size_t at,
		     size_t end)
{
	size_t k;

	if (v->b.len + len > v->cap) {
		v->cap = 2 * (v->b.len + len) + 64;
		v->at = xrealloc(v->at, v->cap * sizeof(*v->at));
		v->end = xrealloc(v->end, v->cap * sizeof(*v->end));
	}
	for (k = 0; k < len; k++) {
		v->at[v->b.len + k] = at;
		v->end[v->b.len + k] = end;
	}
	buf_add(&v->b, p, len);
}

/* Appends the view of one code point cp, s[at..end) in the input. */
static void view_fold(struct view *v, const char *s, size_t at, size_t end,
		      uint32_t cp)
{
	ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
	uint8_t tmp[64], *r;
	size_t rlen = sizeof(tmp), i, k;
	int tag;

	if (uc_is_property_default_ignorable_code_point(cp))
		return;
	if (cp == 0x3002 || cp == 0xFF61) { /* 。｡ read as dots */
		view_put(v, ".", 1, at, end);
		return;
	}
	/* Most code points have no compatibility form at all, and a
	 * canonical one (an accented letter) reads as the same letter. */
	if (uc_decomposition(cp, &tag, d) < 0 || tag == UC_DECOMP_CANONICAL) {
		view_put(v, s + at, end - at, at, end);
		return;
	}
	r = u8_normalize(UNINORM_NFKC, (const uint8_t *)s + at, end - at, tmp,
			 &rlen);
	if (r == NULL) {
		view_put(v, s + at, end - at, at, end);
		return;
	}
	for (i = 0; i < rlen; i += k) {
		uint32_t c;

		k = utf8_decode(r + i, rlen - i, &c);
		if (k == 0)
			break;
		if (c == 0x3002)
			view_put(v, ".", 1, at, end);
		else if (!uc_is_property_default_ignorable_code_point(c))
			view_put(v, (const char *)r + i, k, at, end);
	}
	if (r != tmp)
		free(r);
}

/* Character references shown as text (in code, in raw HTML shown as
 * text, in JSON's text) still read as '@' and '.' to a reader. */
static size_t entity_len(const char *s, size_t n, char *c)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = {
		{ "&#64;", '@' },  { "&#x40;", '@' },   { "&commat;", '@' },
		{ "&#46;", '.' },  { "&#x2e;", '.' },   { "&period;", '.' },
		{ "&#064;", '@' }, { "&#0064;", '@' },
	};
	size_t k, len;

	for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
		len = strlen(ents[k].name);
		if (n >= len && ascii_ncasecmp(s, ents[k].name, len) == 0) {
			*c = ents[k].c;
			return len;
		}
	}
	return 0;
}

static void view_init(struct view *v, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;
	char c;

	memset(v, 0, sizeof(*v));
	while (i < n && (unsigned char)s[i] < 0x80 && s[i] != '&')
		i++;
	if (i == n) {
		v->s = s;
		v->n = n;
		return;
	}
	buf_init(&v->b);
	v->cap = n + 16;
	v->at = xmalloc(v->cap * sizeof(*v->at));
	v->end = xmalloc(v->cap * sizeof(*v->end));
	for (i = 0; i < n; i += k) {
		if (s[i] == '&' && (k = entity_len(s + i, n - i, &c)) > 0) {
			view_put(v, &c, 1, i, i + k);
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			k = 1;
			view_put(v, s + i, 1, i, i + 1);
			continue;
		}
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0) {
			k = 1;
			view_put(v, REPLACEMENT, 3, i, i + 1);
			continue;
		}
		view_fold(v, s, i, i + k, cp);
	}
	v->s = v->b.s;
	v->n = v->b.len;
}

static void view_free(struct view *v)
{
	if (v->at) {
		buf_free(&v->b);
		free(v->at);
		free(v->end);
	}
}

/* ---- finding addresses in a view ---- */

/* No real local part or domain is that long (RFC 5321: 64 and 255
 * octets); the bounds keep a hostile text's scan linear. */
#define LOCAL_SCAN 256
#define DOMAIN_SCAN 512
#define AT_SPACES 3 /* "bob @ example.org" still reads as an address */

static int local_ascii(int c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

static int space(char c)
{
	return c == ' ' || c == '\t';
}

/* Start of the code point that ends just before i (i > lo). */
static size_t prev_start(const char *s, size_t lo, size_t i)
{
	size_t j = i - 1;

	while (j > lo && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
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

/* Length of a dot between two labels at s[i..n), or 0: '.', or a dot
 * written so as not to look like one: "[.]", "(dot)", "{dot}", " dot ",
 * " point ", " . ". */
static size_t dot_len(const char *s, size_t n, size_t i)
{
	static const char *const words[] = { "dot", "point", "." };
	size_t j = i, w, len;
	char close = 0;
	int spaced;

	if (i < n && s[i] == '.')
		return 1;
	while (j < n && j - i < AT_SPACES && space(s[j]))
		j++;
	spaced = j > i;
	if (j < n && s[j] && strchr("[({<", s[j])) {
		close = s[j] == '[' ? ']' : s[j] == '(' ? ')' :
			s[j] == '{' ? '}' : '>';
		j++;
	} else if (!spaced) {
		return 0;
	}
	for (w = 0; w < 3; w++) {
		len = strlen(words[w]);
		if (n - j >= len && ascii_ncasecmp(s + j, words[w], len) == 0)
			break;
	}
	if (w == 3)
		return 0;
	j += len;
	if (close) {
		if (j >= n || s[j] != close)
			return 0;
		j++;
	} else if (j >= n || !space(s[j])) {
		return 0;
	}
	while (j < n && space(s[j]) && label_len(s, n, j) == 0 &&
	       j - i < 16)
		j++;
	return j - i;
}

/* A dot separator of dot_len() that ends exactly at j, after a local
 * part character: its start, or j. */
static size_t dot_before(const char *s, size_t lo, size_t j)
{
	size_t p, n = j;

	for (p = j > lo + 16 ? j - 16 : lo + 1; p < j; p++)
		if (dot_len(s, n, p) == j - p && local_ascii(s[p - 1]) &&
		    s[p - 1] != '.')
			return p;
	return j;
}

/* Extends the local part left from at; returns its start (== at: none). */
static size_t local_start(const char *s, size_t lo, size_t at)
{
	size_t j = at, p;
	uint32_t cp;

	if (at - lo > LOCAL_SCAN)
		lo = at - LOCAL_SCAN;
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
			if (local_ascii(s[j - 1])) {
				j--;
				continue;
			}
			/* "john dot smith@", "john[.]smith@" */
			p = j < at ? dot_before(s, lo, j) : j;
			if (p == j)
				break;
			j = p - 1;
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

/* End of the domain that starts at i, or i when there is none: at least
 * two labels, or an address literal in brackets. */
static size_t domain_end(const char *s, size_t n, size_t i)
{
	size_t j = i, l, k, labels = 0;

	if (n - i > DOMAIN_SCAN)
		n = i + DOMAIN_SCAN;
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
		k = j < n ? dot_len(s, n, j) : 0;
		if (k > 0 && j + k < n && label_len(s, n, j + k) > 0)
			j += k;
		else
			break;
	}
	return labels >= 2 ? j : i;
}

/* Every address of the view, as spans of the input; returns the count
 * and sets *spans (caller frees; NULL when none). */
static size_t view_find(const struct view *v, struct html_span **spans)
{
	const char *s = v->s;
	size_t n = v->n, i, l, le, d, e, from = 0, count = 0, cap = 0;

	*spans = NULL;
	for (i = 0; i < n; i++) {
		if (s[i] != '@')
			continue;
		for (le = i; le > from && i - le < AT_SPACES && space(s[le - 1]);)
			le--;
		l = local_start(s, from, le);
		if (l == le)
			continue;
		for (d = i + 1; d < n && d - i <= AT_SPACES && space(s[d]);)
			d++;
		e = domain_end(s, n, d);
		if (e == d)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 4;
			*spans = xrealloc(*spans, cap * sizeof(**spans));
		}
		if (v->at) {
			(*spans)[count].start = v->at[l];
			(*spans)[count].len = v->end[e - 1] - v->at[l];
		} else {
			(*spans)[count].start = l;
			(*spans)[count].len = e - l;
		}
		count++;
		from = e;
		i = e - 1;
	}
	return count;
}

size_t html_find_addresses(const char *s, size_t n, struct html_span **spans)
{
	struct view v;
	size_t count;

	view_init(&v, s, n);
	count = view_find(&v, spans);
	view_free(&v);
	return count;
}

static size_t mask(struct buf *out, const char *s, size_t n,
		   const char *maskstr, html_keep_fn keep, void *arg)
{
	struct html_span *sp;
	size_t from = 0, count = 0, k, ns = html_find_addresses(s, n, &sp);
	char *a;
	int kept;

	for (k = 0; k < ns; k++) {
		a = xstrndup(s + sp[k].start, sp[k].len);
		kept = keep && keep(a, arg);
		free(a);
		if (out)
			buf_add(out, s + from, sp[k].start - from);
		if (kept) {
			if (out)
				buf_add(out, s + sp[k].start, sp[k].len);
		} else {
			if (out)
				buf_adds(out, maskstr);
			count++;
		}
		from = sp[k].start + sp[k].len;
	}
	if (out)
		buf_add(out, s + from, n - from);
	free(sp);
	return count;
}

size_t html_mask_addresses(struct buf *out, const char *s, size_t n,
			   const char *maskstr, html_keep_fn keep, void *arg)
{
	return mask(out, s, n, maskstr, keep, arg);
}

int html_has_address(const char *s, size_t n, html_keep_fn keep, void *arg)
{
	struct buf dec, ok;
	size_t i;
	int found;

	/* In a URL every byte may be percent-encoded: "%40", "%EF%BC%A0". */
	buf_init(&dec);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			buf_addc(&dec, (char)(hex_value(s[i + 1]) * 16 +
					      hex_value(s[i + 2])));
			i += 2;
		} else {
			buf_addc(&dec, s[i]);
		}
	}
	buf_init(&ok);
	utf8_repair(&ok, dec.s, dec.len);
	found = mask(NULL, ok.s, ok.len, "", keep, arg) > 0;
	buf_free(&ok);
	buf_free(&dec);
	return found;
}

/* ---- names ---- */

const char *html_mask_word(const struct catalog_lang *lang)
{
	/* TRANSLATORS: what a published comment shows in place of a mail
	 * address. */
	return _(lang, "[address hidden]");
}

const char *html_anonymous_word(const struct catalog_lang *lang)
{
	/* TRANSLATORS: the name shown for an author who gave none. */
	return C_(lang, "name", "Anonymous");
}

/* The view of s with every other way of writing '@' turned into one: a
 * spelled-out "at" ("bob at example dot org", "bob (at) example.org",
 * "bob arobase exemple point fr"; the dots are domain_end()'s), an
 * entity or a percent-encoding. */
static void spelled_at(struct buf *out, const char *s, size_t n)
{
	static const char *const words[] = { "at", "arobase", NULL };
	static const char *const codes[] = { "&#64;", "&#x40;", "&commat;",
					     "%40", NULL };
	size_t i = 0, j, k, len, e;
	char close;

	while (i < n) {
		for (k = 0; codes[k]; k++) {
			len = strlen(codes[k]);
			if (n - i >= len &&
			    ascii_ncasecmp(s + i, codes[k], len) == 0)
				break;
		}
		if (codes[k]) {
			buf_addc(out, '@');
			i += len;
			continue;
		}
		/* [spaces] [bracket] word [closing bracket | space] */
		j = i;
		while (j < n && space(s[j]))
			j++;
		close = 0;
		if (j < n && s[j] && strchr("[({<", s[j])) {
			close = s[j] == '[' ? ']' : s[j] == '(' ? ')' :
				s[j] == '{' ? '}' : '>';
			j++;
		}
		for (k = 0; words[k]; k++) {
			len = strlen(words[k]);
			if (n - j >= len &&
			    ascii_ncasecmp(s + j, words[k], len) == 0)
				break;
		}
		e = words[k] ? j + len : 0;
		if (e > 0 && i > 0 && !space(s[i - 1]) && (close || j > i) &&
		    e < n && (close ? s[e] == close : space(s[e]))) {
			e += close ? 1 : 0;
			while (e < n && space(s[e]))
				e++;
			buf_addc(out, '@');
			i = e;
			continue;
		}
		buf_addc(out, s[i]);
		i++;
	}
}

/* 1 if a name, as a reader would read it, holds an address: any '@'
 * (however written, see spelled_at()) followed by a domain, whatever is
 * before it ("bob\@example.org" is no name either). */
static int name_has_address(const struct view *v)
{
	struct buf b;
	size_t i, d;
	int found = 0;

	buf_init(&b);
	spelled_at(&b, v->s, v->n);
	for (i = 0; i < b.len && !found; i++) {
		if (b.s[i] != '@')
			continue;
		for (d = i + 1; d < b.len && d - i <= AT_SPACES && space(b.s[d]);)
			d++;
		found = domain_end(b.s, b.len, d) > d;
	}
	buf_free(&b);
	return found;
}

/* 1 if nothing of the view shows: empty, spaces, ignorable code points. */
static int blank(const struct view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!space(v->s[i]))
			return 0;
	return 1;
}

/* 1 if the view of a and of b are the same text. */
static int same_view(const char *a, const char *b, size_t bn)
{
	struct view va, vb;
	int same;

	view_init(&va, a, strlen(a));
	view_init(&vb, b, bn);
	same = va.n == vb.n && memcmp(va.s, vb.s, va.n) == 0;
	view_free(&va);
	view_free(&vb);
	return same;
}

#define NAME_MAX_CHARS 80

void html_public_name(struct buf *out, const char *name,
		      const char *address, const char *anonymous)
{
	struct buf clean, pub;
	size_t i, k, chars = 0, n;
	const char *at, *s;
	struct view v;
	uint32_t cp;
	int hide;

	buf_init(&clean);
	html_clean(&clean, name ? name : "", 1);
	s = str_trim(clean.s);
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	view_init(&v, s, n);
	at = address ? strrchr(address, '@') : NULL;
	/* Nothing a reader can see, an address, or the sender's own local
	 * part (what some clients put when no name is set, and what older
	 * versions stored): the name is not published. */
	hide = blank(&v) || name_has_address(&v) ||
	       (at && at > address &&
		(same_view(s, address, (size_t)(at - address)) ||
		 same_view(s, address, strlen(address))));
	view_free(&v);
	if (hide) {
		buf_adds(out, anonymous);
		buf_free(&clean);
		return;
	}
	/* Published: without the bidi controls that would reorder the page
	 * around it, and at most NAME_MAX_CHARS characters. */
	buf_init(&pub);
	for (i = 0; i < n && chars < NAME_MAX_CHARS; i += k) {
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0)
			k = 1;
		if ((cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			continue;
		buf_add(&pub, s + i, k);
		chars++;
	}
	if (i < n)
		buf_adds(&pub, "\xe2\x80\xa6");
	buf_add(out, pub.s, pub.len);
	buf_free(&pub);
	buf_free(&clean);
}
