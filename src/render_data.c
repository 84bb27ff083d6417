/* render_data.c: the outputs for sites built by a generator, and the
 * counts of comments for index pages.  After each article's section:
 * its comments as a data file where the generator reads them (Hugo's
 * data/comments/KEY.json, Jekyll's _data/comments/KEY.json, KEY the slug
 * with '/' written '_': slugs never hold '_', so keys are one-to-one),
 * with the words the theme parts of contrib/ need, already in the
 * article's language; after the site's outputs, OUT/counts.json; and,
 * once that is on disk, the count markers of the site's pages.
 *
 * Everything goes through the run's batch (render.c's rd_put), under
 * fsroot roots: no symbolic link followed, files replaced atomically,
 * left alone when unchanged.  Version 1 of the data format; the README's
 * "Site generators" describes it field by field. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "address.h"
#include "articles.h"
#include "html.h"
#include "json.h"
#include "log.h"
#include "render_int.h"
#include "banned.h"

#define DATA_VERSION 1
#define COUNTS_FILE "counts.json"
#define MARK_BEGIN "<!-- mailcomments:count "
#define MARK_END "<!-- /mailcomments:count -->"
/* Bounds of the walk over the site for count markers. */
#define WALK_DEPTH 16
#define WALK_FILES 200000
#define PAGE_MAX (16u << 20)
#define MARK_SLUG_MAX 200

struct rd_count {
	char *slug;
	int64_t n;
};

struct rd_data {
	struct fsroot *gen;  /* render.generator_directory, or NULL */
	const char *datadir; /* where the data files go in it */
	struct fsroot *site; /* site.directory, for the markers */
	struct rd_count *counts; /* by slug (strcmp order) */
	size_t ncounts;
	int counts_changed;
	int counted;      /* counts were read in this run */
	size_t nrendered; /* articles rendered in this run */
	struct strlist logged; /* what a marker made us say, once a run */
	size_t nfiles;         /* pages examined by the walk */
};

int render_data_init(struct rctx *x, struct mc_err *err)
{
	const struct conf *c = x->c;
	struct rd_data *d = xcalloc(1, sizeof(*d));

	x->data = d;
	if (strcmp(c->render_generator, "hugo") == 0)
		d->datadir = "data/comments";
	else if (strcmp(c->render_generator, "jekyll") == 0)
		d->datadir = "_data/comments";
	else
		return 0;
	/* the site's root must be there: a mistyped path must not make a
	 * new tree the generator never reads */
	if (fsroot_open(&d->gen, c->render_generator_directory,
			c->render_file_mode, c->render_directory_mode, 0,
			err) < 0)
		return err_prefix(err, "render.generator_directory: ");
	return 0;
}

static void counts_free(struct rd_data *d)
{
	size_t i;

	for (i = 0; i < d->ncounts; i++)
		free(d->counts[i].slug);
	free(d->counts);
	d->counts = NULL;
	d->ncounts = 0;
}

