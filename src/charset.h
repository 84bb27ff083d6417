/* charset.h: text in whatever charset a mail declares, turned into UTF-8.
 * Used for body parts and RFC 2047 encoded words.  Nothing is ever dropped
 * silently: a byte that is not valid in its charset (and a NUL byte)
 * becomes U+FFFD, and the caller learns how the text was read through the
 * CHARSET_* flags so it can say so in a message's reasons. */
#ifndef MC_CHARSET_H
#define MC_CHARSET_H

#include <stddef.h>

#include "util.h"

enum {
	/* declared ISO-8859-1 (or an alias) but C1 bytes 0x80-0x9F present:
	 * read as windows-1252, which is what the sender meant */
	CHARSET_LATIN1_AS_1252 = 1 << 0,
	/* a label neither we nor iconv know, bytes valid UTF-8 */
	CHARSET_UNKNOWN_UTF8 = 1 << 1,
	/* a label neither we nor iconv know, bytes read as windows-1252 */
	CHARSET_UNKNOWN_1252 = 1 << 2,
	/* bytes not valid in the charset, or NUL bytes, became U+FFFD */
	CHARSET_REPLACED = 1 << 3,
};

/* Appends s[0..len), written in charset `label`, to out as UTF-8.
 * label NULL or "" means none was declared: the bytes are read as UTF-8
 * when they are valid UTF-8, else as windows-1252, and no flag but
 * CHARSET_REPLACED is returned.  A byte order mark at the start wins over
 * the label (UTF-8, UTF-16 of either order).  UTF-16 and UTF-32 without a
 * mark are read in the byte order their zero bytes show, else
 * big-endian (RFC 2781); in them U+FEFF is dropped wherever it occurs
 * (each encoded word of a header starts with its own).  Returns
 * CHARSET_* flags.  Linear time. */
unsigned charset_to_utf8(const char *label, const char *s, size_t len,
			 struct buf *out);

/* Where to cut s[0..len), written in charset label, so as to read at
 * most max bytes of it: just after the last line break that fits (a
 * byte 0x0A, or the line feed of UTF-16 and UTF-32), or, when none
 * does, at max rounded down to a whole code unit.  Returns len when
 * len <= max.  Byte order marks are read as charset_to_utf8() reads
 * them. */
size_t charset_cut(const char *label, const char *s, size_t len,
		   size_t max);

/* The label as the notes show it: trimmed, unquoted, lowercased, at most
 * 64 bytes.  Caller frees. */
char *charset_label_norm(const char *label);

/* Closes the converters charset_to_utf8() keeps for this thread (a
 * thread that parsed mail calls it before it ends; the main thread's
 * are closed at exit). */
void charset_release(void);

/* The note for one CHARSET_* flag and the declared label, as it appears
 * in a message's reasons ("charset iso-8859-1 read as windows-1252",
 * "unknown charset x-foo read as utf-8", "invalid bytes replaced").
 * Caller frees. */
char *charset_note(unsigned flag, const char *label);

#endif
