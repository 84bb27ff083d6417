/* fsroot.h: the files the gateway publishes, kept inside the directory
 * they belong to.  A root is a directory the operator configured (the
 * site, the outputs); below it no symbolic link is ever followed, so a
 * link planted in the web root cannot make a write (or a read) land
 * outside it.  Files are replaced atomically: a temp file with an
 * unguessable name beside the target, fsync, rename, fsync of the
 * directory; the temp file is removed on every failure.
 *
 * Modes do not depend on the process umask (the binary runs under
 * umask 077 so that state stays private): a new file gets the root's
 * file mode, a new directory its directory mode; a file that is replaced
 * keeps its permission bits, owner and group (as far as the process may
 * set them: an unprivileged process keeps the group when it belongs to it).
 *
 * Errors follow util.h (0 or -1, err filled).  A refusal reads
 * "refused: PATH is a symbolic link (...)" or "... outside ROOT", naming
 * the path, so that the caller's log line says what was not done. */
#ifndef MC_FSROOT_H
#define MC_FSROOT_H

#include <dirent.h>
#include <stddef.h>

#include "util.h"

struct fsroot;

/* A file_mode meaning "0666 less the umask" (write_file_atomic). */
#define FSROOT_UMASK_MODE 0xffffu

/* Flags of fsroot_open. */
#define FSROOT_CREATE 1 /* create the root and its missing parents */

/* Opens the directory path as a root.  Symbolic links in path itself are
 * followed: it is the operator's choice.  With FSROOT_CREATE, missing
 * directories on the way are made with dir_mode.  file_mode and dir_mode
 * are permission bits (<= 0777) given to what is created below the root.
 * Without FSROOT_CREATE a missing root fails with errno ENOENT. */
int fsroot_open(struct fsroot **rp, const char *path, unsigned file_mode,
		unsigned dir_mode, int flags, struct mc_err *err);

void fsroot_close(struct fsroot *r);

/* The root's path as given to fsroot_open. */
const char *fsroot_path(const struct fsroot *r);

/* Replaces ROOT/rel with data (rel is relative: "a/b.html"; empty and
 * "." components are skipped, ".." is refused).  Missing directories
 * are made with the directory mode.  If the file already holds exactly
 * these bytes it is left alone (mtime kept) and *changed (may be NULL) is
 * set to 0, else to 1.  A symbolic link at the target or on the way is
 * refused, as is a target that is not a regular file. */
int fsroot_write(struct fsroot *r, const char *rel, const void *data,
		 size_t len, int *changed, struct mc_err *err);

/* A batch of replacements made durable together: fsroot_stage() writes
 * each new content to a temp file beside its target (with every check
 * of fsroot_write; a file that already holds those bytes is not
 * staged), fsroot_batch_commit() then makes them all durable (one
 * syncfs() per file system; one fsync for a single file), renames each
 * over its target, and fsyncs each directory once.  No target is
 * replaced before every staged file is on disk, so a crash leaves each
 * one old or new, never partial.  The roots must stay open until the
 * batch is committed or freed. */
struct fsroot_batch;

struct fsroot_batch *fsroot_batch_new(void);

/* Stages ROOT/rel (see fsroot_write): *changed (may be NULL) is set to 1
 * when it was staged, 0 when the file already holds these bytes.  Holds
 * a descriptor per directory until the commit: bound a batch's size with
 * fsroot_batch_files() and fsroot_batch_bytes(). */
int fsroot_stage(struct fsroot_batch *b, struct fsroot *r, const char *rel,
		 const void *data, size_t len, int *changed,
		 struct mc_err *err);

size_t fsroot_batch_files(const struct fsroot_batch *b);
size_t fsroot_batch_bytes(const struct fsroot_batch *b);

/* Makes the staged files durable, renames them, fsyncs their
 * directories; the batch is then empty and may be used again.  On
 * failure (-1) the files not renamed are removed: some targets may be
 * new, the others old, and the caller must count every file of the
 * batch as not written. */
int fsroot_batch_commit(struct fsroot_batch *b, struct mc_err *err);

/* Removes what is staged and not committed (the targets keep their
 * content) and frees b; NULL is allowed. */
void fsroot_batch_free(struct fsroot_batch *b);

/* Reads ROOT/rel, which must be a regular file reached without any
 * symbolic link, into b (appended), refusing files over max bytes. */
int fsroot_read(struct fsroot *r, const char *rel, struct buf *b,
		size_t max, struct mc_err *err);

/* Removes the regular file ROOT/rel (reached without any symbolic
 * link; a link or a directory there is refused).  A file already absent
 * is not an error: *removed (may be NULL) says whether one was removed. */
int fsroot_remove(struct fsroot *r, const char *rel, int *removed,
		  struct mc_err *err);

/* fsroot_remove(), but a symbolic link at ROOT/rel is removed too: the
 * link itself (unlinkat), never what it points to.  For a slot that is
 * ours alone (a generator's data file), where a planted link is litter. */
int fsroot_unlink(struct fsroot *r, const char *rel, int *removed,
		  struct mc_err *err);

/* Opens directory ROOT/rel ("" is the root) for reading, reached without
 * any symbolic link.  Entries are then examined with fstatat(dirfd(d),
 * name, AT_SYMLINK_NOFOLLOW).  The caller closes it with closedir(). */
DIR *fsroot_opendir(struct fsroot *r, const char *rel, struct mc_err *err);

/* Parses a mode written as 3 or 4 octal digits ("0644", "755") into
 * *mode; -1 on anything else or a value above 0777. */
int fsroot_parse_mode(const char *s, unsigned *mode);

/* The longest leading run of directories that a and b share, made
 * absolute against the working directory and cleaned of "." and empty
 * components (".." is kept as written: it is a lexical comparison).
 * Returns a string the caller frees, or NULL when they share only "/". */
char *fsroot_common_dir(const char *a, const char *b);

#endif
