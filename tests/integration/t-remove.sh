#!/bin/bash
# t-remove.sh: `articles remove SLUG` cleans what the article left beyond
# its three outputs: the generator's data file (GEN/data/comments/KEY.json;
# a link planted there is removed as a link, what it points to never
# touched), its entry in counts.json (rewritten at once, the site feed
# with it), and the data file on the deploy target when it lies in the
# site.  A count marker naming it is left as it is (the page is the
# site's), said in the log.  Another article's files, and those a hostile
# slug would name, stay; closing an article keeps everything.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

M='<!-- mailcomments:count'
E='<!-- /mailcomments:count -->'
G=var/site/blog  # spelled under site.directory (var/site): deployed
mkdir -p "$G" "$T_DIR/bin"
REC=$T_DIR/rec
cat >"$T_DIR/bin/record" <<SH
#!/bin/sh
for a in "\$@"; do printf 'arg[%s]\n' "\$a"; done >>"$REC"
SH
chmod 755 "$T_DIR/bin/record"

site "render = { generator = \"hugo\"; generator_directory = \"$G\"; };
deploy = { targets = [ \"command\" ]; backoff = 0; retries = 0; };
deploy_command = { argv = [ \"$T_DIR/bin/record\" ]; };"
cat >var/site/index.html <<HTML
<!doctype html><html lang="en"><head><title>Home</title></head><body>
<p id="a">$M 2024/panne-mondiale -->$E</p>
<p id="b">$M notes/hello -->$E</p>
</body></html>
HTML

comment "Alice <alice@example.net>" comments+2024/panne-mondiale@example.org "One."
comment "Bob <bob@example.net>" comments+notes/hello@example.org "Two."
poll
expect_rc 0 "approve on the first article" mc approve 1
expect_rc 0 "approve on the other" mc approve 2

D=$G/data/comments
C=var/site/comments/counts.json
check "the data file is there" test -s "$D/2024_panne-mondiale.json"
check "the other article's too" test -s "$D/notes_hello.json"
grep_ok "the site feed has its comment" "panne-mondiale" var/site/comments/all_comments.atom
check "counts.json has both" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["articles"]
assert set(d) == {"2024/panne-mondiale", "notes/hello"}, d' "$C"
grep_ok "the marker has the count" "<p id=\"a\">$M 2024/panne-mondiale -->1 comment$E" var/site/index.html
cp "$D/notes_hello.json" other.orig

# --- closing keeps everything
expect_rc 0 "close the first article" mc articles close 2024/panne-mondiale
check "closing keeps the data file" test -s "$D/2024_panne-mondiale.json"
check "and its counts.json entry" /usr/bin/python3 -c '
import json, sys
assert "2024/panne-mondiale" in json.load(open(sys.argv[1]))["articles"]' "$C"

# --- a hostile slug names no article and removes nothing
for s in "../../data/comments/notes_hello" "notes_hello" "$(printf 'notes/hello\nx')" "a\"b'"; do
	expect_rc 65 "articles remove refuses '$s'" mc articles remove "$s" --force
done
check "the other article's data file is untouched" cmp -s other.orig "$D/notes_hello.json"

# --- removing the first article
rm -f "$REC"
expect_rc 0 "articles remove --force" mc articles remove 2024/panne-mondiale --force
mv err remove.err
grep_ok "it counts the data file" "^removed 4 output files" out
check "the data file is gone" test ! -e "$D/2024_panne-mondiale.json"
check "counts.json has no entry for it, the other's stays" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["articles"]
assert set(d) == {"notes/hello"}, d' "$C"
grep_not "the site feed has no comment of it" "panne-mondiale" var/site/comments/all_comments.atom
grep_ok "and still the other's" "notes/hello" var/site/comments/all_comments.atom
grep_ok "the deploy target is told the data file went" "^arg\[$T_DIR/$D/2024_panne-mondiale\.json\]" "$REC"
grep_ok "and gets the new counts.json" "^arg\[$T_DIR/$C\]" "$REC"
grep_ok "its count marker is left as it is" "<p id=\"a\">$M 2024/panne-mondiale -->1 comment$E" var/site/index.html
grep_ok "the other marker too" "<p id=\"b\">$M notes/hello -->1 comment$E" var/site/index.html
grep_ok "the log says the marker names no article" 'no article "2024/panne-mondiale"' remove.err
check "the other article's data file is untouched" cmp -s other.orig "$D/notes_hello.json"
check "its fragment too" test -s var/site/comments/notes/hello.html

# --- a link planted where the data file is: removed as a link
echo keep >"$T_DIR/outside.json"
rm -f "$D/notes_hello.json"
ln -s "$T_DIR/outside.json" "$D/notes_hello.json"
expect_rc 0 "articles remove with a link at the data file" mc articles remove notes/hello --force
check "the link is gone" test ! -L "$D/notes_hello.json" -a ! -e "$D/notes_hello.json"
check "what it pointed to is intact" grep -qx keep "$T_DIR/outside.json"

# --- a generator outside the site: removed locally, not deployed
G2=$T_DIR/gen2
mkdir -p "$G2/data/comments"
sed -i "s|generator_directory = \"[^\"]*\"|generator_directory = \"$G2\"|" mc.conf
sql "INSERT INTO articles (slug, title, created_at) VALUES ('notes/other', 'x', 1)"
echo '{}' >"$G2/data/comments/notes_other.json"
rm -f "$REC"
expect_rc 0 "articles remove with the generator outside the site" mc articles remove notes/other
check "its data file is gone" test ! -e "$G2/data/comments/notes_other.json"
grep_ok "the log says it is not deployed" "gen2/data/comments/notes_other\.json is neither in site\.directory" err
grep_not "and the target is not told" "notes_other" "$REC"

# --- Jekyll: _data/comments/KEY.json
sed -i 's|generator = "hugo"|generator = "jekyll"|' mc.conf
mkdir -p "$G2/_data/comments"
sql "INSERT INTO articles (slug, title, created_at) VALUES ('notes/j', 'x', 1)"
echo '{}' >"$G2/_data/comments/notes_j.json"
echo '{}' >"$G2/data/comments/notes_j.json"
expect_rc 0 "articles remove with jekyll" mc articles remove notes/j
check "jekyll's data file is gone" test ! -e "$G2/_data/comments/notes_j.json"
check "a file in hugo's place is not jekyll's to remove" test -e "$G2/data/comments/notes_j.json"

t_done
