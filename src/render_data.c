/* render_data.c: the outputs for sites built by a generator.  After
 * each article's section, its comments as a data file where the
 * generator reads them (Hugo's data/comments/KEY.json, Jekyll's
 * _data/comments/KEY.json, KEY the slug with '/' written '_': slugs never
 * hold '_', so keys are one-to-one), with the words the theme parts of
 * contrib/ need, already in the article's language.
 *
 * Written through the run's batch (render.c's rd_put) under the
 * generator's fsroot root: no symbolic link followed, replaced
 * atomically, left alone when unchanged.  Version 1 of the data format;
 * the README's "Site generators" describes it field by field and
 * contrib/mailcomments-data.schema.json is its JSON Schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "json.h"
#include "render_int.h"
#include "banned.h"

#define DATA_VERSION 1

struct rd_data {
	struct fsroot *gen;  /* render.generator_directory */
	const char *datadir; /* where the data files go in it */
};

int render_data_init(struct rctx *x, struct mc_err *err)
{
	const struct conf *c = x->c;
	struct rd_data *d;
	const char *datadir;

	if (strcmp(c->render_generator, "hugo") == 0)
		datadir = "data/comments";
	else if (strcmp(c->render_generator, "jekyll") == 0)
		datadir = "_data/comments";
	else
		return 0;
	d = x->data = xcalloc(1, sizeof(*d));
	d->datadir = datadir;
	/* the site's root must be there: a mistyped path must not make a
	 * new tree the generator never reads */
	if (fsroot_open(&d->gen, c->render_generator_directory,
			c->render_file_mode, c->render_directory_mode, 0,
			err) < 0)
		return err_prefix(err, "render.generator_directory: ");
	return 0;
}

void render_data_free(struct rctx *x)
{
	struct rd_data *d = x->data;

	if (d == NULL)
		return;
	fsroot_close(d->gen);
	free(d);
	x->data = NULL;
}

/* ---- one article's data file ---- */

/* The slug as a generator's data key: "2024/velo" is "2024_velo". */
static char *data_key(const char *slug)
{
	char *k = xstrdup(slug), *p;

	for (p = k; *p; p++)
		if (*p == '/')
			*p = '_';
	return k;
}

static void data_comment(const struct rctx *x, struct pub_article *a,
			 size_t i, struct json *j)
{
	struct pub_comment *cm = &a->cm[i];
	struct buf b;
	char iso[32], anchor[48], d[24];
	const char *mailto = rd_reply_mailto(x, a, cm);
	size_t k;

	buf_init(&b);
	json_obj_begin(j);
	json_kint(j, "id", cm->id);
	json_key(j, "parent");
	if (cm->parent == RD_NONE)
		json_null(j);
	else
		json_int(j, a->cm[cm->parent].id);
	json_kint(j, "depth", cm->level);
	json_kint(j, "level", cm->level < x->c->render_max_depth ?
				      cm->level :
				      x->c->render_max_depth);
	json_kstr(j, "author", cm->author);
	json_kbool(j, "moderator", cm->moderator);
	rd_iso8601(cm->created, iso);
	json_kstr(j, "date", iso);
	render_html_date(x, cm->created, &b);
	json_kstr(j, "date_text", b.s);
	buf_reset(&b);
	rd_comment_url(&b, a->url, cm->id);
	json_kstr(j, "url", b.s);
	snprintf(anchor, sizeof(anchor), "comment-%s", rd_int(cm->id, d));
	json_kstr(j, "anchor", anchor);
	/* closed: no reply link (the gateway would set the mail aside) */
	json_kstr(j, "reply_mailto", a->closed ? "" : mailto);
	json_kstr(j, "reply_address", cm->reply_addr);
	json_kstr(j, "html", cm->body_html);
	/* shown flat under an ancestor: the section names the parent */
	json_key(j, "in_reply_to");
	if (cm->parent != RD_NONE && cm->under != cm->parent) {
		json_obj_begin(j);
		json_kint(j, "id", a->cm[cm->parent].id);
		json_kstr(j, "author", a->cm[cm->parent].author);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "replies");
	json_arr_begin(j);
	for (k = cm->first; k != RD_NONE; k = a->cm[k].next)
		data_comment(x, a, k, j);
	json_arr_end(j);
	json_obj_end(j);
	buf_free(&b);
}

