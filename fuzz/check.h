/* check.h: independent checkers of what mailcomments publishes, for the
 * fuzz targets (fuzz/fuzz_*.c) and their unit test (test_fuzzcheck).
 * They share no code with the renderer: each is written from the
 * published rules (markup.h, html.h, json.h, the built-in templates), so
 * a renderer bug cannot hide behind a checker that has it too.
 *
 * Every checker returns 0 when the text obeys the rules, or -1 with why
 * (CHECK_WHY bytes) saying what is wrong and at which byte.  The fuzz
 * targets turn -1 into a crash with check_fail(). */
#ifndef MC_CHECK_H
#define MC_CHECK_H

#include <stddef.h>

#define CHECK_WHY 256

enum check_html_mode {
	/* One comment body as markup_body() writes it: only p, strong, em,
	 * code, blockquote, ul, ol (start), li, pre, hr, br and a (href and
	 * rel="nofollow ugc noopener", both required); block structure a
	 * browser keeps as it is (no block inside p, only li in lists, no
	 * link inside a link, nothing but whitespace text outside blocks). */
	CHECK_BODY,
	/* A comment section from the built-in templates (section.html,
	 * comment.html): their elements and attributes only, and inside each
	 * <div class="mc-body"> the CHECK_BODY rules. */
	CHECK_SECTION,
};

/* HTML, everywhere: valid UTF-8 with no C0 control but tab, LF and CR,
 * no DEL, U+FFFE or U+FFFF; every '<' starts an allowed tag written as
 * the renderer writes it (lowercase, attributes name="value", always
 * double-quoted, each at most once); '>' never in text or values; '&'
 * only as &amp; &lt; &gt; &quot; &#39;; every href, once its entities
 * are decoded, starts with http://, https:// or mailto: (any case; in a
 * section outside the bodies also '#') and holds no byte <= 0x20, DEL
 * or backslash; elements balanced and void elements never closed. */
int check_html(const char *s, size_t n, enum check_html_mode mode,
	       char why[CHECK_WHY]);

/* Called by check_json() for each string value (not keys): key is its
 * member name (NULL inside an array), v[0..len) the decoded value (UTF-8,
 * NUL-terminated).  Returns 0, or -1 with why filled to fail the check. */
typedef int (*check_json_fn)(void *arg, const char *key, const char *v,
			     size_t len, char why[CHECK_WHY]);

/* Strict JSON (RFC 8259): one value, nothing after it but whitespace;
 * strings valid UTF-8 with no raw control character, escapes well formed
 * and \u surrogates paired; no duplicate key in an object; nesting at
 * most 64 deep.  And what json.h promises beyond JSON: no raw '<', '>',
 * '&', U+2028 or U+2029 anywhere (safe inside <script>).  fn may be
 * NULL. */
int check_json(const char *s, size_t n, check_json_fn fn, void *arg,
	       char why[CHECK_WHY]);

/* An Atom feed (RFC 4287) as render_atom.c writes it: well-formed XML for
 * libxml2 (no recovery, no DTD, no network), root <feed> in the Atom
 * namespace, dates RFC 3339 UTC, every <entry> with id, title, updated,
 * author/name and a <content type="html"> that check_html(CHECK_BODY)
 * accepts. */
int check_atom(const char *s, size_t n, char why[CHECK_WHY]);

/* Plain text: valid UTF-8, no NUL, DEL, or C0 control other than those
 * in allowed (e.g. "\t\n"; may be ""). */
int check_text(const char *s, size_t n, const char *allowed,
	       char why[CHECK_WHY]);

/* What html.h says escaping and cleaning keep of s[0..n): each invalid
 * UTF-8 byte, C0 control other than tab, LF and CR, DEL, U+FFFE and
 * U+FFFF becomes U+FFFD; with one_line, tab, LF and CR become spaces.
 * A new string (caller frees), its length in *outlen. */
char *check_clean(const char *s, size_t n, int one_line, size_t *outlen);

/* Prints what failed, why, and the text (escaped), then aborts: a crash
 * that libFuzzer keeps as an artifact. */
void check_fail(const char *what, const char *why, const char *s, size_t n)
	__attribute__((noreturn));

/* The entity decoding of check_html's rules (the five entities above and
 * numeric references) into a new string; NULL for any other '&'.
 * Caller frees. */
char *check_unescape(const char *s, size_t n, size_t *outlen);

/* The text of HTML that check_html accepted: tags removed, entities
 * decoded; hrefs are appended, one per line, to *hrefs when it is not
 * NULL.  Caller frees both. */
char *check_html_text(const char *s, size_t n, char **hrefs);

#endif
