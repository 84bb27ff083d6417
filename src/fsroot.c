/* fsroot.c: writing and reading below a root directory without ever
 * following a symbolic link.  Every path below the root is walked one
 * component at a time with openat(O_NOFOLLOW | O_DIRECTORY) from the
 * root's descriptor, so no name is resolved twice and a link swapped in
 * between two calls is refused, not followed.  The file itself is
 * replaced with renameat() in that same directory, which replaces a link
 * rather than writing through it; the temp file is made with O_EXCL, so a
 * planted file or link at its (random) name is never opened.
 *
 * A batch (fsroot_stage, fsroot_batch_commit) replaces many files for
 * the price of one: every temp file written, then all made durable
 * together, then all renamed, then each directory fsynced once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsroot.h"
#include "banned.h"

struct fsroot {
	char *path;
	int fd;
	unsigned file_mode, dir_mode;
};

const char *fsroot_path(const struct fsroot *r)
{
	return r->path;
}

/* Why name (in dfd, shown as path) could not be opened: a link or a
 * file of the wrong kind is refused, anything else is errno's. */
static int open_failed(int dfd, const char *name, const char *path,
		       const struct fsroot *r, int saved, const char *want,
		       struct mc_err *err)
{
	struct stat sb;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(sb.st_mode))
			return err_set(err,
				       "refused: %s is a symbolic link (links "
				       "below %s are never followed)",
				       path, r ? r->path : "the root");
		if ((saved == ENOTDIR || saved == ELOOP || saved == EISDIR) &&
		    want)
			return err_set(err, "refused: %s is not a %s", path,
				       want);
	}
	return err_set(err, "%s: %s", path, strerror(saved));
}

/* Opens directory name in dfd; with create, makes it (exact mode
 * dir_mode) when it is missing.  follow: a link may be followed (only
 * on the operator's own path to the root). */
static int open_dir(int dfd, const char *name, const char *path,
		    const struct fsroot *r, int follow, int create,
		    unsigned dir_mode, struct mc_err *err)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    (follow ? 0 : O_NOFOLLOW);
	int fd = openat(dfd, name, flags), saved;

	if (fd < 0 && errno == ENOENT && create) {
		/* Private until it has its mode: nothing can be slipped
		 * into it meanwhile by a umask wider than ours. */
		if (mkdirat(dfd, name, 0700) == 0) {
			fd = openat(dfd, name, flags);
			if (fd >= 0 && fchmod(fd, dir_mode) < 0) {
				saved = errno;
				close(fd);
				return err_set(err, "%s: chmod: %s", path,
					       strerror(saved));
			}
			if (fd >= 0)
				(void)fsync(dfd);
		} else if (errno == EEXIST) {
			fd = openat(dfd, name, flags);
		} else {
			return err_set(err, "cannot create directory %s: %s",
				       path, strerror(errno));
		}
	}
	if (fd >= 0)
		return fd;
	return open_failed(dfd, name, path, r, errno, "directory", err);
}

/* Walks rel (its first n bytes) down from r's root: returns the
 * directory's descriptor, and the path walked so far in shown. */
static int walk(struct fsroot *r, const char *rel, size_t n, int create,
		struct buf *shown, struct mc_err *err)
{
	const char *p = rel, *end = rel + n;
	int fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);

	buf_reset(shown);
	buf_adds(shown, r->path);
	if (fd < 0)
		return err_set(err, "%s: %s", r->path, strerror(errno));
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t len = (size_t)((slash ? slash : end) - p);
		char *name;
		int next;

		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + 1;
			continue;
		}
		name = xstrndup(p, len);
		buf_addf(shown, "/%s", name);
		if (strcmp(name, "..") == 0) {
			free(name);
			close(fd);
			return err_set(err, "refused: %s is outside %s",
				       shown->s, r->path);
		}
		next = open_dir(fd, name, shown->s, r, 0, create, r->dir_mode,
				err);
		free(name);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		p += len + 1;
	}
	return fd;
}

/* Splits rel into its directory part (length *dirlen) and its last
 * component, which must name something. */
static const char *last_name(const char *rel, size_t *dirlen,
			     struct fsroot *r, struct mc_err *err)
{
	const char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel;

