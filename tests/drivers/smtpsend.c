/* smtpsend.c: sends a file through the configured transport, as the
 * outbox does, for tests/integration/t-smtp.sh.
 *
 * usage: drv_smtpsend CONF RCPT FILE [COUNT [SENDER]]
 * Sends FILE to RCPT COUNT times (default 1) on one transport and prints
 * one line per send: "OK", or "TEMPFAIL MESSAGE" / "PERMFAIL MESSAGE".
 * RCPT may list several addresses, comma-separated: send i goes to the
 * i-th, in turn.
 * With DRV_STREAM=1 the COUNT sends go as one stream
 * (transport_send_stream(): pipelined across messages), each line printed
 * by the stream's done(); with DRV_SINK_NEW=DIR too, each line ends with
 * " seen=N", the number of files in DIR (the sink's new/) at that
 * moment: a stream must report a message before the next one's text
 * leaves, so N counts the messages accepted so far, never the next.
 * Exits 0 when every send returned, EX_CONFIG when the transport cannot
 * be opened. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "conf.h"
#include "transport.h"

static const char *sink_new;

/* Files in sink_new. */
static int seen(void)
{
	DIR *d = opendir(sink_new);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void report(int rc, const struct mc_err *err)
{
	if (rc == TRANSPORT_OK)
		printf("OK");
	else
		printf("%s %s",
		       rc == TRANSPORT_PERMFAIL ? "PERMFAIL" : "TEMPFAIL",
		       err->msg);
	if (sink_new)
		printf(" seen=%d", seen());
	printf("\n");
	fflush(stdout);
}

static int stream_done(void *arg, size_t i, int status,
		       const struct mc_err *err)
{
	(void)arg;
	(void)i;
	report(status, err);
	return 0;
}

int main(int argc, char **argv)
{
	struct transport *t = NULL;
	struct out_msg m = { 0 }, *all;
	char (*rcpts)[256];
	int stream = getenv("DRV_STREAM") != NULL;
	struct mc_err err;
	struct buf data, errs;
	struct conf c;
	int i, count, rc;

	if (argc < 4) {
		fprintf(stderr, "usage: drv_smtpsend CONF RCPT FILE [COUNT "
				"[SENDER]]\n");
		return EX_USAGE;
	}
	buf_init(&errs);
	if (conf_load(&c, argv[1], &errs) < 0) {
		fputs(errs.s, stderr);
		buf_free(&errs);
		return EX_CONFIG;
	}
	buf_free(&errs);
	buf_init(&data);
	if (read_file(argv[3], &data, 0, &err) < 0) {
		fprintf(stderr, "drv_smtpsend: %s\n", err.msg);
		conf_free(&c);
		return EX_NOINPUT;
	}
	count = argc > 4 ? atoi(argv[4]) : 1;
	if (transport_open(&t, &c, &err) < 0) {
		fprintf(stderr, "drv_smtpsend: %s\n", err.msg);
		buf_free(&data);
		conf_free(&c);
		return EX_CONFIG;
	}
	sink_new = getenv("DRV_SINK_NEW");
	m.sender = argc > 5 ? argv[5] : NULL;
	m.data = data.s;
	m.len = data.len;
	all = calloc((size_t)count + 1, sizeof(*all));
	rcpts = calloc((size_t)count + 1, sizeof(*rcpts));
	for (i = 0; i < count; i++) {
		const char *r = argv[2], *p;
		char *rcpt = rcpts[i];
		int k, n = 1;

		/* the (i mod n)-th of the n comma-separated addresses */
		for (p = r; (p = strchr(p, ',')) != NULL; p++)
			n++;
		for (k = 0; k < i % n; k++)
			r = strchr(r, ',') + 1;
		snprintf(rcpt, sizeof(rcpts[i]), "%.*s", (int)strcspn(r, ","), r);
		m.recipient = rcpt;
		m.id = i + 1;
		all[i] = m;
		if (stream)
			continue;
		rc = transport_send(t, &m, &err);
		report(rc, &err);
	}
	if (stream)
		transport_send_stream(t, all, (size_t)count, stream_done, NULL);
	free(all);
	free(rcpts);
	transport_close(t);
	buf_free(&data);
	conf_free(&c);
	return EX_OK;
}
