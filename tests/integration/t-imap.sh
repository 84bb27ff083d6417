#!/bin/bash
# t-imap.sh: the IMAP source against a real Dovecot: batches read with
# BODY.PEEK (nothing marked seen before acknowledgement), acknowledgement
# by MOVE or COPY + EXPUNGE into created folders or by \Seen only, the
# saved position and UIDVALIDITY changes, implicit TLS and STARTTLS,
# refused plain text, login and certificate failures and their exit
# codes, IDLE waking up on new mail and returning on a signal.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

DRV="$T_ROOT/${MC_BUILD:-build}/tests/drv_imapsrc"
drv() { "$DRV" "$@"; }

if ! start_dovecot; then
	notok "Dovecot starts"
	t_done
	exit 1
fi
ok "Dovecot starts on 127.0.0.1:$DV_IMAP_PORT and :$DV_IMAPS_PORT"

# mkmsg N [SIZE]: a comment as a reader's client writes it (CRLF, UTF-8).
mkmsg() {
	local n=$1 pad=${2:-0}
	{
		printf 'From: Zoé Lefèvre <zoe%s@example.com>\r\n' "$n"
		printf 'To: comments+un-article@example.org\r\n'
		printf 'Subject: =?UTF-8?Q?R=C3=A9ponse_%s?=\r\n' "$n"
		printf 'Message-ID: <c%s@example.com>\r\n' "$n"
		printf 'Date: Mon, 29 Jul 2024 10:00:00 +0200\r\n'
		printf 'MIME-Version: 1.0\r\n'
		printf 'Content-Type: text/plain; charset=utf-8\r\n'
		printf 'Content-Transfer-Encoding: 8bit\r\n\r\n'
		printf 'Très bon article, numéro %s.\r\n' "$n"
		if [ "$pad" -gt 0 ]; then
			head -c "$pad" /dev/zero | tr '\0' 'x'
			printf '\r\n'
		fi
	} >"m$n.eml"
}

# append USER N...: APPENDs messages N... to the user's INBOX.
append() {
	local user=$1 n
	shift
	for n in "$@"; do
		[ -f "m$n.eml" ] || mkmsg "$n"
		imap_tool --user "$user" append INBOX "m$n.eml" >/dev/null ||
			return 1
	done
}

count() { imap_tool --user "${2:-comments}" count "$1"; }

write_conf base.conf

# ---- reading in batches, nothing seen before acknowledgement ----
append comments 1 2 3 4 5
expect_rc 0 "fetch in batches" drv base.conf fetch 2 fetch 2 fetch 2 fetch 2
check "batches of 2, 2, 1 then nothing, oldest first" \
	test "$(awk '{print $2}' out | tr '\n' ' ')" = "1 2 3 4 5 "
mkdir saved
expect_rc 0 "fetch and save" drv base.conf fetch 5 save saved
same=1
for n in 1 2 3 4 5; do
	uid=$n
	cmp -s "m$n.eml" "saved/$uid.eml" || same=0
done
check "fetched bytes are exactly what was appended (CRLF, UTF-8)" test $same = 1
imap_tool list INBOX >list
grep_not "nothing is marked \\Seen before it is acknowledged" 'Seen' list
check "nothing was moved either" test "$(count INBOX)" = 5

# ---- acknowledgement by MOVE into folders created on demand ----
expect_rc 0 "ack to processed, set-aside, junk" \
	drv base.conf fetch 1 ack processed fetch 1 ack set-aside \
	fetch 1 ack junk
imap_tool folders >folders
for f in Processed "Set aside" Junk; do
	grep_ok "folder \"$f\" was created" "^$f\$" folders
done
check "one message in each folder" test \
	"$(count Processed) $(count 'Set aside') $(count Junk)" = "1 1 1"
imap_tool list Processed >list
grep_ok "the right message went to Processed" '<c1@example.com>' list
imap_tool list Junk >list
grep_ok "and to Junk" '<c3@example.com>' list
check "INBOX keeps the two not acknowledged" test "$(count INBOX)" = 2
expect_rc 0 "drain the rest" drv base.conf drain 10 processed
grep_ok "the two left were read again and moved" '^drained 2$' out
check "INBOX is empty" test "$(count INBOX)" = 0
check "Processed has three" test "$(count Processed)" = 3
sqlite3 "$T_DIR/mc.db" "SELECT source, last_uid FROM imap_state" >state
grep_ok "the position is kept in imap_state" \
	'^imap://comments@example.org@127.0.0.1/INBOX\|5$' state

# ---- flag-only acknowledgement, and the saved position ----
write_conf flag.conf source.processed= source.set_aside= source.junk=
append comments 6 7
expect_rc 0 "flag-only drain" drv flag.conf drain 10 processed
grep_ok "two read" '^drained 2$' out
imap_tool list INBOX >list
check "both stay in INBOX, marked \\Seen" \
	test "$(grep -c 'Seen' list) $(count INBOX)" = "2 2"
