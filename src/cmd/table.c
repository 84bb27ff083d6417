/* table.c: the list of subcommands, in the order --help shows them.
 * Adding a subcommand: write src/cmd/<name>.c and add it here. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../banned.h"

extern const struct cmd cmd_poll, cmd_daemon, cmd_import,
	cmd_import_comments, cmd_parse, cmd_list, cmd_show, cmd_approve,
	cmd_reject, cmd_delete, cmd_ban, cmd_unban, cmd_forget, cmd_export, cmd_export_person, cmd_revoke,
	cmd_render, cmd_articles, cmd_outbox, cmd_deploy, cmd_prune,
	cmd_backup, cmd_stats, cmd_check_config, cmd_help;

const struct cmd *const cmd_table[] = {
	&cmd_poll,    &cmd_daemon,   &cmd_import,        &cmd_import_comments,
	&cmd_parse,   &cmd_list,     &cmd_show,          &cmd_approve,
	&cmd_reject,  &cmd_delete,   &cmd_ban,           &cmd_unban,
	&cmd_forget,  &cmd_export,   &cmd_export_person, &cmd_revoke,
	&cmd_render,  &cmd_articles, &cmd_outbox,        &cmd_deploy,
	&cmd_prune,   &cmd_backup,   &cmd_stats,         &cmd_check_config,
	&cmd_help,    NULL,
};

const struct cmd *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

void cmd_usage(const struct cmd *c, FILE *out)
{
	fprintf(out, "usage: mailcomments %s\n\n%s\n", c->usage, c->help);
}
