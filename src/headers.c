/* headers.c: header blocks, address lists, message-ids and dates.  Each
 * parser is a single left-to-right pass with a small state; nesting (of
 * comments) is a counter, never a recursion. */
#include <stdlib.h>
#include <string.h>

#include "headers.h"
#include "banned.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* If line[0..n) starts a field, returns the length of its name (the colon
 * follows, possibly after blanks); else 0. */
static size_t field_name(const char *line, size_t n, size_t *colon)
{
	size_t i = 0, j;

	while (i < n && (unsigned char)line[i] > 32 && line[i] != ':' &&
	       line[i] != 127)
		i++;
	if (i == 0)
		return 0;
	j = i;
	while (j < n && is_blank(line[j]))
		j++;
	if (j >= n || line[j] != ':')
		return 0;
	*colon = j;
	return i;
}

/* Where the header block starts when s[pos..) opens with blank or
 * whitespace-only lines (a file saved with an empty first line, a
 * relay's stray CRLF): after them if a field follows, as Postfix and
 * Dovecot read such a file; otherwise pos, and the blank line ends an
 * empty header block as before. */
static size_t skip_blank_lines(const char *s, size_t len, size_t pos)
{
	size_t p = pos, colon;

	while (p < len) {
		const char *nl = memchr(s + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - s) : len, i;

		for (i = p; i < end && (is_blank(s[i]) || s[i] == '\r'); i++)
			;
		if (i < end)
			return field_name(s + p, end - p, &colon) ? p : pos;
		if (nl == NULL)
			return pos;
		p = end + 1;
	}
	return pos;
}

size_t hdr_parse_block(const char *s, size_t len, struct hdr_field **fields,
		       size_t *n)
{
	size_t total;

	return hdr_parse_block_max(s, len, SIZE_MAX, SIZE_MAX, fields, n,
				   &total);
}

size_t hdr_parse_block_max(const char *s, size_t len, size_t max_fields,
			   size_t max_size, struct hdr_field **fields,
			   size_t *n, size_t *total)
{
	size_t pos = 0, cap = 0, crlf = 0;
	struct hdr_field *f = NULL, *cur = NULL, spare;

	*fields = NULL;
	*n = 0;
	*total = 0;
	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		const char *nl = memchr(s, '\n', len);

		pos = nl ? (size_t)(nl - s) + 1 : len;
	}
	pos = skip_blank_lines(s, len, pos);
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t next = nl ? (size_t)(nl - s) + 1 : len;
		size_t end = nl ? (size_t)(nl - s) : len, colon, nlen;

		if (end > pos && s[end - 1] == '\r')
			end--;
		if (end == pos) { /* the empty line */
			pos = next;
			break;
		}
		if (is_blank(s[pos]) && cur) {
			/* the line break before this line is not counted */
			crlf += pos - cur->value_end;
			cur->value_end = end;
			cur->length = end - cur->name - crlf;
			pos = next;
			continue;
		}
		nlen = field_name(s + pos, end - pos, &colon);
		if (nlen == 0)
			break; /* not a header: the body starts here */
		(*total)++;
		if (*n > 0 && f[*n - 1].value_end > max_size)
			(*n)--; /* the last one kept ends too far: forget it */
		if (*n >= max_fields || pos >= max_size) {
			cur = &spare; /* measured, not kept */
		} else {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				f = xrealloc(f, cap * sizeof(*f));
				*fields = f;
			}
			cur = &f[(*n)++];
		}
		cur->name = pos;
		cur->name_len = nlen;
		cur->value = pos + colon + 1;
		cur->value_end = end;
		cur->length = end - pos;
		crlf = 0;
		pos = next;
	}
	if (*n > 0 && f[*n - 1].value_end > max_size)
		(*n)--;
	return pos;
}

