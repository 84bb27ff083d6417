/* check.c: the checkers of check.h.  Small, strict, and written from the
 * rules rather than from the renderer: an allow-list HTML lexer with a
 * stack of open elements, a recursive-descent JSON validator, and
 * libxml2 for the Atom feeds.  They only read; nothing here is used by
 * mailcomments itself. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "check.h"

/* ---- shared ---- */

static int refuse(char why[CHECK_WHY], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(char why[CHECK_WHY], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, CHECK_WHY, fmt, ap);
	va_end(ap);
	return -1;
}

static void *cmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

static void *crealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

/* A growable byte string, NUL-terminated. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = crealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

static void sb_cp(struct sbuf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		sb_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, u, 4);
	}
}

/* One UTF-8 sequence at s[0..n) (RFC 3629: shortest form, no surrogate,
 * at most U+10FFFF): its length, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* ---- plain text ---- */

int check_text(const char *s, size_t n, const char *allowed,
	       char why[CHECK_WHY])
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			if (c == 0 || c == 0x7f || strchr(allowed, c) == NULL)
				return refuse(why, "byte %zu: control 0x%02x", i,
					    c);
			i++;
			continue;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (k == 0)
			return refuse(why, "byte %zu: invalid UTF-8 0x%02x", i, c);
		i += k;
	}
	return 0;
}

char *check_clean(const char *s, size_t n, int one_line, size_t *outlen)
{
	struct sbuf b = { NULL, 0, 0 };
	size_t i = 0, k;
	uint32_t cp;

	sb_add(&b, "", 0);
	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		if (one_line && (cp == '\t' || cp == '\n' || cp == '\r'))
			cp = ' ';
		else if ((cp < 0x20 && cp != '\t' && cp != '\n' &&
			  cp != '\r') ||
			 cp == 0x7f || cp == 0xFFFE || cp == 0xFFFF)
			cp = 0xFFFD;
		sb_cp(&b, cp);
		i += k;
	}
	*outlen = b.len;
	return b.s;
}

/* ---- HTML ---- */

enum cat { CAT_BLOCK, CAT_PHRASING, CAT_ITEM, CAT_SECTION };

enum content {
	C_FLOW,     /* blocks, phrasing, text */
	C_BLOCKS,   /* blocks, whitespace */
	C_PHRASING, /* phrasing, text */
	C_TEXT,     /* text only */
	C_ITEMS,    /* li, whitespace */
	C_CODE,     /* code, whitespace */
	C_ANY,      /* template markup: any section element, text */
};

struct tagdef {
	const char *name;
	enum cat cat;
	enum content content; /* for void elements: unused */
	int is_void;
	const char *attrs;    /* allowed, each followed by a space */
	const char *required; /* required, likewise */
};

/* What markup_body() may write (markup.c). */
static const struct tagdef body_tags[] = {
	{ "p", CAT_BLOCK, C_PHRASING, 0, "", "" },
	{ "blockquote", CAT_BLOCK, C_BLOCKS, 0, "", "" },
	{ "ul", CAT_BLOCK, C_ITEMS, 0, "", "" },
	{ "ol", CAT_BLOCK, C_ITEMS, 0, "start ", "" },
	{ "li", CAT_ITEM, C_FLOW, 0, "", "" },
	{ "pre", CAT_BLOCK, C_CODE, 0, "", "" },
	{ "hr", CAT_BLOCK, C_TEXT, 1, "", "" },
	{ "strong", CAT_PHRASING, C_PHRASING, 0, "", "" },
	{ "em", CAT_PHRASING, C_PHRASING, 0, "", "" },
	{ "code", CAT_PHRASING, C_TEXT, 0, "", "" },
	{ "br", CAT_PHRASING, C_TEXT, 1, "", "" },
	{ "a", CAT_PHRASING, C_PHRASING, 0, "href rel ", "href rel " },
	{ NULL, 0, 0, 0, NULL, NULL },
};

/* What the built-in templates write (templates/section.html and
 * comment.html); the bodies inside div.mc-body follow body_tags. */
