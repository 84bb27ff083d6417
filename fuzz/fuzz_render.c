/* fuzz_render.c: libFuzzer target for the published outputs: comment
 * rows (author names, bodies, threads, dates) and an article title go
 * into a real database, render_article() writes the article's outputs
 * and the site-wide feed as in production, and each file is checked:
 *
 * - SLUG.html, the section: check_html(CHECK_SECTION), the templates'
 *   allow-list with the bodies' allow-list inside div.mc-body;
 * - SLUG.json: check_json() (strict JSON, and nothing a <script> or an
 *   HTML attribute would misread), every "html" member passes
 *   check_html(CHECK_BODY), every "author" is one line of text;
 * - SLUG.atom and all_comments.atom (which holds both articles): check_atom() (well-formed for
 *   libxml2, Atom structure, each entry's content passes CHECK_BODY);
 * - in none of them a commenter's address or a comment that is not
 *   approved.
 *
 * Input: a flag byte (bit 0 French, bit 1 text format, bit 2 max depth
 * 1, bit 3 no stylesheet, bit 4 feeds of 2 entries), up to 8 bytes, one
 * per comment (bits 0-2: answers the comment that many before it; bit 3:
 * by a moderator; bit 4: on the second article; bit 5: pending, not
 * approved; bits 6-7: how far apart the dates are), then NUL-separated
 * fields: the first article's title, then each comment's author name
 * and body.
 *
 * The database and the site live in a directory under TMPDIR (fuzz/run.sh
 * points it at tmpfs), removed at exit. */
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conf.h"
#include "input.h"
#include "render.h"
#include "store.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCOMMENTS 8
#define PENDING_BODY "<mc-pending-secret>"
/* Both hold '<' and '&', which every output escapes: found raw, they
 * can only have been copied from a row that must not be published. */
#define SECRET_ADDR "\"<secret&"

static struct conf conf;
static struct store *st;
static char *dir;
static const char *fuzz_text;
static size_t fuzz_len;

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (st)
		store_close(st);
	st = NULL;
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	conf_free(&conf);
	free(dir);
	dir = NULL;
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

static void sql(const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), q, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fuzz_render: %s: %s\n", q, msg);
		abort();
	}
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	struct mc_err err;
	char *p;

	p = xasprintf("%s/mc-fuzz-render.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(p) == NULL)
		abort();
	dir = p;
	atexit(cleanup);
	conf_defaults(&conf);
	p = xasprintf("%s/site", dir);
	set(&conf.site_directory, p);
	free(p);
	set(&conf.site_url, "https://blog.example.org/");
	set(&conf.address_mailbox, "comments@blog.example.org");
	p = xasprintf("%s/db", dir);
	if (store_open(&st, p, &err) < 0) {
		fprintf(stderr, "fuzz_render: %s\n", err.msg);
		abort();
	}
	free(p);
	sql("UPDATE schema_migrations SET applied_at = 1722211200;"
	    "INSERT INTO articles (id, slug, title, page, created_at, dirty)"
	    " VALUES (1, 'a', 'A', '', 1722211200, 0),"
	    " (2, '2024/b-c', 'Article B & <C>', '', 1722211200, 0);");
}

static void bad(const char *what, const char *why, const struct buf *b)
{
	fprintf(stderr, "fuzz_render: input was %zu bytes\n", fuzz_len);
	(void)fuzz_text;
	check_fail(what, why, b->s, b->len);
}

static int json_member(void *arg, const char *key, const char *v, size_t n,
		       char why[CHECK_WHY])
{
	char sub[CHECK_WHY];

	(void)arg;
	if (key && strcmp(key, "html") == 0 &&
	    check_html(v, n, CHECK_BODY, sub) < 0) {
		snprintf(why, CHECK_WHY, "\"html\": %s", sub);
		return -1;
	}
	if (key && strcmp(key, "author") == 0 &&
	    (n == 0 || check_text(v, n, "", sub) < 0)) {
		snprintf(why, CHECK_WHY, "\"author\" empty or not one line");
		return -1;
	}
	return 0;
}

/* What any output must never hold. */
static void nothing_private(const char *what, const struct buf *b)
{
	if (memmem(b->s, b->len, PENDING_BODY, strlen(PENDING_BODY)))
		bad(what, "a comment that is not approved is published", b);
	if (memmem(b->s, b->len, SECRET_ADDR, strlen(SECRET_ADDR)))
		bad(what, "a commenter's address is published", b);
}

