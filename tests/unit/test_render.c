/* test_render.c: the renderer against a real database: what is written
 * where, nothing rewritten when nothing changed (mtime kept), dirty marks,
 * only approved comments and never an address, pages with bad markers
 * left untouched, unknown articles, template overrides and their errors,
 * threading depth, French dates in a time zone, closed articles; each
 * body rendered once and stored, and never a stale or untrusted stored
 * rendering published (edit, forget, prune, masking rules, a forged
 * row). */
#include <sys/stat.h>
#include <sys/time.h>

#include "testutil.h"

#include "address.h"
#include "comment.h"
#include "conf.h"
#include "markup.h"
#include "moderate.h"
#include "render.h"
#include "render_int.h"
#include "retention.h"
#include "store.h"
#include "util.h"

struct fx {
	char *dir;
	struct conf c;
	struct store *st;
};

static void set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

static void sql(struct fx *fx, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(fx->st), q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
}

static int64_t scalar(struct fx *fx, const char *q)
{
	sqlite3_stmt *s;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), q, -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static char *path(struct fx *fx, const char *rel)
{
	return xasprintf("%s/site/%s", fx->dir, rel);
}

static char *slurp(struct fx *fx, const char *rel)
{
	struct mc_err err;
	struct buf b;
	char *p = path(fx, rel);

	buf_init(&b);
	if (read_file(p, &b, 0, &err) < 0)
		fail_msg("%s", err.msg);
	free(p);
	return buf_detach(&b);
}

static int exists(struct fx *fx, const char *rel)
{
	char *p = path(fx, rel);
	int rc = access(p, F_OK) == 0;

	free(p);
	return rc;
}

static const char page_html[] =
	"<!doctype html>\n<title>A</title>\n<p>article</p>\n"
	"<!-- mailcomments:begin -->\n<!-- mailcomments:end -->\n<p>end</p>\n";

static void write_page(struct fx *fx, const char *rel, const char *text)
{
	char *p = path(fx, rel), *d = xstrdup(p);
	struct mc_err err;

	*strrchr(d, '/') = '\0';
	assert_int_equal(mkdirs(d, 0755, &err), 0);
	assert_int_equal(write_file_atomic(p, text, strlen(text), NULL, &err),
			 0);
	free(p);
	free(d);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct mc_err err;
	char *db, *site;

	fx->dir = tu_tmpdir();
	conf_defaults(&fx->c);
	site = xasprintf("%s/site", fx->dir);
	set(&fx->c.site_directory, site);
	free(site);
	set(&fx->c.site_url, "https://blog.example.org/");
	set(&fx->c.address_mailbox, "comments@blog.example.org");
	db = xasprintf("%s/t.db", fx->dir);
	if (store_open(&fx->st, db, &err) < 0)
		fail_msg("%s", err.msg);
	free(db);
	sql(fx, "UPDATE schema_migrations SET applied_at = 1722211200;"
		"INSERT INTO articles (id, slug, title, page, created_at, dirty)"
		" VALUES (1, 'a', 'Article A', 'a/index.html', 1722211200, 1),"
		" (2, 'b', 'Article B', '', 1722211200, 0);"
		"INSERT INTO comments (id, article_id, parent_id, author_name,"
		" author_address, body, status, created_at, updated_at)"
		" VALUES (1, 1, NULL, 'Ann', 'ann-secret@example.net',"
		"  'First!', 'approved', 1722247200, 1722247200),"
		" (2, 1, 1, 'Bob', 'bob-secret@example.net', 'Reply to Ann',"
		"  'approved', 1722250800, 1722250800),"
		" (3, 1, 2, 'Cid', 'cid-secret@example.net', 'Reply to Bob',"
		"  'approved', 1722254400, 1722254400),"
		" (4, 1, NULL, 'Dan', 'dan@example.net', 'PENDING-BODY',"
		"  'pending', 1722254400, 1722254400),"
		" (5, 1, NULL, 'Eve', 'eve@example.net', 'REJECTED-BODY',"
		"  'rejected', 1722254400, 1722254400),"
		" (6, 1, NULL, 'Fay', 'fay@example.net', 'SPAM-BODY',"
		"  'spam', 1722254400, 1722254400),"
		" (7, 1, NULL, 'Gus', 'gus@example.net', 'DELETED-BODY',"
		"  'deleted', 1722254400, 1722254400),"
		" (8, 2, NULL, 'hal@example.net', 'hal@example.net',"
		"  'Body of B', 'approved', 1722254400, 1722254400);");
	write_page(fx, "a/index.html", page_html);
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
	free(fx);
	return 0;
}

