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
# senders' states the import must carry: trust, an unsubscribe
sql "INSERT INTO senders (address, trusted, confirmed, approved_count, created_at, updated_at) VALUES ('r2@example.net', 1, 1, 2, 1722124800, 1722128400), ('gone@example.net', 0, 1, 0, 1722124800, 1722124800)"
sql "UPDATE senders SET unsubscribed = 1 WHERE address = 'gone@example.net'"
mc forget r3@example.net >/dev/null # a gap in the numbers: comment 3
check "comment 3 is gone" test "$(sql 'SELECT count(*) FROM comments WHERE id = 3')" = 0
mc render --all >/dev/null 2>&1
check "the site has published comments" test "$(sql "SELECT count(*) FROM comments WHERE status = 'approved'")" -gt 10

(umask 000; mc export --output "$T_DIR/all.jsonl" >out 2>err)
check "export exits 0" test $? = 0
grep_ok "it counts what it wrote" '^3 articles, 14 comments, 3 senders, [0-9]+ audit rows' err
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
SENDERS="SELECT address, banned, trusted, confirmed, unsubscribed, approved_count, created_at, updated_at FROM senders ORDER BY address"
HISTORY="SELECT c.id, a.at, a.actor, a.action, a.detail, a.undone FROM audit a JOIN comments c ON c.id = a.comment_id ORDER BY a.id"
mkdir -p fresh && cp -r var/site fresh/site && rm -rf fresh/site/comments
mkdir -p dry merge && cp -r fresh/site dry/site && cp -r fresh/site merge/site
for p in {fresh,dry,merge}/site/2024/panne-mondiale/index.html {fresh,dry,merge}/site/notes/hello.html; do
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
sed "s|/fresh/|/dry/|g" fresh.conf >dry.conf
sed "s|/fresh/|/merge/|g" fresh.conf >merge.conf

# a dry run says what it would apply and writes nothing
MAILCOMMENTS_CONFIG=$T_DIR/dry.conf mc list >/dev/null 2>&1
sqlite3 dry/mc.db .dump >dry-before.sql
MAILCOMMENTS_CONFIG=$T_DIR/dry.conf mc import-comments mailcomments "$T_DIR/all.jsonl" --create-articles --dry-run >out 2>err
check "the dry run exits 0" test $? = 0
grep_ok "the dry run counts the senders" '^senders +3 to apply \(3 new, 0 changed\), 0 unchanged' out
grep_ok "and the audit rows of the comments imported" "^audit +$(sql 'SELECT count(*) FROM audit WHERE comment_id IS NULL OR comment_id IN (SELECT id FROM comments)') to add, 0 already imported, $(sql 'SELECT count(*) FROM audit WHERE comment_id NOT IN (SELECT id FROM comments)') about comments not imported" out
sqlite3 dry/mc.db .dump >dry-after.sql
check "the dry run wrote nothing" cmp -s dry-before.sql dry-after.sql
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc import-comments mailcomments "$T_DIR/all.jsonl" --create-articles >out 2>err
check "the import exits 0" test $? = 0
grep_ok "every comment came" "^comments +$(sql 'SELECT count(*) FROM comments') added" out
check "the same comment numbers" test "$(sqlite3 fresh/mc.db 'SELECT group_concat(id) FROM comments')" = "$(sql 'SELECT group_concat(id) FROM comments')"
check "the same statuses" test "$(sqlite3 fresh/mc.db 'SELECT group_concat(status) FROM comments')" = "$(sql 'SELECT group_concat(status) FROM comments')"
diff -r var/site/comments fresh/site/comments >diff.txt
check "identical rendered outputs (HTML, JSON, Atom)" test ! -s diff.txt
head -20 diff.txt | diag
check "identical pages" cmp -s var/site/2024/panne-mondiale/index.html fresh/site/2024/panne-mondiale/index.html
mc list --json >list-old.json 2>/dev/null
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc list --json >list-new.json 2>/dev/null
check "identical list --json" cmp -s list-old.json list-new.json
check "list --json is not empty" test "$(wc -c <list-old.json)" -gt 100
same_shows=0
for id in $(sql 'SELECT id FROM comments'); do
	# the mail's headers are not exported (private, README): the rest is
	mc show "$id" 2>&1 | sed '/^Mail headers:$/,/^$/d' >show-old.txt
	MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc show "$id" 2>&1 | sed '/^Mail headers:$/,/^$/d' >show-new.txt
	if cmp -s show-old.txt show-new.txt; then
		same_shows=$((same_shows + 1))
	else
		diff show-old.txt show-new.txt | head -10 | diag
	fi
