/* comment.c: the comments and senders tables.  Plain data access: every
 * rule about who may change what is in moderate.c and ingest.c. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "comment.h"
#include "banned.h"

#define COMMENT_COLS \
	"id, article_id, COALESCE(parent_id, 0), author_name, author_address," \
	" body, original_body, status, message_id, subject, headers, source," \
	" decided_by, created_at, COALESCE(decided_at, 0), by_moderator," \
	" spam_score, author_key, auth"

int comment_get(struct store *st, int64_t id, struct comment *c,
		struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT " COMMENT_COLS " FROM comments WHERE id = ?", err);
	int rc;

	memset(c, 0, sizeof(*c));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		c->id = sqlite3_column_int64(stmt, 0);
		c->article_id = sqlite3_column_int64(stmt, 1);
		c->parent_id = sqlite3_column_int64(stmt, 2);
		c->author_name = store_col_text(stmt, 3);
		c->author_address = store_col_text(stmt, 4);
		c->body = store_col_text(stmt, 5);
		c->original_body = store_col_text(stmt, 6);
		c->status = store_col_text(stmt, 7);
		c->message_id = store_col_text(stmt, 8);
		c->subject = store_col_text(stmt, 9);
		c->headers = store_col_text(stmt, 10);
		c->source = store_col_text(stmt, 11);
		c->decided_by = store_col_text(stmt, 12);
		c->created_at = sqlite3_column_int64(stmt, 13);
		c->decided_at = sqlite3_column_int64(stmt, 14);
		c->by_moderator = sqlite3_column_int(stmt, 15);
		c->has_spam_score = sqlite3_column_type(stmt, 16) != SQLITE_NULL;
		c->spam_score = sqlite3_column_double(stmt, 16);
		c->author_key = store_col_text(stmt, 17);
		c->auth = store_col_text(stmt, 18);
		if (c->auth == NULL)
			c->auth = xstrdup("");
		if (c->author_key == NULL) { /* not synced yet */
			c->author_key = xstrdup(c->author_address ?
							c->author_address :
							"");
			ascii_lower(c->author_key);
		}
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "reading comment %lld: %s", (long long)id,
		       sqlite3_errmsg(store_db(st)));
}

void comment_free(struct comment *c)
{
	free(c->author_name);
	free(c->author_address);
	free(c->author_key);
	free(c->body);
	free(c->original_body);
	free(c->status);
	free(c->message_id);
	free(c->subject);
	free(c->headers);
	free(c->source);
	free(c->decided_by);
	free(c->auth);
	memset(c, 0, sizeof(*c));
}

int comment_insert(struct store *st, const struct comment *c, int64_t *id,
		   struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO comments (article_id, parent_id, author_name,"
		" author_address, body, status, created_at, updated_at,"
		" decided_at, decided_by, message_id, source, by_moderator,"
		" spam_score, subject, headers, author_key, auth, sender_seq)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?17,"
		" ?, CASE WHEN ?13 = 0 THEN COALESCE((SELECT sender_seq FROM"
		" comments WHERE author_key = ?17 AND by_moderator = 0"
		" ORDER BY sender_seq DESC LIMIT 1), 0) + 1 END)",
		err);
	int64_t t = now();
	char *key;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, c->article_id);
	if (c->parent_id > 0)
		sqlite3_bind_int64(stmt, 2, c->parent_id);
	store_bind_text(stmt, 3, c->author_name);
	store_bind_text(stmt, 4, c->author_address);
	store_bind_text(stmt, 5, c->body);
	store_bind_text(stmt, 6, c->status);
	sqlite3_bind_int64(stmt, 7, t);
	sqlite3_bind_int64(stmt, 8, t);
	if (c->decided_by) {
		sqlite3_bind_int64(stmt, 9, t);
		store_bind_text(stmt, 10, c->decided_by);
	}
	store_bind_text(stmt, 11, c->message_id);
	store_bind_text(stmt, 12, c->source ? c->source : "");
	sqlite3_bind_int(stmt, 13, c->by_moderator);
	if (c->has_spam_score)
		sqlite3_bind_double(stmt, 14, c->spam_score);
	store_bind_text(stmt, 15, c->subject ? c->subject : "");
	store_bind_text(stmt, 16, c->headers ? c->headers : "");
	key = xstrdup(c->author_key ? c->author_key : c->author_address);
	ascii_lower(key);
	store_bind_text(stmt, 17, key);
	free(key);
	store_bind_text(stmt, 18, c->auth ? c->auth : "");
	if (store_step_done(st, stmt, err) < 0)
		return err_prefix(err, "storing a comment: ");
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int comment_set_status(struct store *st, int64_t id, const char *status,
		       const char *decided_by, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE comments SET status = ?, decided_by = ?,"
		" decided_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END,"
		" updated_at = ? WHERE id = ?",
		err);
	int64_t t = now();

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, status);
	store_bind_text(stmt, 2, decided_by);
	store_bind_text(stmt, 3, decided_by);
	sqlite3_bind_int64(stmt, 4, t);
	sqlite3_bind_int64(stmt, 5, t);
	sqlite3_bind_int64(stmt, 6, id);
	return store_step_done(st, stmt, err);
}

