/* command.h: reading a moderator's reply.  Only the new text counts (the
 * parser has removed quotes and signatures); the first meaningful line is
 * the command, in English or French, any case.  A digest reply may hold
 * several lines, each naming comments by number. */
#ifndef MC_COMMAND_H
#define MC_COMMAND_H

#include <stddef.h>
#include <stdint.h>

enum verb {
	VERB_NONE,
	VERB_APPROVE,
	VERB_REJECT,
	VERB_SPAM,
	VERB_DELETE,
	VERB_BAN,
	VERB_UNBAN,
	VERB_EDIT,
	VERB_TRUST,
	VERB_REPLY,
	VERB_UNDO,
};

#define COMMAND_MAX_IDS 200

struct command {
	enum verb verb;
	int64_t ids[COMMAND_MAX_IDS]; /* digest form: the comments named */
	size_t nids;
	char *arg;  /* reject: reason; ban/unban: address or @domain; may be
		     * NULL */
	char *text; /* edit / reply: the text below the command line (in
		     * a digest, an edit or reply line ends the list and
		     * takes the text below it) */
};

/* Parses text.  digest: lines name comment numbers ("approve 12 13",
 * "reject 14 off-topic").  Returns the number of commands filled into
 * cmds (at most max), 0 if the first meaningful line is no command, -1 if
 * it is malformed (a digest line without numbers, an edit without text);
 * *why then says what is wrong.  Release each with command_free(). */
int command_parse(const char *text, int digest, struct command *cmds,
		  size_t max, const char **why);

void command_free(struct command *c);

/* The verb's canonical English word ("approve"). */
const char *verb_name(enum verb v);

/* The status a decision leads to ("approved"), or NULL. */
const char *verb_status(enum verb v);

#endif
