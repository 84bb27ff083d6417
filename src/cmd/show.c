/* show.c: `mailcomments show N`: one comment, its history and the main
 * headers of the mail it came in.  Everything but the labels came from
 * a mail or a page: it reaches the terminal through term.h. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../articles.h"
#include "../comment.h"
#include "../log.h"
#include "../term.h"
#include "../banned.h"

/* Prints fmt with each "%s" replaced by the next string of v, cleaned as
 * one line; no printf of mail text. */
static void line(const char *fmt, const char *const *v)
{
	const char *p = fmt, *q;

	while ((q = strstr(p, "%s")) != NULL) {
		fwrite(p, 1, (size_t)(q - p), stdout);
		term_put(stdout, *v ? *v : "", 0);
		v++;
		p = q + 2;
	}
	fputs(p, stdout);
}

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

		const char *v[4];
		char action[32];

		time_iso8601(sqlite3_column_int64(s, 0), when);
		snprintf(action, sizeof(action), "%-8s",
			 (const char *)sqlite3_column_text(s, 2));
		v[0] = when;
		v[1] = action;
		v[2] = (const char *)sqlite3_column_text(s, 1);
		v[3] = d;
		line(*d ? "  %s  %s by %s (%s)\n" : "  %s  %s by %s\n", v);
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
	printf("Comment #%lld", (long long)c.id);
	line(" on %s (%s)\n", (const char *[]){ a.slug, a.title });
	line(c.decided_by ? "Status:   %s by %s\n" : "Status:   %s\n",
	     (const char *[]){ c.status, c.decided_by });
	line("Author:   %s <%s>\n",
	     (const char *[]){ c.author_name, c.author_address });
	printf("Received: %s\n", when);
	if (c.parent_id)
		printf("Reply to: #%lld\n", (long long)c.parent_id);
	if (c.has_spam_score)
		printf("Spam:     %.1f\n", c.spam_score);
	if (c.headers && *c.headers) {
		printf("\nMail headers:\n");
		term_put(stdout, c.headers, TERM_LINES);
	}
	putchar('\n');
	term_put(stdout, c.body, TERM_LINES);
	putchar('\n');
	if (c.original_body) {
		printf("\nBefore the moderator's edit:\n");
		term_put(stdout, c.original_body, TERM_LINES);
		putchar('\n');
	}
	history(ctx, id);
	article_free(&a);
	comment_free(&c);
	return EX_OK;
}

const struct cmd cmd_show = {
	"show", "show one comment, its history and its mail's headers",
	"show N", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
