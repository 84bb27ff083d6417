/* import_xml.c: the readers of XML exports, Disqus and WordPress (WXR),
 * with libxml2's streaming reader: each top record (a thread, a post, an
 * item) is expanded alone and freed once read, so a file of any size is
 * read in the memory of its largest record.  Entities are not loaded from
 * outside and the network is never used; the declared encoding is
 * honoured (libxml2 hands us UTF-8). */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "import.h"
#include "strmap.h"
#include "banned.h"

#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

/* The first child element of n named name (local name), or NULL. */
static xmlNode *child(xmlNode *n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* The text of n's child name, trimmed; a new string ("" if none). */
static char *child_text(xmlNode *n, const char *name)
{
	xmlNode *c = child(n, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
	char *s, *b, *e;

	if (t == NULL)
		return xstrdup("");
	for (b = (char *)t; *b == ' ' || *b == '\t' || *b == '\n' || *b == '\r';)
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		e--;
	s = xmalloc((size_t)(e - b) + 1);
	memcpy(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	xmlFree(t);
	return s;
}

/* An attribute named id, in any namespace (Disqus writes dsq:id). */
static char *attr_id(xmlNode *n)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)"id") : NULL;
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static int is_true(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

static void xml_error(struct mc_err *err, const char *path,
		      xmlTextReaderPtr r)
{
	const xmlError *e = xmlGetLastError();

	err_set(err, "%s: not well-formed XML near line %d%s%s", path,
		xmlTextReaderGetParserLineNumber(r), e && e->message ? ": " : "",
		e && e->message ? e->message : "");
	if (err->msg[0]) {
		size_t n = strlen(err->msg);

		if (n && err->msg[n - 1] == '\n')
			err->msg[n - 1] = '\0';
	}
}

/* Calls fn on each element at depth `depth` named one of names, expanded;
 * the rest of the document is streamed through. */
typedef int (*record_fn)(void *arg, xmlNode *n, struct mc_err *err);

static int stream(const char *path, int depth, const char *const *names,
		  record_fn fn, void *arg, struct mc_err *err)
{
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_OPTS);
	int rc, i;

	if (r == NULL)
		return err_set(err, "%s: cannot read it", path);
	xmlResetLastError();
	rc = xmlTextReaderRead(r);
	while (rc == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		int hit = 0;

		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
		    xmlTextReaderDepth(r) == depth && name)
			for (i = 0; names[i]; i++)
				hit |= strcmp(name, names[i]) == 0;
		if (hit) {
			xmlNode *n = xmlTextReaderExpand(r);

			if (n == NULL)
				break;
			if (fn(arg, n, err) < 0) {
				xmlFreeTextReader(r);
				return -1;
			}
			rc = xmlTextReaderNext(r);
		} else {
			rc = xmlTextReaderRead(r);
		}
	}
	if (rc != 0) {
		xml_error(err, path, r);
		xmlFreeTextReader(r);
		return -1;
	}
	xmlFreeTextReader(r);
	return 0;
}

/* Disqus: <thread dsq:id> elements (link, title) first, then <post
 * dsq:id> elements naming their thread and parent by dsq:id. */
struct disqus {
	struct import *im;
	struct smap ids;              /* thread dsq:id -> index + 1 */
	struct strlist links, titles; /* the threads seen */
};

static int disqus_thread(struct disqus *d, xmlNode *n)
{
	char *id = attr_id(n), *link = child_text(n, "link"),
	     *title = child_text(n, "title");
	int added;
	struct smap_ent *e = smap_get(&d->ids, id, &added);

	if (added) { /* a thread given twice keeps its first link */
		e->val = (int64_t)d->links.n + 1;
		strlist_add(&d->links, link);
		strlist_add(&d->titles, title);
	}
	free(id);
	free(link);
	free(title);
	return 0;
}

static size_t disqus_find(const struct disqus *d, const char *id)
{
	struct smap_ent *e = smap_find(&d->ids, id);

	return e ? (size_t)(e->val - 1) : (size_t)-1;
}

static int disqus_post(struct disqus *d, xmlNode *n, struct mc_err *err)
{
	xmlNode *author = child(n, "author");
	char *id = attr_id(n), *thread = attr_id(child(n, "thread")),
	     *parent = attr_id(child(n, "parent")),
	     *msg = child_text(n, "message"),
	     *date = child_text(n, "createdAt"),
	     *deleted = child_text(n, "isDeleted"),
	     *spam = child_text(n, "isSpam"),
	     *name = child_text(author, "name"),
	     *email = child_text(author, "email");
	size_t t = disqus_find(d, thread);
	char *nowhere = xasprintf("(Disqus thread %s, not in the file)", thread);
	struct import_rec r = { 0 };
	int rc;

	/* a thread not in the file (threads come first in an export) is
	 * named so that it matches no article and reads well in the report */
	r.thread_url = t == (size_t)-1 ? nowhere : d->links.v[t];
	r.thread_title = t == (size_t)-1 ? NULL : d->titles.v[t];
	r.source_id = id;
	r.parent_id = parent[0] ? parent : NULL;
	r.author_name = name;
	r.author_address = email[0] ? email : NULL;
	r.created_at = import_parse_date(date);
	r.status = is_true(spam) ? IMPORT_SPAM
		 : is_true(deleted) ? IMPORT_DELETED : IMPORT_APPROVED;
	r.body = msg;
	r.body_is_html = 1;
	rc = import_add(d->im, &r, err);
	free(nowhere);
	free(id);
	free(thread);
	free(parent);
	free(msg);
	free(date);
	free(deleted);
	free(spam);
	free(name);
	free(email);
	return rc;
}

