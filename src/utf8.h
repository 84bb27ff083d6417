/* utf8.h: strict UTF-8 decoding and repair.  Every text that leaves the
 * parser is valid UTF-8; bytes that are not become U+FFFD, never dropped. */
#ifndef MC_UTF8_H
#define MC_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Decodes one code point from s (at most len bytes).  Returns the number of
 * bytes used (1 to 4), or 0 if s does not start with a valid, shortest-form
 * UTF-8 sequence for a scalar value (len 0 also returns 0). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Appends the UTF-8 encoding of cp (U+FFFD for invalid scalar values). */
void utf8_encode(struct buf *out, uint32_t cp);

/* 1 if s[0..len) is entirely valid UTF-8. */
int utf8_valid(const char *s, size_t len);

/* Appends s[0..len) to out with every invalid byte replaced by U+FFFD.
 * Returns the number of replacements. */
size_t utf8_repair(struct buf *out, const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