static const struct tagdef section_tags[] = {
	{ "section", CAT_SECTION, C_ANY, 0, "class id lang aria-labelledby ",
	  "" },
	{ "link", CAT_SECTION, C_TEXT, 1, "rel href ", "rel href " },
	{ "h2", CAT_SECTION, C_ANY, 0, "id ", "" },
	{ "div", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "article", CAT_SECTION, C_ANY, 0, "class id ", "" },
	{ "header", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "footer", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "bdi", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "span", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "time", CAT_SECTION, C_ANY, 0, "datetime ", "datetime " },
	{ "p", CAT_SECTION, C_ANY, 0, "class ", "" },
	{ "a", CAT_SECTION, C_ANY, 0, "class href rel type ", "href " },
	/* the address to write to, as text (p.mc-address) */
	{ "code", CAT_SECTION, C_TEXT, 0, "", "" },
	{ NULL, 0, 0, 0, NULL, NULL },
};

static const struct tagdef body_root = { "", CAT_BLOCK, C_BLOCKS, 0, "", "" };
static const struct tagdef section_root = { "", CAT_SECTION, C_ANY, 0, "",
					    "" };
/* <div class="mc-body">: a section element whose content is a body. */
static const struct tagdef body_div = { "div", CAT_SECTION, C_BLOCKS, 0, "",
					"" };

struct open_el {
	const struct tagdef *def;
	int body; /* its children follow body_tags */
	int in_a; /* it or an ancestor is <a> */
};

struct html {
	const char *s;
	size_t n, i;
	enum check_html_mode mode;
	struct open_el *st;
	size_t depth, cap;
	char *why;
};

static int has_word(const char *list, const char *w, size_t wn)
{
	const char *p = list;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t k = sp ? (size_t)(sp - p) : strlen(p);

		if (k == wn && memcmp(p, w, wn) == 0)
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;",
					"&#39;" };

/* Length of the allowed entity at s[0..n), or 0. */
static size_t entity_len(const char *s, size_t n)
{
	size_t k, l;

	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		l = strlen(entities[k]);
		if (n >= l && memcmp(s, entities[k], l) == 0)
			return l;
	}
	return 0;
}

/* One character of text or of an attribute value at h->i: checked and
 * skipped.  *nonws is set when it is not whitespace. */
static int text_char(struct html *h, int *nonws)
{
	const char *s = h->s;
	size_t i = h->i, k;
	unsigned char c = (unsigned char)s[i];
	uint32_t cp;

	if (c == '&') {
		k = entity_len(s + i, h->n - i);
		if (k == 0)
			return refuse(h->why, "byte %zu: '&' that is no allowed "
					    "entity", i);
		h->i += k;
		*nonws = 1;
		return 0;
	}
	if (c == '<' || c == '>')
		return refuse(h->why, "byte %zu: raw '%c'", i, c);
	if (c < 0x20 || c == 0x7f) {
		if (c != '\t' && c != '\n' && c != '\r')
			return refuse(h->why, "byte %zu: control 0x%02x", i, c);
		h->i++;
		return 0;
	}
	k = utf8_seq((const unsigned char *)s + i, h->n - i, &cp);
	if (k == 0)
		return refuse(h->why, "byte %zu: invalid UTF-8", i);
	if (cp == 0xFFFE || cp == 0xFFFF)
		return refuse(h->why, "byte %zu: U+%04X", i, (unsigned)cp);
	if (c != ' ')
		*nonws = 1;
	h->i += k;
	return 0;
}

/* The decoded value of an href (entities of the allowed set only). */
static int url_ok(const char *v, size_t n, int fragment_ok)
{
	static const char *const schemes[] = { "http://", "https://",
					       "mailto:" };
	size_t i, k, l;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c == 0x7f || c == '\\')
			return 0;
	}
	if (fragment_ok && n > 1 && v[0] == '#') {
		for (i = 1; i < n; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') ||
			      (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
				return 0;
		return 1;
	}
	for (k = 0; k < 3; k++) {
		l = strlen(schemes[k]);
		if (n < l)
			continue;
		for (i = 0; i < l; i++) {
			char c = v[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (c != schemes[k][i])
				break;
		}
		if (i == l)
			return 1;
	}
	return 0;
}

/* Characters of the plain attributes (class, id, lang, start, ...). */
static int plain_value(const char *v, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(" -_:+/.", c)))
			return 0;
	}
	return 1;
}

