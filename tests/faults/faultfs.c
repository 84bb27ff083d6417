/* faultfs.c: an LD_PRELOAD library for the fault tests: makes fsync,
 * fdatasync, syncfs or rename fail with EIO on chosen paths, so that a test can
 * check that nothing counts as delivered unless it is on disk.
 *
 *   MC_FAULT="CALL:TEXT"   CALL is fsync, fdatasync, syncfs or rename; the call
 *                          fails when the file's path (for rename, the
 *                          destination) contains TEXT.
 *   MC_FAULT="kill-CALL:TEXT"  the process kills itself (SIGKILL) there
 *                          instead, before the call: a crash at a chosen
 *                          point.
 * Several rules may be given, separated by spaces.  CALL may also be
 * renameat (the destination: its directory's path, '/', its name).  A
 * TEXT ending in '$' must end the path ("fsync:site/comments$" is the
 * directory's fsync, not that of a file in it).
 *
 *   MC_FAULT_TRACE=FILE    appends a line "CALL PATH" to FILE for each of
 *                          these calls (before it is made), so that a test
 *                          can check their order.
 *   MC_FAULT_SKIP=N        the first N calls that a rule names are let
 *                          through (counted together, in this process). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends "call path" to $MC_FAULT_TRACE, if set. */
static void trace(const char *call, const char *path)
{
	const char *file = getenv("MC_FAULT_TRACE");
	char line[PATH_MAX + 32];
	int fd, n;

	if (file == NULL || path == NULL)
		return;
	n = snprintf(line, sizeof(line), "%s %s\n", call, path);
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || n <= 0)
		return;
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}

/* 1 if a rule names call and its text is in path; a kill- rule does
 * not return. */
static int faulty(const char *call, const char *path)
{
	const char *rules = getenv("MC_FAULT"), *p;
	size_t n = strlen(call);

	trace(call, path);
	if (rules == NULL || path == NULL)
		return 0;
	for (p = rules; *p; ) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *r = p;
		int die = strncmp(r, "kill-", 5) == 0;
		char text[PATH_MAX];

		if (die) {
			r += 5;
			len -= 5;
		}
		if (len > n + 1 && strncmp(r, call, n) == 0 && r[n] == ':' &&
		    len - n - 1 < sizeof(text)) {
			size_t tl = len - n - 1, pl = strlen(path);
			int hit;

			memcpy(text, r + n + 1, tl);
			text[tl] = '\0';
			if (tl > 0 && text[tl - 1] == '$')
				hit = pl >= tl - 1 &&
				      memcmp(path + pl - (tl - 1), text,
					     tl - 1) == 0;
			else
				hit = strstr(path, text) != NULL;
			if (hit) {
				static long seen;
				const char *skip = getenv("MC_FAULT_SKIP");

				if (skip && ++seen <= atol(skip))
					return 0;
				if (die)
					raise(SIGKILL);
				return 1;
			}
		}
		if (die)
			len += 5;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static int fd_faulty(const char *call, int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return faulty(call, path);
}

int fsync(int fd)
{
	static int (*real)(int);

	if (fd_faulty("fsync", fd)) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);

	if (fd_faulty("fdatasync", fd)) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	return real(fd);
}

int syncfs(int fd)
{
	static int (*real)(int);

	if (fd_faulty("syncfs", fd)) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "syncfs");
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (faulty("rename", to)) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
								  "rename");
	return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	static int (*real)(int, const char *, int, const char *);
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", tofd);
	n = to[0] == '/' ? -1 : readlink(link, path, sizeof(path) - 1);
	if (n >= 0) {
		path[n] = '\0';
		snprintf(path + n, sizeof(path) - (size_t)n, "/%s", to);
	} else {
		snprintf(path, sizeof(path), "%s", to);
	}
	if (faulty("renameat", path)) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *))dlsym(
			RTLD_NEXT, "renameat");
	return real(fromfd, from, tofd, to);
}
