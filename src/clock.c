/* clock.c: the one place that reads the time (now(), declared in util.h),
 * and the crash points of the tests (fault_point()).
 *
 * This file is compiled twice.  Into the library, as it is: the system
 * clock, and nothing else.  Into a test object, with -DMC_TEST_CLOCK,
 * that the unit tests and the test binary (build/tests/mailcomments-test)
 * link before the library: there MAILCOMMENTS_NOW, in seconds since the
 * epoch, stands in for the clock, so tests expire tokens and fix dates
 * without sleeping.  A clock set from the environment would let anyone
 * who can set it revive expired tokens in production; the installed
 * binary never has that code.  The same goes for MAILCOMMENTS_FAULT:
 * only the test binary reads it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "banned.h"

int64_t now(void)
{
#ifdef MC_TEST_CLOCK
	const char *fake = getenv("MAILCOMMENTS_NOW");

	if (fake && *fake)
		return strtoll(fake, NULL, 10);
#endif
	return (int64_t)time(NULL);
}

void fault_point(const char *name)
{
#ifdef MC_TEST_CLOCK
	/* "NAME" or "NAME:N": the Nth time the point is reached */
	static long hits;
	const char *want = getenv("MAILCOMMENTS_FAULT");
	size_t len = strlen(name);
	long at = 1;

	if (want == NULL || strncmp(want, name, len) != 0 ||
	    (want[len] != '\0' && want[len] != ':'))
		return;
	if (want[len] == ':')
		at = strtol(want + len + 1, NULL, 10);
	if (++hits == at)
		raise(SIGKILL);
#else
	(void)name;
#endif
}
