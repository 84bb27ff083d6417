/* outbox.c: the queue of outgoing mail.  Rows go in batches (as many as
 * the transport takes at once: transport_batch()): the batch is sent,
 * then what became of each row is recorded in one transaction.  A crash
 * between the two sends the batch again, which the Maildir transport
 * turns into nothing (its files are named after the rows, and one found
 * there is left alone); SMTP cannot tell, so its rows go as a stream
 * (transport_send_stream()), each marked sent in its own transaction as
 * soon as the server took it, before the next one's text leaves.
 * The text (outbox_text) is written once, when queued, with the erased
 * form where its tokens go; outbox_tokens holds, for each token, the
 * nonce it is made from and where it goes.  Marking a row sent deletes
 * those, in that transaction: after that, not even the key file gives
 * its tokens back. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "address.h"
#include "log.h"
#include "outbox.h"
#include "term.h"
#include "token.h"
#include "banned.h"

const char *outbox_refusal(const struct conf *c, const char *recipient)
{
	const char *why = addr_problem(recipient, 0);

	if (why)
		return why;
	if (addr_is_gateway(c, recipient))
		return "the gateway's own address";
	return NULL;
}

/* What a placeholder is in the stored copy of a mail. */
static const char erased[TOKEN_LEN + 1] = "00000000000000000000000000000000";

/* Length of the header of a CRLF message (the whole of it if it has no
 * body).  Placeholders are looked for there only: a comment's words, in
 * the body, are never expanded, whatever they hold. */
static size_t header_len(const char *data, size_t len)
{
	const char *end = memmem(data, len, "\r\n\r\n", 4);

	return end ? (size_t)(end - data) + 2 : len;
}

/* Erases every occurrence of ph (TOKEN_LEN characters) in the first n
 * bytes of data, appending its offset to at (space separated); returns
 * how many. */
static int erase_all(char *data, size_t n, const char *ph, struct buf *at)
{
	char *p = data, *end = data + n;
	int count = 0;

	while ((p = memmem(p, (size_t)(end - p), ph, TOKEN_LEN))) {
		memcpy(p, erased, TOKEN_LEN);
		buf_addf(at, "%s%zu", count ? " " : "", (size_t)(p - data));
		p += TOKEN_LEN;
		count++;
	}
	return count;
}

/* Writes token at each offset that at lists, in the first n bytes of
 * data, where the erased form must be; how many, or -1 when an offset
 * is out of the header or finds something else there. */
static int place_all(char *data, size_t n, const char *at, const char *token)
{
	const char *p = at;
	int count = 0;

	while (*p) {
		char *end;
		unsigned long long off;

		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		off = strtoull(p, &end, 10);
		if (errno || (*end != ' ' && *end != '\0') ||
		    (*end == ' ' && (end[1] < '0' || end[1] > '9')) ||
		    off > n || n - off < TOKEN_LEN ||
		    memcmp(data + off, erased, TOKEN_LEN) != 0)
			return -1;
		memcpy(data + off, token, TOKEN_LEN);
		count++;
		p = *end == ' ' ? end + 1 : end;
	}
	return count;
}

/* The stored outbox_tokens of a row: where each token goes. */
static int add_token(struct store *st, int64_t row, int64_t token_id,
		     const char *nonce, const char *at, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"INSERT INTO outbox_tokens (outbox_id,"
					" token_id, nonce, at) VALUES (?, ?, ?, ?)",
					err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, row);
	sqlite3_bind_int64(stmt, 2, token_id);
	store_bind_text(stmt, 3, nonce);
	store_bind_text(stmt, 4, at);
	return store_step_done(st, stmt, err);
}

