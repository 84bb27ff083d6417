/* changes.h: what was decided since the last render that changed files,
 * read from the audit log past a mark (table publish_marks), so that a
 * deploy commit says "comment #12 on SLUG approved" and the webhook
 * names its event (comment.approved, comment.deleted...).
 *
 * Ownership: changes_take() fills an array the caller releases with
 * changes_free(). */
#ifndef MC_CHANGES_H
#define MC_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "util.h"

struct change {
	int64_t comment_id;
	char *slug;  /* the comment's article */
	char *event; /* "comment.approved", "comment.deleted", ... */
	char *verb;  /* "approved", "deleted", ... for a sentence */
};

/* The audit rows about comments after the mark, oldest first (at most
 * 1000: a backlog is summed up, not listed), then moves the mark past
 * every row read.  Runs its own transaction unless one is open. */
int changes_take(struct store *st, struct change **v, size_t *n,
		 struct mc_err *err);

void changes_free(struct change *v, size_t n);

/* The event of an audit action: "approve" -> "comment.approved". */
const char *changes_event(const char *action);

#endif