char *hdr_unfold(const char *s, size_t len)
{
	struct buf b;
	size_t i, run = 0;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] != '\r' && s[i] != '\n')
			continue;
		buf_add(&b, s + run, i - run);
		run = i + 1;
	}
	buf_add(&b, s + run, len - run);
	for (i = 0; i < b.len && is_blank(b.s[i]); i++)
		;
	memmove(b.s, b.s + i, b.len - i + 1);
	b.len -= i;
	while (b.len > 0 && is_blank(b.s[b.len - 1]))
		b.s[--b.len] = '\0';
	return buf_detach(&b);
}

/* --- address lists --- */

enum { A_TEXT, A_QUOTE, A_COMMENT, A_ANGLE, A_LITERAL };

struct item {
	struct buf raw;    /* outside comments and <>, as written */
	struct buf phrase; /* before '<', quotes and escapes removed */
	struct buf angle;  /* inside the first <...> */
	struct buf comment; /* the first comment, "(Name)" of RFC 822 */
	int angles;        /* how many '<' seen */
	int comments;      /* how many comments seen */
};

/* 1 if s is a display name written before a bare address ("=?gb2312?B?
 * ...?= user@host", "\"Name\" user@host"): a quoted string, or words that
 * are all RFC 2047 encoded words.  Other words before a bare address
 * ("bob smith@host") are no name but a broken address. */
static int bare_name(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return 1;
	while (*s) {
		size_t w = 0;

		while (s[w] && !is_blank(s[w]))
			w++;
		if (w < 4 || s[0] != '=' || s[1] != '?' || s[w - 2] != '?' ||
		    s[w - 1] != '=')
			return 0;
		s += w;
		while (is_blank(*s))
			s++;
	}
	return n > 0;
}

static char *trimmed(const char *s, size_t len)
{
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void push_box(struct hdr_mailbox **boxes, size_t *n, char *name,
		     char *addr, int route)
{
	if (*addr == '\0') {
		free(name);
		free(addr);
		return;
	}
	/* grow by powers of two: *n is the count, capacity is implied */
	if ((*n & (*n - 1)) == 0)
		*boxes = xrealloc(*boxes, (*n ? *n * 2 : 1) * sizeof(**boxes));
	(*boxes)[*n].name = name;
	(*boxes)[*n].addr = addr;
	(*boxes)[*n].route = route;
	(*n)++;
}

static void end_item(struct item *it, struct hdr_mailbox **boxes, size_t *n)
{
	char *addr, *name;
	int route = 0;

	if (it->angles) {
		char *a = trimmed(it->angle.s, it->angle.len), *colon;

		/* obsolete source route "<@relay:user@host>" */
		if (a[0] == '@' && (colon = strchr(a, ':')) != NULL) {
			addr = xstrdup(colon + 1);
			free(a);
			route = 1;
		} else {
			addr = a;
		}
		name = trimmed(it->phrase.s, it->phrase.len);
	} else {
		char *r = trimmed(it->raw.s, it->raw.len), *at = strchr(r, '@');

		name = xstrdup("");
		if (at == NULL) {
			addr = xstrdup("");
		} else {
			/* "x y@z w": the word that holds the '@' */
			char *b = at, *e = at;

			while (b > r && !is_blank(b[-1]))
				b--;
			while (*e && !is_blank(*e))
				e++;
			addr = xstrndup(b, (size_t)(e - b));
			*b = '\0';
			if (bare_name(str_trim(r))) {
				free(name);
				name = xstrdup(str_trim(r));
			}
		}
		free(r);
	}
	if (*name == '\0' && it->comment.len > 0) {
		free(name);
		name = trimmed(it->comment.s, it->comment.len);
	}
	push_box(boxes, n, name, addr, route);
	buf_reset(&it->raw);
	buf_reset(&it->phrase);
	buf_reset(&it->angle);
	buf_reset(&it->comment);
	it->angles = 0;
	it->comments = 0;
}

void hdr_parse_addresses(const char *v, struct hdr_mailbox **boxes,
			 size_t *n)
{
	struct item it;
	int state = A_TEXT;
	size_t depth = 0;
	const char *p;

	buf_init(&it.raw);
	buf_init(&it.phrase);
	buf_init(&it.angle);
	buf_init(&it.comment);
	it.angles = 0;
	it.comments = 0;
	for (p = v; *p; p++) {
		char c = *p;

		switch (state) {
		case A_TEXT:
			if (c == '"') {
				state = A_QUOTE;
				buf_addc(&it.raw, c);
			} else if (c == '(') {
				state = A_COMMENT;
				depth = 1;
				it.comments++;
			} else if (c == '<') {
				state = A_ANGLE;
				it.angles++;
			} else if (c == ',' || c == ';') {
				end_item(&it, boxes, n);
			} else if (c == ':' && !it.angles &&
				   memchr(it.raw.s, '@', it.raw.len) == NULL) {
				/* "group: a, b;" (or "mailto:"): drop the name */
				buf_reset(&it.raw);
				buf_reset(&it.phrase);
			} else {
				if (c == '[')
					state = A_LITERAL;
				buf_addc(&it.raw, c);
				if (!it.angles)
					buf_addc(&it.phrase, c);
			}
			break;
		case A_QUOTE:
			if (c == '\\' && p[1]) {
				buf_addc(&it.raw, c);
				c = *++p;
			} else if (c == '"') {
				state = A_TEXT;
				buf_addc(&it.raw, c);
				break;
			}
			buf_addc(&it.raw, c);
			if (!it.angles)
				buf_addc(&it.phrase, c);
			break;
		case A_COMMENT:
			if (c == '\\' && p[1]) {
				c = *++p;
			} else if (c == '(') {
				depth++;
				break; /* nested: its text, not its parens */
			} else if (c == ')') {
				if (--depth == 0)
					state = A_TEXT;
				break;
			}
			if (it.comments == 1)
				buf_addc(&it.comment, c);
			break;
		case A_ANGLE:
			if (c == '>')
				state = A_TEXT;
			else if (it.angles == 1)
				buf_addc(&it.angle, c);
			break;
		case A_LITERAL:
			if (c == ']')
				state = A_TEXT;
			buf_addc(&it.raw, c);
			if (!it.angles)
				buf_addc(&it.phrase, c);
			break;
		}
	}
	end_item(&it, boxes, n);
	buf_free(&it.raw);
	buf_free(&it.phrase);
	buf_free(&it.angle);
	buf_free(&it.comment);
}

void hdr_mailboxes_free(struct hdr_mailbox *boxes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(boxes[i].name);
		free(boxes[i].addr);
	}
	free(boxes);
}

