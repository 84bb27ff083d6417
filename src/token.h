/* token.h: the secrets that authorise a moderator's reply, a sender's
 * confirmation or an unsubscribe.  Written in lowercase base32 (160 bits),
 * scoped to one purpose and one comment (or digest), expiring, revocable.
 *
 * At rest there is no token.  A token is derived from a random
 * placeholder (nonce) and the gateway's key file: HMAC-SHA256(key,
 * placeholder), cut to 160 bits.  The tokens table keeps its SHA-256 (to
 * look a token up when a reply comes back); a queued mail's row keeps
 * the placeholder, from which the outbox makes the token when it sends,
 * and which it then deletes (outbox.c).  A copy of the database therefore approves nothing, and
 * once a mail is sent not even the key brings its token back.
 * Functions return 0 or -1 with err filled. */
#ifndef MC_TOKEN_H
#define MC_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "util.h"

#define TOKEN_LEN 32 /* base32 characters, for tokens and placeholders */

enum token_purpose {
	TOKEN_MODERATE = 'm',
	TOKEN_DIGEST = 'd',
	TOKEN_CONFIRM = 'c',
	TOKEN_UNSUBSCRIBE = 'u',
	TOKEN_READER = 'r', /* a commenter's own: comment_id is theirs */
	TOKEN_FOLLOW = 'f', /* a follower's double opt-in: article_id */
};

struct token_row {
	int64_t id;
	char purpose;
	int64_t comment_id; /* 0 if none */
	char *address;      /* who it was sent to; NULL if none */
	int64_t created_at;
	int64_t expires_at;
	int revoked;
	int64_t article_id; /* the article it is about; 0 if none */
	int64_t context_id; /* the comment its mail shows; 0 if none */
};

/* Creates a token and stores its hash.  placeholder (TOKEN_LEN + 1 bytes)
 * receives what the mail must carry where the token goes; it becomes the
 * token only when the outbox sends the mail, which must list *id among
 * the mail's tokens (struct outbox_refs).  Placeholders go in header
 * fields only (Reply-To, Message-ID, List-Unsubscribe), where no encoding
 * can split them.  Runs inside the caller's transaction; reads (or
 * creates) the key file. */
int token_new(struct store *st, enum token_purpose purpose, int64_t comment_id,
	      const char *address, int64_t lifetime_seconds,
	      char placeholder[TOKEN_LEN + 1], int64_t *id, struct mc_err *err);

/* Scopes token id, made by token_new(), to an article and to the comment
 * its mail shows (0: none).  Same transaction. */
int token_set_scope(struct store *st, int64_t id, int64_t article_id,
		    int64_t context_id, struct mc_err *err);

/* The token that placeholder stands for, for token id, into out.  Returns
 * 0 when it may be sent; 1 with *why set (a static sentence) when the
 * token was deleted, revoked or has expired, or when the key file is not
 * the one it was made with; -1 on errors (database, key file). */
int token_expand(struct store *st, int64_t id, const char *placeholder,
		 char out[TOKEN_LEN + 1], const char **why, struct mc_err *err);

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

/* Finds a token in what a moderator holds: the token, "m_TOKEN", a
 * plus-address "comments+m_TOKEN@domain" or a Message-ID
 * "<mailcomments.m_TOKEN@domain>".  Returns 1 and fills row (free with
 * token_row_free) when it names a stored token, 0 when not, -1 on
 * errors. */
int token_lookup_text(struct store *st, const char *text,
		      struct token_row *row, struct mc_err *err);

/* Revocation.  A revoked token is refused as "revoked token"; queued mail
 * that carries it is not sent.  token_revoke_id: one token.
 * token_revoke_comment: every token of a comment, and the comment leaves
 * the digests that listed it.  token_revoke_all: every token not revoked
 * yet.  *n (may be NULL) receives how many tokens changed. */
int token_revoke_id(struct store *st, int64_t id, struct mc_err *err);
int token_revoke_comment(struct store *st, int64_t comment_id, int *n,
			 struct mc_err *err);
int token_revoke_all(struct store *st, int *n, struct mc_err *err);

/* Overwrites with '0's every stored token that text holds (a token no
 * longer stands for anything once its characters leave the alphabet).
 * *n (may be NULL) receives how many were found.  For text that should
 * never keep one: a comment that quotes a notification's headers. */
int token_scrub(struct store *st, char *text, size_t len, int *n,
		struct mc_err *err);

/* The C step of the migration to placeholders (store.c): earlier versions
 * kept each mail in the outbox with its tokens in clear.  In sent and
 * failed mail they are overwritten; queued mail gets a new token with a
 * placeholder (the old one, never delivered, is revoked); mails are linked
 * to the comments their tokens and Message-IDs name.  Tokens in stored
 * comments are scrubbed. */
int token_migrate(struct store *st, struct mc_err *err);

const char *token_status_text(enum token_status s);

#endif
