/* webhook.h: tells another service (a CDN, a site build) that pages
 * changed, with one HTTP POST of a JSON body through libcurl.  Bounded:
 * a timeout per attempt and a fixed number of retries with a growing
 * pause.  Only http and https, no redirects followed. */
#ifndef MC_WEBHOOK_H
#define MC_WEBHOOK_H

#include "util.h"

/* POSTs json (Content-Type: application/json) to url; a 2xx answer is
 * success.  Tries 1 + retries times, each within timeout seconds, pausing
 * 1, 2, 4... seconds (at most 30) between tries.  Returns -1 with err
 * saying what the last attempt got. */
int webhook_post(const char *url, const char *json, long timeout,
		 long retries, struct mc_err *err);

#endif
