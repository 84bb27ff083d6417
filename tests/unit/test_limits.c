/* test_limits.c: hostile structure.  Deep MIME nesting (multipart,
 * message/rfc822, multiparts without delimiters), many parts, long lines
 * and headers, oversized input, comment nesting that would overflow
 * libetpan's stack, the boundary that overflows its heap; and time that
 * stays linear in the size of pathological inputs.  What a mail within
 * the size limit may cost: header fields and bytes (of the message and
 * of its parts), text bytes and lines (after base64 and charset growth),
 * HTML elements and depth; a mail read only as far as its head. */
#include <time.h>

#include "msgtest.h"

static struct conf conf;

static int setup(void **state)
{
	(void)state;
	conf_defaults(&conf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	conf_free(&conf);
	return 0;
}

static struct message *parse_buf(const struct buf *b)
{
	return mt_parse_conf(b->s, b->len, &conf);
}

/* n multiparts, each inside the previous one, a text at the bottom. */
static void nested_multiparts(struct buf *b, int n)
{
	int i;

	buf_adds(b, "From: a@example.org\nContent-Type: multipart/mixed; "
		    "boundary=b0\n\n");
	for (i = 1; i < n; i++)
		buf_addf(b, "--b%d\nContent-Type: multipart/mixed; "
			    "boundary=b%d\n\n",
			 i - 1, i);
	buf_addf(b, "--b%d\nContent-Type: text/plain\n\nbottom\n", n - 1);
	for (i = n - 1; i >= 0; i--)
		buf_addf(b, "--b%d--\n", i);
}

static void test_depth_limit_exact(void **state)
{
	struct buf b;
	struct message *m;

	(void)state;
	buf_init(&b);
	nested_multiparts(&b, 20); /* the text is inside 20 multiparts */
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	assert_string_equal(m->body, "bottom");
	msg_free(m);
	buf_reset(&b);
	nested_multiparts(&b, 21);
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_INVALID);
	/* the text is below the limit: not read */
	mt_reasons(m, "mime too deep", "no usable text", NULL);
	assert_string_equal(m->body, "");
	msg_free(m);
	buf_free(&b);
}

static void test_ten_thousand_nested_multiparts(void **state)
{
	struct buf b;
	struct message *m;

	(void)state;
	buf_init(&b);
	nested_multiparts(&b, 10000);
	m = parse_buf(&b);
	mt_reasons(m, "mime too deep", "too many mime parts", "no usable text",
		   NULL);
	msg_free(m);
	/* a text before the nesting is still read, within the limits */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=top\n\n--top\nContent-Type: text/plain\n\n"
		     "First the text.\n--top\n");
	nested_multiparts(&b, 10000);
	m = parse_buf(&b);
	mt_reasons(m, "mime too deep", "too many mime parts", NULL);
	assert_string_equal(m->body, "First the text.");
	msg_free(m);
	/* 30 levels: too deep, but not too many */
	buf_reset(&b);
	nested_multiparts(&b, 30);
	m = parse_buf(&b);
	mt_reasons(m, "mime too deep", "no usable text", NULL);
	msg_free(m);
	buf_free(&b);
}

static void test_nested_messages_and_no_delimiters(void **state)
{
	struct buf b;
	struct message *m;
	int i;

	(void)state;
	/* message/rfc822 inside message/rfc822 ... */
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: message/rfc822\n\n");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "From: b@example.org\nContent-Type: "
			     "message/rfc822\n\n");
	buf_adds(&b, "\nhello\n");
	m = parse_buf(&b);
	mt_reasons(m, "mime too deep", "too many mime parts", "no usable text",
		   NULL);
	msg_free(m);
	/* multiparts whose content has no delimiter at all: libetpan
	 * takes the whole content as one part, headers included, and
	 * goes down again */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=x\n\n");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "Content-Type: multipart/mixed; boundary=x\n\n");
	buf_adds(&b, "hello\n");
	m = parse_buf(&b);
	mt_reasons(m, "mime too deep", "too many mime parts", "no usable text",
		   NULL);
	msg_free(m);
	/* a digest's parts are messages by default */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/digest; "
		     "boundary=d\n\n--d\n\nFrom: c@example.org\n\ndigest text\n"
		     "--d--\n");
	m = parse_buf(&b);
	assert_string_equal(m->body, "digest text");
	msg_free(m);
	buf_free(&b);
}

