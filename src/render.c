/* render.c: the publishing stage.  Reads an article and its approved
 * comments, threads them, and writes the fragment, JSON, Atom feed and
 * injected page; then the site-wide feed and stylesheet.  Everything is a
 * function of the database (and the configuration): no clock is read, so
 * rendering twice writes nothing the second time.
 *
 * Dirty marks are cleared before an article is read, and set again if its
 * render fails: a comment decided while we render marks it dirty again,
 * so no change is ever missed. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "fsroot.h"
#include "html.h"
#include "inject.h"
#include "json.h"
#include "log.h"
#include "markup.h"
#include "render.h"
#include "template.h"
#include "utf8.h"
#include "webhook.h"
#include "banned.h"

#define NONE ((size_t)-1)
#define PAGE_MAX (64u << 20)
#define SITE_FEED "all_comments.atom"
#define STYLESHEET "mailcomments.css"

/* The words of the pages, per site.language.  Patterns take their
 * arguments at each "%s", in order (see fill()). */
struct strings {
	const char *lang;
	const char *months[12];
	int day_first;         /* "29 juillet 2024" rather than "July 29, 2024" */
	const char *first_day; /* how day 1 is written, or NULL */
	const char *at;        /* between the date and the time */
	const char *thousands; /* digit group separator */
	const char *count_zero, *count_one, *count_many;
	const char *leave, *notice, *reply, *moderator, *in_reply_to;
	const char *feed;
	const char *subject_leave, *subject_reply;
	const char *feed_title, *site_feed_title, *entry_title;
};

static const struct strings strings_en = {
	"en",
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
	0, NULL, " at ", ",",
	"No comments yet", "1 comment", "%s comments",
	"Write a comment by email",
	"Comments are read by a moderator before they appear here.",
	"Reply", "Moderator", "in reply to",
	"Comments feed (Atom)",
	"Comment: %s", "Reply to %s",
	"Comments on “%s”", "Latest comments on %s",
	"%s on “%s”",
};

/* French typography: U+202F (narrow no-break space) groups digits, U+00A0
 * sits inside guillemets and before the colon. */
static const struct strings strings_fr = {
	"fr",
	{ "janvier", "février", "mars", "avril", "mai", "juin",
	  "juillet", "août", "septembre", "octobre", "novembre",
	  "décembre" },
	1, "1er", " à ", "\u202f",
	"Aucun commentaire pour l’instant", "1 commentaire",
	"%s commentaires",
	"Écrire un commentaire par courriel",
	"Chaque commentaire est relu par un modérateur avant "
	"d’apparaître ici.",
	"Répondre", "Modération", "en réponse à",
	"Flux des commentaires (Atom)",
	"Commentaire\u00a0: %s", "Réponse à %s",
	"Commentaires sur «\u00a0%s\u00a0»",
	"Derniers commentaires sur %s",
	"%s sur «\u00a0%s\u00a0»",
};

enum {
	S_LANG, S_SLUG, S_TITLE, S_ARTICLE_URL, S_COUNT, S_COUNT_TEXT,
	S_HAS_COMMENTS, S_COMMENTS, S_COMMENT_URL, S_LEAVE_LABEL, S_NOTICE,
	S_CSS_URL, S_FEED_URL, S_FEED_LABEL, S_NVARS
};

static const struct template_var section_vars[S_NVARS] = {
	{ "lang", TEMPLATE_TEXT },        { "slug", TEMPLATE_TEXT },
	{ "title", TEMPLATE_TEXT },       { "article_url", TEMPLATE_TEXT },
	{ "count", TEMPLATE_TEXT },       { "count_text", TEMPLATE_TEXT },
	{ "has_comments", TEMPLATE_BOOL }, { "comments", TEMPLATE_HTML },
	{ "comment_url", TEMPLATE_TEXT }, { "leave_label", TEMPLATE_TEXT },
	{ "notice", TEMPLATE_TEXT },      { "css_url", TEMPLATE_TEXT },
	{ "feed_url", TEMPLATE_TEXT },    { "feed_label", TEMPLATE_TEXT },
};

enum {
	C_ID, C_URL, C_AUTHOR, C_MODERATOR, C_MODERATOR_LABEL, C_DATE_ISO,
	C_DATE_TEXT, C_BODY, C_REPLY_URL, C_REPLY_LABEL, C_REPLIES,
	C_IN_REPLY_TO, C_IN_REPLY_TO_ID, C_IN_REPLY_TO_LABEL, C_LEVEL,
	C_NVARS
};

static const struct template_var comment_vars[C_NVARS] = {
	{ "id", TEMPLATE_TEXT },
	{ "url", TEMPLATE_TEXT },
	{ "author", TEMPLATE_TEXT },
	{ "moderator", TEMPLATE_BOOL },
	{ "moderator_label", TEMPLATE_TEXT },
	{ "date_iso", TEMPLATE_TEXT },
	{ "date_text", TEMPLATE_TEXT },
	{ "body", TEMPLATE_HTML },
	{ "reply_url", TEMPLATE_TEXT },
	{ "reply_label", TEMPLATE_TEXT },
	{ "replies", TEMPLATE_HTML },
	{ "in_reply_to", TEMPLATE_TEXT },
	{ "in_reply_to_id", TEMPLATE_TEXT },
	{ "in_reply_to_label", TEMPLATE_TEXT },
	{ "level", TEMPLATE_TEXT },
};

struct pub_comment {
	int64_t id, parent_id, created, updated;
	int moderator;
	char *author;    /* display name: one line, masked, never empty */
	char *body_html; /* markup_body() */
	char *body_text; /* the source, masked */
	size_t parent;   /* index of the published parent, or NONE */
	size_t under;    /* the comment it is shown under, or NONE */
	size_t first, last, next; /* children as shown, in order */
	int level;       /* true depth: 0 for a comment on the article */
};

struct pub_article {
	char *slug, *title, *url, *page;
	int64_t created, updated;
	struct pub_comment *cm;
	size_t n;
};

