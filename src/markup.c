/* markup.c: comment bodies to HTML, and to the text JSON and mails quote.
 * Two passes over cmark's tree: the first masks addresses across the
 * inline nodes of each block (an address can be split by emphasis or
 * escapes), the second writes the HTML.  Both use cmark's iterator, never
 * recursion, so a deeply nested body cannot exhaust the stack. */
#include <cmark.h>
#include <unistring/version.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"
#include "utf8.h"
#include "banned.h"

#define REL "nofollow ugc noopener"

static int url_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && !strchr("<>\"[]`{}|\\^", c);
}

/* Bytes of the URL character at s (ASCII or a letter of any script), 0
 * where a URL stops. */
static size_t url_char_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	if ((unsigned char)s[0] < 0x80)
		return url_char((unsigned char)s[0]) ? 1 : 0;
	k = utf8_decode((const unsigned char *)s, n, &cp);
	return k && html_letter(cp) ? k : 0;
}

/* Length of a bare URL starting at s (which starts with http:// or
 * https://), trailing punctuation left out; 0 if there is no host. */
static size_t bare_url_len(const char *s, size_t n)
{
	size_t i = 0, k, open = 0, close = 0;

	while (i < n && (k = url_char_len(s + i, n - i)) > 0)
		i += k;
	while (i > 0) {
		char c = s[i - 1];

		if (strchr(".,:;!?'*_~", c)) {
			i--;
			continue;
		}
		if (c == ')') {
			for (k = 0, open = close = 0; k < i; k++) {
				open += s[k] == '(';
				close += s[k] == ')';
			}
			if (close > open) {
				i--;
				continue;
			}
		}
		break;
	}
	k = str_casestartswith(s, "https://") ? 8 : 7;
	return i > k ? i : 0;
}

static int link_ok(const char *url, const struct markup_opts *o)
{
	return html_url_allowed(url) &&
	       !html_has_address(url, strlen(url), o->keep, o->keep_arg);
}

static void open_anchor(struct buf *out, const char *url)
{
	buf_adds(out, "<a href=\"");
	html_escape(out, url);
	buf_adds(out, "\" rel=\"" REL "\">");
}

static int starts_url(const char *s, size_t n)
{
	return (n >= 8 && ascii_ncasecmp(s, "https://", 8) == 0) ||
	       (n >= 7 && ascii_ncasecmp(s, "http://", 7) == 0);
}

/* Escaped text with its bare URLs as links. */
static void text_links(struct buf *out, const char *s, size_t n,
		       const struct markup_opts *o)
{
	size_t i = 0, from = 0, len;
	char *url;

	while (i < n) {
		if ((i == 0 || !url_char((unsigned char)s[i - 1]) ||
		     s[i - 1] == '(') &&
		    starts_url(s + i, n - i) &&
		    (len = bare_url_len(s + i, n - i)) > 0) {
			url = xstrndup(s + i, len);
			if (link_ok(url, o)) {
				html_escape_n(out, s + from, i - from);
				open_anchor(out, url);
				html_escape(out, url);
				buf_adds(out, "</a>");
				from = i + len;
			}
			free(url);
			i += len;
			continue;
		}
		i++;
	}
	html_escape_n(out, s + from, n - from);
}

static void masked_escaped(struct buf *out, const char *s,
			   const struct markup_opts *o)
{
	struct buf m;

	buf_init(&m);
	html_mask_addresses(&m, s, strlen(s), o->mask, o->keep, o->keep_arg);
	html_escape_n(out, m.s, m.len);
	buf_free(&m);
}

/* Pass 1: the inline text of one leaf block, joined, searched for
 * addresses; each one found is cut out of the nodes it spans and the mask
 * put in the first of them. */
struct piece {
	cmark_node *node;
	size_t start, end; /* in the joined text */
};

