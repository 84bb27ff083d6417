/* backup.c: the online backup of the database (backup.h). */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "banned.h"

/* Pages copied per step: small steps let a writer in between them (a
 * step holds a read transaction on the source only while it runs). */
#define BK_STEP_PAGES 256
/* How long to wait in all for a source that stays locked. */
#define BK_BUSY_MS 30000

static void bk_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The directory part of path ("." when none), allocated. */
static char *bk_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int bk_fsync_path(const char *path, int dir, struct mc_err *err)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
				    O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	if (fsync(fd) < 0) {
		err_set(err, "fsync %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Copies every page of src into the database file tmp. */
static int bk_copy(sqlite3 *src, const char *tmp, struct backup_info *info,
		   struct mc_err *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	sqlite3_stmt *q = NULL;
	long waited = 0;
	int rc;

	/* NOFOLLOW: the name was just made by mkstemp, but the directory
	 * may be shared; a link swapped in would be refused */
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
				  SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		err_set(err, "%s: %s", tmp,
			dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		err_set(err, "%s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(b, BK_STEP_PAGES);
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waited < BK_BUSY_MS) {
			bk_sleep_ms(50);
			waited += 50;
			rc = SQLITE_OK;
		}
	} while (rc == SQLITE_OK);
	info->pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		err_set(err, "copying: %s", rc == SQLITE_DONE ?
						    sqlite3_errmsg(dst) :
						    sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	/* the copy answers as a database: count what it holds */
	info->comments = -1;
	if (sqlite3_prepare_v2(dst, "SELECT count(*) FROM comments", -1, &q,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		info->comments = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (sqlite3_close(dst) != SQLITE_OK)
		return err_set(err, "closing the copy: %s",
			       sqlite3_errmsg(dst));
	return 0;
}

int backup_to(struct store *st, const char *dest, struct backup_info *info,
	      struct mc_err *err)
{
	char *dir = bk_dir(dest), *tmp;
	struct stat sb;
	int fd, rc = -1;

	memset(info, 0, sizeof(*info));
	tmp = xasprintf("%s.mc-backup-XXXXXX", dest);
	/* mkstemp: O_EXCL and mode 0600, whatever the umask */
	fd = mkstemp(tmp);
	if (fd < 0) {
		err_set(err, "backup to %s: %s", dest, strerror(errno));
		goto out;
	}
	close(fd);
	if (bk_copy(store_db(st), tmp, info, err) < 0 ||
	    bk_fsync_path(tmp, 0, err) < 0 || stat(tmp, &sb) < 0) {
		err_prefix(err, "backup to %s: ", dest);
		goto fail;
	}
	info->bytes = (int64_t)sb.st_size;
	if (rename(tmp, dest) < 0) {
		err_set(err, "backup to %s: %s", dest, strerror(errno));
		goto fail;
	}
	if (bk_fsync_path(dir, 1, err) < 0) {
		err_prefix(err, "backup to %s: ", dest);
		goto out;
	}
	rc = 0;
	goto out;
fail:
	unlink(tmp);
	{
		/* a copy that failed half-way may leave its rollback journal */
		char *journal = xasprintf("%s-journal", tmp);

		unlink(journal);
		free(journal);
	}
out:
	free(tmp);
	free(dir);
	return rc;
}
