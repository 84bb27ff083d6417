/* test_message.c: whole mails through msg_parse(): the fields of the
 * JSON, which part is read (plain before html, no attachments, forwarded
 * messages), transfer encodings, flowed text, a missing closing
 * boundary, the header list, msg_key() and msg_to_json(). */
#include "msgtest.h"

static void test_gmail_reply(void **state)
{
	struct message *m = mt_parse(
		"Return-Path: <helene@gmail.com>\r\n"
		"Delivered-To: comments+2024/velo@example.org\r\n"
		"From: =?UTF-8?Q?H=C3=A9l=C3=A8ne_Roux?= <Helene.Roux@gmail.com>\r\n"
		"Date: Fri, 2 Aug 2024 18:20:00 +0200\r\n"
		"Message-ID: <CAF123@mail.gmail.com>\r\n"
		"In-Reply-To: <n1@example.org> <n2@example.org>\r\n"
		"References: <r1@example.org>\r\n <n1@example.org>\r\n"
		"Subject: =?UTF-8?Q?Re=3A_Autonomie_en_hiver?= \r\n"
		" =?UTF-8?Q?_=E2=9D=84?=\r\n"
		"To: Blog <comments+2024/velo@example.org>, paul@example.net\r\n"
		"Cc: PAUL@example.net\r\n"
		"Content-Type: multipart/alternative; boundary=\"0000abc\"\r\n"
		"\r\n"
		"--0000abc\r\n"
		"Content-Type: text/plain; charset=\"UTF-8\"\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n"
		"\r\n"
		"Bonjour,\r\n\r\nJe perds 30 % d'autonomie d=C3=A8s qu'il fait moins de 5 =\r\n"
		"=C2=B0C.\r\n\r\nH=C3=A9l=C3=A8ne\r\n\r\n"
		"Le ven. 2 ao=C3=BBt 2024 =C3=A0 10:00, Blog <comments@example.org> a =\r\n"
		"=C3=A9crit :\r\n\r\n> Question ?\r\n>\r\n"
		"--0000abc\r\n"
		"Content-Type: text/html; charset=\"UTF-8\"\r\n\r\n"
		"<div>HTML version</div>\r\n"
		"--0000abc--\r\n");

	(void)state;
	assert_string_equal(m->from_name, "H\xC3\xA9l\xC3\xA8ne Roux");
	assert_string_equal(m->from_address, "Helene.Roux@gmail.com");
	assert_int_equal(m->to.n, 2);
	assert_string_equal(m->to.v[0], "comments+2024/velo@example.org");
	assert_string_equal(m->to.v[1], "paul@example.net");
	assert_string_equal(m->subject,
			    "Re: Autonomie en hiver \xE2\x9D\x84");
	assert_string_equal(m->message_id, "CAF123@mail.gmail.com");
	assert_string_equal(m->in_reply_to, "n1@example.org");
	assert_int_equal(m->references.n, 2);
	assert_string_equal(m->references.v[1], "n1@example.org");
	assert_int_equal(m->date, 1722615600);
	assert_string_equal(m->return_path, "helene@gmail.com");
	assert_false(m->text_from_html);
	assert_string_equal(m->body,
			    "Bonjour,\n\nJe perds 30 % d'autonomie d\xC3\xA8s "
			    "qu'il fait moins de 5 \xC2\xB0" "C.\n\nH\xC3\xA9l"
			    "\xC3\xA8ne");
	assert_int_equal(m->kind, MSG_COMMENT);
	mt_reasons(m, NULL);
	assert_string_equal(msg_key(m), "<CAF123@mail.gmail.com>");
	assert_string_equal(msg_header(m, "subject"), m->subject);
	assert_string_equal(msg_header(m, "X-MISSING") ? "x" : "null", "null");
	assert_int_equal(m->nheaders, 11);
	msg_free(m);
}

