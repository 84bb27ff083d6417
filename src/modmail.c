/* modmail.c: the moderators' side of the gateway's mail (see modmail.h).
 * Texts come from the catalogs, each mail in its moderator's language
 * (notify_moderator_lang()); what a reader wrote reaches a header only
 * through compose.c's encoders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "articles.h"
#include "modmail.h"
#include "notify_int.h"
#include "trust.h"
#include "banned.h"
#include "catalog.h"

/* The printf formats below come from the catalogs, whose translations
 * keep the msgid's conversions (msgfmt --check, t-catalog,
 * test_mailtexts). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The words of the moderators' side, in one language. */
struct texts {
	const char *from;         /* name, address */
	const char *auth;         /* dkim, spf, dmarc */
	const char *auth_none;
	const char *auth_brief;   /* dkim, spf, dmarc */
	const char *auth_brief_none;
	const char *forged;       /* domain, dkim, dmarc */
	const char *mod_forged;   /* address */
	const char *spam;         /* score, threshold */
	const char *spam_none;
	const char *spam_brief;   /* score, threshold */
	const char *sender;       /* the history follows */
	const char *first;
	const char *before;       /* the counts follow */
	const char *trusted;
	const char *banned;
	const char *in_reply_to;  /* id, author */
	const char *handled;      /* id, what, who */
	const char *handled_op;   /* id, what: the operator decided */
	const char *handled_hint;
	const char *re;
	const struct catalog_lang *l; /* for the counts (plural forms) */
};

static void texts_of(const struct catalog_lang *l, struct texts *t)
{
	t->l = l;
	/* TRANSLATORS: the first line of the facts about a comment's
	 * sender in a notification to the moderators: name, address. */
	t->from = _(l, "From: %s <%s>\n");
	/* TRANSLATORS: the mail server's verdicts; keep dkim= spf= dmarc=
	 * as they are. */
	t->auth = _(l, "Authentication: dkim=%s spf=%s dmarc=%s\n");
	t->auth_none = _(l, "Authentication: none (no verdict from the trusted "
			    "server)\n");
	t->auth_brief = "dkim=%s spf=%s dmarc=%s";
	t->auth_brief_none = _(l, "authentication: none");
	/* TRANSLATORS: the sender's domain, then two verdicts. */
	t->forged = _(l, "WARNING: From forged? The trusted server did not "
			 "authenticate %s (dkim=%s, dmarc=%s).\n");
	t->mod_forged = _(l, "WARNING: this comment comes From the moderator "
			     "address %s, but the trusted server did not "
			     "authenticate it: anyone can write any From.\n");
	/* TRANSLATORS: the spam filter's score and the threshold above
	 * which a comment is spam. */
	t->spam = _(l, "Spam score: %.1f (threshold %.1f)\n");
	t->spam_none = _(l, "Spam score: none\n");
	t->spam_brief = _(l, "spam %.1f (threshold %.1f)");
	/* TRANSLATORS: the sender's record follows: "first comment", or
	 * "other comments: ..." */
	t->sender = _(l, "Sender: ");
	t->first = _(l, "first comment");
	/* TRANSLATORS: the sender's other comments by state follow: "N
	 * approved, N rejected or spam", then maybe ", N deleted", ", N
	 * waiting", "; trusted", "; banned". */
	t->before = _(l, "other comments: ");
	t->trusted = _(l, "; trusted");
	t->banned = _(l, "; banned");
	/* TRANSLATORS: comment number, its author; an excerpt follows. */
	t->in_reply_to = _(l, "In reply to comment #%lld by %s:\n");
	/* TRANSLATORS: a notice to the other moderators: comment number,
	 * what became of it ("approved", context "comment state"), the
	 * moderator who decided. */
	t->handled = _(l, "Comment #%lld: %s by %s.\n");
	/* TRANSLATORS: "undo" is the command word; give the one of your
	 * language that command.c reads, or keep "undo". */
	t->handled_hint = _(l,
		"Reply to this mail with a word of the notification to act on\n"
		"this comment; \"undo\" works only for the one who decided.\n");
	/* TRANSLATORS: the same notice when the site's operator decided
	 * (from the shell): comment number, what became of it. */
	t->handled_op = _(l, "Comment #%lld: %s by the operator.\n");
	/* TRANSLATORS: the prefix of the subject of an answer. */
	t->re = _(l, "Re: ");
}

/* The words for moderator's mails (NULL: the moderators as a whole). */
static const struct catalog_lang *mod_lang(const struct conf *c,
					   const char *moderator)
{
	return catalog_lang(conf_catalog(c),
			    notify_moderator_lang(c, moderator));
}

