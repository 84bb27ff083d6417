/* address.h: the gateway's plus-addresses.  One mailbox serves everything:
 *   comments+SLUG@domain        a comment on article SLUG
 *   comments+SLUG.N@domain      a reply to comment N of SLUG
 *   comments+SLUG+follow@domain a request to follow SLUG (the inner '+'
 *                               is the configured separator, or '+'
 *                               when that is '-', a slug character)
 *   comments+P_TOKEN@domain     a token address (P: m moderate, d digest,
 *                               c confirm, u unsubscribe, r reader,
 *                               f follow)
 * Slugs never contain '_', '.' or '+', so the forms cannot be confused. */
#ifndef MC_ADDRESS_H
#define MC_ADDRESS_H

#include <stdint.h>

#include "conf.h"

#define SLUG_MAX 200
#define TOKEN_MAX 64

/* The purpose letters of token addresses and Message-IDs (token.h). */
#define ADDR_TOKEN_PURPOSES "mdcurf"

enum addr_kind {
	ADDR_OTHER,   /* not one of the gateway's addresses */
	ADDR_GATEWAY, /* the bare mailbox: plus-address lost */
	ADDR_ARTICLE,
	ADDR_REPLY,
	ADDR_TOKEN,
	ADDR_FOLLOW,  /* comments+SLUG+follow@: follow SLUG by mail */
	ADDR_INVALID, /* our mailbox, but the extension is malformed */
};

struct addr_target {
	enum addr_kind kind;
	char slug[SLUG_MAX + 1];  /* ARTICLE, REPLY, FOLLOW */
	int64_t parent;           /* REPLY */
	char purpose;             /* TOKEN: one of ADDR_TOKEN_PURPOSES */
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
char *addr_follow(const struct conf *c, const char *slug);

/* 1 if addr may be published as it is: the gateway's mailbox and its
 * article, reply and follow plus-addresses, which pages may link to.
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

/* ---- addresses of other people ----------------------------------------
 * Everything below reads a bare addr-spec ("local@domain", no display
 * name, no angle brackets) as a header gave it, and never trusts it. */

/* Why addr can be neither a comment's author nor a recipient, or NULL
 * when it can.  Accepted: a dot-atom or quoted local part (UTF-8 allowed,
 * RFC 6532) of at most 64 bytes, '@', and a domain name of LDH labels, or
 * of Unicode labels that IDNA2008 (libidn2) accepts, with at most one
 * trailing dot.  Refused, each with its own reason: an empty address,
 * control characters, no '@' or no domain ("<root>"), a source route
 * ("<@a.example:bob@b.example>"), an address literal ("bob@[192.0.2.1]"),
 * a malformed local part or domain, and, when fqdn is set, a domain of a
 * single label (bob@localhost reaches a local user of the mail server). */
const char *addr_problem(const char *addr, int fqdn);

/* The canonical mailbox of addr, the one identity that rate limits, bans,
 * trust and confirmations count by: the local part unquoted when that
 * changes nothing ("victim"@ is victim@), lowercased (no provider we know
 * of tells Victim from victim), cut at the first character of separators
 * that is not its first one (victim+tag@ is victim@); the domain
 * lowercased, in A-labels (IDNA2008), its trailing dot removed.  Returns
 * a new string, or NULL when addr_problem(addr, 0) finds a problem. */
char *addr_canonical(const char *addr, const char *separators);

/* addr_canonical() with limits.subaddress_separators; for a string that
 * is no valid address (an old row, "operator"), its lowercased text, so
 * that every address has a key.  Never NULL; caller frees. */
char *addr_key(const struct conf *c, const char *addr);

/* The canonical form of a ban pattern: an address's key, or "@" and the
 * canonical domain for "@domain".  NULL when pattern is neither. */
char *addr_pattern_key(const struct conf *c, const char *pattern);

/* The canonical form of a domain name (lowercase, A-labels, no trailing
 * dot), or NULL when it is not a valid domain name.  Caller frees. */
char *addr_canonical_domain(const char *domain);

/* 1 if addr, in any spelling (case, quotes, trailing dot), is the gateway
 * itself: address.mailbox, any of its extensions with address.separator
 * or '+' (comments+SLUG.1@, comments+m_TOKEN@), or smtp.envelope_sender.
 * Mail from such an address is never stored nor answered, and nothing is
 * ever sent to one. */
int addr_is_gateway(const struct conf *c, const char *addr);

/* 1 if addr is mailbox or one of its extensions (the local part followed
 * by a character of seps), in any spelling: routing by recipient
 * (site.h). */
int addr_reaches(const char *addr, const char *mailbox, const char *seps);

#endif
