#!/bin/bash
# t-smtp.sh: the SMTP transport against a real SMTP server (aiosmtpd):
# what arrives is what was sent (CRLF, headers, envelope sender), repairs
# of bare LF and long lines, STARTTLS and implicit TLS with certificate
# checks, AUTH, and the verdicts the outbox relies on: 4xx and an
# unreachable server are TEMPFAIL, a 5xx about the message is PERMFAIL.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

DRV="$T_ROOT/${MC_BUILD:-build}/tests/drv_smtpsend"
send() { "$DRV" "$@"; }

if ! start_smtp; then
	notok "the SMTP server starts"
	t_done
	exit 1
fi
ok "the SMTP server starts on 127.0.0.1:$SMTP_PORT"

# A notification as the outbox writes it: CRLF, UTF-8, a line that
# starts with a dot (SMTP must escape it, and the server unescape it).
{
	printf 'From: Comments <comments@example.org>\r\n'
	printf 'To: moderator@example.org\r\n'
	printf 'Subject: =?UTF-8?Q?Nouveau_commentaire?=\r\n'
	printf 'Message-ID: <n1@example.org>\r\n'
	printf 'Auto-Submitted: auto-generated\r\n'
	printf 'Content-Type: text/plain; charset=utf-8\r\n'
	printf 'Content-Transfer-Encoding: 8bit\r\n\r\n'
	printf 'Zoé a écrit :\r\n.\r\n..point\r\nfin\r\n'
} >note.eml

last() { find "$SMTP_DIR/new" -type f -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2; }

write_conf st.conf
expect_rc 0 "send over STARTTLS with the CA file" send st.conf moderator@example.org note.eml
grep_ok "the server accepted it" '^OK$' out
check "one message received" test "$(smtp_count)" = 1
check "byte for byte, CRLF and dots intact" cmp -s note.eml "$(last)"
grep_ok "envelope: the sender is address.mailbox, over TLS" \
	' comments@example.org moderator@example.org tls$' "$SMTP_DIR/envelope.log"

write_conf env.conf smtp.envelope_sender=bounces@example.org
expect_rc 0 "send with smtp.envelope_sender" send env.conf moderator@example.org note.eml
grep_ok "smtp.envelope_sender is the envelope sender" \
	' bounces@example.org moderator@example.org tls$' "$SMTP_DIR/envelope.log"
expect_rc 0 "three sends on one transport" send st.conf moderator@example.org note.eml 3
check "three OK" test "$(grep -c '^OK$' out)" = 3

# Repairs: bare LF, an overlong header and body line.
{
	printf 'From: comments@example.org\nTo: moderator@example.org\n'
	printf 'Subject: long\nX-Long: '
	for i in $(seq 1 150); do printf 'word%03d ' "$i"; done
	printf '\n\n'
	head -c 2500 /dev/zero | tr '\0' 'y'
	printf '\nlast line without newline'
} >lf.eml
expect_rc 0 "send a message with bare LF and long lines" send st.conf moderator@example.org lf.eml
grep_ok "accepted" '^OK$' out
got=$(last)
check "every line ends in CRLF" \
	test "$(grep -c $'\r$' "$got")" = "$(wc -l <"$got")"
check "no line is longer than 998 octets" \
	test "$(tr -d '\r' <"$got" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 998
check "the long header was folded, not cut" \
	test "$(tr -d '\r' <"$got" | awk '/^X-Long:/ {f=1} f && /^[^ X]/ {f=0} f' | tr -d '\n' | grep -o 'word[0-9]*' | wc -l)" = 150
check "the body lost nothing" \
	test "$(tr -d '\r\n' <"$got" | grep -o y | wc -l)" = 2500

# Verdicts.
expect_rc 0 "a 550 at RCPT" send st.conf reject@example.org note.eml
grep_ok "is PERMFAIL" '^PERMFAIL .*refused the message to reject@example.org' out
expect_rc 0 "a 451 at RCPT" send st.conf tempfail@example.org note.eml
grep_ok "is TEMPFAIL" '^TEMPFAIL ' out
expect_rc 0 "a 554 after DATA" send st.conf bigreject@example.org note.eml
grep_ok "is PERMFAIL" '^PERMFAIL ' out
n=$(smtp_count)
write_conf noca.conf smtp.ca_file=-
expect_rc 0 "an untrusted certificate" send noca.conf moderator@example.org note.eml
grep_ok "is TEMPFAIL, with the way out" '^TEMPFAIL .*TLS.*set smtp.ca_file' out
check "and nothing was delivered" test "$(smtp_count)" = "$n"

stop_smtp
expect_rc 0 "the server is down" send st.conf moderator@example.org note.eml 3
check "three TEMPFAIL: unreachable" \
	test "$(grep -c '^TEMPFAIL .*server unreachable' out)" = 3

