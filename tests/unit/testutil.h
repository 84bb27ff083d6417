/* testutil.h: helpers shared by the cmocka unit tests: temp directories
 * and files that are removed when the test ends. */
#ifndef MC_TESTUTIL_H
#define MC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

/* A fresh directory under /tmp; the caller frees the string and removes
 * the tree with tu_rmtree(). */
static inline char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/mc-unit.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static inline void tu_rmtree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Writes text to dir/name with mode; returns the path (caller frees). */
static inline char *tu_write(const char *dir, const char *name,
			     const char *text, mode_t mode)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;

	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* An escaper against its reference, with two of pieces[] (bytes to
 * escape, letters, cut sequences) at every pair of places of a 40-byte
 * run of plain bytes: the block-at-a-time escapers must stop at each. */
static inline void tu_two_stops(const char *const *pieces, size_t np,
				void (*escape)(struct buf *, const char *),
				void (*ref)(struct buf *, const char *))
{
	size_t a, b, i, j;
	char s[64];
	struct buf got, want;

	buf_init(&got);
	buf_init(&want);
	for (a = 0; a < np; a++)
		for (b = 0; b < np; b++)
			for (i = 0; i < 20; i++)
				for (j = i + strlen(pieces[a]); j < 36; j++) {
					memset(s, 'a', 40);
					s[40] = '\0';
					memcpy(s + i, pieces[a], strlen(pieces[a]));
					memcpy(s + j, pieces[b], strlen(pieces[b]));
					buf_reset(&got);
					buf_reset(&want);
					escape(&got, s);
					ref(&want, s);
					assert_string_equal(got.s, want.s);
				}
	buf_free(&got);
	buf_free(&want);
}

#endif
