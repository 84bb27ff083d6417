#!/bin/bash
# t-import-comments.sh: `mailcomments import-comments FORMAT FILE` with
# the hand-written fixtures of tests/import/ (Disqus, WordPress, Isso)
# into a small site: threads matched to articles under any spelling of
# their URL, dates, threads (a reply before its parent, a parent never
# exported, replies deeper than render.max_depth), statuses (spam and
# deleted never published), addresses kept and never published, imported
# HTML made inert, accents of a non-UTF-8 file; --dry-run writes nothing;
# a run is all or nothing, audited once, and a second run (or a newer
# export) adds only what is new.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
FIX=$T_ROOT/tests/import
OUT=$T_DIR/var/site/comments
site
mc articles list >/dev/null # the pages' articles recorded: what a dry run matches against
count() { sql "SELECT count(*) FROM comments"; }
# id of the comment imported from FORMAT's SOURCE_ID
cid() { sql "SELECT comment_id FROM import_map WHERE format = '$1' AND source_id = '$2'"; }
# field of a published comment in an article's JSON: jget SLUG ID FIELD
jget() {
	/usr/bin/python3 - "$OUT/$1.json" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["comments"]:
    if str(c["id"]) == sys.argv[2]:
        v = c.get(sys.argv[3])
        print("null" if v is None else v)
        break
else:
    print("absent")
PY
}

# --- Disqus, dry run: a report, and the database file untouched ---
before_sum=$(sha256sum "$DB" | cut -d' ' -f1)
before_time=$(stat -c %Y.%s "$DB")
sleep 1.1 # a write would show in the mtime's seconds
expect_rc 0 "a dry run exits 0" mc import-comments disqus "$FIX/disqus.xml" --dry-run
grep_ok "it says it wrote nothing" 'dry run: nothing written' out
grep_ok "articles matched, one spelling per page" '^articles +2 matched, 2 unmatched' out
grep_ok "the unknown thread is listed" 'unmatched https://blog.example.org/2019/old-post/' out
grep_ok "comments per status" '^comments +10 to add, 8 approved, 0 pending, 1 spam, 1 deleted' out
grep_ok "authors" '^authors +7$' out
grep_ok "oldest" '^oldest +2024-07-20T10:00:00Z' out
grep_ok "newest (+02:00 made UTC)" '^newest +2024-07-22T06:30:00Z' out
check "the database file's bytes are unchanged" test "$(sha256sum "$DB" | cut -d' ' -f1)" = "$before_sum"
check "and its mtime" test "$(stat -c %Y.%s "$DB")" = "$before_time"
check "no comment stored" test "$(count)" = 0
check "no article created" test "$(sql 'SELECT count(*) FROM articles')" = 2

# --- a broken file: all or nothing ---
head -c 5000 "$FIX/disqus.xml" >broken.xml
expect_rc 65 "a truncated export fails" mc import-comments disqus "$T_DIR/broken.xml" --create-articles
grep_ok "saying where and that nothing was imported" 'broken\.xml: not well-formed XML near line [0-9]+.*nothing imported' err
check "nothing of its first posts was kept" test "$(count)" = 0
check "nor an article" test "$(sql 'SELECT count(*) FROM articles')" = 2
check "nor an audit row" test "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" = 0

