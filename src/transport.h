/* transport.h: how outgoing mail leaves.  A small table of functions with
 * two implementations, a local Maildir (transport_maildir.c) and SMTP
 * through libcurl (transport_smtp.c), chosen by transport.type.  The outbox
 * (outbox.c) owns retries; a transport only tries once. */
#ifndef MC_TRANSPORT_H
#define MC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "util.h"

/* One message to send.  data is a complete RFC 5322 message with CRLF line
 * endings (the SMTP transport repairs bare LF or CR and splits lines
 * longer than 998 octets rather than send a message servers refuse). */
struct out_msg {
	int64_t id;            /* outbox row: names the Maildir file, so a
				* retried write replaces instead of adding */
	const char *sender;    /* envelope sender; NULL or "": the
				* configured one (SMTP: smtp.envelope_sender,
				* which wins when set, else address.mailbox) */
	const char *recipient; /* one envelope recipient */
	const char *data;
	size_t len;
};

enum {
	TRANSPORT_OK = 0,
	TRANSPORT_TEMPFAIL = -1, /* try again later */
	TRANSPORT_PERMFAIL = -2, /* the server refused it for good */
};

struct transport;

/* What a stream reports of its message i (transport_send_stream()). */
typedef int transport_done_fn(void *arg, size_t i, int status,
			      const struct mc_err *err);

struct transport_ops {
	const char *type;
	/* Fails (-1) only on a configuration that cannot work: no server,
	 * plain text to a remote host, an unreadable password file
	 * (EX_CONFIG).  The SMTP transport connects at the first send. */
	int (*open)(struct transport *t, const struct conf *c,
		    struct mc_err *err);
	/* returns TRANSPORT_OK, _TEMPFAIL or _PERMFAIL (err filled).
	 * SMTP: _PERMFAIL only for a 5xx reply to MAIL, RCPT or DATA (this
	 * message is refused); an unreachable server, a timeout, a refused
	 * login or an untrusted certificate are _TEMPFAIL: the message
	 * waits in the outbox until the cause is fixed.  After such a
	 * failure of the server (not of one message), later sends on the
	 * same transport fail at once with the same error, so that a flush
	 * does not wait for a dead server once per message. */
	int (*send)(struct transport *t, const struct out_msg *m,
		    struct mc_err *err);
	void (*close)(struct transport *t);
	/* Optional: sends n messages together, setting status[i] and, for
	 * a failure, errs[i].  TRANSPORT_OK means delivered for good (the
	 * Maildir: on disk, its directory entry too), so that the outbox may
	 * mark it sent.  NULL: send() for each. */
	void (*send_batch)(struct transport *t, const struct out_msg *m,
			   size_t n, int *status, struct mc_err *errs);
	/* How many messages the outbox hands to one batch at most, and so
	 * how many it marks sent in one transaction (0: 1).  A killed
	 * process sends again the messages of its unfinished batch. */
	size_t batch;
	/* Optional: sends the n messages in order over one connection,
	 * pipelined across messages where the server allows (RFC 2920:
	 * a message's text and the next one's MAIL, RCPT and DATA in one
	 * write, one round trip a message).  done(arg, i, status, err) is
	 * called with each message's status as soon as it is known, in
	 * order, and no byte of message i + 1's text leaves before done()
	 * for message i returned: a caller that records each message
	 * there has at most one message delivered and not recorded.  done
	 * returning -1 stops the stream (no later message is sent, and
	 * done is not called again).  NULL: send() for each, then done. */
	void (*send_stream)(struct transport *t, const struct out_msg *m,
			    size_t n, transport_done_fn *done, void *arg);
};

struct transport {
	const struct transport_ops *ops;
	void *priv;
};

extern const struct transport_ops transport_maildir_ops;
extern const struct transport_ops transport_smtp_ops;

int transport_open(struct transport **t, const struct conf *c,
		   struct mc_err *err);
int transport_send(struct transport *t, const struct out_msg *m,
		   struct mc_err *err);
/* t->ops->send_batch, or send() for each message in turn. */
void transport_send_batch(struct transport *t, const struct out_msg *m,
			  size_t n, int *status, struct mc_err *errs);
/* t->ops->send_stream, or send() and done() for each message in turn. */
void transport_send_stream(struct transport *t, const struct out_msg *m,
			   size_t n, transport_done_fn *done, void *arg);
/* t->ops->batch, at least 1. */
size_t transport_batch(const struct transport *t);
void transport_close(struct transport *t);

#endif
