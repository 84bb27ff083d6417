/* outbox.c: `mailcomments outbox list|flush`: the queue of outgoing mail,
 * and sending it by hand. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../log.h"
#include "../outbox.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct outbox_result res;
	struct mc_err err;

	if (argc >= 2 && strcmp(argv[1], "flush") == 0 && argc == 2) {
		if (outbox_flush_configured(ctx->store, ctx->conf, &res, &err) < 0) {
			log_warnx("%s", err.msg);
			return EX_TEMPFAIL;
		}
		printf("%d sent, %d waiting for a retry, %d given up\n",
		       res.sent, res.deferred, res.failed);
		return res.deferred || res.failed ? EX_TEMPFAIL : EX_OK;
	}
	if (argc == 1 || (strcmp(argv[1], "list") == 0 &&
			  (argc == 2 || (argc == 3 && strcmp(argv[2], "--all") == 0))))
		return outbox_list(ctx->store, stdout, argc == 3, &err) < 0 ?
			       EX_SOFTWARE : EX_OK;
	return EX_USAGE;
}

const struct cmd cmd_outbox = {
	"outbox", "show or send queued outgoing mail",
	"outbox list [--all] | flush", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
