/* htmltext.c: HTML to text.  libxml2 builds the tree (leniently, never over
 * the network, within the limits); we walk it without recursion, keeping
 * one frame per open element, and write lines that remember their quote
 * depth.  Breaks
 * between blocks are requested, not written: the next text decides
 * whether a line ends and whether a blank line goes before it, so empty
 * elements and nested divs do not pile up blank lines. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "htmltext.h"
#include "replyforms.h"
#include "banned.h"

struct line {
	size_t off, len;
	int depth;
};

struct frame {
	int q;       /* blockquotes around, this one included */
	int region;  /* inside a Gmail/Yahoo quote container */
	int pre;     /* inside <pre>: whitespace is kept */
	int block;   /* break requested when the element ends */
	char list;   /* 'u' for ul, 'o' for ol */
	long long counter; /* next number of an ol: |start| <= INT_MAX, and
			    * one step per element, so never near overflow */
	xmlChar *href; /* a link whose text is being written */
	size_t link_line, link_off;
};

struct conv {
	struct buf text; /* finished lines, back to back */
	struct line *lines;
	size_t nlines, cap;
	struct buf cur;  /* the line being written */
	int cur_depth;
	int pending;     /* 1: new line before the next text, 2: blank line */
	int outlook;     /* past Outlook's reply header: all quoted */
	struct frame *fr;
	size_t nfr, capfr;
	size_t size, max_size, max_lines; /* bytes written, as out gets them */
	int full;        /* a limit was reached: nothing more is written */
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void push_line(struct conv *c, const char *s, size_t len, int depth)
{
	size_t need = len + 2 * (size_t)depth + 1; /* "> " each, and '\n' */

	if (c->full)
		return;
	if (c->nlines >= c->max_lines || need > c->max_size - c->size) {
		c->full = 1;
		return;
	}
	c->size += need;
	if (c->nlines == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->lines = xrealloc(c->lines, c->cap * sizeof(*c->lines));
	}
	c->lines[c->nlines].off = c->text.len;
	c->lines[c->nlines].len = len;
	c->lines[c->nlines].depth = depth;
	c->nlines++;
	buf_add(&c->text, s, len);
}

static void finish_line(struct conv *c)
{
	while (c->cur.len > 0 && c->cur.s[c->cur.len - 1] == ' ')
		c->cur.len--;
	push_line(c, c->cur.s, c->cur.len, c->cur_depth);
	buf_reset(&c->cur);
}

static int depth_now(const struct conv *c)
{
	const struct frame *f = &c->fr[c->nfr - 1];
	int r = f->region || c->outlook;

	return f->q > r ? f->q : r;
}

/* Before text at `depth`: ends the line and adds the blank line that
 * breaks asked for, or that a change of quote depth needs. */
static void resolve(struct conv *c, int depth)
{
	if (c->pending || (c->cur.len > 0 && c->cur_depth != depth)) {
		if (c->cur.len > 0)
			finish_line(c);
		if (c->pending == 2 && c->nlines > 0 &&
		    c->lines[c->nlines - 1].len > 0) {
			int d = c->lines[c->nlines - 1].depth;

			push_line(c, "", 0, d < depth ? d : depth);
		}
		c->pending = 0;
	}
	if (c->cur.len == 0)
		c->cur_depth = depth;
}

static void put(struct conv *c, const char *s, size_t n)
{
	resolve(c, depth_now(c));
	if (c->full || n > c->max_size - c->size - c->cur.len) {
		/* the line cannot be written whole: it is not written */
		c->full = 1;
		return;
	}
	buf_add(&c->cur, s, n);
}

static void put_space(struct conv *c)
{
	if (!c->pending && c->cur.len > 0 && c->cur.s[c->cur.len - 1] != ' ')
		buf_addc(&c->cur, ' ');
}

static void line_break(struct conv *c)
{
	resolve(c, depth_now(c));
	finish_line(c);
}

static void request(struct conv *c, int level)
{
	if (level > c->pending)
		c->pending = level;
}

static void text(struct conv *c, const char *s, size_t n)
{
	size_t i = 0;

	if (c->fr[c->nfr - 1].pre) {
		while (i < n) {
			size_t j = i;

			while (j < n && s[j] != '\n' && s[j] != '\r')
				j++;
			if (j > i)
				put(c, s + i, j - i);
			if (j < n && s[j] == '\n')
				line_break(c);
			i = j + 1;
		}
		return;
	}
	while (i < n) {
		size_t j = i;

		if (is_ws(s[i])) {
			put_space(c);
			while (i < n && is_ws(s[i]))
				i++;
			continue;
		}
		while (j < n && !is_ws(s[j]))
			j++;
		put(c, s + i, j - i);
		i = j;
	}
}

static int has_class(xmlNode *n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	size_t l = strlen(cls);
	const char *p;
	int found = 0;

	if (v == NULL)
		return 0;
	for (p = (const char *)v; *p && !found;) {
		size_t k = 0;

		while (*p && is_ws(*p))
			p++;
		while (p[k] && !is_ws(p[k]))
			k++;
		found = k == l && strncasecmp(p, cls, l) == 0;
		p += k;
	}
	xmlFree(v);
	return found;
}

static int has_id(xmlNode *n, const char *id)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
	int r = v && strcasecmp((const char *)v, id) == 0;

