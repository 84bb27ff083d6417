/* deploy_s3.c: the `s3` target: each changed file PUT to the bucket
 * (Content-Type by extension, deploy_s3.cache_control, the body's
 * SHA-256 signed), each removed one DELETEd, through libcurl's AWS
 * Signature Version 4 (CURLOPT_AWS_SIGV4).  The secret is read at each
 * attempt (conf_read_secret: a file only its owner reads, or the
 * environment) and never written to a log: errors name the URL, the
 * status and S3's error code only. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "curlload.h"
#include "deploy_int.h"
#include "http.h"
#include "log.h"
#include "banned.h"

#ifndef MC_VERSION
#define MC_VERSION "0"
#endif

#define FILE_MAX (256u << 20)

static int unreserved(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
	       ch == '_' || ch == '~';
}

static void add_encoded(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (unreserved(ch) || ch == '/')
			buf_addc(b, (char)ch);
		else
			buf_addf(b, "%%%02X", ch);
	}
}

char *dp_s3_url(const char *endpoint, const char *bucket, int virtual_host,
		const char *prefix, const char *key, struct mc_err *err)
{
	const char *host, *scheme_end;
	size_t hlen;
	struct buf b;

	if (str_casestartswith(endpoint, "https://"))
		scheme_end = endpoint + 8;
	else if (str_casestartswith(endpoint, "http://"))
		scheme_end = endpoint + 7;
	else {
		err_set(err, "deploy_s3.endpoint: %s is not an http(s) URL",
			endpoint);
		return NULL;
	}
	host = scheme_end;
	hlen = strcspn(host, "/?#");
	if (hlen == 0) {
		err_set(err, "deploy_s3.endpoint: %s has no host", endpoint);
		return NULL;
	}
	buf_init(&b);
	buf_add(&b, endpoint, (size_t)(scheme_end - endpoint));
	if (virtual_host) {
		buf_addf(&b, "%s.", bucket);
		buf_add(&b, host, hlen);
		buf_addc(&b, '/');
	} else {
		buf_add(&b, host, hlen);
		buf_addc(&b, '/');
		add_encoded(&b, bucket);
		buf_addc(&b, '/');
	}
	add_encoded(&b, prefix);
	add_encoded(&b, key);
	return buf_detach(&b);
}

const char *dp_content_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".htm", "text/html; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".atom", "application/atom+xml" },
		{ ".xml", "application/xml" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".ico", "image/vnd.microsoft.icon" },
		{ ".woff2", "font/woff2" },
		{ ".pdf", "application/pdf" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot && strchr(dot, '/') == NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (ascii_casecmp(dot, types[i][0]) == 0)
				return types[i][1];
	return "application/octet-stream";
}

/* The file to upload: a regular file, a link at its place refused (the
 * walk and fsroot refused links already: this closes the race). */
