/* classify.c: the kind of a message and its reasons.  Each rule of the
 * spec gathers its reasons first; the kind is then the first rule with
 * any, so the order of the rules is visible in classify() alone.  It only
 * reads the message: the parser copies the verdict in (see classify.h). */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "classify.h"
#include "fold.h"
#include "headers.h"
#include "mime.h"
#include "robotsubj.h"
#include "banned.h"

/* First header named name (any case), NULL if absent: read here from the
 * message's array, not through message.c (see classify.h). */
static const char *header(const struct message *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (ascii_casecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

int classify_vacation_subject(const char *s)
{
	return rs_vacation(s);
}

/* The first word of a header value, lowercased ("Bulk", "no (x)"). */
static char *first_word(const char *v)
{
	size_t n = 0;
	char *w;

	while (*v == ' ' || *v == '\t')
		v++;
	while (v[n] && v[n] != ' ' && v[n] != '\t' && v[n] != ';' &&
	       v[n] != '(')
		n++;
	w = xstrndup(v, n);
	ascii_lower(w);
	return w;
}

/* "mailcomments.P_TOKEN@...": a reply to one of our notifications. */
static int notification_id(const char *id)
{
	const char *at = strrchr(id, '@'), *t;
	size_t n;

	if (!str_casestartswith(id, "mailcomments."))
		return 0;
	t = id + 13;
	if (at == NULL)
		at = id + strlen(id);
	if (at < t + 2 || strchr(ADDR_TOKEN_PURPOSES, t[0]) == NULL || t[0] == '\0' ||
	    t[1] != '_')
		return 0;
	t += 2;
	n = (size_t)(at - t);
	if (n < 16 || n > TOKEN_MAX)
		return 0;
	for (; t < at; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
		      (*t >= '0' && *t <= '9')))
			return 0;
	return 1;
}

static void any_notification(void *ctx, const char *id)
{
	int *found = ctx;

	*found |= notification_id(id);
}

static int may_be_token(const struct conf *c, const char *addr);

/* 1 if m goes to an address where what it says does not matter: a
 * follow request, or the answer to a confirmation, a follow confirmation
 * or an unsubscribe token.  An empty mail there (a List-Unsubscribe
 * button, a reply with nothing but the quote) still counts. */
static int text_optional(const struct message *m, const struct conf *c)
{
	struct addr_target t;
	size_t i;

	for (i = 0; i < m->to.n; i++) {
		if (!may_be_token(c, m->to.v[i]))
			continue;
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_FOLLOW ||
		    (t.kind == ADDR_TOKEN && strchr("cuf", t.purpose)))
			return 1;
	}
	return 0;
}

static void invalid_reasons(const struct message *m, const struct conf *c,
			    const struct classify_facts *f,
			    struct strlist *r)
{
	if (f->limits & LIMIT_SIZE)
		strlist_add(r, "message too large");
	if (f->limits & LIMIT_LINE)
		strlist_add(r, "line too long");
	if (f->limits & LIMIT_HEADER)
		strlist_add(r, "header too long");
	if (f->limits & LIMIT_DEPTH)
		strlist_add(r, "mime too deep");
	if (f->limits & LIMIT_PARTS)
		strlist_add(r, "too many mime parts");
	if (f->limits & LIMIT_FIELDS)
		strlist_add(r, "too many header fields");
	if (f->limits & LIMIT_HEADER_SIZE)
		strlist_add(r, "header too large");
	if (m->from_address == NULL || *m->from_address == '\0')
		strlist_add(r, "no from address");
	if ((m->body == NULL || *m->body == '\0') && !text_optional(m, c))
		strlist_add(r, "no usable text");
}

