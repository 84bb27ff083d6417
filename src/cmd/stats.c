/* stats.c: `mailcomments stats`: how much is where. */
#include <stdio.h>

#include "cmd.h"
#include "../log.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const char *const rows[][2] = {
		{ "articles", "SELECT count(*) FROM articles" },
		{ "comments", "SELECT count(*) FROM comments" },
		{ "  published", "SELECT count(*) FROM comments WHERE status = 'approved'" },
		{ "  pending", "SELECT count(*) FROM comments WHERE status = 'pending'" },
		{ "    awaiting digest", "SELECT count(*) FROM comments WHERE status = 'pending' AND notified_at IS NULL" },
		{ "  unconfirmed", "SELECT count(*) FROM comments WHERE status = 'unconfirmed'" },
		{ "  rejected", "SELECT count(*) FROM comments WHERE status = 'rejected'" },
		{ "  spam", "SELECT count(*) FROM comments WHERE status = 'spam'" },
		{ "  deleted", "SELECT count(*) FROM comments WHERE status = 'deleted'" },
		{ "senders banned", "SELECT count(*) FROM senders WHERE banned" },
		{ "senders trusted", "SELECT count(*) FROM senders WHERE trusted" },
		{ "messages processed", "SELECT count(*) FROM processed" },
		{ "  set aside", "SELECT count(*) FROM processed WHERE outcome LIKE 'set aside%' OR outcome LIKE 'refused%'" },
		{ "    to retry", "SELECT count(*) FROM processed WHERE retry = 1" },
		{ "outbox queued", "SELECT count(*) FROM outbox WHERE status = 'queued'" },
		{ "outbox sent", "SELECT count(*) FROM outbox WHERE status = 'sent'" },
		{ "outbox failed", "SELECT count(*) FROM outbox WHERE status = 'failed'" },
		{ "audit rows", "SELECT count(*) FROM audit" },
		{ "flood mode (1: on)", "SELECT count(*) FROM state WHERE key = 'flood_since' AND CAST(value AS INTEGER) > 0" },
	};
	struct mc_err err;
	size_t i;

	(void)argv;
	if (argc != 1)
		return EX_USAGE;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sqlite3_stmt *s = store_stmt(ctx->store, rows[i][1], &err);

		if (s == NULL) {
			log_warnx("%s", err.msg);
			return EX_SOFTWARE;
		}
		if (sqlite3_step(s) == SQLITE_ROW)
			printf("%-20s %lld\n", rows[i][0],
			       (long long)sqlite3_column_int64(s, 0));
		sqlite3_reset(s);
	}
	return EX_OK;
}

const struct cmd cmd_stats = {
	"stats", "counts of comments, senders and mail", "stats",
	CMD_NEEDS_CONF | CMD_NEEDS_DB | CMD_EACH_SITE, run,
};
