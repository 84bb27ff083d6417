/* command.h: reading a reply to the gateway as commands.  A command is a
 * line that IS a command: the command word alone (any case, accents
 * folded, "OK!", "oui."), or with the arguments that command takes, and
 * politeness ("approuvé, merci", "ok thanks").  A line that starts with a
 * command word and goes on as a sentence ("No problem with this one,
 * publish it.") is not understood, and nothing is done.  Greetings and
 * blank lines before the command are skipped; the quote, the attribution
 * line and the signature end the text that is read. */
#ifndef MC_COMMAND_H
#define MC_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "util.h"

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
	int64_t ids[COMMAND_MAX_IDS]; /* the comments the line names: the
				       * digest form always; the single
				       * notification form may name some
				       * ("approve 8"), and the caller must
				       * check they are the token's comment;
				       * console: show N */
	size_t nids;
	char *arg;  /* reject/spam: reason; ban/unban: address or @domain;
		     * may be NULL */
	char *text; /* edit / reply: the text after "edit:" on the line
		     * and below it (in a digest, an edit or reply line ends
		     * the list and takes the text below it) */
};

/* Why a reply gave no command (command_parse_full()). */
enum command_problem {
	COMMAND_OK,
	COMMAND_NO_COMMAND,     /* the first meaningful line has no command
				 * word (or there is no such line): plain
				 * text, a reader's new comment */
	COMMAND_NOT_UNDERSTOOD, /* it starts with a command word but goes on
				 * as a sentence, or asks a question, or
				 * names numbers where none are taken */
	COMMAND_NO_NUMBER,      /* digest: a line names no comment */
	COMMAND_NO_TEXT,        /* edit / reply without text */
	COMMAND_CONTRADICTION,  /* two commands that contradict each other
				 * (a digest: one comment under two verbs) */
	COMMAND_TOO_MANY,       /* more command lines than the caller takes */
};

#define COMMAND_LINE_MAX 448 /* 100 code points, cleaned, and "..." */

struct command_report {
	enum command_problem problem;
	/* the line at fault, cleaned for a terminal and a mail (term.h),
	 * cut to about 100 characters; "" if none */
	char line[COMMAND_LINE_MAX];
	/* COMMAND_CONTRADICTION: the other line, and in a digest the
	 * comment both name */
	char line2[COMMAND_LINE_MAX];
	int64_t id;
	/* COMMAND_NOT_UNDERSTOOD after "no"/"non" and a comma: the reason
	 * goes after a colon ("non : hors sujet") */
	int hint_colon;
	const char *why; /* one English phrase, a msgid of the catalogs
			  * (shown as _(lang, why)); NULL when
			  * COMMAND_OK or COMMAND_NO_COMMAND */
};

/* Parses text (the new text of a reply).  digest: lines name comment
 * numbers ("approve 12 13", "reject 14 off-topic").  Returns the number
 * of commands filled into cmds (at most max), 0 if the first meaningful
 * line is no command, -1 if it is malformed (a digest line without
 * numbers, an edit without text) or not understood (a command word that
 * goes on as a sentence) or contradicted; *why then says what is wrong.
 * Release each with command_free(). */
int command_parse(const char *text, int digest, struct command *cmds,
		  size_t max, const char **why);

/* command_parse() for any context (digest is ctx == CMD_DIGEST).  The
 * return codes, the same in every context:
 *   n > 0  n commands.  A single form (notification, reader, console)
 *          gives one: later lines of the same verb are ignored, later
 *          lines that start with another command word contradict it
 *          (-1); the console reads its first command only.
 *   0      the first meaningful line (after greetings, blank lines and
 *          a leading quote) has no command word: plain text.  For
 *          CMD_READER, a new comment.
 *   -1     a command word that did not make a command: a sentence
 *          ("No problem with this one"), a question, numbers where the
 *          context takes none, a digest line without numbers, edit
 *          without text, two contradicting commands, more than max
 *          lines.  For CMD_READER, not understood.  *why says what. */
int command_parse_ctx(const char *text, enum command_ctx ctx,
		      struct command *cmds, size_t max, const char **why);

/* command_parse_ctx() that also says which line was at fault and why,
 * in *r (always filled; r->why is the *why above). */
int command_parse_full(const char *text, enum command_ctx ctx,
		       struct command *cmds, size_t max,
		       struct command_report *r);

/* Appends to out, in language l (catalog.h; NULL: English), one
 * paragraph for the person who wrote: which line was not understood and
 * why, or which lines contradict each other; nothing was done.  Nothing
 * for COMMAND_OK. */
void command_explain(const struct command_report *r,
		     const struct catalog_lang *l, struct buf *out);

void command_free(struct command *c);

/* The verb's canonical English word ("approve"). */
const char *verb_name(enum verb v);

/* The status a decision leads to ("approved"), or NULL. */
const char *verb_status(enum verb v);

#endif
