/* fuzz_htmltext.c: libFuzzer target for HTML-only mail read as text
 * (htmltext_convert, libxml2's HTML parser underneath), then cut to its
 * new text (extract_body) as mime.c and message.c do.  The input is the
 * HTML part, made valid UTF-8 as mime.c makes it.
 *
 * Checks, each a crash when broken: the result is 0 or -1, and -1 leaves
 * the output untouched; the text is valid UTF-8 without NUL;
 * extract_body() of it is too, and no longer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract.h"
#include "htmltext.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* (controls are the renderer's to replace; a CR can come from "&#13;") */
static int text_ok(const char *s, size_t n)
{
	return utf8_valid(s, n) && !memchr(s, '\0', n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct htmltext_limits defaults = { 20000, 256, 1048576,
							 20000 };
	static const struct htmltext_limits small = { 100, 8, 1024, 100 };
	struct buf in, out;
	char *body;
	size_t i;
	int rc;

	/* mime.c hands over UTF-8 (charset_to_utf8; libxml2 would copy an
	 * invalid byte through) with LF line endings */
	buf_init(&in);
	utf8_repair(&in, (const char *)data, size);
	for (i = 0; i < in.len; i++)
		if (in.s[i] == '\r')
			in.s[i] = '\n';
	buf_init(&out);
	buf_adds(&out, "kept");
	/* the default limits, as mime.c passes them; odd inputs also run
	 * under small ones, so that the cuts are exercised */
	rc = htmltext_convert(in.s, in.len, size % 2 ? &small : &defaults,
			      &out);
	if (rc != 0 && rc != 1 && rc != -1)
		check_fail("htmltext_convert", "returned neither 0, 1 nor -1",
			   in.s, in.len);
	if (rc < 0 && strcmp(out.s, "kept") != 0)
		check_fail("htmltext_convert", "failed but wrote", out.s,
			   out.len);
	if (!text_ok(out.s + 4, out.len - 4))
		check_fail("htmltext_convert", "invalid UTF-8 or NUL",
			   out.s, out.len);
	body = extract_body(out.s + 4, out.len - 4);
	if (!text_ok(body, strlen(body)) || strlen(body) > out.len - 4)
		check_fail("extract_body", "invalid UTF-8, NUL, or "
					   "longer than its input",
			   body, strlen(body));
	free(body);
	buf_free(&in);
	buf_free(&out);
	return 0;
}
