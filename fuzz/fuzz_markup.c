/* fuzz_markup.c: libFuzzer target for what a reader's text becomes on a
 * page: comment bodies (markup_body, both formats), names and titles
 * (html_escape, html_clean), mailto: links (html_mailto) and link
 * targets (html_url_allowed).
 *
 * Input: one flag byte (bit 0: French mask), then NUL-separated fields:
 * body, name, address, subject, url.
 *
 * Checks, each a crash when broken:
 * - both renderings of the body pass the allow-list of check_html
 *   (CHECK_BODY);
 * - no mail address is left in their text or in any href but the
 *   gateway's own public addresses (the ones render.c keeps);
 * - html_escape(name) decodes back to the name as check_clean() says,
 *   html_clean() gives exactly check_clean();
 * - html_mailto() is "mailto:" and URI characters only, its address and
 *   subject percent-decode back to what was given (the subject cleaned
 *   to one line), and it is an href the allow-list accepts;
 * - a URL html_url_allowed() accepts is an href the allow-list accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "check.h"
#include "conf.h"
#include "html.h"
#include "input.h"
#include "markup.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct conf conf;

/* render.c's rule: the gateway's mailbox, article and reply addresses are
 * public; token addresses and everything else are masked. */
static int keep_gateway(const char *addr, void *arg)
{
	struct addr_target t;

	(void)arg;
	addr_classify(&conf, addr, &t);
	return t.kind == ADDR_GATEWAY || t.kind == ADDR_ARTICLE ||
	       t.kind == ADDR_REPLY;
}

static void must(int rc, const char *what, const char *why, const char *s,
		 size_t n)
{
	if (rc < 0)
		check_fail(what, why, s, n);
}

/* No address but the gateway's in the text or the hrefs of html.  An
 * "address" around a mask is not one the reader wrote: the masker saw
 * the address inside it first ("x a@b.example y"@c.example), and the
 * rest of the quoted local part is no address on its own. */
static void no_address(const char *what, const struct buf *html,
		       const char *mask)
{
	char *hrefs, *text = check_html_text(html->s, html->len, &hrefs);
	struct html_span *spans = NULL;
	size_t n = strlen(text), k, nspans;
	char why[CHECK_WHY];
	const char *p, *nl;

	/* the detector the masker uses: NFKC, invisible characters dropped */
	nspans = html_find_addresses(text, n, &spans);
	for (k = 0; k < nspans; k++) {
		char *a = xstrndup(text + spans[k].start, spans[k].len);

		if (!keep_gateway(a, NULL) && strstr(a, mask) == NULL) {
			snprintf(why, sizeof(why), "address \"%s\" published",
				 a);
			check_fail(what, why, html->s, html->len);
		}
		free(a);
	}
	free(spans);
	for (p = hrefs; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if (html_has_address(p, (size_t)(nl - p), keep_gateway, NULL)) {
			snprintf(why, sizeof(why), "address in href \"%.*s\"",
				 (int)(nl - p), p);
			check_fail(what, why, html->s, html->len);
		}
	}
	free(text);
	free(hrefs);
}

static void body(const char *s, enum markup_format f, const char *mask)
{
	struct markup_opts o = { f, mask, keep_gateway, NULL };
	const char *what = f == MARKUP_TEXT ? "markup_body(text)" :
					      "markup_body(markdown)";
	char why[CHECK_WHY];
	struct buf out;

	buf_init(&out);
	markup_body(&out, s, &o);
	must(check_html(out.s, out.len, CHECK_BODY, why), what, why, out.s,
	     out.len);
	no_address(what, &out, mask);
	buf_free(&out);
}

