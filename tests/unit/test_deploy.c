/* test_deploy.c: the deploy module's pure parts: which relative paths
 * are safe, the doubling pause and its bound, the S3 object URLs (path
 * and virtual-host style, keys percent-encoded), Content-Types, which
 * files a set takes (outside the site refused); and the program runner:
 * exit status, output kept, stdin written, a hanging program killed
 * with what it started at the timeout. */
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "conf.h"
#include "deploy.h"
#include "deploy_int.h"
#include "util.h"

static void test_rel_ok(void **state)
{
	(void)state;
	assert_true(deploy_rel_ok("comments/a.html"));
	assert_true(deploy_rel_ok("2024/velo/index.html"));
	assert_true(deploy_rel_ok("-rf"));
	assert_true(deploy_rel_ok("a b;c$(x)"));
	assert_false(deploy_rel_ok(""));
	assert_false(deploy_rel_ok("/etc/passwd"));
	assert_false(deploy_rel_ok("../x"));
	assert_false(deploy_rel_ok("a/../../x"));
	assert_false(deploy_rel_ok("a/.."));
	assert_false(deploy_rel_ok("./a"));
	assert_false(deploy_rel_ok("a//b"));
	assert_false(deploy_rel_ok("a/"));
	assert_false(deploy_rel_ok("a\nb"));
	assert_false(deploy_rel_ok("a\rb"));
	assert_false(deploy_rel_ok("a\\b"));
	assert_false(deploy_rel_ok("a\x7f"));
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(deploy_backoff(1, 2, 60), 2);
	assert_int_equal(deploy_backoff(2, 2, 60), 4);
	assert_int_equal(deploy_backoff(3, 2, 60), 8);
	assert_int_equal(deploy_backoff(5, 2, 60), 32);
	assert_int_equal(deploy_backoff(6, 2, 60), 60);
	assert_int_equal(deploy_backoff(10, 2, 60), 60);
	assert_int_equal(deploy_backoff(3, 0, 60), 0);
	assert_int_equal(deploy_backoff(1, 30, 10), 10);
	/* no overflow on the way to the bound */
	assert_int_equal(deploy_backoff(1000, 300, 3600), 3600);
}

static void test_s3_url(void **state)
{
	struct mc_err err;
	char *u;

	(void)state;
	u = dp_s3_url("http://127.0.0.1:9000", "site", 0, "blog/",
		      "comments/a.html", &err);
	assert_string_equal(u, "http://127.0.0.1:9000/site/blog/comments/a.html");
	free(u);
	u = dp_s3_url("https://s3.eu-west-3.amazonaws.com/", "site", 1, "",
		      "a b+c&d/é.html", &err);
	assert_string_equal(u, "https://site.s3.eu-west-3.amazonaws.com/"
			       "a%20b%2Bc%26d/%C3%A9.html");
	free(u);
	u = dp_s3_url("https://acct.r2.cloudflarestorage.com", "b", 0, "",
		      "x?y#z", &err);
	assert_string_equal(u, "https://acct.r2.cloudflarestorage.com/b/"
			       "x%3Fy%23z");
	free(u);
	assert_null(dp_s3_url("ftp://host", "b", 0, "", "k", &err));
	assert_null(dp_s3_url("https://", "b", 0, "", "k", &err));
}

/* What is uploaded: a regular file; a link or a FIFO at its name is
 * refused (and the FIFO does not hang the read). */
