/* source.h: where mail comes from.  A source is a small table of functions
 * with two implementations, a local Maildir (source_maildir.c) and an IMAP
 * folder (source_imap.c), chosen by source.type.
 *
 * The pipeline fetches a batch, records the effect of every message of the
 * batch in one committed transaction, and only then acknowledges each
 * message (moves it to the processed / set-aside / junk folder, or marks
 * it seen).  A crash between commit and acknowledgement leaves messages
 * that are fetched again and recognised as already processed. */
#ifndef MC_SOURCE_H
#define MC_SOURCE_H

#include <stddef.h>

#include "conf.h"
#include "util.h"

enum src_dest {
	SRC_PROCESSED, /* handled: comment stored, command applied */
	SRC_SET_ASIDE, /* auto-reply, bounce, list, invalid, refused */
	SRC_JUNK,      /* spam */
};

/* One fetched message.  id is the source's own name for it (a Maildir
 * file name, an IMAP UID); raw holds its bytes. */
struct src_msg {
	char *id;
	struct buf raw;
};

struct source;

struct source_ops {
	const char *type; /* "maildir", "imap" */
	int (*open)(struct source *s, const struct conf *c, const char *path,
		    struct mc_err *err);
	/* Fills up to max messages not yet acknowledged (oldest first);
	 * *n = 0 when there are none left. */
	int (*fetch)(struct source *s, struct src_msg *batch, size_t max,
		     size_t *n, struct mc_err *err);
	int (*ack)(struct source *s, const struct src_msg *m,
		   enum src_dest dest, struct mc_err *err);
	/* Waits up to seconds for new mail (IDLE); returns 1 if there may be
	 * new mail, 0 on timeout, -1 on error.  NULL: just sleep. */
	int (*wait)(struct source *s, int seconds, struct mc_err *err);
	void (*close)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	char *name;  /* for logs and the processed table: "maildir:PATH",
		      * "imap://user@host:port/folder" */
	void *priv;  /* the implementation's state */
	int interrupted; /* set by the caller's signal flag: stop waiting */
};

extern const struct source_ops source_maildir_ops;
extern const struct source_ops source_imap_ops;

/* Opens the configured source, or the Maildir at path when path is not
 * NULL (`mailcomments import DIR`).  Release with source_close(). */
int source_open(struct source **s, const struct conf *c, const char *path,
		struct mc_err *err);
int source_fetch(struct source *s, struct src_msg *batch, size_t max,
		 size_t *n, struct mc_err *err);
int source_ack(struct source *s, const struct src_msg *m, enum src_dest dest,
	       struct mc_err *err);
int source_wait(struct source *s, int seconds, struct mc_err *err);
void source_close(struct source *s);

/* Frees the id and bytes of n fetched messages. */
void src_msgs_clear(struct src_msg *batch, size_t n);

#endif