struct rctx {
	struct store *st;
	const struct conf *c;
	const struct strings *str;
	struct template *tsection, *tcomment;
	struct buf css;
	char *outdir;  /* where outputs go */
	struct fsroot *out;  /* the root they are written under... */
	char *outrel;        /* ...at this path in it ("" for the root) */
	struct fsroot *site; /* site.directory, for pages; may be out */
	char *outurl;  /* its public URL ending in '/', or "" if unknown */
	char *tagbase; /* "tag:HOST,DATE:" */
	int64_t epoch; /* the database's creation: the feeds' oldest date */
	struct markup_opts mo;
	char *saved_tz;
	int tz_set;
	struct render_report *rep;
	struct buf hook; /* webhook JSON: the changed articles */
	size_t nhook;
};

/* Replaces each "%s" of pat by the next argument; no printf, so the
 * patterns can never be format strings. */
static void fill(struct buf *out, const char *pat, const char *a,
		 const char *b)
{
	const char *p = pat, *q;
	const char *args[2] = { a, b };
	int k = 0;

	while ((q = strstr(p, "%s")) != NULL) {
		buf_add(out, p, (size_t)(q - p));
		if (k < 2 && args[k])
			buf_adds(out, args[k]);
		k++;
		p = q + 2;
	}
	buf_adds(out, p);
}

static void group_digits(struct buf *out, int64_t n, const char *sep)
{
	char digits[32];
	size_t len, i;

	snprintf(digits, sizeof(digits), "%lld", (long long)n);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_adds(out, sep);
		buf_addc(out, digits[i]);
	}
}

static void count_text(const struct strings *s, size_t n, struct buf *out)
{
	struct buf num;

	if (n == 0) {
		buf_adds(out, s->count_zero);
		return;
	}
	if (n == 1) {
		buf_adds(out, s->count_one);
		return;
	}
	buf_init(&num);
	group_digits(&num, (int64_t)n, s->thousands);
	fill(out, s->count_many, num.s, NULL);
	buf_free(&num);
}

static void human_date(const struct rctx *x, int64_t t, struct buf *out)
{
	const struct strings *s = x->str;
	time_t tt = (time_t)t;
	struct tm tm;

	if (x->tz_set)
		localtime_r(&tt, &tm);
	else
		gmtime_r(&tt, &tm);
	if (s->day_first) {
		if (tm.tm_mday == 1 && s->first_day)
			buf_adds(out, s->first_day);
		else
			buf_addf(out, "%d", tm.tm_mday);
		buf_addf(out, " %s %d", s->months[tm.tm_mon],
			 tm.tm_year + 1900);
	} else {
		buf_addf(out, "%s %d, %d", s->months[tm.tm_mon], tm.tm_mday,
			 tm.tm_year + 1900);
	}
	buf_addf(out, "%s%02d:%02d", s->at, tm.tm_hour, tm.tm_min);
}

/* The name a comment is published under: html_public_name(), one rule
 * for every output. */
static char *display_name(const struct rctx *x, const char *raw,
			  const char *address)
{
	struct buf b;

	buf_init(&b);
	html_public_name(&b, raw, address,
			 html_anonymous_word(x->c->site_language));
	return buf_detach(&b);
}

static char *url_join(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (path[0] == '/')
		path++;
	return xasprintf("%s%s%s", base, n && base[n - 1] == '/' ? "" : "/",
			 path);
}

/* articles.url, else the page's URL under site.url (without a final
 * index.html), else site.url/SLUG/. */
static char *article_url(const struct conf *c, const char *slug,
			 const char *url, const char *page)
{
	char *p, *u;
	size_t n;

	if (url && *url)
		return xstrdup(url);
	if (page && *page) {
		p = xstrdup(page);
		n = strlen(p);
		if (n >= 10 && strcmp(p + n - 10, "index.html") == 0 &&
		    (n == 10 || p[n - 11] == '/'))
			p[n - 10] = '\0';
		u = url_join(c->site_url, p);
		free(p);
		return u;
	}
	p = xasprintf("%s/", slug);
	u = url_join(c->site_url, p);
	free(p);
	return u;
}

/* ---- the context ---- */

static int zone_ok(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char *path;
	int ok;

	if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
			 tz);
	ok = access(path, R_OK) == 0;
	free(path);
	return ok;
}

/* Reads NAME from render.templates when it is there, else the built-in
 * one. */
static int load_file(const struct conf *c, const char *name,
		     struct buf *out, char **label, struct mc_err *err)
{
	const char *data;
	size_t len;
	char *path;

	if (c->render_templates[0] != '\0') {
		path = xasprintf("%s/%s", c->render_templates, name);
		if (access(path, F_OK) == 0) {
			if (read_file(path, out, 1u << 20, err) < 0) {
				free(path);
				return -1;
			}
			*label = path;
			return 0;
		}
		free(path);
	}
	data = template_builtin(name, &len);
	if (data == NULL)
		return err_set(err, "no built-in template %s", name);
	buf_add(out, data, len);
	*label = xasprintf("built-in %s", name);
	return 0;
}

static int load_template(const struct conf *c, const char *name,
			 const struct template_var *vars, size_t nvars,
			 struct template **t, struct mc_err *err)
{
	struct buf text;
	char *label = NULL;
	int rc;

	buf_init(&text);
	rc = load_file(c, name, &text, &label, err);
	if (rc == 0)
		rc = template_parse(t, label, text.s, text.len, vars, nvars,
				    err);
	buf_free(&text);
	free(label);
	return rc;
}

static char *host_of(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;
	char *h;

	if (p == NULL)
		return xstrdup("");
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	h = xstrndup(p, (size_t)(end - p));
	if (h[0] != '[' && strchr(h, ':'))
		*strchr(h, ':') = '\0';
	ascii_lower(h);
	return h;
}

static int64_t db_epoch(struct store *st)
{
	sqlite3_stmt *s = store_stmt(
		st, "SELECT MIN(applied_at) FROM schema_migrations", NULL);
	int64_t t = 0;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		t = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return t;
}

static void ctx_free(struct rctx *x)
{
	template_free(x->tsection);
	template_free(x->tcomment);
	buf_free(&x->css);
	buf_free(&x->hook);
	free(x->outdir);
	free(x->outrel);
	if (x->site != x->out)
		fsroot_close(x->site);
	fsroot_close(x->out);
	free(x->outurl);
	free(x->tagbase);
	if (x->tz_set) {
		if (x->saved_tz)
			setenv("TZ", x->saved_tz, 1);
		else
			unsetenv("TZ");
		tzset();
	}
	free(x->saved_tz);
}

/* render.url, else site.url + render.directory when that is relative,
 * ending in '/'; "" when the outputs' public URL is unknown. */
