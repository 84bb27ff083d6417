/* help.c: `mailcomments help [SUBCOMMAND]`: the list of subcommands, or
 * one subcommand's synopsis. */
#include <stdio.h>

#include "cmd.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct cmd *c;
	size_t i;

	(void)ctx;
	if (argc > 2)
		return EX_USAGE;
	if (argc == 2) {
		c = cmd_find(argv[1]);
		if (c == NULL) {
			fprintf(stderr,
				"mailcomments: help: no subcommand '%s'\n",
				argv[1]);
			return EX_USAGE;
		}
		cmd_usage(c, stdout);
		printf("\nSee mailcomments(1).\n");
		return EX_OK;
	}
	printf("usage: mailcomments [-c FILE] [-v] SUBCOMMAND [ARGS]\n"
	       "       mailcomments --help | --version\n\n"
	       "Subcommands:\n");
	for (i = 0; cmd_table[i]; i++)
		printf("  %-14s %s\n", cmd_table[i]->name, cmd_table[i]->help);
	printf("\nOptions:\n"
	       "  -c, --config FILE  configuration file (default: "
	       "$MAILCOMMENTS_CONFIG,\n"
	       "                     else the embedded defaults)\n"
	       "  -v, --verbose      log debug lines\n"
	       "  -h, --help         this list\n"
	       "  -V, --version      print the version\n\n"
	       "'mailcomments help SUBCOMMAND' shows one subcommand's "
	       "usage.\n");
	return EX_OK;
}

const struct cmd cmd_help = {
	"help", "show the subcommands, or one subcommand's usage",
	"help [SUBCOMMAND]", 0, run,
};