void render_data_free(struct rctx *x)
{
	struct rd_data *d = x->data;

	if (d == NULL)
		return;
	counts_free(d);
	strlist_free(&d->logged);
	fsroot_close(d->gen);
	fsroot_close(d->site);
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

	d->nrendered++;
	if (d->gen == NULL)
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

/* ---- counts.json ---- */

static void count_add(struct rd_data *d, const char *slug, int64_t n)
{
	d->counts = xrealloc(d->counts, (d->ncounts + 1) * sizeof(*d->counts));
	d->counts[d->ncounts].slug = xstrdup(slug);
	d->counts[d->ncounts].n = n;
	d->ncounts++;
}

static void counts_entry(const struct rctx *x, sqlite3_stmt *s,
			 struct json *j)
{
	const char *slug = (const char *)sqlite3_column_text(s, 0);
	const char *page = (const char *)sqlite3_column_text(s, 2);
	int64_t n = sqlite3_column_int64(s, 4);
	char lang[LANG_TAG_MAX], *url;
	struct buf t;

	article_language(x->c, (const char *)sqlite3_column_text(s, 3), page,
			 slug, lang);
	url = rd_article_url(x->c, slug,
			     (const char *)sqlite3_column_text(s, 1), page);
	buf_init(&t);
	render_html_count(catalog_lang(conf_catalog(x->c), lang), (size_t)n,
			  &t);
	json_key(j, slug);
	json_obj_begin(j);
	json_kint(j, "count", n);
	json_kstr(j, "url", url);
	json_kstr(j, "language", lang);
	json_kstr(j, "count_text", t.s);
	json_obj_end(j);
	buf_free(&t);
	free(url);
}

int render_data_counts(struct rctx *x, int *changed, struct mc_err *err)
{
	struct rd_data *d = x->data;
	sqlite3_stmt *s;
	struct json j;
	struct buf out;
	int rc, ch = 0;

	counts_free(d);
	/* no article rendered, no count changed: a poll that decided
	 * nothing does not read every article */
	if (d->nrendered == 0)
		return 0;
	d->counted = 1;
	s = store_stmt(x->st,
		       "SELECT a.slug, a.url, a.page, a.language,"
		       " (SELECT COUNT(*) FROM comments c"
		       "  WHERE c.article_id = a.id AND c.status = 'approved')"
		       " FROM articles a ORDER BY a.slug",
		       err);
	if (s == NULL)
		return -1;
	buf_init(&out);
	json_init(&j, &out, 1);
	json_obj_begin(&j);
	json_kint(&j, "version", DATA_VERSION);
	json_key(&j, "articles");
	json_obj_begin(&j);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *slug = (const char *)sqlite3_column_text(s, 0);

		if (slug == NULL || !slug_valid(slug))
			continue;
		counts_entry(x, s, &j);
		count_add(d, slug, sqlite3_column_int64(s, 4));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		buf_free(&out);
		return err_set(err, "counts: %s",
			       sqlite3_errmsg(store_db(x->st)));
	}
	json_obj_end(&j);
	json_obj_end(&j);
	buf_addc(&out, '\n');
	rc = rd_put_out(x, COUNTS_FILE, &out, &ch, err);
	buf_free(&out);
	if (ch) {
		*changed = 1;
		d->counts_changed = 1;
	}
	return rc;
}

/* ---- count markers in the site's pages ---- */

static int count_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct rd_count *)e)->slug);
}

static const struct rd_count *count_find(const struct rd_data *d,
					 const char *slug)
{
	return d->ncounts ? bsearch(slug, d->counts, d->ncounts,
				    sizeof(*d->counts), count_cmp) :
			    NULL;
}

/* Says msg about what (a page, a slug) once in a run: a page listing an
 * unknown article a hundred times is one line, not a hundred. */
static void say_once(struct rd_data *d, const char *what, const char *msg,
		     const char *path)
{
	char *k = xasprintf("%s\n%s", msg, what);

	if (!strlist_has(&d->logged, k)) {
		strlist_add(&d->logged, k);
		log_warnx("count marker in %s: %s", path, msg);
	}
	free(k);
}

/* A marker's slug as it may be logged: printable ASCII, bounded. */
static char *loggable(const char *s, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addc(&b, '"');
	for (i = 0; i < n && i < 60; i++)
		buf_addc(&b, s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' ?
				     s[i] :
				     '?');
	if (n > 60)
		buf_adds(&b, "...");
	buf_addc(&b, '"');
	return buf_detach(&b);
}

/* The lang attribute of the page's <html> element, normalized ("" when
 * none is well formed). */
static void page_lang(const char *html, char lang[LANG_TAG_MAX])
{
	const char *p = html, *end, *a;
	char tag[64];
	size_t n;

	lang[0] = '\0';
	while ((p = strchr(p, '<')) != NULL) {
		if (ascii_ncasecmp(p, "<html", 5) == 0 &&
		    (p[5] == ' ' || p[5] == '\t' || p[5] == '\n' ||
		     p[5] == '\r' || p[5] == '>'))
			break;
		p++;
	}
	if (p == NULL || (end = strchr(p, '>')) == NULL)
		return;
	for (a = p + 5; a < end; a++) {
		if (ascii_ncasecmp(a, "lang=", 5) != 0 ||
		    (a[-1] != ' ' && a[-1] != '\t' && a[-1] != '\n' &&
		     a[-1] != '\r'))
			continue;
		a += 5;
		if (*a == '"' || *a == '\'') {
			char q = *a++;

			n = strcspn(a, q == '"' ? "\">" : "'>");
		} else {
			n = strcspn(a, " \t\r\n>");
		}
		if (n >= sizeof(tag))
			return;
		memcpy(tag, a, n);
		tag[n] = '\0';
		lang_normalize(tag, lang);
		return;
	}
}

/* Appends page with each well-formed marker filled; 1 if something
 * was filled (the page may be unchanged), 0 if no marker needs it. */
static int fill_markers(struct rctx *x, const char *rel, const char *page,
			struct buf *out)
{
	struct rd_data *d = x->data;
	const struct catalog_lang *cl;
	const char *p = page, *m;
	char plang[LANG_TAG_MAX], lang[LANG_TAG_MAX];
	int filled = 0;

