/* cmdwords.h: the words people write in replies to the gateway, in every
 * language it speaks, as data: command words, politeness, greetings,
 * negations.  One table keyed by language, in the words' own spelling
 * (accents and all), folded once (fold.h) for matching; command.c holds
 * the rules that read them.  Commands are accepted in every language
 * whatever the moderator's own, so the table must not give one word two
 * verbs in one context (tests/unit/test_cmdwords.c checks it). */
#ifndef MC_CMDWORDS_H
#define MC_CMDWORDS_H

#include <stddef.h>

#include "command.h"

enum cw_kind {
	CW_VERB,         /* a command word: .verb in the contexts .ctx */
	CW_POLITE,       /* politeness, around any command ("danke") */
	CW_NEUTRAL,      /* points at the comment ("lo", "het", "tego") */
	CW_APPROVING,    /* approval, after approve only ("passt", "bene") */
	CW_NEGATION,     /* a phrase that negates the verb next to it
			  * ("nicht", "don't", "ne ... pas": two entries) */
	CW_NO_OBJECTION, /* a phrase that says nothing is wrong, before an
			  * approval ("kein Problem", "sin problema") */
	CW_GREETING,     /* a salutation ("hallo", "cześć") */
	CW_GREETING2,    /* the first word of a two-word salutation, which
			  * takes any second word ("guten", "dzień") */
	CW_GREET_ALL,    /* after a salutation, a word that is no name
			  * ("zusammen", "todos") */
	CW_AND,          /* joins comment numbers ("12 und 13") */
	CW_NOT_YET,      /* time ("yet", "noch", "encore"): with a
			  * negation, "not yet" is a wait, no rejection */
};

/* Flags: CW_VERB entries */
#define CW_SHORT 1u    /* also the first word of ordinary sentences ("no",
			* "ja", "tak"): takes no free reason, and a
			* reason's approval words do not count it */
#define CW_NEG_ONLY 2u /* a form said only after a negation: "publiques"
			* in "no lo publiques" */
/* CW_POLITE entries */
#define CW_LEAD 4u     /* may open a line before its command ("Bitte
			* löschen", "Por favor, bórralo"), where "a" or
			* "so" would turn "A spam" into a command */

/* Contexts of CW_VERB entries: bits (1u << enum command_ctx). */
#define CW_MOD ((1u << CMD_NOTIFICATION) | (1u << CMD_DIGEST))
#define CW_READER (1u << CMD_READER)
#define CW_CONSOLE (1u << CMD_CONSOLE)

struct cmdword {
	const char *lang; /* ISO 639-1 */
	enum cw_kind kind;
	const char *text; /* as people write it; phrases have spaces */
	enum verb verb;   /* CW_VERB */
	unsigned ctx;     /* CW_VERB */
	unsigned flags;   /* CW_SHORT, CW_NEG_ONLY, CW_LEAD */
};

/* The languages, in the order of the table (NULL-terminated). */
extern const char *const cmdwords_langs[];

/* The whole table: n entries. */
const struct cmdword *cmdwords_table(size_t *n);

/* The folding of table entry i: its words, folded and joined by one
 * space ("don't" is "don t"), built on first use (the program is single
 * threaded) and kept for the life of the process. */
const char *cmdwords_folded(size_t i);

/* The verb of the folded word w in ctx (VERB_NONE if none), its flags in
 * *flags (may be NULL).  neg: after a negation, where the CW_NEG_ONLY
 * forms count too. */
enum verb cmdwords_verb(const char *w, enum command_ctx ctx, int neg,
			unsigned *flags);

/* 1 when the folded word w is a one-word entry of kind k. */
int cmdwords_has(const char *w, enum cw_kind k);

/* The same, for an entry that has every flag of flags. */
int cmdwords_has_flags(const char *w, enum cw_kind k, unsigned flags);

#endif
