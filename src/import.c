/* import.c: the writer every import format shares (import.h): threads to
 * articles, bodies through the HTML mail's rules, one row per comment and
 * its (format, source id) in import_map, parents linked at the end. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import.h"
#include "address.h"
#include "articles.h"
#include "htmltext.h"
#include "strmap.h"
#include "term.h"
#include "banned.h"

static const char *const status_names[IMPORT_NSTATUS] = {
	"approved", "pending", "spam", "deleted", "rejected",
};

struct import {
	struct store *st;
	const struct conf *c;
	char *format;
	char *base_host; /* where the export's threads lived, lowercased */
	char *base_path; /* its path, "/" at least */
	int dry, create;
	struct smap articles; /* key (host/path or slug) -> article id */
	struct smap threads;  /* thread key -> article id, -1: unmatched,
			       * -2: to be created (dry run) */
	struct smap dirty;    /* article ids (as text) marked for a render */
	struct smap authors;  /* author keys or names */
	long fresh[IMPORT_NSTATUS], known[IMPORT_NSTATUS];
	long unmatched_comments, created_articles;
	struct strlist unmatched; /* thread URLs that match no article */
	struct smap matched;      /* article ids (as text) threads matched */
	int64_t oldest, newest;
	FILE *tty;  /* progress, or NULL */
	long seen;  /* comments read */
	struct smap dry_ids; /* dry, our own format: source ids to add */
	long senders_new, senders_changed, senders_same;
	long audit_new, audit_known, audit_orphan;
};

/* The host (lowercased, without "www.") and path of an absolute URL, or
 * of a path ("/a/b": host NULL).  Query and fragment dropped. */
static void url_split(const char *url, char **host, char **path)
{
	const char *p = strstr(url, "://"), *e;
	size_t n;

	*host = NULL;
	if (p) {
		p += 3;
		e = p + strcspn(p, "/?#");
		if (e - p > 4 && strncasecmp(p, "www.", 4) == 0)
			p += 4;
		*host = xmalloc((size_t)(e - p) + 1);
		memcpy(*host, p, (size_t)(e - p));
		(*host)[e - p] = '\0';
		ascii_lower(*host);
		/* a port or userinfo stay in it: another host */
		url = e;
	}
	n = strcspn(url, "?#");
	*path = xmalloc(n + 2);
	if (url[0] != '/') {
		(*path)[0] = '/';
		memcpy(*path + 1, url, n);
		(*path)[n + 1] = '\0';
	} else {
		memcpy(*path, url, n);
		(*path)[n] = '\0';
	}
}

/* A page's path as a slug candidate: "a/b/", "/a/b/index.html",
 * "/a/b.html" and "/a/b" are all "a/b". */
static char *path_slug(const char *path)
{
	char *s = xstrdup(path + strspn(path, "/"));
	size_t n = strlen(s);

	if (n >= 10 && strcmp(s + n - 10, "index.html") == 0)
		s[n -= 10] = '\0';
	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	if (n >= 5 && strcmp(s + n - 5, ".html") == 0)
		s[n -= 5] = '\0';
	return s;
}

/* The key a thread is matched by: the slug its URL gives relative to the
 * base (host ignored when the URL is a path), or "//host/slug" for a URL
 * elsewhere. */
static char *thread_key(const struct import *im, const char *url)
{
	char *host, *path, *slug, *key;
	size_t bl = strlen(im->base_path);

	url_split(url, &host, &path);
	if ((host == NULL || strcmp(host, im->base_host) == 0) &&
	    strncmp(path, im->base_path, bl) == 0) {
		slug = path_slug(path + bl);
		free(host);
		free(path);
		return slug;
	}
	slug = path_slug(path);
	key = xasprintf("//%s/%s", host ? host : "", slug);
	free(host);
	free(path);
	free(slug);
	return key;
}

static void set_base(struct import *im, const char *base)
{
	char *path;
	size_t n;

	url_split(base, &im->base_host, &path);
	if (im->base_host == NULL)
		im->base_host = xstrdup("");
	n = strlen(path);
	if (n == 0 || path[n - 1] != '/') {
		im->base_path = xasprintf("%s/", path);
		free(path);
	} else {
		im->base_path = path;
	}
}

/* Every known article under two keys: its slug, and the key its URL
 * gives (which is its slug too when it lives under the base). */
