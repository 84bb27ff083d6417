/* address.h: the gateway's plus-addresses.  One mailbox serves everything:
 *   comments+SLUG@domain        a comment on article SLUG
 *   comments+SLUG.N@domain      a reply to comment N of SLUG
 *   comments+P_TOKEN@domain     a token address (P: m moderate, d digest,
 *                               c confirm, u unsubscribe)
 * Slugs never contain '_' or '.', so the three forms cannot be confused. */
#ifndef MC_ADDRESS_H
#define MC_ADDRESS_H

#include <stdint.h>

#include "conf.h"

#define SLUG_MAX 200
#define TOKEN_MAX 64

enum addr_kind {
	ADDR_OTHER,   /* not one of the gateway's addresses */
	ADDR_GATEWAY, /* the bare mailbox: plus-address lost */
	ADDR_ARTICLE,
	ADDR_REPLY,
	ADDR_TOKEN,
	ADDR_INVALID, /* our mailbox, but the extension is malformed */
};

struct addr_target {
	enum addr_kind kind;
	char slug[SLUG_MAX + 1];  /* ARTICLE, REPLY */
	int64_t parent;           /* REPLY */
	char purpose;             /* TOKEN: 'm', 'd', 'c' or 'u' */
	char token[TOKEN_MAX + 1]; /* TOKEN: as written, case kept */
};

/* 1 if slug is well formed: [a-z0-9-] segments joined by '/', no empty
 * segment, no leading or trailing '/', at most SLUG_MAX bytes. */
int slug_valid(const char *slug);

/* Classifies a bare address (no display name, no angle brackets). */
void addr_classify(const struct conf *c, const char *addr,
		   struct addr_target *t);

/* Finds a subject tag "[slug]" or "[slug#N]"; returns 1 and fills t
 * (kind ARTICLE or REPLY) when one is found. */
int addr_subject_tag(const char *subject, struct addr_target *t);

/* The gateway's addresses, newly allocated (caller frees). */
char *addr_article(const struct conf *c, const char *slug);
char *addr_reply(const struct conf *c, const char *slug, int64_t id);
char *addr_token(const struct conf *c, char purpose, const char *token);

/* 1 if addr may be published as it is: the gateway's mailbox and its
 * article and reply plus-addresses, which the pages link to anyway.
 * Token addresses are secrets, every other address is someone's: 0.
 * conf is the struct conf; the signature is html.h's html_keep_fn. */
int addr_is_public(const char *addr, void *conf);

/* Domain part of the gateway's mailbox (points into c). */
const char *addr_domain(const struct conf *c);

/* Local part of addr, lowercased, before any '@' (caller frees). */
char *addr_local_part(const char *addr);

/* 1 if a (an address) matches pattern: an address (any case) or
 * "@domain" for a whole domain. */
int addr_matches(const char *pattern, const char *a);

#endif