static void test_s3_read(void **state)
{
	char *dir = tu_tmpdir();
	char *file = tu_write(dir, "a.html", "<p>x</p>", 0644);
	char *link = xasprintf("%s/link.html", dir);
	char *fifo = xasprintf("%s/fifo.html", dir);
	struct mc_err err;
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(dp_s3_read(file, &b, &err), 0);
	assert_string_equal(b.s, "<p>x</p>");
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(dp_s3_read(link, &b, &err), -1);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(dp_s3_read(fifo, &b, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	buf_free(&b);
	free(file);
	free(link);
	free(fifo);
	tu_rmtree(dir);
	free(dir);
}

static void test_content_type(void **state)
{
	(void)state;
	assert_string_equal(dp_content_type("a/b.html"),
			    "text/html; charset=utf-8");
	assert_string_equal(dp_content_type("x.JSON"), "application/json");
	assert_string_equal(dp_content_type("x.atom"), "application/atom+xml");
	assert_string_equal(dp_content_type("mailcomments.css"),
			    "text/css; charset=utf-8");
	assert_string_equal(dp_content_type("a.d/noext"),
			    "application/octet-stream");
	assert_string_equal(dp_content_type("README"),
			    "application/octet-stream");
}

static void test_set_add(void **state)
{
	struct deploy_set s;
	struct conf c;
	struct mc_err err;

	(void)state;
	conf_defaults(&c);
	free(c.site_directory);
	c.site_directory = xstrdup("/srv/site");
	memset(&s, 0, sizeof(s));
	assert_int_equal(deploy_set_add(&s, &c, "/srv/site/comments/a.html", 0,
					&err),
			 0);
	assert_string_equal(s.v[0].rel, "comments/a.html");
	assert_int_equal(deploy_set_add(&s, &c, "/srv/site/./b.json", 1, &err),
			 0);
	assert_string_equal(s.v[1].rel, "b.json");
	assert_int_equal(s.v[1].removed, 1);
	assert_int_equal(deploy_set_add(&s, &c, "/srv/sitex/a.html", 0, &err),
			 -1);
	assert_int_equal(deploy_set_add(&s, &c, "/srv/site/../etc/passwd", 0,
					&err),
			 -1);
	assert_int_equal(deploy_set_add(&s, &c, "/srv/site/a\nb", 0, &err), -1);
	assert_int_equal(s.n, 2);
	deploy_set_free(&s);
	/* an absolute render.directory outside the site is a base too */
	free(c.render_directory);
	c.render_directory = xstrdup("/var/www/comments");
	assert_int_equal(deploy_set_add(&s, &c, "/var/www/comments/a.atom", 0,
					&err),
			 0);
	assert_string_equal(s.v[0].rel, "a.atom");
	deploy_set_free(&s);
	conf_free(&c);
}

static int run(const char *const *argv, const char *input, long timeout,
	       struct buf *out, int *status, struct mc_err *err)
{
	struct dp_proc p;

	memset(&p, 0, sizeof(p));
	p.argv = (char *const *)argv;
	p.input = input;
	p.inlen = input ? strlen(input) : 0;
	p.timeout = timeout;
	p.out = out;
	return dp_run(&p, status, err);
}

static void test_run(void **state)
{
	const char *sh_exit[] = { "/bin/sh", "-c", "echo one; echo two >&2; exit 3",
				  NULL };
	const char *cat[] = { "/bin/cat", NULL };
	const char *env[] = { "/bin/sh", "-c", "echo \"[$SECRETISH]\"", NULL };
	struct mc_err err;
	struct buf out;
	char line[256];
	int st;

	(void)state;
	buf_init(&out);
	assert_int_equal(run(sh_exit, NULL, 10, &out, &st, &err), 0);
	assert_int_equal(st, 3);
	assert_non_null(strstr(out.s, "one"));
	dp_last_line(&out, line);
	assert_string_equal(line, "two");
	buf_reset(&out);
	assert_int_equal(run(cat, "a\nb\001c\n", 10, &out, &st, &err), 0);
	assert_int_equal(st, 0);
	assert_string_equal(out.s, "a\nb\001c\n");
	dp_last_line(&out, line);
	assert_string_equal(line, "b?c");
	/* the environment is fixed: ours does not leak into the program */
	setenv("SECRETISH", "leaked", 1);
	buf_reset(&out);
	assert_int_equal(run(env, NULL, 10, &out, &st, &err), 0);
	assert_string_equal(out.s, "[]\n");
	unsetenv("SECRETISH");
	buf_free(&out);
}

static void test_timeout_kills_group(void **state)
{
	char *dir = tu_tmpdir();
	char *script = xasprintf("sleep 30 & echo $! >%s/child; sleep 30", dir);
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	char *pidfile = xasprintf("%s/child", dir);
	struct mc_err err;
	struct buf b;
	time_t t0 = time(NULL);
	int st;
	pid_t child;

	(void)state;
	assert_int_equal(run(argv, NULL, 1, NULL, &st, &err), -1);
	assert_non_null(strstr(err.msg, "process group was killed"));
	assert_true(time(NULL) - t0 < 5);
	buf_init(&b);
	assert_int_equal(read_file(pidfile, &b, 100, &err), 0);
	child = (pid_t)atoi(b.s);
	assert_true(child > 0);
	usleep(200000);
	/* gone, or a zombie of whoever reaps orphans here */
	if (kill(child, 0) == 0) {
		char *stat = xasprintf("/proc/%d/stat", (int)child);
		struct buf s;

		buf_init(&s);
		if (read_file(stat, &s, 4096, &err) == 0)
			assert_non_null(strstr(s.s, ") Z "));
		buf_free(&s);
		free(stat);
	}
	buf_free(&b);
	free(pidfile);
	free(script);
	tu_rmtree(dir);
	free(dir);
}

/* A program that exits without reading a large input: we get EPIPE,
 * and live (SIGPIPE would end the whole gateway). */
static void test_unread_input(void **state)
{
	const char *argv[] = { "/bin/true", NULL };
	char *big = xmalloc(1 << 20);
	struct mc_err err;
	int st;

	(void)state;
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	signal(SIGPIPE, SIG_DFL);
	assert_int_equal(run(argv, big, 10, NULL, &st, &err), 0);
	assert_int_equal(st, 0);
	free(big);
}

static void test_missing_program(void **state)
{
	const char *argv[] = { "/nonexistent/program", NULL };
	struct mc_err err;
	int st;

	(void)state;
	assert_int_equal(run(argv, NULL, 5, NULL, &st, &err), 0);
	assert_int_equal(st, 127);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rel_ok),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_s3_url),
		cmocka_unit_test(test_s3_read),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_set_add),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_unread_input),
		cmocka_unit_test(test_missing_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
