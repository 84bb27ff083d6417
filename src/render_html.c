/* render_html.c: the comment section of an article, as HTML: each
 * comment through comment.html (its replies nested inside it), the whole
 * through section.html.  The same bytes are the fragment OUT/SLUG.html
 * and what render.c injects into the article's page.  Dates are written
 * in words, in site.language and render.time_zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "html.h"
#include "render_int.h"
#include "template.h"
#include "banned.h"

enum {
	S_LANG, S_SLUG, S_TITLE, S_ARTICLE_URL, S_COUNT, S_COUNT_TEXT,
	S_HAS_COMMENTS, S_COMMENTS, S_COMMENT_URL, S_LEAVE_LABEL, S_NOTICE,
	S_CSS_URL, S_FEED_URL, S_FEED_LABEL, S_CLOSED, S_CLOSED_LABEL, S_ADDRESS,
	S_ADDRESS_LABEL, S_NVARS
};

static const struct template_var section_vars[S_NVARS] = {
	{ "lang", TEMPLATE_TEXT },        { "slug", TEMPLATE_TEXT },
	{ "title", TEMPLATE_TEXT },       { "article_url", TEMPLATE_TEXT },
	{ "count", TEMPLATE_TEXT },       { "count_text", TEMPLATE_TEXT },
	{ "has_comments", TEMPLATE_BOOL }, { "comments", TEMPLATE_HTML },
	{ "comment_url", TEMPLATE_TEXT }, { "leave_label", TEMPLATE_TEXT },
	{ "notice", TEMPLATE_TEXT },      { "css_url", TEMPLATE_TEXT },
	{ "feed_url", TEMPLATE_TEXT },    { "feed_label", TEMPLATE_TEXT },
	{ "closed", TEMPLATE_BOOL },      { "closed_label", TEMPLATE_TEXT },
	{ "address", TEMPLATE_TEXT },     { "address_label", TEMPLATE_TEXT },
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

static void count_text(const struct rctx *x, size_t n, struct buf *out)
{
	render_html_count(x->cl, n, out);
}

/* The catalog's date (catalog.h), in render.time_zone; the language's
 * pattern and names looked up once (rd_lang()), not three times a
 * comment. */
static void human_date(const struct rctx *x, int64_t t, struct buf *out)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (x->tz_set)
		localtime_r(&tt, &tm);
	else
		gmtime_r(&tt, &tm);
	catalog_datefmt_tm(&x->datefmt, &tm, out);
}

void render_html_count(const struct catalog_lang *cl, size_t n,
		       struct buf *out)
{
	struct buf num;

	if (n == 0) {
		buf_adds(out, _(cl, "No comments yet"));
		return;
	}
	buf_init(&num);
	/* TRANSLATORS: the separator of groups of three digits in a
	 * count of comments (1,234): CLDR's grouping symbol. */
	group_digits(&num, (int64_t)n, C_(cl, "number", ","));
	/* TRANSLATORS: the number of comments on an article, digits
	 * grouped (1,234 comments). */
	rd_fill(out, P_(cl, "%s comment", "%s comments", n), num.s, NULL);
	buf_free(&num);
}

void render_html_date(const struct rctx *x, int64_t t, struct buf *out)
{
	human_date(x, t, out);
}

int render_html_init(struct rctx *x, struct mc_err *err)
{
	if (rd_load_template(x->c, "section.html", section_vars, S_NVARS,
			     &x->tsection, err) < 0 ||
	    rd_load_template(x->c, "comment.html", comment_vars, C_NVARS,
			     &x->tcomment, err) < 0)
		return -1;
	return 0;
}

/* What the templates' {{{comments}}} and {{{replies}}} print: the
 * comments shown at one place, from the first, each written straight
 * into the output where the template puts them. */
struct shown {
	const struct rctx *x;
	struct pub_article *a;
	size_t first;
};

static void render_comment(const struct rctx *x, struct pub_article *a,
			   size_t i, struct buf *out);

static void put_replies(const void *arg, struct buf *out)
{
	const struct shown *sh = arg;
	size_t k;

	for (k = sh->first; k != RD_NONE; k = sh->a->cm[k].next)
		render_comment(sh->x, sh->a, k, out);
}

static void put_comments(const void *arg, struct buf *out)
{
	const struct shown *sh = arg;
	size_t i;

	for (i = sh->first; i < sh->a->n; i++)
		if (sh->a->cm[i].under == RD_NONE)
			render_comment(sh->x, sh->a, i, out);
}

