/* import_json.c: the readers of JSON exports, with json-c: Remark42's
 * backup (gzip, one JSON document per line: a header, then a comment a
 * line, read a line at a time through zlib) and Commento's and
 * Comentario's exports (one document, gzip or not: Commento's version 1
 * and Comentario's version 3, pages, comments and commenters by id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include "import.h"
#include "strmap.h"
#include "banned.h"

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int jbool(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
	       json_object_get_boolean(v);
}

static json_object *jobj(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Remark42: {"id", "pid", "text" (HTML), "user": {"name", "id"},
 * "locator": {"site", "url"}, "time", "delete", "title"}; users' emails
 * are not in a backup. */
static int remark_line(struct import *im, json_object *c, struct mc_err *err)
{
	struct import_rec r = { 0 };
	json_object *user = jobj(c, "user"), *loc = jobj(c, "locator");
	const char *pid = jstr(c, "pid");

	r.thread_url = jstr(loc, "url");
	r.thread_title = jstr(c, "title");
	r.source_id = jstr(c, "id");
	r.parent_id = pid && pid[0] ? pid : NULL;
	r.author_name = jstr(user, "name");
	r.created_at = import_parse_date(jstr(c, "time"));
	r.status = jbool(c, "delete") ? IMPORT_DELETED : IMPORT_APPROVED;
	r.body = jstr(c, "text");
	r.body_is_html = 1;
	return import_add(im, &r, err);
}

/* Calls fn on each line of path (gzip or plain) that holds a JSON
 * object; lines of any length, read in chunks. */
typedef int (*line_fn)(void *arg, json_object *o, struct mc_err *err);

static int json_lines(const char *path, line_fn fn, void *arg,
		      struct mc_err *err)
{
	gzFile f = gzopen(path, "rb"); /* plain text is read as is too */
	struct buf line;
	char chunk[8192];
	long n = 0;
	int rc = 0;

	if (f == NULL)
		return err_set(err, "%s: cannot read it", path);
	buf_init(&line);
	while (rc == 0) {
		json_object *c;

		buf_reset(&line);
		while (gzgets(f, chunk, sizeof(chunk))) {
			buf_adds(&line, chunk);
			if (line.len && line.s[line.len - 1] == '\n')
				break;
		}
		if (line.len == 0)
			break;
		n++;
		if (strspn(line.s, " \t\r\n") == line.len)
			continue;
		c = json_tokener_parse(line.s);
		if (c == NULL || !json_object_is_type(c, json_type_object)) {
			json_object_put(c);
			rc = err_set(err, "%s: line %ld is not a JSON object",
				     path, n);
			break;
		}
		rc = fn(arg, c, err);
		json_object_put(c);
	}
	if (rc == 0 && !gzeof(f)) {
		int e;

		rc = err_set(err, "%s: %s", path, gzerror(f, &e));
	}
	buf_free(&line);
	gzclose(f);
	return rc;
}

static int remark_object(void *arg, json_object *c, struct mc_err *err)
{
	/* the header line: {"version": ..., "users": ..., "posts": ...} */
	if (jobj(c, "version"))
		return 0;
	return remark_line(arg, c, err);
}

int import_read_remark42(struct import *im, const char *path,
			 struct mc_err *err)
{
	return json_lines(path, remark_object, im, err);
}

/* Our own export: articles first (slug -> url and title), then the
 * comments naming theirs by slug, then the senders' states and the audit
 * log (import.h: merged, never lifting a ban). */
struct ours {
	struct import *im;
	struct smap slugs; /* slug -> index + 1 */
	struct strlist urls, titles;
	int header;
};

static const char *const our_status[] = {
	"approved", "pending", "spam", "deleted", "rejected", NULL,
};

