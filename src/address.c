/* address.c: building and reading the gateway's plus-addresses.
 * Everything a reader or moderator can put in a recipient address passes
 * through addr_classify(), so it is strict: anything unexpected is
 * ADDR_INVALID, never a guess. */
#include <errno.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "utf8.h"
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

	if (ext[0] == '\0' || strchr(ADDR_TOKEN_PURPOSES, ext[0]) == NULL || ext[1] != '_')
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

/* The separator inside a follow extension: the configured one, except
 * '-', which slugs contain ("a-follow" would be the slug "a-follow"). */
static char follow_sep(const struct conf *c)
{
	char sep = c->address_separator[0];

	return sep == '-' ? '+' : sep;
}

#define FOLLOW_WORD "follow"

/* "SLUG+follow" (any case): a request to follow SLUG. */
static int parse_follow(const struct conf *c, const char *ext,
			struct addr_target *t)
{
	size_t n = strlen(ext), w = strlen(FOLLOW_WORD);

	if (n < w + 2 || ext[n - w - 1] != follow_sep(c) ||
	    ascii_casecmp(ext + n - w, FOLLOW_WORD) != 0 ||
	    n - w - 1 > SLUG_MAX)
		return 0;
	memcpy(t->slug, ext, n - w - 1);
	t->slug[n - w - 1] = '\0';
	ascii_lower(t->slug);
	if (!slug_valid(t->slug))
		return 0;
	t->kind = ADDR_FOLLOW;
	return 1;
}

/* addr against one mailbox the site is reached at: 1 when it is that
 * mailbox or one of its sub-addresses (t filled), 0 when another. */
static int classify_at(const struct conf *c, const char *addr,
		       const char *mailbox, struct addr_target *t)
{
	const char *mat = strrchr(mailbox, '@'), *at = strrchr(addr, '@');
	size_t mlocal, local;
	char sep = c->address_separator[0], *ext;

	if (mat == NULL)
		mat = mailbox + strlen(mailbox);
	mlocal = (size_t)(mat - mailbox);
	if (at == NULL || ascii_casecmp(at, mat) != 0)
		return 0;
	local = (size_t)(at - addr);
	if (local < mlocal || ascii_ncasecmp(addr, mailbox, mlocal) != 0)
		return 0;
	if (local == mlocal) {
		t->kind = ADDR_GATEWAY;
		return 1;
	}
	if (addr[mlocal] != sep)
		return 0; /* another mailbox that merely starts alike */
	ext = xstrndup(addr + mlocal + 1, local - mlocal - 1);
	t->kind = ADDR_INVALID;
	if (!parse_token(ext, t) && !parse_follow(c, ext, t) &&
	    !parse_slug_ext(ext, t)) {
		memset(t, 0, sizeof(*t));
		t->kind = ADDR_INVALID;
	}
	free(ext);
	return 1;
}

/* address.mailbox first, then each of site.addresses: a site reached at
 * "recettes@example.net" takes comments at "recettes+SLUG@" too. */
