/* pending.c: subcommands whose issue has not landed yet.  Each moves to its
 * own file when it is built; until then it says "not yet available". */
#include <stdio.h>

#include "cmd.h"
#include "../banned.h"

#define PENDING(id, nm, use, hlp) \
	const struct cmd cmd_##id = { nm, hlp, use, 0, cmd_not_yet }

PENDING(poll, "poll", "poll [--once]",
	"read new mail from the source and process it");
PENDING(daemon, "daemon", "daemon",
	"run continuously, waiting for mail with IMAP IDLE");
PENDING(import, "import", "import MAILDIR",
	"process every message of a Maildir");
PENDING(list, "list", "list [--status S] [--article SLUG] [--sender ADDR] "
	"[--json]", "list comments");
PENDING(show, "show", "show N", "show one comment and its mail's headers");
PENDING(approve, "approve", "approve N...", "publish comments");
PENDING(reject, "reject", "reject N... [--reason TEXT]", "reject comments");
PENDING(delete, "delete", "delete N", "unpublish a published comment");
PENDING(ban, "ban", "ban ADDR|@DOMAIN", "refuse comments from a sender");
PENDING(unban, "unban", "unban ADDR|@DOMAIN", "lift a ban");
PENDING(forget, "forget", "forget ADDR",
	"erase every comment and record of an address (GDPR)");
PENDING(render, "render", "render [SLUG|--all]",
	"write comment sections, JSON and feeds");
PENDING(articles, "articles", "articles list|add SLUG|remove SLUG",
	"manage the articles that accept comments");
PENDING(outbox, "outbox", "outbox list|flush",
	"show or send queued outgoing mail");
PENDING(stats, "stats", "stats", "counts of comments, senders and mail");