static void name(const char *s)
{
	char why[CHECK_WHY], *want, *got;
	size_t n = strlen(s), wn, gn;
	struct buf out;
	int one;

	buf_init(&out);
	/* escaped text is valid HTML text anywhere, even in a body <p> */
	buf_adds(&out, "<p>");
	html_escape(&out, s);
	buf_adds(&out, "</p>");
	must(check_html(out.s, out.len, CHECK_BODY, why), "html_escape", why,
	     out.s, out.len);
	buf_truncate(&out, out.len - 4);
	memmove(out.s, out.s + 3, out.len - 3);
	buf_truncate(&out, out.len - 3);
	want = check_clean(s, n, 0, &wn);
	got = check_unescape(out.s, out.len, &gn);
	if (got == NULL || gn != wn || memcmp(got, want, wn) != 0)
		check_fail("html_escape", "does not decode to the text",
			   out.s, out.len);
	free(want);
	free(got);
	for (one = 0; one <= 1; one++) {
		buf_reset(&out);
		html_clean(&out, s, one);
		want = check_clean(s, n, one, &wn);
		if (out.len != wn || memcmp(out.s, want, wn) != 0)
			check_fail("html_clean", "not the cleaned text", out.s,
				   out.len);
		free(want);
	}
	buf_free(&out);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 :
				      -1;
}

/* Percent-decodes u[0..n) into out; -1 on a malformed escape or a
 * character RFC 6068 would need escaped. */
static int pct_decode(const char *u, size_t n, const char *keep,
		      struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = u[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return -1;
			h = hexval(u[i + 1]);
			l = hexval(u[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			buf_addc(out, (char)(h * 16 + l));
			i += 2;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(keep, c)))
			return -1;
		buf_addc(out, c);
	}
	return 0;
}

static void link_ok(const char *what, const char *url)
{
	char why[CHECK_WHY];
	struct buf p;

	buf_init(&p);
	buf_adds(&p, "<p><a href=\"");
	html_escape(&p, url);
	buf_adds(&p, "\" rel=\"nofollow ugc noopener\">x</a></p>");
	must(check_html(p.s, p.len, CHECK_BODY, why), what, why, p.s, p.len);
	buf_free(&p);
}

static void mailto(const char *addr, const char *subject)
{
	struct buf out, dec;
	const char *q, *end;
	char *want;
	size_t wn;

	buf_init(&out);
	buf_init(&dec);
	html_mailto(&out, addr, subject);
	if (strncmp(out.s, "mailto:", 7) != 0)
		check_fail("html_mailto", "no mailto:", out.s, out.len);
	q = strstr(out.s, "?subject=");
	end = q ? q : out.s + out.len;
	if (pct_decode(out.s + 7, (size_t)(end - out.s - 7), "-._~!$'*+@",
		       &dec) < 0 ||
	    strcmp(dec.s, addr) != 0)
		check_fail("html_mailto", "address part does not decode to "
					  "the address", out.s, out.len);
	if ((q == NULL) != (subject[0] == '\0'))
		check_fail("html_mailto", "?subject= wrongly present or absent",
			   out.s, out.len);
	if (q) {
		buf_reset(&dec);
		want = check_clean(subject, strlen(subject), 1, &wn);
		if (pct_decode(q + 9, strlen(q + 9), "-._~", &dec) < 0 ||
		    dec.len != wn || memcmp(dec.s, want, wn) != 0)
			check_fail("html_mailto", "subject does not decode to "
						  "the subject", out.s, out.len);
		free(want);
	}
	if (addr[0])
		link_ok("html_mailto", out.s);
	buf_free(&out);
	buf_free(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct fields f;
	const char *mask;

	if (!ready) {
		conf_defaults(&conf);
		free(conf.address_mailbox);
		conf.address_mailbox = xstrdup("comments@example.org");
		ready = 1;
	}
	if (size < 1)
		return 0;
	mask = data[0] & 1 ? "[adresse masquée]" : "[address hidden]";
	fields_split(data + 1, size - 1, 5, &f);
	body(f.v[0], MARKUP_MARKDOWN, mask);
	body(f.v[0], MARKUP_TEXT, mask);
	name(f.v[1]);
	mailto(f.v[2], f.v[3]);
	if (html_url_allowed(f.v[4]))
		link_ok("html_url_allowed", f.v[4]);
	fields_free(&f);
	return 0;
}
