/* render_counts.c: the counts of comments, for index pages.  After the
 * site's outputs, OUT/counts.json (every article's count of published
 * comments and its URL); once that is on disk, the count markers
 *   <!-- mailcomments:count SLUG -->...<!-- /mailcomments:count -->
 * of the .html pages under site.directory are filled with the count in
 * each page's language.  Both only when the run rendered an article (no
 * count changes otherwise), the pages only when a count changed (or on
 * render --all).
 *
 * Pages are read and written through the run's batch under the site's
 * fsroot root (no symbolic link followed, replaced atomically, left
 * alone when unchanged).  A marker is trusted with nothing: a slug that
 * is not valid or names no article leaves it as it is, said once a run,
 * the slug shown cut short and printable. */
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

#define COUNTS_VERSION 1
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

struct rd_counts {
	struct fsroot *site;     /* site.directory, for the markers */
	struct rd_count *counts; /* by slug (strcmp order) */
	size_t ncounts;
	int changed;           /* counts.json changed in this run */
	struct strlist logged; /* what a marker made us say, once a run */
	size_t nfiles;         /* pages examined by the walk */
};

void render_counts_free(struct rctx *x)
{
	struct rd_counts *d = x->counts;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ncounts; i++)
		free(d->counts[i].slug);
	free(d->counts);
	strlist_free(&d->logged);
	fsroot_close(d->site);
	free(d);
	x->counts = NULL;
}

/* ---- counts.json ---- */

static void count_add(struct rd_counts *d, const char *slug, int64_t n)
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

int render_counts_write(struct rctx *x, int *changed, struct mc_err *err)
{
	struct rd_counts *d;
	sqlite3_stmt *s;
	struct json j;
	struct buf out;
	int rc, ch = 0;

	/* no article rendered (staged, or already on disk), no count
	 * changed: a poll that decided nothing reads no article's count */
	render_counts_free(x);
	if (x->narts == 0 && x->rep->narticles == 0 && !x->site_only)
		return 0;
	d = x->counts = xcalloc(1, sizeof(*d));
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
	json_kint(&j, "version", COUNTS_VERSION);
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
		d->changed = 1;
	}
	return rc;
}

/* ---- count markers in the site's pages ---- */

static int count_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct rd_count *)e)->slug);
}

static const struct rd_count *count_find(const struct rd_counts *d,
					 const char *slug)
{
	return d->ncounts ? bsearch(slug, d->counts, d->ncounts,
				    sizeof(*d->counts), count_cmp) :
			    NULL;
}

/* Says msg about what (a page, a slug) once in a run: a page listing an
 * unknown article a hundred times is one line, not a hundred. */
static void say_once(struct rd_counts *d, const char *what, const char *msg,
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
	struct rd_counts *d = x->counts;
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
	struct rd_counts *d = x->counts;
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
	struct rd_counts *d = x->counts;
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

int render_counts_markers(struct rctx *x, int all, struct mc_err *err)
{
	struct rd_counts *d = x->counts;

	if (!x->c->render_count_markers || d == NULL ||
	    (!all && !d->changed))
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
