/* articles.c: discovering and managing articles.  A page is an article
 * when it carries the begin marker; its slug is its path, so the
 * plus-address of an article can be read off its URL. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "address.h"
#include "articles.h"
#include "fsroot.h"
#include "lang.h"
#include "log.h"
#include "term.h"
#include "banned.h"

#define ARTICLE_COLS                                                   \
	"id, slug, title, url, page, origin, created_at,"              \
	" COALESCE(closed_at, 0), COALESCE(reopened_at, 0), language"

static void from_row(sqlite3_stmt *stmt, struct article *a)
{
	a->id = sqlite3_column_int64(stmt, 0);
	a->slug = store_col_text(stmt, 1);
	a->title = store_col_text(stmt, 2);
	a->url = store_col_text(stmt, 3);
	a->page = store_col_text(stmt, 4);
	a->origin = store_col_text(stmt, 5);
	a->created_at = sqlite3_column_int64(stmt, 6);
	a->closed_at = sqlite3_column_int64(stmt, 7);
	a->reopened_at = sqlite3_column_int64(stmt, 8);
	a->language = store_col_text(stmt, 9);
}

static int find_by(struct store *st, const char *sql, const char *slug,
		   int64_t id, struct article *a, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	memset(a, 0, sizeof(*a));
	if (stmt == NULL)
		return -1;
	if (slug)
		store_bind_text(stmt, 1, slug);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		from_row(stmt, a);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "reading articles: %s",
		       sqlite3_errmsg(store_db(st)));
}

int article_find(struct store *st, const char *slug, struct article *a,
		 struct mc_err *err)
{
	return find_by(st, "SELECT " ARTICLE_COLS " FROM articles WHERE slug = ?",
		       slug, 0, a, err);
}

int article_get(struct store *st, int64_t id, struct article *a,
		struct mc_err *err)
{
	return find_by(st, "SELECT " ARTICLE_COLS " FROM articles WHERE id = ?",
		       NULL, id, a, err);
}

void article_free(struct article *a)
{
	free(a->slug);
	free(a->title);
	free(a->url);
	free(a->page);
	free(a->origin);
	free(a->language);
	memset(a, 0, sizeof(*a));
}

void article_language(const struct conf *c, const char *stored,
		      const char *page, const char *slug,
		      char out[LANG_TAG_MAX])
{
	if (stored && lang_normalize(stored, out))
		return;
	lang_decide(c, NULL, page && page[0] ? page : slug, out);
}

static char *join_url(const struct conf *c, const char *path)
{
	size_t n = strlen(c->site_url);
	int slash = n > 0 && c->site_url[n - 1] == '/';

	return xasprintf("%s%s%s", c->site_url, slash ? "" : "/", path);
}

static const char upsert_sql[] =
	"INSERT INTO articles (slug, title, url, page, origin, created_at,"
	" language) VALUES (?, ?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
	" url = excluded.url, page = excluded.page, origin = excluded.origin,"
	" language = excluded.language,"
	" dirty = CASE WHEN title != excluded.title OR url != excluded.url OR"
	" page != excluded.page OR language != excluded.language"
	" THEN 1 ELSE dirty END"
	" WHERE title != excluded.title OR url != excluded.url OR"
	" page != excluded.page OR origin != excluded.origin OR"
	" language != excluded.language";

static int upsert(struct store *st, const char *slug, const char *title,
		  const char *url, const char *page, const char *origin,
		  const char *language, int *added, struct mc_err *err)
{
	struct article old;
	sqlite3_stmt *stmt;
	int existed = article_find(st, slug, &old, err);

	if (existed < 0)
		return -1;
	if (existed)
		article_free(&old);
	stmt = store_stmt(st, upsert_sql, err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, slug);
	store_bind_text(stmt, 2, title ? title : "");
	store_bind_text(stmt, 3, url);
	store_bind_text(stmt, 4, page ? page : "");
	store_bind_text(stmt, 5, origin);
	sqlite3_bind_int64(stmt, 6, now());
	store_bind_text(stmt, 7, language);
	if (store_step_done(st, stmt, err) < 0)
		return err_prefix(err, "article %s: ", slug);
	if (added && !existed)
		(*added)++;
	return 0;
}

int article_add(struct store *st, const struct conf *c, const char *slug,
		const char *title, const char *url, struct mc_err *err)
{
	char lang[LANG_TAG_MAX];
	char *u;
	int rc;

	if (!slug_valid(slug))
		return err_set(err,
			       "\"%s\" is not a valid slug (lowercase letters, "
			       "digits and '-', sections joined by '/')",
			       slug);
	u = url ? xstrdup(url) : xasprintf("%s/", slug);
	if (url == NULL) {
		char *full = join_url(c, u);

		free(u);
		u = full;
	}
	lang_decide(c, NULL, slug, lang);
	rc = upsert(st, slug, title ? title : slug, u, NULL, "manual", lang,
		    NULL, err);
	free(u);
	return rc;
}

int article_remove(struct store *st, const char *slug, int force,
		   struct mc_err *err)
{
	struct article a;
	sqlite3_stmt *stmt;
	int rc = article_find(st, slug, &a, err), n;

	if (rc <= 0)
		return rc;
	stmt = store_stmt(st, "SELECT count(*) FROM comments WHERE article_id = ?",
			  err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, a.id);
	sqlite3_step(stmt);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	if (n > 0 && !force) {
		err_set(err,
			"article %s has %d comments; --force removes them too",
			slug, n);
		goto fail;
	}
	stmt = store_stmt(st, "DELETE FROM articles WHERE id = ?", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, a.id);
	if (store_step_done(st, stmt, err) < 0)
		goto fail;
	article_free(&a);
	return 1;
fail:
	article_free(&a);
	return -1;
}

/* The string value of the XPath expression expr in doc, or NULL. */
static char *xpath_string(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr res;
	char *t = NULL;

	if (ctx == NULL)
		return NULL;
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (res && res->type == XPATH_STRING && res->stringval)
		t = xstrdup((const char *)res->stringval);
	xmlXPathFreeObject(res);
	return t;
}