static void test_many_parts(void **state)
{
	struct buf b;
	struct message *m;
	int i;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=p\n\n");
	for (i = 0; i < 199; i++) /* 199 parts and their multipart: 200 */
		buf_addf(&b, "--p\nContent-Type: text/plain\n\npart %d\n", i);
	buf_adds(&b, "--p--\n");
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	assert_string_equal(m->body, "part 0");
	msg_free(m);
	buf_truncate(&b, b.len - 6);
	buf_adds(&b, "--p\n\none more\n--p--\n");
	m = parse_buf(&b);
	mt_reasons(m, "too many mime parts", NULL);
	msg_free(m);
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=p\n\n");
	for (i = 0; i < 500000; i++)
		buf_adds(&b, "--p\n\nx\n");
	m = parse_buf(&b);
	mt_reasons(m, "too many mime parts", NULL);
	msg_free(m);
	buf_free(&b);
}

static void test_long_line_and_header(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\n\nshort\n");
	for (i = 0; i < 100000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\r\n"); /* exactly the limit: fine */
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	buf_truncate(&b, b.len - 2);
	buf_adds(&b, "x\n");
	m = parse_buf(&b);
	mt_reasons(m, "line too long", NULL);
	msg_free(m);

	/* a header folded over many short lines: unfolded, too long */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nX-Long: start");
	for (i = 0; i < 7000; i++)
		buf_adds(&b, "\r\n 123456789");
	buf_adds(&b, "\n\nbody\n");
	m = parse_buf(&b);
	mt_reasons(m, "header too long", NULL);
	assert_string_equal(m->from_address, "a@example.org");
	msg_free(m);
	/* the same in a part's header */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=p\n\n--p\nContent-Type: text/plain\nX-Long: s");
	for (i = 0; i < 7000; i++)
		buf_adds(&b, "\n 123456789");
	buf_adds(&b, "\n\nbody\n--p--\n");
	m = parse_buf(&b);
	mt_reasons(m, "header too long", NULL);
	msg_free(m);
	buf_free(&b);
}

static void test_too_large(void **state)
{
	size_t n = (size_t)conf.limit_message_size + 1;
	char *raw = malloc(n);
	struct message *m;

	(void)state;
	memset(raw, 'a', n);
	memcpy(raw, "From: a@example.org\n\n", 21);
	m = mt_parse_conf(raw, n, &conf);
	assert_int_equal(m->kind, MSG_INVALID);
	assert_true(strlist_has(&m->reasons, "message too large"));
	assert_string_equal(m->from_address, "a@example.org");
	msg_free(m);
	m = mt_parse_conf(raw, n - 1, &conf);
	assert_false(strlist_has(&m->reasons, "message too large"));
	msg_free(m);
	free(raw);
}

static void test_hostile_headers(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	/* a million nested comments: libetpan's parser recurses on each */
	buf_init(&b);
	buf_adds(&b, "From: ");
	for (i = 0; i < 1000000; i++)
		buf_addc(&b, '(');
	buf_adds(&b, " a@example.org\nContent-Type: multipart/mixed; boundary=q"
		     "\n\n--q\nContent-Type: text/plain (");
	for (i = 0; i < 1000000; i++)
		buf_addc(&b, '(');
	buf_adds(&b, "\n\nhi\n--q--\n");
	conf.limit_header_length = 10000000;
	conf.limit_line_length = 10000000;
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_INVALID);
	msg_free(m);
	/* parentheses hidden in an encoded word of a part's Content-Type */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=q\n\n--q\nContent-Type: text/plain; x==?us-ascii?q?");
	for (i = 0; i < 300000; i++)
		buf_adds(&b, "=28");
	buf_adds(&b, "?=\n\nhi\n--q--\n");
	m = parse_buf(&b);
	assert_string_equal(m->body, "hi");
	msg_free(m);
	/* boundary="\"": libetpan 1.9.4 copies SIZE_MAX bytes */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=\"\\\"\"\n\n--\"\nContent-Type: text/plain\n\nhi\n");
	m = parse_buf(&b);
	mt_reasons(m, "no usable text", NULL);
	msg_free(m);
	buf_free(&b);
}


/* --- what a mail within the size limit may cost --- */