static void render_ok(struct fx *fx, int *nchanged)
{
	struct mc_err err;

	if (render_all(fx->st, &fx->c, nchanged, &err) < 0)
		fail_msg("%s", err.msg);
}

static time_t mtime(struct fx *fx, const char *rel)
{
	char *p = path(fx, rel);
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	free(p);
	return st.st_mtime;
}

static void age(struct fx *fx, const char *rel)
{
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	char *p = path(fx, rel);

	assert_int_equal(utimes(p, tv), 0);
	free(p);
}

static const char *const outputs[] = {
	"comments/a.html", "comments/a.json",	       "comments/a.atom",
	"comments/b.html", "comments/b.json",	       "comments/b.atom",
	"a/index.html",	   "comments/all_comments.atom", "comments/mailcomments.css",
};
#define NOUT (sizeof(outputs) / sizeof(outputs[0]))

static void test_writes_every_output(void **state)
{
	struct fx *fx = *state;
	char *s;
	int n;

	render_ok(fx, &n);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < NOUT; i++)
		if (!exists(fx, outputs[i]))
			fail_msg("%s was not written", outputs[i]);
	s = slurp(fx, "a/index.html");
	assert_non_null(strstr(s, "<section class=\"mailcomments\""));
	assert_non_null(strstr(s, "<p>end</p>\n"));
	free(s);
	s = slurp(fx, "comments/a.html");
	assert_non_null(strstr(s, "<h2 id=\"comments-title\">3 comments</h2>"));
	assert_non_null(strstr(s, "id=\"comment-3\""));
	free(s);
	assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM articles WHERE dirty"),
			 0);
}

/* The file is mapped for a run's reads only: after it, the connection
 * (a poll's) reads as before, its memory without the map's pages. */
static void test_map_only_during_run(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(scalar(fx, "PRAGMA mmap_size"), 0);
	render_ok(fx, NULL);
	assert_int_equal(scalar(fx, "PRAGMA mmap_size"), 0);
}

/* A run's own commits are not synced, the connection's next ones are
 * (FULL: 2), after a render that failed too; and a render inside the
 * caller's transaction leaves the setting alone (SQLite refuses to
 * change it there). */
static void test_synced_after_run(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;

	render_ok(fx, NULL);
	assert_int_equal(scalar(fx, "PRAGMA synchronous"), 2);
	assert_int_equal(render_article(fx->st, &fx->c, "nope", NULL, &err),
			 -1);
	assert_int_equal(scalar(fx, "PRAGMA synchronous"), 2);
	assert_int_equal(store_begin(fx->st, &err), 0);
	render_ok(fx, NULL);
	assert_int_equal(store_commit(fx->st, &err), 0);
	assert_int_equal(scalar(fx, "PRAGMA synchronous"), 2);
}

static void test_unchanged_not_rewritten(void **state)
{
	struct fx *fx = *state;
	size_t i;
	int n;

	render_ok(fx, &n);
	for (i = 0; i < NOUT; i++)
		age(fx, outputs[i]);
	render_ok(fx, &n);
	assert_int_equal(n, 0);
	for (i = 0; i < NOUT; i++)
		if (mtime(fx, outputs[i]) != 1000000000)
			fail_msg("%s was rewritten", outputs[i]);
	/* A newly approved comment on A changes A's outputs and the site
	 * feed, and nothing of B. */
	sql(fx, "UPDATE comments SET status = 'approved', decided_at ="
		" 1722258000 WHERE id = 4; UPDATE articles SET dirty = 1"
		" WHERE id = 1");
	n = -1;
	{
		struct mc_err err;

		if (render_dirty(fx->st, &fx->c, &n, &err) < 0)
			fail_msg("%s", err.msg);
	}
	assert_int_equal(n, 1);
	for (i = 0; i < NOUT; i++) {
		int same = mtime(fx, outputs[i]) == 1000000000;
		int want_same = outputs[i][9] == 'b' ||
				strstr(outputs[i], ".css") != NULL;

		if (same != want_same)
			fail_msg("%s: %s", outputs[i],
				 same ? "not rewritten" : "rewritten");
	}
}