static int attr_value_ok(struct html *h, const struct tagdef *d, int body,
			 const char *name, size_t nn, const char *raw,
			 size_t rn, size_t at)
{
	char *v;
	size_t vn, i;
	int ok;

	if (nn == 4 && memcmp(name, "href", 4) == 0) {
		v = check_unescape(raw, rn, &vn);
		ok = v && url_ok(v, vn, !body);
		free(v);
		if (!ok)
			return refuse(h->why, "byte %zu: href not allowed", at);
		return 0;
	}
	if (nn == 3 && memcmp(name, "rel", 3) == 0) {
		static const char full[] = "nofollow ugc noopener";

		ok = rn == strlen(full) && memcmp(raw, full, rn) == 0;
		if (!body && strcmp(d->name, "link") == 0)
			ok = rn == 10 && memcmp(raw, "stylesheet", 10) == 0;
		else if (!body)
			ok = ok || (rn == 8 && memcmp(raw, "nofollow", 8) == 0);
		if (!ok)
			return refuse(h->why, "byte %zu: rel=\"%.*s\"", at,
				    (int)rn, raw);
		return 0;
	}
	if (nn == 5 && memcmp(name, "start", 5) == 0) {
		i = rn > 0 && raw[0] == '-';
		if (rn == i || rn - i > 10)
			return refuse(h->why, "byte %zu: start=\"%.*s\"", at,
				    (int)rn, raw);
		for (; i < rn; i++)
			if (raw[i] < '0' || raw[i] > '9')
				return refuse(h->why, "byte %zu: start=\"%.*s\"",
					    at, (int)rn, raw);
		return 0;
	}
	if (!plain_value(raw, rn))
		return refuse(h->why, "byte %zu: %.*s=\"%.*s\"", at, (int)nn,
			    name, (int)rn, raw);
	return 0;
}

static const struct tagdef *find_tag(const struct tagdef *t, const char *name,
				     size_t n)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && memcmp(t->name, name, n) == 0)
			return t;
	return NULL;
}

static int content_allows(enum content c, enum cat k)
{
	switch (c) {
	case C_FLOW:
		return k == CAT_BLOCK || k == CAT_PHRASING;
	case C_BLOCKS:
		return k == CAT_BLOCK;
	case C_PHRASING:
		return k == CAT_PHRASING;
	case C_ITEMS:
		return k == CAT_ITEM;
	case C_ANY:
		return k == CAT_SECTION;
	case C_CODE:
	case C_TEXT:
		return 0;
	}
	return 0;
}

static int text_allowed(enum content c)
{
	return c == C_FLOW || c == C_PHRASING || c == C_TEXT || c == C_ANY;
}

