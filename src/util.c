/* util.c: allocation, buffers, files and small helpers used everywhere.
 * Nothing here knows about mail; it is the floor the pipeline stands on. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "fsroot.h"
#include "util.h"
#include "banned.h"

int err_set(struct mc_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(struct mc_err *err, const char *fmt, ...)
{
	char old[MC_ERR_MAX];
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		memcpy(err->msg + n, old,
		       strnlen(old, sizeof(old) - 1 - (size_t)n) + 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
	return -1;
}

static void oom(size_t n)
{
	fprintf(stderr, "mailcomments: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

void buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_grow_slow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap < SIZE_MAX / 2 ? b->cap * 2 : need;
	b->s = xrealloc(b->s, b->cap);
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->s == NULL)
		buf_grow(b, 0);
	va_copy(cp, ap);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

char *buf_detach(struct buf *b)
{
	char *s = b->s;

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void strlist_add(struct strlist *l, const char *s)
{
	if ((l->n & (l->n - 1)) == 0) /* a power of two: full */
		l->v = xrealloc(l->v, (l->n ? l->n * 2 : 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct strpool_block {
	struct strpool_block *prev;
	size_t size;
	char data[];
};

/* The first block is small (an article with a few comments); each next
 * one doubles, up to a size where malloc gives whole pages anyway. */
#define STRPOOL_FIRST (16u << 10)
#define STRPOOL_MAX (1u << 20)

char *strpool_add(struct strpool *p, const char *s, size_t n)
{
	struct strpool_block *b;
	size_t size;
	char *d;

	if (n >= p->room) {
		size = p->blocks == NULL	    ? STRPOOL_FIRST :
		       p->blocks->size < STRPOOL_MAX ? 2 * p->blocks->size :
						       STRPOOL_MAX;
		if (n >= size) {
			if (n > SIZE_MAX - sizeof(*b) - 1)
				oom(SIZE_MAX);
			size = n + 1;
		}
		b = xmalloc(sizeof(*b) + size);
		b->prev = p->blocks;
		b->size = size;
		p->blocks = b;
		p->next = b->data;
		p->room = size;
	}
	d = p->next;
	memcpy(d, s, n);
	d[n] = '\0';
	p->next += n + 1;
	p->room -= n + 1;
	return d;
}

char *strpool_dup(struct strpool *p, const char *s)
{
	return strpool_add(p, s, strlen(s));
}

void strpool_free(struct strpool *p)
{
	struct strpool_block *b, *prev;

	for (b = p->blocks; b; b = prev) {
		prev = b->prev;
		free(b);
	}
	memset(p, 0, sizeof(*p));
}

int read_file(const char *path, struct buf *b, size_t max, struct mc_err *err)
{
	char chunk[65536];
	int fd, isstdin = strcmp(path, "-") == 0;
	ssize_t n;

	fd = isstdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, "%s: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (max && b->len + (size_t)n > max) {
			err_set(err, "%s: larger than %zu bytes", path, max);
			n = -1;
			break;
		}
		buf_add(b, chunk, (size_t)n);
	}
	if (!isstdin)
		close(fd);
	return n < 0 ? -1 : 0;
}

int write_file_atomic(const char *path, const char *data, size_t len,
		      int *changed, struct mc_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
		    slash == path ? xstrdup("/") :
				    xstrndup(path, (size_t)(slash - path));
	struct fsroot *r;
	int rc;

	if (changed)
		*changed = 0;
	rc = fsroot_open(&r, dir, FSROOT_UMASK_MODE, 0700, 0, err);
	if (rc == 0) {
		rc = fsroot_write(r, slash ? slash + 1 : path, data, len,
				  changed, err);
		fsroot_close(r);
	}
	free(dir);
	return rc;
}

int mkdirs(const char *path, unsigned mode, struct mc_err *err)
{
	char *p = xstrdup(path), *s;
	struct stat st;

	for (s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			err_set(err, "cannot create directory %s: %s", p,
				strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(err, "%s: not a directory", path);
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		int d = lower((unsigned char)*a) - lower((unsigned char)*b);

		if (d != 0 || *a == '\0')
			return d;
	}
	return 0;
}

int ascii_casecmp(const char *a, const char *b)
{
	return ascii_ncasecmp(a, b, SIZE_MAX);
}

void ascii_lower(char *s)
{
	for (; *s; s++)
		*s = (char)lower((unsigned char)*s);
}

char *str_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_casestartswith(const char *s, const char *prefix)
{
	return ascii_ncasecmp(s, prefix, strlen(prefix)) == 0;
}

int thread_spawn(pthread_t *tid, void *(*fn)(void *), void *arg)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE,
				      SIGILL,  SIGABRT, SIGTRAP };
	sigset_t all, old;
	size_t i;
	int rc;

	sigfillset(&all);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(tid, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

void time_iso8601(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_rfc5322(int64_t t, char out[64])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	/* Built by hand: strftime's %a and %b follow the locale. */
	gmtime_r(&tt, &tm);
	snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int random_bytes(void *out, size_t n, struct mc_err *err)
{
	unsigned char *p = out;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(err, "getrandom: %s", strerror(errno));
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	size_t i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, md);
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
