/* codec.h: the content transfer encodings, decoded leniently: base64 and
 * quoted-printable for bodies, and the B and Q forms of RFC 2047 encoded
 * words.  Broken input decodes as far as it makes sense and never fails:
 * mail clients send truncated base64 and stray '=' signs.
 *
 * We do not use libetpan's decoders: its quoted-printable decoder turns
 * "=" followed by two non-hex characters into a NUL byte (and eats a soft
 * line break with trailing blanks the same way), and its base64 decoder
 * emits a garbage byte for a lone trailing character. */
#ifndef MC_CODEC_H
#define MC_CODEC_H

#include <stddef.h>

#include "util.h"

/* Appends the bytes that s[0..len) encodes.  Characters outside the
 * alphabet are skipped; '=' ends a quantum (so concatenated encodings
 * decode too); a truncated last quantum yields the whole bytes it holds. */
void codec_base64_decode(const char *s, size_t len, struct buf *out);

/* 1 if s[0..len) holds only base64 characters and '=' (RFC 2047 B words
 * with anything else are malformed and left as written). */
int codec_base64_clean(const char *s, size_t len);

/* Quoted-printable: "=XX" (hex, any case) is a byte, "=" at the end of a
 * line (trailing blanks allowed) is a soft line break, any other "=" is
 * kept.  header != 0 selects the RFC 2047 Q form: '_' is a space and there
 * are no line breaks.  Line endings are kept as they are. */
void codec_qp_decode(const char *s, size_t len, int header, struct buf *out);

#endif
