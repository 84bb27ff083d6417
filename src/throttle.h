/* throttle.h: site-wide throttles, whoever the senders are.  Two limits
 * keep a flood of comments out of the database (new comments an hour,
 * comments waiting for moderation), and flood mode keeps it out of the
 * moderators' mailboxes: past moderation.flood_threshold comments an
 * hour, single notifications stop and digests replace them.
 *
 * Flood mode: it starts when a comment for moderation makes more than
 * flood_threshold in the last hour (that comment and the next ones wait
 * for a digest), and ends at the end of a pass where at most half that
 * many came in the last hour.  While it lasts, a digest of the waiting
 * comments goes out at most every flood_digest_minutes; the first one
 * says that flood mode started and why, the one sent when it ends lists
 * what was still held.  Comments for moderation are counted by arrival
 * (created in the last hour, pending or already notified), so deciding
 * quickly does not end a flood that goes on.
 *
 * Every count reads an index range and stops at the figure it is compared
 * with: its cost does not grow with the backlog.  Everything runs in the
 * caller's transaction; functions return 0 or -1 with err filled. */
#ifndef MC_THROTTLE_H
#define MC_THROTTLE_H

#include <stddef.h>

#include "conf.h"
#include "store.h"
#include "util.h"

/* Before a new comment is stored: *over is 1 when a site limit refuses
 * it, and why (for the outcome) says which; 0 when it may be stored. */
int throttle_site_check(struct store *st, const struct conf *c, int *over,
			char *why, size_t whylen, struct mc_err *err);

/* For a comment that has just become pending and would be notified
 * alone: *hold is 0 to notify it, 1 when flood mode is on (it waits for
 * the next flood digest), 2 when this comment starts flood mode (the
 * switch is audited). */
int throttle_hold(struct store *st, const struct conf *c, int *hold,
		  struct mc_err *err);

/* At the end of each pass, when digests are not configured for every
 * comment: ends flood mode when the rate fell (audited; the comments
 * still held go out in one digest), sends the flood digest when due, and
 * sends comments left waiting by an ended flood.  note (may be "") says
 * what happened, for the log after the commit. */
int throttle_tick(struct store *st, const struct conf *c, char *note,
		  size_t notelen, struct mc_err *err);

/* 1 when flood mode is on or comments wait for a flood digest (the
 * daemon then wakes every minute), 0 if not, -1 on error. */
int throttle_busy(struct store *st, const struct conf *c,
		  struct mc_err *err);

#endif
