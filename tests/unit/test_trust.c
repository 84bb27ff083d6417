/* test_trust.c: which header fields the receiving server wrote (the
 * trusted run), and the Authentication-Results and spam verdicts read
 * from it, tried the way a forger would. */
#include "msgtest.h"

#include "trust.h"

static struct conf c;

static int setup(void **state)
{
	(void)state;
	conf_defaults(&c);
	free(c.trusted_authserv_id);
	c.trusted_authserv_id = xstrdup("mx.example.org");
	free(c.spam_header);
	c.spam_header = xstrdup("spamassassin");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	conf_free(&c);
	return 0;
}

static struct message *mail(const char *headers)
{
	char *raw = xasprintf("%sFrom: Moderator <moderator@example.org>\n"
			      "To: comments@example.org\n"
			      "Subject: approve\n\napprove\n",
			      headers);
	struct message *m = mt_parse_conf(raw, strlen(raw), &c);

	free(raw);
	return m;
}

static int dkim(const char *headers)
{
	struct message *m = mail(headers);
	int r = trust_dkim_pass(&c, m, "example.org");

	msg_free(m);
	return r;
}

/* What a Dovecot LMTP delivery of a Postfix + OpenDKIM mail looks like:
 * LMTP's Received on top, Postfix's below, OpenDKIM's result below that,
 * then the sender's own fields and their server's Received. */
#define TOP                                                                  \
	"Return-Path: <moderator@example.org>\n"                             \
	"Delivered-To: comments+m_x@example.org\n"                           \
	"Received: from mx.example.org\n"                                    \
	"\tby mx.example.org with LMTP\n"                                    \
	"\tid 8Bv0Cm2gqGZ1bQAA (envelope-from <moderator@example.org>)\n"    \
	"\tfor <comments+m_x@example.org>; Mon, 29 Jul 2024 10:00:02 +0200\n" \
	"Received: from smtp.example.org (smtp.example.org [192.0.2.7])\n"   \
	"\tby mx.example.org (Postfix) with ESMTPS id 4WXYZ\n"               \
	"\tfor <comments+m_x@example.org>; Mon, 29 Jul 2024 10:00:01 +0200\n"
#define SENDER                                                               \
	"Received: from [10.0.0.5] (laptop [10.0.0.5])\n"                    \
	"\tby smtp.example.org (Postfix) with ESMTPSA id 77AB;\n"            \
	"\tMon, 29 Jul 2024 10:00:00 +0200\n"

