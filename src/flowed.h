/* flowed.h: format=flowed text (RFC 3676) unwrapped into its paragraphs,
 * so that quotes and signatures are seen line by line as the sender
 * wrote them, not as the client wrapped them for transport. */
#ifndef MC_FLOWED_H
#define MC_FLOWED_H

#include <stddef.h>

#include "util.h"

/* Appends the unwrapped s[0..len) (UTF-8, LF line endings) to out: a line
 * ending in a space joins the next line of the same quote depth; space
 * stuffing is undone; delsp != 0 (DelSp=yes) deletes the space that marks
 * a flowed line.  "-- " (the signature separator) never flows.  Quoted
 * lines come out as ">" per level, a space, and the text.  Linear. */
void flowed_unwrap(const char *s, size_t len, int delsp, struct buf *out);

#endif
