/* show.c: `mailcomments show N`: one comment, its history and the main
 * headers of the mail it came in. */
#include <stdio.h>

#include "cmd.h"
#include "../articles.h"
#include "../comment.h"
#include "../log.h"
#include "../banned.h"

static void history(struct cmd_ctx *ctx, int64_t id)
{
	sqlite3_stmt *s = store_stmt(ctx->store,
				     "SELECT at, actor, action, detail, undone"
				     " FROM audit WHERE comment_id = ? ORDER BY id",
				     NULL);

	if (s == NULL)
		return;
	sqlite3_bind_int64(s, 1, id);
	printf("\nHistory:\n");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char when[32];
		const char *d = (const char *)sqlite3_column_text(s, 3);

		time_iso8601(sqlite3_column_int64(s, 0), when);
		printf("  %s  %-8s by %s%s%s%s\n", when,
		       sqlite3_column_text(s, 2), sqlite3_column_text(s, 1),
		       *d ? " (" : "", d, *d ? ")" : "");
	}
	sqlite3_reset(s);
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct comment c;
	struct article a;
	struct mc_err err;
	char when[32];
	int64_t id;
	int rc;

	if (argc != 2 || (id = cmd_comment_id(argv[1])) == 0)
		return EX_USAGE;
	rc = comment_get(ctx->store, id, &c, &err);
	if (rc < 0) {
		log_warnx("%s", err.msg);
		return EX_SOFTWARE;
	}
	if (rc == 0) {
		fprintf(stderr, "mailcomments: no comment #%lld\n",
			(long long)id);
		return EX_DATAERR;
	}
	if (article_get(ctx->store, c.article_id, &a, &err) != 1) {
		comment_free(&c);
		return EX_SOFTWARE;
	}
	time_iso8601(c.created_at, when);
	printf("Comment #%lld on %s (%s)\n", (long long)c.id, a.slug, a.title);
	printf("Status:   %s%s%s\n", c.status, c.decided_by ? " by " : "",
	       c.decided_by ? c.decided_by : "");
	printf("Author:   %s <%s>\n", c.author_name, c.author_address);
	printf("Received: %s\n", when);
	if (c.parent_id)
		printf("Reply to: #%lld\n", (long long)c.parent_id);
	if (c.has_spam_score)
		printf("Spam:     %.1f\n", c.spam_score);
	if (c.headers && *c.headers)
		printf("\nMail headers:\n%s", c.headers);
	printf("\n%s\n", c.body);
	if (c.original_body)
		printf("\nBefore the moderator's edit:\n%s\n", c.original_body);
	history(ctx, id);
	article_free(&a);
	comment_free(&c);
	return EX_OK;
}

const struct cmd cmd_show = {
	"show", "show one comment, its history and its mail's headers",
	"show N", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
