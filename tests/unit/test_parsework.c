/* test_parsework.c: the parse worker (parsework.h) gives, message by
 * message and in order, exactly what msg_parse_head() gives inline (HTML
 * parts, charsets, invalid and oversized mail, a parse error); it stays
 * within its window in messages and in bytes; a batch ended half taken
 * frees what was parsed ahead (ASan checks) and the next batch is
 * parsed from its start. */
#include <time.h>

#include "msgtest.h"
#include "parsework.h"
#include "util.h"

#define NMSG 300

static char *make_mail(size_t i)
{
	switch (i % 6) {
	case 0:
		return xasprintf(
			"From: Reader %zu <r%zu@example.net>\r\n"
			"To: comments+2024/a@example.org\r\n"
			"Subject: Re: Article\r\nMessage-ID: <p%zu@example.net>\r\n"
			"Date: Mon, 29 Jul 2024 10:00:00 +0200\r\n\r\n"
			"Plain comment %zu.\r\n\r\n> quoted\r\n-- \r\nsig\r\n",
			i, i, i, i);
	case 1:
		return xasprintf(
			"From: =?UTF-8?Q?Zo=C3=A9?= <z%zu@example.net>\r\n"
			"To: comments+2024/a@example.org\r\nMessage-ID: <h%zu@x>\r\n"
			"Content-Type: multipart/alternative; boundary=b\r\n\r\n"
			"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
			"<div><p>HTML %zu</p><blockquote>q</blockquote>"
			"<a href=\"http://e.org/\">l</a></div>\r\n--b--\r\n",
			i, i, i);
	case 2:
		return xasprintf(
			"From: x%zu@example.net\r\nTo: comments@example.org\r\n"
			"Content-Type: text/plain; charset=iso-8859-1\r\n"
			"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
			"Caf=E9 %zu =\r\nsoft\r\n",
			i, i);
	case 3: /* no From: invalid */
		return xasprintf("Subject: %zu\r\n\r\nbody\r\n", i);
	case 4: /* an auto-reply */
		return xasprintf(
			"From: a%zu@example.net\r\nTo: comments@example.org\r\n"
			"Auto-Submitted: auto-replied\r\n"
			"Subject: Out of office\r\n\r\nAway %zu\r\n",
			i, i);
	default: /* HTML alone, deep */
		return xasprintf(
			"From: d%zu@example.net\r\nTo: comments@example.org\r\n"
			"Content-Type: text/html\r\n\r\n"
			"<div><div><div><table><tr><td>%zu</td></tr></table>"
			"</div></div></div>\r\n",
			i, i);
	}
}

static void make_batch(struct src_msg *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *t = make_mail(i);

		b[i].id = xasprintf("%zu", i + 1);
		buf_init(&b[i].raw);
		buf_adds(&b[i].raw, t);
		b[i].size = b[i].raw.len;
		free(t);
	}
	/* a message over the size limit, read in part */
	b[7].size = b[7].raw.len + 100000000;
}

static void free_batch(struct src_msg *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].id);
		buf_free(&b[i].raw);
	}
}

static char *json_of(const struct message *m)
{
	struct buf b;

	buf_init(&b);
	msg_to_json(m, &b);
	return b.s;
}

static void nap(void)
{
	struct timespec ts = { 0, 2000000 };

	nanosleep(&ts, NULL);
}

/* Waits (bounded: 10 s) until the worker has parsed want ahead, gives it
 * 100 ms more to go beyond, and returns how many it has then: want is
 * what the test expects, never more (waiting for more than comes took
 * the whole 10 s). */
static size_t settle(struct parsework *pw, size_t want)
{
	int i;

	for (i = 0; i < 5000 && pw_ahead(pw) < want; i++)
		nap();
	for (i = 0; i < 50; i++)
		nap();
	return pw_ahead(pw);
}

