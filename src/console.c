/* console.c: the moderators' console by mail and the notice of closed
 * articles (console.h).  Their texts come from the catalogs: the answers
 * in the moderator's language (notify_moderator_lang()), the closed notice
 * in its article's; the digest and the notification a console answer carries
 * are notify.c's, for one recipient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "command.h"
#include "comment.h"
#include "console.h"
#include "log.h"
#include "notify.h"
#include "notify_int.h"
#include "token.h"
#include "trust.h"
#include "banned.h"
#include "catalog.h"

/* The formats below come from the catalogs, whose translations keep the
 * msgid's conversions (msgfmt --check, t-catalog, test_mailtexts). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

struct texts {
	const struct catalog_lang *lang; /* they are in: for the parser's why */
	const char *subject;      /* site, what */
	const char *w_pending, *w_show, *w_stats, *w_help;
	const char *none_pending;
	const char *no_comment;   /* id */
	const char *show_note;    /* id, status */
	const char *st_pending, *st_approved, *st_rejected, *st_spam,
		*st_deleted, *st_unconfirmed;
	const char *stats;        /* pending, unconfirmed, then received,
				   * approved, rejected, spam for 24 h and
				   * for 7 days, flood, queued, failed */
	const char *on, *off;
	const char *not_understood; /* why */
	const char *no_command;
	const char *help;         /* gateway address */
	const char *closed_subject; /* title */
	const char *closed_body;    /* title, url */
};

static void texts_of(const struct catalog_lang *l, struct texts *t)
{
	t->lang = l;
	/* TRANSLATORS: the subject of a console answer: site name, what
	 * it holds (one of the next four texts). */
	t->subject = _(l, "[%s] Console: %s");
	t->w_pending = _(l, "pending comments");
	t->w_show = C_(l, "console", "comment");
	t->w_stats = C_(l, "console", "stats");
	t->w_help = C_(l, "console", "help");
	t->none_pending = _(l, "No comment waits for moderation.\n");
	t->no_comment = _(l, "There is no comment #%lld.\n");
	/* TRANSLATORS: comment number, its state (one of the "console
	 * state" texts); the command words in parentheses are those
	 * command.c reads in your language (src/cmdwords.c). */
	t->show_note = _(l, "Comment #%lld is %s. You asked to see it: reply to "
			    "this mail to decide\n(approve, reject, delete, "
			    "undo...).");
	t->st_pending = C_(l, "console state", "pending");
	t->st_approved = C_(l, "console state", "published");
	t->st_rejected = C_(l, "console state", "rejected");
	t->st_spam = C_(l, "console state", "marked as spam");
	t->st_deleted = C_(l, "console state", "deleted");
	t->st_unconfirmed =
		C_(l, "console state", "waiting for its sender's confirmation");
	/* TRANSLATORS: keep the numbers' columns aligned (widen the
	 * conversions if your column titles are longer: %14d). */
	t->stats = _(l,
		"Waiting for moderation:      %d\n"
		"Waiting for confirmation:    %d\n"
		"\n"
		"                     last 24 hours   last 7 days\n"
		"Received             %13d %13d\n"
		"Approved             %13d %13d\n"
		"Rejected             %13d %13d\n"
		"Spam                 %13d %13d\n"
		"\n"
		"Flood mode:                  %s\n"
		"Outgoing mail waiting:       %d\n"
		"Outgoing mail failed:        %d\n");
	t->on = C_(l, "flood mode", "on");
	t->off = C_(l, "flood mode", "off");
	/* TRANSLATORS: %s says what was wrong; the help follows. */
	t->not_understood = _(l, "Your mail could not be understood: %s\n\n");
	t->no_command = _(l, "the first line is no command");
	/* TRANSLATORS: %s is the gateway's address.  List the words of
	 * YOUR language exactly as your catalog's "console command words"
	 * and "command words" entries have them (the parser reads no
	 * others), and say that the English words work too; keep the
	 * columns aligned. */
	t->help = _(l,
		"Write to %s (no plus-address) with one of these words on the\n"
		"first line:\n"
		"  pending            the comments waiting for moderation, as a digest\n"
		"  show 12            comment 12, as a notification: approve, delete,\n"
		"                     undo... by replying to it\n"
		"  stats              counts of comments, flood mode, outgoing mail\n"
		"  help               this text\n"
		"Words in other languages work too (attente, voir 12, zeigen 12...).\n"
		"\n"
		"Replying to a notification (one comment), on the first line:\n"
		"  approve (ok, yes, oui, publier), reject [reason] (no, non, refuser),\n"
		"  spam, edit (modifier) and the text below, reply (repondre) and the\n"
		"  text below, trust (confiance), ban (bannir), unban (debannir),\n"
		"  delete (supprimer), undo (annuler).\n"
		"Replying to a digest: the same words with comment numbers, one line\n"
		"each: \"approve 12 13\", \"reject 14 off-topic\", \"spam 15\".\n"
		"What readers may answer to the notices about their own comment:\n"
		"  edit (modifier, corriger) and the text below, delete (supprimer,\n"
		"  effacer), follow (suivre), mute (silence), unsubscribe (stop,\n"
		"  desabonner).\n"
		"The same commands work in German, Spanish, Italian, Portuguese, Dutch\n"
		"and Polish (genehmigt, aprobado, approvato, aprovado, goedgekeurd,\n"
		"zatwierdź...).\n");
	/* TRANSLATORS: to a reader who wrote to an article whose comments
	 * are closed: its title. */
	t->closed_subject = _(l, "Comments are closed on \"%s\"");
	/* TRANSLATORS: the article's title and address. */
	t->closed_body = _(l,
		"Comments are closed on \"%s\"\n%s\n\n"
		"Your mail was not published and did not reach the moderators.\n");
}

