/* import_json.c: the readers of JSON exports, with json-c: Remark42's
 * backup (gzip, one JSON document per line: a header, then a comment a
 * line, read a line at a time through zlib) and Commento's (and
 * Comentario's v1-compatible) export, one document with its comments and
 * commenters. */
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

int import_read_remark42(struct import *im, const char *path,
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
		size_t len;
		json_object *c;

		buf_reset(&line);
		/* a line of any length, read in chunks */
		while (gzgets(f, chunk, sizeof(chunk))) {
			buf_adds(&line, chunk);
			if (line.len && line.s[line.len - 1] == '\n')
				break;
		}
		len = line.len;
		if (len == 0)
			break;
		n++;
		if (strspn(line.s, " \t\r\n") == len)
			continue;
		c = json_tokener_parse(line.s);
		if (c == NULL || !json_object_is_type(c, json_type_object)) {
			json_object_put(c);
			rc = err_set(err, "%s: line %ld is not a JSON object",
				     path, n);
			break;
		}
		/* the header line: {"version": ..., "users": ..., "posts": ...} */
		if (jobj(c, "version") == NULL)
			rc = remark_line(im, c, err);
		json_object_put(c);
	}
	if (rc == 0 && !gzeof(f)) {
		int e;
		const char *m = gzerror(f, &e);

		rc = err_set(err, "%s: %s", path, m);
	}
	buf_free(&line);
	gzclose(f);
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

int import_read_commento(struct import *im, const char *path,
			 struct mc_err *err)
{
	json_object *doc = json_object_from_file(path), *people, *comments;
	struct smap who = { 0 }; /* commenterHex -> index in commenters */
	size_t i, n;
	int rc = 0, added;

	if (doc == NULL || !json_object_is_type(
				   comments = jobj(doc, "comments"),
				   json_type_array)) {
		json_object_put(doc);
		return err_set(err, "%s: not a Commento export (%s)", path,
			       json_util_get_last_err() ?
			       json_util_get_last_err() : "no comments");
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
