/* check_config.c: `mailcomments check-config`: load, validate and print
 * the effective configuration, secrets masked.  Loading errors never reach
 * here: main() reports them and exits EX_CONFIG. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../cmdwords.h"
#include "../banned.h"

/* Without --site, each site's effective settings follow the top level's:
 * each is loaded, so that each is checked as a whole. */
static int print_sites(struct cmd_ctx *ctx)
{
	const struct conf *top = ctx->conf;
	struct buf errs;
	struct conf sc;
	size_t i;
	int rc = EX_OK;

	for (i = 0; i < top->site_ids.n; i++) {
		buf_init(&errs);
		if (conf_load_site(&sc, ctx->conf_path, top->site_ids.v[i],
				   &errs) < 0) {
			fputs(errs.s, stderr);
			rc = EX_CONFIG;
		} else {
			fputc('\n', stdout);
			conf_print(&sc, stdout);
			conf_free(&sc);
		}
		buf_free(&errs);
	}
	cmdwords_use(top->words);
	return rc;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "reference", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c, reference = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return EX_USAGE;
		reference = 1;
	}
	if (optind != argc)
		return EX_USAGE;
	if (reference) {
		conf_print_reference(stdout);
		return EX_OK;
	}
	conf_print(ctx->conf, stdout);
	return cmd_all_sites(ctx) ? print_sites(ctx) : EX_OK;
}

const struct cmd cmd_check_config = {
	"check-config",
	"validate the configuration and print it, secrets masked",
	"check-config [-c FILE] [--site NAME] [--reference]",
	CMD_NEEDS_CONF,
	run,
};
