/* person.c: one person's data as JSON (person.h). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "json.h"
#include "person.h"
#include "banned.h"

#define PERSON_FORMAT 1

static void pj_time(struct json *j, const char *key, sqlite3_stmt *s, int col)
{
	char iso[32];

	json_key(j, key);
	if (sqlite3_column_type(s, col) == SQLITE_NULL) {
		json_null(j);
		return;
	}
	time_iso8601(sqlite3_column_int64(s, col), iso);
	json_str(j, iso);
}

static void pj_text(struct json *j, const char *key, sqlite3_stmt *s, int col)
{
	json_kstr(j, key, (const char *)sqlite3_column_text(s, col));
}

/* Binds ?1 the address as given and ?2 its key, as forget does. */
static sqlite3_stmt *pj_stmt(struct store *st, const char *sql,
			     const char *address, const char *key,
			     struct mc_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);

	if (s) {
		sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	}
	return s;
}

static int pj_done(struct store *st, int rc, struct mc_err *err)
{
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "reading the database: %s",
		       sqlite3_errmsg(store_db(st)));
}

static int pj_sender(struct store *st, struct json *j, const char *address,
		     const char *key, struct person_counts *n,
		     struct mc_err *err)
{
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT address, banned, trusted, confirmed, unsubscribed,"
		" approved_count, created_at, updated_at FROM senders"
		" WHERE address = ?1 COLLATE NOCASE OR address = ?2"
		" ORDER BY created_at",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "sender");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_obj_begin(j);
		pj_text(j, "address", s, 0);
		json_kbool(j, "banned", sqlite3_column_int(s, 1));
		json_kbool(j, "trusted", sqlite3_column_int(s, 2));
		json_kbool(j, "confirmed", sqlite3_column_int(s, 3));
		json_kbool(j, "unsubscribed", sqlite3_column_int(s, 4));
		json_kint(j, "approved_count", sqlite3_column_int64(s, 5));
		pj_time(j, "first_seen", s, 6);
		pj_time(j, "updated", s, 7);
		json_obj_end(j);
		n->sender = 1;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

static int pj_comments(struct store *st, struct json *j, const char *address,
		       const char *key, struct person_counts *n,
		       struct mc_err *err)
{
	/* decided_by is a moderator's address: their data, not this
	 * person's; it is said by role */
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT k.id, a.slug, a.url, k.parent_id, k.status,"
		" k.author_name, k.author_address, k.subject, k.body,"
		" k.original_body, k.headers, k.auth, k.spam_score,"
		" k.created_at, k.decided_at, k.decided_by IS NOT NULL,"
		" k.muted, k.message_id, k.pruned_at"
		" FROM comments k JOIN articles a ON a.id = k.article_id"
		" WHERE k.author_key = ?2 OR k.author_address = ?1"
		" COLLATE NOCASE ORDER BY k.id",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "comments");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_obj_begin(j);
		json_kint(j, "id", sqlite3_column_int64(s, 0));
		pj_text(j, "article", s, 1);
		pj_text(j, "article_url", s, 2);
		json_key(j, "in_reply_to");
		if (sqlite3_column_type(s, 3) == SQLITE_NULL)
			json_null(j);
		else
			json_int(j, sqlite3_column_int64(s, 3));
		pj_text(j, "status", s, 4);
		pj_text(j, "name", s, 5);
		pj_text(j, "address", s, 6);
		pj_text(j, "subject", s, 7);
		pj_text(j, "text", s, 8);
		/* the text as sent, when a moderator edited it */
		pj_text(j, "text_as_sent", s, 9);
		pj_text(j, "mail_headers", s, 10);
		pj_text(j, "authentication", s, 11);
		json_key(j, "spam_score");
		if (sqlite3_column_type(s, 12) == SQLITE_NULL)
			json_null(j);
		else
			json_num(j, sqlite3_column_double(s, 12));
		pj_time(j, "received", s, 13);
		pj_time(j, "decided", s, 14);
		json_kstr(j, "decided_by",
			  sqlite3_column_int(s, 15) ? "a moderator" : NULL);
		json_kbool(j, "reply_notices_muted", sqlite3_column_int(s, 16));
		pj_text(j, "message_id", s, 17);
		pj_time(j, "mail_content_pruned", s, 18);
		json_obj_end(j);
		n->comments++;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

static int pj_follows(struct store *st, struct json *j, const char *address,
		      const char *key, struct person_counts *n,
		      struct mc_err *err)
{
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT a.slug, a.url, f.address, f.created_at FROM followers f"
		" JOIN articles a ON a.id = f.article_id"
		" WHERE f.address_key = ?2 OR f.address = ?1 COLLATE NOCASE"
		" ORDER BY f.id",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "follows");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_obj_begin(j);
		pj_text(j, "article", s, 0);
		pj_text(j, "article_url", s, 1);
		pj_text(j, "address", s, 2);
		pj_time(j, "since", s, 3);
		json_obj_end(j);
		n->follows++;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

/* The mail sent to the person (with its text) and the mail about them
 * sent to others (kind and dates only: its recipients are moderators). */
