/* moderate.c: what a decision does.  The rules that keep two moderators
 * from undoing each other silently live here: a decision applies to a
 * pending comment; on a decided one it is refused with what was decided,
 * except the moves that follow publication (delete, edit, reply), and an
 * `undo` by the moderator who decided. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "articles.h"
#include "comment.h"
#include "follow.h"
#include "moderate.h"
#include "modmail.h"
#include "notify.h"
#include "notify_int.h"
#include "reader.h"
#include "token.h"
#include "banned.h"
#include "catalog.h"

/* The printf formats below come from the catalogs, whose translations
 * keep the msgid's conversions (msgfmt --check, t-catalog,
 * test_mailtexts). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The language of the answers to who: their moderation.languages entry,
 * else the site's (the operator's too). */
static const struct catalog_lang *L(const struct conf *c,
				    const struct actor *who)
{
	return catalog_lang(conf_catalog(c),
			    notify_moderator_lang(c, who->who));
}

/* res's sentence about cm ("Comment #3 by Ann: approved."), or what alone
 * when cm is NULL. */
static void say(struct mod_result *res, enum mod_outcome o,
		const struct catalog_lang *l, const struct comment *cm,
		const char *what)
{
	res->outcome = o;
	if (cm == NULL) {
		snprintf(res->text, sizeof(res->text), "%s", what);
		return;
	}
	/* TRANSLATORS: an answer to the moderator who decided: comment
	 * number, its author, what became of it. */
	snprintf(res->text, sizeof(res->text), _(l, "Comment #%lld by %s: %s."),
		 (long long)cm->id,
		 cm->author_name[0] ? cm->author_name : cm->author_address,
		 what);
}

/* A decision applied: said to the moderator who took it, kept in res for
 * the others (modmail_handled() words it for each). */
static void say_done(struct mod_result *res, const struct catalog_lang *l,
		     const struct comment *cm,
		     const struct modmail_decision *d)
{
	struct buf b;

	buf_init(&b);
	modmail_decision_text(l, d, &b);
	res->what = *d;
	say(res, MOD_APPLIED, l, cm, b.s ? b.s : "");
	buf_free(&b);
}

static void decision(struct modmail_decision *d, enum modmail_change change,
		     const char *status, const char *action)
{
	memset(d, 0, sizeof(*d));
	d->change = change;
	snprintf(d->status, sizeof(d->status), "%s", status ? status : "");
	snprintf(d->action, sizeof(d->action), "%s", action ? action : "");
}

/* Audit details of a spam or trust decision that left the sender alone
 * (undo must then leave it alone too). */
#define NOT_BANNED "sender not banned: a moderator's address"
#define NOT_TRUSTED "sender not trusted: a moderator's address"

/* The configured moderator that key (addr_key(), or "@domain" from
 * addr_pattern_key()) is or covers; NULL if none.  A comment may carry a
 * moderator's address because anyone can write it in From:; banning it
 * would lock the moderator out, trusting it would publish every forgery
 * in their name. */
static const char *moderator_covered(const struct conf *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->moderators.n; i++) {
		char *mk = addr_key(c, c->moderators.v[i]);
		const char *at = strrchr(mk, '@');
		int hit = key[0] == '@' ? at && strcmp(at, key) == 0 :
					  strcmp(mk, key) == 0;

		free(mk);
		if (hit)
			return c->moderators.v[i];
	}
	return NULL;
}

static int audit(struct store *st, const struct actor *who, const char *action,
		 int64_t id, const char *detail, const char *prev,
		 struct mc_err *err)
{
	struct audit a = { who->who, action, id, detail, who->message_id, prev };

	return store_audit(st, &a, err);
}

