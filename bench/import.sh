#!/bin/bash
# bench/import.sh: `import-comments disqus` on a generated export of
# IMPORT_MB megabytes (200 by default): throughput and peak RSS of a dry
# run (parsing and matching) and of a real import (stored, threads
# linked, every article rendered), against the file's size.  libxml2's
# streaming reader expands one <post> at a time: the peak must stay flat
# as the file grows (compare IMPORT_MB=20).  Never fails on figures,
# only when the import does.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/${MC_BUILD:-build}/mailcomments}
MB=${IMPORT_MB:-200}
status=0

# A Disqus export: 2,000 threads (pages under https://example.org/), then
# posts of ~700 bytes (HTML, a third of them replies) until MB megabytes.
/usr/bin/python3 - "$MB" export.xml <<'PY'
import sys
mb, path = int(sys.argv[1]), sys.argv[2]
threads = 2000
with open(path, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n')
    for t in range(threads):
        f.write(f'<thread dsq:id="{t}"><link>https://example.org/p/{t}/</link>'
                f'<title>Page {t}</title></thread>\n')
    i = 0
    while f.tell() < mb * 1000 * 1000:
        t = i % threads
        parent = f'<parent dsq:id="{i - threads}"/>' if i % 3 == 2 and i >= threads else ""
        day, sec = 1 + (i // 86400) % 28, i % 86400
        f.write(f'<post dsq:id="{i}"><message><![CDATA[<p>Comment {i} on page {t}: '
                'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do '
                'eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>'
                '<p>Second paragraph with <a href="https://example.net/">a link</a> '
                'and <b>bold</b> words.</p>]]></message>'
                f'<createdAt>2024-01-{day:02d}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z</createdAt>'
                '<isDeleted>false</isDeleted><isSpam>false</isSpam>'
                f'<author><email>reader{i % 5000}@example.net</email><name>Reader {i % 5000}</name></author>'
                f'<thread dsq:id="{t}"/>{parent}</post>\n')
        i += 1
    f.write('</disqus>\n')
print(i)
PY
size=$(stat -c %s export.xml)
printf 'site = { url = "https://example.org/"; directory = "%s/site"; };\ndatabase = { path = "%s/mc.db"; };\n' \
	"$T_DIR" "$T_DIR" >mc.conf
mkdir -p site
export MAILCOMMENTS_CONFIG=$T_DIR/mc.conf

# measure NAME CMD...: wall time and peak RSS of CMD (its children's
# ru_maxrss), and the file's megabytes per second
measure() {
	local name=$1
	shift
	/usr/bin/python3 - "$name" "$size" "$@" <<'PY'
import resource, subprocess, sys, time
name, size, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
t = time.monotonic()
rc = subprocess.call(cmd, stdout=open("report-" + name, "w"))
dt = time.monotonic() - t
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{name:10s} {size / 1e6:8.1f} MB  {dt:7.1f} s  {size / 1e6 / dt:6.1f} MB/s"
      f"  peak RSS {kib / 1024:6.1f} MiB  exit {rc}")
sys.exit(rc)
PY
}

echo "# import-comments disqus, a ${MB} MB export"
measure dry-run "$MC" import-comments disqus "$T_DIR/export.xml" --dry-run --create-articles || status=1
measure import "$MC" import-comments disqus "$T_DIR/export.xml" --create-articles || status=1
sed 's/^/  /' report-import
measure again "$MC" import-comments disqus "$T_DIR/export.xml" || status=1
grep -qE '^comments +0 added' report-again || { echo "the second run added comments"; status=1; }
t_finish 2>/dev/null
exit $status