static void test_only_approved_never_addresses(void **state)
{
	struct fx *fx = *state;
	static const char *const never[] = {
		"PENDING-BODY", "REJECTED-BODY", "SPAM-BODY", "DELETED-BODY",
		"secret@", "hal@example.net", "@example.net", "hal",
	};
	size_t i, k;
	char *s;

	render_ok(fx, NULL);
	for (i = 0; i < NOUT; i++) {
		s = slurp(fx, outputs[i]);
		for (k = 0; k < sizeof(never) / sizeof(never[0]); k++)
			if (strstr(s, never[k]))
				fail_msg("%s holds %s", outputs[i], never[k]);
		free(s);
	}
	/* A name that is an address is hidden whole, never cut. */
	s = slurp(fx, "comments/b.html");
	assert_non_null(strstr(s, ">Anonymous<"));
	free(s);
}

static void test_dirty_only(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	int n;

	assert_int_equal(render_dirty(fx->st, &fx->c, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(exists(fx, "comments/a.html"));
	assert_false(exists(fx, "comments/b.html"));
	assert_true(exists(fx, "comments/all_comments.atom"));
	assert_int_equal(scalar(fx, "SELECT dirty FROM articles WHERE id = 1"),
			 0);
}

static void test_bad_page_untouched(void **state)
{
	struct fx *fx = *state;
	static const char bad[] =
		"<p>x</p>\n<!-- mailcomments:begin -->\n<!-- mailcomments:"
		"begin -->\n<!-- mailcomments:end -->\n";
	struct mc_err err;
	char *s;
	int changed = 0;

	write_page(fx, "a/index.html", bad);
	assert_int_equal(render_article(fx->st, &fx->c, "a", &changed, &err),
			 -1);
	assert_non_null(strstr(err.msg, "a/index.html"));
	assert_non_null(strstr(err.msg, "2 begin markers (lines 2 and 3)"));
	s = slurp(fx, "a/index.html");
	assert_string_equal(s, bad);
	free(s);
	/* The other outputs are written all the same. */
	assert_true(exists(fx, "comments/a.html"));
	/* In a batch, the article stays dirty and the others are done. */
	assert_int_equal(render_dirty(fx->st, &fx->c, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "1 of 1 articles"));
	assert_int_equal(scalar(fx, "SELECT dirty FROM articles WHERE id = 1"),
			 1);
	assert_int_equal(render_all(fx->st, &fx->c, NULL, &err), -1);
	assert_true(exists(fx, "comments/b.html"));
	/* Fixed, it renders. */
	write_page(fx, "a/index.html", page_html);
	assert_int_equal(render_dirty(fx->st, &fx->c, NULL, &err), 0);
	assert_int_equal(scalar(fx, "SELECT dirty FROM articles WHERE id = 1"),
			 0);
}

static void test_page_outside_site_refused(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;

	sql(fx, "UPDATE articles SET page = '../x.html' WHERE id = 1");
	assert_int_equal(render_article(fx->st, &fx->c, "a", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "relative path inside"));
}

static void test_unknown_article(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;

	assert_int_equal(render_article(fx->st, &fx->c, "nope", NULL, &err),
			 -1);
	assert_non_null(strstr(err.msg, "no article \"nope\""));
}

static void test_template_override(void **state)
{
	struct fx *fx = *state;
	char *tdir = xasprintf("%s/tpl", fx->dir), *p, *s;
	struct mc_err err;

	assert_int_equal(mkdirs(tdir, 0755, &err), 0);
	p = tu_write(tdir, "comment.html",
		     "<div class=\"mine\" id=\"c{{id}}\">{{author}}: "
		     "{{{body}}}</div>\n",
		     0644);
	free(p);
	set(&fx->c.render_templates, tdir);
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_non_null(strstr(s, "<div class=\"mine\" id=\"c1\">Ann: <p>"));
	assert_non_null(strstr(s, "<section class=\"mailcomments\""));
	free(s);
	p = tu_write(tdir, "section.html", "ok\n{{{count_text}}}\n", 0644);
	assert_int_equal(render_all(fx->st, &fx->c, NULL, &err), -1);
	assert_non_null(strstr(err.msg, p));
	assert_non_null(strstr(err.msg, ":2: count_text is text, not HTML"));
	free(p);
	p = xasprintf("%s/nope", fx->dir);
	set(&fx->c.render_templates, p);
	assert_int_equal(render_all(fx->st, &fx->c, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "render.templates: "));
	assert_non_null(strstr(err.msg, "No such file"));
	free(p);
	free(tdir);
}

static void test_depth(void **state)
{
	struct fx *fx = *state;
	char *s;

	fx->c.render_max_depth = 1;
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	/* Cid answers Bob at depth 2: shown beside Bob, under Ann, with a
	 * link to Bob. */
	assert_non_null(strstr(s, "href=\"#comment-2\">in reply to <bdi>Bob"));
	assert_null(strstr(s, "href=\"#comment-1\">in reply to"));
	free(s);
	fx->c.render_max_depth = 0;
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_null(strstr(s, "mc-replies"));
	assert_non_null(strstr(s, "href=\"#comment-1\">in reply to <bdi>Ann"));
	free(s);
}

/* Threading finds a parent by its id whatever the order of the ids: a
 * comment published first may have a higher id (imported, or restored
 * from a backup). */
static void test_thread_ids_out_of_order(void **state)
{
	struct fx *fx = *state;
	char *s;

	sql(fx, "INSERT INTO comments (id, article_id, parent_id, author_name,"
		" author_address, body, status, created_at, updated_at) VALUES"
		" (20, 1, NULL, 'Zoe', 'zoe@example.net', 'Oldest', 'approved',"
		"  1722240000, 1722240000),"
		" (9, 1, 20, 'Ivy', 'ivy@example.net', 'Answer to Zoe',"
		"  'approved', 1722258000, 1722258000);");
	fx->c.render_max_depth = 0;
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_non_null(strstr(s, "href=\"#comment-20\">in reply to <bdi>Zoe"));
	assert_non_null(strstr(s, "href=\"#comment-2\">in reply to <bdi>Bob"));
	free(s);
}

/* An article's feed holds its render.feed_entries most recently decided
 * comments, newest first: a late decision brings an old comment to the
 * top. */
static void test_feed_newest(void **state)
{
	struct fx *fx = *state;
	char *s, *one, *three;

	sql(fx, "UPDATE comments SET decided_at = 1722260000 WHERE id = 1");
	fx->c.render_feed_entries = 2;
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.atom");
	one = strstr(s, "comments/a/1<");
	three = strstr(s, "comments/a/3<");
	assert_non_null(one);
	assert_non_null(three);
	assert_true(one < three);
	assert_null(strstr(s, "comments/a/2<"));
	free(s);
	fx->c.render_feed_entries = 100;
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.atom");
	one = strstr(s, "comments/a/1<");
	three = strstr(s, "comments/a/3<");
	assert_true(one < three && three < strstr(s, "comments/a/2<"));
	free(s);
}

static void test_french_time_zone(void **state)
{
	struct fx *fx = *state;
	const char *before = getenv("TZ");
	char *saved = before ? xstrdup(before) : NULL, *s;

	set(&fx->c.site_language, "fr");
	set(&fx->c.render_time_zone, "Europe/Paris");
	/* 2024-08-01T07:05:00Z is 09:05 in Paris (summer time). */
	sql(fx, "UPDATE comments SET created_at = 1722495900 WHERE id = 1;"
		"INSERT INTO comments (article_id, author_name,"
		" author_address, body, status, created_at, updated_at)"
		" SELECT 2, 'n', 'n@example.net', 'x', 'approved', 1722495900,"
		" 1722495900 FROM (WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL"
		" SELECT i + 1 FROM k WHERE i < 1233) SELECT i FROM k)");
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_non_null(strstr(s, "<time datetime=\"2024-08-01T07:05:00Z\">"
				  "1er août 2024 à 09:05</time>"));
	assert_non_null(strstr(s, "Chaque commentaire est relu"));
	assert_non_null(strstr(s, "lang=\"fr\""));
	free(s);
	s = slurp(fx, "comments/b.html");
	assert_non_null(strstr(s, ">1\u202f234 commentaires</h2>"));
	assert_non_null(strstr(s, ">Anonyme<"));
	free(s);
	/* The process's TZ is given back. */
	if (saved == NULL)
		assert_null(getenv("TZ"));
	else
		assert_string_equal(getenv("TZ"), saved);
	free(saved);
	set(&fx->c.render_time_zone, "Mars/Olympus");
	{
		struct mc_err err;

		assert_int_equal(render_all(fx->st, &fx->c, NULL, &err), -1);
		assert_non_null(strstr(err.msg, "Mars/Olympus"));
	}
}

/* A closed article: its comments stay, the section says so in its
 * language, and offers no way to write (no leave link, no reply links);
 * the JSON says closed.  Closed by hand (closed_at) or by the days rule
 * (created_at + close_after_days), unless opened by hand. */
static void test_closed(void **state)
{
	struct fx *fx = *state;
	char *s;

	sql(fx, "UPDATE articles SET closed_at = 1722211100 WHERE id = 1");
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_non_null(strstr(s, "<p class=\"mc-closed\">Comments are closed.</p>"));
	assert_null(strstr(s, "mc-leave"));
	assert_null(strstr(s, "mc-reply"));
	assert_non_null(strstr(s, "Reply to Bob"));
	free(s);
	s = slurp(fx, "comments/a.json");
	assert_non_null(strstr(s, "\"closed\": true"));
	free(s);
	s = slurp(fx, "comments/b.html");
	assert_null(strstr(s, "mc-closed"));
	assert_non_null(strstr(s, "mc-leave"));
	assert_non_null(strstr(s, "mc-reply"));
	free(s);
	/* closed later than now: still open */
	sql(fx, "UPDATE articles SET closed_at = 1722211300 WHERE id = 1");
	render_ok(fx, NULL);
	s = slurp(fx, "comments/a.html");
	assert_null(strstr(s, "mc-closed"));
	free(s);
	/* the days rule, in French; an article opened by hand stays open */
	fx->c.close_after_days = 1;
	set(&fx->c.site_language, "fr");
	setenv("MAILCOMMENTS_NOW", "1722297600", 1);
	sql(fx, "UPDATE articles SET closed_at = NULL, reopened_at = 1722211300"
		" WHERE id = 1");
	render_ok(fx, NULL);
	setenv("MAILCOMMENTS_NOW", "1722211200", 1);
	s = slurp(fx, "comments/b.html");
	assert_non_null(strstr(s, "<p class=\"mc-closed\">Les commentaires sont fermés.</p>"));
	assert_null(strstr(s, "mc-leave"));
	free(s);
	s = slurp(fx, "comments/a.html");
	assert_null(strstr(s, "mc-closed"));
	assert_non_null(strstr(s, "mc-leave"));
	free(s);
}


/* ---- stored renderings ---- */

static int has(struct fx *fx, const char *rel, const char *needle)
{
	char *s = slurp(fx, rel);
	int found = strstr(s, needle) != NULL;

	free(s);
	return found;
}

/* Puts html in comment id's stored rendering, as if it had been stored
 * with this configuration's key. */
static void plant(struct fx *fx, int64_t id, const char *html)
{
	char key[MARKUP_KEY_LEN], *q;

	markup_cache_key(&fx->c, fx->c.site_language, key);
	q = sqlite3_mprintf("UPDATE comments SET html = %Q, html_text = 'x',"
			    " html_author = 'Ann', html_key = %Q"
			    " WHERE id = %lld",
			    html, key, (long long)id);
	sql(fx, q);
	sqlite3_free(q);
}

static void test_cache_stored_and_used(void **state)
{
	struct fx *fx = *state;
	char key[MARKUP_KEY_LEN], *q;

	render_ok(fx, NULL);
	/* every published body is stored with the key, nothing else is */
	markup_cache_key(&fx->c, fx->c.site_language, key);
	q = sqlite3_mprintf("SELECT COUNT(*) FROM comments WHERE"
			    " html_key = %Q AND html LIKE '<p>%%'"
			    " AND html_text <> '' AND html_author <> ''", key);
	assert_int_equal(scalar(fx, q), 4);
	sqlite3_free(q);
	assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM comments WHERE"
				    " status <> 'approved' AND (html IS NOT NULL"
				    " OR html_key IS NOT NULL)"), 0);
	/* and read back: what is stored is what the next render shows */
	plant(fx, 1, "<p>FROM-THE-STORE</p>\n");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "<p>FROM-THE-STORE</p>"));
	assert_true(has(fx, "comments/a.json", "FROM-THE-STORE"));
	assert_true(has(fx, "comments/all_comments.atom",
			"&lt;p&gt;FROM-THE-STORE&lt;/p&gt;"));
	/* the public name too */
	sql(fx, "UPDATE comments SET html_author = 'NAME-FROM-THE-STORE'"
		" WHERE id = 2");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "NAME-FROM-THE-STORE"));
	/* made by another version of the renderer: made again */
	sql(fx, "UPDATE comments SET html = '<p>OLD-VERSION</p>\n',"
		" html_key = 'm0-0123456789abcdef' WHERE id = 1");
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "OLD-VERSION"));
	assert_true(has(fx, "comments/a.html", "<p>First!</p>"));
}

