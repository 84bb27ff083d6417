/* token.c: creating, deriving, checking and revoking tokens.  The token
 * travels only in mail; the database holds its hash, and a queued mail's
 * row a placeholder that only the key file turns into the token. */
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "keyfile.h"
#include "token.h"
#include "banned.h"

/* RFC 4648 base32 alphabet, lowercased: mail systems may lowercase local
 * parts, never uppercase them. */
static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

/* What a placeholder becomes after its mail is sent: '0' is not in the
 * alphabet, so it can never be taken for a token again. */
static const char erased[TOKEN_LEN + 1] = "00000000000000000000000000000000";

static void encode(const unsigned char in[20], char out[TOKEN_LEN + 1])
{
	size_t i, bit = 0;

	for (i = 0; i < TOKEN_LEN; i++, bit += 5) {
		size_t byte = bit / 8, off = bit % 8;
		unsigned v = (unsigned)in[byte] << 8;

		if (byte + 1 < 20)
			v |= in[byte + 1];
		out[i] = b32[(v >> (11 - off)) & 31];
	}
	out[TOKEN_LEN] = '\0';
}

static void token_hash(const char *token, char out[65])
{
	sha256_hex(token, strlen(token), out);
}

/* token = base32(HMAC-SHA256(key, context || placeholder))[:160 bits] */
static int derive(struct store *st, const char *placeholder,
		  char out[TOKEN_LEN + 1], struct mc_err *err)
{
	static const char context[] = "mailcomments token v1\n";
	unsigned char mac[32];
	char msg[sizeof(context) + TOKEN_LEN];
	const unsigned char *key;
	size_t n = strlen(placeholder);

	if (n != TOKEN_LEN)
		return err_set(err, "a token placeholder of %zu characters", n);
	if (store_key(st, &key, err) < 0)
		return -1;
	memcpy(msg, context, sizeof(context) - 1);
	memcpy(msg + sizeof(context) - 1, placeholder, TOKEN_LEN);
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, KEYFILE_LEN, msg,
			     sizeof(context) - 1 + TOKEN_LEN, mac) < 0)
		return err_set(err, "HMAC-SHA256 is not available");
	encode(mac, out);
	memset(mac, 0, sizeof(mac));
	return 0;
}

static const char *purpose_name(enum token_purpose p)
{
	return p == TOKEN_MODERATE ? "moderate" :
	       p == TOKEN_DIGEST   ? "digest" :
	       p == TOKEN_CONFIRM  ? "confirm" :
	       p == TOKEN_READER   ? "reader" :
	       p == TOKEN_FOLLOW   ? "follow" :
				     "unsubscribe";
}

int token_new(struct store *st, enum token_purpose purpose, int64_t comment_id,
	      const char *address, int64_t lifetime_seconds,
	      char placeholder[TOKEN_LEN + 1], int64_t *id, struct mc_err *err)
{
	unsigned char raw[20];
	char hash[65], token[TOKEN_LEN + 1];
	sqlite3_stmt *stmt;
	int64_t t = now();

	if (random_bytes(raw, sizeof(raw), err) < 0)
		return -1;
	encode(raw, placeholder);
	if (derive(st, placeholder, token, err) < 0)
		return -1;
	token_hash(token, hash);
	memset(token, 0, sizeof(token));
	stmt = store_stmt(st,
			  "INSERT INTO tokens (hash, purpose, comment_id,"
			  " address, created_at, expires_at)"
			  " VALUES (?, ?, ?, ?, ?, ?)",
			  err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, hash);
	store_bind_text(stmt, 2, purpose_name(purpose));
	if (comment_id > 0)
		sqlite3_bind_int64(stmt, 3, comment_id);
	store_bind_text(stmt, 4, address);
	sqlite3_bind_int64(stmt, 5, t);
	sqlite3_bind_int64(stmt, 6, t + lifetime_seconds);
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	if (id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int token_set_scope(struct store *st, int64_t id, int64_t article_id,
		    int64_t context_id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE tokens SET article_id = ?, context_id = ? WHERE id = ?",
		err);

	if (stmt == NULL)
		return -1;
	if (article_id > 0)
		sqlite3_bind_int64(stmt, 1, article_id);
	if (context_id > 0)
		sqlite3_bind_int64(stmt, 2, context_id);
	sqlite3_bind_int64(stmt, 3, id);
	return store_step_done(st, stmt, err);
}

int token_expand(struct store *st, int64_t id, const char *placeholder,
		 char out[TOKEN_LEN + 1], const char **why, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT hash, revoked, expires_at FROM tokens WHERE id = ?",
		err);
	char *hash = NULL, check[65];
	int revoked = 0, rc;
	int64_t expires = 0;

	*why = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		hash = store_col_text(stmt, 0);
		revoked = sqlite3_column_int(stmt, 1);
		expires = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "looking up token %lld: %s", (long long)id,
			       sqlite3_errmsg(store_db(st)));
	if (hash == NULL)
		*why = "its token no longer exists (forgotten or pruned)";
	else if (revoked)
		*why = "its token was revoked before it could be sent";
	else if (now() >= expires)
		*why = "its token expired before it could be sent";
	if (*why) {
		free(hash);
		return 1;
	}
	if (derive(st, placeholder, out, err) < 0) {
		free(hash);
		return -1;
	}
	token_hash(out, check);
	rc = strcmp(check, hash) == 0 ? 0 : 1;
	free(hash);
	if (rc) {
		memset(out, 0, TOKEN_LEN + 1);
		*why = "its token was made with another key: the key file was "
		       "replaced or lost (restore it, or run `mailcomments "
		       "revoke --all --renotify`)";
	}
	return rc;
}

