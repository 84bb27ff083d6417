/* reader.c: a commenter's replies to the notices about their comment.
 * The notice carries a commenter token in its Reply-To; a reply from the
 * same mailbox whose first line is a reader command (edit, delete, mute,
 * unsubscribe) acts on that one comment; any other text is a new comment,
 * left to ingest.c's ordinary path (rate limits, bans, confirmation,
 * moderation).  Answers go to the address the notice went to, never to
 * From: only that mailbox can have the token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "articles.h"
#include "catalog.h"
#include "command.h"
#include "notify.h"
#include "notify_int.h"
#include "follow.h"
#include "reader.h"
#include "utf8.h"
#include "banned.h"

/* The printf formats below come from the catalogs, whose translations
 * keep the msgid's conversions (msgfmt --check, t-catalog). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The words of the answers to a reader, in one language. */
struct reader_texts {
	const struct catalog_lang *lang; /* they are in: for the parser's why */
	const char *help;        /* why (the commands follow) */
	const char *commands;    /* the commands, in an answer */
	const char *not_understood; /* the line */
	const char *empty;
	const char *follow_later; /* "follow" from one who follows */
	const char *edited;
	const char *edit_waits;
	const char *too_long;    /* limit */
	const char *deleted;
	const char *muted;
	const char *unsubscribed;
	const char *gone;        /* status word */
	const char *other_mailbox;
	const char *re;
	const char *status_deleted;
	const char *status_rejected;
};

static void texts_of(const struct catalog_lang *l, struct reader_texts *t)
{
	t->lang = l;
	/* TRANSLATORS: %s says what was wrong; the commands follow. */
	t->help = _(l, "Your mail could not be understood: %s\n"
		       "Nothing changed.\n\n");
	/* TRANSLATORS: write your language's own command words (edit,
	 * delete, follow, mute, unsubscribe), ones the gateway reads in
	 * it (src/cmdwords.c; test_mailtexts checks); the English ones
	 * work everywhere.  Keep the columns aligned. */
	t->commands = _(l,
		"To act on your comment, reply from this address with one of these\n"
		"words alone on the first line:\n"
		"  edit          and your corrected text below it\n"
		"  delete        remove your comment\n"
		"  follow        receive every new comment on this article\n"
		"  mute          no more notices about replies to this comment\n"
		"  unsubscribe   no more notices about replies at all\n"
		"Any other text is published as a new comment (after moderation).\n");
	/* TRANSLATORS: %s is the line the reader wrote. */
	t->not_understood = _(l,
		"the line \"%s\" starts with a command word but goes on; write the\n"
		"word alone on its line");
	t->empty = _(l, "the mail is empty");
	t->follow_later =
		_(l, "You already follow the comments on this article.\n");
	t->edited = _(l, "Your comment is corrected.\n");
	t->edit_waits = _(l,
		"Your corrected text goes to the moderators; your comment is back on\n"
		"the page once they approve it.\n");
	/* TRANSLATORS: %ld is the longest a comment may be. */
	t->too_long = _(l, "the corrected text is longer than %ld characters");
	t->deleted = _(l, "Your comment is deleted.\n");
	t->muted = _(l,
		"You will not receive notices about replies to this comment any more.\n");
	t->unsubscribed =
		_(l, "You will not receive notices about replies any more.\n");
	/* TRANSLATORS: %s is the comment's state: "deleted" or
	 * "rejected" (context "comment state"). */
	t->gone = _(l, "Nothing changed: your comment is %s.\n");
	/* TRANSLATORS: %s is the address that wrote. */
	t->other_mailbox = _(l,
		"Someone wrote to the address of a notice about your comment from\n"
		"another address (%s). Nothing changed: only this address can act\n"
		"on your comment.\n");
	/* TRANSLATORS: the prefix of the subject of an answer. */
	t->re = _(l, "Re: ");
	t->status_deleted = C_(l, "comment state", "deleted");
	t->status_rejected = C_(l, "comment state", "rejected");
}

/* Answers to a reader speak the language of the article their token is
 * about (the site's when it names none, or no longer exists). */