	xmlFree(v);
	return r;
}

static int in_set(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(name, *set) == 0)
			return 1;
	return 0;
}

static const char *const skipped[] = {
	"head", "script", "style", "title", "template", "noscript", "object",
	"iframe", "svg", "math", "img", "select", "textarea", "button",
	"input", "map", "audio", "video", "canvas", NULL,
};

/* Paragraphs: a blank line before and after. */
static const char *const paragraphs[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr",
	"tr", "table", "dl", "address", "figure", "fieldset", "center",
	"form", NULL,
};

/* Blocks that only start a new line. */
static const char *const lines[] = {
	"li", "ul", "ol", "dt", "dd", "section", "article", "header",
	"footer", "nav", "aside", "main", "caption", "details", "summary",
	"figcaption", "legend", NULL,
};

/* Inline wrappers a div may sit in and still be "directly inside" the
 * block around them. */
static const char *const inline_wrappers[] = {
	"span", "font", "b", "i", "u", "em", "strong", "small", "big", "a",
	"sub", "sup", "code", "s", "strike", "tt", "label", "abbr", "mark",
	"o:p", NULL,
};

static int parent_is_block(xmlNode *n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		const char *name = (const char *)n->name;

		if (in_set(name, inline_wrappers))
			continue;
		return strcmp(name, "div") == 0 || strcmp(name, "td") == 0 ||
		       strcmp(name, "th") == 0 || in_set(name, paragraphs) ||
		       in_set(name, lines);
	}
	return 0;
}

static struct frame *push_frame(struct conv *c)
{
	struct frame *f;

	if (c->nfr == c->capfr) {
		c->capfr = c->capfr ? c->capfr * 2 : 64;
		c->fr = xrealloc(c->fr, c->capfr * sizeof(*c->fr));
	}
	f = &c->fr[c->nfr++];
	*f = c->fr[c->nfr - 2]; /* inherit quote, region and pre */
	f->block = 0;
	f->list = 0;
	f->counter = 0;
	f->href = NULL;
	return f;
}

/* The start attribute of an ol, as browsers read it: blanks, a sign and
 * digits, the rest ignored; clamped to the range of an int, 1 when
 * there are no digits. */
static long long list_start(const char *v)
{
	long long n = 0;
	int neg = 0, digits = 0;

	while (is_ws(*v))
		v++;
	if (*v == '-' || *v == '+')
		neg = *v++ == '-';
	for (; *v >= '0' && *v <= '9'; v++, digits++)
		if (n <= INT_MAX)
			n = n * 10 + (*v - '0');
	if (!digits)
		return 1;
	if (n > INT_MAX)
		n = INT_MAX;
	return neg ? -n : n;
}

static void list_item(struct conv *c)
{
	size_t i;
	char num[32];

	for (i = c->nfr - 1; i > 0; i--) {
		struct frame *l = &c->fr[i - 1];

		if (l->list == 'o') {
			snprintf(num, sizeof(num), "%lld. ", l->counter++);
			put(c, num, strlen(num));
			return;
		}
		if (l->list == 'u')
			break;
	}
	put(c, "- ", 2);
}