static char purpose_char(const char *p)
{
	if (strcmp(p, "moderate") == 0)
		return TOKEN_MODERATE;
	if (strcmp(p, "digest") == 0)
		return TOKEN_DIGEST;
	if (strcmp(p, "confirm") == 0)
		return TOKEN_CONFIRM;
	if (strcmp(p, "reader") == 0)
		return TOKEN_READER;
	if (strcmp(p, "follow") == 0)
		return TOKEN_FOLLOW;
	return TOKEN_UNSUBSCRIBE;
}

/* Fills row from the token whose hash is hash: 1, or 0 when none.
 * scoped 0 leaves out the scope columns, which the schema lacks while the
 * migration to placeholders (version 5) runs. */
static int row_by_hash(struct store *st, const char *hash, int scoped,
		       struct token_row *row, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		/* tokens_hash holds the first 16 digits (store.c); the
		 * + keeps SQLite from putting ?1 for hash into the first
		 * term (constant propagation), which then cannot use it */
		scoped ? "SELECT id, purpose, comment_id, address, created_at,"
			 " expires_at, revoked, article_id, context_id"
			 " FROM tokens WHERE substr(hash, 1, 16) ="
			 " substr(?1, 1, 16) AND +hash = ?1" :
			 "SELECT id, purpose, comment_id, address, created_at,"
			 " expires_at, revoked, 0, 0 FROM tokens WHERE hash = ?",
		err);
	int rc;

	memset(row, 0, sizeof(*row));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, hash);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return err_set(err, "looking up a token: %s",
			       sqlite3_errmsg(store_db(st)));
	}
	row->id = sqlite3_column_int64(stmt, 0);
	row->purpose = purpose_char((const char *)sqlite3_column_text(stmt, 1));
	row->comment_id = sqlite3_column_int64(stmt, 2);
	row->address = store_col_text(stmt, 3);
	row->created_at = sqlite3_column_int64(stmt, 4);
	row->expires_at = sqlite3_column_int64(stmt, 5);
	row->revoked = sqlite3_column_int(stmt, 6);
	row->article_id = sqlite3_column_int64(stmt, 7);
	row->context_id = sqlite3_column_int64(stmt, 8);
	sqlite3_reset(stmt);
	return 1;
}

int token_check(struct store *st, enum token_purpose purpose,
		const char *token, enum token_status *status,
		struct token_row *row, struct mc_err *err)
{
	char hash[65];
	int rc;

	*status = TOKEN_UNKNOWN;
	token_hash(token, hash);
	rc = row_by_hash(st, hash, 1, row, err);
	if (rc <= 0)
		return rc;
	if (row->purpose != (char)purpose)
		*status = TOKEN_WRONG_PURPOSE;
	else if (row->revoked)
		*status = TOKEN_REVOKED;
	else if (now() >= row->expires_at)
		*status = TOKEN_EXPIRED;
	else
		*status = TOKEN_VALID;
	return 0;
}

void token_row_free(struct token_row *row)
{
	free(row->address);
	row->address = NULL;
}

/* ---- finding tokens in text --------------------------------------- */

