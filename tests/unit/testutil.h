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

#endif
