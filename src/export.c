/* export.c: the whole database as JSON lines (export.h). */
#include <string.h>

#include "export.h"
#include "json.h"
#include "banned.h"

#define EXPORT_VERSION 1

/* One line: the object in b, then a newline. */
static int put_line(FILE *out, struct buf *b, struct mc_err *err)
{
	buf_addc(b, '\n');
	if (fwrite(b->s, 1, b->len, out) != b->len)
		return err_set(err, "writing the export failed");
	buf_reset(b);
	return 0;
}

/* Column i of the row as a JSON value of its own type. */
static void put_col(struct json *j, sqlite3_stmt *s, int i)
{
	json_key(j, sqlite3_column_name(s, i));
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		json_null(j);
		break;
	case SQLITE_INTEGER:
		json_int(j, sqlite3_column_int64(s, i));
		break;
	case SQLITE_FLOAT:
		json_num(j, sqlite3_column_double(s, i));
		break;
	default:
		json_str(j, (const char *)sqlite3_column_text(s, i));
	}
}

/* Each row of sql as a line {"type": type, column: value...}. */
static int put_rows(struct store *st, FILE *out, const char *type,
		    const char *sql, long *n, struct mc_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	struct buf b;
	struct json j;
	int rc, i;

	if (s == NULL)
		return -1;
	buf_init(&b);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_init(&j, &b, 0);
		json_obj_begin(&j);
		json_kstr(&j, "type", type);
		for (i = 0; i < sqlite3_column_count(s); i++)
			put_col(&j, s, i);
		json_obj_end(&j);
		if (put_line(out, &b, err) < 0)
			break;
		(*n)++;
	}
	sqlite3_reset(s);
	buf_free(&b);
	if (rc == SQLITE_ROW)
		return -1;
	if (rc != SQLITE_DONE)
		return err_set(err, "%s", sqlite3_errmsg(store_db(st)));
	return 0;
}

static int put_header(struct store *st, FILE *out, struct mc_err *err)
{
	struct buf b;
	struct json j;
	int rc;

	buf_init(&b);
	json_init(&j, &b, 0);
	json_obj_begin(&j);
	json_kstr(&j, "type", "mailcomments-export");
	json_kint(&j, "version", EXPORT_VERSION);
	json_kint(&j, "schema", store_schema_version(st));
	json_kint(&j, "exported_at", now());
	json_obj_end(&j);
	rc = put_line(out, &b, err);
	buf_free(&b);
	return rc;
}

int export_all(struct store *st, FILE *out, struct export_counts *n,
	       struct mc_err *err)
{
	struct mc_err end;
	int rc;

	memset(n, 0, sizeof(*n));
	/* deferred: a read snapshot, no write lock taken */
	if (store_pragma(st, "BEGIN", err) < 0)
		return -1;
	rc = put_header(st, out, err);
	if (rc == 0)
		rc = put_rows(st, out, "article",
			"SELECT id, slug, title, url, page, origin, created_at,"
			" closed_at, reopened_at, language FROM articles"
			" ORDER BY id", &n->articles, err);
	/* the words and addresses as stored; the renderer's cached HTML
	 * and the mail's headers are left out (made again, or private) */
	if (rc == 0)
		rc = put_rows(st, out, "comment",
			"SELECT c.id, a.slug AS article, c.parent_id AS parent,"
			" c.author_name, c.author_address, c.body,"
			" c.original_body, c.status, c.created_at, c.updated_at,"
			" c.decided_at, c.decided_by, c.by_moderator, c.subject,"
			" c.source, c.message_id FROM comments c"
			" JOIN articles a ON a.id = c.article_id ORDER BY c.id",
			&n->comments, err);
	if (rc == 0)
		rc = put_rows(st, out, "sender",
			"SELECT address, banned, trusted, confirmed,"
			" unsubscribed, approved_count, created_at, updated_at"
			" FROM senders"
			" ORDER BY address", &n->senders, err);
	if (rc == 0)
		rc = put_rows(st, out, "audit",
			"SELECT id, at, actor, action, comment_id, detail,"
			" message_id, prev_status, undone FROM audit ORDER BY id",
			&n->audit, err);
	store_pragma(st, "COMMIT", &end); /* read only: nothing to lose */
	if (rc == 0 && fflush(out) != 0)
		return err_set(err, "writing the export failed");
	return rc;
}
