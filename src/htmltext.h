/* htmltext.h: an HTML-only mail made readable as plain text, with libxml2's
 * HTML parser, so the body extraction rules work on it like on any
 * text/plain part.  Quoted parts (blockquote, and the markers Gmail,
 * Outlook, Yahoo and Thunderbird use) become "> " lines. */
#ifndef MC_HTMLTEXT_H
#define MC_HTMLTEXT_H

#include <stddef.h>

#include "util.h"

/* What converting one document may cost; 0 means no limit. */
struct htmltext_limits {
	size_t elements; /* elements in the tree (limits.html_elements) */
	size_t depth;    /* elements open at once (limits.html_depth) */
	size_t size;     /* bytes of text, "> " marks included
			  * (limits.text_size) */
	size_t lines;    /* lines of text (limits.text_lines) */
};

/* Appends the text of the HTML document html[0..len) (UTF-8) to out, LF
 * line endings, one "> " per quote level at the start of quoted lines.
 * Rules: no head/script/style/title content; p, div, h1-h6, table rows,
 * blockquote, pre and hr are paragraphs separated by a blank line, except
 * a div inside another block, which only starts a new line; br ends a
 * line; li is a line "- " (or "1. ", "2. " ... in ol, from its start
 * attribute, read within the range of an int); a link is "text (url)", or
 * the url alone when the text is the url or the url is mailto:text;
 * images are dropped; whitespace collapses; entities are decoded.
 *
 * lim (NULL: none) bounds the work: libxml2 stops building the tree at
 * the element that reaches lim->elements or lim->depth, and the text
 * ends before the line that would pass lim->size or lim->lines.  Returns
 * 0, 1 when a limit cut the text short (out then holds the text up to
 * there), or -1 when libxml2 could not build a document (out is then
 * unchanged).  Time and memory are linear in len and bounded by lim. */
int htmltext_convert(const char *html, size_t len,
		     const struct htmltext_limits *lim, struct buf *out);

#endif
