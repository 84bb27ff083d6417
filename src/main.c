/* main.c: the thin front of the binary.  Global options, then one
 * subcommand from the table, with the set-up its flags ask for.  Only main
 * and the command layer decide exit codes (sysexits.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "comment.h"
#include "fsroot.h"
#include "log.h"
#include "banned.h"

#ifndef MC_VERSION
#define MC_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
	const struct cmd *help = cmd_find("help");
	char *argv[] = { "help", NULL };

	if (out == stdout) {
		help->run(1, argv, NULL);
		return;
	}
	fprintf(out, "usage: mailcomments [-c FILE] [--site NAME] [-v] SUBCOMMAND "
		     "[ARGS]\n"
		     "Try 'mailcomments --help' for the list of "
		     "subcommands.\n");
}

/* Removes "-c FILE" / "--config FILE" / "--config=FILE" and "--site NAME"
 * / "--site=NAME" from argv (at any place before "--"), so
 * `mailcomments check-config -c FILE` works as DESIGN.md writes it.
 * Returns the new argc, or -1 on a missing value. */
static int take_global(int argc, char **argv, const char **path,
		       const char **site)
{
	int i, j = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc)
				return -1;
			*path = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			*path = argv[i] + 9;
			continue;
		}
		if (strcmp(argv[i], "--site") == 0) {
			if (i + 1 >= argc)
				return -1;
			*site = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--site=", 7) == 0) {
			*site = argv[i] + 7;
			continue;
		}
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

static int load_conf(struct cmd_ctx *ctx, struct conf *conf)
{
	struct buf errs;

	if (ctx->conf_path == NULL) {
		conf_defaults(conf);
		if (ctx->site == NULL)
			return 0;
		fprintf(stderr, "mailcomments: --site %s: the embedded "
			"defaults are one site; leave --site out\n", ctx->site);
		conf_free(conf);
		return -1;
	}
	buf_init(&errs);
	if (conf_load_site(conf, ctx->conf_path, ctx->site, &errs) < 0) {
		fputs(errs.s, stderr);
		buf_free(&errs);
		return -1;
	}
	buf_free(&errs);
	return 0;
}

/* The database's directory may also lead to the site (the defaults put
 * both in var/).  A missing directory they share is made with the
 * public directory mode, not the state's 0700: the web server must be
 * able to reach the site through it.  Errors are left to store_open. */
