/* import.h: comments from another system (Disqus, WordPress, Isso...) into
 * ours.  One reader per format turns its file into import_rec records; one
 * writer (here) maps each thread to an article, converts bodies with the
 * mail's HTML rules, keeps dates, threading and statuses, and remembers
 * each (format, source id) so that importing again adds only what is new. */
#ifndef MC_IMPORT_H
#define MC_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "store.h"
#include "util.h"

enum import_status {
	IMPORT_APPROVED,
	IMPORT_PENDING,
	IMPORT_SPAM,
	IMPORT_DELETED,
	IMPORT_REJECTED, /* by a moderator here (our own export) */
	IMPORT_NSTATUS
};

/* One comment as a reader found it.  Every string is borrowed for the
 * call to import_add(); NULL means absent. */
struct import_rec {
	const char *thread_url;   /* URL or path of the page it is about */
	const char *thread_title; /* may be NULL */
	const char *source_id;    /* the system's id of the comment */
	const char *parent_id;    /* of the comment it answers; NULL: none */
	const char *author_name;
	const char *author_address; /* NULL: anonymous */
	int64_t created_at;        /* Unix time; 0: unknown (now) */
	enum import_status status;
	const char *body;
	int body_is_html; /* 1: HTML, made text like an HTML mail's */
	int64_t decided_at; /* 0: created_at (our own export has it) */
	int by_moderator;   /* a moderator's answer (our own export) */
	int64_t want_id;    /* this comment number, when still free (our
			     * own export: the same numbers, the same
			     * pages); 0: the next one */
};

struct import;

/* Starts an import of format (its name, kept with every source id).
 * base: the URL the export's thread URLs start with (--site-url), NULL
 * for site.url.  dry: count only, never write.  create: record unknown
 * threads as manual articles.  The caller releases *im with
 * import_free(). */
int import_start(struct import **im, struct store *st, const struct conf *c,
		 const char *format, const char *base, int dry, int create,
		 struct mc_err *err);

/* Shows a count of the comments read on tty (stderr on a terminal)
 * every 1,000 comments and at the end; NULL: none. */
void import_progress(struct import *im, FILE *tty);

/* Records (or, dry, counts) one comment.  Comments already imported are
 * passed by.  Parents are resolved by import_finish(), so a reply may
 * come before the comment it answers. */
int import_add(struct import *im, const struct import_rec *r,
	       struct mc_err *err);

/* Links replies to their parents (a parent never seen: top level) and
 * marks the articles that got comments for a render. */
int import_finish(struct import *im, struct mc_err *err);

/* The report: articles matched and not, comments per status (new and
 * already there), authors, oldest and newest. */
void import_report(const struct import *im, FILE *out);

/* A one-line summary for the audit log. */
char *import_summary(const struct import *im);

/* How many comments were new (added, or to be added when dry). */
long import_new_count(const struct import *im);

void import_free(struct import *im);

/* Parses an ISO 8601 / RFC 3339 date ("2012-06-15T12:34:56Z",
 * "...+02:00") or "YYYY-MM-DD HH:MM:SS" (UTC); 0 when it is neither. */
int64_t import_parse_date(const char *s);

/* The readers: each reads path and feeds im; -1 with err filled on a
 * file they cannot read or parse (the caller then rolls back). */
int import_read_disqus(struct import *im, const char *path,
		       struct mc_err *err);
int import_read_wordpress(struct import *im, const char *path,
			  int pingbacks, struct mc_err *err);
int import_read_isso(struct import *im, const char *path,
		     struct mc_err *err);
int import_read_remark42(struct import *im, const char *path,
			 struct mc_err *err);
int import_read_commento(struct import *im, const char *path,
			 struct mc_err *err);
/* Our own export (export.h): its articles and comments, ids kept as
 * source ids, so that into an empty database the ids come out the same. */
int import_read_mailcomments(struct import *im, const char *path,
			     struct mc_err *err);

#endif
