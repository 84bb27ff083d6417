/* deploy.c: the list of changed files and the loop over the targets:
 * each target is tried 1 + deploy.retries times, pausing
 * deploy.backoff, then twice as long... (at most deploy.backoff_max)
 * between attempts.  Every attempt re-sends the whole set: each target
 * is idempotent (a PUT, a commit of what differs, the same command). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deploy_int.h"
#include "log.h"
#include "banned.h"

#define WALK_DEPTH 32
#define WALK_FILES 200000

int deploy_rel_ok(const char *rel)
{
	const char *p = rel;

	if (rel[0] == '\0' || rel[0] == '/')
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	for (p = rel; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/' && *++p == '\0')
			return 0;
	}
	return 1;
}

long deploy_backoff(long attempt, long first, long max)
{
	long pause = first;

	while (--attempt > 0 && pause < max)
		pause *= 2;
	return pause < max ? pause : max;
}

/* The outputs' directory as render names it (render.c: ctx_init). */
static char *out_dir(const struct conf *c)
{
	const char *d = c->render_directory;

	return d[0] == '/' ? xstrdup(d) :
			     xasprintf("%s/%s", c->site_directory, d);
}

/* rel when path is dir/rel, else NULL. */
static const char *under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

int deploy_set_add(struct deploy_set *s, const struct conf *c,
		   const char *path, int removed, struct mc_err *err)
{
	char *out = out_dir(c);
	const char *rel = under(path, c->site_directory);
	struct deploy_file *f;

	if (rel == NULL)
		rel = under(path, out);
	free(out);
	if (rel == NULL)
		return err_set(err, "deploy: %s is neither in site.directory "
				    "nor in render.directory", path);
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (!deploy_rel_ok(rel))
		return err_set(err, "deploy: refused the path %s (not a plain "
				    "relative path)", path);
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	f = &s->v[s->n++];
	f->path = xstrdup(path);
	f->rel = xstrdup(rel);
	f->removed = removed;
	return 0;
}

void deploy_set_free(struct deploy_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].rel);
	}
	free(s->v);
	free(s->message);
	memset(s, 0, sizeof(*s));
}

/* The gateway's own state, never sent even when an operator put it
 * inside the site: the database (and its WAL and shared memory) and the
 * key file tokens are derived from, known by device and inode. */
struct state_files {
	dev_t dev[4];
	ino_t ino[4];
	int n;
};

static void state_add(struct state_files *sf, const char *path)
{
	struct stat sb;

	if (sf->n < 4 && stat(path, &sb) == 0) {
		sf->dev[sf->n] = sb.st_dev;
		sf->ino[sf->n++] = sb.st_ino;
	}
}

static void state_files(struct state_files *sf, const struct conf *c)
{
	char *p;

	sf->n = 0;
	state_add(sf, c->database_path);
	p = xasprintf("%s-wal", c->database_path);
	state_add(sf, p);
	free(p);
	p = xasprintf("%s-shm", c->database_path);
	state_add(sf, p);
	free(p);
	p = conf_key_file(c);
	state_add(sf, p);
	free(p);
}

static int is_state(const struct state_files *sf, const struct stat *sb)
{
	int i;

	for (i = 0; i < sf->n; i++)
		if (sf->dev[i] == sb->st_dev && sf->ino[i] == sb->st_ino)
			return 1;
	return 0;
}

/* Every regular file below dfd (shown as path), links not followed. */
static int walk(struct deploy_set *s, const struct conf *c,
		const struct state_files *sf, int dfd, const char *path,
		int depth, struct mc_err *err)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int rc = 0;

	if (d == NULL) {
		close(dfd);
		return err_set(err, "%s: %s", path, strerror(errno));
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct stat sb;
		char *p;

		if (e->d_name[0] == '.')
			continue; /* ., .., .git, editors' files */
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		p = xasprintf("%s/%s", path, e->d_name);
		if (S_ISREG(sb.st_mode) && is_state(sf, &sb)) {
			log_warnx("deploy: %s is the gateway's own state: "
				  "never sent (keep it out of site.directory)",
				  p);
		} else if (S_ISREG(sb.st_mode)) {
			if (s->n >= WALK_FILES)
				rc = err_set(err, "deploy: more than %d files",
					     WALK_FILES);
			else if (deploy_set_add(s, c, p, 0, err) < 0)
				log_warnx("%s (skipped)", err->msg);
		} else if (S_ISDIR(sb.st_mode) && depth < WALK_DEPTH) {
			int fd = openat(dirfd(d), e->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);

			if (fd >= 0)
				rc = walk(s, c, sf, fd, p, depth + 1, err);
		}
		free(p);
	}
	closedir(d);
	return rc;
}

static int walk_root(struct deploy_set *s, const struct conf *c,
		     const char *dir, struct mc_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct state_files sf;

	if (fd < 0)
		return errno == ENOENT ?
			       0 :
			       err_set(err, "%s: %s", dir, strerror(errno));
	state_files(&sf, c);
	return walk(s, c, &sf, fd, dir, 0, err);
}

int deploy_set_all(struct deploy_set *s, const struct conf *c,
		   struct mc_err *err)
{
	char *out = out_dir(c);
	int rc = walk_root(s, c, c->site_directory, err);

