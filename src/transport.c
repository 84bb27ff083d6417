/* transport.c: picks the transport implementation and forwards to it. */
#include <stdlib.h>
#include <string.h>

#include "transport.h"
#include "banned.h"

int transport_open(struct transport **tp, const struct conf *c,
		   struct mc_err *err)
{
	struct transport *t = xcalloc(1, sizeof(*t));

	*tp = NULL;
	t->ops = strcmp(c->transport_type, "smtp") == 0 ?
			 &transport_smtp_ops : &transport_maildir_ops;
	if (t->ops->open(t, c, err) < 0) {
		free(t);
		return -1;
	}
	*tp = t;
	return 0;
}

int transport_send(struct transport *t, const struct out_msg *m,
		   struct mc_err *err)
{
	return t->ops->send(t, m, err);
}

void transport_send_batch(struct transport *t, const struct out_msg *m,
			  size_t n, int *status, struct mc_err *errs)
{
	size_t i;

	if (t->ops->send_batch) {
		t->ops->send_batch(t, m, n, status, errs);
		return;
	}
	for (i = 0; i < n; i++)
		status[i] = t->ops->send(t, &m[i], &errs[i]);
}

void transport_send_stream(struct transport *t, const struct out_msg *m,
			   size_t n, transport_done_fn *done, void *arg)
{
	size_t i;

	if (t->ops->send_stream) {
		t->ops->send_stream(t, m, n, done, arg);
		return;
	}
	for (i = 0; i < n; i++) {
		struct mc_err err = { 0 };
		int status = t->ops->send(t, &m[i], &err);

		if (done(arg, i, status, &err) < 0)
			return;
	}
}

size_t transport_batch(const struct transport *t)
{
	return t->ops->batch ? t->ops->batch : 1;
}

void transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	t->ops->close(t);
	free(t);
}