/* The words a theme needs, in the article's language. */
static void data_strings(const struct rctx *x, const struct pub_article *a,
			 struct json *j)
{
	struct buf b;

	buf_init(&b);
	json_key(j, "strings");
	json_obj_begin(j);
	render_html_count(x->cl, a->n, &b);
	json_kstr(j, "heading", b.s);
	json_kstr(j, "leave", x->str->leave);
	json_kstr(j, "address", x->str->address);
	json_kstr(j, "notice", x->str->notice);
	json_kstr(j, "reply", x->str->reply);
	json_kstr(j, "moderator", x->str->moderator);
	json_kstr(j, "in_reply_to", x->str->in_reply_to);
	json_kstr(j, "closed", x->str->closed);
	json_kstr(j, "feed", x->str->feed);
	json_obj_end(j);
	buf_free(&b);
}

static void data_article(const struct rctx *x, struct pub_article *a,
			 const char *key, struct buf *out)
{
	struct json j;
	struct buf m;
	char iso[32], *addr, *name;
	size_t i;

	json_init(&j, out, 1);
	buf_init(&m);
	json_obj_begin(&j);
	json_kint(&j, "version", DATA_VERSION);
	json_kstr(&j, "slug", a->slug);
	json_kstr(&j, "key", key);
	json_kstr(&j, "title", a->title);
	json_kstr(&j, "url", a->url);
	json_kstr(&j, "language", x->lang);
	json_kint(&j, "count", (int64_t)a->n);
	json_kbool(&j, "closed", a->closed);
	time_iso8601(a->updated, iso);
	json_kstr(&j, "updated", iso);
	addr = addr_article(x->c, a->slug);
	json_kstr(&j, "comment_address", addr);
	rd_mailto_subject(&m, addr, a->slug, x->str->subject_leave, a->title);
	json_kstr(&j, "comment_mailto", a->closed ? "" : m.s);
	free(addr);
	buf_reset(&m);
	name = xasprintf("%s.atom", a->slug);
	rd_feed_url(x, name, &m);
	json_kstr(&j, "feed", m.s);
	free(name);
	buf_reset(&m);
	if (x->c->render_stylesheet)
		rd_feed_url(x, RD_STYLESHEET, &m);
	json_kstr(&j, "stylesheet", m.s);
	data_strings(x, a, &j);
	json_key(&j, "comments");
	json_arr_begin(&j);
	for (i = 0; i < a->n; i++)
		if (a->cm[i].under == RD_NONE)
			data_comment(x, a, i, &j);
	json_arr_end(&j);
	json_obj_end(&j);
	buf_addc(out, '\n');
	buf_free(&m);
}

int render_data_article(struct rctx *x, struct pub_article *a, int *changed,
			struct mc_err *err)
{
	struct rd_data *d = x->data;
	struct buf b;
	char *key, *rel;
	int rc;

	if (d == NULL)
		return 0;
	key = data_key(a->slug);
	rel = xasprintf("%s/%s.json", d->datadir, key);
	buf_init(&b);
	data_article(x, a, key, &b);
	rc = rd_put(x, d->gen, rel, &b, changed, err);
	buf_free(&b);
	free(rel);
	free(key);
	return rc;
}


/* ---- an article removed ---- */

int render_data_forget(const struct conf *c, const char *slug, char **path,
		       int *removed, struct mc_err *err)
{
	struct rctx x;
	struct rd_data *d;
	char *key, *rel;
	int rc;

	*path = NULL;
	*removed = 0;
	memset(&x, 0, sizeof(x));
	x.c = c;
	if (render_data_init(&x, err) < 0) {
		render_data_free(&x);
		return -1;
	}
	d = x.data;
	if (d == NULL)
		return 0;
	key = data_key(slug);
	rel = xasprintf("%s/%s.json", d->datadir, key);
	/* the slot is ours alone: a link planted there goes as a link,
	 * what it points to is never touched */
	rc = fsroot_unlink(d->gen, rel, removed, err);
	if (rc == 0)
		*path = xasprintf("%s/%s", fsroot_path(d->gen), rel);
	free(rel);
	free(key);
	render_data_free(&x);
	return rc;
}
