/* modmail.h: what the gateway tells moderators beyond the bare comment:
 * the facts a notification or digest shows about it (the author's
 * address, the trusted server's authentication and spam verdicts, the
 * sender's history, the comment it answers), the token that makes every
 * answer to a moderator answerable, and the "handled by" notice that
 * shows the other moderators what one of them decided.
 *
 * Everything here goes to configured moderators only: the author's
 * address is in these mails and nowhere public. */
#ifndef MC_MODMAIL_H
#define MC_MODMAIL_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "comment.h"
#include "compose.h"
#include "conf.h"
#include "outbox.h"
#include "store.h"
#include "token.h"
#include "util.h"

/* Appends to m what a moderator needs to judge cm beside its text, in
 * language lang (a tag: the recipient's, notify_moderator_lang()).
 * brief: the shorter form of digests. */
int modmail_describe(struct store *st, const struct conf *c,
		     const char *lang, struct mail *m,
		     const struct comment *cm, int brief, struct mc_err *err);

/* What a moderator's decision made of a comment, kept as facts rather
 * than words so that each moderator told of it reads it in their own
 * language (modmail_decision_text()). */
enum modmail_change {
	MODMAIL_STATUS,   /* status is the comment's new one */
	MODMAIL_EDITED,   /* its text corrected */
	MODMAIL_ANSWERED, /* an answer published under it */
	MODMAIL_UNDONE,   /* action undone, the comment status again */
};
struct modmail_decision {
	enum modmail_change change;
	char status[16];     /* a comment status: "approved", "spam"... */
	char action[16];     /* MODMAIL_UNDONE: the verb undone ("approve") */
	char moderator[320]; /* MODMAIL_STATUS: the moderator's address the
			      * sender wrote, which spam or trust left alone
			      * ("": none) */
	int spam;            /* with moderator: 1 not banned, 0 not trusted */
};

/* The decision d in language l ("approved", "text corrected"...),
 * appended to out. */
void modmail_decision_text(const struct catalog_lang *l,
			   const struct modmail_decision *d, struct buf *out);
/* A comment status ("approved", "unconfirmed"...) as a state in language
 * l ("approuvé"); an unknown status as it is.  Points into the catalog
 * or is status. */
const char *modmail_status_word(const struct catalog_lang *l,
				const char *status);

/* The thread id of the mails about comment cm, token-free and stable:
 * "<mailcomments.tID.CREATED@domain>".  Notifications name it in
 * References, "handled by" notices answer it.  Caller frees. */
char *modmail_thread_id(const struct conf *c, const struct comment *cm);

/* Where an answer of the gateway to `to` points replies.  To a
 * configured moderator: about one comment, a new moderation token for it
 * (Reply-To comments+m_TOKEN@, Message-ID mailcomments.m_TOKEN@); about
 * several, a new digest token listing them; about none, Reply-To the
 * gateway's own address.  To anyone else: no token, no Reply-To.  about
 * may repeat ids or hold 0s and ids of comments gone; they are skipped.
 * Runs in the caller's transaction. */
struct modmail_anchor {
	char placeholder[TOKEN_LEN + 1];
	struct outbox_token token; /* placeholder points to the above */
	size_t ntokens;            /* 0 or 1 */
	char *message_id;          /* the answer's Message-ID */
	char *reply_to;            /* NULL: none */
};
int modmail_anchor(struct store *st, const struct conf *c, const char *to,
		   const int64_t *about, size_t nabout,
		   struct modmail_anchor *an, struct mc_err *err);
void modmail_anchor_free(struct modmail_anchor *an);

/* Tells every configured moderator but `who` that `who` decided on
 * comment id: one short mail each in their language, "Comment #N: WHAT
 * by WHO.", threaded
 * under their notification (modmail_thread_id) and answerable (a new
 * moderation token for the comment).  who "gateway" (an automatic
 * decision) sends nothing.  Runs in the caller's transaction. */
int modmail_handled(struct store *st, const struct conf *c, const char *who,
		    int64_t id, const struct modmail_decision *what,
		    struct mc_err *err);

#endif