static void T(struct store *st, const struct conf *c,
	      const struct token_row *tok, struct reader_texts *t)
{
	char lang[LANG_TAG_MAX];
	struct article a;
	struct mc_err e;

	if (tok->article_id == 0 ||
	    article_get(st, tok->article_id, &a, &e) != 1) {
		texts_of(catalog_lang(conf_catalog(c), c->site_language), t);
		return;
	}
	notify_lang_about(c, &a, lang);
	article_free(&a);
	texts_of(catalog_lang(conf_catalog(c), lang), t);
}

static const char *status_word(const struct reader_texts *t,
			       const char *status)
{
	if (strcmp(status, "deleted") == 0)
		return t->status_deleted;
	if (strcmp(status, "rejected") == 0 || strcmp(status, "spam") == 0)
		return t->status_rejected;
	return status;
}

static void set_outcome(struct ingest_result *res, enum src_dest dest,
			const char *what, const char *detail)
{
	res->dest = dest;
	snprintf(res->outcome, sizeof(res->outcome), "%s%s%s", what,
		 detail && *detail ? ": " : "", detail ? detail : "");
}

/* ---- tokens and notices ------------------------------------------- */

static int token_for(struct store *st, const struct conf *c,
		     int64_t comment_id, int64_t article_id, const char *address,
		     int64_t context_id, char ph[TOKEN_LEN + 1], int64_t *id,
		     struct mc_err *err)
{
	if (token_new(st, TOKEN_READER, comment_id, address,
		      (int64_t)c->reader_token_days * 86400, ph, id, err) < 0)
		return -1;
	return token_set_scope(st, *id, article_id, context_id, err);
}

int reader_token_new(struct store *st, const struct conf *c,
		     const struct comment *mine, int64_t context_id,
		     char placeholder[TOKEN_LEN + 1], int64_t *id,
		     struct mc_err *err)
{
	return token_for(st, c, mine->id, mine->article_id,
			 mine->author_address, context_id, placeholder, id, err);
}

void reader_notice_text(struct buf *text, const struct catalog_lang *l,
			int own)
{
	/* TRANSLATORS: write your language's own command words (edit,
	 * delete, follow, mute, unsubscribe), ones the gateway reads in
	 * it (src/cmdwords.c; test_mailtexts checks); the English ones
	 * work everywhere.  Keep the columns aligned. */
	buf_adds(text, _(l,
		"Reply to this mail from this address to act on your comment, with\n"
		"one of these words alone on the first line:\n"
		"  edit          and your corrected text below it\n"
		"                (the moderators read it again)\n"
		"  delete        remove your comment\n"
		"  follow        receive every new comment on this article\n"
		"  mute          no more notices about replies to this comment\n"
		"  unsubscribe   no more notices about replies at all\n"));
	buf_adds(text, own ?
		_(l, "Anything else you write in reply becomes a new comment under yours,\n"
		     "published once the moderators approve it.\n") :
		_(l, "Anything else you write in reply becomes your public answer to this\n"
		     "reply, published once the moderators approve it.\n"));
}

/* ---- reading the reply --------------------------------------------- */

/* The first line that holds something: no blank line, no quote. */
static char *first_line(const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n'), *q;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		for (q = p; q < p + n && (*q == ' ' || *q == '\t' || *q == '\r');
		     q++)
			;
		if (q < p + n && *q != '>') {
			/* at most 120 bytes, cut between characters: the
			 * help answer quotes it */
			size_t len = (size_t)(p + n - q);

			if (len > 120)
				for (len = 120; len > 0 &&
						((unsigned char)q[len] & 0xc0) == 0x80;
				     len--)
					;
			return xstrndup(q, len);
		}
		p = nl ? nl + 1 : p + n;
	}
	return NULL;
}

/* 1 when text's first command is an unsubscribe word alone. */
static int unsubscribe_line(const char *text)
{
	struct command cmd[2];
	const char *why;
	int n = command_parse_ctx(text, CMD_READER, cmd, 2, &why), yes;

	yes = n == 1 && cmd[0].verb == VERB_UNSUBSCRIBE && cmd[0].arg == NULL;
	while (n > 0)
		command_free(&cmd[--n]);
	return yes;
}

