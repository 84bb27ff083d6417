#!/bin/bash
# t-clock.sh: MAILCOMMENTS_NOW moves the clock of the test binary only.
# The installed binary (MC_PROD_BIN, build/mailcomments) reads the system
# clock whatever the environment says: set there, the variable would let
# anyone who can set it revive an expired token or backdate a comment.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

PROD=${MC_PROD_BIN:-$T_ROOT/${MC_BUILD:-build}/mailcomments}
ART=comments+2024/panne-mondiale@example.org
MOD='Moderator <moderator@example.org>'
site

# Dates: the test binary takes the clock from the environment...
comment "A <a@example.net>" "$ART" "First."
MAILCOMMENTS_NOW=1000000000 mc poll >>poll.log 2>&1
check "the test binary obeys MAILCOMMENTS_NOW" \
	test "$(sql "SELECT created_at FROM comments WHERE id = 1")" = 1000000000
# ...the production one does not.
comment "B <b@example.net>" "$ART" "Second."
start=$(date +%s)
MAILCOMMENTS_NOW=1000000000 "$PROD" poll >>poll.log 2>&1
got=$(sql "SELECT created_at FROM comments WHERE id = 2")
check "the production binary ignores it (created_at $got)" \
	test "${got:-0}" -ge "$start" -a "${got:-0}" -le $(($(date +%s) + 1))

# Tokens: 31 days later a notification's token has expired (30 days).
n2=$(notification_for 2)
reply_to "$n2" "$MOD" approve --message-id '<late-test@example.org>'
MAILCOMMENTS_NOW=$(($(date +%s) + 31 * 86400)) mc poll >>poll.log 2>&1
check "to the test binary, 31 days later the token has expired" \
	test "$(sql "SELECT outcome FROM processed WHERE key = '<late-test@example.org>'")" = "refused: expired token"
check "and the comment waits" test "$(status_of 2)" = pending
reply_to "$n2" "$MOD" approve --message-id '<late-prod@example.org>'
MAILCOMMENTS_NOW=$(($(date +%s) + 31 * 86400)) "$PROD" poll >>poll.log 2>&1
check "the production binary's clock is the real one: the token is valid" \
	test "$(status_of 2)" = approved

t_done
