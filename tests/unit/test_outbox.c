/* test_outbox.c: the outbox holds no usable secret.  A queued mail's text
 * has an erased form where its tokens go; sending writes those its row
 * lists, where it says, in the header only, in memory; the row then loses
 * the nonces.  A mail whose token cannot be used is not sent. */
#include "testutil.h"

#include "compose.h"
#include "conf.h"
#include "outbox.h"
#include "outbox_beside.h"
#include "store.h"
#include "token.h"
#include "transport.h"

struct fx {
	char *dir;
	char *db;
	struct store *st;
	struct conf c;
};

/* A transport that keeps what it is given. */
static struct buf wire;
static int nsent;

static int fake_send(struct transport *t, const struct out_msg *m,
		     struct mc_err *err)
{
	(void)t;
	(void)err;
	buf_add(&wire, m->data, m->len);
	nsent++;
	return TRANSPORT_OK;
}

static void fake_close(struct transport *t)
{
	(void)t;
}

static const struct transport_ops fake_ops = { "fake", NULL, fake_send,
					       fake_close, NULL, 0, NULL };

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct mc_err err;

	fx->dir = tu_tmpdir();
	fx->db = xasprintf("%s/t.db", fx->dir);
	assert_int_equal(store_open(&fx->st, fx->db, &err), 0);
	conf_defaults(&fx->c);
	buf_init(&wire);
	nsent = 0;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	conf_free(&fx->c);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx->db);
	free(fx);
	buf_free(&wire);
	return 0;
}

static int flush(struct fx *fx, struct outbox_result *res)
{
	struct transport t = { &fake_ops, NULL };
	struct mc_err err;

	return outbox_flush(fx->st, &fx->c, &t, res, &err);
}

/* A notification-like mail: the placeholder in Message-ID, Reply-To and
 * List-Unsubscribe, with a long display name and domain. */
static char *make_mail(const char *ph, const char *header_extra,
		       const char *body, size_t *len)
{
	struct mail m;
	char *mid = xasprintf("<mailcomments.m_%s@a-rather-long-domain-name."
			      "example.org>", ph);
	char *rt = xasprintf("comments+m_%s@a-rather-long-domain-name."
			     "example.org", ph);
	char *lu = xasprintf("<mailto:comments+m_%s@a-rather-long-domain-"
			     "name.example.org?subject=unsubscribe>", ph);
	char *out;

	mail_init(&m);
	mail_header(&m, "Message-ID", mid);
	mail_header_addr(&m, "Reply-To",
			 "Les commentaires du très long nom de site éèà", rt);
	mail_header(&m, "List-Unsubscribe", lu);
	if (header_extra)
		mail_header(&m, "X-Extra", header_extra);
	mail_header_text(&m, "Subject", "Nouveau commentaire « test »");
	mail_puts(&m, body);
	out = mail_finish(&m, len);
	mail_free(&m);
	free(mid);
	free(rt);
	free(lu);
	return out;
}