static int add_text(struct store *st, int64_t row, const char *data,
		    size_t len, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"INSERT INTO outbox_text (outbox_id,"
					" message) VALUES (?, ?)",
					err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, row);
	sqlite3_bind_blob(stmt, 2, data, (int)len, SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

int outbox_queue(struct store *st, const struct conf *c, const char *kind,
		 const char *recipient, const char *data, size_t len,
		 const struct outbox_refs *refs,
		 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO outbox (kind, recipient, created_at,"
		" next_attempt_at, status, last_error)"
		" VALUES (?, ?, ?, ?, ?, ?)",
		err);
	const char *why = outbox_refusal(c, recipient);
	char *refused = NULL, *text;
	struct buf *at;
	int64_t t = now(), row;
	size_t i, nt = refs ? refs->ntokens : 0, hl = header_len(data, len);
	int rc;

	if (stmt == NULL)
		return -1;
	for (i = 0; i < nt; i++)
		if (strlen(refs->tokens[i].placeholder) != TOKEN_LEN)
			return err_set(err, "queueing a %s: a token placeholder "
				       "is not in its header", kind);
	/* a refused row keeps no text, so it names no token nor comment */
	if (why) {
		refused = xasprintf("refused: %s", why);
		log_warnx("outbox: not queueing the %s to <%s>: %s", kind,
			  recipient, why);
		len = 0;
		nt = 0;
	}
	text = xmalloc(len + 1);
	memcpy(text, data, len);
	at = xcalloc(nt ? nt : 1, sizeof(*at));
	rc = 0;
	for (i = 0; i < nt; i++) {
		buf_init(&at[i]);
		if (erase_all(text, hl, refs->tokens[i].placeholder,
			      &at[i]) == 0)
			rc = err_set(err, "queueing a %s: a token placeholder "
				     "is not in its header", kind);
	}
	if (rc == 0) {
		store_bind_text(stmt, 1, kind);
		store_bind_text(stmt, 2, recipient);
		sqlite3_bind_int64(stmt, 3, t);
		sqlite3_bind_int64(stmt, 4, t);
		store_bind_text(stmt, 5, why ? "failed" : "queued");
		store_bind_text(stmt, 6, refused);
		rc = store_step_done(st, stmt, err);
	}
	row = sqlite3_last_insert_rowid(store_db(st));
	if (rc == 0)
		rc = add_text(st, row, text, len, err);
	for (i = 0; i < nt && rc == 0; i++)
		rc = add_token(st, row, refs->tokens[i].id,
			       refs->tokens[i].placeholder, at[i].s, err);
	for (i = 0; i < nt; i++)
		buf_free(&at[i]);
	free(at);
	free(text);
	free(refused);
	if (rc < 0 || refs == NULL || why)
		return rc;
	for (i = 0; i < refs->ncomments; i++) {
		if (refs->comments[i] <= 0)
			continue;
		/* a command may name a comment that does not exist */
		stmt = store_stmt(st,
				  "INSERT OR IGNORE INTO outbox_comments"
				  " (outbox_id, comment_id) SELECT ?, id"
				  " FROM comments WHERE id = ?",
				  err);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, row);
		sqlite3_bind_int64(stmt, 2, refs->comments[i]);
		if (store_step_done(st, stmt, err) < 0)
			return -1;
	}
	return 0;
}

/* 1 min, 2, 4 ... capped at one hour between attempts. */
static int64_t backoff(int attempts)
{
	int64_t d = 60;

	while (attempts-- > 1 && d < 3600)
		d *= 2;
	return d > 3600 ? 3600 : d;
}

/* A row's new state (its text is in outbox_text, and stays as it is). */
static int mark(struct store *st, int64_t id, const char *status,
		int attempts, int64_t next, const char *error,
		struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE outbox SET status = ?, attempts = ?,"
		" next_attempt_at = ?, last_error = ?,"
		" sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
		" WHERE id = ?",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, status);
	sqlite3_bind_int(stmt, 2, attempts);
	sqlite3_bind_int64(stmt, 3, next);
	store_bind_text(stmt, 4, error);
	store_bind_text(stmt, 5, status);
	sqlite3_bind_int64(stmt, 6, now());
	sqlite3_bind_int64(stmt, 7, id);
	return store_step_done(st, stmt, err);
}

struct due {
	int64_t id, created;
	int attempts;
	char *recipient;
	char *data;
	size_t len;
};

static void due_free(struct due *d)
{
	free(d->recipient);
	free(d->data);
	memset(d, 0, sizeof(*d));
}

/* created_at, attempts, recipient and message, from column col on. */
static void due_read(struct due *d, sqlite3_stmt *stmt, int col)
{
	d->created = sqlite3_column_int64(stmt, col);
	d->attempts = sqlite3_column_int(stmt, col + 1);
	d->recipient = store_col_text(stmt, col + 2);
	d->len = (size_t)sqlite3_column_bytes(stmt, col + 3);
	d->data = xmalloc(d->len + 1);
	if (d->len > 0)
		memcpy(d->data, sqlite3_column_blob(stmt, col + 3), d->len);
	d->data[d->len] = '\0';
}

/* Loads one due row at a time so a large queue never sits in memory. */
static int next_due(struct store *st, int64_t after, int64_t upto,
		    struct due *d, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT o.id, o.created_at, o.attempts, o.recipient, x.message"
		" FROM outbox o JOIN outbox_text x ON x.outbox_id = o.id"
		" WHERE o.status = 'queued' AND o.next_attempt_at <= ?"
		" AND o.id > ? AND o.id <= ? ORDER BY o.id LIMIT 1",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, after);
	sqlite3_bind_int64(stmt, 3, upto);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		d->id = sqlite3_column_int64(stmt, 0);
		due_read(d, stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "reading the outbox: %s",
		       sqlite3_errmsg(store_db(st)));
}

