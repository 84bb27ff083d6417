/* bench_parse.c: throughput of msg_parse() (MIME, charsets, text and body
 * extraction, classification) over every file of a directory, read into
 * memory first so that only parsing is timed.  Prints one line:
 *   C messages=N bytes=B seconds=S
 * Usage: bench_parse DIR [PASSES] */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "message.h"
#include "util.h"
#include "banned.h"

struct mail {
	char *data;
	size_t len;
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct mail *mails = NULL;
	size_t n = 0, cap = 0, i, bytes = 0, failed = 0, kinds[MSG_KIND_LAST + 1];
	int pass, passes = argc > 2 ? atoi(argv[2]) : 1;
	struct mc_err err;
	struct dirent *de;
	struct conf c;
	double t0, t;
	DIR *d;

	if (argc < 2 || passes < 1) {
		fprintf(stderr, "usage: bench_parse DIR [PASSES]\n");
		return 64;
	}
	if ((d = opendir(argv[1])) == NULL) {
		perror(argv[1]);
		return 66;
	}
	while ((de = readdir(d)) != NULL) {
		struct buf b;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", argv[1], de->d_name);
		buf_init(&b);
		if (read_file(path, &b, 0, &err) < 0) {
			fprintf(stderr, "bench_parse: %s\n", err.msg);
			return 66;
		}
		free(path);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			mails = xrealloc(mails, cap * sizeof(*mails));
		}
		mails[n].len = b.len;
		mails[n].data = buf_detach(&b);
		bytes += mails[n].len;
		n++;
	}
	closedir(d);

	conf_defaults(&c);
	memset(kinds, 0, sizeof(kinds));
	t0 = seconds();
	for (pass = 0; pass < passes; pass++)
		for (i = 0; i < n; i++) {
			struct message *m;

			if (msg_parse(mails[i].data, mails[i].len, &c, &m,
				      &err) < 0) {
				failed++;
				continue;
			}
			if (pass == 0)
				kinds[m->kind]++;
			msg_free(m);
		}
	t = seconds() - t0;

	printf("C messages=%zu bytes=%zu seconds=%.6f failed=%zu", n * passes,
	       bytes * passes, t, failed);
	for (i = 0; i <= MSG_KIND_LAST; i++)
		printf(" %s=%zu", msg_kind_name((enum msg_kind)i), kinds[i]);
	printf("\n");
	for (i = 0; i < n; i++)
		free(mails[i].data);
	free(mails);
	conf_free(&c);
	return failed ? 1 : 0;
}
