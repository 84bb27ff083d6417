/* rfc2047.c: decoding encoded words.  One pass from left to right;
 * decoded bytes of consecutive words in one charset wait in `pending`
 * until something else comes, and are converted together. */
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "codec.h"
#include "rfc2047.h"
#include "banned.h"

#define CHARSET_MAX 75 /* longer than any real charset name (+ language) */
#define NONE ((size_t)-1)

struct word {
	size_t charset, charset_len; /* offsets in the input */
	char enc;                    /* 'B' or 'Q' */
	size_t text, text_len;
	size_t end;                  /* just after "?=" */
};

/* Where an encoded text starting at t ends: the first "?=" or blank at or
 * after t.  Encoded words are found left to right, so the last answer is
 * remembered: asking again for a later t costs nothing, and the input is
 * scanned about once however many "=?" it holds. */
struct stop_cache {
	size_t from, at; /* the first stop at or after `from` is `at` */
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t scan_stop(const char *s, size_t len, size_t from, size_t to)
{
	size_t p;

	for (p = from; p < to; p++) {
		if (is_blank(s[p]))
			return p;
		if (s[p] == '?' && p + 1 < len && s[p + 1] == '=')
			return p;
	}
	return NONE;
}

static size_t find_stop(const char *s, size_t len, size_t t,
			struct stop_cache *c)
{
	size_t p;

	if (c->from != NONE && t >= c->from && (c->at == NONE || t <= c->at))
		return c->at;
	if (c->from != NONE && t < c->from) {
		/* a little behind the cached range: at most CHARSET_MAX + 4
		 * bytes, since every t is close after its word's start */
		p = scan_stop(s, len, t, c->from);
		return p != NONE ? p : c->at;
	}
	c->from = t;
	c->at = scan_stop(s, len, t, len);
	return c->at;
}

/* Parses an encoded word at s[i] ("=?" already seen). */
static int parse_word(const char *s, size_t len, size_t i,
		      struct stop_cache *cache, struct word *w)
{
	size_t j = i + 2, stop;

	w->charset = j;
	while (j < len && s[j] != '?' && !is_blank(s[j]) &&
	       j - w->charset <= CHARSET_MAX)
		j++;
	if (j == w->charset || j + 2 >= len || s[j] != '?' ||
	    s[j + 2] != '?')
		return 0;
	w->charset_len = j - w->charset;
	if (s[j + 1] == 'B' || s[j + 1] == 'b')
		w->enc = 'B';
	else if (s[j + 1] == 'Q' || s[j + 1] == 'q')
		w->enc = 'Q';
	else
		return 0;
	w->text = j + 3;
	stop = find_stop(s, len, w->text, cache);
	if (stop == NONE || s[stop] != '?')
		return 0; /* no "?=", or a blank inside the word */
	w->text_len = stop - w->text;
	w->end = stop + 2;
	if (w->enc == 'B' && !codec_base64_clean(s + w->text, w->text_len))
		return 0;
	return 1;
}

/* The charset of w without an RFC 2231 language ("utf-8*fr"). */
static char *word_charset(const char *s, const struct word *w)
{
	char *cs = xstrndup(s + w->charset, w->charset_len);
	char *star = strchr(cs, '*');

	if (star)
		*star = '\0';
	return cs;
}

struct state {
	struct buf *out;
	struct buf pending; /* decoded bytes of the words so far */
	char *charset;      /* their charset; NULL when nothing pends */
	unsigned flags;
	char **label;
};

static void note_flags(struct state *st, unsigned flags, const char *cs)
{
	st->flags |= flags;
	if (st->label && *st->label == NULL && (flags & ~CHARSET_REPLACED))
		*st->label = xstrdup(cs);
}

static void flush(struct state *st)
{
	unsigned f;

	if (st->charset == NULL)
		return;
	f = charset_to_utf8(st->charset, st->pending.s, st->pending.len,
			    st->out);
	note_flags(st, f, st->charset);
	free(st->charset);
	st->charset = NULL;
	buf_reset(&st->pending);
}

static void literal(struct state *st, const char *s, size_t n)
{
	if (n == 0)
		return;
	flush(st);
	/* raw header bytes: UTF-8 when valid, else windows-1252 */
	st->flags |= charset_to_utf8(NULL, s, n, st->out);
}

static int only_blanks(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_blank(s[i]))
			return 0;
	return 1;
}

unsigned rfc2047_decode(const char *s, size_t len, struct buf *out,
			char **label)
{
	struct stop_cache cache = { NONE, NONE };
	struct state st = { out, { 0 }, NULL, 0, label };
	size_t i = 0, lit = 0;
	int after_word = 0;

	buf_init(&st.pending);
	while (i + 1 < len) {
		struct word w;
		char *cs;

		if (s[i] != '=' || s[i + 1] != '?' ||
		    !parse_word(s, len, i, &cache, &w)) {
			i++;
			continue;
		}
		/* blanks between two encoded words are dropped */
		if (!(after_word && only_blanks(s + lit, i - lit)))
			literal(&st, s + lit, i - lit);
		cs = word_charset(s, &w);
		if (st.charset && ascii_casecmp(st.charset, cs) != 0)
			flush(&st);
		if (st.charset == NULL)
			st.charset = cs;
		else
			free(cs);
		if (w.enc == 'B')
			codec_base64_decode(s + w.text, w.text_len, &st.pending);
		else
			codec_qp_decode(s + w.text, w.text_len, 1, &st.pending);
		i = lit = w.end;
		after_word = 1;
	}
	literal(&st, s + lit, len - lit);
	flush(&st);
	buf_free(&st.pending);
	return st.flags;
}