/* The mail as it leaves: d's text with the tokens its row lists written
 * where they go, in its header.  Returns 0 with *out (a new buffer of
 * d->len bytes), 1 with *why when it must not be sent, -1 on errors. */
static int expand(struct store *st, struct due *d, char **out,
		  const char **why, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT token_id, nonce, at FROM outbox_tokens"
		" WHERE outbox_id = ? ORDER BY token_id",
		err);
	struct { int64_t id; char ph[TOKEN_LEN + 1]; char *at; } *list = NULL;
	char token[TOKEN_LEN + 1];
	size_t n = 0, i, hl = header_len(d->data, d->len);
	int rc = 0;

	*out = NULL;
	*why = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, d->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *ph = (const char *)sqlite3_column_text(stmt, 1);

		list = xrealloc(list, (n + 1) * sizeof(*list));
		list[n].id = sqlite3_column_int64(stmt, 0);
		snprintf(list[n].ph, sizeof(list[n].ph), "%s", ph ? ph : "");
		list[n].at = store_col_text(stmt, 2);
		n++;
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE) {
		*out = xmalloc(d->len + 1);
		memcpy(*out, d->data, d->len + 1);
	} else {
		rc = err_set(err, "reading the outbox: %s",
			     sqlite3_errmsg(store_db(st)));
	}
	for (i = 0, rc = rc < 0 ? -1 : 0; i < n && rc == 0; i++) {
		rc = token_expand(st, list[i].id, list[i].ph, token, why, err);
		if (rc == 0 &&
		    place_all(*out, hl, list[i].at ? list[i].at : "",
			      token) <= 0) {
			*why = "its token placeholder is not in its header";
			rc = 1;
		}
	}
	memset(token, 0, sizeof(token));
	for (i = 0; i < n; i++)
		free(list[i].at);
	free(list);
	if (rc != 0 && *out) {
		memset(*out, 0, d->len);
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* The end of a row: sent, or failed for good.  The nonces its tokens
 * are made from go, in the same transaction as the mark. */
static int finish(struct store *st, struct due *d, const char *status,
		  const char *error, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	int own = sqlite3_get_autocommit(store_db(st)), rc;

	if (own && store_begin(st, err) < 0)
		return -1;
	rc = mark(st, d->id, status, d->attempts + 1, 0, error, err);
	if (rc == 0) {
		stmt = store_stmt(st,
				  "DELETE FROM outbox_tokens"
				  " WHERE outbox_id = ?",
				  err);
		if (stmt == NULL)
			rc = -1;
		if (rc == 0) {
			sqlite3_bind_int64(stmt, 1, d->id);
			rc = store_step_done(st, stmt, err);
		}
	}
	if (own) {
		if (rc == 0)
			rc = store_commit(st, err);
		if (rc < 0)
			store_rollback(st);
	}
	return rc;
}

static const char *envelope_sender(const struct conf *c)
{
	return c->smtp_envelope_sender[0] ? c->smtp_envelope_sender :
					     c->address_mailbox;
}

/* What became of one row of a batch, decided before the transaction. */
enum verdict { V_SENT, V_RETRY, V_FAILED };

struct batch {
	struct due *rows;
	char **wire;           /* NULL: not handed to the transport */
	int *status;           /* TRANSPORT_*, or -3 when never sent */
	struct mc_err *errs;
	const char **why;      /* why it must not be sent, or NULL */
	char *refused;         /* 1: why is a refusal of the recipient */
	char *recorded;        /* 1: its fate is committed already */
	size_t n;
};

/* The rows of b that go to the transport, as messages into m, with
 * their places in b into idx; how many. */
static size_t batch_msgs(const struct conf *c, const struct batch *b,
			 struct out_msg *m, size_t *idx)
{
	size_t i, k = 0;

	for (i = 0; i < b->n; i++) {
		if (b->why[i] || b->wire[i] == NULL)
			continue;
		m[k] = (struct out_msg){ b->rows[i].id, envelope_sender(c),
					 b->rows[i].recipient, b->wire[i],
					 b->rows[i].len };
		idx[k++] = i;
	}
	return k;
}

/* A batch holds at most this much mail in memory (twice: stored copy and
 * expanded), besides its count (transport_batch()). */
#define BATCH_BYTES (4u << 20)

static void batch_clear(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->wire[i]) {
			memset(b->wire[i], 0, b->rows[i].len);
			free(b->wire[i]);
		}
		due_free(&b->rows[i]);
	}
	free(b->rows);
	free(b->wire);
	free(b->status);
	free(b->errs);
	free(b->why);
	free(b->refused);
	free(b->recorded);
	memset(b, 0, sizeof(*b));
}

/* batch_load(), inside its read transaction. */
static int batch_load_in(struct store *st, const struct conf *c, size_t max,
			 int64_t *after, int64_t upto, struct batch *b,
			 struct mc_err *err)
{
	size_t bytes = 0;
	int rc = 0;

