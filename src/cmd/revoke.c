/* revoke.c: `mailcomments revoke`: the operator takes tokens back.  One
 * token (as a moderator holds it: the token, its plus-address or the
 * Message-ID that carries it), every token of a comment, or every token
 * after a suspected leak; --renotify then sends new mail for what waits.
 * Each revocation is in the audit log; the token itself never is. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../log.h"
#include "../moderate.h"
#include "../token.h"
#include "../banned.h"

static const char *purpose_word(char p)
{
	return p == TOKEN_MODERATE ? "moderation" :
	       p == TOKEN_DIGEST   ? "digest" :
	       p == TOKEN_CONFIRM  ? "confirmation" :
				     "unsubscribe";
}

static int audit_revoke(struct store *st, const char *action, int64_t id,
			const char *detail, struct mc_err *err)
{
	struct audit a = { "operator", action, id, detail, NULL, NULL };

	return store_audit(st, &a, err);
}

/* One token; 1 when there is none such. */
static int revoke_one(struct store *st, const char *text, struct mc_err *err)
{
	struct token_row row;
	char detail[128];
	int found = token_lookup_text(st, text, &row, err);

	if (found <= 0)
		return found < 0 ? -1 : 1;
	snprintf(detail, sizeof(detail), "%s token #%lld%s",
		 purpose_word(row.purpose), (long long)row.id,
		 row.revoked ? " (already revoked)" : "");
	if (token_revoke_id(st, row.id, err) < 0 ||
	    audit_revoke(st, "revoke", row.comment_id, detail, err) < 0) {
		token_row_free(&row);
		return -1;
	}
	if (row.comment_id > 0)
		printf("revoked the %s, of comment #%lld\n", detail,
		       (long long)row.comment_id);
	else
		printf("revoked the %s\n", detail);
	token_row_free(&row);
	return 0;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "comment", required_argument, NULL, 'c' },
		{ "renotify", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st = ctx->store;
	struct mc_err err;
	char detail[128];
	int64_t comment = 0;
	int all = 0, renotify = 0, o, n = 0, ncomments = 0, nconfirm = 0;
	int rc = 0;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a')
			all = 1;
		else if (o == 'r')
			renotify = 1;
		else if (o == 'c' && (comment = cmd_comment_id(optarg)) > 0)
			continue;
		else
			return EX_USAGE;
	}
	/* exactly one of TOKEN, --comment, --all; or --renotify alone */
	if ((optind < argc) + (comment > 0) + all > 1 || optind + 1 < argc ||
	    ((optind < argc) + (comment > 0) + all == 0 && !renotify))
		return EX_USAGE;
	if (store_begin(st, &err) < 0) {
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	if (optind < argc) {
		rc = revoke_one(st, argv[optind], &err);
	} else if (comment > 0) {
		snprintf(detail, sizeof(detail), "every token of the comment");
		rc = token_revoke_comment(st, comment, &n, &err) < 0 ||
				     audit_revoke(st, "revoke", comment, detail,
						  &err) < 0 ?
			     -1 :
			     0;
		if (rc == 0)
			printf("revoked %d token%s and digest entr%s of "
			       "comment #%lld\n",
			       n, n == 1 ? "" : "s", n == 1 ? "y" : "ies",
			       (long long)comment);
	} else if (all) {
		rc = token_revoke_all(st, &n, &err);
		snprintf(detail, sizeof(detail), "every token (%d)", n);
		if (rc == 0)
			rc = audit_revoke(st, "revoke", 0, detail, &err);
		if (rc == 0)
			printf("revoked every token: %d\n", n);
	}
	if (rc == 0 && renotify) {
		rc = moderate_renotify(st, ctx->conf, &ncomments, &nconfirm,
				       &err);
		snprintf(detail, sizeof(detail),
			 "%d comment%s to the moderators, %d confirmation%s",
			 ncomments, ncomments == 1 ? "" : "s", nconfirm,
			 nconfirm == 1 ? "" : "s");
		if (rc == 0 && ncomments + nconfirm > 0)
			rc = audit_revoke(st, "renotify", 0, detail, &err);
		if (rc == 0)
			printf("sent again: %s\n", detail);
	}
	if (rc == 1) {
		store_rollback(st);
		fprintf(stderr, "mailcomments: no token found in \"%s\"\n",
			argv[optind]);
		return EX_DATAERR;
	}
	if (rc < 0 || store_commit(st, &err) < 0) {
		store_rollback(st);
		log_warnx("%s", err.msg);
		return EX_TEMPFAIL;
	}
	if (!renotify && (all || comment > 0)) {
		rc = moderate_renotify_count(st, &ncomments, &err);
		if (rc == 0 && ncomments > 0)
			printf("%d pending comment%s now ha%s no valid "
			       "notification: `mailcomments revoke --renotify` "
			       "sends new ones\n",
			       ncomments, ncomments == 1 ? "" : "s",
			       ncomments == 1 ? "s" : "ve");
	}
	cmd_after_change(ctx);
	return EX_OK;
}

const struct cmd cmd_revoke = {
	"revoke", "revoke a token, a comment's tokens, or all (audited)",
	"revoke TOKEN|ADDRESS|MESSAGE-ID | --comment N | --all [--renotify]",
	CMD_NEEDS_CONF | CMD_NEEDS_DB, run,
};