static int count(const char *hay, size_t len, const char *needle)
{
	const char *p = hay, *end = hay + len;
	int n = 0;

	while ((p = memmem(p, (size_t)(end - p), needle, strlen(needle)))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static int db_holds(struct fx *fx, const char *s)
{
	struct buf b;
	struct mc_err err;
	int found;

	assert_int_equal(store_checkpoint(fx->st, &err), 0);
	buf_init(&b);
	assert_int_equal(read_file(fx->db, &b, 0, &err), 0);
	found = memmem(b.s, b.len, s, strlen(s)) != NULL;
	buf_free(&b);
	return found;
}

static int64_t scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, NULL);
	int64_t v;

	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

static void test_only_listed_placeholders_expand(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], other[TOKEN_LEN + 1], tok[TOKEN_LEN + 1];
	char tok_other[TOKEN_LEN + 1], *mail, *body;
	struct outbox_token ot;
	struct outbox_refs refs;
	struct outbox_result res;
	struct mc_err err;
	const char *why;
	int64_t id, id_other;
	size_t len;

	assert_int_equal(store_begin(fx->st, &err), 0);
	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	/* a placeholder of the gateway that this mail does not list, and
	 * the listed one in a commenter's words */
	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, other,
				   &id_other, &err), 0);
	body = xasprintf("A comment that says\n%s\nand\n%s\n", ph, other);
	mail = make_mail(ph, other, body, &len);
	/* folding and encoding leave the placeholder whole in the header */
	assert_int_equal(count(mail, (size_t)(strstr(mail, "\r\n\r\n") - mail),
			       ph), 3);
	ot.id = id;
	ot.placeholder = ph;
	memset(&refs, 0, sizeof(refs));
	refs.tokens = &ot;
	refs.ntokens = 1;
	assert_int_equal(outbox_queue(fx->st, &fx->c, "notification", "m@example.org",
				      mail, len, &refs, &err), 0);
	assert_int_equal(store_commit(fx->st, &err), 0);
	/* the stored text has the erased form where the header had the
	 * placeholder, the row lists where (three places), and the words
	 * are as written */
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox_text"
				" WHERE instr(message, (SELECT nonce FROM"
				" outbox_tokens)) > 0"), 1);
	assert_int_equal(scalar(fx->st, "SELECT length(at) - length(replace(at,"
				" ' ', '')) FROM outbox_tokens"), 2);
	assert_int_equal(scalar(fx->st, "SELECT instr(x.message, t.nonce) >"
				" instr(x.message, X'0d0a0d0a') FROM outbox_text x"
				" JOIN outbox_tokens t USING (outbox_id)"), 1);
	assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err), 0);
	assert_int_equal(token_expand(fx->st, id_other, other, tok_other, &why,
				      &err), 0);
	assert_false(db_holds(fx, tok));

	assert_int_equal(flush(fx, &res), 0);
	assert_int_equal(res.sent, 1);
	/* the header carries the token three times; the body is as written */
	assert_int_equal(count(wire.s, wire.len, tok), 3);
	assert_int_equal(count(wire.s, wire.len, ph), 1);
	assert_int_equal(count(wire.s, wire.len, other), 2);
	assert_int_equal(count(wire.s, wire.len, tok_other), 0);
	/* nothing of it stays */
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox_tokens"), 0);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox o JOIN"
				" outbox_text x ON x.outbox_id = o.id WHERE"
				" o.status = 'sent' AND instr(x.message,"
				" 'comments+m_00000000000000000000000000000000@')"
				" > 0"), 1);
	assert_false(db_holds(fx, tok));
	free(body);
	free(mail);
}

/* A placeholder must be where no encoding can split it: the header. */
static void test_placeholder_in_body_refused(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], *mail, *body;
	struct outbox_token ot;
	struct outbox_refs refs = { &ot, 1, NULL, 0 };
	struct mc_err err;
	int64_t id;
	size_t len;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	body = xasprintf("Reply to comments+m_%s@example.org\n", ph);
	mail = make_mail("abcdefghijklmnopqrstuvwxyz234567", NULL, body, &len);
	ot.id = id;
	ot.placeholder = ph;
	assert_int_equal(outbox_queue(fx->st, &fx->c, "notification", "m@example.org",
				      mail, len, &refs, &err), -1);
	assert_non_null(strstr(err.msg, "not in its header"));
	free(body);
	free(mail);
}

static void test_revoked_not_sent(void **state)
{
	struct fx *fx = *state;
	char ph[TOKEN_LEN + 1], *mail;
	struct outbox_token ot;
	struct outbox_refs refs = { &ot, 1, NULL, 0 };
	struct outbox_result res;
	struct mc_err err;
	int64_t id;
	size_t len;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   &id, &err), 0);
	mail = make_mail(ph, NULL, "text\n", &len);
	ot.id = id;
	ot.placeholder = ph;
	assert_int_equal(outbox_queue(fx->st, &fx->c, "notification", "m@example.org",
				      mail, len, &refs, &err), 0);
	assert_int_equal(token_revoke_id(fx->st, id, &err), 0);
	assert_int_equal(flush(fx, &res), 0);
	assert_int_equal(nsent, 0);
	assert_int_equal(res.failed, 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox WHERE"
				" status = 'failed' AND last_error LIKE"
				" '%revoked%'"), 1);
	assert_false(db_holds(fx, ph));
	free(mail);
}

/* A batch transport whose verdict follows the recipient: ok..., temp...
 * or perm...; it counts its batches. */
static int nbatches;

static void batch_send(struct transport *t, const struct out_msg *m,
		       size_t n, int *status, struct mc_err *errs)
{
	size_t i;

	(void)t;
	nbatches++;
	for (i = 0; i < n; i++) {
		status[i] = strncmp(m[i].recipient, "ok", 2) == 0 ?
				    TRANSPORT_OK :
			    strncmp(m[i].recipient, "temp", 4) == 0 ?
				    TRANSPORT_TEMPFAIL :
				    TRANSPORT_PERMFAIL;
		if (status[i] != TRANSPORT_OK)
			err_set(&errs[i], "refused %s", m[i].recipient);
		else
			buf_add(&wire, m[i].data, m[i].len);
	}
}

