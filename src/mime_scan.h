/* mime_scan.h: the MIME tree libetpan is about to build, measured before
 * it builds it.  libetpan's MIME parser recurses once per level of
 * nesting and rescans each level's content, so a message of 10,000
 * nested multiparts (a few hundred kilobytes) would exhaust the stack,
 * and deep nesting costs time in proportion to depth times size.
 * mime_scan() follows the same rules as libetpan 1.9 (the same header
 * parsers, the same way of finding boundaries) but counts instead of
 * building, and stops as soon as a limit is passed, so its cost is
 * bounded by the limits.  Only a message that passes is handed to
 * mailmime_parse(). */
#ifndef MC_MIME_SCAN_H
#define MC_MIME_SCAN_H

#include <stddef.h>

#include "message.h"

struct mime_scan {
	size_t parts;  /* MIME entities (parts, multiparts, messages) */
	size_t depth;  /* deepest nesting: 0 for a single-part message */
	int too_deep;  /* depth > limits.mime_depth */
	int too_many;  /* parts > limits.mime_parts */
	int header_too_long; /* a part's header field > header_length */
	/* a structure libetpan 1.9.4 would mishandle, such as the boundary
	 * parameter "\"" (a heap overflow in mailmime_extract_boundary) */
	int unsafe;
};

/* Scans msg[0..len), a whole message as mailmime_parse() sees it, and
 * fills *out.  Counting stops at the first limit passed or unsafe
 * structure.  Time: O(len * (limits.mime_depth + 1)); stack: O(depth
 * limit). */
void mime_scan(const char *msg, size_t len, const struct msg_limits *lim,
	       struct mime_scan *out);

/* The boundary libetpan would use for content type ct (a struct
 * mailmime_content *), newly allocated, or NULL if none; *unsafe is set
 * when libetpan 1.9.4 itself must not be asked. */
char *mime_scan_boundary(const void *ct, int *unsafe);

#endif