	if (rc == 0 && under(out, c->site_directory) == NULL)
		rc = walk_root(s, c, out, err);
	free(out);
	if (s->message == NULL)
		s->message = xasprintf("mailcomments: all %zu files", s->n);
	return rc;
}

struct target {
	const char *name;
	int (*send)(const struct conf *, const struct deploy_set *,
		    struct mc_err *);
	void (*plan)(const struct conf *, const struct deploy_set *,
		     struct buf *);
};

static const struct target targets[] = {
	{ "git", dp_git, dp_git_plan },
	{ "s3", dp_s3, dp_s3_plan },
	{ "command", dp_cmd, dp_cmd_plan },
};

static const struct target *find_target(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

/* 0 when t took s, within tries attempts; each failure logged once. */
static int send_with_retries(const struct conf *c, const struct target *t,
			     const struct deploy_set *s, long tries)
{
	struct mc_err err;
	long i;

	for (i = 0; i < tries; i++) {
		if (i > 0) {
			long pause = deploy_backoff(i, c->deploy_backoff,
						    c->deploy_backoff_max);

			log_warnx("deploy %s: attempt %ld of %ld failed: %s; "
				  "next in %ld s",
				  t->name, i, tries, err.msg, pause);
			if (pause > 0)
				sleep((unsigned)pause);
		}
		if (t->send(c, s, &err) == 0) {
			log_info("deploy %s: %zu files sent%s", t->name, s->n,
				 i > 0 ? " (after a retry)" : "");
			return 0;
		}
	}
	log_warnx("deploy %s: gave up after %ld attempts: %s (the %zu files "
		  "stay as written locally, and wait for the next deploy)",
		  t->name, tries, err.msg, s->n);
	return -1;
}

/* One target, its queue with it; tries 0: the configured ones. */
static int send_one(const struct conf *c, struct store *st,
		    const struct target *t, const struct deploy_set *s,
		    long tries)
{
	struct deploy_set all;
	struct mc_err err;
	int rc, q;

	if (tries == 0)
		tries = 1 + c->deploy_retries;
	if (st == NULL)
		return s->n ? send_with_retries(c, t, s, tries) : 0;
	q = dq_merge(st, c, t->name, s, &all, &err);
	if (q < 0) {
		/* the new files still go; the queue waits for the next */
		log_warnx("deploy %s: %s", t->name, err.msg);
		deploy_set_free(&all);
		return s->n ? send_with_retries(c, t, s, tries) : 0;
	}
	if (all.n == 0) {
		deploy_set_free(&all);
		return 0;
	}
	rc = send_with_retries(c, t, &all, tries);
	if ((rc == 0 ? dq_clear(st, t->name, &all, &err) :
		       dq_keep(st, t->name, &all, &err)) < 0)
		log_warnx("deploy %s: the queue of failed files: %s", t->name,
			  err.msg);
	deploy_set_free(&all);
	return rc;
}

static void plan_one(const struct conf *c, struct store *st,
		     const struct target *t, const struct deploy_set *s,
		     FILE *show)
{
	struct deploy_set all;
	struct mc_err err;
	struct buf plan;

	memset(&all, 0, sizeof(all));
	if (st && dq_merge(st, c, t->name, s, &all, &err) < 0)
		log_warnx("deploy %s: %s", t->name, err.msg);
	if ((st ? all.n : s->n) == 0) {
		deploy_set_free(&all);
		return;
	}
	buf_init(&plan);
	t->plan(c, st ? &all : s, &plan);
	if (show)
		fprintf(show, "%s", plan.s);
	else
		log_info("deploy %s (dry run):\n%s", t->name, plan.s);
	buf_free(&plan);
	deploy_set_free(&all);
}

static int run_targets(const struct conf *c, struct store *st,
		       const struct deploy_set *s, int dry_run, FILE *show,
		       long tries)
{
	size_t i;
	int failed = 0;

	dry_run = dry_run || c->deploy_dry_run;
	for (i = 0; i < c->deploy_targets.n; i++) {
		const struct target *t = find_target(c->deploy_targets.v[i]);

		if (t == NULL)
			continue; /* refused by conf_load() */
		if (dry_run)
			plan_one(c, st, t, s, show);
		else
			failed += send_one(c, st, t, s, tries) < 0;
	}
	return failed;
}

int deploy_run(const struct conf *c, struct store *st,
	       const struct deploy_set *s, int dry_run, FILE *show)
{
	if (s->n == 0 && st == NULL)
		return 0;
	return run_targets(c, st, s, dry_run, show, 0);
}

int deploy_retry(const struct conf *c, struct store *st, int force)
{
	struct deploy_set none;
	struct mc_err err;
	int due;

	if (c->deploy_targets.n == 0)
		return 0;
	due = force ? 1 : dq_due(st, c->deploy_backoff_max, &err);
	if (due < 0)
		log_warnx("deploy: %s", err.msg);
	if (due <= 0)
		return 0;
	memset(&none, 0, sizeof(none));
	return run_targets(c, st, &none, 0, NULL, force ? 0 : 1);
}
