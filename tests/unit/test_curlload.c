/* test_curlload.c: libcurl is opened when first used, not at start, and
 * what goes through curl_easy_setopt()'s variable arguments reaches it
 * whole, for each kind of option (long, pointer, callback, curl_off_t):
 * a file:// transfer shows each at work. */
#include <curl/curl.h>
#include <dlfcn.h>
#include <strings.h>

#include "testutil.h"

#include "curlload.h"
#include "util.h"

static int curl_mapped(void)
{
	void *h = dlopen(MC_CURL_SONAME, RTLD_NOW | RTLD_NOLOAD);

	if (h != NULL)
		dlclose(h);
	return h != NULL;
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* url into out, from byte from: a long, or a curl_off_t when large */
static CURLcode fetch(const char *url, long from, int large, struct buf *out)
{
	CURL *h = curl_easy_init();
	CURLcode rc;
	char *scheme = NULL;

	assert_non_null(h);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_URL, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect),
			 CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEDATA, out), CURLE_OK);
	if (large)
		assert_int_equal(curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE,
						  (curl_off_t)from),
				 CURLE_OK);
	else
		assert_int_equal(curl_easy_setopt(h, CURLOPT_RESUME_FROM, from),
				 CURLE_OK);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK) {
		assert_int_equal(curl_easy_getinfo(h, CURLINFO_SCHEME, &scheme),
				 CURLE_OK);
		assert_non_null(scheme);
		assert_int_equal(strcasecmp(scheme, "file"), 0);
	}
	curl_easy_cleanup(h);
	return rc;
}

static void test_opened_when_first_used(void **state)
{
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "f", "0123456789", 0600);
	char *url = xasprintf("file://%s", path);
	struct buf got;

	(void)state;
	/* nothing of libcurl's at start: an approval or an empty poll
	 * never maps it */
	assert_false(curl_mapped());
	assert_string_equal(curl_missing(), "");
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	assert_true(curl_mapped());

	buf_init(&got);
	assert_int_equal(fetch(url, 3, 0, &got), CURLE_OK);
	assert_int_equal(got.len, 7);
	assert_memory_equal(got.s, "3456789", 7);
	buf_reset(&got);
	assert_int_equal(fetch(url, 6, 1, &got), CURLE_OK);
	assert_int_equal(got.len, 4);
	assert_memory_equal(got.s, "6789", 4);
	/* past the end: libcurl's own error and its own words for it */
	assert_int_equal(fetch(url, 20, 1, &got), CURLE_BAD_DOWNLOAD_RESUME);
	assert_non_null(strstr(curl_easy_strerror(CURLE_BAD_DOWNLOAD_RESUME),
			       "resume"));
	buf_free(&got);
	curl_global_cleanup();
	tu_rmtree(dir);
	free(url);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opened_when_first_used),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
