/* log.h: one way to report what happened, to stderr in the foreground and
 * to syslog in the daemon.  log_warn() appends strerror(errno); log_warnx()
 * does not (the OpenSMTPD convention). */
#ifndef MC_LOG_H
#define MC_LOG_H

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

/* verbose: 0 warnings and info, 1 adds debug. */
void log_init(enum log_target target, int verbose);
void log_set_quiet(int quiet); /* drop info lines (tests, parse) */

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
