/* render_json.c: an article's comments as JSON (OUT/SLUG.json), for
 * sites that build their comment section themselves: every comment with
 * its parent, its body as HTML and as text, and the addresses to reply
 * by mail.  Version 1 of the format; README.md describes it. */
#include <stdlib.h>

#include "address.h"
#include "json.h"
#include "render_int.h"
#include "banned.h"

void render_json_article(const struct rctx *x, struct pub_article *a,
			 struct buf *out)
{
	struct json j;
	struct buf m, f;
	char iso[32], *addr, *name;
	const char *mailto;
	size_t i;

	json_init(&j, out, 1);
	buf_init(&m);
	buf_init(&f);
	json_obj_begin(&j);
	json_kint(&j, "version", 1);
	json_kstr(&j, "slug", a->slug);
	json_kstr(&j, "title", a->title);
	json_kstr(&j, "url", a->url);
	json_kstr(&j, "language", x->lang);
	json_kint(&j, "count", (int64_t)a->n);
	time_iso8601(a->updated, iso);
	json_kstr(&j, "updated", iso);
	addr = addr_article(x->c, a->slug);
	json_kstr(&j, "comment_address", addr);
	rd_mailto_subject(&m, addr, a->slug, x->str->subject_leave, a->title);
	json_kstr(&j, "comment_mailto", m.s);
	/* closed: the addresses stay (old pages link them) but mail to
	 * them is set aside; a site hides its "write" button */
	json_kbool(&j, "closed", a->closed);
	free(addr);
	name = xasprintf("%s.atom", a->slug);
	rd_feed_url(x, name, &f);
	json_kstr(&j, "feed", f.len ? f.s : NULL);
	free(name);
	json_key(&j, "comments");
	json_arr_begin(&j);
	for (i = 0; i < a->n; i++) {
		struct pub_comment *cm = &a->cm[i];

		json_obj_begin(&j);
		json_kint(&j, "id", cm->id);
		json_key(&j, "parent");
		if (cm->parent == RD_NONE)
			json_null(&j);
		else
			json_int(&j, a->cm[cm->parent].id);
		json_kstr(&j, "author", cm->author);
		json_kbool(&j, "moderator", cm->moderator);
		rd_iso8601(cm->created, iso);
		json_kstr(&j, "created", iso);
		rd_iso8601(cm->updated, iso);
		json_kstr(&j, "updated", iso);
		buf_reset(&m);
		rd_comment_url(&m, a->url, cm->id);
		json_kstr(&j, "url", m.s);
		mailto = rd_reply_mailto(x, a, cm);
		json_kstr(&j, "reply_address", cm->reply_addr);
		json_kstr(&j, "reply_mailto", mailto);
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