static void make_shared_dirs(const struct conf *c)
{
	const char *db = c->database_path, *slash = strrchr(db, '/');
	const char *pub[2] = { c->site_directory, c->render_directory };
	char *dbdir, *common;
	struct fsroot *r;
	struct mc_err err;
	size_t i;

	dbdir = slash == NULL ? xstrdup(".") :
		slash == db   ? xstrdup("/") :
				xstrndup(db, (size_t)(slash - db));
	for (i = 0; i < 2; i++) {
		if (i == 1 && pub[i][0] != '/')
			continue; /* under site.directory */
		common = fsroot_common_dir(dbdir, pub[i]);
		if (common && access(common, F_OK) < 0 &&
		    fsroot_open(&r, common, c->render_file_mode,
				c->render_directory_mode, FSROOT_CREATE,
				&err) == 0)
			fsroot_close(r);
		free(common);
	}
	free(dbdir);
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

/* With several sites, a command that acts on one database needs to
 * be told which. */
static int refuse_no_site(const struct cmd *c, const struct conf *conf)
{
	size_t i;

	fprintf(stderr, "mailcomments %s: this configuration has %zu sites "
		"(", c->name, conf->site_ids.n);
	for (i = 0; i < conf->site_ids.n; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", conf->site_ids.v[i]);
	fputs("): name one with --site NAME\n", stderr);
	return EX_USAGE;
}

/* `stats` and `list` without --site: once per site, in the file's
 * order, each under a line "# site NAME". */
static int run_each_site(const struct cmd *c, int argc, char **argv,
			 struct cmd_ctx *ctx)
{
	const struct conf *top = ctx->conf;
	struct conf sc;
	struct buf errs;
	size_t i;
	int rc = EX_OK, r;

	for (i = 0; i < top->site_ids.n; i++) {
		buf_init(&errs);
		if (conf_load_site(&sc, ctx->conf_path, top->site_ids.v[i],
				   &errs) < 0) {
			fputs(errs.s, stderr);
			buf_free(&errs);
			return EX_CONFIG;
		}
		buf_free(&errs);
		ctx->conf = &sc;
		r = cmd_open_store(ctx);
		if (r == 0) {
			printf("# site %s\n", sc.site_id);
			fflush(stdout);
			r = c->run(argc, argv, ctx);
		}
		store_close(ctx->store);
		ctx->store = NULL;
		conf_free(&sc);
		ctx->conf = (struct conf *)top;
		if (r != EX_OK && rc == EX_OK)
			rc = r;
		if (r == EX_USAGE)
			break;
	}
	return rc;
}

static int run_cmd(const struct cmd *c, int argc, char **argv,
		   struct cmd_ctx *ctx)
{
	struct conf conf;
	int rc;

	if (wants_help(argc, argv)) {
		cmd_usage(c, stdout);
		return EX_OK;
	}
	if (c->flags & (CMD_NEEDS_CONF | CMD_NEEDS_DB)) {
		if (load_conf(ctx, &conf) < 0)
			return EX_CONFIG;
		ctx->conf = &conf;
		log_init(strcmp(conf.log_target, "syslog") == 0 ?
				 LOG_TO_SYSLOG : LOG_TO_STDERR,
			 ctx->verbose || conf.log_verbose);
	}
	if ((c->flags & CMD_NEEDS_DB) && cmd_all_sites(ctx)) {
		if (c->flags & CMD_ALL_SITES)
			rc = c->run(argc, argv, ctx);
		else if (c->flags & CMD_EACH_SITE)
			rc = run_each_site(c, argc, argv, ctx);
		else
			rc = refuse_no_site(c, &conf);
		conf_free(&conf);
		ctx->conf = NULL;
		return rc;
	}
	if (c->flags & CMD_NEEDS_DB) {
		make_shared_dirs(&conf);
		rc = cmd_open_store(ctx);
		if (rc != 0) {
			conf_free(&conf);
			ctx->conf = NULL;
			return rc;
		}
	}
	rc = c->run(argc, argv, ctx);
	if (rc == EX_USAGE) {
		fputc('\n', stderr);
		cmd_usage(c, stderr);
	}
	store_close(ctx->store);
	ctx->store = NULL;
	if (ctx->conf)
		conf_free(ctx->conf);
	ctx->conf = NULL;
	return rc;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	const struct cmd *c;
	int rc, i = 1;

	/* State (the database, its WAL, locks, the outbox Maildir) is
	 * created owner-only whatever the umask we were started with; the
	 * public outputs get their modes explicitly (render.file_mode). */
	umask(077);
	ctx.conf_path = getenv("MAILCOMMENTS_CONFIG");
	if (ctx.conf_path && *ctx.conf_path == '\0')
		ctx.conf_path = NULL;
	argc = take_global(argc, argv, &ctx.conf_path, &ctx.site);
	if (argc < 0) {
		fprintf(stderr, "mailcomments: -c needs a file name, --site "
				"a site's name\n");
		return EX_USAGE;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0) {
			ctx.verbose = 1;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EX_OK;
		} else if (strcmp(argv[i], "-V") == 0 ||
			   strcmp(argv[i], "--version") == 0) {
			printf("mailcomments %s\n", MC_VERSION);
			return EX_OK;
		} else {
			fprintf(stderr, "mailcomments: unknown option %s\n",
				argv[i]);
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	c = cmd_find(argv[i]);
	if (c == NULL) {
		fprintf(stderr, "mailcomments: '%s' is not a subcommand\n",
			argv[i]);
		usage(stderr);
		return EX_USAGE;
	}
	log_init(LOG_TO_STDERR, ctx.verbose);
	rc = run_cmd(c, argc - i, argv + i, &ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mailcomments: writing output: %s\n",
			strerror(errno));
		return rc ? rc : EX_IOERR;
	}
	return rc;
}
