/* cmdwords.h: the words people write in replies to the gateway, in every
 * language its catalogs speak: command words, politeness, greetings,
 * negations.  The words are catalog entries (po/LANG.po, contexts
 * "command words: ...", "reader command words: ...", "console command
 * words: ..." and "reply words: ..."), so a language's commands come with
 * its .po file and a site's catalog override may change them; this
 * module reads them into one table, folds them (fold.h) and checks its
 * rules; command.c holds the rules that read replies with it.  Commands
 * are accepted in every language whatever the moderator's own, so no word
 * may have two verbs in one context (cmdwords_build() refuses it).
 *
 * One set of words is current for the process: the shipped catalogs'
 * unless cmdwords_use() installed another (conf_load() does, for a
 * configuration with site.catalogs).  The program is single threaded. */
#ifndef MC_CMDWORDS_H
#define MC_CMDWORDS_H

#include <stddef.h>

#include "catalog.h"
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
	const char *lang;   /* the catalog's code ("de", "pt-br") */
	enum cw_kind kind;
	const char *text;   /* as the catalog spells it; phrases have spaces */
	const char *folded; /* its words folded, joined by one space ("don't"
			     * is "don t") */
	const char *slot;   /* the catalog context it came from */
	enum verb verb;     /* CW_VERB */
	unsigned ctx;       /* CW_VERB */
	unsigned flags;     /* CW_SHORT, CW_NEG_ONLY, CW_LEAD */
};

struct cmdwords;

/* The words of every language of cat, or NULL with err set ("de: ...")
 * when they break the rules: a word with two verbs in one context, a
 * negation or command word that is also politeness, a pointing word or
 * approval, approval that is also politeness or a pointing word, a
 * one-word kind given a phrase.  The result does not point into cat.
 * Free with cmdwords_free(). */
struct cmdwords *cmdwords_build(const struct catalog *cat,
				struct mc_err *err);
void cmdwords_free(struct cmdwords *w);

/* Makes w the current words (NULL: the shipped catalogs' again).  The
 * caller keeps w alive while it is current. */
void cmdwords_use(const struct cmdwords *w);

/* The current words' entries: n of them, sorted by folded text. */
const struct cmdword *cmdwords_table(size_t *n);

/* The current words' languages, in the catalog's order ("en" among
 * them); *codes points into the set. */
size_t cmdwords_langs(const char *const **codes);

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