/* The words of the console's answers to moderator. */
static void T(const struct conf *c, const char *moderator, struct texts *t)
{
	texts_of(catalog_lang(conf_catalog(c),
			      notify_moderator_lang(c, moderator)), t);
}

/* The outbox kind of every console answer. */
#define KIND "console"

int console_addressed(const struct conf *c, const struct message *m)
{
	struct addr_target t;
	size_t i;

	for (i = 0; i < m->to.n; i++) {
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_GATEWAY)
			return 1;
	}
	return 0;
}


/* The moderator's address as configured: the answer goes there, never
 * to the mail's Reply-To, and never spelt as a forger spelt the From. */
static const char *configured(const struct conf *c, const char *from)
{
	size_t i;

	for (i = 0; i < c->moderators.n; i++)
		if (ascii_casecmp(c->moderators.v[i], from) == 0)
			return c->moderators.v[i];
	return NULL;
}

/* Console answers to mod in the last hour: the audit keeps one row for
 * each (action "console"), read through audit_action. */
static int answers_last_hour(struct store *st, const char *mod, int *n,
			     struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT count(*) FROM audit WHERE action = 'console'"
		" AND at > ? AND actor = ?",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now() - 3600);
	store_bind_text(stmt, 2, mod);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return err_set(err, "counting console answers: %s",
			       sqlite3_errmsg(store_db(st)));
	}
	*n = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return 0;
}

/* A plain console answer (stats, help, nothing pending...). */
static int plain(struct store *st, const struct conf *c, const char *to,
		 const struct message *m, const char *what, const char *text,
		 struct mc_err *err)
{
	char *mid = mail_message_id(NULL, addr_domain(c)), *subject, *irt;
	struct outbox_refs refs = { NULL, 0, NULL, 0 };
	struct texts t;
	struct mail mail;
	int rc;