const char *modmail_status_word(const struct catalog_lang *l,
				const char *status)
{
	if (strcmp(status, "approved") == 0)
		return C_(l, "comment state", "approved");
	if (strcmp(status, "rejected") == 0)
		return C_(l, "comment state", "rejected");
	if (strcmp(status, "spam") == 0)
		return C_(l, "comment state", "marked as spam");
	if (strcmp(status, "deleted") == 0)
		return C_(l, "comment state", "deleted");
	if (strcmp(status, "pending") == 0)
		return C_(l, "comment state", "pending");
	if (strcmp(status, "unconfirmed") == 0)
		return C_(l, "comment state",
			  "waiting for the sender's confirmation");
	return status;
}

void modmail_decision_text(const struct catalog_lang *l,
			   const struct modmail_decision *d, struct buf *out)
{
	const char *state = modmail_status_word(l, d->status);

	switch (d->change) {
	case MODMAIL_STATUS:
		if (d->moderator[0] == '\0')
			buf_adds(out, state);
		else if (d->spam)
			/* TRANSLATORS: the comment's new state, the
			 * moderator's address its sender wrote. */
			buf_addf(out, _(l, "%s; its sender %s is a moderator's "
					   "address, which anyone can forge: "
					   "it was not banned"),
				 state, d->moderator);
		else
			/* TRANSLATORS: the comment's new state, the
			 * moderator's address its sender wrote. */
			buf_addf(out, _(l, "%s; its sender %s is a moderator's "
					   "address, which anyone can forge: "
					   "it was not marked as trusted"),
				 state, d->moderator);
		break;
	case MODMAIL_EDITED:
		buf_adds(out, _(l, "text corrected"));
		break;
	case MODMAIL_ANSWERED:
		buf_adds(out, _(l, "answer published"));
		break;
	case MODMAIL_UNDONE:
		/* TRANSLATORS: the command undone (context "command"),
		 * the comment's state again (context "comment state"). */
		buf_addf(out, _(l, "\"%s\" undone, %s again"),
			 C_(l, "command", d->action), state);
		break;
	}
}

/* The names of the decisions that can be undone (verb_name()), as the
 * "undone" notice shows them: each language's own command word, one the
 * parser reads in it (cmdwords.c), looked up with context "command". */
static const char *const undoable[] __attribute__((unused)) = {
	NC_("command", "approve"), NC_("command", "reject"),
	NC_("command", "spam"),    NC_("command", "delete"),
	NC_("command", "ban"),     NC_("command", "unban"),
	NC_("command", "edit"),    NC_("command", "trust"),
	NC_("command", "reply"),
};

/* ---- what a notification shows -------------------------------------- */

/* 1 when addr is, by its canonical mailbox, a configured moderator's:
 * "moderator+x@" and "MODERATOR@" are the moderator to a reader's eye. */
static int moderator_address(const struct conf *c, const char *addr)
{
	char *key = addr_key(c, addr);
	size_t i;
	int hit = 0;

	for (i = 0; i < c->moderators.n && !hit; i++) {
		char *mk = addr_key(c, c->moderators.v[i]);

		hit = strcmp(mk, key) == 0;
		free(mk);
	}
	free(key);
	return hit;
}

/* The warnings of a verdict: a From the server saw fail, and a
 * moderator's address that nothing authenticated. */
static void auth_warnings(const struct conf *c, const struct texts *t,
			  struct mail *m, const struct comment *cm,
			  const struct trust_auth *a)
{
	const char *at = strrchr(cm->author_address, '@');

	if (a->found && !trust_auth_passes(a) &&
	    (strcmp(a->dmarc, "none") != 0 || strcmp(a->dkim, "none") != 0))
		mail_printf(m, t->forged, at ? at + 1 : cm->author_address,
			    a->dkim, a->dmarc);
	if (!trust_auth_passes(a) && moderator_address(c, cm->author_address))
		mail_printf(m, t->mod_forged, cm->author_address);
}

/* The sender's other comments, from the counters the triggers keep
 * (store.c, sender_counts): one row read however many there are.  cm's
 * own status is taken out when cm is one of those counted. */
struct record {
	int approved, refused, deleted, waiting;
};

