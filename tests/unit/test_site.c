/* test_site.c: the `sites` list (conf_load_site: inheritance, names,
 * settings a site cannot set, the shard's paths) and routing by recipient
 * (site_route: the server's topmost envelope fields, forged ones below
 * its Received, To/Cc, sub-addresses, aliases, ambiguity, floods). */
#include "testutil.h"

#include "conf.h"
#include "site.h"
#include "util.h"

static const char base_conf[] =
	"moderation = { moderators = [\"boss@example.org\"]; };\n"
	"database = { path = \"/srv/mc/state/mc.db\"; };\n"
	"render = { max_depth = 5; };\n"
	"sites = (\n"
	" { name = \"a\"; address = { mailbox = \"comments@a.example\"; };\n"
	"   moderation = { moderators = [\"ann@example.org\"]; }; },\n"
	" { name = \"b-2\"; address = { mailbox = \"talk@b.example\";\n"
	"   separator = \"-\"; };\n"
	"   site = { addresses = [\"old@b-old.example\"]; };\n"
	"   render = { max_depth = 1; }; },\n"
	" { name = \"c\"; address = { mailbox = \"comments@c.example\"; }; }\n"
	");\n";

struct fx {
	char *dir;
	char *path;
	struct conf sites[3];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct buf errs;
	static const char *const names[] = { "a", "b-2", "c" };
	size_t i;

	fx->dir = tu_tmpdir();
	fx->path = tu_write(fx->dir, "s.conf", base_conf, 0644);
	for (i = 0; i < 3; i++) {
		buf_init(&errs);
		if (conf_load_site(&fx->sites[i], fx->path, names[i], &errs) <
		    0)
			fail_msg("%s", errs.s);
		buf_free(&errs);
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < 3; i++)
		conf_free(&fx->sites[i]);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx->path);
	free(fx);
	return 0;
}

static int load_text(struct fx *fx, const char *text, const char *site,
		     struct conf *c, struct buf *errs)
{
	char *path = tu_write(fx->dir, "t.conf", text, 0644);
	int rc;

	buf_init(errs);
	rc = conf_load_site(c, path, site, errs);
	free(path);
	return rc;
}

static void test_inherits_and_overrides(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx->sites[0].site_id, "a");
	assert_string_equal(fx->sites[0].moderators.v[0], "ann@example.org");
	assert_int_equal(fx->sites[0].render_max_depth, 5); /* top level */
	assert_int_equal(fx->sites[1].render_max_depth, 1); /* its own */
	assert_string_equal(fx->sites[1].moderators.v[0], "boss@example.org");
	assert_string_equal(fx->sites[0].database_path,
			    "/srv/mc/state/sites/a/mailcomments.db");
	assert_string_equal(fx->sites[1].source_maildir,
			    "/srv/mc/state/sites/b-2/queue");
	assert_string_equal(fx->sites[2].transport_maildir,
			    "/srv/mc/state/sites/c/outbox");
	assert_int_equal(fx->sites[0].site_ids.n, 3);
}

static void test_top_level_is_unchanged(void **state)
{
	struct fx *fx = *state;
	struct conf c;
	struct buf errs;

	buf_init(&errs);
	assert_int_equal(conf_load(&c, fx->path, &errs), 0);
	assert_null(c.site_id);
	assert_int_equal(c.site_ids.n, 3);
	assert_string_equal(c.database_path, "/srv/mc/state/mc.db");
	conf_free(&c);
	buf_free(&errs);
}

