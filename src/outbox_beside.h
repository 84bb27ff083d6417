/* outbox_beside.h: the outbox delivered beside the batches of a pass, by a
 * second thread, while the next batches are fetched and stored.
 * Ownership: the handle owns its thread, database connection, transport
 * and the flush lock; outbox_beside_stop() frees all of them. */
#ifndef MC_OUTBOX_BESIDE_H
#define MC_OUTBOX_BESIDE_H

#include <stdint.h>

#include "conf.h"
#include "store.h"
#include "transport.h"

struct outbox_beside;

/* Records what the sent log holds (outbox_sent_log_apply(), on st: no
 * transaction may be open on it), then starts the thread, with its own
 * connection to st's database and t (or
 * the configured transport when t is NULL; owned by the handle either
 * way).  NULL, after saying why in the log, when it cannot (another
 * process sends, the database cannot be opened): the pass's last flush
 * then sends everything, as before.  c must outlive the handle. */
struct outbox_beside *outbox_beside_start(struct store *st,
					  const struct conf *c,
					  struct transport *t);

/* The rows up to upto may go: every batch that queued them is committed
 * and its source acknowledgement answered (pipeline.c's order). */
void outbox_beside_allow(struct outbox_beside *ob, int64_t upto);

/* Stops the thread after the message in flight and frees everything;
 * returns how many messages it sent (recorded in the sent log, which the
 * next flush applies). */
int outbox_beside_stop(struct outbox_beside *ob);

#endif
