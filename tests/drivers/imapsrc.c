/* imapsrc.c: drives the IMAP source the way the pipeline does, for
 * tests/integration/t-imap.sh (and bench/imap.sh).
 *
 * usage: drv_imapsrc CONF STEP...
 * Like the pipeline, each fetch is followed by a checkpoint (the position
 * written) and each drained batch by a flush (its acknowledgements
 * applied together).
 *
 *   fetch N         one fetch of up to N messages; prints "fetched UID LEN"
 *                   for each ("fetched UID LEN of SIZE" when only the
 *                   head of a message over the size limit was read) and
 *                   keeps them as the current batch
 *   save DIR        writes the current batch to DIR/UID.eml
 *   ack DEST        acknowledges the current batch (processed, set-aside,
 *                   junk) and forgets it
 *   ack-last DEST   acknowledges only the last message of the batch and
 *                   forgets them all
 *   drop            forgets the current batch without acknowledging it
 *   drain N DEST    fetch N / ack DEST until nothing is left; prints
 *                   "drained COUNT"
 *   wait S          prints "wait RC MS" (RC: 1 new mail, 0 timeout)
 *   sleep S         sleeps S seconds (to change the server meanwhile)
 *   status          prints "ok"
 * The database is database.path of CONF.  SIGTERM/SIGINT set the
 * source's interrupted flag, as the daemon's handlers will.  Exits with
 * source_exit_code() of the first failure, after printing
 * "drv_imapsrc: MESSAGE" on stderr. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "source.h"
#include "store.h"

#define MAXB 20000

static struct source *g_src;
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
	if (g_src)
		g_src->interrupted = 1;
}

static int64_t ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int dest_of(const char *s, enum src_dest *d)
{
	if (strcmp(s, "processed") == 0)
		*d = SRC_PROCESSED;
	else if (strcmp(s, "set-aside") == 0)
		*d = SRC_SET_ASIDE;
	else if (strcmp(s, "junk") == 0)
		*d = SRC_JUNK;
	else
		return -1;
	return 0;
}

static int fail(int rc, const struct mc_err *err)
{
	fprintf(stderr, "drv_imapsrc: %s\n", err->msg);
	return source_exit_code(rc);
}

int main(int argc, char **argv)
{
	static struct src_msg batch[MAXB];
	struct sigaction sa;
	struct buf errs;
	struct conf c;
	struct store *st = NULL;
	struct mc_err err;
	size_t n = 0, got, i;
	int a, rc, ex = EX_OK;

	if (argc < 2) {
		fprintf(stderr, "usage: drv_imapsrc CONF STEP...\n");
		return EX_USAGE;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	buf_init(&errs);
	if (conf_load(&c, argv[1], &errs) < 0) {
		fputs(errs.s, stderr);
		buf_free(&errs);
		return EX_CONFIG;
	}
	buf_free(&errs);
	if (store_open(&st, c.database_path, &err) < 0) {
		fprintf(stderr, "drv_imapsrc: %s\n", err.msg);
		conf_free(&c);
		return EX_SOFTWARE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	rc = source_open(&g_src, &c, NULL, st, &err);
	if (rc < 0) {
		ex = fail(rc, &err);
		goto out;
	}
	for (a = 2; a < argc && ex == EX_OK; a++) {
		const char *step = argv[a];
		const char *arg = a + 1 < argc ? argv[a + 1] : "";
		enum src_dest d;

		if (strcmp(step, "fetch") == 0) {
			size_t max = strtoul(arg, NULL, 10);

			a++;
			if (n + max > MAXB)
				max = MAXB - n;
			rc = source_fetch(g_src, batch + n, max, &got, &err);
			if (rc == 0)
				rc = source_checkpoint(g_src, &err);
			if (rc < 0) {
				ex = fail(rc, &err);
				break;
			}
			for (i = n; i < n + got; i++)
				if (batch[i].size > batch[i].raw.len)
					printf("fetched %s %zu of %zu\n",
					       batch[i].id, batch[i].raw.len,
					       batch[i].size);
				else
					printf("fetched %s %zu\n", batch[i].id,
					       batch[i].raw.len);
			n += got;
		} else if (strcmp(step, "save") == 0) {
			a++;
			for (i = 0; i < n; i++) {
				char *path = xasprintf("%s/%s.eml", arg,
						       batch[i].id);
				FILE *f = fopen(path, "wb");

				if (f == NULL ||
				    fwrite(batch[i].raw.s, 1, batch[i].raw.len,
					   f) != batch[i].raw.len ||
				    fclose(f) != 0) {
					perror(path);
					ex = EX_IOERR;
				}
				free(path);
			}
		} else if (strcmp(step, "ack") == 0) {
			a++;
			if (dest_of(arg, &d) < 0) {
				ex = EX_USAGE;
				break;
			}
			for (i = 0; i < n && ex == EX_OK; i++) {
				rc = source_ack(g_src, &batch[i], d, &err);
				if (rc < 0)
					ex = fail(rc, &err);
			}
			src_msgs_clear(batch, n);
			n = 0;
		} else if (strcmp(step, "ack-last") == 0) {
			a++;
			if (dest_of(arg, &d) < 0) {
				ex = EX_USAGE;
				break;
			}
			if (n > 0) {
				rc = source_ack(g_src, &batch[n - 1], d, &err);
				if (rc < 0)
					ex = fail(rc, &err);
			}
			src_msgs_clear(batch, n);
			n = 0;
		} else if (strcmp(step, "drop") == 0) {
			src_msgs_clear(batch, n);
			n = 0;
		} else if (strcmp(step, "drain") == 0) {
			size_t max = strtoul(arg, NULL, 10), total = 0;

			a += 2;
			if (a >= argc || dest_of(argv[a], &d) < 0) {
				ex = EX_USAGE;
				break;
			}
			if (max > MAXB)
				max = MAXB;
			for (;;) {
				rc = source_fetch(g_src, batch, max, &got,
						  &err);
				if (rc == 0)
					rc = source_checkpoint(g_src, &err);
				if (rc < 0) {
					ex = fail(rc, &err);
					break;
				}
				if (got == 0)
					break;
				for (i = 0; i < got && ex == EX_OK; i++) {
					rc = source_ack(g_src, &batch[i], d,
							&err);
					if (rc < 0)
						ex = fail(rc, &err);
				}
				if (ex == EX_OK) {
					rc = source_flush(g_src, &err);
					if (rc < 0)
						ex = fail(rc, &err);
				}
				src_msgs_clear(batch, got);
				total += got;
				if (ex != EX_OK || g_stop)
					break;
			}
			printf("drained %zu\n", total);
		} else if (strcmp(step, "wait") == 0) {
			int64_t t0 = ms();

			a++;
			rc = source_wait(g_src, atoi(arg), &err);
			if (rc < 0) {
				ex = fail(rc, &err);
				break;
			}
			printf("wait %d %lld\n", rc, (long long)(ms() - t0));
		} else if (strcmp(step, "sleep") == 0) {
			a++;
			sleep((unsigned)atoi(arg));
		} else if (strcmp(step, "status") == 0) {
			printf("ok\n");
		} else {
			fprintf(stderr, "drv_imapsrc: unknown step %s\n", step);
			ex = EX_USAGE;
		}
	}
	src_msgs_clear(batch, n);
	source_close(g_src);
	g_src = NULL;
out:
	store_close(st);
	conf_free(&c);
	return ex;
}