static void test_html_only_outlook(void **state)
{
	struct message *m = mt_parse(
		"From: \"Martin, Claire\" <claire.martin@outlook.fr>\n"
		"Subject: RE: Votre article\n"
		"Content-Type: text/html; charset=\"iso-8859-1\"\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"<html><head><style>p {margin:0}</style></head><body>"
		"<div>Tout =E0 fait d'accord&nbsp;!</div><div><br></div>"
		"<div>Claire</div><div id=3D\"appendonsend\"></div><hr>"
		"<div id=3D\"divRplyFwdMsg\"><b>De :</b> Blog<br>"
		"<b>Envoy=E9 :</b> lundi<br><b>=C0 :</b> Claire<br>"
		"<b>Objet :</b> Votre article</div><div>Ancien texte</div>"
		"</body></html>\n");

	(void)state;
	assert_string_equal(m->from_name, "Martin, Claire");
	assert_true(m->text_from_html);
	assert_string_equal(m->body,
			    "Tout \xC3\xA0 fait d'accord\xC2\xA0!\n\nClaire");
	mt_reasons(m, "text from html", NULL);
	msg_free(m);
}

static void test_part_choice(void **state)
{
	struct message *m;

	(void)state;
	/* html first, plain later: plain wins */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/html\n\n<p>html</p>\n"
		     "--x\nContent-Type: multipart/alternative; boundary=y\n\n"
		     "--y\nContent-Type: text/plain\n\nplain\n--y--\n--x--\n");
	assert_string_equal(m->body, "plain");
	mt_reasons(m, NULL);
	msg_free(m);
	/* attachments are not the text */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/plain; name=notes.txt\n\nfile1\n"
		     "--x\nContent-Type: text/plain\nContent-Disposition: "
		     "attachment\n\nfile2\n"
		     "--x\nContent-Type: text/plain\nContent-Disposition: inline; "
		     "filename=\"a.txt\"\n\nfile3\n"
		     "--x\nContent-Type: text/plain\nContent-Disposition: inline"
		     "\n\nthe text\n--x--\n");
	assert_string_equal(m->body, "the text");
	msg_free(m);
	/* an inline text part with a file name is the text when there is
	 * no other (Apple Mail with a dropped-in document), never an
	 * attachment part, never before a plain or HTML text */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/plain\nContent-Disposition: "
		     "attachment; filename=a.txt\n\nattached\n"
		     "--x\nContent-Type: text/plain; name=\"b.txt\"\n"
		     "Content-Disposition: inline; filename=b.txt\n\nfirst named\n"
		     "--x\nContent-Type: text/plain; name=c.txt\n\nsecond named\n"
		     "--x\nContent-Type: image/png; name=d.png\n\nPNG\n--x--\n");
	assert_string_equal(m->body, "first named");
	mt_reasons(m, NULL);
	msg_free(m);
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/plain; name=b.txt\n\nnamed\n"
		     "--x\nContent-Type: text/html\n\n<p>html text</p>\n--x--\n");
	assert_string_equal(m->body, "html text");
	msg_free(m);
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/html; name=b.html\n\n<p>h</p>\n"
		     "--x\nContent-Type: text/plain\nContent-Disposition: "
		     "attachment\n\nattached\n--x--\n");
	assert_string_equal(m->body, "");
	msg_free(m);
	/* a single-part mail with a file name */
	m = mt_parse("From: a@b.c\nContent-Type: text/plain; name=note.txt\n"
		     "Content-Disposition: inline; filename=note.txt\n\nnote\n");
	assert_string_equal(m->body, "note");
	msg_free(m);
	/* a forwarded message counts only when no text precedes it */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: text/html\n\n<p>See below</p>\n"
		     "--x\nContent-Type: message/rfc822\n\nFrom: o@p.q\n"
		     "Subject: old\n\nforwarded text\n--x--\n");
	assert_string_equal(m->body, "See below");
	msg_free(m);
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
		     "--x\nContent-Type: message/rfc822\n\nFrom: o@p.q\n"
		     "Subject: old\n\nforwarded text\n"
		     "--x\nContent-Type: text/plain\n\nafter\n--x--\n");
	assert_string_equal(m->body, "forwarded text");
	msg_free(m);
	/* multipart/signed and related are walked */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/signed; boundary=s; "
		     "protocol=\"application/pgp-signature\"\n\n--s\n"
		     "Content-Type: multipart/related; boundary=r\n\n--r\n"
		     "Content-Type: text/plain\n\nsigned text\n--r--\n--s\n"
		     "Content-Type: application/pgp-signature\n\nsig\n--s--\n");
	assert_string_equal(m->body, "signed text");
	msg_free(m);
}