int reader_wants_unsubscribe(const struct message *m)
{
	char *l = first_line(m->body);

	if (l == NULL)
		return 1; /* no text: the List-Unsubscribe mailto: */
	free(l);
	return unsubscribe_line(m->body) || unsubscribe_line(m->subject);
}

/* ---- reply notices ------------------------------------------------- */

int reader_reply_notice_quiet(struct store *st, int64_t parent, int64_t reply,
			      int *quiet, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT muted FROM comments WHERE id = ?", err);
	int rc;

	*quiet = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, parent);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*quiet = sqlite3_column_int(stmt, 0) != 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "reply notice: %s",
			       sqlite3_errmsg(store_db(st)));
	if (*quiet)
		return 0;
	/* An author's correction published again: the parent's author
	 * heard of this reply the first time. */
	stmt = store_stmt(st,
			  "SELECT 1 FROM audit WHERE comment_id = ?"
			  " AND action = 'author-edit'",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, reply);
	rc = store_step_exists(st, stmt, err);
	if (rc < 0)
		return -1;
	*quiet = rc;
	return 0;
}

/* ---- answers ------------------------------------------------------- */

/* An answer to the token's address (whoever wrote), threaded under the
 * reader's mail.  With again, it carries a new commenter token of the
 * same scope, so that replying to the answer works like replying to the
 * notice. */
static int answer(struct store *st, const struct conf *c,
		  const struct message *m, const struct token_row *tok,
		  int again, const char *text, int help, struct mc_err *err)
{
	struct reader_texts tt, *t = &tt;
	char ph[TOKEN_LEN + 1], *mid, *subj, *irt = NULL, *reply_to = NULL;
	struct outbox_token ot = { 0, ph };
	struct outbox_refs refs = { NULL, 0, &tok->comment_id, 1 };
	struct mail mm;
	int rc;

	if (again) {
		if (token_for(st, c, tok->comment_id, tok->article_id,
			      tok->address,
			      tok->context_id ? tok->context_id :
						tok->comment_id,
			      ph, &ot.id, err) < 0)
			return -1;
		refs.tokens = &ot;
		refs.ntokens = 1;
		reply_to = addr_token(c, 'r', ph);
	}
	T(st, c, tok, t);
	mid = mail_message_id(NULL, addr_domain(c));
	mail_init(&mm);
	notify_base_headers(&mm, c, NULL, tok->address, mid);
	if (reply_to)
		mail_header_addr(&mm, "Reply-To", c->address_from_name,
				 reply_to);
	if (m->message_id[0]) {
		irt = xasprintf("<%s>", m->message_id);
		mail_header(&mm, "In-Reply-To", irt);
		mail_header(&mm, "References", irt);
	}
	subj = str_casestartswith(m->subject, "re:") ||
			       str_casestartswith(m->subject, "re :") ?
		       xstrdup(m->subject) :
		       xasprintf("%s%s", t->re, m->subject);
	mail_header_text(&mm, "Subject", subj);
	if (help) {
		mail_printf(&mm, t->help, text);
		mail_puts(&mm, t->commands);
	} else {
		mail_puts(&mm, text);
	}
	rc = notify_queue(st, c, &mm, "answer", tok->address, &refs, err);
	mail_free(&mm);
	free(mid);
	free(subj);
	free(irt);
	free(reply_to);
	return rc;
}

static int audit(struct store *st, const struct message *m,
		 const char *actor, const char *action, int64_t id,
		 const char *detail, const char *prev, struct mc_err *err)
{
	struct audit a = { actor, action, id, detail ? detail : "",
			   m->message_id[0] ? m->message_id : NULL, prev };

	return store_audit(st, &a, err);
}

/* A command with the token but from another mailbox: a stolen or
 * forwarded notice.  Logged; the owner is told, at most once a day per
 * comment, so that a stolen token cannot become a flood to them. */