	b->rows = xcalloc(max, sizeof(*b->rows));
	b->wire = xcalloc(max, sizeof(*b->wire));
	b->status = xcalloc(max, sizeof(*b->status));
	b->errs = xcalloc(max, sizeof(*b->errs));
	b->why = xcalloc(max, sizeof(*b->why));
	b->refused = xcalloc(max, sizeof(*b->refused));
	b->recorded = xcalloc(max, sizeof(*b->recorded));
	while (b->n < max && bytes < BATCH_BYTES &&
	       (rc = next_due(st, *after, upto, &b->rows[b->n], err)) == 1) {
		struct due *d = &b->rows[b->n];
		size_t i = b->n++;

		*after = d->id;
		bytes += d->len;
		b->status[i] = -3;
		/* a row queued before the recipient guard existed */
		b->why[i] = outbox_refusal(c, d->recipient);
		b->refused[i] = b->why[i] != NULL;
		if (b->why[i])
			continue;
		rc = expand(st, d, &b->wire[i], &b->why[i], err);
		if (rc < 0)
			return -1;
	}
	return rc < 0 ? -1 : (int)b->n;
}

/* Loads the next due rows after *after, up to max rows or BATCH_BYTES,
 * and expands those that may go.  Returns the number loaded, -1 on
 * errors. */
static int batch_load(struct store *st, const struct conf *c, size_t max,
		      int64_t *after, int64_t upto, struct batch *b,
		      struct mc_err *err)
{
	int rc, own = sqlite3_get_autocommit(store_db(st));

	/* One read transaction for the batch's reads (the rows, their
	 * tokens): alone, each statement took and released SQLite's locks
	 * (six fcntl calls a mail) */
	if (own && store_begin_read(st, err) < 0)
		return -1;
	rc = batch_load_in(st, c, max, after, upto, b, err);
	if (own && rc >= 0 && store_commit(st, err) < 0)
		rc = -1;
	if (own && rc < 0)
		store_rollback(st);
	return rc;
}

/* Records what became of row i of b, inside the caller's transaction. */
static int record(struct store *st, struct batch *b, size_t i,
		  int64_t max_age, struct outbox_result *res,
		  struct mc_err *err)
{
	struct due *d = &b->rows[i];
	int sr = b->status[i], rc;

	if (b->refused[i]) {
		char *refused = xasprintf("refused: %s", b->why[i]);

		log_warnx("outbox %lld to %s: %s (not sent)",
			  (long long)d->id, d->recipient, refused);
		rc = finish(st, d, "failed", refused, err);
		free(refused);
		res->failed++;
	} else if (b->why[i]) {
		log_warnx("outbox %lld to %s: not sent: %s",
			  (long long)d->id, d->recipient, b->why[i]);
		rc = finish(st, d, "failed", b->why[i], err);
		res->failed++;
	} else if (sr == TRANSPORT_OK) {
		rc = finish(st, d, "sent", NULL, err);
		res->sent++;
	} else if (sr == TRANSPORT_TEMPFAIL &&
		   now() - d->created < max_age) {
		log_warnx("outbox %lld to %s: %s (will retry)",
			  (long long)d->id, d->recipient, b->errs[i].msg);
		rc = mark(st, d->id, "queued", d->attempts + 1,
			  now() + backoff(d->attempts + 1), b->errs[i].msg,
			  err);
		res->deferred++;
	} else {
		log_warnx("outbox %lld to %s: %s (given up)",
			  (long long)d->id, d->recipient, b->errs[i].msg);
		rc = finish(st, d, "failed", b->errs[i].msg, err);
		res->failed++;
	}
	if (rc == 0)
		b->recorded[i] = 1;
	return rc;
}

/* Records what became of each row of b not recorded yet, in one
 * transaction. */
static int batch_finish(struct store *st, struct batch *b, int64_t max_age,
			struct outbox_result *res, struct mc_err *err)
{
	size_t i;
	int rc = store_begin(st, err);

	for (i = 0; i < b->n && rc == 0; i++)
		if (!b->recorded[i])
			rc = record(st, b, i, max_age, res, err);
	if (rc == 0)
		rc = store_commit(st, err);
	if (rc < 0)
		store_rollback(st);
	return rc;
}

/* Hands the rows of b that may go to t, in one batch. */
static void batch_send(const struct conf *c, struct transport *t,
		       struct batch *b)
{
	struct out_msg *m = xcalloc(b->n ? b->n : 1, sizeof(*m));
	size_t *idx = xcalloc(b->n ? b->n : 1, sizeof(*idx));
	int *status = xcalloc(b->n ? b->n : 1, sizeof(*status));
	struct mc_err *errs = xcalloc(b->n ? b->n : 1, sizeof(*errs));
	size_t i, k = batch_msgs(c, b, m, idx);