static int is_b32(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Calls fn for every run of exactly TOKEN_LEN base32 characters that
 * stands alone (no letter or digit touching it: "m_", "+", "<", "@"
 * around it are fine).  Stops at the first fn that does not return 0. */
static int each_candidate(const char *text, size_t len,
			  int (*fn)(void *arg, size_t off), void *arg)
{
	size_t i = 0, start;
	int rc;

	while (i < len) {
		if (!is_b32(text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && is_b32(text[i]))
			i++;
		if (i - start == TOKEN_LEN &&
		    (start == 0 || !is_alnum(text[start - 1])) &&
		    (i == len || !is_alnum(text[i]))) {
			rc = fn(arg, start);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

struct lookup {
	struct store *st;
	const char *text;
	struct token_row *row;
	struct mc_err *err;
};

static int lookup_one(void *arg, size_t off)
{
	struct lookup *l = arg;
	char tok[TOKEN_LEN + 1], hash[65];

	memcpy(tok, l->text + off, TOKEN_LEN);
	tok[TOKEN_LEN] = '\0';
	token_hash(tok, hash);
	return row_by_hash(l->st, hash, 1, l->row, l->err);
}

int token_lookup_text(struct store *st, const char *text,
		      struct token_row *row, struct mc_err *err)
{
	struct lookup l = { st, text, row, err };

	memset(row, 0, sizeof(*row));
	return each_candidate(text, strlen(text), lookup_one, &l);
}

struct scrub {
	struct store *st;
	char *text;
	struct mc_err *err;
	int n;
};

static int scrub_one(void *arg, size_t off)
{
	struct scrub *s = arg;
	struct token_row row;
	char tok[TOKEN_LEN + 1], hash[65];
	int rc;

	memcpy(tok, s->text + off, TOKEN_LEN);
	tok[TOKEN_LEN] = '\0';
	token_hash(tok, hash);
	rc = row_by_hash(s->st, hash, 0, &row, s->err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		token_row_free(&row);
		memcpy(s->text + off, erased, TOKEN_LEN);
		s->n++;
	}
	return 0;
}

int token_scrub(struct store *st, char *text, size_t len, int *n,
		struct mc_err *err)
{
	struct scrub s = { st, text, err, 0 };
	int rc = each_candidate(text, len, scrub_one, &s);

	if (n)
		*n = s.n;
	return rc < 0 ? -1 : 0;
}

/* ---- revocation ---------------------------------------------------- */

/* A revoked token also counts as expired from now on, so that the
 * retention prunes it with the expired ones (prune.c). */
int token_revoke_id(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE tokens SET revoked = 1, expires_at = MIN(expires_at, ?)"
		" WHERE id = ?",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, id);
	return store_step_done(st, stmt, err);
}

int token_revoke_comment(struct store *st, int64_t comment_id, int *n,
			 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE tokens SET revoked = 1, expires_at = MIN(expires_at, ?)"
		" WHERE comment_id = ? AND revoked = 0",
		err);
	int changed;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, comment_id);
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	changed = sqlite3_changes(store_db(st));
	/* A digest's token stays good for its other comments. */
	stmt = store_stmt(st, "DELETE FROM digest_items WHERE comment_id = ?",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, comment_id);
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	if (n)
		*n = changed + sqlite3_changes(store_db(st));
	return 0;
}

int token_revoke_all(struct store *st, int *n, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE tokens SET revoked = 1, expires_at = MIN(expires_at, ?1)"
		" WHERE revoked = 0 AND expires_at > ?1",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	if (n)
		*n = sqlite3_changes(store_db(st));
	return 0;
}

const char *token_status_text(enum token_status s)
{
	switch (s) {
	case TOKEN_VALID:
		return "valid";
	case TOKEN_UNKNOWN:
		return "unknown token";
	case TOKEN_EXPIRED:
		return "expired token";
	case TOKEN_REVOKED:
		return "revoked token";
	case TOKEN_WRONG_PURPOSE:
		return "token of another kind";
	}
	return "?";
}

/* ---- migration from tokens in clear -------------------------------- */

struct moved {
	int64_t old_id, new_id;
	char placeholder[TOKEN_LEN + 1];
	int delivered; /* the old token went out in a sent mail */
};

struct migration {
	struct store *st;
	struct mc_err *err;
	int64_t row;   /* outbox row being scrubbed */
	int queued;    /* its status is 'queued' */
	char *text;    /* its message */
	struct moved *moved;
	size_t nmoved;
};

static int exec_ids(struct store *st, const char *sql, int64_t a, int64_t b,
		    struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	return store_step_done(st, stmt, err);
}

/* The comments a token speaks for become the mail's comments. */
static int link_token_comments(struct migration *m, int64_t token_id)
{
	return exec_ids(m->st,
			"INSERT OR IGNORE INTO outbox_comments (outbox_id,"
			" comment_id) SELECT ?1, comment_id FROM tokens"
			" WHERE id = ?2 AND comment_id IN (SELECT id FROM comments)"
			" UNION SELECT ?1, comment_id FROM digest_items"
			" WHERE token_id = ?2",
			m->row, token_id, m->err);
}

/* The entry of the old token old_id, added when it is new. */
static struct moved *entry(struct migration *m, int64_t old_id)
{
	size_t i;

	for (i = 0; i < m->nmoved; i++)
		if (m->moved[i].old_id == old_id)
			return &m->moved[i];
	m->moved = xrealloc(m->moved, (m->nmoved + 1) * sizeof(*m->moved));
	memset(&m->moved[m->nmoved], 0, sizeof(*m->moved));
	m->moved[m->nmoved].old_id = old_id;
	return &m->moved[m->nmoved++];
}

/* A queued mail's token gets a successor with a placeholder: same
 * purpose, comment, address, lifetime and digest items. */
static int make_successor(struct migration *m, struct moved *mv)
{
	char token[TOKEN_LEN + 1], hash[65];
	unsigned char raw[20];
	sqlite3_stmt *stmt;

	if (mv->new_id)
		return 0;
	if (random_bytes(raw, sizeof(raw), m->err) < 0)
		return -1;
	encode(raw, mv->placeholder);
	if (derive(m->st, mv->placeholder, token, m->err) < 0)
		return -1;
	token_hash(token, hash);
	stmt = store_stmt(m->st,
			  "INSERT INTO tokens (hash, purpose, comment_id, address,"
			  " created_at, expires_at, revoked) SELECT ?, purpose,"
			  " comment_id, address, created_at, expires_at, revoked"
			  " FROM tokens WHERE id = ?",
			  m->err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, hash);
	sqlite3_bind_int64(stmt, 2, mv->old_id);
	if (store_step_done(m->st, stmt, m->err) < 0)
		return -1;
	mv->new_id = sqlite3_last_insert_rowid(store_db(m->st));
	return exec_ids(m->st,
			"INSERT INTO digest_items (token_id, comment_id)"
			" SELECT ?1, comment_id FROM digest_items WHERE token_id = ?2",
			mv->new_id, mv->old_id, m->err);
}

static int migrate_one(void *arg, size_t off)
{
	struct migration *m = arg;
	struct token_row row;
	struct moved *mv;
	sqlite3_stmt *stmt;
	char tok[TOKEN_LEN + 1], hash[65];
	int rc;

	memcpy(tok, m->text + off, TOKEN_LEN);
	tok[TOKEN_LEN] = '\0';
	token_hash(tok, hash);
	rc = row_by_hash(m->st, hash, 0, &row, m->err);
	if (rc <= 0)
		return rc;
	token_row_free(&row);
	if (link_token_comments(m, row.id) < 0)
		return -1;
	mv = entry(m, row.id);
	if (!m->queued) {
		/* delivered (or given up): the mail keeps no trace of it,
		 * the moderator's copy stays good */
		mv->delivered = 1;
		memcpy(m->text + off, erased, TOKEN_LEN);
		return 0;
	}
	if (make_successor(m, mv) < 0)
		return -1;
	memcpy(m->text + off, mv->placeholder, TOKEN_LEN);
	stmt = store_stmt(m->st,
			  "INSERT OR IGNORE INTO outbox_tokens (outbox_id,"
			  " token_id, nonce) VALUES (?, ?, ?)",
			  m->err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->row);
	sqlite3_bind_int64(stmt, 2, mv->new_id);
	store_bind_text(stmt, 3, mv->placeholder);
	return store_step_done(m->st, stmt, m->err);
}

/* Notices name their comment in the Message-ID: "mailcomments.nN.". */
static int link_notice_ids(struct migration *m, size_t len)
{
	static const char pat[] = "mailcomments.n";
	const char *p = m->text, *end = m->text + len;

	while ((p = memmem(p, (size_t)(end - p), pat, sizeof(pat) - 1))) {
		int64_t id = 0;

		p += sizeof(pat) - 1;
		while (p < end && *p >= '0' && *p <= '9' && id < 1000000000000LL)
			id = id * 10 + (*p++ - '0');
		if (id > 0 && p < end && *p == '.' &&
		    exec_ids(m->st,
			     "INSERT OR IGNORE INTO outbox_comments (outbox_id,"
			     " comment_id) SELECT ?1, id FROM comments"
			     " WHERE id = ?2",
			     m->row, id, m->err) < 0)
			return -1;
	}
	return 0;
}

static int migrate_outbox_row(struct migration *m, int64_t id)
{
	sqlite3_stmt *stmt = store_stmt(
		m->st, "SELECT status, message FROM outbox WHERE id = ?", m->err);
	size_t len = 0;
	char *orig;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return 0;
	}
	m->row = id;
	m->queued = strcmp((const char *)sqlite3_column_text(stmt, 0),
			   "queued") == 0;
	len = (size_t)sqlite3_column_bytes(stmt, 1);
	m->text = xmalloc(len + 1);
	memcpy(m->text, sqlite3_column_blob(stmt, 1), len);
	m->text[len] = '\0';
	sqlite3_reset(stmt);
	orig = xmalloc(len + 1);
	memcpy(orig, m->text, len + 1);
	rc = each_candidate(m->text, len, migrate_one, m);
	if (rc == 0)
		rc = link_notice_ids(m, len);
	if (rc == 0 && memcmp(orig, m->text, len) != 0) {
		stmt = store_stmt(m->st,
				  "UPDATE outbox SET message = ? WHERE id = ?",
				  m->err);
		if (stmt == NULL) {
			rc = -1;
		} else {
			sqlite3_bind_blob(stmt, 1, m->text, (int)len,
					  SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 2, id);
			rc = store_step_done(m->st, stmt, m->err);
		}
	}
	free(orig);
	free(m->text);
	m->text = NULL;
	return rc < 0 ? -1 : 0;
}

/* Scrubs the text columns of one comment. */
static int scrub_comment(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT body, original_body, subject, headers FROM comments"
		" WHERE id = ?",
		err);
	char *text[4] = { NULL, NULL, NULL, NULL };
	int n, total = 0, rc = 0, i;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		for (i = 0; i < 4; i++)
			text[i] = store_col_text(stmt, i);
	sqlite3_reset(stmt);
	for (i = 0; i < 4 && rc == 0; i++) {
		if (text[i] &&
		    token_scrub(st, text[i], strlen(text[i]), &n, err) < 0)
			rc = -1;
		else if (text[i])
			total += n;
	}
	if (rc == 0 && total > 0) {
		stmt = store_stmt(st,
				  "UPDATE comments SET body = ?, original_body = ?,"
				  " subject = ?, headers = ? WHERE id = ?",
				  err);
		if (stmt == NULL) {
			rc = -1;
		} else {
			for (i = 0; i < 4; i++)
				store_bind_text(stmt, i + 1, text[i]);
			sqlite3_bind_int64(stmt, 5, id);
			rc = store_step_done(st, stmt, err);
		}
	}
	for (i = 0; i < 4; i++)
		free(text[i]);
	return rc;
}

static int64_t *all_ids(struct store *st, const char *sql, size_t *n,
			struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int64_t *ids = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		free(ids);
		err_set(err, "%s", sqlite3_errmsg(store_db(st)));
		return NULL;
	}
	if (ids == NULL)
		ids = xmalloc(sizeof(*ids));
	return ids;
}

int token_migrate(struct store *st, struct mc_err *err)
{
	struct migration m = { st, err, 0, 0, NULL, NULL, 0 };
	int64_t *ids;
	size_t n, i;
	int rc = 0;

	ids = all_ids(st, "SELECT id FROM outbox ORDER BY id", &n, err);
	if (ids == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = migrate_outbox_row(&m, ids[i]);
	free(ids);
	/* A token that only a queued mail held was never delivered: its
	 * successor replaces it. */
	for (i = 0; i < m.nmoved && rc == 0; i++)
		if (!m.moved[i].delivered && m.moved[i].new_id)
			rc = token_revoke_id(st, m.moved[i].old_id, err);
	free(m.moved);
	if (rc < 0)
		return -1;
	ids = all_ids(st, "SELECT id FROM comments ORDER BY id", &n, err);
	if (ids == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = scrub_comment(st, ids[i], err);
	free(ids);
	return rc;
}