static void test_received_by(void **state)
{
	static const char *const cases[][2] = {
		{ "from a.example (a.example [192.0.2.1]) by MX.Example.Org. "
		  "(Postfix) with ESMTPS id 1; Mon, 29 Jul 2024 10:00:00 +0000",
		  "mx.example.org" },
		{ "by mx.example.org with LMTP; date", "mx.example.org" },
		/* comments, including one that says "by", are skipped */
		{ "from x (helo by evil.example) by localhost (mx.example.org "
		  "[127.0.0.1]) (amavisd-new, port 10024); date",
		  "localhost" },
		/* a HELO named "by" is the from host, not the by clause */
		{ "from by by evil.example with SMTP; date", "evil.example" },
		{ "from a.example with SMTP; by mx.example.org", NULL },
		{ "", NULL },
		{ "(by mx.example.org)", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = trust_received_by(cases[i][0]);

		if (cases[i][1] == NULL ? h != NULL :
					  h == NULL || strcmp(h, cases[i][1]))
			fail_msg("%s: got %s", cases[i][0], h ? h : "(none)");
		free(h);
	}
}

static void test_run(void **state)
{
	struct message *m;

	(void)state;
	/* no Received at all: a local drop, every field counts */
	m = mail("X-A: 1\n");
	assert_int_equal(trust_run(&c, m), m->nheaders);
	msg_free(m);
	/* the run stops at the sender's server's Received */
	m = mail(TOP "X-A: 1\n" SENDER);
	assert_int_equal(trust_run(&c, m), 5);
	assert_string_equal(m->headers[5].name, "Received");
	msg_free(m);
	/* nothing trusted configured: only what is above the first Received */
	free(c.trusted_authserv_id);
	c.trusted_authserv_id = xstrdup("");
	m = mail(TOP);
	assert_int_equal(trust_run(&c, m), 2);
	msg_free(m);
	/* trusted_hosts replaces the authserv-id: amavis writes "by
	 * localhost" */
	strlist_add(&c.trusted_hosts, "localhost");
	m = mail("Received: from x by localhost (amavisd-new); d\n" TOP);
	assert_int_equal(trust_run(&c, m), 3); /* up to LMTP's Received */
	strlist_add(&c.trusted_hosts, "mx.example.org");
	msg_free(m);
	m = mail("Received: from x by localhost (amavisd-new); d\n" TOP);
	assert_int_equal(trust_run(&c, m), m->nheaders);
	msg_free(m);
}

static void test_authserv_id(void **state)
{
	(void)state;
	assert_true(trust_ar_from("mx.example.org; dkim=pass", "mx.example.org"));
	assert_true(trust_ar_from("MX.Example.ORG.; none", "mx.example.org"));
	assert_true(trust_ar_from("mx.example.org 1; spf=pass", "mx.example.org"));
	assert_true(trust_ar_from(" (the MX) mx.example.org (v1) ; x=y",
				  "mx.example.org"));
	assert_true(trust_ar_from("\"mx.example.org\"; dkim=pass",
				  "mx.example.org"));
	/* prefixes, suffixes, extra words, comments hiding the real id */
	assert_false(trust_ar_from("mx.example.org.evil.example; dkim=pass",
				   "mx.example.org"));
	assert_false(trust_ar_from("mx.example.orgx; dkim=pass", "mx.example.org"));
	assert_false(trust_ar_from("mx.example; dkim=pass", "mx.example.org"));
	assert_false(trust_ar_from("mx.example.org evil; dkim=pass",
				   "mx.example.org"));
	assert_false(trust_ar_from("(mx.example.org) evil.example; dkim=pass",
				   "mx.example.org"));
	assert_false(trust_ar_from("evil.example (mx.example.org); dkim=pass",
				   "mx.example.org"));
	assert_false(trust_ar_from("dkim=pass; mx.example.org", "mx.example.org"));
	assert_false(trust_ar_from("mx.example.org; dkim=pass", ""));
}

static void test_dkim_results(void **state)
{
	(void)state;
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=example.org",
				       "example.org"), 1);
	assert_int_equal(trust_ar_dkim("mx; DKIM = Pass (2048-bit key) "
				       "header.d=Example.ORG. header.s=s1",
				       "example.org"), 1);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=\"example.org\"",
				       "EXAMPLE.org."), 1);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.i=@example.org",
				       "example.org"), 1);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.i=bob@example.org",
				       "example.org"), 1);
	/* a parent domain's signature speaks for its subdomains */
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=example.org",
				       "lists.example.org"), 1);
	/* several results: the pass for the right domain counts */
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=provider.net; "
				       "dkim=pass header.d=example.org",
				       "example.org"), 1);
	/* IDN: U-labels and A-labels are one domain */
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=xn--exmple-cua.org",
				       "ex\xc3\xa4mple.org"), 1);

	/* suffix and prefix tricks */
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=evil-example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=example.org.evil",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=sub.example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.d=org", "example.org"),
			 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.i=@evil-example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.i=@sub.example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass header.i=example.org@evil.example",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=pass", "example.org"), 0);
	/* the result word and the method name are exact */
	assert_int_equal(trust_ar_dkim("mx; dkim=passed header.d=example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=fail header.d=example.org "
				       "reason=\"dkim=pass header.d=example.org\"",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim=fail (dkim=pass header.d=example.org) "
				       "header.d=example.org",
				       "example.org"), 0);
	assert_int_equal(trust_ar_dkim("mx; dkim-atps=pass header.d=example.org",
				       "example.org"), -1);
	assert_int_equal(trust_ar_dkim("mx; x-dkim=pass header.d=example.org",
				       "example.org"), -1);
	assert_int_equal(trust_ar_dkim("mx; spf=pass smtp.mailfrom=example.org",
				       "example.org"), -1);
	assert_int_equal(trust_ar_dkim("mx; dkim=none", "example.org"), 0);
}

