/* trust.c: the trusted run of a mail's header block, and the
 * Authentication-Results and spam verdicts in it (see trust.h for the
 * rule and why).  The parsers are small left-to-right scans over one
 * header value; a value they cannot read counts as no result. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "trust.h"
#include "banned.h"

static int is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* v with its comments replaced by a space (nesting and quoted-pairs
 * followed; quoted strings kept as they are).  Caller frees. */
static char *uncomment(const char *v)
{
	struct buf b;
	size_t depth = 0;
	int quoted = 0;

	buf_init(&b);
	for (; *v; v++) {
		if (depth > 0) {
			if (*v == '\\' && v[1])
				v++;
			else if (*v == '(')
				depth++;
			else if (*v == ')' && --depth == 0)
				buf_addc(&b, ' ');
			continue;
		}
		if (quoted) {
			if (*v == '\\' && v[1])
				buf_addc(&b, *v++);
			else if (*v == '"')
				quoted = 0;
			buf_addc(&b, *v);
			continue;
		}
		if (*v == '(') {
			depth = 1;
			continue;
		}
		if (*v == '"')
			quoted = 1;
		buf_addc(&b, *v);
	}
	return buf_detach(&b);
}

/* Reads one token (a quoted string, unquoted, or a run of characters up
 * to a blank or one of stops) at *p into out; advances *p. */
static void token(const char **p, const char *stops, struct buf *out)
{
	const char *s = *p;

	buf_reset(out);
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf_addc(out, *s);
		}
		if (*s == '"')
			s++;
	} else {
		while (*s && !is_ws(*s) && strchr(stops, *s) == NULL)
			buf_addc(out, *s++);
	}
	*p = s;
}

static void skip_ws(const char **p)
{
	while (is_ws(**p))
		(*p)++;
}

/* Host names compare without case and without a trailing dot. */
static int same_host(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > 0 && a[na - 1] == '.')
		na--;
	if (nb > 0 && b[nb - 1] == '.')
		nb--;
	return na > 0 && na == nb && ascii_ncasecmp(a, b, na) == 0;
}

char *trust_received_by(const char *value)
{
	char *s = uncomment(value), *host = NULL;
	const char *p = s, *start;
	struct buf t;
	int skip = 0;

	buf_init(&t);
	for (;;) {
		skip_ws(&p);
		if (*p == '\0' || *p == ';')
			break;
		start = p;
		token(&p, ";", &t);
		if (p == start) {
			p++; /* cannot happen, but never loop */
			continue;
		}
		if (skip) { /* the host after "from" */
			skip = 0;
			continue;
		}
		if (ascii_casecmp(t.s, "from") == 0) {
			skip = 1;
		} else if (ascii_casecmp(t.s, "by") == 0) {
			skip_ws(&p);
			token(&p, ";", &t);
			if (t.len > 0 && t.s[t.len - 1] == '.')
				t.s[--t.len] = '\0';
			if (t.len > 0) {
				ascii_lower(t.s);
				host = xstrdup(t.s);
			}
			break;
		}
	}
	buf_free(&t);
	free(s);
	return host;
}

static int trusted_host(const struct conf *c, const char *host)
{
	size_t i;

	if (c->trusted_hosts.n == 0)
		return c->trusted_authserv_id[0] &&
		       same_host(host, c->trusted_authserv_id);
	for (i = 0; i < c->trusted_hosts.n; i++)
		if (same_host(host, c->trusted_hosts.v[i]))
			return 1;
	return 0;
}

size_t trust_run(const struct conf *c, const struct message *m)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++) {
		char *by;
		int ok;

		if (ascii_casecmp(m->headers[i].name, "Received") != 0)
			continue;
		by = trust_received_by(m->headers[i].value);
		ok = by && trusted_host(c, by);
		free(by);
		if (!ok)
			return i;
	}
	return m->nheaders;
}

/* After the authserv-id (and its version) of an uncommented A-R value:
 * where the results start (after the ';'), or NULL when the id is not
 * id or the value is malformed. */
