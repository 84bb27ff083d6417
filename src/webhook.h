/* webhook.h: tells another service (a CDN, a site build) that pages
 * changed, with HTTP POSTs of a JSON body through libcurl.  Bounded:
 * a timeout per attempt and a fixed number of retries with a growing
 * pause.  Only http and https, no redirects followed.
 *
 * A request may carry configured headers (tokens), a bearer token, and
 * a signature: X-Mailcomments-Timestamp (Unix seconds) and
 * X-Mailcomments-Signature: sha256=HEX, HEX being the HMAC-SHA256,
 * keyed with the shared secret, of TIMESTAMP "." BODY (README:
 * verifying it, with a replay window).  Secrets are never logged. */
#ifndef MC_WEBHOOK_H
#define MC_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "changes.h"
#include "conf.h"
#include "util.h"

struct webhook_call {
	const char *url;
	const char *event;             /* X-Mailcomments-Event; may be NULL */
	const char *body;              /* JSON */
	const struct strlist *headers; /* "Name: value"; may be NULL */
	const char *secret;            /* HMAC key; NULL: unsigned */
	const char *bearer;            /* Authorization: Bearer; may be NULL */
	long timeout, retries;
};

/* POSTs w->body (Content-Type: application/json) to w->url; a 2xx answer
 * is success.  Tries 1 + retries times, each within timeout seconds,
 * pausing 1, 2, 4... seconds (at most 30) between tries; each try is
 * signed anew (a fresh timestamp).  Returns -1 with err saying what the
 * last attempt got. */
int webhook_send(const struct webhook_call *w, struct mc_err *err);

/* webhook_send() of json, unsigned, without headers. */
int webhook_post(const char *url, const char *json, long timeout,
		 long retries, struct mc_err *err);

/* "sha256=" and the hex HMAC-SHA256 of "TS.BODY" keyed with secret. */
void webhook_sign(const char *secret, int64_t ts, const char *body,
		  char out[72]);

/* After a render or a removal: the POST render.webhook_preset asks for
 * (mailcomments: the event, the articles (a JSON array's inside) and the
 * changed files' public URLs, signed when render.webhook_secret_* is set;
 * netlify, vercel: an empty JSON object to a build hook; cloudflare_purge:
 * {"files":[URLs]} in requests of at most 30, the secret as the bearer
 * token).  Failures are logged, never returned. */
void webhook_render(const struct conf *c, const char *event,
		    const char *articles, const struct change *changes,
		    size_t nchanges, char *const *files, size_t nfiles);

#endif
