/* notify.c: the gateway's mail, worded for people.  Texts come from the
 * catalogs: a reader's mail in its article's language, a moderator's in
 * notify_moderator_lang(); everything a reader wrote is put in the body
 * as plain text and in headers only through compose.c's encoders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "catalog.h"
#include "compose.h"
#include "html.h"
#include "markup.h"
#include "modmail.h"
#include "notify.h"
#include "notify_int.h"
#include "outbox.h"
#include "reader.h"
#include "token.h"
#include "banned.h"

/* The printf formats below come from the catalogs, whose translations
 * keep the msgid's conversions (msgfmt --check, t-catalog), and the
 * tests read every kind of mail in several languages. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The words of the mails to moderators, in one language. */
struct texts {
	const char *new_subject;    /* site, title, author, id */
	const char *new_intro;      /* id, title */
	const char *commands;
	const char *digest_intro;
	const char *digest_item;    /* id, title, url */
	const char *digest_commands;
	const char *digest_more;
	const char *help;
	const char *conflict;
	const char *re;
};

static void texts_of(const struct catalog_lang *l, struct texts *t)
{
	/* TRANSLATORS: the subject of a notification to the moderators:
	 * site name, article title, author, comment number. */
	t->new_subject = _(l, "[%s] New comment on \"%s\" by %s (#%lld)");
	/* TRANSLATORS: comment number, article title. */
	t->new_intro = _(l, "New comment #%lld on \"%s\"");
	/* TRANSLATORS: the command words at the start of each line are
	 * read in every language the gateway knows: give your language's
	 * words as your catalog's "command words: ..." entries list them
	 * (test_mailtexts reads each row), and say that English ones
	 * work too; keep the columns aligned. */
	t->commands = _(l,
		"Reply to this mail with one of these words on a line of its own:\n"
		"  approve            publish the comment\n"
		"  reject [reason]    refuse it (the reason stays in the log)\n"
		"  spam               refuse it and ban the sender\n"
		"  edit               publish your corrected text, written below \"edit\"\n"
		"  reply              publish it with your answer, written below \"reply\"\n"
		"  trust              publish it and approve this sender from now on\n"
		"  ban                ban the sender\n"
		"Later: \"delete\" unpublishes it, \"undo\" reverts your last decision.\n"
		"Words in other languages work too (oui, ja, sí, tak...).\n");
	t->digest_intro = _(l, "These comments wait for your decision:\n");
	/* TRANSLATORS: a digest's entry: comment number, article title,
	 * article address. */
	t->digest_item = _(l, "\n#%lld  \"%s\"\n%s\n");
	t->digest_commands = _(l,
		"Reply to this mail with one line per decision, naming comments by\n"
		"number, for example:\n"
		"  approve 12 13\n"
		"  reject 14 off-topic\n"
		"  spam 15\n"
		"The words of single notifications work too (edit 12, reply 12 and\n"
		"the text below, trust 12, delete 12, undo 12).\n");
	t->digest_more =
		_(l, "\nMore comments wait: they come in the next digest.\n");
	/* TRANSLATORS: %s says what was wrong; the list of commands
	 * follows. */
	t->help = _(l, "Your mail could not be understood: %s\n\n");
	/* TRANSLATORS: %s says what another moderator decided first. */
	t->conflict = _(l,
		"Nothing changed: %s\n"
		"To change it, the moderator who decided can reply \"undo\" first.\n");
	/* TRANSLATORS: the prefix of the subject of an answer. */
	t->re = _(l, "Re: ");
}

const char *notify_moderator_lang(const struct conf *c, const char *moderator)
{
	/* moderation.languages, else site.language */
	return conf_moderator_language(c, moderator);
}

/* The words of a mail to moderator (NULL: to all of them). */
static const struct catalog_lang *mod_lang(const struct conf *c,
					   const char *moderator)
{
	return catalog_lang(conf_catalog(c),
			    notify_moderator_lang(c, moderator));
}

