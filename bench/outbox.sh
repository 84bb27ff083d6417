#!/bin/bash
# bench/outbox.sh: delivering N queued notifications (BENCH_OUTBOX,
# default 10000), the outbox's part of a poll, as ratios against
# baselines measured in the same run (reported, never asserted):
#   maildir  `outbox flush` into the outbox Maildir; baselines (Python,
#            the same files, bytes and names): "one by one" writes each
#            file, fsyncs it, renames it (what a delivery per message
#            costs); "floor" writes them all, fdatasyncs them, renames
#            them (one syncfs per 256), renames them and fsyncs new/ once
#            (the least a durable delivery of the batch needs)
#   smtp     `outbox flush` over SMTP (STARTTLS) to two loopback sinks:
#            the fast sink (bench/fastsink.py: asyncio, PIPELINING, no
#            fsync), where the gateway's own cost shows, with two
#            baselines sending the same messages over one connection to
#            the same sink: Python's smtplib (four round trips a
#            message, as libcurl) and a pipelined Python client (RFC
#            2920 across messages: one round trip a message, each
#            message's status known before the next one's text leaves);
#            and the sink of the tests
#            (aiosmtpd, tests/servers.sh), which writes and fsyncs each
#            message and costs several times the client's CPU
# and the ratios smtp / maildir (the issue's goal: SMTP to a loopback
# server adds at most 50%: fast sink / Maildir <= 1.5).
# MC_BIN_BEFORE=PATH times another build too (the version before a
# change), on the same queue, interleaved.  Run by `make bench`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
. "$B_ROOT/bench/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/${MC_BUILD:-build}/mailcomments}
BEFORE=${MC_BIN_BEFORE:-}
. "$T_ROOT/tests/servers.sh"
. "$T_ROOT/tests/moderation-lib.sh"
N=${BENCH_OUTBOX:-10000}
RUNS=${BENCH_RUNS:-3}

start_smtp || { echo "bench: the SMTP sink does not start" >&2; exit 1; }
FAST_DIR=$T_DIR/fastsink FAST_PORT=$(free_port)
mkdir -p "$FAST_DIR"
$PY "$B_ROOT/bench/fastsink.py" --port "$FAST_PORT" --maildir "$FAST_DIR" \
	--cert "$TLS_CERT" --key "$TLS_KEY" >"$FAST_DIR.log" 2>&1 &
FAST_PID=$!
stop_fast() { kill "$FAST_PID" 2>/dev/null; wait "$FAST_PID" 2>/dev/null; }
at_exit stop_fast
wait_for 20 port_open "$FAST_PORT" ||
	{ echo "bench: the fast SMTP sink does not start" >&2; exit 1; }
site "moderation = { moderators = [\"moderator@example.org\"]; flood_threshold = 0; };
limits = { comments_per_hour = 1000000; pending_per_sender = 1000000;
           site_comments_per_hour = 0; site_pending = 0; };
smtp = { host = \"127.0.0.1\"; port = $SMTP_PORT; tls = \"starttls\";
         ca_file = \"$TLS_CA\"; timeout = 30; };"
sed 's/^smtp = {/transport = { type = "smtp"; };\nsmtp = {/' mc.conf >smtp.conf
sed "s/port = $SMTP_PORT;/port = $FAST_PORT;/" smtp.conf >fast.conf
grep -q "port = $FAST_PORT;" fast.conf || { echo "bench: fast.conf" >&2; exit 1; }

echo "# queueing $N notifications (an import with the outbox lock held)"
$PY - "$INBOX" "$N" <<'PY'
import os, sys
inbox, n = sys.argv[1], int(sys.argv[2])
text = ("Merci pour cet article très clair. Je ne suis pas d'accord avec la "
        "conclusion : les éditeurs de logiciels ont une part de responsabilité. ")
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(inbox, d), exist_ok=True)
for i in range(n):
    with open(os.path.join(inbox, "new", "%010d.M%dP1.bench" % (1700000000 + i, i)), "wb") as f:
        f.write(("From: Lecteur %d <reader%d@example.net>\r\n"
                 "To: comments+2024/panne-mondiale@example.org\r\n"
                 "Subject: Commentaire %d\r\nMessage-ID: <bench-%d@example.net>\r\n"
                 "Date: Mon, 29 Jul 2024 10:00:00 +0000\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
                 % (i, i, i, i, text * (1 + i % 8))).encode())