static int ours_comment(struct ours *o, json_object *c, struct mc_err *err)
{
	const char *slug = jstr(c, "article"), *status = jstr(c, "status");
	struct smap_ent *e = slug ? smap_find(&o->slugs, slug) : NULL;
	struct import_rec r = { 0 };
	char id[24], parent[24];
	json_object *p = jobj(c, "parent");
	size_t i;

	snprintf(id, sizeof(id), "%lld", (long long)json_object_get_int64(
						 jobj(c, "id")));
	snprintf(parent, sizeof(parent), "%lld",
		 (long long)json_object_get_int64(p));
	if (e == NULL)
		return err_set(err, "comment %s: article \"%s\" is not in the "
			       "export", id, slug ? slug : "");
	r.thread_url = o->urls.v[e->val - 1];
	r.thread_title = o->titles.v[e->val - 1];
	r.source_id = id;
	r.want_id = json_object_get_int64(jobj(c, "id"));
	r.parent_id = p && !json_object_is_type(p, json_type_null)
		? parent : NULL;
	r.author_name = jstr(c, "author_name");
	r.author_address = jstr(c, "author_address");
	r.created_at = json_object_get_int64(jobj(c, "created_at"));
	r.decided_at = json_object_get_int64(jobj(c, "decided_at"));
	r.by_moderator = json_object_get_int(jobj(c, "by_moderator"));
	r.decided_by = jstr(c, "decided_by");
	r.body = jstr(c, "body");
	/* unconfirmed and anything unknown: waits for a moderator */
	r.status = IMPORT_PENDING;
	for (i = 0; status && our_status[i]; i++)
		if (strcmp(status, our_status[i]) == 0)
			r.status = (enum import_status)i;
	return import_add(o->im, &r, err);
}

static int ours_sender(struct ours *o, json_object *c, struct mc_err *err)
{
	struct import_sender s = { 0 };

	s.address = jstr(c, "address");
	s.banned = json_object_get_int(jobj(c, "banned"));
	s.trusted = json_object_get_int(jobj(c, "trusted"));
	s.confirmed = json_object_get_int(jobj(c, "confirmed"));
	s.unsubscribed = json_object_get_int(jobj(c, "unsubscribed"));
	s.approved_count = json_object_get_int64(jobj(c, "approved_count"));
	s.created_at = json_object_get_int64(jobj(c, "created_at"));
	s.updated_at = json_object_get_int64(jobj(c, "updated_at"));
	return import_sender(o->im, &s, err);
}

static int ours_audit(struct ours *o, json_object *c, struct mc_err *err)
{
	struct import_audit a = { 0 };
	json_object *cid = jobj(c, "comment_id");
	char id[24], comment[24];

	snprintf(id, sizeof(id), "%lld", (long long)json_object_get_int64(
						 jobj(c, "id")));
	snprintf(comment, sizeof(comment), "%lld",
		 (long long)json_object_get_int64(cid));
	a.source_id = jobj(c, "id") ? id : NULL;
	a.at = json_object_get_int64(jobj(c, "at"));
	a.actor = jstr(c, "actor");
	a.action = jstr(c, "action");
	a.comment_source = cid && !json_object_is_type(cid, json_type_null)
		? comment : NULL;
	a.detail = jstr(c, "detail");
	a.message_id = jstr(c, "message_id");
	a.undone = json_object_get_int(jobj(c, "undone"));
	return import_audit(o->im, &a, err);
}

static int ours_object(void *arg, json_object *c, struct mc_err *err)
{
	struct ours *o = arg;
	const char *type = jstr(c, "type");
	int added;

	if (!o->header) {
		if (type == NULL || strcmp(type, "mailcomments-export") != 0 ||
		    json_object_get_int(jobj(c, "version")) != 1)
			return err_set(err, "not a mailcomments export "
				       "(version 1)");
		o->header = 1;
		return 0;
	}
	if (type && strcmp(type, "article") == 0) {
		const char *slug = jstr(c, "slug");
		struct smap_ent *e;

		if (slug == NULL)
			return err_set(err, "an article without a slug");
		e = smap_get(&o->slugs, slug, &added);
		if (added) {
			e->val = (int64_t)o->urls.n + 1;
			strlist_add(&o->urls, jstr(c, "url") ? jstr(c, "url")
							     : slug);
			strlist_add(&o->titles, jstr(c, "title")
				    ? jstr(c, "title") : slug);
		}
		return 0;
	}
	if (type && strcmp(type, "comment") == 0)
		return ours_comment(o, c, err);
	if (type && strcmp(type, "sender") == 0)
		return ours_sender(o, c, err);
	if (type && strcmp(type, "audit") == 0)
		return ours_audit(o, c, err);
	return 0;
}