static size_t mask_block(cmark_node *block, const struct markup_opts *o)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	struct piece *pc = NULL;
	size_t npc = 0, i, f, *spans = NULL, nspans = 0, nfound;
	struct html_span *found;
	struct buf all, lit;
	char *a;

	buf_init(&all);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			buf_addc(&all, '\n');
		} else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
			   t == CMARK_NODE_HTML_INLINE) {
			const char *l = cmark_node_get_literal(n);

			pc = xrealloc(pc, (npc + 1) * sizeof(*pc));
			pc[npc].node = n;
			pc[npc].start = all.len;
			buf_adds(&all, l ? l : "");
			pc[npc].end = all.len;
			npc++;
		}
	}
	cmark_iter_free(it);
	nfound = html_find_addresses(all.s, all.len, &found);
	for (f = 0; f < nfound; f++) {
		a = xstrndup(all.s + found[f].start, found[f].len);
		if (!(o->keep && o->keep(a, o->keep_arg))) {
			spans = xrealloc(spans, (nspans + 1) * 2 * sizeof(*spans));
			spans[2 * nspans] = found[f].start;
			spans[2 * nspans + 1] = found[f].start + found[f].len;
			nspans++;
		}
		free(a);
	}
	free(found);
	buf_init(&lit);
	for (i = 0; i < npc && nspans > 0; i++) {
		size_t p = pc[i].start, k;
		int touched = 0;

		buf_reset(&lit);
		for (k = 0; k < nspans; k++) {
			size_t s0 = spans[2 * k], s1 = spans[2 * k + 1];

			if (s1 <= pc[i].start || s0 >= pc[i].end)
				continue;
			touched = 1;
			if (s0 > p)
				buf_add(&lit, all.s + p, s0 - p);
			if (s0 >= pc[i].start)
				buf_adds(&lit, o->mask);
			p = s1 < pc[i].end ? s1 : pc[i].end;
		}
		if (!touched)
			continue;
		buf_add(&lit, all.s + p, pc[i].end - p);
		cmark_node_set_literal(pc[i].node, lit.s);
	}
	buf_free(&lit);
	buf_free(&all);
	free(spans);
	free(pc);
	return nspans;
}

/* Code and raw HTML blocks are shown as text: masked as a whole. */
static size_t mask_literal(cmark_node *n, const struct markup_opts *o)
{
	const char *lit = cmark_node_get_literal(n);
	struct buf m;
	size_t count;

	if (lit == NULL)
		return 0;
	buf_init(&m);
	count = html_mask_addresses(&m, lit, strlen(lit), o->mask, o->keep,
				    o->keep_arg);
	if (count > 0)
		cmark_node_set_literal(n, m.s);
	buf_free(&m);
	return count;
}

/* Masks every address of the tree's text; returns how many there were,
 * plus the links and images whose target holds one (render_markdown()
 * writes those as their text). */
static size_t mask_tree(cmark_node *doc, const struct markup_opts *o)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t count = 0;
	const char *url;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
			count += mask_block(n, o);
		else if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			count += mask_literal(n, o);
		else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
			 (url = cmark_node_get_url(n)) != NULL &&
			 html_has_address(url, strlen(url), o->keep,
					  o->keep_arg))
			count++;
	}
	cmark_iter_free(it);
	return count;
}

/* Replaces each link and image that render_markdown() would not write
 * by its content, as that function shows it. */
static void unlink_refused(cmark_node *doc, const struct markup_opts *o)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **bad = NULL, *n, *c;
	cmark_event_type ev;
	size_t nbad = 0, i;
	const char *url;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t;

		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
		    ((url = cmark_node_get_url(n)) == NULL || !link_ok(url, o))) {
			bad = xrealloc(bad, (nbad + 1) * sizeof(*bad));
			bad[nbad++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = nbad; i-- > 0;) {
		while ((c = cmark_node_first_child(bad[i])) != NULL)
			cmark_node_insert_before(bad[i], c);
		cmark_node_free(bad[i]);
	}
	free(bad);
}

static int tight_paragraph(cmark_node *n)
{
	cmark_node *item = cmark_node_parent(n);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;

	return list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
	       cmark_node_get_list_tight(list);
}

/* A link or image without text shows its target ([](mailto:x)): that
 * target becomes a text node, so that the masking sees it joined to
 * the text around it, as a reader does ("[](mailto:bob)@example.org"
 * reads as an address). */
static void label_empty_links(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **empty = NULL, *t;
	cmark_event_type ev;
	size_t n = 0, i;

	/* collected first: the tree is changed after the walk, not in it */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type k = cmark_node_get_type(node);
		const char *url;

		if (ev != CMARK_EVENT_ENTER ||
		    (k != CMARK_NODE_LINK && k != CMARK_NODE_IMAGE) ||
		    cmark_node_first_child(node) != NULL ||
		    (url = cmark_node_get_url(node)) == NULL || *url == '\0')
			continue;
		empty = xrealloc(empty, (n + 1) * sizeof(*empty));
		empty[n++] = node;
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		t = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(t, cmark_node_get_url(empty[i]));
		cmark_node_append_child(empty[i], t);
	}
	free(empty);
}