/* The language of the mails to readers about article a. */
static const struct catalog_lang *reader_lang(const struct conf *c,
					      const struct article *a)
{
	char lang[LANG_TAG_MAX];

	notify_lang_about(c, a, lang);
	return catalog_lang(conf_catalog(c), lang);
}

void notify_lang_about(const struct conf *c, const struct article *a,
		       char lang[LANG_TAG_MAX])
{
	article_language(c, a->language, a->page, a->slug, lang);
}

static const char rule[] =
	"----------------------------------------------------------------\n";

/* The headers every mail of the gateway carries. */
void notify_base_headers(struct mail *m, const struct conf *c,
			 const char *to_name, const char *to,
			 const char *message_id)
{
	char date[64];

	time_rfc5322(now(), date);
	mail_header_addr(m, "From", c->address_from_name, c->address_mailbox);
	mail_header_addr(m, "To", to_name, to);
	mail_header(m, "Date", date);
	mail_header(m, "Message-ID", message_id);
	mail_header(m, "Auto-Submitted", "auto-generated");
	/* Asks Exchange not to answer with out-of-office replies. */
	mail_header(m, "X-Auto-Response-Suppress", "All");
}

int notify_queue(struct store *st, const struct conf *c, struct mail *m,
		 const char *kind, const char *to,
		 const struct outbox_refs *refs, struct mc_err *err)
{
	size_t len;
	char *data = mail_finish(m, &len);
	int rc = outbox_queue(st, c, kind, to, data, len, refs, err);

	free(data);
	return rc;
}

void notify_comment_block(struct mail *m, const char *body)
{
	mail_puts(m, rule);
	mail_puts(m, body);
	if (body[0] && body[strlen(body) - 1] != '\n')
		mail_puts(m, "\n");
	mail_puts(m, rule);
}

/* The name cm is published under (html.h: one rule for every output);
 * caller frees. */
char *notify_public_name(const struct conf *c, const char *lang,
			 const struct comment *cm)
{
	struct buf b;

	buf_init(&b);
	html_public_name(&b, cm->author_name, cm->author_address,
			 html_anonymous_word(catalog_lang(conf_catalog(c), lang)));
	return buf_detach(&b);
}

char *notify_moderator_subject_to(const struct conf *c,
				  const struct comment *cm,
				  const struct article *a,
				  const char *moderator)
{
	const char *lang = notify_moderator_lang(c, moderator);
	struct texts t;
	char *name = notify_public_name(c, lang, cm), *subject;

	texts_of(catalog_lang(conf_catalog(c), lang), &t);
	subject = xasprintf(t.new_subject, c->site_name, a->title, name,
			    (long long)cm->id);
	free(name);
	return subject;
}

char *notify_moderator_subject(const struct conf *c, const struct comment *cm,
			       const struct article *a)
{
	return notify_moderator_subject_to(c, cm, a, NULL);
}

/* In-Reply-To and References for an answer to the mail in_reply_to
 * (a Message-ID without brackets; NULL or "": none), References also
 * naming thread (the comment's token-free thread id; may be NULL). */
static void answering(struct mail *m, const char *in_reply_to,
		      const char *thread)
{
	char *irt = NULL, *refs;

	if (in_reply_to && *in_reply_to) {
		irt = xasprintf("<%s>", in_reply_to);
		mail_header(m, "In-Reply-To", irt);
	}
	if (irt && thread)
		refs = xasprintf("%s %s", thread, irt);
	else
		refs = xstrdup(irt ? irt : thread ? thread : "");
	if (*refs)
		mail_header(m, "References", refs);
	free(refs);
	free(irt);
}

/* The notification about cm to the nto addresses to (one mail each, one
 * token for all), note (may be NULL) at the top. */
static int notification(struct store *st, const struct conf *c,
			const struct comment *cm, const struct article *a,
			const char *const *to, size_t nto, const char *note,
			const char *in_reply_to, const char *kind,
			struct mc_err *err)
{
	char ph[TOKEN_LEN + 1], *local, *mid, *reply_to, *thread;
	struct outbox_token tok = { 0, ph };
	/* the notification shows the parent's author too */
	int64_t about[2] = { cm->id, cm->parent_id };
	struct outbox_refs refs = { &tok, 1, about, 2 };
	size_t i;
	int rc = 0;