/* A name or an address changed (by hand: the gateway never does): the
 * name shown follows. */
static void test_cache_author(void **state)
{
	struct fx *fx = *state;

	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "Ann"));
	sql(fx, "UPDATE comments SET author_name = 'Annie' WHERE id = 1");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "Annie"));
	sql(fx, "UPDATE comments SET author_name = 'annie',"
		" author_address = 'annie@example.net' WHERE id = 1");
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "Annie"));
	assert_true(has(fx, "comments/a.html", "Anonymous"));
}

static void test_cache_edit(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;

	render_ok(fx, NULL);
	assert_int_equal(comment_set_body(fx->st, 1, "Edited *words*", &err),
			 0);
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "<p>Edited <em>words</em></p>"));
	assert_false(has(fx, "comments/a.html", "First!"));
	assert_false(has(fx, "comments/a.json", "First!"));
	assert_false(has(fx, "comments/all_comments.atom", "First!"));
	/* undone: the first words again, not the edit's */
	assert_int_equal(comment_set_body(fx->st, 1, NULL, &err), 0);
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "<p>First!</p>"));
	assert_false(has(fx, "comments/a.html", "Edited"));
}

static void test_cache_forget(void **state)
{
	struct fx *fx = *state;
	struct actor who = { "operator", NULL, NULL };
	struct mc_err err;
	char *k = addr_key(&fx->c, "ann-secret@example.net"), *q;
	int n = 0;

	q = sqlite3_mprintf("UPDATE comments SET author_key = %Q WHERE id = 1",
			    k);
	sql(fx, q);
	sqlite3_free(q);
	free(k);
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "First!"));
	if (moderate_forget(fx->st, &fx->c, &who, "ann-secret@example.net",
			    &n, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 1);
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "First!"));
	assert_false(has(fx, "comments/a.json", "First!"));
	assert_false(has(fx, "comments/all_comments.atom", "First!"));
	assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM comments WHERE"
				    " instr(html, 'First!') OR"
				    " instr(html_text, 'First!')"), 0);
}

