/* test_conf.c: the configuration loader: defaults, valid files, each kind
 * of invalid file (with file and line), and password file modes. */
#include "testutil.h"

#include "conf.h"
#include "util.h"

struct fx {
	char *dir;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	fx->dir = tu_tmpdir();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* Loads text as a config file; returns conf_load's result, errors in errs. */
static int load(struct fx *fx, const char *text, struct conf *c,
		struct buf *errs)
{
	char *path = tu_write(fx->dir, "t.conf", text, 0644);
	int rc;

	buf_init(errs);
	rc = conf_load(c, path, errs);
	free(path);
	return rc;
}

static void test_defaults_need_no_server(void **state)
{
	struct conf c;

	(void)state;
	conf_defaults(&c);
	assert_string_equal(c.source_type, "maildir");
	assert_string_equal(c.source_maildir, "var/inbox");
	assert_string_equal(c.transport_type, "maildir");
	assert_string_equal(c.transport_maildir, "var/outbox");
	assert_string_equal(c.database_path, "var/mailcomments.db");
	assert_string_equal(c.site_directory, "var/site");
	assert_int_equal(c.token_lifetime_days, 30);
	assert_int_equal(c.reader_token_days, 730);
	assert_int_equal(c.moderators.n, 1);
	assert_false(c.require_dkim);
	assert_true(c.publish_notice);
	conf_free(&c);
}

static void test_valid_file(void **state)
{
	struct conf c;
	struct buf errs;

	assert_int_equal(load(*state,
			      "site = { language = \"fr\"; name = \"Le blog\"; };\n"
			      "moderation = { moderators = [\"a@b.fr\", \"c@d.fr\"];\n"
			      "  languages = [\"c@d.fr=de\"];\n"
			      "  token_lifetime_days = 7; require_dkim = true;\n"
			      "  trusted_authserv_id = \"mx.b.fr\"; };\n"
			      "spam = { threshold = 6; };\n",
			      &c, &errs),
			 0);
	assert_string_equal(c.site_language, "fr");
	assert_string_equal(c.site_name, "Le blog");
	assert_int_equal(c.moderators.n, 2);
	assert_string_equal(c.moderators.v[1], "c@d.fr");
	assert_int_equal(c.token_lifetime_days, 7);
	assert_true(conf_is_moderator(&c, "C@D.FR"));
	/* each moderator's language, else the site's */
	assert_string_equal(conf_moderator_language(&c, "C@d.fr"), "de");
	assert_string_equal(conf_moderator_language(&c, "a@b.fr"), "fr");
	assert_string_equal(conf_moderator_language(&c, "x@b.fr"), "fr");
	assert_false(conf_is_moderator(&c, "x@d.fr"));
	assert_true(c.spam_threshold > 5.99 && c.spam_threshold < 6.01);
	/* untouched settings keep their defaults */
	assert_string_equal(c.database_path, "var/mailcomments.db");
	conf_free(&c);
	buf_free(&errs);
}

static void expect_error(void **state, const char *text, const char *want)
{
	struct conf c;
	struct buf errs;

	assert_int_equal(load(*state, text, &c, &errs), -1);
	if (strstr(errs.s, want) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", errs.s, want);
	buf_free(&errs);
}

static void test_typo_names_file_line_setting(void **state)
{
	expect_error(state, "site = {\n  langauge = \"fr\";\n};\n",
		     "t.conf:2: site.langauge: unknown setting");
	expect_error(state, "\n\nsiet = { language = \"fr\"; };\n",
		     "t.conf:3: siet: unknown group");
}

static void test_wrong_type(void **state)
{
	expect_error(state, "moderation = {\n token_lifetime_days = \"7\";\n};\n",
		     "t.conf:2: moderation.token_lifetime_days: must be an integer");
	expect_error(state, "log = { verbose = 1; };\n",
		     "t.conf:1: log.verbose: must be true or false");
	expect_error(state, "moderation = { moderators = \"a@b.fr\"; };\n",
		     "moderation.moderators: must be a list of strings");
}

static void test_bad_values(void **state)
{
	expect_error(state, "site = { language = \"deutsch\"; };\n",
		     "site.language: \"deutsch\" is not a language tag");
	expect_error(state, "limits = { mime_depth = 0; };\n",
		     "limits.mime_depth: 0 is out of range");
	expect_error(state, "address = { mailbox = \"nobody\"; };\n",
		     "address.mailbox: \"nobody\" is not a mail address");
	expect_error(state, "moderation = { moderators = [\"ok@x.org\", \"bad\"]; };\n",
		     "\"bad\" is not a mail address");
	expect_error(state, "moderation = { require_dkim = true; };\n",
		     "needs moderation.trusted_authserv_id");
	expect_error(state, "site = { language = \"fr\" \n",
		     "t.conf:2: syntax error");
	expect_error(state, "site = { language_paths = [\"en/\"]; };\n",
		     "site.language_paths: \"en/\": not PREFIX=LANGUAGE");
	expect_error(state, "site = { language_paths = [\"de/=deutsch\"]; };\n",
		     "\"de/=deutsch\": the language after '=' is not a language tag");
	expect_error(state, "site = { language_paths = [\"=de\"]; };\n",
		     "the path prefix before '=' is empty");
	expect_error(state, "site = { language_paths = [\"/de/=de\"]; };\n",
		     "no leading '/'");
	expect_error(state, "moderation = { languages = [\"a@b.fr\"]; };\n",
		     "not ADDRESS=LANGUAGE");
	expect_error(state, "moderation = { moderators = [\"a@b.fr\"];\n"
			    " languages = [\"a@b.fr=allemand\"]; };\n",
		     "the language after '=' is not a language tag");
	expect_error(state, "moderation = { moderators = [\"a@b.fr\"];\n"
			    " languages = [\"c@d.fr=de\"]; };\n",
		     "moderation.languages: \"c@d.fr\" is not one of "
		     "moderation.moderators");
}

static void test_every_error_reported(void **state)
{
	struct conf c;
	struct buf errs;
	const char *p;
	int lines = 0;

	assert_int_equal(load(*state,
			      "site = { langauge = \"fr\"; };\n"
			      "log = { verbose = 3; };\n"
			      "limits = { mime_parts = -1; };\n",
			      &c, &errs),
			 -1);
	for (p = errs.s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	buf_free(&errs);
}

/* Modes are strings of octal digits: libconfig reads a bare 0644 as
 * decimal 644, which would silently give other permissions. */
static void test_modes(void **state)
{
	struct conf c;
	struct buf errs;

	conf_defaults(&c);
	assert_int_equal(c.render_file_mode, 0644);
	assert_int_equal(c.render_directory_mode, 0755);
	conf_free(&c);
	assert_int_equal(load(*state,
			      "render = { file_mode = \"0640\";"
			      " directory_mode = \"750\"; };\n",
			      &c, &errs),
			 0);
	assert_int_equal(c.render_file_mode, 0640);
	assert_int_equal(c.render_directory_mode, 0750);
	conf_free(&c);
	buf_free(&errs);
	assert_int_equal(load(*state,
			      "render = {\n file_mode = 0644;\n"
			      " directory_mode = \"0o755\";\n };\n",
			      &c, &errs),
			 -1);
	assert_non_null(strstr(errs.s, ":2: render.file_mode: write the mode "
				       "as a string in quotes"));
	assert_non_null(strstr(errs.s, ":3: render.directory_mode: \"0o755\" "
				       "is not a mode"));
	buf_free(&errs);
	assert_int_equal(load(*state,
			      "render = {\n file_mode = \"0444\";\n"
			      " directory_mode = \"0757\";\n };\n",
			      &c, &errs),
			 -1);
	assert_non_null(strstr(errs.s, ":2: render.file_mode: \"0444\" must "
				       "give the owner rw"));
	assert_non_null(strstr(errs.s, ":3: render.directory_mode: \"0757\" "
				       "lets every local user"));
	buf_free(&errs);
}

static void test_missing_file(void **state)
{
	struct conf c;
	struct buf errs;

	(void)state;
	buf_init(&errs);
	assert_int_equal(conf_load(&c, "/nonexistent/x.conf", &errs), -1);
	assert_non_null(strstr(errs.s, "/nonexistent/x.conf: cannot read"));
	buf_free(&errs);
}

static void test_secret_file_modes(void **state)
{
	struct fx *fx = *state;
	struct mc_err err;
	char *secret, *path;

	path = tu_write(fx->dir, "pw", "s3cret\n", 0600);
	assert_int_equal(conf_read_secret(path, NULL, &secret, &err), 0);
	assert_string_equal(secret, "s3cret");
	free(secret);

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(conf_read_secret(path, NULL, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "group or others"));
	assert_null(secret);

	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(conf_read_secret(path, NULL, &secret, &err), -1);
	free(path);
}

static void test_secret_file_checked_at_load(void **state)
{
	struct fx *fx = *state;
	char *pw = tu_write(fx->dir, "pw", "x", 0644), *text;
	struct conf c;
	struct buf errs;

	text = xasprintf("imap = {\n password_file = \"%s\";\n};\n", pw);
	assert_int_equal(load(fx, text, &c, &errs), -1);
	assert_non_null(strstr(errs.s, "t.conf:2: imap.password_file:"));
	assert_non_null(strstr(errs.s, "chmod 600"));
	buf_free(&errs);
	assert_int_equal(chmod(pw, 0600), 0);
	assert_int_equal(load(fx, text, &c, &errs), 0);
	conf_free(&c);
	buf_free(&errs);
	free(text);
	free(pw);
}

static void test_secret_from_env(void **state)
{
	struct mc_err err;
	char *secret;

	(void)state;
	setenv("MC_TEST_PW", "envpw", 1);
	assert_int_equal(conf_read_secret("", "MC_TEST_PW", &secret, &err), 0);
	assert_string_equal(secret, "envpw");
	free(secret);
	unsetenv("MC_TEST_PW");
	assert_int_equal(conf_read_secret("", "MC_TEST_PW", &secret, &err), -1);
	assert_non_null(strstr(err.msg, "MC_TEST_PW is not set"));
}

static void test_print_masks_secrets(void **state)
{
	struct fx *fx = *state;
	char *pw = tu_write(fx->dir, "pw", "topsecretvalue", 0600), *text;
	struct conf c;
	struct buf errs;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	text = xasprintf("smtp = { password_file = \"%s\"; };\n", pw);
	assert_int_equal(load(fx, text, &c, &errs), 0);
	f = open_memstream(&out, &outlen);
	conf_print(&c, f);
	fclose(f);
	assert_null(strstr(out, "topsecretvalue"));
	assert_non_null(strstr(out, "********"));
	free(out);
	conf_free(&c);
	buf_free(&errs);
	free(text);
	free(pw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_need_no_server),
		cmocka_unit_test_setup_teardown(test_valid_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typo_names_file_line_setting,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_error_reported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_setup_teardown(test_secret_file_modes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_secret_file_checked_at_load,
						setup, teardown),
		cmocka_unit_test(test_secret_from_env),
		cmocka_unit_test_setup_teardown(test_print_masks_secrets, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