static void test_header_fields(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\n");
	for (i = 1; i < 1000; i++) /* 1000 fields in all */
		buf_adds(&b, "X-H: v\n");
	buf_adds(&b, "\nbody\n");
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	assert_int_equal(m->nheaders, 1000);
	msg_free(m);
	/* one more */
	buf_truncate(&b, b.len - 6);
	buf_adds(&b, "X-H: v\n\nbody\n");
	m = parse_buf(&b);
	mt_reasons(m, "too many header fields", NULL);
	assert_string_equal(m->from_address, "a@example.org");
	msg_free(m);
	/* 3 million empty fields (10 MiB) are counted, not kept, and the
	 * body is still found after them */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\n");
	for (i = 0; i < 3000000; i++)
		buf_adds(&b, "X:\n");
	buf_adds(&b, "\nbody\n");
	m = parse_buf(&b);
	mt_reasons(m, "too many header fields", "header too large", NULL);
	assert_true(m->nheaders <= 1000);
	assert_string_equal(m->body, "body");
	msg_free(m);
	buf_free(&b);
}

static void test_header_size(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	conf.limit_header_size = 10000;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\n");
	for (i = 0; i < 99; i++) /* 20 + 99 * 100 + 1 bytes */
		buf_addf(&b, "X-H: %094d\n", 0);
	buf_adds(&b, "\nbody\n");
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\n");
	for (i = 0; i < 200; i++)
		buf_addf(&b, "X-H: %094d\n", 0);
	/* the fields past the limit are not kept: not even a From */
	buf_adds(&b, "From: late@example.org\n\nbody\n");
	m = parse_buf(&b);
	mt_reasons(m, "header too large", NULL);
	assert_string_equal(m->from_address, "a@example.org");
	assert_true(m->nheaders <= 100);
	msg_free(m);
	buf_free(&b);
}

static void test_part_headers(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	/* the fields of all part headers count together */
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: multipart/mixed; "
		     "boundary=p\n\n");
	for (i = 0; i < 3; i++) {
		size_t j;

		buf_adds(&b, "--p\nContent-Type: text/plain\n");
		for (j = 0; j < 300; j++)
			buf_adds(&b, "X: v\n");
		buf_addf(&b, "\npart %zu\n", i);
	}
	buf_adds(&b, "--p--\n");
	m = parse_buf(&b);
	assert_int_equal(m->kind, MSG_COMMENT);
	assert_string_equal(m->body, "part 0");
	msg_free(m);
	conf.limit_header_fields = 800;
	m = parse_buf(&b);
	/* scanning stopped at the third part: the first is still read */
	mt_reasons(m, "too many header fields", NULL);
	assert_string_equal(m->body, "part 0");
	msg_free(m);
	conf.limit_header_fields = 1000;
	conf.limit_header_size = 4096;
	m = parse_buf(&b);
	mt_reasons(m, "header too large", NULL);
	assert_string_equal(m->body, "part 0");
	msg_free(m);
	conf.limit_header_size = 1048576;
	/* a message inside a message: its header too */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: message/rfc822\n\n");
	for (i = 0; i < 2000; i++)
		buf_adds(&b, "X:\n");
	buf_adds(&b, "From: b@example.org\n\ninside\n");
	m = parse_buf(&b);
	mt_reasons(m, "too many header fields", "no usable text", NULL);
	msg_free(m);
	buf_free(&b);
}

/* Appends the base64 of s[0..n). */
static void b64_line(struct buf *b, const char *s, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				"qrstuvwxyz0123456789+/";
	size_t k;

	for (k = 0; k < n; k += 3) {
		unsigned v = (unsigned)(unsigned char)s[k] << 16;
		size_t r = n - k;

		v |= r > 1 ? (unsigned)(unsigned char)s[k + 1] << 8 : 0;
		v |= r > 2 ? (unsigned char)s[k + 2] : 0;
		buf_addc(b, a[v >> 18 & 63]);
		buf_addc(b, a[v >> 12 & 63]);
		buf_addc(b, r > 1 ? a[v >> 6 & 63] : '=');
		buf_addc(b, r > 2 ? a[v & 63] : '=');
	}
}

