/* token.h: the secrets that authorise a moderator's reply, a sender's
 * confirmation or an unsubscribe.  160 bits from getrandom(), written in
 * lowercase base32, scoped to one purpose and one comment (or digest),
 * expiring, revocable; only their SHA-256 is stored. */
#ifndef MC_TOKEN_H
#define MC_TOKEN_H

#include <stdint.h>

#include "store.h"
#include "util.h"

#define TOKEN_LEN 32 /* base32 characters */

enum token_purpose {
	TOKEN_MODERATE = 'm',
	TOKEN_DIGEST = 'd',
	TOKEN_CONFIRM = 'c',
	TOKEN_UNSUBSCRIBE = 'u',
};

struct token_row {
	int64_t id;
	char purpose;
	int64_t comment_id; /* 0 if none */
	char *address;      /* who it was sent to; NULL if none */
	int64_t created_at;
	int64_t expires_at;
	int revoked;
};

/* Creates and stores a token; writes it to out (TOKEN_LEN + 1 bytes).
 * *id (may be NULL) receives the row id.  Runs inside the caller's
 * transaction. */
int token_new(struct store *st, enum token_purpose purpose, int64_t comment_id,
	      const char *address, int64_t lifetime_seconds,
	      char out[TOKEN_LEN + 1], int64_t *id, struct mc_err *err);

enum token_status {
	TOKEN_VALID,
	TOKEN_UNKNOWN, /* no such token (forged, mistyped, wrong case) */
	TOKEN_EXPIRED,
	TOKEN_REVOKED,
	TOKEN_WRONG_PURPOSE,
};

/* Looks token up.  Returns -1 on a database error; otherwise 0 with
 * *status set, and row filled when the token exists (release with
 * token_row_free). */
int token_check(struct store *st, enum token_purpose purpose,
		const char *token, enum token_status *status,
		struct token_row *row, struct mc_err *err);

void token_row_free(struct token_row *row);

/* Revokes every token of a comment (0: none) or sent to an address. */
int token_revoke_comment(struct store *st, int64_t comment_id,
			 struct mc_err *err);

const char *token_status_text(enum token_status s);

#endif
