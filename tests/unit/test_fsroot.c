/* test_fsroot.c: writing and reading under a root: links at the target
 * and on the way refused (and the file they point to untouched), ".."
 * and absolute paths refused, modes exact whatever the umask, a replaced
 * file's mode kept, the temp file removed when a write fails, stale temp
 * files of killed writers swept (and nothing else), FIFOs and
 * oversized files not read; the mode parser and the shared-directory
 * helper. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "testutil.h"

#include "fsroot.h"
#include "util.h"

struct fx {
	char *dir;  /* the test's temp directory */
	char *root; /* dir/site */
	struct fsroot *r;
};

static int setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof(*fx));
	struct mc_err err;

	fx->dir = tu_tmpdir();
	fx->root = xasprintf("%s/site", fx->dir);
	assert_int_equal(fsroot_open(&fx->r, fx->root, 0644, 0755,
				     FSROOT_CREATE, &err),
			 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	fsroot_close(fx->r);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx->root);
	free(fx);
	umask(022);
	return 0;
}

static char *at(struct fx *fx, const char *rel)
{
	return xasprintf("%s/%s", fx->dir, rel);
}

static unsigned mode_of(struct fx *fx, const char *rel)
{
	struct stat sb;
	char *p = at(fx, rel);

	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	return (unsigned)(sb.st_mode & 07777);
}

static char *slurp(struct fx *fx, const char *rel)
{
	struct mc_err err;
	struct buf b;
	char *p = at(fx, rel);

	buf_init(&b);
	if (read_file(p, &b, 0, &err) < 0)
		fail_msg("%s", err.msg);
	free(p);
	return buf_detach(&b);
}

static void put(struct fx *fx, const char *rel, const char *text)
{
	free(tu_write(fx->dir, rel, text, 0644));
}

static void link_at(struct fx *fx, const char *target, const char *rel)
{
	char *p = at(fx, rel);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

/* Nothing named like a temp file is left in dir (relative to fx->dir). */
static void no_temp_left(struct fx *fx, const char *rel)
{
	char *p = at(fx, rel);
	DIR *d = opendir(p);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".mc-", 4) == 0)
			fail_msg("temp file left: %s/%s", p, de->d_name);
	closedir(d);
	free(p);
}

static void test_new_files_exact_modes(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	int changed = -1;
	char *s;

	umask(0);
	assert_int_equal(fsroot_write(fx->r, "a/b/c.html", "x", 1, &changed,
				      &err),
			 0);
	assert_int_equal(changed, 1);
	assert_int_equal(mode_of(fx, "site/a/b/c.html"), 0644);
	assert_int_equal(mode_of(fx, "site/a"), 0755);
	assert_int_equal(mode_of(fx, "site/a/b"), 0755);
	umask(077);
	assert_int_equal(fsroot_write(fx->r, "d/e.json", "{}", 2, NULL, &err),
			 0);
	assert_int_equal(mode_of(fx, "site/d/e.json"), 0644);
	assert_int_equal(mode_of(fx, "site/d"), 0755);
	s = slurp(fx, "site/d/e.json");
	assert_string_equal(s, "{}");
	free(s);
	no_temp_left(fx, "site/d");
}

static void test_root_created_with_modes(void **state)
{
	struct fx *fx = *state;
	struct fsroot *r;
	struct mc_err err;
	char *p = at(fx, "new/deep/root");

	umask(077);
	assert_int_equal(fsroot_open(&r, p, 0600, 0750, FSROOT_CREATE, &err),
			 0);
	assert_int_equal(mode_of(fx, "new"), 0750);
	assert_int_equal(mode_of(fx, "new/deep/root"), 0750);
	assert_int_equal(fsroot_write(r, "f", "1", 1, NULL, &err), 0);
	assert_int_equal(mode_of(fx, "new/deep/root/f"), 0600);
	fsroot_close(r);
	free(p);
	p = at(fx, "missing");
	errno = 0;
	assert_int_equal(fsroot_open(&r, p, 0644, 0755, 0, &err), -1);
	assert_int_equal(errno, ENOENT);
	free(p);
}

