/* address.c: building and reading the gateway's plus-addresses.
 * Everything a reader or moderator can put in a recipient address passes
 * through addr_classify(), so it is strict: anything unexpected is
 * ADDR_INVALID, never a guess. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "banned.h"

int slug_valid(const char *slug)
{
	size_t n = strlen(slug), i;
	int seglen = 0;

	if (n == 0 || n > SLUG_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = slug[i];

		if (ch == '/') {
			if (seglen == 0)
				return 0; /* leading '/' or '//' */
			seglen = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return 0;
		seglen++;
	}
	return seglen > 0; /* no trailing '/' */
}

static const char *mailbox_at(const struct conf *c)
{
	const char *at = strrchr(c->address_mailbox, '@');

	return at ? at : c->address_mailbox + strlen(c->address_mailbox);
}

const char *addr_domain(const struct conf *c)
{
	const char *at = mailbox_at(c);

	return *at ? at + 1 : at;
}

char *addr_local_part(const char *addr)
{
	const char *at = strrchr(addr, '@');
	char *l = xstrndup(addr, at ? (size_t)(at - addr) : strlen(addr));

	ascii_lower(l);
	return l;
}

static int parse_token(const char *ext, struct addr_target *t)
{
	size_t n, i;

	if (ext[0] == '\0' || strchr("mdcu", ext[0]) == NULL || ext[1] != '_')
		return 0;
	n = strlen(ext + 2);
	if (n < 16 || n > TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = ext[2 + i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9')))
			return 0;
	}
	t->kind = ADDR_TOKEN;
	t->purpose = ext[0];
	memcpy(t->token, ext + 2, n + 1);
	return 1;
}

static int parse_slug_ext(const char *ext, struct addr_target *t)
{
	const char *dot = strrchr(ext, '.');
	size_t n = dot ? (size_t)(dot - ext) : strlen(ext);
	char *end;

	if (n > SLUG_MAX)
		return 0;
	memcpy(t->slug, ext, n);
	t->slug[n] = '\0';
	ascii_lower(t->slug);
	if (!slug_valid(t->slug))
		return 0;
	if (dot == NULL) {
		t->kind = ADDR_ARTICLE;
		return 1;
	}
	if (dot[1] < '1' || dot[1] > '9')
		return 0;
	errno = 0;
	t->parent = strtoll(dot + 1, &end, 10);
	if (*end != '\0' || t->parent <= 0 || errno == ERANGE)
		return 0;
	t->kind = ADDR_REPLY;
	return 1;
}

void addr_classify(const struct conf *c, const char *addr,
		   struct addr_target *t)
{
	const char *mat = mailbox_at(c), *at = strrchr(addr, '@');
	size_t mlocal = (size_t)(mat - c->address_mailbox), local;
	char sep = c->address_separator[0], *ext;

	memset(t, 0, sizeof(*t));
	t->kind = ADDR_OTHER;
	if (at == NULL || ascii_casecmp(at, mat) != 0)
		return;
	local = (size_t)(at - addr);
	if (local < mlocal ||
	    ascii_ncasecmp(addr, c->address_mailbox, mlocal) != 0)
		return;
	if (local == mlocal) {
		t->kind = ADDR_GATEWAY;
		return;
	}
	if (addr[mlocal] != sep)
		return; /* another mailbox that merely starts alike */
	ext = xstrndup(addr + mlocal + 1, local - mlocal - 1);
	t->kind = ADDR_INVALID;
	if (!parse_token(ext, t) && !parse_slug_ext(ext, t)) {
		memset(t, 0, sizeof(*t));
		t->kind = ADDR_INVALID;
	}
	free(ext);
}

int addr_subject_tag(const char *subject, struct addr_target *t)
{
	const char *p = subject;

	while ((p = strchr(p, '[')) != NULL) {
		const char *close = strchr(p, ']');
		char *inner, *hash;
		int found = 0;

		if (close == NULL)
			return 0;
		inner = xstrndup(p + 1, (size_t)(close - p - 1));
		hash = strchr(inner, '#');
		memset(t, 0, sizeof(*t));
		/* "[slug#N]" reads like the address extension "slug.N"; a
		 * literal '.' is not part of the tag syntax. */
		if (strchr(inner, '.') == NULL) {
			if (hash)
				*hash = '.';
			found = parse_slug_ext(inner, t);
		}
		free(inner);
		if (found)
			return 1;
		p = close + 1;
	}
	memset(t, 0, sizeof(*t));
	return 0;
}

static char *build(const struct conf *c, const char *ext)
{
	const char *mat = mailbox_at(c);

	return xasprintf("%.*s%c%s%s", (int)(mat - c->address_mailbox),
			 c->address_mailbox, c->address_separator[0], ext,
			 mat);
}

char *addr_article(const struct conf *c, const char *slug)
{
	return build(c, slug);
}

char *addr_reply(const struct conf *c, const char *slug, int64_t id)
{
	char *ext = xasprintf("%s.%lld", slug, (long long)id), *a;

	a = build(c, ext);
	free(ext);
	return a;
}

char *addr_token(const struct conf *c, char purpose, const char *token)
{
	char *ext = xasprintf("%c_%s", purpose, token), *a;

	a = build(c, ext);
	free(ext);
	return a;
}

int addr_matches(const char *pattern, const char *a)
{
	const char *at;

	if (pattern[0] == '@') {
		at = strrchr(a, '@');
		return at && ascii_casecmp(at, pattern) == 0;
	}
	return ascii_casecmp(pattern, a) == 0;
}
