/* site.h: one gateway, several sites (the `sites` list, conf.h).  Each
 * site is a shard of its own under STATE/sites/NAME/: its database, key,
 * locks and queue, so that one site can be moved, backed up or deleted
 * by moving its folder, and one site's lock never blocks another's.
 *
 * Mail for every site may arrive in one shared mailbox (the top level's
 * source); the router reads it and puts each message into the queue (a
 * Maildir) of the one site it was addressed to, chosen by the addresses
 * the trusted server wrote (the topmost Delivered-To and X-Original-To,
 * above its first Received field), or by To and Cc when it wrote none.
 * Mail for no site, or for several, stays in the shared mailbox, set
 * aside, with the reason in the router's database and log.  Each site
 * then reads its queue (and its own mailbox, when its entry names one)
 * with the ordinary pipeline, against its own database: a token is only
 * ever checked against the key of the site the mail reached. */
#ifndef MC_SITE_H
#define MC_SITE_H

#include <signal.h>
#include <stddef.h>

#include "conf.h"
#include "util.h"

/* Every site of the configuration at path, loaded (conf_load_site()) in
 * the file's order into *sites (caller frees with site_free_all()).
 * Returns -1 with errs filled when one cannot be loaded. */
int site_load_all(const char *path, const struct conf *top,
		  struct conf **sites, size_t *n, struct buf *errs);
void site_free_all(struct conf *sites, size_t n);

/* Makes the shard of site c (STATE/sites/NAME/ and its queue Maildir),
 * owner-only (0700), refusing a symbolic link anywhere it creates or
 * enters below STATE. */
int site_shard_make(const struct conf *c, struct mc_err *err);

/* The site raw[0..len) (a message's header block) was addressed to:
 * its index in sites, or -1 with why saying so ("no site is reached at
 * ...", "addressed to sites a and b"). */
int site_route(const struct conf *sites, size_t n, const char *raw,
	       size_t len, char *why, size_t whylen);

struct site_route_stats {
	int routed;
	int set_aside;
};

/* Opens the router's database, STATE/sites/router.db (its position in
 * an IMAP folder, the reasons of what it set aside). */
struct store;
int site_router_store(const struct conf *top, struct store **st,
		      struct mc_err *err);

/* One pass of the router over top's source: every message routed into a
 * site's queue, or set aside in the shared mailbox with the reason
 * recorded in STATE/sites/router.db.  Delivery to the queue is durable
 * (fsync) before the message is acknowledged.  Returns 0, -1 or the
 * source's status (source.h), err filled. */
int site_route_pass(const struct conf *top, const struct conf *sites,
		     size_t n, volatile sig_atomic_t *stop,
		     struct site_route_stats *rs, struct mc_err *err);

#endif