/* --- message-ids --- */

void hdr_parse_msgids(const char *v,
		      void (*add)(void *ctx, const char *id), void *ctx)
{
	struct buf id, rest;
	size_t depth = 0, found = 0;
	int in_angle = 0, in_quote = 0;
	const char *p;

	buf_init(&id);
	buf_init(&rest);
	for (p = v; *p; p++) {
		char c = *p;

		if (depth > 0) {
			if (c == '\\' && p[1])
				p++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			continue;
		}
		if (in_angle) {
			if (c == '>') {
				in_angle = 0;
				if (id.len > 0) {
					add(ctx, id.s);
					found++;
				}
			} else if (c == '<') {
				buf_reset(&id);
			} else if (!is_blank(c)) {
				buf_addc(&id, c);
			}
			continue;
		}
		if (in_quote) {
			if (c == '\\' && p[1])
				p++;
			else if (c == '"')
				in_quote = 0;
			continue;
		}
		if (c == '(') {
			depth = 1;
		} else if (c == '<') {
			in_angle = 1;
			buf_reset(&id);
		} else {
			if (c == '"')
				in_quote = 1;
			buf_addc(&rest, c);
		}
	}
	if (in_angle && id.len > 0) { /* unclosed: take what is there */
		add(ctx, id.s);
		found++;
	}
	if (found == 0) {
		char *t = trimmed(rest.s, rest.len);

		if (*t && strchr(t, '@') && !strchr(t, ' ') && !strchr(t, '\t'))
			add(ctx, t);
		free(t);
	}
	buf_free(&id);
	buf_free(&rest);
}

/* --- dates --- */

struct lexer {
	const char *p;
};

