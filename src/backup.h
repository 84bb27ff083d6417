/* backup.h: a consistent copy of the live database, made with SQLite's
 * online backup API, safe while the daemon or a poll writes to it.
 *
 * The copy holds readers' addresses and live tokens' hashes: it is
 * created 0600 whatever the umask, beside its final name under a fresh
 * name (O_EXCL), made durable, then renamed over FILE, so a reader of
 * FILE sees the old copy or the new one, never half of one, and a
 * symbolic link at FILE is replaced, never followed. */
#ifndef MC_BACKUP_H
#define MC_BACKUP_H

#include <stdint.h>

#include "store.h"
#include "util.h"

struct backup_info {
	int64_t comments; /* rows of the copy's comments table */
	int64_t bytes;    /* size of the copy */
	int pages;        /* pages copied */
};

/* Copies st's database to dest.  Returns 0, or -1 with err filled
 * ("backup to FILE: why"); dest is then unchanged and no temporary file
 * is left. */
int backup_to(struct store *st, const char *dest, struct backup_info *info,
	      struct mc_err *err);

#endif
