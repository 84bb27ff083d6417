/* markup.h: a comment's body as HTML that is safe to publish.  The body is
 * CommonMark (parsed by cmark, raw HTML off) or plain text.  cmark only
 * parses: the HTML is written by our own walk of its tree, so that every
 * text, link and address passes through the rules of html.h:
 *
 * - text is escaped; raw HTML (blocks and inline) is shown as text;
 * - links survive only to http:, https: and mailto: targets that carry no
 *   mail address (mailto: to the gateway's own addresses aside), and get
 *   rel="nofollow ugc noopener"; any other link becomes its plain text;
 * - images are never loaded: an image becomes a link to it (same rules)
 *   labelled with its description;
 * - bare http:// and https:// URLs in text become links;
 * - headings become bold paragraphs (a comment does not add to the page's
 *   outline);
 * - every mail address in the text (even one split by emphasis, written
 *   with entities or escapes) is replaced by the mask.
 *
 * Plain text: paragraphs at blank lines, line breaks kept, URLs linked,
 * addresses masked. */
#ifndef MC_MARKUP_H
#define MC_MARKUP_H

#include "html.h"
#include "util.h"

enum markup_format { MARKUP_MARKDOWN, MARKUP_TEXT };

struct markup_opts {
	enum markup_format format;
	const char *mask;  /* replaces each address, e.g. "[address hidden]" */
	html_keep_fn keep; /* addresses published as they are; may be NULL */
	void *keep_arg;
};

/* Appends body (UTF-8; invalid bytes become U+FFFD) rendered as block
 * HTML (p, ul, ol, blockquote, pre) to out.  Cannot fail. */
void markup_body(struct buf *out, const char *body,
		 const struct markup_opts *o);

#endif
