/* follow.c: following an article by mail: the request and its
 * confirmation, the mail that every newly published comment becomes for
 * the article's followers, and the unsubscribe that ends one
 * subscription.  Nothing goes to an address that did not prove, by
 * answering a token, that it asked; and the one-a-day rule of comment
 * confirmations (senders.confirm_sent_at) covers follow requests too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "catalog.h"
#include "compose.h"
#include "follow.h"
#include "log.h"
#include "markup.h"
#include "notify.h"
#include "notify_int.h"
#include "outbox.h"
#include "banned.h"

/* The printf formats below come from the catalogs, whose translations
 * keep the msgid's conversions (msgfmt --check, t-catalog); t-follow and
 * t-languages read each mail in several languages. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* A follow mail's unsubscribe token lives as long as reply notices' do:
 * an old mail's button must still work. */
#define FOLLOW_UNSUB_LIFETIME (3650LL * 86400)

/* Follow mails speak the language of the article followed. */
static const struct catalog_lang *L(const struct conf *c,
				    const struct article *a)
{
	char lang[LANG_TAG_MAX];

	notify_lang_about(c, a, lang);
	return catalog_lang(conf_catalog(c), lang);
}

/* The footer of every mail to a follower. */
static const char *footer(const struct catalog_lang *l)
{
	/* TRANSLATORS: "Unsubscribe" is the button mail programs show
	 * for List-Unsubscribe; name it as they do in your language. */
	return _(l,
		"You receive this because you follow this article. To stop, use the\n"
		"Unsubscribe link of your mail program, or send any mail to the address\n"
		"in the List-Unsubscribe header of this mail. Only this article is\n"
		"concerned.\n");
}

/* A refusal changes nothing but the audit log (like ingest.c's). */
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

/* 1 if the article takes comments (articles.closed_at unset), 0 if it is
 * closed, -1 on errors. */
static int article_open(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT 1 FROM articles WHERE id = ? AND closed_at IS NULL",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_step_exists(st, stmt, err);
}

/* 1 if the mailbox key follows article id. */
static int following(struct store *st, int64_t id, const char *key,
		     struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT 1 FROM followers WHERE article_id = ? AND address_key = ?",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, key);
	return store_step_exists(st, stmt, err);
}

/* The List-Unsubscribe of a mail to address about article a: a new
 * TOKEN_UNSUBSCRIBE scoped to the article and to no comment, which is
 * what tells it from a reply notice's (follow_is_unsubscribe). */
static int add_unsubscribe(struct store *st, const struct conf *c,
			   struct mail *m, const struct article *a,
			   const char *address, char ph[TOKEN_LEN + 1],
			   int64_t *id, struct mc_err *err)
{
	char *unsub, *list;

	if (token_new(st, TOKEN_UNSUBSCRIBE, 0, address, FOLLOW_UNSUB_LIFETIME,
		      ph, id, err) < 0 ||
	    token_set_scope(st, *id, a->id, 0, err) < 0)
		return -1;
	unsub = addr_token(c, 'u', ph);
	list = notify_list_unsubscribe(c, unsub, ph);
	mail_header(m, "List-Unsubscribe", list);
	/* RFC 8058 one-click is a POST to an https URI: offered only when
	 * such an endpoint is configured, never with mailto: alone. */
	if (c->address_unsubscribe_url[0])
		mail_header(m, "List-Unsubscribe-Post",
			    "List-Unsubscribe=One-Click");
	free(unsub);
	free(list);
	return 0;
}

/* ---- the request --------------------------------------------------- */

