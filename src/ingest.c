/* ingest.c: from a parsed message to its effect.  Every path ends in one
 * outcome recorded with the message's key, so processing the same message
 * twice (after a crash, or a replay) changes nothing the second time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "articles.h"
#include "command.h"
#include "comment.h"
#include "console.h"
#include "follow.h"
#include "html.h"
#include "ingest.h"
#include "log.h"
#include "moderate.h"
#include "notify.h"
#include "notify_int.h"
#include "reader.h"
#include "throttle.h"
#include "token.h"
#include "trust.h"
#include "utf8.h"
#include "banned.h"
#include "catalog.h"

void ingest_outcome(struct ingest_result *res, enum src_dest dest,
		    const char *fmt, ...)
{
	va_list ap;

	res->dest = dest;
	va_start(ap, fmt);
	vsnprintf(res->outcome, sizeof(res->outcome), fmt, ap);
	va_end(ap);
}

/* ---- comments ------------------------------------------------------ */

/* What the recipients (or the subject, or the thread) say the mail is
 * about. */
static int find_target(const struct conf *c, const struct message *m,
		       struct addr_target *t)
{
	size_t i;

	for (i = 0; i < m->to.n; i++) {
		addr_classify(c, m->to.v[i], t);
		if (t->kind == ADDR_ARTICLE || t->kind == ADDR_REPLY)
			return 1;
	}
	if (addr_subject_tag(m->subject, t))
		return 1;
	return 0;
}

/* A reply whose plus-address was lost: the notices about comment N carry
 * Message-IDs "mailcomments.nN.RANDOM@domain" (notify.c). */
static int64_t parent_from_thread(const struct conf *c, const struct message *m)
{
	const char *ids[64];
	size_t n = 0, i;

	if (m->in_reply_to[0])
		ids[n++] = m->in_reply_to;
	for (i = 0; i < m->references.n && n < 64; i++)
		ids[n++] = m->references.v[i];
	for (i = 0; i < n; i++) {
		const char *at = strrchr(ids[i], '@');
		char *end;
		long long v;

		if (!str_startswith(ids[i], "mailcomments.n") || at == NULL ||
		    ascii_casecmp(at + 1, addr_domain(c)) != 0)
			continue;
		v = strtoll(ids[i] + 14, &end, 10);
		if (v > 0 && *end == '.')
			return v;
	}
	return 0;
}

/* The name the comment is published under (html_public_name(), the
 * rule every output applies again): the display name, or "" when there
 * is none worth publishing (no name, an address, the local part).  Never
 * the local part: the outputs then say "Anonymous" in the site's
 * language. */
static char *author_name(const struct message *m)
{
	struct buf b;

	buf_init(&b);
	html_public_name(&b, m->from_name, m->from_address, "");
	return buf_detach(&b);
}

static char *headers_summary(const struct message *m)
{
	static const char *const names[] = { "From", "To", "Cc", "Subject",
					     "Date", "Message-ID",
					     "In-Reply-To", "User-Agent",
					     "X-Mailer" };
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = msg_header(m, names[i]);

		/* One line per field, whatever the value holds: `show`
		 * prints this block as it is. */
		if (v) {
			size_t n = strlen(v), start = b.len;

			buf_addf(&b, "%s: ", names[i]);
			buf_add(&b, v, n < 300 ? n : 300);
			for (; start < b.len; start++)
				if (b.s[start] == '\n' || b.s[start] == '\r')
					b.s[start] = ' ';
			buf_addc(&b, '\n');
		}
	}
	return buf_detach(&b);
}

/* Pending, approved or unconfirmed, as the moderation mode and the
 * sender's history say. */
static int initial_status(struct store *st, const struct conf *c,
			  const char *key, const struct sender *s,
			  const char **status, struct mc_err *err)
{
	int approved = 0;

	if (comment_count_status(st, key, "approved", &approved, err) < 0)
		return -1;
	if (c->confirm_new_senders && !s->confirmed && !s->trusted &&
	    approved == 0) {
		*status = "unconfirmed";
		return 0;
	}
	if (s->trusted || strcmp(c->moderation_mode, "none") == 0 ||
	    (strcmp(c->moderation_mode, "first") == 0 && approved > 0) ||
	    (c->auto_approve_after > 0 && approved >= c->auto_approve_after))
		*status = "approved";
	else
		*status = "pending";
	return 0;
}

