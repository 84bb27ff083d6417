/* transport_maildir.c: the embedded default transport: each message is
 * written into a local Maildir (transport.maildir) instead of being sent.
 * The file is named after the outbox row, so a retried write after a crash
 * replaces the earlier copy instead of adding a second one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "banned.h"

struct mdt {
	char *dir;
};

static int mdt_open(struct transport *t, const struct conf *c,
		    struct mc_err *err)
{
	struct mdt *m;
	char *sub;
	const char *subs[] = { "tmp", "new", "cur" };
	size_t i;

	for (i = 0; i < 3; i++) {
		sub = xasprintf("%s/%s", c->transport_maildir, subs[i]);
		if (mkdirs(sub, 0700, err) < 0) {
			free(sub);
			return err_prefix(err, "outbox Maildir: ");
		}
		free(sub);
	}
	m = xcalloc(1, sizeof(*m));
	m->dir = xstrdup(c->transport_maildir);
	t->priv = m;
	return 0;
}

static int mdt_send(struct transport *t, const struct out_msg *msg,
		    struct mc_err *err)
{
	struct mdt *m = t->priv;
	struct buf lf;
	char *tmp, *dst;
	size_t i;
	int rc;

	/* Maildir files hold LF line endings. */
	buf_init(&lf);
	buf_grow(&lf, msg->len);
	buf_addf(&lf, "Return-Path: <%s>\nDelivered-To: %s\n", msg->sender,
		 msg->recipient);
	for (i = 0; i < msg->len; i++)
		if (!(msg->data[i] == '\r' && i + 1 < msg->len &&
		      msg->data[i + 1] == '\n'))
			buf_addc(&lf, msg->data[i]);
	tmp = xasprintf("%s/tmp/outbox-%lld.eml", m->dir, (long long)msg->id);
	dst = xasprintf("%s/new/outbox-%lld.eml", m->dir, (long long)msg->id);
	rc = write_file_atomic(tmp, lf.s, lf.len, NULL, err);
	if (rc == 0 && rename(tmp, dst) < 0) {
		err_set(err, "%s: %s", dst, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	free(dst);
	buf_free(&lf);
	return rc == 0 ? TRANSPORT_OK : TRANSPORT_TEMPFAIL;
}

static void mdt_close(struct transport *t)
{
	struct mdt *m = t->priv;

	if (m)
		free(m->dir);
	free(m);
}

const struct transport_ops transport_maildir_ops = {
	"maildir", mdt_open, mdt_send, mdt_close,
};
