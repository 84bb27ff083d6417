/* forget.c: `mailcomments forget ADDR`: the right to erasure.  Erases
 * every comment, token, mail and record of an address (moderate_forget),
 * empties the write-ahead log, and re-renders what it touched. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../log.h"
#include "../moderate.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct actor who = { "operator", NULL, NULL };
	struct mc_err err;
	int n = 0;

	if (argc != 2 || strchr(argv[1], '@') == NULL || argv[1][0] == '@')
		return EX_USAGE;
	if (store_begin(ctx->store, &err) < 0 ||
	    moderate_forget(ctx->store, ctx->conf, &who, argv[1], &n, &err) < 0 ||
	    store_commit(ctx->store, &err) < 0) {
		store_rollback(ctx->store);
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	/* The deleted rows are zeroed in the file (secure_delete); their
	 * old pages still sit in the write-ahead log until a checkpoint. */
	if (store_checkpoint(ctx->store, &err) < 0)
		log_warnx("%s", err.msg);
	cmd_after_change(ctx);
	printf("%s: %d comment%s and every record erased\n", argv[1], n,
	       n == 1 ? "" : "s");
	return EX_OK;
}

const struct cmd cmd_forget = {
	"forget", "erase every comment and record of an address (GDPR)",
	"forget ADDR", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