/* A published comment deleted by a moderator: gone from the pages, and
 * its stored rendering gone from the row at once, so that the prune
 * that empties its body leaves no copy of its words behind. */
static void test_cache_delete_prune(void **state)
{
	struct fx *fx = *state;
	struct retention_counts k;
	struct mc_err err;

	render_ok(fx, NULL);
	assert_int_equal(scalar(fx, "SELECT html IS NOT NULL FROM comments"
				    " WHERE id = 3"), 1);
	sql(fx, "UPDATE comments SET status = 'deleted', decided_at = 1"
		" WHERE id = 3");
	assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM comments WHERE"
				    " id = 3 AND html IS NULL AND"
				    " html_text IS NULL AND html_key IS NULL"),
			 1);
	fx->c.database_retention_days = 1;
	assert_int_equal(retention_prune(fx->st, &fx->c, &k, &err), 0);
	assert_int_equal(scalar(fx, "SELECT COUNT(*) FROM comments WHERE"
				    " instr(body || COALESCE(html, '') ||"
				    " COALESCE(html_text, ''), 'Reply to Bob')"),
			 0);
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "Reply to Bob"));
	/* approved again after the prune: rendered from what is left */
	sql(fx, "UPDATE comments SET status = 'approved' WHERE id = 3");
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "Reply to Bob"));
}