static int load_articles(struct import *im, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"SELECT id, slug, url FROM articles", err);
	int rc, added;

	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(stmt, 0);
		const char *slug = (const char *)sqlite3_column_text(stmt, 1);
		const char *url = (const char *)sqlite3_column_text(stmt, 2);

		smap_get(&im->articles, slug ? slug : "", &added)->val = id;
		if (url && url[0]) {
			char *k = thread_key(im, url);
			struct smap_ent *e = smap_get(&im->articles, k, &added);

			if (added)
				e->val = id;
			free(k);
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return err_set(err, "reading the articles: %s",
			       sqlite3_errmsg(store_db(im->st)));
	return 0;
}

int import_start(struct import **imp, struct store *st, const struct conf *c,
		 const char *format, const char *base, int dry, int create,
		 struct mc_err *err)
{
	struct import *im = xcalloc(1, sizeof(*im));

	im->st = st;
	im->c = c;
	im->format = xstrdup(format);
	im->dry = dry;
	im->create = create;
	set_base(im, base && base[0] ? base : c->site_url);
	*imp = im;
	return load_articles(im, err);
}

/* The article a thread belongs to: 0 when none (the thread is then
 * listed once in the report), created when asked and its key a slug. */
static int thread_article(struct import *im, const struct import_rec *r,
			  int64_t *id, struct mc_err *err)
{
	char *key = thread_key(im, r->thread_url ? r->thread_url : "");
	struct smap_ent *e, *a;
	int added;

	e = smap_get(&im->threads, key, &added);
	if (!added) {
		*id = e->val;
		free(key);
		return 0;
	}
	a = smap_find(&im->articles, key);
	if (a) {
		char k[32];

		e->val = a->val;
		snprintf(k, sizeof(k), "%lld", (long long)a->val);
		smap_get(&im->matched, k, &added);
	} else if (im->create && slug_valid(key)) {
		struct article art;
		int rc = 0;

		im->created_articles++;
		e->val = -2; /* dry: would be created */
		if (!im->dry) {
			if (article_add(im->st, im->c, key, r->thread_title,
					NULL, err) < 0 ||
			    (rc = article_find(im->st, key, &art, err)) < 0) {
				free(key);
				return -1;
			}
			if (rc == 1) {
				e->val = art.id;
				article_free(&art);
			}
		}
	} else {
		e->val = -1;
		strlist_add(&im->unmatched, r->thread_url ? r->thread_url : "");
	}
	*id = e->val;
	free(key);
	return 0;
}

static int already(struct import *im, const char *source_id,
		   struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"SELECT 1 FROM import_map WHERE format = ? AND source_id = ?",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, im->format);
	store_bind_text(stmt, 2, source_id);
	return store_step_exists(im->st, stmt, err);
}

/* The body as we store it: HTML made text by the HTML mail's rules
 * (htmltext.h, under the same limits), so that nothing of the markup
 * imported is ever published as markup. */
static char *body_text(const struct import *im, const struct import_rec *r)
{
	struct htmltext_limits lim = {
		(size_t)im->c->limit_html_elements,
		(size_t)im->c->limit_html_depth,
		(size_t)im->c->limit_text_size,
		(size_t)im->c->limit_text_lines,
	};
	const char *b = r->body ? r->body : "";
	struct buf out;

	if (!r->body_is_html)
		return xstrdup(b);
	buf_init(&out);
	if (htmltext_convert(b, strlen(b), &lim, &out) < 0) {
		buf_free(&out);
		return xstrdup(""); /* not HTML libxml2 could read */
	}
	buf_adds(&out, "");
	return buf_detach(&out);
}

