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
	const char *decided_by; /* who decided (our own export); NULL:
				 * "import" */
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

/* A sender's state as our own export has it (address: its key). */
struct import_sender {
	const char *address;
	int banned, trusted, confirmed, unsubscribed;
	int64_t approved_count, created_at, updated_at;
};

/* Merges (or, dry, counts) one sender's state into ours.  The rule: a
 * flag is only ever raised, never lowered (a ban, an unsubscribe, a
 * confirmation and trust stay whatever the file says; the file can add
 * them), approved_count is the larger of the two, created_at the
 * older.  Importing the same state again changes nothing. */
int import_sender(struct import *im, const struct import_sender *s,
		  struct mc_err *err);

/* One audit row of our own export.  comment_source: the source id of
 * the comment it is about (NULL: none). */
struct import_audit {
	const char *source_id;
	int64_t at;
	const char *actor, *action, *comment_source, *detail, *message_id;
	int undone;
};

/* Adds (or, dry, counts) one audit row as history: its comment mapped
 * to the imported one (a row about a comment not imported is passed
 * by), actor, time and words kept, and no previous status, so that no
 * one can undo it as if it were a decision taken here.  Rows already
 * imported (by their source id) are passed by. */
int import_audit(struct import *im, const struct import_audit *a,
		 struct mc_err *err);

/* How many senders' states and audit rows were applied (or, dry, would
 * be). */
long import_state_count(const struct import *im);

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
