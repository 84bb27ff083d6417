/* import_comments.c: `mailcomments import-comments FORMAT FILE`: comments
 * from another system (import.h), in one transaction, audited; --dry-run
 * reports what would be done and writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../articles.h"
#include "../import.h"
#include "../log.h"
#include "../banned.h"

static const char *const formats[] = {
	"disqus", "wordpress", "isso", "remark42", "commento", "comentario",
	"mailcomments", NULL,
};

static int known_format(const char *f)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i], f) == 0)
			return 1;
	return 0;
}

static int read_file_as(struct import *im, const char *format,
			const char *path, int pingbacks, struct mc_err *err)
{
	if (strcmp(format, "disqus") == 0)
		return import_read_disqus(im, path, err);
	if (strcmp(format, "wordpress") == 0)
		return import_read_wordpress(im, path, pingbacks, err);
	if (strcmp(format, "remark42") == 0)
		return import_read_remark42(im, path, err);
	if (strcmp(format, "mailcomments") == 0)
		return import_read_mailcomments(im, path, err);
	if (strcmp(format, "isso") == 0)
		return import_read_isso(im, path, err);
	return import_read_commento(im, path, err);
}

static int audit(struct cmd_ctx *ctx, struct import *im, const char *path,
		 struct mc_err *err)
{
	char *sum = import_summary(im), *detail;
	struct audit a = { "operator", "import", 0, NULL, NULL, NULL };
	const char *base = strrchr(path, '/');
	int rc;

	/* the file's name, not its directory: paths can say who ran it */
	detail = xasprintf("%s from %s", sum, base ? base + 1 : path);
	a.detail = detail;
	rc = store_audit(ctx->store, &a, err);
	free(sum);
	free(detail);
	return rc;
}

/* Comments added, or (our own format) senders' states or history. */
static int changed(const struct import *im)
{
	return import_new_count(im) > 0 || import_state_count(im) > 0;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = NULL, *path = NULL, *base = NULL;
	int dry = 0, create = 0, pingbacks = 0, added, i;
	struct import *im = NULL;
	struct mc_err err;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[i], "--create-articles") == 0)
			create = 1;
		else if (strcmp(argv[i], "--pingbacks") == 0)
			pingbacks = 1;
		else if (strcmp(argv[i], "--site-url") == 0 && i + 1 < argc)
			base = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return EX_USAGE;
		else if (format == NULL)
			format = argv[i];
		else if (path == NULL)
			path = argv[i];
		else
			return EX_USAGE;
	}
	if (format == NULL || path == NULL)
		return EX_USAGE;
	if (!known_format(format)) {
		log_warnx("unknown format \"%s\" (disqus, wordpress, isso, "
			  "remark42, commento, mailcomments)",
			  format);
		return EX_USAGE;
	}
	/* the site's pages first, as poll does (its own transaction); a dry
	 * run reads the database and never begins one: the file is not
	 * written at all, and threads are matched to the articles recorded
	 * so far */
	if (!dry && articles_sync(ctx->store, ctx->conf, &added, &err) < 0)
		log_warnx("finding articles in %s: %s",
			  ctx->conf->site_directory, err.msg);
	if (!dry && store_begin(ctx->store, &err) < 0)
		goto fail;
	if (import_start(&im, ctx->store, ctx->conf, format, base, dry,
			 create, &err) < 0 ||
	    (import_progress(im, isatty(STDERR_FILENO) ? stderr : NULL),
	     read_file_as(im, format, path, pingbacks, &err) < 0) ||
	    import_finish(im, &err) < 0 ||
	    (!dry && changed(im) && audit(ctx, im, path, &err) < 0) ||
	    (!dry && store_commit(ctx->store, &err) < 0)) {
		if (!dry)
			store_rollback(ctx->store);
		goto fail;
	}
	import_report(im, stdout);
	if (!dry && changed(im))
		cmd_after_change(ctx);
	import_free(im);
	return EX_OK;
fail:
	log_warnx("import-comments: %s (nothing imported)", err.msg);
	import_free(im);
	return EX_DATAERR;
}

const struct cmd cmd_import_comments = {
	"import-comments",
	"import comments from Disqus, WordPress, Isso, Remark42, Commento or "
	"Comentario",
	"import-comments FORMAT FILE [--dry-run] [--site-url URL] "
	"[--create-articles] [--pingbacks]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