/* Pass 2: the HTML.  Anchors never nest: `anchor` is the link or image
 * whose <a> is open, and nothing inside it opens another. */
static void render_markdown(struct buf *out, cmark_node *doc,
			    const struct markup_opts *o)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *anchor = NULL;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const char *lit = cmark_node_get_literal(n), *url;

		if (lit == NULL)
			lit = "";
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			if (!tight_paragraph(n))
				buf_adds(out, enter ? "<p>" : "</p>\n");
			else if (!enter)
				buf_addc(out, '\n');
			break;
		case CMARK_NODE_HEADING:
			buf_adds(out, enter ? "<p><strong>" : "</strong></p>\n");
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			buf_adds(out, enter ? "<blockquote>\n" : "</blockquote>\n");
			break;
		case CMARK_NODE_LIST:
			if (cmark_node_get_list_type(n) == CMARK_BULLET_LIST) {
				buf_adds(out, enter ? "<ul>\n" : "</ul>\n");
			} else if (!enter) {
				buf_adds(out, "</ol>\n");
			} else if (cmark_node_get_list_start(n) != 1) {
				buf_addf(out, "<ol start=\"%d\">\n",
					 cmark_node_get_list_start(n));
			} else {
				buf_adds(out, "<ol>\n");
			}
			break;
		case CMARK_NODE_ITEM:
			buf_adds(out, enter ? "<li>" : "</li>\n");
			break;
		case CMARK_NODE_CODE_BLOCK:
			buf_adds(out, "<pre><code>");
			masked_escaped(out, lit, o);
			buf_adds(out, "</code></pre>\n");
			break;
		case CMARK_NODE_HTML_BLOCK:
			/* Raw HTML is shown for what it is: text. */
			buf_adds(out, "<p>");
			masked_escaped(out, lit, o);
			while (out->len > 0 && out->s[out->len - 1] == '\n')
				buf_truncate(out, out->len - 1);
			buf_adds(out, "</p>\n");
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			buf_adds(out, "<hr>\n");
			break;
		case CMARK_NODE_TEXT:
			if (anchor)
				html_escape(out, lit);
			else
				text_links(out, lit, strlen(lit), o);
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_addc(out, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_adds(out, "<br>\n");
			break;
		case CMARK_NODE_CODE:
			buf_adds(out, "<code>");
			html_escape(out, lit);
			buf_adds(out, "</code>");
			break;
		case CMARK_NODE_HTML_INLINE:
			html_escape(out, lit);
			break;
		case CMARK_NODE_EMPH:
			buf_adds(out, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			buf_adds(out, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			if (!enter) {
				if (anchor == n) {
					buf_adds(out, "</a>");
					anchor = NULL;
				}
				break;
			}
			if (anchor || url == NULL || !link_ok(url, o))
				break;
			anchor = n;
			open_anchor(out, url);
			if (cmark_node_first_child(n) == NULL)
				html_escape(out, url);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static int blank_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Plain text: blank lines separate paragraphs, newlines become <br>. */
static void render_text(struct buf *out, const char *body,
			const struct markup_opts *o)
{
	struct buf m;
	size_t i = 0, eol, len;
	int in_par = 0;

	buf_init(&m);
	html_mask_addresses(&m, body, strlen(body), o->mask, o->keep,
			    o->keep_arg);
	while (i < m.len) {
		const char *nl = memchr(m.s + i, '\n', m.len - i);

		eol = nl ? (size_t)(nl - m.s) : m.len;
		len = eol - i;
		if (len > 0 && m.s[i + len - 1] == '\r')
			len--;
		if (blank_line(m.s + i, len)) {
			if (in_par)
				buf_adds(out, "</p>\n");
			in_par = 0;
		} else {
			buf_adds(out, in_par ? "<br>\n" : "<p>");
			in_par = 1;
			text_links(out, m.s + i, len, o);
		}
		i = eol + 1;
	}
	if (in_par)
		buf_adds(out, "</p>\n");
	buf_free(&m);
}

static cmark_node *parse(const char *s, size_t n)
{
	cmark_node *doc = cmark_parse_document(
		s, n, CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);

	if (doc == NULL)
		abort(); /* cmark fails only when out of memory */
	cmark_consolidate_text_nodes(doc);
	return doc;
}

void markup_body(struct buf *out, const char *body,
		 const struct markup_opts *o)
{
	cmark_node *doc;

	if (o->format == MARKUP_TEXT) {
		render_text(out, body, o);
		return;
	}
	doc = parse(body, strlen(body));
	label_empty_links(doc);
	mask_tree(doc, o);
	render_markdown(out, doc, o);
	cmark_node_free(doc);
}

/* The deepest nesting of block quotes and lists. */
static int nesting(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = 0, max = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(it));

		if (t != CMARK_NODE_BLOCK_QUOTE && t != CMARK_NODE_ITEM)
			continue;
		depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (depth > max)
			max = depth;
	}
	cmark_iter_free(it);
	return max;
}

/* The text of a tree: its literals, a line break for each break, a
 * blank line after each block.  Linear in the tree. */
static void tree_text(struct buf *out, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit = cmark_node_get_literal(n);

		if (ev == CMARK_EVENT_ENTER && lit &&
		    (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		     t == CMARK_NODE_HTML_INLINE ||
		     t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK))
			buf_adds(out, lit);
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_addc(out, '\n');
		else if (ev == CMARK_EVENT_EXIT &&
			 (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING))
			buf_adds(out, "\n\n");
	}
	cmark_iter_free(it);
}

