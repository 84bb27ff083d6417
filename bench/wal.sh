#!/bin/bash
# bench/wal.sh: what a poll writes, counted rather than timed.  A timed
# run on a shared disk can differ by 1.8x from the next run of the same
# binary; the pages SQLite writes into its WAL do not, and they are most
# of what a durable poll costs.  BENCH_WAL (default 10000) comment mails
# (bench/corpus.py), then five times as many, each polled from a local
# Maildir into a fresh database under strace; every WAL frame written is
# matched, by its page number, to the table or index that owns that page
# at the end (dbstat).  Prints frames per mail, the tables that take most
# of them, and the growth (frames for 5N / frames for N: 5.00 is linear).
# BENCH_BEFORE=an older mailcomments binary counts the same corpora: the
# ratio now / before, in one run.  BENCH_WAL_BIG=0 skips the 5N corpus;
# BENCH_BATCH sets source.batch_size.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
. "$B_ROOT/bench/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/build/mailcomments}
. "$T_ROOT/tests/servers.sh"
PY=/usr/bin/python3
N=${BENCH_WAL:-10000}
BIG=${BENCH_WAL_BIG:-$((N * 5))}
BEFORE=${BENCH_BEFORE:-}

command -v strace >/dev/null || { echo "bench: wal.sh needs strace" >&2; exit 1; }

mkdir -p site
for i in $(seq 1 20); do
	mkdir -p "site/2024/article-$i"
	printf '<html><head><title>Article %d</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n</body></html>\n' \
		"$i" >"site/2024/article-$i/index.html"
done

# count LABEL COUNT BIN: polls corpus-COUNT into a fresh database under
# strace; prints "FRAMES" on stdout and the table in LABEL.tables.
count() {
	local d="run-$1" rc got
	discard "$d"
	mkdir -p "$d/box/cur" "$d/box/tmp"
	cp -r "corpus-$2/new" "$d/box/"
	local_conf "$d/mc.conf" "$T_DIR/site" "$T_DIR/$d/mc.db" "$T_DIR/$d/box" \
		"$T_DIR/$d/outbox"
	MAILCOMMENTS_CONFIG="$T_DIR/$d/mc.conf" strace -f -qq -y -xx \
		-e trace=pwrite64 -e signal=none -o "$d/trace" \
		"$3" poll --once >/dev/null 2>"$d/err"
	rc=$?
	got=$(sqlite3 "$d/mc.db" "SELECT count(*) FROM processed")
	[ "$rc" = 0 ] && [ "$got" = "$2" ] ||
		{ echo "bench: wal.sh: $3: exit $rc, $got of $2 recorded" >&2; tail -3 "$d/err" >&2; }
	sqlite3 "$d/mc.db" "SELECT pageno, name FROM dbstat" >"$d/pages"
	$PY - "$d/trace" "$d/pages" "$1.tables" <<'PY'
import re, sys, collections
owner = {}
for line in open(sys.argv[2]):
    p, _, name = line.rstrip("\n").partition("|")
    owner[int(p)] = name
# -xx prints the path in hex too: \x2d\x77\x61\x6c is "-wal"
frame = re.compile(r'pwrite64\(\d+<[^>]*\\x2d\\x77\\x61\\x6c>, "((?:\\x[0-9a-f]{2}){24})", 24,')
by = collections.Counter()
n = 0
for line in open(sys.argv[1]):
    m = frame.search(line)
    if not m:
        continue
    page = int(m.group(1)[2:16].replace("\\x", ""), 16)
    by[owner.get(page, "(freed)")] += 1
    n += 1
with open(sys.argv[3], "w") as f:
    for name, k in by.most_common(8):
        f.write("%s %d\n" % (name, k))
print(n)
PY
}

report() {
	local label=$1 count=$2 frames=$3
	awk -v l="$label" -v n="$count" -v f="$frames" 'BEGIN {
		printf "  %-28s %6d mails %9d WAL frames %6.2f a mail\n", l, n, f, f / n }'
	awk '{ printf "      %-34s %9d\n", $1, $2 }' "$label.tables"
}

$PY "$B_ROOT/bench/corpus.py" "corpus-$N" "$N" 1 -
[ "$BIG" -gt 0 ] && $PY "$B_ROOT/bench/corpus.py" "corpus-$BIG" "$BIG" 2 -

echo "bench: WAL frames written by poll --once from a local Maildir (strace; pages owned at the end, dbstat)"
f_small=$(count small "$N" "$MC")
report small "$N" "$f_small"
if [ "$BIG" -gt 0 ]; then
	f_big=$(count big "$BIG" "$MC")
	report big "$BIG" "$f_big"
	awk -v a="$f_small" -v b="$f_big" -v n="$N" -v m="$BIG" 'BEGIN {
		printf "  growth: %.2f times the frames for %.2f times the mail\n", b / a, m / n }'
fi
if [ -n "$BEFORE" ]; then
	f_bs=$(count before-small "$N" "$BEFORE")
	report before-small "$N" "$f_bs"
	awk -v a="$f_small" -v b="$f_bs" 'BEGIN { printf "  now / before, %s: %.2f\n", "small", a / b }'
	if [ "$BIG" -gt 0 ]; then
		f_bb=$(count before-big "$BIG" "$BEFORE")
		report before-big "$BIG" "$f_bb"
		awk -v a="$f_big" -v b="$f_bb" 'BEGIN { printf "  now / before, %s: %.2f\n", "big", a / b }'
	fi
fi