int moderate_published(struct store *st, const struct conf *c, int64_t id,
		       int human, struct mc_err *err)
{
	struct comment cm, parent;
	struct article a;
	struct sender s;
	int rc = -1, have_parent = 0;

	if (comment_get(st, id, &cm, err) != 1)
		return -1;
	if (article_get(st, cm.article_id, &a, err) != 1)
		goto out_comment;
	if (article_mark_dirty(st, a.id, err) < 0)
		goto out;
	if (human && c->publish_notice && !cm.by_moderator) {
		if (sender_get(st, cm.author_key, &s, err) < 0)
			goto out;
		if (!s.unsubscribed &&
		    notify_published(st, c, &cm, &a, err) < 0)
			goto out;
	}
	if (c->reply_notices && cm.parent_id > 0) {
		have_parent = comment_get(st, cm.parent_id, &parent, err);
		if (have_parent < 0)
			goto out;
		if (have_parent && strcmp(parent.status, "approved") == 0 &&
		    !parent.by_moderator &&
		    strcmp(parent.author_key, cm.author_key) != 0) {
			int quiet;

			if (sender_get(st, parent.author_key, &s, err) < 0 ||
			    reader_reply_notice_quiet(st, parent.id, cm.id,
						      &quiet, err) < 0)
				goto out;
			/* unsubscribed: no notices at all; quiet: this
			 * comment muted, or this reply heard of before */
			if (!s.unsubscribed && !quiet &&
			    notify_reply(st, c, &parent, &cm, &a, err) < 0)
				goto out;
		}
	}
	if (follow_published(st, c, &cm, &a, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	if (have_parent > 0)
		comment_free(&parent);
	article_free(&a);
out_comment:
	comment_free(&cm);
	return rc;
}

/* A moderator's public answer, published under the comment. */
static int add_reply(struct store *st, const struct conf *c,
		     const struct actor *who, const struct comment *cm,
		     const char *text, int64_t *reply_id, struct mc_err *err)
{
	struct comment r = { 0 };
	int rc;

	r.article_id = cm->article_id;
	r.parent_id = cm->id;
	r.author_name = (char *)(who->name && *who->name ? who->name :
							   c->site_name);
	r.author_address = (char *)who->who;
	r.author_key = addr_key(c, who->who);
	r.body = (char *)text;
	r.status = "approved";
	r.decided_by = (char *)who->who;
	r.message_id = NULL;
	r.source = "moderator";
	r.by_moderator = 1;
	rc = comment_insert(st, &r, reply_id, err);
	free(r.author_key);
	if (rc < 0)
		return -1;
	return moderate_published(st, c, *reply_id, 1, err);
}

/* Decisions that publish or refuse a pending comment. */
static int decide(struct store *st, const struct conf *c,
		  const struct actor *who, enum verb v, struct comment *cm,
		  const char *arg, const char *text, struct mod_result *res,
		  struct mc_err *err)
{
	const char *to = verb_status(v), *mod = moderator_covered(c, cm->author_key);
	char detail[64] = "";
	struct modmail_decision d;
	int64_t reply_id = 0;

	if (v == VERB_EDIT && comment_set_body(st, cm->id, text, err) < 0)
		return -1;
	if (comment_set_status(st, cm->id, to, who->who, err) < 0)
		return -1;
	if ((v == VERB_SPAM || v == VERB_TRUST) && mod)
		snprintf(detail, sizeof(detail), "%s",
			 v == VERB_SPAM ? NOT_BANNED : NOT_TRUSTED);
	else if (v == VERB_SPAM &&
		 sender_set(st, cm->author_key, "banned", 1, err) < 0)
		return -1;
	else if (v == VERB_TRUST &&
		 sender_set(st, cm->author_key, "trusted", 1, err) < 0)
		return -1;
	if (strcmp(to, "approved") == 0 &&
	    moderate_published(st, c, cm->id, 1, err) < 0)
		return -1;
	if (v == VERB_REPLY) {
		if (add_reply(st, c, who, cm, text, &reply_id, err) < 0)
			return -1;
		snprintf(detail, sizeof(detail), "reply=%lld",
			 (long long)reply_id);
	}
	if (audit(st, who, verb_name(v), cm->id,
		  v == VERB_REJECT && arg ? arg : detail, cm->status, err) < 0)
		return -1;
	if (v != VERB_REJECT && v != VERB_SPAM &&
	    article_mark_dirty(st, cm->article_id, err) < 0)
		return -1;
	decision(&d, MODMAIL_STATUS, to, NULL);
	if ((v == VERB_SPAM || v == VERB_TRUST) && mod) {
		snprintf(d.moderator, sizeof(d.moderator), "%s", mod);
		d.spam = v == VERB_SPAM;
	}
	say_done(res, L(c, who), cm, &d);
	return 0;
}

/* Changes to a published comment: unpublish, correct, answer. */
static int after_publication(struct store *st, const struct conf *c,
			     const struct actor *who, enum verb v,
			     struct comment *cm, const char *text,
			     struct mod_result *res, struct mc_err *err)
{
	char detail[64] = "";
	struct modmail_decision d;
	int64_t reply_id;

	if (v == VERB_DELETE) {
		if (comment_set_status(st, cm->id, "deleted", who->who, err) < 0)
			return -1;
	} else if (v == VERB_EDIT) {
		if (comment_set_body(st, cm->id, text, err) < 0)
			return -1;
	} else if (v == VERB_REPLY) {
		if (add_reply(st, c, who, cm, text, &reply_id, err) < 0)
			return -1;
		snprintf(detail, sizeof(detail), "reply=%lld",
			 (long long)reply_id);
	}
	if (audit(st, who, verb_name(v), cm->id, detail, cm->status, err) < 0 ||
	    article_mark_dirty(st, cm->article_id, err) < 0)
		return -1;
	decision(&d, v == VERB_DELETE ? MODMAIL_STATUS :
		     v == VERB_EDIT   ? MODMAIL_EDITED :
					MODMAIL_ANSWERED,
		 v == VERB_DELETE ? "deleted" : cm->status, NULL);
	say_done(res, L(c, who), cm, &d);
	return 0;
}

/* Reverts this actor's last decision on the comment that is not undone
 * yet. */
static int undo(struct store *st, const struct conf *c, const struct actor *who,
		struct comment *cm, struct mod_result *res, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT id, action, prev_status, detail FROM audit"
		" WHERE comment_id = ? AND actor = ? COLLATE NOCASE"
		" AND undone = 0 AND prev_status IS NOT NULL"
		" ORDER BY id DESC LIMIT 1",
		err);
	char *action = NULL, *prev = NULL, *detail = NULL;
	struct modmail_decision d;
	int64_t aid = 0;
	int rc = -1;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, cm->id);
	store_bind_text(stmt, 2, who->who);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		aid = sqlite3_column_int64(stmt, 0);
		action = store_col_text(stmt, 1);
		prev = store_col_text(stmt, 2);
		detail = store_col_text(stmt, 3);
	}
	sqlite3_reset(stmt);
	if (aid == 0) {
		say(res, MOD_NO_UNDO, L(c, who), cm,
		    _(L(c, who), "no decision of yours to undo"));
		return 0;
	}
	if (strcmp(action, "edit") == 0 && comment_set_body(st, cm->id, NULL, err) < 0)
		goto out;
	if (strcmp(action, "spam") == 0 && strcmp(detail, NOT_BANNED) != 0 &&
	    sender_set(st, cm->author_key, "banned", 0, err) < 0)
		goto out;
	if (strcmp(action, "trust") == 0 && strcmp(detail, NOT_TRUSTED) != 0 &&
	    sender_set(st, cm->author_key, "trusted", 0, err) < 0)
		goto out;
	if (strcmp(action, "reply") == 0 && str_startswith(detail, "reply=") &&
	    comment_delete_row(st, strtoll(detail + 6, NULL, 10), err) < 0)
		goto out;
	if (strcmp(prev, cm->status) != 0 &&
	    comment_set_status(st, cm->id, prev,
			       strcmp(prev, "pending") == 0 ? NULL : who->who,
			       err) < 0)
		goto out;
	stmt = store_stmt(st, "UPDATE audit SET undone = 1 WHERE id = ?", err);
	if (stmt == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, aid);
	if (store_step_done(st, stmt, err) < 0 ||
	    audit(st, who, "undo", cm->id, action, cm->status, err) < 0 ||
	    article_mark_dirty(st, cm->article_id, err) < 0)
		goto out;
	/* The undo row itself is not a decision to undo again. */
	stmt = store_stmt(st,
			  "UPDATE audit SET undone = 1 WHERE id ="
			  " last_insert_rowid()",
			  err);
	if (stmt == NULL || store_step_done(st, stmt, err) < 0)
		goto out;
	decision(&d, MODMAIL_UNDONE, prev, action);
	say_done(res, L(c, who), cm, &d);
	rc = 0;