	T(c, to, &t);
	mail_init(&mail);
	notify_base_headers(&mail, c, NULL, to, mid);
	if (m->message_id[0]) {
		irt = xasprintf("<%s>", m->message_id);
		mail_header(&mail, "In-Reply-To", irt);
		mail_header(&mail, "References", irt);
		free(irt);
	}
	subject = xasprintf(t.subject, c->site_name, what);
	mail_header_text(&mail, "Subject", subject);
	mail_puts(&mail, text);
	rc = notify_queue(st, c, &mail, KIND, to, &refs, err);
	mail_free(&mail);
	free(subject);
	free(mid);
	return rc;
}

static int help(struct store *st, const struct conf *c, const char *to,
		const struct message *m, const char *why, struct mc_err *err)
{
	struct texts tt, *t = &tt;
	char *gw = xstrdup(c->address_mailbox);
	struct buf b;
	int rc;

	T(c, to, t);
	buf_init(&b);
	if (why)
		buf_addf(&b, t->not_understood,
			 *why ? _(t->lang, why) : t->no_command);
	buf_addf(&b, t->help, gw);
	rc = plain(st, c, to, m, t->w_help, b.s, err);
	buf_free(&b);
	free(gw);
	return rc;
}

static int pending(struct store *st, const struct conf *c, const char *to,
		   const struct message *m, struct mc_err *err)
{
	struct texts t;
	int sent;

	T(c, to, &t);
	if (notify_digest_to(st, c, to, m->message_id, KIND, &sent, err) < 0)
		return -1;
	return sent ? 0 :
		      plain(st, c, to, m, t.w_pending, t.none_pending, err);
}

static const char *status_word(const struct texts *t, const char *status)
{
	if (strcmp(status, "pending") == 0)
		return t->st_pending;
	if (strcmp(status, "approved") == 0)
		return t->st_approved;
	if (strcmp(status, "rejected") == 0)
		return t->st_rejected;
	if (strcmp(status, "spam") == 0)
		return t->st_spam;
	if (strcmp(status, "deleted") == 0)
		return t->st_deleted;
	if (strcmp(status, "unconfirmed") == 0)
		return t->st_unconfirmed;
	return status;
}

/* Comment id as a notification, with a new moderation token: pending or
 * published, the moderator can decide, delete or undo from it. */
static int show(struct store *st, const struct conf *c, const char *to,
		const struct message *m, int64_t id, struct mc_err *err)
{
	struct texts tt, *t = &tt;
	struct comment cm;
	struct article a;
	char *note, *text;
	int found = comment_get(st, id, &cm, err), rc;

	T(c, to, t);

	if (found < 0)
		return -1;
	if (found == 0) {
		text = xasprintf(t->no_comment, (long long)id);
		rc = plain(st, c, to, m, t->w_show, text, err);
		free(text);
		return rc;
	}
	if (article_get(st, cm.article_id, &a, err) != 1) {
		comment_free(&cm);
		return err_set(err, "comment #%lld: its article is gone",
			       (long long)id);
	}
	note = xasprintf(t->show_note, (long long)id,
			 status_word(t, cm.status));
	rc = notify_show(st, c, &cm, &a, to, note, m->message_id, KIND, err);
	free(note);
	article_free(&a);
	comment_free(&cm);
	return rc;
}

/* One count of the stats; sql takes at most one parameter, since. */
static int count(struct store *st, const char *sql, int64_t since, int *n,
		 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(stmt) > 0)
		sqlite3_bind_int64(stmt, 1, since);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return err_set(err, "console stats: %s",
			       sqlite3_errmsg(store_db(st)));
	}
	*n = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return 0;
}

