/* store.h: the SQLite database: opening, schema migrations, transactions,
 * and the records every stage shares (processed messages, audit log).
 *
 * The database is the truth: pages are rendered from it alone, and a source
 * message is acknowledged only after the transaction that recorded its
 * effect has committed.  Opened in WAL mode with foreign keys on, deleted
 * content overwritten (secure_delete) and a busy timeout; every query is a prepared statement, prepared once per
 * connection (store_stmt).  Functions return 0 or -1 with err filled. */
#ifndef MC_STORE_H
#define MC_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "util.h"

struct store;

/* The schema version this build writes. */
int store_schema_latest(void);

/* Opens (creating it and its directory if needed) and migrates path to the
 * latest schema.  A database with a newer schema is refused.  The caller
 * releases *st with store_close(). */
int store_open(struct store **st, const char *path, struct mc_err *err);

/* Like store_open() but migrates only up to `version` (tests use it to make
 * databases of older schemas). */
int store_open_version(struct store **st, const char *path, int version,
		       struct mc_err *err);

/* Like store_open_version(), with the key file at key_path (NULL or "":
 * path + ".key"). */
int store_open_full(struct store **st, const char *path,
		    const char *key_path, int version, struct mc_err *err);

/* The gateway's secret key (keyfile.h), read from the key file on first
 * use and created if there is none.  *key points into st. */
int store_key(struct store *st, const unsigned char **key,
	      struct mc_err *err);
const char *store_key_path(struct store *st);
/* Another connection to st's database and key, for another thread of
 * the same process, with its own statements (independent of st once open). */
int store_open_sibling(struct store **stp, struct store *st,
		       struct mc_err *err);

/* Empties the write-ahead log into the database file and truncates it, so
 * that what was just deleted is gone from the -wal file too.  Fails when
 * another connection is reading (the log is then kept until later). */
int store_checkpoint(struct store *st, struct mc_err *err);

void store_close(struct store *st);

/* The schema version recorded in the database. */
int store_schema_version(struct store *st);

sqlite3 *store_db(struct store *st);

/* Runs one PRAGMA (a constant text) that sets a connection's mode, e.g.
 * "PRAGMA synchronous = NORMAL"; -1 with err filled on error. */
int store_pragma(struct store *st, const char *sql, struct mc_err *err);

/* Returns a prepared statement for sql, prepared once and cached by its
 * text; it is reset and its bindings cleared before it is returned.  The
 * store owns it: do not finalize.  sql must live as long as the store (a
 * string constant): the cache keeps the pointer.  NULL with err filled on
 * error. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql,
			 struct mc_err *err);

/* Runs a statement that returns no rows (store_stmt + step).  Fills err
 * with SQLite's message. */
int store_step_done(struct store *st, sqlite3_stmt *stmt, struct mc_err *err);

/* Steps a query once and resets it: 1 if it returned a row, 0 if none,
 * -1 on error (err filled).  For "is there such a row?" questions. */
int store_step_exists(struct store *st, sqlite3_stmt *stmt,
		      struct mc_err *err);

/* Steps a query whose first column is a count (SELECT count(*) ...) once
 * and resets it: *n receives the count (0 on error).  Returns 0 or -1
 * with err filled. */
int store_step_count(struct store *st, sqlite3_stmt *stmt, int *n,
		     struct mc_err *err);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Transactions do not nest.
 * store_begin_read() begins a transaction that takes no lock until its
 * first statement (a read lock then): reads that belong together take
 * SQLite's locks once, not once a statement; end it with
 * store_commit(). */
int store_begin(struct store *st, struct mc_err *err);
int store_begin_read(struct store *st, struct mc_err *err);
int store_commit(struct store *st, struct mc_err *err);
void store_rollback(struct store *st);

/* Records that a source message was handled, keyed by its Message-ID (or
 * "sha256:HEX" of its content when it has none).  *inserted is 1 when the
 * row is new and 0 when the key was already recorded: processing a message
 * twice is then a no-op.  A row recorded with retry set (a message set
 * aside by a rate or site limit, not for what it is) does not count as
 * processed: the message may come again, and its new record replaces
 * that one (*inserted is then 1). */
struct processed {
	const char *key;
	const char *source;    /* "maildir:/path" or "imap://host/folder" */
	const char *source_id; /* file name or UID */
	const char *kind;      /* comment, command, autoreply, ... */
	const char *outcome;   /* stored, applied, set-aside, ... */
	int64_t comment_id;    /* 0 for none */
	int retry;             /* 1: held back by a limit, may be retried */
};
int store_processed_add(struct store *st, const struct processed *p,
			int *inserted, struct mc_err *err);

/* 1 if key was recorded for good (not for a retry), as itself or hashed
 * when its sender was forgotten; 0 if not, -1 on error. */
int store_processed_has(struct store *st, const char *key, struct mc_err *err);

/* What forget leaves of a message's key: "forgotten:" and its SHA-256,
 * enough to recognise the message if it comes again, and nothing of who
 * sent it. */
#define STORE_FORGOTTEN_KEY 76
void store_forgotten_key(const char *key, char out[STORE_FORGOTTEN_KEY]);

/* Appends an audit row: who (a moderator address, "operator" or
 * "gateway"), what (approve, reject, ...), on which comment (0: none), a
 * free detail, and the Message-ID of the mail that asked (NULL from the
 * shell). */
struct audit {
	const char *actor;
	const char *action;
	int64_t comment_id;
	const char *detail;
	const char *message_id;
	const char *prev_status; /* status before a decision, for undo */
};
int store_audit(struct store *st, const struct audit *a, struct mc_err *err);

/* Small named values that outlive a run (e.g. when the last digest went
 * out).  store_state_get returns a new string or NULL if unset. */
char *store_state_get(struct store *st, const char *key, struct mc_err *err);
int store_state_set(struct store *st, const char *key, const char *value,
		    struct mc_err *err);

/* Binds s as text, or NULL when s is NULL. */
void store_bind_text(sqlite3_stmt *stmt, int i, const char *s);

/* Text column as a new string (NULL stays NULL); caller frees. */
char *store_col_text(sqlite3_stmt *stmt, int col);

#endif