static const char *results_of(const char *s, const char *id)
{
	const char *p = s;
	struct buf t;
	int same;

	buf_init(&t);
	skip_ws(&p);
	token(&p, ";", &t);
	same = id[0] && same_host(t.s, id);
	buf_free(&t);
	if (!same)
		return NULL;
	skip_ws(&p);
	while (*p >= '0' && *p <= '9')
		p++;
	skip_ws(&p);
	if (*p == '\0')
		return p; /* no results at all */
	return *p == ';' ? p + 1 : NULL;
}

int trust_ar_from(const char *v, const char *id)
{
	char *s = uncomment(v);
	int from = results_of(s, id) != NULL;

	free(s);
	return from;
}

static int method_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* Whether a dkim=pass naming d (header.d) and i (header.i) speaks for
 * the canonical domain dom: d is dom or a parent of it (whoever holds a
 * domain's DNS holds its subdomains'; the reverse is not true), or i's
 * domain is dom (RFC 6376 3.5: d= is then dom or a parent). */
static int speaks_for(const char *d, const char *i, const char *dom)
{
	char *k;
	int ok = 0;

	if (d && (k = addr_canonical_domain(d)) != NULL) {
		size_t kl = strlen(k), dl = strlen(dom);

		ok = strcmp(k, dom) == 0 ||
		     (strchr(k, '.') && dl > kl + 1 && dom[dl - kl - 1] == '.' &&
		      strcmp(dom + dl - kl, k) == 0);
		free(k);
	}
	if (!ok && i) {
		const char *at = strrchr(i, '@');

		if ((k = addr_canonical_domain(at ? at + 1 : i)) != NULL) {
			ok = strcmp(k, dom) == 0;
			free(k);
		}
	}
	return ok;
}

/* Reads the results of one resinfo (up to ';' or the end) at *p. */
static int resinfo(const char **p, const char *dom, int *saw)
{
	const char *s = *p, *start;
	struct buf method, result, name, value;
	char *d = NULL, *i = NULL;
	int pass = 0;

	buf_init(&method);
	buf_init(&result);
	buf_init(&name);
	buf_init(&value);
	skip_ws(&s);
	while (method_char(*s))
		buf_addc(&method, *s++);
	if (*s == '/') /* a method version */
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	skip_ws(&s);
	if (*s == '=') {
		s++;
		skip_ws(&s);
		while (method_char(*s))
			buf_addc(&result, *s++);
	}
	if (ascii_casecmp(method.s, "dkim") == 0 && result.len > 0) {
		*saw = 1;
		pass = ascii_casecmp(result.s, "pass") == 0;
	}
	/* reasonspec and propspecs: name = value, up to the next ';' */
	for (;;) {
		skip_ws(&s);
		if (*s == '\0' || *s == ';')
			break;
		start = s;
		token(&s, ";=", &name);
		skip_ws(&s);
		if (*s != '=') {
			if (s == start)
				s++;
			continue;
		}
		s++;
		skip_ws(&s);
		token(&s, ";", &value);
		if (ascii_casecmp(name.s, "header.d") == 0 && d == NULL)
			d = xstrdup(value.s);
		else if (ascii_casecmp(name.s, "header.i") == 0 && i == NULL)
			i = xstrdup(value.s);
	}
	*p = s;
	pass = pass && speaks_for(d, i, dom);
	free(d);
	free(i);
	buf_free(&method);
	buf_free(&result);
	buf_free(&name);
	buf_free(&value);
	return pass;
}

/* trust_ar_dkim on an uncommented value whose results start at p. */
static int dkim_results(const char *p, const char *domain)
{
	char *dom = addr_canonical_domain(domain);
	int saw = 0, pass = 0;

	if (dom == NULL)
		return -1;
	skip_ws(&p);
	/* "authserv-id; none": nothing was authenticated, and that is the
	 * server's last word on it */
	if (ascii_ncasecmp(p, "none", 4) == 0) {
		const char *q = p + 4;

		skip_ws(&q);
		if (*q == '\0') {
			free(dom);
			return 0;
		}
	}
	while (*p) {
		pass |= resinfo(&p, dom, &saw);
		if (*p == ';')
			p++;
	}
	free(dom);
	return saw ? pass : -1;
}

