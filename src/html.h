/* html.h: the rules for everything mailcomments publishes: escaping of
 * HTML and XML text, which link targets may be published, mailto: URIs
 * (RFC 6068), and the masking of mail addresses.  Pure string functions;
 * nothing here can fail (all output goes to a struct buf).
 *
 * Address rule: anything that a reader would read as a mail address is
 * replaced by a mask, except the addresses a keep callback accepts (the
 * renderer keeps the gateway's own public addresses, which the pages
 * publish anyway).  "Read as": local@domain.tld, with a quoted local
 * part or an address literal, in any script; detection reads the text
 * as NFKC maps it with default-ignorable code points dropped (soft
 * hyphens, zero-width characters, full-width or small commercial at,
 * full-width letters and dots, "&#64;" shown as text are all seen
 * through), allows up to three
 * spaces around the '@', and dots written "[.]", "(dot)" or " dot "
 * between labels; in URLs every percent-encoded byte counts ("%40").
 * Spelled-out "at" ("bob at example dot org") counts in display names
 * only: in a comment's text it is the writer's choice.
 *
 * This is the one masking rule of every output (page, fragment, JSON,
 * Atom, the mails that quote a comment to other readers): markup.c
 * applies it to bodies, html_public_name() to names. */
#ifndef MC_HTML_H
#define MC_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "util.h"

/* Appends s[0..n) escaped for HTML text and quoted attribute values, and
 * for XML 1.0: & < > " ' become entities; invalid UTF-8, C0 controls
 * other than tab, LF and CR, DEL, and U+FFFE/U+FFFF become U+FFFD. */
void html_escape_n(struct buf *out, const char *s, size_t n);
void html_escape(struct buf *out, const char *s);

/* Appends s with what html_escape would replace (invalid UTF-8, controls)
 * replaced by U+FFFD, and CR, LF and tab turned into spaces when
 * one_line is set; nothing is escaped.  For names and titles that go into
 * JSON or mail subjects. */
void html_clean(struct buf *out, const char *s, int one_line);

/* 1 if url may be published as a link target: it starts with "http://",
 * "https://" or "mailto:" (any case) and holds no space, control
 * character or backslash (browsers drop tabs and newlines inside URLs,
 * so "java\tscript:" must never reach an href).  Relative URLs are not
 * allowed. */
int html_url_allowed(const char *url);

/* Appends a mailto: URI (RFC 6068) for addr, with ?subject= when subject
 * is not NULL or empty.  The address keeps only RFC 6068 atext that needs
 * no quoting; everything else, and every byte of the subject but the
 * unreserved characters, is percent-encoded as UTF-8.  CR and LF in the
 * subject become spaces.  The result still needs html_escape() inside an
 * attribute. */
void html_mailto(struct buf *out, const char *addr, const char *subject);

/* html_mailto() in its parts, for links that differ in a few words (an
 * article's thousands of reply links): html_mailto(out, addr, subject)
 * appends html_mailto_addr(addr), then "?subject=" and
 * html_mailto_subject(subject) when subject is not empty.  Each maps
 * every code point on its own, so the subject may be encoded in pieces
 * cut between two code points. */
void html_mailto_addr(struct buf *out, const char *addr);
void html_mailto_subject(struct buf *out, const char *subject);

/* 1 if the code point (beyond ASCII) may belong to a word, an address
 * or a bare URL: letters and digits of any script, not spaces,
 * punctuation or symbols (so «\u00a0x@y.fr\u00a0» or a URL followed by
 * a closing guillemet end where a reader expects). */
int html_letter(uint32_t cp);

/* Called for each address found; returns 1 to publish it as it is. */
typedef int (*html_keep_fn)(const char *addr, void *arg);

struct html_span {
	size_t start, len; /* bytes of the text given */
};

/* Finds every address in s[0..n), in order, as spans of s that include
 * any invisible code point inside them.  Returns their number and sets
 * *spans (caller frees; NULL when there is none). */
size_t html_find_addresses(const char *s, size_t n, struct html_span **spans);

/* Appends s[0..n) with every address replaced by mask (keep may be NULL).
 * Returns the number of addresses masked. */
size_t html_mask_addresses(struct buf *out, const char *s, size_t n,
			   const char *mask, html_keep_fn keep, void *arg);

/* 1 if the URL s[0..n) holds an address that keep does not accept, its
 * percent-encoded bytes decoded. */
int html_has_address(const char *s, size_t n, html_keep_fn keep, void *arg);

/* What stands for a hidden address ("[address hidden]") and for a name
 * that is not published ("Anonymous"), in a language of the catalogs. */
const char *html_mask_word(const struct catalog_lang *lang);
const char *html_anonymous_word(const struct catalog_lang *lang);

/* Appends the name under which a comment by (name, address) is
 * published: name cleaned to one line (html_clean), without bidi
 * embedding, override or isolate controls, cut to 80 characters with
 * "…"; or anonymous, when name shows nothing, holds an address (even
 * spelled out, see above: the whole name is hidden, never cut), or is
 * the address or its local part: a local part is never published.
 * address may be NULL. */
void html_public_name(struct buf *out, const char *name,
		      const char *address, const char *anonymous);

#endif
