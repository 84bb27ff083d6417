#!/bin/bash
# t-batch.sh: batches and their acknowledgement against a real Dovecot.
# A batch follows imap.batch_size (and limits.batch_bytes), is recorded
# in one transaction together with the position in the folder, and is
# acknowledged with one UID MOVE per destination folder, counted by
# Dovecot itself (its stats) and by the gateway's debug log.  Crashes at
# the worst moments (just before and just after a batch's commit, through
# the test binary's MAILCOMMENTS_FAULT) and kill -9 during large batches
# lose nothing and double nothing.  source.batch_size does the same for
# a Maildir.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

if ! start_dovecot; then
	notok "Dovecot starts"
	t_done
	exit 1
fi
# Dovecot counts the commands it answers, per name (doveadm stats dump):
# the number of UID MOVE comes from the server, not from our own log.
cat >>"$DV_DIR/dovecot.conf" <<'CONF'
metric imap_cmd {
  filter = event=imap_command_finished
  group_by = cmd_name
}
CONF
dv_adm reload
ok "Dovecot starts, counting its commands"

mkdir -p var/site/2024/panne staging
cat >var/site/2024/panne/index.html <<'HTML'
<!doctype html><html><head><title>La panne</title></head><body>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
# Thousands of comments at once are a flood: the throttles are off here,
# where every comment must be stored and notified on its own.
OPEN="site.directory=$T_DIR/var/site limits.comments_per_hour=1000000
limits.pending_per_sender=1000000 limits.site_comments_per_hour=0
limits.site_pending=0 moderation.flood_threshold=0"
# shellcheck disable=SC2086
write_conf mc.conf $OPEN
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
sql() { sqlite3 "$T_DIR/mc.db" "$@"; }
# moves: the UID MOVE commands Dovecot answered since the last call.
moves() {
	dv_adm stats dump -r 2>/dev/null |
		awk '$1 == "imap_cmd_UID_MOVE" { n = $3 } END { print n + 0 }'
}
last_uid() { sql "SELECT last_uid FROM imap_state" 2>/dev/null || echo 0; }

# gen PREFIX FROM TO [EVERY]: comment files in staging/, each from its
# own reader; with EVERY, every EVERYth is an auto-reply (set aside).
gen() {
	$PY - "$T_DIR/staging" "$@" <<'PY'
import sys
d, prefix, a, b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
every = int(sys.argv[5]) if len(sys.argv) > 5 else 0
for i in range(a, b + 1):
    auto = every and i % every == 0
    with open("%s/%s-%05d.eml" % (d, prefix, i), "wb") as f:
        f.write(("From: Lecteur %d <%s%d@example.net>\r\n"
                 "To: comments+2024/panne@example.org\r\n"
                 "Subject: %s %d\r\n"
                 "Message-ID: <%s-%d@example.net>\r\n%s"
                 "Date: Mon, 29 Jul 2024 10:00:00 +0000\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n"
                 "Commentaire numéro %d de la série %s.\r\n"
                 % (i, prefix, i, "Absent" if auto else "Commentaire", i,
                    prefix, i, "Auto-Submitted: auto-replied\r\n" if auto else "",
                    i, prefix)).encode())
PY
}
# deliver PREFIX: the files of that series into the INBOX, in order,
# named as a delivery agent names them (with ",S=size", which Dovecot
# reads), in one process: thousands of files in a second.
deliver() {
	$PY - "$DV_MAIL/comments@example.org" "$DV_UID" "$DV_GID" \
		staging/"$1"-*.eml <<'PY'
import os, shutil, sys, time
box, uid, gid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in ("", "new", "cur", "tmp"):
    os.makedirs(os.path.join(box, d), exist_ok=True)
    os.chown(os.path.join(box, d), uid, gid)
t = int(time.time())
for i, f in enumerate(sys.argv[4:]):
    name = "%d.M%dP%d.test,S=%d" % (t, i, os.getpid(), os.path.getsize(f))
    tmp = os.path.join(box, "tmp", name)
    shutil.copyfile(f, tmp)
    os.chown(tmp, uid, gid)
    os.rename(tmp, os.path.join(box, "new", name))
PY
}
inbox() { imap_tool count INBOX; }
# moved_lines: the gateway's "moved N messages: UID SET" debug lines.
moved_lines() { grep -E 'imap: moved [0-9]+ messages?: UID' "$1"; }
once() {
	check "$1: every message recorded once" test \
		"$(sql "SELECT count(*) - count(DISTINCT key) FROM processed")" = 0
	check "$1: every comment stored once" test \
		"$(sql "SELECT count(*) - count(DISTINCT message_id) FROM comments")" = 0
	check "$1: one notification per comment" test \
		"$(sql "SELECT count(*) || '/' || count(DISTINCT recipient || message) FROM outbox JOIN outbox_text ON outbox_id = id WHERE kind = 'notification'")" = \
		"$(sql "SELECT count(*) || '/' || count(*) FROM comments")"
}

