#!/bin/bash
# t-fixtures.sh: `parse --json` on every message of maildir-fixtures/
# (plus the big ones make-large.py generates) against its hand-written
# expectation; the corpus is complete (one expectation per message and the
# other way round, at least 80 messages); parse of /dev/null, random bytes
# and a 50 MB file gives kind "invalid"; a missing or unreadable file is
# EX_NOINPUT with one line on stderr; "parse -" reads stdin.
. "$(dirname "$0")/../lib.sh"

FX="$T_ROOT/maildir-fixtures"
PY=/usr/bin/python3
LARGE="$T_DIR/large"

# compare.py EXPECTED ACTUAL: exit 0 when they agree; otherwise prints the
# differing fields, one "# " diagnostic line each (bodies as a diff).
cat >compare.py <<'EOF'
import difflib, json, sys

FIELDS = ['from_name', 'from_address', 'to', 'subject', 'message_id',
          'in_reply_to', 'references', 'date', 'body', 'kind',
          'is_autoreply', 'is_bounce', 'reasons']

exp = json.load(open(sys.argv[1], encoding='utf-8'))
try:
    with open(sys.argv[2], encoding='utf-8') as f:
        act = json.load(f)
except (ValueError, UnicodeDecodeError) as e:
    print('# output is not JSON: %s' % e)
    sys.exit(1)
if not isinstance(act, dict):
    print('# output is not a JSON object')
    sys.exit(1)
bad = []
extra = sorted(set(act) - set(FIELDS))
if extra:
    bad.append('# unexpected fields: %s' % ', '.join(extra))
for k in FIELDS:
    if k not in act:
        bad.append('# %s: missing' % k)
        continue
    e, a = exp[k], act[k]
    if k == 'reasons':
        if isinstance(a, list) and set(a) == set(e) and len(a) == len(set(a)):
            continue
        if isinstance(a, list):
            miss, more = sorted(set(e) - set(a)), sorted(set(a) - set(e))
            bad.append('# reasons: missing %s, unexpected %s' % (miss, more))
        else:
            bad.append('# reasons: %r' % (a,))
        continue
    if a == e and type(a) == type(e):
        continue
    if k == 'body' and isinstance(a, str):
        bad.append('# body differs (- expected, + parse):')
        for line in difflib.unified_diff(e.split('\n'), a.split('\n'),
                                         lineterm='', n=1):
            if line.startswith(('---', '+++')):
                continue
            bad.append('#   ' + line)
        continue
    bad.append('# %s: expected %s, got %s' % (
        k, json.dumps(e, ensure_ascii=False), json.dumps(a, ensure_ascii=False)))
for line in bad:
    print(line[:300])
sys.exit(1 if bad else 0)
EOF

# The big malformed messages are generated, not committed.
if $PY "$FX/make-large.py" "$LARGE" >large.list 2>large.err; then
	ok "make-large.py generates the big malformed messages"
else
	notok "make-large.py generates the big malformed messages"
	diag <large.err
fi

find "$FX"/*/cur "$FX"/*/new -type f ! -name '.*' | sort >committed.list
find "$LARGE" -type f | sort >generated.list
cat committed.list generated.list >messages.list
n=$(wc -l <committed.list)
check "the committed corpus has at least 80 messages ($n)" test "$n" -ge 80

