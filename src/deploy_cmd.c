/* deploy_cmd.c: the `command` target: deploy_command.argv, run without a
 * shell, with the changed files' absolute paths after its own arguments
 * (an absolute path starts with '/', so no file name is ever read as an
 * option), or on its standard input when there are more than
 * deploy_command.max_args (each followed by a NUL byte).  Removed files
 * are passed too: they no longer exist (rsync --delete-missing-args). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deploy_int.h"
#include "log.h"
#include "banned.h"

static char *absolute(const char *path)
{
	char cwd[4096];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

static int on_stdin(const struct conf *c, const struct deploy_set *s)
{
	return s->n > (size_t)c->command_max_args;
}

int dp_cmd(const struct conf *c, const struct deploy_set *s,
	   struct mc_err *err)
{
	const struct strlist *a = &c->command_argv;
	char **argv = xcalloc(a->n + s->n + 1, sizeof(*argv));
	char *env[3] = { NULL, NULL, NULL };
	struct dp_proc p;
	struct buf in, out;
	size_t i, k = 0;
	int status, rc;
	char line[256];

	if (a->n == 0) {
		free(argv);
		return err_set(err, "deploy_command.argv is empty");
	}
	buf_init(&in);
	buf_init(&out);
	for (i = 0; i < a->n; i++)
		argv[k++] = xstrdup(a->v[i]);
	for (i = 0; i < s->n; i++) {
		char *abs = absolute(s->v[i].path);

		if (on_stdin(c, s)) {
			buf_add(&in, abs, strlen(abs) + 1);
			free(abs);
		} else {
			argv[k++] = abs;
		}
	}
	env[0] = xasprintf("MAILCOMMENTS_FILES_ON_STDIN=%d", on_stdin(c, s));
	memset(&p, 0, sizeof(p));
	p.argv = argv;
	p.env = env;
	p.input = on_stdin(c, s) ? in.s : NULL;
	p.inlen = in.len;
	p.timeout = c->deploy_timeout;
	p.out = &out;
	rc = dp_run(&p, &status, err);
	dp_last_line(&out, line);
	if (rc == 0 && status != 0)
		rc = err_set(err, "%s exited with status %d%s%s", argv[0],
			     status, line[0] ? ": " : "", line);
	else if (rc == 0)
		log_info("deploy command: %s exited with status 0 (%zu files)",
			 argv[0], s->n);
	for (i = 0; i < k; i++)
		free(argv[i]);
	free(argv);
	free(env[0]);
	buf_free(&in);
	buf_free(&out);
	return rc;
}

void dp_cmd_plan(const struct conf *c, const struct deploy_set *s,
		 struct buf *out)
{
	size_t i;

	buf_adds(out, "command: would run");
	for (i = 0; i < c->command_argv.n; i++)
		buf_addf(out, " %s", c->command_argv.v[i]);
	buf_addf(out, " with %zu files %s\n", s->n,
		 on_stdin(c, s) ? "on its standard input" : "as arguments");
	for (i = 0; i < s->n; i++) {
		char *abs = absolute(s->v[i].path);

		buf_addf(out, "command:   %s%s\n", abs,
			 s->v[i].removed ? " (removed)" : "");
		free(abs);
	}
}
