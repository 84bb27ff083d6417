/* comment.h: comments and senders as stored: reading, inserting, changing
 * status, and the counts the rate limits need.  Decisions themselves
 * (who may do what, audit, notices) live in moderate.c. */
#ifndef MC_COMMENT_H
#define MC_COMMENT_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "store.h"
#include "util.h"

struct comment {
	int64_t id;
	int64_t article_id;
	int64_t parent_id; /* 0: none */
	char *author_name;
	char *author_address; /* as written: mail goes there */
	char *author_key;     /* its canonical mailbox (addr_key); NULL on
			       * insert: the address lowercased */
	char *body;
	char *original_body; /* before an edit; NULL if not edited */
	char *status;
	char *message_id;   /* of the mail it came in, NULL if none */
	char *subject;
	char *headers;      /* main headers of that mail, for `show` */
	char *source;
	char *decided_by;
	int64_t created_at;
	int64_t decided_at; /* 0: never */
	int by_moderator;
	int has_spam_score;
	double spam_score;
	char *auth; /* the trusted server's verdict at arrival
		     * (trust_auth_format); "" if none; NULL on insert: "" */
};

/* Returns 1 and fills c (release with comment_free), 0 if there is no such
 * comment, -1 on error. */
int comment_get(struct store *st, int64_t id, struct comment *c,
		struct mc_err *err);
void comment_free(struct comment *c);

/* Inserts c (id, created_at ignored); *id receives the new row id. */
int comment_insert(struct store *st, const struct comment *c, int64_t *id,
		   struct mc_err *err);

/* Sets the status and who decided (NULL: nobody, e.g. back to pending). */
int comment_set_status(struct store *st, int64_t id, const char *status,
		       const char *decided_by, struct mc_err *err);

/* Replaces the body, keeping the first original in original_body; body
 * NULL restores the original. */
int comment_set_body(struct store *st, int64_t id, const char *body,
		     struct mc_err *err);

int comment_mark_notified(struct store *st, int64_t id, struct mc_err *err);

/* Comments from a sender (by canonical key, addr_key()) since t, any
 * status; with a status.  Moderators' answers do not count.
 * comment_count_since reads every comment since t (forget's count);
 * comment_count_recent gives at most max, for ingest's hourly limit:
 * exact up to a few dozen, then max or less, from the arrival numbers
 * (store.c), with a few index seeks whatever max and the backlog.
 * Pending and approved are read from counters the triggers keep
 * (O(log n)), the other statuses counted. */
int comment_count_since(struct store *st, const char *key, int64_t t,
			int *n, struct mc_err *err);
int comment_count_recent(struct store *st, const char *key, int64_t t,
			 long max, int *n, struct mc_err *err);
int comment_count_status(struct store *st, const char *key,
			 const char *status, int *n, struct mc_err *err);

/* Deletes a comment row (replies keep their place: parent set NULL). */
int comment_delete_row(struct store *st, int64_t id, struct mc_err *err);

/* What a sender is to the gateway.  Rows are keyed by the canonical
 * mailbox (addr_key()), so that every spelling of an address shares one;
 * domain rows ("@example.org", addr_pattern_key()) carry domain bans. */
struct sender {
	int banned;
	int trusted;
	int confirmed;
	int unsubscribed;
	int64_t confirm_sent_at; /* last confirmation request, 0: never */
};

/* Fills s for key (all zero when unknown).  s->banned is also set by a
 * ban of the key's domain. */
int sender_get(struct store *st, const char *key, struct sender *s,
	       struct mc_err *err);

/* Sets one flag ("banned", "trusted", "confirmed", "unsubscribed") of a
 * key or "@domain", creating the row as needed. */
int sender_set(struct store *st, const char *key, const char *flag,
	       int value, struct mc_err *err);

/* Records that a confirmation request went to key now. */
int sender_confirm_sent(struct store *st, const char *key,
			struct mc_err *err);

/* Makes the keys of every comment and sender row follow the current way
 * of making them (limits.subaddress_separators): after the migration that
 * added them, and whenever that setting changes.  One pass over both
 * tables then, one state lookup otherwise; rows of a sender that merge
 * keep every flag any of them had.  Runs its own transaction. */
int comment_keys_sync(struct store *st, const struct conf *c,
		      struct mc_err *err);

#endif