static void push(struct html *h, const struct tagdef *d, int body, int in_a)
{
	if (h->depth == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->st = crealloc(h->st, h->cap * sizeof(*h->st));
	}
	h->st[h->depth].def = d;
	h->st[h->depth].body = body;
	h->st[h->depth].in_a = in_a;
	h->depth++;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A tag at h->i ('<'). */
static int tag(struct html *h)
{
	const char *s = h->s;
	size_t start = h->i, i = h->i + 1, nstart, nlen, an, vstart;
	struct open_el *top = &h->st[h->depth - 1];
	const struct tagdef *d;
	const char *seen[8];
	size_t nseen = 0, k;
	int closing = 0, is_body = 0;

	if (i < h->n && s[i] == '/') {
		closing = 1;
		i++;
	}
	nstart = i;
	while (i < h->n && name_char(s[i]))
		i++;
	nlen = i - nstart;
	d = nlen ? find_tag(top->body ? body_tags : section_tags,
			    s + nstart, nlen) :
		   NULL;
	if (closing) {
		if (i >= h->n || s[i] != '>' || h->depth < 2 ||
		    strlen(top->def->name) != nlen ||
		    memcmp(top->def->name, s + nstart, nlen) != 0)
			return refuse(h->why, "byte %zu: closing tag \"%.*s\" "
					    "does not close <%s>", start,
				    (int)nlen, s + nstart, top->def->name);
		h->depth--;
		h->i = i + 1;
		return 0;
	}
	if (d == NULL)
		return refuse(h->why, "byte %zu: '<' starts no allowed tag "
				    "(\"%.*s\")", start, (int)(nlen < 20 ? nlen : 20),
			    s + nstart);
	while (i < h->n && s[i] == ' ') {
		i++;
		an = i;
		while (i < h->n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			i++;
		if (i == an || i + 1 >= h->n || s[i] != '=' || s[i + 1] != '"')
			return refuse(h->why, "byte %zu: attribute not written "
					    "name=\"value\"", an);
		if (!has_word(d->attrs, s + an, i - an))
			return refuse(h->why, "byte %zu: attribute %.*s not "
					    "allowed on <%s>", an,
				    (int)(i - an), s + an, d->name);
		for (k = 0; k < nseen; k++)
			if (strncmp(seen[k], s + an, i - an) == 0 &&
			    seen[k][i - an] == '=')
				return refuse(h->why, "byte %zu: attribute %.*s "
						    "twice", an, (int)(i - an),
					    s + an);
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = s + an;
		i += 2;
		vstart = i;
		h->i = i;
		while (h->i < h->n && s[h->i] != '"') {
			int dummy = 0;

			if (text_char(h, &dummy) < 0)
				return -1;
		}
		if (h->i >= h->n)
			return refuse(h->why, "byte %zu: unterminated value",
				    vstart);
		if (attr_value_ok(h, d, top->body, s + an, (size_t)(vstart - 2 - an),
				  s + vstart, h->i - vstart, an) < 0)
			return -1;
		if (!top->body && strcmp(d->name, "div") == 0 &&
		    h->i - vstart == 7 && memcmp(s + vstart, "mc-body", 7) == 0)
			is_body = 1;
		i = h->i + 1;
	}
	if (i >= h->n || s[i] != '>')
		return refuse(h->why, "byte %zu: tag <%s> not closed by '>'",
			    start, d->name);
	/* every required attribute was given */
	{
		const char *p = d->required;

		while (*p) {
			size_t wl = strcspn(p, " ");
			int found = 0;

			for (k = 0; k < nseen; k++)
				if (strncmp(seen[k], p, wl) == 0 &&
				    seen[k][wl] == '=')
					found = 1;
			if (!found)
				return refuse(h->why, "byte %zu: <%s> without "
						    "%.*s", start, d->name,
					    (int)wl, p);
			p += wl;
			while (*p == ' ')
				p++;
		}
	}
	if (!content_allows(top->def->content, d->cat) &&
	    !(top->def->content == C_CODE && strcmp(d->name, "code") == 0))
		return refuse(h->why, "byte %zu: <%s> inside <%s>", start,
			    d->name, top->def->name[0] ? top->def->name :
							  "(top)");
	if (strcmp(d->name, "a") == 0 && top->in_a)
		return refuse(h->why, "byte %zu: a link inside a link", start);
	h->i = i + 1;
	if (!d->is_void) {
		if (is_body)
			push(h, &body_div, 1, top->in_a);
		else
			push(h, d, top->body,
			     top->in_a || strcmp(d->name, "a") == 0);
	}
	return 0;
}

int check_html(const char *s, size_t n, enum check_html_mode mode,
	       char why[CHECK_WHY])
{
	struct html h;
	int rc = 0, nonws;

	memset(&h, 0, sizeof(h));
	h.s = s;
	h.n = n;
	h.mode = mode;
	h.why = why;
	push(&h, mode == CHECK_BODY ? &body_root : &section_root,
	     mode == CHECK_BODY, 0);
	while (h.i < n && rc == 0) {
		if (s[h.i] == '<') {
			rc = tag(&h);
			continue;
		}
		nonws = 0;
		rc = text_char(&h, &nonws);
		if (rc == 0 && nonws &&
		    !text_allowed(h.st[h.depth - 1].def->content))
			rc = refuse(why, "byte %zu: text inside <%s>", h.i - 1,
				  h.st[h.depth - 1].def->name[0] ?
					  h.st[h.depth - 1].def->name :
					  "(top)");
	}
	if (rc == 0 && h.depth != 1)
		rc = refuse(why, "end: <%s> left open",
			  h.st[h.depth - 1].def->name[0] ?
				  h.st[h.depth - 1].def->name :
				  "div class=\"mc-body\"");
	free(h.st);
	return rc;
}

char *check_unescape(const char *s, size_t n, size_t *outlen)
{
	struct sbuf b = { NULL, 0, 0 };
	size_t i = 0;

	sb_add(&b, "", 0);
	while (i < n) {
		if (s[i] != '&') {
			sb_addc(&b, s[i++]);
			continue;
		}
		if (n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0) {
			sb_addc(&b, '&');
			i += 5;
		} else if (n - i >= 4 && memcmp(s + i, "&lt;", 4) == 0) {
			sb_addc(&b, '<');
			i += 4;
		} else if (n - i >= 4 && memcmp(s + i, "&gt;", 4) == 0) {
			sb_addc(&b, '>');
			i += 4;
		} else if (n - i >= 6 && memcmp(s + i, "&quot;", 6) == 0) {
			sb_addc(&b, '"');
			i += 6;
		} else if (n - i >= 3 && s[i + 1] == '#') {
			uint32_t cp = 0;
			size_t j = i + 2;
			int hex = j < n && (s[j] == 'x' || s[j] == 'X');

			j += hex;
			while (j < n && j - i < 12 && s[j] != ';') {
				char c = s[j];
				int d = c >= '0' && c <= '9' ? c - '0' :
					hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
					hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 :
								      -1;

				if (d < 0)
					break;
				cp = cp * (hex ? 16 : 10) + (uint32_t)d;
				j++;
			}
			if (j >= n || s[j] != ';' || j == i + 2 + hex ||
			    cp > 0x10FFFF) {
				free(b.s);
				return NULL;
			}
			sb_cp(&b, cp);
			i = j + 1;
		} else {
			free(b.s);
			return NULL;
		}
	}
	if (outlen)
		*outlen = b.len;
	return b.s;
}

char *check_html_text(const char *s, size_t n, char **hrefs)
{
	struct sbuf t = { NULL, 0, 0 }, u = { NULL, 0, 0 };
	size_t i = 0, j, k;
	char *d;

	sb_add(&t, "", 0);
	sb_add(&u, "", 0);
	while (i < n) {
		if (s[i] == '<') {
			const char *gt = memchr(s + i, '>', n - i);
			size_t end = gt ? (size_t)(gt - s) : n;

			for (j = i; j + 6 < end; j++)
				if (memcmp(s + j, " href=\"", 7) == 0) {
					j += 7;
					for (k = j; k < end && s[k] != '"'; k++)
						;
					d = check_unescape(s + j, k - j, NULL);
					if (d)
						sb_add(&u, d, strlen(d));
					sb_addc(&u, '\n');
					free(d);
					break;
				}
			i = end + 1;
			continue;
		}
		for (j = i; j < n && s[j] != '<'; j++)
			;
		d = check_unescape(s + i, j - i, &k);
		if (d)
			sb_add(&t, d, k);
		free(d);
		i = j;
	}
	if (hrefs)
		*hrefs = u.s;
	else
		free(u.s);
	return t.s;
}

/* ---- JSON ---- */

struct jp {
	const char *s;
	size_t n, i;
	int depth;
	check_json_fn fn;
	void *arg;
	char *why;
};

static void jws(struct jp *p)
{
	while (p->i < p->n && is_ws(p->s[p->i]))
		p->i++;
}

static int hex4(const char *s, uint32_t *v)
{
	int k;

	*v = 0;
	for (k = 0; k < 4; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 :
					       -1;

		if (d < 0)
			return -1;
		*v = *v * 16 + (uint32_t)d;
	}
	return 0;
}

/* A string at p->i ('"'), decoded into *out. */
static int jstring(struct jp *p, struct sbuf *out)
{
	const char *s = p->s;
	size_t k;
	uint32_t cp, lo;

	p->i++;
	sb_add(out, "", 0);
	for (;;) {
		unsigned char c;

		if (p->i >= p->n)
			return refuse(p->why, "end inside a string");
		c = (unsigned char)s[p->i];
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return refuse(p->why, "byte %zu: raw control 0x%02x in a "
					    "string", p->i, c);
		if (c == '<' || c == '>' || c == '&')
			return refuse(p->why, "byte %zu: raw '%c' (json.h "
					    "escapes it)", p->i, c);
		if (c != '\\') {
			k = utf8_seq((const unsigned char *)s + p->i,
				     p->n - p->i, &cp);
			if (k == 0)
				return refuse(p->why, "byte %zu: invalid UTF-8",
					    p->i);
			if (cp == 0x2028 || cp == 0x2029)
				return refuse(p->why, "byte %zu: raw U+%04X",
					    p->i, (unsigned)cp);
			sb_add(out, s + p->i, k);
			p->i += k;
			continue;
		}
		if (p->i + 1 >= p->n)
			return refuse(p->why, "end inside an escape");
		c = (unsigned char)s[p->i + 1];
		p->i += 2;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			sb_addc(out, (char)c);
			continue;
		case 'b':
			sb_addc(out, '\b');
			continue;
		case 'f':
			sb_addc(out, '\f');
			continue;
		case 'n':
			sb_addc(out, '\n');
			continue;
		case 'r':
			sb_addc(out, '\r');
			continue;
		case 't':
			sb_addc(out, '\t');
			continue;
		case 'u':
			break;
		default:
			return refuse(p->why, "byte %zu: bad escape \\%c",
				    p->i - 2, c);
		}
		if (p->n - p->i < 4 || hex4(s + p->i, &cp) < 0)
			return refuse(p->why, "byte %zu: bad \\u escape", p->i - 2);
		p->i += 4;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return refuse(p->why, "byte %zu: lone low surrogate",
				    p->i - 6);
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (p->n - p->i < 6 || s[p->i] != '\\' ||
			    s[p->i + 1] != 'u' || hex4(s + p->i + 2, &lo) < 0 ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return refuse(p->why, "byte %zu: lone high "
						    "surrogate", p->i - 6);
			p->i += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		sb_cp(out, cp);
	}
}

static int digits(struct jp *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start ? 0 : refuse(p->why, "byte %zu: digit expected",
				       p->i);
}

static int jnumber(struct jp *p)
{
	if (p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (digits(p) < 0)
		return -1;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (digits(p) < 0)
			return -1;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p) < 0)
			return -1;
	}
	return 0;
}

