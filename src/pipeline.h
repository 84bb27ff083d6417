/* pipeline.h: one pass over a mail source, the heart of `poll`, `import`
 * and `daemon`: fetch a batch, parse and ingest every message in one
 * transaction, commit, then acknowledge each message, render what changed,
 * send the digest when due and flush the outbox. */
#ifndef MC_PIPELINE_H
#define MC_PIPELINE_H

#include <signal.h>

#include "conf.h"
#include "source.h"
#include "store.h"
#include "util.h"

struct pipeline_stats {
	int messages;
	int comments;
	int commands;
	int set_aside;
	int duplicates;
	int sent;     /* outgoing mail sent (or written to the outbox Maildir) */
	int deferred; /* outgoing mail waiting for a retry */
	int unsent;   /* 1 when the outbox could not be flushed at all */
};

/* Processes every message src has, in batches.  stop (may be NULL) is
 * checked between messages: when it becomes non-zero the current batch is
 * committed and acknowledged, and the pass ends.  Returns -1 on a
 * database error, the source's enum src_status (< 0) on a source error
 * (err filled); what was committed before stays committed and
 * acknowledged. */
int pipeline_run(struct store *st, const struct conf *c, struct source *src,
		 volatile sig_atomic_t *stop, struct pipeline_stats *stats,
		 struct mc_err *err);

/* The end of a pass: renders dirty articles, queues the digest when due,
 * flushes the outbox, prunes what the retention lets go (retention.h).  Rendering and sending failures are logged, not
 * fatal: the data is safe in the database and the next pass retries. */
int pipeline_finish(struct store *st, const struct conf *c,
		    struct pipeline_stats *stats, struct mc_err *err);

/* The whole of `poll --once` / `import`: sync the articles from the site,
 * open the source (path: a Maildir to import, or NULL for the configured
 * source), run, finish.  Logs a summary line.  Returns like
 * pipeline_run(): source_exit_code() tells a server that is down from a
 * refused login or a configuration that cannot work. */
int pipeline_poll(struct store *st, const struct conf *c, const char *path,
		  volatile sig_atomic_t *stop, struct pipeline_stats *stats,
		  struct mc_err *err);

#endif