static void test_text_size(void **state)
{
	struct buf b, t;
	struct message *m;
	size_t i;

	(void)state;
	conf.limit_text_size = 2000;
	buf_init(&b);
	buf_init(&t);
	for (i = 0; i < 100; i++) /* 46 bytes a line */
		buf_addf(&t, "line %03zu of a comment that goes on and on....\n",
			 i);
	buf_adds(&b, "From: a@example.org\n\n");
	buf_add(&b, t.s, t.len);
	m = parse_buf(&b);
	mt_reasons(m, "text truncated", NULL);
	assert_int_equal(m->kind, MSG_COMMENT);
	/* cut at the last line break within 2000 bytes: 43 lines */
	assert_int_equal(strlen(m->text), 43 * 46);
	assert_true(strstr(m->text, "line 042") != NULL);
	assert_null(strstr(m->text, "line 043"));
	msg_free(m);
	/* base64: no more is decoded than that needs */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Transfer-Encoding: base64"
		     "\n\n");
	for (i = 0; i < t.len; i += 57) {
		b64_line(&b, t.s + i, t.len - i < 57 ? t.len - i : 57);
		buf_addc(&b, '\n');
	}
	m = parse_buf(&b);
	mt_reasons(m, "text truncated", NULL);
	assert_int_equal(strlen(m->text), 43 * 46);
	msg_free(m);
	/* a charset that grows: latin1 é is two bytes of UTF-8 */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: text/plain; "
		     "charset=iso-8859-1\n\n");
	for (i = 0; i < 60; i++)
		buf_adds(&b, "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9"
			     "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\n");
	m = parse_buf(&b);
	mt_reasons(m, "text truncated", NULL);
	assert_true(strlen(m->text) <= 2000);
	assert_int_equal(strlen(m->text) % 39, 0); /* whole lines */
	msg_free(m);
	/* just at the limit: nothing cut */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\n\n");
	buf_add(&b, t.s, 2000);
	m = parse_buf(&b);
	mt_reasons(m, NULL);
	msg_free(m);
	buf_free(&t);
	buf_free(&b);
}

static void test_text_lines(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	conf.limit_text_lines = 100;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\n\nA comment.\n");
	for (i = 0; i < 99; i++)
		buf_adds(&b, "\n");
	m = parse_buf(&b);
	mt_reasons(m, NULL); /* 100 lines */
	msg_free(m);
	for (i = 0; i < 1000000; i++)
		buf_adds(&b, ">\n");
	m = parse_buf(&b);
	mt_reasons(m, "text truncated", NULL);
	assert_string_equal(m->body, "A comment.");
	msg_free(m);
	buf_free(&b);
}

static void test_html_limits(void **state)
{
	struct buf b;
	struct message *m;
	size_t i;

	(void)state;
	conf.limit_html_elements = 100;
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: text/html\n\n"
		     "<p>First.</p>");
	for (i = 0; i < 1000000; i++)
		buf_adds(&b, i % 10 ? "<p>x" : "<p>x\n");
	m = parse_buf(&b);
	mt_reasons(m, "text from html", "text truncated", NULL);
	assert_true(strncmp(m->body, "First.\n\nx\n\nx", 12) == 0);
	assert_true(strlen(m->text) < 500);
	msg_free(m);
	conf.limit_html_elements = 20000;
	conf.limit_html_depth = 16;
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nContent-Type: text/html\n\n"
		     "<div>Top.</div>");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "<blockquote>deep\n");
	m = parse_buf(&b);
	mt_reasons(m, "text from html", "text truncated", NULL);
	assert_string_equal(m->body, "Top.");
	msg_free(m);
	buf_free(&b);
}

static void test_head_only(void **state)
{
	const char *head = "From: Big <big@example.org>\nMessage-ID: <big@x>\n"
			   "Subject: a big one\n\nthe start of it\n";
	struct message *m = NULL;
	struct mc_err err;

	(void)state;
	/* a source read only the first bytes of a 200 MB mail */
	assert_int_equal(msg_parse_head(head, strlen(head), 200000000, &conf,
					&m, &err), 0);
	mt_reasons(m, "message too large", NULL);
	assert_string_equal(m->from_address, "big@example.org");
	assert_string_equal(msg_key(m), "<big@x>");
	msg_free(m);
	assert_int_equal(msg_parse_head(head, strlen(head), strlen(head), &conf,
					&m, &err), 0);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
}

/* --- time --- */

typedef void (*gen_fn)(struct buf *b, size_t n);