static void autoreply_reasons(const struct message *m, struct strlist *r)
{
	const char *v = header(m, "Auto-Submitted");
	char *w;

	if (v) {
		w = first_word(v);
		if (strcmp(w, "no") != 0)
			strlist_add(r, "auto-submitted header");
		free(w);
	}
	if (header(m, "X-Autoreply") || header(m, "X-Autorespond") ||
	    header(m, "X-Vacation"))
		strlist_add(r, "x-autoreply header");
	if ((v = header(m, "Precedence")) != NULL) {
		w = first_word(v);
		if (strcmp(w, "bulk") == 0)
			strlist_add(r, "precedence bulk");
		else if (strcmp(w, "junk") == 0)
			strlist_add(r, "precedence junk");
		free(w);
	}
	if (m->subject && classify_vacation_subject(m->subject))
		strlist_add(r, "vacation subject");
}

/* 1 if the local part (lowercase) is a mail system's own: the sender of
 * bounces (RFC 5321 4.5.5 says "<>", servers write these). */
static int daemon_local(const char *local)
{
	static const char *const names[] = {
		"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon",
		"postmaster", "post_master", "post-master", NULL,
	};
	const char *const *p;

	for (p = names; *p; p++)
		if (strcmp(local, *p) == 0)
			return 1;
	return 0;
}

/* 1 if a null From's name is a mail system's ("MAILER-DAEMON <>", "Mail
 * Delivery System <>", "postmaster <>"). */
static int daemon_name(const char *name)
{
	static const char *const names[] = {
		"mailer-daemon", "mailer daemon", "mail delivery system",
		"mail delivery subsystem", "mail delivery service",
		"postmaster", "post master", "mail administrator",
		"mail system", NULL,
	};
	const char *const *p;

	for (p = names; *p; p++)
		if (ascii_casecmp(name, *p) == 0)
			return 1;
	return 0;
}

static void bounce_reasons(const struct message *m,
			   const struct classify_facts *f, struct strlist *r)
{
	char *local = addr_local_part(m->from_address ? m->from_address : "");

	if (f->dsn)
		strlist_add(r, "delivery status notification");
	if (daemon_local(local) ||
	    (f->null_from && m->from_name && daemon_name(m->from_name)))
		strlist_add(r, "mailer-daemon sender");
	free(local);
	if (m->subject && rs_bounce(m->subject))
		strlist_add(r, "bounce subject");
}

/* Reports that tell of no failure: set aside, never answered, whoever
 * sent them. */
static void report_reasons(const struct classify_facts *f,
			   struct strlist *r)
{
	if (f->report == MIME_REPORT_FEEDBACK)
		strlist_add(r, "feedback report");
	else if (f->report == MIME_REPORT_DELIVERED)
		strlist_add(r, "delivery success notice");
	else if (f->report == MIME_REPORT_DISPOSITION)
		strlist_add(r, "read receipt");
}

/* A null From ("MAILER-DAEMON <>") is what a bounce or a report is sent
 * with: on one of them it is no reason for "invalid".  On any other
 * mail it still is. */
static void null_from_ok(struct strlist *invalid)
{
	struct strlist keep = { 0 };
	size_t i;

	for (i = 0; i < invalid->n; i++)
		if (strcmp(invalid->v[i], "no from address") != 0)
			strlist_add(&keep, invalid->v[i]);
	strlist_free(invalid);
	*invalid = keep;
}

/* 0 when addr cannot be a token address because its extension (after
 * "comments+") is shorter than "P_": addr_classify() reads past the end
 * of such an extension (found by the fuzzer; address.c is not ours to
 * change, so it is not asked). */
static int may_be_token(const struct conf *c, const char *addr)
{
	const char *at = strrchr(addr, '@');
	const char *mat = strrchr(c->address_mailbox, '@');
	size_t local = at ? (size_t)(at - addr) : strlen(addr);
	size_t mlocal = mat ? (size_t)(mat - c->address_mailbox) :
			      strlen(c->address_mailbox);

	return local <= mlocal || local - mlocal - 1 >= 2;
}

/* 1 if m is addressed to an unsubscribe token (comments+u_TOKEN@). */
static int to_unsubscribe(const struct message *m, const struct conf *c)
{
	struct addr_target t;
	size_t i;

	for (i = 0; i < m->to.n; i++) {
		if (!may_be_token(c, m->to.v[i]))
			continue;
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_TOKEN && t.purpose == 'u')
			return 1;
	}
	return 0;
}

