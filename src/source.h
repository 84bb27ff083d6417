/* source.h: where mail comes from.  A source is a small table of functions
 * with two implementations, a local Maildir (source_maildir.c) and an IMAP
 * folder (source_imap.c), chosen by source.type.
 *
 * The pipeline fetches a batch (up to the source's batch_max messages and
 * limits.batch_bytes bytes), records the effect of every message of the
 * batch and the source's position in one committed transaction, and only
 * then acknowledges the messages (moves them to the processed / set-aside
 * / junk folder, or marks them seen: one UID MOVE per folder per batch
 * over IMAP).  A crash between commit and acknowledgement leaves messages
 * that are fetched again and recognised as already processed. */
#ifndef MC_SOURCE_H
#define MC_SOURCE_H

#include <signal.h>
#include <stddef.h>

#include "conf.h"
#include "store.h"
#include "util.h"

/* What went wrong, so that the caller can choose an exit code and a retry
 * policy.  Every function below returns 0 on success or one of these on
 * failure (all negative: `rc < 0` tests for any failure), with err saying
 * what in one line.  The Maildir source only ever returns SRC_ERROR. */
enum src_status {
	SRC_OK = 0,
	SRC_ERROR = -1,    /* anything else: an unusable server reply, a
			    * folder that cannot be created, the database */
	SRC_TEMPFAIL = -2, /* server unreachable, connection lost, timed
			    * out: try again later (EX_TEMPFAIL) */
	SRC_AUTHFAIL = -3, /* the server refused the login: retrying with
			    * the same secret will not help (EX_NOPERM) */
	SRC_CONFIG = -4,   /* the configuration cannot work: no password,
			    * plain text to a remote host, a missing folder,
			    * an unreadable CA file (EX_CONFIG) */
	SRC_INSECURE = -5, /* the server cannot be trusted: certificate not
			    * verified or for another name, STARTTLS not
			    * offered (EX_PROTOCOL) */
};

/* The sysexits.h code for a status returned by a source function
 * (EX_OK for 0, EX_UNAVAILABLE for SRC_ERROR). */
int source_exit_code(int status);

enum src_dest {
	SRC_PROCESSED, /* handled: comment stored, command applied */
	SRC_SET_ASIDE, /* auto-reply, bounce, list, invalid, refused */
	SRC_JUNK,      /* spam */
};

/* One fetched message.  id is the source's own name for it (a Maildir
 * file name, an IMAP UID in decimal); raw holds its bytes, and size is
 * its size.  Of a message over limits.message_size, raw holds only the
 * first MSG_HEAD_SIZE bytes (never more than message_size): size >
 * raw.len tells the pipeline to set it aside as too large without ever
 * holding it whole. */
struct src_msg {
	char *id;
	struct buf raw;
	size_t size;
};

struct source;

struct source_ops {
	const char *type; /* "maildir", "imap" */
	int (*open)(struct source *s, const struct conf *c, const char *path,
		    struct mc_err *err);
	/* Fills up to max messages not yet acknowledged (oldest first);
	 * *n = 0 when there are none left.  A batch holds at most
	 * limits.batch_bytes bytes of raw mail (at least one message): it
	 * ends before the message that would pass that, which comes first
	 * in the next batch.  Sizes are known before anything is read (a
	 * Maildir file's, IMAP's RFC822.SIZE).  The IMAP source returns
	 * each message at most once per open source: one the caller does
	 * not acknowledge comes back after the source is opened again. */
	int (*fetch)(struct source *s, struct src_msg *batch, size_t max,
		     size_t *n, struct mc_err *err);
	/* The IMAP source gathers acknowledgements and applies them a
	 * batch at a time (one UID MOVE for many messages): at the latest
	 * at the next fetch, wait or close, which report a failure.  A
	 * message whose move failed stays in the folder and is read
	 * again. */
	int (*ack)(struct source *s, const struct src_msg *m,
		   enum src_dest dest, struct mc_err *err);
	/* Says the acknowledgements gathered so far may be applied (one
	 * command per destination folder); the IMAP source applies them
	 * with the next fetch, wait or close.  NULL: ack applies each at
	 * once. */
	int (*flush)(struct source *s, struct mc_err *err);
	/* Records the position in the folder in the database, inside the
	 * caller's transaction when one is open: the position below which
	 * every message was acknowledged, held back by the messages handed
	 * out and not yet acknowledged (those of the batch being committed),
	 * so that a crash before their acknowledgement reads them again.
	 * NULL: the source keeps no position. */
	int (*checkpoint)(struct source *s, struct mc_err *err);
	/* Waits up to seconds for new mail (IDLE); returns 1 if there may be
	 * new mail, 0 on timeout or when s->interrupted was set, < 0 on
	 * error.  NULL: just sleep. */
	int (*wait)(struct source *s, int seconds, struct mc_err *err);
	void (*close)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	char *name;  /* for logs and the processed table: "maildir:PATH",
		      * "imap://user@host/folder" */
	void *priv;  /* the implementation's state */
	size_t batch_max; /* messages per batch (imap.batch_size,
			   * source.batch_size), set by open */
	struct store *store; /* where the IMAP source keeps UIDVALIDITY and
			      * the last UID it handed out; not owned */
	volatile sig_atomic_t interrupted; /* set from the caller's signal
					    * flag: wait() returns within a
					    * second */
};

extern const struct source_ops source_maildir_ops;
extern const struct source_ops source_imap_ops;

/* Opens the configured source, or the Maildir at path when path is not
 * NULL (`mailcomments import DIR`).  The IMAP source sets SIGPIPE to be
 * ignored if it was not handled (a closed connection is then an error).  st is the open database (the IMAP
 * source keeps its position there); it must outlive the source.  Returns
 * 0 or an enum src_status.  Release with source_close(). */
int source_open(struct source **s, const struct conf *c, const char *path,
		struct store *st, struct mc_err *err);
int source_fetch(struct source *s, struct src_msg *batch, size_t max,
		 size_t *n, struct mc_err *err);
int source_ack(struct source *s, const struct src_msg *m, enum src_dest dest,
	       struct mc_err *err);
/* source_flush(): the gathered acknowledgements are applied (after the
 * commit); source_checkpoint(): the position is written (before it, in
 * the batch's transaction).  Both do nothing where the source has no
 * use for them. */
int source_flush(struct source *s, struct mc_err *err);
int source_checkpoint(struct source *s, struct mc_err *err);
int source_wait(struct source *s, int seconds, struct mc_err *err);
void source_close(struct source *s);

/* Frees the id and bytes of n fetched messages. */
void src_msgs_clear(struct src_msg *batch, size_t n);

#endif