	*dirlen = (size_t)(base - rel);
	if (rel[0] == '/') {
		err_set(err, "refused: %s is outside %s", rel, r->path);
		return NULL;
	}
	if (base[0] == '\0' || strcmp(base, ".") == 0) {
		err_set(err, "%s/%s: not a file name", r->path, rel);
		return NULL;
	}
	if (strcmp(base, "..") == 0) {
		err_set(err, "refused: %s/%s is outside %s", r->path, rel,
			r->path);
		return NULL;
	}
	return base;
}

int fsroot_open(struct fsroot **rp, const char *path, unsigned file_mode,
		unsigned dir_mode, int flags, struct mc_err *err)
{
	struct fsroot *r;
	int fd;

	*rp = NULL;
	if (path[0] == '\0')
		return err_set(err, "an empty directory name");
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && (flags & FSROOT_CREATE)) {
		const char *p = path;
		struct buf shown;

		/* The operator's path: links in it are followed, missing
		 * directories made like those below the root. */
		fd = open(path[0] == '/' ? "/" : ".",
			  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return err_set(err, "%s: %s", path, strerror(errno));
		buf_init(&shown);
		if (path[0] == '/')
			buf_addc(&shown, '/');
		while (*p) {
			size_t len = strcspn(p, "/");
			char *name = xstrndup(p, len);
			int next;

			if (len > 0) {
				if (shown.len && shown.s[shown.len - 1] != '/')
					buf_addc(&shown, '/');
				buf_adds(&shown, name);
				next = open_dir(fd, name, shown.s, NULL, 1, 1,
						dir_mode, err);
				close(fd);
				fd = next;
			}
			free(name);
			if (fd < 0)
				break;
			p += len + (p[len] == '/');
		}
		buf_free(&shown);
		if (fd < 0)
			return -1;
	} else if (fd < 0) {
		int saved = errno;

		err_set(err, "%s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	/* "dir/" and "dir" are the same root; messages add the '/'. */
	while (strlen(r->path) > 1 && r->path[strlen(r->path) - 1] == '/')
		r->path[strlen(r->path) - 1] = '\0';
	r->fd = fd;
	r->file_mode = file_mode;
	r->dir_mode = dir_mode;
	*rp = r;
	return 0;
}

void fsroot_close(struct fsroot *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r->path);
	free(r);
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

/* Reads the open regular file fd into b, up to max bytes (0: none). */
static int read_fd(int fd, const char *path, struct buf *b, size_t max,
		   struct mc_err *err)
{
	char chunk[65536];
	size_t got = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, "%s: %s", path, strerror(errno));
		if (n == 0)
			return 0;
		if (max && got + (size_t)n > max)
			return err_set(err, "%s: larger than %zu bytes", path,
				       max);
		got += (size_t)n;
		buf_add(b, chunk, (size_t)n);
	}
}

/* Opens name in dfd for reading: a regular file, not a link.  Returns
 * the descriptor and its stat in sb. */
static int open_file(int dfd, const char *name, const char *path,
		     const struct fsroot *r, struct stat *sb,
		     struct mc_err *err)
{
	int fd, saved;

	/* Looked at before it is opened: opening a device or a FIFO can
	 * block or have effects of its own. */
	if (fstatat(dfd, name, sb, AT_SYMLINK_NOFOLLOW) < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	if (S_ISLNK(sb->st_mode))
		return open_failed(dfd, name, path, r, ELOOP, "file", err);
	if (!S_ISREG(sb->st_mode))
		return err_set(err, "refused: %s is not a regular file", path);
	fd = openat(dfd, name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return open_failed(dfd, name, path, r, errno, "file", err);
	if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode)) {
		saved = errno;
		close(fd);
		return S_ISREG(sb->st_mode) ?
			       err_set(err, "%s: %s", path, strerror(saved)) :
			       err_set(err, "refused: %s is not a regular file",
				       path);
	}
	return fd;
}

int fsroot_read(struct fsroot *r, const char *rel, struct buf *b,
		size_t max, struct mc_err *err)
{
	struct buf shown;
	struct stat sb;
	const char *base;
	size_t dirlen;
	int dfd, fd, rc = -1;

	base = last_name(rel, &dirlen, r, err);
	if (base == NULL)
		return -1;
	buf_init(&shown);
	dfd = walk(r, rel, dirlen, 0, &shown, err);
	if (dfd < 0)
		goto done;
	buf_addf(&shown, "/%s", base);
	fd = open_file(dfd, base, shown.s, r, &sb, err);
	close(dfd);
	if (fd < 0)
		goto done;
	if (max && (uintmax_t)sb.st_size > max)
		err_set(err, "%s: larger than %zu bytes", shown.s, max);
	else
		rc = read_fd(fd, shown.s, b, max, err);
	close(fd);
done:
	buf_free(&shown);
	return rc;
}

