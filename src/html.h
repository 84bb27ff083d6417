/* html.h: the rules for everything mailcomments publishes: escaping of
 * HTML and XML text, which link targets may be published, mailto: URIs
 * (RFC 6068), and the masking of mail addresses.  Pure string functions;
 * nothing here can fail (all output goes to a struct buf).
 *
 * Address rule: anything that looks like a mail address (local@domain.tld,
 * the '@' also written "%40" in URLs) is replaced by a mask, except the
 * addresses a keep callback accepts (the renderer keeps the gateway's own
 * public addresses, which the pages publish anyway). */
#ifndef MC_HTML_H
#define MC_HTML_H

#include <stddef.h>
#include <stdint.h>

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

/* 1 if the code point (beyond ASCII) may belong to a word, an address
 * or a bare URL: letters and digits of any script, not spaces,
 * punctuation or symbols (so «\u00a0x@y.fr\u00a0» or a URL followed by
 * a closing guillemet end where a reader expects). */
int html_letter(uint32_t cp);

/* Called for each address found; returns 1 to publish it as it is. */
typedef int (*html_keep_fn)(const char *addr, void *arg);

/* Finds the first address in s[0..n) at or after from.  Returns 1 and
 * sets *start and *len, or 0.  "%40" counts as '@' when pct is set. */
int html_find_address(const char *s, size_t n, size_t from, int pct,
		      size_t *start, size_t *len);

/* Appends s[0..n) with every address replaced by mask (keep may be NULL).
 * Returns the number of addresses masked. */
size_t html_mask_addresses(struct buf *out, const char *s, size_t n,
			   const char *mask, html_keep_fn keep, void *arg);

/* 1 if s[0..n) holds an address that keep does not accept; "%40" counts
 * as '@' (for URLs). */
int html_has_address(const char *s, size_t n, html_keep_fn keep, void *arg);

#endif