/* 1 if s might show an address once read as CommonMark: only with an
 * '@' (or the two code points NFKC reads as one), an entity or a
 * percent-encoding. */
static int might_hold_address(const char *s)
{
	return strpbrk(s, "@&%") != NULL || strstr(s, "\xef\xbc\xa0") ||
	       strstr(s, "\xef\xb9\xab");
}

void markup_text(struct buf *out, const char *body,
		 const struct markup_opts *o)
{
	struct buf clean, m;
	cmark_node *doc;
	char *cm;

	buf_init(&clean);
	html_clean(&clean, body, 0);
	buf_init(&m);
	html_mask_addresses(&m, clean.s, clean.len, o->mask, o->keep,
			    o->keep_arg);
	if (o->format == MARKUP_TEXT || !might_hold_address(m.s)) {
		buf_add(out, m.s, m.len);
		goto done;
	}
	/* The masked text, read as CommonMark, must show no address: one
	 * written with escapes, entities, or split by markup would still be
	 * there.  Then the text is the masked tree written back by cmark. */
	doc = parse(m.s, m.len);
	if (mask_tree(doc, o) == 0) {
		buf_add(out, m.s, m.len);
		cmark_node_free(doc);
		goto done;
	}
	cmark_node_free(doc);
	doc = parse(clean.s, clean.len);
	mask_tree(doc, o);
	unlink_refused(doc, o);
	/* cmark repeats the quote and list prefixes on each line: a deeply
	 * nested body would grow with depth times lines.  Then the tree's
	 * text alone, without markup. */
	if (nesting(doc) <= 8) {
		cm = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
		buf_adds(out, cm);
		free(cm);
	} else {
		tree_text(out, doc);
	}
	cmark_node_free(doc);
done:
	buf_free(&m);
	buf_free(&clean);
}

void markup_opts_conf(struct markup_opts *o, const struct conf *c,
		      const char *lang, html_keep_fn keep)
{
	o->format = strcmp(c->render_format, "text") == 0 ? MARKUP_TEXT :
							     MARKUP_MARKDOWN;
	o->mask = html_mask_word(catalog_lang(conf_catalog(c), lang));
	o->keep = keep;
	o->keep_arg = (void *)c;
}

