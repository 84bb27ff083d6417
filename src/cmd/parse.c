/* parse.c: `mailcomments parse FILE [--json]`: how the gateway reads one
 * mail (headers, new text, kind and reasons), for operators and for the
 * fixture tests.  A file over the configured message size is read like
 * the sources read it: its size first, then only its first
 * MSG_HEAD_SIZE bytes, and it is "message too large".  Standard input
 * is read up to the message size plus one byte, never more. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../message.h"
#include "../term.h"
#include "../banned.h"

/* Reads at most max bytes of path ("-": stdin) into b, or, when path
 * is a regular file of more than max - 1 bytes, only its first
 * MSG_HEAD_SIZE bytes; *size is the file's size (for stdin, the bytes
 * read). */
static int read_bounded(const char *path, size_t max, struct buf *b,
			size_t *size)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
					  open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int saved;

	if (fd < 0)
		return -1;
	*size = 0;
	if (fd != STDIN_FILENO && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size >= max) {
		*size = (size_t)st.st_size;
		if (max > MSG_HEAD_SIZE)
			max = MSG_HEAD_SIZE;
	}
	while (b->len < max) {
		size_t want = max - b->len < 65536 ? max - b->len : 65536;
		ssize_t n;

		buf_grow(b, want);
		n = read(fd, b->s + b->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			if (fd != STDIN_FILENO)
				close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->s[b->len] = '\0';
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (*size < b->len)
		*size = b->len;
	return 0;
}

/* One header line; a mail's controls, newlines included, become '?'. */
static void put_field(const char *name, const char *value)
{
	printf("%-11s ", name);
	term_put(stdout, value, 0);
	putchar('\n');
}

static void summary(const struct message *m)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	if (*m->from_name)
		buf_addf(&b, "%s <%s>", m->from_name, m->from_address);
	else
		buf_adds(&b, *m->from_address ? m->from_address : "(none)");
	put_field("From:", b.s);
	buf_reset(&b);
	for (i = 0; i < m->to.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", m->to.v[i]);
	put_field("To:", m->to.n ? b.s : "(none)");
	put_field("Subject:", m->subject);
	put_field("Message-ID:", *m->message_id ? m->message_id : "(none)");
	buf_reset(&b);
	if (m->date != -1) {
		char iso[32];

		time_iso8601(m->date, iso);
		buf_adds(&b, iso);
	}
	put_field("Date:", m->date != -1 ? b.s : "(none)");
	put_field("Kind:", msg_kind_name(m->kind));
	buf_reset(&b);
	for (i = 0; i < m->reasons.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", m->reasons.v[i]);
	put_field("Reasons:", m->reasons.n ? b.s : "(none)");
	putchar('\n');
	term_put(stdout, m->body, TERM_LINES);
	if (*m->body)
		putchar('\n');
	buf_free(&b);
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct message *m;
	struct mc_err err;
	struct buf raw;
	int c, json = 0;
	size_t max, size;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return EX_USAGE;
		json = 1;
	}
	if (optind != argc - 1)
		return EX_USAGE;
	/* one byte more than the limit tells "too large" from "just fits" */
	max = (size_t)ctx->conf->limit_message_size + 1;
	buf_init(&raw);
	if (read_bounded(argv[optind], max, &raw, &size) < 0) {
		fprintf(stderr, "mailcomments: parse: %s: %s\n", argv[optind],
			strerror(errno));
		buf_free(&raw);
		return EX_NOINPUT;
	}
	if (raw.len > MSG_HEAD_SIZE && size >= max)
		buf_truncate(&raw, MSG_HEAD_SIZE); /* like the sources */
	if (msg_parse_head(raw.s, raw.len, size, ctx->conf, &m, &err) < 0) {
		fprintf(stderr, "mailcomments: parse: %s: %s\n", argv[optind],
			err.msg);
		buf_free(&raw);
		return EX_DATAERR;
	}
	buf_free(&raw);
	if (json) {
		struct buf out;

		buf_init(&out);
		msg_to_json(m, &out);
		fwrite(out.s, 1, out.len, stdout);
		buf_free(&out);
	} else {
		summary(m);
	}
	msg_free(m);
	return EX_OK;
}

const struct cmd cmd_parse = {
	"parse",
	"show how a mail is understood (headers, text, kind)",
	"parse FILE [--json]",
	CMD_NEEDS_CONF,
	run,
};