static void test_encodings(void **state)
{
	struct message *m;

	(void)state;
	m = mt_parse("From: a@b.c\nContent-Type: text/plain; charset=utf-8\n"
		     "Content-Transfer-Encoding: base64\n\n"
		     "Qm9uam91ciDDoCB0b3VzLApkZXV4acOobWUgbGlnbmUK\n");
	assert_string_equal(m->body,
			    "Bonjour \xC3\xA0 tous,\ndeuxi\xC3\xA8me ligne");
	msg_free(m);
	/* truncated base64 decodes what it can */
	m = mt_parse("From: a@b.c\nContent-Transfer-Encoding: BASE64\n\n"
		     "SGVsbG8gd29ybG");
	assert_string_equal(m->body, "Hello worl");
	msg_free(m);
	m = mt_parse("From: a@b.c\nContent-Type: text/plain; charset=iso-8859-1"
		     "\nContent-Transfer-Encoding: 8bit\n\nd\xE9j\xE0 vu\r\r\nx\r"
		     "y\n");
	assert_string_equal(m->body, "d\xC3\xA9j\xC3\xA0 vu\n\nx\ny");
	msg_free(m);
}

static void test_flowed(void **state)
{
	struct message *m = mt_parse(
		"From: a@b.c\nContent-Type: text/plain; charset=utf-8; "
		"format=flowed; delsp=yes\n\n"
		"Une tr\xC3\xA8s longue ligne coup\xC3\xA9" "e par le client "
		"mail \npour le transport.\n\nOn Mon, X wrote:\n> citation "
		"qui \n> continue\n");

	(void)state;
	assert_string_equal(m->body, "Une tr\xC3\xA8s longue ligne coup\xC3\xA9"
				     "e par le client mailpour le transport.");
	assert_string_equal(m->text, "Une tr\xC3\xA8s longue ligne coup\xC3\xA9"
				     "e par le client mailpour le transport.\n"
				     "\nOn Mon, X wrote:\n> citation qui"
				     "continue\n");
	msg_free(m);
}

static void test_missing_closing_boundary(void **state)
{
	struct message *m = mt_parse(
		"From: a@b.c\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n"
		"--zz\nContent-Type: text/plain\n\nFirst line\n- a point\n"
		"- another\nLast line\n");

	(void)state;
	assert_string_equal(m->body,
			    "First line\n- a point\n- another\nLast line");
	msg_free(m);
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=a\n\n"
		     "--a\nContent-Type: multipart/alternative; boundary=b\n\n"
		     "--b\nContent-Type: text/plain\n\nx\n- y\nz\n");
	assert_string_equal(m->body, "x\n- y\nz");
	msg_free(m);
	/* a forwarded message as the unclosed last part (fuzzer finding) */
	m = mt_parse("From: a@b.c\nContent-Type: multipart/mixed; boundary=a\n\n"
		     "--a\nContent-Type: message/rfc822\n\nFrom: o@p.q\n\n"
		     "old\n- one\nend\n");
	assert_string_equal(m->body, "old\n- one\nend");
	msg_free(m);
}