int import_read_mailcomments(struct import *im, const char *path,
			     struct mc_err *err)
{
	struct ours o = { im, { 0 }, { 0 }, { 0 }, 0 };
	int rc = json_lines(path, ours_object, &o, err);

	smap_free(&o.slugs);
	strlist_free(&o.urls);
	strlist_free(&o.titles);
	return rc;
}

/* Commento: {"version": 1, "comments": [{"commentHex", "domain", "path",
 * "commenterHex", "markdown", "parentHex" ("root": none), "state"
 * (approved, unapproved, flagged), "creationDate", "deleted"}],
 * "commenters": [{"commenterHex", "email", "name"}]} */
static enum import_status commento_status(json_object *c)
{
	const char *s = jstr(c, "state");

	if (jbool(c, "deleted"))
		return IMPORT_DELETED;
	if (s && strcmp(s, "approved") == 0)
		return IMPORT_APPROVED;
	if (s && strcmp(s, "flagged") == 0)
		return IMPORT_SPAM;
	return IMPORT_PENDING;
}

/* The whole document of path, gzip or plain (zlib reads both), parsed;
 * NULL with err filled on a file too big, unreadable or not JSON. */
#define DOC_MAX (1024L * 1024 * 1024)

static json_object *read_doc(const char *path, struct mc_err *err)
{
	gzFile f = gzopen(path, "rb");
	json_tokener *tok;
	json_object *doc = NULL;
	enum json_tokener_error je = json_tokener_continue;
	char chunk[65536];
	long total = 0;
	int n;

	if (f == NULL) {
		err_set(err, "%s: cannot read it", path);
		return NULL;
	}
	tok = json_tokener_new();
	while (doc == NULL && (n = gzread(f, chunk, sizeof(chunk))) > 0) {
		if ((total += n) > DOC_MAX)
			break;
		doc = json_tokener_parse_ex(tok, chunk, n);
		je = json_tokener_get_error(tok);
		if (doc == NULL && je != json_tokener_continue)
			break;
	}
	if (doc == NULL && total > DOC_MAX)
		err_set(err, "%s: over %ld MiB of JSON: too big for one "
			     "document", path, DOC_MAX >> 20);
	else if (doc == NULL && je != json_tokener_continue)
		err_set(err, "%s: not JSON (%s)", path,
			json_tokener_error_desc(je));
	else if (doc == NULL)
		err_set(err, "%s: not JSON (%s)", path,
			n < 0 ? "a broken gzip" : "it ends too soon");
	json_tokener_free(tok);
	gzclose(f);
	return doc;
}

/* ids of a list of objects -> their index, for the lookups by id */
static void index_by(struct smap *m, json_object *list, const char *key)
{
	size_t i, n = json_object_is_type(list, json_type_array) ?
			      json_object_array_length(list) : 0;
	int added;

	for (i = 0; i < n; i++) {
		const char *id = jstr(json_object_array_get_idx(list, i), key);

		if (id)
			smap_get(m, id, &added)->val = (int64_t)i;
	}
}

static json_object *by_id(struct smap *m, json_object *list, const char *id)
{
	struct smap_ent *e = id ? smap_find(m, id) : NULL;

	return e ? json_object_array_get_idx(list, (size_t)e->val) : NULL;
}

/* Comentario 3: {"version": 3, "pages": [{"id", "path", "title"}],
 * "comments": [{"id", "parentId", "pageId", "markdown", "html",
 * "isApproved", "isPending", "isDeleted", "createdTime", "userCreated",
 * "authorName"}], "commenters": [{"id", "email", "name"}]}.  Neither
 * approved nor pending is a moderator's rejection. */
static enum import_status comentario_status(json_object *c)
{
	if (jbool(c, "isDeleted"))
		return IMPORT_DELETED;
	if (jbool(c, "isApproved"))
		return IMPORT_APPROVED;
	if (jbool(c, "isPending"))
		return IMPORT_PENDING;
	return IMPORT_REJECTED;
}

static int comentario_v3(struct import *im, json_object *doc,
			 struct mc_err *err)
{
	json_object *pages = jobj(doc, "pages"), *people = jobj(doc, "commenters"),
		    *comments = jobj(doc, "comments");
	struct smap pid = { 0 }, uid = { 0 };
	size_t i, n = json_object_array_length(comments);
	int rc = 0;

