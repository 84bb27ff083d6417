/* inject.h: the comment section, put in place in a built page between
 * the markers <!-- mailcomments:begin --> and <!-- mailcomments:end -->,
 * for sites that would rather not include a fragment.  Every byte outside
 * the markers is kept; a page with a missing, doubled or misordered
 * marker is refused, saying which and where. */
#ifndef MC_INJECT_H
#define MC_INJECT_H

#include <stddef.h>

#include "util.h"

#define INJECT_BEGIN "<!-- mailcomments:begin -->"
#define INJECT_END "<!-- mailcomments:end -->"

/* Appends to out: page[0..len) with whatever stands between the markers
 * replaced by a newline and section (which should end with a newline).
 * On a marker problem returns -1, out untouched, err saying what is wrong
 * with line numbers ("2 begin markers (lines 3 and 9)"); the caller adds
 * the file name. */
int inject_section(const char *page, size_t len, const char *section,
		   struct buf *out, struct mc_err *err);

#endif