static int refuse_other(struct store *st, const struct conf *c,
			const struct message *m, const struct token_row *tok,
			struct ingest_result *res, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	struct reader_texts t;
	char text[600];
	int told;

	set_outcome(res, SRC_SET_ASIDE, "refused",
		    "commenter token from another mailbox");
	stmt = store_stmt(st,
			  "SELECT 1 FROM audit WHERE comment_id = ?"
			  " AND action = 'refused' AND at > ?"
			  " AND detail = 'commenter token from another mailbox'",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, tok->comment_id);
	sqlite3_bind_int64(stmt, 2, now() - 86400);
	told = store_step_exists(st, stmt, err);
	if (told < 0 ||
	    audit(st, m, m->from_address[0] ? m->from_address : "unknown",
		  "refused", tok->comment_id,
		  "commenter token from another mailbox", NULL, err) < 0)
		return -1;
	if (told)
		return 0;
	T(st, c, tok, &t);
	snprintf(text, sizeof(text), t.other_mailbox,
		 m->from_address[0] ? m->from_address : "?");
	return answer(st, c, m, tok, 0, text, 0, err);
}

/* ---- the commands -------------------------------------------------- */

/* Before an edit goes back to the moderators: the notifications and
 * digests that showed the old text must not approve the new one. */
static int forget_notifications(struct store *st, int64_t id,
				struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE tokens SET revoked = 1, expires_at = MIN(expires_at, ?)"
		" WHERE comment_id = ? AND purpose = 'moderate' AND revoked = 0",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, id);
	if (store_step_done(st, stmt, err) < 0)
		return -1;
	stmt = store_stmt(st, "DELETE FROM digest_items WHERE comment_id = ?",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_step_done(st, stmt, err);
}

/* 1 when a new comment of this sender would be published without
 * moderation (ingest.c's initial_status(), confirmation aside: the
 * sender has proved the mailbox with the token). */
static int edit_unmoderated(struct store *st, const struct conf *c,
			    const char *key, const struct sender *s,
			    int *yes, struct mc_err *err)
{
	int approved = 0;

	if (comment_count_status(st, key, "approved", &approved, err) < 0)
		return -1;
	*yes = s->trusted || strcmp(c->moderation_mode, "none") == 0 ||
	       (strcmp(c->moderation_mode, "first") == 0 && approved > 0) ||
	       (c->auto_approve_after > 0 &&
		approved >= c->auto_approve_after);
	return 0;
}

/* The author's edit.  The text of a sender whose comments need no
 * moderation (trusted, or by moderation.mode and auto_approve_after)
 * replaces the published one at once.  Anyone else's goes back through
 * moderation, and the comment
 * leaves the page until a moderator approves the new text: an author who
 * corrects a comment often wants the old words gone now (a name, a
 * number, a phrase they regret), and keeping a published text that its
 * author has disowned would be worse than a short gap.  The first
 * version stays in original_body for the moderators and `show`. */
static int edit(struct store *st, const struct conf *c,
		const struct message *m, const struct token_row *tok,
		struct comment *mine, const char *text, struct ingest_result *res,
		struct mc_err *err)
{
	struct reader_texts tt, *t = &tt;
	int published = strcmp(mine->status, "approved") == 0;
	struct sender s;
	char why[160], *body;
	int rc, now_ok;

	T(st, c, tok, t);
	if ((long)utf8_length(text) > c->limit_comment_length) {
		snprintf(why, sizeof(why), t->too_long, c->limit_comment_length);
		set_outcome(res, SRC_PROCESSED, "help sent", "edit too long");
		return answer(st, c, m, tok, 1, why, 1, err);
	}
	if (sender_get(st, mine->author_key, &s, err) < 0 ||
	    edit_unmoderated(st, c, mine->author_key, &s, &now_ok, err) < 0)
		return -1;
	if (s.banned) {
		set_outcome(res, SRC_SET_ASIDE, "set aside", "banned sender");
		return 0;
	}
	body = xstrdup(text);
	/* a quoted notice must not bring a live token to rest */
	rc = token_scrub(st, body, strlen(body), NULL, err);
	if (rc == 0)
		rc = comment_set_body(st, mine->id, body, err);
	free(body);
	if (rc < 0)
		return -1;
	if (now_ok) {
		if (audit(st, m, tok->address, "author-edit", mine->id,
			  "applied: no moderation for this sender",
			  mine->status, err) < 0 ||
		    (published && article_mark_dirty(st, mine->article_id, err) < 0))
			return -1;
		set_outcome(res, SRC_PROCESSED, "edited by its author", "applied");
		return answer(st, c, m, tok, 1, t->edited, 0, err);
	}
	if (forget_notifications(st, mine->id, err) < 0 ||
	    (published &&
	     comment_set_status(st, mine->id, "pending", NULL, err) < 0) ||
	    audit(st, m, tok->address, "author-edit", mine->id,
		  "for moderation", mine->status, err) < 0 ||
	    (published && article_mark_dirty(st, mine->article_id, err) < 0))
		return -1;
	/* unconfirmed: the confirmation still releases it, with this text */
	if (strcmp(mine->status, "unconfirmed") != 0 &&
	    notify_pending(st, c, mine->id, err) < 0)
		return -1;
	set_outcome(res, SRC_PROCESSED, "edited by its author",
		    "pending moderation");
	return answer(st, c, m, tok, 1, t->edit_waits, 0, err);
}