static const struct transport_ops batch_ops = { "batch", NULL, fake_send,
						fake_close, batch_send, 4, NULL };

/* One batch, three verdicts, one transaction: only what the transport
 * delivered is marked sent and loses its placeholders; a temporary
 * failure keeps them for the retry. */
static void test_batch_verdicts(void **state)
{
	struct fx *fx = *state;
	const char *to[] = { "ok1@example.org", "temp@example.org",
			     "perm@example.org", "ok2@example.org",
			     "ok3@example.org", "ok4@example.org" };
	struct transport t = { &batch_ops, NULL };
	struct outbox_result res;
	struct mc_err err;
	size_t i;

	for (i = 0; i < 6; i++) {
		char ph[TOKEN_LEN + 1], *mail;
		struct outbox_token ot;
		struct outbox_refs refs = { &ot, 1, NULL, 0 };
		int64_t id;
		size_t len;

		assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL,
					   3600, ph, &id, &err), 0);
		mail = make_mail(ph, NULL, "text\n", &len);
		ot.id = id;
		ot.placeholder = ph;
		assert_int_equal(outbox_queue(fx->st, &fx->c, "notification",
					      to[i], mail, len, &refs, &err), 0);
		free(mail);
	}
	nbatches = 0;
	assert_int_equal(outbox_flush(fx->st, &fx->c, &t, &res, &err), 0);
	/* six rows, four to a batch */
	assert_int_equal(nbatches, 2);
	assert_int_equal(res.sent, 4);
	assert_int_equal(res.deferred, 1);
	assert_int_equal(res.failed, 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox WHERE"
				" status = 'sent' AND id IN (1, 4, 5, 6)"), 4);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox WHERE"
				" id = 2 AND status = 'queued' AND attempts = 1"
				" AND last_error = 'refused temp@example.org'"), 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox WHERE"
				" id = 3 AND status = 'failed'"), 1);
	/* the deferred row alone keeps its nonce and where it goes */
	assert_int_equal(scalar(fx->st, "SELECT group_concat(outbox_id)"
				" FROM outbox_tokens WHERE at != ''"), 2);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox_tokens"),
			 1);
}

/* Before placeholders, each mail was kept with its tokens in clear.  The
 * migration leaves none: sent mail loses them (the moderators' copies stay
 * good), queued mail gets successors with placeholders (the old tokens,
 * never delivered, are revoked), stored comments are scrubbed, and the
 * mails are linked to the comments they show. */
static void old_token(char out[TOKEN_LEN + 1], char c)
{
	memset(out, 'q', TOKEN_LEN);
	out[TOKEN_LEN - 1] = c;
	out[TOKEN_LEN] = '\0';
}

static void exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static void old_row(struct store *st, int64_t id, const char *status,
		    const char *kind, const char *to, const char *text)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO outbox (id, kind, recipient, message, status,"
		" created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0)",
		NULL);
	struct mc_err err;

	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, kind);
	store_bind_text(stmt, 3, to);
	sqlite3_bind_blob(stmt, 4, text, (int)strlen(text), SQLITE_TRANSIENT);
	store_bind_text(stmt, 5, status);
	sqlite3_bind_int64(stmt, 6, now());
	assert_int_equal(store_step_done(st, stmt, &err), 0);
}