	if (token_new(st, TOKEN_MODERATE, cm->id, NULL,
		      c->token_lifetime_days * 86400, ph, &tok.id, err) < 0)
		return -1;
	local = xasprintf("m_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'm', ph);
	/* The Message-ID carries a placeholder, erased once sent: the
	 * "handled by" notices thread on this token-free id instead. */
	thread = modmail_thread_id(c, cm);
	for (i = 0; i < nto && rc == 0; i++) {
		/* each moderator reads their own language */
		char *subject = notify_moderator_subject_to(c, cm, a, to[i]);
		struct texts t;
		struct mail m;

		texts_of(mod_lang(c, to[i]), &t);
		mail_init(&m);
		notify_base_headers(&m, c, NULL, to[i], mid);
		mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
		answering(&m, in_reply_to, thread);
		mail_header_text(&m, "Subject", subject);
		if (note)
			mail_printf(&m, "%s\n\n", note);
		mail_printf(&m, t.new_intro, (long long)cm->id, a->title);
		mail_printf(&m, "\n%s\n", a->url);
		rc = modmail_describe(st, c, notify_moderator_lang(c, to[i]),
				      &m, cm, 0, err);
		mail_puts(&m, "\n");
		notify_comment_block(&m, cm->body);
		mail_puts(&m, "\n");
		mail_puts(&m, t.commands);
		if (rc == 0)
			rc = notify_queue(st, c, &m, kind, to[i], &refs, err);
		mail_free(&m);
		free(subject);
	}
	free(thread);
	free(local);
	free(mid);
	free(reply_to);
	return rc;
}

int notify_moderators(struct store *st, const struct conf *c,
		      const struct comment *cm, const struct article *a,
		      struct mc_err *err)
{
	return notification(st, c, cm, a,
			    (const char *const *)c->moderators.v,
			    c->moderators.n, NULL, NULL, "notification", err);
}

int notify_show(struct store *st, const struct conf *c,
		const struct comment *cm, const struct article *a,
		const char *to, const char *note, const char *in_reply_to,
		const char *kind, struct mc_err *err)
{
	return notification(st, c, cm, a, &to, 1, note, in_reply_to, kind,
			    err);
}

int notify_pending(struct store *st, const struct conf *c, int64_t id,
		   struct mc_err *err)
{
	sqlite3_stmt *stmt;
	struct comment cm;
	struct article a;
	int rc = -1;

	if (c->digest_minutes > 0) {
		stmt = store_stmt(st,
				  "UPDATE comments SET notified_at = NULL"
				  " WHERE id = ? AND notified_at IS NOT NULL",
				  err);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, id);
		return store_step_done(st, stmt, err);
	}
	if (comment_get(st, id, &cm, err) != 1)
		return -1;
	if (article_get(st, cm.article_id, &a, err) != 1)
		goto out;
	if (notify_moderators(st, c, &cm, &a, err) == 0 &&
	    comment_mark_notified(st, id, err) == 0)
		rc = 0;
	article_free(&a);
out:
	comment_free(&cm);
	return rc;
}

/* At most this many comments in one digest: a flood must not become one
 * mail of megabytes per moderator; the others come in the next digest. */
#define DIGEST_MAX 100

