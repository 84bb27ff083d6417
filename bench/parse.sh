#!/bin/sh
# bench/parse.sh: parse throughput, our msg_parse() (with body extraction)
# against Python's standard email package on the same messages.  The
# maildir-fixtures corpus (the committed messages, none over 1 MB) is
# replicated to BENCH_MESSAGES files (default 10000) in a temp directory;
# both sides read every file into memory first and time parsing only.
# Prints messages/s and MB/s for each and the ratio C/Python.
set -u
cd "$(dirname "$0")/.." || exit 1
MC_BUILD=${MC_BUILD:-build}
DRIVER=$MC_BUILD/bench/bench_parse
PY=/usr/bin/python3
WANT=${BENCH_MESSAGES:-10000}

if [ ! -x "$DRIVER" ]; then
	echo "parse.sh: $DRIVER missing (make bench builds it)" >&2
	exit 1
fi
dir=$(mktemp -d /tmp/mc-bench-parse.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM

find maildir-fixtures/*/cur maildir-fixtures/*/new -type f ! -name '.*' \
	-size -1024k | sort >"$dir/list"
n=$(wc -l <"$dir/list")
if [ "$n" -eq 0 ]; then
	echo "parse.sh: no messages in maildir-fixtures" >&2
	exit 1
fi
mkdir "$dir/mail"
copies=$(( (WANT + n - 1) / n ))
i=0
while [ "$i" -lt "$copies" ]; do
	j=0
	while read -r f; do
		j=$((j + 1))
		# hard links: 10,000 names without 10,000 copies on disk
		ln "$f" "$dir/mail/$i.$j" 2>/dev/null || cp "$f" "$dir/mail/$i.$j"
	done <"$dir/list"
	i=$((i + 1))
done
total=$(ls "$dir/mail" | wc -l)
echo "corpus: $n messages replicated to $total files"

"$DRIVER" "$dir/mail" >"$dir/c.out" || {
	echo "parse.sh: bench_parse failed" >&2
	cat "$dir/c.out" >&2
	exit 1
}

"$PY" - "$dir/mail" >"$dir/py.out" <<'PYEOF'
import os, sys, time
from email import policy
from email.parser import BytesParser

d = sys.argv[1]
mails = []
for name in os.listdir(d):
    with open(os.path.join(d, name), 'rb') as f:
        mails.append(f.read())
parser = BytesParser(policy=policy.default)
failed = 0
t0 = time.perf_counter()
for raw in mails:
    try:
        msg = parser.parsebytes(raw)
        part = msg.get_body(preferencelist=('plain', 'html'))
        if part is not None:
            part.get_content()
    except Exception:
        failed += 1
t = time.perf_counter() - t0
print('Python messages=%d bytes=%d seconds=%.6f failed=%d'
      % (len(mails), sum(map(len, mails)), t, failed))
PYEOF
[ $? -eq 0 ] || { echo "parse.sh: the Python side failed" >&2; exit 1; }

"$PY" - "$dir/c.out" "$dir/py.out" <<'PYEOF'
import sys

def load(path):
    f = open(path).read().split()
    d = dict(x.split('=', 1) for x in f[1:])
    return f[0], d

rows = [load(p) for p in sys.argv[1:]]
rate = {}
for name, d in rows:
    n, b, s = int(d['messages']), int(d['bytes']), float(d['seconds'])
    rate[name] = (n / s, b / s / 1e6)
    extra = ' '.join('%s=%s' % kv for kv in d.items()
                     if kv[0] not in ('messages', 'bytes', 'seconds'))
    print('%-7s %6d messages %7.1f MB in %7.3f s: %9.0f messages/s %7.2f MB/s  (%s)'
          % (name, n, b / 1e6, s, rate[name][0], rate[name][1], extra))
c, p = rate['C'], rate['Python']
print('ratio C/Python: %.1fx (same messages, same bytes)' % (c[0] / p[0]))
PYEOF