static void test_same_as_inline(void **state)
{
	struct src_msg *b = xcalloc(NMSG, sizeof(*b));
	struct parsework *pw;
	struct conf c;
	size_t i;

	(void)state;
	conf_defaults(&c);
	make_batch(b, NMSG);
	pw = pw_start(&c);
	assert_non_null(pw);
	pw_begin(pw, b, NMSG);
	for (i = 0; i < NMSG; i++) {
		struct message *mw = NULL, *mi = NULL;
		struct mc_err ew, ei;
		char *jw, *ji;

		assert_int_equal(pw_take(pw, i, &mw, &ew), 0);
		assert_int_equal(msg_parse_head(b[i].raw.s, b[i].raw.len,
						b[i].size, &c, &mi, &ei), 0);
		jw = json_of(mw);
		ji = json_of(mi);
		assert_string_equal(jw, ji);
		assert_string_equal(mw->key, mi->key);
		free(jw);
		free(ji);
		msg_free(mw);
		msg_free(mi);
	}
	pw_end(pw);

	/* a parse error comes back as it is, with its message */
	b[0].raw.len = 5;
	free(b[0].raw.s);
	b[0].raw.s = NULL;
	pw_begin(pw, b, 2);
	{
		struct message *m = NULL;
		struct mc_err e = { "" };

		assert_int_equal(pw_take(pw, 0, &m, &e), -1);
		assert_null(m);
		assert_string_equal(e.msg, "no message to parse");
		assert_int_equal(pw_take(pw, 1, &m, &e), 0);
		assert_non_null(m);
		msg_free(m);
	}
	pw_end(pw);
	pw_stop(pw);
	b[0].raw.len = 0;
	free_batch(b, NMSG);
	free(b);
	conf_free(&c);
}

static void test_window(void **state)
{
	struct src_msg *b = xcalloc(NMSG, sizeof(*b));
	struct parsework *pw;
	struct message *m;
	struct mc_err e;
	struct conf c;
	size_t i;

	(void)state;
	conf_defaults(&c);
	make_batch(b, NMSG);
	pw = pw_start(&c);
	pw_begin(pw, b, NMSG);
	/* nothing taken: the worker stops PW_AHEAD ahead */
	assert_int_equal(settle(pw, PW_AHEAD), PW_AHEAD);
	/* one taken: the worker is not woken for one slot (it would parse
	 * one and wait again, a wake a message); it is once the window has
	 * drained to half, and fills it again */
	assert_int_equal(pw_take(pw, 0, &m, &e), 0);
	msg_free(m);
	assert_int_equal(settle(pw, PW_AHEAD - 1), PW_AHEAD - 1);
	for (i = 1; i < PW_AHEAD / 2 - 1; i++) {
		assert_int_equal(pw_take(pw, i, &m, &e), 0);
		msg_free(m);
	}
	assert_int_equal(settle(pw, PW_AHEAD / 2 + 1), PW_AHEAD / 2 + 1);
	assert_int_equal(pw_take(pw, i, &m, &e), 0);
	msg_free(m);
	assert_int_equal(settle(pw, PW_AHEAD), PW_AHEAD);
	/* ended half taken: the rest is freed, the next batch starts at 0 */
	pw_end(pw);
	assert_int_equal(pw_ahead(pw), 0);
	pw_begin(pw, b + 1, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(pw_take(pw, i, &m, &e), 0);
		if (i == 0) /* b[1] */
			assert_string_equal(m->key, "<h1@x>");
		msg_free(m);
	}
	pw_end(pw);
	pw_stop(pw);
	free_batch(b, NMSG);

	/* big mail: the window in bytes holds fewer (1 MiB each: 8) */
	for (i = 0; i < 20; i++) {
		b[i].id = xasprintf("%zu", i);
		buf_init(&b[i].raw);
		buf_adds(&b[i].raw, "From: a@example.net\r\n\r\n");
		while (b[i].raw.len < (1u << 20))
			buf_adds(&b[i].raw, "0123456789abcdef\r\n");
		b[i].raw.len = 1u << 20;
		b[i].size = b[i].raw.len;
	}
	pw = pw_start(&c);
	pw_begin(pw, b, 20);
	assert_int_equal(settle(pw, PW_AHEAD_BYTES >> 20), PW_AHEAD_BYTES >> 20);
	pw_end(pw);
	pw_stop(pw);
	free_batch(b, 20);
	free(b);
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_inline),
		cmocka_unit_test(test_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