int comment_set_body(struct store *st, int64_t id, const char *body,
		     struct mc_err *err)
{
	sqlite3_stmt *stmt;

	if (body)
		stmt = store_stmt(st,
				  "UPDATE comments SET original_body ="
				  " COALESCE(original_body, body), body = ?,"
				  " updated_at = ? WHERE id = ?",
				  err);
	else
		stmt = store_stmt(st,
				  "UPDATE comments SET body ="
				  " COALESCE(original_body, body),"
				  " original_body = NULL, updated_at = ?"
				  " WHERE id = ?",
				  err);
	if (stmt == NULL)
		return -1;
	if (body) {
		store_bind_text(stmt, 1, body);
		sqlite3_bind_int64(stmt, 2, now());
		sqlite3_bind_int64(stmt, 3, id);
	} else {
		sqlite3_bind_int64(stmt, 1, now());
		sqlite3_bind_int64(stmt, 2, id);
	}
	return store_step_done(st, stmt, err);
}

int comment_mark_notified(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE comments SET notified_at = ? WHERE id = ?", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, id);
	return store_step_done(st, stmt, err);
}

int comment_count_since(struct store *st, const char *key, int64_t t,
			int *n, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(*) FROM comments WHERE author_key = ?"
		" AND created_at >= ? AND by_moderator = 0",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, t);
	return store_step_count(st, stmt, n, err);
}

/* The newest arrival number of key, and the creation time of the newest
 * comment numbered at most seq (0, 0 when none); both one index seek. */
static int seq_newest(struct store *st, const char *key, int64_t *seq,
		      struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT sender_seq FROM comments INDEXED BY comments_sender_seq"
		" WHERE author_key = ? AND by_moderator = 0"
		" ORDER BY sender_seq DESC LIMIT 1",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	*seq = 0;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "reading the arrivals of %s: %s", key,
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

static int seq_created(struct store *st, const char *key, int64_t seq,
		       int64_t *created, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT created_at FROM comments INDEXED BY comments_sender_seq"
		" WHERE author_key = ? AND by_moderator = 0 AND sender_seq <= ?"
		" ORDER BY sender_seq DESC LIMIT 1",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, seq);
	*created = 0;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*created = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "reading the arrivals of %s: %s", key,
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

/* Up to RECENT_EXACT, the newest comments are read and counted; past it,
 * the comment `max` arrivals before the newest says whether there are
 * max since t: two seeks, whatever max and the backlog.  A comment
 * deleted since then makes the one found a later one: the limit can be
 * reached a little early, never late. */
#define RECENT_EXACT 32

int comment_count_recent(struct store *st, const char *key, int64_t t,
			 long max, int *n, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(*) FROM (SELECT created_at FROM comments"
		" INDEXED BY comments_sender_seq WHERE author_key = ?"
		" AND by_moderator = 0 ORDER BY sender_seq DESC LIMIT ?)"
		" WHERE created_at >= ?",
		err);
	int64_t newest, created;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, max < RECENT_EXACT ? max : RECENT_EXACT);
	sqlite3_bind_int64(stmt, 3, t);
	if (store_step_count(st, stmt, n, err) < 0)
		return -1;
	if (*n < RECENT_EXACT || max <= RECENT_EXACT)
		return 0;
	if (seq_newest(st, key, &newest, err) < 0)
		return -1;
	if (newest - max + 1 < 1)
		return 0; /* fewer than max ever */
	if (seq_created(st, key, newest - max + 1, &created, err) < 0)
		return -1;
	if (created >= t)
		*n = (int)(max < INT_MAX ? max : INT_MAX);
	return 0;
}

/* pending and approved are kept in sender_counts (store.c says how);
 * the other statuses are counted, rarely. */