int trust_ar_dkim(const char *v, const char *domain)
{
	char *s = uncomment(v);
	const char *p = s;
	struct buf t;
	int r;

	/* skip the authserv-id and its version, whatever it is */
	buf_init(&t);
	skip_ws(&p);
	token(&p, ";", &t);
	buf_free(&t);
	p = strchr(p, ';');
	r = p ? dkim_results(p + 1, domain) : -1;
	free(s);
	return r;
}

int trust_dkim_pass(const struct conf *c, const struct message *m,
		    const char *domain)
{
	size_t run = trust_run(c, m), i;

	if (c->trusted_authserv_id[0] == '\0')
		return 0;
	for (i = 0; i < run; i++) {
		const char *v = m->headers[i].value, *p;
		char *s;
		int r = -1;

		if (ascii_casecmp(m->headers[i].name,
				  "Authentication-Results") != 0)
			continue;
		s = uncomment(v);
		p = results_of(s, c->trusted_authserv_id);
		if (p)
			r = dkim_results(p, domain);
		free(s);
		if (r >= 0) /* the topmost dkim result decides */
			return r;
	}
	return 0;
}

/* The number that starts s (after blanks); 1 if there is one. */
static int number_at(const char *s, double *v)
{
	char *end;

	while (is_ws(*s))
		s++;
	if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' ||
	      *s == '.'))
		return 0;
	*v = strtod(s, &end);
	return end != s && isfinite(*v);
}

/* The number after "key=" as a word of its own ("score=", not
 * "xscore="). */
static int number_after(const char *s, const char *key, double *v)
{
	const char *p = s;
	size_t n = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if (p == s || is_ws(p[-1]) || p[-1] == ',' || p[-1] == ';')
			return number_at(p + n, v);
		p += n;
	}
	return 0;
}

/* A verdict of one header field of the trusted run; 1 if it has one. */
static int verdict(const struct conf *c, const char *name, const char *v,
		   double *score)
{
	const char *p;

	if (strcmp(c->spam_header, "spamassassin") == 0) {
		if (ascii_casecmp(name, "X-Spam-Status") == 0)
			return number_after(v, "score=", score);
		if (ascii_casecmp(name, "X-Spam-Score") == 0)
			return number_at(v, score);
		if (ascii_casecmp(name, "X-Spam-Flag") == 0) {
			while (is_ws(*v))
				v++;
			if (ascii_ncasecmp(v, "yes", 3) != 0)
				return 0;
			*score = c->spam_threshold;
			return 1;
		}
	} else if (strcmp(c->spam_header, "rspamd") == 0) {
		if (ascii_casecmp(name, "X-Spamd-Result") == 0)
			return (p = strchr(v, '[')) != NULL &&
			       number_at(p + 1, score);
		if (ascii_casecmp(name, "X-Rspamd-Score") == 0)
			return number_at(v, score);
	}
	return 0;
}

int trust_spam_score(const struct conf *c, const struct message *m,
		     double *score)
{
	size_t run = trust_run(c, m), i;
	int found = 0;

	for (i = 0; i < run; i++) {
		double v;

		if (!verdict(c, m->headers[i].name, m->headers[i].value, &v))
			continue;
		if (!found || v > *score)
			*score = v;
		found = 1;
	}
	return found;
}

/* ---- the verdict shown to the moderators --------------------------- */

/* Reads the method and result of one resinfo at *p (up to ';' or the
 * end), skipping its properties. */
static void method_result(const char **p, struct buf *method,
			  struct buf *result)
{
	const char *s = *p, *start;
	struct buf skip;