# Implicit TLS.
start_smtp --tls implicit
write_conf imp.conf smtp.tls=implicit
expect_rc 0 "implicit TLS (smtps)" send imp.conf moderator@example.org note.eml
grep_ok "accepted" '^OK$' out
expect_rc 0 "STARTTLS against an implicit TLS port" send st.conf moderator@example.org note.eml
grep_ok "is TEMPFAIL" '^TEMPFAIL ' out
stop_smtp

# No STARTTLS offered: refused unless tls = none (loopback only).
start_smtp --tls none
expect_rc 0 "a server without STARTTLS" send st.conf moderator@example.org note.eml
grep_ok "is refused: no plain text unless asked" '^TEMPFAIL .*does not offer STARTTLS' out
write_conf plain.conf smtp.tls=none smtp.ca_file=-
expect_rc 0 "tls = none on loopback" send plain.conf moderator@example.org note.eml
grep_ok "sends in plain text" '^OK$' out
grep_ok "(the server saw plain text)" ' plain$' "$SMTP_DIR/envelope.log"
write_conf remote.conf smtp.tls=none smtp.host=smtp.example.org
expect_rc 78 "tls = none to another host is a configuration error" \
	send remote.conf moderator@example.org note.eml
grep_ok "saying why" 'only allowed to a loopback host' err
stop_smtp

# PIPELINING (RFC 2920): after a first message sent libcurl's way (which
# reads the EHLO reply), the transport opens a second connection with
# libcurl (EHLO, STARTTLS, certificate, AUTH) and speaks each message's
# dialogue itself: MAIL, RCPT and DATA together, then the text.
start_smtp --pipelining
write_conf st.conf
n=$(smtp_count)
expect_rc 0 "five sends on one transport, pipelined after the first" \
	send st.conf moderator@example.org note.eml 5
check "five OK" test "$(grep -c '^OK$' out)" = 5
check "five received" test "$(smtp_count)" = $((n + 5))
check "byte for byte, CRLF and dots intact" cmp -s note.eml "$(last)"
grep_ok "over TLS" ' moderator@example.org tls$' "$SMTP_DIR/envelope.log"
check "a second connection, over TLS (EHLO twice on each)" \
	test "$(grep -c ' tls$' "$SMTP_DIR/ehlo.log")" = 2 -a \
	"$(grep -c ' plain$' "$SMTP_DIR/ehlo.log")" = 2
expect_rc 0 "pipelined: a 550 at RCPT, three times" send st.conf reject@example.org note.eml 3
check "each is PERMFAIL (the stream stays in step)" \
	test "$(grep -c '^PERMFAIL .*refused the message to reject@example.org' out)" = 3
expect_rc 0 "pipelined: refused and accepted in turn" \
	send st.conf reject@example.org,moderator@example.org note.eml 6
check "PERMFAIL, OK, ... (RSET after a refusal keeps the next one clean)" \
	test "$(cut -c1-4 out | tr '\n' ' ')" = "PERM OK PERM OK PERM OK "
expect_rc 0 "pipelined: a 451 at RCPT" send st.conf tempfail@example.org note.eml 3
check "each is TEMPFAIL" test "$(grep -c '^TEMPFAIL ' out)" = 3
expect_rc 0 "pipelined: a 554 after DATA" send st.conf bigreject@example.org note.eml 3
check "each is PERMFAIL" test "$(grep -c '^PERMFAIL ' out)" = 3
n=$(smtp_count)
printf 'Subject: lf\n\n.\nx\n' >lfdot.eml
expect_rc 0 "pipelined: a bare-LF message starting with a dot" \
	send st.conf moderator@example.org lfdot.eml 2
check "both OK" test "$(grep -c '^OK$' out)" = 2
check "received with CRLF, the dot intact" cmp -s <(printf 'Subject: lf\r\n\r\n.\r\nx\r\n') "$(last)"

# Pipelined across messages (a stream, as the outbox sends): each text
# goes with the next message's MAIL, RCPT and DATA, and each message is
# reported (seen=: the sink's files at that moment) before the next
# one's text leaves: the outbox records it there, so a kill never
# leaves two delivered and unrecorded.
stream() { DRV_STREAM=1 DRV_SINK_NEW="$SMTP_DIR/new" "$DRV" "$@"; }
# expect_seen FIRST: the n-th OK line says seen=FIRST+n-1, and a failed
# message's line the count of the OKs before it
expect_seen() {
	awk -v k="$1" '/^OK/ { if ($0 !~ " seen=" k "$") bad = 1; k++; next }
		{ if ($0 !~ " seen=" (k - 1) "$") bad = 1 } END { exit bad }' out
}
n=$(smtp_count)
expect_rc 0 "a stream of eight" stream st.conf moderator@example.org note.eml 8
check "eight OK" test "$(grep -c '^OK' out)" = 8
check "eight received, byte for byte" test "$(smtp_count)" = $((n + 8)) -a \
	-n "$(cmp -s note.eml "$(last)" && echo same)"
