/* outbox.c: the queue of outgoing mail.  Each row is sent, then marked
 * sent; a crash between the two sends it again, which the Maildir
 * transport turns into a replacement (its file is named after the row). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "address.h"
#include "log.h"
#include "outbox.h"
#include "term.h"
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

int outbox_queue(struct store *st, const struct conf *c, const char *kind,
		 const char *recipient, const char *data, size_t len,
		 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO outbox (kind, recipient, message, created_at,"
		" next_attempt_at, status, last_error)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)",
		err);
	const char *why = outbox_refusal(c, recipient);
	char *refused = NULL;
	int64_t t = now();
	int rc;

	if (stmt == NULL)
		return -1;
	if (why) {
		refused = xasprintf("refused: %s", why);
		log_warnx("outbox: not queueing the %s to <%s>: %s", kind,
			  recipient, why);
	}
	store_bind_text(stmt, 1, kind);
	store_bind_text(stmt, 2, recipient);
	if (why)
		sqlite3_bind_blob(stmt, 3, "", 0, SQLITE_STATIC);
	else
		sqlite3_bind_blob(stmt, 3, data, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, t);
	sqlite3_bind_int64(stmt, 5, t);
	store_bind_text(stmt, 6, why ? "failed" : "queued");
	store_bind_text(stmt, 7, refused);
	rc = store_step_done(st, stmt, err);
	free(refused);
	return rc;
}

/* 1 min, 2, 4 ... capped at one hour between attempts. */
static int64_t backoff(int attempts)
{
	int64_t d = 60;

	while (attempts-- > 1 && d < 3600)
		d *= 2;
	return d > 3600 ? 3600 : d;
}

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
	void *data;
	size_t len;
};

/* Loads one due row at a time so a large queue never sits in memory. */
static int next_due(struct store *st, int64_t after, struct due *d,
		    struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT id, created_at, attempts, recipient, message FROM outbox"
		" WHERE status = 'queued' AND next_attempt_at <= ? AND id > ?"
		" ORDER BY id LIMIT 1",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, after);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		d->id = sqlite3_column_int64(stmt, 0);
		d->created = sqlite3_column_int64(stmt, 1);
		d->attempts = sqlite3_column_int(stmt, 2);
		d->recipient = store_col_text(stmt, 3);
		d->len = (size_t)sqlite3_column_bytes(stmt, 4);
		d->data = xmalloc(d->len + 1);
		memcpy(d->data, sqlite3_column_blob(stmt, 4), d->len);
		((char *)d->data)[d->len] = '\0';
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "reading the outbox: %s",
		       sqlite3_errmsg(store_db(st)));
}

static const char *envelope_sender(const struct conf *c)
{
	return c->smtp_envelope_sender[0] ? c->smtp_envelope_sender :
					     c->address_mailbox;
}

int outbox_flush(struct store *st, const struct conf *c, struct transport *t,
		 struct outbox_result *res, struct mc_err *err)
{
	int64_t after = 0, max_age = (int64_t)c->outbox_max_age_hours * 3600;
	struct due d = { 0 };
	int rc;

	memset(res, 0, sizeof(*res));
	/* A "sent" mark lost to a power cut only means one message sent
	 * twice; it does not need an fsync per message.  A process that is
	 * killed loses nothing in WAL mode either way.  Everything else keeps
	 * synchronous = FULL: a comment must be on disk before its mail is
	 * acknowledged. */
	sqlite3_exec(store_db(st), "PRAGMA synchronous = NORMAL", NULL, NULL,
		     NULL);
	while ((rc = next_due(st, after, &d, err)) == 1) {
		struct out_msg m = { d.id, envelope_sender(c), d.recipient,
				     d.data, d.len };
		struct mc_err terr;
		const char *why = outbox_refusal(c, d.recipient);
		int sr = why ? TRANSPORT_PERMFAIL : transport_send(t, &m, &terr);

		if (why)
			snprintf(terr.msg, sizeof(terr.msg), "refused: %s", why);
		after = d.id;
		if (sr == TRANSPORT_OK) {
			rc = mark(st, d.id, "sent", d.attempts + 1, 0, NULL, err);
			res->sent++;
		} else if (sr == TRANSPORT_TEMPFAIL &&
			   now() - d.created < max_age) {
			log_warnx("outbox %lld to %s: %s (will retry)",
				  (long long)d.id, d.recipient, terr.msg);
			rc = mark(st, d.id, "queued", d.attempts + 1,
				  now() + backoff(d.attempts + 1), terr.msg,
				  err);
			res->deferred++;
		} else {
			log_warnx("outbox %lld to %s: %s (given up)",
				  (long long)d.id, d.recipient, terr.msg);
			rc = mark(st, d.id, "failed", d.attempts + 1, 0,
				  terr.msg, err);
			res->failed++;
		}
		free(d.recipient);
		free(d.data);
		if (rc < 0)
			break;
	}
	sqlite3_exec(store_db(st), "PRAGMA synchronous = FULL", NULL, NULL,
		     NULL);
	return rc < 0 ? -1 : 0;
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