	index_by(&pid, pages, "id");
	index_by(&uid, people, "id");
	for (i = 0; i < n && rc == 0; i++) {
		json_object *c = json_object_array_get_idx(comments, i);
		json_object *page = by_id(&pid, pages, jstr(c, "pageId"));
		json_object *who = by_id(&uid, people, jstr(c, "userCreated"));
		struct import_rec r = { 0 };

		/* a path ("/2024/velo/"), matched under site.url or
		 * --site-url like any thread's */
		r.thread_url = jstr(page, "path");
		r.thread_title = jstr(page, "title");
		r.source_id = jstr(c, "id");
		r.parent_id = jstr(c, "parentId");
		r.author_name = jstr(who, "name");
		if (r.author_name == NULL || r.author_name[0] == '\0')
			r.author_name = jstr(c, "authorName");
		r.author_address = jstr(who, "email");
		r.created_at = import_parse_date(jstr(c, "createdTime"));
		r.status = comentario_status(c);
		r.body = jstr(c, "markdown");
		if (r.body == NULL || r.body[0] == '\0') {
			r.body = jstr(c, "html");
			r.body_is_html = 1;
		}
		rc = import_add(im, &r, err);
	}
	smap_free(&pid);
	smap_free(&uid);
	return rc;
}

int import_read_commento(struct import *im, const char *path,
			 struct mc_err *err)
{
	json_object *doc, *people, *comments, *v;
	struct smap who = { 0 }; /* commenterHex -> index in commenters */
	size_t i, n;
	int rc = 0, added;

	if ((doc = read_doc(path, err)) == NULL)
		return -1;
	if (!json_object_is_type(comments = jobj(doc, "comments"),
				 json_type_array)) {
		json_object_put(doc);
		return err_set(err, "%s: not a Commento or Comentario export "
				    "(no comments)", path);
	}
	v = jobj(doc, "version");
	if (v && json_object_get_int(v) != 1 && json_object_get_int(v) != 3) {
		rc = err_set(err, "%s: a Commento/Comentario export of version "
				  "%d, not known (1 and 3 are)",
			     path, json_object_get_int(v));
		json_object_put(doc);
		return rc;
	}
	if (json_object_is_type(jobj(doc, "pages"), json_type_array)) {
		rc = comentario_v3(im, doc, err);
		json_object_put(doc);
		return rc;
	}
	people = jobj(doc, "commenters");
	n = json_object_is_type(people, json_type_array)
		? json_object_array_length(people) : 0;
	for (i = 0; i < n; i++) {
		const char *hex = jstr(json_object_array_get_idx(people, i),
				       "commenterHex");

		if (hex)
			smap_get(&who, hex, &added)->val = (int64_t)i;
	}
	n = json_object_array_length(comments);
	for (i = 0; i < n && rc == 0; i++) {
		json_object *c = json_object_array_get_idx(comments, i), *p = NULL;
		const char *hex = jstr(c, "commenterHex"),
			   *parent = jstr(c, "parentHex"),
			   *domain = jstr(c, "domain"), *cpath = jstr(c, "path");
		struct smap_ent *e = hex ? smap_find(&who, hex) : NULL;
		struct import_rec r = { 0 };
		char *url;

		if (e)
			p = json_object_array_get_idx(people, (size_t)e->val);
		url = xasprintf("https://%s%s%s", domain ? domain : "",
				cpath && cpath[0] == '/' ? "" : "/",
				cpath ? cpath : "");
		r.thread_url = url;
		r.source_id = jstr(c, "commentHex");
		r.parent_id = parent && strcmp(parent, "root") != 0 ? parent
								    : NULL;
		r.author_name = jstr(p, "name");
		r.author_address = jstr(p, "email");
		r.created_at = import_parse_date(jstr(c, "creationDate"));
		r.status = commento_status(c);
		r.body = jstr(c, "markdown");
		if (r.body == NULL) { /* only the HTML: made text */
			r.body = jstr(c, "html");
			r.body_is_html = 1;
		}
		rc = import_add(im, &r, err);
		free(url);
	}
	smap_free(&who);
	json_object_put(doc);
	return rc;
}
