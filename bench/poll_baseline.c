/* poll_baseline.c: the floor of bench/imap.sh's poll, what a durable
 * poll cannot avoid: the same mail fetched by the IMAP source in the
 * same batches, each batch's mail stored (its raw bytes, under a unique
 * key: the SHA-256 a parse computes too) with one notification of
 * NOTIFY bytes (its text in a table of its own, as the outbox keeps it,
 * and a narrow row for its state) and the position, committed
 * (synchronous = FULL, as the gateway's store), then moved with one UID
 * MOVE; at the end the notifications written into the outbox Maildir by
 * the Maildir transport (the same batches, syncs and renames) and marked
 * sent, one transaction a batch.  Nothing is parsed, checked, composed or logged.
 * Usage: poll_baseline CONF NOTIFY  (CONF's database.path: a fresh
 * database; source.type imap, transport.type maildir) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "source.h"
#include "store.h"
#include "transport.h"
#include "util.h"
#include "banned.h"

static int die(const char *what, const char *msg)
{
	fprintf(stderr, "poll_baseline: %s: %s\n", what, msg);
	return 1;
}

static int floor_exec(struct store *st, const char *sql)
{
	char *e = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &e) != SQLITE_OK) {
		die(sql, e ? e : "?");
		sqlite3_free(e);
		return -1;
	}
	return 0;
}

/* One batch stored with its position, committed, then moved. */
static int store_batch(struct store *st, struct source *src,
		       sqlite3_stmt *mail, sqlite3_stmt *out,
		       sqlite3_stmt *text, const struct src_msg *b, size_t n, const char *note,
		       size_t note_len, struct mc_err *err)
{
	size_t i;

	if (store_begin(st, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char key[65];

		sha256_hex(b[i].raw.s, b[i].raw.len, key);
		sqlite3_bind_text(mail, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(mail, 2, b[i].raw.s, (int)b[i].raw.len,
				  SQLITE_STATIC);
		sqlite3_bind_blob(text, 1, note, (int)note_len, SQLITE_STATIC);
		if (sqlite3_step(mail) != SQLITE_DONE ||
		    sqlite3_step(out) != SQLITE_DONE ||
		    sqlite3_step(text) != SQLITE_DONE) {
			err_set(err, "insert: %s", sqlite3_errmsg(store_db(st)));
			store_rollback(st);
			return -1;
		}
		sqlite3_reset(mail);
		sqlite3_reset(out);
		sqlite3_reset(text);
	}
	if (source_checkpoint(src, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (source_ack(src, &b[i], SRC_PROCESSED, err) < 0)
			return -1;
	return source_flush(src, err);
}

/* The outbox: every row delivered by the transport in its batches, each
 * batch marked sent in one transaction. */
static int deliver(struct store *st, struct transport *t, struct mc_err *err)
{
	size_t max = transport_batch(t), n, i;
	struct out_msg *m = xcalloc(max, sizeof(*m));
	struct mc_err *errs = xcalloc(max, sizeof(*errs));
	int *status = xcalloc(max, sizeof(*status));
	sqlite3_stmt *sel, *mark;
	int64_t after = 0;
	int rc = 0;

	if (sqlite3_prepare_v2(store_db(st),
			       "SELECT id, text FROM floor_out JOIN floor_text"
			       " USING (id) WHERE id > ? AND sent = 0"
			       " ORDER BY id LIMIT ?",
			       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store_db(st),
			       "UPDATE floor_out SET sent = 1 WHERE id = ?",
			       -1, &mark, NULL) != SQLITE_OK)
		return err_set(err, "%s", sqlite3_errmsg(store_db(st)));
	do {
		char **keep = xcalloc(max, sizeof(*keep));

		sqlite3_bind_int64(sel, 1, after);
		sqlite3_bind_int64(sel, 2, (int64_t)max);
		for (n = 0; n < max && sqlite3_step(sel) == SQLITE_ROW; n++) {
			size_t len = (size_t)sqlite3_column_bytes(sel, 1);

			keep[n] = xmalloc(len + 1);
			memcpy(keep[n], sqlite3_column_blob(sel, 1), len);
			m[n].id = sqlite3_column_int64(sel, 0);
			m[n].recipient = "moderator@example.org";
			m[n].data = keep[n];
			m[n].len = len;
			after = m[n].id;
		}
		sqlite3_reset(sel);
		if (n > 0) {
			transport_send_batch(t, m, n, status, errs);
			rc = store_begin(st, err);
			for (i = 0; i < n && rc == 0; i++) {
				if (status[i] != TRANSPORT_OK) {
					rc = err_set(err, "%s", errs[i].msg);
					break;
				}
				sqlite3_bind_int64(mark, 1, m[i].id);
				if (sqlite3_step(mark) != SQLITE_DONE)
					rc = err_set(err, "mark");
				sqlite3_reset(mark);
			}
			if (rc == 0)
				rc = store_commit(st, err);
			else
				store_rollback(st);
		}
		for (i = 0; i < n; i++)
			free(keep[i]);
		free(keep);
	} while (rc == 0 && n == max);
	sqlite3_finalize(sel);
	sqlite3_finalize(mark);
	free(m);
	free(errs);
	free(status);
	return rc;
}

int main(int argc, char **argv)
{
	struct src_msg *batch;
	struct transport *t = NULL;
	struct source *src = NULL;
	struct store *st = NULL;
	sqlite3_stmt *mail = NULL, *out = NULL, *text = NULL;
	struct mc_err err;
	struct buf errs;
	struct conf c;
	size_t note_len, max, n;
	char *note;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: poll_baseline CONF NOTIFY\n");
		return 2;
	}
	buf_init(&errs);
	if (conf_load(&c, argv[1], &errs) < 0)
		return die(argv[1], errs.s);
	buf_free(&errs);
	note_len = strtoul(argv[2], NULL, 10);
	note = xmalloc(note_len + 1);
	memset(note, 'x', note_len);
	if (store_open(&st, c.database_path, &err) < 0)
		return die(c.database_path, err.msg);
	if (floor_exec(st, "CREATE TABLE floor_mail (key TEXT PRIMARY KEY,"
		     " raw BLOB NOT NULL);"
		     "CREATE TABLE floor_out (id INTEGER PRIMARY KEY,"
		     " sent INTEGER NOT NULL DEFAULT 0);"
		     "CREATE TABLE floor_text (id INTEGER PRIMARY KEY,"
		     " text BLOB NOT NULL)") < 0 ||
	    sqlite3_prepare_v2(store_db(st),
			       "INSERT INTO floor_mail (key, raw) VALUES (?, ?)",
			       -1, &mail, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store_db(st),
			       "INSERT INTO floor_out DEFAULT VALUES", -1,
			       &out, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store_db(st),
			       "INSERT INTO floor_text (id, text)"
			       " VALUES (last_insert_rowid(), ?)", -1,
			       &text, NULL) != SQLITE_OK)
		return die("prepare", sqlite3_errmsg(store_db(st)));
	if (transport_open(&t, &c, &err) < 0 ||
	    source_open(&src, &c, NULL, st, &err) < 0)
		return die("open", err.msg);
	max = src->batch_max ? src->batch_max : 100;
	batch = xcalloc(max, sizeof(*batch));
	while (rc == 0) {
		rc = source_fetch(src, batch, max, &n, &err);
		if (rc < 0 || n == 0)
			break;
		rc = store_batch(st, src, mail, out, text, batch, n, note,
				 note_len, &err);
		src_msgs_clear(batch, n);
	}
	source_close(src);
	if (rc == 0)
		rc = deliver(st, t, &err);
	if (rc < 0)
		die("poll", err.msg);
	sqlite3_finalize(mail);
	sqlite3_finalize(out);
	sqlite3_finalize(text);
	transport_close(t);
	store_close(st);
	conf_free(&c);
	free(batch);
	free(note);
	return rc < 0 ? 1 : 0;
}