static int record_read(struct store *st, const struct comment *cm,
		       struct record *r, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT unconfirmed + pending, approved, refused, deleted"
		" FROM sender_counts WHERE author_key = ?",
		err);
	int rc;

	memset(r, 0, sizeof(*r));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, cm->author_key);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		r->waiting = sqlite3_column_int(stmt, 0);
		r->approved = sqlite3_column_int(stmt, 1);
		r->refused = sqlite3_column_int(stmt, 2);
		r->deleted = sqlite3_column_int(stmt, 3);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(err, "reading the record of the sender of "
			       "comment %lld: %s", (long long)cm->id,
			       sqlite3_errmsg(store_db(st)));
	if (cm->by_moderator || cm->author_key == NULL)
		return 0;
	if (strcmp(cm->status, "approved") == 0)
		r->approved--;
	else if (strcmp(cm->status, "rejected") == 0 ||
		 strcmp(cm->status, "spam") == 0)
		r->refused--;
	else if (strcmp(cm->status, "deleted") == 0)
		r->deleted--;
	else
		r->waiting--;
	/* a row changed under a counter it did not go through (an old
	 * database repaired by hand) must not show "-1 approved" */
	r->approved = r->approved < 0 ? 0 : r->approved;
	r->refused = r->refused < 0 ? 0 : r->refused;
	r->deleted = r->deleted < 0 ? 0 : r->deleted;
	r->waiting = r->waiting < 0 ? 0 : r->waiting;
	return 0;
}

/* The sender's record beside cm: "first comment", or their other
 * comments by status, and the trusted and banned marks. */
static int history(struct store *st, const struct texts *t, struct buf *b,
		   const struct comment *cm, struct mc_err *err)
{
	struct record r;
	struct sender s;

	if (record_read(st, cm, &r, err) < 0)
		return -1;
	if (sender_get(st, cm->author_key, &s, err) < 0)
		return -1;
	if (r.approved + r.refused + r.deleted + r.waiting == 0) {
		buf_adds(b, t->first);
	} else {
		const struct catalog_lang *l = t->l;

		/* TRANSLATORS: counts of a sender's comments (an
		 * adjective agreeing with "comment"). */
		buf_adds(b, t->before);
		buf_addf(b, P_(l, "%d approved", "%d approved",
			       (unsigned long)r.approved), r.approved);
		buf_addf(b, P_(l, ", %d rejected or spam",
			       ", %d rejected or spam",
			       (unsigned long)r.refused), r.refused);
		if (r.deleted)
			buf_addf(b, P_(l, ", %d deleted", ", %d deleted",
				       (unsigned long)r.deleted), r.deleted);
		if (r.waiting)
			buf_addf(b, P_(l, ", %d waiting", ", %d waiting",
				       (unsigned long)r.waiting), r.waiting);
	}
	if (s.trusted)
		buf_adds(b, t->trusted);
	if (s.banned)
		buf_adds(b, t->banned);
	return 0;
}

/* The start of body quoted with "> ": at most lines non-blank lines and
 * bytes bytes (cut on a character boundary), "> [...]" when more
 * follows. */
static void excerpt(struct mail *m, const char *body, size_t lines,
		    size_t bytes)
{
	const char *p = body;
	size_t done = 0, used = 0;

	while (*p) {
		const char *e = strchr(p, '\n'), *q;
		size_t n = e ? (size_t)(e - p) : strlen(p), room;
		int cut = 0;

		for (q = p; q < p + n && (*q == ' ' || *q == '\t' ||
					  *q == '\r'); q++)
			;
		if (q == p + n) {
			p += n + (e != NULL);
			continue;
		}
		if (done == lines || used >= bytes) {
			mail_puts(m, "> [...]\n");
			return;
		}
		room = bytes - used;
		if (n > room) {
			n = room;
			while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
				n--;
			cut = 1;
		}
		mail_printf(m, "> %.*s%s\n", (int)n, p, cut ? " [...]" : "");
		if (cut)
			return;
		used += n;
		done++;
		p += n + (e != NULL);
	}
}

static int parent_block(struct store *st, const struct conf *c,
			const char *lang, const struct texts *t,
			struct mail *m, const struct comment *cm, int brief,
			struct mc_err *err)
{
	struct comment p;
	char *name;
	int found;

	if (cm->parent_id <= 0)
		return 0;
	found = comment_get(st, cm->parent_id, &p, err);
	if (found <= 0)
		return found;
	name = notify_public_name(c, lang, &p);
	mail_printf(m, t->in_reply_to, (long long)p.id, name);
	excerpt(m, p.body, brief ? 1 : 3, brief ? 100 : 300);
	free(name);
	comment_free(&p);
	return 0;
}