static void test_odd_messages(void **state)
{
	struct message *m;

	(void)state;
	/* blank and whitespace-only lines before the header block */
	m = mt_parse("\r\n \t\r\nFrom: Julie <j@example.net>\r\nSubject: s\r\n"
		     "\r\nhello\r\n");
	assert_string_equal(m->from_address, "j@example.net");
	assert_string_equal(m->subject, "s");
	assert_string_equal(m->body, "hello");
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	/* an encoded name before a bare address; "addr (Name)" */
	m = mt_parse("From: =?gb2312?B?1cXI/Q==?= zhang@example.cn\n\nni hao\n");
	assert_string_equal(m->from_name, "\xE5\xBC\xA0\xE4\xB8\x89");
	assert_string_equal(m->from_address, "zhang@example.cn");
	assert_int_equal(m->kind, MSG_COMMENT);
	msg_free(m);
	m = mt_parse("From: r@example.org (=?utf-8?q?R=C3=A9mi?=)\n\nsalut\n");
	assert_string_equal(m->from_name, "R\xC3\xA9mi");
	msg_free(m);
	m = mt_parse("");
	assert_int_equal(m->kind, MSG_INVALID);
	mt_reasons(m, "no from address", "no usable text", NULL);
	assert_string_equal(m->subject, "");
	assert_int_equal(m->date, -1);
	assert_null(m->return_path);
	assert_int_equal(strncmp(msg_key(m), "sha256:", 7), 0);
	assert_string_equal(msg_key(m) + 7, m->hash);
	assert_string_equal(m->hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e"
				     "4649b934ca495991b7852b855");
	msg_free(m);
	/* no blank line after the headers; LF only; header-only */
	m = mt_parse("From: a@b.c\nSubject: s");
	assert_string_equal(m->subject, "s");
	mt_reasons(m, "no usable text", NULL);
	msg_free(m);
	/* mbox "From " line first */
	m = mt_parse("From a@b.c Mon Jul 29 10:00:00 2024\nFrom: a@b.c\n\nhi\n");
	assert_string_equal(m->from_address, "a@b.c");
	assert_string_equal(m->body, "hi");
	msg_free(m);
	/* NUL bytes in a body */
	{
		static const char raw[] = "From: a@b.c\n\na\0b\n";

		m = mt_parse_conf(raw, sizeof(raw) - 1, NULL);
		assert_string_equal(m->body, "a\xEF\xBF\xBD" "b");
		mt_reasons(m, "invalid bytes replaced", NULL);
		msg_free(m);
	}
}

static void test_json(void **state)
{
	struct message *m = mt_parse(
		"From: \"Jean \\\"JD\\\" Dupont\" <jean@example.fr>\n"
		"To: comments@example.org\nSubject: <b>&\n"
		"Date: Mon, 29 Jul 2024 10:00:00 +0200\n\nl1\nl2\n");
	struct buf b;

	(void)state;
	buf_init(&b);
	msg_to_json(m, &b);
	assert_string_equal(b.s,
			    "{\n"
			    "  \"from_name\": \"Jean \\\"JD\\\" Dupont\",\n"
			    "  \"from_address\": \"jean@example.fr\",\n"
			    "  \"to\": [\n    \"comments@example.org\"\n  ],\n"
			    "  \"subject\": \"\\u003cb\\u003e\\u0026\",\n"
			    "  \"message_id\": \"\",\n"
			    "  \"in_reply_to\": \"\",\n"
			    "  \"references\": [],\n"
			    "  \"date\": \"2024-07-29T08:00:00Z\",\n"
			    "  \"body\": \"l1\\nl2\",\n"
			    "  \"kind\": \"comment\",\n"
			    "  \"is_autoreply\": false,\n"
			    "  \"is_bounce\": false,\n"
			    "  \"reasons\": []\n"
			    "}\n");
	buf_free(&b);
	msg_free(m);
	m = mt_parse("Subject: x\n");
	buf_init(&b);
	msg_to_json(m, &b);
	assert_non_null(strstr(b.s, "\"date\": null,"));
	assert_non_null(strstr(b.s, "\"kind\": \"invalid\","));
	buf_free(&b);
	msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gmail_reply),
		cmocka_unit_test(test_html_only_outlook),
		cmocka_unit_test(test_part_choice),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_flowed),
		cmocka_unit_test(test_missing_closing_boundary),
		cmocka_unit_test(test_odd_messages),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