/* Sends a pending comment to the moderators, or leaves it for the
 * digest: the regular one, or the flood digest (*held 1, or 2 when this
 * comment started flood mode). */
static int send_for_moderation(struct store *st, const struct conf *c,
			       int64_t id, int *held, struct mc_err *err)
{
	*held = 0;
	if (c->digest_minutes > 0)
		return 0;
	if (throttle_hold(st, c, held, err) < 0)
		return -1;
	if (*held)
		return 0;
	return notify_pending(st, c, id, err);
}

static int after_store(struct store *st, const struct conf *c, int64_t id,
		       const char *status, const struct comment *cm,
		       const struct article *a, int *held, struct mc_err *err)
{
	struct audit au = { "gateway", "auto-approve", id, "", cm->message_id,
			    "pending" };
	struct sender s;

	*held = 0;
	if (strcmp(status, "pending") == 0)
		return send_for_moderation(st, c, id, held, err);
	if (strcmp(status, "approved") == 0)
		return store_audit(st, &au, err) < 0 ?
			       -1 :
			       moderate_published(st, c, id, 0, err);
	/* unconfirmed: at most one confirmation mail per mailbox a day,
	 * however its address is spelt (victim+1@, "victim"@, VICTIM@...).
	 * The From of a first-time sender may be forged, and a flood of
	 * comments must not become a flood of mail to that mailbox; the
	 * earlier confirmation releases every waiting comment anyway. */
	if (sender_get(st, cm->author_key, &s, err) < 0)
		return -1;
	if (s.confirm_sent_at > now() - 86400)
		return 0;
	return notify_confirm_request(st, c, cm, a, err);
}

/* What the trusted server said of the sender, kept with the comment for
 * the moderators (a digest may come hours later, the mail is gone). */
static char *auth_verdict(const struct conf *c, const struct message *m)
{
	const char *at = strrchr(m->from_address, '@');
	struct trust_auth ta;

	trust_auth(c, m, at ? at + 1 : NULL, &ta);
	return trust_auth_format(&ta);
}

/* Stores m as a comment.  reply_to: the comment it answers, when a
 * token said so (a reply to a notice about that comment); 0: its
 * recipients, subject or thread say. */
static int handle_comment(struct store *st, const struct conf *c,
			  const struct message *m, const char *source,
			  int64_t reply_to, struct ingest_result *res,
			  struct mc_err *err)
{
	struct addr_target t;
	struct article a;
	struct comment cm = { 0 }, parent;
	struct sender s;
	const char *status;
	int64_t since = now() - 3600, id;
	char *key = NULL;
	int n, found, rc = -1, over, held = 0;
	double score = 0;
	int has_score;
	char why[120];

