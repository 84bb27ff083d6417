/* outbox.h: outgoing mail, queued in the database in the same transaction
 * as the decision that caused it, and sent afterwards with retries.  A
 * crash or a server outage delays mail; it never drops or doubles it.
 *
 * No usable secret is queued: the stored text has an erased form where
 * its tokens go, and the row lists the nonce each token is made from
 * (token.h) and where it goes in the header.  Sending writes those, in
 * memory; the transport gets the real mail, and the nonces then go. */
#ifndef MC_OUTBOX_H
#define MC_OUTBOX_H

#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>

#include "conf.h"
#include "store.h"
#include "transport.h"
#include "util.h"

/* What a queued mail holds besides its text: the tokens whose
 * placeholders it carries, and the comments whose author or words it
 * shows (so that forgetting a person finds every copy). */
struct outbox_token {
	int64_t id;
	const char *placeholder;
};

struct outbox_refs {
	const struct outbox_token *tokens;
	size_t ntokens;
	const int64_t *comments; /* ids; 0 entries are skipped */
	size_t ncomments;
};

/* Queues a complete message (CRLF) for recipient.  kind names what it is
 * (notification, confirmation, publish-notice, reply-notice, digest,
 * help, ...).  refs may be NULL.  Each placeholder must be in the header;
 * -1 if one is not.  Runs inside the caller's transaction.
 *
 * The last guard before the wire: a recipient that is no valid address
 * with a domain (addr_problem), or that is the gateway itself
 * (addr_is_gateway), is refused: logged as an error and recorded as a
 * failed row without the message, so that `outbox list` shows it, and
 * nothing is ever sent.  That is not an error for the caller: the
 * decision that wanted the mail stands. */
int outbox_queue(struct store *st, const struct conf *c, const char *kind,
		 const char *recipient, const char *data, size_t len,
		 const struct outbox_refs *refs, struct mc_err *err);

/* The C step of schema version 18 (store.c): the placeholders of the
 * mails still queued leave their text, and their rows in outbox_tokens
 * say where they were.  Runs inside the migration's transaction. */
int outbox_migrate_text(struct store *st, struct mc_err *err);

/* Why mail must never go to recipient (see outbox_queue), or NULL. */
const char *outbox_refusal(const struct conf *c, const char *recipient);

struct outbox_result {
	int sent;
	int deferred; /* temporary failure: tried again later */
	int failed;   /* given up: permanent failure or too old */
};

/* Sends every queued message that is due through t.  A message whose
 * transport failure is temporary waits with exponential backoff; it is
 * marked failed after outbox.max_age_hours.  A row that outbox_refusal()
 * refuses (queued before the guard existed), and a message whose token
 * was revoked, deleted or expired, or was made with another key, are
 * marked failed unsent, saying why.  Returns -1 for database errors and
 * an unusable key file (the queue is left as it is); transport failures
 * are counted in *res. */
int outbox_flush(struct store *st, const struct conf *c, struct transport *t,
		 struct outbox_result *res, struct mc_err *err);

/* Opens the configured transport and flushes; the usual end of a run.
 * Only one process sends at a time (a lock file beside the database);
 * when another one is sending, this returns 0 at once. */
int outbox_flush_configured(struct store *st, const struct conf *c,
			    struct outbox_result *res, struct mc_err *err);

/* Beside the batches of a pass (outbox_beside.c), on the caller's own
 * connection: sends the queued rows after *after up to upto (moving
 * *after on), as streams, each one the server took appended to the sent
 * log beside the database (not marked in it, whose write lock the
 * batches hold) before the next one's text leaves; the next flush
 * records them.  Stops at the first message that does not go (left to
 * that flush), or when *stop is set.  0 when all went, 1 when stopped,
 * -1 on errors.  The caller holds the flush lock (outbox_lock()). */
int outbox_flush_beside(struct store *st, const struct conf *c,
			struct transport *t, int64_t upto, int64_t *after,
			const atomic_int *stop, struct outbox_result *res,
			struct mc_err *err);

/* Records as sent, in one transaction, the rows the sent log names
 * (outbox_flush_beside()), then empties it; *n: how many.  Every flush
 * does it first; a sender beside the batches before it starts.  The
 * caller holds the flush lock, and no transaction is open. */
int outbox_sent_log_apply(struct store *st, int *n, struct mc_err *err);

/* Takes the flush lock: its descriptor (closing it lets go), -2 when
 * another process holds it, -1 on errors. */
int outbox_lock(const struct conf *c, struct mc_err *err);

/* The highest row id in the outbox (0: none). */
int outbox_last_id(struct store *st, int64_t *id, struct mc_err *err);

/* When the next queued message is due: 1 and *when (seconds since the
 * epoch), or 0 when nothing waits; -1 on error.  The daemon sleeps until
 * then at most. */
int outbox_next_attempt(struct store *st, int64_t *when, struct mc_err *err);

/* Prints the queue (queued and failed messages; sent ones with all). */
int outbox_list(struct store *st, FILE *out, int all, struct mc_err *err);

#endif
