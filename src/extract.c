/* extract.c: body extraction, on lines.  The rules run in the order of
 * the parse rules of mailcomments(1); each marks lines as dropped or
 * cuts the text short, and the survivors are joined at the end.  Patterns are matched on a copy of
 * each line where no-break spaces are plain spaces (French clients put
 * one before the colon of "a écrit :") and ASCII case is ignored. */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "replyforms.h"
#include "util.h"
#include "banned.h"

enum { L_TEXT, L_BLANK, L_QUOTE };

struct line {
	const char *s; /* the line, trailing whitespace removed */
	size_t len;
	size_t norm, nlen; /* its matching copy in ex->norm */
	int kind;
	int drop;
};

struct ex {
	struct line *l;
	size_t n;
	size_t all;  /* lines before any cut */
	struct buf norm;
	struct buf tmp; /* attribution candidates, joined */
};


/* The matching copy of line i, leading blanks skipped. */
static const char *norm(const struct ex *ex, size_t i, size_t *n)
{
	const char *s = ex->norm.s + ex->l[i].norm;
	size_t k = ex->l[i].nlen;

	while (k > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		k--;
	}
	*n = k;
	return s;
}

static int starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && ascii_ncasecmp(s, p, k) == 0;
}

static int contains(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p), i;

	for (i = 0; i + k <= n; i++)
		if (ascii_ncasecmp(s + i, p, k) == 0)
			return 1;
	return 0;
}

/* --- rule 1: lines, trailing whitespace removed --- */

/* U+200E/F, U+202A-E, U+2066-9: direction marks, invisible, which
 * right-to-left clients put around names, addresses and colons; the
 * matching copy goes without them. */
static int bidi_mark(const char *c)
{
	unsigned char b1 = (unsigned char)c[1], b2 = (unsigned char)c[2];

	if ((unsigned char)c[0] != 0xE2)
		return 0;
	return (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F ||
			       (b2 >= 0xAA && b2 <= 0xAE))) ||
	       (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
}

static void split(struct ex *ex, const char *text, size_t len)
{
	size_t pos = 0, cap = 16;

	ex->l = xmalloc(cap * sizeof(*ex->l));
	ex->n = 0;
	buf_init(&ex->norm);
	while (pos <= len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, i;
		size_t next = nl ? end + 1 : len + 1;
		struct line *l;

		if (!nl && pos == len && len > 0)
			break; /* text ended with a newline */
		for (;;) { /* blanks, CR, and U+00A0 at the end */
			if (end > pos && strchr(" \t\r\v\f", text[end - 1]) &&
			    text[end - 1] != '\0')
				end--;
			else if (end >= pos + 2 && text[end - 2] == '\xC2' &&
				 text[end - 1] == '\xA0')
				end -= 2;
			else
				break;
		}
		if (ex->n == cap) {
			cap *= 2;
			ex->l = xrealloc(ex->l, cap * sizeof(*ex->l));
		}
		l = &ex->l[ex->n++];
		l->s = text + pos;
		l->len = end - pos;
		l->kind = l->len == 0 ? L_BLANK :
			  l->s[0] == '>' ? L_QUOTE : L_TEXT;
		l->drop = 0;
		l->norm = ex->norm.len;
		for (i = 0; i < l->len; i++) {
			const char *c = l->s + i;

			if (i + 1 < l->len && c[0] == '\xC2' && c[1] == '\xA0') {
				buf_addc(&ex->norm, ' '); /* U+00A0 */
				i++;
			} else if (i + 2 < l->len && c[0] == '\xE2' &&
				   c[1] == '\x80' && c[2] == '\xAF') {
				buf_addc(&ex->norm, ' '); /* U+202F */
				i += 2;
			} else if (i + 2 < l->len && bidi_mark(c)) {
				i += 2; /* Gmail wraps RTL attributions in them */
			} else {
				buf_addc(&ex->norm, *c);
			}
		}
		l->nlen = ex->norm.len - l->norm;
		pos = next;
	}
}

/* --- rule 2: signature --- */

static void cut_signature(struct ex *ex)
{
	size_t i;

	for (i = 0; i < ex->n; i++)
		if (ex->l[i].len == 2 && memcmp(ex->l[i].s, "--", 2) == 0) {
			ex->n = i;
			return;
		}
}

/* --- rule 3: quoted material to the end --- */

static int underscores(const char *s, size_t n, size_t min)
{
	size_t i;

	if (n < min)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			return 0;
	return 1;
}

/* A mailing list's footer: a rule of underscores, then within four
 * lines the list's name or its unsubscribe link. */
