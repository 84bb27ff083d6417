/* poll.c: `mailcomments poll [--once]`: one pass over the configured
 * source, for cron.  `import DIR` is the same pass over a given Maildir.
 *
 * Exit codes say what cron and the operator need to know: EX_TEMPFAIL
 * for a server that is down (or another poll still running: cron tries
 * again), EX_NOPERM for a refused login, EX_CONFIG for a configuration
 * that cannot work, EX_PROTOCOL for a server that cannot be trusted.
 * The SMTP server counts too: a pass whose outgoing mail had to stay in
 * the outbox (server unreachable, a temporary refusal) ends EX_TEMPFAIL,
 * though everything it read is committed. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../log.h"
#include "../pipeline.h"
#include "../source.h"
#include "../banned.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int pass(struct cmd_ctx *ctx, const char *path)
{
	struct pipeline_stats stats;
	struct sigaction sa, old_term, old_int;
	struct mc_err err;
	int rc, lock = -1;

	if (path == NULL) {
		lock = cmd_poll_lock(ctx->conf, &err);
		if (lock == -2) {
			log_warnx("%s; this one stops", err.msg);
			return EX_TEMPFAIL;
		}
		if (lock < 0) {
			log_warnx("%s", err.msg);
			return EX_IOERR;
		}
	}
	/* A stop request finishes the batch in hand: committed and
	 * acknowledged, nothing half done. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	rc = pipeline_poll(ctx->store, ctx->conf, path, &stop, &stats, &err);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	if (lock >= 0)
		close(lock);
	if (rc < 0) {
		log_warnx("%s", err.msg);
		/* -1: the database, or a source error worth another try. */
		return rc == -1 ? EX_TEMPFAIL : source_exit_code(rc);
	}
	if (stats.deferred > 0 || stats.unsent)
		return EX_TEMPFAIL; /* each cause is logged already */
	return EX_OK;
}

static int all_sites(struct cmd_ctx *ctx)
{
	struct sigaction sa, old_term, old_int;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	rc = cmd_poll_sites(ctx, &stop);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	return rc;
}

static int run_poll(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c != 'o')
			return EX_USAGE;
	if (optind != argc)
		return EX_USAGE;
	if (cmd_all_sites(ctx))
		return all_sites(ctx);
	return pass(ctx, NULL);
}

static int run_import(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc != 2)
		return EX_USAGE;
	return pass(ctx, argv[1]);
}

const struct cmd cmd_poll = {
	"poll", "read new mail from the source and process it",
	"poll [--once]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB | CMD_ALL_SITES, run_poll,
};

const struct cmd cmd_import = {
	"import", "process every message of a Maildir", "import MAILDIR",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run_import,
};