/* s with its runs of white space made one space, trimmed; frees s. */
static char *collapse(char *s)
{
	struct buf b;
	char *p;
	int space = 0;

	buf_init(&b);
	for (p = str_trim(s); *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && b.len)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *p);
	}
	free(s);
	return buf_detach(&b);
}

/* What a page says of itself: its <title>, whitespace collapsed ("" when
 * it has none), and its language, the lang attribute nearest to the
 * begin marker (on the element holding it or an ancestor, <html> last):
 * a bilingual page can give its comments the language of their part.
 * *lang is "" when no tag there is well formed (lang.h). */
static char *page_info(const char *html, size_t len,
		       char lang[LANG_TAG_MAX])
{
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
						HTML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	char *t, *l;

	lang[0] = '\0';
	if (doc == NULL)
		return xstrdup("");
	ctx = xmlXPathNewContext(doc);
	t = xpath_string(ctx, "string(//title)");
	l = xpath_string(ctx,
			 "string((//comment()[normalize-space(.) = "
			 "'mailcomments:begin'])[1]/ancestor::*[@lang][1]/@lang)");
	if (l)
		lang_normalize(l, lang);
	free(l);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return t ? collapse(t) : xstrdup("");
}

/* "a/b/index.html" -> "a/b", "a/b.html" -> "a/b", else NULL. */
static char *slug_of(const char *rel)
{
	size_t n = strlen(rel);

	if (n > 11 && strcmp(rel + n - 11, "/index.html") == 0)
		return xstrndup(rel, n - 11);
	if (n > 5 && strcmp(rel + n - 5, ".html") == 0 &&
	    strcmp(rel, "index.html") != 0)
		return xstrndup(rel, n - 5);
	return NULL;
}

struct walk {
	struct store *st;
	const struct conf *c;
	struct fsroot *site;
	int *added;
	int depth;
};

static int visit_page(struct walk *w, const char *path, const char *rel,
		      struct mc_err *err)
{
	struct buf html;
	char *slug, *title, *url, *urlpath;
	char plang[LANG_TAG_MAX], lang[LANG_TAG_MAX];
	int rc = 0;

