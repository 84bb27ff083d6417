/* deploy.h: the files a render changed, sent on to where the site is
 * served from: each target named in deploy.targets (git, s3, command)
 * gets them after the render, with retries and a doubling pause.
 *
 * A deploy never undoes a moderation decision: it runs after the
 * decision and the files are committed, and its failure is logged
 * (with the target, the attempt and why) and returned, never fatal.
 * With deploy.dry_run (or `mailcomments deploy --dry-run`) each target
 * only says what it would do.  What a target gave up on waits in the
 * database (deploy_queue) and goes with that target's next send, or
 * with deploy_retry().
 *
 * Ownership: a deploy_set owns its strings; deploy_set_free() releases
 * them.  A file's path is where it is on disk (as render wrote it); its
 * rel is the same file relative to the site (site.directory), or to
 * render.directory when that lies outside the site: the S3 key and
 * what logs name. */
#ifndef MC_DEPLOY_H
#define MC_DEPLOY_H

#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "util.h"

struct store;

struct deploy_file {
	char *path;  /* on disk */
	char *rel;   /* relative to the site (or to the outputs) */
	int removed; /* 1: gone from disk, delete it on the target */
};

struct deploy_set {
	struct deploy_file *v;
	size_t n;
	char *message; /* what happened, for a commit message; may be NULL */
};

/* Adds path (as render reports it) to s.  Refused (-1) when it lies
 * neither under site.directory nor under render.directory, or when its
 * relative form could leave them or is not plain text (dp_rel_ok()). */
int deploy_set_add(struct deploy_set *s, const struct conf *c,
		   const char *path, int removed, struct mc_err *err);

void deploy_set_free(struct deploy_set *s);

/* Adds every regular file below site.directory (and below
 * render.directory when that is outside it), without following links
 * and skipping names that begin with '.', for a first upload. */
int deploy_set_all(struct deploy_set *s, const struct conf *c,
		   struct mc_err *err);

/* Sends s, with the files queued for each target (st may be NULL: no
 * queue), to every target of deploy.targets; what a target gives up on
 * is queued for it.  With dry_run (or deploy.dry_run) prints to show
 * (may be NULL: the log) what each would do instead.  Returns the
 * number of targets that failed (each logged), 0 when all succeeded or
 * there is nothing to send. */
int deploy_run(const struct conf *c, struct store *st,
	       const struct deploy_set *s, int dry_run, FILE *show);

/* Sends the queued files again: with force, to every target with
 * queued files, with its retries; otherwise (a poll's pass) once, and
 * only when the last attempt is deploy.backoff_max seconds old.
 * Returns the number of targets that failed, 0 when none or nothing was
 * due. */
int deploy_retry(const struct conf *c, struct store *st, int force);

/* 1 if rel is a safe relative path: not empty, not absolute, no "." or
 * ".." or empty component, no control character or backslash. */
int deploy_rel_ok(const char *rel);

/* The pause before attempt number attempt (1 = the first retry):
 * first * 2^(attempt-1) seconds, at most max. */
long deploy_backoff(long attempt, long first, long max);

#endif
