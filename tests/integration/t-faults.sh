#!/bin/bash
# t-faults.sh: the gateway against real servers that misbehave.  Dovecot
# restarted during a poll of 1,000 messages and during the daemon's IDLE;
# the SMTP server down while comments arrive; a wrong password, an
# untrusted certificate, a closed port; a UIDVALIDITY change; two
# `poll --once` at the same moment.  Nothing is lost, nothing is doubled,
# and each failure has its exit code and one clear line.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

N=${FAULT_MESSAGES:-1000}

if ! start_dovecot || ! start_smtp; then
	notok "Dovecot and the SMTP server start"
	t_done
	exit 1
fi
ok "Dovecot and the SMTP server start"

mkdir -p var/site/2024/panne-mondiale staging
cat >var/site/2024/panne-mondiale/index.html <<'HTML'
<!doctype html><html><head><title>La panne mondiale</title></head><body>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
SITE="site.directory=$T_DIR/var/site"
LIMITS="limits.comments_per_hour=1000000"
LIMITS2="limits.pending_per_sender=1000000"
# A thousand comments an hour is a flood: the site-wide throttles are off
# here, where every comment must come out as its own notification.
THROTTLES="limits.site_comments_per_hour=0 limits.site_pending=0 moderation.flood_threshold=0"
# Batches of 100 (not the default 1,000): the restart below then falls
# between batches, in the middle of the poll.  t-batch crashes a poll
# between a batch's commit and its MOVE.
BATCH="imap.batch_size=100"
write_conf mc.conf "$SITE" "$LIMITS" "$LIMITS2" $THROTTLES "$BATCH"
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
sql() { sqlite3 "$T_DIR/mc.db" "$@"; }
comments() { sql "SELECT count(*) FROM comments" 2>/dev/null || echo 0; }

# gen PREFIX FROM TO: comment files PREFIX-FROM.eml .. PREFIX-TO.eml in
# staging/, each from its own reader.
gen() {
	$PY - "$T_DIR/staging" "$@" <<'EOF'
import sys
d, prefix, a, b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(a, b + 1):
    with open("%s/%s-%d.eml" % (d, prefix, i), "wb") as f:
        f.write(("From: Lecteur %d <%s%d@example.net>\r\n"
                 "To: comments+2024/panne-mondiale@example.org\r\n"
                 "Subject: Commentaire %d\r\n"
                 "Message-ID: <%s-%d@example.net>\r\n"
                 "Date: Mon, 29 Jul 2024 10:00:00 +0000\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n"
                 "Commentaire numéro %d de la série %s.\r\n"
                 % (i, prefix, i, i, prefix, i, i, prefix)).encode())
EOF
}

