/* trust.h: which header fields of a received mail the receiving server
 * wrote, and what they say: its DKIM results (Authentication-Results) and
 * its spam verdict (SpamAssassin, rspamd).  Anyone can write any header;
 * only the ones the trusted server added count (RFC 8601 section 5).
 *
 * The trusted run is the header block from the top down to the first
 * Received: field whose "by" host is not a trusted host
 * (moderation.trusted_hosts, else moderation.trusted_authserv_id).  A
 * server prepends its Received: when it takes a message and its filters
 * add their fields at the top or just below it, so the run holds what the
 * trusted servers wrote, and ends where a foreign server (the sender's)
 * had written.  A mail without any Received: never crossed a server (a
 * local Maildir drop): its whole header block is the run.
 *
 * A sender who talks to the trusted server directly writes no Received:
 * of their own, so their fields sit inside the run, below the server's:
 * the server must remove Authentication-Results fields that claim its
 * authserv-id (RFC 8601 section 5; OpenDKIM does for its host name), and
 * here only the topmost DKIM result of the trusted authserv-id counts
 * (a forged dkim=pass below the server's dkim=none changes nothing), and
 * a spam verdict can raise a score, never lower it.
 *
 * Nothing here fails: the functions only read the parsed message. */
#ifndef MC_TRUST_H
#define MC_TRUST_H

#include <stddef.h>

#include "conf.h"
#include "message.h"

/* The number of header fields, from the top, in the trusted run. */
size_t trust_run(const struct conf *c, const struct message *m);

/* The host after "by" in the value of a Received: field (comments and the
 * "from" clause skipped), lowercased, without a trailing dot; NULL when
 * there is none.  Caller frees. */
char *trust_received_by(const char *value);

/* 1 if the Authentication-Results value v was written by authserv-id id:
 * its first token, comments removed, is id (any case, a trailing dot
 * ignored), followed by nothing but an optional version number. */
int trust_ar_from(const char *v, const char *id);

/* The DKIM results of the Authentication-Results value v for domain: 1
 * if one is dkim=pass with header.d equal to domain or to a parent domain
 * of it, or header.i in domain itself; 0 if v holds dkim results but none
 * such; -1 if it holds no dkim result at all.  Domains are compared in
 * canonical form (case, trailing dot, IDNA). */
int trust_ar_dkim(const char *v, const char *domain);

/* 1 if the topmost Authentication-Results field of the trusted run that
 * holds a dkim result is from trusted_authserv_id and passes for domain
 * (trust_ar_dkim); fields of other authserv-ids are skipped. */
int trust_dkim_pass(const struct conf *c, const struct message *m,
		    const char *domain);

/* What the trusted server said about who sent m, for the moderators:
 * the dkim, spf and dmarc results ("pass", "fail", "softfail", ...;
 * "none" when it gave none) of the topmost Authentication-Results of
 * trusted_authserv_id in the trusted run, and whether one of that
 * field's dkim=pass speaks for domain, the From address's domain
 * (trust_ar_dkim).  found is 0 when there is no such field (or no
 * trusted_authserv_id): the server said nothing the gateway may believe. */
#define TRUST_RESULT_MAX 16
struct trust_auth {
	int found;
	char dkim[TRUST_RESULT_MAX], spf[TRUST_RESULT_MAX],
		dmarc[TRUST_RESULT_MAX];
	int from_pass; /* a dkim=pass for domain */
};
void trust_auth(const struct conf *c, const struct message *m,
		const char *domain, struct trust_auth *a);

/* The verdict as stored with a comment (comments.auth): "" when not
 * found, else "dkim=R spf=R dmarc=R from=pass|fail".  Caller frees. */
char *trust_auth_format(const struct trust_auth *a);

/* Reads back what trust_auth_format() wrote; a value it cannot read
 * (empty, or written by hand) counts as not found. */
void trust_auth_parse(const char *s, struct trust_auth *a);

/* 1 when the verdict authenticates the From domain: dmarc=pass, or a
 * dkim=pass for it. */
int trust_auth_passes(const struct trust_auth *a);

/* The spam score of m by the verdicts of spam.header in the trusted run:
 * the highest of them (X-Spam-Status score=, X-Spam-Score, X-Spam-Flag:
 * YES as the threshold; X-Spamd-Result [score, X-Rspamd-Score).  Returns
 * 1 and fills *score when there is one, else 0. */
int trust_spam_score(const struct conf *c, const struct message *m,
		     double *score);

#endif
