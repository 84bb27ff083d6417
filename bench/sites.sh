#!/bin/bash
# bench/sites.sh: a day for SITES sites (1,000 by default) on one gateway:
# PER_SITE comments for each (100), 10% as many robots (auto-replies and
# bounces), all in one shared Maildir as a mail server delivers them
# (Delivered-To on top, names with ,S=size), routed and polled by one
# `poll`; then 20% as many moderator replies (approve, with the token of
# each site's notification) and a second `poll`.  Reports the wall time,
# peak RSS and files written of each pass, and the headroom: how many
# such days fit in a day on this machine.  Then the same mail for one
# single site (no `sites` list) for comparison.  Never fails on figures,
# only when a pass does or mail goes astray.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
. "$B_ROOT/bench/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/${MC_BUILD:-build}/mailcomments}
SITES=${SITES:-1000}
PER_SITE=${PER_SITE:-100}
status=0

# gen MODE DIR: the day's mail into DIR/inbox; MODE "sites" addresses
# SITES sites, "one" the same mail to one site (its 5 x SITES pages).
gen() {
	/usr/bin/python3 - "$1" "$2" "$SITES" "$PER_SITE" <<'PY'
import os, sys
mode, root, sites, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
inbox = os.path.join(root, "inbox")
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(inbox, d), exist_ok=True)
n = 0
def deliver(rcpt, text):
    global n
    n += 1
    data = ("Return-Path: <x@example.net>\nDelivered-To: %s\n"
            "Received: from mx.example.net by mail.example.org with LMTP; "
            "Mon, 29 Jul 2024 10:00:00 +0000\n" % rcpt + text).encode()
    name = "1722247200.M%dP1.mail.example.org,S=%d" % (n, len(data))
    with open(os.path.join(inbox, "tmp", name), "wb") as f:
        f.write(data)
    os.rename(os.path.join(inbox, "tmp", name), os.path.join(inbox, "new", name))
for s in range(sites):
    dom = "s%d.example" % s if mode == "sites" else "one.example"
    for k in range(per):
        page = "p%d" % (k % 5) if mode == "sites" else "s%d-p%d" % (s, k % 5)
        rcpt = "comments+%s@%s" % (page, dom)
        deliver(rcpt, "From: Reader %d <reader%d.%d@example.net>\nTo: %s\n"
                "Subject: Comment\nMessage-ID: <c%d.%d@example.net>\n"
                "Date: Mon, 29 Jul 2024 10:00:00 +0000\n"
                "Content-Type: text/plain; charset=utf-8\n\n"
                "Comment %d on %s of site %d: lorem ipsum dolor sit amet,\n"
                "consectetur adipiscing elit, sed do eiusmod tempor.\n"
                % (k, s, k, rcpt, s, k, k, page, s))
    for k in range(per // 10):
        rcpt = "comments@%s" % dom
        if k % 2:
            deliver(rcpt, "From: Away <away%d.%d@example.net>\nTo: %s\n"
                    "Subject: Out of office\nAuto-Submitted: auto-replied\n"
                    "Message-ID: <r%d.%d@example.net>\n"
                    "Date: Mon, 29 Jul 2024 10:00:00 +0000\n\nAway.\n"
                    % (s, k, rcpt, s, k))
        else:
            deliver(rcpt, "From: MAILER-DAEMON@example.net\nTo: %s\n"
                    "Subject: Undelivered Mail Returned to Sender\n"
                    "Auto-Submitted: auto-replied\n"
                    "Message-ID: <b%d.%d@example.net>\n"
                    "Date: Mon, 29 Jul 2024 10:00:00 +0000\n"
                    "Content-Type: multipart/report; report-type=delivery-status;"
                    " boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
                    "Gone.\n--b\nContent-Type: message/delivery-status\n\n"
                    "Reporting-MTA: dns; mx.example.net\n\n"
                    "Final-Recipient: rfc822; gone@example.net\nAction: failed\n"
                    "Status: 5.1.1\n--b--\n" % (rcpt, s, k))
    os.makedirs(os.path.join(root, "www", "s%d" % s if mode == "sites" else "one"),
                exist_ok=True)
    w = os.path.join(root, "www", "s%d" % s if mode == "sites" else "one")
    for p in range(5):
        name = "p%d.html" % p if mode == "sites" else "s%d-p%d.html" % (s, p)
        with open(os.path.join(w, name), "w") as f:
            f.write("<!doctype html><html lang=en><head><title>P</title></head>"
                    "<body><!-- mailcomments:begin --><!-- mailcomments:end -->"
                    "</body></html>\n")
print(n)
PY
}

