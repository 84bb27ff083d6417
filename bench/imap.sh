#!/bin/bash
# bench/imap.sh: the IMAP source against a real Dovecot (tests/servers.sh).
# Three corpora of realistic comment mails, each delivered into a fresh
# INBOX as a delivery agent leaves them (Maildir names with ,S=size: a
# name without it sends Dovecot's lookup into a slow path and makes MOVE
# 12-18x slower), each polled into a fresh database:
#   small  BENCH_MESSAGES (default 10000) from 500 readers
#   big    BENCH_BIG (default 50000) from 500 readers
#   flood  BENCH_FLOOD (default BENCH_BIG), 90% of it from 3 senders
# For each it times:
#   fetch   one pipelined UID FETCH 1:* BODY.PEEK[] (Python, raw socket):
#           what the server and the link can do at best
#   mbsync  isync downloading the same mailbox to a Maildir (FSync no;
#           for small, FSync yes too)
#   poll    `mailcomments poll --once` processing all of it (parse, store,
#           notify into the outbox Maildir, MOVE each to Processed);
#           for small, the same mail from a local Maildir too, and
#           the same again with the notifications sent over SMTP to a
#           fast loopback sink (bench/fastsink.py)
#   floor   for small, bench/poll_baseline.c: the same mail fetched by
#           the IMAP source, its raw bytes and a notification row
#           committed per batch before the MOVE, the notifications
#           written durably into an outbox Maildir: nothing parsed or
#           composed, what a durable poll cannot avoid on this disk
# and prints the ratios (poll / fetch, poll / mbsync, poll / floor, big /
# small, flood / small per message), poll's peak RSS, and the steal time
# of the run (the CPU time a virtual machine's host gave to other
# guests while the commands were timed).  BENCH_BEFORE=an older
# mailcomments binary polls the same corpora again (those of at most
# BENCH_BEFORE_MAX messages, default BENCH_MESSAGES): before and after in
# one run.  BENCH_ONLY="small flood" runs only those.  BENCH_BATCH sets
# imap.batch_size (default: the configuration's).  Run by `make bench`.
# `make bench` runs each bench/*.sh with sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
. "$B_ROOT/bench/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/build/mailcomments}
. "$T_ROOT/tests/servers.sh"

N=${BENCH_MESSAGES:-10000}
BIG=${BENCH_BIG:-50000}
FLOOD=${BENCH_FLOOD:-$BIG}
BEFORE=${BENCH_BEFORE:-}
BEFORE_MAX=${BENCH_BEFORE_MAX:-$N}

start_dovecot || { echo "bench: Dovecot does not start" >&2; exit 1; }
USER_BOX="$DV_MAIL/comments@example.org"
mkdir -p staging

# A site with twenty articles, as it was before any comment.
make_site() {
	discard var/site
	for i in $(seq 1 20); do
		mkdir -p "var/site/2024/article-$i"
		printf '<html><head><title>Article %d</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n</body></html>\n' \
			"$i" >"var/site/2024/article-$i/index.html"
	done
}
make_site
# mc_conf [FILE [KEY=VALUE...]]: the gateway's configuration for the
# benchmark (mc.conf by default), with more settings.
mc_conf() {
	write_conf "${1:-mc.conf}" site.directory="$T_DIR/var/site" \
		limits.comments_per_hour=1000000 \
		limits.pending_per_sender=1000000 \
		limits.site_comments_per_hour=0 limits.site_pending=0 \
		moderation.flood_threshold=0 \
		transport.maildir="$T_DIR/var/outbox" \
		${BENCH_BATCH:+imap.batch_size=$BENCH_BATCH} "${@:2}"
}
mc_conf
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"

# load COUNT SEED [flood]: COUNT comment mails into the INBOX, as a
# delivery agent leaves them (bench/corpus.py).
load() {
	$PY "$B_ROOT/bench/corpus.py" "$USER_BOX" "$1" "$2" "${3:--}" "$DV_UID" "$DV_GID"
}

# measure CMD...: runs CMD (output to measure.err), prints "SECONDS
# MAXRSS_KB EXIT".  What was written before is on disk first: syncfs()
# (the outbox's, the renderer's) would otherwise write it in the time of
# whoever comes next.
measure() {
	local s0 pct
	sync
	s0=$(cpu_steal)
	$PY - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL,
                     stderr=open("measure.err", "ab"))