static int send_request(struct store *st, const struct conf *c,
			const struct article *a, const char *to,
			const char *key, struct mc_err *err)
{
	const struct catalog_lang *l = L(c, a);
	char ph[TOKEN_LEN + 1], *local, *mid, *reply_to, *subject;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, NULL, 0 };
	struct mail m;
	int rc;

	if (token_new(st, TOKEN_FOLLOW, 0, to, c->token_lifetime_days * 86400,
		      ph, &tok.id, err) < 0 ||
	    token_set_scope(st, tok.id, a->id, 0, err) < 0)
		return -1;
	local = xasprintf("f_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'f', ph);
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "Please confirm: follow the comments on \"%s\""),
			    a->title);
	mail_init(&m);
	/* no display name: the request's one is whatever its sender wrote */
	notify_base_headers(&m, c, NULL, to, mid);
	mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
	mail_header_text(&m, "Subject", subject);
	/* TRANSLATORS: the article's title, then its address. */
	mail_printf(&m, _(l,
		"Someone, hopefully you, asked to receive by mail each new comment\n"
		"published on \"%s\"\n%s\n\n"
		"Reply to this mail (the content does not matter) to confirm that it was\n"
		"you. If it was not you, ignore this mail: you will not be subscribed.\n"),
		    a->title, a->url);
	rc = notify_queue(st, c, &m, "follow-confirmation", to, &refs, err);
	/* on the mailbox, whatever the spelling: the rule of ingest.c's
	 * after_store() for comments reads the same column */
	if (rc == 0)
		rc = sender_confirm_sent(st, key, err);
	mail_free(&m);
	free(local);
	free(mid);
	free(reply_to);
	free(subject);
	return rc;
}

static int request(struct store *st, const struct conf *c,
		   const struct message *m, const char *slug,
		   struct ingest_result *res, struct mc_err *err)
{
	struct article a;
	struct sender s;
	char *key = NULL;
	int found, rc = -1;

	snprintf(res->article, sizeof(res->article), "%s", slug);
	found = article_find(st, slug, &a, err);
	if (found <= 0) {
		if (found == 0)
			ingest_outcome(res, SRC_SET_ASIDE,
				"set aside: follow request for an unknown article");
		return found;
	}
	found = article_open(st, a.id, err);
	if (found <= 0) {
		if (found == 0) {
			ingest_outcome(res, SRC_SET_ASIDE,
				"set aside: follow request for a closed article");
			rc = 0;
		}
		goto out;
	}
	key = addr_key(c, m->from_address);
	if (sender_get(st, key, &s, err) < 0)
		goto out;
	rc = 0;
	if (s.banned) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: banned sender");
		goto out;
	}
	rc = -1;
	found = following(st, a.id, key, err);
	if (found < 0)
		goto out;
	rc = 0;
	/* Silence for a follower: the request may be forged, and the real
	 * one has "you now follow" and every follow mail, each with its
	 * unsubscribe. */
	if (found) {
		ingest_outcome(res, SRC_PROCESSED, "follow request: already following");
		goto out;
	}
	if (s.confirm_sent_at > now() - 86400) {
		ingest_outcome(res, SRC_PROCESSED,
			"follow request: a confirmation went to this mailbox "
			"in the last 24 hours, none sent");
		goto out;
	}
	rc = send_request(st, c, &a, m->from_address, key, err);
	if (rc == 0)
		ingest_outcome(res, SRC_PROCESSED, "follow request: confirmation sent");
out:
	free(key);
	article_free(&a);
	return rc;
}

int follow_mail(struct store *st, const struct conf *c,
		const struct message *m, struct ingest_result *res,
		struct mc_err *err)
{
	struct addr_target t;
	size_t i;

	for (i = 0; i < m->to.n; i++) {
		addr_classify(c, m->to.v[i], &t);
		if (t.kind == ADDR_FOLLOW)
			return request(st, c, m, t.slug, res, err) < 0 ? -1 : 1;
	}
	return 0;
}

/* ---- confirmation -------------------------------------------------- */