static char *outputs_url(const struct conf *c)
{
	const char *dir = c->render_directory;
	char *d, *u, *v;
	size_t n;

	if (c->render_url[0])
		return url_join(c->render_url, "");
	if (dir[0] == '/')
		return xstrdup("");
	d = xstrdup(dir);
	n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	u = url_join(c->site_url, d);
	v = url_join(u, "");
	free(d);
	free(u);
	return v;
}

/* 1 if a relative path climbs out of where it starts. */
static int climbs(const char *rel)
{
	const char *p = rel;

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n + (p[n] == '/');
	}
	return 0;
}

/* The outputs are written under site.directory when render.directory is
 * inside it, so that no link in the site can divert them; an absolute
 * render.directory (or one that leaves the site) is a root of its own.
 * The roots are made when missing, with the public directory mode. */
static int open_roots(struct rctx *x, struct mc_err *err)
{
	const struct conf *c = x->c;
	const char *dir = c->render_directory;

	if (dir[0] != '/' && !climbs(dir)) {
		if (fsroot_open(&x->out, c->site_directory,
				c->render_file_mode, c->render_directory_mode,
				FSROOT_CREATE, err) < 0)
			return err_prefix(err, "site.directory: ");
		x->site = x->out;
		x->outrel = xstrdup(dir);
		return 0;
	}
	if (fsroot_open(&x->out, x->outdir, c->render_file_mode,
			c->render_directory_mode, FSROOT_CREATE, err) < 0)
		return err_prefix(err, "render.directory: ");
	x->outrel = xstrdup("");
	return 0;
}

/* The site's root, for pages: opened on first use (the site may have
 * none), never created (a page must be there already). */
static struct fsroot *site_root(struct rctx *x, struct mc_err *err)
{
	if (x->site == NULL &&
	    fsroot_open(&x->site, x->c->site_directory, x->c->render_file_mode,
			x->c->render_directory_mode, 0, err) < 0) {
		err_prefix(err, "site.directory: ");
		return NULL;
	}
	return x->site;
}

static int ctx_init(struct rctx *x, struct store *st, const struct conf *c,
		    struct render_report *rep, struct mc_err *err)
{
	const char *dir = c->render_directory, *tz = c->render_time_zone;
	char date[32], *host;

	memset(x, 0, sizeof(*x));
	x->st = st;
	x->c = c;
	x->rep = rep;
	buf_init(&x->css);
	buf_init(&x->hook);
	x->str = strcmp(c->site_language, "fr") == 0 ? &strings_fr :
						      &strings_en;
	markup_opts_conf(&x->mo, c, addr_is_public);
	if (dir[0] == '\0')
		return err_set(err, "render.directory is empty");
	x->outdir = dir[0] == '/' ?
			    xstrdup(dir) :
			    xasprintf("%s/%s", c->site_directory, dir);
	if (open_roots(x, err) < 0)
		return -1;
	x->outurl = outputs_url(c);
	host = host_of(c->site_url);
	if (host[0] == '\0') {
		free(host);
		host = xstrdup(addr_domain(c));
	}
	x->epoch = db_epoch(st);
	time_iso8601(x->epoch, date);
	date[10] = '\0';
	x->tagbase = xasprintf("tag:%s,%s:", host, date);
	free(host);
	if (strcmp(tz, "UTC") != 0) {
		if (!zone_ok(tz))
			return err_set(err, "render.time_zone: \"%s\" is not "
					    "a known time zone", tz);
		x->saved_tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
		setenv("TZ", tz, 1);
		tzset();
		x->tz_set = 1;
	}
	if (c->render_templates[0] != '\0') {
		struct stat sb;

		/* A mistyped directory must not silently mean "built-in". */
		if (stat(c->render_templates, &sb) < 0)
			return err_set(err, "render.templates: %s: %s",
				       c->render_templates, strerror(errno));
		if (!S_ISDIR(sb.st_mode))
			return err_set(err,
				       "render.templates: %s: not a directory",
				       c->render_templates);
	}
	if (load_template(c, "section.html", section_vars, S_NVARS,
			  &x->tsection, err) < 0 ||
	    load_template(c, "comment.html", comment_vars, C_NVARS,
			  &x->tcomment, err) < 0)
		return -1;
	if (c->render_stylesheet) {
		char *label = NULL;
		int rc = load_file(c, STYLESHEET, &x->css, &label, err);

		free(label);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- files ---- */

static void report_file(struct rctx *x, const char *path)
{
	struct render_report *r = x->rep;

	r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
	r->files[r->nfiles++] = xstrdup(path);
}

/* Writes ROOT/rel.  A refusal (a link, a path outside the root) is an
 * error like any other: the article stays dirty and the log says why. */
static int put(struct rctx *x, struct fsroot *root, const char *rel,
	       const struct buf *b, int *changed, struct mc_err *err)
{
	int ch = 0;

	if (fsroot_write(root, rel, b->s, b->len, &ch, err) < 0)
		return -1;
	if (ch) {
		char *path = xasprintf("%s/%s", fsroot_path(root), rel);

		*changed = 1;
		report_file(x, path);
		free(path);
	}
	return 0;
}

/* OUT/name, relative to the outputs' root. */
static char *out_rel(const struct rctx *x, const char *name)
{
	return x->outrel[0] ? xasprintf("%s/%s", x->outrel, name) :
			      xstrdup(name);
}

static int put_out(struct rctx *x, const char *name, const struct buf *b,
		   int *changed, struct mc_err *err)
{
	char *rel = out_rel(x, name);
	int rc = put(x, x->out, rel, b, changed, err);

	free(rel);
	return rc;
}

/* ---- reading ---- */

static void comment_free(struct pub_comment *cm)
{
	free(cm->author);
	free(cm->body_html);
	free(cm->body_text);
}

static void article_free(struct pub_article *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		comment_free(&a->cm[i]);
	free(a->cm);
	free(a->slug);
	free(a->title);
	free(a->url);
	free(a->page);
	memset(a, 0, sizeof(*a));
}

/* Fills cm from columns id, parent_id, author_name, body, created_at,
 * updated (see the queries), by_moderator, and author_address in column
 * addr_col. */
static void read_comment(const struct rctx *x, sqlite3_stmt *s,
			 int addr_col, struct pub_comment *cm)
{
	const char *body = (const char *)sqlite3_column_text(s, 3);
	struct buf b;

	memset(cm, 0, sizeof(*cm));
	cm->id = sqlite3_column_int64(s, 0);
	cm->parent_id = sqlite3_column_int64(s, 1);
	cm->author = display_name(x, (const char *)sqlite3_column_text(s, 2),
				  (const char *)sqlite3_column_text(s, addr_col));
	cm->created = sqlite3_column_int64(s, 4);
	cm->updated = sqlite3_column_int64(s, 5);
	cm->moderator = sqlite3_column_int(s, 6) != 0;
	if (body == NULL)
		body = "";
	buf_init(&b);
	markup_body(&b, body, &x->mo);
	cm->body_html = buf_detach(&b);
	buf_free(&b);
	buf_init(&b);
	markup_text(&b, body, &x->mo);
	cm->body_text = buf_detach(&b);
	buf_free(&b);
	cm->parent = cm->under = cm->first = cm->last = cm->next = NONE;
}

static int begin_read(struct store *st)
{
	if (!sqlite3_get_autocommit(store_db(st)))
		return 0;
	return sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) ==
	       SQLITE_OK;
}

static void end_read(struct store *st, int began)
{
	if (began)
		sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
}

/* 1 found, 0 no such article, -1 error. */
static int load_article(struct rctx *x, const char *slug, struct pub_article *a,
			struct mc_err *err)
{
	sqlite3_stmt *s;
	int64_t id;
	size_t cap = 0;
	int rc, began = begin_read(x->st);