static int stats(struct store *st, const struct conf *c, const char *to,
		 const struct message *m, struct mc_err *err)
{
	/* store_stmt() keeps the text of each statement it caches: these
	 * are constants, never a string built here and freed */
	static const char *const decided[] = {
		"SELECT count(*) FROM comments WHERE status = 'approved'"
		" AND COALESCE(decided_at, created_at) > ?",
		"SELECT count(*) FROM comments WHERE status = 'rejected'"
		" AND COALESCE(decided_at, created_at) > ?",
		"SELECT count(*) FROM comments WHERE status = 'spam'"
		" AND COALESCE(decided_at, created_at) > ?",
	};
	struct texts tt, *t = &tt;
	int64_t since[2] = { now() - 86400, now() - 7 * 86400 };
	int pend, unconf, recv[2], dec[3][2], queued, failed, rc, k, p;
	char *flood, *text;
	int64_t fl;

	if (count(st, "SELECT count(*) FROM comments WHERE status = 'pending'",
		  0, &pend, err) < 0 ||
	    count(st, "SELECT count(*) FROM comments"
		      " WHERE status = 'unconfirmed'",
		  0, &unconf, err) < 0 ||
	    count(st, "SELECT count(*) FROM outbox WHERE status = 'queued'", 0,
		  &queued, err) < 0 ||
	    count(st, "SELECT count(*) FROM outbox WHERE status = 'failed'", 0,
		  &failed, err) < 0)
		return -1;
	for (p = 0; p < 2; p++) {
		if (count(st, "SELECT count(*) FROM comments"
			      " WHERE created_at > ?",
			  since[p], &recv[p], err) < 0)
			return -1;
		for (k = 0; k < 3; k++) {
			rc = count(st, decided[k], since[p], &dec[k][p], err);
			if (rc < 0)
				return -1;
		}
	}
	T(c, to, t);
	flood = store_state_get(st, "flood_since", err);
	fl = flood ? strtoll(flood, NULL, 10) : 0;
	free(flood);
	text = xasprintf(t->stats, pend, unconf, recv[0], recv[1], dec[0][0],
			 dec[0][1], dec[1][0], dec[1][1], dec[2][0], dec[2][1],
			 fl > 0 ? t->on : t->off, queued, failed);
	rc = plain(st, c, to, m, t->w_stats, text, err);
	free(text);
	return rc;
}

int console_handle(struct store *st, const struct conf *c,
		   const struct message *m, struct ingest_result *res,
		   struct mc_err *err)
{
	const char *mod = configured(c, m->from_address), *why, *at;
	struct audit au = { NULL, "console", 0, NULL,
			    m->message_id[0] ? m->message_id : NULL, NULL };
	struct command cmds[4];
	int n, sent = 0, rc;

	/* Nobody else gets an answer: a reader who lost the plus-address,
	 * or anyone trying to turn the gateway into a mail cannon. */
	if (mod == NULL) {
		ingest_outcome(res, SRC_SET_ASIDE,
			    "set aside: no article (console: %s is not a "
			    "moderator)",
			    m->from_address[0] ? m->from_address : "sender");
		return 0;
	}
	if (c->require_dkim && ((at = strrchr(m->from_address, '@')) == NULL ||
				!trust_dkim_pass(c, m, at + 1))) {
		ingest_outcome(res, SRC_SET_ASIDE,
			    "set aside: console: no dkim=pass from the "
			    "trusted server");
		return 0;
	}
	/* A forged moderator From cannot make more than this many answers
	 * an hour, and they all go to the moderator. */
	if (answers_last_hour(st, mod, &sent, err) < 0)
		return -1;
	if (sent >= c->console_per_hour) {
		ingest_outcome(res, SRC_SET_ASIDE,
			    "set aside: console: over %ld answers an hour to %s",
			    c->console_per_hour, mod);
		return 0;
	}
	n = command_parse_ctx(m->body, CMD_CONSOLE, cmds, 4, &why);
	if (n <= 0) {
		/* "": the first line is no command, said in mod's words */
		rc = help(st, c, mod, m, why ? why : "", err);
		au.detail = "not understood";
	} else {
		switch (cmds[0].verb) {
		case VERB_PENDING:
			rc = pending(st, c, mod, m, err);
			break;
		case VERB_SHOW:
			rc = show(st, c, mod, m, cmds[0].ids[0], err);
			break;
		case VERB_STATS:
			rc = stats(st, c, mod, m, err);
			break;
		default:
			rc = help(st, c, mod, m, NULL, err);
			break;
		}
		au.detail = verb_name(cmds[0].verb);
		if (cmds[0].verb == VERB_SHOW)
			au.comment_id = cmds[0].ids[0];
		while (n > 0)
			command_free(&cmds[--n]);
	}
	au.actor = mod;
	if (rc < 0 || store_audit(st, &au, err) < 0)
		return -1;
	res->counted_as = INGEST_AS_COMMAND;
	ingest_outcome(res, SRC_PROCESSED, "console: %s answered to %s",
		    au.detail, mod);
	return 0;
}