# --- Disqus, for real ---
expect_rc 0 "the import exits 0" mc import-comments disqus "$FIX/disqus.xml" --create-articles
grep_ok "one article created" '^articles +2 matched, 1 unmatched, 1 created' out
grep_ok "the hostile link is not an article" 'unmatched https://blog.example.org/\.\./\.\./etc/passwd' out
grep_ok "added per status" '^comments +11 added, 9 approved, 0 pending, 1 spam, 1 deleted' out
check "the created article has the old page's path" test "$(sql "SELECT url FROM articles WHERE slug = '2019/old-post'")" = https://blog.example.org/2019/old-post/
check "nothing outside the site" test "$(sql "SELECT count(*) FROM articles WHERE slug LIKE '%etc%'")" = 0
check "one audit row" test "$(sql "SELECT count(*) FROM audit WHERE action = 'import' AND actor = 'operator'")" = 1
grep_ok "with the counts" '11 added \(9 approved, 0 pending, 1 spam, 1 deleted, 0 rejected\).* from disqus\.xml' <(sql "SELECT detail FROM audit WHERE action = 'import'")
A=2024/panne-mondiale
check "dates kept" test "$(jget $A "$(cid disqus 1001)" created)" = 2024-07-20T10:00:00Z
check "a reply on the http URL is under its parent" test "$(jget $A "$(cid disqus 1002)" parent)" = "$(cid disqus 1001)"
check "a reply before its parent in the file is linked" test "$(jget $A "$(cid disqus 1004)" parent)" = "$(cid disqus 1003)"
check "a parent never exported: top level" test "$(jget $A "$(cid disqus 1007)" parent)" = null
check "replies deeper than max_depth are shown" test "$(jget $A "$(cid disqus 1006)" parent)" = "$(cid disqus 1005)"
grep_ok "flat, saying whom they answer" "id=\"comment-$(cid disqus 1006)\"" "$OUT/$A.html"
grep_ok "(in reply to)" 'mc-in-reply-to' "$OUT/$A.html"
check "spam is not published" test "$(jget $A "$(cid disqus 1008)" id)" = absent
check "deleted is not published" test "$(jget $A "$(cid disqus 1009)" id)" = absent
check "both are kept with their status" test "$(status_of "$(cid disqus 1008)") $(status_of "$(cid disqus 1009)")" = "spam deleted"
grep_not "no script survives" '<script|alert|onclick|steal' "$OUT/$A.html"
grep_not "nor in the JSON" 'script|onclick|steal' "$OUT/$A.json"
grep_ok "the link is kept, with rel" 'href="https://example.net/a" rel="nofollow ugc noopener"' "$OUT/$A.html"
grep_ok "the section is in the page" 'First! See this page' "$T_DIR/var/site/$A/index.html"
grep_not "no address published" '@example\.net|@example\.com' "$OUT/$A.html"
grep_not "nor in the JSON" 'alice@|bob@' "$OUT/$A.json"
check "addresses are stored, keyed like ours" test "$(sql "SELECT author_address || ' ' || author_key FROM comments WHERE id = $(cid disqus 1001)")" = "alice@example.net alice@example.net"
check "the www/index.html thread found its page" test "$(jget notes/hello "$(cid disqus 1010)" author)" = Guest
check "an anonymous author has no address and no key" test "$(sql "SELECT quote(author_address) || quote(author_key) FROM comments WHERE id = $(cid disqus 1010)")" = "''NULL"
check "the created article is rendered" test -s "$OUT/2019/old-post.json"

# --- again: nothing changes ---
n=$(count)
dump1=$(sql "SELECT * FROM comments ORDER BY id")
mtime=$(stat -c %Y "$OUT/$A.json")
expect_rc 0 "importing the same file again" mc import-comments disqus "$FIX/disqus.xml" --create-articles
grep_ok "adds nothing" '^comments +0 added' out
grep_ok "says they are there" 'skipped +11 already imported' out
check "the comments are the same" test "$(sql "SELECT * FROM comments ORDER BY id")" = "$dump1"
check "no second audit row" test "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" = 1
check "the outputs are not rewritten" test "$(stat -c %Y "$OUT/$A.json")" = "$mtime"

# --- a newer export: only what is new ---
expect_rc 0 "a newer export" mc import-comments disqus "$FIX/disqus-newer.xml"
grep_ok "adds the two new comments" '^comments +2 added' out
check "a post whose thread is not in the file is not on a page its id names" test -z "$(cid disqus 1015)"
grep_ok "it is listed" 'unmatched \(Disqus thread notes/hello, not in the file\)' out
check "two more rows" test "$(count)" = $((n + 2))
check "an edit on Disqus does not change ours" test "$(sql "SELECT body FROM comments WHERE id = $(cid disqus 1001)" | head -1)" = "First! See this page (https://example.net/a)."
check "a new reply joins its old parent" test "$(jget $A "$(cid disqus 1012)" parent)" = "$(cid disqus 1001)"

