/* retention.c: pruning.  Unsent mail is never pruned (it waits for its
 * retries), nor a comment someone may still decide on. */
#include <stdio.h>
#include <string.h>

#include "retention.h"
#include "banned.h"

static int prune_step(struct store *st, const char *sql, int64_t cutoff,
		      int *count, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, cutoff);
	sqlite3_bind_int64(stmt, 2, now());
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	*count += sqlite3_changes(store_db(st));
	return 0;
}

int retention_prune(struct store *st, const struct conf *c,
		    struct retention_counts *n, struct mc_err *err)
{
	struct retention_counts k = { 0, 0, 0, 0 };
	int64_t cutoff = now() - (int64_t)c->database_retention_days * 86400;

	if (store_begin(st, err) < 0)
		return -1;
	if (prune_step(st,
		       "DELETE FROM outbox WHERE status = 'sent'"
		       " AND created_at < ?1",
		       cutoff, &k.mails, err) < 0 ||
	    prune_step(st,
		       "DELETE FROM outbox WHERE status = 'failed'"
		       " AND created_at < ?1",
		       cutoff, &k.mails, err) < 0 ||
	    /* The mail a decided comment came in is needed no more; a
	     * refused comment's words neither.  A published one keeps its
	     * text and what it was before an edit (undo needs it). */
	    prune_step(st,
		       "UPDATE comments SET pruned_at = ?2, headers = '',"
		       " body = CASE WHEN status = 'approved' THEN body"
		       "   ELSE '' END,"
		       " subject = CASE WHEN status = 'approved' THEN subject"
		       "   ELSE '' END,"
		       " original_body = CASE WHEN status = 'approved'"
		       "   THEN original_body ELSE NULL END"
		       " WHERE pruned_at IS NULL AND decided_at < ?1"
		       " AND status IN ('approved', 'rejected', 'spam',"
		       " 'deleted')",
		       cutoff, &k.contents, err) < 0 ||
	    prune_step(st,
		       "DELETE FROM comments WHERE status = 'unconfirmed'"
		       " AND created_at < ?1",
		       cutoff, &k.unconfirmed, err) < 0 ||
	    /* revoking sets expires_at to the time of revocation */
	    prune_step(st, "DELETE FROM tokens WHERE expires_at < ?1", cutoff,
		       &k.tokens, err) < 0 ||
	    store_commit(st, err) < 0) {
		store_rollback(st);
		return err_prefix(err, "pruning: ");
	}
	if (n)
		*n = k;
	return 0;
}

void retention_describe(const struct retention_counts *n, long days,
			char *out, size_t size)
{
	if (n->mails + n->contents + n->unconfirmed + n->tokens == 0) {
		snprintf(out, size, "nothing older than %ld days to prune",
			 days);
		return;
	}
	snprintf(out, size,
		 "pruned what is older than %ld days: %d sent or failed "
		 "mail%s, the mail content of %d decided comment%s, %d "
		 "unconfirmed comment%s, %d expired or revoked token%s",
		 days, n->mails, n->mails == 1 ? "" : "s", n->contents,
		 n->contents == 1 ? "" : "s", n->unconfirmed,
		 n->unconfirmed == 1 ? "" : "s", n->tokens,
		 n->tokens == 1 ? "" : "s");
}
