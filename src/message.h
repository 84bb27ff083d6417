/* message.h: one received mail as the gateway understands it: decoded
 * headers, the best text body as UTF-8, the new text the sender wrote
 * (quotes and signatures removed), its kind and the reasons for it.
 *
 * msg_parse() never fails on hostile input: a message it cannot use comes
 * back with kind MSG_INVALID and reasons saying why.  It returns -1 only
 * when the input could not be examined at all (err filled).  Time is
 * linear in the input, and memory bounded by the limits: the header
 * (fields, bytes), the MIME structure, and what is read of the text
 * (bytes, lines, HTML elements and depth; a longer text is cut, with
 * the note "text truncated"). */
#ifndef MC_MESSAGE_H
#define MC_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "util.h"

enum msg_kind {
	MSG_COMMENT,   /* a reader's comment (or a reply to a comment) */
	MSG_COMMAND,   /* addressed to a token address (see address.h) */
	MSG_AUTOREPLY, /* RFC 3834 and vacation patterns */
	MSG_BOUNCE,    /* DSN or mailer-daemon */
	MSG_LIST,      /* mailing-list traffic */
	MSG_INVALID,   /* no usable text, or over a limit */
	MSG_REPORT,    /* a feedback report (ARF), a delivery success notice
			* or a read receipt: nothing failed, nobody wrote */
};
/* The last kind: arrays indexed by kind have MSG_KIND_LAST + 1 entries. */
#define MSG_KIND_LAST MSG_REPORT

struct msg_limits {
	size_t message_size;
	size_t mime_depth;
	size_t mime_parts;
	size_t line_length;
	size_t header_length;
	size_t header_fields;
	size_t header_size;
	size_t text_size;
	size_t text_lines;
	size_t html_elements;
	size_t html_depth;
};

/* Of a mail over limits.message_size, the sources and `parse` read only
 * this many first bytes: enough for the header fields that the log line
 * and the processed table use.  The mail is set aside as too large. */
#define MSG_HEAD_SIZE 65536

struct msg_header {
	char *name;  /* as written */
	char *value; /* unfolded, RFC 2047 decoded, UTF-8 */
};

struct message {
	/* Addresses are bare addr-specs ("a@b.org"), "" when absent. */
	char *from_name;    /* decoded display name, "" if none */
	char *from_address;
	struct strlist to;  /* To, Cc, Delivered-To, X-Original-To, in that
			     * order, duplicates (any case) removed */
	char *subject;      /* decoded, "" if none */
	/* Message-IDs without angle brackets, "" / empty list if absent. */
	char *message_id;
	char *in_reply_to;
	struct strlist references;
	int64_t date;       /* Unix time, -1 if absent or unparseable */
	char *return_path;  /* NULL if no Return-Path header; "" for <> */

	struct msg_header *headers; /* every header, in order */
	size_t nheaders;

	char *text;         /* the whole best text body, UTF-8, LF endings */
	int text_from_html; /* the text came from an HTML part */
	char *body;         /* the new text: quotes and signature removed */

	enum msg_kind kind;
	int is_autoreply;
	int is_bounce;
	struct strlist reasons; /* why this kind; also notes such as
				 * "charset iso-8859-1 read as windows-1252" */
	char hash[65];      /* SHA-256 of the raw bytes, hex */
	char *key;          /* see msg_key() */
};

/* Fills lim from the configuration's limits group. */
void msg_limits_from_conf(struct msg_limits *lim, const struct conf *c);

/* Parses raw[0..len).  conf tells which recipient addresses are the
 * gateway's token addresses (kind MSG_COMMAND).  *out is new; release it
 * with msg_free(). */
int msg_parse(const char *raw, size_t len, const struct conf *conf,
	      struct message **out, struct mc_err *err);

/* msg_parse() of the first len bytes of a message of size bytes (size >
 * len when the rest was not read, because the message is over
 * limits.message_size): it is invalid, "message too large", and what
 * raw holds is read for the logs.  Called on the parse worker's thread
 * (parsework.h) while the main thread stores: it, and all it calls, keeps
 * no mutable static state (libxml2 is set up before the thread starts). */
int msg_parse_head(const char *raw, size_t len, size_t size,
		   const struct conf *conf, struct message **out,
		   struct mc_err *err);

void msg_free(struct message *m);

/* First header named name (any case), decoded; NULL if absent. */
const char *msg_header(const struct message *m, const char *name);

/* The identity used to recognise a message again: "<message-id>" in angle
 * brackets, or "sha256:HEX" of the raw bytes when it has none.  Points
 * into m. */
const char *msg_key(const struct message *m);

/* Appends the JSON of `mailcomments parse --json`: from_name,
 * from_address, to, subject, message_id, in_reply_to, references, date
 * (ISO 8601 or null), body, kind, is_autoreply, is_bounce, reasons. */
void msg_to_json(const struct message *m, struct buf *out);

const char *msg_kind_name(enum msg_kind k);

/* Appends reason to m->reasons unless it is there already. */
void msg_add_reason(struct message *m, const char *reason);


#endif