done
check "identical show N, history included, for every comment" test "$same_shows" = "$(sql 'SELECT count(*) FROM comments')"
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc show 1 >show1.txt 2>&1
grep_ok "show 1 has its history after the round trip" '^  2024-07-28T01:00:00Z  approve +by operator' show1.txt
check "identical comment history (audit)" test "$(sqlite3 fresh/mc.db "$HISTORY")" = "$(sql "$HISTORY")"
check "identical senders' states" test "$(sqlite3 fresh/mc.db "$SENDERS")" = "$(sql "$SENDERS")"
check "the run is audited with what it applied" sh -c "sqlite3 fresh/mc.db \"SELECT detail FROM audit WHERE action = 'import' AND actor = 'operator' ORDER BY id DESC LIMIT 1\" | grep -q '14 comments added, 0 already there, 1 articles created, 3 senders. states applied, [1-9][0-9]* audit rows added'"
check "imported decisions cannot be undone here (no previous status)" \
	test "$(sqlite3 fresh/mc.db 'SELECT count(*) FROM audit WHERE comment_id IS NOT NULL AND prev_status IS NOT NULL')" = 0
check "the ban is there" test "$(sqlite3 fresh/mc.db "SELECT banned FROM senders WHERE address = 'spammer@example.com'")" = 1
# the ban, through a real poll of the fresh gateway
comment "Spammer <spammer@example.com>" "$ART" "Buy now." --message-id '<spam-after@example.com>'
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc poll >>poll.log 2>&1
check "the banned sender's new mail is set aside after the round trip" test \
	"$(sqlite3 fresh/mc.db "SELECT outcome FROM processed WHERE key = '<spam-after@example.com>'")" = "set aside: banned sender"
check "and is not a comment" test "$(sqlite3 fresh/mc.db "SELECT count(*) FROM comments WHERE message_id = '<spam-after@example.com>'")" = 0
sqlite3 fresh/mc.db .dump >again-before.sql
MAILCOMMENTS_CONFIG=$T_DIR/fresh.conf mc import-comments mailcomments "$T_DIR/all.jsonl" >out 2>err
grep_ok "importing it again adds nothing" '^comments +0 added' out
grep_ok "no sender changes" '^senders +0 applied \(0 new, 0 changed\), 3 unchanged' out
grep_ok "no audit row twice" '^audit +0 added, [1-9][0-9]* already imported' out
sqlite3 fresh/mc.db .dump >again-after.sql
check "the second import changes nothing at all" cmp -s again-before.sql again-after.sql
diff again-before.sql again-after.sql | head -10 | diag

# merged into a database that has its own states: a ban or an
# unsubscribe here is never lifted, trust is only added
MAILCOMMENTS_CONFIG=$T_DIR/merge.conf mc list >/dev/null 2>&1
sqlite3 merge/mc.db "INSERT INTO senders (address, banned, unsubscribed, approved_count, created_at, updated_at) VALUES ('r2@example.net', 1, 1, 5, 1722000000, 1722000000), ('r1@example.net', 1, 0, 0, 1722000000, 1722000000)"
MAILCOMMENTS_CONFIG=$T_DIR/merge.conf mc import-comments mailcomments "$T_DIR/all.jsonl" --create-articles >out 2>err
grep_ok "the merge counts" '^senders +3 applied \(2 new, 1 changed\), 0 unchanged' out
check "a ban here stays, trust and confirmation are added, the larger count kept" \
	test "$(sqlite3 merge/mc.db "SELECT banned, trusted, confirmed, unsubscribed, approved_count, created_at FROM senders WHERE address = 'r2@example.net'")" = "1|1|1|1|5|1722000000"
check "an export without the ban does not lift it" \
	test "$(sqlite3 merge/mc.db "SELECT banned FROM senders WHERE address = 'r1@example.net'")" = 1
check "an unsubscribe in the file is applied" \
	test "$(sqlite3 merge/mc.db "SELECT unsubscribed FROM senders WHERE address = 'gone@example.net'")" = 1
echo '{"type":"comment","id":1}' >notours.jsonl
expect_rc 65 "a file without our header" mc import-comments mailcomments "$T_DIR/notours.jsonl"
grep_ok "is refused" 'not a mailcomments export' err

t_done