static int pj_mail(struct store *st, struct json *j, const char *address,
		   const char *key, struct person_counts *n,
		   struct mc_err *err)
{
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT o.kind, o.status, o.created_at, o.sent_at,"
		" o.recipient = ?1 COLLATE NOCASE OR o.recipient IN"
		"  (SELECT address FROM followers WHERE address_key = ?2),"
		" CAST(x.message AS TEXT) FROM outbox o"
		" JOIN outbox_text x ON x.outbox_id = o.id"
		" WHERE o.recipient = ?1 COLLATE NOCASE"
		" OR o.recipient IN (SELECT address FROM followers"
		"  WHERE address_key = ?2)"
		" OR o.id IN (SELECT outbox_id FROM outbox_comments WHERE"
		"  comment_id IN (SELECT id FROM comments WHERE author_key = ?2))"
		" OR instr(lower(CAST(x.message AS TEXT)), lower(?1)) > 0"
		" ORDER BY o.id",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "mail");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int to_them = sqlite3_column_int(s, 4);

		json_obj_begin(j);
		pj_text(j, "kind", s, 0);
		json_kstr(j, "to", to_them ? "you" : "the moderators");
		pj_text(j, "status", s, 1);
		pj_time(j, "queued", s, 2);
		pj_time(j, "sent", s, 3);
		/* the stored copy keeps placeholders where tokens were,
		 * never a token */
		json_kstr(j, "message", to_them ?
				(const char *)sqlite3_column_text(s, 5) : NULL);
		json_obj_end(j);
		n->mails++;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

static int pj_tokens(struct store *st, struct json *j, const char *address,
		     const char *key, struct person_counts *n,
		     struct mc_err *err)
{
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT purpose, comment_id, created_at, expires_at, revoked"
		" FROM tokens WHERE address = ?1 COLLATE NOCASE OR address IN"
		" (SELECT address FROM followers WHERE address_key = ?2)"
		" OR (purpose IN ('reader', 'confirm') AND comment_id IN"
		"  (SELECT id FROM comments WHERE author_key = ?2))"
		" ORDER BY id",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "tokens");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_obj_begin(j);
		pj_text(j, "purpose", s, 0);
		json_key(j, "comment");
		if (sqlite3_column_type(s, 1) == SQLITE_NULL)
			json_null(j);
		else
			json_int(j, sqlite3_column_int64(s, 1));
		pj_time(j, "issued", s, 2);
		pj_time(j, "expires", s, 3);
		json_kbool(j, "revoked", sqlite3_column_int(s, 4));
		json_obj_end(j);
		n->tokens++;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

static int pj_audit(struct store *st, struct json *j, const char *address,
		    const char *key, struct person_counts *n,
		    struct mc_err *err)
{
	/* detail may quote a moderator's reason or another address: only
	 * rows the person did themselves keep it */
	sqlite3_stmt *s = pj_stmt(st,
		"SELECT at, action, comment_id, actor = ?1 COLLATE NOCASE,"
		" actor, detail FROM audit WHERE actor = ?1 COLLATE NOCASE"
		" OR comment_id IN (SELECT id FROM comments WHERE"
		"  author_key = ?2)"
		" OR instr(lower(detail), lower(?1)) > 0 ORDER BY id",
		address, key, err);
	int rc;

	if (s == NULL)
		return -1;
	json_key(j, "history");
	json_arr_begin(j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int self = sqlite3_column_int(s, 3);
		const char *actor = (const char *)sqlite3_column_text(s, 4);

		json_obj_begin(j);
		pj_time(j, "at", s, 0);
		pj_text(j, "action", s, 1);
		json_key(j, "comment");
		if (sqlite3_column_type(s, 2) == SQLITE_NULL)
			json_null(j);
		else
			json_int(j, sqlite3_column_int64(s, 2));
		json_kstr(j, "by", self ? "you" :
			  actor && strcmp(actor, "operator") == 0 ?
				  "the site's operator" :
			  actor && strchr(actor, '@') ? "a moderator" :
							"the gateway");
		json_kstr(j, "detail", self ?
				(const char *)sqlite3_column_text(s, 5) : NULL);
		json_obj_end(j);
		n->audit++;
	}
	json_arr_end(j);
	return pj_done(st, rc, err);
}

int person_export(struct store *st, const struct conf *c,
		  const char *address, struct buf *out,
		  struct person_counts *n, struct mc_err *err)
{
	struct person_counts dummy;
	struct json j;
	char *key = addr_key(c, address), now_iso[32];
	int rc;

	if (n == NULL)
		n = &dummy;
	memset(n, 0, sizeof(*n));
	time_iso8601(now(), now_iso);
	json_init(&j, out, 1);
	json_obj_begin(&j);
	json_kint(&j, "format", PERSON_FORMAT);
	json_kstr(&j, "address", address);
	json_kstr(&j, "mailbox", key);
	json_kstr(&j, "site", c->site_url);
	json_kstr(&j, "exported", now_iso);
	rc = pj_sender(st, &j, address, key, n, err);
	if (rc == 0)
		rc = pj_comments(st, &j, address, key, n, err);
	if (rc == 0)
		rc = pj_follows(st, &j, address, key, n, err);
	if (rc == 0)
		rc = pj_mail(st, &j, address, key, n, err);
	if (rc == 0)
		rc = pj_tokens(st, &j, address, key, n, err);
	if (rc == 0)
		rc = pj_audit(st, &j, address, key, n, err);
	json_obj_end(&j);
	buf_addc(out, '\n');
	free(key);
	return rc;
}
