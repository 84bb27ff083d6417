#!/bin/bash
# t-counts.sh: comment counts for index pages.  OUT/counts.json lists
# every article's count of approved comments and its URL; the count
# markers of the site's pages are filled in each page's language, again
# when counts change and only then; a marker naming no article, or no
# valid slug (a path that climbs, quotes, a newline meant to forge a log
# line), is left as it is and said once; a page that is a symbolic link
# is not written through; render.count_markers = false leaves pages
# alone.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

PAGE_LANG=fr site
M='<!-- mailcomments:count'
E='<!-- /mailcomments:count -->'
LONG=$(printf 'long%.0s' $(seq 100))
cat >var/site/index.html <<HTML
<!doctype html><html lang="fr"><head><title>Accueil</title></head><body>
<p id="a">$M 2024/panne-mondiale -->ancien$E</p>
<p id="b">$M notes/hello -->$E</p>
<p id="c">$M nope -->x$E $M nope -->y$E</p>
<p id="d">$M ../../etc/passwd -->$E</p>
<p id="e">$M a"b' -->$E</p>
<p id="f">$M x
FORGED LOG LINE -->$E</p>
<p id="g">$M 2024/panne-mondiale -->sans fin</p>
<p id="h">$M $LONG -->$E</p>
</body></html>
HTML
mkdir -p var/site/de
printf '<html lang="de"><p>%s 2024/panne-mondiale -->%s</p></html>\n' "$M" "$E" >var/site/de/index.html
# a page with a NUL byte is not text: never rewritten (cut at the NUL)
printf '<p>%s 2024/panne-mondiale -->%s</p>\0<p>after the NUL</p>\n' "$M" "$E" >var/site/binary.html
cp var/site/binary.html binary.orig
mkdir -p outside
printf '<p>%s 2024/panne-mondiale -->%s</p>\n' "$M" "$E" >outside/page.html
cp outside/page.html outside/page.orig
ln -s "$T_DIR/outside/page.html" var/site/linked.html

comment "Alice <alice@example.net>" comments+2024/panne-mondiale@example.org "Un."
comment "Bob <bob@example.net>" comments+2024/panne-mondiale@example.org "Deux."
poll
expect_rc 0 "approve one comment" mc approve 1
sql "INSERT INTO articles (slug, title, created_at) VALUES ('../x\"y', 'x', 1)"
mc render --all >render.log 2>&1

C=var/site/comments/counts.json
check "counts.json is written" test -s "$C"
check "counts.json: the approved count and the URL of each article" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["articles"]
a, b = d["2024/panne-mondiale"], d["notes/hello"]
assert a["count"] == 1 and a["url"] == "https://blog.example.org/2024/panne-mondiale/", a
assert a["count_text"] == "1 commentaire" and a["language"] == "fr", a
assert b["count"] == 0, b
assert len(d) == 2, d  # not the row with a hostile slug
' "$C"
sql "DELETE FROM articles WHERE slug LIKE '../x%'"
grep_ok "a marker is filled in the page's language" "<p id=\"a\">$M 2024/panne-mondiale -->1 commentaire$E</p>" var/site/index.html
grep_ok "an article with none says so" "<p id=\"b\">$M notes/hello -->Aucun commentaire pour l’instant$E</p>" var/site/index.html
grep_ok "a German page in German" "2024/panne-mondiale -->1 Kommentar$E" var/site/de/index.html
grep_ok "an unknown slug is left as it is" "<p id=\"c\">$M nope -->x$E $M nope -->y$E</p>" var/site/index.html
check "and said once" test "$(grep -c 'no article "nope"' render.log)" = 1
grep_ok "a slug that climbs is left as it is" "<p id=\"d\">$M ../../etc/passwd -->$E</p>" var/site/index.html
grep_ok "and said" '"../../etc/passwd" is not a valid slug' render.log
grep_ok "a slug with quotes is left as it is" "<p id=\"e\">$M a\"b' -->$E</p>" var/site/index.html
grep_not "a newline in a marker forges no log line" '^FORGED' render.log
check "a long slug is logged cut short" test "$(grep -c 'longlonglong\.\.\.' render.log)" = 1 -a \
	"$(grep 'longlong' render.log | wc -c)" -lt 200
grep_ok "a begin marker without its end is left as it is" '<p id="g">.*-->sans fin</p>' var/site/index.html
check "a page holding a NUL byte is left whole" cmp -s var/site/binary.html binary.orig
check "a page that is a symbolic link is not written through" cmp -s outside/page.html outside/page.orig

touch -d '2000-01-01 00:00:00' var/site/index.html
m=$(stat -c %Y var/site/index.html)
expect_rc 0 "a render that changes no count" mc render
check "leaves the pages alone" test "$(stat -c %Y var/site/index.html)" = "$m"

expect_rc 0 "approve the second comment" mc approve 2
grep_ok "the marker is filled again when the count changes" "<p id=\"a\">$M 2024/panne-mondiale -->2 commentaires$E</p>" var/site/index.html
grep_ok "in every page" "2024/panne-mondiale -->2 Kommentare$E" var/site/de/index.html

cat >>mc.conf <<'CONF'
render = { count_markers = false; };
CONF
expect_rc 0 "delete with count_markers = false" mc delete 2
grep_ok "pages are left alone" "2024/panne-mondiale -->2 commentaires$E" var/site/index.html
grep_ok "counts.json still follows" '"count": 1' "$C"

t_done