static int insert(struct import *im, const struct import_rec *r,
		  int64_t article, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"INSERT INTO comments (id, article_id, author_name, author_address,"
		" author_key, body, status, created_at, updated_at, decided_at,"
		" decided_by, source, by_moderator) VALUES (CASE WHEN ?11 IS NULL"
		" OR EXISTS (SELECT 1 FROM comments WHERE id = ?11) THEN NULL"
		" ELSE ?11 END, ?1, ?2, ?3, ?4, ?5,"
		" ?6, ?7, ?7, CASE WHEN ?6 = 'pending' THEN NULL"
		" ELSE COALESCE(?10, ?7) END,"
		" CASE WHEN ?6 = 'pending' THEN NULL"
		" ELSE COALESCE(?12, 'import') END, ?8, ?9)",
		err);
	const char *addr = r->author_address;
	char *key = NULL, *body, *source;
	int64_t cid;

	if (stmt == NULL)
		return -1;
	if (addr && addr[0] == '\0')
		addr = NULL;
	if (addr)
		key = addr_key(im->c, addr);
	body = body_text(im, r);
	source = xasprintf("import:%s", im->format);
	sqlite3_bind_int64(stmt, 1, article);
	store_bind_text(stmt, 2, r->author_name && r->author_name[0]
			? r->author_name : "Anonymous");
	/* an anonymous author has no address: "" (the column is NOT NULL)
	 * and no key, so that no sender's counts or forget reach them */
	store_bind_text(stmt, 3, addr ? addr : "");
	store_bind_text(stmt, 4, key);
	store_bind_text(stmt, 5, body);
	store_bind_text(stmt, 6, status_names[r->status]);
	sqlite3_bind_int64(stmt, 7, r->created_at > 0 ? r->created_at : now());
	store_bind_text(stmt, 8, source);
	sqlite3_bind_int(stmt, 9, r->by_moderator != 0);
	if (r->decided_at > 0)
		sqlite3_bind_int64(stmt, 10, r->decided_at);
	if (r->want_id > 0)
		sqlite3_bind_int64(stmt, 11, r->want_id);
	store_bind_text(stmt, 12, r->decided_by && r->decided_by[0]
			? r->decided_by : NULL);
	free(key);
	free(body);
	free(source);
	if (store_step_done(im->st, stmt, err) < 0)
		return err_prefix(err, "storing comment %s: ", r->source_id);
	cid = sqlite3_last_insert_rowid(store_db(im->st));
	stmt = store_stmt(im->st,
		"INSERT INTO import_map (format, source_id, comment_id,"
		" parent_source, imported_at) VALUES (?, ?, ?, ?, ?)", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, im->format);
	store_bind_text(stmt, 2, r->source_id);
	sqlite3_bind_int64(stmt, 3, cid);
	store_bind_text(stmt, 4, r->parent_id && r->parent_id[0]
			? r->parent_id : NULL);
	sqlite3_bind_int64(stmt, 5, now());
	return store_step_done(im->st, stmt, err);
}

static int mark_dirty(struct import *im, int64_t article,
		      struct mc_err *err)
{
	char k[32];
	int added;

	snprintf(k, sizeof(k), "%lld", (long long)article);
	smap_get(&im->dirty, k, &added);
	if (!added || im->dry)
		return 0;
	return article_mark_dirty(im->st, article, err);
}

void import_progress(struct import *im, FILE *tty)
{
	im->tty = tty;
}

int import_add(struct import *im, const struct import_rec *r,
	       struct mc_err *err)
{
	int64_t article;
	int rc, added;

	if (im->tty && ++im->seen % 1000 == 0) {
		fprintf(im->tty, "\r%ld comments read", im->seen);
		fflush(im->tty);
	}
	if (r->source_id == NULL || r->source_id[0] == '\0')
		return err_set(err, "a comment without an id (thread %s)",
			       r->thread_url ? r->thread_url : "none");
	if ((rc = already(im, r->source_id, err)) < 0)
		return -1;
	if (rc == 1) {
		im->known[r->status]++;
		return 0;
	}
	if (thread_article(im, r, &article, err) < 0)
		return -1;
	if (article == -1) {
		im->unmatched_comments++;
		return 0;
	}
	im->fresh[r->status]++;
	smap_get(&im->authors, r->author_address && r->author_address[0]
		 ? r->author_address : r->author_name ? r->author_name : "",
		 &added);
	if (r->created_at > 0 && (im->oldest == 0 || r->created_at < im->oldest))
		im->oldest = r->created_at;
	if (r->created_at > im->newest)
		im->newest = r->created_at;
	if (im->dry) {
		/* what a dry run's audit rows would be mapped to */
		if (strcmp(im->format, "mailcomments") == 0)
			smap_get(&im->dry_ids, r->source_id, &added);
		return 0;
	}
	if (insert(im, r, article, err) < 0)
		return -1;
	return mark_dirty(im, article, err);
}

/* ?1 the key, ?2..?5 the flags, ?6 approved_count, ?7 created_at (t
 * when the file has none): what sender_news() compares and
 * sender_merge() writes. */
