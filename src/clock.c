/* clock.c: the one place that reads the time (now(), declared in util.h).
 *
 * This file is compiled twice.  Into the library, as it is: the system
 * clock, and nothing else.  Into a test object, with -DMC_TEST_CLOCK,
 * that the unit tests and the test binary (build/tests/mailcomments-test)
 * link before the library: there MAILCOMMENTS_NOW, in seconds since the
 * epoch, stands in for the clock, so tests expire tokens and fix dates
 * without sleeping.  A clock set from the environment would let anyone
 * who can set it revive expired tokens in production; the installed
 * binary never has that code. */
#include <stdlib.h>
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
