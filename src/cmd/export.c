/* export.c: `mailcomments export [--output FILE]`: the whole database as
 * JSON lines (export.h), to stdout or to a new private file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../export.h"
#include "../log.h"
#include "../banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct export_counts n;
	struct mc_err err;
	FILE *out = stdout;
	const char *path = NULL;
	int rc, fd;

	if (argc == 3 && strcmp(argv[1], "--output") == 0)
		path = argv[2];
	else if (argc != 1)
		return EX_USAGE;
	if (path) {
		/* readers' addresses: private whatever the umask, never
		 * through a link, never over a file */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC, 0600);
		if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
			log_warnx("%s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return EX_CANTCREAT;
		}
	}
	rc = export_all(ctx->store, out, &n, &err);
	if (path) {
		if ((rc == 0 && fsync(fileno(out)) < 0) || fclose(out) != 0)
			rc = err_set(&err, "%s: %s", path, strerror(errno));
		if (rc < 0)
			unlink(path);
	}
	if (rc < 0) {
		log_warnx("export: %s", err.msg);
		return EX_IOERR;
	}
	fprintf(stderr, "%ld articles, %ld comments, %ld senders, %ld audit "
		"rows\n", n.articles, n.comments, n.senders, n.audit);
	return EX_OK;
}

const struct cmd cmd_export = {
	"export", "the whole database as JSON lines (import-comments "
	"mailcomments reads it back)",
	"export [--output FILE]", CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