static void test_refusals(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *text, *site, *want;
	} cases[] = {
		{ "sites = ( { name = \"A\"; } );", NULL, "lowercase letters" },
		{ "sites = ( { name = \"../x\"; } );", NULL, "lowercase letters" },
		{ "sites = ( { name = \"-x\"; } );", NULL, "lowercase letters" },
		{ "sites = ( { site = { url = \"x\"; }; } );", NULL, "needs name" },
		{ "sites = ( { name = \"a\"; }, { name = \"a\"; } );", NULL,
		  "two sites are named" },
		{ "sites = ( { name = \"a\"; render = { formatt = 1; }; } );",
		  NULL, "render.formatt: unknown setting" },
		{ "sites = ( { name = \"a\"; render = { max_depth = \"x\"; }; } );",
		  NULL, "render.max_depth: must be an integer" },
		{ "sites = ( { name = \"a\"; database = { path = \"/x\"; }; } );",
		  NULL, "cannot differ per site" },
		{ "sites = ( { name = \"a\"; log = { verbose = true; }; } );",
		  NULL, "one gateway, one log" },
		{ "sites = ( { name = \"a\"; } );", "b",
		  "no such site; the sites are: a" },
		{ "render = { max_depth = 2; };", "a", "is one site" },
		{ "sites = { name = \"a\"; };", NULL, "must be a list" },
	};
	struct conf c;
	struct buf errs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (load_text(fx, cases[i].text, cases[i].site, &c, &errs) == 0)
			fail_msg("accepted: %s", cases[i].text);
		if (strstr(errs.s, cases[i].want) == NULL)
			fail_msg("%s: %s", cases[i].text, errs.s);
		buf_free(&errs);
	}
}

static int route(struct fx *fx, const char *msg, char *why)
{
	return site_route(fx->sites, 3, msg, strlen(msg), why, 300);
}

static void test_route(void **state)
{
	struct fx *fx = *state;
	char why[300];

	/* the envelope decides over To */
	assert_int_equal(route(fx, "Delivered-To: comments+x@c.example\n"
				   "To: comments+x@a.example\n\nhi\n", why), 2);
	assert_int_equal(route(fx, "X-Original-To: COMMENTS@A.Example\n"
				   "Delivered-To: catchall@host.example\n"
				   "\nhi\n", why), 0);
	/* separator of the site, sub-address, alias */
	assert_int_equal(route(fx, "To: talk-m_abc@b.example\n\n", why), 1);
	assert_int_equal(route(fx, "To: <old+slug@b-old.example>\n\n", why),
			 1);
	/* a prefix is not the mailbox */
	assert_int_equal(route(fx, "To: commentsx@a.example\n\n", why), -1);
	assert_non_null(strstr(why, "no site is reached at commentsx@"));
	/* Delivered-To below the server's Received: the sender's, ignored */
	assert_int_equal(route(fx, "Received: by mx\n"
				   "Delivered-To: comments@c.example\n"
				   "To: comments@a.example\n\n", why), 0);
	/* the topmost envelope field alone counts */
	assert_int_equal(route(fx, "Delivered-To: comments@a.example\n"
				   "Delivered-To: comments@c.example\n\n",
			       why), 0);
	/* envelope present, matching no site: To is not asked */
	assert_int_equal(route(fx, "Delivered-To: me@else.example\n"
				   "To: comments@a.example\n\n", why), -1);
	assert_non_null(strstr(why, "Delivered-To"));
	/* two sites at once */
	assert_int_equal(route(fx, "To: comments@a.example\n"
				   "Cc: comments@c.example\n\n", why), -1);
	assert_string_equal(why, "addressed to sites a and c");
	assert_int_equal(route(fx, "Subject: none\n\n", why), -1);
	assert_non_null(strstr(why, "(no recipient)"));
}

/* A flood of recipients costs a bounded look: only the first 100. */
static void test_route_bounded(void **state)
{
	struct fx *fx = *state;
	struct buf b;
	char why[300];
	int i;

	buf_init(&b);
	buf_adds(&b, "To: ");
	for (i = 0; i < 5000; i++)
		buf_adds(&b, "x@else.example, ");
	buf_adds(&b, "comments@a.example\n\nbody\n");
	assert_int_equal(site_route(fx->sites, 3, b.s, b.len, why, sizeof(why)),
			 -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inherits_and_overrides,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_level_is_unchanged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_bounded, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
