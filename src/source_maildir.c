/* source_maildir.c: the embedded default source, a local Maildir.
 * New mail is every file of new/, and every file of cur/ without the S
 * (seen) flag.  Acknowledging moves a file to cur/ with S added, or into a
 * Maildir++ subfolder (".Processed/cur/") when one is configured.  Each
 * directory is listed once per pass, so a large backlog costs linear time.
 * A file's size is looked at before it is read: one over
 * limits.message_size is read only as far as its head, and a batch ends
 * before the file that would take it past limits.batch_bytes or after
 * source.batch_size files.
 *
 * `import DIR` reads every file of DIR, seen or not, in one listing, and
 * only marks them seen where they are: importing a folder again (the
 * set-aside folder after a flood) retries what a limit held back, and the
 * processed table recognises everything else. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "message.h"
#include "source.h"
#include "banned.h"

struct mds {
	char *root;
	char *folders[3]; /* per src_dest; NULL: mark seen in place */
	char **names;     /* "new/NAME" or "cur/NAME", from the last scan */
	size_t n, next;
	int scanned_empty;
	int import;  /* every file, one listing, nothing moved */
	int scanned;
	size_t max_size;  /* limits.message_size */
	size_t head;      /* what is read of a message over it */
	size_t budget;    /* limits.batch_bytes */
};

static int cmp_names(const void *a, const void *b)
{
	/* Maildir names start with the delivery time: "new/" and "cur/"
	 * are compared after their prefix, so older mail comes first. */
	return strcmp(*(char *const *)a + 4, *(char *const *)b + 4);
}

static int seen(const char *name)
{
	const char *info = strstr(name, ":2,");

	return info && strchr(info + 3, 'S') != NULL;
}

static int list_dir(struct mds *m, const char *sub, size_t *cap,
		    struct mc_err *err)
{
	char *dir = xasprintf("%s/%s", m->root, sub);
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		err_set(err, "%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (strcmp(sub, "cur") == 0 && !m->import && seen(de->d_name))
			continue;
		if (m->n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			m->names = xrealloc(m->names, *cap * sizeof(*m->names));
		}
		m->names[m->n++] = xasprintf("%s/%s", sub, de->d_name);
	}
	closedir(d);
	free(dir);
	return 0;
}

static void drop_names(struct mds *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	m->names = NULL;
	m->n = m->next = 0;
}

static int scan(struct mds *m, struct mc_err *err)
{
	size_t cap = 0;

	drop_names(m);
	if (list_dir(m, "new", &cap, err) < 0 ||
	    list_dir(m, "cur", &cap, err) < 0)
		return -1;
	if (m->n > 1)
		qsort(m->names, m->n, sizeof(*m->names), cmp_names);
	return 0;
}

static char *folder_path(const char *root, const char *folder)
{
	if (folder == NULL || folder[0] == '\0')
		return NULL;
	return xasprintf("%s/.%s", root, folder);
}

static int make_maildir(const char *dir, struct mc_err *err)
{
	const char *subs[] = { "tmp", "new", "cur" };
	size_t i;

	for (i = 0; i < 3; i++) {
		char *p = xasprintf("%s/%s", dir, subs[i]);
		int rc = mkdirs(p, 0700, err);

		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int mds_open(struct source *s, const struct conf *c, const char *path,
		    struct mc_err *err)
{
	struct mds *m = xcalloc(1, sizeof(*m));
	const char *junk = c->source_junk[0] ? c->source_junk :
					       c->source_set_aside;
	struct stat st;
	size_t i;

	m->root = xstrdup(path ? path : c->source_maildir);
	m->max_size = (size_t)c->limit_message_size;
	m->head = m->max_size < MSG_HEAD_SIZE ? m->max_size : MSG_HEAD_SIZE;
	m->budget = (size_t)c->limit_batch_bytes;
	s->batch_max = (size_t)c->source_batch_size;
	if (path != NULL && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))) {
		err_set(err, "%s: not a Maildir directory", path);
		goto fail;
	}
	if (make_maildir(m->root, err) < 0)
		goto fail;
	/* An import moves nothing: it makes no folders under DIR. */
	m->import = path != NULL;
	if (!m->import) {
		m->folders[SRC_PROCESSED] =
			folder_path(m->root, c->source_processed);
		m->folders[SRC_SET_ASIDE] =
			folder_path(m->root, c->source_set_aside);
		m->folders[SRC_JUNK] = folder_path(m->root, junk);
	}
	for (i = 0; i < 3; i++)
		if (m->folders[i] && make_maildir(m->folders[i], err) < 0)
			goto fail;
	s->name = xasprintf("maildir:%s", m->root);
	s->priv = m;
	return 0;
fail:
	s->priv = m;
	s->ops->close(s);
	s->priv = NULL;
	return -1;
}

/* Reads at most max bytes of fd into b, in one buffer of hint + 1
 * bytes when the file keeps the size it had: once that is full, the
 * end of the file is looked for with a small read on the stack, and b
 * grows only if there is more.  (Asking for 64 KB more each time made
 * every buffer 128 KB, which malloc maps and unmaps: a thousand times
 * a batch.) */