static int jvalue(struct jp *p, const char *key);

static int jobject(struct jp *p)
{
	struct sbuf k = { NULL, 0, 0 };
	char **keys = NULL;
	size_t nkeys = 0, j;
	int rc = -1;

	p->i++;
	jws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		jws(p);
		if (p->i >= p->n || p->s[p->i] != '"') {
			refuse(p->why, "byte %zu: key expected", p->i);
			break;
		}
		k.len = 0;
		if (jstring(p, &k) < 0)
			break;
		for (j = 0; j < nkeys; j++)
			if (strcmp(keys[j], k.s) == 0)
				break;
		if (j < nkeys) {
			refuse(p->why, "byte %zu: key \"%s\" twice", p->i, k.s);
			break;
		}
		keys = crealloc(keys, (nkeys + 1) * sizeof(*keys));
		keys[nkeys] = cmalloc(k.len + 1);
		memcpy(keys[nkeys], k.s, k.len + 1);
		nkeys++;
		jws(p);
		if (p->i >= p->n || p->s[p->i] != ':') {
			refuse(p->why, "byte %zu: ':' expected", p->i);
			break;
		}
		p->i++;
		if (jvalue(p, k.s) < 0)
			break;
		jws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			rc = 0;
		} else {
			refuse(p->why, "byte %zu: ',' or '}' expected", p->i);
		}
		break;
	}
	for (j = 0; j < nkeys; j++)
		free(keys[j]);
	free(keys);
	free(k.s);
	return rc;
}

