#!/bin/bash
# t-limits.sh: what one hostile mail can cost, under the default limits.
# tests/hostile-mail.py writes mails built to make a parser use memory
# (millions of header fields, HTML elements or lines, deep nesting,
# base64 and charset growth, 200 MB...), each just under
# limits.message_size.  For each: how `parse` reads it (set aside for
# what no real mail does, cut with "text truncated" where a person's
# text comes first) and its peak RSS, under 64 MiB; `poll --once` of 100
# of them from a Maildir and over IMAP, under 128 MiB; a mail over the
# size limit set aside without being read whole, from both sources; a
# batch bounded in bytes.  Under MC_SAN=1 (ASan inflates memory) the RSS
# ceilings are skipped, the behaviour is checked the same.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

GEN="$T_ROOT/tests/hostile-mail.py"
DRV="$T_ROOT/${MC_BUILD:-build}/tests/drv_imapsrc"
SAN=${MC_SAN:-0}
N=100
[ "$SAN" = 1 ] && N=20 # the behaviour is the same, and ASan is slow

peak() { $PY "$GEN" peak "$@"; }

# below DESC KIB MIB: the RSS ceiling (skipped under the sanitizers).
below() {
	if [ "$SAN" = 1 ]; then
		ok "$1 # SKIP RSS under ASan"
	elif [ "$2" -lt $(($3 * 1024)) ]; then
		ok "$1 ($(($2 / 1024)) MiB < $3 MiB)"
	else
		notok "$1 ($(($2 / 1024)) MiB, ceiling $3 MiB)"
	fi
}

