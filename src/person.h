/* person.h: everything the gateway holds about one mailbox, as one JSON
 * document: the answer to a person's request for their data (GDPR art. 15
 * and 20), the counterpart of `forget` (moderate_forget()).
 *
 * The scope is forget's: the mailbox's comments in every spelling of it
 * (its canonical key, addr_key()), its sender record, the articles it
 * follows, the mail sent to it and the mail about it, its tokens, and
 * the audit rows that concern it.  Other people's data never appear: the
 * moderators who decided are named by role, the mail about the person
 * sent to others by kind and date, and tokens by purpose and dates (the
 * database keeps only their hashes).  Documented in README ("A person's
 * data"); the "format" member versions the document. */
#ifndef MC_PERSON_H
#define MC_PERSON_H

#include "conf.h"
#include "store.h"
#include "util.h"

struct person_counts {
	int comments, follows, mails, tokens, audit;
	int sender; /* 1 when a sender record exists */
};

/* Appends to out the JSON document about address.  Returns 0, or -1
 * with err set; n (may be NULL) says what was found. */
int person_export(struct store *st, const struct conf *c,
		  const char *address, struct buf *out,
		  struct person_counts *n, struct mc_err *err);

#endif