static int jarray(struct jp *p)
{
	p->i++;
	jws(p);
	if (p->i < p->n && p->s[p->i] == ']') {
		p->i++;
		return 0;
	}
	for (;;) {
		if (jvalue(p, NULL) < 0)
			return -1;
		jws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == ']') {
			p->i++;
			return 0;
		}
		return refuse(p->why, "byte %zu: ',' or ']' expected", p->i);
	}
}

static int jvalue(struct jp *p, const char *key)
{
	static const char *const lits[] = { "true", "false", "null" };
	struct sbuf v = { NULL, 0, 0 };
	size_t k, l;
	int rc;

	jws(p);
	if (p->i >= p->n)
		return refuse(p->why, "end: value expected");
	switch (p->s[p->i]) {
	case '{':
	case '[':
		if (++p->depth > 64)
			return refuse(p->why, "byte %zu: nested too deep", p->i);
		rc = p->s[p->i] == '{' ? jobject(p) : jarray(p);
		p->depth--;
		return rc;
	case '"':
		rc = jstring(p, &v);
		if (rc == 0 && p->fn)
			rc = p->fn(p->arg, key, v.s, v.len, p->why);
		free(v.s);
		return rc;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return jnumber(p);
	}
	for (k = 0; k < 3; k++) {
		l = strlen(lits[k]);
		if (p->n - p->i >= l && memcmp(p->s + p->i, lits[k], l) == 0) {
			p->i += l;
			return 0;
		}
	}
	return refuse(p->why, "byte %zu: value expected", p->i);
}

int check_json(const char *s, size_t n, check_json_fn fn, void *arg,
	       char why[CHECK_WHY])
{
	struct jp p = { s, n, 0, 0, fn, arg, why };

	if (jvalue(&p, NULL) < 0)
		return -1;
	jws(&p);
	if (p.i != n)
		return refuse(why, "byte %zu: text after the value", p.i);
	return 0;
}