/* Why this digest comes now, when a flood decided it. */
static void flood_text(const struct conf *c, const struct catalog_lang *l,
		       struct mail *m, const struct digest_reason *r)
{
	time_t tt = (time_t)((r->resume + 59) / 60 * 60);
	struct tm tm;
	char when[40];

	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	switch (r->why) {
	case DIGEST_FLOOD_STARTED:
		/* TRANSLATORS: comments, senders, the threshold an hour,
		 * the rate that ends the flood mode, the time it may end
		 * at the earliest, minutes between digests.  Plural by
		 * the number of comments (always many: above the
		 * threshold). */
		mail_printf(m, P_(l,
			"Flood mode: %d new comment for moderation in the last hour, from\n"
			"%d senders, more than moderation.flood_threshold (%ld an hour).\n"
			"Single notifications are paused until at most %ld arrive in an hour\n"
			"(not before %s); until then a digest like this one comes at\n"
			"most every %ld minutes.\n\n",
			"Flood mode: %d new comments for moderation in the last hour, from\n"
			"%d senders, more than moderation.flood_threshold (%ld an hour).\n"
			"Single notifications are paused until at most %ld arrive in an hour\n"
			"(not before %s); until then a digest like this one comes at\n"
			"most every %ld minutes.\n\n",
			(unsigned long)r->comments),
			    r->comments, r->senders, c->flood_threshold,
			    c->flood_threshold / 2, when,
			    c->flood_digest_minutes);
		break;
	case DIGEST_FLOOD_ONGOING:
		/* TRANSLATORS: comments, senders, the rate that ends the
		 * flood mode, the time it may end at the earliest. */
		mail_printf(m, P_(l,
			"Flood mode goes on: %d new comment for moderation in the last hour,\n"
			"from %d senders.  Single notifications stay paused until at most %ld\n"
			"arrive in an hour (not before %s).\n\n",
			"Flood mode goes on: %d new comments for moderation in the last hour,\n"
			"from %d senders.  Single notifications stay paused until at most %ld\n"
			"arrive in an hour (not before %s).\n\n",
			(unsigned long)r->comments),
			    r->comments, r->senders, c->flood_threshold / 2,
			    when);
		break;
	case DIGEST_FLOOD_OVER:
		mail_printf(m, P_(l,
			"Flood mode is over (%d new comment for moderation in the last hour):\n"
			"single notifications resume.\n\n",
			"Flood mode is over (%d new comments for moderation in the last hour):\n"
			"single notifications resume.\n\n",
			(unsigned long)r->comments),
			    r->comments);
		break;
	case DIGEST_REGULAR:
		break;
	}
}

/* A digest to the nto addresses to.  The moderators' digest (one is
 * NULL) lists the pending comments not notified yet and marks them
 * notified; a digest asked for (one: its In-Reply-To and outbox kind)
 * lists every pending comment and leaves their marks alone. */
struct digest_ask {
	const char *in_reply_to;
	const char *kind;
};

