/* compose.h: building outgoing mail that passes for well-made mail: RFC
 * 5322 headers (user data RFC 2047-encoded, CR/LF removed, folded), one
 * text/plain UTF-8 part in quoted-printable, CRLF line endings. */
#ifndef MC_COMPOSE_H
#define MC_COMPOSE_H

#include "util.h"

struct mail {
	struct buf head;
	struct buf body; /* UTF-8 text, LF line endings */
};

void mail_init(struct mail *m);
void mail_free(struct mail *m);

/* A header whose value is ASCII protocol data (Message-ID, Date,
 * Auto-Submitted); CR and LF are removed, long values folded at spaces. */
void mail_header(struct mail *m, const char *name, const char *value);

/* An unstructured header (Subject) from UTF-8 text: encoded-words where
 * the text is not plain ASCII. */
void mail_header_text(struct mail *m, const char *name, const char *text);

/* An address header: "Display Name" <addr>, the name encoded as needed
 * (name may be NULL or ""). */
void mail_header_addr(struct mail *m, const char *name,
		      const char *display, const char *addr);

/* Appends formatted UTF-8 text to the body. */
void mail_printf(struct mail *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mail_puts(struct mail *m, const char *text);

/* The whole message: headers, MIME headers, quoted-printable body, CRLF.
 * Returns a new string (caller frees) and its length in *len. */
char *mail_finish(struct mail *m, size_t *len);

/* Appends the RFC 2047 encoded form of a UTF-8 text (or the text itself
 * when it is printable ASCII that needs no encoding); CR/LF become spaces.
 * phrase: the result must be a valid RFC 5322 phrase (display names). */
void mail_encode_words(struct buf *out, const char *text, int phrase);

/* Quoted-printable encoding of LF text into CRLF lines of at most 76. */
void mail_qp_encode(struct buf *out, const char *text, size_t len);

/* A new Message-ID "<mailcomments.LOCAL@domain>" (LOCAL is given, or
 * random hex when NULL); caller frees. */
char *mail_message_id(const char *local, const char *domain);

#endif
