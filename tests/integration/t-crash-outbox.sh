#!/bin/bash
# t-crash-outbox.sh: kill -9 during the batched delivery of many queued
# notifications to the Maildir outbox, at chosen points (the batch
# written, at its syncfs; while it is renamed; at the directory's fsync,
# after the renames and before the commit) and at random moments, then let it finish: every
# notification is in new/ exactly once, none is lost, none was written a
# second time, every row is sent and no sent copy keeps a placeholder.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

N=${CRASH_OUTBOX_MESSAGES:-1000}
KILLS=${CRASH_KILLS:-12}
FAULTFS="$T_ROOT/${MC_BUILD:-build}/tests/faultfs.so"
export ASAN_OPTIONS="${ASAN_OPTIONS}:verify_asan_link_order=0"
site 'moderation = { moderators = ["moderator@example.org"]; flood_threshold = 0; };
limits = { comments_per_hour = 1000000; pending_per_sender = 1000000;
           site_comments_per_hour = 0; site_pending = 0; };'
crash_corpus "$INBOX" "$N"
# The notifications are queued, not sent: the outbox lock is held.
flock "$DB.outbox-lock" "$MC" import "$INBOX" >import.log 2>&1
check "$N notifications queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = "$N"
queued() { sql "SELECT count(*) FROM outbox WHERE status = 'queued'"; }
delivered() { ls "$OUTBOX/new" 2>/dev/null | wc -l; }

# ---- the rows of a batch are read in one read transaction: SQLite's
# locks are taken once, not for every statement (which cost six fcntl
# calls a mail).  Up to the first batch's syncfs, where faultfs kills
# it: 256 rows read ----
LD_PRELOAD="$FAULTFS" MC_FAULT="kill-syncfs:outbox/tmp" strace -f -qq -c -e trace=fcntl -o fcntl.sum "$MC" outbox flush >>crash.log 2>&1
locks=$(awk '$NF == "fcntl" { print $4 }' fcntl.sum)
check "a batch's rows are read with few lock calls (${locks:-none})" test -n "$locks" -a "${locks:-0}" -lt 100
check "  and that run sent nothing" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = 0

# ---- kills at chosen points: faultfs kills the process there ----
# (a point in a batch already sent is not reached: the run finishes or
# dies elsewhere, which is fine too.)
between=0
for point in "kill-syncfs:outbox/tmp" "kill-rename:outbox-3.eml" \
	"kill-rename:outbox-200.eml" "kill-fsync:outbox/new" \
	"kill-syncfs:outbox/tmp" "kill-rename:outbox-600.eml" \
	"kill-fsync:outbox/new"; do
	LD_PRELOAD="$FAULTFS" MC_FAULT="$point" "$MC" outbox flush >>crash.log 2>&1 &
	wait $! 2>/dev/null
	rc=$?
	sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
	files=$(delivered)
	[ "$files" -gt "$sent" ] && between=$((between + 1))
	echo "# $point: exit $rc, $sent sent, $files files in new/"
done
check "killed after the renames, before the commit, at least twice ($between)" test "$between" -ge 2
# What is in new/ now must stay as it is: files that were delivered but
# not marked sent are found there, never written again.
(cd "$OUTBOX/new" && ls -i | sort -k2) >inodes.before

# ---- kills at random moments ----
kills=0
tries=0
while [ "$kills" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 5)) ] && [ "$(queued)" != 0 ]; do
	tries=$((tries + 1))
	"$MC" outbox flush >>crash.log 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 60)))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
done
echo "# $kills random kills in $tries runs"
mc outbox flush >>crash.log 2>&1
check "a last run finishes cleanly" test $? = 0

check "every notification sent" test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
check "exactly one file per notification ($(delivered))" test "$(delivered)" = "$N"
missing=0
for id in $(sql "SELECT id FROM outbox"); do
	[ -f "$OUTBOX/new/outbox-$id.eml" ] || missing=$((missing + 1))
done
check "none lost: each row has its file ($missing missing)" test "$missing" = 0
(cd "$OUTBOX/new" && ls -i | sort -k2) | join -1 2 -2 2 - <(sort -k2 inodes.before) |
	awk '$2 != $3' >inodes.changed
check "no delivered file was written again ($(wc -l <inodes.before) checked)" \
	test ! -s inodes.changed
dups=$(grep -h '^Subject:' "$OUTBOX"/new/* | sort | uniq -d | wc -l)
check "no notification written twice" test "$dups" = 0
check "no stray temp files" test "$(ls "$OUTBOX/tmp" | wc -l)" = 0
tokens=$(grep -ho 'comments+m_[a-z2-7]\{32\}@' "$OUTBOX"/new/* | sort -u | wc -l)
check "each file carries its own token ($tokens)" test "$tokens" = "$N"
check "no sent copy keeps a placeholder" test \
	"$(sql "SELECT count(*) FROM outbox_tokens")" = 0
check "no file is short (each ends its body)" test \
	"$(grep -L 'Reply to this mail' "$OUTBOX"/new/* | wc -l)" = 0
check "PRAGMA integrity_check is ok" test "$(sql 'PRAGMA integrity_check')" = ok
t_done
