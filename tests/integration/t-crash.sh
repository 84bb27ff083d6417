#!/bin/bash
# t-crash.sh: kill -9 at random moments during an import of 500 messages,
# at least 20 times, then let it finish: every comment is stored exactly
# once, every notification is in the outbox exactly once (the outbox file
# is named after its queue row, so a retried write replaces), and the
# database passes PRAGMA integrity_check.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

N=${CRASH_MESSAGES:-500}
KILLS=${CRASH_KILLS:-20}
# 500 comments at once are a flood: the throttles are off here, where
# each must come out as its own notification.
site 'moderation = { moderators = ["moderator@example.org"]; flood_threshold = 0; };
limits = { comments_per_hour = 1000000; pending_per_sender = 1000000;
           site_comments_per_hour = 0; site_pending = 0; };'
crash_corpus "$INBOX" "$N"

kills=0
tries=0
while [ "$kills" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 5)) ]; do
	tries=$((tries + 1))
	left=$(ls "$INBOX/new" | wc -l)
	[ "$left" -eq 0 ] && [ "$(sql "SELECT count(*) FROM outbox WHERE status='queued'" 2>/dev/null || echo 1)" = 0 ] && break
	# The binary itself, not the mc function: $! must be its PID.
	"$MC" import "$INBOX" >>crash.log 2>&1 &
	pid=$!
	# A random moment within the first 30 ms of the run: a whole import
	# takes about half a second, so the kills land all along it.
	sleep "$(printf '0.%03d' $((RANDOM % 30)))"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null
done
echo "# $kills kills in $tries runs"
check "killed at least $KILLS times (or the work ran out first)" \
	test "$kills" -ge "$KILLS" -o "$(ls "$INBOX/new" | wc -l)" -eq 0
mc import "$INBOX" >>crash.log 2>&1
check "a last run finishes cleanly" test $? = 0

check "every message was acknowledged" test "$(ls "$INBOX/new" | wc -l)" = 0
check "every comment stored exactly once" test \
	"$(sql "SELECT count(*) || '/' || count(DISTINCT message_id) FROM comments")" = "$N/$N"
check "every message recorded once" test "$(sql 'SELECT count(*) FROM processed')" = "$N"
check "one notification queued per comment" test \
	"$(sql "SELECT count(*) || '/' || count(DISTINCT recipient || message) FROM outbox JOIN outbox_text ON outbox_id = id WHERE kind = 'notification'")" = "$N/$N"
check "every notification sent" test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
files=$(ls "$OUTBOX/new" | wc -l)
check "exactly one outbox file per notification ($files)" test "$files" = "$N"
dups=$(grep -h '^Subject:' "$OUTBOX"/new/* | sort | uniq -d | wc -l)
check "no notification written twice" test "$dups" = 0
check "PRAGMA integrity_check is ok" test "$(sql 'PRAGMA integrity_check')" = ok
check "no stray temp files" test "$(ls "$OUTBOX/tmp" | wc -l)" = 0
t_done
