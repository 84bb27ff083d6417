/* render_baseline.c: the baseline of bench/render.sh, what a renderer
 * cannot avoid: read every article's published comments with the
 * renderer's query (every column it reads, the stored HTML included),
 * then either write files of the given sizes under DIR the way render.c
 * writes its outputs (fsroot's batches: the same temp files, the same
 * syncs, renames and directory fsyncs, the same batch bounds), or read
 * the given files (what a render that changes nothing reads to compare).
 * Nothing is rendered: the bytes written are 'x'.  Prints nothing.
 * Usage: render_baseline DB write DIR SIZE...
 *        render_baseline DB read FILE... */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "util.h"
#include "banned.h"

/* render.c's BATCH_FILES and BATCH_BYTES */
#define BATCH_FILES 512
#define BATCH_BYTES (128u << 20)

static int read_rows(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *a, *c;
	size_t bytes = 0;
	int i;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT id FROM articles ORDER BY slug", -1,
			       &a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
		    db,
		    "SELECT id, parent_id, author_name, body, created_at,"
		    " MAX(created_at, COALESCE(decided_at, created_at)),"
		    " by_moderator, author_address, html, html_text,"
		    " html_author, html_key FROM comments"
		    " WHERE article_id = ? AND status = 'approved'"
		    " ORDER BY created_at, id",
		    -1, &c, NULL) != SQLITE_OK) {
		fprintf(stderr, "render_baseline: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(a) == SQLITE_ROW) {
		sqlite3_bind_int64(c, 1, sqlite3_column_int64(a, 0));
		while (sqlite3_step(c) == SQLITE_ROW)
			for (i = 0; i < 12; i++)
				bytes += (size_t)sqlite3_column_bytes(c, i);
		sqlite3_reset(c);
	}
	sqlite3_finalize(a);
	sqlite3_finalize(c);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	(void)bytes;
	return 0;
}

static int write_files(const char *dir, char **sizes, int n)
{
	struct fsroot *r;
	struct fsroot_batch *b = fsroot_batch_new();
	struct mc_err err;
	struct buf x;
	char name[32];
	int i, rc = 0;

	if (fsroot_open(&r, dir, 0644, 0755, FSROOT_CREATE, &err) < 0) {
		fprintf(stderr, "render_baseline: %s\n", err.msg);
		return -1;
	}
	buf_init(&x);
	for (i = 0; i < n && rc == 0; i++) {
		size_t len = (size_t)strtoul(sizes[i], NULL, 10);

		buf_reset(&x);
		buf_grow(&x, len);
		memset(x.s, 'x', len);
		x.len = len;
		snprintf(name, sizeof(name), "%d", i);
		rc = fsroot_stage(b, r, name, x.s, x.len, NULL, &err);
		if (rc == 0 && (fsroot_batch_files(b) >= BATCH_FILES ||
				fsroot_batch_bytes(b) >= BATCH_BYTES))
			rc = fsroot_batch_commit(b, &err);
	}
	if (rc == 0)
		rc = fsroot_batch_commit(b, &err);
	if (rc < 0)
		fprintf(stderr, "render_baseline: %s\n", err.msg);
	fsroot_batch_free(b);
	fsroot_close(r);
	buf_free(&x);
	return rc;
}

int main(int argc, char **argv)
{
	struct mc_err err;
	struct buf b;
	int i;

	if (argc < 3 || (strcmp(argv[2], "write") == 0 && argc < 4)) {
		fprintf(stderr, "usage: render_baseline DB write DIR SIZE...\n"
				"       render_baseline DB read FILE...\n");
		return 2;
	}
	if (read_rows(argv[1]) < 0)
		return 1;
	if (strcmp(argv[2], "write") == 0)
		return write_files(argv[3], argv + 4, argc - 4) < 0;
	buf_init(&b);
	for (i = 3; i < argc; i++) {
		buf_reset(&b);
		if (read_file(argv[i], &b, 0, &err) < 0) {
			fprintf(stderr, "render_baseline: %s\n", err.msg);
			return 1;
		}
	}
	buf_free(&b);
	return 0;
}
