/* log.c: stderr or syslog, chosen once at start-up from the configuration.
 * Every line is one event; callers give the context (file, Message-ID).
 * What callers pass often comes from a mail (a Message-ID, a subject, a
 * server's reply): each line goes through term_clean(), so a CR, LF or
 * ESC in it can neither forge another line nor drive a terminal. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "term.h"
#include "util.h"
#include "banned.h"

static enum log_target log_target = LOG_TO_STDERR;
static int log_verbose;
static int log_quiet;

void log_init(enum log_target target, int verbose)
{
	if (log_target == LOG_TO_SYSLOG && target != LOG_TO_SYSLOG)
		closelog();
	log_target = target;
	log_verbose = verbose;
	if (target == LOG_TO_SYSLOG)
		openlog("mailcomments", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

__attribute__((format(printf, 3, 0)))
static void vlog(int prio, const char *suffix, const char *fmt, va_list ap)
{
	char line[4096];
	struct buf b;
	int r = vsnprintf(line, sizeof(line), fmt, ap);
	/* a longer line is cut (a code point cut in two shows as '?') */
	size_t n = r < 0 ? 0 : (size_t)r < sizeof(line) ? (size_t)r :
							  sizeof(line) - 1;

	buf_init(&b);
	term_clean(&b, line, n, 0);
	if (suffix) {
		buf_adds(&b, ": ");
		term_clean(&b, suffix, strlen(suffix), 0);
	}
	if (log_target == LOG_TO_SYSLOG)
		syslog(prio, "%s", b.s);
	else
		fprintf(stderr, "mailcomments: %s\n", b.s);
	buf_free(&b);
}

void log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, e, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose || log_quiet)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}