out:
	free(action);
	free(prev);
	free(detail);
	return rc;
}

static void conflict(struct mod_result *res, const struct catalog_lang *l,
		     const struct comment *cm, enum mod_outcome o)
{
	char when[32], what[512];

	time_iso8601(cm->decided_at, when);
	/* TRANSLATORS: the comment's state (context "comment state"), the
	 * moderator who decided, the date and time (2026-03-01T12:00:00Z). */
	snprintf(what, sizeof(what), _(l, "already %s by %s on %s"),
		 modmail_status_word(l, cm->status),
		 cm->decided_by ? cm->decided_by : "?", when);
	say(res, o, l, cm, what);
}

int moderate(struct store *st, const struct conf *c, const struct actor *who,
	     enum verb v, int64_t id, const char *arg, const char *text,
	     struct mod_result *res, struct mc_err *err)
{
	struct comment cm;
	int found = comment_get(st, id, &cm, err), rc = 0;
	const char *to = verb_status(v);
	int pending;

	memset(res, 0, sizeof(*res));
	if (found < 0)
		return -1;
	if (found == 0) {
		snprintf(res->text, sizeof(res->text),
			 _(L(c, who), "No comment #%lld."), (long long)id);
		res->outcome = MOD_NOT_FOUND;
		return 0;
	}
	pending = strcmp(cm.status, "pending") == 0 ||
		  strcmp(cm.status, "unconfirmed") == 0;
	if (v == VERB_UNDO) {
		rc = undo(st, c, who, &cm, res, err);
	} else if (v == VERB_BAN || v == VERB_UNBAN) {
		rc = moderate_ban(st, c, who,
				  arg && *arg ? arg : cm.author_key,
				  v == VERB_BAN, res, err);
	} else if (pending && v != VERB_DELETE) {
		rc = decide(st, c, who, v, &cm, arg, text, res, err);
	} else if (strcmp(cm.status, "approved") == 0 &&
		   (v == VERB_DELETE || v == VERB_EDIT || v == VERB_REPLY)) {
		rc = after_publication(st, c, who, v, &cm, text, res, err);
	} else if (pending) {
		/* TRANSLATORS: "reject" is the command word; give the
		 * one of your language that command.c reads, or keep
		 * "reject". */
		say(res, MOD_BAD_STATE, L(c, who), &cm,
		    _(L(c, who), "it is not published; \"reject\" refuses it"));
	} else if (to && strcmp(to, cm.status) == 0) {
		conflict(res, L(c, who), &cm, MOD_ALREADY);
	} else {
		conflict(res, L(c, who), &cm, MOD_CONFLICT);
	}
	comment_free(&cm);
	/* The others' copies of the notification learn it was handled; a
	 * refusal, or a ban (about a sender, not this comment), changed
	 * nothing of the comment. */
	if (rc == 0 && res->outcome == MOD_APPLIED && v != VERB_BAN &&
	    v != VERB_UNBAN)
		rc = modmail_handled(st, c, who->who, id, &res->what, err);
	return rc;
}