static void output(const char *name, int kind)
{
	char *path = xasprintf("%s/site/comments/%s", dir, name), why[CHECK_WHY];
	struct mc_err err;
	struct buf b;
	int rc;

	buf_init(&b);
	if (read_file(path, &b, 0, &err) < 0) {
		fprintf(stderr, "fuzz_render: %s\n", err.msg);
		abort();
	}
	rc = kind == 0 ? check_html(b.s, b.len, CHECK_SECTION, why) :
	     kind == 1 ? check_json(b.s, b.len, json_member, NULL, why) :
			 check_atom(b.s, b.len, why);
	if (rc < 0)
		bad(name, why, &b);
	nothing_private(name, &b);
	free(path);
	buf_free(&b);
}

static void add_comment(int64_t id, uint8_t meta, const char *author,
			const char *body)
{
	sqlite3_stmt *s;
	int64_t back = meta & 7, t;

	if (sqlite3_prepare_v2(store_db(st),
			       "INSERT INTO comments (id, article_id, parent_id,"
			       " author_name, author_address, body, status,"
			       " created_at, updated_at, decided_at,"
			       " by_moderator) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
			       " ?, ?, ?)",
			       -1, &s, NULL) != SQLITE_OK)
		abort();
	t = 1722211200 + id * 61 + (int64_t)(meta >> 6) * 86400 * 400 * id;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, meta & 16 ? 2 : 1);
	if (back > 0 && back < id)
		sqlite3_bind_int64(s, 3, id - back);
	sqlite3_bind_text(s, 4, author, -1, SQLITE_TRANSIENT);
	{
		char *a = xasprintf(SECRET_ADDR "%lld>\"@example.net",
				    (long long)id);

		sqlite3_bind_text(s, 5, a, -1, SQLITE_TRANSIENT);
		free(a);
	}
	sqlite3_bind_text(s, 6, meta & 32 ? PENDING_BODY : body, -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, meta & 32 ? "pending" : "approved", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, t);
	sqlite3_bind_int64(s, 9, t);
	sqlite3_bind_int64(s, 10, t + (int64_t)(meta >> 6) * 3600);
	sqlite3_bind_int(s, 11, (meta & 8) != 0);
	if (sqlite3_step(s) != SQLITE_DONE) {
		fprintf(stderr, "fuzz_render: insert: %s\n",
			sqlite3_errmsg(store_db(st)));
		abort();
	}
	sqlite3_finalize(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t meta[NCOMMENTS] = { 0 };
	struct mc_err err;
	struct fields f;
	sqlite3_stmt *s;
	size_t i, nmeta;
	uint8_t flags;

	if (st == NULL)
		setup();
	if (size < 1)
		return 0;
	fuzz_text = (const char *)data;
	fuzz_len = size;
	flags = data[0];
	nmeta = size - 1 < NCOMMENTS ? size - 1 : NCOMMENTS;
	memcpy(meta, data + 1, nmeta);
	fields_split(data + 1 + nmeta, size - 1 - nmeta, 1 + 2 * NCOMMENTS, &f);
	set(&conf.site_language, flags & 1 ? "fr" : "en");
	set(&conf.render_format, flags & 2 ? "text" : "markdown");
	conf.render_max_depth = flags & 4 ? 1 : 3;
	conf.render_stylesheet = !(flags & 8);
	conf.render_feed_entries = flags & 16 ? 2 : 50;

	sql("DELETE FROM comments");
	if (sqlite3_prepare_v2(store_db(st),
			       "UPDATE articles SET title = ? WHERE id = 1", -1,
			       &s, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_text(s, 1, f.v[0], -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		abort();
	sqlite3_finalize(s);
	/* as many comments as there are fields for (at least one) */
	for (i = 0; i < NCOMMENTS && (i == 0 || 1 + 2 * i < f.n); i++)
		add_comment((int64_t)i + 1, meta[i], f.v[1 + 2 * i],
			    f.v[2 + 2 * i]);
	/* The second article's outputs are like the first's: rendering
	 * them would halve the speed for little; its comments still reach
	 * the site-wide feed. */
	if (render_article(st, &conf, "a", NULL, &err) < 0) {
		fprintf(stderr, "fuzz_render: render_article: %s\n", err.msg);
		abort();
	}
	output("a.html", 0);
	output("a.json", 1);
	output("a.atom", 2);
	output("all_comments.atom", 2);
	fields_free(&f);
	return 0;
}
