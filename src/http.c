/* http.c: the options every HTTP(S) request of ours sets (http.h). */
#include "http.h"
#include "banned.h"

void http_defaults(CURL *h, long timeout)
{
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "mailcomments/" MC_VERSION);
}
