/* export.h: the whole database as JSON lines, one object a line, each
 * with a "type": a header, then articles, comments (oldest first),
 * senders and the audit log (README: "Moving out").  `import-comments
 * mailcomments` reads it all back (import.h). */
#ifndef MC_EXPORT_H
#define MC_EXPORT_H

#include <stdio.h>

#include "store.h"
#include "util.h"

struct export_counts {
	long articles, comments, senders, audit;
};

/* Writes everything to out inside one read transaction (a consistent
 * snapshot while the daemon writes).  Returns 0, or -1 with err filled
 * (a write error on out included). */
int export_all(struct store *st, FILE *out, struct export_counts *n,
	       struct mc_err *err);

#endif
