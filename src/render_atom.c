/* render_atom.c: the Atom feeds (RFC 4287, with the threading extension
 * of RFC 4685): one per article (OUT/SLUG.atom, its newest comments) and
 * the site's (OUT/all_comments.atom, from entries render.c reads).  Ids
 * are tag: URIs (RFC 4151) under the site's host and the database's
 * creation date, so an entry keeps its id from one render to the next. */
#include <stdlib.h>

#include "html.h"
#include "render_int.h"
#include "banned.h"

/* No printf here: a feed has a dozen of these per entry. */
static void xml_elem(struct buf *out, const char *indent, const char *name,
		     const char *text)
{
	buf_adds(out, indent);
	buf_addc(out, '<');
	buf_adds(out, name);
	buf_addc(out, '>');
	html_escape(out, text);
	buf_adds(out, "</");
	buf_adds(out, name);
	buf_adds(out, ">\n");
}

static void xml_link(struct buf *out, const char *indent, const char *rel,
		     const char *type, const char *href)
{
	buf_adds(out, indent);
	buf_adds(out, "<link rel=\"");
	buf_adds(out, rel);
	buf_adds(out, "\" type=\"");
	buf_adds(out, type);
	buf_adds(out, "\" href=\"");
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
	buf_adds(out, x->lang);
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

/* tag:HOST,DATE:comments/SLUG/ID */
static void entry_id(struct buf *out, const struct rctx *x, const char *slug,
		     int64_t id)
{
	char d[24];

	buf_adds(out, x->tagbase);
	buf_adds(out, "comments/");
	buf_adds(out, slug);
	buf_addc(out, '/');
	buf_adds(out, rd_int(id, d));
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
	entry_id(&t, x, slug, cm->id);
	xml_elem(out, "    ", "id", t.s);
	buf_reset(&t);
	rd_fill(&t, x->str->entry_title, cm->author, title);
	xml_elem(out, "    ", "title", t.s);
	rd_iso8601(cm->updated, iso);
	xml_elem(out, "    ", "updated", iso);
	rd_iso8601(cm->created, iso);
	xml_elem(out, "    ", "published", iso);
	buf_adds(out, "    <author>\n");
	xml_elem(out, "      ", "name", cm->author);
	buf_adds(out, "    </author>\n");
	buf_reset(&t);
	rd_comment_url(&t, url, cm->id);
	xml_link(out, "    ", "alternate", "text/html", t.s);
	if (parent_id) {
		buf_reset(&t);
		entry_id(&t, x, slug, parent_id);
		buf_adds(out, "    <thr:in-reply-to ref=\"");
		html_escape(out, t.s);
		buf_adds(out, "\" href=\"");
		buf_reset(&t);
		rd_comment_url(&t, url, parent_id);
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

/* Fills v with the k newest comments of a, newest first, and returns how
 * many: a selection, not a sort of them all (an article may have
 * thousands, its feed shows render.feed_entries).  Read from the last,
 * as the newest usually are, most comments are passed over at once. */
static size_t newest(const struct pub_article *a, size_t k,
		     const struct pub_comment **v)
{
	size_t n = 0, i, j;

	for (i = a->n; k > 0 && i-- > 0;) {
		const struct pub_comment *c = &a->cm[i];

		if (n == k && newest_first(&c, &v[n - 1]) >= 0)
			continue;
		j = n < k ? n++ : n - 1;
		for (; j > 0 && newest_first(&c, &v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = c;
	}
	return n;
}

void render_atom_article(const struct rctx *x, const struct pub_article *a,
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
	rd_fill(&title, x->str->feed_title, a->title, NULL);
	buf_addf(&alt, "%s#comments", a->url);
	name = xasprintf("%s.atom", a->slug);
	rd_feed_url(x, name, &self);
	free(name);
	atom_head(x, out, id.s, title.s, a->updated, alt.s, self.s);
	n = newest(a, a->n < (size_t)x->c->render_feed_entries ?
			      a->n :
			      (size_t)x->c->render_feed_entries,
		   v);
	for (i = 0; i < n; i++)
		atom_entry(x, out, a->slug, a->title, a->url, v[i],
			   v[i]->parent == RD_NONE ? 0 :
						  a->cm[v[i]->parent].id);
	buf_adds(out, "</feed>\n");
	free(v);
	buf_free(&id);
	buf_free(&title);
	buf_free(&alt);
	buf_free(&self);
}

void render_atom_site(const struct rctx *x, const struct pub_feed_entry *e,
		      size_t n, int64_t updated, struct buf *out)
{
	struct buf title, self, id;
	size_t i;

	buf_init(&title);
	buf_init(&self);
	buf_init(&id);
	buf_addf(&id, "%scomments", x->tagbase);
	rd_fill(&title, x->str->site_feed_title, x->c->site_name, NULL);
	rd_feed_url(x, RD_SITE_FEED, &self);
	atom_head(x, out, id.s, title.s, updated, x->c->site_url, self.s);
	for (i = 0; i < n; i++)
		atom_entry(x, out, e[i].slug, e[i].title, e[i].url, &e[i].cm,
			   e[i].parent_id);
	buf_adds(out, "</feed>\n");
	buf_free(&title);
	buf_free(&self);
	buf_free(&id);
}