# sink_ids: the comment numbers of the notifications the SMTP server got,
# one per line, as often as received.
sink_ids() {
	grep -ho 'Subject: .*(#[0-9]*)' "$SMTP_DIR"/new/* 2>/dev/null |
		sed 's/.*(#\([0-9]*\))/\1/'
}

# ---- Dovecot restarted during a poll of $N messages ----
gen big 1 "$N"
dv_deliver comments staging/big-*.eml
check "$N messages wait in the INBOX" test "$(imap_tool count INBOX)" = "$N"
"$MC" poll --once >poll1.out 2>poll1.err &
pid=$!
wait_for 60 sh -c "[ \$(sqlite3 '$T_DIR/mc.db' 'SELECT count(*) FROM processed' 2>/dev/null || echo 0) -ge $((N / 5)) ]"
restart_dovecot
wait "$pid"
rc=$?
done1=$(sql "SELECT count(*) FROM processed")
check "the poll stopped with EX_TEMPFAIL (exit $rc) after $done1 messages" \
	test "$rc" = 75 -a "$done1" -lt "$N"
grep_ok "saying the connection was lost" 'connection to 127.0.0.1 lost' poll1.err
for i in 1 2 3; do
	mc poll --once >>poll2.out 2>>poll2.err && break
done
check "the next poll finishes" test "$(imap_tool count INBOX)" = 0
check "every message recorded once" \
	test "$(sql "SELECT count(*), count(DISTINCT key) FROM processed")" = "$N|$N"
check "every comment stored once" \
	test "$(sql "SELECT count(*), count(DISTINCT message_id) FROM comments")" = "$N|$N"
check "all $N in Processed" test "$(imap_tool count Processed)" = "$N"
check "one notification per comment, all sent" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = "$N"
check "the SMTP server got each exactly once" \
	test "$(sink_ids | sort -n | uniq | wc -l) $(sink_ids | wc -l)" = "$N $N"

# ---- SMTP down while comments arrive ----
base=$(smtp_count)
stop_smtp
gen down 1 3
for f in staging/down-*.eml; do imap_tool append INBOX "$f" >/dev/null; done
expect_rc 75 "a poll with the SMTP server down reads the mail, exits EX_TEMPFAIL" mc poll --once
check "the three comments are stored" \
	test "$(sql "SELECT count(*) FROM comments WHERE message_id LIKE '%down-%'")" = 3
check "their notifications wait in the outbox" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 3
grep_ok "saying why" 'server unreachable.*will retry' err
check "for each of the three" \
	test "$(grep -c 'server unreachable' err)" = 3
start_smtp
# The retry is due a minute later: move the clock rather than sleep.
later=$(($(date +%s) + 120))
MAILCOMMENTS_NOW=$later expect_rc 0 "the SMTP server is back" mc poll --once
check "the three notifications went out" test "$(smtp_count)" = $((base + 3))
MAILCOMMENTS_NOW=$((later + 7200)) expect_rc 0 "and later" mc poll --once
check "once each" test "$(smtp_count)" = $((base + 3))
check "the outbox is empty" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0

# ---- wrong password, untrusted certificate, closed port ----
before=$(comments)
gen fail 1 1
imap_tool append INBOX staging/fail-1.eml >/dev/null
printf 'wrong\n' >wrong.pw
chmod 600 wrong.pw
write_conf wrong.conf "$SITE" imap.password_file="$T_DIR/wrong.pw"
expect_rc 77 "a wrong password: poll exits EX_NOPERM" mc -c wrong.conf poll --once
grep_ok "one clear line" 'refused the login of comments@example.org' err
check "only one" test "$(wc -l <err)" = 1
write_conf noca.conf "$SITE" imap.ca_file=-
expect_rc 76 "an untrusted certificate: EX_PROTOCOL" mc -c noca.conf poll --once
grep_ok "one clear line" 'certificate of 127.0.0.1 is not trusted' err
write_conf dead.conf "$SITE" imap.port="$(free_port)"
expect_rc 75 "a closed port: EX_TEMPFAIL" mc -c dead.conf poll --once
grep_ok "one clear line" 'cannot connect to 127.0.0.1 port [0-9]+: Connection refused' err
check "only one" test "$(wc -l <err)" = 1
check "none of them touched the message" \
	test "$(comments) $(imap_tool count INBOX)" = "$before 1"
expect_rc 0 "the right configuration reads it" mc poll --once

# ---- UIDVALIDITY change (mail left in place, marked seen) ----
write_conf flag.conf "$SITE" "$LIMITS" "$LIMITS2" $THROTTLES source.processed= \
	source.set_aside= source.junk=
gen uv 1 2
for f in staging/uv-*.eml; do imap_tool append INBOX "$f" >/dev/null; done
expect_rc 0 "flag-only poll" mc -c flag.conf poll --once
before=$(comments)
sent=$(sql "SELECT count(*) FROM outbox")
old=$(imap_tool uidvalidity INBOX)
dv_adm mailbox update -u comments@example.org --uid-validity $((old + 1)) INBOX
expect_rc 0 "a poll after a UIDVALIDITY change" mc -c flag.conf poll --once
grep_ok "reads the folder again and recognises what it did" \
	'uv-1@example.net>? .*duplicate' err
check "no comment is doubled" test "$(comments)" = "$before"
check "no notification is doubled" test "$(sql "SELECT count(*) FROM outbox")" = "$sent"
# (uv-1 and uv-2 stay in the INBOX, seen: they are below the saved
# position, also when processed messages are moved again.)

# ---- two poll --once at the same moment ----
gen twin 1 200
dv_deliver comments staging/twin-*.eml
before=$(comments)
"$MC" poll --once >twin1.out 2>twin1.err &
p1=$!
"$MC" poll --once >twin2.out 2>twin2.err &
p2=$!
wait "$p1"
r1=$?
wait "$p2"
r2=$?
check "both end well: one works, the other stands aside ($r1, $r2)" \
	test "$(printf '%s\n' "$r1" "$r2" | sort | tr '\n' ' ')" = "0 75 " -o \
	"$r1 $r2" = "0 0"
cat twin1.err twin2.err >twin.err
if [ "$r1" != "$r2" ]; then
	grep_ok "the one that stood aside says why" 'another mailcomments is reading the source' twin.err
fi
mc poll --once >/dev/null 2>&1
check "200 comments stored once" test "$(comments)" = $((before + 200))
check "each notified once" test "$(sql "SELECT count(*) - count(DISTINCT recipient || message) FROM outbox JOIN outbox_text ON outbox_id = id")" = 0

# ---- the daemon: IDLE, a Dovecot restart, SIGHUP, SIGTERM ----
before=$(comments)
inbox=$(imap_tool count INBOX)
"$MC" daemon >daemon.out 2>daemon.log &
dpid=$!
at_exit "kill $dpid 2>/dev/null"
check "the daemon connects" wait_for 15 grep -q 'reading imap://' daemon.log
gen idle 1 3
imap_tool append INBOX staging/idle-1.eml >/dev/null
check "IDLE: a new comment is handled at once" \
	wait_for 15 sh -c "[ \$(sqlite3 '$T_DIR/mc.db' 'SELECT count(*) FROM comments') = $((before + 1)) ]"
grep_ok "one log line per message" 'idle-1@example.net>? comment article=2024/panne-mondiale: stored' daemon.log
restart_dovecot
imap_tool append INBOX staging/idle-2.eml >/dev/null
check "after a Dovecot restart the daemon reconnects and goes on" \
	wait_for 40 sh -c "[ \$(sqlite3 '$T_DIR/mc.db' 'SELECT count(*) FROM comments') = $((before + 2)) ]"
grep_ok "it said it would reconnect" 'reconnecting in [0-9]+ s' daemon.log
kill -HUP "$dpid"
check "SIGHUP reloads the configuration" \
	wait_for 10 grep -q 'configuration reloaded' daemon.log
imap_tool append INBOX staging/idle-3.eml >/dev/null
check "and the daemon goes on" \
	wait_for 20 sh -c "[ \$(sqlite3 '$T_DIR/mc.db' 'SELECT count(*) FROM comments') = $((before + 3)) ]"
kill -TERM "$dpid"
if wait_for 10 sh -c "! kill -0 $dpid 2>/dev/null"; then
	wait "$dpid"
	rc=$?
	check "SIGTERM stops it cleanly (exit $rc)" test "$rc" = 0
else
	notok "SIGTERM stops it within 10 s"
fi
grep_ok "saying so" 'daemon stopped' daemon.log
got="$(comments) $(imap_tool count INBOX)"
check "nothing doubled: three more comments, none left ($got)" \
	test "$got" = "$((before + 3)) $inbox"

t_done
