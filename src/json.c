/* json.c: the JSON writer.  Kept tiny on purpose: mailcomments only ever
 * writes JSON, it never reads it. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "term.h"
#include "utf8.h"
#include "banned.h"

void json_init(struct json *j, struct buf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void newline(struct json *j)
{
	/* a newline and up to 31 levels of indentation, added at once */
	static const char nl[] = "\n"
				 "                                "
				 "                                ";

	if (!j->pretty)
		return;
	buf_add(j->out, nl, 1 + 2 * (size_t)j->depth);
}

/* Before any value or key: the comma and indentation it needs. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			buf_addc(j->out, ',');
		newline(j);
	}
	j->first[j->depth] = 0;
}

static void open(struct json *j, char c)
{
	sep(j);
	buf_addc(j->out, c);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
}

static void close(struct json *j, char c)
{
	int empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		newline(j);
	buf_addc(j->out, c);
}

void json_obj_begin(struct json *j)
{
	open(j, '{');
}

void json_obj_end(struct json *j)
{
	close(j, '}');
}

void json_arr_begin(struct json *j)
{
	open(j, '[');
}

void json_arr_end(struct json *j)
{
	close(j, ']');
}

/* 1 for the ASCII bytes a JSON string holds as they are: printable,
 * but not '"', '\\', '<', '>' or '&'. */
static const unsigned char json_plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};

/* Copies the run of json_plain bytes at *pp to *wp, moving both past it,
 * up to the first byte to escape or end.  An article's JSON escapes
 * every body's HTML, megabytes whose runs between two tags are tens of
 * bytes: on x86-64 a run is read 16 bytes at a time and each block
 * stored whole, only its plain bytes counted (the output has room for 6
 * bytes a byte of the input: json_escape()).  A byte below 0x20 or from
 * 0x80 is below 0x20 signed: one comparison for both. */
static void copy_plain(const unsigned char **pp, char **wp,
		       const unsigned char *end)
{
	const unsigned char *p = *pp;
	char *w = *wp;

#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
		      quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
		      amp = _mm_set1_epi8('&');

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i bad = _mm_or_si128(
			_mm_or_si128(_mm_cmplt_epi8(v, space),
				     _mm_cmpeq_epi8(v, del)),
			_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, quote),
					     _mm_cmpeq_epi8(v, bslash)),
				_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt),
							  _mm_cmpeq_epi8(v, gt)),
					     _mm_cmpeq_epi8(v, amp))));
		int mask = _mm_movemask_epi8(bad);

		_mm_storeu_si128((__m128i *)(void *)w, v);
		if (mask != 0) {
			unsigned k = (unsigned)__builtin_ctz((unsigned)mask);

			*pp = p + k;
			*wp = w + k;
			return;
		}
		p += 16;
		w += 16;
	}
#endif
	while (p < end && json_plain[*p])
		*w++ = (char)*p++;
	*pp = p;
	*wp = w;
}

void json_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	char *w;

	/* Written in place: no escape is longer than 6 bytes per byte of
	 * s (\u003c for '<'; 6 for a control of 2 or 3 bytes, all below
	 * U+2070 (term_control()); U+FFFD's 3 bytes for an invalid one). */
	buf_grow(out, 6 * (size_t)(end - p) + 2);
	w = out->s + out->len;
	*w++ = '"';
	while (p < end) {
		uint32_t cp;
		size_t n;

		/* Plain ASCII is copied in runs, not byte by byte: this is
		 * the inner loop of an article's JSON. */
		copy_plain(&p, &w, end);
		if (p == end)
			break;
		/* an ASCII byte that stopped the run is escaped: no need to
		 * decode it (one in twenty bytes of a body's HTML) */
		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else {
			n = utf8_decode(p, (size_t)(end - p), &cp);
			if (n > 1 && !term_control(cp)) {
				memcpy(w, p, n);
				w += n;
				p += n;
				continue;
			}
		}
		if (n == 0) { /* invalid byte: replaced, never dropped */
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
			p++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			*w++ = '\\';
			*w++ = (char)cp;
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			*w++ = '\\';
			*w++ = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
		} else {
			/* controls (C0, DEL, C1, bidi: term.h), U+2028/9, and
			 * < > & (safe to embed in a <script> or an HTML
			 * attribute); the text is unchanged, and a terminal
			 * that shows the JSON sees no control */
			*w++ = '\\';
			*w++ = 'u';
			*w++ = hex[(cp >> 12) & 0xf];
			*w++ = hex[(cp >> 8) & 0xf];
			*w++ = hex[(cp >> 4) & 0xf];
			*w++ = hex[cp & 0xf];
		}
		p += n;
	}
	*w++ = '"';
	*w = '\0';
	out->len = (size_t)(w - out->s);
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	json_escape(j->out, key);
	buf_adds(j->out, j->pretty ? ": " : ":");
	j->after_key = 1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	if (s == NULL)
		buf_adds(j->out, "null");
	else
		json_escape(j->out, s);
}

void json_int(struct json *j, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	sep(j);
	/* without printf: a comment has two or three of these */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_add(j->out, p, (size_t)(d + sizeof(d) - p));
}

void json_num(struct json *j, double v)
{
	sep(j);
	if (isfinite(v))
		buf_addf(j->out, "%.15g", v);
	else
		buf_adds(j->out, "null");
}

void json_bool(struct json *j, int v)
{
	sep(j);
	buf_adds(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	sep(j);
	buf_adds(j->out, "null");
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kint(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kbool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}