int dp_s3_read(const char *path, struct buf *b, struct mc_err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	char tmp[65536];
	struct stat sb;
	ssize_t r;

	if (fd < 0)
		return err_set(err, "s3: %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (uintmax_t)sb.st_size > FILE_MAX) {
		close(fd);
		return err_set(err, "s3: refused %s: not a regular file of at "
				    "most %u bytes",
			       path, FILE_MAX);
	}
	while ((r = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(b, tmp, (size_t)r);
	close(fd);
	if (r < 0)
		return err_set(err, "s3: %s: %s", path, strerror(errno));
	return 0;
}

struct body {
	const char *p;
	size_t len, off;
};

static size_t read_body(char *dst, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t left = b->len - b->off, want = size * n;

	if (want > left)
		want = left;
	memcpy(dst, b->p + b->off, want);
	b->off += want;
	return want;
}

static size_t keep_answer(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len < 4096)
		buf_add(b, p, size * n);
	return size * n;
}

/* S3's <Code> in an error answer, for the log ("SignatureDoesNotMatch"). */
static void error_code(const struct buf *ans, char code[64])
{
	const char *p = strstr(ans->s, "<Code>"), *e;
	size_t n;

	code[0] = '\0';
	if (p == NULL || (e = strstr(p + 6, "</Code>")) == NULL)
		return;
	n = (size_t)(e - p - 6);
	if (n > 63)
		n = 63;
	memcpy(code, p + 6, n);
	code[n] = '\0';
}

/* One request: PUT of data (data != NULL) or DELETE. */
static int request(CURL *h, const struct conf *c, const char *url,
		   const char *rel, const struct buf *data, struct mc_err *err)
{
	struct curl_slist *hd = NULL;
	struct body body = { data ? data->s : "", data ? data->len : 0, 0 };
	char sha[65], *line, errbuf[CURL_ERROR_SIZE] = "", code[64];
	struct buf ans;
	long status = 0;
	CURLcode rc;
	int ret = 0;

	buf_init(&ans);
	curl_easy_setopt(h, CURLOPT_URL, url);
	sha256_hex(body.p, body.len, sha);
	line = xasprintf("x-amz-content-sha256: %s", sha);
	hd = curl_slist_append(hd, line);
	free(line);
	if (data) {
		line = xasprintf("Content-Type: %s", dp_content_type(rel));
		hd = curl_slist_append(hd, line);
		free(line);
		if (c->s3_cache_control[0]) {
			line = xasprintf("Cache-Control: %s",
					 c->s3_cache_control);
			hd = curl_slist_append(hd, line);
			free(line);
		}
		hd = curl_slist_append(hd, "Expect:");
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
		curl_easy_setopt(h, CURLOPT_READDATA, &body);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
				 (curl_off_t)body.len);
	} else {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 0L);
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		ret = err_set(err, "s3: %s %s: %s", data ? "PUT" : "DELETE",
			      url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		/* a DELETE of what is already gone is done */
		if (status < 200 || (status > 299 && !(status == 404 && !data))) {
			error_code(&ans, code);
			ret = err_set(err, "s3: %s %s: HTTP status %ld%s%s",
				      data ? "PUT" : "DELETE", url, status,
				      code[0] ? " " : "", code);
		}
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hd);
	buf_free(&ans);
	return ret;
}

static CURL *open_curl(const struct conf *c, const char *secret)
{
	CURL *h = curl_easy_init();
	char *sig;

	if (h == NULL)
		return NULL;
	sig = xasprintf("aws:amz:%s:s3", c->s3_region);
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sig);
	free(sig);
	curl_easy_setopt(h, CURLOPT_USERNAME, c->s3_access_key_id);
	curl_easy_setopt(h, CURLOPT_PASSWORD, secret);
	http_defaults(h, c->deploy_timeout);
	return h;
}

int dp_s3(const struct conf *c, const struct deploy_set *s,
	  struct mc_err *err)
{
	int vhost = strcmp(c->s3_url_style, "virtual") == 0, rc = 0;
	char *secret = NULL;
	struct buf data;
	size_t i;
	CURL *h;

	if (conf_read_secret(c->s3_secret_file, c->s3_secret_env, &secret,
			     err) < 0)
		return err_prefix(err, "s3: secret key: ");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h = open_curl(c, secret)) == NULL) {
		free(secret);
		return err_set(err, "s3: cannot initialise libcurl%s",
			       curl_missing());
	}
	buf_init(&data);
	for (i = 0; i < s->n && rc == 0; i++) {
		const struct deploy_file *f = &s->v[i];
		char *url = dp_s3_url(c->s3_endpoint, c->s3_bucket, vhost,
				      c->s3_prefix, f->rel, err);

		buf_reset(&data);
		if (url == NULL)
			rc = -1;
		else if (!f->removed && dp_s3_read(f->path, &data, err) < 0)
			rc = -1;
		else
			rc = request(h, c, url, f->rel,
				     f->removed ? NULL : &data, err);
		free(url);
	}
	buf_free(&data);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	/* not left in freed memory either */
	explicit_bzero(secret, strlen(secret));
	free(secret);
	return rc;
}

void dp_s3_plan(const struct conf *c, const struct deploy_set *s,
		struct buf *out)
{
	int vhost = strcmp(c->s3_url_style, "virtual") == 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct deploy_file *f = &s->v[i];
		char *url = dp_s3_url(c->s3_endpoint, c->s3_bucket, vhost,
				      c->s3_prefix, f->rel, NULL);

		if (f->removed)
			buf_addf(out, "s3: would DELETE %s\n",
				 url ? url : f->rel);
		else
			buf_addf(out, "s3: would PUT %s (%s)\n",
				 url ? url : f->rel, dp_content_type(f->rel));
		free(url);
	}
}
