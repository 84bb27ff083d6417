/* mime.h: the text of a mail, found in its MIME structure.  libetpan's
 * MIME parser (mailmime_parse) builds the tree, after mime_scan() has
 * checked the limits; we walk it, choose the part to read (text/plain
 * anywhere before text/html, no attachments, a forwarded message only
 * when no text comes before it), undo its transfer encoding and charset,
 * unwrap format=flowed, and turn HTML into text; an inline text/plain
 * part with a file name is the text only when there is no other.  The
 * walk also notices delivery status notifications (failures and
 * success notices, from their Action fields), feedback reports and read
 * receipts. */
#ifndef MC_MIME_H
#define MC_MIME_H

#include <stddef.h>

#include "message.h"
#include "mime_scan.h"

/* The top-level MIME header fields, unfolded values, NULL when absent. */
struct mime_top {
	const char *type;
	const char *encoding;
	const char *disposition;
};

/* Reports that say nothing went wrong (see mime_result.report). */
enum mime_report {
	MIME_REPORT_NONE,
	MIME_REPORT_FEEDBACK,    /* ARF (RFC 5965): report-type=feedback-report
				  * or a message/feedback-report part */
	MIME_REPORT_DELIVERED,   /* a DSN (RFC 3464) whose every Action is
				  * delivered, relayed or expanded */
	MIME_REPORT_DISPOSITION, /* a read receipt (MDN, RFC 8098) */
};

struct mime_result {
	int parsed;     /* the limits allowed libetpan to run */
	struct mime_scan scan;
	int dsn;        /* a delivery failure: a delivery-status part (or
			 * multipart/report; report-type=delivery-status)
			 * with an Action other than delivered, relayed or
			 * expanded, or none; or a multipart/report of an
			 * unknown or no report type */
	enum mime_report report; /* a report that is no failure */
	char *text;     /* the chosen part as UTF-8, LF line endings; NULL
			 * when the mail has no text/plain or text/html */
	int from_html;  /* text came from text/html */
	unsigned charset_flags; /* CHARSET_* of the chosen part */
	char *charset;  /* its declared charset label, NULL if none */
	int truncated;  /* the text is the start of a longer one: a limit
			 * (text_size, text_lines, html_elements, html_depth)
			 * cut it at a line break */
};

/* Reads the body raw[body_off..len) of a message whose top-level MIME
 * fields are top, within the limits lim.  Never fails: a structure over
 * the limits is only measured (res->parsed is 0), a part that cannot be
 * read yields no text.  Of the chosen part, no more is decoded than
 * limits.text_size bytes need, and the text is cut at a line break
 * before limits.text_size bytes and limits.text_lines lines (an HTML
 * part also at limits.html_elements elements and limits.html_depth
 * levels).  Memory: the copy of the body libetpan reads (freed before
 * the text is decoded), then a few times text_size.  Release with
 * mime_result_free(). */
void mime_read(const char *raw, size_t len, size_t body_off,
	       const struct mime_top *top, const struct msg_limits *lim,
	       struct mime_result *res);

void mime_result_free(struct mime_result *res);

/* The copy of a message that libetpan is given, made harmless for it:
 * "=?" becomes "=_" (libetpan decodes encoded words inside Content-Type
 * before parsing it, so "=28" could feed its recursive comment parser
 * any depth of parentheses), and in a logical line (a line and its
 * continuation lines) holding more than MIME_PAREN_MAX '(' every '(' and
 * ')' becomes a space (each nested comment is three stack frames in
 * libetpan).  Same length as the input; changed in place. */
#define MIME_PAREN_MAX 64
void mime_defuse(char *s, size_t len);

#endif