dt = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("%.2f %d %d" % (dt, rss, rc))
PY
	pct=$(steal_percent "$s0" "$(cpu_steal)")
	[ -z "$pct" ] || echo "$pct ${1##*/}" >>steal.log
}

# The raw server speed: one UID FETCH 1:* BODY.PEEK[] over TLS.
rawfetch() {
	$PY - "$DV_IMAPS_PORT" "$TLS_CA" <<'PY'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))),
                    server_hostname="127.0.0.1")
def until(tag):
    buf = b""
    while True:
        d = s.recv(1 << 20)
        if not d:
            sys.exit("connection closed")
        buf = buf[-4096:] + d
        if (b"\r\n" + tag + b" ") in buf:
            if (b"\r\n" + tag + b" OK") not in buf:
                sys.exit("failed: %r" % buf[-200:])
            return
s.recv(4096)
s.sendall(b"a LOGIN comments@example.org comments-pw\r\nb EXAMINE INBOX\r\n")
until(b"b")
s.sendall(b"c UID FETCH 1:* (BODY.PEEK[])\r\n")
until(b"c")
PY
}

mbsync_conf() {
	cat >mbsyncrc <<EOF
FSync no
IMAPAccount bench
Host localhost
Port $DV_IMAPS_PORT
User comments@example.org
Pass comments-pw
SSLType IMAPS
CertificateFile $TLS_CA
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path $T_DIR/mbsync/
Inbox $T_DIR/mbsync/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Sync Pull
Create Near
SyncState *
EOF
}
mbsync_conf

# fresh COUNT SEED [flood]: an empty mailbox (Dovecot stopped meanwhile,
# its indexes gone with it), the corpus delivered, a site and a database
# that never saw a comment.  Dovecot comes back on new ports: others may
# have taken the old ones while it was down.
fresh() {
	local count
	stop_dovecot
	discard "$USER_BOX" mc.db mc.db-wal mc.db-shm var/outbox mbsync \
		local local.db local.db-wal local.db-shm var/outbox-local
	make_site
	load "$@"
	DV_IMAP_PORT=$(free_port)
	DV_IMAPS_PORT=$(free_port)
	dv_write_conf
	mc_conf
	mbsync_conf
	start_dovecot || { echo "bench: Dovecot does not restart" >&2; exit 1; }
	count=$(imap_tool count INBOX)
	[ "$count" = "$1" ] || { echo "bench: $count messages in the INBOX, not $1" >&2; exit 1; }
}

# baselines COUNT: sets t_fetch and t_mbsync for the INBOX as it is.
baselines() {
	local rc got
	read -r t_fetch _ rc <<<"$(measure bash -c "$(declare -f rawfetch); PY=$PY DV_IMAPS_PORT=$DV_IMAPS_PORT TLS_CA=$TLS_CA rawfetch")"
	[ "$rc" = 0 ] || echo "bench: the raw fetch failed" >&2
	discard mbsync
	mkdir -p mbsync/INBOX
	read -r t_mbsync _ rc <<<"$(measure mbsync -q -c "$T_DIR/mbsyncrc" -a)"
	got=$(find mbsync/INBOX/cur mbsync/INBOX/new -type f | wc -l)
	[ "$rc" = 0 ] && [ "$got" = "$1" ] || echo "bench: mbsync: exit $rc, $got messages" >&2
}

# mbsync with FSync yes on the same mailbox: sets t_mbsync_sync.
mbsync_synced() {
	local rc got
	sed 's/^FSync no$/FSync yes/' mbsyncrc >mbsyncrc.sync
	discard mbsync
	mkdir -p mbsync/INBOX
	read -r t_mbsync_sync _ rc <<<"$(measure mbsync -q -c "$T_DIR/mbsyncrc.sync" -a)"
	got=$(find mbsync/INBOX/cur mbsync/INBOX/new -type f | wc -l)
	[ "$rc" = 0 ] && [ "$got" = "$1" ] || echo "bench: mbsync (FSync yes): exit $rc, $got messages" >&2
}

