#!/bin/bash
# t-crash-render.sh: rendering writes its outputs in batches (fsroot.h):
# every file written to a temp file, all made durable (an fsync each for
# a few, one syncfs for many), then renamed, then each directory fsynced
# once.  Checked here with faultfs (tests/faults/faultfs.c):
#   - a failed syncfs, or a failed fsync of a temp file, replaces no
#     output, leaves no temp file, and the articles stay dirty;
#   - a failed directory fsync fails the render and the article stays
#     dirty (its files may be new: they are whole);
#   - kill -9 at chosen points (the syncfs, a rename, the directory's
#     fsync) and at random moments of `render --all`: every output is
#     then either the old file or the new one, never a mix or a part;
#   - the order, from a trace of the calls: no rename of an output before
#     the sync that covers it, and the directory fsynced after its last
#     rename; and the batching: far fewer syncs than files.
. "$(dirname "$0")/../lib.sh"

N=${CRASH_RENDER_ARTICLES:-200}
PAGES=20
KILLS=${CRASH_KILLS:-8}
FAULTFS="$T_ROOT/${MC_BUILD:-build}/tests/faultfs.so"
export ASAN_OPTIONS="${ASAN_OPTIONS}:verify_asan_link_order=0"
export MAILCOMMENTS_NOW=1722124800

conf() { # conf NAME DIR
	cat >"$1" <<CONF
site = { directory = "$T_DIR/$2/site"; url = "https://blog.example.org/"; language = "fr"; };
database = { path = "$T_DIR/$2/mc.db"; };
CONF
}
mkdir -p var/site
conf mc.conf var
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
sql() { sqlite3 "$T_DIR/var/mc.db" "$@"; }
mc render --all >/dev/null 2>&1
# N articles with 3 comments each; the first PAGES have a page of their
# own (its own directory), into which the section is injected.
i=1
while [ "$i" -le "$PAGES" ]; do
	mkdir -p "var/site/p$i"
	printf '<html><body>\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n</body></html>\n' \
		>"var/site/p$i/index.html"
	i=$((i + 1))
done
sql <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO articles (id, slug, title, page, created_at, dirty)
  SELECT i, 'a' || i, 'Article ' || i,
    CASE WHEN i <= $PAGES THEN 'p' || i || '/index.html' ELSE '' END,
    1722124800, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N * 3 - 1)
INSERT INTO comments (id, article_id, author_name, author_address, body,
  status, created_at, updated_at)
  SELECT i + 1, 1 + i / 3, 'Lectrice ' || i, 'l' || i || '@example.net',
    'Merci pour cet *article*, numéro ' || i || '.', 'approved',
    1722124800 + i * 60, 1722124800 + i * 60 FROM n;
SQL
expect_rc 0 "the first render of $N articles" mc render --all
cp -a var/site old
# The new state: a comment more on every article.  Its outputs, rendered
# in a copy, are what every output must become.
sql <<SQL
INSERT INTO comments (article_id, author_name, author_address, body,
  status, created_at, updated_at)
  SELECT id, 'Nouvelle', 'n@example.net', 'Un nouveau commentaire.',
    'approved', 1722124800 + 900000, 1722124800 + 900000 FROM articles;
UPDATE articles SET dirty = 1;
SQL
cp -a var new-run
conf new.conf new-run
expect_rc 0 "the new outputs, rendered in a copy" mc -c new.conf render --all
mv new-run/site new
nfiles=$(cd old && find . -type f | wc -l)