int moderate_ban(struct store *st, const struct conf *c,
		 const struct actor *who, const char *pattern, int ban,
		 struct mod_result *res, struct mc_err *err)
{
	char *key = addr_pattern_key(c, pattern), detail[600];
	const char *mod;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (key == NULL) {
		res->outcome = MOD_BAD_STATE;
		snprintf(res->text, sizeof(res->text),
			 _(L(c, who), "\"%s\" is neither an address nor an "
				      "@domain."),
			 pattern);
		return 0;
	}
	if (ban && (mod = moderator_covered(c, key)) != NULL) {
		res->outcome = MOD_BAD_STATE;
		/* TRANSLATORS: an address or @domain, a moderator's
		 * address; moderation.moderators is a setting's name. */
		snprintf(res->text, sizeof(res->text),
			 _(L(c, who), "%s was not banned: that would ban the "
				      "moderator %s (remove them from "
				      "moderation.moderators first)."),
			 pattern, mod);
		snprintf(detail, sizeof(detail), "ban %s: covers moderator %s",
			 key, mod);
		rc = audit(st, who, "refused", 0, detail, NULL, err);
		free(key);
		return rc;
	}
	/* Stored by canonical key: a ban of one spelling is a ban of the
	 * mailbox (victim+1@, "victim"@, VICTIM@ and victim@ alike). */
	if (sender_set(st, key, "banned", ban, err) < 0 ||
	    audit(st, who, ban ? "ban" : "unban", 0, key, NULL, err) < 0)
		rc = -1;
	res->outcome = MOD_APPLIED;
	snprintf(res->text, sizeof(res->text),
		 ban ? _(L(c, who), "%s is banned.") :
		       _(L(c, who), "%s is no longer banned."),
		 key);
	free(key);
	return rc;
}