# json_is FILE PYEXPR: PYEXPR is true of the parsed JSON d.
json_is() {
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
r = set(d["reasons"])
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

# ---- parse: one mail at a time ----
# KIND  what must hold of its JSON (d, and r its reasons)
while read -r kind expr; do
	[ -n "$kind" ] || continue
	$PY "$GEN" "$kind" "$kind.eml" || { notok "$kind: generated"; continue; }
	read -r kb rc <<<"$(peak out timeout -k 10 120 "$MC" parse --json "$kind.eml")"
	if [ "$rc" = 0 ] && json_is out "$expr"; then
		ok "$kind: $expr"
	else
		notok "$kind: $expr (exit $rc)"
		$PY -c 'import json,sys; d=json.load(open("out")); print(d["kind"], d["reasons"], len(d["body"]))' 2>&1 | diag
	fi
	below "$kind: parse" "$kb" 64
	rm -f "$kind.eml"
done <<'EOF'
normal            d["kind"] == "comment" and not r
header-fields     d["kind"] == "invalid" and "too many header fields" in r
header-long       d["kind"] == "invalid" and "header too large" in r
part-headers      d["kind"] == "invalid" and "too many header fields" in r
rfc822-headers    d["kind"] == "invalid" and "too many header fields" in r
header-fields-max d["kind"] == "comment" and d["from_address"] != ""
recipients        d["kind"] == "comment" and len(d["to"]) > 50000
references        d["kind"] == "comment" and len(d["references"]) == 6000
rfc2047           d["kind"] == "comment"
html-elements     "text truncated" in r and len(d["body"]) < 1048576
html-deep         "text truncated" in r
html-quotes       "text truncated" in r
html-attrs        "text truncated" in r and d["body"] == "Hello."
html-ol           "text truncated" in r and d["body"].startswith("2147483647. x\n2147483648. y")
base64            "text truncated" in r and 1000000 < len(d["body"]) <= 1048576
base64-html       "text truncated" in r and len(d["body"]) <= 1048576
qp                r == {"text truncated"} and len(d["body"].encode()) <= 1048576
latin1            r == {"text truncated"} and len(d["body"].encode()) <= 1048576
charset-growth    r == {"text truncated"} and len(d["body"].encode()) <= 1048576
utf16             r == {"text truncated"} and d["body"].startswith("Un commentaire en UTF-16, été 漢字.")
flowed            "text truncated" in r
lines             "text truncated" in r and d["body"] == "A comment that would be fine on its own."
short-lines       "text truncated" in r and d["body"].count("\n") < 20000
quote-lines       "text truncated" in r and d["body"] == "A comment that would be fine on its own."
parts             "text truncated" in r
long-line         d["kind"] == "invalid" and "line too long" in r
big               d["kind"] == "invalid" and r == {"message too large"}
over              d["kind"] == "invalid" and r == {"message too large"}
EOF

# A site with the article the hostile mails write to: what passes the
# limits is stored and notified, as on a real gateway.
mkdir -p site/2024/slug
printf '<html><head><title>Slug</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n</body></html>\n' \
	>site/2024/slug/index.html
mkconf() { # FILE EXTRA...
	local f=$1
	shift
	write_conf "$f" site.directory="$T_DIR/site" \
		database.path="$T_DIR/${f%.conf}.db" \
		limits.comments_per_hour=1000000 \
		limits.pending_per_sender=1000000 \
		transport.maildir="$T_DIR/outbox" "$@"
}
processed() { sqlite3 "$T_DIR/$1.db" "SELECT count(*) FROM processed"; }

# ---- the Maildir source ----
mkconf md.conf source.maildir="$T_DIR/inbox" source.set_aside=Aside
$PY "$GEN" maildir inbox 1 0 big
read -r kb rc <<<"$(peak out timeout -k 10 300 "$MC" -c md.conf poll --once)"
check "a 200 MB mail in the Maildir: poll exits 0 (exit $rc)" test "$rc" = 0
grep_ok "it is set aside as too large" 'invalid.*set aside: invalid, message too large' out.err
check "it was moved to the set-aside folder" \
	test "$(ls inbox/.Aside/cur | wc -l)" = 1
below "a 200 MB mail in the Maildir: poll --once" "$kb" 64

rm -rf inbox
$PY "$GEN" maildir inbox "$N"
read -r kb rc <<<"$(peak out timeout -k 10 300 "$MC" -c md.conf poll --once)"
check "$N hostile mails from a Maildir: poll exits 0 (exit $rc)" test "$rc" = 0
check "all $N recorded" test "$(processed md)" = $((N + 1))
check "the Maildir is empty" test "$(ls inbox/new | wc -l)" = 0
below "$N hostile mails from a Maildir: poll --once" "$kb" 128
rm -rf inbox

# Batches in bytes, and heads only, seen by the driver of the sources.
mkconf mdb.conf source.maildir="$T_DIR/inbox" limits.batch_bytes=10000 \
	limits.message_size=5000
for i in 1 2 3 4 5; do
	$PY -c 'import sys; sys.stdout.write("From: a%s@example.net\nSubject: %s\n\n" % (sys.argv[1], sys.argv[1]) + "x" * 3900 + "\n")' \
		$i >m$i.eml
done
$PY -c 'import sys; sys.stdout.write("From: big@example.net\n\n" + "y" * 9000 + "\n")' >big6.eml
mkdir -p inbox/new inbox/cur inbox/tmp
for i in 1 2 3 4 5 6; do
	f=m$i.eml
	[ $i = 6 ] && f=big6.eml
	cp $f "inbox/new/172000000$i.M1P1Q$i.mx.example.org,S=$(wc -c <$f)"
done
# batches: what each fetch printed, "ok" after each
batches() { awk '$1 == "ok" { printf "%d ", n; n = 0; next } { n++ }' out; }
expect_rc 0 "Maildir: fetch 100, three times" "$DRV" mdb.conf \
	fetch 100 drop status fetch 100 drop status fetch 100 status
check "4 KB mails two by two under batch_bytes = 10000, a head of 5000 with the fifth" \
	test "$(batches)" = "2 2 2 "
grep_ok "a mail over message_size: only its first 5000 bytes are read" \
	'^fetched new/1720000006[^ ]* 5000 of 9024$' out
rm -rf inbox

# ---- the IMAP source ----
if ! start_dovecot; then
	notok "Dovecot starts"
	t_done
	exit 1
fi
box="$DV_MAIL/comments@example.org"
deliver() { $PY "$GEN" maildir "$box" "$@" && chown -R "$DV_UID:$DV_GID" "$box"; }
mkconf imap.conf

deliver 20 0 over
expect_rc 0 "IMAP: 20 mails over the size limit, fetched by the driver" \
	"$DRV" imap.conf fetch 100
check "each is read as its first 64 KiB only, never whole" \
	test "$(grep -cE '^fetched [0-9]+ 65536 of 1[0-9]{7}$' out)" = 20
read -r kb rc <<<"$(peak out timeout -k 10 300 "$MC" -c imap.conf poll --once)"
check "IMAP: poll of them exits 0 (exit $rc)" test "$rc" = 0
check "all 20 moved to Set aside" test "$(imap_tool count 'Set aside')" = 20
grep_ok "as too large" 'set aside: invalid, message too large' out.err
below "IMAP: 20 mails over the size limit: poll --once" "$kb" 64

deliver "$N"
read -r kb rc <<<"$(peak out timeout -k 10 300 "$MC" -c imap.conf poll --once)"
check "IMAP: $N hostile mails: poll exits 0 (exit $rc)" test "$rc" = 0
check "the INBOX is empty" test "$(imap_tool count INBOX)" = 0
check "all recorded" test "$(processed imap)" = $((N + 20))
below "IMAP: $N hostile mails: poll --once" "$kb" 128

mkconf imapb.conf limits.batch_bytes=10000 limits.message_size=5000
for i in 1 2 3 4 5; do
	imap_tool --user comments append INBOX m$i.eml >/dev/null
done
imap_tool --user comments append INBOX big6.eml >/dev/null
expect_rc 0 "IMAP: fetch 100, four times" "$DRV" imapb.conf \
	fetch 100 drop status fetch 100 drop status fetch 100 drop status \
	fetch 100 status
check "4 KB mails two by two under batch_bytes = 10000, a head of 5000 with the fifth" \
	test "$(batches)" = "2 2 2 0 "
grep_ok "a mail over message_size: only its first 5000 bytes are read" \
	'^fetched [0-9]+ 5000 of 9[0-9]{3}$' out

t_done