static void link_start(struct conv *c, struct frame *f, xmlNode *n)
{
	xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	const char *h = (const char *)href;

	if (href == NULL)
		return;
	while (*h && is_ws(*h))
		h++;
	if (*h == '\0' || *h == '#' || strncasecmp(h, "javascript:", 11) == 0) {
		xmlFree(href);
		return;
	}
	f->href = href;
	resolve(c, depth_now(c));
	f->link_line = c->nlines;
	f->link_off = c->cur.len;
}

/* 1 if url is "mailto:" followed by text, %XX escapes decoded
 * (mailto:a%2Bb@x.org is the link of the text a+b@x.org). */
static int mailto_of(const char *url, const char *text, size_t n)
{
	size_t i = 0;

	if (strncasecmp(url, "mailto:", 7) != 0)
		return 0;
	for (url += 7; *url; url++, i++) {
		char ch = *url;

		if (ch == '%' && hex_value(url[1]) >= 0 && hex_value(url[2]) >= 0) {
			ch = (char)(hex_value(url[1]) * 16 + hex_value(url[2]));
			url += 2;
		}
		if (i >= n || text[i] != ch)
			return 0;
	}
	return i == n;
}

static void link_end(struct conv *c, struct frame *f)
{
	char *url = (char *)f->href, *e;
	size_t start = f->link_off, end;
	int space = 0;

	while (*url && is_ws(*url))
		url++;
	e = url + strlen(url);
	while (e > url && is_ws(e[-1]))
		*--e = '\0';
	if (c->nlines != f->link_line || c->cur.len < start) {
		/* the text spans lines: the url goes after it */
		put(c, " (", 2);
		put(c, url, strlen(url));
		put(c, ")", 1);
		goto out;
	}
	end = c->cur.len;
	if (end > start && c->cur.s[end - 1] == ' ') {
		end--;
		space = 1;
	}
	if (start < end && c->cur.s[start] == ' ')
		start++;
	if (end == start ||
	    (end - start == strlen(url) &&
	     memcmp(c->cur.s + start, url, end - start) == 0) ||
	    mailto_of(url, c->cur.s + start, end - start)) {
		buf_truncate(&c->cur, start);
		put(c, url, strlen(url));
	} else {
		buf_truncate(&c->cur, end);
		put(c, " (", 2);
		put(c, url, strlen(url));
		put(c, ")", 1);
	}
	if (space)
		buf_addc(&c->cur, ' ');
out:
	xmlFree(f->href);
	f->href = NULL;
}

/* 1 if the first text after the <hr> n is the header line of a quoted
 * message ("From:", "De :", "Von:"... as replyforms knows them) or an
 * "Original Message" line: Outlook on the web and many webmails put
 * the answered message under a rule.  Looks at 64 nodes at most. */
static int hr_opens_quote(xmlNode *n)
{
	xmlNode *p = n;
	size_t steps;

	for (steps = 0; p && steps < 64; steps++) {
		if (p != n && p->type == XML_ELEMENT_NODE && p->children) {
			p = p->children;
		} else {
			while (p && p->next == NULL) {
				p = p->parent;
				if (p == NULL || p->type != XML_ELEMENT_NODE)
					return 0;
			}
			p = p->next;
		}
		if (p && p->type == XML_TEXT_NODE && p->content) {
			const char *t = (const char *)p->content;
			char head[96];
			size_t k = 0;

			while (*t && is_ws(*t))
				t++;
			if (*t == '\0')
				continue;
			for (; *t && k < sizeof(head); t++) {
				if (t[0] == '\xC2' && t[1] == '\xA0') {
					head[k++] = ' '; /* "De&nbsp;:" */
					t++;
				} else {
					head[k++] = is_ws(*t) ? ' ' : *t;
				}
			}
			return rf_header_field(head, k) != RF_NONE ||
			       rf_separator(head, k);
		}
	}
	return 0;
}