	memset(a, 0, sizeof(*a));
	s = store_stmt(x->st,
		       "SELECT id, slug, title, url, page, created_at"
		       " FROM articles WHERE slug = ?",
		       err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, slug, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		end_read(x->st, began);
		if (rc == SQLITE_DONE)
			return 0;
		err_set(err, "%s", sqlite3_errmsg(store_db(x->st)));
		return -1;
	}
	id = sqlite3_column_int64(s, 0);
	a->slug = store_col_text(s, 1);
	a->title = store_col_text(s, 2);
	a->url = store_col_text(s, 3);
	a->page = store_col_text(s, 4);
	a->created = sqlite3_column_int64(s, 5);
	sqlite3_reset(s);
	if (a->title[0] == '\0') {
		free(a->title);
		a->title = xstrdup(a->slug);
	}
	{
		char *u = article_url(x->c, a->slug, a->url, a->page);

		free(a->url);
		a->url = u;
	}
	a->updated = a->created;
	s = store_stmt(x->st,
		       "SELECT id, parent_id, author_name, body, created_at,"
		       " MAX(created_at, COALESCE(decided_at, created_at)),"
		       " by_moderator, author_address FROM comments"
		       " WHERE article_id = ? AND status = 'approved'"
		       " ORDER BY created_at, id",
		       err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (a->n == cap) {
			cap = cap ? 2 * cap : 16;
			a->cm = xrealloc(a->cm, cap * sizeof(*a->cm));
		}
		read_comment(x, s, 7, &a->cm[a->n]);
		if (a->cm[a->n].updated > a->updated)
			a->updated = a->cm[a->n].updated;
		a->n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		err_set(err, "%s", sqlite3_errmsg(store_db(x->st)));
		goto fail;
	}
	end_read(x->st, began);
	return 1;
fail:
	end_read(x->st, began);
	article_free(a);
	return -1;
}

/* ---- threading ---- */

struct idx {
	int64_t id;
	size_t i;
};

static int idx_cmp(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Links each comment to its published parent and to the comment it is
 * shown under.  Comments come in publication order, and a parent must
 * come before its reply (anything else is treated as a comment on the
 * article), so there can be no cycle and one pass suffices.  A reply
 * deeper than max_depth is shown under the ancestor at max_depth - 1,
 * after the replies already there. */
static void thread(struct pub_article *a, long max_depth)
{
	struct idx *ix = xmalloc((a->n ? a->n : 1) * sizeof(*ix)), key, *hit;
	size_t i, p;

	for (i = 0; i < a->n; i++) {
		ix[i].id = a->cm[i].id;
		ix[i].i = i;
	}
	qsort(ix, a->n, sizeof(*ix), idx_cmp);
	for (i = 0; i < a->n; i++) {
		struct pub_comment *cm = &a->cm[i];

		key.id = cm->parent_id;
		hit = cm->parent_id ? bsearch(&key, ix, a->n, sizeof(*ix),
					      idx_cmp) :
				      NULL;
		cm->parent = hit && hit->i < i ? hit->i : NONE;
		p = cm->parent;
		cm->level = p == NONE ? 0 : a->cm[p].level + 1;
		if (p == NONE)
			cm->under = NONE;
		else if (cm->level <= max_depth)
			cm->under = p;
		else
			cm->under = a->cm[p].under;
		if (cm->under != NONE) {
			struct pub_comment *u = &a->cm[cm->under];

			if (u->last == NONE)
				u->first = i;
			else
				a->cm[u->last].next = i;
			u->last = i;
		}
	}
	free(ix);
}

/* ---- HTML ---- */

static void mailto_subject(struct buf *out, const char *addr,
			   const char *tag, const char *pat,
			   const char *arg)
{
	struct buf subject;

	buf_init(&subject);
	buf_addf(&subject, "[%s] ", tag);
	fill(&subject, pat, arg, NULL);
	html_mailto(out, addr, subject.s);
	buf_free(&subject);
}

static void render_comment(const struct rctx *x, const struct pub_article *a,
			   size_t i, struct buf *out)
{
	const struct pub_comment *cm = &a->cm[i];
	struct template_val v[C_NVARS];
	struct buf replies, date, reply, url;
	char id[32], pid[32], iso[32], level[16], *addr, *tag;
	size_t k;

	memset(v, 0, sizeof(v));
	buf_init(&replies);
	buf_init(&date);
	buf_init(&reply);
	buf_init(&url);
	for (k = cm->first; k != NONE; k = a->cm[k].next)
		render_comment(x, a, k, &replies);
	snprintf(id, sizeof(id), "%lld", (long long)cm->id);
	snprintf(level, sizeof(level), "%d",
		 cm->level < x->c->render_max_depth ?
			 cm->level :
			 (int)x->c->render_max_depth);
	time_iso8601(cm->created, iso);
	human_date(x, cm->created, &date);
	addr = addr_reply(x->c, a->slug, cm->id);
	tag = xasprintf("%s#%lld", a->slug, (long long)cm->id);
	mailto_subject(&reply, addr, tag, x->str->subject_reply, cm->author);
	buf_addf(&url, "%s#comment-%s", a->url, id);
	v[C_ID].s = id;
	v[C_URL].s = url.s;
	v[C_AUTHOR].s = cm->author;
	v[C_MODERATOR].b = cm->moderator;
	v[C_MODERATOR_LABEL].s = x->str->moderator;
	v[C_DATE_ISO].s = iso;
	v[C_DATE_TEXT].s = date.s;
	v[C_BODY].s = cm->body_html;
	v[C_REPLY_URL].s = reply.s;
	v[C_REPLY_LABEL].s = x->str->reply;
	v[C_REPLIES].s = replies.s;
	v[C_IN_REPLY_TO_LABEL].s = x->str->in_reply_to;
	v[C_LEVEL].s = level;
	if (cm->parent != NONE && cm->under != cm->parent) {
		snprintf(pid, sizeof(pid), "%lld",
			 (long long)a->cm[cm->parent].id);
		v[C_IN_REPLY_TO].s = a->cm[cm->parent].author;
		v[C_IN_REPLY_TO_ID].s = pid;
	}
	template_render(x->tcomment, v, out);
	free(addr);
	free(tag);
	buf_free(&replies);
	buf_free(&date);
	buf_free(&reply);
	buf_free(&url);
}

static void feed_url(const struct rctx *x, const char *name, struct buf *out)
{
	if (x->outurl[0])
		buf_addf(out, "%s%s", x->outurl, name);
}

static void render_section(const struct rctx *x, const struct pub_article *a,
			   struct buf *out)
{
	struct template_val v[S_NVARS];
	struct buf comments, count, ctext, leave, css, feed;
	char *addr, *feedname;
	size_t i;

	memset(v, 0, sizeof(v));
	buf_init(&comments);
	buf_init(&count);
	buf_init(&ctext);
	buf_init(&leave);
	buf_init(&css);
	buf_init(&feed);
	for (i = 0; i < a->n; i++)
		if (a->cm[i].under == NONE)
			render_comment(x, a, i, &comments);
	buf_addf(&count, "%zu", a->n);
	count_text(x->str, a->n, &ctext);
	addr = addr_article(x->c, a->slug);
	mailto_subject(&leave, addr, a->slug, x->str->subject_leave,
		       a->title);
	if (x->c->render_stylesheet)
		feed_url(x, STYLESHEET, &css);
	feedname = xasprintf("%s.atom", a->slug);
	feed_url(x, feedname, &feed);
	v[S_LANG].s = x->str->lang;
	v[S_SLUG].s = a->slug;
	v[S_TITLE].s = a->title;
	v[S_ARTICLE_URL].s = a->url;
	v[S_COUNT].s = count.s;
	v[S_COUNT_TEXT].s = ctext.s;
	v[S_HAS_COMMENTS].b = a->n > 0;
	v[S_COMMENTS].s = comments.s;
	v[S_COMMENT_URL].s = leave.s;
	v[S_LEAVE_LABEL].s = x->str->leave;
	v[S_NOTICE].s = x->str->notice;
	v[S_CSS_URL].s = css.s;
	v[S_FEED_URL].s = feed.s;
	v[S_FEED_LABEL].s = x->str->feed;
	template_render(x->tsection, v, out);
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		buf_addc(out, '\n');
	free(addr);
	free(feedname);
	buf_free(&comments);
	buf_free(&count);
	buf_free(&ctext);
	buf_free(&leave);
	buf_free(&css);
	buf_free(&feed);
}

/* ---- JSON ---- */

static void render_json(const struct rctx *x, const struct pub_article *a,
			struct buf *out)
{
	struct json j;
	struct buf m, f;
	char iso[32], *addr, *name;
	size_t i;

	json_init(&j, out, 1);
	buf_init(&m);
	buf_init(&f);
	json_obj_begin(&j);
	json_kint(&j, "version", 1);
	json_kstr(&j, "slug", a->slug);
	json_kstr(&j, "title", a->title);
	json_kstr(&j, "url", a->url);
	json_kstr(&j, "language", x->str->lang);
	json_kint(&j, "count", (int64_t)a->n);
	time_iso8601(a->updated, iso);
	json_kstr(&j, "updated", iso);
	addr = addr_article(x->c, a->slug);
	json_kstr(&j, "comment_address", addr);
	mailto_subject(&m, addr, a->slug, x->str->subject_leave, a->title);
	json_kstr(&j, "comment_mailto", m.s);
	free(addr);
	name = xasprintf("%s.atom", a->slug);
	feed_url(x, name, &f);
	json_kstr(&j, "feed", f.len ? f.s : NULL);
	free(name);
	json_key(&j, "comments");
	json_arr_begin(&j);
	for (i = 0; i < a->n; i++) {
		const struct pub_comment *cm = &a->cm[i];
		char *tag;

		json_obj_begin(&j);
		json_kint(&j, "id", cm->id);
		json_key(&j, "parent");
		if (cm->parent == NONE)
			json_null(&j);
		else
			json_int(&j, a->cm[cm->parent].id);
		json_kstr(&j, "author", cm->author);
		json_kbool(&j, "moderator", cm->moderator);
		time_iso8601(cm->created, iso);
		json_kstr(&j, "created", iso);
		time_iso8601(cm->updated, iso);
		json_kstr(&j, "updated", iso);
		buf_reset(&m);
		buf_addf(&m, "%s#comment-%lld", a->url, (long long)cm->id);
		json_kstr(&j, "url", m.s);
		addr = addr_reply(x->c, a->slug, cm->id);
		json_kstr(&j, "reply_address", addr);
		buf_reset(&m);
		tag = xasprintf("%s#%lld", a->slug, (long long)cm->id);
		mailto_subject(&m, addr, tag, x->str->subject_reply,
			       cm->author);
		free(tag);
		free(addr);
		json_kstr(&j, "reply_mailto", m.s);
		json_kstr(&j, "html", cm->body_html);
		json_kstr(&j, "text", cm->body_text);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	buf_addc(out, '\n');
	buf_free(&m);
	buf_free(&f);
}

/* ---- Atom (RFC 4287) ---- */

static void xml_elem(struct buf *out, const char *indent, const char *name,
		     const char *text)
{
	buf_addf(out, "%s<%s>", indent, name);
	html_escape(out, text);
	buf_addf(out, "</%s>\n", name);
}

static void xml_link(struct buf *out, const char *indent, const char *rel,
		     const char *type, const char *href)
{
	buf_addf(out, "%s<link rel=\"%s\" type=\"%s\" href=\"", indent, rel,
		 type);
	html_escape(out, href);
	buf_adds(out, "\"/>\n");
}

static void atom_head(const struct rctx *x, struct buf *out,
		      const char *id, const char *title, int64_t updated,
		      const char *alternate, const char *self)
{
	char iso[32];

	buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\""
		      " xmlns:thr=\"http://purl.org/syndication/thread/1.0\""
		      " xml:lang=\"");
	buf_adds(out, x->str->lang);
	buf_adds(out, "\">\n");
	xml_elem(out, "  ", "id", id);
	xml_elem(out, "  ", "title", title);
	time_iso8601(updated, iso);
	xml_elem(out, "  ", "updated", iso);
	buf_adds(out, "  <author>\n");
	xml_elem(out, "    ", "name", x->c->site_name);
	buf_adds(out, "  </author>\n");
	xml_link(out, "  ", "alternate", "text/html", alternate);
	if (self && *self)
		xml_link(out, "  ", "self", "application/atom+xml", self);
	buf_adds(out, "  <generator>mailcomments</generator>\n");
}

/* One entry: the comment cm of article (slug, title, url); parent_id is
 * the published parent's id, or 0. */
static void atom_entry(const struct rctx *x, struct buf *out,
		       const char *slug, const char *title, const char *url,
		       const struct pub_comment *cm, int64_t parent_id)
{
	struct buf t;
	char iso[32];

	buf_init(&t);
	buf_adds(out, "  <entry>\n");
	buf_addf(&t, "%scomments/%s/%lld", x->tagbase, slug,
		 (long long)cm->id);
	xml_elem(out, "    ", "id", t.s);
	buf_reset(&t);
	fill(&t, x->str->entry_title, cm->author, title);
	xml_elem(out, "    ", "title", t.s);
	time_iso8601(cm->updated, iso);
	xml_elem(out, "    ", "updated", iso);
	time_iso8601(cm->created, iso);
	xml_elem(out, "    ", "published", iso);
	buf_adds(out, "    <author>\n");
	xml_elem(out, "      ", "name", cm->author);
	buf_adds(out, "    </author>\n");
	buf_reset(&t);
	buf_addf(&t, "%s#comment-%lld", url, (long long)cm->id);
	xml_link(out, "    ", "alternate", "text/html", t.s);
	if (parent_id) {
		buf_reset(&t);
		buf_addf(&t, "%scomments/%s/%lld", x->tagbase, slug,
			 (long long)parent_id);
		buf_adds(out, "    <thr:in-reply-to ref=\"");
		html_escape(out, t.s);
		buf_adds(out, "\" href=\"");
		buf_reset(&t);
		buf_addf(&t, "%s#comment-%lld", url, (long long)parent_id);
		html_escape(out, t.s);
		buf_adds(out, "\"/>\n");
	}
	buf_adds(out, "    <content type=\"html\">");
	html_escape(out, cm->body_html);
	buf_adds(out, "</content>\n  </entry>\n");
	buf_free(&t);
}

static int newest_first(const void *a, const void *b)
{
	const struct pub_comment *x = *(const struct pub_comment *const *)a;
	const struct pub_comment *y = *(const struct pub_comment *const *)b;

	if (x->updated != y->updated)
		return x->updated > y->updated ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

static void render_atom(const struct rctx *x, const struct pub_article *a,
			struct buf *out)
{
	const struct pub_comment **v = xmalloc((a->n ? a->n : 1) * sizeof(*v));
	struct buf id, title, alt, self;
	size_t i, n;
	char *name;

	buf_init(&id);
	buf_init(&title);
	buf_init(&alt);
	buf_init(&self);
	buf_addf(&id, "%scomments/%s", x->tagbase, a->slug);
	fill(&title, x->str->feed_title, a->title, NULL);
	buf_addf(&alt, "%s#comments", a->url);
	name = xasprintf("%s.atom", a->slug);
	feed_url(x, name, &self);
	free(name);
	atom_head(x, out, id.s, title.s, a->updated, alt.s, self.s);
	for (i = 0; i < a->n; i++)
		v[i] = &a->cm[i];
	qsort(v, a->n, sizeof(*v), newest_first);
	n = a->n < (size_t)x->c->render_feed_entries ?
		    a->n :
		    (size_t)x->c->render_feed_entries;
	for (i = 0; i < n; i++)
		atom_entry(x, out, a->slug, a->title, a->url, v[i],
			   v[i]->parent == NONE ? 0 :
						  a->cm[v[i]->parent].id);
	buf_adds(out, "</feed>\n");
	free(v);
	buf_free(&id);
	buf_free(&title);
	buf_free(&alt);
	buf_free(&self);
}

/* ---- one article ---- */

static int page_path_ok(const char *page)
{
	const char *p = page;

	if (page[0] == '/' || page[0] == '\0')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

static int same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && strcmp(ra, rb) == 0;

	free(ra);
	free(rb);
	return same;
}

/* The page must be a file of the site, and not the fragment itself (as
 * it would be with render.directory = "."): checked before anything is
 * written. */
static int page_clash(const struct rctx *x, const struct pub_article *a,
		      const char *fragment, struct mc_err *err)
{
	char *path;
	int same;

	if (!page_path_ok(a->page))
		return err_set(err,
			       "article %s: page \"%s\" must be a relative "
			       "path inside site.directory",
			       a->slug, a->page);
	path = xasprintf("%s/%s", x->c->site_directory, a->page);
	same = same_file(path, fragment);
	if (same)
		err_set(err,
			"article %s: page %s is also where its fragment "
			"goes; give render.directory a directory of its own",
			a->slug, path);
	free(path);
	return same ? -1 : 0;
}

static int inject_page(struct rctx *x, const struct pub_article *a,
		       const struct buf *section, int *changed, int *badpage,
		       struct mc_err *err)
{
	struct buf page, out;
	struct fsroot *site = site_root(x, err);
	char *path = xasprintf("%s/%s", x->c->site_directory, a->page);
	int rc = -1;

	buf_init(&page);
	buf_init(&out);
	/* Read through the site's root: a page that is a link (to
	 * /etc/shadow, to another site) is refused, never copied in. */
	if (site == NULL || fsroot_read(site, a->page, &page, PAGE_MAX,
					err) < 0) {
		err_prefix(err, "article %s: ", a->slug);
		goto done;
	}
	if (inject_section(page.s, page.len, section->s, &out, err) < 0) {
		err_prefix(err, "article %s: %s: ", a->slug, path);
		*badpage = 1;
		goto done;
	}
	rc = put(x, site, a->page, &out, changed, err);
	if (rc < 0)
		err_prefix(err, "article %s: ", a->slug);
done:
	buf_free(&page);
	buf_free(&out);
	free(path);
	return rc;
}

static void hook_add(struct rctx *x, const struct pub_article *a)
{
	if (x->nhook++ > 0)
		buf_addc(&x->hook, ',');
	buf_adds(&x->hook, "{\"slug\":");
	json_escape(&x->hook, a->slug);
	buf_adds(&x->hook, ",\"url\":");
	json_escape(&x->hook, a->url);
	buf_addc(&x->hook, '}');
}

/* Writes OUT/SLUG.EXT. */
static int put_output(struct rctx *x, const char *slug, const char *ext,
		      const struct buf *b, int *changed, struct mc_err *err)
{
	char *name = xasprintf("%s.%s", slug, ext);
	int rc = put_out(x, name, b, changed, err);

	free(name);
	return rc;
}

/* 1 rendered, 0 unknown slug, -1 failed (err says why, *badpage set for
 * a page whose markers are wrong). */
static int render_one(struct rctx *x, const char *slug, int *changed,
		      int *badpage, struct mc_err *err)
{
	struct pub_article a;
	struct buf sec, b;
	char *frag;
	int rc, ch = 0;

	*badpage = 0;
	*changed = 0;
	if (!slug_valid(slug))
		return err_set(err, "article %s: not a valid slug", slug);
	rc = load_article(x, slug, &a, err);
	if (rc <= 0) {
		if (rc < 0)
			err_prefix(err, "article %s: ", slug);
		return rc;
	}
	thread(&a, x->c->render_max_depth);
	buf_init(&sec);
	buf_init(&b);
	frag = xasprintf("%s/%s.html", x->outdir, slug);
	rc = -1;
	render_section(x, &a, &sec);
	if (strstr(sec.s, INJECT_BEGIN) || strstr(sec.s, INJECT_END)) {
		err_set(err, "article %s: the section holds a comment marker "
			     "(check the templates)", slug);
		goto done;
	}
	if (a.page[0] && page_clash(x, &a, frag, err) < 0)
		goto done;
	if (put_output(x, slug, "html", &sec, &ch, err) < 0)
		goto fail;
	render_json(x, &a, &b);
	if (put_output(x, slug, "json", &b, &ch, err) < 0)
		goto fail;
	buf_reset(&b);
	render_atom(x, &a, &b);
	if (put_output(x, slug, "atom", &b, &ch, err) < 0)
		goto fail;
	if (a.page[0] && inject_page(x, &a, &sec, &ch, badpage, err) < 0)
		goto done;
	rc = 1;
	goto done;
fail:
	err_prefix(err, "article %s: ", slug);
done:
	if (ch)
		hook_add(x, &a);
	*changed = ch;
	free(frag);
	buf_free(&sec);
	buf_free(&b);
	article_free(&a);
	return rc;
}

/* ---- the site-wide outputs ---- */

static int render_site(struct rctx *x, struct mc_err *err)
{
	sqlite3_stmt *s;
	struct buf out, title, self, id;
	struct pub_comment *cm = NULL;
	char **slug = NULL, **atitle = NULL, **aurl = NULL;
	int64_t *parent = NULL, updated = x->epoch;
	size_t n = 0, cap = 0, i;
	int rc, ch = 0, began;

	s = store_stmt(
		x->st,
		"SELECT c.id, c.parent_id, c.author_name, c.body, c.created_at,"
		" MAX(c.created_at, COALESCE(c.decided_at, c.created_at)) AS u,"
		" c.by_moderator, a.slug, a.title, a.url, a.page,"
		" (SELECT p.id FROM comments p WHERE p.id = c.parent_id"
		"  AND p.status = 'approved' AND p.article_id = c.article_id),"
		" c.author_address"
		" FROM comments c JOIN articles a ON a.id = c.article_id"
		" WHERE c.status = 'approved' ORDER BY u DESC, c.id DESC"
		" LIMIT ?",
		err);
	if (s == NULL)
		return -1;
	began = begin_read(x->st);
	sqlite3_bind_int64(s, 1, x->c->render_feed_entries);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 8);

		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			cm = xrealloc(cm, cap * sizeof(*cm));
			slug = xrealloc(slug, cap * sizeof(*slug));
			atitle = xrealloc(atitle, cap * sizeof(*atitle));
			aurl = xrealloc(aurl, cap * sizeof(*aurl));
			parent = xrealloc(parent, cap * sizeof(*parent));
		}
		read_comment(x, s, 12, &cm[n]);
		slug[n] = store_col_text(s, 7);
		atitle[n] = xstrdup(t && *t ? t : slug[n]);
		aurl[n] = article_url(x->c, slug[n],
				      (const char *)sqlite3_column_text(s, 9),
				      (const char *)sqlite3_column_text(s, 10));
		parent[n] = sqlite3_column_int64(s, 11);
		if (cm[n].updated > updated)
			updated = cm[n].updated;
		n++;
	}
	sqlite3_reset(s);
	end_read(x->st, began);
	rc = rc == SQLITE_DONE ? 0 :
				 err_set(err, "%s",
					 sqlite3_errmsg(store_db(x->st)));
	buf_init(&out);
	buf_init(&title);
	buf_init(&self);
	buf_init(&id);
	if (rc == 0) {
		buf_addf(&id, "%scomments", x->tagbase);
		fill(&title, x->str->site_feed_title, x->c->site_name, NULL);
		feed_url(x, SITE_FEED, &self);
		atom_head(x, &out, id.s, title.s, updated, x->c->site_url,
			  self.s);
		for (i = 0; i < n; i++)
			atom_entry(x, &out, slug[i], atitle[i], aurl[i], &cm[i],
				   parent[i]);
		buf_adds(&out, "</feed>\n");
		rc = put_out(x, SITE_FEED, &out, &ch, err);
	}
	if (rc == 0 && x->c->render_stylesheet) {
		rc = put_out(x, STYLESHEET, &x->css, &ch, err);
	}
	for (i = 0; i < n; i++) {
		comment_free(&cm[i]);
		free(slug[i]);
		free(atitle[i]);
		free(aurl[i]);
	}
	free(cm);
	free(slug);
	free(atitle);
	free(aurl);
	free(parent);
	buf_free(&out);
	buf_free(&title);
	buf_free(&self);
	buf_free(&id);
	return rc;
}

