/* delete.c: `mailcomments delete N...`: unpublish published comments. */
#include "cmd.h"
#include "../command.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	return cmd_decide(ctx, VERB_DELETE, argc, argv, 1, NULL);
}

const struct cmd cmd_delete = {
	"delete", "unpublish a published comment", "delete N...",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
