/* render_int.h: private to the render modules (render*.c); nothing else
 * includes it.  The public API is render.h.
 *
 * What the pieces of the renderer share: the context of a run (struct
 * rctx, made and released by render.c), an article and its comments as
 * read from the database (struct pub_article, threaded), the words of
 * the pages per language, and a few helpers.  render.c reads, threads
 * and writes; render_html.c, render_json.c and render_atom.c turn what
 * it read into bytes, appended to a struct buf, and never fail.
 *
 * Names: rd_* are helpers defined in render.c; render_html_*,
 * render_json_* and render_atom_* are the entries of those files. */
#ifndef MC_RENDER_INT_H
#define MC_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "conf.h"
#include "fsroot.h"
#include "lang.h"
#include "markup.h"
#include "render.h"
#include "store.h"
#include "template.h"
#include "util.h"

/* No such comment (pub_comment's parent, under, first, last, next). */
#define RD_NONE ((size_t)-1)
/* Output names under render.directory, beside the articles' SLUG.EXT. */
#define RD_SITE_FEED "all_comments.atom"
#define RD_STYLESHEET "mailcomments.css"

/* The words of the pages in the language being written, looked up once
 * per language in the catalogs (rd_lang()); they point into them.  The
 * count of comments is render_html_count()'s.
 * Patterns take their arguments at each "%s", in order (rd_fill()). */
struct rd_strings {
	const char *leave, *address, *notice, *reply, *moderator, *in_reply_to;
	const char *feed;
	const char *subject_leave, *subject_reply;
	const char *feed_title, *site_feed_title, *entry_title;
	const char *closed; /* an article closed to comments */
};

/* One approved comment, ready to publish; its strings are in the pool of
 * what it was read for (pub_article's strs, the site feed's). */
struct pub_comment {
	int64_t id, parent_id, created, updated;
	int moderator;
	char *author;    /* display name: one line, masked, never empty */
	char *body_html; /* markup_body() */
	char *body_text; /* the source, masked */
	char *reply_mailto; /* rd_reply_mailto(), or NULL */
	char *reply_addr;   /* the address in it, made with it */
	size_t parent;   /* index of the published parent, or RD_NONE */
	size_t under;    /* the comment it is shown under, or RD_NONE */
	size_t first, last, next; /* children as shown, in order */
	int level;       /* true depth: 0 for a comment on the article */
};

/* An article and its approved comments in publication order; owns all
 * of it.  url is the article's public URL (never empty). */
struct pub_article {
	char *slug, *title, *url, *page;
	struct strpool strs; /* its comments' strings */
	/* the encoded parts of its reply links (rd_reply_mailto()), in
	 * strs; NULL until the first is made */
	const char *reply_head, *reply_mid, *reply_tail;
	int reply_named; /* the author is between mid and tail */
	struct buf link; /* where each reply link is made, then kept */
	char lang[LANG_TAG_MAX]; /* the article's language (lang.h) */
	int64_t created, updated;
	int closed; /* no new comments (articles.h: article_is_closed) */
	struct pub_comment *cm;
	size_t n;
};

/* One entry of the site-wide feed: a comment with its article's slug,
 * title and URL, and its published parent's id (0 if none); owns slug,
 * title and url. */
struct pub_feed_entry {
	struct pub_comment cm;
	char *slug, *title, *url;
	int64_t parent_id;
};

/* A body rendered in this run, waiting to be stored (render.c). */
struct rd_cached {
	int64_t id;
	char *body, *name, *address; /* what they were made from */
	char *html, *text, *author;
	char key[MARKUP_KEY_LEN]; /* the key they were made with */
};

/* An article whose outputs are staged in the run's batch: counted, and
 * told to the webhook, once they are on disk. */
struct rd_staged {
	char *slug, *url;
	int changed; /* some output of it is staged */
	int ok;      /* rendered (not a failure that staged a part) */
};

/* The context of one run: made by render.c's ctx_init(), which also
 * calls render_html_init(); everything it points to is released by
 * ctx_free() (the templates included).  The output modules only read
 * it. */
struct rctx {
	struct store *st;
	const struct conf *c;
	const struct rd_strings *str; /* &strs */
	struct rd_strings strs;
	const struct catalog_lang *cl; /* the language being written */
	struct catalog_datefmt datefmt; /* its dates, looked up once */
	struct template *tsection, *tcomment;
	struct buf css;
	char *outdir;  /* where outputs go */
	struct fsroot *out;  /* the root they are written under... */
	char *outrel;        /* ...at this path in it ("" for the root) */
	struct fsroot *site; /* site.directory, for pages; may be out */
	char *outurl;  /* its public URL ending in '/', or "" if unknown */
	char *tagbase; /* "tag:HOST,DATE:" */
	int64_t epoch; /* the database's creation: the feeds' oldest date */
	/* The language being written (rd_lang()): the article's, or the
	 * site's for the site feed.  lang is the tag the outputs declare,
	 * the article's own when str speaks it ("fr-CA"), else str's. */
	char lang[LANG_TAG_MAX];
	char tag[LANG_TAG_MAX]; /* what rd_lang() was last given */
	struct markup_opts mo;
	char cache_key[MARKUP_KEY_LEN]; /* markup_cache_key() of lang */
	struct rd_cached *fresh; /* bodies rendered in this run, to store */
	size_t nfresh, freshbytes;
	size_t nhit, nmiss, nrefused; /* stored renderings used, not, bad */
	char *saved_tz;
	int tz_set;
	struct render_report *rep;
	struct buf hook; /* webhook JSON: the changed articles */
	size_t nhook;
	struct fsroot_batch *batch; /* outputs written, not yet on disk */
	char **files;         /* their paths, for rep->files */
	size_t nfiles;
	struct rd_staged *arts; /* the articles they are from */
	size_t narts;
	struct rd_data *data;     /* render_data.c's state, or NULL */
	struct rd_counts *counts; /* render_counts.c's, or NULL */
	int site_only; /* RENDER_SITE: counts.json written though no
			* article was rendered (one was removed) */
};

