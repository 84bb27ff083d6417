/* token.c: creating and checking tokens.  The raw token travels only in
 * mail (a Reply-To plus-address and a Message-ID); the database holds its
 * hash, so a stolen database copy cannot approve anything. */
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "banned.h"

/* RFC 4648 base32 alphabet, lowercased: mail systems may lowercase local
 * parts, never uppercase them. */
static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

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

int token_new(struct store *st, enum token_purpose purpose, int64_t comment_id,
	      const char *address, int64_t lifetime_seconds,
	      char out[TOKEN_LEN + 1], int64_t *id, struct mc_err *err)
{
	unsigned char raw[20];
	char hash[65];
	sqlite3_stmt *stmt;
	int64_t t = now();

	if (random_bytes(raw, sizeof(raw), err) < 0)
		return -1;
	encode(raw, out);
	token_hash(out, hash);
	stmt = store_stmt(st,
			  "INSERT INTO tokens (hash, purpose, comment_id,"
			  " address, created_at, expires_at)"
			  " VALUES (?, ?, ?, ?, ?, ?)",
			  err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, hash);
	store_bind_text(stmt, 2, purpose == TOKEN_MODERATE ? "moderate" :
				 purpose == TOKEN_DIGEST   ? "digest" :
				 purpose == TOKEN_CONFIRM  ? "confirm" :
							     "unsubscribe");
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

static char purpose_char(const char *p)
{
	if (strcmp(p, "moderate") == 0)
		return TOKEN_MODERATE;
	if (strcmp(p, "digest") == 0)
		return TOKEN_DIGEST;
	if (strcmp(p, "confirm") == 0)
		return TOKEN_CONFIRM;
	return TOKEN_UNSUBSCRIBE;
}

int token_check(struct store *st, enum token_purpose purpose,
		const char *token, enum token_status *status,
		struct token_row *row, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	char hash[65];
	int rc;

	memset(row, 0, sizeof(*row));
	*status = TOKEN_UNKNOWN;
	token_hash(token, hash);
	stmt = store_stmt(st,
			  "SELECT id, purpose, comment_id, address, created_at,"
			  " expires_at, revoked FROM tokens WHERE hash = ?",
			  err);
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
	sqlite3_reset(stmt);
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

int token_revoke_comment(struct store *st, int64_t comment_id,
			 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE tokens SET revoked = 1 WHERE comment_id = ?", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, comment_id);
	return store_step_done(st, stmt, err);
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
