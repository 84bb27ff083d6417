/* podir.c: where the shipped translation catalogs are (catalog.h's
 * catalog_default_dir()), compiled in from the Makefile's PODIR.  Alone
 * in its file, like the clock, so that the test binary and the unit
 * tests link a copy built with the source tree's po/ before the library
 * (Makefile TEST_PODIR): they run without `make install`. */
#include "catalog.h"

#ifndef MC_PODIR
#define MC_PODIR "/usr/local/share/mailcomments/po"
#endif

const char *catalog_default_dir(void)
{
	return MC_PODIR;
}