/* ---- runs ---- */

static int set_dirty(struct store *st, const char *slug, int dirty,
		     struct mc_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, "UPDATE articles SET dirty = ? WHERE slug = ?", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, dirty);
	sqlite3_bind_text(s, 2, slug, -1, SQLITE_TRANSIENT);
	return store_step_done(st, s, err);
}

/* The articles to render, their dirty marks cleared in the same
 * transaction: one commit for the whole run, and a mark set by another
 * process meanwhile is either seen here or left for the next run. */
static int take_slugs(struct store *st, enum render_scope scope,
		      const char *slug, char ***out, size_t *n,
		      struct mc_err *err)
{
	sqlite3_stmt *s;
	int own = sqlite3_get_autocommit(store_db(st)), rc;

	*out = NULL;
	*n = 0;
	if (own && store_begin(st, err) < 0)
		return -1;
	if (scope == RENDER_ONE) {
		*out = xmalloc(sizeof(**out));
		(*out)[(*n)++] = xstrdup(slug);
		s = store_stmt(st,
			       "UPDATE articles SET dirty = 0"
			       " WHERE slug = ? AND dirty",
			       err);
		if (s == NULL)
			goto fail;
		sqlite3_bind_text(s, 1, slug, -1, SQLITE_TRANSIENT);
	} else {
		s = store_stmt(st,
			       scope == RENDER_DIRTY ?
				       "SELECT slug FROM articles WHERE dirty"
				       " ORDER BY slug" :
				       "SELECT slug FROM articles ORDER BY slug",
			       err);
		if (s == NULL)
			goto fail;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = store_col_text(s, 0);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			err_set(err, "%s", sqlite3_errmsg(store_db(st)));
			goto fail;
		}
		s = store_stmt(st, "UPDATE articles SET dirty = 0 WHERE dirty",
			       err);
		if (s == NULL)
			goto fail;
	}
	if (store_step_done(st, s, err) < 0 ||
	    (own && store_commit(st, err) < 0))
		goto fail;
	return 0;
