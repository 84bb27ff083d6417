/* retention.h: what the database forgets, and when.  After
 * database.retention_days: sent and failed mail, the mail content of
 * decided comments (headers; the text too of rejected, spam and deleted
 * ones), comments whose sender never confirmed, and tokens that expired
 * or were revoked (with their digest items).  The audit log, the
 * published comments and the record of processed messages stay.  Each
 * query follows an index, so a pass costs little when nothing is due. */
#ifndef MC_RETENTION_H
#define MC_RETENTION_H

#include "conf.h"
#include "store.h"
#include "util.h"

struct retention_counts {
	int mails;       /* sent or failed outbox rows deleted */
	int contents;    /* comments whose mail content was removed */
	int unconfirmed; /* comments never confirmed, deleted */
	int tokens;      /* expired or revoked tokens deleted */
};

/* Prunes what is older than c->database_retention_days, in one
 * transaction of its own.  n (may be NULL) receives the counts. */
int retention_prune(struct store *st, const struct conf *c,
		    struct retention_counts *n, struct mc_err *err);

/* One line for the log or the operator ("nothing to prune" when all
 * counts are 0) into out. */
void retention_describe(const struct retention_counts *n, long days,
			char *out, size_t size);

#endif
