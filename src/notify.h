/* notify.h: every mail the gateway writes, in the reader's article's or
 * the moderator's language (translation catalogs, catalog.h):
 * moderator notifications and digests, confirmations of commands, help,
 * sender confirmation requests, publish and reply notices.  Each is queued
 * in the outbox inside the caller's transaction; all are From: the
 * gateway, carry Auto-Submitted: auto-generated, and never go to an
 * address that did not ask or was not decided about by a human. */
#ifndef MC_NOTIFY_H
#define MC_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "articles.h"
#include "comment.h"
#include "conf.h"
#include "store.h"
#include "util.h"

/* One mail to the moderators about a new comment, with a new moderation
 * token (in Reply-To and the Message-ID). */
int notify_moderators(struct store *st, const struct conf *c,
		      const struct comment *cm, const struct article *a,
		      struct mc_err *err);

/* Sends pending comment id to the moderators: a notification now, or,
 * with digests, a place in the next digest. */
int notify_pending(struct store *st, const struct conf *c, int64_t id,
		   struct mc_err *err);

/* Why a digest goes out, when a flood decided it (throttle.c): the
 * digest then says so, with the figures that made the decision. */
enum digest_why {
	DIGEST_REGULAR,
	DIGEST_FLOOD_STARTED, /* the first digest of a flood */
	DIGEST_FLOOD_ONGOING,
	DIGEST_FLOOD_OVER,    /* the comments still held when it ended */
};
struct digest_reason {
	enum digest_why why;
	int comments;   /* comments for moderation in the last hour */
	int senders;    /* how many addresses sent them */
	int64_t resume; /* earliest time single notifications can resume */
};

/* One digest to every moderator listing the pending comments not yet
 * notified, oldest first, at most 100 of them (the mail says when more
 * wait); each is marked notified and recorded under the digest's token.
 * why (NULL: a regular digest) adds the reason at the top.  *sent is 1
 * when a digest was queued, 0 when no comment waited.  Runs in the
 * caller's transaction. */
int notify_digest(struct store *st, const struct conf *c,
		  const struct digest_reason *why, int *sent,
		  struct mc_err *err);

/* The moderators' console (console.c).  notify_digest_to: a digest of
 * every pending comment (oldest first, at most 100) to one moderator,
 * answering in_reply_to, queued as kind; the comments are recorded
 * under its new digest token but neither marked notified nor taken out
 * of the next regular digest.  *sent is 0 when none waits.
 * notify_show: the notification about cm (whatever its status) to one
 * moderator, with a new moderation token and note (may be NULL) at the
 * top.  Both run in the caller's transaction. */
int notify_digest_to(struct store *st, const struct conf *c, const char *to,
		     const char *in_reply_to, const char *kind, int *sent,
		     struct mc_err *err);
int notify_show(struct store *st, const struct conf *c,
		const struct comment *cm, const struct article *a,
		const char *to, const char *note, const char *in_reply_to,
		const char *kind, struct mc_err *err);

/* When moderation.digest_minutes is set and the digest is due (or force),
 * notify_digest().  *sent (may be NULL) is set to 1 when one was
 * queued.  Runs in the caller's transaction. */
int notify_digest_if_due(struct store *st, const struct conf *c, int force,
			 int *sent, struct mc_err *err);

/* Asks a first-time sender to confirm by replying (with a new
 * confirmation token), and records on the sender's canonical mailbox
 * that a request went out (the one-a-day rule reads it). */
int notify_confirm_request(struct store *st, const struct conf *c,
			   const struct comment *cm, const struct article *a,
			   struct mc_err *err);

/* Tells a commenter their comment is published. */
int notify_published(struct store *st, const struct conf *c,
		     const struct comment *cm, const struct article *a,
		     struct mc_err *err);

/* Tells the author of parent that reply answers it. */
int notify_reply(struct store *st, const struct conf *c,
		 const struct comment *parent, const struct comment *reply,
		 const struct article *a, struct mc_err *err);

/* A short answer to a moderator or reader who wrote to the gateway:
 * what was done, what is wrong, the help text.  in_reply_to is the
 * Message-ID (without brackets) of their mail, subject its subject;
 * about lists the nabout comments the text names (may be NULL). */
enum answer {
	ANSWER_DONE,     /* text: what was done */
	ANSWER_HELP,     /* text: what was wrong; the help follows */
	ANSWER_HELP_DIGEST, /* the same, answering a digest */
	ANSWER_CONFLICT, /* text: what the first moderator decided */
	ANSWER_UNSUBSCRIBED,
	ANSWER_CONFIRMED,
};
int notify_answer(struct store *st, const struct conf *c, const char *to,
		  const char *in_reply_to, const char *subject,
		  enum answer kind, const char *text, const int64_t *about,
		  size_t nabout, struct mc_err *err);
/* The same in language lang (a tag; NULL: the moderators' language, or
 * site.language for ANSWER_UNSUBSCRIBED and ANSWER_CONFIRMED), for an
 * answer to a reader whose article is known. */
int notify_answer_in(struct store *st, const struct conf *c, const char *lang,
		     const char *to, const char *in_reply_to,
		     const char *subject, enum answer kind, const char *text,
		     const int64_t *about, size_t nabout, struct mc_err *err);

#endif
