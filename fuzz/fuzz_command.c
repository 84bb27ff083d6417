/* fuzz_command.c: libFuzzer target for a reply read as commands
 * (command_parse_full), in every context: a moderator's single and digest
 * forms, a reader's reply to a notice, a mail to the console.  The input
 * is the reply's new text (up to a NUL byte).
 *
 * Checks, each a crash when broken: the count is -1..max, with a reason
 * exactly when it is -1; every command has a verb, its numbers are
 * positive and at most COMMAND_MAX_IDS (the single form may name some:
 * "approve 8", which the caller checks), a digest command other than
 * ban/unban names at least one comment; arg is one trimmed line; edit
 * and reply carry a text with no quoted line (but maybe the first),
 * other verbs none; the
 * single form gives at most one command, and the same first verb as the
 * digest form when both succeed; a reader's or the console's commands are
 * verbs of that context only ("show" with a number); a report's quoted
 * line is one line, and explaining it in either language never fails. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "catalog.h"
#include "command.h"
#include "input.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX 8

static void bad(const char *what, const char *text)
{
	check_fail("command_parse", what, text, strlen(text));
}

static int trimmed_line(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && strchr(s, '\n') == NULL && s[0] != ' ' &&
	       s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t';
}

static int verb_of(enum command_ctx ctx, enum verb v)
{
	switch (ctx) {
	case CMD_READER:
		return v == VERB_EDIT || v == VERB_DELETE || v == VERB_FOLLOW ||
		       v == VERB_MUTE || v == VERB_UNSUBSCRIBE;
	case CMD_CONSOLE:
		return v == VERB_PENDING || v == VERB_SHOW || v == VERB_STATS ||
		       v == VERB_HELP;
	default:
		return v > VERB_NONE && v <= VERB_UNDO;
	}
}

static void check_one(const struct command *c, enum command_ctx ctx,
		      const char *text)
{
	int digest = ctx == CMD_DIGEST;
	size_t i;
	const char *p;

	if (!verb_of(ctx, c->verb))
		bad("a verb of another context", text);
	if (c->verb == VERB_SHOW && c->nids == 0)
		bad("show without a number", text);
	if (verb_name(c->verb) == NULL)
		bad("verb without a name", text);
	if (c->nids > COMMAND_MAX_IDS)
		bad("too many numbers", text);
	for (i = 0; i < c->nids; i++)
		if (c->ids[i] <= 0)
			bad("a comment number <= 0", text);
	if (digest && c->verb != VERB_BAN && c->verb != VERB_UNBAN &&
	    c->nids == 0)
		bad("a digest command naming no comment", text);
	if (c->arg && !trimmed_line(c->arg))
		bad("arg is not one trimmed line", text);
	if (c->verb == VERB_EDIT || c->verb == VERB_REPLY) {
		if (c->text == NULL || c->text[0] == '\0')
			bad("edit/reply without text", text);
		/* (the first line may start with '>' once the text is
		 * trimmed: "  > x" is no quote) */
		for (p = strchr(c->text, '\n'); p; p = strchr(p + 1, '\n'))
			if (p[1] == '>')
				bad("a quoted line in the text", text);
	} else if (c->text) {
		bad("text on a verb that takes none", text);
	}
}

static int run(const char *text, enum command_ctx ctx, enum verb *first)
{
	struct command cmds[MAX];
	struct command_report r;
	struct buf b;
	int n, i;

	memset(cmds, 0xA5, sizeof(cmds)); /* no reliance on zeroed memory */
	memset(&r, 0xA5, sizeof(r));
	n = command_parse_full(text, ctx, cmds, MAX, &r);
	if (n < -1 || n > MAX)
		bad("count out of range", text);
	if ((n == -1) != (r.why != NULL))
		bad("a reason exactly when malformed", text);
	if (ctx == CMD_NOTIFICATION && n > 1)
		bad("more than one command in the single form", text);
	if (memchr(r.line, '\0', sizeof(r.line)) == NULL ||
	    strchr(r.line, '\n') || memchr(r.line2, '\0', sizeof(r.line2)) ==
					     NULL || strchr(r.line2, '\n'))
		bad("a report line that is not one line", text);
	buf_init(&b);
	command_explain(&r, NULL, &b);
	command_explain(&r, catalog_lang(catalog_shipped(), "fr"), &b);
	command_explain(&r, catalog_lang(catalog_shipped(), "pl"), &b);
	buf_free(&b);
	*first = n > 0 ? cmds[0].verb : VERB_NONE;
	for (i = 0; i < n; i++) {
		check_one(&cmds[i], ctx, text);
		command_free(&cmds[i]);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = input_string(data, size);
	enum verb single, digest, other;
	int ns, nd;

	ns = run(text, CMD_NOTIFICATION, &single);
	nd = run(text, CMD_DIGEST, &digest);
	run(text, CMD_READER, &other);
	run(text, CMD_CONSOLE, &other);
	if (ns > 0 && nd > 0 && single != digest)
		bad("the two forms read different verbs", text);
	free(text);
	return 0;
}
