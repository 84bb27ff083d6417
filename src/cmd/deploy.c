/* deploy.c: `mailcomments deploy [--dry-run] [--all]`: sends files to
 * the targets of deploy.targets (deploy.h).  Plain `deploy` renders what
 * is due (the dirty articles, as the daemon would) and sends what
 * changed; `--all` sends every file of the site as it is (a first
 * upload, or after targets missed changes); `--dry-run` only prints
 * what each target would be sent.  Exit: 0; EX_CONFIG when no target is
 * configured; EX_UNAVAILABLE when a target failed (each is logged). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../deploy.h"
#include "../log.h"
#include "../render.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf *c = ctx->conf;
	struct render_report rep;
	struct deploy_set set;
	struct mc_err err;
	int opt, all = 0, dry = 0, failed;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'a')
			all = 1;
		else if (opt == 'n')
			dry = 1;
		else
			return EX_USAGE;
	}
	if (optind != argc)
		return EX_USAGE;
	if (c->deploy_targets.n == 0) {
		fprintf(stderr, "mailcomments: deploy: no target in "
				"deploy.targets\n");
		return EX_CONFIG;
	}
	if (!all) {
		c->deploy_dry_run |= dry;
		if (render_run(ctx->store, c, RENDER_DIRTY, NULL, &rep, &err) <
		    0)
			log_warnx("%s", err.msg);
		failed = rep.deployed;
		/* what earlier sends gave up on, when nothing new took it */
		if (failed < 0 && !c->deploy_dry_run)
			failed = deploy_retry(c, ctx->store, 1);
		else if (failed < 0)
			failed = deploy_run(c, ctx->store, &(struct deploy_set){ 0 },
					    1, stdout);
		printf("%zu files changed\n", rep.nfiles);
		render_report_free(&rep);
		return failed > 0 ? EX_UNAVAILABLE : EX_OK;
	}
	memset(&set, 0, sizeof(set));
	if (deploy_set_all(&set, c, &err) < 0) {
		log_warnx("%s", err.msg);
		deploy_set_free(&set);
		return EX_IOERR;
	}
	failed = deploy_run(c, ctx->store, &set, dry, dry ? stdout : NULL);
	if (!dry)
		printf("%zu files sent to %zu targets, %d failed\n", set.n,
		       c->deploy_targets.n, failed);
	deploy_set_free(&set);
	return failed > 0 ? EX_UNAVAILABLE : EX_OK;
}

const struct cmd cmd_deploy = {
	"deploy",
	"send the site's changed files (or --all of them) to the deploy "
	"targets",
	"deploy [--dry-run] [--all]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB,
	run,
};