/* Opens element n; returns 0 when its content is not wanted. */
static int enter(struct conv *c, xmlNode *n)
{
	const char *name = (const char *)n->name;
	struct frame *f = push_frame(c);

	if (in_set(name, skipped))
		return 0;
	if (strcmp(name, "div") == 0) {
		if (has_id(n, "divRplyFwdMsg") || has_id(n, "appendonsend") ||
		    has_id(n, "x_divRplyFwdMsg"))
			c->outlook = 1;
		/* the quote containers of Gmail, Yahoo, Proton, Zoho and
		 * Thunderbird's attribution above its blockquote */
		if (has_class(n, "gmail_quote") || has_class(n, "yahoo_quoted") ||
		    has_class(n, "x_gmail_quote") ||
		    has_class(n, "protonmail_quote") ||
		    has_class(n, "zmail_extra") ||
		    has_class(n, "moz-cite-prefix"))
			f->region = 1;
		if (has_class(n, "gmail_attr"))
			f->region = 0;
		f->block = parent_is_block(n) ? 1 : 2;
	} else if (in_set(name, paragraphs)) {
		f->block = 2;
	} else if (in_set(name, lines)) {
		f->block = 1;
	}
	if (strcmp(name, "blockquote") == 0)
		f->q++;
	if (strcmp(name, "hr") == 0 && hr_opens_quote(n))
		c->outlook = 1;
	request(c, f->block);
	if (strcmp(name, "br") == 0) {
		line_break(c);
	} else if (strcmp(name, "pre") == 0) {
		f->pre = 1;
	} else if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0) {
		xmlChar *start = xmlGetProp(n, (const xmlChar *)"start");

		f->list = name[0] == 'o' ? 'o' : 'u';
		f->counter = start ? list_start((const char *)start) : 1;
		xmlFree(start);
	} else if (strcmp(name, "li") == 0) {
		list_item(c);
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		put_space(c);
	} else if (strcmp(name, "a") == 0) {
		link_start(c, f, n);
	}
	return 1;
}

static void leave(struct conv *c)
{
	struct frame *f = &c->fr[c->nfr - 1];

	if (f->href)
		link_end(c, f);
	request(c, f->block);
	c->nfr--;
}

static void walk(struct conv *c, xmlDoc *doc)
{
	xmlNode *n = doc->children;

	while (n && !c->full) {
		if (n->type == XML_ELEMENT_NODE) {
			if (enter(c, n) && n->children) {
				n = n->children;
				continue;
			}
			leave(c);
		} else if (n->type == XML_TEXT_NODE ||
			   n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text(c, (const char *)n->content,
				     strlen((const char *)n->content));
		}
		while (n && n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNode *)doc)
				return;
			leave(c);
		}
		if (n)
			n = n->next;
	}
}

/* --- the copy libxml2 reads ---
 *
 * libxml2 2.9.14 checks each attribute of a start tag against all the
 * ones before it (htmlParseStartTag): a tag of 200,000 attributes, one
 * megabyte, takes minutes.  So libxml2 is given a copy in which no tag
 * has more than ATTRS_MAX attributes.  The copy is tokenized here the
 * way libxml2 tokenizes (its content loop, htmlParseStartTag and
 * htmlParseEndTag): start tags are written again with their first
 * ATTRS_MAX attributes, every value double-quoted; end tags again;
 * comments, processing instructions, doctypes and the content of script
 * and style (never part of the text) go; any other '<' becomes "&lt;"
 * (libxml2 reads it as text too).  Whatever the input, libxml2 then
 * meets only tags this tokenizer wrote, so it can never see more
 * attributes than that, even where the two would read a broken tag
 * differently. */

#define ATTRS_MAX 100
#define NAME_MAX_LEN 100 /* libxml2 cuts names there and reads on */

static int is_blank_ch(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* htmlParseHTMLName: the length of the name at s[0..n), 0 if none. */
static size_t html_name(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !(is_alpha(s[0]) || s[0] == '_' || s[0] == ':' ||
			s[0] == '.'))
		return 0;
	while (i < n && i < NAME_MAX_LEN &&
	       (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') ||
		s[i] == ':' || s[i] == '-' || s[i] == '_' || s[i] == '.'))
		i++;
	return i;
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && is_blank_ch(s[i]))
		i++;
	return i;
}

static int at_tag_end(const char *s, size_t n, size_t i)
{
	return i < n && (s[i] == '>' || (s[i] == '/' && i + 1 < n &&
					 s[i + 1] == '>'));
}