	page_lang(page, plang);
	lang_decide(x->c, plang, rel, lang);
	cl = catalog_lang(conf_catalog(x->c), lang);
	while ((m = strstr(p, MARK_BEGIN)) != NULL) {
		const char *s = m + strlen(MARK_BEGIN), *close, *end, *next;
		const struct rd_count *rc;
		char *slug, *shown;
		size_t n;

		close = strstr(s, "-->");
		if (close == NULL)
			break;
		end = strstr(close + 3, MARK_END);
		next = strstr(close + 3, MARK_BEGIN);
		buf_add(out, p, (size_t)(close + 3 - p));
		p = close + 3;
		n = (size_t)(close - s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		shown = loggable(s, n);
		if (end == NULL || (next && next < end)) {
			say_once(d, rel, "a begin marker without its end "
					 "(<!-- /mailcomments:count -->): "
					 "left as it is",
				 rel);
			free(shown);
			continue;
		}
		slug = xstrndup(s, n);
		if (n > MARK_SLUG_MAX || memchr(s, '\0', n) ||
		    !slug_valid(slug)) {
			char *msg = xasprintf("%s is not a valid slug: left "
					      "as it is", shown);

			say_once(d, shown, msg, rel);
			free(msg);
		} else if ((rc = count_find(d, slug)) == NULL) {
			char *msg = xasprintf("no article %s: left as it is",
					      shown);

			say_once(d, shown, msg, rel);
			free(msg);
		} else {
			struct buf t;

			buf_init(&t);
			render_html_count(cl, (size_t)rc->n, &t);
			html_escape(out, t.s);
			buf_free(&t);
			buf_adds(out, MARK_END);
			p = end + strlen(MARK_END);
			filled = 1;
		}
		free(slug);
		free(shown);
	}
	buf_adds(out, p);
	return filled;
}

static int is_page(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".html") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".htm") == 0);
}

static void visit(struct rctx *x, const char *rel)
{
	struct rd_data *d = x->data;
	struct mc_err err;
	struct buf page, out;
	int ch = 0;

	buf_init(&page);
	buf_init(&out);
	/* through the root: a page swapped for a link is refused */
	if (fsroot_read(d->site, rel, &page, PAGE_MAX, &err) < 0)
		log_warnx("count markers: %s", err.msg);
	else if (memchr(page.s, '\0', page.len))
		; /* not text: filling it would cut it at the NUL */
	else if (strstr(page.s, MARK_BEGIN) &&
		 fill_markers(x, rel, page.s, &out) &&
		 rd_put(x, d->site, rel, &out, &ch, &err) < 0)
		log_warnx("count markers: %s", err.msg);
	buf_free(&page);
	buf_free(&out);
}

/* Links are not followed; render.directory's own outputs are skipped
 * (they are ours, and never hold markers). */
static void walk(struct rctx *x, const char *rel, int depth)
{
	struct rd_data *d = x->data;
	struct mc_err err;
	struct dirent *de;
	DIR *dir;

	if ((dir = fsroot_opendir(d->site, rel, &err)) == NULL) {
		log_warnx("count markers: %s", err.msg);
		return;
	}
	while ((de = readdir(dir)) != NULL && d->nfiles < WALK_FILES) {
		struct stat sb;
		char *r;

		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dir), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) <
		    0)
			continue;
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) :
			     xstrdup(de->d_name);
		if (S_ISDIR(sb.st_mode) && depth < WALK_DEPTH &&
		    !(x->site == x->out && strcmp(r, x->outrel) == 0))
			walk(x, r, depth + 1);
		else if (S_ISREG(sb.st_mode) && is_page(de->d_name)) {
			d->nfiles++;
			visit(x, r);
		}
		free(r);
	}
	closedir(dir);
}

int render_data_markers(struct rctx *x, int all, struct mc_err *err)
{
	struct rd_data *d = x->data;

	if (!x->c->render_count_markers || !d->counted ||
	    (!all && !d->counts_changed))
		return 0;
	if (d->site == NULL &&
	    fsroot_open(&d->site, x->c->site_directory, x->c->render_file_mode,
			x->c->render_directory_mode, 0, err) < 0)
		return errno == ENOENT ? 0 : err_prefix(err, "site.directory: ");
	d->nfiles = 0;
	walk(x, "", 0);
	if (d->nfiles >= WALK_FILES)
		log_warnx("count markers: only the first %d pages under %s "
			  "were examined",
			  WALK_FILES, x->c->site_directory);
	return 0;
}