	if (k > 0)
		transport_send_batch(t, m, k, status, errs);
	for (i = 0; i < k; i++) {
		b->status[idx[i]] = status[i];
		b->errs[idx[i]] = errs[i];
	}
	free(m);
	free(idx);
	free(status);
	free(errs);
}

/* SMTP cannot ask a server whether it has a message, so each message is
 * marked sent in its own transaction before the next one leaves: a
 * killed process sends again at most the one it had in flight.  Those
 * commits need not reach the disk one by one: in WAL mode a commit with
 * synchronous = NORMAL is in the log, which the kernel keeps when the
 * process dies; only a power cut (or a kernel crash) can lose it, and it
 * then costs the resending of the messages marked since the last synced
 * commit.  Every SYNC_EVERY messages or SYNC_MS milliseconds, whichever
 * comes first, a commit is synced (synchronous = FULL for it), and the
 * flush ends with a checkpoint, which syncs the log: a power cut resends
 * at most that many.  It saves an fdatasync per message. */
#define SYNC_EVERY 32
#define SYNC_MS 50

/* A one-message transport still gets its rows this many at a time (and
 * at most BATCH_BYTES), as a stream (transport_send_stream()): SMTP
 * pipelines across them, each recorded on its own. */
#define STREAM_ROWS 64

struct marks {
	size_t unsynced;   /* commits since the last synced one */
	int64_t synced_at; /* when, in ms of CLOCK_MONOTONIC; 0 at the start
			    * of a flush, so that its first mark is synced */
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Records row i of b in its own transaction, syncing the commit when it
 * is due. */
static int record_one(struct store *st, struct batch *b, size_t i,
		      int64_t max_age, struct marks *mk,
		      struct outbox_result *res, struct mc_err *err)
{
	int64_t t = monotonic_ms();
	int sync = ++mk->unsynced >= SYNC_EVERY || t - mk->synced_at >= SYNC_MS;
	int rc;

	if (sync && store_pragma(st, "PRAGMA synchronous = FULL", err) < 0)
		return -1;
	rc = store_begin(st, err);
	if (rc == 0)
		rc = record(st, b, i, max_age, res, err);
	if (rc == 0)
		rc = store_commit(st, err);
	if (rc < 0)
		store_rollback(st);
	if (sync) {
		if (store_pragma(st, "PRAGMA synchronous = NORMAL", err) < 0)
			rc = -1;
		if (rc == 0) {
			mk->unsynced = 0;
			mk->synced_at = t;
		}
	}
	return rc;
}

/* ---- the sent log: marks made beside the batches ----
 *
 * Beside the batches of a poll (outbox_beside.c) the database's write
 * lock belongs to the batch being stored, often for a second: a mark
 * per message there would hold delivery until each batch commits.  So
 * there each message the server took is appended to the sent log, a
 * file beside the database ("ID\n" a line), before the next one's text
 * leaves.  A write() is in the kernel's cache when it returns, which a
 * killed process cannot lose; the log is synced as often as the
 * database's marks are (SYNC_EVERY, SYNC_MS), so a power cut resends at
 * most as many.  Every flush, under the flush lock, first records what
 * the log names as sent, in one transaction (with synchronous = FULL),
 * and then empties it: a crash between the two applies it again, and a
 * row already sent is left alone. */
struct sent_log {
	int fd;
	struct marks mk;
};

static char *sent_log_path(struct store *st)
{
	const char *db = sqlite3_db_filename(store_db(st), "main");

	return db && db[0] ? xasprintf("%s.outbox-sent", db) : NULL;
}

static int sent_log_add(struct sent_log *l, int64_t id, struct mc_err *err)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%lld\n", (long long)id);
	int64_t t = monotonic_ms();

	if (write(l->fd, line, (size_t)n) != n)
		return err_set(err, "outbox: the sent log: %s",
			       strerror(errno ? errno : EIO));
	if (++l->mk.unsynced >= SYNC_EVERY || t - l->mk.synced_at >= SYNC_MS) {
		if (fdatasync(l->fd) < 0)
			return err_set(err, "outbox: syncing the sent log: %s",
				       strerror(errno));
		l->mk.unsynced = 0;
		l->mk.synced_at = t;
	}
	return 0;
}

/* Row id, when it is still queued, as next_due() loads one but without
 * its text, which finish() does not need. */
