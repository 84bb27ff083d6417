/* sites.c: `poll` and `daemon` over every site of a configuration with
 * several (site.h): the router's pass over the shared mailbox, then each
 * site in turn, in the file's order, each under its own poll lock and
 * against its own database.  A site whose lock is held (a long render,
 * an operator's command) is skipped for this pass; the others go on.
 * One connection at a time: sites with a mailbox of their own are read
 * in turn, so the number of connections never grows with the sites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../cmdwords.h"
#include "../log.h"
#include "../pipeline.h"
#include "../site.h"
#include "../source.h"
#include "../banned.h"

/* A site with a mailbox of its own reads its queue too: mail for it may
 * also come through the shared mailbox. */
static int queue_pass(struct cmd_ctx *ctx, struct conf *sc,
		      volatile sig_atomic_t *stop)
{
	char *type = sc->source_type, *dir = sc->source_maildir;
	char *state = conf_state_dir(sc);
	struct pipeline_stats stats;
	struct mc_err err;
	int rc;

	sc->source_type = "maildir";
	sc->source_maildir = xasprintf("%s/sites/%s/queue", state,
				       sc->site_id);
	free(state);
	rc = pipeline_poll(ctx->store, sc, NULL, stop, &stats, &err);
	if (rc < 0)
		log_warnx("site %s: %s", sc->site_id, err.msg);
	free(sc->source_maildir);
	sc->source_type = type;
	sc->source_maildir = dir;
	return rc;
}

/* One site's pass under its lock; 0 or an exit code. */
static int site_pass(struct cmd_ctx *ctx, struct conf *sc,
		     volatile sig_atomic_t *stop)
{
	struct pipeline_stats stats;
	struct mc_err err;
	int rc, lock;

	cmdwords_use(sc->words);
	ctx->conf = sc;
	rc = cmd_open_store(ctx);
	if (rc != 0)
		return rc;
	lock = cmd_poll_lock(sc, &err);
	if (lock < 0) {
		log_warnx("site %s: %s; skipped this pass", sc->site_id,
			  err.msg);
		store_close(ctx->store);
		ctx->store = NULL;
		return lock == -2 ? EX_TEMPFAIL : EX_IOERR;
	}
	rc = pipeline_poll(ctx->store, sc, NULL, stop, &stats, &err);
	if (rc < 0) {
		log_warnx("site %s: %s", sc->site_id, err.msg);
		rc = rc == -1 ? EX_TEMPFAIL : source_exit_code(rc);
	} else if (stats.deferred > 0 || stats.unsent) {
		rc = EX_TEMPFAIL;
	}
	if (conf_site_has_mailbox(sc) && !(stop && *stop) &&
	    queue_pass(ctx, sc, stop) < 0 && rc == 0)
		rc = EX_TEMPFAIL;
	close(lock);
	store_close(ctx->store);
	ctx->store = NULL;
	return rc;
}

int cmd_poll_sites(struct cmd_ctx *ctx, volatile sig_atomic_t *stop)
{
	struct conf *top = ctx->conf, *sites;
	struct site_route_stats rs;
	struct buf errs;
	struct mc_err err;
	size_t n, i;
	int rc = EX_OK, r;

	buf_init(&errs);
	if (site_load_all(ctx->conf_path, top, &sites, &n, &errs) < 0) {
		fputs(errs.s, stderr);
		buf_free(&errs);
		return EX_CONFIG;
	}
	buf_free(&errs);
	r = site_route_pass(top, sites, n, stop, &rs, &err);
	if (r < 0) {
		/* what is queued already is still read below */
		log_warnx("routing: %s", err.msg);
		rc = r == -1 ? EX_TEMPFAIL : source_exit_code(r);
	} else if (rs.routed + rs.set_aside > 0) {
		log_info("routing: %d message%s routed to the sites, %d set "
			 "aside", rs.routed, rs.routed == 1 ? "" : "s",
			 rs.set_aside);
	}
	for (i = 0; i < n && !(stop && *stop); i++) {
		r = site_pass(ctx, &sites[i], stop);
		if (r != EX_OK && rc == EX_OK)
			rc = r;
	}
	ctx->conf = top;
	/* freeing a site with catalogs of its own puts the shipped words
	 * back: the top level's come after */
	site_free_all(sites, n);
	cmdwords_use(top->words);
	return rc;
}
