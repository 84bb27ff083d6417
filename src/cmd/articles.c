/* articles.c: `mailcomments articles list|add|remove|close|open`: the
 * articles that accept comments, beside those found in the site by their
 * markers, and closing their comments. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../articles.h"
#include "../render.h"
#include "../log.h"
#include "../banned.h"

static int add(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "url", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *url = NULL;
	struct mc_err err;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't')
			title = optarg;
		else if (c == 'u')
			url = optarg;
		else
			return EX_USAGE;
	}
	if (optind + 1 != argc)
		return EX_USAGE;
	if (article_add(ctx->store, ctx->conf, argv[optind], title, url, &err) < 0) {
		fprintf(stderr, "mailcomments: %s\n", err.msg);
		return EX_DATAERR;
	}
	printf("article %s added\n", argv[optind]);
	return EX_OK;
}

/* The site-wide outputs after a removal: counts.json without the
 * article, the site feed without its comments, both deployed. */
static int site_outputs(struct cmd_ctx *ctx, const char *slug)
{
	struct render_report rep;
	struct mc_err err;
	int rc = render_run(ctx->store, ctx->conf, RENDER_SITE, slug, &rep,
			    &err);

	if (rc < 0)
		log_warnx("%s", err.msg);
	render_report_free(&rep);
	return rc;
}

static int remove_article(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct mc_err err;
	int force = 0, rc;
	const char *slug = NULL;
	size_t nrm;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (slug == NULL)
			slug = argv[i];
		else
			return EX_USAGE;
	}
	if (slug == NULL)
		return EX_USAGE;
	if (store_begin(ctx->store, &err) < 0)
		return EX_TEMPFAIL;
	rc = article_remove(ctx->store, slug, force, &err);
	if (rc <= 0) {
		store_rollback(ctx->store);
		fprintf(stderr, "mailcomments: %s\n",
			rc == 0 ? "no such article" : err.msg);
		return EX_DATAERR;
	}
	if (store_commit(ctx->store, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	printf("article %s removed\n", slug);
	/* its outputs go too, here and on each deploy target */
	if (render_forget(ctx->store, ctx->conf, slug, &nrm, &err) < 0) {
		log_warnx("%s", err.msg);
		rc = -1;
	} else if (nrm > 0) {
		printf("removed %zu output files\n", nrm);
	}
	/* then counts.json and the site feed without it, whatever became
	 * of its own files */
	if (site_outputs(ctx, slug) < 0)
		return EX_IOERR;
	return rc < 0 ? EX_IOERR : EX_OK;
}

/* close / open SLUG: audited as the operator, then the page is rendered
 * again (it says so, and the link to write a comment goes or comes). */
static int set_closed(int argc, char **argv, struct cmd_ctx *ctx, int closed)
{
	struct mc_err err;
	int rc;

	if (argc != 2)
		return EX_USAGE;
	if (store_begin(ctx->store, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	rc = article_set_closed(ctx->store, argv[1], closed, "operator", &err);
	if (rc <= 0) {
		store_rollback(ctx->store);
		fprintf(stderr, "mailcomments: %s\n",
			rc == 0 ? "no such article" : err.msg);
		return EX_DATAERR;
	}
	if (store_commit(ctx->store, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	printf("article %s %s\n", argv[1],
	       closed ? "closed: no new comments" : "open to comments");
	cmd_after_change(ctx);
	return EX_OK;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct mc_err err;
	int added;

	if (argc < 2 || strcmp(argv[1], "list") == 0) {
		if (argc > 2)
			return EX_USAGE;
		if (articles_sync(ctx->store, ctx->conf, &added, &err) < 0)
			log_warnx("finding articles in %s: %s",
				  ctx->conf->site_directory, err.msg);
		return articles_print(ctx->store, ctx->conf, stdout, &err) < 0 ?
			       EX_SOFTWARE : EX_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return add(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "remove") == 0)
		return remove_article(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "close") == 0 || strcmp(argv[1], "open") == 0)
		return set_closed(argc - 1, argv + 1, ctx,
				  strcmp(argv[1], "close") == 0);
	return EX_USAGE;
}

const struct cmd cmd_articles = {
	"articles", "manage the articles that accept comments",
	"articles list | add SLUG [--title T] [--url U] | remove SLUG [--force]"
	" | close SLUG | open SLUG",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
