/* reader.h: what a commenter does by replying to the gateway's notices
 * about their own comment (the publish notice, a reply notice): edit,
 * delete, mute, unsubscribe.  Owning the mailbox is the proof: the
 * notice's commenter token (TOKEN_READER) and a From of the same mailbox.
 * Anything else written there is a new comment, which ingest.c stores
 * through the ordinary comment path.
 * Functions return 0 or -1 with err filled, unless said otherwise. */
#ifndef MC_READER_H
#define MC_READER_H

#include <stdint.h>

#include "comment.h"
#include "conf.h"
#include "ingest.h"
#include "message.h"
#include "store.h"
#include "token.h"
#include "util.h"

/* Creates the commenter token of mine (the reader's own comment) for a
 * notice that shows comment context_id (mine itself, or a reply to it):
 * address mine->author_address, scoped to mine's article, valid
 * moderation.reader_token_days.  placeholder and *id as token_new(). */
int reader_token_new(struct store *st, const struct conf *c,
		     const struct comment *mine, int64_t context_id,
		     char placeholder[TOKEN_LEN + 1], int64_t *id,
		     struct mc_err *err);

/* Appends to text what the reader can reply to a notice, in language l
 * (the article's: notify_lang_about()): the commands, and that anything
 * else is a new comment under their own comment (own) or under the reply
 * the notice shows (!own). */
struct catalog_lang;
void reader_notice_text(struct buf *text, const struct catalog_lang *l,
			int own);

/* Acts on a mail to a valid commenter token tok.  Returns 1 when the
 * mail is no command: the caller stores it as a new comment in reply to
 * tok->context_id; 0 when it was handled (applied, refused or answered
 * with help: res says which); -1 on database errors. */
int reader_handle(struct store *st, const struct conf *c,
		  const struct message *m, const struct token_row *tok,
		  struct ingest_result *res, struct mc_err *err);

/* 1 when a mail to an unsubscribe token (the Reply-To of reply notices
 * sent before commenter tokens, and the List-Unsubscribe mailto:) asks
 * to unsubscribe: no text, an unsubscribe word alone on its line, or
 * that word as the whole subject (RFC 2369 mailto:?subject=unsubscribe).
 * 0: it is a reply to the notice, a new comment. */
int reader_wants_unsubscribe(const struct message *m);

/* *quiet = 1 when no reply notice should go out about reply to the
 * author of comment parent: they muted it (`mute`), or reply was
 * published before and its author only corrected it. */
int reader_reply_notice_quiet(struct store *st, int64_t parent, int64_t reply,
			      int *quiet, struct mc_err *err);

#endif