# replies MODE DIR: a moderator's "approve" to 20% of the notifications
# (per site), as replies to the token address, into DIR/inbox.
replies() {
	/usr/bin/python3 - "$1" "$2" "$SITES" "$PER_SITE" <<'PY'
import glob, os, re, sys
mode, root, sites, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
inbox = os.path.join(root, "inbox")
outs = ([os.path.join(root, "state", "sites", "s%d" % s, "outbox", "new") for s in range(sites)]
        if mode == "sites" else [os.path.join(root, "outbox", "new")])
want = per // 5 if mode == "sites" else sites * per // 5
n = 0
for o in outs:
    got = 0
    for f in sorted(glob.glob(o + "/*")):
        if got >= want:
            break
        text = open(f, encoding="utf-8", errors="replace").read()
        m = re.search(r"^Reply-To: .*?<?(comments\+m_[a-z2-7]+@[a-z0-9.]+)>?$", text, re.M)
        if not m:
            continue
        got += 1
        n += 1
        rcpt = m.group(1)
        data = ("Delivered-To: %s\nReceived: from mx by mail with LMTP\n"
                "From: Moderator <moderator@example.org>\nTo: %s\n"
                "Subject: Re: new comment\nMessage-ID: <m%d@example.org>\n"
                "Date: Mon, 29 Jul 2024 11:00:00 +0000\n\napprove\n" % (rcpt, rcpt, n)).encode()
        name = "1722250800.M%dP2.mail.example.org,S=%d" % (n, len(data))
        with open(os.path.join(inbox, "tmp", name), "wb") as g:
            g.write(data)
        os.rename(os.path.join(inbox, "tmp", name), os.path.join(inbox, "new", name))
print(n)
PY
}

# conf MODE DIR: the configuration (limits off: a day's mail at once)
conf() {
	local mode=$1 dir=$2 s
	cat <<CONF
moderation = { moderators = ["moderator@example.org"]; flood_threshold = 0; };
limits = { site_comments_per_hour = 0; site_pending = 0;
           comments_per_hour = 100000; pending_per_sender = 100000; };
database = { path = "$dir/state/mailcomments.db"; };
source = { maildir = "$dir/inbox"; processed = "Processed";
           set_aside = "Set-Aside"; };
transport = { maildir = "$dir/outbox"; };
render = { count_markers = false; };
CONF
	if [ "$mode" = one ]; then
		printf 'site = { url = "https://one.example/"; directory = "%s/www/one"; };\n' "$dir"
		printf 'address = { mailbox = "comments@one.example"; };\n'
		return
	fi
	echo "sites = ("
	for ((s = 0; s < SITES; s++)); do
		printf '  { name = "s%d"; site = { url = "https://s%d.example/"; directory = "%s/www/s%d"; };\n    address = { mailbox = "comments@s%d.example"; }; }%s\n' \
			"$s" "$s" "$dir" "$s" "$s" "$([ $((s + 1)) -lt "$SITES" ] && echo ,)"
	done
	echo ");"
}

# measure NAME DIR CMD...: wall time, peak RSS and files written under DIR
measure() {
	local name=$1 dir=$2
	shift 2
	/usr/bin/python3 - "$name" "$dir" "$@" <<'PY'
import os, resource, subprocess, sys, time
name, root, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
def files():
    return sum(len(f) for _, _, f in os.walk(root))
before = files()
t = time.monotonic()
rc = subprocess.call(cmd, stderr=open(os.path.join(root, "log-" + name), "w"))
dt = time.monotonic() - t
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{name:18s} {dt:8.1f} s  peak RSS {kib / 1024:7.1f} MiB  "
      f"files +{files() - before:7d}  exit {rc}", flush=True)
with open(os.path.join(root, "wall"), "a") as f:
    f.write(f"{dt}\n")
sys.exit(0 if rc in (0, 75) else rc)
PY
}

day() {
	local mode=$1 dir=$T_DIR/$1 n r total
	mkdir -p "$dir"
	n=$(gen "$mode" "$dir")
	conf "$mode" "$dir" >"$dir/mc.conf"
	echo "# $mode: $n messages ($SITES x $PER_SITE comments + 10% robots)"
	measure "$mode-comments" "$dir" "$MC" -c "$dir/mc.conf" poll || status=1
	r=$(replies "$mode" "$dir")
	echo "# $mode: $r moderator replies (approve)"
	measure "$mode-replies" "$dir" "$MC" -c "$dir/mc.conf" poll || status=1
	total=$(awk '{t += $1} END {printf "%.1f", t}' "$dir/wall")
	echo "# $mode: the day took $total s: $(awk -v t="$total" 'BEGIN {printf "%.0f", 86400 / t}') such days fit in a day (one core)"
	left=$(find "$dir/inbox/new" -type f | wc -l)
	[ "$left" = 0 ] || { echo "# $mode: $left messages left in the inbox"; status=1; }
}

echo "# $(nproc) cores; SITES=$SITES PER_SITE=$PER_SITE"
day sites
if [ "$status" = 0 ]; then
	stored=0
	for db in "$T_DIR"/sites/state/sites/*/mailcomments.db; do
		stored=$((stored + $(sqlite3 "$db" "SELECT count(*) FROM comments")))
	done
	approved=0
	for db in "$T_DIR"/sites/state/sites/*/mailcomments.db; do
		approved=$((approved + $(sqlite3 "$db" "SELECT count(*) FROM comments WHERE status = 'approved'")))
	done
	echo "# sites: $stored comments stored in $SITES shards, $approved approved"
	[ "$stored" = $((SITES * PER_SITE)) ] || { echo "# expected $((SITES * PER_SITE)) comments"; status=1; }
fi
discard "$T_DIR/sites"
day one
t_finish 2>/dev/null
exit $status
