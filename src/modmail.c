/* modmail.c: the moderators' side of the gateway's mail (see modmail.h).
 * Texts come in English and French, in the one table below; what a
 * reader wrote reaches a header only through compose.c's encoders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "articles.h"
#include "modmail.h"
#include "notify_int.h"
#include "trust.h"
#include "banned.h"

/* The printf formats below come from the two constant tables of this
 * file, whose argument lists match by construction. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

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
	const char *before;       /* approved, rejected or spam */
	const char *deleted;      /* n */
	const char *pending;      /* n */
	const char *trusted;
	const char *banned;
	const char *in_reply_to;  /* id, author */
	const char *handled;      /* id, what, who */
	const char *handled_hint;
	const char *operator_name;
	const char *re;
};

static const struct texts en = {
	.from = "From: %s <%s>\n",
	.auth = "Authentication: dkim=%s spf=%s dmarc=%s\n",
	.auth_none = "Authentication: none (no verdict from the trusted "
		     "server)\n",
	.auth_brief = "dkim=%s spf=%s dmarc=%s",
	.auth_brief_none = "authentication: none",
	.forged = "WARNING: From forged? The trusted server did not "
		  "authenticate %s (dkim=%s, dmarc=%s).\n",
	.mod_forged = "WARNING: this comment comes From the moderator address "
		      "%s, but the trusted server did not authenticate it: "
		      "anyone can write any From.\n",
	.spam = "Spam score: %.1f (threshold %.1f)\n",
	.spam_none = "Spam score: none\n",
	.spam_brief = "spam %.1f (threshold %.1f)",
	.sender = "Sender: ",
	.first = "first comment",
	.before = "other comments: %d approved, %d rejected or spam",
	.deleted = ", %d deleted",
	.pending = ", %d waiting",
	.trusted = "; trusted",
	.banned = "; banned",
	.in_reply_to = "In reply to comment #%lld by %s:\n",
	.handled = "Comment #%lld: %s by %s.\n",
	.handled_hint =
		"Reply to this mail with a word of the notification to act on\n"
		"this comment; \"undo\" works only for the one who decided.\n",
	.operator_name = "the operator",
	.re = "Re: ",
};

static const struct texts fr = {
	.from = "Auteur : %s <%s>\n",
	.auth = "Authentification : dkim=%s spf=%s dmarc=%s\n",
	.auth_none = "Authentification : aucune (pas de verdict du serveur "
		     "de confiance)\n",
	.auth_brief = "dkim=%s spf=%s dmarc=%s",
	.auth_brief_none = "authentification : aucune",
	.forged = "ATTENTION : expéditeur usurpé ? Le serveur de confiance "
		  "n'a pas authentifié %s (dkim=%s, dmarc=%s).\n",
	.mod_forged = "ATTENTION : ce commentaire vient de l'adresse de "
		      "modérateur %s, mais le serveur de confiance ne l'a pas "
		      "authentifiée : n'importe qui peut écrire n'importe quel "
		      "expéditeur.\n",
	.spam = "Score de spam : %.1f (seuil %.1f)\n",
	.spam_none = "Score de spam : aucun\n",
	.spam_brief = "spam %.1f (seuil %.1f)",
	.sender = "Expéditeur : ",
	.first = "premier commentaire",
	.before = "autres commentaires : %d approuvé(s), %d refusé(s) ou spam",
	.deleted = ", %d supprimé(s)",
	.pending = ", %d en attente",
	.trusted = " ; de confiance",
	.banned = " ; banni",
	.in_reply_to = "En réponse au commentaire n° %lld de %s :\n",
	.handled = "Commentaire n° %lld : %s par %s.\n",
	.handled_hint =
		"Répondez à ce message avec un mot de la notification pour agir\n"
		"sur ce commentaire ; « annuler » ne vaut que pour qui a décidé.\n",
	.operator_name = "l'opérateur",
	.re = "Re : ",
};

static const struct texts *T(const struct conf *c)
{
	return notify_fr(c) ? &fr : &en;
}

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
static void auth_warnings(const struct conf *c, struct mail *m,
			  const struct comment *cm, const struct trust_auth *a)
{
	const struct texts *t = T(c);
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
static int history(struct store *st, const struct conf *c, struct buf *b,
		   const struct comment *cm, struct mc_err *err)
{
	const struct texts *t = T(c);
	struct record r;
	struct sender s;

	if (record_read(st, cm, &r, err) < 0)
		return -1;
	if (sender_get(st, cm->author_key, &s, err) < 0)
		return -1;
	if (r.approved + r.refused + r.deleted + r.waiting == 0) {
		buf_adds(b, t->first);
	} else {
		buf_addf(b, t->before, r.approved, r.refused);
		if (r.deleted)
			buf_addf(b, t->deleted, r.deleted);
		if (r.waiting)
			buf_addf(b, t->pending, r.waiting);
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
	name = notify_public_name(c, c->site_language, &p);
	mail_printf(m, T(c)->in_reply_to, (long long)p.id, name);
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

int modmail_describe(struct store *st, const struct conf *c, struct mail *m,
		     const struct comment *cm, int brief, struct mc_err *err)
{
	const struct texts *t = T(c);
	char *public = notify_public_name(c, c->site_language, cm), *name = one_line(public),
	     *address = one_line(cm->author_address);
	struct trust_auth a;
	struct buf h;

	trust_auth_parse(cm->auth, &a);
	mail_printf(m, t->from, name, address);
	free(public);
	free(name);
	free(address);
	auth_warnings(c, m, cm, &a);
	buf_init(&h);
	if (history(st, c, &h, cm, err) < 0) {
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
	return parent_block(st, c, m, cm, brief, err);
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
			 const struct article *a, const char *what,
			 const struct strlist *to, struct mc_err *err)
{
	const struct texts *t = T(c);
	char ph[TOKEN_LEN + 1], *local, *mid, *reply_to, *thread, *base,
		*subject, *url;
	struct outbox_token tok = { 0, ph };
	struct outbox_refs refs = { &tok, 1, &cm->id, 1 };
	const char *by = strcmp(who, "operator") == 0 ? t->operator_name : who;
	size_t i;
	int rc = 0;

	if (token_new(st, TOKEN_MODERATE, cm->id, NULL,
		      c->token_lifetime_days * 86400, ph, &tok.id, err) < 0)
		return -1;
	local = xasprintf("m_%s", ph);
	mid = mail_message_id(local, addr_domain(c));
	reply_to = addr_token(c, 'm', ph);
	thread = modmail_thread_id(c, cm);
	base = notify_moderator_subject(c, cm, a);
	subject = xasprintf("%s%s", t->re, base);
	url = notify_comment_url(a, cm->id);
	for (i = 0; i < to->n && rc == 0; i++) {
		struct mail m;

		mail_init(&m);
		notify_base_headers(&m, c, NULL, to->v[i], mid);
		mail_header(&m, "In-Reply-To", thread);
		mail_header(&m, "References", thread);
		mail_header_addr(&m, "Reply-To", c->address_from_name, reply_to);
		mail_header_text(&m, "Subject", subject);
		mail_printf(&m, t->handled, (long long)cm->id, what, by);
		mail_printf(&m, "%s\n\n", url);
		mail_puts(&m, t->handled_hint);
		rc = notify_queue(st, c, &m, "handled", to->v[i], &refs, err);
		mail_free(&m);
	}
	free(local);
	free(mid);
	free(reply_to);
	free(thread);
	free(base);
	free(subject);
	free(url);
	return rc;
}

int modmail_handled(struct store *st, const struct conf *c, const char *who,
		    int64_t id, const char *what, struct mc_err *err)
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