/* A start tag at s[i] ('<' and a letter): writes it to out, returns the
 * index after it; *raw is set for script and style. */
static size_t start_tag(const char *s, size_t n, size_t i, struct buf *out,
			int *raw)
{
	size_t name = i + 1, nlen = html_name(s + name, n - name), attrs = 0;

	buf_addc(out, '<');
	buf_add(out, s + name, nlen);
	*raw = (nlen == 6 && strncasecmp(s + name, "script", 6) == 0) ||
	       (nlen == 5 && strncasecmp(s + name, "style", 5) == 0);
	i = skip_blanks(s, n, name + nlen);
	while (i < n && !at_tag_end(s, n, i)) {
		size_t a = i, alen = html_name(s + i, n - i), v = 0, vlen = 0;
		char q = 0;
		int has_value = 0;

		if (alen == 0) {
			/* not a name: skipped up to a blank or the end */
			while (i < n && !is_blank_ch(s[i]) && !at_tag_end(s, n, i))
				i++;
			i = skip_blanks(s, n, i);
			continue;
		}
		i = skip_blanks(s, n, i + alen);
		if (i < n && s[i] == '=') {
			has_value = 1;
			i = skip_blanks(s, n, i + 1);
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				for (v = i; i < n && s[i] != q; i++)
					;
				vlen = i - v;
				if (i < n)
					i++;
			} else {
				for (v = i; i < n && !is_blank_ch(s[i]) &&
					    s[i] != '>';
				     i++)
					;
				vlen = i - v;
			}
		}
		if (++attrs <= ATTRS_MAX) {
			size_t k;

			buf_addc(out, ' ');
			buf_add(out, s + a, alen);
			if (has_value) {
				buf_adds(out, "=\"");
				for (k = v; k < v + vlen; k++)
					if (s[k] == '"')
						buf_adds(out, "&quot;");
					else
						buf_addc(out, s[k]);
				buf_addc(out, '"');
			}
		}
		i = skip_blanks(s, n, i);
	}
	if (i < n && s[i] == '/') {
		buf_adds(out, "/>");
		*raw = 0;
		return i + 2;
	}
	buf_addc(out, '>');
	return i < n ? i + 1 : n;
}

/* The index of the first s[j..j+k) == p at or after i, or n. */
static size_t find(const char *s, size_t n, size_t i, const char *p)
{
	size_t k = strlen(p);

	for (; i + k <= n; i++)
		if (s[i] == p[0] && memcmp(s + i, p, k) == 0)
			return i;
	return n;
}

static void defuse(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t j, k, len;
		int raw;

		if (lt == NULL) {
			buf_add(out, s + i, n - i);
			break;
		}
		buf_add(out, s + i, (size_t)(lt - s) - i);
		i = (size_t)(lt - s);
		if (i + 1 < n && s[i + 1] == '/') {
			/* an end tag: its name, then up to '>' */
			len = html_name(s + i + 2, n - i - 2);
			if (len == 0) {
				i += 2;
				continue;
			}
			buf_adds(out, "</");
			buf_add(out, s + i + 2, len);
			buf_addc(out, '>');
			for (j = i + 2 + len; j < n && s[j] != '>'; j++)
				;
			i = j < n ? j + 1 : n;
		} else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			/* a comment: up to "-->" or "--!>" */
			for (j = i + 4; j + 3 <= n; j++)
				if (s[j] == '-' && s[j + 1] == '-' &&
				    (s[j + 2] == '>' ||
				     (s[j + 2] == '!' && j + 3 < n &&
				      s[j + 3] == '>')))
					break;
			i = j + 3 > n ? n : j + (s[j + 2] == '>' ? 3 : 4);
		} else if (n - i >= 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
			j = find(s, n, i, ">");
			i = j < n ? j + 1 : n;
		} else if (i + 1 < n && s[i + 1] == '?') {
			/* a processing instruction, when a name follows */
			k = i + 2;
			if (k < n && (is_alpha(s[k]) || s[k] == '_' ||
				      s[k] == ':' || (unsigned char)s[k] >= 0x80)) {
				j = find(s, n, k, ">");
				i = j < n ? j + 1 : n;
			} else {
				i = k;
			}
		} else if (i + 1 < n && is_alpha(s[i + 1])) {
			size_t name = i + 1, nlen;

			nlen = html_name(s + name, n - name);
			i = start_tag(s, n, i, out, &raw);
			if (raw) {
				/* script, style: raw text up to "</" and the
				 * name, dropped (never part of the text) */
				for (j = i; j + 2 + nlen <= n; j++)
					if (s[j] == '<' && s[j + 1] == '/' &&
					    strncasecmp(s + j + 2, s + name,
							nlen) == 0)
						break;
				i = j + 2 + nlen <= n ? j : n;
			}
		} else {
			buf_adds(out, "&lt;");
			i++;
		}
	}
}