void addr_classify(const struct conf *c, const char *addr,
		   struct addr_target *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->kind = ADDR_OTHER;
	if (classify_at(c, addr, c->address_mailbox, t))
		return;
	for (i = 0; i < c->site_addresses.n; i++)
		if (classify_at(c, addr, c->site_addresses.v[i], t))
			return;
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

/* Written without printf: a render asks for one per published comment
 * (its reply link), thousands on a busy article. */
char *addr_reply(const struct conf *c, const char *slug, int64_t id)
{
	const char *mat = mailbox_at(c);
	char d[24], *p = d + sizeof(d);
	uint64_t u = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;
	struct buf b;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (id < 0)
		*--p = '-';
	buf_init(&b);
	buf_add(&b, c->address_mailbox, (size_t)(mat - c->address_mailbox));
	buf_addc(&b, c->address_separator[0]);
	buf_adds(&b, slug);
	buf_addc(&b, '.');
	buf_add(&b, p, (size_t)(d + sizeof(d) - p));
	buf_adds(&b, mat);
	return buf_detach(&b);
}

char *addr_token(const struct conf *c, char purpose, const char *token)
{
	char *ext = xasprintf("%c_%s", purpose, token), *a;

	a = build(c, ext);
	free(ext);
	return a;
}

char *addr_follow(const struct conf *c, const char *slug)
{
	char *ext = xasprintf("%s%c" FOLLOW_WORD, slug, follow_sep(c)), *a;

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

/* ---- addresses of other people ------------------------------------- */

/* RFC 5322 atext, and any byte of a UTF-8 sequence (RFC 6532). */
static int is_atext(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch >= 0x80 ||
	       strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL;
}

static int dot_atom(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !is_atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* An addr-spec taken apart: the local part without its quotes (and
 * quoted-pairs undone), and the domain as written. */
struct spec {
	struct buf local;
	const char *domain;
	size_t local_len; /* as written, quotes included */
};

static const char *split_spec(const char *addr, struct spec *sp)
{
	const char *p = addr;

	buf_init(&sp->local);
	if (*addr == '\0')
		return "empty address";
	for (p = addr; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character in the address";
	if (!utf8_valid(addr, strlen(addr)))
		return "address is not valid UTF-8";
	if (addr[0] == '@' && strchr(addr, ':'))
		return "source route";
	if (*addr == '"') {
		for (p = addr + 1; *p && *p != '"'; p++) {
			if (*p == '\\') {
				if (p[1] == '\0')
					return "unterminated quoted local part";
				p++;
			}
			buf_addc(&sp->local, *p);
		}
		if (*p != '"')
			return "unterminated quoted local part";
		p++;
		if (*p != '@')
			return *p ? "junk after a quoted local part" :
				    "no domain";
	} else {
		p = strchr(addr, '@');
		if (p == NULL)
			return "no domain";
		buf_add(&sp->local, addr, (size_t)(p - addr));
		if (!dot_atom(sp->local.s, sp->local.len))
			return sp->local.len ? "malformed local part" :
					       "empty local part";
	}
	sp->local_len = (size_t)(p - addr);
	if (sp->local_len > 64)
		return "local part longer than 64 bytes";
	if (sp->local.len == 0)
		return "empty local part";
	sp->domain = p + 1;
	if (*sp->domain == '\0')
		return "no domain";
	if (*sp->domain == '[')
		return "address literal";
	if (strchr(sp->domain, '@'))
		return "more than one @";
	return NULL;
}

/* LDH labels of 1 to 63 bytes, no hyphen at either end, at most 253
 * bytes; fqdn: two labels at least, the last one not numeric. */
static int ldh_domain(const char *d, int fqdn)
{
	size_t len = strlen(d), label = 0, labels = 0, i;
	int digits_only = 1;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		char ch = d[i];

		if (ch == '.' || ch == '\0') {
			if (label == 0 || label > 63 || d[i - 1] == '-')
				return 0;
			labels++;
			if (ch == '\0')
				break;
			label = 0;
			digits_only = 1;
			continue;
		}
		if (label == 0 && ch == '-')
			return 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return 0;
		if (ch < '0' || ch > '9')
			digits_only = 0;
		label++;
	}
	return !fqdn || (labels >= 2 && !digits_only);
}

/* The domain in A-labels, lowercase, without its trailing dot; NULL when
 * it is no valid domain name (fqdn: of at least two labels). */
static char *domain_key(const char *domain, int fqdn)
{
	size_t n = strlen(domain);
	char *d, *ascii = NULL;
	const char *p;
	int plain = 1;

	if (n > 0 && domain[n - 1] == '.')
		n--;
	d = xstrndup(domain, n);
	for (p = d; *p; p++)
		plain &= (unsigned char)*p < 0x80;
	if (!plain) {
		if (idn2_to_ascii_8z(d, &ascii, IDN2_NONTRANSITIONAL |
						       IDN2_NFC_INPUT) !=
		    IDN2_OK) {
			free(d);
			return NULL;
		}
		free(d);
		d = xstrdup(ascii);
		idn2_free(ascii);
	}
	ascii_lower(d);
	if (!ldh_domain(d, fqdn)) {
		free(d);
		return NULL;
	}
	return d;
}

const char *addr_problem(const char *addr, int fqdn)
{
	struct spec sp;
	const char *why = split_spec(addr, &sp);
	char *d;

	buf_free(&sp.local);
	if (why)
		return why;
	if ((d = domain_key(sp.domain, 0)) == NULL)
		return "malformed domain";
	free(d);
	if (fqdn && (d = domain_key(sp.domain, 1)) == NULL)
		return "domain is not fully qualified";
	if (fqdn)
		free(d);
	return NULL;
}

char *addr_canonical_domain(const char *domain)
{
	return domain_key(domain, 0);
}

char *addr_canonical(const char *addr, const char *separators)
{
	struct spec sp;
	struct buf out;
	char *d = NULL;
	size_t i, cut;

	if (split_spec(addr, &sp) != NULL ||
	    (d = domain_key(sp.domain, 0)) == NULL) {
		buf_free(&sp.local);
		return NULL;
	}
	ascii_lower(sp.local.s);
	/* The tag starts at the first separator after which what is left
	 * still reads unquoted: "a.+x" keeps its "+x", since "a." would
	 * need quotes, and quotes could take a 64-byte local part past the
	 * limit (found by fuzz_trust).  Every spelling "LOCAL+tag" of a
	 * mailbox still folds to the key of LOCAL. */
	cut = sp.local.len;
	for (i = 1; i < sp.local.len && separators && *separators; i++)
		if (strchr(separators, sp.local.s[i]) &&
		    dot_atom(sp.local.s, i)) {
			cut = i;
			break;
		}
	buf_init(&out);
	if (dot_atom(sp.local.s, cut)) {
		buf_add(&out, sp.local.s, cut);
	} else {
		buf_addc(&out, '"');
		for (i = 0; i < cut; i++) {
			if (sp.local.s[i] == '"' || sp.local.s[i] == '\\')
				buf_addc(&out, '\\');
			buf_addc(&out, sp.local.s[i]);
		}
		buf_addc(&out, '"');
	}
	buf_addf(&out, "@%s", d);
	free(d);
	buf_free(&sp.local);
	return buf_detach(&out);
}

char *addr_key(const struct conf *c, const char *addr)
{
	char *k = addr_canonical(addr, c->limit_subaddress_separators);

	if (k == NULL) {
		k = xstrdup(addr);
		ascii_lower(k);
	}
	return k;
}

char *addr_pattern_key(const struct conf *c, const char *pattern)
{
	char *d, *k;

	if (pattern[0] != '@')
		return addr_canonical(pattern, c->limit_subaddress_separators);
	if ((d = domain_key(pattern + 1, 0)) == NULL)
		return NULL;
	k = xasprintf("@%s", d);
	free(d);
	return k;
}

/* 1 if addr is mailbox or one of its extensions (mailbox's local part
 * followed by one of seps), in any spelling. */
static int is_or_extends(const char *addr, const char *mailbox,
			 const char *seps)
{
	struct spec a, m;
	char *ad = NULL, *md = NULL;
	int same = 0;
	const char *wa = split_spec(addr, &a), *wm = split_spec(mailbox, &m);

	if (wa == NULL && wm == NULL &&
	    (ad = domain_key(a.domain, 0)) != NULL &&
	    (md = domain_key(m.domain, 0)) != NULL && strcmp(ad, md) == 0) {
		ascii_lower(a.local.s);
		ascii_lower(m.local.s);
		same = strncmp(a.local.s, m.local.s, m.local.len) == 0 &&
		       (a.local.len == m.local.len ||
			(a.local.len > m.local.len &&
			 strchr(seps, a.local.s[m.local.len]) != NULL));
	}
	free(ad);
	free(md);
	buf_free(&a.local);
	buf_free(&m.local);
	return same;
}

int addr_is_gateway(const struct conf *c, const char *addr)
{
	char seps[3] = { '+', c->address_separator[0], '\0' };

	return is_or_extends(addr, c->address_mailbox, seps) ||
	       (c->smtp_envelope_sender[0] &&
		is_or_extends(addr, c->smtp_envelope_sender, seps));
}

int addr_reaches(const char *addr, const char *mailbox, const char *seps)
{
	return is_or_extends(addr, mailbox, seps);
}

int addr_is_public(const char *addr, void *conf)
{
	struct addr_target t;

	addr_classify(conf, addr, &t);
	return t.kind == ADDR_GATEWAY || t.kind == ADDR_ARTICLE ||
	       t.kind == ADDR_REPLY || t.kind == ADDR_FOLLOW;
}