/* The output depends on settings: a change of one renders again. */
static void test_cache_settings(void **state)
{
	struct fx *fx = *state;

	sql(fx, "UPDATE comments SET body = 'Write to"
		" [us](mailto:comments+a@blog.example.org) or"
		" comments+b@blog.example.org.' WHERE id = 1");
	render_ok(fx, NULL);
	/* the gateway's own addresses are published... */
	assert_true(has(fx, "comments/a.html",
			"<a href=\"mailto:comments+a@blog.example.org\""));
	/* ...until they no longer are its own: masked at once */
	set(&fx->c.address_mailbox, "talk@blog.example.org");
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "comments+a@"));
	assert_false(has(fx, "comments/a.json", "comments+b@"));
	assert_true(has(fx, "comments/a.html", "[address hidden]"));
	set(&fx->c.address_mailbox, "comments@blog.example.org");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "href=\"mailto:comments+a@"));
	set(&fx->c.address_separator, "-");
	render_ok(fx, NULL);
	assert_false(has(fx, "comments/a.html", "comments+a@"));
	/* the mask's language */
	set(&fx->c.site_language, "fr");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "[adresse masquée]"));
	assert_false(has(fx, "comments/a.html", "[address hidden]"));
	/* the format */
	sql(fx, "UPDATE comments SET body = '*plain*' WHERE id = 2");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "<em>plain</em>"));
	set(&fx->c.render_format, "text");
	render_ok(fx, NULL);
	assert_true(has(fx, "comments/a.html", "<p>*plain*</p>"));
}

