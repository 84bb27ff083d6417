/* mime_scan.h: the MIME tree libetpan is about to build, measured before
 * it builds it.  libetpan's MIME parser recurses once per level of
 * nesting and rescans each level's content, so a message of 10,000
 * nested multiparts (a few hundred kilobytes) would exhaust the stack,
 * and deep nesting costs time in proportion to depth times size.
 * mime_scan() follows the same rules as libetpan 1.9 (the same header
 * parsers, the same way of finding boundaries) but only down to the
 * limits: it never enters an entity deeper than limits.mime_depth and
 * stops after limits.mime_parts entities, or at a part whose header
 * would take the fields of all headers past limits.header_fields or
 * limits.header_size (libetpan builds a list node per field), so its
 * cost is bounded by the limits.  Only a message within them is handed to mailmime_parse(); for
 * one beyond them, the partial tree of the scan is where the text is
 * looked for. */
#ifndef MC_MIME_SCAN_H
#define MC_MIME_SCAN_H

#include <stddef.h>

#include "message.h"

enum mime_kind { MIME_SINGLE, MIME_MULTIPLE, MIME_MESSAGE };

/* How a part is marked as a file: Content-Disposition: attachment, or
 * only a file name ("name=", "filename=") on a part shown inline. */
enum { MIME_ATTACHED = 1, MIME_NAMED = 2 };

/* One MIME entity, with what choosing and reading the text needs. */
struct mime_node {
	enum mime_kind kind;
	char type[12];     /* "text", "message", "multipart", or "" */
	char *subtype;     /* lowercase */
	/* parameters of the content type, NULL when absent */
	char *charset, *format, *delsp, *report_type;
	int attachment;    /* MIME_ATTACHED, MIME_NAMED or 0 */
	int encoding;      /* MAILMIME_MECHANISM_* */
	/* MIME_SINGLE: the body, as offsets in the scanned buffer; a last
	 * part with no closing delimiter runs to the end of its multipart */
	size_t start, end;
	struct mime_node *child, *next;
};

struct mime_scan {
	size_t parts;  /* MIME entities (parts, multiparts, messages) */
	size_t depth;  /* deepest nesting: 0 for a single-part message */
	int too_deep;  /* depth > limits.mime_depth */
	int too_many;  /* parts > limits.mime_parts */
	int header_too_long; /* a part's header field > header_length */
	/* the headers of the parts (and of the messages inside), taken
	 * together, have more than limits.header_fields fields or more
	 * than limits.header_size bytes: scanning stopped there, before
	 * libetpan was asked to read them */
	int too_many_fields;
	int header_too_large;
	size_t fields, header_bytes; /* counted so far */
	/* a structure libetpan 1.9.4 would mishandle, such as the boundary
	 * parameter "\"" (a heap overflow in mailmime_extract_boundary) */
	int unsafe;
	struct mime_node *root; /* the entities scanned (NULL if unsafe) */
};

/* Scans msg[0..len), a whole message as mailmime_parse() sees it, and
 * fills *out; release out->root with mime_node_free().  Below the depth
 * limit, parts are counted from their delimiter lines only, so that a
 * message 10,000 levels deep is reported as too deep and with too many
 * parts without being parsed.  Time: O(len * (limits.mime_depth + 1));
 * stack: O(limits.mime_depth). */
void mime_scan(const char *msg, size_t len, const struct msg_limits *lim,
	       struct mime_scan *out);

/* A node for an entity of content type ct and MIME fields mf (libetpan's
 * struct mailmime_content * and struct mailmime_fields *, either may be
 * NULL; with no ct the type is message/rfc822 when default_msg, else
 * text/plain). */
struct mime_node *mime_node_new(const void *ct, const void *mf,
				enum mime_kind kind, int default_msg);
void mime_node_free(struct mime_node *n);

/* The boundary libetpan would use for content type ct (a struct
 * mailmime_content *), newly allocated, or NULL if none; *unsafe is set
 * when libetpan 1.9.4 itself must not be asked. */
char *mime_scan_boundary(const void *ct, int *unsafe);

#endif