static int list_footer(const struct ex *ex, size_t i)
{
	size_t n, j;
	const char *s = norm(ex, i, &n);

	if (!underscores(s, n, 2))
		return 0;
	for (j = i + 1; j < ex->n && j <= i + 4; j++) {
		s = norm(ex, j, &n);
		if (rf_list_footer(s, n))
			return 1;
	}
	return 0;
}

/* The header block of a quoted message (Outlook, Exchange, Apple Mail
 * forwards) in any language of replyforms' table: line i is a header
 * line, and within it and the next five non-blank lines there are
 * header lines of three different kinds (From, Sent/Date, To, Cc,
 * Subject), one of them the date, whichever comes first
 * ("Date:/To:/From:" blocks too).  One
 * "De : ..." line in a sentence is not a block. */
static int header_block(const struct ex *ex, size_t i)
{
	unsigned mask = 0, kinds = 0;
	size_t n, j, seen = 0;
	const char *s = norm(ex, i, &n);
	int cat = rf_header_field(s, n);

	if (ex->l[i].kind != L_TEXT || cat == RF_NONE)
		return 0;
	mask = 1u << cat;
	for (j = i + 1; j < ex->n && j <= i + 10 && seen < 5; j++) {
		if (ex->l[j].kind == L_BLANK)
			continue;
		seen++;
		s = norm(ex, j, &n);
		cat = rf_header_field(s, n);
		if (cat != RF_NONE)
			mask |= 1u << cat;
	}
	if (!(mask & (1u << RF_DATE)))
		return 0; /* a bounce's copy of headers, not a reply's block */
	for (; mask; mask >>= 1)
		kinds += mask & 1;
	return kinds >= 3;
}

static int has_digit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* "<...@" somewhere: an address as clients write it in attributions. */
static int has_address(const char *s, size_t n)
{
	const char *lt = memchr(s, '<', n);

	if (lt == NULL)
		lt = memchr(s, '(', n);
	return lt && memchr(lt, '@', n - (size_t)(lt - s)) != NULL;
}

/* The first line of a wrapped attribution opens like one: an opening
 * word of the table ("On ", "W dniu "), a date within its first twelve
 * bytes (Gmail's date-first forms: "ke 5. kesäk.", "2024年6月5日"), or
 * the sender's address (name-first forms: "Jean <j@x.fr> a⏎écrit :"). */
static int opens_attribution(const char *s, size_t n)
{
	return rf_attribution_start(s, n) || has_digit(s, n < 12 ? n : 12) ||
	       has_address(s, n);
}

/* Lines first .. first+k-1 joined by spaces into ex->tmp, when they are
 * all text still kept; a dashed line ("---- On ... wrote ----", Zoho)
 * loses its dashes and is read as if it ended with a colon. */
static int candidate(struct ex *ex, size_t first, size_t k)
{
	size_t i, n;
	const char *s;
	struct buf *t = &ex->tmp;

	if (first + k > ex->n)
		return 0;
	buf_reset(t);
	for (i = first; i < first + k; i++) {
		if (ex->l[i].kind != L_TEXT || ex->l[i].drop)
			return 0;
		s = norm(ex, i, &n);
		if (i > first)
			buf_addc(t, ' ');
		buf_add(t, s, n);
	}
	if (t->len >= 2 && t->s[0] == '-' && t->s[1] == '-') {
		size_t a = 0, b = t->len;

		while (a < b && (t->s[a] == '-' || t->s[a] == ' '))
			a++;
		while (b > a && (t->s[b - 1] == '-' || t->s[b - 1] == ' '))
			b--;
		memmove(t->s, t->s + a, b - a);
		buf_truncate(t, b - a);
		if (b > a && t->s[b - a - 1] != ':')
			buf_addc(t, ':');
	}
	return 1;
}

/* 1 if the k lines from first are an attribution.  Over two or three
 * lines they must open like an attribution, hold a date or an address,
 * and be a whole paragraph (a blank line or a quote before them) unless
 * they open with the language's opening word ("On ", "Le "), so a
 * sentence above "Jean wrote:" is never taken in. */
static int attribution_at(struct ex *ex, size_t first, size_t k,
			  int need_digit)
{
	size_t n, last = first + k - 1;
	const char *s;

	if (last >= ex->n)
		return 0;
	s = norm(ex, last, &n);
	if (n == 0 || (s[n - 1] != ':' && s[n - 1] != '-' &&
		       !(n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0)))
		return 0; /* not ending like one: no copy, no table */
	if (!candidate(ex, first, k) ||
	    !rf_attribution(ex->tmp.s, ex->tmp.len))
		return 0;
	if (need_digit && !has_digit(ex->tmp.s, ex->tmp.len))
		return 0;
	if (k == 1)
		return 1;
	s = norm(ex, first, &n);
	if (first > 0 && ex->l[first - 1].kind == L_TEXT &&
	    !rf_attribution_start(s, n))
		return 0;
	return opens_attribution(s, n) &&
	       (has_digit(ex->tmp.s, ex->tmp.len) ||
		has_address(ex->tmp.s, ex->tmp.len));
}

