/* follow.h: following an article by mail.  A reader who writes to
 * comments+SLUG+follow@ is asked to confirm (double opt-in); once the
 * mailbox has answered, every comment newly published on SLUG reaches it,
 * each mail with a one-step unsubscribe that ends that one subscription.
 *
 * Everything runs inside the caller's transaction.  Functions return 0
 * (or the count documented), or -1 on database errors with err filled;
 * a refused request is an outcome in the ingest_result, never an error. */
#ifndef MC_FOLLOW_H
#define MC_FOLLOW_H

#include <stdint.h>

#include "articles.h"
#include "comment.h"
#include "conf.h"
#include "ingest.h"
#include "message.h"
#include "store.h"
#include "token.h"
#include "util.h"

/* If a recipient of m is a follow address, handles m as a follow request
 * and returns 1 (res filled); 0 when m is no follow request.  A request
 * is set aside (never answered) when its article is unknown or closed or
 * its sender banned.  Otherwise the sender gets a confirmation request
 * (a TOKEN_FOLLOW scoped to the article), unless it already follows, or
 * a confirmation request of any kind (comment or follow) already went to
 * its mailbox in the last 24 hours: a flood of forged requests costs a
 * victim at most one mail a day.  The text of m does not matter. */
int follow_mail(struct store *st, const struct conf *c,
		const struct message *m, struct ingest_result *res,
		struct mc_err *err);

/* A reply to a follow confirmation request (tok: a valid TOKEN_FOLLOW):
 * from the mailbox it went to, in any spelling, it makes that mailbox a
 * follower (follow_add) and spends the token; from anyone else it is
 * refused and audited. */
int follow_confirm(struct store *st, const struct conf *c,
		   const struct message *m, const struct token_row *tok,
		   struct ingest_result *res, struct mc_err *err);

/* 1 if tok (a TOKEN_UNSUBSCRIBE) came with a follow mail: scoped to an
 * article and to no comment.  Reply notices' tokens name their comment. */
int follow_is_unsubscribe(const struct token_row *tok);

/* A mail to such a token (any text, any sender: the token is the proof)
 * ends the subscription of the token's address to that one article and
 * answers that address, once. */
int follow_unsubscribe(struct store *st, const struct conf *c,
		       const struct message *m, const struct token_row *tok,
		       struct ingest_result *res, struct mc_err *err);

/* Makes address (whose mailbox the caller has proven, by a token it
 * answered) a follower of article_id.  When it was none, the mailbox's
 * global unsubscribe (senders.unsubscribed) is lifted, since it asked
 * for mail again, and the mail "you now follow X" with how to stop is
 * queued to address.  Returns 1 when added, 0 when it already followed,
 * -1 on errors. */
int follow_add(struct store *st, const struct conf *c, int64_t article_id,
	       const char *address, struct mc_err *err);

/* Queues comment cm, just published on a, to every follower of a but
 * its author, the author of the comment it answers when that one gets a
 * reply notice, and mailboxes unsubscribed from everything.  One mail
 * and one unsubscribe token each; *n (may be NULL) receives how many.
 * A comment goes to the followers once: published again (after an undo,
 * or an author's edit approved) it is not sent again. */
int follow_published(struct store *st, const struct conf *c,
		     const struct comment *cm, const struct article *a, int *n,
		     struct mc_err *err);

#endif