	buf_reset(method);
	buf_reset(result);
	buf_init(&skip);
	skip_ws(&s);
	while (method_char(*s))
		buf_addc(method, *s++);
	if (*s == '/')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	skip_ws(&s);
	if (*s == '=') {
		s++;
		skip_ws(&s);
		while (method_char(*s))
			buf_addc(result, *s++);
	}
	for (;;) {
		skip_ws(&s);
		if (*s == '\0' || *s == ';')
			break;
		start = s;
		token(&s, ";", &skip);
		if (s == start)
			s++;
	}
	buf_free(&skip);
	*p = s;
}

/* Keeps result r for a method: the first one, except that a pass among
 * several (two DKIM signatures) wins. */
static void keep(char out[TRUST_RESULT_MAX], const struct buf *r)
{
	if (r->len == 0 || r->len >= TRUST_RESULT_MAX)
		return;
	if (strcmp(out, "none") != 0 && ascii_casecmp(r->s, "pass") != 0)
		return;
	memcpy(out, r->s, r->len + 1);
	ascii_lower(out);
}

static void auth_none(struct trust_auth *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->dkim, sizeof(a->dkim), "none");
	snprintf(a->spf, sizeof(a->spf), "none");
	snprintf(a->dmarc, sizeof(a->dmarc), "none");
}

void trust_auth(const struct conf *c, const struct message *m,
		const char *domain, struct trust_auth *a)
{
	size_t run = trust_run(c, m), i;

	auth_none(a);
	if (c->trusted_authserv_id[0] == '\0')
		return;
	for (i = 0; i < run && !a->found; i++) {
		const char *p;
		char *s;
		struct buf method, result;

		if (ascii_casecmp(m->headers[i].name,
				  "Authentication-Results") != 0)
			continue;
		s = uncomment(m->headers[i].value);
		p = results_of(s, c->trusted_authserv_id);
		if (p == NULL) {
			free(s);
			continue;
		}
		/* the topmost field of the trusted server is its word,
		 * on From's domain too (not a dkim=pass further down) */
		a->found = 1;
		a->from_pass = domain && *domain && dkim_results(p, domain) == 1;
		buf_init(&method);
		buf_init(&result);
		while (*p) {
			method_result(&p, &method, &result);
			if (ascii_casecmp(method.s, "dkim") == 0)
				keep(a->dkim, &result);
			else if (ascii_casecmp(method.s, "spf") == 0)
				keep(a->spf, &result);
			else if (ascii_casecmp(method.s, "dmarc") == 0)
				keep(a->dmarc, &result);
			if (*p == ';')
				p++;
		}
		buf_free(&method);
		buf_free(&result);
		free(s);
	}
}

char *trust_auth_format(const struct trust_auth *a)
{
	if (!a->found)
		return xstrdup("");
	return xasprintf("dkim=%s spf=%s dmarc=%s from=%s", a->dkim, a->spf,
			 a->dmarc, a->from_pass ? "pass" : "fail");
}

/* The value of "name=" among the words of s into out; 1 if found. */
static int auth_word(const char *s, const char *name,
		     char out[TRUST_RESULT_MAX])
{
	size_t n = strlen(name), k;
	const char *p = s;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == s || p[-1] == ' ') && p[n] == '=') {
			p += n + 1;
			for (k = 0; k + 1 < TRUST_RESULT_MAX && method_char(p[k]);
			     k++)
				out[k] = p[k];
			out[k] = '\0';
			return k > 0;
		}
		p += n;
	}
	return 0;
}

void trust_auth_parse(const char *s, struct trust_auth *a)
{
	char from[TRUST_RESULT_MAX];

	auth_none(a);
	if (s == NULL || !auth_word(s, "dkim", a->dkim) ||
	    !auth_word(s, "spf", a->spf) || !auth_word(s, "dmarc", a->dmarc) ||
	    !auth_word(s, "from", from)) {
		auth_none(a);
		return;
	}
	a->found = 1;
	a->from_pass = strcmp(from, "pass") == 0;
}

int trust_auth_passes(const struct trust_auth *a)
{
	return a->found && (a->from_pass || strcmp(a->dmarc, "pass") == 0);
}
