/* export_person.c: `mailcomments export-person ADDR [--output FILE]`:
 * everything held about one mailbox, as JSON (person.h), for a person who
 * asks for their data; `forget` erases the same. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../log.h"
#include "../person.h"
#include "../banned.h"

/* Writes the document to a new file, private whatever the umask: it
 * holds a person's mail.  An existing file or a link is refused. */
static int write_new(const char *path, const struct buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0) {
		log_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->s + off, b->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_warnx("%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		log_warnx("%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *addr, *output = NULL;
	struct person_counts n;
	struct mc_err err;
	struct buf b;
	int rc = EX_OK;

	if (argc == 4 && strcmp(argv[2], "--output") == 0)
		output = argv[3];
	else if (argc != 2)
		return EX_USAGE;
	addr = argv[1];
	if (strchr(addr, '@') == NULL || addr[0] == '@')
		return EX_USAGE;
	buf_init(&b);
	if (person_export(ctx->store, ctx->conf, addr, &b, &n, &err) < 0) {
		log_warnx("export-person %s: %s", addr, err.msg);
		buf_free(&b);
		return EX_TEMPFAIL;
	}
	if (output == NULL)
		fwrite(b.s, 1, b.len, stdout);
	else if (write_new(output, &b) < 0)
		rc = EX_CANTCREAT;
	buf_free(&b);
	/* on stderr: stdout is the document */
	fprintf(stderr, "%s: %d comment%s, %d follow%s, %d mail%s, %d token%s, "
		"%d history entr%s%s\n", addr, n.comments,
		n.comments == 1 ? "" : "s", n.follows, n.follows == 1 ? "" : "s",
		n.mails, n.mails == 1 ? "" : "s", n.tokens,
		n.tokens == 1 ? "" : "s", n.audit, n.audit == 1 ? "y" : "ies",
		n.sender ? ", a sender record" : "");
	return rc;
}

const struct cmd cmd_export_person = {
	"export-person", "everything held about an address, as JSON (GDPR)",
	"export-person ADDR [--output FILE]", CMD_NEEDS_CONF | CMD_NEEDS_DB,
	run,
};
