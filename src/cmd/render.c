/* render.c: `mailcomments render [SLUG|--all]`: writes the comment
 * sections, JSON and feeds.  Plain `render` does the articles whose
 * comments changed (the dirty ones), `render SLUG` one article, `render
 * --all` every article; each also writes the site-wide outputs.  Prints
 * every file that changed.  Exit: 0; EX_DATAERR for an unknown article or
 * a page whose markers are wrong; EX_IOERR when files could not be
 * written or the database read. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../address.h"
#include "../log.h"
#include "../render.h"
#include "../term.h"
#include "../banned.h"

/* 1 if the article exists, 0 if not, -1 on error. */
static int article_exists(struct store *st, const char *slug,
			  struct mc_err *err)
{
	sqlite3_stmt *s =
		store_stmt(st, "SELECT 1 FROM articles WHERE slug = ?", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, slug, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "%s", sqlite3_errmsg(store_db(st)));
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	enum render_scope scope = RENDER_DIRTY;
	struct render_report rep;
	const char *slug = NULL;
	struct mc_err err;
	int c, rc;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'a')
			return EX_USAGE;
		scope = RENDER_ALL;
	}
	if (argc - optind > 1 || (argc - optind == 1 && scope == RENDER_ALL))
		return EX_USAGE;
	if (argc - optind == 1) {
		slug = argv[optind];
		scope = RENDER_ONE;
		if (!slug_valid(slug)) {
			fprintf(stderr,
				"mailcomments: render: \"%s\" is not a valid "
				"slug (lowercase letters, digits, '-' and "
				"'/')\n",
				slug);
			return EX_USAGE;
		}
		rc = article_exists(ctx->store, slug, &err);
		if (rc < 0) {
			log_warnx("%s", err.msg);
			return EX_IOERR;
		}
		if (rc == 0) {
			fprintf(stderr,
				"mailcomments: render: no article \"%s\" "
				"(see 'mailcomments articles list')\n",
				slug);
			return EX_DATAERR;
		}
	}
	rc = render_run(ctx->store, ctx->conf, scope, slug, &rep, &err);
	for (i = 0; i < rep.nfiles; i++) {
		fputs("wrote ", stdout);
		term_put(stdout, rep.files[i], 0); /* names from page files */
		putchar('\n');
	}
	printf("%zu article%s rendered, %zu changed", rep.narticles,
	       rep.narticles == 1 ? "" : "s", rep.nchanged);
	if (rep.nfailed)
		printf(", %zu failed", rep.nfailed);
	printf("\n");
	if (rc < 0) {
		log_warnx("render: %s", err.msg);
		rc = rep.nfailed > 0 && rep.nfailed == rep.nbadpages ?
			     EX_DATAERR :
			     EX_IOERR;
	} else {
		rc = EX_OK;
	}
	render_report_free(&rep);
	return rc;
}

const struct cmd cmd_render = {
	"render",
	"write comment sections, JSON and feeds",
	"render [SLUG|--all]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB,
	run,
};
