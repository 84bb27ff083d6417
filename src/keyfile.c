/* keyfile.c: reading and creating the key file.  Opened with O_NOFOLLOW
 * and checked on the descriptor (fstat), so a file swapped in between the
 * check and the read is not what gets read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile.h"
#include "banned.h"

/* The checks a key file must pass, on an open descriptor. */
static int check_fd(const char *path, int fd, struct mc_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return err_set(err, "key file %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_set(err, "key file %s: not a regular file", path);
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return err_set(err,
			       "key file %s: refusing a key that group or "
			       "others can access (mode %04o); run chmod 600 %s",
			       path, (unsigned)(st.st_mode & 07777), path);
	return 0;
}

static int open_existing(const char *path, struct mc_err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		if (errno == ENOENT)
			return -2;
		if (errno == ELOOP)
			return err_set(err, "key file %s: refusing a symbolic "
				       "link", path);
		return err_set(err, "key file %s: %s", path, strerror(errno));
	}
	if (check_fd(path, fd, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_key(const char *path, int fd, unsigned char key[KEYFILE_LEN],
		    struct mc_err *err)
{
	char text[2 * KEYFILE_LEN + 3];
	size_t n = 0, i;
	ssize_t r;

	while (n < sizeof(text) &&
	       (r = read(fd, text + n, sizeof(text) - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(err, "key file %s: %s", path,
				       strerror(errno));
		n += (size_t)r;
	}
	if (n > 0 && text[n - 1] == '\n')
		n--;
	if (n != 2 * KEYFILE_LEN)
		return err_set(err, "key file %s: not a key (%d hex digits "
			       "expected)", path, 2 * KEYFILE_LEN);
	for (i = 0; i < KEYFILE_LEN; i++) {
		int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return err_set(err, "key file %s: not a key (%d hex "
				       "digits expected)", path, 2 * KEYFILE_LEN);
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) :
			    xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Writes a new key to a private temporary file and links it to path.
 * Returns 0 when it is in place, -2 when another process created path
 * first (read theirs), -1 on error. */
static int create_key(const char *path, struct mc_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[KEYFILE_LEN];
	char text[2 * KEYFILE_LEN + 1], *tmp = xasprintf("%s.XXXXXX", path);
	int fd, rc = -1, e;
	size_t i;

	if (random_bytes(raw, sizeof(raw), err) < 0) {
		free(tmp);
		return -1;
	}
	for (i = 0; i < KEYFILE_LEN; i++) {
		text[2 * i] = hex[raw[i] >> 4];
		text[2 * i + 1] = hex[raw[i] & 15];
	}
	text[2 * KEYFILE_LEN] = '\n';
	memset(raw, 0, sizeof(raw));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err_set(err, "key file %s: cannot create it: %s", path,
			strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkostemp makes it 0600 already; say so whatever the umask. */
	if (fchmod(fd, 0600) < 0 || write_all(fd, text, sizeof(text)) < 0 ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		err_set(err, "key file %s: %s", tmp, strerror(e));
		goto out;
	}
	memset(text, 0, sizeof(text));
	if (close(fd) < 0) {
		err_set(err, "key file %s: %s", tmp, strerror(errno));
		goto out;
	}
	/* link() never replaces: whoever links first wins, and the file
	 * is whole from the moment it has its name. */
	if (link(tmp, path) < 0) {
		if (errno == EEXIST)
			rc = -2;
		else
			err_set(err, "key file %s: cannot create it: %s", path,
				strerror(errno));
		goto out;
	}
	sync_dir(path);
	rc = 0;
out:
	unlink(tmp);
	free(tmp);
	return rc;
}

int keyfile_load(const char *path, unsigned char key[KEYFILE_LEN],
		 int *created, struct mc_err *err)
{
	int fd, rc, made = 0;

	if (created)
		*created = 0;
	fd = open_existing(path, err);
	if (fd == -2) {
		rc = create_key(path, err);
		if (rc == -1)
			return -1;
		made = rc == 0;
		fd = open_existing(path, err);
		if (fd == -2)
			return err_set(err, "key file %s: vanished after it "
				       "was created", path);
	}
	if (fd < 0)
		return -1;
	rc = read_key(path, fd, key, err);
	close(fd);
	if (rc == 0 && created)
		*created = made;
	return rc;
}

int keyfile_check(const char *path, struct mc_err *err)
{
	unsigned char key[KEYFILE_LEN];
	int fd = open_existing(path, err), rc;

	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	rc = read_key(path, fd, key, err);
	memset(key, 0, sizeof(key));
	close(fd);
	return rc;
}