static void test_dkim_pass(void **state)
{
	(void)state;
	/* the real delivery passes */
	assert_true(dkim(TOP "Authentication-Results: mx.example.org;\n"
			 "\tdkim=pass (2048-bit key; unprotected) header.d=example.org "
			 "header.i=@example.org header.b=\"abcd\"\n"
			 "DKIM-Signature: v=1; d=example.org; s=s1; b=x\n" SENDER));
	/* a mail without Received (a local drop) keeps working */
	assert_true(dkim("Authentication-Results: mx.example.org; "
			 "dkim=pass header.d=example.org\n"));
	/* OpenDMARC's field on top of OpenDKIM's */
	assert_true(dkim(TOP "Authentication-Results: mx.example.org; "
			 "dmarc=pass header.from=example.org\n"
			 "Authentication-Results: mx.example.org; "
			 "dkim=pass header.d=example.org\n" SENDER));
	/* another server's result is skipped */
	assert_true(dkim(TOP "Authentication-Results: other.example; dkim=fail\n"
			 "Authentication-Results: mx.example.org; "
			 "dkim=pass header.d=example.org\n" SENDER));

	/* a forged pass below the server's own dkim=none never passes */
	assert_false(dkim(TOP "Authentication-Results: mx.example.org; dkim=none\n"
			  "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=example.org\n"));
	assert_false(dkim("Authentication-Results: mx.example.org; none\n"
			  "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=example.org\n"));
	/* the server's pass for the forger's own domain, then a forged one */
	assert_false(dkim(TOP "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=attacker.example\n"
			  "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=example.org\n"));
	/* below a foreign Received: written by the sender's side */
	assert_false(dkim(TOP SENDER "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=example.org\n"));
	assert_false(dkim("Received: from a by relay.attacker.example; d\n"
			  "Authentication-Results: mx.example.org; "
			  "dkim=pass header.d=example.org\n"));
	/* the right result from the wrong server */
	assert_false(dkim(TOP "Authentication-Results: mx.example.org.evil.example; "
			  "dkim=pass header.d=example.org\n"));
	/* require_dkim without an authserv-id trusts nothing */
	free(c.trusted_authserv_id);
	c.trusted_authserv_id = xstrdup("");
	assert_false(dkim("Authentication-Results: ; dkim=pass header.d=example.org\n"));
}

static double score(const char *headers, int *found)
{
	struct message *m = mail(headers);
	double s = -1000;

	*found = trust_spam_score(&c, m, &s);
	msg_free(m);
	return s;
}

static void test_spam(void **state)
{
	int found;

	(void)state;
	assert_true(score(TOP "X-Spam-Status: Yes, score=7.3 required=5.0\n",
			  &found) == 7.3);
	assert_true(found);
	/* a reader-written verdict never lowers the server's */
	assert_true(score(TOP "X-Spam-Flag: YES\nX-Spam-Score: 9.5\n"
			  "X-Spam-Status: No, score=-50 required=5.0\n",
			  &found) == 9.5);
	assert_true(score("X-Spam-Status: Yes, score=8.0\n"
			  "X-Spam-Status: No, score=-50\n", &found) == 8.0);
	/* no verdict from outside the run */
	score(TOP SENDER "X-Spam-Status: Yes, score=9.0\n", &found);
	assert_false(found);
	assert_true(score(TOP "X-Spam-Score: 1.0\n" SENDER
			  "X-Spam-Status: No, score=-50\n", &found) == 1.0);
	/* words that only look like a score */
	score("X-Spam-Status: No, xscore=-50\n", &found);
	assert_false(found);
	score("X-Spam-Score: nan\nX-Spam-Score: inf\n", &found);
	assert_false(found);
	/* rspamd */
	free(c.spam_header);
	c.spam_header = xstrdup("rspamd");
	assert_true(score(TOP "X-Spamd-Result: default: False [8.10 / 15.00]\n"
			  "X-Rspamd-Score: -20\n", &found) == 8.1);
	score(TOP "X-Spam-Status: Yes, score=9.0\n", &found);
	assert_false(found);
}

