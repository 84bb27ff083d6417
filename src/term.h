/* term.h: text that a person reads on a terminal or in a log: whatever a
 * mail wrote (names, subjects, bodies, addresses, Message-IDs, server
 * replies) passes through term_clean() on its way there, so that it can
 * neither drive the terminal (ESC, CSI and OSC sequences: clipboard
 * writes, window titles, erased lines) nor lie about what it shows (a
 * carriage return that overwrites a line, a newline that forges a log
 * line or a table row, bidi overrides that reorder it).  Pure functions
 * that cannot fail. */
#ifndef MC_TERM_H
#define MC_TERM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/* 1 for the code points term_clean() replaces: C0 controls (tab and LF
 * included), DEL, C1 controls U+0080..U+009F (U+009B is CSI, U+009D
 * OSC), the bidi controls U+061C, U+200E, U+200F, U+202A..U+202E and
 * U+2066..U+2069, and U+2028, U+2029 (line and paragraph separators). */
int term_control(uint32_t cp);

enum {
	TERM_LINES = 1 << 0, /* keep LF and tab: a body, a block of headers */
};

/* Appends s[0..n) to out with each such code point, and each byte that
 * is not valid UTF-8, replaced by '?' (what `parse` has always shown).
 * LF and tab stay as they are with TERM_LINES; otherwise the result is
 * one line, fit for a log line or a table cell. */
void term_clean(struct buf *out, const char *s, size_t n, int flags);

/* term_clean() of s (NULL: nothing), written to f. */
void term_put(FILE *f, const char *s, int flags);

#endif
