/* console.h: the moderators' console by mail, and the notice of a closed
 * article.  A moderator writes to the gateway's bare address (no
 * plus-address) a line "pending", "show 12", "stats" or "help" (or
 * attente, voir/afficher 12, statistiques, aide) and gets the answer,
 * with fresh tokens to act from it on the spot.  A reader who writes to
 * an article closed to comments gets at most one notice a day, and only
 * when their address was confirmed before.
 *
 * Who gets an answer: only a configured moderator (and, with
 * moderation.require_dkim, with the trusted server's dkim=pass), and the
 * answer goes to the address as configured, whatever the mail's
 * Reply-To; at most moderation.console_per_hour answers an hour each.
 * Everything else is set aside with its reason and never answered.  Both
 * run in the caller's transaction and return -1 only on errors (err
 * filled); every refusal is an outcome in res. */
#ifndef MC_CONSOLE_H
#define MC_CONSOLE_H

#include "articles.h"
#include "conf.h"
#include "ingest.h"
#include "message.h"
#include "store.h"
#include "util.h"

/* 1 when m is written to the gateway's bare address. */
int console_addressed(const struct conf *c, const struct message *m);

/* Answers m, a mail to the bare address that names no article. */
int console_handle(struct store *st, const struct conf *c,
		   const struct message *m, struct ingest_result *res,
		   struct mc_err *err);

/* m (a comment or a reply) is for a, which is closed: sets it aside with
 * "comments are closed on SLUG" and tells its sender so when the sender
 * confirmed an address before (senders.confirmed, or an approved
 * comment), is not banned, and got no such notice in the last day
 * (counted per mailbox, whatever the spelling). */
int console_closed(struct store *st, const struct conf *c,
		   const struct message *m, const struct article *a,
		   struct ingest_result *res, struct mc_err *err);

#endif