/* Yahoo, phones and some webmails quote the message under the
 * attribution without any ">": an attribution (one to three lines) with
 * a date in it, followed by text but by no quote line at all, starts
 * quoted material too.  last_quote and last_text (the last such lines,
 * or -1) keep this linear. */
static int unquoted_attribution(struct ex *ex, size_t i,
				long last_quote, long last_text)
{
	size_t k;

	if ((long)i <= last_quote || (long)i >= last_text)
		return 0;
	for (k = 1; k <= 3; k++)
		if ((long)(i + k - 1) < last_text &&
		    attribution_at(ex, i, k, 1))
			return 1;
	return 0;
}

static void cut_quoted(struct ex *ex)
{
	long last_quote = -1, last_text = -1;
	size_t i, n;

	for (i = 0; i < ex->n; i++) {
		if (ex->l[i].kind == L_QUOTE)
			last_quote = (long)i;
		else if (ex->l[i].kind == L_TEXT)
			last_text = (long)i;
	}
	for (i = 0; i < ex->n; i++) {
		const char *s = norm(ex, i, &n);

		if (ex->l[i].kind != L_TEXT)
			continue;
		if (rf_separator(s, n) || underscores(s, n, 32) ||
		    list_footer(ex, i) || header_block(ex, i) ||
		    unquoted_attribution(ex, i, last_quote, last_text)) {
			ex->n = i;
			return;
		}
	}
}

/* --- rule 2, phones: the signature of a phone or an app ---
 *
 * "Sent from my Wiko", "Von meinem iPhone gesendet"... ends what the
 * sender wrote: whatever follows after a blank line or a quote is the
 * message answered, quoted or not, and goes. */
static void cut_phone(struct ex *ex)
{
	size_t i, n;

	for (i = 0; i < ex->n; i++) {
		const char *s;

		if (ex->l[i].kind != L_TEXT)
			continue;
		s = norm(ex, i, &n);
		if (rf_phone_signature(s, n) &&
		    (i + 1 == ex->n || ex->l[i + 1].kind != L_TEXT)) {
			ex->n = i;
			return;
		}
	}
}

/* --- rule 4: attributions --- */

/* Drops the attribution that ends at line a (the last non-blank line
 * before a quote block), on one line or wrapped over two or three: the
 * longest that reads as one. */
static void drop_attribution(struct ex *ex, size_t a)
{
	size_t k, i;

	for (k = 3; k >= 1; k--) {
		if (a + 1 < k || !attribution_at(ex, a + 1 - k, k, 0))
			continue;
		for (i = a + 1 - k; i <= a; i++)
			ex->l[i].drop = 1;
		return;
	}
}

static void drop_attributions(struct ex *ex)
{
	size_t i, prev = (size_t)-1; /* last non-blank line */

	for (i = 0; i < ex->n; i++) {
		if (ex->l[i].kind == L_BLANK)
			continue;
		if (ex->l[i].kind == L_QUOTE && prev != (size_t)-1 &&
		    ex->l[prev].kind == L_TEXT)
			drop_attribution(ex, prev);
		prev = i;
	}
}

/* --- rule 5: quotes ---
 *
 * The inline-reply rule.  Look at the non-blank lines that are left, in
 * order, as alternating blocks of quote lines and of new text.  If at
 * least two blocks of new text each come right after a quote block, the
 * sender is answering the quoted message point by point: the quotes are
 * the questions, and the reply makes no sense without them.  Then every
 * quote block that is followed by new text stays, as written ("> ..."),
 * and only quote blocks with no new text after them (the rest of the
 * quoted message, usually at the end) are dropped.  In every other case
 * (top-posting, bottom-posting under one quote block, a message of quotes
 * only) every quote line is dropped.  Blank lines do not separate blocks. */
static void drop_quotes(struct ex *ex)
{
	size_t i, answers = 0;
	int prev = L_BLANK; /* kind of the previous non-blank line */

	for (i = 0; i < ex->n; i++) {
		const struct line *l = &ex->l[i];

		if (l->drop || l->kind == L_BLANK)
			continue;
		if (l->kind == L_TEXT && prev == L_QUOTE)
			answers++;
		prev = l->kind;
	}
	if (answers >= 2) {
		/* drop the trailing quote blocks: those with no text after */
		for (i = ex->n; i > 0; i--) {
			struct line *l = &ex->l[i - 1];

			if (l->drop || l->kind == L_BLANK)
				continue;
			if (l->kind == L_TEXT)
				break;
			l->drop = 1;
		}
		return;
	}
	for (i = 0; i < ex->n; i++)
		if (ex->l[i].kind == L_QUOTE)
			ex->l[i].drop = 1;
}