fail:
	if (own)
		store_rollback(st);
	while (*n > 0)
		free((*out)[--*n]);
	free(*out);
	*out = NULL;
	return -1;
}

static void call_webhook(struct rctx *x)
{
	struct mc_err err;
	struct buf body;

	if (x->nhook == 0 || x->c->render_webhook_url[0] == '\0')
		return;
	buf_init(&body);
	buf_adds(&body, "{\"event\":\"render\",\"site\":");
	json_escape(&body, x->c->site_url);
	buf_adds(&body, ",\"articles\":[");
	buf_add(&body, x->hook.s, x->hook.len);
	buf_adds(&body, "]}");
	if (webhook_post(x->c->render_webhook_url, body.s,
			 x->c->render_webhook_timeout,
			 x->c->render_webhook_retries, &err) < 0)
		log_warnx("%s", err.msg);
	else
		log_debug("webhook %s: %zu changed articles",
			  x->c->render_webhook_url, x->nhook);
	buf_free(&body);
}

int render_run(struct store *st, const struct conf *c,
	       enum render_scope scope, const char *slug,
	       struct render_report *rep, struct mc_err *err)
{
	struct rctx x;
	struct mc_err e;
	char **slugs = NULL;
	size_t n = 0, i;
	int rc = 0, r, ch, bad;

