/* pending.c: subcommands whose issue has not landed yet.  Each moves to its
 * own file when it is built; until then it says "not yet available". */
#include <stdio.h>

#include "cmd.h"
#include "../banned.h"

#define PENDING(id, nm, use, hlp) \
	const struct cmd cmd_##id = { nm, hlp, use, 0, cmd_not_yet }

PENDING(parse, "parse", "parse FILE [--json]",
	"show how a mail is understood (headers, text, kind)");