	memset(&t, 0, sizeof(t));
	if (reply_to > 0 || !find_target(c, m, &t)) {
		int64_t p = reply_to > 0 ? reply_to : parent_from_thread(c, m);

		/* the bare address, no article, no thread: the console */
		if (p == 0 && console_addressed(c, m))
			return console_handle(st, c, m, res, err);
		if (p == 0 || (found = comment_get(st, p, &parent, err)) == 0) {
			ingest_outcome(res, SRC_SET_ASIDE, "set aside: no article");
			return 0;
		}
		if (found < 0)
			return -1;
		found = article_get(st, parent.article_id, &a, err);
		comment_free(&parent);
		if (found <= 0)
			return found < 0 ? -1 : 0;
		t.kind = ADDR_REPLY;
		t.parent = p;
		snprintf(t.slug, sizeof(t.slug), "%s", a.slug);
		article_free(&a);
	}
	snprintf(res->article, sizeof(res->article), "%s", t.slug);
	found = article_find(st, t.slug, &a, err);
	if (found < 0)
		return -1;
	if (found == 0) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: unknown article");
		return 0;
	}
	/* Closed: new comments and replies alike (reader tokens route
	 * here too); what is pending already can still be moderated. */
	if (article_is_closed(c, &a)) {
		rc = console_closed(st, c, m, &a, res, err);
		goto out;
	}
	if (t.kind == ADDR_REPLY) {
		found = comment_get(st, t.parent, &parent, err);
		if (found < 0)
			goto out;
		if (found == 0 || parent.article_id != a.id ||
		    strcmp(parent.status, "approved") != 0) {
			if (found)
				comment_free(&parent);
			ingest_outcome(res, SRC_SET_ASIDE,
				"set aside: no published comment #%lld here",
				(long long)t.parent);
			rc = 0;
			goto out;
		}
		comment_free(&parent);
	}
	key = addr_key(c, m->from_address);
	if (sender_get(st, key, &s, err) < 0)
		goto out;
	if (s.banned) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: banned sender");
		rc = 0;
		goto out;
	}
	if (comment_count_recent(st, key, since, c->limit_comments_per_hour,
				 &n, err) < 0)
		goto out;
	if (n >= c->limit_comments_per_hour) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: over %ld comments an hour",
			c->limit_comments_per_hour);
		res->retry = 1;
		rc = 0;
		goto out;
	}
	if (comment_count_status(st, key, "pending", &n, err) < 0)
		goto out;
	if (n >= c->limit_pending_per_sender) {
		ingest_outcome(res, SRC_SET_ASIDE,
			"set aside: %d comments of this sender are pending", n);
		res->retry = 1;
		rc = 0;
		goto out;
	}
	if ((long)utf8_length(m->body) > c->limit_comment_length) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: longer than %ld characters",
			c->limit_comment_length);
		rc = 0;
		goto out;
	}
	/* Last of the checks: a comment set aside here is not refused for
	 * what it is, and the operator may import it again later. */
	if (throttle_site_check(st, c, &over, why, sizeof(why), err) < 0)
		goto out;
	if (over) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: %s", why);
		res->retry = 1;
		rc = 0;
		goto out;
	}
	has_score = trust_spam_score(c, m, &score);
	if (initial_status(st, c, key, &s, &status, err) < 0)
		goto out;
	if (has_score && score >= c->spam_threshold)
		status = "spam";
	cm.article_id = a.id;
	cm.parent_id = t.kind == ADDR_REPLY ? t.parent : 0;
	cm.author_name = author_name(m);
	cm.author_address = (char *)m->from_address;
	cm.author_key = key;
	cm.body = xstrdup(m->body);
	cm.status = (char *)status;
	cm.message_id = m->message_id[0] ? m->message_id : NULL;
	cm.subject = xstrdup(m->subject);
	cm.headers = headers_summary(m);
	/* A live token has no business at rest: a moderator who forwards a
	 * notification, or a reader who quotes a notice's header, would
	 * otherwise store it here. */
	if (token_scrub(st, cm.body, strlen(cm.body), NULL, err) < 0 ||
	    token_scrub(st, cm.subject, strlen(cm.subject), NULL, err) < 0 ||
	    token_scrub(st, cm.headers, strlen(cm.headers), NULL, err) < 0) {
		free(cm.author_name);
		free(cm.body);
		free(cm.subject);
		free(cm.headers);
		goto out;
	}
	cm.source = (char *)source;
	cm.auth = auth_verdict(c, m);
	cm.has_spam_score = has_score;
	cm.spam_score = score;
	if (strcmp(status, "spam") == 0)
		cm.decided_by = "gateway";
	rc = comment_insert(st, &cm, &id, err);
	cm.id = id;
	if (rc == 0 && strcmp(status, "spam") != 0)
		rc = after_store(st, c, id, status, &cm, &a, &held, err);
	free(cm.author_name);
	free(cm.body);
	free(cm.subject);
	free(cm.headers);
	free(cm.auth);
	if (rc < 0)
		goto out;
	res->comment_id = id;
	res->counted_as = INGEST_AS_COMMENT;
	if (strcmp(status, "spam") == 0)
		ingest_outcome(res, SRC_JUNK, "spam (score %.1f), stored as #%lld",
			score, (long long)id);
	else
		ingest_outcome(res, SRC_PROCESSED, "stored as #%lld, %s%s",
			(long long)id, status,
			held == 2 ? ", flood mode started: held for a digest" :
			held == 1 ? ", held for the flood digest" : "");
