/* parsework.h: a batch's messages parsed on a second thread while the
 * main thread stores the ones before them (parsing is pure: no database,
 * no source, no shared state once started).
 *
 * Ownership: the batch stays the caller's and must outlive the batch's
 * work (pw_end()); each parsed message is handed to the caller by
 * pw_take() and is then the caller's, to msg_free().  The worker runs at
 * most PW_AHEAD messages and PW_AHEAD_BYTES raw bytes ahead of what was
 * taken: memory stays bounded whatever the batch. */
#ifndef MC_PARSEWORK_H
#define MC_PARSEWORK_H

#include <stddef.h>

#include "conf.h"
#include "message.h"
#include "source.h"
#include "util.h"

#define PW_AHEAD 64
#define PW_AHEAD_BYTES (8u << 20)

struct parsework;

/* Starts the worker thread for conf (read only while it runs).  NULL
 * when no thread can be made: the caller parses inline. */
struct parsework *pw_start(const struct conf *conf);

/* Starts parsing batch[0..n), in order.  The previous batch must have
 * been ended (pw_end()). */
void pw_begin(struct parsework *pw, const struct src_msg *batch, size_t n);

/* Waits for message i of the batch (taken in order: 0, 1, ...) and
 * returns what msg_parse_head() returned for it: 0 with *m set, or -1
 * with perr filled. */
int pw_take(struct parsework *pw, size_t i, struct message **m,
	    struct mc_err *perr);

/* Ends the batch: the worker stops parsing it, what it parsed that was
 * not taken is freed.  After it the batch may be freed. */
void pw_end(struct parsework *pw);

/* How many messages are parsed and not yet taken (for the tests: never
 * more than PW_AHEAD, nor more than PW_AHEAD_BYTES of raw mail but one). */
size_t pw_ahead(struct parsework *pw);

/* Stops and joins the worker; pw may be NULL. */
void pw_stop(struct parsework *pw);

#endif
