/* render.c: the publishing stage.  Reads an article and its approved
 * comments, threads them, has render_html.c, render_json.c and
 * render_atom.c turn them into the fragment, JSON and Atom feed, writes
 * those and the injected page; then the site-wide feed and stylesheet.
 * Here too: the context of a run, the files, and the runs (dirty marks,
 * the webhook).  Everything is a function of the database (and the
 * configuration): no clock is read, so rendering twice writes nothing
 * the second time.
 *
 * Dirty marks are cleared before an article is read, and set again if its
 * render fails: a comment decided while we render marks it dirty again,
 * so no change is ever missed.
 *
 * Each body is rendered once: its HTML and text are stored in its row
 * with the renderer's key (markup_cache_key()), the first time a render
 * needs them, and read back while the key is the same.  A new version or
 * a setting that changes the output changes the key, and the bodies are
 * rendered again as they are read; an edit, a change of status or a
 * prune empties the row's copy (the trigger of the migration), so a
 * stored rendering is never older than its body.  A stored rendering is
 * published only if it has the shape of our own output
 * (markup_html_plausible()): a row is not trusted to be safe HTML. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "articles.h"
#include "deploy.h"
#include "fsroot.h"
#include "html.h"
#include "inject.h"
#include "json.h"
#include "log.h"
#include "markup.h"
#include "render.h"
#include "render_int.h"
#include "template.h"
#include "utf8.h"
#include "webhook.h"
#include "banned.h"

#define PAGE_MAX (64u << 20)
/* Outputs are made durable together, in batches of this many files or
 * bytes at most (fsroot.h): a batch holds a descriptor per directory
 * (an article's page may have its own), and its temp files take room. */
#define BATCH_FILES 512
#define BATCH_BYTES (128u << 20)
/* Renderings waiting to be stored are written once they hold this much
 * (and at the end of the run): few commits, bounded memory. */
#define FRESH_MAX (8u << 20)
/* A run reads the database through a map of the file (SQLite's
 * mmap_size), not a pread() and a copy into its cache per page: an
 * article of 5,000 comments is 10 MB of rows, 8 of the 80 ms of its
 * render.  Only during the run: the map's pages count in the memory of
 * the process (a poll's peak RSS), and a run ends releasing them. */
#define READ_MAP "PRAGMA mmap_size = 268435456"
#define READ_UNMAP "PRAGMA mmap_size = 0"

/* ---- helpers the output modules share (render_int.h) ---- */

void rd_fill(struct buf *out, const char *pat, const char *a, const char *b)
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