int comment_count_status(struct store *st, const char *key,
			 const char *status, int *n, struct mc_err *err)
{
	sqlite3_stmt *stmt;

	if (strcmp(status, "pending") == 0)
		stmt = store_stmt(st,
				  "SELECT COALESCE((SELECT pending FROM"
				  " sender_counts WHERE author_key = ?), 0)",
				  err);
	else if (strcmp(status, "approved") == 0)
		stmt = store_stmt(st,
				  "SELECT COALESCE((SELECT approved FROM"
				  " sender_counts WHERE author_key = ?), 0)",
				  err);
	else
		stmt = store_stmt(st,
				  "SELECT count(*) FROM comments WHERE"
				  " author_key = ?1 AND status = ?2"
				  " AND by_moderator = 0",
				  err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	if (sqlite3_bind_parameter_count(stmt) > 1)
		store_bind_text(stmt, 2, status);
	return store_step_count(st, stmt, n, err);
}

int comment_delete_row(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "DELETE FROM comments WHERE id = ?", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_step_done(st, stmt, err);
}

int sender_get(struct store *st, const char *address, struct sender *s,
	       struct mc_err *err)
{
	const char *at = strrchr(address, '@');
	sqlite3_stmt *stmt = store_stmt(
		st,
		/* the address's row, and its domain's ban: two lookups (an
		 * "address = ?1 OR address = ?2" builds a temporary table at
		 * each run) */
		"SELECT MAX(COALESCE(a.banned, 0), COALESCE((SELECT banned"
		" FROM senders WHERE address = ?2), 0)),"
		" COALESCE(a.trusted, 0), COALESCE(a.confirmed, 0),"
		" COALESCE(a.unsubscribed, 0), COALESCE(a.confirm_sent_at, 0)"
		" FROM (SELECT 1) LEFT JOIN senders a ON a.address = ?1",
		err);
	int rc;

	memset(s, 0, sizeof(*s));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, address);
	store_bind_text(stmt, 2, at ? at : address);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		s->banned = sqlite3_column_int(stmt, 0);
		s->trusted = sqlite3_column_int(stmt, 1);
		s->confirmed = sqlite3_column_int(stmt, 2);
		s->unsubscribed = sqlite3_column_int(stmt, 3);
		s->confirm_sent_at = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return err_set(err, "reading sender %s: %s", address,
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

int sender_set(struct store *st, const char *address, const char *flag,
	       int value, struct mc_err *err)
{
	static const char *const sql[] = {
		"INSERT INTO senders (address, banned, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (address) DO UPDATE SET"
		" banned = ?2, updated_at = ?3",
		"INSERT INTO senders (address, trusted, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (address) DO UPDATE SET"
		" trusted = ?2, updated_at = ?3",
		"INSERT INTO senders (address, confirmed, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (address) DO UPDATE SET"
		" confirmed = ?2, updated_at = ?3",
		"INSERT INTO senders (address, unsubscribed, created_at,"
		" updated_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT (address)"
		" DO UPDATE SET unsubscribed = ?2, updated_at = ?3",
	};
	static const char *const flags[] = { "banned", "trusted", "confirmed",
					     "unsubscribed" };
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(flag, flags[i]) == 0)
			break;
	if (i == 4)
		return err_set(err, "no sender flag %s", flag);
	stmt = store_stmt(st, sql[i], err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, address);
	sqlite3_bind_int(stmt, 2, value);
	sqlite3_bind_int64(stmt, 3, now());
	return store_step_done(st, stmt, err);
}

int sender_confirm_sent(struct store *st, const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO senders (address, confirm_sent_at, created_at,"
		" updated_at) VALUES (?1, ?2, ?2, ?2) ON CONFLICT (address)"
		" DO UPDATE SET confirm_sent_at = ?2, updated_at = ?2",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, now());
	return store_step_done(st, stmt, err);
}

/* ---- keys ---------------------------------------------------------- */

struct keyed {
	int64_t id;
	char *text;
};

/* Reads (rowid, text) pairs first: rows are then rewritten without a
 * statement still walking the table. */
static int read_pairs(struct store *st, const char *sql, struct keyed **out,
		      size_t *n, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].id = sqlite3_column_int64(stmt, 0);
		(*out)[*n].text = store_col_text(stmt, 1);
		if ((*out)[*n].text == NULL)
			(*out)[*n].text = xstrdup("");
		(*n)++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return err_set(err, "reading keys: %s",
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

static void pairs_free(struct keyed *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].text);
	free(p);
}

static int rekey_comments(struct store *st, const struct conf *c,
			  struct mc_err *err)
{
	struct keyed *p;
	size_t n, i;
	int rc = 0;