expect_rc 0 "drain again" drv flag.conf drain 10 processed
grep_ok "the saved position skips what was acknowledged" '^drained 0$' out
append comments 8 9 10
expect_rc 0 "fetch three, acknowledge only the last" \
	drv flag.conf fetch 3 ack-last processed
# The position stays before the first message not acknowledged: both
# come again, and the acknowledged one after them too (the pipeline's
# processed table recognises it).
expect_rc 0 "drain after a partial acknowledgement" \
	drv flag.conf drain 10 processed
grep_ok "messages not acknowledged are read again, not skipped" \
	'^drained 3$' out

# ---- UIDVALIDITY change: a rescan ----
old=$(imap_tool uidvalidity INBOX)
dv_adm mailbox update -u comments@example.org --uid-validity $((old + 7)) INBOX \
	>adm.out 2>&1 || diag <adm.out
check "UIDVALIDITY changed on the server" \
	test "$(imap_tool uidvalidity INBOX)" = $((old + 7))
expect_rc 0 "drain after the change" drv flag.conf drain 10 processed
grep_ok "a new UIDVALIDITY reads the folder again from the start" \
	'^drained 5$' out
sqlite3 "$T_DIR/mc.db" "SELECT uidvalidity FROM imap_state WHERE source LIKE '%/INBOX'" >state
grep_ok "the new UIDVALIDITY is saved" "^$((old + 7))\$" state

# ---- folder names in UTF-8, size limit ----
write_conf fr.conf source.processed=Traités limits.message_size=2048
mkmsg 11 5000
append comments 11
expect_rc 0 "fetch a message larger than limits.message_size" \
	drv fr.conf fetch 5 ack processed
grep_ok "a message over limits.message_size: only its head is read" \
	'^fetched [0-9]+ 2048 of [0-9]+$' out
imap_tool folders >folders
grep_ok "a UTF-8 folder name is sent in modified UTF-7" '^Trait&AOk-s$' folders

# ---- COPY + EXPUNGE where the server has no MOVE ----
printf 'fallback-pw\n' >fallback.pw
chmod 600 fallback.pw
write_conf nomove.conf imap.user=nomove@example.org \
	imap.password_file="$T_DIR/fallback.pw"
$PY - "$DV_IMAPS_PORT" "$TLS_CA" >caps <<'EOF'
import imaplib, ssl, sys
i = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
                      ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
i.login("nomove@example.org", "fallback-pw")
print(" ".join(i.capabilities))
EOF
grep_not "the nomove user is offered neither MOVE nor UIDPLUS" 'MOVE|UIDPLUS' caps
append nomove 12 13
expect_rc 0 "drain without MOVE" drv nomove.conf drain 10 processed
grep_ok "both read" '^drained 2$' out
check "COPY + \\Deleted + EXPUNGE moved them" \
	test "$(count INBOX nomove) $(count Processed nomove)" = "0 2"
write_conf uidplus.conf imap.user=nouidplus@example.org \
	imap.password_file="$T_DIR/fallback.pw"
append nouidplus 12 13
expect_rc 0 "drain with UIDPLUS but without MOVE" drv uidplus.conf drain 10 junk
check "COPY + \\Deleted + UID EXPUNGE moved them" \
	test "$(count INBOX nouidplus) $(count Junk nouidplus)" = "0 2"

# ---- TLS: STARTTLS, plain text, certificates ----
write_conf starttls.conf imap.tls=starttls imap.port=$DV_IMAP_PORT
append comments 14
expect_rc 0 "STARTTLS on the IMAP port" drv starttls.conf drain 10 processed
grep_ok "read over STARTTLS" '^drained 1$' out
write_conf plain.conf imap.tls=none imap.port=$DV_IMAP_PORT imap.ca_file=-
expect_rc 0 "plain text to 127.0.0.1 with tls = none" drv plain.conf status
write_conf plain-remote.conf imap.tls=none imap.host=imap.example.org
expect_rc 78 "plain text to another host is a configuration error" \
	drv plain-remote.conf status
grep_ok "and says why" 'only allowed to a loopback host' err
expect_rc 78 "check-config refuses it too" mc check-config -c plain-remote.conf
logged=$(wc -l <"$DV_DIR/dovecot.log")
write_conf noca.conf imap.ca_file=-
expect_rc 76 "an untrusted certificate is refused (EX_PROTOCOL)" drv noca.conf status
grep_ok "with a clear reason" 'certificate of 127.0.0.1 is not trusted.*issuer is unknown' err
grep_ok "and the way out" 'set imap.ca_file' err
check "in one line" test "$(wc -l <err)" = 1
write_conf noca-starttls.conf imap.ca_file=- imap.tls=starttls imap.port=$DV_IMAP_PORT
expect_rc 76 "refused over STARTTLS too" drv noca-starttls.conf status
tail -n +$((logged + 1)) "$DV_DIR/dovecot.log" >dv.log
grep_not "no password was sent to the untrusted server" 'Login: |auth failed' dv.log
grep_ok "the connections were closed before login" 'no auth attempts' dv.log

