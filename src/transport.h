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
 * endings. */
struct out_msg {
	int64_t id;            /* outbox row: names the Maildir file, so a
				* retried write replaces instead of adding */
	const char *sender;    /* envelope sender */
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

struct transport_ops {
	const char *type;
	int (*open)(struct transport *t, const struct conf *c,
		    struct mc_err *err);
	/* returns TRANSPORT_OK, _TEMPFAIL or _PERMFAIL (err filled) */
	int (*send)(struct transport *t, const struct out_msg *m,
		    struct mc_err *err);
	void (*close)(struct transport *t);
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
void transport_close(struct transport *t);

#endif
