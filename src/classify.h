/* classify.h: what kind of mail a parsed message is (comment, command,
 * auto-reply, bounce, list traffic, invalid) and why, following the
 * rules of PARSE-SPEC.md.  The first rule that applies gives the kind;
 * is_autoreply and is_bounce are set whatever the kind. */
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
	int dsn;         /* a delivery status notification part */
	/* why the From address can be no author ("from address without a
	 * domain", "more than one from address", ...), NULL if it can: a
	 * comment or command from it is invalid instead */
	const char *from_problem;
};

/* Sets m->kind, m->is_autoreply and m->is_bounce, and appends the reasons
 * for the kind to m->reasons (plus "empty return path" whenever the
 * Return-Path is <>).  Reads the headers, addresses, subject, message-ids
 * and body of m; c tells the gateway's token addresses. */
void classify(struct message *m, const struct conf *c,
	      const struct classify_facts *f);

/* 1 if s starts with one of the vacation phrases of the spec, after any
 * "Re:", "AW:", "TR:" prefixes, ignoring case (ASCII and Latin-1). */
int classify_vacation_subject(const char *s);

#endif
