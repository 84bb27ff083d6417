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

#include "conf.h"
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

/* Appends body as text (JSON's "text", the mails that quote a comment):
 * as written (html_clean()ed), every address masked, and showing no
 * more than markup_body() does: in CommonMark, if the masked text read
 * as CommonMark would still show an address (written with an entity or
 * an escape, split by markup, in a link's target), the text is instead
 * the masked tree written back as CommonMark by cmark, refused links
 * reduced to their text. */
void markup_text(struct buf *out, const char *body,
		 const struct markup_opts *o);

/* The renderer's version.  Bump it with ANY change to what markup_body()
 * or markup_text() write for some input (markup.c, and the escaping and
 * masking rules of html.c they use): bodies rendered before are stored
 * with the key below (render.c), and only a new key renders them again.
 * test_markup's digest of a corpus fails until it is bumped. */
#define MARKUP_VERSION 1

/* Writes into key the cache key of the output under configuration c in
 * language lang (a tag, lang.h: the mask's words):
 * MARKUP_VERSION and a digest of every setting the output depends on
 * (render.format, the language for the mask, and the gateway's own
 * addresses that mailto: links may keep: address.mailbox and
 * address.separator), and the versions of cmark and libunistring.  Two configurations with the same key render
 * every body to the same bytes. */
#define MARKUP_KEY_LEN 24
void markup_cache_key(const struct conf *c, const char *lang,
		      char key[MARKUP_KEY_LEN]);

/* 1 if html could have been written by markup_body(): only the tags it
 * writes, in the forms it writes them, and links only to http:, https:
 * and mailto: with its rel.  A stored rendering is checked with it
 * before it is published: a row that fails (written by hand, or by
 * someone with write access to the database) is rendered again from the
 * body rather than trusted.  Text between tags cannot hold '<'. */
int markup_html_plausible(const char *html);

/* Fills o with the site's rules: render.format, the mask in language
 * lang (a tag, lang.h: an article's), and keep (with the configuration
 * as its argument). */
void markup_opts_conf(struct markup_opts *o, const struct conf *c,
		      const char *lang, html_keep_fn keep);

#endif