/* ---- Atom ---- */

#define ATOM_NS "http://www.w3.org/2005/Atom"

static int is_atom(const xmlNode *e, const char *name)
{
	return e->type == XML_ELEMENT_NODE && e->ns &&
	       xmlStrEqual(e->ns->href, (const xmlChar *)ATOM_NS) &&
	       xmlStrEqual(e->name, (const xmlChar *)name);
}

static const xmlNode *child(const xmlNode *e, const char *name)
{
	const xmlNode *c;

	for (c = e->children; c; c = c->next)
		if (is_atom(c, name))
			return c;
	return NULL;
}

/* "2024-07-29T10:00:00Z" */
static int rfc3339(const char *v)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (strlen(v) != sizeof(pat) - 1)
		return 0;
	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !(v[i] >= '0' && v[i] <= '9') :
				    v[i] != pat[i])
			return 0;
	return 1;
}

static int atom_date(const xmlNode *e, const char *name, char *why)
{
	const xmlNode *d = child(e, name);
	xmlChar *v;
	int ok;

	if (d == NULL)
		return refuse(why, "<%s> without <%s>", (const char *)e->name,
			    name);
	v = xmlNodeGetContent(d);
	ok = v && rfc3339((const char *)v);
	if (!ok)
		refuse(why, "<%s>%s</%s> is no RFC 3339 date", name,
		     v ? (const char *)v : "", name);
	xmlFree(v);
	return ok ? 0 : -1;
}

static int atom_common(const xmlNode *e, char *why)
{
	const xmlNode *a;

	if (child(e, "id") == NULL || child(e, "title") == NULL)
		return refuse(why, "<%s> without id or title",
			    (const char *)e->name);
	if (atom_date(e, "updated", why) < 0)
		return -1;
	a = child(e, "author");
	if (a == NULL || child(a, "name") == NULL)
		return refuse(why, "<%s> without author/name",
			    (const char *)e->name);
	return 0;
}

static int atom_entry(const xmlNode *e, char *why)
{
	const xmlNode *c;
	xmlChar *type, *v;
	char sub[CHECK_WHY];
	int rc;

	if (atom_common(e, why) < 0 || atom_date(e, "published", why) < 0)
		return -1;
	c = child(e, "content");
	if (c == NULL)
		return refuse(why, "<entry> without <content>");
	type = xmlGetProp(c, (const xmlChar *)"type");
	rc = type && xmlStrEqual(type, (const xmlChar *)"html");
	xmlFree(type);
	if (!rc)
		return refuse(why, "<content> not type=\"html\"");
	v = xmlNodeGetContent(c);
	rc = check_html(v ? (const char *)v : "", v ? strlen((char *)v) : 0,
			CHECK_BODY, sub);
	xmlFree(v);
	if (rc < 0)
		return refuse(why, "entry content: %s", sub);
	return 0;
}

int check_atom(const char *s, size_t n, char why[CHECK_WHY])
{
	xmlParserCtxtPtr ctx = xmlNewParserCtxt();
	xmlDocPtr doc;
	const xmlNode *root, *e;
	int rc = 0;

	if (ctx == NULL)
		abort();
	doc = xmlCtxtReadMemory(ctx, s, (int)n, "feed.atom", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (doc == NULL || !ctx->wellFormed) {
		const xmlError *err = xmlCtxtGetLastError(ctx);

		rc = refuse(why, "not well-formed XML: line %d: %s",
			  err ? err->line : 0,
			  err && err->message ? err->message : "?");
		goto done;
	}
	if (doc->intSubset || doc->extSubset) {
		rc = refuse(why, "a DTD");
		goto done;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_atom(root, "feed")) {
		rc = refuse(why, "root is not an Atom <feed>");
		goto done;
	}
	rc = atom_common(root, why);
	for (e = root->children; e && rc == 0; e = e->next)
		if (is_atom(e, "entry"))
			rc = atom_entry(e, why);
done:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctx);
	return rc;
}

/* ---- failing ---- */

void check_fail(const char *what, const char *why, const char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "\n==== check failed: %s: %s\n", what, why);
	for (i = 0; i < n && i < 65536; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || (c >= 0x20 && c != 0x7f && c != '\\'))
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\n==== end of text (%zu bytes)\n", n);
	abort();
}
