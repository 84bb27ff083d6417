/* headers.h: reading RFC 5322 header fields: the header block of a
 * message, unfolding, address lists, message-ids and dates.  Everything
 * here is tolerant (real mail breaks every rule), linear in its input, and
 * free of recursion, so a hostile header cannot exhaust the stack.
 *
 * We parse these ourselves rather than with libetpan's mailimf parsers:
 * those turn "Jean Dupont" (no address) into the address "JeanDupont",
 * stop an address list at an empty element or a ';', keep the quotes of a
 * display name that holds encoded words, recurse once per nested comment
 * (a header of 100,000 '(' overflows the stack), and their date parser
 * reads "UT" as +0001, keeps two-digit years as years 0-99 and accepts
 * 25:00 or 31 February. */
#ifndef MC_HEADERS_H
#define MC_HEADERS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* One field of a header block, as offsets into the block's text. */
struct hdr_field {
	size_t name, name_len;
	size_t value, value_end; /* raw value after the colon, still folded */
	size_t length;           /* the whole field unfolded (no CR, LF) */
};

/* Reads the header block at the start of s[0..len): fields are lines
 * "name: value" and their continuation lines; the block ends at an empty
 * line (the body starts after it), at a line that is neither a field nor a
 * continuation (the body starts at it), or at the end of the input.  A
 * leading mbox "From " line is skipped, and so are blank or
 * whitespace-only lines before the first field.  Fills *fields (caller frees) and
 * *n; returns the offset where the body starts. */
size_t hdr_parse_block(const char *s, size_t len, struct hdr_field **fields,
		       size_t *n);

/* hdr_parse_block() within limits: keeps only the first max_fields
 * fields, and only those that end within max_size bytes of s, so that
 * 10 MB of empty fields cost nothing; every field is still counted in
 * *total and the offset of the body is the same. */
size_t hdr_parse_block_max(const char *s, size_t len, size_t max_fields,
			   size_t max_size, struct hdr_field **fields,
			   size_t *n, size_t *total);

/* s[0..len) with CR and LF removed (the whitespace after them kept) and
 * leading and trailing blanks trimmed.  Caller frees. */
char *hdr_unfold(const char *s, size_t len);

/* One mailbox of an address list: name is the display name with quotes
 * and escapes removed but not yet RFC 2047-decoded ("" if none); addr is
 * the addr-spec as written (never ""). */
struct hdr_mailbox {
	char *name;
	char *addr;
	int route; /* an obsolete source route "<@relay:" was dropped */
};

/* Appends the mailboxes of the address list v (an unfolded value) to
 * *boxes / *n (realloc'd; start with NULL / 0).  Groups are flattened,
 * items without an address skipped.  The name is the phrase before
 * "<addr>"; before a bare address, only a quoted string or RFC 2047
 * encoded words are a name; with no name, the item's first comment
 * ("user@host (Name)") is.  Free with hdr_mailboxes_free(). */
void hdr_parse_addresses(const char *v, struct hdr_mailbox **boxes,
			 size_t *n);
void hdr_mailboxes_free(struct hdr_mailbox *boxes, size_t n);

/* Calls add(ctx, id) for each msg-id of v, in order, without its angle
 * brackets: every "<...>" outside comments, or, when there is none, a
 * lone token that holds an '@'.  id is only valid during the call. */
void hdr_parse_msgids(const char *v,
		      void (*add)(void *ctx, const char *id), void *ctx);

/* Parses an RFC 5322 date, obsolete forms included (no day name,
 * two-digit years, no seconds, zone names, no zone: UTC); trailing text
 * such as "(CEST)" is ignored.  Returns 0 and the Unix time in *t, or -1
 * when v is not a valid date. */
int hdr_parse_date(const char *v, int64_t *t);

#endif