# ---- authentication ----
write_conf plain-auth.conf imap.auth=plain
expect_rc 0 "AUTHENTICATE PLAIN" drv plain-auth.conf status
printf 'wrong\n' >wrong.pw
chmod 600 wrong.pw
write_conf wrong.conf imap.password_file="$T_DIR/wrong.pw"
expect_rc 77 "a refused login is EX_NOPERM" drv wrong.conf status
grep_ok "and says so" 'refused the login of comments@example.org' err
printf 'oauth-token-1\n' >token
chmod 600 token
write_conf oauth.conf imap.auth=xoauth2 imap.user=oauth@example.org \
	imap.password_file="$T_DIR/token"
expect_rc 0 "XOAUTH2 with a bearer token" drv oauth.conf status
write_conf nopw.conf imap.password_file="$T_DIR/missing.pw"
expect_rc 78 "a missing password file is EX_CONFIG" drv nopw.conf status

# ---- unreachable ----
dead=$(free_port)
write_conf dead.conf imap.port=$dead
expect_rc 75 "a closed port is EX_TEMPFAIL" drv dead.conf status
grep_ok "one clear line" "cannot connect to 127.0.0.1 port $dead: Connection refused" err
check "only one" test "$(wc -l <err)" = 1

# ---- IDLE ----
write_conf idle.conf
"$DRV" idle.conf drain 10 processed wait 30 >idle.out 2>idle.err &
pid=$!
sleep 1.5
append comments 15
if wait_for 10 grep -q '^wait' idle.out; then
	grep_ok "IDLE wakes up when mail arrives" '^wait 1 [0-9]+$' idle.out
	ms=$(awk '/^wait/ {print $3}' idle.out)
	check "promptly (${ms} ms)" test "$ms" -lt 10000
else
	notok "IDLE wakes up when mail arrives (no answer)"
	kill "$pid"
fi
wait "$pid"
"$DRV" idle.conf drain 10 processed wait 60 >idle.out 2>idle.err &
pid=$!
wait_for 10 grep -q '^drained' idle.out
sleep 1
kill -TERM "$pid"
if wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"; then
	wait "$pid"
	rc=$?
	check "a signal ends IDLE cleanly (exit $rc)" test "$rc" = 0
	grep_ok "wait returns 0 on interrupt" '^wait 0 [0-9]+$' idle.out
else
	notok "a signal ends IDLE within 5 s"
	kill -9 "$pid"
fi
# Dovecot sends a keep-alive every 2 s here: IDLE is ended and renewed
# on each, without reporting mail that is not there.
expect_rc 0 "IDLE times out, through keep-alives" drv idle.conf wait 5
grep_ok "returning 0 after about 5 s" '^wait 0 (49|5[0-9])[0-9][0-9]$' out
write_conf noidle.conf imap.user=noidle@example.org \
	imap.password_file="$T_DIR/fallback.pw" source.poll_interval=1
expect_rc 0 "without IDLE, wait sleeps the poll interval" drv noidle.conf wait 30
grep_ok "and says there may be mail" '^wait 1 (9|1[0-9])[0-9][0-9]$' out

# ---- the server goes away mid-session ----
append comments 16 17
"$DRV" base.conf fetch 1 ack processed sleep 3 fetch 1 >restart.out 2>restart.err &
pid=$!
sleep 1
restart_dovecot
wait "$pid"
rc=$?
check "a server restart mid-session is EX_TEMPFAIL (exit $rc)" test "$rc" = 75
grep_ok "connection lost" 'connection to 127.0.0.1 lost' restart.err
# The acknowledgement of the first message was waiting to be applied with
# the next batch when the connection was cut: it is read again (the
# pipeline recognises it), with the one that was never read.
expect_rc 0 "the next session goes on" drv base.conf drain 10 processed
grep_ok "with what was left, and the one whose move was cut" '^drained 2$' out
"$DRV" base.conf wait 60 >restart.out 2>restart.err &
pid=$!
sleep 1
restart_dovecot
if wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"; then
	wait "$pid"
	rc=$?
	check "a restart during IDLE is EX_TEMPFAIL at once (exit $rc)" \
		test "$rc" = 75
else
	notok "a restart during IDLE ends the wait"
	kill "$pid"
fi

# ---- a certificate for another name ----
DV_CERT="$T_DIR/tls/other.crt" DV_KEY="$T_DIR/tls/other.key" dv_write_conf
restart_dovecot
expect_rc 76 "a certificate for another host name is refused" drv base.conf status
grep_ok "saying so" 'not trusted: .*name in the certificate does not match' err
dv_write_conf
restart_dovecot
expect_rc 0 "and the right one is accepted again" drv base.conf status

# ---- the configuration ----
expect_rc 0 "check-config accepts source.type = imap" mc check-config -c base.conf
write_conf nohost.conf imap.host=
expect_rc 78 "imap.host is required" mc check-config -c nohost.conf
grep_ok "saying which setting" 'imap\.host: must be set' err
write_conf nopwset.conf imap.password_file=-
expect_rc 78 "a password source is required" mc check-config -c nopwset.conf
grep_ok "saying which" 'imap\.user: needs imap\.password_file or imap\.password_env' err

t_done