/* ---- helpers, in render.c ---- */

/* Appends pat, each "%s" replaced by a then b (NULL adds nothing): no
 * printf, so a pattern can never be a format string. */
void rd_fill(struct buf *out, const char *pat, const char *a, const char *b);

/* v in decimal, written at the end of d; returns where it starts. */
const char *rd_int(int64_t v, char d[24]);

/* time_iso8601() without gmtime and strftime: three per comment. */
void rd_iso8601(int64_t t, char out[32]);

/* Appends URL#comment-ID. */
void rd_comment_url(struct buf *out, const char *url, int64_t id);

/* Makes tag (an article's language, or the site's) the one written from
 * now on: the words (str), the declared lang, the mask and the stored
 * renderings' key. */
void rd_lang(struct rctx *x, const char *tag);

/* The mailto: URL to reply to comment cm of article a (its
 * plus-address, the subject with its tag): made once, kept in cm, with
 * the address (cm->reply_addr), both in a's pool. */
const char *rd_reply_mailto(const struct rctx *x, struct pub_article *a,
			    struct pub_comment *cm);

/* An article's public URL (articles.url, else its page's under
 * site.url, else site.url/SLUG/), the caller's to free. */
char *rd_article_url(const struct conf *c, const char *slug, const char *url,
		     const char *page);

/* Appends the public URL of output NAME; nothing if that URL is unknown. */
void rd_feed_url(const struct rctx *x, const char *name, struct buf *out);

/* Appends mailto:addr with the subject "[tag] " + pat filled with arg. */
void rd_mailto_subject(struct buf *out, const char *addr, const char *tag,
		       const char *pat, const char *arg);

/* Parses template NAME (render.templates', else built-in) into *t, the
 * caller's to template_free(); 0, or -1 with err set. */
int rd_load_template(const struct conf *c, const char *name,
		     const struct template_var *vars, size_t nvars,
		     struct template **t, struct mc_err *err);

/* Stages ROOT/rel (or OUT/name) in the run's batch, counted in the
 * report when it changed (*changed set to 1); 0 or -1. */
int rd_put(struct rctx *x, struct fsroot *root, const char *rel,
	   const struct buf *b, int *changed, struct mc_err *err);
int rd_put_out(struct rctx *x, const char *name, const struct buf *b,
	       int *changed, struct mc_err *err);

/* ---- render_html.c: the comment section ---- */

/* Loads x->tsection and x->tcomment (ctx_free() frees them); 0 or -1. */
int render_html_init(struct rctx *x, struct mc_err *err);

/* Appends the section of the threaded article a, ending in a newline
 * (a keeps the reply links it made: rd_reply_mailto()). */
void render_html_section(const struct rctx *x, struct pub_article *a,
			 struct buf *out);

/* Appends the heading's count of n comments ("3 comments", "No
 * comments yet") in language cl. */
void render_html_count(const struct catalog_lang *cl, size_t n,
		       struct buf *out);

/* Appends date t in words, in the language being written and
 * render.time_zone, as the section shows it. */
void render_html_date(const struct rctx *x, int64_t t, struct buf *out);

/* ---- render_data.c: site generators' data files ---- */

struct rd_data;

/* Opens render.generator_directory when a generator is set (x->data,
 * freed by render_data_free); 0 or -1. */
int render_data_init(struct rctx *x, struct mc_err *err);
void render_data_free(struct rctx *x);

/* Stages the generator's data file of the threaded article a (nothing
 * when render.generator is "none"); *changed set to 1 when it changed. */
int render_data_article(struct rctx *x, struct pub_article *a, int *changed,
			struct mc_err *err);

/* Removes the data file of a removed article (GEN/.../KEY.json, or a
 * link planted there: the link, never its target); *path is then its
 * path (the caller frees it; NULL when render.generator is "none"),
 * *removed whether something was there.  0 or -1. */
int render_data_forget(const struct conf *c, const char *slug, char **path,
		       int *removed, struct mc_err *err);

/* ---- render_counts.c: counts of comments for index pages ---- */

struct rd_counts;

/* Stages OUT/counts.json (every article's count of approved comments)
 * and keeps the counts (x->counts) for render_counts_markers(); nothing
 * when no article was rendered in this run (no count can have
 * changed), unless x->site_only (an article removed). */
int render_counts_write(struct rctx *x, int *changed, struct mc_err *err);

/* After the batch holding counts.json is on disk: stages the pages
 * under site.directory whose count markers need filling, when the
 * counts changed in this run or all is set (render --all).  A page it
 * cannot read or write is logged, not an error. */
int render_counts_markers(struct rctx *x, int all, struct mc_err *err);

void render_counts_free(struct rctx *x);

/* ---- render_json.c ---- */

/* Appends the JSON document of the threaded article a. */
void render_json_article(const struct rctx *x, struct pub_article *a,
			 struct buf *out);

/* ---- render_atom.c: Atom feeds (RFC 4287) ---- */

/* Appends the feed of article a: its newest render.feed_entries comments. */
void render_atom_article(const struct rctx *x, const struct pub_article *a,
			 struct buf *out);

/* Appends the site-wide feed: the n entries e in order, updated at updated. */
void render_atom_site(const struct rctx *x, const struct pub_feed_entry *e,
		      size_t n, int64_t updated, struct buf *out);

#endif
