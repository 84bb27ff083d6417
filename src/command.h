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
	/* a reader's own comment (reply to a publish or reply notice) */
	VERB_FOLLOW,
	VERB_MUTE,
	VERB_UNSUBSCRIBE,
	/* the moderators' console (a mail to the gateway's own address) */
	VERB_PENDING,
	VERB_SHOW,
	VERB_STATS,
	VERB_HELP,
};

/* Who writes, answering what: each context has its own words.
 *   CMD_NOTIFICATION  a moderator answers one comment's notification
 *   CMD_DIGEST        a moderator answers a digest (lines name numbers)
 *   CMD_READER        a reader answers a notice about their comment:
 *                     edit (text below), delete, follow, mute,
 *                     unsubscribe
 *   CMD_CONSOLE       a moderator writes to the gateway: pending,
 *                     show N, stats, help */
enum command_ctx {
	CMD_NOTIFICATION,
	CMD_DIGEST,
	CMD_READER,
	CMD_CONSOLE,
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

/* command_parse() for any context (digest is ctx == CMD_DIGEST). */
int command_parse_ctx(const char *text, enum command_ctx ctx,
		      struct command *cmds, size_t max, const char **why);

void command_free(struct command *c);

/* The verb's canonical English word ("approve"). */
const char *verb_name(enum verb v);

/* The status a decision leads to ("approved"), or NULL. */
const char *verb_status(enum verb v);

#endif