static void bind_state(sqlite3_stmt *stmt, const char *key,
		       const struct import_sender *s, int64_t t)
{
	store_bind_text(stmt, 1, key);
	sqlite3_bind_int(stmt, 2, s->banned != 0);
	sqlite3_bind_int(stmt, 3, s->trusted != 0);
	sqlite3_bind_int(stmt, 4, s->confirmed != 0);
	sqlite3_bind_int(stmt, 5, s->unsubscribed != 0);
	sqlite3_bind_int64(stmt, 6, s->approved_count > 0 ? s->approved_count
							  : 0);
	sqlite3_bind_int64(stmt, 7, s->created_at > 0 ? s->created_at : t);
}

/* 1: the sender is not known yet, 2: the state would raise something,
 * 0: nothing to do. */
static int sender_news(struct import *im, const char *key,
		       const struct import_sender *s, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"SELECT banned < ?2 OR trusted < ?3 OR confirmed < ?4"
		" OR unsubscribed < ?5 OR approved_count < ?6"
		" OR created_at > ?7 FROM senders WHERE address = ?1", err);
	int rc;

	if (stmt == NULL)
		return -1;
	bind_state(stmt, key, s, now());
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = sqlite3_column_int(stmt, 0) ? 2 : 0;
	else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = err_set(err, "reading sender: %s",
			     sqlite3_errmsg(store_db(im->st)));
	sqlite3_reset(stmt);
	return rc;
}

/* Only raised, never lowered (import.h): max() of each flag, so that a
 * ban or an unsubscribe here is never lifted by a file. */
static int sender_merge(struct import *im, const char *key,
			const struct import_sender *s, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"INSERT INTO senders (address, banned, trusted, confirmed,"
		" unsubscribed, approved_count, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (address) DO UPDATE SET"
		" banned = max(banned, excluded.banned),"
		" trusted = max(trusted, excluded.trusted),"
		" confirmed = max(confirmed, excluded.confirmed),"
		" unsubscribed = max(unsubscribed, excluded.unsubscribed),"
		" approved_count = max(approved_count, excluded.approved_count),"
		" created_at = min(created_at, excluded.created_at),"
		" updated_at = max(updated_at, excluded.updated_at)", err);
	int64_t t = now();

	if (stmt == NULL)
		return -1;
	bind_state(stmt, key, s, t);
	sqlite3_bind_int64(stmt, 8, s->updated_at > 0 ? s->updated_at : t);
	return store_step_done(im->st, stmt, err);
}

int import_sender(struct import *im, const struct import_sender *s,
		  struct mc_err *err)
{
	char *key;
	int rc;

	if (s->address == NULL || s->address[0] == '\0')
		return err_set(err, "a sender without an address");
	/* the key as this configuration makes it (plus tags, case) */
	key = addr_key(im->c, s->address);
	rc = sender_news(im, key, s, err);
	if (rc == 1)
		im->senders_new++;
	else if (rc == 2)
		im->senders_changed++;
	else if (rc == 0)
		im->senders_same++;
	if (rc > 0 && !im->dry)
		rc = sender_merge(im, key, s, err);
	free(key);
	if (rc < 0)
		return err_prefix(err, "sender %s: ", s->address);
	return 0;
}

/* The comment an audit row is about, as imported: 1 and *id (0 when dry
 * and still to add), 0 when it was not imported. */
static int audit_comment(struct import *im, const char *source,
			 int64_t *id, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(im->st,
		"SELECT comment_id FROM import_map WHERE format = ?"
		" AND source_id = ? AND comment_id IS NOT NULL", err);
	int rc;

	*id = 0;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, im->format);
	store_bind_text(stmt, 2, source);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return err_set(err, "%s", sqlite3_errmsg(store_db(im->st)));
	return im->dry && smap_find(&im->dry_ids, source) ? 1 : 0;
}

