/* daemon.c: `mailcomments daemon`: the pipeline in a loop, in the
 * foreground (systemd runs it; contrib/mailcomments.service).
 *
 * Each pass reads everything new, commits, acknowledges, renders and
 * flushes the outbox; then the daemon waits on the source (IMAP IDLE, or
 * a poll every source.poll_interval where there is none) until new mail,
 * the next outbox retry, or a signal.  A server that goes away is
 * reconnected with exponential backoff and jitter; a refused login, an
 * untrusted server or a configuration that cannot work end the daemon
 * with the same exit code as `poll`, rather than retrying forever.
 *
 * Signals only set flags (and the source's interrupted flag, so that a
 * wait returns): SIGTERM and SIGINT finish the batch in hand and exit,
 * SIGHUP reloads the configuration between passes. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../articles.h"
#include "../comment.h"
#include "../log.h"
#include "../outbox.h"
#include "../pipeline.h"
#include "../site.h"
#include "../source.h"
#include "../throttle.h"
#include "../banned.h"

#define BACKOFF_FIRST 2   /* seconds */
#define BACKOFF_MAX 300
#define WAKE_MAX 3600     /* look at the outbox at least this often */

static volatile sig_atomic_t stop, reload;
static struct source *volatile current;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
	if (current)
		current->interrupted = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload = 1;
	if (current)
		current->interrupted = 1;
}

/* Sleeps up to seconds, returning early on a signal. */
static void nap(long seconds)
{
	long i;

	for (i = 0; i < seconds * 4 && !stop && !reload; i++)
		usleep(250000);
}

/* 2, 4, 8 ... 300 s, each drawn between half and all of it, so that
 * many gateways behind one provider do not come back in step. */
static long backoff(int failures)
{
	long d = BACKOFF_FIRST;
	unsigned r = 0;

	while (--failures > 0 && d < BACKOFF_MAX)
		d *= 2;
	if (d > BACKOFF_MAX)
		d = BACKOFF_MAX;
	random_bytes(&r, sizeof(r), NULL);
	return d / 2 + (long)(r % (unsigned)(d / 2 + 1));
}

static int permanent(int rc)
{
	return rc == SRC_AUTHFAIL || rc == SRC_CONFIG || rc == SRC_INSECURE;
}

/* How long to wait for mail: until the next outbox retry, a digest, or
 * the next poll where the source cannot say when mail comes. */
static int wake_after(struct cmd_ctx *ctx, const struct source *src)
{
	int64_t when, wake = WAKE_MAX;
	struct mc_err err;

	if (outbox_next_attempt(ctx->store, &when, &err) == 1)
		wake = when - now();
	/* Digests are due at times of their own, and so is the end of a
	 * flood. */
	if ((ctx->conf->digest_minutes > 0 ||
	     throttle_busy(ctx->store, ctx->conf, &err) != 0) &&
	    wake > 60)
		wake = 60;
	if (src->ops->wait == NULL && wake > ctx->conf->source_poll_interval)
		wake = ctx->conf->source_poll_interval;
	return wake < 1 ? 1 : (int)wake;
}

static void reload_conf(struct cmd_ctx *ctx)
{
	struct conf fresh;
	struct buf errs;
	struct mc_err err;

	buf_init(&errs);
	if (ctx->conf_path == NULL) {
		conf_defaults(&fresh);
	} else if (conf_load(&fresh, ctx->conf_path, &errs) < 0) {
		log_warnx("SIGHUP: %s is not valid, keeping the running "
			  "configuration:\n%s", ctx->conf_path, errs.s);
		buf_free(&errs);
		return;
	}
	buf_free(&errs);
	if (strcmp(fresh.database_path, ctx->conf->database_path) != 0)
		log_warnx("SIGHUP: database.path changes only at restart");
	if (strcmp(fresh.database_key_file, ctx->conf->database_key_file) != 0)
		log_warnx("SIGHUP: database.key_file changes only at restart");
	conf_free(ctx->conf);
	*ctx->conf = fresh;
	log_init(strcmp(ctx->conf->log_target, "syslog") == 0 ?
			 LOG_TO_SYSLOG : LOG_TO_STDERR,
		 ctx->verbose || ctx->conf->log_verbose);
	log_info("configuration reloaded from %s",
		 ctx->conf_path ? ctx->conf_path : "the embedded defaults");
	/* limits.subaddress_separators may have changed */
	if (ctx->store && comment_keys_sync(ctx->store, ctx->conf, &err) < 0)
		log_warnx("SIGHUP: %s", err.msg);
}