static int send_welcome(struct store *st, const struct conf *c,
			const struct article *a, const char *to,
			struct mc_err *err)
{
	const struct catalog_lang *l = L(c, a);
	char ph[TOKEN_LEN + 1], *mid, *subject;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, NULL, 0 };
	struct mail m;
	int rc = -1;

	mid = mail_message_id(NULL, addr_domain(c));
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "You now follow the comments on \"%s\""),
			    a->title);
	mail_init(&m);
	notify_base_headers(&m, c, NULL, to, mid);
	mail_header_text(&m, "Subject", subject);
	if (add_unsubscribe(st, c, &m, a, to, ph, &tok.id, err) == 0) {
		/* TRANSLATORS: the article's title, then its address. */
		mail_printf(&m, _(l,
			"From now on, each comment published on \"%s\"\n%s\n"
			"comes to you by mail. To answer one in public, reply to its mail.\n"),
			    a->title, a->url);
		mail_puts(&m, "\n-- \n");
		mail_puts(&m, footer(l));
		rc = notify_queue(st, c, &m, "follow-answer", to, &refs, err);
	}
	mail_free(&m);
	free(mid);
	free(subject);
	return rc;
}

int follow_add(struct store *st, const struct conf *c, int64_t article_id,
	       const char *address, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	struct article a;
	char *key = addr_key(c, address);
	int found, rc = -1;

	found = following(st, article_id, key, err);
	if (found != 0) {
		free(key);
		return found < 0 ? -1 : 0;
	}
	if (article_get(st, article_id, &a, err) != 1) {
		free(key);
		return err_set(err, "follow: no article %lld",
			       (long long)article_id);
	}
	stmt = store_stmt(st,
			  "INSERT INTO followers (article_id, address,"
			  " address_key, created_at) VALUES (?, ?, ?, ?)",
			  err);
	if (stmt == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, article_id);
	store_bind_text(stmt, 2, address);
	store_bind_text(stmt, 3, key);
	sqlite3_bind_int64(stmt, 4, now());
	if (store_step_done(st, stmt, err) < 0 ||
	    sender_set(st, key, "unsubscribed", 0, err) < 0 ||
	    send_welcome(st, c, &a, address, err) < 0)
		goto out;
	rc = 1;
out:
	article_free(&a);
	free(key);
	return rc;
}

int follow_confirm(struct store *st, const struct conf *c,
		   const struct message *m, const struct token_row *tok,
		   struct ingest_result *res, struct mc_err *err)
{
	struct article a;
	struct sender s;
	char *key, *from;
	int same, open, rc;

	if (tok->address == NULL || tok->article_id <= 0)
		return refuse(st, m, res, "follow token without address", err);
	key = addr_key(c, tok->address);
	from = addr_key(c, m->from_address);
	same = strcmp(key, from) == 0;
	free(from);
	/* the mailbox the request went to, in any spelling, and nobody
	 * else: whoever forged the request never sees the token, and a
	 * token passed on does not subscribe a third party */
	if (!same) {
		free(key);
		return refuse(st, m, res, "follow confirmation from another address",
			      err);
	}
	rc = sender_get(st, key, &s, err);
	free(key);
	if (rc < 0 || (open = article_open(st, tok->article_id, err)) < 0 ||
	    (rc = article_get(st, tok->article_id, &a, err)) < 0)
		return -1;
	/* (its tokens go with an article, so only a race gets here) */
	if (rc == 0)
		return refuse(st, m, res, "follow token for no article", err);
	snprintf(res->article, sizeof(res->article), "%s", a.slug);
	article_free(&a);
	if (s.banned) {
		ingest_outcome(res, SRC_SET_ASIDE, "set aside: banned sender");
		return 0;
	}
	if (!open) {
		ingest_outcome(res, SRC_SET_ASIDE,
			"set aside: follow confirmation for a closed article");
		return 0;
	}
	rc = follow_add(st, c, tok->article_id, tok->address, err);
	if (rc < 0 || token_revoke_id(st, tok->id, err) < 0)
		return -1;
	ingest_outcome(res, SRC_PROCESSED, rc ? "now following" :
				    "follow confirmation: already following");
	return 0;
}

