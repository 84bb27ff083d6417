/* webhook.c: the render webhook, through libcurl (GnuTLS flavour, which
 * verifies certificates against the system's CAs). */
#include <curl/curl.h>
#include <string.h>
#include <unistd.h>

#include "webhook.h"
#include "banned.h"

#ifndef MC_VERSION
#define MC_VERSION "0"
#endif

/* The answer's body is not used; reading it lets the connection close
 * cleanly. */
static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static int attempt(CURL *h, const char *url, struct mc_err *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode rc;

	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		return err_set(err, "webhook %s: %s", url,
			       errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		return err_set(err, "webhook %s: HTTP status %ld", url,
			       status);
	return 0;
}

int webhook_post(const char *url, const char *json, long timeout,
		 long retries, struct mc_err *err)
{
	struct curl_slist *hdrs = NULL;
	unsigned pause = 1;
	long i;
	int rc = -1;
	CURL *h;

	if (!str_casestartswith(url, "http://") &&
	    !str_casestartswith(url, "https://"))
		return err_set(err, "webhook %s: only http and https URLs",
			       url);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, "webhook: cannot initialise libcurl");
	h = curl_easy_init();
	if (h == NULL) {
		curl_global_cleanup();
		return err_set(err, "webhook: cannot initialise libcurl");
	}
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "mailcomments/" MC_VERSION);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	for (i = 0; i <= retries; i++) {
		if (i > 0) {
			sleep(pause);
			pause = pause < 16 ? pause * 2 : 30;
		}
		if (attempt(h, url, err) == 0) {
			rc = 0;
			break;
		}
	}
	if (rc < 0 && retries > 0)
		err_prefix(err, "after %ld tries: ", retries + 1);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	return rc;
}
