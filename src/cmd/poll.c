/* poll.c: `mailcomments poll [--once]`: one pass over the configured
 * source, for cron.  `import DIR` is the same pass over a given Maildir. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../log.h"
#include "../pipeline.h"
#include "../banned.h"

static int pass(struct cmd_ctx *ctx, const char *path)
{
	struct pipeline_stats stats;
	struct mc_err err;

	if (pipeline_poll(ctx->store, ctx->conf, path, NULL, &stats, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	return EX_OK;
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
	"poll [--once]", CMD_NEEDS_CONF | CMD_NEEDS_DB, run_poll,
};

const struct cmd cmd_import = {
	"import", "process every message of a Maildir", "import MAILDIR",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run_import,
};