/* A row is not trusted: a stored rendering that our renderer could not
 * have written is rendered again from the body, and replaced. */
static void test_cache_forged(void **state)
{
	static const char *const forged[] = {
		"<p>x</p><script>alert(1)</script>",
		"<p><a href=\"javascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a></p>",
		"<p><img src=x onerror=alert(1)></p>",
		"<p><a href=\"https://e.org/\" onclick=\"alert(1)\">x</a></p>",
		"<p><a href=\"https://e.org/\"onmouseover=alert(1) rel=\"nofollow ugc noopener\">x</a></p>",
		"<ol start=\"1\" onclick=\"x\">",
		"</section><iframe src=\"https://evil.example/\">",
	};
	struct fx *fx = *state;
	size_t i;

	render_ok(fx, NULL);
	for (i = 0; i < sizeof(forged) / sizeof(*forged); i++) {
		plant(fx, 1, forged[i]);
		render_ok(fx, NULL);
		if (!has(fx, "comments/a.html", "<p>First!</p>") ||
		    has(fx, "comments/a.html", forged[i]) ||
		    has(fx, "comments/a.json", "alert") ||
		    has(fx, "comments/a.json", "evil"))
			fail_msg("forged rendering %zu published", i);
		assert_int_equal(scalar(fx, "SELECT html = '<p>First!</p>\n'"
					    " FROM comments WHERE id = 1"), 1);
	}
}

/* rd_iso8601 writes what time_iso8601 (gmtime, strftime) writes: every
 * day of 1970 to 2200 at a moving time of day, the ends of its range,
 * and outside it. */
static void test_iso8601(void **state)
{
	static const int64_t edges[] = { 0, 1, 59, 86399, 951782400,
					 951868799, 4107542400, 253402300799,
					 253402300800, -1, -86401 };
	char a[32], b[32], d[24];
	int64_t t;
	size_t i;

	(void)state;
	for (t = 0; t < 7300000000; t += 86400 + 3607) {
		rd_iso8601(t, a);
		time_iso8601(t, b);
		if (strcmp(a, b) != 0)
			fail_msg("%lld: %s, not %s", (long long)t, a, b);
	}
	for (i = 0; i < sizeof(edges) / sizeof(*edges); i++) {
		rd_iso8601(edges[i], a);
		time_iso8601(edges[i], b);
		assert_string_equal(a, b);
	}
	assert_string_equal(rd_int(0, d), "0");
	assert_string_equal(rd_int(-42, d), "-42");
	assert_string_equal(rd_int(INT64_MAX, d), "9223372036854775807");
	assert_string_equal(rd_int(INT64_MIN, d), "-9223372036854775808");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_writes_every_output),
		T(test_unchanged_not_rewritten),
		T(test_map_only_during_run),
		T(test_synced_after_run),
		T(test_only_approved_never_addresses),
		T(test_dirty_only),
		T(test_bad_page_untouched),
		T(test_page_outside_site_refused),
		T(test_unknown_article),
		T(test_template_override),
		T(test_depth),
		T(test_thread_ids_out_of_order),
		T(test_feed_newest),
		T(test_french_time_zone),
		T(test_closed),
		T(test_cache_stored_and_used),
		T(test_cache_author),
		T(test_cache_edit),
		T(test_cache_forget),
		T(test_cache_delete_prune),
		T(test_cache_settings),
		T(test_cache_forged),
		cmocka_unit_test(test_iso8601),
	};

	setenv("MAILCOMMENTS_NOW", "1722211200", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