/* The verdict shown to the moderators, in its stored form. */
static char *auth_of(const char *headers)
{
	struct message *m = mail(headers);
	struct trust_auth a;
	char *s;

	trust_auth(&c, m, "example.org", &a);
	s = trust_auth_format(&a);
	msg_free(m);
	return s;
}

static void test_auth(void **state)
{
	static const char *const cases[][2] = {
		{ TOP "Authentication-Results: mx.example.org; dkim=pass "
		      "header.d=example.org; spf=pass smtp.mailfrom=example.org;"
		      " dmarc=pass header.from=example.org\n" SENDER,
		  "dkim=pass spf=pass dmarc=pass from=pass" },
		/* the server's word is its topmost field: a forged pass
		 * below it changes nothing */
		{ TOP "Authentication-Results: mx.example.org; dmarc=fail\n"
		      "Authentication-Results: mx.example.org; dkim=pass "
		      "header.d=example.org; dmarc=pass\n" SENDER,
		  "dkim=none spf=none dmarc=fail from=fail" },
		/* below the sender's Received: not the trusted run */
		{ TOP SENDER "Authentication-Results: mx.example.org; dkim=pass "
			     "header.d=example.org; dmarc=pass\n",
		  "" },
		/* another authserv-id is no verdict */
		{ TOP "Authentication-Results: mx.attacker.example; dkim=pass "
		      "header.d=example.org\n" SENDER,
		  "" },
		/* a pass for another domain does not speak for From */
		{ TOP "Authentication-Results: mx.example.org; dkim=pass "
		      "header.d=attacker.example; spf=softfail (x) "
		      "smtp.mailfrom=\"a;b\"\n" SENDER,
		  "dkim=pass spf=softfail dmarc=none from=fail" },
		/* two signatures: a pass among them wins; results are
		 * lowercased */
		{ TOP "Authentication-Results: mx.example.org; DKIM=FAIL "
		      "header.d=other.example; dkim=pass header.d=example.org\n"
		      SENDER,
		  "dkim=pass spf=none dmarc=none from=pass" },
		/* a result too long to be one is not kept */
		{ TOP "Authentication-Results: mx.example.org; spf="
		      "averyveryverylongresult\n" SENDER,
		  "dkim=none spf=none dmarc=none from=fail" },
		{ TOP "Authentication-Results: mx.example.org; none\n" SENDER,
		  "dkim=none spf=none dmarc=none from=fail" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = auth_of(cases[i][0]);

		if (strcmp(s, cases[i][1]) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i, s,
				 cases[i][1]);
		free(s);
	}
}

static void test_auth_stored(void **state)
{
	struct trust_auth a;

	(void)state;
	trust_auth_parse("dkim=pass spf=fail dmarc=none from=pass", &a);
	assert_true(a.found);
	assert_string_equal(a.spf, "fail");
	assert_true(trust_auth_passes(&a));
	trust_auth_parse("dkim=fail spf=pass dmarc=pass from=fail", &a);
	assert_true(trust_auth_passes(&a)); /* dmarc=pass */
	trust_auth_parse("dkim=pass spf=pass dmarc=fail from=fail", &a);
	assert_false(trust_auth_passes(&a)); /* a pass for another domain */
	/* nothing, or what the gateway did not write, is no verdict */
	trust_auth_parse("", &a);
	assert_false(a.found);
	assert_false(trust_auth_passes(&a));
	assert_string_equal(a.dkim, "none");
	trust_auth_parse(NULL, &a);
	assert_false(a.found);
	trust_auth_parse("xdkim=pass spf=pass dmarc=pass from=pass", &a);
	assert_false(a.found);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_received_by), T(test_run), T(test_authserv_id),
		T(test_dkim_results), T(test_dkim_pass), T(test_spam),
		T(test_auth), T(test_auth_stored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