static int digest(struct store *st, const struct conf *c,
		  const struct digest_reason *why, const char *const *to,
		  size_t nto, const struct digest_ask *one, int *sent,
		  struct mc_err *err)
{
	sqlite3_stmt *stmt;
	char ph[TOKEN_LEN + 1], *local, *mid, *reply_to;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, NULL, 0 };
	/* the digest shows the parents' authors too: about[2k + 1] */
	int64_t ids[DIGEST_MAX + 1], about[2 * (DIGEST_MAX + 1)];
	int flood = why && (why->why == DIGEST_FLOOD_STARTED ||
			    why->why == DIGEST_FLOOD_ONGOING);
	size_t n = 0, i;
	int more, rc = 0;

	*sent = 0;
	/* Oldest first, read from the comments_waiting index. */
	stmt = store_stmt(st,
			  one ? "SELECT id, COALESCE(parent_id, 0) FROM comments"
				" WHERE status = 'pending' ORDER BY id LIMIT ?" :
				"SELECT id, COALESCE(parent_id, 0) FROM comments"
				" WHERE status = 'pending' AND notified_at IS NULL"
				" ORDER BY id LIMIT ?",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, DIGEST_MAX + 1);
	while (n < DIGEST_MAX + 1 && sqlite3_step(stmt) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(stmt, 0);
		about[2 * n] = ids[n];
		about[2 * n + 1] = sqlite3_column_int64(stmt, 1);
		n++;
	}
	sqlite3_reset(stmt);
	if (n == 0)
		return 0;
	more = n > DIGEST_MAX;
	if (more)
		n = DIGEST_MAX;
	refs.comments = about;
	refs.ncomments = 2 * n;
	if (token_new(st, TOKEN_DIGEST, 0, NULL,
		      c->token_lifetime_days * 86400, ph, &tok.id, err) < 0)
		return -1;
	local = xasprintf("d_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'd', ph);
	for (i = 0; i < nto && rc == 0; i++) {
		/* each moderator reads their own language */
		const struct catalog_lang *l = mod_lang(c, to[i]);
		char *subject;
		struct texts t;
		struct mail m;
		size_t k;

		texts_of(l, &t);
		/* TRANSLATORS: the subject of a digest: site name, number
		 * of comments. */
		subject = flood ?
			xasprintf(P_(l, "[%s] Flood mode: %d comment waiting for moderation",
				     "[%s] Flood mode: %d comments waiting for moderation",
				     (unsigned long)n),
				  c->site_name, (int)n) :
			xasprintf(P_(l, "[%s] %d comment waiting for moderation",
				     "[%s] %d comments waiting for moderation",
				     (unsigned long)n),
				  c->site_name, (int)n);
		mail_init(&m);
		notify_base_headers(&m, c, NULL, to[i], mid);
		mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
		if (one)
			answering(&m, one->in_reply_to, NULL);
		mail_header_text(&m, "Subject", subject);
		if (why)
			flood_text(c, l, &m, why);
		mail_puts(&m, t.digest_intro);
		for (k = 0; k < n && rc == 0; k++) {
			struct comment cm;
			struct article a;

			if (comment_get(st, ids[k], &cm, err) != 1) {
				rc = -1;
				break;
			}
			if (article_get(st, cm.article_id, &a, err) != 1) {
				comment_free(&cm);
				rc = -1;
				break;
			}
			mail_printf(&m, t.digest_item, (long long)cm.id,
				    a.title, a.url);
			rc = modmail_describe(st, c,
					      notify_moderator_lang(c, to[i]),
					      &m, &cm, 1, err);
			notify_comment_block(&m, cm.body);
			comment_free(&cm);
			article_free(&a);
		}
		if (more)
			mail_puts(&m, t.digest_more);
		mail_puts(&m, "\n");
		mail_puts(&m, t.digest_commands);
		if (rc == 0)
			rc = notify_queue(st, c, &m, one ? one->kind : "digest",
					  to[i], &refs, err);
		mail_free(&m);
		free(subject);
	}
	stmt = rc == 0 ? store_stmt(st,
				    "INSERT INTO digest_items (token_id,"
				    " comment_id) VALUES (?, ?)",
				    err) :
			 NULL;
	for (i = 0; stmt && i < n && rc == 0; i++) {
		sqlite3_bind_int64(stmt, 1, tok.id);
		sqlite3_bind_int64(stmt, 2, ids[i]);
		rc = store_step_done(st, stmt, err);
		if (rc == 0 && one == NULL)
			rc = comment_mark_notified(st, ids[i], err);
	}
	if (rc == 0 && stmt == NULL)
		rc = -1;
	if (rc == 0)
		*sent = 1;
	free(local);
	free(mid);
	free(reply_to);
	return rc;
}

int notify_digest(struct store *st, const struct conf *c,
		  const struct digest_reason *why, int *sent,
		  struct mc_err *err)
{
	return digest(st, c, why, (const char *const *)c->moderators.v,
		      c->moderators.n, NULL, sent, err);
}

int notify_digest_to(struct store *st, const struct conf *c, const char *to,
		     const char *in_reply_to, const char *kind, int *sent,
		     struct mc_err *err)
{
	struct digest_ask one = { in_reply_to, kind };

	return digest(st, c, NULL, &to, 1, &one, sent, err);
}

int notify_digest_if_due(struct store *st, const struct conf *c, int force,
			 int *sent, struct mc_err *err)
{
	char *last, stamp[32];
	int64_t t;
	int done = 0;

	if (sent)
		*sent = 0;
	if (c->digest_minutes == 0)
		return 0;
	last = store_state_get(st, "digest_sent_at", err);
	t = last ? strtoll(last, NULL, 10) : 0;
	free(last);
	if (!force && now() - t < (int64_t)c->digest_minutes * 60)
		return 0;
	if (notify_digest(st, c, NULL, &done, err) < 0)
		return -1;
	if (!done)
		return 0;
	snprintf(stamp, sizeof(stamp), "%lld", (long long)now());
	if (store_state_set(st, "digest_sent_at", stamp, err) < 0)
		return -1;
	if (sent)
		*sent = 1;
	return 0;
}

