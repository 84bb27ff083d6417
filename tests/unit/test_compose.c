/* test_compose.c: outgoing mail: header encoding (no injection), folding,
 * quoted-printable, CRLF and line lengths. */
#include "testutil.h"

#include "compose.h"

static void assert_lines_ok(const char *msg, size_t len)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n') {
			if (i == 0 || msg[i - 1] != '\r')
				fail_msg("bare LF at %zu", i);
			col = 0;
			continue;
		}
		if (msg[i] == '\r' && (i + 1 >= len || msg[i + 1] != '\n'))
			fail_msg("bare CR at %zu", i);
		if (++col > 998)
			fail_msg("line longer than 998 at %zu", i);
	}
}

static void test_header_injection(void **state)
{
	struct mail m;
	char *out;
	size_t len;

	(void)state;
	mail_init(&m);
	mail_header_text(&m, "Subject", "Hello\r\nBcc: victim@example.org");
	mail_header_addr(&m, "To", "Eve\nBcc: x@y", "eve@example.org>\r\nBcc: z@w");
	out = mail_finish(&m, &len);
	assert_null(strstr(out, "\r\nBcc:"));
	assert_null(strstr(out, "\nBcc:"));
	assert_lines_ok(out, len);
	free(out);
	mail_free(&m);
}

static void test_encoded_words(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	mail_encode_words(&b, "plain ascii", 0);
	assert_string_equal(b.s, "plain ascii");
	buf_reset(&b);
	mail_encode_words(&b, "Hélène", 1);
	assert_string_equal(b.s, "=?UTF-8?B?SMOpbMOobmU=?=");
	buf_reset(&b);
	/* specials in a display name are encoded, never quoted by hand */
	mail_encode_words(&b, "Doe, John <x>", 1);
	assert_true(str_startswith(b.s, "=?UTF-8?B?"));
	buf_reset(&b);
	/* something that looks like an encoded word is encoded itself */
	mail_encode_words(&b, "=?UTF-8?B?QUJD?=", 0);
	assert_true(str_startswith(b.s, "=?UTF-8?B?PT9"));
	buf_free(&b);
}

static void test_long_subject_folds(void **state)
{
	struct mail m;
	char *out, subject[600];
	size_t len, i;
	const char *p;

	(void)state;
	for (i = 0; i < sizeof(subject) - 1; i++)
		subject[i] = i % 7 == 6 ? ' ' : "éa"[i % 2];
	subject[sizeof(subject) - 1] = '\0';
	mail_init(&m);
	mail_header_text(&m, "Subject", subject);
	out = mail_finish(&m, &len);
	assert_lines_ok(out, len);
	for (p = out; (p = strstr(p, "=?UTF-8?B?")) != NULL; p++)
		assert_true(strstr(p, "?=") - p + 2 <= 75);
	free(out);
	mail_free(&m);
}

static void test_quoted_printable(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	mail_qp_encode(&b, "Très = bien \nFrom here\n.\n", 25);
	assert_string_equal(b.s, "Tr=C3=A8s =3D bien=20\r\n=46rom here\r\n=2E\r\n");
	buf_reset(&b);
	{
		char line[300];

		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 1] = '\0';
		mail_qp_encode(&b, line, strlen(line));
		assert_lines_ok(b.s, b.len);
		assert_non_null(strstr(b.s, "=\r\n"));
	}
	/* a soft break that puts '.' or "From " at the start of a line:
	 * encoded there like at the start of the text */
	{
		char line[100];

		memset(line, 'x', 75);
		memcpy(line + 75, "From here", 10);
		buf_reset(&b);
		mail_qp_encode(&b, line, strlen(line));
		assert_non_null(strstr(b.s, "x=\r\n=46rom here\r\n"));
		assert_lines_ok(b.s, b.len);
		memcpy(line + 75, ".end", 5);
		buf_reset(&b);
		mail_qp_encode(&b, line, strlen(line));
		assert_non_null(strstr(b.s, "x=\r\n=2Eend\r\n"));
	}
	/* the reserved room holds the worst case: every byte encoded */
	{
		char line[1000];

		memset(line, '=', sizeof(line) - 1);
		line[sizeof(line) - 1] = '\0';
		buf_reset(&b);
		mail_qp_encode(&b, line, strlen(line));
		assert_lines_ok(b.s, b.len);
		assert_int_equal(b.len, strlen(b.s));
		assert_int_equal(b.len, 999 * 3 + (999 / 25) * 3 + 2);
	}
	buf_free(&b);
}

static void test_finish_has_mime(void **state)
{
	struct mail m;
	char *out, *mid;
	size_t len;

	(void)state;
	mail_init(&m);
	mail_header(&m, "Date", "Mon, 29 Jul 2024 10:00:00 +0000");
	mail_puts(&m, "Bonjour\n");
	out = mail_finish(&m, &len);
	assert_non_null(strstr(out, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(out, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\nBonjour\r\n"));
	free(out);
	mail_free(&m);
	mid = mail_message_id("m_abc", "example.org");
	assert_string_equal(mid, "<mailcomments.m_abc@example.org>");
	free(mid);
	mid = mail_message_id(NULL, "example.org");
	assert_true(str_startswith(mid, "<mailcomments."));
	free(mid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_long_subject_folds),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_finish_has_mime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