static int delete(struct store *st, const struct conf *c,
		  const struct message *m, const struct token_row *tok,
		  struct comment *mine, struct ingest_result *res,
		  struct mc_err *err)
{
	struct reader_texts t;

	if (comment_set_status(st, mine->id, "deleted", tok->address, err) < 0 ||
	    forget_notifications(st, mine->id, err) < 0 ||
	    audit(st, m, tok->address, "author-delete", mine->id, "",
		  mine->status, err) < 0 ||
	    article_mark_dirty(st, mine->article_id, err) < 0)
		return -1;
	set_outcome(res, SRC_PROCESSED, "deleted by its author", NULL);
	T(st, c, tok, &t);
	/* no new token: there is nothing left to act on */
	return answer(st, c, m, tok, 0, t.deleted, 0, err);
}

static int mute(struct store *st, const struct conf *c,
		const struct message *m, const struct token_row *tok,
		struct comment *mine, struct ingest_result *res,
		struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE comments SET muted = 1 WHERE id = ?", err);
	struct reader_texts t;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, mine->id);
	if (store_step_done(st, stmt, err) < 0 ||
	    audit(st, m, tok->address, "mute", mine->id, "", NULL, err) < 0)
		return -1;
	set_outcome(res, SRC_PROCESSED, "reply notices muted for this comment",
		    NULL);
	T(st, c, tok, &t);
	return answer(st, c, m, tok, 1, t.muted, 0, err);
}

static int unsubscribe(struct store *st, const struct conf *c,
		       const struct message *m, const struct token_row *tok,
		       struct comment *mine, const char *key,
		       struct ingest_result *res, struct mc_err *err)
{
	struct reader_texts t;

	if (sender_set(st, key, "unsubscribed", 1, err) < 0 ||
	    audit(st, m, tok->address, "unsubscribe", mine->id, "", NULL,
		  err) < 0)
		return -1;
	set_outcome(res, SRC_PROCESSED, "unsubscribed from reply notices",
		    NULL);
	T(st, c, tok, &t);
	return answer(st, c, m, tok, 1, t.unsubscribed, 0, err);
}

/* Applies cmd, a command line the reader wrote alone, from the token's
 * own mailbox. */
static int apply(struct store *st, const struct conf *c,
		 const struct message *m, const struct token_row *tok,
		 const struct command *cmd, const char *key,
		 struct ingest_result *res, struct mc_err *err)
{
	struct reader_texts tt, *t = &tt;
	struct comment mine;
	char text[200];
	int found = comment_get(st, tok->comment_id, &mine, err), rc;