static void render_comment(const struct rctx *x, struct pub_article *a,
			   size_t i, struct buf *out)
{
	struct pub_comment *cm = &a->cm[i];
	struct template_val v[C_NVARS];
	struct shown replies = { x, a, cm->first };
	struct buf date, url;
	char id[24], pid[24], iso[32], level[24];

	memset(v, 0, sizeof(v));
	buf_init(&date);
	buf_init(&url);
	rd_iso8601(cm->created, iso);
	human_date(x, cm->created, &date);
	rd_comment_url(&url, a->url, cm->id);
	v[C_ID].s = rd_int(cm->id, id);
	v[C_URL].s = url.s;
	v[C_AUTHOR].s = cm->author;
	v[C_MODERATOR].b = cm->moderator;
	v[C_MODERATOR_LABEL].s = x->str->moderator;
	v[C_DATE_ISO].s = iso;
	v[C_DATE_TEXT].s = date.s;
	v[C_BODY].s = cm->body_html;
	/* closed: no reply link, the gateway would set the mail aside */
	v[C_REPLY_URL].s = a->closed ? "" : rd_reply_mailto(x, a, cm);
	v[C_REPLY_LABEL].s = x->str->reply;
	if (cm->first != RD_NONE) {
		v[C_REPLIES].put = put_replies;
		v[C_REPLIES].arg = &replies;
	}
	v[C_IN_REPLY_TO_LABEL].s = x->str->in_reply_to;
	v[C_LEVEL].s = rd_int(cm->level < x->c->render_max_depth ?
				      cm->level :
				      x->c->render_max_depth,
			      level);
	if (cm->parent != RD_NONE && cm->under != cm->parent) {
		v[C_IN_REPLY_TO].s = a->cm[cm->parent].author;
		v[C_IN_REPLY_TO_ID].s = rd_int(a->cm[cm->parent].id, pid);
	}
	template_render(x->tcomment, v, out);
	buf_free(&date);
	buf_free(&url);
}

void render_html_section(const struct rctx *x, struct pub_article *a,
			 struct buf *out)
{
	struct template_val v[S_NVARS];
	struct shown comments = { x, a, 0 };
	struct buf count, ctext, leave, css, feed;
	char *addr, *feedname;

	memset(v, 0, sizeof(v));
	buf_init(&count);
	buf_init(&ctext);
	buf_init(&leave);
	buf_init(&css);
	buf_init(&feed);
	buf_addf(&count, "%zu", a->n);
	count_text(x, a->n, &ctext);
	addr = addr_article(x->c, a->slug);
	rd_mailto_subject(&leave, addr, a->slug, x->str->subject_leave,
		       a->title);
	if (x->c->render_stylesheet)
		rd_feed_url(x, RD_STYLESHEET, &css);
	feedname = xasprintf("%s.atom", a->slug);
	rd_feed_url(x, feedname, &feed);
	v[S_LANG].s = x->lang;
	v[S_SLUG].s = a->slug;
	v[S_TITLE].s = a->title;
	v[S_ARTICLE_URL].s = a->url;
	v[S_COUNT].s = count.s;
	v[S_COUNT_TEXT].s = ctext.s;
	v[S_HAS_COMMENTS].b = a->n > 0;
	if (a->n > 0) {
		v[S_COMMENTS].put = put_comments;
		v[S_COMMENTS].arg = &comments;
	}
	/* closed: the comments stay, the way to write one goes */
	v[S_COMMENT_URL].s = a->closed ? "" : leave.s;
	v[S_CLOSED].b = a->closed;
	v[S_CLOSED_LABEL].s = x->str->closed;
	v[S_LEAVE_LABEL].s = x->str->leave;
	v[S_NOTICE].s = x->str->notice;
	v[S_CSS_URL].s = css.s;
	v[S_FEED_URL].s = feed.s;
	v[S_FEED_LABEL].s = x->str->feed;
	/* as text too, for readers whose browser opens no mail program
	 * (webmail): they copy it */
	v[S_ADDRESS].s = a->closed ? "" : addr;
	v[S_ADDRESS_LABEL].s = x->str->address;
	template_render(x->tsection, v, out);
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		buf_addc(out, '\n');
	free(addr);
	free(feedname);
	buf_free(&count);
	buf_free(&ctext);
	buf_free(&leave);
	buf_free(&css);
	buf_free(&feed);
}
