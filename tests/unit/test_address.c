/* test_address.c: the gateway's plus-addresses and subject tags. */
#include "testutil.h"

#include "address.h"
#include "conf.h"

static struct conf c;

static int setup(void **state)
{
	(void)state;
	conf_defaults(&c);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	conf_free(&c);
	return 0;
}

static void test_slugs(void **state)
{
	(void)state;
	assert_true(slug_valid("a"));
	assert_true(slug_valid("2024/panne-mondiale"));
	assert_true(slug_valid("en/2024/rust-in-the-kernel"));
	assert_false(slug_valid(""));
	assert_false(slug_valid("/a"));
	assert_false(slug_valid("a/"));
	assert_false(slug_valid("a//b"));
	assert_false(slug_valid("a/../b"));
	assert_false(slug_valid(".."));
	assert_false(slug_valid("Caps"));
	assert_false(slug_valid("a_b"));
	assert_false(slug_valid("a.b"));
	assert_false(slug_valid("a b"));
	assert_false(slug_valid("é"));
}

static void test_classify(void **state)
{
	struct addr_target t;

	(void)state;
	addr_classify(&c, "comments+2024/panne@example.org", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_string_equal(t.slug, "2024/panne");
	addr_classify(&c, "Comments+2024/Panne@EXAMPLE.ORG", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_string_equal(t.slug, "2024/panne");
	addr_classify(&c, "comments+2024/panne.12@example.org", &t);
	assert_int_equal(t.kind, ADDR_REPLY);
	assert_int_equal(t.parent, 12);
	addr_classify(&c, "comments+m_abcdefghijklmnop2345@example.org", &t);
	assert_int_equal(t.kind, ADDR_TOKEN);
	assert_int_equal(t.purpose, 'm');
	assert_string_equal(t.token, "abcdefghijklmnop2345");
	addr_classify(&c, "comments@example.org", &t);
	assert_int_equal(t.kind, ADDR_GATEWAY);
	addr_classify(&c, "commentsX@example.org", &t);
	assert_int_equal(t.kind, ADDR_OTHER);
	addr_classify(&c, "comments+a@other.org", &t);
	assert_int_equal(t.kind, ADDR_OTHER);
	addr_classify(&c, "alice@example.net", &t);
	assert_int_equal(t.kind, ADDR_OTHER);
}

static void test_malformed_extensions(void **state)
{
	static const char *const bad[] = {
		"comments+@example.org",
		"comments+../etc@example.org",
		"comments+a.0@example.org",
		"comments+a.01@example.org",
		"comments+a.-1@example.org",
		"comments+a.1x@example.org",
		"comments+x_abcdefghijklmnop@example.org",
		"comments+m_short@example.org",
		"comments+m_abcdefghijklmnop!@example.org",
		"comments+/a@example.org",
	};
	struct addr_target t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		addr_classify(&c, bad[i], &t);
		if (t.kind != ADDR_INVALID)
			fail_msg("%s: kind %d", bad[i], t.kind);
	}
}

static void test_subject_tags(void **state)
{
	struct addr_target t;

	(void)state;
	assert_true(addr_subject_tag("Re: [2024/panne] bravo", &t));
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_string_equal(t.slug, "2024/panne");
	assert_true(addr_subject_tag("[notes#7] answer", &t));
	assert_int_equal(t.kind, ADDR_REPLY);
	assert_int_equal(t.parent, 7);
	assert_true(addr_subject_tag("[Not a Slug] and [ok]", &t));
	assert_string_equal(t.slug, "ok");
	assert_false(addr_subject_tag("[a.5]", &t));
	assert_false(addr_subject_tag("no tag", &t));
	assert_false(addr_subject_tag("[unclosed", &t));
}

static void test_build(void **state)
{
	char *a;

	(void)state;
	a = addr_article(&c, "2024/panne");
	assert_string_equal(a, "comments+2024/panne@example.org");
	free(a);
	a = addr_reply(&c, "x", 42);
	assert_string_equal(a, "comments+x.42@example.org");
	free(a);
	a = addr_token(&c, 'u', "abc");
	assert_string_equal(a, "comments+u_abc@example.org");
	free(a);
	assert_string_equal(addr_domain(&c), "example.org");
}

static void test_separator(void **state)
{
	struct addr_target t;
	char *a;

	(void)state;
	free(c.address_separator);
	c.address_separator = xstrdup("-");
	a = addr_reply(&c, "x", 3);
	assert_string_equal(a, "comments-x.3@example.org");
	addr_classify(&c, a, &t);
	assert_int_equal(t.kind, ADDR_REPLY);
	free(a);
}

static void test_matches(void **state)
{
	(void)state;
	assert_true(addr_matches("a@b.org", "A@B.ORG"));
	assert_true(addr_matches("@b.org", "x@B.org"));
	assert_false(addr_matches("@b.org", "x@sub.b.org"));
	assert_false(addr_matches("a@b.org", "aa@b.org"));
}

/* A comment number beyond int64 is malformed, not read as INT64_MAX
 * (found by fuzz/fuzz_address.c). */
static void test_number_out_of_range(void **state)
{
	struct addr_target t;

	(void)state;
	addr_classify(&c, "comments+a.9223372036854775807@example.org", &t);
	assert_int_equal(t.kind, ADDR_REPLY);
	assert_int_equal(t.parent, INT64_MAX);
	addr_classify(&c, "comments+a.9223372036854775808@example.org", &t);
	assert_int_equal(t.kind, ADDR_INVALID);
	addr_classify(&c, "comments+a.99999999999999999999@example.org", &t);
	assert_int_equal(t.kind, ADDR_INVALID);
	assert_false(addr_subject_tag("Re: [a#99999999999999999999]", &t));
	assert_true(addr_subject_tag("[a#99999999999999999999] [b#2]", &t));
	assert_string_equal(t.slug, "b");
	assert_int_equal(t.parent, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_slugs), T(test_classify), T(test_malformed_extensions),
		T(test_subject_tags), T(test_build), T(test_separator),
		T(test_matches), T(test_number_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
