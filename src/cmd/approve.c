/* approve.c: `mailcomments approve N...`: publish comments, as a
 * moderator's "approve" would. */
#include "cmd.h"
#include "../command.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	return cmd_decide(ctx, VERB_APPROVE, argc, argv, 1, NULL);
}

const struct cmd cmd_approve = {
	"approve", "publish comments", "approve N...",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