	if (read_pairs(st, "SELECT id, author_address FROM comments", &p, &n,
		       err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		sqlite3_stmt *stmt = store_stmt(
			st, "UPDATE comments SET author_key = ? WHERE id = ?",
			err);
		char *key = addr_key(c, p[i].text);

		if (stmt == NULL) {
			rc = -1;
		} else {
			store_bind_text(stmt, 1, key);
			sqlite3_bind_int64(stmt, 2, p[i].id);
			rc = store_step_done(st, stmt, err);
		}
		free(key);
	}
	pairs_free(p, n);
	return rc;
}

/* A senders row whose address is not its key moves to the key's row,
 * each flag kept if either row had it. */
static int rekey_senders(struct store *st, const struct conf *c,
			 struct mc_err *err)
{
	static const char *const merge =
		"INSERT INTO senders (address, banned, trusted, confirmed,"
		" unsubscribed, approved_count, created_at, updated_at,"
		" confirm_sent_at) SELECT ?1, banned, trusted, confirmed,"
		" unsubscribed, approved_count, created_at, updated_at,"
		" confirm_sent_at FROM senders WHERE rowid = ?2"
		" ON CONFLICT (address) DO UPDATE SET"
		" banned = MAX(banned, excluded.banned),"
		" trusted = MAX(trusted, excluded.trusted),"
		" confirmed = MAX(confirmed, excluded.confirmed),"
		" unsubscribed = MAX(unsubscribed, excluded.unsubscribed),"
		" approved_count = MAX(approved_count, excluded.approved_count),"
		" created_at = MIN(created_at, excluded.created_at),"
		" updated_at = MAX(updated_at, excluded.updated_at),"
		" confirm_sent_at = MAX(COALESCE(confirm_sent_at, 0),"
		" COALESCE(excluded.confirm_sent_at, 0))";
	struct keyed *p;
	size_t n, i;
	int rc = 0;

	if (read_pairs(st, "SELECT rowid, address FROM senders", &p, &n, err) <
	    0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		char *key = p[i].text[0] == '@' ? addr_pattern_key(c, p[i].text) :
						  addr_key(c, p[i].text);
		sqlite3_stmt *stmt;

		if (key == NULL || strcmp(key, p[i].text) == 0) {
			free(key); /* already a key, or no domain to read */
			continue;
		}
		if (ascii_casecmp(key, p[i].text) == 0) {
			/* the same row to the NOCASE key: only respelt */
			stmt = store_stmt(st,
					  "UPDATE senders SET address = ?"
					  " WHERE rowid = ?",
					  err);
			if (stmt == NULL) {
				rc = -1;
			} else {
				store_bind_text(stmt, 1, key);
				sqlite3_bind_int64(stmt, 2, p[i].id);
				rc = store_step_done(st, stmt, err);
			}
			free(key);
			continue;
		}
		stmt = store_stmt(st, merge, err);
		if (stmt == NULL) {
			rc = -1;
		} else {
			store_bind_text(stmt, 1, key);
			sqlite3_bind_int64(stmt, 2, p[i].id);
			rc = store_step_done(st, stmt, err);
		}
		if (rc == 0 &&
		    (stmt = store_stmt(st, "DELETE FROM senders WHERE rowid = ?",
				       err)) == NULL)
			rc = -1;
		if (rc == 0) {
			sqlite3_bind_int64(stmt, 1, p[i].id);
			rc = store_step_done(st, stmt, err);
		}
		free(key);
	}
	pairs_free(p, n);
	return rc;
}

/* Comments that now share a key are numbered again, in order of
 * arrival (store.c: sender_seq). */
static int renumber_arrivals(struct store *st, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE comments SET sender_seq = s.n FROM (SELECT id,"
		" row_number() OVER (PARTITION BY author_key ORDER BY id) AS n"
		" FROM comments WHERE by_moderator = 0"
		" AND author_key IS NOT NULL) AS s WHERE comments.id = s.id",
		err);

	if (stmt == NULL)
		return -1;
	return store_step_done(st, stmt, err);
}

int comment_keys_sync(struct store *st, const struct conf *c,
		      struct mc_err *err)
{
	char *want = xasprintf("1:%s", c->limit_subaddress_separators), *have;
	int rc = 0;

	have = store_state_get(st, "address_keys", err);
	if (have == NULL || strcmp(have, want) != 0) {
		if (store_begin(st, err) < 0 || rekey_comments(st, c, err) < 0 ||
		    rekey_senders(st, c, err) < 0 ||
		    renumber_arrivals(st, err) < 0 ||
		    store_state_set(st, "address_keys", want, err) < 0 ||
		    store_commit(st, err) < 0) {
			store_rollback(st);
			err_prefix(err, "making the senders' canonical keys: ");
			rc = -1;
		}
	}
	free(have);
	free(want);
	return rc;
}