static void command_reasons(const struct message *m, const struct conf *c,
			    struct strlist *r)
{
	struct addr_target t;
	const char *v;
	size_t i;
	int found = 0;

	for (i = 0; i < m->to.n; i++) {
		if (!may_be_token(c, m->to.v[i]))
			continue;
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_TOKEN) {
			strlist_add(r, "token address");
			break;
		}
	}
	if ((v = header(m, "In-Reply-To")) != NULL)
		hdr_parse_msgids(v, any_notification, &found);
	for (i = 0; i < m->references.n; i++)
		found |= notification_id(m->references.v[i]);
	if (found)
		strlist_add(r, "reply to notification");
}

static void take(struct strlist *to, const struct strlist *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (!strlist_has(to, from->v[i]))
			strlist_add(to, from->v[i]);
}

void classify(const struct message *m, const struct conf *c,
	      const struct classify_facts *f, struct classification *out)
{
	struct strlist invalid = { 0 }, bounce = { 0 }, autoreply = { 0 },
		       list = { 0 }, command = { 0 }, report = { 0 };
	int empty_rp = m->return_path && *m->return_path == '\0';
	struct strlist *r = &out->reasons;
	const char *v;

	memset(out, 0, sizeof(*out));
	invalid_reasons(m, c, f, &invalid);

	report_reasons(f, &report);
	bounce_reasons(m, f, &bounce);
	if (f->null_from && (report.n > 0 || bounce.n > 0))
		null_from_ok(&invalid);

	autoreply_reasons(m, &autoreply);

	if (header(m, "List-Id") || header(m, "List-Post"))
		strlist_add(&list, "list-id header");
	if ((v = header(m, "Precedence")) != NULL) {
		char *w = first_word(v);

		if (strcmp(w, "list") == 0)
			strlist_add(&list, "precedence list");
		free(w);
	}

	command_reasons(m, c, &command);
	/* The List-Unsubscribe mailto: (RFC 2369) is often sent with no
	 * text at all: to an unsubscribe address, that is the request. */
	if (invalid.n == 1 && strcmp(invalid.v[0], "no usable text") == 0 &&
	    to_unsubscribe(m, c)) {
		strlist_free(&invalid);
		memset(&invalid, 0, sizeof(invalid));
	}

	/* Vacation responders send with an empty return path too: on its
	 * own it makes a bounce only when no auto-reply reason applies. */
	out->is_autoreply = autoreply.n > 0;
	/* a report tells of no failure: never a bounce, even from the
	 * mailer-daemon with an empty return path */
	out->is_bounce = report.n == 0 &&
			 (bounce.n > 0 || (empty_rp && !out->is_autoreply));

	if (invalid.n > 0) {
		out->kind = MSG_INVALID;
		take(r, &invalid);
	} else if (report.n > 0) {
		out->kind = MSG_REPORT;
		take(r, &report);
	} else if (out->is_bounce) {
		out->kind = MSG_BOUNCE;
		take(r, &bounce);
	} else if (out->is_autoreply) {
		out->kind = MSG_AUTOREPLY;
		take(r, &autoreply);
	} else if (list.n > 0) {
		out->kind = MSG_LIST;
		take(r, &list);
	} else if (f->from_problem) {
		/* A comment or a command whose author cannot be told: never
		 * stored, never answered.  Bounces and auto-replies, set
		 * aside anyway, keep their kind. */
		out->kind = MSG_INVALID;
		strlist_add(r, f->from_problem);
	} else if (command.n > 0) {
		out->kind = MSG_COMMAND;
		take(r, &command);
	} else {
		out->kind = MSG_COMMENT;
	}
	if (empty_rp && !strlist_has(r, "empty return path"))
		strlist_add(r, "empty return path");
	strlist_free(&invalid);
	strlist_free(&bounce);
	strlist_free(&autoreply);
	strlist_free(&list);
	strlist_free(&command);
	strlist_free(&report);
}