# old_or_new: every output (temp files aside) is whole, old or new;
# prints how many are old and how many new (of those that differ), or
# the first bad file and fails.
old_or_new() {
	/usr/bin/python3 - "$T_DIR" <<'PY'
import os, sys
t = sys.argv[1]
def tree(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            if f.startswith(".mc-") and f.endswith(".tmp"):
                continue
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = open(p, "rb").read()
    return out
cur, old, new = (tree(os.path.join(t, d)) for d in ("var/site", "old", "new"))
nold = nnew = 0
for name in sorted(set(cur) | set(old)):
    c = cur.get(name)
    if c is not None and c == old.get(name) == new.get(name):
        continue  # the same in both: not counted
    if c is not None and c == new.get(name):
        nnew += 1
    elif c is not None and c == old.get(name):
        nold += 1
    else:
        print("bad", name, "absent" if c is None else "%d bytes" % len(c))
        sys.exit(1)
print(nold, nnew)
PY
}
ndiff=$(old_or_new | cut -d' ' -f1)
check "$ndiff of the $nfiles files change" test "$ndiff" -gt $((N * 3))
temps() { find var/site -name '.mc-*.tmp' | wc -l; }
dirty() { sql "SELECT count(*) FROM articles WHERE dirty"; }
faulty() { LD_PRELOAD="$FAULTFS" "$@"; }

# ---- a failed syncfs: nothing replaced, nothing left, all still dirty ----
MC_FAULT="syncfs:var/site" expect_rc 74 "render --all fails when syncfs fails" \
	faulty "$MC" render --all
grep_ok "saying which" 'var/site/comments: syncfs: Input/output error' err
check "every output is the old one ($(old_or_new))" \
	test "$(old_or_new)" = "$ndiff 0"
check "no temp file left ($(temps))" test "$(temps)" = 0
check "every article is still dirty ($(dirty))" test "$(dirty)" = "$N"

# ---- a few files: an fsync each; one failing replaces none ----
MC_FAULT="fsync:/.mc-" expect_rc 74 "render a7 fails when a file's fsync fails" \
	faulty "$MC" render a7
grep_ok "saying which" 'a7\.(html|json|atom): Input/output error' err
check "a7's outputs are the old ones" cmp old/comments/a7.json var/site/comments/a7.json
check "its page too" cmp old/p7/index.html var/site/p7/index.html
check "no temp file left ($(temps))" test "$(temps)" = 0
check "a7 is still dirty" test "$(sql "SELECT dirty FROM articles WHERE slug = 'a7'")" = 1

# ---- the directory's fsync fails: the render fails ----
MC_FAULT="fsync:var/site/comments\$" expect_rc 74 \
	"render a8 fails when its directory's fsync fails" faulty "$MC" render a8
grep_ok "saying which" 'var/site/comments: Input/output error' err
check "a8 stays dirty" test "$(sql "SELECT dirty FROM articles WHERE slug = 'a8'")" = 1
check "its files are whole, old or new" old_or_new

# ---- kill -9 at chosen points of render --all ----
for point in "kill-syncfs:var/site" "kill-renameat:comments/a3.json" \
	"kill-renameat:comments/a150.html" "kill-renameat:p12/index.html" \
	"kill-fsync:var/site/comments\$"; do
	cp -a old/. var/site/
	MC_FAULT="$point" faulty "$MC" render --all >/dev/null 2>&1
	rc=$?
	got=$(old_or_new)
	check "killed at $point (exit $rc): every output old or new ($got)" \
		test "$rc" = 137 -a "$(echo "$got" | wc -w)" = 2
done

# ---- kill -9 at random moments ----
kills=0
tries=0
bad=0
while [ "$kills" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 4)) ]; do
	tries=$((tries + 1))
	cp -a old/. var/site/
	sql "UPDATE articles SET dirty = 1"
	"$MC" render --all >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 400)))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	old_or_new >/dev/null || bad=$((bad + 1))
done
check "$kills random kills: every output old or new each time" test "$bad" = 0 -a "$kills" -gt 0

# ---- the order of the calls, and the batching ----
cp -a old/. var/site/
MC_FAULT_TRACE="$T_DIR/trace" faulty "$MC" render --all >/dev/null 2>&1
check "a last render finishes" test $? = 0
check "every output is the new one" test "$(old_or_new)" = "0 $ndiff"
check "every article is clean" test "$(dirty)" = 0
grep "var/site" trace >trace.site
/usr/bin/python3 - trace.site >order.out <<'PY'
import os, sys
synced = False   # a sync since the last directory fsync
pending = {}     # directory -> renames not yet followed by its fsync
bad = []
for line in open(sys.argv[1]):
    call, path = line.rstrip("\n").split(" ", 1)
    if call == "syncfs" or (call == "fsync" and path.endswith(".tmp")):
        synced = True
    elif call == "renameat":
        if not synced:
            bad.append("rename before a sync: " + path)
        pending[os.path.dirname(path)] = path
    elif call == "fsync" and path in pending:
        del pending[path]
        synced = False
bad += ["no fsync of the directory after " + p for p in pending.values()]
print("\n".join(bad) if bad else "ok")
PY
check "no output renamed before it is synced; each directory fsynced after its renames" \
	test "$(cat order.out)" = ok
head -5 order.out | diag
renames=$(grep -c '^renameat ' trace.site)
syncs=$(grep -cE '^(syncfs|fsync) ' trace.site)
check "batched: $syncs syncs for $renames files replaced" \
	test "$renames" -ge "$ndiff" -a "$syncs" -le $((renames / 5))
t_done
