/* deploy_git.c: the `git` target, through the git program (README: why
 * not libgit2): the changed files are staged in deploy_git.directory
 * (removed ones unstaged), committed with one message, and HEAD pushed
 * to deploy_git.remote's deploy_git.branch.  When the remote moved on,
 * the commit is rebased on it and pushed again; a conflict aborts the
 * rebase and fails the attempt, saying so.
 *
 * git runs without a shell, paths on its standard input (NUL-separated,
 * literal: no name is ever an option or a pattern), with no terminal
 * prompt and the repository's hooks off (core.hooksPath=/dev/null,
 * --no-verify): a hook in a cloned site is not ours to run. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deploy_int.h"
#include "log.h"
#include "banned.h"

struct gctx {
	const struct conf *c;
	char *dir; /* the working tree, real path */
	char *env[8];
};

static const char *work_tree(const struct conf *c)
{
	return c->git_directory[0] ? c->git_directory : c->site_directory;
}

/* path relative to the working tree (both made real), NULL if outside. */
static char *tree_rel(const char *dir, const char *path)
{
	char *slash = strrchr(path, '/'), *parent, real[PATH_MAX], *r = NULL;
	size_t n = strlen(dir);

	parent = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	if (realpath(parent, real) != NULL && strncmp(real, dir, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0'))
		r = xasprintf("%s%s%s", real[n] ? real + n + 1 : "",
			      real[n] ? "/" : "", slash ? slash + 1 : path);
	free(parent);
	return r;
}

static void ctx_free(struct gctx *g)
{
	size_t i;

	free(g->dir);
	for (i = 0; g->env[i]; i++)
		free(g->env[i]);
}

static int ctx_init(struct gctx *g, const struct conf *c, struct mc_err *err)
{
	char real[PATH_MAX];
	const char *name = c->git_author_name;
	const char *mail =
		c->git_author_email[0] ? c->git_author_email : c->address_mailbox;

	memset(g, 0, sizeof(*g));
	g->c = c;
	if (realpath(work_tree(c), real) == NULL)
		return err_set(err, "git: %s: not a directory", work_tree(c));
	g->dir = xstrdup(real);
	g->env[0] = xstrdup("GIT_TERMINAL_PROMPT=0");
	g->env[1] = xstrdup("GIT_LITERAL_PATHSPECS=1");
	g->env[2] = xasprintf("GIT_AUTHOR_NAME=%s", name);
	g->env[3] = xasprintf("GIT_AUTHOR_EMAIL=%s", mail);
	g->env[4] = xasprintf("GIT_COMMITTER_NAME=%s", name);
	g->env[5] = xasprintf("GIT_COMMITTER_EMAIL=%s", mail);
	g->env[6] = xstrdup("GIT_SSH_COMMAND=ssh -o BatchMode=yes");
	return 0;
}

/* Runs git ARGS... in the tree; *status its exit status.  -1 (err says
 * what git said last) when it could not run or exited with another
 * status than 0 or ok_status. */
static int git(struct gctx *g, const struct buf *input, int ok_status,
	       int *status, struct mc_err *err, const char *const *args)
{
	const char *argv[24];
	struct dp_proc p;
	struct buf out;
	size_t n = 0;
	int st, rc;
	char line[256];

	argv[n++] = "git";
	argv[n++] = "-c";
	argv[n++] = "core.hooksPath=/dev/null";
	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	buf_init(&out);
	memset(&p, 0, sizeof(p));
	p.argv = (char *const *)argv;
	p.dir = g->dir;
	p.env = g->env;
	p.input = input ? input->s : NULL;
	p.inlen = input ? input->len : 0;
	p.timeout = g->c->deploy_timeout;
	p.out = &out;
	rc = dp_run(&p, &st, err);
	if (status)
		*status = st;
	dp_last_line(&out, line);
	if (rc == 0 && st != 0 && st != ok_status)
		rc = err_set(err, "git %s in %s: exit status %d%s%s", argv[3],
			     g->dir, st, line[0] ? ": " : "", line);
	buf_free(&out);
	return rc;
}

#define GIT(g, in, ok, st, err, ...)                                         \
	git(g, in, ok, st, err, (const char *const[]){ __VA_ARGS__, NULL })

/* Stages the set: what exists added, what was removed unstaged. */
static int stage(struct gctx *g, const struct deploy_set *s,
		 struct mc_err *err)
{
	struct buf add, del;
	size_t i;
	int rc = 0;

	buf_init(&add);
	buf_init(&del);
	for (i = 0; i < s->n && rc == 0; i++) {
		char *rel = tree_rel(g->dir, s->v[i].path);

		if (rel == NULL)
			rc = err_set(err, "git: %s is not inside %s",
				     s->v[i].path, g->dir);
		else
			buf_add(s->v[i].removed ? &del : &add, rel,
				strlen(rel) + 1);
		free(rel);
	}
	if (rc == 0 && add.len > 0)
		rc = GIT(g, &add, 0, NULL, err, "add", "-A",
			 "--pathspec-from-file=-", "--pathspec-file-nul");
	if (rc == 0 && del.len > 0)
		rc = GIT(g, &del, 0, NULL, err, "rm", "-q", "--cached",
			 "--ignore-unmatch", "--pathspec-from-file=-",
			 "--pathspec-file-nul");
	buf_free(&add);
	buf_free(&del);
	return rc;
}

/* Pushes HEAD; if the remote moved on, rebases on it and pushes again. */
static int push(struct gctx *g, struct mc_err *err)
{
	const struct conf *c = g->c;
	char *ref = xasprintf("HEAD:refs/heads/%s", c->git_branch);
	struct mc_err first;
	int rc;

	rc = GIT(g, NULL, 0, NULL, &first, "push", "-q", "--", c->git_remote,
		 ref);
	if (rc < 0) {
		log_info("deploy git: %s; fetching %s %s to rebase on it",
			 first.msg, c->git_remote, c->git_branch);
		rc = GIT(g, NULL, 0, NULL, err, "fetch", "-q", "--",
			 c->git_remote, c->git_branch);
		if (rc == 0 &&
		    GIT(g, NULL, 0, NULL, err, "rebase", "-q", "--autostash",
			"FETCH_HEAD") < 0) {
			GIT(g, NULL, 0, NULL, &first, "rebase", "--abort");
			err_prefix(err, "the remote's %s conflicts with our "
					"commit (rebase aborted; resolve it in "
					"%s): ",
				   c->git_branch, g->dir);
			rc = -1;
		}
		if (rc == 0)
			rc = GIT(g, NULL, 0, NULL, err, "push", "-q", "--",
				 c->git_remote, ref);
	}
	free(ref);
	return rc;
}

int dp_git(const struct conf *c, const struct deploy_set *s,
	   struct mc_err *err)
{
	struct gctx g;
	char *msg;
	int st, rc;

	if (ctx_init(&g, c, err) < 0) {
		ctx_free(&g);
		return -1;
	}
	msg = s->message ? xstrdup(s->message) :
			   xasprintf("mailcomments: %zu files", s->n);
	rc = stage(&g, s, err);
	/* exit 1: something staged (a retry finds it committed already) */
	if (rc == 0)
		rc = GIT(&g, NULL, 1, &st, err, "diff", "--cached", "--quiet");
	if (rc == 0 && st == 1)
		rc = GIT(&g, NULL, 0, NULL, err, "commit", "-q", "--no-verify",
			 "-m", msg);
	if (rc == 0 && c->git_push)
		rc = push(&g, err);
	free(msg);
	ctx_free(&g);
	return rc;
}

void dp_git_plan(const struct conf *c, const struct deploy_set *s,
		 struct buf *out)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		buf_addf(out, "git: would %s %s\n",
			 s->v[i].removed ? "remove" : "add", s->v[i].path);
	if (s->message)
		buf_addf(out, "git: would commit in %s: \"%s\"\n",
			 work_tree(c), s->message);
	else
		buf_addf(out, "git: would commit in %s: \"mailcomments: %zu "
			      "files\"\n",
			 work_tree(c), s->n);
	if (c->git_push)
		buf_addf(out, "git: would push HEAD to %s %s\n", c->git_remote,
			 c->git_branch);
}
