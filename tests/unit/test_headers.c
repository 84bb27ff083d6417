/* test_headers.c: the header block, unfolding, address lists (display
 * names, groups, comments, broken forms), message-ids and dates. */
#include "testutil.h"

#include "headers.h"
#include "util.h"

static void test_block(void **state)
{
	const char *raw = "From x@y Mon Jul 29 10:00:00 2024\n"
			  "Subject: one\r\n two\r\n"
			  "X-Empty:\n"
			  "Odd-Name : v\n"
			  "\n"
			  "body: not a header\n";
	struct hdr_field *f;
	size_t n, body = hdr_parse_block(raw, strlen(raw), &f, &n);
	char *v;

	(void)state;
	assert_int_equal(n, 3);
	assert_string_equal(raw + body, "body: not a header\n");
	assert_int_equal(f[0].name_len, 7);
	assert_memory_equal(raw + f[0].name, "Subject", 7);
	v = hdr_unfold(raw + f[0].value, f[0].value_end - f[0].value);
	assert_string_equal(v, "one two");
	free(v);
	assert_int_equal(f[0].length, strlen("Subject: one two"));
	assert_int_equal(f[1].value, f[1].value_end);
	assert_memory_equal(raw + f[2].name, "Odd-Name", 8);
	free(f);

	/* blank or whitespace-only lines before the first field are
	 * skipped (a file saved with an empty first line), with and
	 * without an mbox "From " line; before no field they are the
	 * empty line that ends an empty header block */
	raw = "\n \t\r\n\nFrom: a@b\nSubject: s\n\nbody\n";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(raw + f[0].name, "From", 4);
	assert_string_equal(raw + body, "body\n");
	free(f);
	raw = "From x@y Mon Jul 29 10:00:00 2024\n\nFrom: a@b\n\nbody\n";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 1);
	assert_string_equal(raw + body, "body\n");
	free(f);
	raw = "\n  \nhello there: no header\nbut text";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 0);
	assert_int_equal(body, 1);
	free(f);
	raw = "\n\nplain text\n";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 0);
	assert_int_equal(body, 1);
	free(f);
	raw = " \t ";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 0);
	free(f);

	/* a line that is no header ends the block; so does the end */
	raw = "From: a@b\nnot a header line\nTo: c@d\n\nx";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 1);
	assert_string_equal(raw + body, "not a header line\nTo: c@d\n\nx");
	free(f);
	raw = "From: a@b";
	body = hdr_parse_block(raw, strlen(raw), &f, &n);
	assert_int_equal(n, 1);
	assert_int_equal(body, strlen(raw));
	free(f);
	body = hdr_parse_block("", 0, &f, &n);
	assert_int_equal(n, 0);
	assert_int_equal(body, 0);
	free(f);
}

static void expect_boxes(const char *v, const char *const *want)
{
	struct hdr_mailbox *b = NULL;
	size_t n = 0, i;

	hdr_parse_addresses(v, &b, &n);
	for (i = 0; want[2 * i]; i++) {
		if (i >= n)
			fail_msg("%s: only %zu mailboxes", v, n);
		assert_string_equal(b[i].name, want[2 * i]);
		assert_string_equal(b[i].addr, want[2 * i + 1]);
	}
	assert_int_equal(n, i);
	hdr_mailboxes_free(b, n);
}

static void test_addresses(void **state)
{
	(void)state;
	expect_boxes("Jean Dupont <Jean.Dupont@Example.FR>",
		     (const char *[]){ "Jean Dupont", "Jean.Dupont@Example.FR",
				       NULL });
	expect_boxes("jean@example.fr",
		     (const char *[]){ "", "jean@example.fr", NULL });
	expect_boxes("<jean@example.fr>",
		     (const char *[]){ "", "jean@example.fr", NULL });
	expect_boxes("\"Dupont, Jean\" <j@x.fr>, b@y.org",
		     (const char *[]){ "Dupont, Jean", "j@x.fr", "", "b@y.org",
				       NULL });
	expect_boxes("\"say \\\"hi\\\"\" <j@x.fr>",
		     (const char *[]){ "say \"hi\"", "j@x.fr", NULL });
	/* RFC 822's "addr (Name)": the comment is the name, as Python's
	 * parseaddr reads it; before a bare address only encoded words or
	 * a quoted string are a name */
	expect_boxes("jean@example.fr (Jean (the) Dupont)",
		     (const char *[]){ "Jean the Dupont", "jean@example.fr",
				       NULL });
	expect_boxes("<jean@example.fr> (Jean)",
		     (const char *[]){ "Jean", "jean@example.fr", NULL });
	expect_boxes("Jean <jean@example.fr> (Jean the second)",
		     (const char *[]){ "Jean", "jean@example.fr", NULL });
	expect_boxes("=?gb2312?B?1cXI/Q==?= zhang@example.cn",
		     (const char *[]){ "=?gb2312?B?1cXI/Q==?=",
				       "zhang@example.cn", NULL });
	expect_boxes("=?utf-8?q?A?= =?utf-8?q?B?= ab@example.cn, x@y.z",
		     (const char *[]){ "=?utf-8?q?A?= =?utf-8?q?B?=",
				       "ab@example.cn", "", "x@y.z", NULL });
	expect_boxes("\"Zhang San\" zhang@example.cn",
		     (const char *[]){ "\"Zhang San\"", "zhang@example.cn",
				       NULL });
	expect_boxes("bob smith@example.net",
		     (const char *[]){ "", "smith@example.net", NULL });
	expect_boxes("=?utf-8?q?A?= bob smith@example.net",
		     (const char *[]){ "", "smith@example.net", NULL });
	expect_boxes("=?utf-8?q?J=C3=A9r=C3=B4me?= <j@x.fr>",
		     (const char *[]){ "=?utf-8?q?J=C3=A9r=C3=B4me?=", "j@x.fr",
				       NULL });
	expect_boxes("Team: a@b.c, \"C\" <c@d.e>;, f@g.h",
		     (const char *[]){ "", "a@b.c", "C", "c@d.e", "", "f@g.h",
				       NULL });
	expect_boxes("undisclosed-recipients:;", (const char *[]){ NULL });
	expect_boxes("Jean Dupont", (const char *[]){ NULL });
	expect_boxes("a@b.c,,;, c@d.e",
		     (const char *[]){ "", "a@b.c", "", "c@d.e", NULL });
	expect_boxes("Jean <jean@example.fr",
		     (const char *[]){ "Jean", "jean@example.fr", NULL });
	expect_boxes("<@relay.org:j@x.fr>",
		     (const char *[]){ "", "j@x.fr", NULL });
	expect_boxes("j@[IPv6:::1], k@x",
		     (const char *[]){ "", "j@[IPv6:::1]", "", "k@x", NULL });
	expect_boxes("", (const char *[]){ NULL });
	expect_boxes("<>", (const char *[]){ NULL });
}