static void test_migration_scrubs_old_tokens(void **state)
{
	struct fx *fx = *state;
	char t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1], t3[TOKEN_LEN + 1];
	char *path = xasprintf("%s/old.db", fx->dir), *sql, *text, h[3][65];
	char tok[TOKEN_LEN + 1];
	const char *p;
	struct store *st;
	struct mc_err err;
	struct outbox_result res;
	struct transport t = { &fake_ops, NULL };
	enum token_status ts;
	struct token_row row;
	struct buf b;

	old_token(t1, 'b');
	old_token(t2, 'c');
	old_token(t3, 'd');
	sha256_hex(t1, TOKEN_LEN, h[0]);
	sha256_hex(t2, TOKEN_LEN, h[1]);
	sha256_hex(t3, TOKEN_LEN, h[2]);
	assert_int_equal(store_open_version(&st, path, 2, &err), 0);
	sql = xasprintf(
		"INSERT INTO articles (id, slug, created_at) VALUES (1, 'a', 0);"
		"INSERT INTO comments (id, article_id, author_name, author_address,"
		" body, created_at, updated_at, headers) VALUES (1, 1, 'A',"
		" 'a@b.org', 'x', 0, 0, 'In-Reply-To: <mailcomments.m_%s@e.org>');"
		"INSERT INTO tokens (id, hash, purpose, comment_id, address,"
		" created_at, expires_at) VALUES"
		" (1, '%s', 'moderate', 1, NULL, 0, 9999999999),"
		" (2, '%s', 'confirm', 1, 'a@b.org', 0, 9999999999),"
		" (3, '%s', 'moderate', 1, NULL, 0, 9999999999);",
		t3, h[0], h[1], h[2]);
	exec_sql(st, sql);
	free(sql);
	/* one notification, sent to a moderator and queued for another */
	text = xasprintf("Message-ID: <mailcomments.m_%s@e.org>\r\n"
			 "Reply-To: <comments+m_%s@e.org>\r\n\r\nbody\r\n",
			 t1, t1);
	old_row(st, 1, "sent", "notification", "m1@e.org", text);
	old_row(st, 2, "queued", "notification", "m2@e.org", text);
	free(text);
	text = xasprintf("Message-ID: <mailcomments.c_%s@e.org>\r\n"
			 "Reply-To: <comments+c_%s@e.org>\r\n\r\nbody\r\n",
			 t2, t2);
	old_row(st, 3, "queued", "confirmation", "a@b.org", text);
	free(text);
	old_row(st, 4, "sent", "publish-notice", "a@b.org",
		"Message-ID: <mailcomments.n1.0011223344556677@e.org>\r\n\r\nx\r\n");
	/* what an earlier version deleted stayed in the file's free space */
	exec_sql(st, "PRAGMA secure_delete = OFF;"
		     "INSERT INTO comments (id, article_id, author_name,"
		     " author_address, body, created_at, updated_at) VALUES (2, 1,"
		     " 'Gone', 'gone@b.org', 'forgottenwordxyz', 0, 0);");
	store_close(st);
	assert_int_equal(store_open_version(&st, path, 2, &err), 0);
	exec_sql(st, "PRAGMA secure_delete = OFF;"
		     "DELETE FROM comments WHERE id = 2;");
	store_close(st);
	buf_init(&b);
	assert_int_equal(read_file(path, &b, 0, &err), 0);
	assert_non_null(memmem(b.s, b.len, "forgottenwordxyz", 16));
	buf_free(&b);

	assert_int_equal(store_open(&st, path, &err), 0);
	assert_int_equal(store_checkpoint(st, &err), 0);
	buf_init(&b);
	assert_int_equal(read_file(path, &b, 0, &err), 0);
	assert_null(memmem(b.s, b.len, t1, TOKEN_LEN));
	assert_null(memmem(b.s, b.len, t2, TOKEN_LEN));
	assert_null(memmem(b.s, b.len, t3, TOKEN_LEN));
	assert_null(memmem(b.s, b.len, "forgottenwordxyz", 16));
	buf_free(&b);
	/* the delivered token stays good, the never-delivered one is gone */
	assert_int_equal(token_check(st, TOKEN_MODERATE, t1, &ts, &row, &err), 0);
	assert_int_equal(ts, TOKEN_VALID);
	token_row_free(&row);
	assert_int_equal(token_check(st, TOKEN_CONFIRM, t2, &ts, &row, &err), 0);
	assert_int_equal(ts, TOKEN_REVOKED);
	token_row_free(&row);
	assert_int_equal(scalar(st, "SELECT count(*) FROM outbox_tokens"), 2);
	assert_int_equal(scalar(st, "SELECT count(*) FROM outbox_comments"
				" WHERE comment_id = 1"), 4);
	/* the sent copy, and (version 18) the queued one, whose token
	 * goes where the erased form is */
	assert_int_equal(scalar(st, "SELECT count(*) FROM outbox_text WHERE"
				" instr(message, 'm_000000000000') > 0"), 2);
	assert_int_equal(scalar(st, "SELECT count(*) FROM outbox_tokens"
				" WHERE at = ''"), 0);

	/* the queued mails leave with working successors */
	assert_int_equal(outbox_flush(st, &fx->c, &t, &res, &err), 0);
	assert_int_equal(res.sent, 2);
	p = strstr(wire.s, "Reply-To: <comments+m_");
	assert_non_null(p);
	memcpy(tok, p + 22, TOKEN_LEN);
	tok[TOKEN_LEN] = '\0';
	assert_string_not_equal(tok, t1);
	assert_int_equal(token_check(st, TOKEN_MODERATE, tok, &ts, &row, &err), 0);
	assert_int_equal(ts, TOKEN_VALID);
	assert_int_equal(row.comment_id, 1);
	token_row_free(&row);
	p = strstr(wire.s, "Reply-To: <comments+c_");
	assert_non_null(p);
	memcpy(tok, p + 22, TOKEN_LEN);
	assert_int_equal(token_check(st, TOKEN_CONFIRM, tok, &ts, &row, &err), 0);
	assert_int_equal(ts, TOKEN_VALID);
	assert_string_equal(row.address, "a@b.org");
	token_row_free(&row);
	store_close(st);
	free(path);
}