	memset(rep, 0, sizeof(*rep));
	if (ctx_init(&x, st, c, rep, err) < 0) {
		ctx_free(&x);
		return -1;
	}
	if (take_slugs(st, scope, slug, &slugs, &n, err) < 0) {
		ctx_free(&x);
		return -1;
	}
	for (i = 0; i < n; i++) {
		r = render_one(&x, slugs[i], &ch, &bad, &e);
		if (r == 0)
			err_set(&e, "no article \"%s\"", slugs[i]);
		if (r <= 0) {
			rep->nfailed++;
			rep->nbadpages += bad != 0;
			if (r < 0)
				set_dirty(st, slugs[i], 1, NULL);
			if (scope == RENDER_ONE)
				*err = e;
			else
				log_warnx("%s", e.msg);
			rc = -1;
			continue;
		}
		rep->narticles++;
		rep->nchanged += ch != 0;
	}
	if (render_site(&x, &e) < 0) {
		if (rc == 0)
			*err = e;
		else
			log_warnx("%s", e.msg);
		rc = -1;
	}
	if (rc < 0 && scope != RENDER_ONE && rep->nfailed > 0)
		err_set(err, "%zu of %zu articles could not be rendered",
			rep->nfailed, n);
	call_webhook(&x);
	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
	ctx_free(&x);
	return rc;
}

void render_report_free(struct render_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nfiles; i++)
		free(rep->files[i]);
	free(rep->files);
	memset(rep, 0, sizeof(*rep));
}

int render_article(struct store *st, const struct conf *c, const char *slug,
		   int *changed, struct mc_err *err)
{
	struct render_report rep;
	int rc = render_run(st, c, RENDER_ONE, slug, &rep, err);

	if (changed)
		*changed = rep.nchanged > 0;
	render_report_free(&rep);
	return rc;
}

int render_dirty(struct store *st, const struct conf *c, int *nchanged,
		 struct mc_err *err)
{
	struct render_report rep;
	int rc = render_run(st, c, RENDER_DIRTY, NULL, &rep, err);

	if (nchanged)
		*nchanged = (int)rep.nchanged;
	render_report_free(&rep);
	return rc;
}

int render_all(struct store *st, const struct conf *c, int *nchanged,
	       struct mc_err *err)
{
	struct render_report rep;
	int rc = render_run(st, c, RENDER_ALL, NULL, &rep, err);

	if (nchanged)
		*nchanged = (int)rep.nchanged;
	render_report_free(&rep);
	return rc;
}