static void collect(void *ctx, const char *id)
{
	struct buf *b = ctx;

	buf_addf(b, "[%s]", id);
}

static void expect_ids(const char *v, const char *want)
{
	struct buf b;

	buf_init(&b);
	hdr_parse_msgids(v, collect, &b);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

static void test_msgids(void **state)
{
	(void)state;
	expect_ids("<a@b>", "[a@b]");
	expect_ids(" <a@b>\r\n\t<c@d> (comment <x@y>) <e@f>", "[a@b][c@d][e@f]");
	expect_ids("Your message of Monday <a@b>", "[a@b]");
	expect_ids("bare@id.org", "[bare@id.org]");
	expect_ids("no id here", "");
	expect_ids("<a @ b>", "[a@b]");
	expect_ids("<unclosed@x", "[unclosed@x]");
	expect_ids("<>", "");
}

static void expect_date(const char *v, const char *want)
{
	int64_t t;
	char iso[32];

	if (want == NULL) {
		if (hdr_parse_date(v, &t) == 0)
			fail_msg("\"%s\" parsed as %lld", v, (long long)t);
		return;
	}
	if (hdr_parse_date(v, &t) != 0)
		fail_msg("\"%s\" not parsed", v);
	time_iso8601(t, iso);
	assert_string_equal(iso, want);
}

static void test_dates(void **state)
{
	(void)state;
	expect_date("Mon, 29 Jul 2024 10:00:00 +0200", "2024-07-29T08:00:00Z");
	expect_date("29 Jul 2024 10:00:00 -0430", "2024-07-29T14:30:00Z");
	expect_date("Mon, 29 Jul 2024 10:00:00 GMT", "2024-07-29T10:00:00Z");
	expect_date("Mon, 29 Jul 2024 10:00:00 UT", "2024-07-29T10:00:00Z");
	expect_date("Mon, 29 Jul 2024 10:00:00 EDT", "2024-07-29T14:00:00Z");
	expect_date("Mon, 29 Jul 2024 10:00:00 +0200 (CEST)",
		    "2024-07-29T08:00:00Z");
	expect_date("Mon, 29 Jul 2024 10:00 +0200", "2024-07-29T08:00:00Z");
	expect_date("Mon, 29 Jul 24 10:00:00 +0000", "2024-07-29T10:00:00Z");
	expect_date("Thu, 1 Jan 98 00:00:00 +0000", "1998-01-01T00:00:00Z");
	expect_date("Monday, 29 July 2024 10:00:00 +0200",
		    "2024-07-29T08:00:00Z");
	expect_date("Mon,29 Jul 2024 10:00:00 +0200", "2024-07-29T08:00:00Z");
	expect_date("Mon, 29 Jul 2024 10:00:00", "2024-07-29T10:00:00Z");
	expect_date("Thu, 29 Feb 2024 23:59:60 +0000", "2024-02-29T23:59:59Z");
	expect_date("Mon, 31 Dec 2029 23:00:00 -0100", "2030-01-01T00:00:00Z");
	expect_date("yesterday", NULL);
	expect_date("", NULL);
	expect_date("Mon, 31 Feb 2024 10:00:00 +0200", NULL);
	expect_date("Mon, 29 Feb 2023 10:00:00 +0200", NULL);
	expect_date("Mon, 29 Jul 2024 25:00:00 +0200", NULL);
	expect_date("Mon, 29 Jul 2024 10:00:00 +9999", NULL);
	expect_date("Mon, 29 Foo 2024 10:00:00 +0200", NULL);
	expect_date("2024-07-29T10:00:00Z", NULL);
	expect_date("Mon, 29 Jul 99999 10:00:00 +0200", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_msgids),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