static int audit_insert(struct import *im, const struct import_audit *a,
			const char *mapkey, int64_t comment,
			struct mc_err *err)
{
	/* prev_status NULL: moderate.c's undo passes it by, so an imported
	 * decision is history, never one to revert here */
	sqlite3_stmt *stmt = store_stmt(im->st,
		"INSERT INTO audit (at, actor, action, comment_id, detail,"
		" message_id, prev_status, undone)"
		" VALUES (?, ?, ?, ?, ?, ?, NULL, ?)", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, a->at > 0 ? a->at : now());
	store_bind_text(stmt, 2, a->actor ? a->actor : "import");
	store_bind_text(stmt, 3, a->action ? a->action : "");
	if (comment > 0)
		sqlite3_bind_int64(stmt, 4, comment);
	store_bind_text(stmt, 5, a->detail ? a->detail : "");
	store_bind_text(stmt, 6, a->message_id);
	sqlite3_bind_int(stmt, 7, a->undone != 0);
	if (store_step_done(im->st, stmt, err) < 0)
		return -1;
	stmt = store_stmt(im->st,
		"INSERT INTO import_map (format, source_id, imported_at)"
		" VALUES (?, ?, ?)", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, mapkey);
	store_bind_text(stmt, 2, a->source_id);
	sqlite3_bind_int64(stmt, 3, now());
	return store_step_done(im->st, stmt, err);
}

int import_audit(struct import *im, const struct import_audit *a,
		 struct mc_err *err)
{
	/* audit rows are remembered apart from the comments: their ids
	 * are another sequence */
	char *mapkey = xasprintf("%s:audit", im->format);
	sqlite3_stmt *stmt;
	int64_t comment = 0;
	int rc;

	if (a->source_id == NULL || a->source_id[0] == '\0') {
		free(mapkey);
		return err_set(err, "an audit row without an id");
	}
	stmt = store_stmt(im->st, "SELECT 1 FROM import_map WHERE format = ?"
			  " AND source_id = ?", err);
	rc = stmt ? 0 : -1;
	if (stmt) {
		store_bind_text(stmt, 1, mapkey);
		store_bind_text(stmt, 2, a->source_id);
		rc = store_step_exists(im->st, stmt, err);
	}
	if (rc == 1) {
		im->audit_known++;
		rc = 0;
	} else if (rc == 0 && a->comment_source &&
		   (rc = audit_comment(im, a->comment_source, &comment,
				       err)) == 0) {
		im->audit_orphan++;
	} else if (rc >= 0) {
		im->audit_new++;
		rc = im->dry ? 0 : audit_insert(im, a, mapkey, comment, err);
	}
	free(mapkey);
	if (rc < 0)
		return err_prefix(err, "audit row %s: ", a->source_id);
	return 0;
}

long import_state_count(const struct import *im)
{
	return im->senders_new + im->senders_changed + im->audit_new;
}

/* The replies of this format whose parent is known and older, in one
 * pass over import_map by index; each linked by its own UPDATE: no join
 * materialised (temp_store is memory, and an export can hold millions of
 * replies). */
static int link_replies(struct import *im, struct mc_err *err)
{
	sqlite3_stmt *q = store_stmt(im->st,
		"SELECT cc.id, pc.id FROM import_map m"
		" JOIN import_map p ON p.format = m.format"
		"  AND p.source_id = m.parent_source"
		" JOIN comments pc ON pc.id = p.comment_id"
		" JOIN comments cc ON cc.id = m.comment_id"
		" WHERE m.format = ? AND cc.parent_id IS NULL"
		" AND pc.article_id = cc.article_id"
		" AND (pc.created_at < cc.created_at"
		"  OR (pc.created_at = cc.created_at AND pc.id < cc.id))", err);
	sqlite3_stmt *u = store_stmt(im->st,
		"UPDATE comments SET parent_id = ? WHERE id = ?", err);
	int rc;

	if (q == NULL || u == NULL)
		return -1;
	store_bind_text(q, 1, im->format);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(q, 1));
		sqlite3_bind_int64(u, 2, sqlite3_column_int64(q, 0));
		if (store_step_done(im->st, u, err) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		sqlite3_reset(u);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return err_set(err, "%s", sqlite3_errmsg(store_db(im->st)));
	return 0;
}

int import_finish(struct import *im, struct mc_err *err)
{
	if (im->tty)
		fprintf(im->tty, "\r%ld comments read\n", im->seen);
	/* A reply joins its parent when both are on the same article and
	 * the parent is older ((created_at, id) before it): threads stay
	 * trees whatever the file says.  A parent never seen leaves the
	 * reply at the top; a later import that brings it links them. */
	if (im->dry)
		return 0;
	if (link_replies(im, err) < 0)
		return err_prefix(err, "linking replies: ");
	return 0;
}

long import_new_count(const struct import *im)
{
	long n = 0;
	int i;

	for (i = 0; i < IMPORT_NSTATUS; i++)
		n += im->fresh[i];
	return n;
}

