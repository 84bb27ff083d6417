/* deploy_int.h: what deploy.c shares with its targets (deploy_git.c,
 * deploy_s3.c, deploy_cmd.c) and their runner of programs (deploy_proc.c);
 * the pure helpers are here for the unit tests. */
#ifndef MC_DEPLOY_INT_H
#define MC_DEPLOY_INT_H

#include "deploy.h"

/* One attempt of a target: 0 when every file reached it. */
int dp_git(const struct conf *c, const struct deploy_set *s,
	   struct mc_err *err);
int dp_s3(const struct conf *c, const struct deploy_set *s,
	  struct mc_err *err);
int dp_cmd(const struct conf *c, const struct deploy_set *s,
	   struct mc_err *err);

/* What a dry run prints for the target. */
void dp_git_plan(const struct conf *c, const struct deploy_set *s,
		 struct buf *out);
void dp_s3_plan(const struct conf *c, const struct deploy_set *s,
		struct buf *out);
void dp_cmd_plan(const struct conf *c, const struct deploy_set *s,
		 struct buf *out);

/* ---- the queue of failed sends (deploy_queue.c) ---- */

/* out = s and the files queued for target (s's state of a file wins; a
 * queued file gone from disk is sent as removed; a queued path outside
 * the site is dropped and logged).  out's message says the queued ones
 * went too.  Returns how many queued files were added, -1 on error.
 * The caller frees out (deploy_set_free) in every case. */
int dq_merge(struct store *st, const struct conf *c, const char *target,
	     const struct deploy_set *s, struct deploy_set *out,
	     struct mc_err *err);

/* After target took s: its files leave the queue. */
int dq_clear(struct store *st, const char *target, const struct deploy_set *s,
	     struct mc_err *err);

/* After target gave up on s: every file of s waits for its next send,
 * stamped with this attempt's time. */
int dq_keep(struct store *st, const char *target, const struct deploy_set *s,
	    struct mc_err *err);

/* 1 when a queued file's last attempt is min_age seconds old or more. */
int dq_due(struct store *st, long min_age, struct mc_err *err);

/* ---- programs (deploy_proc.c) ---- */

struct dp_proc {
	char *const *argv; /* argv[0] is looked up in PATH */
	const char *dir;   /* working directory, NULL: ours */
	char *const *env;  /* extra NAME=VALUE to a fixed environment */
	const char *input; /* stdin (NULL: /dev/null) */
	size_t inlen;
	long timeout;      /* seconds, then the process group is killed */
	struct buf *out;   /* stdout and stderr (first 64 KiB); NULL: dropped */
};

/* Runs p (no shell) in its own process group; *status is its exit
 * status (128 + N when killed by signal N).  -1 when it could not be
 * started or was killed at the timeout (err says which). */
int dp_run(const struct dp_proc *p, int *status, struct mc_err *err);

/* The last line of out that is not empty, at most 200 bytes, for a log
 * line (control characters shown as '?'). */
void dp_last_line(const struct buf *out, char line[256]);

/* ---- S3 (deploy_s3.c) ---- */

/* The object URL of key: endpoint/bucket/prefix+key (path style) or
 * scheme://bucket.host/prefix+key (virtual), the key percent-encoded
 * except '/' and RFC 3986's unreserved characters.  NULL (err filled)
 * when the endpoint is not an http(s) URL. */
char *dp_s3_url(const char *endpoint, const char *bucket, int virtual_host,
		const char *prefix, const char *key, struct mc_err *err);

/* Reads the file to upload into b: a regular file, not reached through
 * a link at its own name (refused), at most 256 MiB. */
int dp_s3_read(const char *path, struct buf *b, struct mc_err *err);

/* The Content-Type of a file name, by its extension. */
const char *dp_content_type(const char *name);

#endif