/* s as one line of the facts block: a control character (a line break
 * in a quoted local part, an escape) would let the sender write a line
 * of their own there, "Authentication: dkim=pass" for one.  Caller
 * frees. */
static char *one_line(const char *s)
{
	char *r = xstrdup(s), *p;

	for (p = r; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return r;
}

int modmail_describe(struct store *st, const struct conf *c,
		     const char *lang, struct mail *m,
		     const struct comment *cm, int brief, struct mc_err *err)
{
	char *public = notify_public_name(c, lang, cm),
	     *name = one_line(public), *address = one_line(cm->author_address);
	struct texts tt, *t = &tt;
	struct trust_auth a;
	struct buf h;

	texts_of(catalog_lang(conf_catalog(c), lang), t);

	trust_auth_parse(cm->auth, &a);
	mail_printf(m, t->from, name, address);
	free(public);
	free(name);
	free(address);
	auth_warnings(c, t, m, cm, &a);
	buf_init(&h);
	if (history(st, t, &h, cm, err) < 0) {
		buf_free(&h);
		return -1;
	}
	if (brief) {
		if (a.found)
			mail_printf(m, t->auth_brief, a.dkim, a.spf, a.dmarc);
		else
			mail_puts(m, t->auth_brief_none);
		if (cm->has_spam_score) {
			mail_puts(m, "; ");
			mail_printf(m, t->spam_brief, cm->spam_score,
				    c->spam_threshold);
		}
		mail_printf(m, "; %s\n", h.s);
	} else {
		if (a.found)
			mail_printf(m, t->auth, a.dkim, a.spf, a.dmarc);
		else
			mail_puts(m, t->auth_none);
		if (cm->has_spam_score)
			mail_printf(m, t->spam, cm->spam_score,
				    c->spam_threshold);
		else
			mail_puts(m, t->spam_none);
		mail_printf(m, "%s%s\n", t->sender, h.s);
	}
	buf_free(&h);
	return parent_block(st, c, lang, t, m, cm, brief, err);
}

char *modmail_thread_id(const struct conf *c, const struct comment *cm)
{
	char local[64];

	/* the creation time keeps ids apart across databases that reuse
	 * comment numbers; nothing in it is secret */
	snprintf(local, sizeof(local), "t%lld.%lld", (long long)cm->id,
		 (long long)cm->created_at);
	return mail_message_id(local, addr_domain(c));
}

/* ---- answers to moderators ------------------------------------------ */

/* The distinct ids of about that name stored comments. */
static int existing(struct store *st, const int64_t *about, size_t nabout,
		    int64_t **ids, size_t *n, struct mc_err *err)
{
	size_t i, k;

	*ids = NULL;
	*n = 0;
	for (i = 0; i < nabout; i++) {
		sqlite3_stmt *stmt;
		int has;

		for (k = 0; k < *n && (*ids)[k] != about[i]; k++)
			;
		if (about[i] <= 0 || k < *n)
			continue;
		stmt = store_stmt(st, "SELECT 1 FROM comments WHERE id = ?",
				  err);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, about[i]);
		has = store_step_exists(st, stmt, err);
		if (has < 0)
			return -1;
		if (has) {
			*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
			(*ids)[(*n)++] = about[i];
		}
	}
	return 0;
}

static int digest_items(struct store *st, int64_t token_id,
			const int64_t *ids, size_t n, struct mc_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sqlite3_stmt *stmt = store_stmt(
			st,
			"INSERT OR IGNORE INTO digest_items (token_id,"
			" comment_id) VALUES (?, ?)",
			err);

		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, token_id);
		sqlite3_bind_int64(stmt, 2, ids[i]);
		if (store_step_done(st, stmt, err) < 0)
			return -1;
	}
	return 0;
}

int modmail_anchor(struct store *st, const struct conf *c, const char *to,
		   const int64_t *about, size_t nabout,
		   struct modmail_anchor *an, struct mc_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;
	char purpose, *local;

	memset(an, 0, sizeof(*an));
	an->token.placeholder = an->placeholder;
	/* a reader's answer carries no moderation token, ever */
	if (!conf_is_moderator(c, to)) {
		an->message_id = mail_message_id(NULL, addr_domain(c));
		return 0;
	}
	if (existing(st, about, nabout, &ids, &n, err) < 0)
		return -1;
	if (n == 0) {
		free(ids);
		an->message_id = mail_message_id(NULL, addr_domain(c));
		an->reply_to = xstrdup(c->address_mailbox);
		return 0;
	}
	purpose = n == 1 ? TOKEN_MODERATE : TOKEN_DIGEST;
	if (token_new(st, (enum token_purpose)purpose, n == 1 ? ids[0] : 0,
		      NULL, c->token_lifetime_days * 86400, an->placeholder,
		      &an->token.id, err) < 0 ||
	    (n > 1 && digest_items(st, an->token.id, ids, n, err) < 0)) {
		free(ids);
		return -1;
	}
	free(ids);
	an->ntokens = 1;
	local = xasprintf("%c_%s", purpose, an->placeholder);
	an->message_id = mail_message_id(local, addr_domain(c));
	free(local);
	an->reply_to = addr_token(c, purpose, an->placeholder);
	return 0;
}