# poll_local COUNT BIN: the same mail from a local Maildir (a copy of the
# delivered files) into its own database and outbox; sets t_local.  The
# site is made again after it, for the IMAP poll.
poll_local() {
	local rc done_n f b
	discard local local.db local.db-wal local.db-shm var/outbox-local
	mkdir -p local/cur local/tmp local/new
	# Dovecot has moved them to cur/ by now (info ":2,..." added)
	for f in "$USER_BOX"/new/* "$USER_BOX"/cur/*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		cp "$f" "local/new/${b%%:*}"
	done
	local_conf local.conf "$T_DIR/var/site" "$T_DIR/local.db" "$T_DIR/local" \
		"$T_DIR/var/outbox-local"
	read -r t_local _ rc <<<"$(MAILCOMMENTS_CONFIG="$T_DIR/local.conf" measure "$2" poll --once)"
	done_n=$(sqlite3 "$T_DIR/local.db" "SELECT count(*) FROM processed")
	[ "$rc" = 0 ] && [ "$done_n" = "$1" ] ||
		{ echo "bench: poll from a Maildir: exit $rc, $done_n messages recorded" >&2; tail -3 measure.err >&2; }
	make_site
}

# poll_smtp COUNT BIN: poll with the notifications sent over SMTP (with
# STARTTLS) to bench/fastsink.py, a loopback sink that offers PIPELINING
# and does not fsync, started here; sets t_smtp.
poll_smtp() {
	local rc sent
	if [ -z "${FAST_PID:-}" ]; then
		FAST_PORT=$(free_port)
		mkdir -p fastsink
		$PY "$B_ROOT/bench/fastsink.py" --port "$FAST_PORT" \
			--maildir "$T_DIR/fastsink" --cert "$TLS_CERT" \
			--key "$TLS_KEY" >fastsink.log 2>&1 &
		FAST_PID=$!
		at_exit stop_fast
		wait_for 20 port_open "$FAST_PORT" ||
			{ echo "bench: the fast SMTP sink does not start" >&2; return 0; }
	fi
	mc_conf smtp.conf transport.type=smtp smtp.host=127.0.0.1 \
		smtp.port="$FAST_PORT" smtp.tls=starttls smtp.ca_file="$TLS_CA" \
		smtp.timeout=30
	read -r t_smtp _ rc <<<"$(MAILCOMMENTS_CONFIG="$T_DIR/smtp.conf" measure "$2" poll --once)"
	sent=$(sqlite3 "$T_DIR/mc.db" "SELECT count(*) FROM outbox WHERE status = 'sent'")
	[ "$rc" = 0 ] && [ "$sent" = "$1" ] ||
		echo "bench: poll over SMTP: exit $rc, $sent notifications sent" >&2
}
# smtp_runs COUNT SEED: poll_smtp BENCH_SMTP_RUNS times (default 1) on
# the corpus delivered afresh, the BENCH_BEFORE binary too when set, and
# with more than one run the outbox-Maildir poll too, interleaved (the
# ratio of the two then compares runs of the same moment); sets t_smtp,
# t_smtp_before and t_smtp_md to the best.
smtp_runs() {
	local r best='' bestb='' bestm=''
	for r in $(seq 1 "${BENCH_SMTP_RUNS:-1}"); do
		fresh "$@"
		poll_smtp "$1" "$MC"
		best=$(printf '%s\n' $best "$t_smtp" | sort -g | head -1)
		if [ -n "$BEFORE" ]; then
			fresh "$@"
			poll_smtp "$1" "$BEFORE"
			bestb=$(printf '%s\n' $bestb "$t_smtp" | sort -g | head -1)
		fi
		[ "${BENCH_SMTP_RUNS:-1}" -gt 1 ] || continue
		fresh "$@"
		poll "$1" "$MC"
		bestm=$(printf '%s\n' $bestm "$t_poll" | sort -g | head -1)
	done
	t_smtp=$best t_smtp_before=$bestb t_smtp_md=${bestm:-$t_now}
}
stop_fast() { kill "$FAST_PID" 2>/dev/null; wait "$FAST_PID" 2>/dev/null; }

# poll COUNT BIN: sets t_poll and rss_poll.
poll() {
	local rc done_n
	read -r t_poll rss_poll rc <<<"$(measure "$2" poll --once)"
	done_n=$(sqlite3 "$T_DIR/mc.db" "SELECT count(*) FROM processed")
	[ "$rc" = 0 ] && [ "$done_n" = "$1" ] ||
		echo "bench: poll: exit $rc, $done_n messages recorded" >&2
}

# The IMAP source alone, on the same messages: from Processed, where poll
# left them, to another folder, in batches of 100 with one UID MOVE each
# (what poll does, without the pipeline).
source_alone() {
	local drv="$T_ROOT/${MC_BUILD:-build}/tests/drv_imapsrc" t_src rc
	make -s -C "$T_ROOT" "${MC_BUILD:-build}/tests/drv_imapsrc" >/dev/null 2>&1
	[ -x "$drv" ] || return 0
	rm -f drv.db drv.db-wal drv.db-shm
	write_conf src.conf imap.folder=Processed source.processed=Archive \
		database.path="$T_DIR/drv.db"
	read -r t_src _ rc <<<"$(measure "$drv" src.conf drain "${BENCH_BATCH:-1000}" processed)"
	[ "$rc" = 0 ] || echo "bench: the source alone: exit $rc" >&2
	awk -v n="$1" -v s="$t_src" -v f="$t_fetch" -v m="$t_mbsync" 'BEGIN {
	printf "  %-46s %8.2f s %7.0f msg/s\n", "IMAP source alone (fetch 100, one MOVE each)", s, n / s
	printf "  ratios: source / fetch %.1f, source / mbsync %.1f\n", s / f, s / m
}'
}

# The floor of a durable poll (bench/poll_baseline.c), on the same
# messages: from Archive, where the source alone left them, to Floor, in
# the same batches; each batch's raw mail and a notification row of the
# size poll's notifications have are committed (synchronous = FULL)
# before the MOVE, and the notifications are written into an outbox
# Maildir by the same transport, durably, and marked sent.  Nothing
# parsed, checked or composed: what this disk and this server allow.
poll_floor() {
	local drv="$T_ROOT/${MC_BUILD:-build}/bench/poll_baseline" rc note got
	[ -x "$drv" ] || { echo "bench: $drv is missing (make $drv)" >&2; return 0; }
	note=$(sqlite3 "$T_DIR/mc.db" "SELECT CAST(avg(length(message)) AS INT) FROM outbox_text")
	rm -rf floor.db floor.db-wal floor.db-shm var/outbox-floor
	write_conf floor.conf imap.folder=Archive source.processed=Floor \
		database.path="$T_DIR/floor.db" transport.type=maildir \
		transport.maildir="$T_DIR/var/outbox-floor" \
		${BENCH_BATCH:+imap.batch_size=$BENCH_BATCH}
	read -r t_floor _ rc <<<"$(measure "$drv" floor.conf "${note:-3000}")"
	got=$(find var/outbox-floor/new -type f 2>/dev/null | wc -l)
	[ "$rc" = 0 ] && [ "$got" = "$1" ] ||
		{ echo "bench: the poll floor: exit $rc, $got notifications" >&2; tail -2 measure.err >&2; }
	awk -v n="$1" -v fl="$t_floor" -v p="$2" -v m="$t_mbsync" -v b="${note:-3000}" 'BEGIN {
	printf "  %-46s %8.2f s %7.0f msg/s\n", "poll floor (store raw + " b " B notification)", fl, n / fl
	printf "  ratios: poll / floor %.2f, floor / mbsync %.2f\n", p / fl, fl / m
}'
}

# corpus LABEL COUNT SEED [flood]: the baselines and poll on one corpus,
# then the older binary (BENCH_BEFORE) on the same corpus delivered
# again.  Sets t_LABEL to poll's time.
corpus() {
	local label=$1 t_now bytes
	shift
	echo "# $label: $1 messages${3:+ (a flood: 3 senders send 90%)}"
	fresh "$@"
	bytes=$(du -sb "$USER_BOX/new" | awk '{print $1}')
	baselines "$1"
	if [ "$label" = small ]; then
		mbsync_synced "$1"
		poll_local "$1" "$MC"
	fi
	poll "$1" "$MC"
	t_now=$t_poll
	printf -v "t_$label" %s "$t_poll"
	awk -v l="$label" -v n="$1" -v mb="$bytes" -v f="$t_fetch" \
		-v m="$t_mbsync" -v p="$t_poll" -v r="$rss_poll" 'BEGIN {
	printf "IMAP benchmark, %s: %d messages, %.1f MB, Dovecot on loopback (IMAPS)\n", l, n, mb / 1048576
	printf "  %-46s %8.2f s %7.0f msg/s\n", "one UID FETCH 1:* BODY.PEEK[] (baseline)", f, n / f
	printf "  %-46s %8.2f s %7.0f msg/s\n", "mbsync download (FSync no)", m, n / m
	printf "  %-46s %8.2f s %7.0f msg/s\n", "mailcomments poll --once (all of it)", p, n / p
	printf "  ratios: poll / fetch %.1f, poll / mbsync %.2f; peak RSS of poll %.1f MB\n", p / f, p / m, r / 1024
}'
	[ "$label" = small ] && awk -v n="$1" -v m="$t_mbsync" \
		-v ms="$t_mbsync_sync" -v l="$t_local" -v p="$t_poll" 'BEGIN {
	printf "  %-46s %8.2f s %7.0f msg/s\n", "mbsync download (FSync yes)", ms, n / ms
	printf "  %-46s %8.2f s %7.0f msg/s\n", "poll --once from a local Maildir", l, n / l
	printf "  ratios: local poll / mbsync %.2f, IMAP poll / mbsync (FSync yes) %.2f\n", l / m, p / ms
}'
	[ "$label" = small ] && source_alone "$1" && poll_floor "$1" "$t_now"
	if [ "$label" = small ]; then
		smtp_runs "$@"
		awk -v n="$1" -v s="$t_smtp" -v p="$t_smtp_md" -v m="$t_mbsync" \
			-v k="${BENCH_SMTP_RUNS:-1}" 'BEGIN {
	printf "  %-46s %8.2f s %7.0f msg/s\n", "poll --once, notifications over SMTP" (k > 1 ? " (best of " k ")" : ""), s, n / s
	printf "  ratios: SMTP poll / Maildir-outbox poll %.2f, SMTP poll / mbsync %.2f\n", s / p, s / m
}'
		[ "${BENCH_SMTP_RUNS:-1}" -gt 1 ] && awk -v p="$t_smtp_md" 'BEGIN {
	printf "  %-46s %8.2f s (interleaved with the SMTP polls, best)\n", "poll --once, outbox Maildir", p
}'
		[ -n "$BEFORE" ] && awk -v s="$t_smtp_before" -v a="$t_smtp" \
			-v p="$t_smtp_md" 'BEGIN {
	printf "  %-46s %8.2f s (%.2fx the time of now; / Maildir-outbox poll %.2f)\n", "BENCH_BEFORE poll --once over SMTP", s, s / a, s / p
}'
	fi
	if [ -n "$BEFORE" ] && [ "$1" -le "$BEFORE_MAX" ]; then
		fresh "$@"
		poll "$1" "$BEFORE"
		awk -v p="$t_poll" -v f="$t_fetch" -v m="$t_mbsync" -v a="$t_now" 'BEGIN {
	printf "  %-46s %8.2f s (poll / fetch %.1f, poll / mbsync %.2f; %.2fx the time of now)\n", "BENCH_BEFORE poll --once", p, p / f, p / m, p / a
}'
	fi
	return 0
}

ONLY=" ${BENCH_ONLY:-small big flood} "
[[ $ONLY == *" small "* ]] && corpus small "$N" 1
[[ $ONLY == *" big "* ]] && corpus big "$BIG" 2
[[ $ONLY == *" flood "* ]] && corpus flood "$FLOOD" 3 flood
[ -n "${t_small:-}" ] && [ -n "${t_big:-}" ] && [ -n "${t_flood:-}" ] &&
	awk -v n="$N" -v b="$BIG" -v fl="$FLOOD" -v ts="$t_small" -v tb="$t_big" \
	-v tf="$t_flood" 'BEGIN {
	printf "Growth: %d messages take %.2fx the time of %d (%.1fx the mail; goal <= 5.5 for 5x)\n", b, tb / ts, n, b / n
	printf "  the flood of %d: %.2fx the time of %d, %.2fx per message\n", fl, tf / ts, n, (tf / fl) / (ts / n)
}'
# the steal of each timed command (cpu_steal)
[ -s steal.log ] && awk '{ s += $1; n++; if ($1 > mx) mx = $1
	each = each sprintf("%s %s %.0f%%", n % 8 == 1 ? "\n   " : ",",
			    $2 == "bash" ? "fetch" : $2, $1) } END {
	printf "Steal (CPU time the hypervisor gave to other guests) during the timed commands: %.1f%% on average, %.1f%% at most; each, in order:%s\n", s / n, mx, each
}' steal.log
exit 0
