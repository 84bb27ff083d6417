/* common.c: what several operator subcommands share: applying decisions in
 * one transaction, then rendering and sending, like the pipeline does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cmd.h"
#include "../log.h"
#include "../comment.h"
#include "../moderate.h"
#include "../outbox.h"
#include "../render.h"
#include "../site.h"
#include "../term.h"
#include "../banned.h"

void cmd_after_change(struct cmd_ctx *ctx)
{
	struct outbox_result res;
	struct mc_err err;

	if (render_dirty(ctx->store, ctx->conf, NULL, &err) < 0)
		log_warnx("render: %s", err.msg);
	if (outbox_flush_configured(ctx->store, ctx->conf, &res, &err) < 0)
		log_warnx("outbox: %s", err.msg);
}

int cmd_poll_lock(const struct conf *c, struct mc_err *err)
{
	char *path = xasprintf("%s.poll-lock", c->database_path);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK) {
			err_set(err, "another mailcomments is reading the "
				"source (%s is locked)", path);
			free(path);
			return -2;
		}
		err_set(err, "%s: %s", path, strerror(e));
		free(path);
		return -1;
	}
	free(path);
	return fd;
}

int64_t cmd_comment_id(const char *arg)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (*arg == '#')
		v = strtoll(arg + 1, &end, 10);
	if (v <= 0 || *end != '\0') {
		fprintf(stderr, "mailcomments: \"%s\" is not a comment number\n",
			arg);
		return 0;
	}
	return v;
}

int cmd_decide(struct cmd_ctx *ctx, int verb, int argc, char **argv,
	       int first, const char *reason)
{
	struct actor who = { "operator", NULL, NULL };
	struct mc_err err;
	struct mod_result res;
	int i, refused = 0;

	if (first >= argc)
		return EX_USAGE;
	for (i = first; i < argc; i++)
		if (cmd_comment_id(argv[i]) == 0)
			return EX_USAGE;
	if (store_begin(ctx->store, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	for (i = first; i < argc; i++) {
		if (moderate(ctx->store, ctx->conf, &who, (enum verb)verb,
			     cmd_comment_id(argv[i]), reason, NULL, &res,
			     &err) < 0) {
			store_rollback(ctx->store);
			log_warnx("%s", err.msg);
			return EX_SOFTWARE;
		}
		term_put(stdout, res.text, 0); /* holds the author's name */
		putchar('\n');
		refused += res.outcome != MOD_APPLIED &&
			   res.outcome != MOD_ALREADY;
	}
	if (store_commit(ctx->store, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	cmd_after_change(ctx);
	return refused ? EX_DATAERR : EX_OK;
}

int cmd_all_sites(const struct cmd_ctx *ctx)
{
	return ctx->conf && ctx->conf->site_ids.n > 0 &&
	       ctx->conf->site_id == NULL;
}

int cmd_open_store(struct cmd_ctx *ctx)
{
	const struct conf *c = ctx->conf;
	struct mc_err err;
	char *key;
	int rc;

	if (site_shard_make(c, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_IOERR;
	}
	key = conf_key_file(c);
	rc = store_open_full(&ctx->store, c->database_path, key,
			     store_schema_latest(), &err);
	free(key);
	if (rc < 0 || comment_keys_sync(ctx->store, c, &err) < 0) {
		log_warnx("%s", err.msg);
		store_close(ctx->store);
		ctx->store = NULL;
		return EX_IOERR;
	}
	return 0;
}
