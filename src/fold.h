/* fold.h: the one folding of text used to match what people type against
 * known words (command words, auto-reply subjects): "Approuvé", "APPROUVE"
 * and "approuve" fold the same, and so do "Zatwierdź" and "zatwierdz".
 * Case folding, compatibility decomposition (NFKD) and removal of
 * combining marks by libunistring, then the letters that have no
 * decomposition but are typed without their mark (ł, ø, đ, æ...).  For
 * comparisons only: the folding is never shown to anyone. */
#ifndef MC_FOLD_H
#define MC_FOLD_H

#include <stddef.h>

#include "util.h"

/* Appends the folding of s[0..n) to out.  Bytes that are not UTF-8 are
 * copied as they are: they match only themselves. */
void fold_buf(struct buf *out, const char *s, size_t n);

/* The folding of s[0..n) into dst[size], NUL-terminated.  Returns its
 * length, or -1 (dst then "") when it does not fit: a word longer than
 * the caller's words cannot be one of them. */
int fold_into(const char *s, size_t n, char *dst, size_t size);

/* A newly allocated folding of the string s (caller frees). */
char *fold_str(const char *s);

/* 1 when the folding of s starts with the folding of prefix. */
int fold_starts(const char *s, const char *prefix);

#endif