static int load_queued(struct store *st, int64_t id, struct due *d,
		       struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT created_at, attempts, recipient, '' FROM outbox"
		" WHERE id = ? AND status = 'queued'",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		d->id = id;
		due_read(d, stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return err_set(err, "reading the outbox: %s",
			       sqlite3_errmsg(store_db(st)));
	return 1;
}

/* Records as sent the rows the sent log names, then empties it.  The
 * caller holds the flush lock.  *n: how many were recorded. */
int outbox_sent_log_apply(struct store *st, int *n, struct mc_err *err)
{
	char *path = sent_log_path(st), *p, *nl;
	struct buf b;
	int fd, rc = 0;

	*n = 0;
	if (path == NULL)
		return 0;
	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT ? 0 :
				       err_set(err, "%s: %s", path,
					       strerror(errno));
		free(path);
		return rc;
	}
	buf_init(&b);
	rc = read_file(path, &b, 0, err);
	if (rc == 0 && b.len > 0)
		rc = store_begin(st, err);
	/* a last line without its newline was cut by a power cut: its
	 * message was not known to be sent */
	for (p = b.s; rc == 0 && b.len > 0 &&
		      (nl = memchr(p, '\n', (size_t)(b.s + b.len - p)));
	     p = nl + 1) {
		struct due d = { 0 };

		rc = load_queued(st, strtoll(p, NULL, 10), &d, err);
		if (rc == 1) {
			rc = finish(st, &d, "sent", NULL, err);
			(*n)++;
		}
		due_free(&d);
	}
	if (rc == 0 && b.len > 0)
		rc = store_commit(st, err);
	if (rc < 0 && b.len > 0)
		store_rollback(st);
	if (rc == 0 && ftruncate(fd, 0) < 0)
		rc = err_set(err, "%s: %s", path, strerror(errno));
	buf_free(&b);
	close(fd);
	free(path);
	return rc;
}

/* A stream of a one-message transport: its rows and where it stands. */
struct stream {
	struct store *st;
	struct batch *b;
	size_t *idx;          /* message j of the stream is row idx[j] */
	int64_t max_age;
	struct marks *mk;
	struct outbox_result *res;
	struct mc_err *err;
	int rc;               /* -1 once a record failed, 1 when stopped */
	/* beside the batches (outbox_flush_beside): marks go to log */
	struct sent_log *log;
	const atomic_int *stop;
};

/* The transport's word on message j: recorded before it goes on. */
static int stream_done(void *arg, size_t j, int status,
		       const struct mc_err *e)
{
	struct stream *s = arg;
	size_t i = s->idx[j];

	s->b->status[i] = status;
	if (e && status != TRANSPORT_OK)
		s->b->errs[i] = *e;
	if (s->log) {
		/* Beside the batches only what went: any failure is left
		 * to the flush that ends the pass, which records it. */
		if (status != TRANSPORT_OK) {
			s->rc = 1;
			return -1;
		}
		s->rc = sent_log_add(s->log, s->b->rows[i].id, s->err);
		if (s->rc == 0) {
			/* t-batch checks from it that each went after its
			 * mail's MOVE was answered */
			log_debug("outbox: row %lld sent beside the batches",
				  (long long)s->b->rows[i].id);
			s->b->recorded[i] = 1;
			s->res->sent++;
		}
		if (s->rc == 0 && atomic_load(s->stop))
			s->rc = 1;
		return s->rc == 0 ? 0 : -1;
	}
	s->rc = record_one(s->st, s->b, i, s->max_age, s->mk, s->res,
			   s->err);
	return s->rc;
}

/* Hands the rows of b that may go to t as one stream, each recorded
 * (marked sent) in its own transaction as soon as the server answered
 * it, before the next one's text leaves; then records, together, the
 * rows that may not go. */
static int batch_stream(const struct conf *c, struct transport *t,
			struct stream *s)
{
	struct batch *b = s->b;
	struct out_msg *m = xcalloc(b->n ? b->n : 1, sizeof(*m));
	size_t i, k;

	s->idx = xcalloc(b->n ? b->n : 1, sizeof(*s->idx));
	s->rc = 0;
	k = batch_msgs(c, b, m, s->idx);
	if (k > 0)
		transport_send_stream(t, m, k, stream_done, s);
	free(m);
	free(s->idx);
	s->idx = NULL;
	if (s->rc != 0 || s->log)
		return s->rc;
	for (i = 0; i < b->n; i++)
		if (!b->recorded[i])
			return batch_finish(s->st, b, s->max_age, s->res,
					    s->err);
	return 0;
}

/* Makes the marks committed since the last synced one durable: a
 * checkpoint syncs the log before it copies it (a reader may keep it
 * from copying all of it; that is fine).  SQLITE_BUSY means another
 * process is checkpointing, and syncing the log, at that moment. */