# --- the old site lived elsewhere: --site-url ---
cat >moved.xml <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="900"><link>http://old.example.com/blog/2024/panne-mondiale/index.html</link></thread>
  <post dsq:id="9001"><message>From the old address.</message>
    <createdAt>2023-01-01T00:00:00Z</createdAt>
    <author><email>zoe@example.net</email><name>Zoe</name></author>
    <thread dsq:id="900"/></post>
</disqus>
XML
expect_rc 0 "the old address without --site-url" mc import-comments disqus "$T_DIR/moved.xml" --dry-run
grep_ok "matches nothing" 'unmatched http://old.example.com/blog/2024/panne-mondiale/index.html' out
expect_rc 0 "with --site-url" mc import-comments disqus "$T_DIR/moved.xml" --site-url https://old.example.com/blog
grep_ok "finds the article under its new address" '^articles +1 matched, 0 unmatched' out
check "Zoe's comment is on it" test "$(jget $A "$(cid disqus 9001)" author)" = Zoe

# --- an export that names a file of this machine (XXE): never read ---
cat >xxe.xml <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE disqus [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><link>https://blog.example.org/notes/hello.html</link></thread>
  <post dsq:id="xxe-1"><message>before &e; after</message>
    <createdAt>2024-01-01T00:00:00Z</createdAt>
    <author><name>X</name></author><thread dsq:id="1"/></post>
</disqus>
XML
expect_rc 0 "an export with an external entity" mc import-comments disqus "$T_DIR/xxe.xml"
check "the entity is not read" test "$(sql "SELECT body FROM comments WHERE id = $(cid disqus xxe-1)")" = "before after"

# --- WordPress (ISO-8859-1) ---
expect_rc 0 "a WordPress export" mc import-comments wordpress "$FIX/wordpress.xml"
grep_ok "counts" '^comments +10 added, 7 approved, 1 pending, 1 spam, 1 deleted' out
grep_ok "the post that is gone is listed" 'unmatched https://blog.example.org/\?p=99' out
check "accents from ISO-8859-1" test "$(jget $A "$(cid wordpress 7)" author)" = "Amélie"
check "lines and paragraphs of WordPress text" test "$(jget $A "$(cid wordpress 7)" text | head -2 | tail -1)" = "Une deuxième ligne."
grep_not "no javascript: link, no handler, no script" 'javascript:|onerror|evil\.example|alert' "$OUT/$A.html"
check "replies by comment_parent" test "$(jget $A "$(cid wordpress 11)" parent)" = "$(cid wordpress 10)"
check "held: pending" test "$(status_of "$(cid wordpress 12)")" = pending
check "trash: deleted" test "$(status_of "$(cid wordpress 14)")" = deleted
check "pingbacks and trackbacks left out" test -z "$(cid wordpress 15)$(cid wordpress 16)"
check "the old permalink is the same article" test "$(jget $A "$(cid wordpress 18)" author)" = Gaston
expect_rc 0 "with --pingbacks" mc import-comments wordpress "$FIX/wordpress.xml" --pingbacks
grep_ok "they come" '^comments +2 added' out

# --- Isso ---
sqlite3 isso.db <"$FIX/isso.sql"
isso_sum=$(sha256sum isso.db)
expect_rc 0 "an Isso database" mc import-comments isso "$T_DIR/isso.db"
grep_ok "counts" '^comments +11 added, 9 approved, 1 pending, 0 spam, 1 deleted' out
grep_ok "the URI with an escape is listed" 'unmatched /evil\?\[2J/' out
check "without its escape" test -z "$(grep -F "$(printf '\033')" out)"
check "Isso's database is not written" test "$(sha256sum isso.db)" = "$isso_sum"
check "threads by URI, with or without slash" test "$(jget $A "$(cid isso 2)" parent)" = "$(cid isso 1)"
check "a gone parent: top level" test "$(jget $A "$(cid isso 6)" parent)" = null
check "Isso's Markdown is ours" test "$(jget $A "$(cid isso 1)" html | head -1)" = '<p>Isso <em>first</em>, with <a href="https://example.net/x" rel="nofollow ugc noopener">a link</a>.</p>'
grep_not "raw HTML is text" '<script|<b onmouseover' "$OUT/$A.html"
check "a loop of parents: the older at the top" test "$(sql "SELECT quote(parent_id) FROM comments WHERE id = $(cid isso 12)")" = NULL
check "the newer under it" test "$(jget $A "$(cid isso 13)" parent)" = "$(cid isso 12)"
check "mode 2: pending" test "$(status_of "$(cid isso 7)")" = pending
check "mode 4: deleted" test "$(status_of "$(cid isso 8)")" = deleted
check "fractional seconds" test "$(jget $A "$(cid isso 1)" created)" = 2024-07-20T10:00:00Z

# --- Remark42 (gzip, JSON lines) ---
expect_rc 0 "a Remark42 backup" mc import-comments remark42 "$FIX/remark42.gz"
grep_ok "counts" '^comments +7 added, 6 approved, 0 pending, 0 spam, 1 deleted' out
grep_ok "the page that is gone is listed" 'unmatched https://blog.example.org/2017/gone/' out
check "nanoseconds in the date" test "$(jget $A "$(cid remark42 c-1)" created)" = 2024-07-20T10:00:00Z
check "a reply before its parent" test "$(jget $A "$(cid remark42 c-4)" parent)" = "$(cid remark42 c-3)"
check "a missing parent: top level" test "$(jget $A "$(cid remark42 c-6)" parent)" = null
check "delete: deleted" test "$(status_of "$(cid remark42 c-7)")" = deleted
check "no address in a backup" test "$(sql "SELECT quote(author_key) FROM comments WHERE id = $(cid remark42 c-1)")" = NULL
grep_not "Remark42's HTML is inert" '<script|onclick=|onerror=' "$OUT/$A.html"
gzip -dc "$FIX/remark42.gz" | head -c 700 | gzip >cut.gz
n=$(count)
expect_rc 65 "a backup cut in the middle of a line" mc import-comments remark42 "$T_DIR/cut.gz"
check "changes nothing" test "$(count)" = "$n"
printf '\037\213garbage' >bad.gz
expect_rc 65 "a broken gzip" mc import-comments remark42 "$T_DIR/bad.gz"

# --- Commento (one JSON document) ---
expect_rc 0 "a Commento export" mc import-comments commento "$FIX/commento.json"
grep_ok "counts" '^comments +10 added, 7 approved, 1 pending, 1 spam, 1 deleted' out
check "commenters' names" test "$(jget $A "$(cid commento a2)" author)" = Xavier
check "and addresses, kept" test "$(sql "SELECT author_address FROM comments WHERE id = $(cid commento a2)")" = xavier@example.net
check "parentHex" test "$(jget $A "$(cid commento a2)" parent)" = "$(cid commento a1)"
check "root and a gone parent: top level" test "$(jget $A "$(cid commento a9)" parent)" = null
check "unapproved: pending" test "$(status_of "$(cid commento a6)")" = pending
check "flagged: spam" test "$(status_of "$(cid commento a7)")" = spam
check "deleted" test "$(status_of "$(cid commento a8)")" = deleted
grep_not "no javascript: link, no script" 'href="javascript|<script|onerror=' "$OUT/$A.html"
check "HTML alone is made text" test "$(jget notes/hello "$(cid commento b1)" text)" = "Only HTML here"
expect_rc 0 "comentario reads Commento's version 1 too" mc import-comments comentario "$FIX/commento.json" --dry-run

# --- Comentario's own export (version 3, gzip as it downloads it) ---
expect_rc 0 "a Comentario export" mc import-comments comentario "$FIX/comentario.json.gz"
grep_ok "counts" '^comments +7 added, 4 approved, 1 pending, 0 spam, 1 deleted, 1 rejected' out
C1=$(cid comentario c0000000-0000-4000-8000-000000000001)
check "commenters by id: the name" test "$(jget $A "$(cid comentario c0000000-0000-4000-8000-000000000002)" author)" = Zoé
check "and the address, kept" test "$(sql "SELECT author_address FROM comments WHERE id = $(cid comentario c0000000-0000-4000-8000-000000000002)")" = zoe@example.org
check "parentId" test "$(jget $A "$(cid comentario c0000000-0000-4000-8000-000000000002)" parent)" = "$C1"
check "a gone parent: top level" test "$(jget $A "$(cid comentario c0000000-0000-4000-8000-000000000006)" parent)" = null
check "an anonymous comment keeps its authorName" test "$(jget $A "$(cid comentario c0000000-0000-4000-8000-000000000006)" author)" = "Passant anonyme"
check "isPending: pending" test "$(status_of "$(cid comentario c0000000-0000-4000-8000-000000000003)")" = pending
check "neither approved nor pending: rejected" test "$(status_of "$(cid comentario c0000000-0000-4000-8000-000000000004)")" = rejected
check "isDeleted: deleted" test "$(status_of "$(cid comentario c0000000-0000-4000-8000-000000000005)")" = deleted
check "the date, to the second" test "$(jget $A "$C1" created)" = 2024-07-20T10:00:00Z
grep_not "no javascript: link, no script" 'href="javascript|<script|onerror=' "$OUT/$A.html"
check "HTML alone is made text" test "$(jget notes/hello "$(cid comentario c0000000-0000-4000-8000-000000000007)" text)" = "Only HTML here"
expect_rc 0 "the same export again" mc import-comments comentario "$FIX/comentario.json.gz"
grep_ok "adds nothing" '^comments +0 added' out
gzip -dc "$FIX/comentario.json.gz" >comentario.json
expect_rc 0 "the same export, not compressed, dry" mc import-comments comentario comentario.json --dry-run
grep_ok "is read the same (all 7 already imported)" '^skipped +7 already imported' out
sed 's/"version":3/"version":4/' comentario.json >v4.json
n=$(count)
expect_rc 65 "an unknown version is refused" mc import-comments comentario v4.json
grep_ok "saying which" "version 4, not known" err
gzip -dc "$FIX/comentario.json.gz" | head -c 1500 | gzip >cut.json.gz
expect_rc 65 "a document cut short" mc import-comments comentario cut.json.gz
grep_ok "saying so" "not JSON" err
check "changes nothing" test "$(count)" = "$n"
expect_rc 65 "not a Commento export" mc import-comments commento "$FIX/disqus.xml"

# --- forget, then import again: the person does not come back ---
expect_rc 0 "forget a reader" mc forget iris@example.net
expect_rc 0 "the same Isso database again" mc import-comments isso "$T_DIR/isso.db"
grep_ok "adds nothing" '^comments +0 added' out
check "nothing of the forgotten reader" test "$(sql "SELECT count(*) FROM comments WHERE author_address = 'iris@example.net'")" = 0

# --- progress on a terminal, and only there ---
script -qec "$MC import-comments isso $T_DIR/isso.db --dry-run" /dev/null >tty.out </dev/null
grep_ok "a count of the comments read on a terminal" '13 comments read' tty.out
expect_rc 0 "not on a pipe" mc import-comments isso "$T_DIR/isso.db" --dry-run
grep_not "(no count there)" 'comments read' err

# --- usage ---
expect_rc 64 "an unknown format" mc import-comments blogger x.xml
grep_ok "is named" 'unknown format "blogger"' err
expect_rc 64 "no file" mc import-comments disqus
expect_rc 65 "a file that is not there" mc import-comments disqus "$T_DIR/nothing.xml"
expect_rc 65 "not an Isso database" mc import-comments isso "$FIX/disqus.xml"

t_done
