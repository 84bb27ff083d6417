/* list.c: `mailcomments list`: comments as a table or JSON, filtered by
 * status, article and sender.  The operator's view: addresses are shown
 * here, never in anything published. */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../json.h"
#include "../log.h"
#include "../term.h"
#include "../banned.h"

static const char list_sql[] =
	"SELECT c.id, a.slug, c.status, c.author_name, c.author_address,"
	" c.created_at, COALESCE(c.parent_id, 0), c.body, c.by_moderator"
	" FROM comments c JOIN articles a ON a.id = c.article_id"
	" WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR a.slug = ?2)"
	" AND (?3 IS NULL OR c.author_address = ?3 COLLATE NOCASE)"
	" ORDER BY c.id LIMIT ?4";

/* The first line of a body, cut to width characters (UTF-8 aware) and
 * cleaned for the terminal (term.h). */
static void excerpt(const char *body, int width, FILE *out)
{
	const unsigned char *p = (const unsigned char *)(body ? body : "");
	const unsigned char *start = p;
	int chars = 0;
	struct buf b;

	while (*p && *p != '\n' && chars < width) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		chars++;
	}
	buf_init(&b);
	term_clean(&b, (const char *)start, (size_t)(p - start), 0);
	fwrite(b.s, 1, b.len, out);
	buf_free(&b);
	if (*p && *p != '\n')
		fputs("…", out);
}

/* Prints s in exactly width columns, counting characters, not bytes, so
 * accented names keep the table aligned; a mail's controls and newlines
 * become '?' (term.h), so that no name can forge a row. */
static void cell(const char *s, int width, FILE *out)
{
	const unsigned char *p;
	int chars = 0;
	struct buf b;

	buf_init(&b);
	term_clean(&b, s ? s : "", s ? strlen(s) : 0, 0);
	p = (const unsigned char *)b.s;
	while (*p && chars < width) {
		fputc(*p++, out);
		while ((*p & 0xC0) == 0x80)
			fputc(*p++, out);
		chars++;
	}
	for (; chars < width; chars++)
		fputc(' ', out);
	fputc(' ', out);
	buf_free(&b);
}

static void row_json(struct json *j, sqlite3_stmt *s)
{
	char when[32];

	time_iso8601(sqlite3_column_int64(s, 5), when);
	json_obj_begin(j);
	json_kint(j, "id", sqlite3_column_int64(s, 0));
	json_kstr(j, "article", (const char *)sqlite3_column_text(s, 1));
	json_kstr(j, "status", (const char *)sqlite3_column_text(s, 2));
	json_kstr(j, "author_name", (const char *)sqlite3_column_text(s, 3));
	json_kstr(j, "author_address", (const char *)sqlite3_column_text(s, 4));
	json_kstr(j, "created_at", when);
	json_key(j, "parent");
	if (sqlite3_column_int64(s, 6))
		json_int(j, sqlite3_column_int64(s, 6));
	else
		json_null(j);
	json_kbool(j, "by_moderator", sqlite3_column_int(s, 8));
	json_kstr(j, "body", (const char *)sqlite3_column_text(s, 7));
	json_obj_end(j);
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "article", required_argument, NULL, 'a' },
		{ "sender", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *article = NULL, *sender = NULL;
	long limit = -1;
	int c, json = 0, n = 0;
	struct mc_err err;
	sqlite3_stmt *s;
	struct json j;
	struct buf out;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			status = optarg;
			break;
		case 'a':
			article = optarg;
			break;
		case 'f':
			sender = optarg;
			break;
		case 'n':
			limit = strtol(optarg, NULL, 10);
			break;
		case 'j':
			json = 1;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc)
		return EX_USAGE;
	s = store_stmt(ctx->store, list_sql, &err);
	if (s == NULL) {
		log_warnx("%s", err.msg);
		return EX_SOFTWARE;
	}
	store_bind_text(s, 1, status);
	store_bind_text(s, 2, article);
	store_bind_text(s, 3, sender);
	sqlite3_bind_int64(s, 4, limit);
	buf_init(&out);
	json_init(&j, &out, 1);
	if (json)
		json_arr_begin(&j);
	else
		printf("%-5s %-24s %-9s %-20s %-16s %s\n", "ID", "ARTICLE",
		       "STATUS", "AUTHOR", "RECEIVED", "TEXT");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char when[32];

		n++;
		if (json) {
			row_json(&j, s);
			continue;
		}
		time_iso8601(sqlite3_column_int64(s, 5), when);
		when[16] = '\0';
		printf("%-5lld ", (long long)sqlite3_column_int64(s, 0));
		cell((const char *)sqlite3_column_text(s, 1), 24, stdout);
		cell((const char *)sqlite3_column_text(s, 2), 9, stdout);
		/* no public name: the operator sees the address instead */
		cell((const char *)sqlite3_column_text(
			     s, *sqlite3_column_text(s, 3) ? 3 : 4),
		     20, stdout);
		cell(when, 16, stdout);
		excerpt((const char *)sqlite3_column_text(s, 7), 40, stdout);
		putchar('\n');
	}
	sqlite3_reset(s);
	if (json) {
		json_arr_end(&j);
		printf("%s\n", out.s);
	} else if (n == 0) {
		printf("(no comments)\n");
	}
	buf_free(&out);
	return EX_OK;
}

const struct cmd cmd_list = {
	"list", "list comments",
	"list [--status S] [--article SLUG] [--sender ADDR] [--limit N] [--json]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB | CMD_EACH_SITE, run,
};
