/* test_classify.c: every kind and every reason of the spec, the order of
 * the rules, and the interplay of bounces and auto-replies. */
#include "msgtest.h"

#include "classify.h"

#define FROM "From: Jean <jean@example.fr>\n"
#define BODY "\nHello there.\n"

static void test_comment(void **state)
{
	struct message *m = mt_parse(FROM "To: comments+2024/slug@example.org\n"
				     "Subject: Nice\n" BODY);

	(void)state;
	assert_int_equal(m->kind, MSG_COMMENT);
	assert_false(m->is_autoreply);
	assert_false(m->is_bounce);
	mt_reasons(m, NULL);
	msg_free(m);
}

static void test_command(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse(FROM "To: comments+m_abcdefghijklmnop2345@example.org\n"
		     BODY);
	assert_int_equal(m->kind, MSG_COMMAND);
	mt_reasons(m, "token address", NULL);
	msg_free(m);
	/* in Cc, any case of the mailbox */
	m = mt_parse(FROM "To: x@y.org\nCc: Blog <Comments+d_0123456789ABCDEFxyz@"
		     "Example.org>\n" BODY);
	assert_int_equal(m->kind, MSG_COMMAND);
	mt_reasons(m, "token address", NULL);
	msg_free(m);
	/* a token too short, or an unknown purpose: a comment */
	m = mt_parse(FROM "To: comments+m_short@example.org\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	m = mt_parse(FROM "To: comments+x_abcdefghijklmnop2345@example.org\n"
		     BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	/* empty and one-letter extensions (a crash the fuzzer found) */
	m = mt_parse(FROM "To: comments+@example.org, comments+m@example.org\n"
		     BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	/* replies to a notification, by In-Reply-To or References */
	m = mt_parse(FROM "To: comments@example.org\nIn-Reply-To: "
		     "<mailcomments.m_abcdefghijklmnop2345@example.org>\n" BODY);
	assert_int_equal(m->kind, MSG_COMMAND);
	mt_reasons(m, "reply to notification", NULL);
	msg_free(m);
	m = mt_parse(FROM "To: comments@example.org\nReferences: <a@b> "
		     "<mailcomments.c_ABCDEFGHIJKLMNOP@example.org> <c@d>\n" BODY);
	assert_int_equal(m->kind, MSG_COMMAND);
	mt_reasons(m, "reply to notification", NULL);
	msg_free(m);
	m = mt_parse(FROM "To: comments@example.org\nIn-Reply-To: "
		     "<mailcomments.q_abcdefghijklmnop2345@example.org>\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	/* both */
	m = mt_parse(FROM "To: comments+u_abcdefghijklmnop2345@example.org\n"
		     "In-Reply-To: <x@y> <mailcomments.u_abcdefghijklmnop2345"
		     "@example.org>\n" BODY);
	mt_reasons(m, "token address", "reply to notification", NULL);
	msg_free(m);
}

static void test_autoreply(void **state)
{
	static const struct {
		const char *headers, *reason;
	} cases[] = {
		{ "Auto-Submitted: auto-replied\n", "auto-submitted header" },
		{ "Auto-Submitted: auto-generated (vacation)\n",
		  "auto-submitted header" },
		{ "X-Autoreply: yes\n", "x-autoreply header" },
		{ "X-Autorespond: whatever\n", "x-autoreply header" },
		{ "X-Vacation: on\n", "x-autoreply header" },
		{ "Precedence: bulk\n", "precedence bulk" },
		{ "Precedence: Junk\n", "precedence junk" },
		{ "Subject: Out of Office: back Monday\n", "vacation subject" },
		{ "Subject: Automatic reply: hello\n", "vacation subject" },
		{ "Subject: Auto: away\n", "vacation subject" },
		{ "Subject: AutoReply\n", "vacation subject" },
		{ "Subject: Auto-Reply: x\n", "vacation subject" },
		{ "Subject: RE : R\xC3\xA9ponse automatique\n",
		  "vacation subject" },
		{ "Subject: R\xC3\x89PONSE AUTOMATIQUE\n", "vacation subject" },
		{ "Subject: Absence du bureau\n", "vacation subject" },
		{ "Subject: AW: Abwesenheitsnotiz\n", "vacation subject" },
		{ "Subject: Automatische Antwort: x\n", "vacation subject" },
		{ "Subject: Respuesta autom\xC3\xA1tica\n", "vacation subject" },
		{ "Subject: Fuera de la oficina\n", "vacation subject" },
		{ "Subject: Risposta automatica\n", "vacation subject" },
		{ "Subject: Fuori sede\n", "vacation subject" },
		{ "Subject: Automatisch antwoord\n", "vacation subject" },
		{ "Subject: TR: Re: Resposta autom\xC3\xA1tica\n",
		  "vacation subject" },
		{ "Subject: Ausente\n", "vacation subject" },
		{ "Subject: =?utf-8?q?Re=3A_vacation?=\n", "vacation subject" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char raw[512];
		struct message *m;

		snprintf(raw, sizeof(raw), FROM "%s" BODY, cases[i].headers);
		m = mt_parse(raw);
		if (m->kind != MSG_AUTOREPLY)
			fail_msg("%s: kind %s", cases[i].headers,
				 msg_kind_name(m->kind));
		assert_true(m->is_autoreply);
		assert_false(m->is_bounce);
		mt_reasons(m, cases[i].reason, NULL);
		msg_free(m);
	}
}

static void test_not_autoreply(void **state)
{
	static const char *const headers[] = {
		"Auto-Submitted: no\n",
		"Auto-Submitted: No (manual)\n",
		"Precedence: first-class\n",
		"Subject: About your vacation article\n",
		"Subject: Re: Automation\n",
		"Subject: Fwd: Out of Office\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		char raw[512];
		struct message *m;

		snprintf(raw, sizeof(raw), FROM "%s" BODY, headers[i]);
		m = mt_parse(raw);
		if (m->kind != MSG_COMMENT)
			fail_msg("%s: kind %s", headers[i],
				 msg_kind_name(m->kind));
		msg_free(m);
	}
}

static void test_bounce(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse("From: MAILER-DAEMON@mx.example.org\nSubject: failure\n"
		     BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	assert_true(m->is_bounce);
	mt_reasons(m, "mailer-daemon sender", NULL);
	msg_free(m);
	m = mt_parse("From: Postmaster <postmaster@example.net>\n" BODY);
	mt_reasons(m, "mailer-daemon sender", NULL);
	msg_free(m);
	m = mt_parse(FROM "Return-Path: <>\n" BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	assert_true(m->is_bounce);
	mt_reasons(m, "empty return path", NULL);
	msg_free(m);
	m = mt_parse(FROM "Content-Type: multipart/report; "
		     "report-type=delivery-status; boundary=r\n\n--r\n"
		     "Content-Type: text/plain\n\nCould not deliver.\n--r\n"
		     "Content-Type: message/delivery-status\n\nAction: failed\n"
		     "--r--\n");
	assert_int_equal(m->kind, MSG_BOUNCE);
	mt_reasons(m, "delivery status notification", NULL);
	msg_free(m);
	/* a delivery-status part alone, deeper down */
	m = mt_parse(FROM "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
		     "Content-Type: text/plain\n\nx\n--a\nContent-Type: "
		     "multipart/mixed; boundary=b\n\n--b\nContent-Type: "
		     "message/delivery-status\n\nAction: failed\n--b--\n--a--\n");
	mt_reasons(m, "delivery status notification", NULL);
	msg_free(m);
}

#define REPORT(type, part, status)                                           \
	"Content-Type: multipart/report; report-type=" type "; boundary=r\n\n" \
	"--r\nContent-Type: text/plain\n\nA report.\n--r\nContent-Type: "    \
	part "\n\n" status "\n--r--\n"

/* Bounces the spec's first rules missed: a null From with a daemon's
 * name, post_master, multipart/report without a status part or without
 * a report type, and bounce subjects. */
static void test_bounce_more(void **state)
{
	struct message *m;

	(void)state;
	/* "MAILER-DAEMON <>" with Auto-Submitted: auto-replied */
	m = mt_parse("From: MAILER-DAEMON <>\nReturn-Path: <>\n"
		     "Auto-Submitted: auto-replied\nSubject: x\n" BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	assert_true(m->is_bounce);
	assert_string_equal(m->from_name, "MAILER-DAEMON");
	assert_string_equal(m->from_address, "");
	mt_reasons(m, "mailer-daemon sender", "empty return path", NULL);
	msg_free(m);
	m = mt_parse("From: Mail Delivery System < >\nSubject: x\n" BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	msg_free(m);
	/* a null From on a bounce found otherwise */
	m = mt_parse("From: <>\nSubject: Undelivered Mail Returned to Sender\n"
		     BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	mt_reasons(m, "bounce subject", NULL);
	msg_free(m);
	/* a null From on anything else: invalid, as before */
	m = mt_parse("From: Bob <>\nSubject: Nice\n" BODY);
	assert_int_equal(m->kind, MSG_INVALID);
	mt_reasons(m, "no from address", NULL);
	msg_free(m);
	m = mt_parse("From: Bob\nSubject: Undeliverable: x\n" BODY);
	assert_int_equal(m->kind, MSG_INVALID);
	msg_free(m);
	/* "<>" followed by more is no null From: invalid, as before */
	m = mt_parse("From: MAILER-DAEMON <> <a@b.example>\nSubject: x\n" BODY);
	assert_int_equal(m->kind, MSG_INVALID);
	mt_reasons(m, "no from address", NULL);
	msg_free(m);
	/* the daemon's name only counts with a null address */
	m = mt_parse("From: Mail Delivery System <jean@example.fr>\n"
		     "Subject: Hi\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	m = mt_parse("From: post_master@isp.example.jp\nSubject: x\n" BODY);
	mt_reasons(m, "mailer-daemon sender", NULL);
	msg_free(m);
	/* multipart/report with no status part, or of no type */
	m = mt_parse(FROM REPORT("delivery-status", "text/rfc822-headers",
				 "From: a@b"));
	assert_int_equal(m->kind, MSG_BOUNCE);
	mt_reasons(m, "delivery status notification", NULL);
	msg_free(m);
	m = mt_parse(FROM "Content-Type: multipart/report; boundary=r\n\n--r\n"
		     "Content-Type: text/plain\n\nNot delivered.\n--r--\n");
	mt_reasons(m, "delivery status notification", NULL);
	msg_free(m);
	/* a status part whose Action cannot be read: a failure */
	m = mt_parse(FROM REPORT("delivery-status", "message/delivery-status",
				 "Status: 5.1.1"));
	mt_reasons(m, "delivery status notification", NULL);
	msg_free(m);
	m = mt_parse(FROM "Subject: Unzustellbar: Ihr Kommentar\n" BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	mt_reasons(m, "bounce subject", NULL);
	msg_free(m);
	m = mt_parse(FROM "Subject: Re: Unzustellbar: Ihr Kommentar\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
}

/* Reports: ARF, delivery success notices, read receipts. */
static void test_report(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse(FROM REPORT("feedback-report", "message/feedback-report",
				 "Feedback-Type: abuse"));
	assert_int_equal(m->kind, MSG_REPORT);
	assert_string_equal(msg_kind_name(m->kind), "report");
	assert_false(m->is_bounce);
	mt_reasons(m, "feedback report", NULL);
	msg_free(m);
	/* the feedback part alone, or the type alone */
	m = mt_parse(FROM REPORT("x-other", "message/feedback-report",
				 "Feedback-Type: abuse"));
	mt_reasons(m, "feedback report", NULL);
	msg_free(m);
	m = mt_parse(FROM REPORT("Feedback-Report", "text/plain", "x"));
	mt_reasons(m, "feedback report", NULL);
	msg_free(m);
	/* an ARF quoting a bounce is still a report */
	m = mt_parse("From: postmaster@isp.example\nReturn-Path: <>\n"
		     REPORT("feedback-report", "message/feedback-report",
			    "Feedback-Type: abuse"));
	assert_int_equal(m->kind, MSG_REPORT);
	assert_false(m->is_bounce);
	mt_reasons(m, "feedback report", "empty return path", NULL);
	msg_free(m);
	/* success: every Action delivered, relayed or expanded */
	m = mt_parse("From: MAILER-DAEMON <>\n"
		     REPORT("delivery-status", "message/delivery-status",
			    "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; "
			    "x@y\nAction: delivered\n\naction:  RELAYED\n\n"
			    "Action: expanded (to 3 recipients)"));
	assert_int_equal(m->kind, MSG_REPORT);
	assert_false(m->is_bounce);
	mt_reasons(m, "delivery success notice", NULL);
	msg_free(m);
	/* one failure among successes: a bounce */
	m = mt_parse(FROM REPORT("delivery-status", "message/delivery-status",
				 "Action: delivered\n\nAction: failed"));
	assert_int_equal(m->kind, MSG_BOUNCE);
	msg_free(m);
	m = mt_parse(FROM REPORT("delivery-status", "message/delivery-status",
				 "Action: delayed"));
	assert_int_equal(m->kind, MSG_BOUNCE);
	msg_free(m);
	m = mt_parse(FROM REPORT("delivery-status", "message/delivery-status",
				 "Action: deliveredx"));
	assert_int_equal(m->kind, MSG_BOUNCE);
	msg_free(m);
	/* base64 status part */
	m = mt_parse(FROM "Content-Type: multipart/report; report-type="
		     "delivery-status; boundary=r\n\n--r\nContent-Type: "
		     "text/plain\n\nOk.\n--r\nContent-Type: message/"
		     "delivery-status\nContent-Transfer-Encoding: base64\n\n"
		     "QWN0aW9uOiBkZWxpdmVyZWQK\n--r--\n");
	mt_reasons(m, "delivery success notice", NULL);
	msg_free(m);
	/* read receipts */
	m = mt_parse(FROM REPORT("disposition-notification",
				 "message/disposition-notification",
				 "Disposition: manual-action/MDN-sent-manually; "
				 "displayed"));
	assert_int_equal(m->kind, MSG_REPORT);
	mt_reasons(m, "read receipt", NULL);
	msg_free(m);
	/* a report over a limit is invalid, like any mail */
	m = mt_parse("From: <>\n"
		     REPORT("feedback-report", "message/feedback-report", ""));
	assert_int_equal(m->kind, MSG_REPORT);
	msg_free(m);
}

/* Auto-replies known by their subject alone, and people's subjects. */
static void test_autoreply_subjects(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse(FROM "Subject: =?utf-8?Q?Odpowied=C5=BA_automatyczna:_x?=\n"
		     BODY);
	assert_int_equal(m->kind, MSG_AUTOREPLY);
	mt_reasons(m, "vacation subject", NULL);
	msg_free(m);
	m = mt_parse(FROM "Subject: Autosvar: x\n" BODY);
	assert_int_equal(m->kind, MSG_AUTOREPLY);
	msg_free(m);
	m = mt_parse(FROM "Subject: Out of office hours, who answers?\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	m = mt_parse(FROM "Subject: My out of office reply\n" BODY);
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
}

static void test_bounce_and_autoreply_interplay(void **state)
{
	struct message *m;

	(void)state;
	/* a vacation responder sends with an empty return path */
	m = mt_parse(FROM "Return-Path: <>\nAuto-Submitted: auto-replied\n"
		     "Subject: Out of Office\n" BODY);
	assert_int_equal(m->kind, MSG_AUTOREPLY);
	assert_true(m->is_autoreply);
	assert_false(m->is_bounce);
	mt_reasons(m, "auto-submitted header", "vacation subject",
		   "empty return path", NULL);
	msg_free(m);
	/* a DSN is a bounce, even with auto-reply headers */
	m = mt_parse("From: MAILER-DAEMON@mx.example.org\nReturn-Path: <>\n"
		     "Auto-Submitted: auto-replied\n" BODY);
	assert_int_equal(m->kind, MSG_BOUNCE);
	assert_true(m->is_bounce);
	assert_true(m->is_autoreply);
	mt_reasons(m, "mailer-daemon sender", "empty return path", NULL);
	msg_free(m);
}

static void test_list(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse(FROM "List-Id: <blog.lists.example.org>\n" BODY);
	assert_int_equal(m->kind, MSG_LIST);
	mt_reasons(m, "list-id header", NULL);
	msg_free(m);
	m = mt_parse(FROM "List-Post: <mailto:l@example.org>\n" BODY);
	mt_reasons(m, "list-id header", NULL);
	msg_free(m);
	m = mt_parse(FROM "Precedence: list\n" BODY);
	assert_int_equal(m->kind, MSG_LIST);
	mt_reasons(m, "precedence list", NULL);
	msg_free(m);
	/* list beats command, auto-reply beats list */
	m = mt_parse(FROM "List-Id: x\nTo: comments+m_abcdefghijklmnop2345@"
		     "example.org\n" BODY);
	assert_int_equal(m->kind, MSG_LIST);
	msg_free(m);
	m = mt_parse(FROM "List-Id: x\nPrecedence: bulk\n" BODY);
	assert_int_equal(m->kind, MSG_AUTOREPLY);
	mt_reasons(m, "precedence bulk", NULL);
	msg_free(m);
}

static void test_invalid(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse("Subject: no sender\n" BODY);
	assert_int_equal(m->kind, MSG_INVALID);
	mt_reasons(m, "no from address", NULL);
	msg_free(m);
	m = mt_parse("From: Jean Dupont\n" BODY); /* a name, no address */
	mt_reasons(m, "no from address", NULL);
	msg_free(m);
	m = mt_parse(FROM "\n> only a quote\n");
	assert_int_equal(m->kind, MSG_INVALID);
	mt_reasons(m, "no usable text", NULL);
	msg_free(m);
	m = mt_parse(FROM "Content-Type: image/png\n\nxxxx\n");
	mt_reasons(m, "no usable text", NULL);
	msg_free(m);
	/* invalid comes first, with the empty return path still listed */
	m = mt_parse("From: MAILER-DAEMON@x.org\nReturn-Path: <>\n\n\n");
	assert_int_equal(m->kind, MSG_INVALID);
	assert_true(m->is_bounce);
	mt_reasons(m, "no usable text", "empty return path", NULL);
	msg_free(m);
}

static void test_notes(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse(FROM "Content-Type: text/html\n\n<p>Hi <b>there</b></p>\n");
	assert_int_equal(m->kind, MSG_COMMENT);
	mt_reasons(m, "text from html", NULL);
	assert_string_equal(m->body, "Hi there");
	msg_free(m);
	m = mt_parse(FROM "Content-Type: text/plain; charset=ISO-8859-1\n\n"
		     "l\x92\xE9t\xE9\n");
	mt_reasons(m, "charset iso-8859-1 read as windows-1252", NULL);
	assert_string_equal(m->body, "l\xE2\x80\x99\xC3\xA9t\xC3\xA9");
	msg_free(m);
	m = mt_parse(FROM "Content-Type: text/plain; charset=X-Weird\n\n"
		     "d\xE9j\xE0\n");
	mt_reasons(m, "unknown charset x-weird read as windows-1252", NULL);
	msg_free(m);
	m = mt_parse(FROM "Content-Type: text/plain; charset=\"x-weird\"\n\n"
		     "d\xC3\xA9j\xC3\xA0\n");
	mt_reasons(m, "unknown charset x-weird read as utf-8", NULL);
	msg_free(m);
	m = mt_parse(FROM "Content-Type: text/plain; charset=utf-8\n\n"
		     "bad \xFF byte\n");
	mt_reasons(m, "invalid bytes replaced", NULL);
	assert_string_equal(m->body, "bad \xEF\xBF\xBD byte");
	msg_free(m);
	/* notes stay with another kind */
	m = mt_parse(FROM "Precedence: junk\nContent-Type: text/html\n\n"
		     "<p>x</p>\n");
	mt_reasons(m, "precedence junk", "text from html", NULL);
	msg_free(m);
}

static void test_vacation_subject_function(void **state)
{
	(void)state;
	assert_true(classify_vacation_subject("out of office"));
	assert_true(classify_vacation_subject("  Re:Re: RE : vacation!"));
	assert_true(classify_vacation_subject("FUERA DE LA OFICINA"));
	assert_true(classify_vacation_subject("RESPUESTA AUTOM\xC3\x81TICA"));
	assert_false(classify_vacation_subject("Re: Reply"));
	assert_false(classify_vacation_subject("Autonomie en hiver"));
	assert_false(classify_vacation_subject(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_autoreply),
		cmocka_unit_test(test_not_autoreply),
		cmocka_unit_test(test_bounce),
		cmocka_unit_test(test_bounce_and_autoreply_interplay),
		cmocka_unit_test(test_bounce_more),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_autoreply_subjects),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_vacation_subject_function),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