	slug = slug_of(rel);
	if (slug == NULL)
		return 0;
	buf_init(&html);
	/* Through the site's root: a page swapped for a link since the
	 * directory was listed is refused, not read. */
	if (fsroot_read(w->site, rel, &html, 16 << 20, err) < 0) {
		log_warnx("articles: %s", err->msg);
		goto out;
	}
	if (strstr(html.s, ARTICLE_MARK_BEGIN) == NULL)
		goto out;
	if (!slug_valid(slug)) {
		log_warnx("articles: %s has the comment markers but \"%s\" is "
			  "not a valid slug (lowercase letters, digits, '-', "
			  "'/'); rename it or add the article by hand",
			  path, slug);
		goto out;
	}
	title = page_info(html.s, html.len, plang);
	lang_decide(w->c, plang, rel, lang);
	urlpath = strcmp(rel + strlen(rel) - 10, "index.html") == 0 ?
			  xasprintf("%s/", slug) :
			  xstrdup(rel);
	url = join_url(w->c, urlpath);
	rc = upsert(w->st, slug, title[0] ? title : slug, url, rel, "site",
		    lang, w->added, err);
	free(urlpath);
	free(url);
	free(title);
out:
	buf_free(&html);
	free(slug);
	return rc;
}

/* Links are not followed, to a directory or to a page: what they point
 * to may lie outside the site. */
static int walk_dir(struct walk *w, const char *rel, struct mc_err *err)
{
	DIR *d = fsroot_opendir(w->site, rel, err);
	struct dirent *de;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *path, *r;
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) :
			     xstrdup(de->d_name);
		path = xasprintf("%s/%s", fsroot_path(w->site), r);
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) <
		    0)
			sb.st_mode = 0;
		if (S_ISDIR(sb.st_mode) && w->depth < 16) {
			w->depth++;
			rc = walk_dir(w, r, err);
			w->depth--;
		} else if (S_ISREG(sb.st_mode)) {
			rc = visit_page(w, path, r, err);
		} else if (S_ISLNK(sb.st_mode)) {
			log_debug("articles: %s is a symbolic link: not "
				  "followed",
				  path);
		}
		free(path);
		free(r);
	}
	closedir(d);
	return rc;
}

int articles_sync(struct store *st, const struct conf *c, int *added,
		  struct mc_err *err)
{
	struct walk w = { st, c, NULL, added, 0 };
	int rc;

	if (added)
		*added = 0;
	if (fsroot_open(&w.site, c->site_directory, c->render_file_mode,
			c->render_directory_mode, 0, err) < 0)
		return errno == ENOENT ? 0 : -1;
	if (store_begin(st, err) < 0) {
		fsroot_close(w.site);
		return -1;
	}
	rc = walk_dir(&w, "", err);
	if (rc < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		rc = -1;
	}
	fsroot_close(w.site);
	return rc;
}

int article_mark_dirty(struct store *st, int64_t article_id,
		       struct mc_err *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "UPDATE articles SET dirty = 1 WHERE id = ?", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, article_id);
	return store_step_done(st, stmt, err);
}

int article_is_closed(const struct conf *c, const struct article *a)
{
	if (a->closed_at > 0 && a->closed_at <= now())
		return 1;
	return c->close_after_days > 0 && a->reopened_at == 0 &&
	       a->created_at + c->close_after_days * 86400 <= now();
}

int article_set_closed(struct store *st, const char *slug, int closed,
		       const char *actor, struct mc_err *err)
{
	struct audit au = { actor, closed ? "close" : "open", 0, slug, NULL,
			    NULL };
	sqlite3_stmt *stmt;
	struct article a;
	int found = article_find(st, slug, &a, err);

	if (found <= 0)
		return found;
	/* open: reopened_at makes the days rule pass it by, or the next
	 * pass would close it again at once */
	stmt = store_stmt(st,
			  closed ? "UPDATE articles SET closed_at = ?,"
				   " reopened_at = NULL, dirty = 1 WHERE id = ?" :
				   "UPDATE articles SET reopened_at = ?,"
				   " closed_at = NULL, dirty = 1 WHERE id = ?",
			  err);
	if (stmt == NULL) {
		article_free(&a);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, now());
	sqlite3_bind_int64(stmt, 2, a.id);
	article_free(&a);
	if (store_step_done(st, stmt, err) < 0 || store_audit(st, &au, err) < 0)
		return err_prefix(err, "article %s: ", slug);
	return 1;
}