static int remove_at(struct fsroot *r, const char *rel, int links,
		     int *removed, struct mc_err *err)
{
	struct buf shown;
	struct stat sb;
	const char *base;
	size_t dirlen;
	int dfd, rc = -1;

	if (removed)
		*removed = 0;
	base = last_name(rel, &dirlen, r, err);
	if (base == NULL)
		return -1;
	buf_init(&shown);
	dfd = walk(r, rel, dirlen, 0, &shown, err);
	if (dfd < 0) {
		/* no directory on the way: nothing to remove (a link on
		 * the way is ELOOP or ENOTDIR, refused) */
		rc = errno == ENOENT ? 0 : -1;
		goto done;
	}
	buf_addf(&shown, "/%s", base);
	if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = errno == ENOENT ? 0 : err_set(err, "%s: %s", shown.s,
						   strerror(errno));
	} else if (!S_ISREG(sb.st_mode) && !(links && S_ISLNK(sb.st_mode))) {
		/* a link planted in its place is not ours to remove */
		err_set(err, "refused: %s is not a regular file", shown.s);
	} else if (unlinkat(dfd, base, 0) < 0) {
		err_set(err, "cannot remove %s: %s", shown.s, strerror(errno));
	} else {
		(void)fsync(dfd);
		if (removed)
			*removed = 1;
		rc = 0;
	}
	close(dfd);
done:
	buf_free(&shown);
	return rc;
}

int fsroot_remove(struct fsroot *r, const char *rel, int *removed,
		  struct mc_err *err)
{
	return remove_at(r, rel, 0, removed, err);
}

int fsroot_unlink(struct fsroot *r, const char *rel, int *removed,
		  struct mc_err *err)
{
	return remove_at(r, rel, 1, removed, err);
}

DIR *fsroot_opendir(struct fsroot *r, const char *rel, struct mc_err *err)
{
	struct buf shown;
	DIR *d;
	int fd;

	if (rel[0] == '/') {
		err_set(err, "refused: %s is outside %s", rel, r->path);
		return NULL;
	}
	buf_init(&shown);
	fd = walk(r, rel, strlen(rel), 0, &shown, err);
	if (fd >= 0) {
		d = fdopendir(fd);
		if (d == NULL) {
			err_set(err, "%s: %s", shown.s, strerror(errno));
			close(fd);
		}
	} else {
		d = NULL;
	}
	buf_free(&shown);
	return d;
}

/* 1 if name in dfd holds exactly data (a readable regular file). */
static int same_content(int dfd, const char *name, const char *path,
			const struct stat *cur, const char *data, size_t len)
{
	struct buf b;
	struct stat sb;
	int fd, same;

	if ((uintmax_t)cur->st_size != len)
		return 0;
	fd = open_file(dfd, name, path, NULL, &sb, NULL);
	if (fd < 0)
		return 0;
	buf_init(&b);
	same = read_fd(fd, path, &b, len + 1, NULL) == 0 && b.len == len &&
	       memcmp(b.s, data, len) == 0;
	close(fd);
	buf_free(&b);
	return same;
}

/* Creates a temp file in dfd with a random name (filled into name) that
 * nothing else can have: O_EXCL never opens what is already there, a
 * planted link included. */
static int make_temp(int dfd, char name[64], unsigned mode,
		     struct mc_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char rnd[8];
	int tries, fd, i;

	for (tries = 0; tries < 16; tries++) {
		if (random_bytes(rnd, sizeof(rnd), err) < 0)
			return -1;
		memcpy(name, ".mc-", 4);
		for (i = 0; i < 8; i++) {
			name[4 + 2 * i] = hex[rnd[i] >> 4];
			name[5 + 2 * i] = hex[rnd[i] & 15];
		}
		memcpy(name + 20, ".tmp", 5);
		fd = openat(dfd, name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    mode);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			break;
	}
	return err_set(err, "temp file: %s", strerror(errno));
}

/* Gives the temp file the target's permission bits, owner and group, as
 * far as this process may: not being root, it keeps the group when it
 * belongs to it; what cannot be kept is not an error. */