# Every group is a Maildir with an expected/ folder beside it.
bad=""
for g in "$FX"/*/; do
	for sub in cur new tmp expected; do
		[ -d "$g$sub" ] || bad="$bad ${g#"$FX"/}$sub"
	done
done
check "every group has cur/ new/ tmp/ expected/${bad:+ (missing:$bad)}" test -z "$bad"

# One expectation per message, one message per expectation.
expected_path() { # MESSAGE: its expected/NAME.json in the committed tree
	local f=$1 group
	group=$(basename "$(dirname "$(dirname "$f")")")
	echo "$FX/$group/expected/$(basename "$f").json"
}
missing=""
while read -r f; do
	[ -f "$(expected_path "$f")" ] || missing="$missing ${f#"$FX"/}"
done <messages.list
check "every message has an expectation${missing:+ (none for:$missing)}" test -z "$missing"
orphans=""
for e in "$FX"/*/expected/*.json; do
	name=$(basename "$e" .json)
	group=$(basename "$(dirname "$(dirname "$e")")")
	[ -f "$FX/$group/cur/$name" ] || [ -f "$FX/$group/new/$name" ] ||
		[ -f "$LARGE/$group/new/$name" ] || orphans="$orphans $group/$name"
done
check "every expectation has a message${orphans:+ (no message for:$orphans)}" test -z "$orphans"

# One TAP line per message.
mkdir -p got
while read -r f; do
	rel=${f#"$FX"/}
	rel=${rel#"$LARGE"/}
	exp=$(expected_path "$f")
	out="got/$(echo "$rel" | tr '/' '_').json"
	timeout 60 "$MC" parse --json "$f" >"$out" 2>err
	rc=$?
	if [ "$rc" != 0 ]; then
		notok "$rel (exit $rc)"
		head -5 err | diag
		continue
	fi
	[ -f "$exp" ] || { notok "$rel (no expectation)"; continue; }
	if $PY compare.py "$exp" "$out" >cmp.out 2>&1; then
		ok "$rel"
	else
		notok "$rel"
		head -60 cmp.out
	fi
done <messages.list

# kind_is FILE KIND: FILE holds a JSON object whose "kind" is KIND.
kind_is() {
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d.get("kind") != sys.argv[2])' "$1" "$2" 2>/dev/null
}
# has_reason FILE REASON
has_reason() {
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(sys.argv[2] not in d.get("reasons", []))' "$1" "$2" 2>/dev/null
}

expect_rc 0 "parse /dev/null exits 0" timeout 60 "$MC" parse --json /dev/null
check "parse /dev/null is kind invalid" kind_is out invalid

$PY -c 'import random,sys; sys.stdout.buffer.write(random.Random(3).randbytes(65536))' >random.bin
expect_rc 0 "parse of 64 KiB of random bytes exits 0" timeout 60 "$MC" parse --json random.bin
check "64 KiB of random bytes is kind invalid" kind_is out invalid

# 50 MB: a well-formed message, far over limits.message_size (10 MiB).
$PY - >big.eml <<'EOF'
import sys
w = sys.stdout.write
w('From: Big Sender <big@example.net>\nTo: comments+2024/panne-mondiale@example.org\n'
  'Subject: 50 MB\nDate: Fri, 9 Aug 2024 14:00:00 +0200\nMessage-ID: <big@example.net>\n'
  'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n')
line = 'Ce message fait cinquante megaoctets, bien plus que la limite.' + ' ' * 5 + '\n'
for _ in range(50 * 1024 * 1024 // len(line) + 1):
    w(line)
EOF
size=$(wc -c <big.eml)
check "the generated file is over 50 MB ($size bytes)" test "$size" -gt 52428800
expect_rc 0 "parse of a 50 MB file exits 0" timeout 120 "$MC" parse --json big.eml
check "a 50 MB file is kind invalid" kind_is out invalid
check "a 50 MB file is \"message too large\"" has_reason out "message too large"
rm -f big.eml

# Missing and unreadable input: EX_NOINPUT and one line on stderr.
expect_rc 66 "parse of a missing file exits 66" "$MC" parse --json nope.eml
check "a missing file gives one line on stderr" test "$(wc -l <err)" = 1
grep_ok "the error names the file" "nope\.eml" err
if [ "$(id -u)" = 0 ]; then
	# root reads any mode: a directory is the unreadable input here.
	mkdir unreadable.eml
else
	cp "$(head -1 committed.list)" unreadable.eml
	chmod 000 unreadable.eml
fi
expect_rc 66 "parse of an unreadable file exits 66" "$MC" parse --json unreadable.eml
check "an unreadable file gives one line on stderr" test "$(wc -l <err)" = 1

# "parse -" reads the message from stdin and prints the same JSON.
f=$(grep -m1 '/gmail/' committed.list)
"$MC" parse --json "$f" >from-file.json 2>/dev/null
"$MC" parse --json - <"$f" >out 2>err
rc=$?
check "parse - exits 0 (exit $rc)" test "$rc" = 0
check "parse - prints what parse FILE prints" cmp -s from-file.json out
check "parse - found the sender" grep -q '"claire.lefevre84@gmail.com"' out

t_done
