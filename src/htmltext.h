/* htmltext.h: an HTML-only mail made readable as plain text, with libxml2's
 * HTML parser, so the body extraction rules work on it like on any
 * text/plain part.  Quoted parts (blockquote, and the markers Gmail,
 * Outlook, Yahoo and Thunderbird use) become "> " lines. */
#ifndef MC_HTMLTEXT_H
#define MC_HTMLTEXT_H

#include <stddef.h>

#include "util.h"

/* Appends the text of the HTML document html[0..len) (UTF-8) to out, LF
 * line endings, one "> " per quote level at the start of quoted lines.
 * Rules: no head/script/style/title content; p, div, h1-h6, table rows,
 * blockquote, pre and hr are paragraphs separated by a blank line, except
 * a div inside another block, which only starts a new line; br ends a
 * line; li is a line "- " (or "1. ", "2. " ... in ol); a link is
 * "text (url)", or the url alone when the text is the url or the url is
 * mailto:text; images are dropped; whitespace collapses; entities are
 * decoded.  Returns 0, or -1 when libxml2 could not build a document (out
 * is then unchanged).  Time is linear in len (libxml2 caps the tree at
 * 256 levels). */
int htmltext_convert(const char *html, size_t len, struct buf *out);

#endif