check "each reported before the next one's text left" expect_seen $((n + 1))
n=$(smtp_count)
expect_rc 0 "a stream: refused, accepted, deferred in turn" \
	stream st.conf moderator@example.org,reject@example.org,moderator@example.org,tempfail@example.org,bigreject@example.org,moderator@example.org note.eml 12
check "OK PERM OK TEMP PERM OK, twice: each its own status" \
	test "$(cut -c1-4 out | tr '\n' ' ')" = "OK s PERM OK s TEMP PERM OK s OK s PERM OK s TEMP PERM OK s "
check "six received" test "$(smtp_count)" = $((n + 6))
check "each reported before the next one's text left" expect_seen $((n + 1))
# One round trip a message: a write a message (its text with the next
# one's commands), against two when each message goes on its own (both
# also pay about 20 for the two connections and the first message,
# which goes libcurl's way).
check "strace is installed (scripts/deps.sh)" command -v strace
strace -f -e trace=sendto,write -o writes.1 "$DRV" st.conf moderator@example.org note.eml 40 >/dev/null 2>&1
DRV_STREAM=1 strace -f -e trace=sendto,write -o writes.s "$DRV" st.conf moderator@example.org note.eml 40 >/dev/null 2>&1
one=$(grep -c '^[0-9]* *sendto' writes.1) str=$(grep -c '^[0-9]* *sendto' writes.s)
echo "# 40 messages: $one sendto one by one, $str as a stream"
check "a stream: one write a message ($str for 40), one by one two ($one)" \
	test "$str" -ge 40 -a "$str" -le 65 -a "$str" -le $((one - 35))
# smtp.ca_file is the only trust, as imap.ca_file: libcurl does not also
# read its CA directory (every file in it, at each connection).
strace -f -e trace=openat,open -o opens "$DRV" st.conf moderator@example.org note.eml 1 >/dev/null 2>&1
check "smtp.ca_file alone is read: the CA file ($(grep -c "$TLS_CA" opens)), no file of /etc/ssl/certs ($(grep -c '/etc/ssl/certs/' opens))" \
	test "$(grep -c "$TLS_CA" opens)" -ge 1 -a "$(grep -c '/etc/ssl/certs/' opens)" = 0
stop_smtp

# AUTH.
start_smtp --auth gateway:s3cret --xoauth2 gateway@example.org:tok-123
printf 's3cret\n' >smtp.pw
chmod 600 smtp.pw
write_conf auth.conf smtp.user=gateway smtp.password_file="$T_DIR/smtp.pw"
expect_rc 0 "AUTH with the password file" send auth.conf moderator@example.org note.eml
grep_ok "accepted" '^OK$' out
write_conf authplain.conf smtp.user=gateway smtp.password_file="$T_DIR/smtp.pw" smtp.auth=plain
expect_rc 0 "AUTH PLAIN" send authplain.conf moderator@example.org note.eml
grep_ok "accepted" '^OK$' out
printf 'nope\n' >bad.pw
chmod 600 bad.pw
write_conf badauth.conf smtp.user=gateway smtp.password_file="$T_DIR/bad.pw"
expect_rc 0 "a wrong password" send badauth.conf moderator@example.org note.eml
grep_ok "is TEMPFAIL (the message waits), saying so" '^TEMPFAIL .*refused the login of gateway' out
write_conf noauth.conf
expect_rc 0 "no AUTH where the server requires it" send noauth.conf moderator@example.org note.eml
grep_ok "is TEMPFAIL, not PERMFAIL" '^TEMPFAIL ' out
printf 'tok-123\n' >token
chmod 600 token
write_conf oauth.conf smtp.user=gateway@example.org \
	smtp.password_file="$T_DIR/token" smtp.auth=xoauth2
expect_rc 0 "AUTH XOAUTH2 with a bearer token" send oauth.conf moderator@example.org note.eml
grep_ok "accepted" '^OK$' out
stop_smtp
start_smtp --auth gateway:s3cret --pipelining
: >"$SMTP_DIR/ehlo.log"
expect_rc 0 "AUTH, pipelined: the second connection logs in too" \
	send auth.conf moderator@example.org note.eml 3
check "three OK" test "$(grep -c '^OK$' out)" = 3
check "on two connections" test "$(grep -c ' tls$' "$SMTP_DIR/ehlo.log")" = 2
chmod 644 smtp.pw
expect_rc 78 "a password file others can read is refused" send auth.conf moderator@example.org note.eml

t_done
