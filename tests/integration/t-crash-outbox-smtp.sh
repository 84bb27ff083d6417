#!/bin/bash
# t-crash-outbox-smtp.sh: kill -9 during the delivery of many queued
# notifications over SMTP.  SMTP cannot ask the server whether it has a
# message, so the gateway marks each message sent, in its own
# transaction, before the next one leaves: a killed run sends again at
# most the one message it had in flight.  Kills at a chosen point (the
# sink kills the gateway once it has written the K-th message, before
# its reply: delivered, not acknowledged) must leave exactly one message
# in the sink that is not marked sent; kills at random moments at most
# one each.  A failing fdatasync of the database's log stops the flush
# within 32 messages (the marks are synced at least that often).  Then a last run finishes: none lost, every row sent, and no
# more copies than kills.  The sink offers PIPELINING, so after its first
# message each run speaks the pipelined dialogue (transport_smtp.c).  (A power cut can lose the marks of the last
# few unsynced commits too; a process kill loses none.)
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"
. "$T_ROOT/tests/moderation-lib.sh"

N=${CRASH_OUTBOX_MESSAGES:-200}
KILLS=${CRASH_KILLS:-8}
PIDFILE=$T_DIR/flush.pid
FAULTFS="$T_ROOT/${MC_BUILD:-build}/tests/faultfs.so"
export ASAN_OPTIONS="${ASAN_OPTIONS}:verify_asan_link_order=0"
start_smtp --pipelining || { notok "the SMTP sink starts"; t_done; exit 1; }
site "moderation = { moderators = [\"moderator@example.org\"]; flood_threshold = 0; };
limits = { comments_per_hour = 1000000; pending_per_sender = 1000000;
           site_comments_per_hour = 0; site_pending = 0; };
transport = { type = \"smtp\"; };
smtp = { host = \"127.0.0.1\"; port = $SMTP_PORT; tls = \"starttls\";
         ca_file = \"$TLS_CA\"; timeout = 10; };"
crash_corpus "$INBOX" "$N"
# The notifications are queued, not sent: the outbox lock is held.
flock "$DB.outbox-lock" "$MC" import "$INBOX" >import.log 2>&1
check "$N notifications queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = "$N"
sent() { sql "SELECT count(*) FROM outbox WHERE status = 'sent'"; }
received() { smtp_count; }
# flush: one `outbox flush`, its pid in PIDFILE before it starts (the
# sink reads it there).
flush() {
	sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$PIDFILE" \
		"$MC" outbox flush >>crash.log 2>&1 &
	wait $! 2>/dev/null
}

# ---- the marks reach the disk every 32 messages at the latest (a power
# cut resends at most that many): with the log's fdatasync failing after
# its first two (the new log's header, the first commit), the flush stops
# at its next synced commit, within 32 messages; without the periodic
# sync it ran on to SQLite's own checkpoint (165 messages) or the end ----
LD_PRELOAD="$FAULTFS" MC_FAULT="fdatasync:mailcomments.db-wal" \
	MC_FAULT_SKIP=2 "$MC" outbox flush >>crash.log 2>&1
rc=$?
got=$(received)
echo "# with the log's fdatasync failing: exit $rc, $(sent) sent, $got received"
check "a failed sync of the marks stops the flush ($rc) within 32 messages ($got)" \
	test "$rc" != 0 -a "$got" -ge 1 -a "$got" -le 34
# that run ended with at most one message delivered and not marked
extra=$(( $(received) - $(sent) )) kills=1

# ---- kills at chosen points: the sink kills the K-th message's sender
# once the message is written, before it answers ----
check "  so, one message at most ($extra)" test "$extra" -le 1
tls_ehlos() { cat "$SMTP_DIR/ehlo.log" 2>/dev/null | grep -c ' tls$'; }
ehlos=$(tls_ehlos)
for k in 1 5 40 33; do
	stop_smtp
	start_smtp --pipelining --kill-at "$k" --kill-pidfile "$PIDFILE" ||
		{ notok "the SMTP sink restarts"; break; }
	before=$(received)
	flush
	rc=$?
	# every message before the K-th was marked before the K-th left
	d=$(( $(received) - $(sent) - extra ))
	echo "# killed at message $k of this run: exit $rc, $(sent) sent, $(received) received"
	check "a kill after message $k: it alone is delivered and not marked ($d)" test "$d" = 1
	check "  the run was killed ($rc) after $k messages ($(( $(received) - before )))" \
		test "$rc" = 137 -a "$(( $(received) - before ))" = "$k"
	extra=$((extra + d)) kills=$((kills + 1))
done
# the run killed at its first message had only libcurl's connection;
# each of the others opened the pipelined session after it
check "the pipelined dialogue was used (7 EHLOs over TLS)" \
	test $(( $(tls_ehlos) - ehlos )) = 7
stop_smtp
start_smtp --pipelining

# ---- kills at random moments ----
tries=0 random=0
while [ "$random" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 5)) ] &&
	[ "$(sent)" != "$N" ]; do
	tries=$((tries + 1))
	"$MC" outbox flush >>crash.log 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 400)))"
	kill -9 "$pid" 2>/dev/null && random=$((random + 1))
	wait "$pid" 2>/dev/null
	d=$(( $(smtp_count_settled) - $(sent) - extra ))
	check "a random kill leaves at most one message unmarked ($d)" test "$d" -le 1 -a "$d" -ge 0
	extra=$((extra + d))
done
echo "# $random random kills in $tries runs; $extra messages delivered and not marked"
mc outbox flush >>crash.log 2>&1
check "a last run finishes cleanly" test $? = 0

check "every notification sent" test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
subjects() { grep -h '^Subject:' "$SMTP_DIR"/new/* | sort; }
check "none lost: $N notifications received" test "$(subjects | uniq | wc -l)" = "$N"
check "$extra sent twice, no more ($(received) received)" \
	test "$(received)" = $((N + extra))
check "at most one copy too many per kill ($extra, $((kills + random)) kills)" \
	test "$extra" -le $((kills + random))
check "no sent copy keeps a placeholder" test \
	"$(sql "SELECT count(*) FROM outbox_tokens")" = 0
check "PRAGMA integrity_check is ok" test "$(sql 'PRAGMA integrity_check')" = ok
t_done