# ---- 1,200 messages, the default batch: two batches, one MOVE per
# destination each ----
gen big 1 1200 10
deliver big
moves >/dev/null
expect_rc 0 "poll 1,200 messages (120 auto-replies)" mc -v poll --once
cp err big.err
check "all read: 1,080 comments, 120 set aside" test \
	"$(sql "SELECT count(*) FROM comments")/$(imap_tool count Processed)/$(imap_tool count 'Set aside')/$(inbox)" = \
	"1080/1080/120/0"
n=$(moves)
check "Dovecot answered 4 UID MOVE (2 batches x 2 folders), not 24 ($n)" \
	test "$n" = 4
moved_lines big.err | sed 's/.*imap: //' >moved
check "the gateway's log says the same: 100 + 900, then 20 + 180" test \
	"$(awk '{print $2}' moved | tr '\n' ' ')" = "100 900 20 180 "
# The first batch's MOVE goes after the second batch is fetched, and
# its answer is read only after that batch's commit: the server moves
# one batch while the next is stored.
first_moved=$(grep -n 'imap: moved 900 ' big.err | head -1 | cut -d: -f1)
second=$(grep -n 'big-1001@example.net' big.err | head -1 | cut -d: -f1)
check "the first batch's MOVE is answered after the second batch is stored" \
	test "${second:-0}" -gt 0 -a "${first_moved:-0}" -gt "${second:-0}"
grep_ok "UID sets go as ranges (1:9,11:19,...)" \
	'moved 900 messages: UID 1:9,11:19,21:29,.*,991:999$' moved
grep_ok "and single UIDs where nothing is contiguous (10,20,...)" \
	'moved 100 messages: UID 10,20,30,.*,1000$' moved
check "the position is the last UID" test "$(last_uid)" = 1200

# ---- imap.batch_size is obeyed; limits.batch_bytes bounds it too ----
gen size 1 1000
deliver size
# shellcheck disable=SC2086
write_conf b250.conf $OPEN imap.batch_size=250
moves >/dev/null
expect_rc 0 "poll 1,000 comments with imap.batch_size = 250" \
	mc -v -c b250.conf poll --once
cp err b250.err
n=$(moves)
check "four batches, four UID MOVE ($n)" test "$n" = 4
check "of 250 UIDs each, as one range" test \
	"$(moved_lines b250.err | grep -cE 'moved 250 messages: UID [0-9]+:[0-9]+$')" = 4
gen bytes 1 300
deliver bytes
# shellcheck disable=SC2086
write_conf bytes.conf $OPEN limits.batch_bytes=20000
expect_rc 0 "poll 300 comments with limits.batch_bytes = 20000" \
	mc -v -c bytes.conf poll --once
cp err bytes.err
moved_lines bytes.err | awk '{print $4}' >sizes
# (Dovecot's RFC822.SIZE is the file's: these are written with CRLF.)
lo=$((20000 / $(stat -c %s staging/bytes-*.eml | sort -n | tail -1)))
hi=$((20000 / $(stat -c %s staging/bytes-*.eml | sort -n | head -1)))
big=$(sort -n sizes | tail -1)
check "batches end at the byte budget: $big messages at most, between $lo and $hi" \
	test "$big" -le "$hi" -a "$big" -ge "$lo"
