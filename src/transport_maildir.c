/* transport_maildir.c: the embedded default transport: each message is
 * written into a local Maildir (transport.maildir) instead of being sent.
 * The file is named after the outbox row, so that a crash between the
 * delivery and the outbox's "sent" never makes a second copy: the retry
 * finds the file in new/ and leaves it (or, if it differs, replaces it
 * under the same name).  The outbox hands over batches, made durable
 * together (mdt_send_batch). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The file as it is stored: Maildir files hold LF line endings, and a
 * delivery agent's Return-Path and Delivered-To come first. */
static void lf_copy(struct buf *lf, const struct out_msg *msg)
{
	const char *p = msg->data, *end = msg->data + msg->len, *cr;

	buf_init(lf);
	buf_grow(lf, msg->len + 128);
	buf_addf(lf, "Return-Path: <%s>\nDelivered-To: %s\n", msg->sender,
		 msg->recipient);
	/* a line at a time: a CR goes only before an LF */
	while ((cr = memchr(p, '\r', (size_t)(end - p)))) {
		size_t keep = cr + 1 < end && cr[1] == '\n' ? 0 : 1;

		buf_add(lf, p, (size_t)(cr - p) + keep);
		p = cr + 1;
	}
	buf_add(lf, p, (size_t)(end - p));
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 if path holds exactly data (an earlier run delivered this row and
 * died before marking it sent), with *fd open on it; 0 if not. */
static int already_there(const char *path, const struct buf *data, int *fd)
{
	struct stat sb;
	struct buf old;
	struct mc_err e;
	int same;

	*fd = -1;
	if (lstat(path, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size != data->len)
		return 0;
	buf_init(&old);
	same = read_file(path, &old, data->len + 1, &e) == 0 &&
	       old.len == data->len && memcmp(old.s, data->s, data->len) == 0;
	buf_free(&old);
	if (same)
		*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return same && *fd >= 0;
}

/* One message of a batch on its way: its paths, and the open file. */
struct pending {
	char *tmp, *dst;
	int fd;
	int there; /* already in new/: nothing to rename */
};

static void fail(struct pending *p, int *status, struct mc_err *err,
		 const char *path)
{
	err_set(err, "%s: %s", path, strerror(errno));
	*status = TRANSPORT_TEMPFAIL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (!p->there)
		unlink(p->tmp);
}

/* Writes tmp/NAME, the final name, so that a write killed half-way is
 * overwritten by the retry instead of staying behind.  The batch makes
 * it durable later, with all the others. */
static void stage(struct mdt *m, const struct out_msg *msg, struct pending *p,
		  int *status, struct mc_err *err)
{
	struct buf lf;

	lf_copy(&lf, msg);
	p->tmp = xasprintf("%s/tmp/outbox-%lld.eml", m->dir, (long long)msg->id);
	p->dst = xasprintf("%s/new/outbox-%lld.eml", m->dir, (long long)msg->id);
	*status = TRANSPORT_OK;
	/* Delivered before a crash: never a second copy, not even one that
	 * replaces the first (a reader may have it open). */
	p->there = already_there(p->dst, &lf, &p->fd);
	if (!p->there) {
		p->fd = open(p->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
					     O_CLOEXEC, 0600);
		if (p->fd < 0 || write_all(p->fd, lf.s, lf.len) < 0)
			fail(p, status, err, p->tmp);
	}
	buf_free(&lf);
}

/* Marks every message of the batch still OK as failed with path's
 * errno. */
static void fail_all(struct pending *p, size_t n, int *status,
		     struct mc_err *errs, const char *path)
{
	int e = errno;
	size_t i;

	for (i = 0; i < n; i++)
		if (status[i] == TRANSPORT_OK) {
			errno = e;
			fail(&p[i], &status[i], &errs[i], path);
		}
}

/* A batch of at most this many files is made durable by an fsync each,
 * as fsroot.c's are: syncfs() also writes what other processes left
 * dirty on the file system, which a few files (an approval's two
 * notifications) are not worth waiting for. */
#define FSYNC_MAX 16

/* Makes the files of the batch still OK durable (a file found in new/
 * too: its rename, by the run that died, may not be on disk yet).  A
 * failed fsync fails its message; a failed syncfs, all of them. */
static void make_durable(struct pending *p, size_t n, int *status,
			 struct mc_err *errs, const char *tmpdir)
{
	size_t i, k = 0;
	int tfd;

	for (i = 0; i < n; i++)
		k += status[i] == TRANSPORT_OK;
	if (k <= FSYNC_MAX) {
		for (i = 0; i < n; i++)
			if (status[i] == TRANSPORT_OK && fsync(p[i].fd) < 0)
				fail(&p[i], &status[i], &errs[i],
				     p[i].there ? p[i].dst : p[i].tmp);
		return;
	}
	tfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0 || syncfs(tfd) < 0)
		fail_all(p, n, status, errs, tmpdir);
	if (tfd >= 0)
		close(tfd);
}

/* Delivery of a batch: every file written into tmp/, then all of them
 * made durable, by one syncfs() when there are many (one journal commit
 * and one cache flush for the batch: an fdatasync per file costs a flush
 * each, ten times the time here), then each renamed into new/, then new/
 * fsynced once.  syncfs() reports a write error that happened on the
 * file system since the directory was opened (Linux 5.8 and later),
 * before the files were written: an error anywhere fails the whole
 * batch, which is retried.  A message is OK only when all of that
 * succeeded for it: what is not on disk is never reported delivered. */
static void mdt_send_batch(struct transport *t, const struct out_msg *msgs,
			   size_t n, int *status, struct mc_err *errs)
{
	struct mdt *m = t->priv;
	struct pending *p = xcalloc(n ? n : 1, sizeof(*p));
	char *tmpdir = xasprintf("%s/tmp", m->dir);
	char *dir = xasprintf("%s/new", m->dir);
	size_t i, renamed = 0;
	int dfd;

	for (i = 0; i < n; i++)
		p[i].fd = -1;
	for (i = 0; i < n; i++)
		stage(m, &msgs[i], &p[i], &status[i], &errs[i]);
	make_durable(p, n, status, errs, tmpdir);
	for (i = 0; i < n; i++) {
		if (status[i] != TRANSPORT_OK)
			continue;
		if (close(p[i].fd) < 0) {
			p[i].fd = -1;
			fail(&p[i], &status[i], &errs[i], p[i].tmp);
			continue;
		}
		p[i].fd = -1;
	}
	for (i = 0; i < n; i++) {
		if (status[i] != TRANSPORT_OK)
			continue;
		if (!p[i].there && rename(p[i].tmp, p[i].dst) < 0)
			fail(&p[i], &status[i], &errs[i], p[i].dst);
		else
			renamed++;
	}
	/* Even a batch of files found there: their rename, by the run that
	 * died, may not be on disk yet. */
	if (renamed > 0) {
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0 || fsync(dfd) < 0) {
			int e = errno;

			for (i = 0; i < n; i++)
				if (status[i] == TRANSPORT_OK) {
					err_set(&errs[i], "%s: %s", dir,
						strerror(e));
					status[i] = TRANSPORT_TEMPFAIL;
				}
		}
		if (dfd >= 0)
			close(dfd);
	}
	for (i = 0; i < n; i++) {
		free(p[i].tmp);
		free(p[i].dst);
	}
	free(p);
	free(tmpdir);
	free(dir);
}

static int mdt_send(struct transport *t, const struct out_msg *msg,
		    struct mc_err *err)
{
	int status;

	mdt_send_batch(t, msg, 1, &status, err);
	return status;
}

static void mdt_close(struct transport *t)
{
	struct mdt *m = t->priv;

	if (m)
		free(m->dir);
	free(m);
}

/* A batch holds this many open files at most. */
const struct transport_ops transport_maildir_ops = {
	"maildir", mdt_open, mdt_send, mdt_close, mdt_send_batch, 256, NULL,
};
