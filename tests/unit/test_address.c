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

/* comments+SLUG+follow@: a follow request, built and read back with
 * every separator the configuration allows. */
static void test_follow(void **state)
{
	static const struct {
		const char *sep, *built;
	} seps[] = {
		{ "+", "comments+2024/panne+follow@example.org" },
		{ "=", "comments=2024/panne=follow@example.org" },
		{ "_", "comments_2024/panne_follow@example.org" },
		/* '-' is a slug character: the inner separator is '+' */
		{ "-", "comments-2024/panne+follow@example.org" },
	};
	struct addr_target t;
	size_t i;
	char *a;

	(void)state;
	addr_classify(&c, "comments+2024/panne+follow@example.org", &t);
	assert_int_equal(t.kind, ADDR_FOLLOW);
	assert_string_equal(t.slug, "2024/panne");
	addr_classify(&c, "Comments+2024/Panne+FOLLOW@Example.ORG", &t);
	assert_int_equal(t.kind, ADDR_FOLLOW);
	assert_string_equal(t.slug, "2024/panne");
	/* a slug that merely ends in "follow" is an article */
	addr_classify(&c, "comments+how-to-follow@example.org", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_string_equal(t.slug, "how-to-follow");
	addr_classify(&c, "comments+unfollow@example.org", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_true(addr_is_public("comments+a+follow@example.org", &c));
	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		free(c.address_separator);
		c.address_separator = xstrdup(seps[i].sep);
		a = addr_follow(&c, "2024/panne");
		assert_string_equal(a, seps[i].built);
		addr_classify(&c, a, &t);
		assert_int_equal(t.kind, ADDR_FOLLOW);
		assert_string_equal(t.slug, "2024/panne");
		free(a);
	}
	/* with '-', "a-follow" stays the article a-follow */
	addr_classify(&c, "comments-a-follow@example.org", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
	assert_string_equal(t.slug, "a-follow");
}

static void test_follow_malformed(void **state)
{
	static const char *const bad[] = {
		"comments++follow@example.org",
		"comments+follow+follow+follow@example.org",
		"comments+a.1+follow@example.org",
		"comments+A_b+follow@example.org",
		"comments+a/+follow@example.org",
		"comments+a+follows@example.org",
		"comments+a+fol@example.org",
		"comments+a++follow@example.org",
	};
	struct addr_target t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		addr_classify(&c, bad[i], &t);
		if (t.kind != ADDR_INVALID)
			fail_msg("%s: kind %d", bad[i], t.kind);
	}
	/* "follow" alone is no request: it is the slug "follow" */
	addr_classify(&c, "comments+follow@example.org", &t);
	assert_int_equal(t.kind, ADDR_ARTICLE);
}

static void test_matches(void **state)
{
	(void)state;
	assert_true(addr_matches("a@b.org", "A@B.ORG"));
	assert_true(addr_matches("@b.org", "x@B.org"));
	assert_false(addr_matches("@b.org", "x@sub.b.org"));
	assert_false(addr_matches("a@b.org", "aa@b.org"));
}

/* Expects addr_canonical(addr, seps) to be want (NULL: refused). */
static void canon(const char *addr, const char *seps, const char *want)
{
	char *k = addr_canonical(addr, seps);

	if (want == NULL ? k != NULL : k == NULL || strcmp(k, want) != 0)
		fail_msg("%s: got %s, want %s", addr, k ? k : "(null)",
			 want ? want : "(null)");
	free(k);
}

static void test_canonical(void **state)
{
	static const char *const victim[] = {
		"victim@example.com", "victim+1@example.com",
		"\"victim\"@example.com", "victim@example.com.",
		"VICTIM@EXAMPLE.COM", "\"vic\\tim\"@Example.Com",
		"Victim+Another+Tag@example.COM.",
	};
	size_t i;

	(void)state;
	/* the probe of the issue: one mailbox, one key */
	for (i = 0; i < sizeof(victim) / sizeof(victim[0]); i++)
		canon(victim[i], "+", "victim@example.com");
	/* folding is a setting, and only the configured characters fold */
	canon("victim+1@example.com", "", "victim+1@example.com");
	canon("jean-pierre@example.com", "+", "jean-pierre@example.com");
	canon("jean-pierre@example.com", "+-", "jean@example.com");
	/* a tag is not folded where the rest would need quotes: a 64-byte
	 * local part would then pass the limit (found by fuzz_trust) */
	canon("a.+x@example.com", "+", "a.+x@example.com");
	canon("a.-b@example.com", "+-", "a.-b@example.com");
	canon("a.-b-tag@example.com", "+-", "a.-b@example.com");
	{
		char addr[80], *k;

		memset(addr, 'f', 62);
		memcpy(addr + 62, ".-@example.com", 15);
		k = addr_canonical(addr, "+-");
		assert_non_null(k);
		assert_null(addr_problem(k, 0));
		free(k);
	}
	/* a leading separator is the whole name, not a tag */
	canon("+tag@example.com", "+", "+tag@example.com");
	/* IDN: U-labels become A-labels; both spellings are one mailbox */
	canon("bob@ex\xc3\xa4mple.org", "+", "bob@xn--exmple-cua.org");
	canon("bob@EX\xc3\x84MPLE.org.", "+", "bob@xn--exmple-cua.org");
	canon("bob@xn--exmple-cua.org", "+", "bob@xn--exmple-cua.org");
	/* a quoted local part stays quoted when it must */
	canon("\"vic tim\"@example.com", "+", "\"vic tim\"@example.com");
	canon("\"a..b\"@example.com", "", "\"a..b\"@example.com");
	canon("\"a\\\"b\"@example.com", "", "\"a\\\"b\"@example.com");
	/* no key for what is no address */
	canon("root", "+", NULL);
	canon("@a.example:bob@b.example", "+", NULL);
	canon("bob@", "+", NULL);
	canon("bob@[192.0.2.1]", "+", NULL);
	canon("bob@exa_mple.com", "+", NULL);
	canon("bob@-example.com", "+", NULL);
	canon("bob@example..com", "+", NULL);
	canon("bob@example.com..", "+", NULL);
	canon("a b@example.com", "+", NULL);
	canon("a..b@example.com", "+", NULL);
	canon(".a@example.com", "+", NULL);
	canon("\"unterminated@example.com", "+", NULL);
	canon("\"a\"b@example.com", "+", NULL);
	canon("a@b@example.com", "+", NULL);
	canon("bo\x01b@example.com", "+", NULL);
	canon("bob@example.com\x7f", "+", NULL);
	canon("b\xffob@example.com", "+", NULL);
}

static void test_problems(void **state)
{
	char local[80];

	(void)state;
	assert_null(addr_problem("bob@example.net", 1));
	assert_null(addr_problem("\"bob smith\"@example.net", 1));
	assert_null(addr_problem("bob@localhost", 0));
	assert_null(addr_problem("j\xc3\xa9r\xc3\xb4me@exemple.fr", 1));
	assert_string_equal(addr_problem("", 1), "empty address");
	assert_string_equal(addr_problem("root", 1), "no domain");
	assert_string_equal(addr_problem("root@", 1), "no domain");
	assert_string_equal(addr_problem("\"root\"", 1), "no domain");
	assert_string_equal(addr_problem("@a.example:bob@b.example", 1),
			    "source route");
	assert_string_equal(addr_problem("bob@[192.0.2.1]", 1),
			    "address literal");
	assert_string_equal(addr_problem("bob@localhost", 1),
			    "domain is not fully qualified");
	assert_string_equal(addr_problem("bob@192.0.2.1", 1),
			    "domain is not fully qualified");
	assert_string_equal(addr_problem("bob@exa mple.org", 1),
			    "malformed domain");
	assert_string_equal(addr_problem("bob\r\nRCPT TO:<x@y.z>@x.org", 1),
			    "control character in the address");
	assert_string_equal(addr_problem("bob smith@example.net", 1),
			    "malformed local part");
	memset(local, 'a', 65);
	strcpy(local + 65, "@example.net");
	assert_string_equal(addr_problem(local, 1),
			    "local part longer than 64 bytes");
}

static void test_gateway(void **state)
{
	static const char *const own[] = {
		"comments@example.org", "COMMENTS@EXAMPLE.ORG",
		"comments@example.org.", "\"comments\"@example.org",
		"comments+2024/panne-mondiale.1@example.org",
		"Comments+M_abcdefghijklmnopqrstuvwxyz234567@Example.Org",
		"\"comments+2024/panne\"@example.org",
	};
	static const char *const other[] = {
		"commentsx@example.org", "comments@example.org.evil",
		"comments@other.example", "xcomments@example.org",
		"comments_x@example.org", "root",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!addr_is_gateway(&c, own[i]))
			fail_msg("%s is the gateway", own[i]);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (addr_is_gateway(&c, other[i]))
			fail_msg("%s is not the gateway", other[i]);
	/* the configured separator counts too, and the envelope sender */
	free(c.address_separator);
	c.address_separator = xstrdup("-");
	assert_true(addr_is_gateway(&c, "comments-x.1@example.org"));
	assert_true(addr_is_gateway(&c, "comments+x.1@example.org"));
	free(c.smtp_envelope_sender);
	c.smtp_envelope_sender = xstrdup("bounces@mail.example.org");
	assert_true(addr_is_gateway(&c, "Bounces+1@Mail.Example.Org"));
}

static void test_keys(void **state)
{
	char *k;

	(void)state;
	k = addr_key(&c, "Victim+1@Example.COM.");
	assert_string_equal(k, "victim@example.com");
	free(k);
	k = addr_key(&c, "Operator"); /* no address: its text, lowercase */
	assert_string_equal(k, "operator");
	free(k);
	k = addr_pattern_key(&c, "@Example.COM.");
	assert_string_equal(k, "@example.com");
	free(k);
	k = addr_pattern_key(&c, "\"Victim+x\"@example.com");
	assert_string_equal(k, "victim@example.com");
	free(k);
	assert_null(addr_pattern_key(&c, "@"));
	assert_null(addr_pattern_key(&c, "@bad domain"));
	assert_null(addr_pattern_key(&c, "nobody"));
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
		T(test_matches), T(test_canonical), T(test_problems),
		T(test_gateway), T(test_keys), T(test_number_out_of_range),
		T(test_follow), T(test_follow_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
