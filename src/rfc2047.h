/* rfc2047.h: header text to UTF-8: RFC 2047 encoded words ("=?utf-8?Q?
 * ...?=", B and Q, any charset charset.h can read) decoded, raw 8-bit
 * bytes read as UTF-8 when valid and as windows-1252 otherwise.
 *
 * We do not use libetpan's mailmime_encoded_phrase_parse(): it fails the
 * whole header on one byte its converter refuses (we want U+FFFD and the
 * rest of the text), reads unknown charsets as ISO-8859-1 (the spec wants
 * UTF-8 when valid, else windows-1252), collapses every run of
 * whitespace to one space (the spec keeps it), and truncates decoded
 * text at a NUL byte. */
#ifndef MC_RFC2047_H
#define MC_RFC2047_H

#include <stddef.h>

#include "util.h"

/* Appends the decoded s[0..len) (an unfolded header value) to out.
 * Encoded words are recognised anywhere, also inside quotes and next to
 * other text; whitespace between two encoded words is dropped; adjacent
 * words of one charset are joined before conversion, so a character split
 * across two words survives.  A malformed encoded word (no "?=", unknown
 * encoding letter, whitespace inside, non-base64 B text) is kept as
 * written.  Returns the CHARSET_* flags of the conversions; when label is
 * not NULL and a flag other than CHARSET_REPLACED was raised, *label is
 * set (once) to that word's charset label (caller frees).
 * Linear time. */
unsigned rfc2047_decode(const char *s, size_t len, struct buf *out,
			char **label);

#endif
