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

/* The mask of the bytes of v that are not json_plain: a byte below 0x20
 * or from 0x80 is below 0x20 signed, one comparison for both. */
#ifdef __SSE2__
static inline unsigned stops16(__m128i v)
{
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
		      quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
		      amp = _mm_set1_epi8('&');
	__m128i bad = _mm_or_si128(
		_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
					  _mm_cmpeq_epi8(v, bslash)),
			     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt),
						       _mm_cmpeq_epi8(v, gt)),
					  _mm_cmpeq_epi8(v, amp))));

	return (unsigned)_mm_movemask_epi8(bad);
}
#endif

/* Writes the escape of the byte or character at p (not json_plain) to
 * w; returns how many bytes of the input it took, *wp moved past what it
 * wrote.  Inline: an article's JSON stops here at every '<', '>', '"' and
 * accented letter of every body's HTML, tens of times a comment. */
static inline __attribute__((always_inline)) size_t
escape_one(const unsigned char *p, const unsigned char *end, char **wp)
{
	static const char hex[] = "0123456789abcdef";
	char *w = *wp;
	uint32_t cp;
	size_t n;

	if (*p < 0x80) {
		/* the bytes HTML stops at most, each written at once */
		switch (*p) {
		case '<':
			memcpy(w, "\\u003c", 6);
			*wp = w + 6;
			return 1;
		case '>':
			memcpy(w, "\\u003e", 6);
			*wp = w + 6;
			return 1;
		case '&':
			memcpy(w, "\\u0026", 6);
			*wp = w + 6;
			return 1;
		case '"':
			memcpy(w, "\\\"", 2);
			*wp = w + 2;
			return 1;
		case '\n':
			memcpy(w, "\\n", 2);
			*wp = w + 2;
			return 1;
		default:
			break;
		}
		cp = *p;
		n = 1;
	} else if (end - p >= 2 &&
		   ((*p >= 0xc3 && *p <= 0xd7 && (p[1] & 0xc0) == 0x80) ||
		    (*p == 0xc2 && p[1] >= 0xa0 && p[1] <= 0xbf))) {
		/* U+00A0..U+05FF (accented letters, '°', no-break space):
		 * two bytes, well formed, none a control (term_control():
		 * C1 is U+0080..U+009F, U+061C is past this range) */
		w[0] = (char)p[0];
		w[1] = (char)p[1];
		*wp = w + 2;
		return 2;
	} else {
		n = utf8_decode(p, (size_t)(end - p), &cp);
		if (n > 1 && !term_control(cp)) {
			memcpy(w, p, n);
			*wp = w + n;
			return n;
		}
	}
	if (n == 0) { /* invalid byte: replaced, never dropped */
		memcpy(w, "\xEF\xBF\xBD", 3);
		*wp = w + 3;
		return 1;
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
	*wp = w;
	return n;
}

void json_escape(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	char *w;

	/* Written in place: no escape is longer than 6 bytes per byte of
	 * s (\u003c for '<'; 6 for a control of 2 or 3 bytes, all below
	 * U+2070 (term_control()); U+FFFD's 3 bytes for an invalid one),
	 * and a block of 16 is stored whole before its plain bytes are
	 * counted: room for 16 more. */
	buf_grow(out, 6 * (size_t)(end - p) + 18);
	w = out->s + out->len;
	*w++ = '"';
#ifdef __SSE2__
	/* An article's JSON escapes every body's HTML, megabytes whose
	 * runs between two tags are tens of bytes: read 16 bytes at a
	 * time, each block stored whole, then the bytes to escape in it
	 * taken one after the other, without reading it again.  The last
	 * bytes (and a short string: keys, names, dates) are copied to a
	 * block of their own first, their count masking the rest. */
	unsigned char blk[32]; /* the block, and room to read 16 past a stop */

	memset(blk + 16, 0, 16);
	while (p < end) {
		unsigned char tail[16];
		const unsigned char *from = p;
		unsigned mask, at = 0, k, used, n = 16;
		__m128i v;

		if (end - p < 16) {
			n = (unsigned)(end - p);
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p, n);
			from = tail;
		}
		v = _mm_loadu_si128((const __m128i *)(const void *)from);
		mask = stops16(v) & ((1u << n) - 1);
		_mm_storeu_si128((__m128i *)(void *)w, v);
		_mm_storeu_si128((__m128i *)(void *)blk, v);
		if (mask == 0) {
			p += n;
			w += n;
			continue;
		}
		/* the bytes before a stop are in place once w moves past
		 * them; after its escape, the rest of the block is stored
		 * again from the block read (no copy call) */
		do {
			k = (unsigned)__builtin_ctz(mask);
			w += k - at;
			used = (unsigned)escape_one(p + k, end, &w);
			at = k + used;
			if (at >= n) /* a character past the block */
				break;
			mask &= ~0u << at;
			_mm_storeu_si128((__m128i *)(void *)w,
					 _mm_loadu_si128((const __m128i *)(
						 const void *)(blk + at)));
		} while (mask);
		if (at < n) {
			w += n - at;
			at = n;
		}
		p += at;
	}
#else
	while (p < end) {
		if (json_plain[*p])
			*w++ = (char)*p++;
		else
			p += escape_one(p, end, &w);
	}
#endif
	*w++ = '"';
	*w = '\0';
	out->len = (size_t)(w - out->s);
}

/* The length of key when it is short plain ASCII (every key we write: a
 * dozen a comment), written as it is; -1 otherwise. */
static int plain_key(const char *key)
{
	int n;

	for (n = 0; n < 32; n++) {
		unsigned char c = (unsigned char)key[n];

		if (c == '\0')
			return n;
		if (!json_plain[c])
			return -1;
	}
	return -1;
}

void json_key(struct json *j, const char *key)
{
	int n = j->after_key || j->depth <= 0 ? -1 : plain_key(key);
	size_t ind = j->pretty ? 2 * (size_t)j->depth : 0;
	char *w;

	if (n < 0) { /* the general way */
		sep(j);
		json_escape(j->out, key);
		buf_adds(j->out, j->pretty ? ": " : ":");
		j->after_key = 1;
		return;
	}
	/* what sep(), newline(), json_escape() and the colon write, at
	 * once: the comma, the newline and indentation, "key": */
	buf_grow(j->out, 1 + 1 + ind + (size_t)n + 4);
	w = j->out->s + j->out->len;
	if (!j->first[j->depth])
		*w++ = ',';
	j->first[j->depth] = 0;
	if (j->pretty) {
		*w++ = '\n';
		memset(w, ' ', ind);
		w += ind;
	}
	*w++ = '"';
	memcpy(w, key, (size_t)n);
	w += n;
	*w++ = '"';
	*w++ = ':';
	if (j->pretty)
		*w++ = ' ';
	*w = '\0';
	j->out->len = (size_t)(w - j->out->s);
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
