/* check_config.c: `mailcomments check-config`: load, validate and print
 * the effective configuration, secrets masked.  Loading errors never reach
 * here: main() reports them and exits EX_CONFIG. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../banned.h"

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
	return EX_OK;
}

const struct cmd cmd_check_config = {
	"check-config",
	"validate the configuration and print it, secrets masked",
	"check-config [-c FILE] [--reference]",
	CMD_NEEDS_CONF,
	run,
};