/* One pass under the poll lock.  Returns 0 or the pipeline's status. */
static int one_pass(struct cmd_ctx *ctx, struct source *src)
{
	struct pipeline_stats stats;
	struct mc_err err;
	int lock, rc, added = 0;

	lock = cmd_poll_lock(ctx->conf, &err);
	if (lock == -2) {
		log_debug("%s; skipping this pass", err.msg);
		return 0;
	}
	if (lock < 0) {
		log_warnx("%s", err.msg);
		return -1;
	}
	memset(&stats, 0, sizeof(stats));
	if (articles_sync(ctx->store, ctx->conf, &added, &err) < 0)
		log_warnx("finding articles in %s: %s",
			  ctx->conf->site_directory, err.msg);
	else if (added)
		log_info("%d new article%s found", added, added == 1 ? "" : "s");
	rc = pipeline_run(ctx->store, ctx->conf, src, &stop, &stats, &err);
	if (rc < 0)
		log_warnx("%s", err.msg);
	/* Mail that is recorded is safe: a stop request does not wait for
	 * a slow SMTP server. */
	if (!stop)
		pipeline_finish(ctx->store, ctx->conf, &stats, &err);
	close(lock);
	return rc;
}

/* Between two rounds over the sites: IMAP IDLE on the shared folder
 * (new mail there starts the next round at once), at most
 * source.poll_interval, when the top level reads IMAP; a plain pause
 * otherwise.  Sites with folders of their own are polled each round. */
static void wait_shared(struct cmd_ctx *ctx)
{
	const struct conf *top = ctx->conf;
	struct store *st = NULL;
	struct source *src = NULL;
	struct mc_err err;

	if (strcmp(top->source_type, "imap") != 0 ||
	    site_router_store(top, &st, &err) < 0 ||
	    source_open(&src, top, NULL, st, &err) < 0) {
		if (strcmp(top->source_type, "imap") == 0)
			log_warnx("%s", err.msg);
		store_close(st);
		nap(top->source_poll_interval);
		return;
	}
	current = src;
	if (!stop && !reload &&
	    source_wait(src, (int)top->source_poll_interval, &err) < 0)
		log_warnx("%s", err.msg);
	current = NULL;
	source_close(src);
	store_close(st);
}

/* Several sites: a pass over all of them (sites.c), then a pause of
 * source.poll_interval, one connection at a time whatever the number of
 * sites.  SIGHUP rereads the sites with the configuration. */
static int run_sites(struct cmd_ctx *ctx)
{
	int rc;

	while (!stop) {
		if (reload) {
			reload = 0;
			reload_conf(ctx);
		}
		if (!cmd_all_sites(ctx)) {
			log_warnx("SIGHUP: the configuration lost its sites; "
				  "restart the daemon");
			return EX_CONFIG;
		}
		rc = cmd_poll_sites(ctx, &stop);
		if (rc == EX_CONFIG || rc == EX_NOPERM || rc == EX_PROTOCOL)
			return rc;
		if (!stop && !reload)
			wait_shared(ctx);
	}
	log_info("daemon stopped");
	return EX_OK;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct sigaction sa;
	struct source *src = NULL;
	struct mc_err err;
	int rc, failures = 0, ex = EX_OK;
	long d;

	if (argc != 1)
		return EX_USAGE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	log_info("daemon started (pid %ld)", (long)getpid());
	if (cmd_all_sites(ctx))
		return run_sites(ctx);

	while (!stop) {
		if (reload) {
			reload = 0;
			if (src) {
				current = NULL;
				source_close(src);
				src = NULL;
			}
			reload_conf(ctx);
		}
		if (src == NULL) {
			rc = source_open(&src, ctx->conf, NULL, ctx->store,
					 &err);
			if (rc < 0) {
				src = NULL;
				if (permanent(rc)) {
					log_warnx("%s", err.msg);
					ex = source_exit_code(rc);
					break;
				}
				d = backoff(++failures);
				log_warnx("%s; trying again in %ld s", err.msg,
					  d);
				nap(d);
				continue;
			}
			current = src;
			log_info("reading %s", src->name);
		}
		rc = one_pass(ctx, src);
		if (rc == 0 && !stop && !reload) {
			failures = 0;
			rc = source_wait(src, wake_after(ctx, src), &err);
			if (rc < 0)
				log_warnx("%s", err.msg);
			src->interrupted = 0;
		}
		if (rc < 0) {
			current = NULL;
			source_close(src);
			src = NULL;
			if (permanent(rc)) {
				ex = source_exit_code(rc);
				break;
			}
			d = backoff(++failures);
			if (!stop) {
				log_info("reconnecting in %ld s", d);
				nap(d);
			}
		}
	}
	current = NULL;
	source_close(src);
	log_info("daemon stopped");
	return ex;
}

const struct cmd cmd_daemon = {
	"daemon", "run continuously, waiting for mail with IMAP IDLE",
	"daemon", CMD_NEEDS_CONF | CMD_NEEDS_DB | CMD_ALL_SITES, run,
};
