/* webhook.c: the render webhook, through libcurl (GnuTLS flavour, which
 * verifies certificates against the system's CAs). */
#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curlload.h"
#include "json.h"
#include "http.h"
#include "log.h"
#include "webhook.h"
#include "banned.h"

/* Cloudflare takes at most 30 URLs per purge request. */
#define PURGE_MAX 30

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

void webhook_sign(const char *secret, int64_t ts, const char *body,
		  char out[72])
{
	unsigned char mac[32];
	struct buf msg;
	size_t i;

	buf_init(&msg);
	buf_addf(&msg, "%lld.", (long long)ts);
	buf_adds(&msg, body);
	gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret, strlen(secret), msg.s,
			 msg.len, mac);
	buf_free(&msg);
	memcpy(out, "sha256=", 7);
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = "0123456789abcdef"[mac[i] >> 4];
		out[8 + 2 * i] = "0123456789abcdef"[mac[i] & 15];
	}
	out[71] = '\0';
}

/* The headers of one try: signed with a fresh timestamp. */
static struct curl_slist *headers(const struct webhook_call *w)
{
	struct curl_slist *h = NULL;
	char *line, sig[72];
	int64_t ts = now();
	size_t i;

	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	if (w->event) {
		line = xasprintf("X-Mailcomments-Event: %s", w->event);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (w->secret) {
		webhook_sign(w->secret, ts, w->body, sig);
		line = xasprintf("X-Mailcomments-Timestamp: %lld",
				 (long long)ts);
		h = curl_slist_append(h, line);
		free(line);
		line = xasprintf("X-Mailcomments-Signature: %s", sig);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (w->bearer) {
		line = xasprintf("Authorization: Bearer %s", w->bearer);
		h = curl_slist_append(h, line);
		explicit_bzero(line, strlen(line));
		free(line);
	}
	for (i = 0; w->headers && i < w->headers->n; i++)
		h = curl_slist_append(h, w->headers->v[i]);
	return h;
}

int webhook_send(const struct webhook_call *w, struct mc_err *err)
{
	struct curl_slist *hdrs = NULL;
	unsigned pause = 1;
	long i;
	int rc = -1;
	CURL *h;

	if (!str_casestartswith(w->url, "http://") &&
	    !str_casestartswith(w->url, "https://"))
		return err_set(err, "webhook %s: only http and https URLs",
			       w->url);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, "webhook: cannot initialise libcurl%s",
			       curl_missing());
	h = curl_easy_init();
	if (h == NULL) {
		curl_global_cleanup();
		return err_set(err, "webhook: cannot initialise libcurl");
	}
	curl_easy_setopt(h, CURLOPT_URL, w->url);
	http_defaults(h, w->timeout);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, w->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(w->body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	for (i = 0; i <= w->retries; i++) {
		if (i > 0) {
			sleep(pause);
			pause = pause < 16 ? pause * 2 : 30;
		}
		curl_slist_free_all(hdrs);
		hdrs = headers(w);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
		if (attempt(h, w->url, err) == 0) {
			rc = 0;
			break;
		}
	}
	if (rc < 0 && w->retries > 0)
		err_prefix(err, "after %ld tries: ", w->retries + 1);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	return rc;
}

int webhook_post(const char *url, const char *json, long timeout,
		 long retries, struct mc_err *err)
{
	struct webhook_call w;

	memset(&w, 0, sizeof(w));
	w.url = url;
	w.body = json;
	w.timeout = timeout;
	w.retries = retries;
	return webhook_send(&w, err);
}

/* rel when path is dir/rel, else NULL. */
static const char *under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (dir[0] == '\0' || strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

static void add_url(struct buf *b, const char *base, const char *rel)
{
	size_t n = strlen(base);
	char *u;

	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	u = xasprintf("%s%s%s", base, n && base[n - 1] == '/' ? "" : "/",
		      rel);
	json_escape(b, u);
	free(u);
}

/* The public URL of each file (as JSON strings, comma-separated), from
 * index i, at most max of them; returns the index after the last. */
static size_t file_urls(const struct conf *c, char *const *files, size_t n,
			size_t i, size_t max, struct buf *out)
{
	char *outdir = c->render_directory[0] == '/' ?
			       xstrdup(c->render_directory) :
			       xasprintf("%s/%s", c->site_directory,
					 c->render_directory);
	size_t k = 0;

	for (; i < n && k < max; i++) {
		const char *rel = under(files[i], c->site_directory);
		const char *base = c->site_url;

		if (rel == NULL && c->render_url[0]) {
			rel = under(files[i], outdir);
			base = c->render_url;
		}
		if (rel == NULL)
			continue;
		if (k++ > 0)
			buf_addc(out, ',');
		add_url(out, base, rel);
	}
	free(outdir);
	return i;
}

static void send_logged(struct webhook_call *w)
{
	struct mc_err err;

	if (webhook_send(w, &err) < 0)
		log_warnx("%s", err.msg);
	else
		log_debug("webhook %s: %s sent", w->url,
			  w->event ? w->event : "POST");
}

void webhook_render(const struct conf *c, const char *event,
		    const char *articles, const struct change *changes,
		    size_t nchanges, char *const *files, size_t nfiles)
{
	const char *preset = c->render_webhook_preset;
	struct webhook_call w;
	struct mc_err err;
	char *secret = NULL;
	struct buf body;
	size_t i = 0;

	if (c->render_webhook_url[0] == '\0')
		return;
	if ((c->render_webhook_secret_file[0] ||
	     c->render_webhook_secret_env[0]) &&
	    conf_read_secret(c->render_webhook_secret_file,
			     c->render_webhook_secret_env, &secret,
			     &err) < 0) {
		log_warnx("webhook %s: secret: %s (not sent)",
			  c->render_webhook_url, err.msg);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.url = c->render_webhook_url;
	w.event = event;
	w.headers = &c->render_webhook_headers;
	w.timeout = c->render_webhook_timeout;
	w.retries = c->render_webhook_retries;
	buf_init(&body);
	if (strcmp(preset, "cloudflare_purge") == 0) {
		w.bearer = secret;
		while (i < nfiles) {
			buf_reset(&body);
			buf_adds(&body, "{\"files\":[");
			i = file_urls(c, files, nfiles, i, PURGE_MAX, &body);
			buf_adds(&body, "]}");
			w.body = body.s;
			send_logged(&w);
		}
	} else if (strcmp(preset, "netlify") == 0 ||
		   strcmp(preset, "vercel") == 0) {
		w.body = "{}";
		send_logged(&w);
	} else {
		w.secret = secret;
		buf_adds(&body, "{\"event\":");
		json_escape(&body, event);
		buf_adds(&body, ",\"site\":");
		json_escape(&body, c->site_url);
		buf_adds(&body, ",\"articles\":[");
		buf_adds(&body, articles);
		buf_adds(&body, "],\"changes\":[");
		for (i = 0; i < nchanges; i++) {
			buf_addf(&body, "%s{\"comment\":%lld,\"article\":",
				 i ? "," : "",
				 (long long)changes[i].comment_id);
			json_escape(&body, changes[i].slug);
			buf_adds(&body, ",\"event\":");
			json_escape(&body, changes[i].event);
			buf_addc(&body, '}');
		}
		buf_adds(&body, "],\"files\":[");
		file_urls(c, files, nfiles, 0, nfiles, &body);
		buf_adds(&body, "]}");
		w.body = body.s;
		send_logged(&w);
	}
	buf_free(&body);
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
}
