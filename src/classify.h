/* classify.h: what kind of mail a parsed message is (comment, command,
 * auto-reply, bounce, report, list traffic, invalid) and why, following
 * the parse rules of mailcomments(1).  The first rule that applies gives
 * the kind; is_autoreply and is_bounce are set whatever the kind. */
#ifndef MC_CLASSIFY_H
#define MC_CLASSIFY_H

#include "conf.h"
#include "message.h"

/* Limits the parser found passed (reasons of kind invalid). */
enum {
	LIMIT_SIZE = 1 << 0,   /* "message too large" */
	LIMIT_LINE = 1 << 1,   /* "line too long" */
	LIMIT_HEADER = 1 << 2, /* "header too long" */
	LIMIT_DEPTH = 1 << 3,  /* "mime too deep" */
	LIMIT_PARTS = 1 << 4,  /* "too many mime parts" */
	LIMIT_FIELDS = 1 << 5, /* "too many header fields" */
	LIMIT_HEADER_SIZE = 1 << 6, /* "header too large" */
};

/* What the parser learnt that struct message does not hold. */
struct classify_facts {
	unsigned limits; /* LIMIT_* */
	int dsn;         /* a delivery failure notice (see mime_result) */
	int report;      /* MIME_REPORT_* of mime.h: a report, no failure */
	int null_from;   /* From: is the null address "<>" (bounces'),
			  * with or without a name */
	/* why the From address can be no author ("from address without a
	 * domain", "more than one from address", ...), NULL if it can: a
	 * comment or command from it is invalid instead */
	const char *from_problem;
};

/* The verdict: the kind, the two flags, and the reasons for the kind
 * (plus "empty return path" whenever the Return-Path is <>). */
struct classification {
	enum msg_kind kind;
	int is_autoreply;
	int is_bounce;
	struct strlist reasons; /* the caller frees (strlist_free) */
};

/* Reads the headers, addresses, subject, message-ids and body of m (c
 * tells the gateway's token addresses) and fills *out.  A pure function:
 * it changes nothing in m and calls nothing of message.c, so the parser
 * (which calls it) and the classifier do not depend on each other; the
 * parser copies the verdict into the message. */
void classify(const struct message *m, const struct conf *c,
	      const struct classify_facts *f, struct classification *out);

/* 1 if s starts with one of the vacation phrases of the spec, after any
 * "Re:", "AW:", "TR:" prefixes, ignoring case (ASCII and Latin-1). */
int classify_vacation_subject(const char *s);

#endif