out:
	free(key);
	article_free(&a);
	return rc;
}

/* ---- commands ------------------------------------------------------ */

/* The token the mail answers: its recipients first, then its thread. */
static int find_token(const struct conf *c, const struct message *m,
		      char *purpose, char token[TOKEN_MAX + 1])
{
	struct addr_target t;
	const char *ids[64];
	size_t i, n = 0;

	for (i = 0; i < m->to.n; i++) {
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_TOKEN) {
			*purpose = t.purpose;
			memcpy(token, t.token, TOKEN_MAX + 1);
			return 1;
		}
	}
	if (m->in_reply_to[0])
		ids[n++] = m->in_reply_to;
	for (i = 0; i < m->references.n && n < 64; i++)
		ids[n++] = m->references.v[i];
	for (i = 0; i < n; i++) {
		const char *id = ids[i], *at = strrchr(id, '@');

		if (!str_startswith(id, "mailcomments.") || at == NULL ||
		    ascii_casecmp(at + 1, addr_domain(c)) != 0)
			continue;
		if (at > id + 15 && id[13] && strchr(ADDR_TOKEN_PURPOSES, id[13]) &&
		    id[14] == '_') {
			size_t tl = (size_t)(at - id - 15), k;

			for (k = 0; k < tl; k++)
				if (!((id[15 + k] >= 'a' && id[15 + k] <= 'z') ||
				      (id[15 + k] >= 'A' && id[15 + k] <= 'Z') ||
				      (id[15 + k] >= '0' && id[15 + k] <= '9')))
					break;
			if (k == tl && tl >= 16 && tl <= TOKEN_MAX) {
				*purpose = id[13];
				memcpy(token, id + 15, tl);
				token[tl] = '\0';
				return 1;
			}
		}
	}
	return 0;
}

/* A refused command changes nothing but the audit log, which keeps who
 * tried what and why it was refused. */
static int refuse(struct store *st, const struct message *m,
		  struct ingest_result *res, const char *why,
		  struct mc_err *err)
{
	struct audit au = { m->from_address[0] ? m->from_address : "unknown",
			    "refused", 0, why,
			    m->message_id[0] ? m->message_id : NULL, NULL };

	ingest_outcome(res, SRC_SET_ASIDE, "refused: %s", why);
	return store_audit(st, &au, err);
}

static int in_digest(struct store *st, int64_t token_id, int64_t comment_id,
		     struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT 1 FROM digest_items WHERE token_id = ? AND comment_id = ?",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, token_id);
	sqlite3_bind_int64(stmt, 2, comment_id);
	return store_step_exists(st, stmt, err);
}

static int answer(struct store *st, const struct conf *c,
		  const struct message *m, enum answer kind, const char *text,
		  const int64_t *about, size_t nabout, struct mc_err *err)
{
	return notify_answer(st, c, m->from_address, m->message_id, m->subject,
			     kind, text, about, nabout, err);
}

/* What the answers to a moderator's commands say, in their language
 * (notify_moderator_lang(); the help text itself is notify.c's). */
struct cmd_texts {
	const char *not_in_digest;  /* id */
	const char *other_comment;  /* ids, id, ids, ids, console address */
	const char *ignored;        /* ids, id */
};

