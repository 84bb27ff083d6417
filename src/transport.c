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

void transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	t->ops->close(t);
	free(t);
}