static int marks_sync(struct store *st, struct marks *mk, struct mc_err *err)
{
	int rc;

	if (mk->unsynced == 0)
		return 0;
	rc = sqlite3_wal_checkpoint_v2(store_db(st), NULL,
				       SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return err_set(err, "outbox: syncing the database: %s",
			       sqlite3_errmsg(store_db(st)));
	mk->unsynced = 0;
	return 0;
}

int outbox_flush(struct store *st, const struct conf *c, struct transport *t,
		 struct outbox_result *res, struct mc_err *err)
{
	int64_t after = 0, max_age = (int64_t)c->outbox_max_age_hours * 3600;
	size_t max = transport_batch(t);
	struct batch b = { 0 };
	struct marks mk = { 0, 0 };
	struct stream s = { st, &b, NULL, max_age, &mk, res, err, 0, NULL,
			    NULL };
	int rc;

	memset(res, 0, sizeof(*res));
	/* what was sent beside the batches of a pass (synchronous = FULL
	 * still: the log is emptied once this is on disk) */
	if (outbox_sent_log_apply(st, &res->sent, err) < 0)
		return err_prefix(err, "outbox: applying the sent log: ");
	/* A "sent" mark lost to a power cut only means one batch sent
	 * again, which the Maildir transport finds there already; it does
	 * not need an fsync per batch.  A process that is killed loses
	 * nothing in WAL mode either way.  A transport that cannot tell
	 * (SMTP, one message a batch) syncs every few messages (struct
	 * marks).  Everything else keeps synchronous = FULL: a comment
	 * must be on disk before its mail is acknowledged. */
	if (store_pragma(st, "PRAGMA synchronous = NORMAL", err) < 0)
		return -1;
	/* Rows are read before the batch's transaction, which then writes
	 * them: the loading reads run outside it. */
	while ((rc = batch_load(st, c, max > 1 ? max : STREAM_ROWS, &after,
				INT64_MAX, &b, err)) > 0) {
		if (max > 1) {
			batch_send(c, t, &b);
			rc = batch_finish(st, &b, max_age, res, err);
		} else {
			rc = batch_stream(c, t, &s);
		}
		batch_clear(&b);
		if (rc < 0)
			break;
	}
	batch_clear(&b);
	if (max == 1 && marks_sync(st, &mk, err) < 0)
		rc = -1;
	if (store_pragma(st, "PRAGMA synchronous = FULL", err) < 0)
		rc = -1;
	return rc < 0 ? -1 : 0;
}

static int flush_lock(const struct conf *c, struct mc_err *err);

int outbox_flush_beside(struct store *st, const struct conf *c,
			struct transport *t, int64_t upto, int64_t *after,
			const atomic_int *stop, struct outbox_result *res,
			struct mc_err *err)
{
	int64_t max_age = (int64_t)c->outbox_max_age_hours * 3600;
	struct batch b = { 0 };
	struct marks mk = { 0, 0 };
	struct sent_log log = { -1, { 0, 0 } };
	struct stream s = { st, &b, NULL, max_age, &mk, res, err, 0, &log,
			    stop };
	char *path = sent_log_path(st);
	int rc = 0;

	if (path == NULL)
		return 1;
	log.fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
				    O_CLOEXEC,
		      0600);
	if (log.fd < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	while (!atomic_load(stop) &&
	       (rc = batch_load(st, c, STREAM_ROWS, after, upto, &b, err)) >
		       0) {
		rc = batch_stream(c, t, &s);
		batch_clear(&b);
		if (rc != 0)
			break;
	}
	batch_clear(&b);
	if (log.mk.unsynced > 0 && fdatasync(log.fd) < 0 && rc >= 0)
		rc = err_set(err, "outbox: syncing the sent log: %s",
			     strerror(errno));
	close(log.fd);
	return rc < 0 ? -1 : rc;
}

int outbox_lock(const struct conf *c, struct mc_err *err)
{
	return flush_lock(c, err);
}

/* One sender at a time: a row is sent before it is marked sent, so two
 * processes flushing together (a cron poll and an operator's approve)
 * could both send it.  The lock sits beside the database. */
static int flush_lock(const struct conf *c, struct mc_err *err)
{
	char *path = xasprintf("%s.outbox-lock", c->database_path);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return errno == EWOULDBLOCK ? -2 : -1;
	}
	return fd;
}

int outbox_flush_configured(struct store *st, const struct conf *c,
			    struct outbox_result *res, struct mc_err *err)
{
	struct transport *t;
	int rc, lock;

	memset(res, 0, sizeof(*res));
	lock = flush_lock(c, err);
	if (lock == -2) {
		log_debug("outbox: another process is sending");
		return 0;
	}
	if (lock < 0)
		return -1;
	if (transport_open(&t, c, err) < 0) {
		close(lock);
		return -1;
	}
	rc = outbox_flush(st, c, t, res, err);
	transport_close(t);
	close(lock);
	return rc;
}