static void keep_owner_mode(int fd, const struct stat *old)
{
	struct stat sb;

	if (fstat(fd, &sb) == 0 &&
	    (sb.st_uid != old->st_uid || sb.st_gid != old->st_gid) &&
	    fchown(fd, old->st_uid, old->st_gid) < 0 &&
	    sb.st_gid != old->st_gid)
		(void)fchown(fd, (uid_t)-1, old->st_gid);
	/* After fchown, which clears set-id bits; those are not kept. */
	(void)fchmod(fd, old->st_mode & 0777);
}

/* A directory of a batch: opened once, fsynced once after its renames.
 * Its descriptor was opened before any file of the batch was written in
 * it, so that syncfs() on it reports the errors of their write-back. */
struct bdir {
	int fd;
	dev_t dev;
	ino_t ino;
	int renamed; /* a file was renamed in it: fsync it */
	char *path;  /* ROOT/rel, for messages */
};

/* A file staged: written to tmp in dirs[dir], not yet renamed to name. */
struct bfile {
	size_t dir;
	int fd; /* the temp file while it is the batch's only one, or -1 */
	char tmp[64];
	char *name;
	char *shown; /* ROOT/rel, for messages */
};

/* Up to this many files, a batch fsyncs each (their write-back started
 * as each was written, so that the first fsync's journal commit covers
 * them all and the others cost a cache flush each); above, one syncfs()
 * costs less than a flush per file.  syncfs() also writes what other
 * processes left dirty on that file system: a few files are not worth
 * waiting for theirs. */
#define FSYNC_MAX 16

struct fsroot_batch {
	struct bdir *dirs;
	size_t ndirs;
	struct bfile *files;
	size_t nfiles;
	size_t bytes;
	int close_errno; /* a temp file's close() failed: commit fails */
	char *close_shown;
};

struct fsroot_batch *fsroot_batch_new(void)
{
	return xcalloc(1, sizeof(struct fsroot_batch));
}

size_t fsroot_batch_files(const struct fsroot_batch *b)
{
	return b->nfiles;
}

size_t fsroot_batch_bytes(const struct fsroot_batch *b)
{
	return b->bytes;
}

/* Forgets every staged file (its temp file removed) and directory. */
static void batch_clear(struct fsroot_batch *b)
{
	size_t i;

	for (i = 0; i < b->nfiles; i++) {
		struct bfile *f = &b->files[i];

		if (f->fd >= 0)
			close(f->fd);
		if (f->tmp[0] != '\0')
			unlinkat(b->dirs[f->dir].fd, f->tmp, 0);
		free(f->name);
		free(f->shown);
	}
	for (i = 0; i < b->ndirs; i++) {
		close(b->dirs[i].fd);
		free(b->dirs[i].path);
	}
	free(b->files);
	free(b->dirs);
	free(b->close_shown);
	b->files = NULL;
	b->dirs = NULL;
	b->close_shown = NULL;
	b->nfiles = b->ndirs = b->bytes = 0;
	b->close_errno = 0;
}

/* A batch of more than FSYNC_MAX files is made durable by syncfs(),
 * which needs no descriptor of theirs: they are closed at once, so that a
 * batch holds one descriptor per directory only. */
static void close_files(struct fsroot_batch *b)
{
	size_t i;

	for (i = 0; i < b->nfiles; i++) {
		struct bfile *f = &b->files[i];

		if (f->fd >= 0 && close(f->fd) < 0 && b->close_errno == 0) {
			b->close_errno = errno;
			b->close_shown = xstrdup(f->shown);
		}
		f->fd = -1;
	}
}

void fsroot_batch_free(struct fsroot_batch *b)
{
	if (b == NULL)
		return;
	batch_clear(b);
	free(b);
}

/* The index of directory dfd in the batch, which takes dfd over (closed
 * when it is already there); -1 (dfd closed) on error. */