static double run_once(gen_fn gen, size_t n)
{
	struct buf b;
	struct message *m;
	struct timespec t0, t1;

	buf_init(&b);
	gen(&b, n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	m = parse_buf(&b);
	buf_reset(&b);
	msg_to_json(m, &b);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	msg_free(m);
	buf_free(&b);
	return (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* The best of three runs, so a busy machine does not fail the test. */
static double best(gen_fn gen, size_t n)
{
	double t = run_once(gen, n), u;
	int i;

	for (i = 0; i < 2; i++)
		if ((u = run_once(gen, n)) < t)
			t = u;
	return t;
}

/* Eight times the input may take eight times as long, not 64. */
static void linear(const char *what, gen_fn gen, size_t n)
{
	double small = best(gen, n), big = best(gen, 8 * n);

	if (big > 24 * small + 0.2)
		fail_msg("%s: %.3f s for n=%zu but %.3f s for 8n", what, small,
			 n, big);
}

static void gen_headers(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\n");
	for (i = 0; i < n; i++)
		buf_adds(b, "X-H: v\n");
	buf_adds(b, "\nbody\n");
}

static void gen_words(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nSubject: ");
	for (i = 0; i < n; i++)
		buf_adds(b, i % 2 ? "=?a?b?AAAA" : "=?utf-8?q?=C3=A9?= ");
	buf_adds(b, "\n\nbody\n");
}

static void gen_addresses(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nTo: ");
	for (i = 0; i < n; i++)
		buf_addf(b, "\"x, y\" <u%zu@v>, (c(o)m) W@z,,", i);
	buf_adds(b, "\nCc: ");
	for (i = 0; i < n; i++)
		buf_addf(b, "U%zu@V, w@Z,", i);
	buf_adds(b, "\nReferences:");
	for (i = 0; i < n; i++)
		buf_adds(b, " <id@x>");
	buf_adds(b, "\n\nbody\n");
}

static void gen_dashes(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nContent-Type: multipart/mixed; "
		    "boundary=abcdef\n\n--abcdef\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, "--abcde\n-\n--\n");
	buf_adds(b, "--abcdef--\n");
}

static void gen_html(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nContent-Type: text/html\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, i % 3 ? "<div><blockquote>x<a href=u>y" :
				    "</span></p><li>");
}

static void gen_quotes(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, "> q\nOn x wrote:\na\n\n");
}

static void gen_nested(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nContent-Type: multipart/mixed; "
		    "boundary=x\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, "Content-Type: multipart/mixed; boundary=x\n\n");
}

static void gen_long_line(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, "\xC3\xA9t\xC3\xA9 ");
}

static void gen_short_lines(struct buf *b, size_t n)
{
	size_t i;

	buf_adds(b, "From: a@example.org\nContent-Type: text/plain; "
		    "format=flowed\n\n");
	for (i = 0; i < n; i++)
		buf_adds(b, i % 2 ? "y \n" : "> y\n");
}

static void gen_attrs(struct buf *b, size_t n)
{
	size_t i;

	/* one start tag of n distinct attributes: libxml2 2.9.14 compares
	 * each with all those before it */
	buf_adds(b, "From: a@example.org\nContent-Type: text/html\n\n<p");
	for (i = 0; i < n; i++)
		buf_addf(b, i % 10 ? " a%zu" : "\n a%zu", i);
	buf_adds(b, ">x\n");
}

static void test_linear_time(void **state)
{
	(void)state;
	conf.limit_header_length = 100000000;
	conf.limit_line_length = 100000000;
	conf.limit_message_size = 1000000000;
	linear("many headers", gen_headers, 20000);
	linear("encoded words", gen_words, 5000);
	linear("addresses", gen_addresses, 3000);
	linear("dashes", gen_dashes, 10000);
	linear("html", gen_html, 5000);
	linear("html attributes", gen_attrs, 5000);
	linear("quotes", gen_quotes, 10000);
	linear("nesting", gen_nested, 5000);
	linear("one long line", gen_long_line, 20000);
	linear("short lines", gen_short_lines, 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_depth_limit_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_ten_thousand_nested_multiparts, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_nested_messages_and_no_delimiters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_parts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_line_and_header,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_linear_time, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_header_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_header_size, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_part_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_text_size, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_text_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_html_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_head_only, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