void markup_cache_key(const struct conf *c, const char *lang,
		      char key[MARKUP_KEY_LEN])
{
	struct buf b;
	char hex[65];

	/* Each item ends with a NUL: no two lists spell the same bytes.
	 * The libraries that shape the output count too: cmark parses,
	 * libunistring normalises the text addresses are looked for in. */
	buf_init(&b);
	buf_addf(&b, "cmark %s", cmark_version_string());
	buf_addc(&b, '\0');
	buf_addf(&b, "libunistring %d", _libunistring_version);
	buf_addc(&b, '\0');
	buf_adds(&b, c->render_format);
	buf_addc(&b, '\0');
	buf_adds(&b, html_mask_word(catalog_lang(conf_catalog(c), lang)));
	buf_addc(&b, '\0');
	buf_adds(&b, html_anonymous_word(catalog_lang(conf_catalog(c), lang)));
	buf_addc(&b, '\0');
	buf_adds(&b, c->address_mailbox);
	buf_addc(&b, '\0');
	buf_adds(&b, c->address_separator);
	buf_addc(&b, '\0');
	sha256_hex(b.s, b.len, hex);
	buf_free(&b);
	snprintf(key, MARKUP_KEY_LEN, "m%d-%.16s", MARKUP_VERSION, hex);
}

/* 1 for the bytes a link's address may hold in an anchor of ours: not
 * a control, space, '\\', '<', '>', quote or apostrophe (nor NUL: the
 * scan stops at the closing quote or where the string ends). */
static const unsigned char url_byte[256] = {
	['!'] = 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	[0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Length of the anchor opening at s, 0 if it is not one of ours. */
static size_t anchor_len(const char *s)
{
	static const char open[] = "<a href=\"", close[] = "\" rel=\"" REL "\">";
	const char *url = s + sizeof(open) - 1, *p;

	if (strncmp(s, open, sizeof(open) - 1) != 0 ||
	    ((url[0] | 0x20) == 'h' ?
		     ascii_ncasecmp(url, "http://", 7) != 0 &&
			     ascii_ncasecmp(url, "https://", 8) != 0 :
		     ascii_ncasecmp(url, "mailto:", 7) != 0))
		return 0;
	for (p = url; url_byte[(unsigned char)*p]; p++)
		;
	if (*p != '"')
		return 0;
	if (strncmp(p, close, sizeof(close) - 1) != 0)
		return 0;
	return (size_t)(p - s) + sizeof(close) - 1;
}

/* Length of "<ol start=\"N\">" at s, 0 if it is not that. */
static size_t ol_start_len(const char *s)
{
	static const char open[] = "<ol start=\"";
	size_t i = sizeof(open) - 1, d;

	if (strncmp(s, open, i) != 0)
		return 0;
	for (d = 0; s[i + d] >= '0' && s[i + d] <= '9'; d++)
		;
	if (d == 0 || d > 10 || strncmp(s + i + d, "\">", 2) != 0)
		return 0;
	return i + d + 2;
}

/* Length of the tag without attributes at s when it is one markup_body()
 * writes ("<p>", "</em>"...: those below), else 0.  Read for every tag
 * of every stored body at every render: the name is matched by its
 * length, then its bytes, not against a list. */
static size_t plain_tag_len(const char *s)
{
	int closing = s[1] == '/';
	const char *name = s + 1 + closing;
	size_t n;
	int ok;

	for (n = 0; n < 10 && name[n] >= 'a' && name[n] <= 'z'; n++)
		;
	if (name[n] != '>')
		return 0;
	switch (n) {
	case 1: /* <p> </p> </a> */
		ok = name[0] == 'p' || (closing && name[0] == 'a');
		break;
	case 2: /* <em> <li> <ul> <ol>, closed or not; <hr> <br> */
		ok = memcmp(name, "em", 2) == 0 || memcmp(name, "li", 2) == 0 ||
		     memcmp(name, "ul", 2) == 0 || memcmp(name, "ol", 2) == 0 ||
		     (!closing && (memcmp(name, "hr", 2) == 0 ||
				   memcmp(name, "br", 2) == 0));
		break;
	case 3:
		ok = memcmp(name, "pre", 3) == 0;
		break;
	case 4:
		ok = memcmp(name, "code", 4) == 0;
		break;
	case 6:
		ok = memcmp(name, "strong", 6) == 0;
		break;
	case 10:
		ok = memcmp(name, "blockquote", 10) == 0;
		break;
	default:
		ok = 0;
	}
	return ok ? (size_t)(name - s) + n + 1 : 0;
}

int markup_html_plausible(const char *html)
{
	const char *p = html;
	size_t n;

	while ((p = strchr(p, '<')) != NULL) {
		if (p[1] == 'a' && p[2] == ' ')
			n = anchor_len(p);
		else if (p[1] == 'o' && p[2] == 'l' && p[3] == ' ')
			n = ol_start_len(p);
		else
			n = plain_tag_len(p);
		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}