int notify_confirm_request(struct store *st, const struct conf *c,
			   const struct comment *cm, const struct article *a,
			   struct mc_err *err)
{
	const struct catalog_lang *l = reader_lang(c, a);
	char ph[TOKEN_LEN + 1], *local, *subject, *mid, *reply_to;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, &cm->id, 1 };
	struct mail m;
	int rc;

	if (token_new(st, TOKEN_CONFIRM, cm->id, cm->author_address,
		      c->token_lifetime_days * 86400, ph, &tok.id, err) < 0)
		return -1;
	local = xasprintf("c_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'c', ph);
	mail_init(&m);
	notify_base_headers(&m, c, cm->author_name, cm->author_address, mid);
	mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "Please confirm your comment on \"%s\""),
			    a->title);
	mail_header_text(&m, "Subject", subject);
	/* TRANSLATORS: the article's title, then its address. */
	mail_printf(&m, _(l,
		"Someone, hopefully you, sent a comment from this address on\n"
		"\"%s\"\n%s\n\n"
		"Reply to this mail (the content does not matter) to confirm that it was\n"
		"you. Your comment then goes to the moderators; you only need to do this\n"
		"once. If it was not you, ignore this mail: nothing will be published.\n"),
		    a->title, a->url);
	rc = notify_queue(st, c, &m, "confirmation", cm->author_address, &refs, err);
	/* remembered on the mailbox, whatever the spelling: at most one a
	 * day goes to it (ingest.c), whoever asked for this one */
	if (rc == 0 && cm->author_key)
		rc = sender_confirm_sent(st, cm->author_key, err);
	mail_free(&m);
	free(subject);
	free(local);
	free(mid);
	free(reply_to);
	return rc;
}

char *notify_comment_url(const struct article *a, int64_t id)
{
	return xasprintf("%s#comment-%lld", a->url, (long long)id);
}

/* Message-IDs of notices about comment N say so, so that a reply whose
 * plus-address got lost still finds its parent (ingest.c). */
char *notify_notice_id(const struct conf *c, int64_t id)
{
	unsigned char r[8];
	char local[64];

	if (random_bytes(r, sizeof(r), NULL) < 0)
		memset(r, 0, sizeof(r));
	snprintf(local, sizeof(local), "n%lld.%02x%02x%02x%02x%02x%02x%02x%02x",
		 (long long)id, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	return mail_message_id(local, addr_domain(c));
}

/* The Reply-To is the commenter's token: a reply with a command line
 * acts on the comment, any other reply is a new comment under it
 * (reader.c). */
int notify_published(struct store *st, const struct conf *c,
		     const struct comment *cm, const struct article *a,
		     struct mc_err *err)
{
	const struct catalog_lang *l = reader_lang(c, a);
	char ph[TOKEN_LEN + 1], *mid = notify_notice_id(c, cm->id), *subject,
		*url, *reply_to;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, &cm->id, 1 };
	struct buf help;
	struct mail m;
	int rc;

	if (reader_token_new(st, c, cm, cm->id, ph, &tok.id, err) < 0) {
		free(mid);
		return -1;
	}
	reply_to = addr_token(c, 'r', ph);
	mail_init(&m);
	notify_base_headers(&m, c, cm->author_name, cm->author_address, mid);
	mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "Your comment on \"%s\" is published"),
			    a->title);
	mail_header_text(&m, "Subject", subject);
	url = notify_comment_url(a, cm->id);
	/* TRANSLATORS: the article's title, then the comment's address. */
	mail_printf(&m, _(l, "Your comment on \"%s\" is now published:\n%s\n"),
		    a->title, url);
	buf_init(&help);
	reader_notice_text(&help, l, 1);
	mail_printf(&m, "\n%s", help.s);
	buf_free(&help);
	rc = notify_queue(st, c, &m, "publish-notice", cm->author_address, &refs, err);
	mail_free(&m);
	free(url);
	free(subject);
	free(mid);
	free(reply_to);
	return rc;
}