/* Beside the batches: only the rows allowed go, each noted in the sent
 * log; the next flush records them as sent without sending them again,
 * and sends the rest. */
static void test_beside_sends_only_allowed(void **state)
{
	struct fx *fx = *state;
	struct transport *t = xcalloc(1, sizeof(*t));
	struct outbox_beside *ob;
	struct outbox_result res;
	struct mc_err err;
	char *log = xasprintf("%s.outbox-sent", fx->db);
	struct buf b;
	int i;

	free(fx->c.database_path);
	fx->c.database_path = xstrdup(fx->db);
	for (i = 0; i < 6; i++) {
		char *mail = xasprintf("Subject: n%d\r\n\r\nbody\r\n", i);

		assert_int_equal(outbox_queue(fx->st, &fx->c, "notice",
					      "moderator@example.org", mail,
					      strlen(mail), NULL, &err),
				 0);
		free(mail);
	}
	t->ops = &fake_ops;
	ob = outbox_beside_start(fx->st, &fx->c, t);
	assert_non_null(ob);
	outbox_beside_allow(ob, 3);
	for (i = 0; i < 500 && nsent < 3; i++)
		usleep(10000);
	usleep(50000); /* time enough to go too far */
	assert_int_equal(nsent, 3);
	assert_int_equal(outbox_beside_stop(ob), 3);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox"
				" WHERE status = 'queued'"), 6);
	buf_init(&b);
	assert_int_equal(read_file(log, &b, 0, &err), 0);
	assert_string_equal(b.s, "1\n2\n3\n");
	buf_free(&b);
	assert_int_equal(flush(fx, &res), 0);
	assert_int_equal(res.sent, 6);
	assert_int_equal(nsent, 6); /* the first three not again */
	assert_int_equal(count(wire.s, wire.len, "Subject: n0"), 1);
	assert_int_equal(count(wire.s, wire.len, "Subject: n5"), 1);
	assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox"
				" WHERE status = 'sent'"), 6);
	buf_init(&b);
	assert_int_equal(read_file(log, &b, 0, &err), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	free(log);
}

/* s with each "what" replaced by "with"; frees s. */
static char *subst(char *s, const char *what, const char *with)
{
	struct buf b;
	const char *p = s, *q;

	buf_init(&b);
	while ((q = strstr(p, what))) {
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, with);
		p = q + strlen(what);
	}
	buf_adds(&b, p);
	free(s);
	return buf_detach(&b);
}

/* Queues a notification with a new token (its placeholder into ph, its
 * id into *id) whose body holds the erased form too, as a comment can;
 * returns the mail as queued (free it). */
static char *queue_zeros(struct fx *fx, char ph[TOKEN_LEN + 1], int64_t *id)
{
	struct outbox_token ot;
	struct outbox_refs refs = { &ot, 1, NULL, 0 };
	struct mc_err err;
	size_t len;
	char *mail;

	assert_int_equal(token_new(fx->st, TOKEN_MODERATE, 0, NULL, 3600, ph,
				   id, &err), 0);
	mail = make_mail(ph, NULL, "00000000000000000000000000000000\n",
			 &len);
	ot.id = *id;
	ot.placeholder = ph;
	assert_int_equal(outbox_queue(fx->st, &fx->c, "notification",
				      "m@example.org", mail, len, &refs, &err),
			 0);
	return mail;
}

/* Where a token goes is checked before it is written: in the header, on
 * the erased form.  A row whose list says otherwise (a damaged or edited
 * database) is failed unsent, and no token reaches its body. */