static void cmd_texts_of(const struct catalog_lang *l, struct cmd_texts *t)
{
	/* TRANSLATORS: a comment number a moderator named in answer to a
	 * digest that does not list it. */
	t->not_in_digest = _(l, "Comment #%lld is not in this digest.\n");
	/* TRANSLATORS: the numbers named ("#8, #9"), the notification's
	 * comment number, the numbers again, the first number alone, the
	 * gateway's address.  "show" is the console's word: give the one
	 * of your language that command.c reads (src/cmdwords.c), or keep
	 * "show". */
	t->other_comment = _(l,
		"Nothing was done: your reply names %s, but this mail is about "
		"comment #%lld only.\n"
		"To act on %s, reply to its own notification or to a digest that "
		"lists it, or write \"show %s\" to %s for a mail you can answer.\n");
	/* TRANSLATORS: the numbers named, the notification's comment
	 * number. */
	t->ignored = _(l, "Ignored: %s (this mail is about comment #%lld only).\n");
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The numbers a single notification's command names besides its own
 * comment, as "#8, #9" (and the first one alone in *first): "approve 8"
 * answered to comment 7's notification.  Returns how many. */
static size_t other_ids(const struct command *cmd, int64_t own, struct buf *list,
			int64_t *first)
{
	size_t i, n = 0;

	for (i = 0; i < cmd->nids; i++) {
		if (cmd->ids[i] == own)
			continue;
		if (n++ == 0)
			*first = cmd->ids[i];
		buf_addf(list, "%s#%lld", n > 1 ? ", " : "",
			 (long long)cmd->ids[i]);
	}
	return n;
}

/* A reply that gave no command: the explanation and the help, and
 * nothing else happens.  about: the comment of the notification it
 * answered (its help is answerable about it), 0 for a digest. */
static int not_understood(struct store *st, const struct conf *c,
			  const struct message *m, int64_t about,
			  const struct command_report *r,
			  struct ingest_result *res, struct mc_err *err)
{
	struct buf en, text;
	int rc;

	buf_init(&en);
	buf_init(&text);
	command_explain(r, NULL, &en);
	command_explain(r,
			catalog_lang(conf_catalog(c),
				     notify_moderator_lang(c, m->from_address)),
			&text);
	ingest_outcome(res, SRC_PROCESSED, "help sent: %s", en.s);
	/* the quoted line is the moderator's; a token pasted there has no
	 * business in the record */
	rc = token_scrub(st, res->outcome, strlen(res->outcome), NULL, err);
	if (rc == 0)
		rc = answer(st, c, m, about ? ANSWER_HELP : ANSWER_HELP_DIGEST,
			    text.s, about ? &about : NULL, about ? 1 : 0, err);
	buf_free(&en);
	buf_free(&text);
	return rc;
}

static int apply_commands(struct store *st, const struct conf *c,
			  const struct message *m, const struct token_row *tok,
			  struct ingest_result *res, struct mc_err *err)
{
	struct cmd_texts ctt, *ct = &ctt;
	struct command cmds[32];
	struct command_report report;
	struct actor who = { m->from_address, m->from_name,
			     m->message_id[0] ? m->message_id : NULL };
	int digest = tok->purpose == TOKEN_DIGEST, n, i, applied = 0,
	    conflicts = 0;
	struct buf text;
	int64_t *about = NULL; /* the comments the answer names */
	size_t k, nabout = 0;

	cmd_texts_of(catalog_lang(conf_catalog(c),
				  notify_moderator_lang(c, m->from_address)),
		     ct);
	n = command_parse_full(m->body, digest ? CMD_DIGEST : CMD_NOTIFICATION,
			       cmds, 32, &report);
	if (n <= 0)
		return not_understood(st, c, m, digest ? 0 : tok->comment_id,
				      &report, res, err);
	buf_init(&text);
	if (!digest && cmds[0].nids > 0) {
		/* A notification speaks for its own comment only: numbers
		 * that name another are never acted on, and said so. */
		struct buf list;
		int64_t other = 0;
		size_t nother;

		buf_init(&list);
		nother = other_ids(&cmds[0], tok->comment_id, &list, &other);
		if (nother == cmds[0].nids) {
			char first[32];

			snprintf(first, sizeof(first), "%lld", (long long)other);
			buf_addf(&text, ct->other_comment, list.s,
				 (long long)tok->comment_id, list.s, first,
				 c->address_mailbox);
			ingest_outcome(res, SRC_PROCESSED,
				"nothing done: %s named with #%lld's token",
				list.s, (long long)tok->comment_id);
			res->comment_id = tok->comment_id;
			buf_free(&list);
			command_free(&cmds[0]);
			i = answer(st, c, m, ANSWER_DONE, text.s, NULL, 0, err);
			buf_free(&text);
			return i;
		}
		if (nother > 0)
			buf_addf(&text, ct->ignored, list.s,
				 (long long)tok->comment_id);
		buf_free(&list);
	}
	for (i = 0; i < n; i++) {
		int64_t single = tok->comment_id;
		size_t nids = digest ? cmds[i].nids : 1;

		if (digest && cmds[i].verb != VERB_BAN &&
		    cmds[i].verb != VERB_UNBAN && cmds[i].nids == 0)
			nids = 0;
		if (digest && (cmds[i].verb == VERB_BAN ||
			       cmds[i].verb == VERB_UNBAN) &&
		    cmds[i].nids == 0) {
			struct mod_result r;

			if (cmds[i].arg == NULL ||
			    moderate_ban(st, c, &who, cmds[i].arg,
					 cmds[i].verb == VERB_BAN, &r, err) < 0) {
				if (cmds[i].arg != NULL)
					goto fail;
				continue;
			}
			buf_addf(&text, "%s\n", r.text);
			applied += r.outcome == MOD_APPLIED;
			continue;
		}
		for (k = 0; k < nids; k++) {
			int64_t id = digest ? cmds[i].ids[k] : single;
			struct mod_result r;
			int in;

			if (digest) {
				in = in_digest(st, tok->id, id, err);
				if (in < 0)
					goto fail;
				if (!in) {
					buf_addf(&text, ct->not_in_digest,
						 (long long)id);
					continue;
				}
			}
			if (moderate(st, c, &who, cmds[i].verb, id,
				     cmds[i].arg, cmds[i].text, &r, err) < 0)
				goto fail;
			about = xrealloc(about, (nabout + 1) * sizeof(*about));
			about[nabout++] = id;
			buf_addf(&text, "%s\n", r.text);
			applied += r.outcome == MOD_APPLIED;
			conflicts += r.outcome == MOD_CONFLICT ||
				     r.outcome == MOD_ALREADY;
		}
	}
	for (i = 0; i < n; i++)
		command_free(&cmds[i]);
	ingest_outcome(res, SRC_PROCESSED, "%d decision%s applied%s", applied,
		applied == 1 ? "" : "s", conflicts ? ", conflicts answered" : "");
	res->comment_id = digest ? 0 : tok->comment_id;
	i = answer(st, c, m,
		   applied == 0 && conflicts > 0 ? ANSWER_CONFLICT : ANSWER_DONE,
		   text.s, about, nabout, err);
	buf_free(&text);
	free(about);
	return i;
fail:
	for (i = 0; i < n; i++)
		command_free(&cmds[i]);
	buf_free(&text);
	free(about);
	return -1;
}

#pragma GCC diagnostic pop

/* The language of the answers to a reader about comment id: its
 * article's (notify_lang_about()), the site's when the comment or its
 * article is gone (id 0: none).  -1 on a database error. */
static int lang_about(struct store *st, const struct conf *c, int64_t id,
		      char lang[LANG_TAG_MAX], struct mc_err *err)
{
	struct comment cm;
	struct article a;
	int rc = 0;

	snprintf(lang, LANG_TAG_MAX, "%s", c->site_language);
	if (id <= 0)
		return 0;
	rc = comment_get(st, id, &cm, err);
	if (rc <= 0)
		return rc;
	rc = article_get(st, cm.article_id, &a, err);
	if (rc == 1) {
		notify_lang_about(c, &a, lang);
		article_free(&a);
	}
	comment_free(&cm);
	return rc < 0 ? -1 : 0;
}

/* A first-time sender answered the confirmation request. */
static int confirm_sender(struct store *st, const struct conf *c,
			  const struct message *m, const struct token_row *tok,
			  struct ingest_result *res, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	int64_t ids[256];
	size_t n = 0, i;
	char *key, *from, lang[LANG_TAG_MAX];
	int same;

	if (tok->address == NULL)
		return refuse(st, m, res, "confirmation from another address",
			      err);
	key = addr_key(c, tok->address);
	from = addr_key(c, m->from_address);
	same = strcmp(key, from) == 0;
	free(from);
	/* the mailbox the request went to, in any spelling, confirms; every
	 * comment waiting under that mailbox is released */
	if (!same) {
		free(key);
		return refuse(st, m, res, "confirmation from another address",
			      err);
	}
	if (sender_set(st, key, "confirmed", 1, err) < 0 ||
	    (stmt = store_stmt(st,
			       "SELECT id FROM comments WHERE author_key = ?"
			       " AND status = 'unconfirmed'",
			       err)) == NULL) {
		free(key);
		return -1;
	}
	store_bind_text(stmt, 1, key);
	while (n < 256 && sqlite3_step(stmt) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	for (i = 0; i < n; i++) {
		struct sender s;
		const char *status;
		struct comment cm;
		struct article a;
		int rc, held;

		if (sender_get(st, key, &s, err) < 0 ||
		    initial_status(st, c, key, &s, &status, err) < 0 ||
		    comment_set_status(st, ids[i], status, NULL, err) < 0 ||
		    comment_get(st, ids[i], &cm, err) != 1) {
			free(key);
			return -1;
		}
		rc = article_get(st, cm.article_id, &a, err) == 1 ?
			     after_store(st, c, ids[i], status, &cm, &a, &held,
					 err) :
			     -1;
		if (rc == 0)
			article_free(&a);
		comment_free(&cm);
		if (rc < 0) {
			free(key);
			return -1;
		}
	}
	free(key);
	ingest_outcome(res, SRC_PROCESSED, "sender confirmed, %zu comment%s released",
		n, n == 1 ? "" : "s");
	/* in the language of the (first) comment's article */
	if (lang_about(st, c, n > 0 ? ids[0] : tok->comment_id, lang,
		       err) < 0)
		return -1;
	return notify_answer_in(st, c, lang, m->from_address, m->message_id,
				m->subject, ANSWER_CONFIRMED, "", NULL, 0,
				err);
}

static int unsubscribe(struct store *st, const struct conf *c,
		       const struct message *m, const struct token_row *tok,
		       const char *source, struct ingest_result *res,
		       struct mc_err *err)
{
	char *key, lang[LANG_TAG_MAX];
	int rc;

	if (tok->address == NULL) {
		return refuse(st, m, res, "unsubscribe token without address",
			      err);
	}
	/* The Reply-To of reply notices sent before commenter tokens: a
	 * reader who answers "Thanks, good point!" there writes a comment,
	 * in reply to the reply the notice was about (its Message-ID names
	 * it), else under their own comment; it is never lost. */
	if (!reader_wants_unsubscribe(m)) {
		int64_t p = parent_from_thread(c, m);

		return handle_comment(st, c, m, source,
				      p > 0 ? p : tok->comment_id, res, err);
	}
	key = addr_key(c, tok->address);
	rc = sender_set(st, key, "unsubscribed", 1, err);
	free(key);
	if (rc < 0)
		return -1;
	ingest_outcome(res, SRC_PROCESSED, "unsubscribed from reply notices");
	/* The answer goes to the address the notices went to, whoever
	 * wrote: only they can have the token. */
	if (lang_about(st, c, tok->comment_id, lang, err) < 0)
		return -1;
	return notify_answer_in(st, c, lang, tok->address, m->message_id,
				m->subject, ANSWER_UNSUBSCRIBED, "", NULL, 0,
				err);
}

/* A commenter answered a notice about their comment: a command, or a
 * new comment in reply to the comment the notice showed. */
static int reader(struct store *st, const struct conf *c,
		  const struct message *m, const struct token_row *tok,
		  const char *source, struct ingest_result *res,
		  struct mc_err *err)
{
	int rc = reader_handle(st, c, m, tok, res, err);

	if (rc != 1)
		return rc;
	return handle_comment(st, c, m, source,
			      tok->context_id > 0 ? tok->context_id :
						    tok->comment_id,
			      res, err);
}

static int handle_command(struct store *st, const struct conf *c,
			  const struct message *m, const char *source,
			  struct ingest_result *res, struct mc_err *err)
{
	char token[TOKEN_MAX + 1], purpose, why[160];
	enum token_status ts;
	struct token_row tok;
	const char *at;
	int rc;

	if (!find_token(c, m, &purpose, token)) {
		return refuse(st, m, res, "no token", err);
	}
	if (token_check(st, (enum token_purpose)purpose, token, &ts, &tok,
			err) < 0)
		return -1;
	if (ts != TOKEN_VALID) {
		token_row_free(&tok);
		return refuse(st, m, res, token_status_text(ts), err);
	}
	res->comment_id = tok.comment_id;
	if (purpose == TOKEN_CONFIRM) {
		rc = confirm_sender(st, c, m, &tok, res, err);
	} else if (purpose == TOKEN_FOLLOW) {
		rc = follow_confirm(st, c, m, &tok, res, err);
	} else if (follow_is_unsubscribe(&tok)) {
		rc = follow_unsubscribe(st, c, m, &tok, res, err);
	} else if (purpose == TOKEN_UNSUBSCRIBE) {
		rc = unsubscribe(st, c, m, &tok, source, res, err);
	} else if (purpose == TOKEN_READER) {
		rc = reader(st, c, m, &tok, source, res, err);
	} else if (!conf_is_moderator(c, m->from_address)) {
		snprintf(why, sizeof(why), "%s is not a moderator",
			 m->from_address[0] ? m->from_address : "sender");
		rc = refuse(st, m, res, why, err);
	} else if (c->require_dkim &&
		   ((at = strrchr(m->from_address, '@')) == NULL ||
		    !trust_dkim_pass(c, m, at + 1))) {
		rc = refuse(st, m, res, "no dkim=pass from the trusted server",
			    err);
	} else {
		rc = apply_commands(st, c, m, &tok, res, err);
	}
	token_row_free(&tok);
	return rc;
}

/* ---- entry --------------------------------------------------------- */

int ingest_message(struct store *st, const struct conf *c,
		   const struct message *m, const char *source,
		   const char *source_id, struct ingest_result *res,
		   struct mc_err *err)
{
	struct processed p;
	int seen, inserted, rc = 0;

	memset(res, 0, sizeof(*res));
	seen = store_processed_has(st, msg_key(m), err);
	if (seen < 0)
		return -1;
	if (seen) {
		ingest_outcome(res, SRC_PROCESSED, "duplicate, already processed");
		return 0;
	}
	switch (m->kind) {
	case MSG_COMMENT:
	case MSG_COMMAND:
		if (addr_is_gateway(c, m->from_address))
			/* comments+SLUG.1@ or comments+m_TOKEN@ in From: a
			 * loop, or a forgery meant to make the gateway store
			 * or answer itself */
			ingest_outcome(res, SRC_SET_ASIDE,
				"set aside: from the gateway itself");
		else if (m->kind == MSG_COMMENT &&
			 (rc = follow_mail(st, c, m, res, err)) != 0)
			rc = rc < 0 ? -1 : 0; /* comments+SLUG+follow@ */
		else if (m->kind == MSG_COMMENT)
			rc = handle_comment(st, c, m, source, 0, res, err);
		else
			rc = handle_command(st, c, m, source, res, err);
		break;
	default:
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: %s%s%s",
			msg_kind_name(m->kind), m->reasons.n ? ", " : "",
			m->reasons.n ? m->reasons.v[0] : "");
		break;
	}
	if (rc < 0)
		return -1;
	p.key = msg_key(m);
	p.source = source;
	p.source_id = source_id;
	p.kind = msg_kind_name(m->kind);
	p.outcome = res->outcome;
	p.comment_id = res->comment_id;
	p.retry = res->retry;
	if (p.comment_id > 0) {
		struct comment probe;
		int f = comment_get(st, p.comment_id, &probe, err);

		if (f < 0)
			return -1;
		if (f)
			comment_free(&probe);
		else
			p.comment_id = 0;
	}
	return store_processed_add(st, &p, &inserted, err);
}