/* The List-Unsubscribe value (RFC 2369): the https endpoint first when
 * address.unsubscribe_url is set ({token} replaced by "u_TOKEN", the
 * part of the unsubscribe address after the separator), then the
 * mailto: that works everywhere. */
char *notify_list_unsubscribe(const struct conf *c, const char *unsub,
			      const char *token)
{
	const char *u = c->address_unsubscribe_url, *t = strstr(u, "{token}");
	struct buf b;

	buf_init(&b);
	if (t) {
		buf_addc(&b, '<');
		buf_add(&b, u, (size_t)(t - u));
		buf_addf(&b, "u_%s", token);
		buf_adds(&b, t + strlen("{token}"));
		buf_adds(&b, ">, ");
	}
	buf_addf(&b, "<mailto:%s?subject=unsubscribe>", unsub);
	return buf_detach(&b);
}

int notify_reply(struct store *st, const struct conf *c,
		 const struct comment *parent, const struct comment *reply,
		 const struct article *a, struct mc_err *err)
{
	const struct catalog_lang *l = reader_lang(c, a);
	char ph[TOKEN_LEN + 1], rph[TOKEN_LEN + 1], *unsub, *list_unsub, *mid,
		*subject, *url, *answer, *name, *reply_to;
	/* [0] unsubscribes (List-Unsubscribe), [1] is the parent's
	 * author's commenter token (Reply-To) */
	struct outbox_token tok[2] = { { 0, ph }, { 0, rph } };
	int64_t about[2] = { parent->id, reply->id };
	struct outbox_refs refs = { tok, 2, about, 2 };
	struct markup_opts mo;
	struct buf text;
	struct mail m;
	char lang[LANG_TAG_MAX];
	int rc;

	if (token_new(st, TOKEN_UNSUBSCRIBE, parent->id,
		      parent->author_address, 3650LL * 86400, ph, &tok[0].id,
		      err) < 0 ||
	    reader_token_new(st, c, parent, reply->id, rph, &tok[1].id, err) < 0)
		return -1;
	/* A reply to the notice is an answer to the reply, or a command
	 * about the parent (reader.c); never an unsubscription by
	 * accident: that takes the word alone, or List-Unsubscribe. */
	reply_to = addr_token(c, 'r', rph);
	unsub = addr_token(c, 'u', ph);
	list_unsub = notify_list_unsubscribe(c, unsub, ph);
	mid = notify_notice_id(c, reply->id);
	answer = addr_reply(c, a->slug, reply->id);
	mail_init(&m);
	notify_base_headers(&m, c, parent->author_name, parent->author_address, mid);
	mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
	mail_header(&m, "List-Unsubscribe", list_unsub);
	/* RFC 8058 one-click is a POST to an https URI: offered only when
	 * such an endpoint is configured, never with mailto: alone. */
	if (c->address_unsubscribe_url[0])
		mail_header(&m, "List-Unsubscribe-Post",
			    "List-Unsubscribe=One-Click");
	/* TRANSLATORS: %s is the article's title. */
	subject = xasprintf(_(l, "New reply to your comment on \"%s\""),
			    a->title);
	mail_header_text(&m, "Subject", subject);
	url = notify_comment_url(a, reply->id);
	/* Another reader gets what the page shows: the public name and the
	 * text with its addresses masked, by the rules of the page. */
	notify_lang_about(c, a, lang);
	name = notify_public_name(c, lang, reply);
	markup_opts_conf(&mo, c, lang, addr_is_public);
	buf_init(&text);
	markup_text(&text, reply->body, &mo);
	/* TRANSLATORS: the author of the reply, the article's title,
	 * the reply's address, the reply's text, then the address that
	 * publishes an answer. */
	mail_printf(&m, _(l,
		"%s replied to your comment on \"%s\":\n%s\n\n%s\n\n"
		"To answer in public, write to %s\n"),
		    name, a->title, url, text.s, answer);
	buf_free(&text);
	free(name);
	buf_init(&text);
	reader_notice_text(&text, l, 0);
	mail_printf(&m, "\n%s", text.s);
	buf_free(&text);
	mail_puts(&m, "\n-- \n");
	/* TRANSLATORS: "unsubscribe" is the command word: give one of
	 * your catalog's "reader command words: unsubscribe". */
	mail_puts(&m, _(l,
		"You receive this because you commented on this article. Reply to this\n"
		"mail with \"unsubscribe\" to stop notices about replies.\n"));
	rc = notify_queue(st, c, &m, "reply-notice", parent->author_address, &refs, err);
	mail_free(&m);
	free(unsub);
	free(reply_to);
	free(list_unsub);
	free(mid);
	free(answer);
	free(subject);
	free(url);
	return rc;
}