const char *rd_int(int64_t v, char d[24])
{
	char *p = d + 23;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar
 * and back (H. Hinnant's algorithms): no gmtime, no strftime. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void rd_iso8601(int64_t t, char out[32])
{
	int64_t days, secs, y;
	unsigned m, d;

	/* years 1970 to 9999 (anything else as time_iso8601 writes it) */
	if (t < 0 || t >= 253402300800LL) {
		time_iso8601(t, out);
		return;
	}
	days = t / 86400;
	secs = t % 86400;
	civil_from_days(days, &y, &m, &d);
	two(out, (unsigned)(y / 100));
	two(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	two(out + 5, m);
	out[7] = '-';
	two(out + 8, d);
	out[10] = 'T';
	two(out + 11, (unsigned)(secs / 3600));
	out[13] = ':';
	two(out + 14, (unsigned)(secs / 60 % 60));
	out[16] = ':';
	two(out + 17, (unsigned)(secs % 60));
	out[19] = 'Z';
	out[20] = '\0';
}

void rd_comment_url(struct buf *out, const char *url, int64_t id)
{
	char d[24];

	buf_adds(out, url);
	buf_adds(out, "#comment-");
	buf_adds(out, rd_int(id, d));
}

/* What the subjects of a's reply links share, encoded once: the subject
 * "[SLUG#ID] " + subject_reply filled with the author (rd_fill(): the
 * first "%s" is the author, the others nothing) is encoded as head, the
 * ID, mid, the author when the pattern names one, tail.  Pieces cut
 * between code points encode as the whole (html_mailto_subject()). */
static void reply_parts(const struct rctx *x, struct pub_article *a)
{
	const char *pat = x->str->subject_reply, *q = strstr(pat, "%s");
	struct buf piece, enc;

	buf_init(&piece);
	buf_init(&enc);
	buf_addc(&piece, '[');
	buf_adds(&piece, a->slug);
	buf_addc(&piece, '#');
	html_mailto_subject(&enc, piece.s);
	a->reply_head = strpool_add(&a->strs, enc.s, enc.len);
	buf_reset(&piece);
	buf_reset(&enc);
	buf_add(&piece, "] ", 2);
	buf_add(&piece, pat, q ? (size_t)(q - pat) : strlen(pat));
	html_mailto_subject(&enc, piece.s);
	a->reply_mid = strpool_add(&a->strs, enc.s, enc.len);
	buf_reset(&piece);
	buf_reset(&enc);
	if (q)
		rd_fill(&piece, q + 2, NULL, NULL);
	html_mailto_subject(&enc, piece.s);
	a->reply_tail = strpool_add(&a->strs, enc.s, enc.len);
	a->reply_named = q != NULL;
	buf_free(&piece);
	buf_free(&enc);
}

const char *rd_reply_mailto(const struct rctx *x, struct pub_article *a,
			    struct pub_comment *cm)
{
	struct buf *b;
	char d[24], *addr;

	if (cm->reply_mailto)
		return cm->reply_mailto;
	if (a->reply_head == NULL)
		reply_parts(x, a);
	addr = addr_reply(x->c, a->slug, cm->id);
	cm->reply_addr = strpool_dup(&a->strs, addr);
	free(addr);
	/* rd_mailto_subject(addr, "SLUG#ID", subject_reply, author), in
	 * the article's buffer: grown once, not for each link */
	b = &a->link;
	buf_reset(b);
	html_mailto_addr(b, cm->reply_addr);
	buf_add(b, "?subject=", 9);
	buf_adds(b, a->reply_head);
	buf_adds(b, rd_int(cm->id, d));
	buf_adds(b, a->reply_mid);
	if (a->reply_named)
		html_mailto_subject(b, cm->author);
	buf_adds(b, a->reply_tail);
	cm->reply_mailto = strpool_add(&a->strs, b->s, b->len);
	return cm->reply_mailto;
}

void rd_feed_url(const struct rctx *x, const char *name, struct buf *out)
{
	if (x->outurl[0])
		buf_addf(out, "%s%s", x->outurl, name);
}

void rd_mailto_subject(struct buf *out, const char *addr, const char *tag,
		       const char *pat, const char *arg)
{
	struct buf subject;

	buf_init(&subject);
	buf_addc(&subject, '[');
	buf_adds(&subject, tag);
	buf_add(&subject, "] ", 2);
	rd_fill(&subject, pat, arg, NULL);
	html_mailto(out, addr, subject.s);
	buf_free(&subject);
}

/* The words of the pages in language l.  French typography: the
 * catalog's strings carry U+202F to group digits, U+00A0 inside
 * guillemets and before the colon. */
static void strings_of(const struct catalog_lang *l, struct rd_strings *s)
{
	s->leave = _(l, "Write a comment by email");
	/* TRANSLATORS: before the address to write to, shown as text
	 * under the button for readers whose browser opens no mail
	 * program. */
	s->address = _(l, "Or write to:");
	s->notice = _(l, "Comments are read by a moderator before they "
			 "appear here.");
	s->reply = _(l, "Reply");
	/* TRANSLATORS: the badge beside a moderator's name. */
	s->moderator = C_(l, "badge", "Moderator");
	/* TRANSLATORS: "in reply to NAME", the name follows. */
	s->in_reply_to = _(l, "in reply to");
	s->feed = _(l, "Comments feed (Atom)");
	/* TRANSLATORS: the subject a "write a comment" link fills in;
	 * %s is the article's title. */
	s->subject_leave = C_(l, "mail subject", "Comment: %s");
	/* TRANSLATORS: the subject a "reply" link fills in; %s is the
	 * author of the comment answered. */
	s->subject_reply = C_(l, "mail subject", "Reply to %s");
	/* TRANSLATORS: an article's comment feed; %s is its title. */
	s->feed_title = _(l, "Comments on “%s”");
	/* TRANSLATORS: the site's comment feed; %s is the site's name. */
	s->site_feed_title = _(l, "Latest comments on %s");
	/* TRANSLATORS: a feed entry: the author (first %s) on the
	 * article (second %s). */
	s->entry_title = _(l, "%s on “%s”");
	s->closed = _(l, "Comments are closed.");
}

void rd_lang(struct rctx *x, const char *tag)
{
	const struct catalog_lang *cl;
	const char *code;

	if (x->str && strcmp(tag, x->tag) == 0)
		return; /* the key is a digest: not made again per article */
	snprintf(x->tag, sizeof(x->tag), "%s", tag);
	cl = catalog_lang(conf_catalog(x->c), tag);
	code = catalog_lang_code(cl);
	x->cl = cl;
	strings_of(cl, &x->strs);
	catalog_datefmt_init(cl, &x->datefmt);
	x->str = &x->strs;
	/* the article's own tag when the catalog speaks it ("fr-CA"),
	 * else the catalog's: the words are in that one */
	snprintf(x->lang, sizeof(x->lang), "%s",
		 lang_is(tag, code) ? tag : code);
	markup_opts_conf(&x->mo, x->c, x->lang, addr_is_public);
	markup_cache_key(x->c, x->lang, x->cache_key);
}

/* The name a comment is published under: html_public_name(), one rule
 * for every output. */
static char *display_name(const struct rctx *x, const char *raw,
			  const char *address)
{
	struct buf b;

	buf_init(&b);
	html_public_name(&b, raw, address, html_anonymous_word(x->cl));
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

char *rd_article_url(const struct conf *c, const char *slug, const char *url,
		     const char *page)
{
	return article_url(c, slug, url, page);
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

int rd_load_template(const struct conf *c, const char *name,
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

static void fresh_free(struct rctx *x)
{
	size_t i;

	for (i = 0; i < x->nfresh; i++) {
		free(x->fresh[i].body);
		free(x->fresh[i].name);
		free(x->fresh[i].address);
		free(x->fresh[i].html);
		free(x->fresh[i].text);
		free(x->fresh[i].author);
	}
	free(x->fresh);
	x->fresh = NULL;
	x->nfresh = x->freshbytes = 0;
}

static void staged_free(struct rctx *x)
{
	size_t i;

	for (i = 0; i < x->nfiles; i++)
		free(x->files[i]);
	for (i = 0; i < x->narts; i++) {
		free(x->arts[i].slug);
		free(x->arts[i].url);
	}
	free(x->files);
	free(x->arts);
	x->files = NULL;
	x->arts = NULL;
	x->nfiles = x->narts = 0;
}

static void ctx_free(struct rctx *x)
{
	sqlite3_exec(store_db(x->st), READ_UNMAP, NULL, NULL, NULL);
	fresh_free(x);
	staged_free(x);
	fsroot_batch_free(x->batch);
	render_data_free(x);
	render_counts_free(x);
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
	/* no map is no error: the rows are then read as before */
	sqlite3_exec(store_db(st), READ_MAP, NULL, NULL, NULL);
	buf_init(&x->css);
	buf_init(&x->hook);
	x->batch = fsroot_batch_new();
	rd_lang(x, c->site_language);
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
	if (render_html_init(x, err) < 0 || render_data_init(x, err) < 0)
		return -1;
	if (c->render_stylesheet) {
		char *label = NULL;
		int rc = load_file(c, RD_STYLESHEET, &x->css, &label, err);

		free(label);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- files ---- */

/* Stages ROOT/rel in the run's batch (written to disk by flush()).  A
 * refusal (a link, a path outside the root) is an error like any other:
 * the article stays dirty and the log says why. */
static int put(struct rctx *x, struct fsroot *root, const char *rel,
	       const struct buf *b, int *changed, struct mc_err *err)
{
	int ch = 0;

	if (fsroot_stage(x->batch, root, rel, b->s, b->len, &ch, err) < 0)
		return -1;
	if (ch) {
		*changed = 1;
		x->files = xrealloc(x->files,
				    (x->nfiles + 1) * sizeof(*x->files));
		x->files[x->nfiles++] =
			xasprintf("%s/%s", fsroot_path(root), rel);
	}
	return 0;
}

int rd_put(struct rctx *x, struct fsroot *root, const char *rel,
	   const struct buf *b, int *changed, struct mc_err *err)
{
	return put(x, root, rel, b, changed, err);
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

int rd_put_out(struct rctx *x, const char *name, const struct buf *b,
	       int *changed, struct mc_err *err)
{
	return put_out(x, name, b, changed, err);
}

/* ---- reading ---- */

static void pub_article_free(struct pub_article *a)
{
	strpool_free(&a->strs);
	buf_free(&a->link);
	free(a->cm);
	free(a->slug);
	free(a->title);
	free(a->url);
	free(a->page);
	memset(a, 0, sizeof(*a));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Keeps what was rendered from row s (columns 2, 3 and addr_col: the
 * name, the body, the address) for store_fresh(). */
static void keep_fresh(struct rctx *x, sqlite3_stmt *s, int addr_col,
		       const struct pub_comment *cm)
{
	struct rd_cached *f;

	x->fresh = xrealloc(x->fresh, (x->nfresh + 1) * sizeof(*x->fresh));
	f = &x->fresh[x->nfresh++];
	f->id = cm->id;
	f->name = dup_or_null((const char *)sqlite3_column_text(s, 2));
	f->body = dup_or_null((const char *)sqlite3_column_text(s, 3));
	f->address =
		dup_or_null((const char *)sqlite3_column_text(s, addr_col));
	f->html = xstrdup(cm->body_html);
	f->text = xstrdup(cm->body_text);
	f->author = xstrdup(cm->author);
	memcpy(f->key, x->cache_key, sizeof(f->key));
	x->freshbytes += (f->body ? strlen(f->body) : 0) + strlen(f->html) +
			 strlen(f->text) + 2 * strlen(f->author);
}

static void bind_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Stores the renderings made since the last call, each only if its row
 * still holds what it was made from and is still published (another
 * process may have changed it meanwhile).  The copies only save time: a
 * failure (a read-only database, a lock) is logged and costs nothing
 * but rendering them again next time. */
static void store_fresh(struct rctx *x)
{
	struct mc_err err;
	sqlite3_stmt *s;
	int own = sqlite3_get_autocommit(store_db(x->st));
	size_t i;

	if (x->nfresh == 0)
		return;
	if (own && store_begin(x->st, &err) < 0)
		goto fail;
	s = store_stmt(x->st,
		       "UPDATE comments SET html = ?1, html_text = ?2,"
		       " html_author = ?3, html_key = ?4 WHERE id = ?5"
		       " AND body IS ?6 AND author_name IS ?7"
		       " AND author_address IS ?8 AND status = 'approved'",
		       &err);
	if (s == NULL)
		goto fail_tx;
	for (i = 0; i < x->nfresh; i++) {
		const struct rd_cached *f = &x->fresh[i];

		sqlite3_bind_text(s, 1, f->html, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, f->text, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, f->author, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, f->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, f->id);
		bind_or_null(s, 6, f->body);
		bind_or_null(s, 7, f->name);
		bind_or_null(s, 8, f->address);
		if (store_step_done(x->st, s, &err) < 0)
			goto fail_tx;
	}
	if (own && store_commit(x->st, &err) < 0)
		goto fail_tx;
	log_debug("stored the rendering of %zu comments", x->nfresh);
	fresh_free(x);
	return;
fail_tx:
	if (own)
		store_rollback(x->st);
fail:
	log_debug("renderings not stored (they will be made again): %s",
		  err.msg);
	fresh_free(x);
}

/* The body's HTML and text and the author's public name, into pool:
 * the stored ones (columns cache_col...: html, html_text, html_author,
 * html_key) when they were made with this run's key and look like our
 * output, else made now and kept for store_fresh(). */
static void read_body(struct rctx *x, sqlite3_stmt *s, int addr_col,
		      int cache_col, struct strpool *pool,
		      struct pub_comment *cm)
{
	const char *raw = (const char *)sqlite3_column_text(s, 3);
	const char *body = raw ? raw : "";
	const char *html = (const char *)sqlite3_column_text(s, cache_col);
	const char *text = (const char *)sqlite3_column_text(s, cache_col + 1);
	const char *author =
		(const char *)sqlite3_column_text(s, cache_col + 2);
	const char *key = (const char *)sqlite3_column_text(s, cache_col + 3);
	struct buf b;
	char *name;

	if (html && text && author && author[0] && key &&
	    strcmp(key, x->cache_key) == 0) {
		if (markup_html_plausible(html)) {
			cm->body_html = strpool_add(
				pool, html,
				(size_t)sqlite3_column_bytes(s, cache_col));
			cm->body_text = strpool_add(
				pool, text,
				(size_t)sqlite3_column_bytes(s, cache_col + 1));
			cm->author = strpool_dup(pool, author);
			x->nhit++;
			return;
		}
		x->nrefused++;
		log_warnx("comment %lld: its stored HTML is not the "
			  "renderer's; rendered again from its text",
			  (long long)cm->id);
	}
	x->nmiss++;
	name = display_name(x, (const char *)sqlite3_column_text(s, 2),
			    (const char *)sqlite3_column_text(s, addr_col));
	cm->author = strpool_dup(pool, name);
	free(name);
	buf_init(&b);
	markup_body(&b, body, &x->mo);
	cm->body_html = strpool_add(pool, b.s, b.len);
	buf_reset(&b);
	markup_text(&b, body, &x->mo);
	cm->body_text = strpool_add(pool, b.s, b.len);
	buf_free(&b);
	keep_fresh(x, s, addr_col, cm);
}

/* Fills cm from columns id, parent_id, author_name, body, created_at,
 * updated (see the queries), by_moderator, author_address in column
 * addr_col and the stored rendering from column cache_col; its strings
 * go to pool. */
static void read_comment(struct rctx *x, sqlite3_stmt *s, int addr_col,
			 int cache_col, struct strpool *pool,
			 struct pub_comment *cm)
{

	memset(cm, 0, sizeof(*cm));
	cm->id = sqlite3_column_int64(s, 0);
	cm->parent_id = sqlite3_column_int64(s, 1);
	cm->created = sqlite3_column_int64(s, 4);
	cm->updated = sqlite3_column_int64(s, 5);
	cm->moderator = sqlite3_column_int(s, 6) != 0;
	read_body(x, s, addr_col, cache_col, pool, cm);
	cm->parent = cm->under = cm->first = cm->last = cm->next = RD_NONE;
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
		       "SELECT id, slug, title, url, page, created_at,"
		       " COALESCE(closed_at, 0), COALESCE(reopened_at, 0),"
		       " language FROM articles WHERE slug = ?",
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
	article_language(x->c, (const char *)sqlite3_column_text(s, 8),
			 a->page, a->slug, a->lang);
	/* its comments are read in its language: the mask, the key */
	rd_lang(x, a->lang);
	{
		struct article ar = { 0 };

		ar.created_at = a->created;
		ar.closed_at = sqlite3_column_int64(s, 6);
		ar.reopened_at = sqlite3_column_int64(s, 7);
		a->closed = article_is_closed(x->c, &ar);
	}
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
		       " by_moderator, author_address, html, html_text,"
		       " html_author, html_key FROM comments"
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
		read_comment(x, s, 7, 8, &a->strs, &a->cm[a->n]);
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
	pub_article_free(a);
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
	int sorted = 1;

	for (i = 0; i < a->n; i++) {
		ix[i].id = a->cm[i].id;
		ix[i].i = i;
		sorted = sorted && (i == 0 || ix[i - 1].id < ix[i].id);
	}
	/* publication order is most often the order of the ids */
	if (!sorted)
		qsort(ix, a->n, sizeof(*ix), idx_cmp);
	for (i = 0; i < a->n; i++) {
		struct pub_comment *cm = &a->cm[i];

		key.id = cm->parent_id;
		hit = cm->parent_id ? bsearch(&key, ix, a->n, sizeof(*ix),
					      idx_cmp) :
				      NULL;
		cm->parent = hit && hit->i < i ? hit->i : RD_NONE;
		p = cm->parent;
		cm->level = p == RD_NONE ? 0 : a->cm[p].level + 1;
		if (p == RD_NONE)
			cm->under = RD_NONE;
		else if (cm->level <= max_depth)
			cm->under = p;
		else
			cm->under = a->cm[p].under;
		if (cm->under != RD_NONE) {
			struct pub_comment *u = &a->cm[cm->under];

			if (u->last == RD_NONE)
				u->first = i;
			else
				a->cm[u->last].next = i;
			u->last = i;
		}
	}
	free(ix);
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

static void hook_add(struct rctx *x, const char *slug, const char *url)
{
	if (x->nhook++ > 0)
		buf_addc(&x->hook, ',');
	buf_adds(&x->hook, "{\"slug\":");
	json_escape(&x->hook, slug);
	buf_adds(&x->hook, ",\"url\":");
	json_escape(&x->hook, url);
	buf_addc(&x->hook, '}');
}

/* Remembers article a, whose outputs are in the batch (ok: rendered). */
static void staged_add(struct rctx *x, const struct pub_article *a,
		       int changed, int ok)
{
	struct rd_staged *p;

	x->arts = xrealloc(x->arts, (x->narts + 1) * sizeof(*x->arts));
	p = &x->arts[x->narts++];
	p->slug = xstrdup(a->slug);
	p->url = xstrdup(a->url);
	p->changed = changed;
	p->ok = ok;
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

/* 1 when b holds INJECT_BEGIN or INJECT_END: the section's megabytes
 * read once for what both begin with, not twice. */
static int holds_marker(const struct buf *b)
{
	static const char both[] = "<!-- mailcomments:";
	const char *p = b->s, *q;

	while ((q = strstr(p, both)) != NULL) {
		if (strncmp(q, INJECT_BEGIN, sizeof(INJECT_BEGIN) - 1) == 0 ||
		    strncmp(q, INJECT_END, sizeof(INJECT_END) - 1) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

/* 1 rendered, 0 unknown slug, -1 failed (err says why, *badpage set for
 * a page whose markers are wrong). */
static int render_one(struct rctx *x, const char *slug, int *changed,
		      int *badpage, struct mc_err *err)
{
	struct pub_article a;
	struct buf sec, b, *doc;
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
	render_html_section(x, &a, &sec);
	if (holds_marker(&sec)) {
		err_set(err, "article %s: the section holds a comment marker "
			     "(check the templates)", slug);
		goto done;
	}
	if (a.page[0] && page_clash(x, &a, frag, err) < 0)
		goto done;
	if (put_output(x, slug, "html", &sec, &ch, err) < 0)
		goto fail;
	/* The section is on its way to disk: its memory, already touched,
	 * takes the JSON, unless the page is still to be made from it (a
	 * fresh buffer of megabytes costs a page fault per 4 KiB). */
	doc = &b;
	if (a.page[0] == '\0') {
		buf_reset(&sec);
		doc = &sec;
	}
	render_json_article(x, &a, doc);
	if (put_output(x, slug, "json", doc, &ch, err) < 0)
		goto fail;
	buf_reset(doc);
	render_atom_article(x, &a, doc);
	if (put_output(x, slug, "atom", doc, &ch, err) < 0 ||
	    render_data_article(x, &a, &ch, err) < 0)
		goto fail;
	if (a.page[0] && inject_page(x, &a, &sec, &ch, badpage, err) < 0)
		goto done;
	rc = 1;
	goto done;
fail:
	err_prefix(err, "article %s: ", slug);
done:
	if (rc > 0 || ch)
		staged_add(x, &a, ch, rc > 0);
	*changed = ch;
	free(frag);
	buf_free(&sec);
	buf_free(&b);
	pub_article_free(&a);
	return rc;
}

/* ---- the site-wide outputs ---- */

static int render_site(struct rctx *x, struct mc_err *err)
{
	sqlite3_stmt *s;
	struct buf out;
	struct pub_feed_entry *e = NULL;
	struct strpool strs = { 0 };
	int64_t updated = x->epoch;
	size_t n = 0, cap = 0, i;
	int rc, ch = 0, began;

	s = store_stmt(
		x->st,
		"SELECT c.id, c.parent_id, c.author_name, c.body, c.created_at,"
		" MAX(c.created_at, COALESCE(c.decided_at, c.created_at)) AS u,"
		" c.by_moderator, a.slug, a.title, a.url, a.page,"
		" (SELECT p.id FROM comments p WHERE p.id = c.parent_id"
		"  AND p.status = 'approved' AND p.article_id = c.article_id),"
		" c.author_address, c.html, c.html_text, c.html_author,"
		" c.html_key, a.language"
		" FROM comments c JOIN articles a ON a.id = c.article_id"
		/* the newest chosen first, read from the index
		 * comments_published (store.c: the same expression), so
		 * that only they are read, not every published comment */
		" WHERE c.id IN (SELECT id FROM comments"
		"  WHERE status = 'approved' ORDER BY"
		"  MAX(created_at, COALESCE(decided_at, created_at)) DESC,"
		"  id DESC LIMIT ?)"
		" ORDER BY u DESC, c.id DESC",
		err);
	if (s == NULL)
		return -1;
	began = begin_read(x->st);
	sqlite3_bind_int64(s, 1, x->c->render_feed_entries);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 8);
		char lang[LANG_TAG_MAX];

		/* each body in its article's language, as stored */
		article_language(x->c,
				 (const char *)sqlite3_column_text(s, 17),
				 (const char *)sqlite3_column_text(s, 10),
				 (const char *)sqlite3_column_text(s, 7), lang);
		rd_lang(x, lang);
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			e = xrealloc(e, cap * sizeof(*e));
		}
		read_comment(x, s, 12, 13, &strs, &e[n].cm);
		e[n].slug = store_col_text(s, 7);
		e[n].title = xstrdup(t && *t ? t : e[n].slug);
		e[n].url = article_url(
			x->c, e[n].slug, (const char *)sqlite3_column_text(s, 9),
			(const char *)sqlite3_column_text(s, 10));
		e[n].parent_id = sqlite3_column_int64(s, 11);
		if (e[n].cm.updated > updated)
			updated = e[n].cm.updated;
		n++;
	}
	sqlite3_reset(s);
	end_read(x->st, began);
	rc = rc == SQLITE_DONE ? 0 :
				 err_set(err, "%s",
					 sqlite3_errmsg(store_db(x->st)));
	rd_lang(x, x->c->site_language);
	buf_init(&out);
	if (rc == 0) {
		render_atom_site(x, e, n, updated, &out);
		rc = put_out(x, RD_SITE_FEED, &out, &ch, err);
	}
	if (rc == 0 && x->c->render_stylesheet) {
		rc = put_out(x, RD_STYLESHEET, &x->css, &ch, err);
	}
	if (rc == 0)
		rc = render_counts_write(x, &ch, err);
	for (i = 0; i < n; i++) {
		free(e[i].slug);
		free(e[i].title);
		free(e[i].url);
	}
	free(e);
	strpool_free(&strs);
	buf_free(&out);
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

/* One event for all the changes when they share it, else "render". */
static const char *common_event(const struct render_report *rep)
{
	size_t i;

	for (i = 1; i < rep->nchanges; i++)
		if (strcmp(rep->changes[i].event, rep->changes[0].event) != 0)
			return "render";
	return rep->nchanges > 0 ? rep->changes[0].event : "render";
}

static void call_webhook(struct rctx *x)
{
	struct render_report *rep = x->rep;
	struct mc_err err;

	/* what was decided since the last time something changed */
	if (rep->nfiles > 0 &&
	    changes_take(x->st, &rep->changes, &rep->nchanges, &err) < 0)
		log_warnx("%s", err.msg);
	if (x->nhook == 0 || x->c->render_webhook_url[0] == '\0')
		return;
	webhook_render(x->c, common_event(rep), x->hook.s, rep->changes,
		       rep->nchanges, rep->files, rep->nfiles);
}

/* Puts the batch on disk, then counts its articles: rendered and, when
 * something of theirs changed, told to the webhook.  If it cannot be
 * written, each of them is counted as failed and marked dirty again: a
 * later run renders it again (its files are old or new, never partial). */
static int flush(struct rctx *x, struct mc_err *err)
{
	struct render_report *rep = x->rep;
	int rc = fsroot_batch_commit(x->batch, err);
	size_t i;

	for (i = 0; i < x->narts; i++) {
		const struct rd_staged *p = &x->arts[i];

		if (rc == 0) {
			rep->narticles += p->ok;
			rep->nchanged += p->ok && p->changed;
			if (p->changed)
				hook_add(x, p->slug, p->url);
			if (p->changed && rep->slug == NULL)
				rep->slug = xstrdup(p->slug);
		} else if (p->ok) {
			rep->nfailed++;
			set_dirty(x->st, p->slug, 1, NULL);
		}
	}
	if (rc == 0 && x->nfiles > 0) {
		rep->files = xrealloc(rep->files, (rep->nfiles + x->nfiles) *
							  sizeof(*rep->files));
		memcpy(rep->files + rep->nfiles, x->files,
		       x->nfiles * sizeof(*x->files));
		rep->nfiles += x->nfiles;
		x->nfiles = 0;
	}
	staged_free(x);
	return rc;
}

static int batch_full(const struct rctx *x)
{
	return fsroot_batch_files(x->batch) >= BATCH_FILES ||
	       fsroot_batch_bytes(x->batch) >= BATCH_BYTES;
}

static int deploy_files(const struct conf *c, struct store *st,
			char *const *files, size_t n,
			int removed, char *message);

/* The site-wide files rewritten after slug's removal, in a commit that
 * says so. */
static int deploy_removal(const struct conf *c, struct store *st,
			  const struct render_report *rep, const char *slug)
{
	if (c->deploy_targets.n == 0 || rep->nfiles == 0)
		return -1;
	return deploy_files(c, st, rep->files, rep->nfiles, 0,
			    xasprintf("article %s removed (counts and feed)",
				      slug));
}

static int run(struct store *st, const struct conf *c, enum render_scope scope,
	       const char *slug, struct render_report *rep, struct mc_err *err)
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
	x.site_only = scope == RENDER_SITE;
	if (!x.site_only &&
	    take_slugs(st, scope, slug, &slugs, &n, err) < 0) {
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
		if (x.freshbytes >= FRESH_MAX)
			store_fresh(&x);
		if (batch_full(&x) && flush(&x, &e) < 0) {
			log_warnx("%s", e.msg);
			rc = -1;
		}
	}
	if (render_site(&x, &e) < 0) {
		if (rc == 0)
			*err = e;
		else
			log_warnx("%s", e.msg);
		rc = -1;
	}
	if (flush(&x, &e) < 0) {
		/* said here when the articles' count will replace it */
		if (scope != RENDER_ONE && (rc < 0 || rep->nfailed > 0))
			log_warnx("%s", e.msg);
		if (rc == 0)
			*err = e;
		rc = -1;
	}
	/* the pages' count markers, once counts.json is on disk: a page
	 * is read after its section was injected, never before */
	if (render_counts_markers(&x, scope == RENDER_ALL, &e) < 0 ||
	    flush(&x, &e) < 0)
		log_warnx("count markers: %s", e.msg);
	store_fresh(&x);
	log_debug("bodies: %zu stored renderings used, %zu rendered, %zu "
		  "refused", x.nhit, x.nmiss, x.nrefused);
	if (rc < 0 && scope != RENDER_ONE && rep->nfailed > 0)
		err_set(err, "%zu of %zu articles could not be rendered",
			rep->nfailed, n);
	call_webhook(&x);
	rep->deployed = x.site_only && slug ?
				deploy_removal(c, st, rep, slug) :
				render_deploy(c, st, rep);
	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
	ctx_free(&x);
	return rc;
}

/* What a run commits, the dirty marks it clears and the renderings it
 * stores, is not synced at its commits (synchronous = NORMAL; an fsync
 * of the log each, for an approval two of its three): in WAL mode a
 * killed process loses none of it, a power cut at most what the next
 * synced commit would have synced, which costs a render again, never a
 * decision (those are synced before their outputs are written).  Set
 * between transactions only, as SQLite wants; FULL again after. */
int render_run(struct store *st, const struct conf *c,
	       enum render_scope scope, const char *slug,
	       struct render_report *rep, struct mc_err *err)
{
	struct mc_err e;
	int relaxed = sqlite3_get_autocommit(store_db(st)) &&
		      store_pragma(st, "PRAGMA synchronous = NORMAL", &e) == 0;
	int rc = run(st, c, scope, slug, rep, err);

	if (relaxed && store_pragma(st, "PRAGMA synchronous = FULL", &e) < 0) {
		if (rc == 0)
			*err = e;
		rc = -1;
	}
	return rc;
}

void render_report_free(struct render_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nfiles; i++)
		free(rep->files[i]);
	free(rep->files);
	free(rep->slug);
	changes_free(rep->changes, rep->nchanges);
	memset(rep, 0, sizeof(*rep));
}

/* ---- deploy targets ---- */

static int deploy_files(const struct conf *c, struct store *st,
			char *const *files, size_t n,
			int removed, char *message)
{
	struct deploy_set set;
	struct mc_err err;
	size_t i;
	int failed;

	memset(&set, 0, sizeof(set));
	set.message = message;
	for (i = 0; i < n; i++)
		if (deploy_set_add(&set, c, files[i], removed, &err) < 0)
			log_warnx("%s", err.msg);
	failed = deploy_run(c, st, &set, 0, NULL);
	deploy_set_free(&set);
	return failed;
}

int render_deploy(const struct conf *c, struct store *st,
		  const struct render_report *rep)
{
	char *msg;

	if (c->deploy_targets.n == 0 || rep->nfiles == 0)
		return -1;
	if (rep->nchanges == 1)
		msg = xasprintf("comment #%lld on %s %s",
				(long long)rep->changes[0].comment_id,
				rep->changes[0].slug, rep->changes[0].verb);
	else if (rep->nchanged == 1 && rep->slug)
		msg = xasprintf("comments on %s updated (%zu files)", rep->slug,
				rep->nfiles);
	else if (rep->nchanged > 1)
		msg = xasprintf("comments on %zu articles updated (%zu files)",
				rep->nchanged, rep->nfiles);
	else
		msg = xasprintf("mailcomments: %zu files", rep->nfiles);
	return deploy_files(c, st, rep->files, rep->nfiles, 0, msg);
}

int render_forget(struct store *st, const struct conf *c, const char *slug,
		  size_t *nremoved, struct mc_err *err)
{
	static const char *const ext[] = { "html", "json", "atom" };
	struct rctx x;
	char *gone[4], *data = NULL;
	size_t i, n = 0, nout;
	int rc = 0, removed;

	if (nremoved)
		*nremoved = 0;
	if (!slug_valid(slug))
		return err_set(err, "article %s: not a valid slug", slug);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.outdir = c->render_directory[0] == '/' ?
			   xstrdup(c->render_directory) :
			   xasprintf("%s/%s", c->site_directory,
				     c->render_directory);
	if (open_roots(&x, err) < 0) {
		free(x.outdir);
		free(x.outrel);
		return -1;
	}
	for (i = 0; i < 3 && rc == 0; i++) {
		char *name = xasprintf("%s.%s", slug, ext[i]);
		char *rel = out_rel(&x, name);

		rc = fsroot_remove(x.out, rel, &removed, err);
		/* each target is told, whether or not it was here */
		if (rc == 0)
			gone[n++] = xasprintf("%s/%s", fsroot_path(x.out), rel);
		if (rc == 0 && removed && nremoved)
			++*nremoved;
		free(rel);
		free(name);
	}
	fsroot_close(x.out);
	free(x.outdir);
	free(x.outrel);
	nout = n;
	if (rc == 0 && render_data_forget(c, slug, &data, &removed, err) < 0)
		rc = -1;
	else if (rc == 0 && data != NULL) {
		/* deployed when it lies in the site (deploy_set_add) */
		gone[n++] = data;
		if (removed && nremoved)
			++*nremoved;
	}
	if (n > 0 && c->deploy_targets.n > 0)
		deploy_files(c, st, gone, n, 1,
			     xasprintf("article %s removed", slug));
	if (n > 0 && c->render_webhook_url[0]) {
		struct buf a;

		buf_init(&a);
		buf_adds(&a, "{\"slug\":");
		json_escape(&a, slug);
		buf_addc(&a, '}');
		webhook_render(c, "article.removed", a.s, NULL, 0, gone, nout);
		buf_free(&a);
	}
	for (i = 0; i < n; i++)
		free(gone[i]);
	return rc;
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
	/* a send that changed nothing took the queue with it already */
	if (rep.deployed < 0)
		deploy_retry(c, st, 0);
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