check "and still one MOVE per batch ($(wc -l <sizes) for 300 messages)" \
	test "$(awk '{s += $1} END {print s}' sizes)" = 300
check "nothing left" test "$(inbox)" = 0
once "batch sizes"

# ---- the position is written in the batch's transaction ----
gen pos 1 400
deliver pos
# shellcheck disable=SC2086
write_conf b150.conf $OPEN imap.batch_size=150
pos0=$(last_uid)
first=$((pos0 + 1))
processed0=$(sql "SELECT count(*) FROM processed")
# Killed just before the commit of the second batch: the first was
# committed and moved, and the position must not have gone past it on
# its own (a commit of its own per batch is what this replaces).
MAILCOMMENTS_FAULT=before-commit:2 mc -c b150.conf poll --once >/dev/null 2>fault1.err
rc=$?
check "killed before the second batch's commit (exit $rc)" test "$rc" = 137
check "the first batch is recorded and moved, the second not recorded" test \
	"$(($(sql "SELECT count(*) FROM processed") - processed0))/$(inbox)" = "150/250"
check "the position did not move without a commit ($(last_uid))" \
	test "$(last_uid)" = "$pos0"
# Killed just after the commit of the second batch, before its MOVE: the
# position committed with it is the end of the first batch, below the
# second, which is read again and recognised.
MAILCOMMENTS_FAULT=after-commit:1 mc -c b150.conf poll --once >/dev/null 2>fault2.err
rc=$?
check "killed after the next batch's commit, before its MOVE (exit $rc)" \
	test "$rc" = 137
check "that batch is recorded, still in the INBOX" test \
	"$(($(sql "SELECT count(*) FROM processed") - processed0))/$(inbox)" = "300/250"
check "the position committed with it: the end of the batch before ($(last_uid))" \
	test "$(last_uid)" = $((pos0 + 150))
expect_rc 0 "the next poll goes on" mc -v -c b150.conf poll --once
cp err resume.err
check "it reads that batch again: 150 duplicates" test \
	"$(grep -c 'duplicate, already processed' resume.err)" = 150
check "all 400 recorded, the INBOX empty" test \
	"$(($(sql "SELECT count(*) FROM processed") - processed0))/$(inbox)" = "400/0"
check "the position is the last UID" test "$(last_uid)" = $((pos0 + 400))
once "a crash at either side of the commit"

# ---- kill -9 during large batches ----
N=2500
gen kill 1 "$N"
deliver kill
before=$(sql "SELECT count(*) FROM comments")
kills=0
tries=0
while [ "$(inbox)" -gt 0 ] && [ "$tries" -lt 30 ]; do
	tries=$((tries + 1))
	"$MC" poll --once >>kill.log 2>&1 &
	pid=$!
	# Anywhere in the first two seconds: a batch of 1,000 takes about
	# that long, so kills land in fetching, recording and moving.
	sleep "$((RANDOM % 2)).$(printf '%03d' $((RANDOM % 1000)))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	[ "$kills" -ge 5 ] && break
done
echo "# $kills kills in $tries runs"
check "killed at least 5 times (or the work ran out first)" \
	test "$kills" -ge 5 -o "$(inbox)" = 0
expect_rc 0 "a last poll finishes" mc poll --once
check "no message left, all $N comments stored" test \
	"$(inbox)/$(($(sql "SELECT count(*) FROM comments") - before))" = "0/$N"
once "kill -9 during large batches"
check "the database is sound" test "$(sql 'PRAGMA integrity_check')" = ok

# ---- a Maildir: source.batch_size ----
mkdir -p md/new md/cur md/tmp
gen md 1 25
for f in staging/md-*.eml; do cp "$f" "md/new/$(basename "$f" .eml).test"; done
# shellcheck disable=SC2086
write_conf md.conf $OPEN source.type=maildir source.maildir="$T_DIR/md" \
	source.processed=Processed source.batch_size=10 \
	database.path="$T_DIR/md.db"
MAILCOMMENTS_FAULT=after-commit:2 mc -c md.conf poll --once >/dev/null 2>md.err
rc=$?
check "a Maildir poll killed after its second commit (exit $rc)" test "$rc" = 137
mdsql() { sqlite3 "$T_DIR/md.db" "$@"; }
check "batches of source.batch_size = 10: 20 recorded, 10 moved" test \
	"$(mdsql "SELECT count(*) FROM processed")/$(ls md/.Processed/cur | wc -l)/$(ls md/new | wc -l)" = "20/10/15"