static void test_token_goes_only_where_erased(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = {
		"",                    /* nowhere */
		"0",                   /* the header, not the erased form */
		"99999",               /* past the text */
		"18446744073709551615", /* past anything */
		"-1",
		"12x",
		"G 0",                 /* a good place (G), then a bad one */
		"G ",
		"G B",                 /* the body (B), where zeros are too */
		"G G",                 /* twice the same place */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], *mail, *at, *sql;
		char good[24], body_at[24];
		struct outbox_result res;
		struct mc_err err;
		const char *why, *b;
		int64_t id, row;

		mail = queue_zeros(fx, ph, &id);
		row = scalar(fx->st, "SELECT max(outbox_id) FROM outbox_tokens");
		snprintf(good, sizeof(good), "%lld",
			 (long long)scalar(fx->st, "SELECT substr(at, 1,"
					   " instr(at || ' ', ' ') - 1) FROM"
					   " outbox_tokens"));
		b = strstr(mail, "\r\n\r\n");
		assert_non_null(b);
		snprintf(body_at, sizeof(body_at), "%zu",
			 (size_t)(b + 4 - mail));
		at = xstrdup(bad[i]);
		at = subst(at, "G", good);
		at = subst(at, "B", body_at);
		sql = sqlite3_mprintf("UPDATE outbox_tokens SET at = %Q"
				      " WHERE outbox_id = %lld", at,
				      (long long)row);
		exec_sql(fx->st, sql);
		sqlite3_free(sql);
		buf_reset(&wire);
		nsent = 0;
		assert_int_equal(flush(fx, &res), 0);
		if (nsent != 0 || res.failed != 1)
			fail_msg("at = \"%s\": sent %d, failed %d", at, nsent,
				 res.failed);
		assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err),
				 0);
		assert_false(db_holds(fx, tok));
		assert_int_equal(scalar(fx->st, "SELECT count(*) FROM outbox"
					" WHERE status = 'failed' AND last_error"
					" LIKE '%not in its header%'"),
				 (int64_t)i + 1);
		free(at);
		free(mail);
	}
	/* and the list as queued works */
	{
		char ph[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], *mail;
		struct outbox_result res;
		struct mc_err err;
		const char *why;
		int64_t id;

		mail = queue_zeros(fx, ph, &id);
		buf_reset(&wire);
		assert_int_equal(flush(fx, &res), 0);
		assert_int_equal(res.sent, 1);
		assert_int_equal(token_expand(fx->st, id, ph, tok, &why, &err),
				 0);
		assert_int_equal(count(wire.s, wire.len, tok), 3);
		assert_int_equal(count(wire.s, wire.len,
				       "\r\n\r\n00000000000000000000000000000000"),
				 1);
		free(mail);
	}
}

/* The Maildir transport stores LF line ends: each CRLF loses its CR, a
 * CR elsewhere (alone, doubled, last) stays. */
static void test_maildir_file_lf(void **state)
{
	struct fx *fx = *state;
	static const char mail[] = "Subject: a\r\nX: b\rc\r\r\n\r\n"
				   "body\r\n\r\nend\r";
	static const char want[] = "Return-Path: <s@example.org>\n"
				   "Delivered-To: r@example.org\n"
				   "Subject: a\nX: b\rc\r\n\nbody\n\nend\r";
	struct out_msg m = { 7, "s@example.org", "r@example.org", mail,
			     sizeof(mail) - 1 };
	struct transport *t;
	struct mc_err err;
	struct buf b;
	char *path;

	free(fx->c.transport_type);
	fx->c.transport_type = xstrdup("maildir");
	free(fx->c.transport_maildir);
	fx->c.transport_maildir = xasprintf("%s/out", fx->dir);
	assert_int_equal(transport_open(&t, &fx->c, &err), 0);
	assert_int_equal(transport_send(t, &m, &err), TRANSPORT_OK);
	transport_close(t);
	path = xasprintf("%s/out/new/outbox-7.eml", fx->dir);
	buf_init(&b);
	assert_int_equal(read_file(path, &b, 0, &err), 0);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.s, want, b.len);
	buf_free(&b);
	free(path);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_only_listed_placeholders_expand),
		T(test_placeholder_in_body_refused),
		T(test_revoked_not_sent),
		T(test_batch_verdicts),
		T(test_migration_scrubs_old_tokens),
		T(test_beside_sends_only_allowed),
		T(test_token_goes_only_where_erased),
		T(test_maildir_file_lf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