/* 1 when name is one make_temp() gives: ".mc-", 16 hex digits, ".tmp". */
static int is_temp_name(const char *name)
{
	size_t i;

	if (strlen(name) != 24 || memcmp(name, ".mc-", 4) != 0 ||
	    memcmp(name + 20, ".tmp", 4) != 0)
		return 0;
	for (i = 4; i < 20; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return 1;
}

/* Removes from directory dfd the temp files a killed writer left there,
 * the first time a batch writes into it: those older than an hour, by
 * the file system's clock.  No writer keeps one that long (a batch is
 * committed within its run), so a live temp file of another process is
 * never taken.  Only regular files by make_temp()'s names; errors are
 * ignored: a leftover costs room, never correctness. */
#define STALE_TEMP_SECONDS 3600
static void sweep_stale_temps(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	time_t now = time(NULL);
	struct dirent *e;
	struct stat sb;
	DIR *d;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_temp_name(e->d_name) ||
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(sb.st_mode) ||
		    sb.st_mtime > now - STALE_TEMP_SECONDS)
			continue;
		(void)unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

static long batch_dir(struct fsroot_batch *b, int dfd, const char *path,
		      struct mc_err *err)
{
	struct stat sb;
	size_t i;

	if (fstat(dfd, &sb) < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		close(dfd);
		return -1;
	}
	for (i = 0; i < b->ndirs; i++)
		if (b->dirs[i].dev == sb.st_dev && b->dirs[i].ino == sb.st_ino) {
			close(dfd);
			return (long)i;
		}
	sweep_stale_temps(dfd);
	b->dirs = xrealloc(b->dirs, (b->ndirs + 1) * sizeof(*b->dirs));
	b->dirs[b->ndirs].fd = dfd;
	b->dirs[b->ndirs].dev = sb.st_dev;
	b->dirs[b->ndirs].ino = sb.st_ino;
	b->dirs[b->ndirs].renamed = 0;
	b->dirs[b->ndirs].path = xstrdup(path);
	return (long)b->ndirs++;
}

int fsroot_stage(struct fsroot_batch *b, struct fsroot *r, const char *rel,
		 const void *data, size_t len, int *changed,
		 struct mc_err *err)
{
	struct buf shown;
	struct stat old;
	struct bfile *f;
	const char *base;
	char tmp[64];
	size_t dirlen;
	long d;
	int dfd, fd = -1, exists = 0, saved;

	if (changed)
		*changed = 0;
	base = last_name(rel, &dirlen, r, err);
	if (base == NULL)
		return -1;
	buf_init(&shown);
	dfd = walk(r, rel, dirlen, 1, &shown, err);
	if (dfd < 0)
		goto fail_msg;
	d = batch_dir(b, dfd, shown.s, err);
	if (d < 0)
		goto fail_msg;
	dfd = b->dirs[d].fd;
	buf_addf(&shown, "/%s", base);
	if (fstatat(dfd, base, &old, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(old.st_mode)) {
			open_failed(dfd, base, shown.s, r, ELOOP, "file", err);
			goto fail_msg;
		}
		if (!S_ISREG(old.st_mode)) {
			err_set(err, "refused: %s is not a regular file",
				shown.s);
			goto fail_msg;
		}
		if (same_content(dfd, base, shown.s, &old, data, len)) {
			buf_free(&shown);
			return 0;
		}
		exists = 1;
	} else if (errno != ENOENT) {
		err_set(err, "%s: %s", shown.s, strerror(errno));
		goto fail_msg;
	}
	fd = make_temp(dfd, tmp,
		       r->file_mode == FSROOT_UMASK_MODE ? 0666 : 0600, err);
	if (fd < 0) {
		err_prefix(err, "%s: ", shown.s);
		goto fail_msg;
	}
	if (write_all(fd, data, len) < 0)
		goto fail;
	if (exists)
		keep_owner_mode(fd, &old);
	else if (r->file_mode != FSROOT_UMASK_MODE &&
		 fchmod(fd, r->file_mode) < 0)
		goto fail;
	b->files = xrealloc(b->files, (b->nfiles + 1) * sizeof(*b->files));
	f = &b->files[b->nfiles++];
	f->dir = (size_t)d;
	f->fd = fd;
	memcpy(f->tmp, tmp, sizeof(tmp));
	f->name = xstrdup(base);
	f->shown = buf_detach(&shown);
	buf_free(&shown);
	b->bytes += len;
	/* The data goes to the disk while the caller makes the next file. */
	(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (b->nfiles > FSYNC_MAX)
		close_files(b);
	if (changed)
		*changed = 1;
	return 0;
fail:
	err_set(err, "%s: %s", shown.s, strerror(errno));
	saved = errno;
	close(fd);
	unlinkat(dfd, tmp, 0);
	errno = saved;
fail_msg:
	buf_free(&shown);
	return -1;
}

/* Makes every staged file durable before any is renamed: an fsync
 * each for a few files; for more, one syncfs() per file system (a
 * journal commit and a cache flush for the whole batch).  syncfs()
 * reports a write-back error that happened on the file system since the
 * directory was opened (Linux 5.8 and later), before its files were
 * written: an error fails the whole batch. */
static int batch_sync(struct fsroot_batch *b, struct mc_err *err)
{
	size_t i, j;

	if (b->nfiles <= FSYNC_MAX) {
		for (i = 0; i < b->nfiles; i++)
			if (fsync(b->files[i].fd) < 0)
				return err_set(err, "%s: %s",
					       b->files[i].shown,
					       strerror(errno));
		return 0;
	}
	for (i = 0; i < b->ndirs; i++) {
		for (j = 0; j < i && b->dirs[j].dev != b->dirs[i].dev; j++)
			;
		if (j < i)
			continue; /* that file system is done */
		if (syncfs(b->dirs[i].fd) < 0)
			return err_set(err, "%s: syncfs: %s",
				       b->dirs[i].path, strerror(errno));
	}
	return 0;
}

int fsroot_batch_commit(struct fsroot_batch *b, struct mc_err *err)
{
	size_t i;
	int rc = -1, fd;

	if (b->nfiles == 0) {
		batch_clear(b);
		return 0;
	}
	if (batch_sync(b, err) < 0)
		goto done;
	close_files(b);
	if (b->close_errno) {
		errno = b->close_errno;
		err_set(err, "%s: %s", b->close_shown, strerror(errno));
		goto done;
	}
	/* Only now, every file whole on disk, does any replace its target:
	 * a crash leaves each output old or new, never partial. */
	for (i = 0; i < b->nfiles; i++) {
		struct bfile *f = &b->files[i];
		struct bdir *d = &b->dirs[f->dir];

		if (renameat(d->fd, f->tmp, d->fd, f->name) < 0) {
			err_set(err, "%s: %s", f->shown, strerror(errno));
			break;
		}
		f->tmp[0] = '\0';
		d->renamed = 1;
	}
	rc = i == b->nfiles ? 0 : -1;
	/* The renames themselves must survive a crash too: each directory
	 * once, after its last rename (even after a failed one, for those
	 * done). */
	for (i = 0; i < b->ndirs; i++) {
		if (!b->dirs[i].renamed)
			continue;
		if (fsync(b->dirs[i].fd) < 0 && errno != EINVAL && rc == 0)
			rc = err_set(err, "%s: %s", b->dirs[i].path,
				     strerror(errno));
	}
done:
	fd = errno;
	batch_clear(b);
	errno = fd;
	return rc;
}

int fsroot_write(struct fsroot *r, const char *rel, const void *data,
		 size_t len, int *changed, struct mc_err *err)
{
	struct fsroot_batch b;
	int ch = 0, rc;

	memset(&b, 0, sizeof(b));
	if (changed)
		*changed = 0;
	rc = fsroot_stage(&b, r, rel, data, len, &ch, err);
	if (rc == 0)
		rc = fsroot_batch_commit(&b, err);
	else
		batch_clear(&b);
	if (rc == 0 && changed)
		*changed = ch;
	return rc;
}

int fsroot_parse_mode(const char *s, unsigned *mode)
{
	unsigned v = 0;
	size_t n = strlen(s), i;

	if (n < 3 || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		v = v * 8 + (unsigned)(s[i] - '0');
	}
	if (v > 0777)
		return -1;
	*mode = v;
	return 0;
}

/* Appends the cleaned components of p (absolute) to out as "/a/b". */
static void clean_path(const char *p, struct buf *out)
{
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len > 0 && !(len == 1 && p[0] == '.')) {
			buf_addc(out, '/');
			buf_add(out, p, len);
		}
		p += len + (p[len] == '/');
	}
}

static char *absolute(const char *p)
{
	struct buf b;
	char *cwd;

	buf_init(&b);
	if (p[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (cwd)
			clean_path(cwd, &b);
		free(cwd);
	}
	clean_path(p, &b);
	return buf_detach(&b);
}

char *fsroot_common_dir(const char *a, const char *b)
{
	char *x = absolute(a), *y = absolute(b);
	size_t i = 0, keep = 0;

	/* Component by component: "/var/s" is not a parent of "/var/site". */
	for (;; i++) {
		int xe = x[i] == '\0' || x[i] == '/';
		int ye = y[i] == '\0' || y[i] == '/';

		if (xe && ye && i > 0)
			keep = i;
		if (x[i] != y[i] || x[i] == '\0')
			break;
	}
	free(y);
	if (keep == 0) {
		free(x);
		return NULL;
	}
	x[keep] = '\0';
	return x;
}