expect_rc 0 "the next poll finishes" mc -c md.conf poll --once
check "25 comments once each, all moved" test \
	"$(mdsql "SELECT count(*) || '/' || count(DISTINCT message_id) FROM comments")/$(ls md/.Processed/cur | wc -l)" = "25/25/25"

# ---- over SMTP the notifications go beside the batches, each only
# once its mail's UID MOVE was answered (commit, then MOVE, then mail):
# walking the debug log, where "moved N messages" is written when the
# answer is read and "row R sent beside the batches" when the server
# took row R, the comments moved so far must include row R's ----
# early_sends SERIES ERRFILE: "SENT EARLY": the rows sent beside the
# batches, and those sent before their comment's MOVE was answered, for
# the comments after $c0 (the series' first).
early_sends() {
	# row -> its comment's place in this series
	sql "SELECT oc.outbox_id, oc.comment_id - $c0 FROM outbox_comments oc
	     JOIN outbox o ON o.id = oc.outbox_id
	     WHERE o.kind = 'notification' AND oc.comment_id > $c0" >"rows.$1"
	awk -F'|' 'NR == FNR { place[$1] = $2; next }
		/imap: moved [0-9]+ messages?: UID/ {
			split($0, w, "moved "); split(w[2], n, " "); moved += n[1]
		}
		/outbox: row [0-9]+ sent beside the batches/ {
			split($0, w, "row "); split(w[2], r, " ")
			sent++; if (place[r[1]] > moved) early++
		}
		END { print sent + 0, early + 0 }' "rows.$1" "$2"
}
# beside_run SERIES COUNT TOTAL WHAT SETTING...: polls COUNT new comments
# (WHAT: how) with the notifications over SMTP and the SETTINGs, then
# checks that some went beside the batches, none before its comment's
# MOVE was answered, and that the sink has received TOTAL in all.
beside_run() {
	local series=$1 count=$2 total=$3 what=$4 beside early
	shift 4
	gen "$series" 1 "$count"
	deliver "$series"
	# shellcheck disable=SC2086
	write_conf "$series.conf" $OPEN transport.type=smtp \
		smtp.host=127.0.0.1 smtp.port="$SMTP_PORT" smtp.tls=starttls \
		smtp.ca_file="$TLS_CA" smtp.timeout=10 "$@"
	c0=$(sql "SELECT coalesce(max(id), 0) FROM comments")
	expect_rc 0 "poll $count comments $what, notifications over SMTP" \
		mc -v -c "$series.conf" poll --once
	cp err "$series.err"
	read -r beside early <<<"$(early_sends "$series" "$series.err")"
	check "$series: notifications went beside the batches ($beside of $count)" \
		test "${beside:-0}" -gt 0
	check "$series: none before its mail's MOVE was answered ($early early)" \
		test "${early:-1}" = 0
	check "$series: $count notifications received once each" \
		test "$(smtp_count)" = "$total"
}
if start_smtp --pipelining; then
	beside_run order 1500 1500 "in 3 batches" imap.batch_size=500

	# The same through a relay that holds each UID MOVE's answer two
	# seconds (tests/servers/imapdelay.py): a gateway that let a
	# batch's mail go once its MOVE was sent, not answered, sends it
	# in those seconds.
	DELAY_PORT=$(free_port)
	$PY "$T_SERVERS_DIR/imapdelay.py" "$DELAY_PORT" "$DV_IMAP_PORT" 2 \
		2>delay.err &
	at_exit "kill $!"
	if wait_for 10 port_open "$DELAY_PORT"; then
		beside_run late 900 2400 \
			"in 3 batches, each MOVE answered 2 s late" \
			imap.batch_size=300 imap.tls=none \
			imap.port="$DELAY_PORT" imap.ca_file=-
	else
		notok "the delaying IMAP relay starts"
	fi
	stop_smtp
else
	notok "the SMTP sink starts"
fi

t_done
