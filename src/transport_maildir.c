/* transport_maildir.c: the embedded default transport: each message is
 * written into a local Maildir (transport.maildir) instead of being sent.
 * The file is named after the outbox row, so a retried write after a crash
 * replaces the earlier copy instead of adding a second one. */
#include <errno.h>
#include <fcntl.h>
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

/* Writes tmp/NAME and fsyncs it.  The temp name is the final name, so a
 * write killed half-way is overwritten by the retry instead of staying
 * behind. */
static int write_tmp(const char *path, const char *data, size_t len,
		     struct mc_err *err)
{
	int fd = open(path,
		      O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		      0600);

	if (fd < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		data += n;
		len -= (size_t)n;
	}
	if (len > 0 || fsync(fd) < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
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
	rc = write_tmp(tmp, lf.s, lf.len, err);
	if (rc == 0 && rename(tmp, dst) < 0) {
		err_set(err, "%s: %s", dst, strerror(errno));
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