void modmail_anchor_free(struct modmail_anchor *an)
{
	free(an->message_id);
	free(an->reply_to);
	memset(an, 0, sizeof(*an));
}

/* ---- "handled by" ----------------------------------------------------- */

/* The moderators to tell: every configured one but who, by canonical
 * mailbox. */
static void others(const struct conf *c, const char *who,
		   struct strlist *out)
{
	char *key = addr_key(c, who);
	size_t i;

	for (i = 0; i < c->moderators.n; i++) {
		char *mk = addr_key(c, c->moderators.v[i]);

		if (strcmp(mk, key) != 0 &&
		    !strlist_has(out, c->moderators.v[i]))
			strlist_add(out, c->moderators.v[i]);
		free(mk);
	}
	free(key);
}

static int handled_mails(struct store *st, const struct conf *c,
			 const char *who, const struct comment *cm,
			 const struct article *a,
			 const struct modmail_decision *what,
			 const struct strlist *to, struct mc_err *err)
{
	char ph[TOKEN_LEN + 1], *local, *mid, *reply_to, *thread, *url;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, &cm->id, 1 };
	size_t i;
	int rc = 0;

	if (token_new(st, TOKEN_MODERATE, cm->id, NULL,
		      c->token_lifetime_days * 86400, ph, &tok.id, err) < 0)
		return -1;
	local = xasprintf("m_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'm', ph);
	thread = modmail_thread_id(c, cm);
	url = notify_comment_url(a, cm->id);
	for (i = 0; i < to->n && rc == 0; i++) {
		/* each moderator reads the decision in their own language */
		const struct catalog_lang *l = mod_lang(c, to->v[i]);
		char *base = notify_moderator_subject_to(c, cm, a, to->v[i]),
		     *subject;
		struct texts t;
		struct buf w;
		struct mail m;

		texts_of(l, &t);
		subject = xasprintf("%s%s", t.re, base);
		buf_init(&w);
		modmail_decision_text(l, what, &w);
		mail_init(&m);
		notify_base_headers(&m, c, NULL, to->v[i], mid);
		mail_header(&m, "In-Reply-To", thread);
		mail_header(&m, "References", thread);
		mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
		mail_header_text(&m, "Subject", subject);
		if (strcmp(who, "operator") == 0)
			mail_printf(&m, t.handled_op, (long long)cm->id,
				    w.s ? w.s : "");
		else
			mail_printf(&m, t.handled, (long long)cm->id,
				    w.s ? w.s : "", who);
		mail_printf(&m, "%s\n\n", url);
		mail_puts(&m, t.handled_hint);
		rc = notify_queue(st, c, &m, "handled", to->v[i], &refs, err);
		mail_free(&m);
		buf_free(&w);
		free(subject);
		free(base);
	}
	free(local);
	free(mid);
	free(reply_to);
	free(thread);
	free(url);
	return rc;
}

int modmail_handled(struct store *st, const struct conf *c, const char *who,
		    int64_t id, const struct modmail_decision *what,
		    struct mc_err *err)
{
	struct strlist to = { 0 };
	struct comment cm;
	struct article a;
	int rc;

	/* the gateway's own decisions (auto-approval, spam by score) are
	 * nobody's work to hear about */
	if (strcmp(who, "gateway") == 0)
		return 0;
	others(c, who, &to);
	if (to.n == 0)
		return 0;
	rc = comment_get(st, id, &cm, err);
	if (rc <= 0) /* 0: gone with the decision, nothing to show */
		goto out_list;
	rc = article_get(st, cm.article_id, &a, err);
	if (rc <= 0)
		goto out_comment;
	rc = handled_mails(st, c, who, &cm, &a, what, &to, err);
	article_free(&a);
out_comment:
	comment_free(&cm);
out_list:
	strlist_free(&to);
	return rc;
}
