/* import_isso.c: the reader of Isso's SQLite database (threads by URI,
 * comments with their parent; mode 1 accepted, 2 pending, 4 deleted;
 * likes and voters ignored).  The file is opened read-only and never
 * written.  Isso keeps the text as Markdown, which is what our bodies
 * are. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "import.h"
#include "banned.h"

static enum import_status isso_status(int mode)
{
	switch (mode) {
	case 1:
		return IMPORT_APPROVED;
	case 4:
		return IMPORT_DELETED;
	default: /* 2, and whatever a later Isso adds: a moderator decides */
		return IMPORT_PENDING;
	}
}

static const char *col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int import_read_isso(struct import *im, const char *path,
		     struct mc_err *err)
{
	static const char sql[] =
		"SELECT t.uri, t.title, c.id, c.parent, c.created, c.mode,"
		" c.author, c.email, c.text FROM comments c"
		" JOIN threads t ON t.id = c.tid ORDER BY c.id";
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		err_set(err, "%s: not an Isso database: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct import_rec r = { 0 };
		char id[24], parent[24];

		snprintf(id, sizeof(id), "%lld",
			 (long long)sqlite3_column_int64(s, 2));
		snprintf(parent, sizeof(parent), "%lld",
			 (long long)sqlite3_column_int64(s, 3));
		r.thread_url = col(s, 0);
		r.thread_title = col(s, 1);
		r.source_id = id;
		r.parent_id = sqlite3_column_type(s, 3) == SQLITE_NULL
			? NULL : parent;
		r.created_at = (int64_t)sqlite3_column_double(s, 4);
		r.status = isso_status(sqlite3_column_int(s, 5));
		r.author_name = col(s, 6);
		r.author_address = col(s, 7);
		r.body = col(s, 8);
		if (import_add(im, &r, err) < 0) {
			sqlite3_finalize(s);
			sqlite3_close(db);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		err_set(err, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc == SQLITE_DONE ? 0 : -1;
}
