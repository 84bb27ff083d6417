/* transport_smtp.c: SMTP through libcurl.  Not built yet: the SMTP issue
 * replaces this file. */
#include "transport.h"
#include "banned.h"

static int smtp_open(struct transport *t, const struct conf *c,
		     struct mc_err *err)
{
	(void)t;
	(void)c;
	return err_set(err, "the SMTP transport is not available yet");
}

static int smtp_send(struct transport *t, const struct out_msg *m,
		     struct mc_err *err)
{
	(void)t;
	(void)m;
	err_set(err, "the SMTP transport is not available yet");
	return TRANSPORT_TEMPFAIL;
}

static void smtp_close(struct transport *t)
{
	(void)t;
}

const struct transport_ops transport_smtp_ops = {
	"smtp", smtp_open, smtp_send, smtp_close,
};
