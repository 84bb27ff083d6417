/* ingest.h: what one parsed message does to the database: a comment is
 * checked and stored (and the moderators notified), a command is
 * authenticated and applied, anything else is recorded and set aside.
 * Runs inside the caller's transaction; the caller acknowledges the source
 * message only after committing. */
#ifndef MC_INGEST_H
#define MC_INGEST_H

#include <stdint.h>

#include "conf.h"
#include "message.h"
#include "source.h"
#include "store.h"
#include "util.h"

struct ingest_result {
	enum src_dest dest;   /* where the source message goes */
	char outcome[160];    /* one phrase for the log and the record */
	char article[256];    /* slug, "" if none */
	int64_t comment_id;   /* 0 if none */
	int retry;            /* set aside by a limit: may be tried again */
	/* what the mail turned out to be, for the poll's summary: a mail
	 * to the console is a command, a reader's words to a token a
	 * comment (INGEST_AS_KIND: as the parser classified it) */
	enum { INGEST_AS_KIND, INGEST_AS_COMMENT, INGEST_AS_COMMAND } counted_as;
};

/* Sets where the source message goes and the one phrase that records
 * the outcome (cut to fit). */
void ingest_outcome(struct ingest_result *res, enum src_dest dest,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Processes m, read from source (name) as source_id.  Returns -1 only on
 * database errors (the transaction must then be rolled back); every
 * refusal is an outcome. */
int ingest_message(struct store *st, const struct conf *c,
		   const struct message *m, const char *source,
		   const char *source_id, struct ingest_result *res,
		   struct mc_err *err);

#endif