/* ---- unsubscribe --------------------------------------------------- */

int follow_is_unsubscribe(const struct token_row *tok)
{
	return tok->purpose == TOKEN_UNSUBSCRIBE && tok->article_id > 0 &&
	       tok->comment_id == 0;
}

int follow_unsubscribe(struct store *st, const struct conf *c,
		       const struct message *m, const struct token_row *tok,
		       struct ingest_result *res, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	struct article a;
	char *key, *text, lang[LANG_TAG_MAX];
	int n, rc;

	if (tok->address == NULL)
		return refuse(st, m, res, "unsubscribe token without address",
			      err);
	rc = article_get(st, tok->article_id, &a, err);
	if (rc <= 0)
		return rc < 0 ? -1 :
				refuse(st, m, res, "unsubscribe token for no article",
				       err);
	snprintf(res->article, sizeof(res->article), "%s", a.slug);
	stmt = store_stmt(st,
			  "DELETE FROM followers WHERE article_id = ?"
			  " AND address_key = ?",
			  err);
	key = addr_key(c, tok->address);
	if (stmt == NULL) {
		rc = -1;
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, tok->article_id);
	store_bind_text(stmt, 2, key);
	rc = store_step_done(st, stmt, err);
	n = sqlite3_changes(store_db(st));
	if (rc < 0)
		goto out;
	/* One answer, when something changed: an unsubscribe button that
	 * sends twice, or a replay, gets no second mail. */
	if (n == 0) {
		ingest_outcome(res, SRC_PROCESSED, "unfollow: was not following");
		goto out;
	}
	ingest_outcome(res, SRC_PROCESSED, "unfollowed");
	notify_lang_about(c, &a, lang);
	/* TRANSLATORS: %s is the article's title. */
	text = xasprintf(_(catalog_lang(conf_catalog(c), lang),
			   "You no longer follow the comments on \"%s\": no more mail about it\n"
			   "will come.\n"),
			 a.title);
	/* to the address the follow mails went to, whoever wrote: only
	 * that mailbox can have had the token */
	rc = notify_answer_in(st, c, lang, tok->address, m->message_id,
			      m->subject, ANSWER_DONE, text, NULL, 0, err);
	free(text);
out:
	free(key);
	article_free(&a);
	return rc;
}

/* ---- the fan-out --------------------------------------------------- */

/* The followers to tell about cm: all of a's but the mailboxes skip1
 * and skip2 (NULL: none) and the globally unsubscribed. */
