/* keyfile.h: the gateway's secret key, kept in a file beside (never in) the
 * database.  Tokens are derived from it (token.c), so a copy of the
 * database alone holds no usable secret.
 *
 * The file holds 64 hex digits and a newline.  It is created on first use
 * from getrandom(), owner-only whatever the umask, and appears complete or
 * not at all (written to a temporary file, then linked into place, so two
 * processes creating it at once agree on one key).  Like a password file,
 * it is refused when group or others can access it, when it is a symlink
 * or not a regular file.  Functions return 0 or -1 with err filled. */
#ifndef MC_KEYFILE_H
#define MC_KEYFILE_H

#include "util.h"

#define KEYFILE_LEN 32 /* bytes: 256 bits */

/* Reads the key at path into key, creating the file when it does not
 * exist; *created (may be NULL) is set to 1 when this call created it. */
int keyfile_load(const char *path, unsigned char key[KEYFILE_LEN],
		 int *created, struct mc_err *err);

/* Checks an existing key file as keyfile_load would, without creating
 * one (for check-config): 0 when it is absent or acceptable, -1 with the
 * reason. */
int keyfile_check(const char *path, struct mc_err *err);

#endif