int notify_answer_in(struct store *st, const struct conf *c, const char *lang,
		     const char *to, const char *in_reply_to,
		     const char *subject, enum answer kind, const char *text,
		     const int64_t *about, size_t nabout, struct mc_err *err)
{
	const struct catalog_lang *l;
	struct texts tt, *t = &tt;
	char *subj, *irt = NULL;
	struct outbox_refs refs = { NULL, 0, about, nabout };
	struct modmail_anchor an;
	struct mail m;
	int rc;

	/* Unsubscribed and confirmed go to readers: ingest.c passes their
	 * article's language, else the site's.  The others to a
	 * moderator. */
	if (lang == NULL)
		lang = kind == ANSWER_UNSUBSCRIBED || kind == ANSWER_CONFIRMED ?
			       c->site_language :
			       notify_moderator_lang(c, to);
	l = catalog_lang(conf_catalog(c), lang);
	texts_of(l, t);
	/* a moderator can answer the answer: undo, approve after a
	 * conflict... */
	if (modmail_anchor(st, c, to, about, nabout, &an, err) < 0)
		return -1;
	refs.tokens = an.ntokens ? &an.token : NULL;
	refs.ntokens = an.ntokens;
	mail_init(&m);
	notify_base_headers(&m, c, NULL, to, an.message_id);
	if (an.reply_to)
		mail_header_addr(&m, "Reply-To", c->address_from_name,
				 an.reply_to);
	if (in_reply_to && *in_reply_to) {
		irt = xasprintf("<%s>", in_reply_to);
		mail_header(&m, "In-Reply-To", irt);
		mail_header(&m, "References", irt);
	}
	subj = str_casestartswith(subject, "re:") ||
			       str_casestartswith(subject, "re :") ?
		       xstrdup(subject) :
		       xasprintf("%s%s", t->re, subject);
	mail_header_text(&m, "Subject", subj);
	switch (kind) {
	case ANSWER_DONE:
		mail_printf(&m, "%s\n", text);
		break;
	case ANSWER_HELP:
	case ANSWER_HELP_DIGEST:
		mail_printf(&m, t->help, text);
		mail_puts(&m, kind == ANSWER_HELP ? t->commands :
						    t->digest_commands);
		break;
	case ANSWER_CONFLICT:
		mail_printf(&m, t->conflict, text);
		break;
	case ANSWER_UNSUBSCRIBED:
		mail_puts(&m, _(l, "You will not receive notices about replies any "
				   "more.\n"));
		break;
	case ANSWER_CONFIRMED:
		mail_puts(&m, _(l, "Thank you, your address is confirmed. Your "
				   "comment goes to the moderators.\n"));
		break;
	}
	rc = notify_queue(st, c, &m, "answer", to, &refs, err);
	mail_free(&m);
	modmail_anchor_free(&an);
	free(subj);
	free(irt);
	return rc;
}

int notify_answer(struct store *st, const struct conf *c, const char *to,
		  const char *in_reply_to, const char *subject,
		  enum answer kind, const char *text, const int64_t *about,
		  size_t nabout, struct mc_err *err)
{
	return notify_answer_in(st, c, NULL, to, in_reply_to, subject, kind,
				text, about, nabout, err);
}