/* libxml2 builds the whole tree before we see it, about 400 bytes per
 * element: its own start handler is wrapped so that the tree stops
 * growing at the limits.  The element that crosses one is still added
 * (the parser has pushed it already), then the parser stops. */
struct guard {
	startElementSAXFunc start; /* libxml2's tree builder */
	size_t elements, max_elements, max_depth;
	int stopped;
};

static void guarded_start(void *ctx, const xmlChar *name,
			  const xmlChar **atts)
{
	htmlParserCtxtPtr p = ctx;
	struct guard *g = p->_private;

#ifdef MC_FUZZING
	/* the copy never shows libxml2 more than ATTRS_MAX attributes */
	size_t k = 0;

	while (atts && atts[2 * k])
		k++;
	if (k > ATTRS_MAX)
		abort();
#endif
	g->start(ctx, name, atts);
	if (g->stopped)
		return;
	if (++g->elements >= g->max_elements ||
	    (size_t)p->nameNr >= g->max_depth) {
		g->stopped = 1;
		xmlStopParser(p);
	}
}

static size_t or_max(size_t v)
{
	return v ? v : SIZE_MAX;
}

int htmltext_convert(const char *html, size_t len,
		     const struct htmltext_limits *lim, struct buf *out)
{
	struct guard g = { NULL, 0, SIZE_MAX, SIZE_MAX, 0 };
	htmlParserCtxtPtr ctxt;
	struct conv c;
	xmlDoc *doc;
	size_t i;

	if (len > INT_MAX)
		len = INT_MAX;
	if (len == 0)
		return 0;
	ctxt = htmlNewParserCtxt();
	if (ctxt == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	c.max_size = c.max_lines = SIZE_MAX;
	if (lim) {
		g.max_elements = or_max(lim->elements);
		g.max_depth = or_max(lim->depth);
		c.max_size = or_max(lim->size);
		c.max_lines = or_max(lim->lines);
	}
	g.start = ctxt->sax->startElement;
	ctxt->sax->startElement = guarded_start;
	ctxt->_private = &g;
	buf_init(&c.text);
	defuse(html, len, &c.text);
	/* never HTML_PARSE_HUGE: libxml2's own caps on names and text
	 * nodes stay in place */
	doc = c.text.len > INT_MAX ? NULL :
	      htmlCtxtReadMemory(ctxt, c.text.s, (int)c.text.len, NULL,
				 "UTF-8",
				 HTML_PARSE_RECOVER | HTML_PARSE_NONET |
					 HTML_PARSE_NOERROR |
					 HTML_PARSE_NOWARNING);
	htmlFreeParserCtxt(ctxt);
	buf_free(&c.text);
	if (doc == NULL)
		return -1;
	buf_init(&c.text);
	buf_init(&c.cur);
	c.fr = xcalloc(64, sizeof(*c.fr));
	c.capfr = 64;
	c.nfr = 1; /* the document's own frame: nothing quoted */
	walk(&c, doc);
	while (c.nfr > 1) /* only if the walk stopped early */
		leave(&c);
	if (c.cur.len > 0)
		finish_line(&c);
	for (i = 0; i < c.nlines; i++) {
		int d;

		for (d = 0; d < c.lines[i].depth; d++)
			buf_adds(out, "> ");
		buf_add(out, c.text.s + c.lines[i].off, c.lines[i].len);
		buf_addc(out, '\n');
	}
	xmlFreeDoc(doc);
	buf_free(&c.text);
	buf_free(&c.cur);
	free(c.lines);
	free(c.fr);
	return g.stopped || c.full;
}