static long known(const struct import *im)
{
	long n = 0;
	int i;

	for (i = 0; i < IMPORT_NSTATUS; i++)
		n += im->known[i];
	return n;
}

static void put_date(FILE *out, const char *label, int64_t t)
{
	char s[32] = "-";
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(out, "%-10s %s\n", label, s);
}

void import_report(const struct import *im, FILE *out)
{
	size_t i;
	int s;

	fprintf(out, "%s import%s\n", im->format,
		im->dry ? " (dry run: nothing written)" : "");
	fprintf(out, "articles   %zu matched, %zu unmatched%s", im->matched.n,
		im->unmatched.n, im->created_articles ? "," : "\n");
	if (im->created_articles)
		fprintf(out, " %ld %s\n", im->created_articles,
			im->dry ? "to create" : "created");
	for (i = 0; i < im->unmatched.n; i++) {
		/* the file's words: no control reaches the terminal */
		fputs("  unmatched ", out);
		term_put(out, im->unmatched.v[i], 0);
		fputc('\n', out);
	}
	fprintf(out, "comments   %ld %s", import_new_count(im),
		im->dry ? "to add" : "added");
	for (s = 0; s < IMPORT_NSTATUS; s++)
		fprintf(out, ", %ld %s", im->fresh[s], status_names[s]);
	fprintf(out, "\n");
	fprintf(out, "skipped    %ld already imported, %ld on unmatched "
		"threads\n", known(im), im->unmatched_comments);
	fprintf(out, "authors    %zu\n", im->authors.n);
	put_date(out, "oldest", im->oldest);
	put_date(out, "newest", im->newest);
	if (strcmp(im->format, "mailcomments") != 0)
		return;
	fprintf(out, "senders    %ld %s (%ld new, %ld changed), %ld "
		"unchanged\n", im->senders_new + im->senders_changed,
		im->dry ? "to apply" : "applied", im->senders_new,
		im->senders_changed, im->senders_same);
	fprintf(out, "audit      %ld %s, %ld already imported, %ld about "
		"comments not imported\n", im->audit_new,
		im->dry ? "to add" : "added", im->audit_known,
		im->audit_orphan);
}

char *import_summary(const struct import *im)
{
	if (strcmp(im->format, "mailcomments") == 0)
		return xasprintf("%s: %ld comments added, %ld already there, "
				 "%ld articles created, %ld senders' states "
				 "applied, %ld audit rows added",
				 im->format, import_new_count(im), known(im),
				 im->created_articles, im->senders_new +
				 im->senders_changed, im->audit_new);
	return xasprintf("%s: %ld added (%ld approved, %ld pending, %ld spam, "
			 "%ld deleted, %ld rejected), %ld already there, %ld on %zu "
			 "unmatched threads, %ld articles created",
			 im->format, import_new_count(im),
			 im->fresh[IMPORT_APPROVED], im->fresh[IMPORT_PENDING],
			 im->fresh[IMPORT_SPAM], im->fresh[IMPORT_DELETED],
			 im->fresh[IMPORT_REJECTED], known(im), im->unmatched_comments,
			 im->unmatched.n, im->created_articles);
}

void import_free(struct import *im)
{
	if (im == NULL)
		return;
	free(im->format);
	free(im->base_host);
	free(im->base_path);
	smap_free(&im->articles);
	smap_free(&im->threads);
	smap_free(&im->dirty);
	smap_free(&im->authors);
	smap_free(&im->matched);
	smap_free(&im->dry_ids);
	strlist_free(&im->unmatched);
	free(im);
}

int64_t import_parse_date(const char *s)
{
	struct tm tm;
	const char *p;
	int64_t t;

	if (s == NULL)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (p == NULL)
		return 0;
	t = (int64_t)timegm(&tm);
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2])) {
		/* +HH, +HHMM or +HH:MM */
		const char *m = p + 3 + (p[3] == ':');
		int h = (p[1] - '0') * 10 + (p[2] - '0'), mm = 0;

		if (isdigit((unsigned char)m[0]) && isdigit((unsigned char)m[1]))
			mm = (m[0] - '0') * 10 + (m[1] - '0');
		t += (*p == '+' ? -1 : 1) * (int64_t)(h * 3600 + mm * 60);
	}
	return t > 0 ? t : 0;
}