	if (found < 0)
		return -1;
	T(st, c, tok, t);
	if (found == 0 || strcmp(mine.author_key, key) != 0) {
		/* forgotten since, or a token that was never this
		 * mailbox's: nothing to act on */
		if (found)
			comment_free(&mine);
		set_outcome(res, SRC_SET_ASIDE, "refused",
			    "no comment of this sender");
		return audit(st, m, m->from_address, "refused",
			     tok->comment_id, "no comment of this sender",
			     NULL, err);
	}
	if (cmd->verb != VERB_UNSUBSCRIBE && cmd->verb != VERB_MUTE &&
	    cmd->verb != VERB_FOLLOW &&
	    (strcmp(mine.status, "deleted") == 0 ||
	     strcmp(mine.status, "rejected") == 0 ||
	     strcmp(mine.status, "spam") == 0)) {
		snprintf(text, sizeof(text), t->gone,
			 status_word(t, mine.status));
		set_outcome(res, SRC_PROCESSED, "nothing to change",
			    mine.status);
		rc = answer(st, c, m, tok, 0, text, 0, err);
		comment_free(&mine);
		return rc;
	}
	switch (cmd->verb) {
	case VERB_EDIT:
		rc = edit(st, c, m, tok, &mine, cmd->text, res, err);
		break;
	case VERB_DELETE:
		rc = delete(st, c, m, tok, &mine, res, err);
		break;
	case VERB_MUTE:
		rc = mute(st, c, m, tok, &mine, res, err);
		break;
	case VERB_UNSUBSCRIBE:
		rc = unsubscribe(st, c, m, tok, &mine, key, res, err);
		break;
	default:
		/* The token and the From proved the mailbox: no double
		 * opt-in.  follow_add() answers a new follower itself. */
		rc = follow_add(st, c, mine.article_id, tok->address, err);
		if (rc == 1) {
			set_outcome(res, SRC_PROCESSED, "following", "");
			rc = 0;
		} else if (rc == 0) {
			set_outcome(res, SRC_PROCESSED, "already following", "");
			rc = answer(st, c, m, tok, 1, t->follow_later, 0, err);
		}
		break;
	}
	comment_free(&mine);
	return rc;
}

int reader_handle(struct store *st, const struct conf *c,
		  const struct message *m, const struct token_row *tok,
		  struct ingest_result *res, struct mc_err *err)
{
	struct command cmds[4];
	struct command_report rep;
	const char *why = NULL;
	char *line = first_line(m->body), *key = NULL, *from = NULL,
	     whybuf[400];
	struct reader_texts t;
	int n, rc;

	/* 0: no command word leads the first line read (greetings
	 * skipped): words of their own, a new comment.  -1: a command word
	 * that goes on as a sentence ("Delete this nonsense, you are
	 * wrong"): not understood, nothing is done. */
	n = command_parse_full(m->body, CMD_READER, cmds, 4, &rep);
	why = rep.why;
	if (n == 0 && line) {
		free(line);
		return 1;
	}
	if (tok->address == NULL) {
		free(line);
		while (n > 0)
			command_free(&cmds[--n]);
		set_outcome(res, SRC_SET_ASIDE, "refused",
			    "commenter token without address");
		return audit(st, m, m->from_address[0] ? m->from_address :
							 "unknown",
			     "refused", tok->comment_id,
			     "commenter token without address", NULL, err);
	}
	/* A command, or what looks like one: only the mailbox the notice
	 * went to may give it. */
	key = addr_key(c, tok->address);
	from = addr_key(c, m->from_address);
	if (strcmp(key, from) != 0) {
		rc = refuse_other(st, c, m, tok, res, err);
	} else if (n == 1 && cmds[0].arg == NULL) {
		/* the word alone on its line (edit's text is below it) */
		rc = apply(st, c, m, tok, &cmds[0], key, res, err);
	} else {
		T(st, c, tok, &t);
		if (n < 0 && rep.line[0])
			snprintf(whybuf, sizeof(whybuf), t.not_understood,
				 rep.line);
		else if (n < 0 && why)
			snprintf(whybuf, sizeof(whybuf), "%s",
				 _(t.lang, why));
		else if (line)
			snprintf(whybuf, sizeof(whybuf), t.not_understood,
				 line);
		else
			snprintf(whybuf, sizeof(whybuf), "%s", t.empty);
		set_outcome(res, SRC_PROCESSED, "help sent",
			    n < 0 && why ? why : "not a reader command");
		rc = answer(st, c, m, tok, 1, whybuf, 1, err);
	}
	while (n > 0)
		command_free(&cmds[--n]);
	free(line);
	free(key);
	free(from);
	return rc;
}
