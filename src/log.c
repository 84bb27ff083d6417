/* log.c: stderr or syslog, chosen once at start-up from the configuration.
 * Every line is one event; callers give the context (file, Message-ID). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
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

static void vlog(int prio, const char *suffix, const char *fmt, va_list ap)
{
	char line[4096];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_target == LOG_TO_SYSLOG) {
		syslog(prio, "%s%s%s", line, suffix ? ": " : "",
		       suffix ? suffix : "");
		return;
	}
	fprintf(stderr, "mailcomments: %s%s%s\n", line, suffix ? ": " : "",
		suffix ? suffix : "");
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
