/* cmd.h: the subcommand table, in the style of git's builtins.
 * Each src/cmd/<name>.c exports one `const struct cmd`; main() finds it,
 * does the set-up its flags ask for (configuration, database), runs it. */
#ifndef MC_CMD_H
#define MC_CMD_H

#include <signal.h>
#include <stdint.h>
#include <sysexits.h>

#include "../conf.h"
#include "../store.h"

enum {
	CMD_NEEDS_CONF = 1 << 0, /* load the configuration first */
	CMD_NEEDS_DB = 1 << 1,   /* open (and migrate) the database too */
	/* With several sites and no --site (site.h): */
	CMD_EACH_SITE = 1 << 2,  /* run once per site, each under a
				  * "# site NAME" line */
	CMD_ALL_SITES = 1 << 3,  /* run once, with the top level and no
				  * database: the command goes through the
				  * sites itself */
};

struct cmd_ctx {
	struct conf *conf;   /* NULL unless CMD_NEEDS_CONF */
	struct store *store; /* NULL unless CMD_NEEDS_DB */
	const char *conf_path; /* -c FILE or $MAILCOMMENTS_CONFIG, or NULL */
	const char *site;      /* --site NAME, or NULL */
	int verbose;
};

struct cmd {
	const char *name;
	const char *help;  /* one line, for --help */
	const char *usage; /* synopsis after "mailcomments " */
	int flags;
	/* argv[0] is the subcommand's name; returns a sysexits.h code */
	int (*run)(int argc, char **argv, struct cmd_ctx *ctx);
};

/* The table, in the order --help lists it; NULL-terminated. */
extern const struct cmd *const cmd_table[];

const struct cmd *cmd_find(const char *name);

/* Prints "usage: mailcomments USAGE" and the help line of c. */
void cmd_usage(const struct cmd *c, FILE *out);

/* After an operator's change is committed: render what changed and flush
 * the outbox, as the pipeline does after mail.  Failures are logged. */
void cmd_after_change(struct cmd_ctx *ctx);

/* Applies verb to each comment number in argv[first..argc) in one
 * transaction, as the operator; prints one line per comment.  Used by
 * approve, reject and delete. */
int cmd_decide(struct cmd_ctx *ctx, int verb, int argc, char **argv,
	       int first, const char *reason);

/* Parses a positive comment number; prints an error and returns 0 if arg
 * is not one. */
int64_t cmd_comment_id(const char *arg);

/* One reader of the configured source at a time: `poll` from cron and the
 * daemon take this lock (a file beside the database) around each pass.
 * Returns the lock's descriptor (close it to release), -2 when another
 * process holds it, -1 on error (err filled). */
int cmd_poll_lock(const struct conf *c, struct mc_err *err);

/* Opens the database of ctx->conf (a site's: its shard is made first)
 * into ctx->store and brings the comment keys up to date.  Returns 0 or
 * an exit code, the cause logged. */
int cmd_open_store(struct cmd_ctx *ctx);

/* 1 if ctx->conf is the top level of a configuration with several sites
 * (no --site given). */
int cmd_all_sites(const struct cmd_ctx *ctx);

/* `poll` with several sites and no --site (sites.c): routes the shared
 * mailbox, then polls each site in turn under its own lock.  Returns
 * the first exit code that is not EX_OK, after every site had its turn. */
int cmd_poll_sites(struct cmd_ctx *ctx, volatile sig_atomic_t *stop);


#endif
