/* prune.c: `mailcomments prune`: applies database.retention_days now (each
 * poll pass does it too), and says what went. */
#include <stdio.h>

#include "cmd.h"
#include "../log.h"
#include "../retention.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct retention_counts n;
	struct mc_err err;
	char line[256];

	(void)argv;
	if (argc != 1)
		return EX_USAGE;
	if (retention_prune(ctx->store, ctx->conf, &n, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	retention_describe(&n, ctx->conf->database_retention_days, line,
			   sizeof(line));
	printf("%s\n", line);
	return EX_OK;
}

const struct cmd cmd_prune = {
	"prune", "delete old mail, mail content and tokens now "
		 "(database.retention_days)",
	"prune", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
