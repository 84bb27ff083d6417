/* smtpsend.c: sends a file through the configured transport, as the
 * outbox does, for tests/integration/t-smtp.sh.
 *
 * usage: drv_smtpsend CONF RCPT FILE [COUNT [SENDER]]
 * Sends FILE to RCPT COUNT times (default 1) on one transport and prints
 * one line per send: "OK", or "TEMPFAIL MESSAGE" / "PERMFAIL MESSAGE".
 * RCPT may list several addresses, comma-separated: send i goes to the
 * i-th, in turn.
 * Exits 0 when every send returned, EX_CONFIG when the transport cannot
 * be opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "conf.h"
#include "transport.h"

int main(int argc, char **argv)
{
	struct transport *t = NULL;
	struct out_msg m = { 0 };
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
	m.sender = argc > 5 ? argv[5] : NULL;
	m.data = data.s;
	m.len = data.len;
	for (i = 0; i < count; i++) {
		const char *r = argv[2], *p;
		char rcpt[256];
		int k, n = 1;

		/* the (i mod n)-th of the n comma-separated addresses */
		for (p = r; (p = strchr(p, ',')) != NULL; p++)
			n++;
		for (k = 0; k < i % n; k++)
			r = strchr(r, ',') + 1;
		snprintf(rcpt, sizeof(rcpt), "%.*s", (int)strcspn(r, ","), r);
		m.recipient = rcpt;
		m.id = i + 1;
		rc = transport_send(t, &m, &err);
		if (rc == TRANSPORT_OK)
			printf("OK\n");
		else
			printf("%s %s\n",
			       rc == TRANSPORT_PERMFAIL ? "PERMFAIL" :
							  "TEMPFAIL",
			       err.msg);
	}
	transport_close(t);
	buf_free(&data);
	conf_free(&c);
	return EX_OK;
}