/* Skips blanks, commas and comments. */
static void skip_cfws(struct lexer *lx)
{
	size_t depth = 0;

	for (; *lx->p; lx->p++) {
		char c = *lx->p;

		if (depth > 0) {
			if (c == '\\' && lx->p[1])
				lx->p++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			continue;
		}
		if (c == '(')
			depth = 1;
		else if (!is_blank(c) && c != '\r' && c != '\n')
			break;
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads 1..maxd digits; returns the count read (0 if none). */
static int read_num(struct lexer *lx, int maxd, int *v)
{
	int n = 0;

	*v = 0;
	while (is_digit(*lx->p) && n < maxd) {
		*v = *v * 10 + (*lx->p - '0');
		lx->p++;
		n++;
	}
	if (is_digit(*lx->p))
		return 0; /* too many digits */
	return n;
}

static size_t read_word(struct lexer *lx, char *w, size_t cap)
{
	size_t n = 0;

	while (is_alpha(*lx->p)) {
		if (n + 1 < cap)
			w[n++] = (char)(*lx->p | 0x20);
		lx->p++;
	}
	w[n] = '\0';
	return n;
}

static int month_number(const char *w)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i;

	if (strlen(w) < 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (memcmp(months + 3 * i, w, 3) == 0)
			return i + 1;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
				 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Zone offset in minutes east of UTC; names per RFC 5322 obs-zone, any
 * other name (military letters, "CEST") read as UTC. */
static int read_zone(struct lexer *lx, int *minutes)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = {
		{ "ut", 0 },   { "gmt", 0 },  { "z", 0 },    { "est", -5 },
		{ "edt", -4 }, { "cst", -6 }, { "cdt", -5 }, { "mst", -7 },
		{ "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	char w[16];
	size_t i;

	*minutes = 0;
	skip_cfws(lx);
	if (*lx->p == '+' || *lx->p == '-') {
		int sign = *lx->p == '-' ? -1 : 1, v;

		lx->p++;
		if (read_num(lx, 4, &v) != 4 || v / 100 > 23 || v % 100 > 59)
			return -1;
		*minutes = sign * (v / 100 * 60 + v % 100);
		return 0;
	}
	if (read_word(lx, w, sizeof(w)) == 0)
		return 0; /* no zone: UTC */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w, names[i].name) == 0)
			*minutes = names[i].hours * 60;
	return 0;
}

int hdr_parse_date(const char *v, int64_t *t)
{
	struct lexer lx = { v };
	char w[16];
	int day, mon, year, hh, mm, ss = 0, zone, nd;

	skip_cfws(&lx);
	if (is_alpha(*lx.p)) { /* day of week, any spelling */
		read_word(&lx, w, sizeof(w));
		skip_cfws(&lx);
		if (*lx.p == ',')
			lx.p++;
	}
	skip_cfws(&lx);
	if (read_num(&lx, 2, &day) == 0)
		return -1;
	skip_cfws(&lx);
	if (*lx.p == '-') /* "29-Jul-2024" */
		lx.p++;
	if (read_word(&lx, w, sizeof(w)) == 0 || (mon = month_number(w)) == 0)
		return -1;
	skip_cfws(&lx);
	if (*lx.p == '-')
		lx.p++;
	nd = read_num(&lx, 4, &year);
	if (nd == 0)
		return -1;
	if (nd == 2)
		year += year < 50 ? 2000 : 1900;
	else if (nd == 3)
		year += 1900;
	skip_cfws(&lx);
	if (read_num(&lx, 2, &hh) == 0 || *lx.p != ':')
		return -1;
	lx.p++;
	if (read_num(&lx, 2, &mm) == 0)
		return -1;
	if (*lx.p == ':') {
		lx.p++;
		if (read_num(&lx, 2, &ss) == 0)
			return -1;
	}
	if (read_zone(&lx, &zone) < 0)
		return -1;
	if (year < 1970 || year > 9999 || day < 1 ||
	    day > days_in_month(year, mon) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (ss == 60)
		ss = 59; /* a leap second: the same moment, near enough */
	*t = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 +
	     ss - (int64_t)zone * 60;
	return 0;
}