int outbox_list(struct store *st, FILE *out, int all, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT id, status, kind, recipient, attempts, created_at,"
		" COALESCE(last_error, '') FROM outbox"
		" WHERE ? OR status != 'sent' ORDER BY id",
		err);
	int n = 0;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, all);
	fprintf(out, "%-6s %-7s %-15s %-8s %-20s %s\n", "ID", "STATUS", "KIND",
		"ATTEMPTS", "QUEUED", "RECIPIENT / LAST ERROR");
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char when[32];
		const char *e = (const char *)sqlite3_column_text(stmt, 6);

		time_iso8601(sqlite3_column_int64(stmt, 5), when);
		fprintf(out, "%-6lld %-7s %-15s %-8d %-20s ",
			(long long)sqlite3_column_int64(stmt, 0),
			sqlite3_column_text(stmt, 1),
			sqlite3_column_text(stmt, 2),
			sqlite3_column_int(stmt, 4), when);
		/* the recipient came from a mail, the error from a server */
		term_put(out, (const char *)sqlite3_column_text(stmt, 3), 0);
		if (*e) {
			fputs(" / ", out);
			term_put(out, e, 0);
		}
		fputc('\n', out);
		n++;
	}
	sqlite3_reset(stmt);
	if (n == 0)
		fprintf(out, "(the outbox is empty)\n");
	return 0;
}

int outbox_last_id(struct store *st, int64_t *id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, "SELECT MAX(id) FROM outbox", err);
	int rc;

	*id = 0;
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? 0 :
				  err_set(err, "reading the outbox: %s",
					  sqlite3_errmsg(store_db(st)));
}

int outbox_next_attempt(struct store *st, int64_t *when, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'",
		err);
	int rc, found = 0;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*when = sqlite3_column_int64(stmt, 0);
		found = 1;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return err_set(err, "reading the outbox: %s",
			       sqlite3_errmsg(store_db(st)));
	return found;
}

/* One queued mail of a version 17 database: its placeholders are erased
 * and outbox_tokens says where they were.  One not found in the header
 * keeps an empty list, and expand() fails the mail, as before. */
static int migrate_text(struct store *st, int64_t row, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT message FROM outbox_text WHERE outbox_id = ?", err);
	sqlite3_stmt *tok;
	struct buf at;
	char *text;
	size_t len, hl;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, row);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return 0;
	}
	len = (size_t)sqlite3_column_bytes(stmt, 0);
	text = xmalloc(len + 1);
	if (len > 0)
		memcpy(text, sqlite3_column_blob(stmt, 0), len);
	sqlite3_reset(stmt);
	hl = header_len(text, len);
	tok = store_stmt(st, "SELECT token_id, nonce FROM outbox_tokens"
			     " WHERE outbox_id = ?", err);
	if (tok == NULL) {
		free(text);
		return -1;
	}
	sqlite3_bind_int64(tok, 1, row);
	buf_init(&at);
	rc = 0;
	while (rc == 0 && sqlite3_step(tok) == SQLITE_ROW) {
		const char *ph = (const char *)sqlite3_column_text(tok, 1);
		int64_t id = sqlite3_column_int64(tok, 0);

		buf_reset(&at);
		if (ph && strlen(ph) == TOKEN_LEN)
			erase_all(text, hl, ph, &at);
		stmt = store_stmt(st, "UPDATE outbox_tokens SET at = ?"
				      " WHERE outbox_id = ? AND token_id = ?",
				  err);
		if (stmt == NULL) {
			rc = -1;
			break;
		}
		store_bind_text(stmt, 1, at.s ? at.s : "");
		sqlite3_bind_int64(stmt, 2, row);
		sqlite3_bind_int64(stmt, 3, id);
		rc = store_step_done(st, stmt, err);
	}
	sqlite3_reset(tok);
	buf_free(&at);
	if (rc == 0) {
		stmt = store_stmt(st, "UPDATE outbox_text SET message = ?"
				      " WHERE outbox_id = ?", err);
		if (stmt == NULL)
			rc = -1;
	}
	if (rc == 0) {
		sqlite3_bind_blob(stmt, 1, text, (int)len, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, row);
		rc = store_step_done(st, stmt, err);
	}
	free(text);
	return rc;
}

int outbox_migrate_text(struct store *st, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT DISTINCT outbox_id FROM outbox_tokens ORDER BY 1",
		err);
	int64_t *rows = NULL;
	size_t n = 0, i;
	int rc;

	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rows = xrealloc(rows, (n + 1) * sizeof(*rows));
		rows[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	rc = rc == SQLITE_DONE ? 0 :
				 err_set(err, "reading the outbox: %s",
					 sqlite3_errmsg(store_db(st)));
	for (i = 0; i < n && rc == 0; i++)
		rc = migrate_text(st, rows[i], err);
	free(rows);
	return rc;
}
