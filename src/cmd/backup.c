/* backup.c: `mailcomments backup FILE`: a consistent copy of the database,
 * taken while the daemon may be writing (backup.h). */
#include <stdio.h>

#include "cmd.h"
#include "../backup.h"
#include "../log.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct backup_info info;
	struct mc_err err;
	const char *key;

	if (argc != 2 || argv[1][0] == '\0')
		return EX_USAGE;
	if (backup_to(ctx->store, argv[1], &info, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_CANTCREAT;
	}
	printf("%s: %lld comments, %lld bytes (mode 0600)\n", argv[1],
	       (long long)info.comments, (long long)info.bytes);
	key = store_key_path(ctx->store);
	/* tokens are derived from the key: a copy restored without it
	 * still holds every comment, but mailed links stop working */
	if (key && key[0])
		printf("The key file %s is not in the copy: back it up apart "
		       "(tokens mailed before need it).\n", key);
	return EX_OK;
}

const struct cmd cmd_backup = {
	"backup", "copy the database to FILE, safely while the daemon runs",
	"backup FILE", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
