/* http.h: what every HTTP(S) request the gateway makes sets on its
 * libcurl handle (the webhook, the S3 deploy target): one place for the
 * protocols allowed, redirects refused, timeouts and the user agent. */
#ifndef MC_HTTP_H
#define MC_HTTP_H

#include <curl/curl.h>

/* Sets on h: http and https only (no file:, no other scheme a redirect
 * or a setting could name), redirects not followed, no signals, timeout
 * seconds for the connection and for the whole request, our user agent. */
void http_defaults(CURL *h, long timeout);

#endif