int articles_close_due(struct store *st, const struct conf *c, int *n,
		       struct mc_err *err)
{
	sqlite3_stmt *stmt;
	char *slugs[64];
	int64_t ids[64], at[64];
	size_t k = 0, i;
	int rc = 0;

	if (n)
		*n = 0;
	if (c->close_after_days <= 0)
		return 0;
	stmt = store_stmt(st,
			  "SELECT id, slug, created_at + ? FROM articles"
			  " WHERE closed_at IS NULL AND reopened_at IS NULL"
			  " AND created_at + ? <= ? ORDER BY id LIMIT 64",
			  err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, c->close_after_days * 86400);
	sqlite3_bind_int64(stmt, 2, c->close_after_days * 86400);
	sqlite3_bind_int64(stmt, 3, now());
	while (k < 64 && sqlite3_step(stmt) == SQLITE_ROW) {
		ids[k] = sqlite3_column_int64(stmt, 0);
		slugs[k] = store_col_text(stmt, 1);
		at[k] = sqlite3_column_int64(stmt, 2);
		k++;
	}
	sqlite3_reset(stmt);
	/* the time it closed, not now: the page and the audit say when */
	stmt = store_stmt(st,
			  "UPDATE articles SET closed_at = ?, dirty = 1"
			  " WHERE id = ?",
			  err);
	for (i = 0; i < k; i++) {
		char *detail = xasprintf("%s (moderation.close_after_days)",
					 slugs[i]);
		struct audit au = { "gateway", "close", 0, detail, NULL,
				    NULL };

		if (rc == 0 && stmt == NULL)
			rc = -1;
		if (rc == 0) {
			sqlite3_bind_int64(stmt, 1, at[i]);
			sqlite3_bind_int64(stmt, 2, ids[i]);
			rc = store_step_done(st, stmt, err);
		}
		if (rc == 0)
			rc = store_audit(st, &au, err);
		free(detail);
		free(slugs[i]);
	}
	if (rc == 0 && n)
		*n = (int)k;
	/* more than 64 at once: the next pass takes the rest */
	return rc;
}

int articles_print(struct store *st, const struct conf *c, FILE *out,
		   struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT a.slug, a.origin, a.title, a.url,"
		" (SELECT count(*) FROM comments c WHERE c.article_id = a.id"
		"  AND c.status = 'approved'),"
		" (SELECT count(*) FROM comments c WHERE c.article_id = a.id"
		"  AND c.status = 'pending'),"
		" a.closed_at IS NOT NULL, a.language, a.page"
		" FROM articles a ORDER BY a.slug",
		err);
	int n = 0;

	if (stmt == NULL)
		return -1;
	fprintf(out, "%-32s %-6s %-6s %-7s %9s %8s  %s\n", "SLUG", "ORIGIN",
		"STATE", "LANG", "PUBLISHED", "PENDING", "TITLE");
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char lang[LANG_TAG_MAX];
		struct buf slug;

		/* a title is what a page (or an operator) wrote: term.h */
		buf_init(&slug);
		term_clean(&slug, (const char *)sqlite3_column_text(stmt, 0),
			   (size_t)sqlite3_column_bytes(stmt, 0), 0);
		/* a stored tag is one lang_normalize() wrote */
		article_language(c, (const char *)sqlite3_column_text(stmt, 7),
				 (const char *)sqlite3_column_text(stmt, 8),
				 (const char *)sqlite3_column_text(stmt, 0),
				 lang);
		fprintf(out, "%-32s %-6s %-6s %-7s %9d %8d  ", slug.s,
			sqlite3_column_text(stmt, 1),
			sqlite3_column_int(stmt, 6) ? "closed" : "open", lang,
			sqlite3_column_int(stmt, 4), sqlite3_column_int(stmt, 5));
		term_put(out, (const char *)sqlite3_column_text(stmt, 2), 0);
		fputc('\n', out);
		buf_free(&slug);
		n++;
	}
	sqlite3_reset(stmt);
	if (n == 0)
		fprintf(out, "(no articles: add pages with the comment markers "
			     "to site.directory, or use 'articles add')\n");
	return 0;
}