/* --- rule 2, second half: mobile footers --- */

/* The last line still kept, not blank (its index in *i); NULL if none. */
static struct line *last_kept(struct ex *ex, size_t *i)
{
	for (*i = ex->n; *i > 0; (*i)--) {
		struct line *l = &ex->l[*i - 1];

		if (!l->drop && l->kind != L_BLANK) {
			(*i)--;
			return l;
		}
	}
	return NULL;
}

/* A phone signature right under the text (no blank line, no quote
 * after it) goes once the quotes under it are gone. */
static void drop_footer(struct ex *ex)
{
	size_t i, n;
	struct line *l = last_kept(ex, &i);
	const char *s;

	if (l == NULL || l->kind != L_TEXT)
		return;
	s = norm(ex, i, &n);
	if (rf_phone_signature(s, n))
		l->drop = 1;
}

/* --- leftovers --- */

static int rule_line(const char *s, size_t n)
{
	size_t i, marks = 0;

	for (i = 0; i < n; i++) {
		if (strchr("-_=*~", s[i]) && s[i] != '\0')
			marks++;
		else if (s[i] != ' ')
			return 0;
	}
	return marks >= 2;
}

/* 1 if a non-blank line from line i on was cut or dropped. */
static int removed_after(const struct ex *ex, size_t i)
{
	for (; i < ex->all; i++)
		if (ex->l[i].kind != L_BLANK && (i >= ex->n || ex->l[i].drop))
			return 1;
	return 0;
}

/* A lone rule (" -----", "____") that stood above a quote now removed:
 * the last line kept, when something after it went. */
static void drop_leftover_rule(struct ex *ex)
{
	size_t i, n;
	struct line *l = last_kept(ex, &i);
	const char *s;

	if (l == NULL || l->kind != L_TEXT)
		return;
	s = norm(ex, i, &n);
	if (rule_line(s, n) && removed_after(ex, i + 1))
		l->drop = 1;
}

/* A link too long for the line, wrapped by the quoting client without
 * its ">": a text line without spaces that goes on a long quoted link
 * ("> see https://example.org/a/very/long/" then "path/page.html") and
 * is followed by more quote or by nothing, is quote too. */
static int url_tail(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != ' ')
		i--;
	return n >= 60 && (contains(s + i, n - i, "://") ||
			   starts(s + i, n - i, "www."));
}

static void mark_wrapped_links(struct ex *ex)
{
	size_t i, n, pn;

	for (i = 1; i < ex->n; i++) {
		const char *s, *p;
		struct line *l = &ex->l[i];

		if (l->kind != L_TEXT || ex->l[i - 1].kind != L_QUOTE)
			continue;
		s = norm(ex, i, &n);
		p = norm(ex, i - 1, &pn);
		if (memchr(s, ' ', n) || strcspn(s, "/.=?&%#") >= n ||
		    !url_tail(p, pn))
			continue;
		if (i + 1 == ex->n || ex->l[i + 1].kind != L_TEXT)
			l->kind = L_QUOTE;
	}
}

/* --- rule 6: blank lines --- */

static char *join(const struct ex *ex)
{
	struct buf out;
	size_t i;
	int blank = 0;

	buf_init(&out);
	for (i = 0; i < ex->n; i++) {
		const struct line *l = &ex->l[i];

		if (l->drop)
			continue;
		if (l->kind == L_BLANK) {
			blank = out.len > 0;
			continue;
		}
		if (out.len > 0)
			buf_adds(&out, blank ? "\n\n" : "\n");
		blank = 0;
		buf_add(&out, l->s, l->len);
	}
	return buf_detach(&out);
}

char *extract_body(const char *text, size_t len)
{
	struct ex ex;
	char *body;

	split(&ex, text, len);
	buf_init(&ex.tmp);
	ex.all = ex.n;
	mark_wrapped_links(&ex);
	cut_signature(&ex);
	cut_phone(&ex);
	cut_quoted(&ex);
	drop_attributions(&ex);
	drop_quotes(&ex);
	/* A phone footer is dropped when it ends the new text, so after
	 * the quotes under it are gone ("Sent from my iPhone" sits above
	 * the quoted message when replying from a phone). */
	drop_footer(&ex);
	drop_leftover_rule(&ex);
	body = join(&ex);
	free(ex.l);
	buf_free(&ex.norm);
	buf_free(&ex.tmp);
	return body;
}
