/* moderate.h: decisions on comments, the same for a moderator's mail and
 * for the operator's shell.  Each decision changes a status, appends an
 * audit row, marks the article for rendering and queues the notices it
 * causes, all inside the caller's transaction. */
#ifndef MC_MODERATE_H
#define MC_MODERATE_H

#include <stdint.h>

#include "command.h"
#include "conf.h"
#include "modmail.h"
#include "store.h"
#include "util.h"

struct actor {
	const char *who;        /* a moderator's address, or "operator" */
	const char *name;       /* display name, for a public reply */
	const char *message_id; /* the mail that asked; NULL from the shell */
};

enum mod_outcome {
	MOD_APPLIED,
	MOD_ALREADY,   /* the comment already is in that state */
	MOD_CONFLICT,  /* someone decided otherwise: nothing changed */
	MOD_BAD_STATE, /* e.g. delete a comment that is not published */
	MOD_NO_UNDO,   /* nothing of this moderator's to undo */
	MOD_NOT_FOUND,
};

struct mod_result {
	enum mod_outcome outcome;
	char text[1024]; /* one sentence for the person who asked */
	struct modmail_decision what; /* what became of the comment, for
				       * the other moderators */
};

/* Applies verb v to comment id.  arg: reject's reason, ban's pattern;
 * text: edit's new text or reply's answer.  A decision that changed the
 * comment is told to every other moderator (modmail_handled()).  Returns
 * -1 only on database errors; refusals are outcomes. */
int moderate(struct store *st, const struct conf *c, const struct actor *who,
	     enum verb v, int64_t id, const char *arg, const char *text,
	     struct mod_result *res, struct mc_err *err);

/* Bans or unbans an address or "@domain" (no comment involved). */
int moderate_ban(struct store *st, const struct conf *c,
		 const struct actor *who, const char *pattern, int ban,
		 struct mod_result *res, struct mc_err *err);

/* Erases address: its comments, tokens, subscriptions (followers, in any
 * spelling) and sender row; every outbox copy
 * (queued or sent) of mail to it, about its comments or naming it; its
 * Message-IDs (processed keys become hashes); its address and names in
 * the audit log.  Pending comments of others that lose a queued
 * notification this way are notified again.  Marks the articles it
 * touched for rendering.  *ncomments receives the number of comments
 * erased.  The deleted bytes are overwritten in the database file
 * (secure_delete); the caller should store_checkpoint() after commit. */
int moderate_forget(struct store *st, const struct conf *c,
		    const struct actor *who, const char *address,
		    int *ncomments, struct mc_err *err);

/* After tokens were revoked: every pending comment that no valid token
 * speaks for is sent to the moderators again (with digests: in a digest
 * sent now), and every address with unconfirmed comments and no valid
 * confirmation token gets a new request.  Counts in *ncomments and
 * *nconfirm. */
int moderate_renotify(struct store *st, const struct conf *c, int *ncomments,
		      int *nconfirm, struct mc_err *err);

/* How many pending comments moderate_renotify() would send again. */
int moderate_renotify_count(struct store *st, int *n, struct mc_err *err);

/* Called when a comment becomes published (by a decision or
 * automatically): marks the article dirty, and queues the publish notice
 * (human: a person decided), the reply notice to the parent's author and
 * the mail to each follower of the article (follow.h). */
int moderate_published(struct store *st, const struct conf *c, int64_t id,
		       int human, struct mc_err *err);

#endif