static void test_rewrite_keeps_mode(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char *p = at(fx, "site/page.html");
	struct stat before, after;

	put(fx, "site/page.html", "old");
	assert_int_equal(chmod(p, 0664), 0);
	assert_int_equal(stat(p, &before), 0);
	umask(077);
	assert_int_equal(fsroot_write(fx->r, "page.html", "new", 3, NULL, &err),
			 0);
	assert_int_equal(stat(p, &after), 0);
	assert_int_equal(after.st_mode & 07777, 0664);
	assert_int_equal(after.st_uid, before.st_uid);
	assert_int_equal(after.st_gid, before.st_gid);
	assert_true(after.st_ino != before.st_ino); /* replaced, not edited */
	free(p);
}

static void test_unchanged_left_alone(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct stat a, b;
	char *p = at(fx, "site/same.txt");
	int changed = -1;

	put(fx, "site/same.txt", "same");
	assert_int_equal(stat(p, &a), 0);
	assert_int_equal(fsroot_write(fx->r, "same.txt", "same", 4, &changed,
				      &err),
			 0);
	assert_int_equal(changed, 0);
	assert_int_equal(stat(p, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	free(p);
}

static void test_link_at_target_refused(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char *victim, *s;

	put(fx, "victim", "VICTIM");
	victim = at(fx, "victim");
	link_at(fx, victim, "site/out.json");
	assert_int_equal(fsroot_write(fx->r, "out.json", "evil", 4, NULL, &err),
			 -1);
	assert_non_null(strstr(err.msg, "refused: "));
	assert_non_null(strstr(err.msg, "site/out.json is a symbolic link"));
	s = slurp(fx, "victim");
	assert_string_equal(s, "VICTIM");
	free(s);
	no_temp_left(fx, "site");
	/* write_file_atomic, the same rule for any caller. */
	s = at(fx, "site/out.json");
	assert_int_equal(write_file_atomic(s, "evil", 4, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "is a symbolic link"));
	free(s);
	s = slurp(fx, "victim");
	assert_string_equal(s, "VICTIM");
	free(s);
	free(victim);
}

static void test_link_on_the_way_refused(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char *outside = at(fx, "outside");

	assert_int_equal(mkdir(outside, 0755), 0);
	link_at(fx, outside, "site/comments");
	assert_int_equal(fsroot_write(fx->r, "comments/x/y.html", "z", 1, NULL,
				      &err),
			 -1);
	assert_non_null(strstr(err.msg, "refused: "));
	assert_non_null(strstr(err.msg, "site/comments is a symbolic link"));
	assert_int_equal(rmdir(outside), 0); /* still empty */
	/* A link to a directory is refused for reading and listing too. */
	assert_int_equal(mkdir(outside, 0755), 0);
	put(fx, "outside/p.html", "secret");
	assert_null(fsroot_opendir(fx->r, "comments", &err));
	assert_non_null(strstr(err.msg, "is a symbolic link"));
	{
		struct buf b;

		buf_init(&b);
		assert_int_equal(fsroot_read(fx->r, "comments/p.html", &b, 0,
					     &err),
				 -1);
		assert_int_equal(b.len, 0);
		buf_free(&b);
	}
	free(outside);
}

static void test_outside_refused(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct buf b;
	char *p = at(fx, "escaped");

	assert_int_equal(fsroot_write(fx->r, "../escaped", "x", 1, NULL, &err),
			 -1);
	assert_non_null(strstr(err.msg, "outside"));
	assert_int_equal(fsroot_write(fx->r, "a/../../escaped", "x", 1, NULL,
				      &err),
			 -1);
	assert_non_null(strstr(err.msg, "outside"));
	assert_int_equal(fsroot_write(fx->r, p, "x", 1, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "outside"));
	assert_int_equal(access(p, F_OK), -1);
	buf_init(&b);
	assert_int_equal(fsroot_read(fx->r, "../escaped", &b, 0, &err), -1);
	buf_free(&b);
	/* "." and empty components are harmless. */
	assert_int_equal(fsroot_write(fx->r, "./a//b.txt", "x", 1, NULL, &err),
			 0);
	assert_int_equal(mode_of(fx, "site/a/b.txt"), 0644);
	free(p);
}

static void test_read(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct buf b;
	char *victim = at(fx, "secret"), *fifo = at(fx, "site/fifo.html");

	put(fx, "site/page.html", "<p>page</p>");
	buf_init(&b);
	assert_int_equal(fsroot_read(fx->r, "page.html", &b, 100, &err), 0);
	assert_string_equal(b.s, "<p>page</p>");
	buf_reset(&b);
	assert_int_equal(fsroot_read(fx->r, "page.html", &b, 5, &err), -1);
	assert_non_null(strstr(err.msg, "larger than 5 bytes"));
	buf_reset(&b);
	put(fx, "secret", "root:HASH");
	link_at(fx, victim, "site/link.html");
	assert_int_equal(fsroot_read(fx->r, "link.html", &b, 0, &err), -1);
	assert_non_null(strstr(err.msg, "refused: "));
	assert_int_equal(b.len, 0);
	/* A FIFO would block the reader forever: refused, not opened. */
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(fsroot_read(fx->r, "fifo.html", &b, 0, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(fsroot_write(fx->r, "fifo.html", "x", 1, NULL, &err),
			 -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	buf_free(&b);
	free(victim);
	free(fifo);
}

static void test_failed_write_cleans_up(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct rlimit old, lim;
	char big[8192], *s;

	put(fx, "site/keep.txt", "original");
	memset(big, 'x', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(fsroot_write(fx->r, "keep.txt", big, sizeof(big), NULL,
				      &err),
			 -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_non_null(strstr(err.msg, "keep.txt"));
	s = slurp(fx, "site/keep.txt");
	assert_string_equal(s, "original");
	free(s);
	no_temp_left(fx, "site");
}

/* A batch: nothing replaced until the commit (a reader sees the old
 * files meanwhile), then every staged file at once; a file already
 * holding its bytes is not staged; 40 files (syncfs) and 3 (an fsync
 * each) alike; freed without a commit, it leaves the targets and no
 * temp file. */
static void test_batch(void **state)
{
	struct fx *fx = *state;
	struct fsroot_batch *b = fsroot_batch_new();
	struct mc_err err;
	char rel[64], text[64], *s;
	int i, ch, n;

	put(fx, "site/same.txt", "same");
	assert_int_equal(fsroot_write(fx->r, "d/old.txt", "old", 3, NULL, &err),
			 0);
	for (n = 3; n <= 40; n += 37) {
		for (i = 0; i < n; i++) {
			snprintf(rel, sizeof(rel), "d/f%d.txt", i);
			snprintf(text, sizeof(text), "text %d of %d", i, n);
			assert_int_equal(fsroot_stage(b, fx->r, rel, text,
						      strlen(text), &ch, &err),
					 0);
			assert_int_equal(ch, 1);
		}
		assert_int_equal(fsroot_stage(b, fx->r, "same.txt", "same", 4,
					      &ch, &err),
				 0);
		assert_int_equal(ch, 0);
		assert_int_equal(fsroot_stage(b, fx->r, "d/old.txt",
					      n == 3 ? "new" : "newer",
					      n == 3 ? 3 : 5, &ch, &err),
				 0);
		assert_int_equal(fsroot_batch_files(b), (size_t)n + 1);
		s = slurp(fx, "site/d/old.txt");
		assert_string_equal(s, n == 3 ? "old" : "new");
		free(s);
		assert_int_equal(fsroot_batch_commit(b, &err), 0);
		assert_int_equal(fsroot_batch_files(b), 0);
		for (i = 0; i < n; i++) {
			snprintf(rel, sizeof(rel), "site/d/f%d.txt", i);
			snprintf(text, sizeof(text), "text %d of %d", i, n);
			s = slurp(fx, rel);
			assert_string_equal(s, text);
			free(s);
		}
		s = slurp(fx, "site/d/old.txt");
		assert_string_equal(s, n == 3 ? "new" : "newer");
		free(s);
		assert_int_equal(mode_of(fx, "site/d/f0.txt"), 0644);
		no_temp_left(fx, "site/d");
	}
	assert_int_equal(fsroot_stage(b, fx->r, "d/old.txt", "newest", 6, &ch,
				      &err),
			 0);
	assert_int_equal(fsroot_stage(b, fx->r, "d/other.txt", "x", 1, &ch,
				      &err),
			 0);
	fsroot_batch_free(b);
	s = slurp(fx, "site/d/old.txt");
	assert_string_equal(s, "newer");
	free(s);
	no_temp_left(fx, "site/d");
	link_at(fx, "/etc/passwd", "site/d/link.txt");
	b = fsroot_batch_new();
	assert_int_equal(fsroot_stage(b, fx->r, "d/link.txt", "x", 1, &ch,
				      &err),
			 -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	fsroot_batch_free(b);
}

static void age_at(struct fx *fx, const char *rel, time_t secs_ago)
{
	struct timeval tv[2];
	char *p = at(fx, rel);

	tv[0].tv_sec = tv[1].tv_sec = time(NULL) - secs_ago;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	assert_int_equal(lutimes(p, tv), 0);
	free(p);
}

static int exists_at(struct fx *fx, const char *rel)
{
	struct stat sb;
	char *p = at(fx, rel);
	int rc = lstat(p, &sb) == 0;

	free(p);
	return rc;
}

/* A writer killed between its temp file and the rename leaves the temp
 * file: the next batch writing into that directory removes those over an
 * hour old, and nothing else (a live writer's, other names, links,
 * directories). */
static void test_stale_temps_swept(void **state)
{
	struct fx *fx = *state;
	struct fsroot_batch *b;
	struct mc_err err;
	char *p;
	int ch;

	p = at(fx, "site/d");
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	put(fx, "site/d/.mc-0123456789abcdef.tmp", "killed");
	age_at(fx, "site/d/.mc-0123456789abcdef.tmp", 2 * 3600);
	put(fx, "site/d/.mc-fedcba9876543210.tmp", "live");
	age_at(fx, "site/d/.mc-fedcba9876543210.tmp", 60);
	put(fx, "site/d/.mc-notatempfile.tmp", "other");
	age_at(fx, "site/d/.mc-notatempfile.tmp", 2 * 3600);
	put(fx, "target", "outside");
	link_at(fx, "../../target", "site/d/.mc-00000000000000aa.tmp");
	age_at(fx, "site/d/.mc-00000000000000aa.tmp", 2 * 3600);
	p = at(fx, "site/d/.mc-00000000000000bb.tmp");
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	age_at(fx, "site/d/.mc-00000000000000bb.tmp", 2 * 3600);
	b = fsroot_batch_new();
	assert_int_equal(fsroot_stage(b, fx->r, "d/new.txt", "new", 3, &ch,
				      &err),
			 0);
	assert_int_equal(fsroot_batch_commit(b, &err), 0);
	fsroot_batch_free(b);
	assert_false(exists_at(fx, "site/d/.mc-0123456789abcdef.tmp"));
	assert_true(exists_at(fx, "site/d/.mc-fedcba9876543210.tmp"));
	assert_true(exists_at(fx, "site/d/.mc-notatempfile.tmp"));
	assert_true(exists_at(fx, "site/d/.mc-00000000000000aa.tmp"));
	assert_true(exists_at(fx, "site/d/.mc-00000000000000bb.tmp"));
	assert_true(exists_at(fx, "target"));
	assert_true(exists_at(fx, "site/d/new.txt"));
}

static void test_parse_mode(void **state)
{
	unsigned m = 1;

	(void)state;
	assert_int_equal(fsroot_parse_mode("0644", &m), 0);
	assert_int_equal(m, 0644);
	assert_int_equal(fsroot_parse_mode("755", &m), 0);
	assert_int_equal(m, 0755);
	assert_int_equal(fsroot_parse_mode("0777", &m), 0);
	assert_int_equal(m, 0777);
	assert_int_equal(fsroot_parse_mode("1777", &m), -1); /* sticky */
	assert_int_equal(fsroot_parse_mode("4755", &m), -1); /* set-uid */
	assert_int_equal(fsroot_parse_mode("0o644", &m), -1);
	assert_int_equal(fsroot_parse_mode("0x1a4", &m), -1);
	assert_int_equal(fsroot_parse_mode("0648", &m), -1);
	assert_int_equal(fsroot_parse_mode("64", &m), -1);
	assert_int_equal(fsroot_parse_mode("00644", &m), -1);
	assert_int_equal(fsroot_parse_mode("", &m), -1);
	assert_int_equal(fsroot_parse_mode(" 644", &m), -1);
	assert_int_equal(m, 0777);
}

static void test_common_dir(void **state)
{
	char *s, *cwd = getcwd(NULL, 0), *want;

	(void)state;
	s = fsroot_common_dir("/var/lib/mc", "/var/www");
	assert_string_equal(s, "/var");
	free(s);
	s = fsroot_common_dir("/var/s", "/var/site");
	assert_string_equal(s, "/var");
	free(s);
	s = fsroot_common_dir("/srv/x/", "/srv/x/site/");
	assert_string_equal(s, "/srv/x");
	free(s);
	s = fsroot_common_dir("/srv/./x", "/srv//x/site");
	assert_string_equal(s, "/srv/x");
	free(s);
	assert_null(fsroot_common_dir("/a", "/b"));
	s = fsroot_common_dir("var", "var/site");
	want = xasprintf("%s/var", strcmp(cwd, "/") == 0 ? "" : cwd);
	assert_string_equal(s, want);
	free(s);
	free(want);
	free(cwd);
}

/* fsroot_remove: a file goes; an absent one is no error; a link or a
 * directory in its place, a link on the way and ".." are refused, and
 * what a link points to stays. */
static void test_remove(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct stat sb;
	char *target = tu_write(fx->dir, "outside", "keep", 0644);
	char *p;
	int removed = -1;

	assert_int_equal(fsroot_write(fx->r, "a/b.html", "x", 1, NULL, &err),
			 0);
	assert_int_equal(fsroot_remove(fx->r, "a/b.html", &removed, &err), 0);
	assert_int_equal(removed, 1);
	p = xasprintf("%s/a/b.html", fx->root);
	assert_int_equal(lstat(p, &sb), -1);
	free(p);
	assert_int_equal(fsroot_remove(fx->r, "a/b.html", &removed, &err), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(fsroot_remove(fx->r, "no/such/dir.html", &removed,
				       &err),
			 0);
	assert_int_equal(removed, 0);

	p = xasprintf("%s/a/link.html", fx->root);
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(fsroot_remove(fx->r, "a/link.html", &removed, &err),
			 -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	p = xasprintf("%s/l", fx->root);
	assert_int_equal(symlink(fx->dir, p), 0);
	free(p);
	assert_int_equal(fsroot_remove(fx->r, "l/outside", &removed, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(fsroot_remove(fx->r, "../outside", &removed, &err),
			 -1);
	assert_int_equal(fsroot_remove(fx->r, "a", &removed, &err), -1);
	assert_int_equal(stat(target, &sb), 0);
	free(target);
}

/* fsroot_unlink: a link in place goes as a link (what it points to
 * stays, with its content); a link on the way, a directory and ".." are
 * still refused. */
static void test_unlink_link(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	struct stat sb;
	char *target = tu_write(fx->dir, "outside", "keep", 0644);
	char *p;
	int removed = -1;

	assert_int_equal(fsroot_write(fx->r, "a/b.json", "x", 1, NULL, &err),
			 0);
	assert_int_equal(fsroot_unlink(fx->r, "a/b.json", &removed, &err), 0);
	assert_int_equal(removed, 1);
	p = xasprintf("%s/a/link.json", fx->root);
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(fsroot_unlink(fx->r, "a/link.json", &removed, &err),
			 0);
	assert_int_equal(removed, 1);
	assert_int_equal(lstat(p, &sb), -1);
	free(p);
	assert_int_equal(stat(target, &sb), 0);
	assert_int_equal(sb.st_size, 4);
	p = xasprintf("%s/l", fx->root);
	assert_int_equal(symlink(fx->dir, p), 0);
	free(p);
	assert_int_equal(fsroot_unlink(fx->r, "l/outside", &removed, &err), -1);
	assert_int_equal(fsroot_unlink(fx->r, "../outside", &removed, &err),
			 -1);
	assert_int_equal(fsroot_unlink(fx->r, "a", &removed, &err), -1);
	assert_int_equal(stat(target, &sb), 0);
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_files_exact_modes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_created_with_modes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewrite_keeps_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_left_alone,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_at_target_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_on_the_way_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_cleans_up,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temps_swept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_link, setup,
						teardown),
		cmocka_unit_test(test_parse_mode),
		cmocka_unit_test(test_common_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
