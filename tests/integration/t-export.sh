#!/bin/bash
# t-export.sh: `mailcomments export` writes the whole database as JSON
# lines (a header, articles, comments, senders, audit), and
# `import-comments mailcomments` reads it back: exported, imported into a
# fresh database beside the same site, the rendered outputs are
# identical, byte for byte.  The file is private and never written
# through a link.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
ART=comments+2024/panne-mondiale@example.org
site
# comments by mail, decided, a reply, a moderator's answer, a spam; and
# comments imported from Disqus (deep threads, an anonymous author)
comment "Reader One <r1@example.net>" "$ART" "First, with a link https://example.net/x and *emphasis*."
comment "Reader Two <r2@example.net>" "$ART" "Second."
comment "Reader Three <r3@example.net>" "comments+notes/hello@example.org" "On the other page."
poll
MAILCOMMENTS_NOW=1722128400 mc approve 1 2 3 >/dev/null # decided an hour later
comment "Reader Two <r2@example.net>" "comments+2024/panne-mondiale.1@example.org" "A reply to the first."
poll
mc approve 4 >/dev/null
mc reject 2 --reason "second thoughts" >/dev/null
mc import-comments disqus "$T_ROOT/tests/import/disqus.xml" --create-articles >/dev/null
mc ban spammer@example.com >/dev/null
mc forget r3@example.net >/dev/null # a gap in the numbers: comment 3
check "comment 3 is gone" test "$(sql 'SELECT count(*) FROM comments WHERE id = 3')" = 0
mc render --all >/dev/null 2>&1
check "the site has published comments" test "$(sql "SELECT count(*) FROM comments WHERE status = 'approved'")" -gt 10

(umask 000; mc export --output "$T_DIR/all.jsonl" >out 2>err)
check "export exits 0" test $? = 0
grep_ok "it counts what it wrote" '^3 articles, 14 comments, 1 senders, [0-9]+ audit rows' err
check "the file is private under umask 000" test "$(stat -c %a all.jsonl)" = 600
check "every line is a JSON object with a type" /usr/bin/python3 -c '
import json, sys
types = [json.loads(l)["type"] for l in open(sys.argv[1])]
assert types[0] == "mailcomments-export", types[0]
assert {"article", "comment", "sender", "audit"} <= set(types), set(types)
' all.jsonl
check "comments keep their addresses (it is a backup)" grep -q '"author_address":"r1@example.net"' all.jsonl
check "the sender's ban is in it" grep -q '"type":"sender","address":"spammer@example.com","banned":1' all.jsonl
mc export >stdout.jsonl 2>/dev/null
check "to stdout, the same lines" cmp -s <(grep -v '"type":"mailcomments-export"' all.jsonl) <(grep -v '"type":"mailcomments-export"' stdout.jsonl)
echo precious >precious.txt
ln -s "$T_DIR/precious.txt" link.jsonl
expect_rc 73 "never through a link" mc export --output "$T_DIR/link.jsonl"
check "the link's target is untouched" test "$(cat precious.txt)" = precious
expect_rc 73 "never over a file" mc export --output "$T_DIR/all.jsonl"
expect_rc 64 "usage" mc export --output

# a fresh gateway: the same pages, an empty database
mkdir -p fresh && cp -r var/site fresh/site && rm -rf fresh/site/comments
for p in fresh/site/2024/panne-mondiale/index.html fresh/site/notes/hello.html; do
	/usr/bin/python3 - "$p" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"(<!-- mailcomments:begin -->).*?(<!-- mailcomments:end -->)", r"\1\2", s, flags=re.S)
open(p, "w").write(s)
PY
done
sed "s|^site = { name = \"Le Blog\"; url = \"https://blog.example.org/\"; };|site = { name = \"Le Blog\"; url = \"https://blog.example.org/\"; directory = \"$T_DIR/fresh/site\"; };\ndatabase = { path = \"$T_DIR/fresh/mc.db\"; };\ntransport = { maildir = \"$T_DIR/fresh/outbox\"; };|" mc.conf >fresh.conf
check "the fresh configuration points elsewhere" grep -q fresh/mc.db fresh.conf
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc import-comments mailcomments "$T_DIR/all.jsonl" --create-articles >out 2>err
check "the import exits 0" test $? = 0
grep_ok "every comment came" "^comments +$(sql 'SELECT count(*) FROM comments') added" out
check "the same comment numbers" test "$(sqlite3 fresh/mc.db 'SELECT group_concat(id) FROM comments')" = "$(sql 'SELECT group_concat(id) FROM comments')"
check "the same statuses" test "$(sqlite3 fresh/mc.db 'SELECT group_concat(status) FROM comments')" = "$(sql 'SELECT group_concat(status) FROM comments')"
diff -r var/site/comments fresh/site/comments >diff.txt
check "identical rendered outputs (HTML, JSON, Atom)" test ! -s diff.txt
head -20 diff.txt | diag
check "identical pages" cmp -s var/site/2024/panne-mondiale/index.html fresh/site/2024/panne-mondiale/index.html
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc import-comments mailcomments "$T_DIR/all.jsonl" >out 2>err
grep_ok "importing it again adds nothing" '^comments +0 added' out
echo '{"type":"comment","id":1}' >notours.jsonl
expect_rc 65 "a file without our header" mc import-comments mailcomments "$T_DIR/notours.jsonl"
grep_ok "is refused" 'not a mailcomments export' err

t_done
