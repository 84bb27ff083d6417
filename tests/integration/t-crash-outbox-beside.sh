#!/bin/bash
# t-crash-outbox-beside.sh: kill -9 while the outbox is delivered over SMTP
# beside the batches (outbox_beside.c): a poll of many small batches
# whose notifications a second thread sends as soon as each batch is
# committed and acknowledged, marking each one the server took in the
# sent log before the next one's text leaves.  Kills at chosen points
# (the sink kills the gateway once it has written the K-th message,
# before it answers) leave exactly one message delivered and unrecorded;
# kills at random moments at most one each.  A last run finishes: none
# lost, every row sent, no more copies than kills, and no notification
# left before the mail it is about was acknowledged (moved out of new/).
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"
. "$T_ROOT/tests/moderation-lib.sh"

N=${CRASH_BESIDE_MESSAGES:-400} # new mail before each run
KILLS=${CRASH_KILLS:-6}
PIDFILE=$T_DIR/poll.pid
start_smtp --pipelining || { notok "the SMTP sink starts"; t_done; exit 1; }
site "moderation = { moderators = [\"moderator@example.org\"]; flood_threshold = 0; };
limits = { comments_per_hour = 1000000; pending_per_sender = 1000000;
           site_comments_per_hour = 0; site_pending = 0; };
source = { maildir = \"$INBOX\"; batch_size = 5; };
transport = { type = \"smtp\"; };
smtp = { host = \"127.0.0.1\"; port = $SMTP_PORT; tls = \"starttls\";
         ca_file = \"$TLS_CA\"; timeout = 10; };"
total=0
# more_mail: N more comment mails in new/, from readers total..total+N-1
more_mail() {
	$PY - "$INBOX" "$total" "$N" <<'PY'
import os, sys
inbox, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(inbox, d), exist_ok=True)
for i in range(first, first + n):
    with open(os.path.join(inbox, "new", "%010d.M%dP1.test" % (1700000000 + i, i)), "w") as f:
        f.write("From: Reader %d <reader%d@example.net>\n"
                "To: comments+2024/panne-mondiale@example.org\n"
                "Subject: Comment %d\nMessage-ID: <beside-%d@example.net>\n"
                "Date: Mon, 29 Jul 2024 10:00:00 +0000\n\n"
                "Comment number %d.\n" % (i, i, i, i, i))
PY
	total=$((total + N))
}
LOG="$DB.outbox-sent"
# recorded: rows marked sent, and rows the sent log names still queued
recorded() {
	$PY - "$DB" "$LOG" <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
sent = db.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0]
ids = set()
if os.path.exists(sys.argv[2]):
    ids = {int(l) for l in open(sys.argv[2]).read().split("\n")[:-1] if l}
q = [r[0] for r in db.execute("SELECT id FROM outbox WHERE status = 'queued'")]
print(sent + len(ids.intersection(q)))
PY
}
received() { smtp_count_settled; }
# no notification about a mail still in new/ (not acknowledged): each
# one names its comment's author ("by Reader I"), whose mail is the I-th
# file
early() {
	$PY - "$SMTP_DIR/new" "$INBOX/new" <<'PY'
import os, re, sys
left = {int(f.split(".M")[1].split("P")[0]) for f in os.listdir(sys.argv[2])}
bad = 0
for f in os.listdir(sys.argv[1]):
    for m in re.finditer(rb"by Reader (\d+) \(#", open(os.path.join(sys.argv[1], f), "rb").read()):
        bad += int(m.group(1)) in left
print(bad)
PY
}
run() {
	sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$PIDFILE" \
		"$MC" poll --once >>crash.log 2>&1 &
	wait $! 2>/dev/null
}
extra=0 kills=0 during=0
# ---- kills at chosen points ----
for k in 3 12 30 7; do
	more_mail
	stop_smtp
	start_smtp --pipelining --kill-at "$k" --kill-pidfile "$PIDFILE" ||
		{ notok "the SMTP sink restarts"; break; }
	before=$(received)
	run
	rc=$?
	d=$(( $(received) - $(recorded) - extra ))
	left=$(find "$INBOX/new" -type f | wc -l)
	echo "# killed at message $k of this run: exit $rc, $(recorded) recorded, $(received) received, $left mails left"
	check "a kill after message $k: it alone is delivered and unrecorded ($d)" test "$d" = 1
	check "  the run was killed ($rc) after $k messages" \
		test "$rc" = 137 -a "$(( $(received) - before ))" = "$k"
	check "  no notification before its mail was acknowledged" test "$(early)" = 0
	[ "$left" -gt 0 ] && during=$((during + 1))
	extra=$((extra + d)) kills=$((kills + 1))
done
check "kills came beside the batches, mail still to read ($during of 4)" test "$during" -ge 2
stop_smtp
start_smtp --pipelining

# ---- kills at random moments ----
tries=0 random=0
while [ "$random" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 3)) ]; do
	tries=$((tries + 1))
	more_mail
	"$MC" poll --once >>crash.log 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((50 + RANDOM % 250)))"
	kill -9 "$pid" 2>/dev/null && random=$((random + 1))
	wait "$pid" 2>/dev/null
	d=$(( $(received) - $(recorded) - extra ))
	check "a random kill leaves at most one message unrecorded ($d)" test "$d" -le 1 -a "$d" -ge 0
	check "  no notification before its mail was acknowledged" test "$(early)" = 0
	extra=$((extra + d))
done
echo "# $random random kills in $tries runs; $extra messages delivered and not recorded"
mc poll --once >>crash.log 2>&1
check "a last run finishes cleanly" test $? = 0
mc outbox flush >>crash.log 2>&1
check "every notification sent" test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
check "the sent log is applied and empty" test ! -s "$LOG"
subjects() { grep -h '^Subject:' "$SMTP_DIR"/new/* | sort; }
q=$(sql "SELECT count(*) FROM outbox")
check "none lost: $q notifications received" test "$(subjects | uniq | wc -l)" = "$q"
check "$extra sent twice, no more ($(received) received)" \
	test "$(received)" = $((q + extra))
check "at most one copy too many per kill ($extra, $((kills + random)) kills)" \
	test "$extra" -le $((kills + random))
check "every mail handled once ($total)" test "$(sql "SELECT count(*) FROM processed")" = "$total"
check "no sent copy keeps a placeholder" test \
	"$(sql "SELECT count(*) FROM outbox_tokens")" = 0
check "PRAGMA integrity_check is ok" test "$(sql 'PRAGMA integrity_check')" = ok
t_done