static int run(struct store *st, const char *sql, const char *address,
	       const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, address);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		store_bind_text(stmt, 2, key);
	return store_step_done(st, stmt, err);
}

/* The integer (column 0) or text (column 1) results of sql run with ?1 =
 * address and ?2 = key (its canonical mailbox), appended to ids / names. */
static int collect(struct store *st, const char *sql, const char *address,
		   const char *key, int64_t **ids, size_t *nids, struct strlist *texts,
		   struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, address);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		store_bind_text(stmt, 2, key);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (ids) {
			*ids = xrealloc(*ids, (*nids + 1) * sizeof(**ids));
			(*ids)[(*nids)++] = sqlite3_column_int64(stmt, 0);
		}
		if (texts && sqlite3_column_type(stmt, 1) != SQLITE_NULL)
			strlist_add(texts,
				    (const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return err_set(err, "forget: %s", sqlite3_errmsg(store_db(st)));
	return 0;
}

/* Queued notifications and digests that forget drops may also show other
 * people's pending comments: those are sent to the moderators again
 * (or put back for the next digest), so nothing waits unseen. */
static int renotify_after_drop(struct store *st, const struct conf *c,
			       const int64_t *ids, size_t n, struct mc_err *err)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i && ids[k] != ids[i]; k++)
			;
		if (k == i && notify_pending(st, c, ids[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Message keys of their mails become hashes: the mail is still known if
 * it comes again, nobody can read whose it was. */
static int hash_processed(struct store *st, const char *address,
			  const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	struct strlist keys = { 0 };
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	rc = collect(st,
		     "SELECT id, key FROM processed WHERE comment_id IN"
		     " (SELECT id FROM comments WHERE author_key = ?2)"
		     " OR instr(lower(outcome), lower(?1)) > 0"
		     " OR key IN (SELECT message_id FROM comments WHERE"
		     " author_key = ?2)",
		     address, key, &ids, &n, &keys, err);
	for (i = 0; rc == 0 && i < n && i < keys.n; i++) {
		char hashed[STORE_FORGOTTEN_KEY];

		if (str_startswith(keys.v[i], "forgotten:"))
			continue;
		store_forgotten_key(keys.v[i], hashed);
		stmt = store_stmt(st,
				  "UPDATE OR IGNORE processed SET key = ?,"
				  " outcome = 'forgotten', comment_id = NULL"
				  " WHERE id = ?",
				  err);
		if (stmt == NULL) {
			rc = -1;
			break;
		}
		store_bind_text(stmt, 1, hashed);
		sqlite3_bind_int64(stmt, 2, ids[i]);
		rc = store_step_done(st, stmt, err);
	}
	free(ids);
	strlist_free(&keys);
	return rc;
}

/* Audit details that name them.  Short names are left: "Jo" would wipe
 * half the log. */
static int scrub_audit_names(struct store *st, const struct strlist *names,
			     struct mc_err *err)
{
	size_t i;

	for (i = 0; i < names->n; i++) {
		if (strlen(names->v[i]) < 4 ||
		    strcmp(names->v[i], "anonymous") == 0)
			continue;
		if (run(st,
			"UPDATE audit SET detail = 'forgotten' WHERE"
			" instr(detail, ?1) > 0",
			names->v[i], NULL, err) < 0)
			return -1;
	}
	return 0;
}

int moderate_forget(struct store *st, const struct conf *c,
		    const struct actor *who, const char *address,
		    int *ncomments, struct mc_err *err)
{
	/* ?1 the address as given, ?2 its canonical mailbox: every comment
	 * of the mailbox goes, in whatever spelling it came.  Order matters:
	 * the links to their comments are followed before the comments go. */
	static const char *const steps[] = {
		"UPDATE articles SET dirty = 1 WHERE id IN (SELECT article_id"
		" FROM comments WHERE author_key = ?2)",
		/* the Message-IDs of their mails, in audit rows about them */
		"UPDATE audit SET message_id = NULL WHERE message_id IN"
		" (SELECT message_id FROM comments WHERE author_key = ?2"
		")",
		/* every copy of mail to them, about them, or naming them */
		"DELETE FROM outbox WHERE recipient = ?1 COLLATE NOCASE OR"
		" id IN (SELECT outbox_id FROM outbox_comments WHERE comment_id"
		" IN (SELECT id FROM comments WHERE author_key = ?2"
		")) OR id IN (SELECT outbox_id FROM outbox_text WHERE"
		" instr(lower(CAST(message AS TEXT)), lower(?1)) > 0)",
		/* their subscriptions, in whatever spelling each was made:
		 * the mail queued to them, its unsubscribe tokens, the rows */
		"DELETE FROM outbox WHERE recipient IN (SELECT address FROM"
		" followers WHERE address_key = ?2)",
		"DELETE FROM tokens WHERE address IN (SELECT address FROM"
		" followers WHERE address_key = ?2)",
		"DELETE FROM followers WHERE address_key = ?2 OR"
		" address = ?1 COLLATE NOCASE",
		"DELETE FROM tokens WHERE address = ?1 COLLATE NOCASE OR"
		" comment_id IN (SELECT id FROM comments WHERE author_key ="
		" ?2)",
		"DELETE FROM comments WHERE author_key = ?2",
		"DELETE FROM senders WHERE address = ?1 COLLATE NOCASE OR"
		" address = ?2",
		/* others' mail that had them in To: or Cc: */
		"UPDATE comments SET headers = '' WHERE"
		" instr(lower(headers), lower(?1)) > 0",
		"UPDATE audit SET actor = 'forgotten', message_id = NULL"
		" WHERE actor = ?1 COLLATE NOCASE",
		"UPDATE audit SET detail = 'forgotten' WHERE instr(lower(detail),"
		" lower(?1)) > 0",
	};
	char hash[65], detail[80], *lower = xstrdup(address);
	struct strlist names = { 0 };
	int64_t *pending = NULL;
	size_t npending = 0, i;
	char *key = addr_key(c, address);
	int rc = -1;

	if (comment_count_since(st, key, 0, ncomments, err) < 0)
		goto out;
	if (collect(st,
		    "SELECT id, author_name FROM comments WHERE author_key"
		    " = ?2",
		    address, key, NULL, NULL, &names, err) < 0)
		goto out;
	/* pending comments of others shown in queued mail that goes */
	if (collect(st,
		    "SELECT DISTINCT oc.comment_id FROM outbox o"
		    " JOIN outbox_text x ON x.outbox_id = o.id"
		    " JOIN outbox_comments oc ON oc.outbox_id = o.id"
		    " JOIN comments k ON k.id = oc.comment_id"
		    " WHERE o.status = 'queued' AND o.kind IN ('notification',"
		    " 'digest') AND k.status = 'pending'"
		    " AND k.author_key != ?2"
		    " AND (o.id IN (SELECT outbox_id FROM outbox_comments"
		    "  WHERE comment_id IN (SELECT id FROM comments"
		    "  WHERE author_key = ?2))"
		    "  OR instr(lower(CAST(x.message AS TEXT)), lower(?1)) > 0)",
		    address, key, &pending, &npending, NULL, err) < 0)
		goto out;
	if (hash_processed(st, address, key, err) < 0 ||
	    scrub_audit_names(st, &names, err) < 0)
		goto out;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (run(st, steps[i], address, key, err) < 0)
			goto out;
	if (renotify_after_drop(st, c, pending, npending, err) < 0)
		goto out;
	/* The audit row keeps a hash, so that "was X forgotten?" can be
	 * answered by whoever knows X, and nobody else. */
	ascii_lower(lower);
	sha256_hex(lower, strlen(lower), hash);
	snprintf(detail, sizeof(detail), "sha256:%s", hash);
	rc = audit(st, who, "forget", 0, detail, NULL, err);
out:
	free(lower);
	free(key);
	free(pending);
	strlist_free(&names);
	return rc;
}

/* Pending comments that no valid token of a notification or digest
 * speaks for. */
static int pending_without_token(struct store *st, int64_t **ids, size_t *n,
				 struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT k.id FROM comments k WHERE k.status = 'pending'"
		" AND NOT EXISTS (SELECT 1 FROM tokens t WHERE"
		"  t.comment_id = k.id AND t.purpose = 'moderate'"
		"  AND t.revoked = 0 AND t.expires_at > ?1)"
		" AND NOT EXISTS (SELECT 1 FROM digest_items d JOIN tokens t"
		"  ON t.id = d.token_id WHERE d.comment_id = k.id"
		"  AND t.revoked = 0 AND t.expires_at > ?1)"
		" ORDER BY k.id",
		err);
	int rc;

	*ids = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return err_set(err, "renotify: %s", sqlite3_errmsg(store_db(st)));
	}
	return 0;
}

int moderate_renotify_count(struct store *st, int *n, struct mc_err *err)
{
	int64_t *ids;
	size_t k;

	if (pending_without_token(st, &ids, &k, err) < 0)
		return -1;
	free(ids);
	*n = (int)k;
	return 0;
}

int moderate_renotify(struct store *st, const struct conf *c, int *ncomments,
		      int *nconfirm, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	int64_t *ids = NULL, t = now();
	size_t n = 0, i;
	int rc;

	*ncomments = *nconfirm = 0;
	if (pending_without_token(st, &ids, &n, err) < 0)
		return -1;
	for (i = 0, rc = 0; i < n && rc == 0; i++)
		rc = notify_pending(st, c, ids[i], err);
	*ncomments = (int)n;
	if (rc == 0 && n > 0 && c->digest_minutes > 0)
		rc = notify_digest_if_due(st, c, 1, NULL, err);
	free(ids);
	ids = NULL;
	n = 0;
	if (rc < 0)
		return -1;
	/* one confirmation request per address still waiting */
	stmt = store_stmt(
		st,
		"SELECT MIN(k.id) FROM comments k WHERE k.status = 'unconfirmed'"
		" AND NOT EXISTS (SELECT 1 FROM tokens t WHERE"
		"  t.purpose = 'confirm' AND t.address = k.author_address"
		"  COLLATE NOCASE AND t.revoked = 0 AND t.expires_at > ?1)"
		" GROUP BY k.author_key ORDER BY 1",
		err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, t);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		free(ids);
		return err_set(err, "renotify: %s", sqlite3_errmsg(store_db(st)));
	}
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		struct comment cm;
		struct article a;

		if (comment_get(st, ids[i], &cm, err) != 1) {
			rc = -1;
			break;
		}
		if (article_get(st, cm.article_id, &a, err) != 1) {
			comment_free(&cm);
			rc = -1;
			break;
		}
		rc = notify_confirm_request(st, c, &cm, &a, err);
		article_free(&a);
		comment_free(&cm);
	}
	*nconfirm = (int)n;
	free(ids);
	return rc;
}