static int disqus_record(void *arg, xmlNode *n, struct mc_err *err)
{
	struct disqus *d = arg;

	if (strcmp((const char *)n->name, "thread") == 0)
		return disqus_thread(d, n);
	return disqus_post(d, n, err);
}

int import_read_disqus(struct import *im, const char *path,
		       struct mc_err *err)
{
	static const char *const names[] = { "thread", "post", NULL };
	struct disqus d = { im, { 0 }, { 0 }, { 0 } };
	int rc = stream(path, 1, names, disqus_record, &d, err);

	smap_free(&d.ids);
	strlist_free(&d.links);
	strlist_free(&d.titles);
	return rc;
}

/* WordPress: <channel><item> per post, its <link> and <title>, and its
 * <wp:comment>s.  WordPress stores a comment's text with its newlines
 * meaning paragraphs and lines (wpautop at display): they are made
 * <p> and <br> before the HTML is read. */
struct wxr {
	struct import *im;
	int pingbacks;
};

static char *wp_autop(const char *s)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "<p>");
	for (; *s; s++) {
		if (s[0] == '\n' && s[1] == '\n') {
			buf_adds(&b, "</p>\n<p>");
			while (s[1] == '\n')
				s++;
		} else if (s[0] == '\n') {
			buf_adds(&b, "<br>\n");
		} else if (s[0] != '\r') {
			buf_addc(&b, s[0]);
		}
	}
	buf_adds(&b, "</p>");
	return buf_detach(&b);
}

static enum import_status wp_status(const char *approved, int *skip)
{
	*skip = 0;
	if (strcmp(approved, "1") == 0 || strcmp(approved, "approve") == 0)
		return IMPORT_APPROVED;
	if (strcmp(approved, "0") == 0 || strcmp(approved, "hold") == 0)
		return IMPORT_PENDING;
	if (strcmp(approved, "spam") == 0)
		return IMPORT_SPAM;
	if (strcmp(approved, "trash") == 0 ||
	    strcmp(approved, "post-trashed") == 0)
		return IMPORT_DELETED;
	return IMPORT_PENDING; /* unknown: a moderator decides */
}

static int wxr_comment(struct wxr *w, xmlNode *c, const char *link,
		       const char *title, struct mc_err *err)
{
	char *id = child_text(c, "comment_id"),
	     *parent = child_text(c, "comment_parent"),
	     *name = child_text(c, "comment_author"),
	     *email = child_text(c, "comment_author_email"),
	     *date = child_text(c, "comment_date_gmt"),
	     *content = child_text(c, "comment_content"),
	     *approved = child_text(c, "comment_approved"),
	     *type = child_text(c, "comment_type"), *html;
	struct import_rec r = { 0 };
	int rc = 0, skip;

	if (!w->pingbacks && (strcmp(type, "pingback") == 0 ||
			      strcmp(type, "trackback") == 0))
		goto out;
	r.thread_url = link;
	r.thread_title = title;
	r.source_id = id;
	r.parent_id = strcmp(parent, "0") == 0 ? NULL : parent;
	r.author_name = name;
	r.author_address = email[0] ? email : NULL;
	r.created_at = import_parse_date(date);
	if (r.created_at == 0 || strncmp(date, "0000", 4) == 0) {
		free(date);
		date = child_text(c, "comment_date");
		r.created_at = import_parse_date(date);
	}
	r.status = wp_status(approved, &skip);
	html = wp_autop(content);
	r.body = html;
	r.body_is_html = 1;
	rc = import_add(w->im, &r, err);
	free(html);
out:
	free(id);
	free(parent);
	free(name);
	free(email);
	free(date);
	free(content);
	free(approved);
	free(type);
	return rc;
}

static int wxr_item(void *arg, xmlNode *n, struct mc_err *err)
{
	struct wxr *w = arg;
	char *link = child_text(n, "link"), *title = child_text(n, "title");
	xmlNode *c;
	int rc = 0;

	for (c = n->children; c && rc == 0; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "comment") == 0)
			rc = wxr_comment(w, c, link, title, err);
	free(link);
	free(title);
	return rc;
}

int import_read_wordpress(struct import *im, const char *path, int pingbacks,
			  struct mc_err *err)
{
	static const char *const names[] = { "item", NULL };
	struct wxr w = { im, pingbacks };

	return stream(path, 2, names, wxr_item, &w, err);
}
