/* util.h: allocation that never returns NULL, a growable string buffer and
 * the error message carrier shared by every module.
 *
 * Error convention of the whole project: a function that can fail returns 0
 * on success and -1 on failure, and fills the `struct mc_err *` it was given
 * with one line saying what failed (with the file, message or article it was
 * working on).  The caller adds its own context or prints it, once.
 * Allocation failure is not an error to handle: x*() functions abort. */
#ifndef MC_UTIL_H
#define MC_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define MC_ERR_MAX 1024

struct mc_err {
	char msg[MC_ERR_MAX];
};

/* Sets err->msg (err may be NULL); always returns -1 so callers can write
 * `return err_set(err, "...")`. */
int err_set(struct mc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefixes err->msg with a formatted context ("file.conf: "). */
int err_prefix(struct mc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string.  `s` is never NULL after buf_init
 * and always NUL-terminated; binary data (with NULs) may be stored. */
struct buf {
	char *s;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Room for extra more bytes and a NUL.  Inline when there is room (the
 * renderer's escapers and appends ask millions of times a render); len <
 * cap whenever cap > 0, so the subtraction does not wrap. */
void buf_grow_slow(struct buf *b, size_t extra);
static inline void buf_grow(struct buf *b, size_t extra)
{
	if (extra >= b->cap - b->len)
		buf_grow_slow(b, extra);
}
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
/* One byte: inline, since encoders and copies call it for every byte. */
static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_truncate(struct buf *b, size_t len);
/* Gives the string to the caller (who frees it).  b then holds no memory
 * and b->s is NULL until the next buf_add*(); buf_free() stays safe. */
char *buf_detach(struct buf *b);

/* A list of strings: strlist_add() appends a copy of s; strlist_has() is
 * 1 if l holds s (exactly); strlist_free() releases the strings and the
 * array (the list is then empty).  A zeroed struct is an empty list. */
struct strlist {
	char **v;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s);
int strlist_has(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* Strings released together: strpool_add() copies n bytes of s (plus a
 * NUL) into the pool and returns the copy, which never moves;
 * strpool_free() releases them all (the pool is then empty).  Copies for
 * the price of a few allocations: an article's thousands of comments.
 * A zeroed struct is an empty pool. */
struct strpool_block;
struct strpool {
	struct strpool_block *blocks;
	char *next;  /* the free room of the newest block... */
	size_t room; /* ...and its size */
};

char *strpool_add(struct strpool *p, const char *s, size_t n);
char *strpool_dup(struct strpool *p, const char *s);
void strpool_free(struct strpool *p);

/* Reads a whole file (or stdin for "-") into b, refusing files larger than
 * max bytes (0: no limit).  Returns -1 with err filled on failure. */
int read_file(const char *path, struct buf *b, size_t max, struct mc_err *err);

/* Replaces path atomically with data: temp file beside it (unguessable
 * name, O_EXCL), fsync, rename, fsync of the directory (see fsroot.h).
 * A symbolic link at path is refused, not followed.  A replaced file
 * keeps its mode, owner and group; a new one gets 0666 less the umask.
 * If the file already holds exactly these bytes it is left alone (mtime
 * kept) and *changed is set to 0.  changed may be NULL. */
int write_file_atomic(const char *path, const char *data, size_t len,
		      int *changed, struct mc_err *err);

/* mkdir -p with mode; an existing directory is not an error. */
int mkdirs(const char *path, unsigned mode, struct mc_err *err);

/* ASCII helpers that ignore the locale. */
int ascii_casecmp(const char *a, const char *b);
int ascii_ncasecmp(const char *a, const char *b, size_t n);
void ascii_lower(char *s);
char *str_trim(char *s); /* in place; returns s advanced past spaces */
int str_startswith(const char *s, const char *prefix);
int str_casestartswith(const char *s, const char *prefix);

/* Current time in seconds (clock.c).  Only test builds let
 * MAILCOMMENTS_NOW in the environment override it, so that tests can
 * expire tokens and fix dates without sleeping; the installed binary
 * always reads the system clock. */
int64_t now(void);

/* A named moment where a crash would hurt most ("before-commit": a
 * batch recorded, not committed; "after-commit": committed, its messages
 * not yet acknowledged).  Only test builds act on it (clock.c): when
 * MAILCOMMENTS_FAULT names the point ("NAME", or "NAME:N" for its Nth
 * passage), the process kills itself with SIGKILL there, so that tests
 * crash it at that exact moment.  The installed binary does nothing. */
void fault_point(const char *name);

/* Formats t (UTC) as ISO 8601 "2024-07-29T10:00:00Z" into out[32]. */
/* Starts fn(arg) on a new thread with every signal blocked but the
 * faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP): the orderly
 * stop and the reload (SIGTERM, SIGINT, SIGHUP) stay the main thread's,
 * and a blocked fault would kill without the sanitizers' report.  0, or
 * -1 when no thread could be made (the caller does the work itself). */
int thread_spawn(pthread_t *tid, void *(*fn)(void *), void *arg);

void time_iso8601(int64_t t, char out[32]);
/* Formats t as an RFC 5322 date in UTC into out[64]. */
void time_rfc5322(int64_t t, char out[64]);

/* Fills out with n bytes from the OS random source (getrandom). */
int random_bytes(void *out, size_t n, struct mc_err *err);

/* The value of the hex digit c (either case), or -1. */
int hex_value(char c);

/* Lowercase hex of SHA-256(data) into out[65]. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