/* ---- closed articles ----------------------------------------------- */

/* 1 when key confirmed an address before: a forged From must never turn
 * a closed article into a way of mailing strangers. */
static int confirmed_before(struct store *st, const char *key,
			    const struct sender *s, struct mc_err *err)
{
	int approved = 0;

	if (s->confirmed || s->trusted)
		return 1;
	if (comment_count_status(st, key, "approved", &approved, err) < 0)
		return -1;
	return approved > 0;
}

/* 1 when key got a closed notice in the last day. */
static int told_today(struct store *st, const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT 1 FROM senders WHERE address = ? AND closed_sent_at > ?",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, now() - 86400);
	return store_step_exists(st, stmt, err);
}

static int remember_told(struct store *st, const char *key,
			 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO senders (address, created_at, updated_at,"
		" closed_sent_at) VALUES (?1, ?2, ?2, ?2)"
		" ON CONFLICT (address) DO UPDATE SET"
		" closed_sent_at = excluded.closed_sent_at",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int64(stmt, 2, now());
	return store_step_done(st, stmt, err);
}

static int closed_notice(struct store *st, const struct conf *c,
			 const struct message *m, const struct article *a,
			 struct mc_err *err)
{
	/* to a reader: in the article's language */
	struct texts tt, *t = &tt;
	char lang[LANG_TAG_MAX];
	char *mid = mail_message_id(NULL, addr_domain(c)), *subject, *irt;
	struct outbox_refs refs = { NULL, 0, NULL, 0 };
	struct mail mail;
	int rc;

	notify_lang_about(c, a, lang);
	texts_of(catalog_lang(conf_catalog(c), lang), t);
	mail_init(&mail);
	/* to the From, the address that confirmed, never a Reply-To */
	notify_base_headers(&mail, c, NULL, m->from_address, mid);
	if (m->message_id[0]) {
		irt = xasprintf("<%s>", m->message_id);
		mail_header(&mail, "In-Reply-To", irt);
		mail_header(&mail, "References", irt);
		free(irt);
	}
	subject = xasprintf(t->closed_subject, a->title);
	mail_header_text(&mail, "Subject", subject);
	mail_printf(&mail, t->closed_body, a->title, a->url);
	rc = notify_queue(st, c, &mail, "closed-notice", m->from_address, &refs,
			  err);
	mail_free(&mail);
	free(subject);
	free(mid);
	return rc;
}

int console_closed(struct store *st, const struct conf *c,
		   const struct message *m, const struct article *a,
		   struct ingest_result *res, struct mc_err *err)
{
	char *key = addr_key(c, m->from_address);
	struct sender s;
	int ok, rc = -1;

	ingest_outcome(res, SRC_SET_ASIDE, "set aside: comments are closed on %s",
		    a->slug);
	if (sender_get(st, key, &s, err) < 0)
		goto out;
	rc = 0;
	if (s.banned)
		goto out;
	rc = ok = confirmed_before(st, key, &s, err);
	if (ok <= 0)
		goto out;
	rc = ok = told_today(st, key, err);
	if (ok != 0)
		goto out;
	rc = closed_notice(st, c, m, a, err);
	if (rc == 0)
		rc = remember_told(st, key, err);
out:
	free(key);
	return rc < 0 ? -1 : 0;
}
