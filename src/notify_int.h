/* notify_int.h: what the modules that write the gateway's mail share:
 * notify.c, and the mails of the conversation kept beside their logic. */
#ifndef MC_NOTIFY_INT_H
#define MC_NOTIFY_INT_H

#include <stdint.h>

#include "articles.h"
#include "comment.h"
#include "compose.h"
#include "conf.h"
#include "lang.h"
#include "outbox.h"
#include "store.h"
#include "util.h"

/* The language tag the mails to moderator (an address; NULL: the
 * moderators as a whole) speak: moderation.languages, else
 * site.language; the one place that decides it.  Points into c. */
const char *notify_moderator_lang(const struct conf *c, const char *moderator);

/* The language of the mails to readers about article a: its own
 * (article_language()), into lang. */
void notify_lang_about(const struct conf *c, const struct article *a,
		       char lang[LANG_TAG_MAX]);

/* From, To, Date, Message-ID and the auto-generated markers every mail
 * of the gateway carries. */
void notify_base_headers(struct mail *m, const struct conf *c,
			 const char *to_name, const char *to,
			 const char *message_id);

/* Finishes m and queues it in the outbox (same transaction); refs lists
 * its token placeholders and the comments it shows.  m stays the
 * caller's to free. */
int notify_queue(struct store *st, const struct conf *c, struct mail *m,
		 const char *kind, const char *to,
		 const struct outbox_refs *refs, struct mc_err *err);

/* A comment's text between two rules. */
void notify_comment_block(struct mail *m, const char *body);

/* The name cm is published under, in language lang (a tag: the word for
 * an anonymous author); caller frees. */
char *notify_public_name(const struct conf *c, const char *lang,
			 const struct comment *cm);

/* The Subject of the notification about cm ("[Site] New comment on
 * ..."), which the "handled by" notices answer, in the language of
 * moderator (NULL: the moderators as a whole); caller frees. */
char *notify_moderator_subject(const struct conf *c, const struct comment *cm,
			       const struct article *a);
char *notify_moderator_subject_to(const struct conf *c,
				  const struct comment *cm,
				  const struct article *a,
				  const char *moderator);

/* The page address of comment id; caller frees. */
char *notify_comment_url(const struct article *a, int64_t id);

/* A Message-ID "<mailcomments.nID.RANDOM@domain>" for a notice about
 * comment id (a reply whose plus-address got lost still finds it);
 * caller frees. */
char *notify_notice_id(const struct conf *c, int64_t id);

/* The List-Unsubscribe value for unsubscribe address unsub whose token
 * placeholder is token; caller frees. */
char *notify_list_unsubscribe(const struct conf *c, const char *unsub,
			      const char *token);

#endif