PY
flock "$DB.outbox-lock" "$MC" import "$INBOX" >import.log 2>&1
queued=$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")
[ "$queued" = "$N" ] || { echo "bench: $queued notifications queued, not $N" >&2; exit 1; }
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$DB" queue.db
cp "$DB.key" queue.db.key

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.2f\", $* }"; }

# flush BIN CONF CHECKDIR: one `outbox flush` of the whole queue, from a
# fresh copy; prints its seconds.
flush() {
	discard "$OUTBOX" "$SMTP_DIR/new" "$SMTP_DIR/envelope.log" "$FAST_DIR/new"
	cp queue.db "$DB"
	rm -f "$DB-wal" "$DB-shm"
	sync
	local t0 t1 got
	t0=$(now)
	"$1" -c "$2" outbox flush >flush.out 2>flush.err
	t1=$(now)
	got=$(find "$3" -type f | wc -l)
	[ "$got" = "$N" ] || echo "bench: $1 $2: $got messages delivered, not $N" >&2
	calc "$t1 - $t0"
}

cat >baseline.py <<'PY'
# baseline.py maildir|floor|smtp|pipelined FROM [TO|PORT CA]: FROM holds the files
# the gateway delivered (read first, not timed); they are written again
# into the Maildir TO one by one or as a batch, or sent over SMTP.
import ctypes, os, smtplib, ssl, sys, time
libc = ctypes.CDLL(None, use_errno=True)
mode, src = sys.argv[1], sys.argv[2]
files = sorted(os.listdir(src))
data = [open(os.path.join(src, f), "rb").read() for f in files]
# the same messages with CRLF line ends, as SMTP sends them
wire = [d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for d in data]
t0 = time.monotonic()
if mode in ("maildir", "floor"):
    dst = sys.argv[3]
    for d in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(dst, d), exist_ok=True)
    tmp = [os.path.join(dst, "tmp", f) for f in files]
    new = [os.path.join(dst, "new", f) for f in files]
    if mode == "maildir":
        for i, d in enumerate(data):
            fd = os.open(tmp[i], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.write(fd, d)
            os.fsync(fd)
            os.close(fd)
            os.rename(tmp[i], new[i])
    else:
        for start in range(0, len(data), 256):
            fds = []
            for i in range(start, min(start + 256, len(data))):
                fd = os.open(tmp[i], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.write(fd, data[i])
                fds.append((i, fd))
            libc.syncfs(fds[0][1])
            for i, fd in fds:
                os.close(fd)
            for i, fd in fds:
                os.rename(tmp[i], new[i])
            d = os.open(os.path.join(dst, "new"), os.O_RDONLY)
            os.fsync(d)
            os.close(d)
elif mode == "smtp":
    ctx = ssl.create_default_context(cafile=sys.argv[4])
    s = smtplib.SMTP("127.0.0.1", int(sys.argv[3]))
    s.starttls(context=ctx)
    for d in wire:
        s.sendmail("comments@example.org", ["moderator@example.org"], d)
    s.quit()
else:
    # RFC 2920 across messages, one round trip a message: a message's
    # text and the next one's MAIL, RCPT and DATA go together, and the
    # reply to the text (its status) comes back before the next text
    # leaves (the server must answer DATA first).
    ctx = ssl.create_default_context(cafile=sys.argv[4])
    s = smtplib.SMTP("127.0.0.1", int(sys.argv[3]))
    s.starttls(context=ctx)
    s.ehlo()
    assert s.has_extn("pipelining")
    f = s.sock.makefile("rb")
    def replies(n):
        for _ in range(n):
            while True:
                line = f.readline()
                if line[3:4] != b"-":
                    break
            assert line[:1] in (b"2", b"3"), line
    env = b"MAIL FROM:<comments@example.org>\r\nRCPT TO:<moderator@example.org>\r\nDATA\r\n"
    s.sock.sendall(env)
    replies(3)
    for i, d in enumerate(wire):
        d = d.replace(b"\r\n.", b"\r\n..")
        more = i + 1 < len(wire)
        s.sock.sendall(d + b".\r\n" + (env if more else b""))
        replies(4 if more else 1)
    s.quit()
print("%.2f" % (time.monotonic() - t0))
PY

# best LIST: the smallest of the numbers.
best() { printf '%s\n' "$@" | sort -g | head -1; }
report() { # LABEL SECONDS BASELINE-LABEL BASELINE
	printf '%-34s %7.2f s   %-18s %7.2f s   ratio %s\n' "$1" "$2" "$3" "$4" \
		"$(calc "$2 / $4")"
}

md=() mdb=() sm=() smb=() b1=() bf=() sf=() sfb=() bsf=() bpf=()
for r in $(seq 1 "$RUNS"); do
	md+=("$(flush "$MC" mc.conf "$OUTBOX/new")")
	discard keep && cp -r "$OUTBOX/new" keep
	[ -n "$BEFORE" ] && mdb+=("$(flush "$BEFORE" mc.conf "$OUTBOX/new")")
	discard base && b1+=("$($PY baseline.py maildir keep base)")
	discard base && bf+=("$($PY baseline.py floor keep base)")
	sf+=("$(flush "$MC" fast.conf "$FAST_DIR/new")")
	[ -n "$BEFORE" ] && sfb+=("$(flush "$BEFORE" fast.conf "$FAST_DIR/new")")
	discard "$FAST_DIR/new"
	bsf+=("$($PY baseline.py smtp keep "$FAST_PORT" "$TLS_CA")")
	discard "$FAST_DIR/new"
	bpf+=("$($PY baseline.py pipelined keep "$FAST_PORT" "$TLS_CA")")
done
# Runs against the sink of the tests take long: fewer of them (0: none).
SRUNS=${BENCH_SMTP_RUNS:-1}
for r in $(seq 1 "$SRUNS"); do
	sm+=("$(flush "$MC" smtp.conf "$SMTP_DIR/new")")
	[ -n "$BEFORE" ] && smb+=("$(flush "$BEFORE" smtp.conf "$SMTP_DIR/new")")
done
rm -rf base keep

echo "bench/outbox.sh: $N notifications, best of $RUNS (SMTP: $SRUNS), $(nproc) cores"
m=$(best "${md[@]}")
s=$(best "${sm[@]:-0}")
f=$(best "${sf[@]}")
report "outbox flush, Maildir" "$m" "one by one" "$(best "${b1[@]}")"
report "outbox flush, Maildir" "$m" "batched floor" "$(best "${bf[@]}")"
report "outbox flush, SMTP (fast sink)" "$f" "smtplib, same sink" "$(best "${bsf[@]}")"
report "outbox flush, SMTP (fast sink)" "$f" "Python, pipelined" "$(best "${bpf[@]}")"
report "SMTP (fast sink) against Maildir" "$f" "Maildir" "$m"
if [ "$SRUNS" -gt 0 ]; then
	report "outbox flush, SMTP (aiosmtpd)" "$s" "fast sink" "$f"
	report "SMTP (aiosmtpd) against Maildir" "$s" "Maildir" "$m"
fi
if [ -n "$BEFORE" ]; then
	report "before: outbox flush, Maildir" "$(best "${mdb[@]}")" "after" "$m"
	report "before: SMTP (fast sink)" "$(best "${sfb[@]}")" "after" "$f"
	if [ "$SRUNS" -gt 0 ]; then
		report "before: SMTP (aiosmtpd)" "$(best "${smb[@]}")" "after" "$s"
	fi
fi
exit 0
