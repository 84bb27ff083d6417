/* ban.c: `mailcomments ban ADDR|@DOMAIN` and `unban`: the same code as a
 * moderator's "ban", with the same audit row. */
#include <stdio.h>

#include "cmd.h"
#include "../log.h"
#include "../moderate.h"
#include "../term.h"
#include "../banned.h"

static int ban(int argc, char **argv, struct cmd_ctx *ctx, int on)
{
	struct actor who = { "operator", NULL, NULL };
	struct mod_result res;
	struct mc_err err;

	if (argc != 2)
		return EX_USAGE;
	if (store_begin(ctx->store, &err) < 0 ||
	    moderate_ban(ctx->store, ctx->conf, &who, argv[1], on, &res,
			 &err) < 0 ||
	    store_commit(ctx->store, &err) < 0) {
		store_rollback(ctx->store);
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	term_put(stdout, res.text, 0);
	putchar('\n');
	return res.outcome == MOD_APPLIED ? EX_OK : EX_DATAERR;
}

static int run_ban(int argc, char **argv, struct cmd_ctx *ctx)
{
	return ban(argc, argv, ctx, 1);
}

static int run_unban(int argc, char **argv, struct cmd_ctx *ctx)
{
	return ban(argc, argv, ctx, 0);
}

const struct cmd cmd_ban = {
	"ban", "refuse comments from a sender or a domain", "ban ADDR|@DOMAIN",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run_ban,
};

const struct cmd cmd_unban = {
	"unban", "lift a ban", "unban ADDR|@DOMAIN",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run_unban,
};