static int followers_of(struct store *st, int64_t article_id,
			const char *skip1, const char *skip2,
			struct strlist *out, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT f.address FROM followers f WHERE f.article_id = ?1"
		" AND f.address_key != ?2 AND f.address_key != ?3"
		" AND NOT EXISTS (SELECT 1 FROM senders s WHERE"
		"  s.address = f.address_key AND s.unsubscribed = 1)"
		" ORDER BY f.id",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, article_id);
	store_bind_text(stmt, 2, skip1 ? skip1 : "");
	store_bind_text(stmt, 3, skip2 ? skip2 : "");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		strlist_add(out, (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return err_set(err, "followers: %s",
			       sqlite3_errmsg(store_db(st)));
	return 0;
}

/* The author of the comment cm answers, when moderate_published() sends
 * them a reply notice about it (the same conditions): they get that and
 * not a second mail with the same text.  Caller frees; NULL if none. */
static char *noticed_parent(struct store *st, const struct conf *c,
			    const struct comment *cm, struct mc_err *err,
			    int *failed)
{
	struct comment p;
	char *key = NULL;
	int found;

	*failed = 0;
	if (!c->reply_notices || cm->parent_id <= 0)
		return NULL;
	found = comment_get(st, cm->parent_id, &p, err);
	if (found < 0) {
		*failed = 1;
		return NULL;
	}
	if (found == 0)
		return NULL;
	if (strcmp(p.status, "approved") == 0 && !p.by_moderator)
		key = xstrdup(p.author_key);
	comment_free(&p);
	return key;
}

static int send_comment(struct store *st, const struct conf *c,
			const struct comment *cm, const struct article *a,
			const char *to, const char *name, const char *text,
			struct mc_err *err)
{
	const struct catalog_lang *l = L(c, a);
	char ph[TOKEN_LEN + 1], *mid, *subject, *url, *answer;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, &cm->id, 1 };
	struct mail m;
	int rc = -1;

	/* the Message-ID of a notice about cm, so that a reply whose
	 * plus-address got lost still answers cm (ingest.c) */
	mid = notify_notice_id(c, cm->id);
	answer = addr_reply(c, a->slug, cm->id);
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "New comment on \"%s\""), a->title);
	url = notify_comment_url(a, cm->id);
	mail_init(&m);
	notify_base_headers(&m, c, NULL, to, mid);
	/* replying answers the comment in public, through moderation */
	mail_header_addr(&m, "Reply-To", c->address_from_name, answer);
	mail_header_text(&m, "Subject", subject);
	if (add_unsubscribe(st, c, &m, a, to, ph, &tok.id, err) == 0) {
		/* TRANSLATORS: the comment's author, the article's
		 * title, the comment's address. */
		mail_printf(&m, _(l, "%s commented on \"%s\":\n%s\n\n"), name,
			    a->title, url);
		notify_comment_block(&m, text);
		mail_puts(&m, "\n");
		mail_puts(&m, _(l,
			"To answer in public, reply to this mail: your answer is published\n"
			"once a moderator approves it.\n"));
		mail_puts(&m, "\n-- \n");
		mail_puts(&m, footer(l));
		rc = notify_queue(st, c, &m, "follow-notice", to, &refs, err);
	}
	mail_free(&m);
	free(mid);
	free(answer);
	free(subject);
	free(url);
	return rc;
}

/* 1 if followers were already sent comment id: it was published, then
 * undone or edited, and is published again.  Read from the outbox rows
 * that show it (retention prunes them after database.retention_days;
 * after that a comment published again goes out again). */
static int announced(struct store *st, int64_t id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT 1 FROM outbox_comments oc JOIN outbox o"
		" ON o.id = oc.outbox_id"
		" WHERE oc.comment_id = ? AND o.kind = 'follow-notice' LIMIT 1",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_step_exists(st, stmt, err);
}

int follow_published(struct store *st, const struct conf *c,
		     const struct comment *cm, const struct article *a, int *n,
		     struct mc_err *err)
{
	struct strlist to = { 0 };
	struct markup_opts mo;
	struct buf text;
	char *parent, *name, lang[LANG_TAG_MAX];
	size_t i;
	int failed, rc;

	if (n)
		*n = 0;
	rc = announced(st, cm->id, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	parent = noticed_parent(st, c, cm, err, &failed);
	if (failed)
		return -1;
	rc = followers_of(st, a->id, cm->author_key, parent, &to, err);
	free(parent);
	if (rc < 0 || to.n == 0) {
		strlist_free(&to);
		return rc;
	}
	/* What the page shows: the public name, the text with its
	 * addresses masked by the rules of the page (as reply notices). */
	notify_lang_about(c, a, lang);
	name = notify_public_name(c, lang, cm);
	markup_opts_conf(&mo, c, lang, addr_is_public);
	buf_init(&text);
	markup_text(&text, cm->body, &mo);
	for (i = 0; i < to.n && rc == 0; i++)
		rc = send_comment(st, c, cm, a, to.v[i], name, text.s, err);
	if (rc == 0 && n)
		*n = (int)to.n;
	buf_free(&text);
	free(name);
	strlist_free(&to);
	return rc;
}
