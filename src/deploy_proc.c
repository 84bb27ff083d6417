/* deploy_proc.c: runs a target's program without a shell: its own
 * process group (killed whole at the timeout, so that what it started
 * goes too), a fixed environment, its output kept for the log. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deploy_int.h"
#include "banned.h"

#define OUT_MAX 65536

static long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's environment: only what a program needs to find itself and
 * the operator's credentials (HOME for ~/.ssh and ~/.gitconfig, the ssh
 * agent), in the C locale so that what it says can be logged; then the
 * target's own. */
static char **make_env(char *const *extra)
{
	static const char *const keep[] = { "PATH", "HOME", "SSH_AUTH_SOCK",
					    "TZ" };
	size_t n = 0, i, k = 0;
	char **env;

	while (extra && extra[n])
		n++;
	env = xcalloc(n + 8, sizeof(*env));
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);

		if (v)
			env[k++] = xasprintf("%s=%s", keep[i], v);
		else if (strcmp(keep[i], "PATH") == 0)
			env[k++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	}
	env[k++] = xstrdup("LC_ALL=C");
	for (i = 0; i < n; i++)
		env[k++] = xstrdup(extra[i]);
	env[k] = NULL;
	return env;
}

static void free_env(char **env)
{
	size_t i;

	for (i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

static void child(const struct dp_proc *p, char **env, int in, int out)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	if (in < 0)
		in = null;
	if (dup2(in, 0) < 0 || dup2(out >= 0 ? out : null, 1) < 0 ||
	    dup2(out >= 0 ? out : null, 2) < 0)
		_exit(126);
	if (p->dir && chdir(p->dir) < 0)
		_exit(126);
	closefrom(3);
	execvpe(p->argv[0], p->argv, env);
	_exit(127);
}

/* Kills the group: politely, then not. */
static void kill_group(pid_t pid)
{
	int st, i;

	kill(-pid, SIGTERM);
	for (i = 0; i < 20; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			kill(-pid, SIGKILL);
			return;
		}
		usleep(50000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static void take_output(int fd, struct buf *out)
{
	char tmp[4096];
	ssize_t r;

	while ((r = read(fd, tmp, sizeof(tmp))) > 0)
		if (out && out->len < OUT_MAX)
			buf_add(out, tmp, (size_t)r);
}

int dp_run(const struct dp_proc *p, int *status, struct mc_err *err)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, st = 0, done = 0;
	struct sigaction ign, old_pipe;
	int pipe_saved = 0;
	long deadline = ms_now() + p->timeout * 1000;
	size_t sent = 0;
	char **env;
	pid_t pid;

	*status = -1;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if ((p->input && pipe2(inp, O_CLOEXEC) < 0) ||
	    pipe2(outp, O_CLOEXEC) < 0) {
		err_set(err, "%s: pipe: %s", p->argv[0], strerror(errno));
		goto fail;
	}
	/* a program that exits without reading its input must not take
	 * us with it: EPIPE, not SIGPIPE, while we write (restored below) */
	sigaction(SIGPIPE, &ign, &old_pipe);
	pipe_saved = 1;
	env = make_env(p->env);
	pid = fork();
	if (pid == 0)
		child(p, env, inp[0], outp[1]);
	free_env(env);
	if (pid < 0) {
		err_set(err, "%s: fork: %s", p->argv[0], strerror(errno));
		goto fail;
	}
	setpgid(pid, pid); /* either of us may be first */
	close(outp[1]);
	outp[1] = -1;
	if (inp[0] >= 0) {
		close(inp[0]);
		inp[0] = -1;
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
	}
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	while (!done) {
		struct pollfd fds[2];
		nfds_t nf = 0;
		long left = deadline - ms_now();

		if (left <= 0) {
			kill_group(pid);
			err_set(err, "%s: still running after %ld s: its "
				     "process group was killed",
				p->argv[0], p->timeout);
			goto fail;
		}
		fds[nf].fd = outp[0];
		fds[nf++].events = POLLIN;
		if (inp[1] >= 0) {
			fds[nf].fd = inp[1];
			fds[nf++].events = POLLOUT;
		}
		(void)poll(fds, nf, left < 100 ? (int)left : 100);
		take_output(outp[0], p->out);
		if (inp[1] >= 0) {
			ssize_t w = write(inp[1], p->input + sent,
					  p->inlen - sent);

			if (w > 0)
				sent += (size_t)w;
			if (sent == p->inlen || (w < 0 && errno != EAGAIN)) {
				close(inp[1]);
				inp[1] = -1;
			}
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			done = 1;
	}
	/* what it said last; a child it left running is not waited for */
	take_output(outp[0], p->out);
	kill(-pid, SIGKILL);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	close(outp[0]);
	if (inp[1] >= 0)
		close(inp[1]);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return 0;
fail:
	if (pipe_saved)
		sigaction(SIGPIPE, &old_pipe, NULL);
	if (inp[0] >= 0)
		close(inp[0]);
	if (inp[1] >= 0)
		close(inp[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	return -1;
}

void dp_last_line(const struct buf *out, char line[256])
{
	size_t end = out->len, start, n, i;

	while (end > 0 && (out->s[end - 1] == '\n' || out->s[end - 1] == '\r' ||
			   out->s[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && out->s[start - 1] != '\n')
		start--;
	n = end - start;
	if (n > 200)
		n = 200;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)out->s[start + i];

		line[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	line[n] = '\0';
}
