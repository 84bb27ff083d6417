/* reject.c: `mailcomments reject N... [--reason TEXT]`. */
#include <getopt.h>
#include <stddef.h>

#include "cmd.h"
#include "../command.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		if (c != 'r')
			return EX_USAGE;
		reason = optarg;
	}
	return cmd_decide(ctx, VERB_REJECT, argc, argv, optind, reason);
}

const struct cmd cmd_reject = {
	"reject", "reject comments", "reject N... [--reason TEXT]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