static int read_upto(int fd, size_t max, size_t hint, struct buf *b)
{
	char probe[4096];

	buf_grow(b, (hint < max ? hint : max) + 1);
	while (b->len < max) {
		size_t room = b->cap - b->len - 1, want;
		char *to = b->s + b->len;
		ssize_t r;

		if (room == 0) {
			to = probe;
			room = sizeof(probe);
		}
		want = max - b->len < room ? max - b->len : room;
		r = read(fd, to, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (to == probe) {
			buf_add(b, probe, (size_t)r);
		} else {
			b->len += (size_t)r;
			b->s[b->len] = '\0';
		}
	}
	return 0;
}

/* Reads the message name into sm: whole when it is within the size
 * limit, else only its head (sm->size tells).  Returns 0, 1 when the
 * message would take the batch past its budget (nothing read: it opens
 * the next batch), 2 when it is no mail (a symbolic link, a FIFO, a
 * directory: never followed nor waited on, logged and left alone), -1
 * with errno ENOENT when it is gone, -1 on error. */
static int read_message(struct mds *m, const char *name, size_t held,
			int first, struct src_msg *sm, struct mc_err *err)
{
	char *path = xasprintf("%s/%s", m->root, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
				    O_NOCTTY),
	    saved;
	struct stat st;
	size_t size;

	if (fd < 0 && errno == ELOOP) {
		log_warnx("%s: skipped: a symbolic link is no mail (never "
			  "followed)", path);
		free(path);
		return 2;
	}
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		log_warnx("%s: skipped: not a regular file", path);
		close(fd);
		free(path);
		return 2;
	}
	/* the size first: a mail over the limit is never read whole */
	size = (size_t)st.st_size;
	if (!first && held + (size > m->max_size ? m->head : size) > m->budget) {
		close(fd);
		free(path);
		return 1;
	}
	buf_init(&sm->raw);
	if (read_upto(fd, size > m->max_size ? m->head : m->max_size + 1,
		      size, &sm->raw) < 0) {
		buf_free(&sm->raw);
		goto fail;
	}
	close(fd);
	free(path);
	sm->size = sm->raw.len;
	if (size > m->max_size || sm->raw.len > m->max_size) {
		/* over the limit (or grown past it since the stat) */
		sm->size = size > sm->raw.len ? size : sm->raw.len;
		if (sm->raw.len > m->head) {
			struct buf h;

			buf_init(&h);
			buf_add(&h, sm->raw.s, m->head);
			buf_free(&sm->raw);
			sm->raw = h;
		}
	}
	sm->id = xstrdup(name);
	return 0;
fail:
	saved = errno;
	err_set(err, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	errno = saved;
	return -1;
}

static int mds_fetch(struct source *s, struct src_msg *batch, size_t max,
		     size_t *n, struct mc_err *err)
{
	struct mds *m = s->priv;
	size_t held = 0;

	*n = 0;
	if (m->next >= m->n) {
		/* A fresh listing picks up mail that arrived meanwhile; an
		 * import reads what was there when it started. */
		if (m->import && m->scanned)
			return 0;
		if (scan(m, err) < 0)
			return -1;
		m->scanned = 1;
	}
	while (*n < max && m->next < m->n) {
		struct src_msg *sm = &batch[*n];
		int r = read_message(m, m->names[m->next], held, *n == 0, sm,
				     err);

		if (r == 1)
			break; /* the batch is full: this one starts the next */
		m->next++;
		if (r == 2)
			continue;
		if (r < 0 && errno == ENOENT)
			continue; /* taken by another reader */
		if (r < 0)
			return -1;
		held += sm->raw.len;
		(*n)++;
	}
	return 0;
}

/* "cur/NAME:2,FLAGS" with S added, or "NAME:2,S" for a file from new/. */
static char *seen_name(const char *base)
{
	const char *info = strstr(base, ":2,");
	struct buf b;
	const char *f;
	int have = 0;

	if (info == NULL)
		return xasprintf("%s:2,S", base);
	buf_init(&b);
	buf_add(&b, base, (size_t)(info - base) + 3);
	/* flags stay in ASCII order, as the Maildir spec asks */
	for (f = info + 3; *f; f++) {
		if (!have && *f > 'S') {
			buf_addc(&b, 'S');
			have = 1;
		}
		if (*f == 'S')
			have = 1;
		buf_addc(&b, *f);
	}
	if (!have)
		buf_addc(&b, 'S');
	return buf_detach(&b);
}

static int mds_ack(struct source *s, const struct src_msg *msg,
		   enum src_dest dest, struct mc_err *err)
{
	struct mds *m = s->priv;
	const char *base = strchr(msg->id, '/') + 1;
	char *from = xasprintf("%s/%s", m->root, msg->id), *name, *to;
	int rc = 0;

	name = seen_name(base);
	to = xasprintf("%s/cur/%s", m->folders[dest] ? m->folders[dest] : m->root,
		       name);
	if (strcmp(from, to) != 0 && rename(from, to) < 0 && errno != ENOENT)
		rc = err_set(err, "moving %s to %s: %s", from, to,
			     strerror(errno));
	free(from);
	free(name);
	free(to);
	return rc;
}

static void mds_close(struct source *s)
{
	struct mds *m = s->priv;
	size_t i;

	if (m == NULL)
		return;
	drop_names(m);
	for (i = 0; i < 3; i++)
		free(m->folders[i]);
	free(m->root);
	free(m);
	s->priv = NULL;
}

const struct source_ops source_maildir_ops = {
	"maildir", mds_open, mds_fetch, mds_ack, NULL, NULL, NULL, mds_close,
};
