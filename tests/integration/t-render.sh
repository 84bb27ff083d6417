#!/bin/bash
# t-render.sh: `mailcomments render` on a fixed database (built here with
# SQL): the fragment, the injected page, the JSON and the Atom feeds
# compared with tests/golden/render/; the feeds checked against RFC 4287's
# required elements and for well-formedness, the JSON parsed; then the
# command line (what it prints, exit codes, unknown and malformed slugs,
# a page with bad markers left untouched), and the webhook.
#
# After an intended change of the output, regenerate the golden files with
#   MC_UPDATE_GOLDEN=1 TESTS=t-render make check
# and review the diff (git diff tests/golden) before committing it.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
GOLDEN="$T_ROOT/tests/golden/render"
export MAILCOMMENTS_NOW=1722124800 # 2024-07-28: the database's birth

mkdir -p site/2024/07/velo-en-ville
cat >site/2024/07/velo-en-ville/index.html <<'EOF'
<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Le vélo en ville</title></head>
<body>
<article><h1>Le vélo en ville : bilan d’un été</h1><p>…</p></article>
<!-- mailcomments:begin -->
ce qui était là avant disparaît
<!-- mailcomments:end -->
<footer>pied de page</footer>
</body>
</html>
EOF
cp site/2024/07/velo-en-ville/index.html page.orig

cat >mc.conf <<EOF
site = {
  name = "Le Blog";
  url = "https://blog.example.org/";
  directory = "$T_DIR/site";
  language = "fr";
};
address = { mailbox = "commentaires@blog.example.org"; };
render = { time_zone = "Europe/Paris"; };
database = { path = "$T_DIR/mc.db"; };
EOF
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"

expect_rc 0 "render --all on an empty database" mc render --all
grep_ok "reports no article" "^0 articles rendered, 0 changed" out
grep_ok "writes the site feed" "^wrote .*/site/comments/all_comments\.atom" out
grep_ok "writes the stylesheet" "^wrote .*/site/comments/mailcomments\.css" out

sqlite3 mc.db <<'EOF'
INSERT INTO articles (id, slug, title, page, created_at) VALUES
 (1, '2024/07/velo-en-ville', 'Le vélo en ville : bilan d’un été',
  '2024/07/velo-en-ville/index.html', 1722150000),
 (2, 'sans-page', '', '', 1722150000);
INSERT INTO comments (id, article_id, parent_id, author_name, author_address,
  body, status, created_at, updated_at, decided_at, by_moderator) VALUES
 (1, 1, NULL, 'Camille Martin', 'camille.martin@example.net',
  'Merci pour ce **bilan** ! Les chiffres de la [mairie](https://www.example.fr/mobilite?annee=2024&mode=velo) vont dans le même sens.

Une question : avez-vous mesuré le temps de trajet ?',
  'approved', 1722240000, 1722240000, 1722243600, 0),
 (2, 1, 1, 'Jérôme L.', 'jerome@example.net',
  '> avez-vous mesuré le temps de trajet ?

Oui : 20 minutes contre 35 en bus. Écrivez-moi à jerome.l@example.net
ou à <jerome@example.net>, je vous envoie le tableau.',
  'approved', 1722247200, 1722247200, 1722250800, 0),
 (3, 1, 2, 'La rédaction', 'moderateur@blog.example.org',
  'Merci Jérôme, nous ajoutons ce chiffre à l’article.',
  'approved', 1722254400, 1722254400, 1722254400, 1),
 (4, 1, 3, 'Zoé', 'zoe@example.net', 'Et à trottinette ?',
  'approved', 1722261600, 1722261600, 1722261600, 0),
 (5, 1, 4, 'Élodie', 'elodie@example.net',
  'Plus rapide encore, mais moins sûr : https://fr.wikipedia.org/wiki/Trottinette_(véhicule).',
  'approved', 1722268800, 1722268800, 1722268800, 0),
 (6, 1, NULL, 'En attente', 'attente@example.net', 'PAS-ENCORE-PUBLIÉ',
  'pending', 1722270000, 1722270000, NULL, 0),
 (7, 1, NULL, '<script>alert("nom")</script> Sam', 'sam@example.net',
  'Test <img src=x onerror=alert(1)> [clic](javascript:alert(1)) `<b>code</b>`

    bloc de code <i>
',
  'approved', 1722470700, 1722470700, 1722474000, 0),
 (8, 1, NULL, 'Refusé', 'refuse@example.net', 'REFUSÉ-PAR-LA-MODÉRATION',
  'rejected', 1722270000, 1722270000, 1722270000, 0);
EOF

expect_rc 0 "render --all" mc render --all
grep_ok "reports both articles" "^2 articles rendered, 2 changed" out
for f in comments/2024/07/velo-en-ville.html comments/2024/07/velo-en-ville.json \
	comments/2024/07/velo-en-ville.atom comments/sans-page.html \
	2024/07/velo-en-ville/index.html; do
	grep_ok "prints that it wrote $f" "^wrote $T_DIR/site/$f\$" out
done

# golden NAME FILE: FILE equals tests/golden/render/NAME.
golden() {
	if [ "${MC_UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$GOLDEN"
		cp "$2" "$GOLDEN/$1"
		ok "golden $1 (updated)"
	elif diff -u "$GOLDEN/$1" "$2" >golden.diff 2>&1; then
		ok "golden $1"
	else
		notok "golden $1 (differs; see the diff; if intended, MC_UPDATE_GOLDEN=1)"
		head -60 golden.diff | diag
	fi
}
golden fragment.html site/comments/2024/07/velo-en-ville.html
golden page.html site/2024/07/velo-en-ville/index.html
golden article.json site/comments/2024/07/velo-en-ville.json
golden article.atom site/comments/2024/07/velo-en-ville.atom
golden all_comments.atom site/comments/all_comments.atom
golden empty.html site/comments/sans-page.html
check "the stylesheet is the built-in one" \
	cmp site/comments/mailcomments.css "$T_ROOT/templates/mailcomments.css"

# Every byte outside the markers is kept.
check "the page keeps what precedes the begin marker" \
	cmp <(sed -n '1,/mailcomments:begin/p' page.orig) \
	<(sed -n '1,/mailcomments:begin/p' site/2024/07/velo-en-ville/index.html)
check "the page keeps what follows the end marker" \
	cmp <(sed -n '/mailcomments:end/,$p' page.orig) \
	<(sed -n '/mailcomments:end/,$p' site/2024/07/velo-en-ville/index.html)

for f in site/comments/2024/07/velo-en-ville.atom site/comments/all_comments.atom \
	site/comments/sans-page.atom; do
	check "$(basename "$f") is well-formed XML" xmllint --noout "$f"
	if $PY - "$f" >atom.err 2>&1 <<'EOF'; then
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed", feed.tag
def need(el, name, what):
    found = el.findall(A + name)
    assert len(found) == 1, "%s: %d <%s>" % (what, len(found), name)
    return found[0]
for name in ("id", "title", "updated"):
    assert need(feed, name, "feed").text, "feed: empty " + name
assert feed.find(A + "link[@rel='alternate']") is not None, "feed: no alternate link"
entries = feed.findall(A + "entry")
has_author = feed.find(A + "author/" + A + "name") is not None
ids = set()
for e in entries:
    i = need(e, "id", "entry").text
    assert i.startswith("tag:blog.example.org,2024-07-28:"), i
    assert i not in ids, "duplicate id " + i
    ids.add(i)
    need(e, "title", i)
    need(e, "updated", i)
    assert e.find(A + "link[@rel='alternate']") is not None, i + ": no link"
    assert has_author or e.find(A + "author/" + A + "name") is not None, i
    c = e.find(A + "content")
    assert c is not None and c.get("type") == "html", i
    assert "@example.net" not in ET.tostring(e, encoding="unicode"), i
EOF
		ok "$(basename "$f") has RFC 4287's required elements"
	else
		notok "$(basename "$f") has RFC 4287's required elements"
		diag <atom.err
	fi
done

if $PY - site/comments/2024/07/velo-en-ville.json >json.err 2>&1 <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["version"] == 1 and d["slug"] == "2024/07/velo-en-ville"
assert d["count"] == 6 == len(d["comments"]), d["count"]
assert [c["id"] for c in d["comments"]] == [1, 2, 3, 4, 5, 7]
assert d["comments"][1]["parent"] == 1 and d["comments"][0]["parent"] is None
assert d["comments"][2]["moderator"] is True
assert d["comment_address"] == "commentaires+2024/07/velo-en-ville@blog.example.org"
for c in d["comments"]:
    for k in ("id", "parent", "author", "moderator", "created", "updated",
              "url", "reply_address", "reply_mailto", "html", "text"):
        assert k in c, k
    assert "@example.net" not in json.dumps(c, ensure_ascii=False), c["id"]
EOF
	ok "the JSON parses and follows its schema"
else
	notok "the JSON parses and follows its schema"
	diag <json.err
fi

grep_not "no pending or rejected comment is published" \
	"PAS-ENCORE|REFUS" site/comments/2024/07/velo-en-ville.html
check "no commenter's address anywhere in the outputs" \
	bash -c "! grep -r '@example\.net' site"

# Another configuration: English, plain text, flat replies, no stylesheet,
# another site.
mkdir -p site-en/2024/07/velo-en-ville
cp page.orig site-en/2024/07/velo-en-ville/index.html
sed -e 's/language = "fr"/language = "en"/' -e "s|/site\"|/site-en\"|" \
	-e 's|render = {.*|render = { format = "text"; max_depth = 1; stylesheet = false; directory = "out"; };|' \
	mc.conf >en.conf
expect_rc 0 "render in English, plain text" mc -c en.conf render 2024/07/velo-en-ville
golden fragment-en-text.html site-en/out/2024/07/velo-en-ville.html
check "no stylesheet written when render.stylesheet is false" \
	test ! -e site-en/out/mailcomments.css

# Nothing changed: nothing written, mtimes kept.
touch -d '2001-01-01' site/comments/2024/07/velo-en-ville.* site/2024/07/velo-en-ville/index.html
expect_rc 0 "render --all again" mc render --all
grep_ok "nothing changed" "^2 articles rendered, 0 changed" out
grep_not "nothing written" "^wrote " out
check "unchanged files keep their mtime" \
	test "$(stat -c %Y site/comments/2024/07/velo-en-ville.html)" = "$(date -d 2001-01-01 +%s)"

# Plain render does the dirty articles only.
expect_rc 0 "render with nothing dirty" mc render
grep_ok "renders nothing" "^0 articles rendered, 0 changed" out
sqlite3 mc.db "UPDATE comments SET status = 'approved' WHERE id = 6; UPDATE articles SET dirty = 1 WHERE id = 1"
expect_rc 0 "render the dirty article" mc render
grep_ok "one article" "^1 article rendered, 1 changed" out
grep_ok "its fragment is rewritten" "^wrote .*/comments/2024/07/velo-en-ville\.html$" out
grep_not "the other is not" "sans-page" out
check "the dirty mark is cleared" test "$(sqlite3 mc.db 'SELECT SUM(dirty) FROM articles')" = 0
expect_rc 0 "render SLUG" mc render sans-page
grep_ok "one article rendered" "^1 article rendered, 0 changed" out

expect_rc 65 "unknown article is EX_DATAERR" mc render nope
grep_ok "says which" 'no article "nope"' err
expect_rc 64 "malformed slug is EX_USAGE" mc render ../etc
grep_ok "says why" "not a valid slug" err
expect_rc 64 "SLUG and --all together is EX_USAGE" mc render a --all
expect_rc 64 "two slugs is EX_USAGE" mc render a b
expect_rc 64 "unknown option is EX_USAGE" mc render --frobnicate

# A page with a doubled marker: a clear error, the page untouched.
printf '<p>x</p>\n<!-- mailcomments:begin -->\n<!-- mailcomments:end -->\n<!-- mailcomments:end -->\n' \
	>site/2024/07/velo-en-ville/index.html
cp site/2024/07/velo-en-ville/index.html bad.orig
expect_rc 65 "a page with two end markers is EX_DATAERR" mc render 2024/07/velo-en-ville
grep_ok "the error names the page and the problem" \
	"velo-en-ville/index\.html: 2 end markers \(lines 3 and 4\)" err
check "the page is left untouched" cmp bad.orig site/2024/07/velo-en-ville/index.html
printf '<p>no markers</p>\n' >site/2024/07/velo-en-ville/index.html
expect_rc 65 "a page without markers is EX_DATAERR" mc render --all
grep_ok "the error says the marker is missing" "no begin marker" err
cp page.orig site/2024/07/velo-en-ville/index.html

# A section that holds a marker (a template that writes one) is refused:
# the page could not be made from it again.  Each marker, and one that
# only begins like them, which is no marker.
for m in '<!-- mailcomments:begin -->' '<!-- mailcomments:end -->'; do
	rm -rf tpl
	cp -r "$T_ROOT/templates" tpl
	printf '<p>x</p>\n%s\n' "$m" >>tpl/section.html
	printf 'render = { templates = "%s/tpl"; };\n' "$T_DIR" >tpl.conf
	sed -e '/^render = /d' mc.conf >>tpl.conf
	expect_rc 74 "a section holding \"$m\" is refused" mc -c tpl.conf render 2024/07/velo-en-ville
	grep_ok "saying why" "the section holds a comment marker" err
done
cp "$T_ROOT/templates/section.html" tpl/section.html
printf '<!-- mailcomments:other -->\n' >>tpl/section.html
expect_rc 0 "a comment that only begins like a marker is none" mc -c tpl.conf render 2024/07/velo-en-ville
cp page.orig site/2024/07/velo-en-ville/index.html
rm -rf tpl tpl.conf

# check-config knows the render settings.
printf 'render = { time_zone = "Mars/Olympus"; };\n' >tz.conf
expect_rc 78 "an unknown time zone is refused" mc check-config -c tz.conf
grep_ok "naming the setting" "tz\.conf:1: render\.time_zone" err
printf 'render = { webhook_url = "ftp://x/"; };\n' >wh.conf
expect_rc 78 "a non-HTTP webhook is refused" mc check-config -c wh.conf

# The webhook: one POST listing the changed articles.
port=$(free_port)
cat >hook.py <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        with open(sys.argv[2], "ab") as f:
            f.write(self.headers.get("Content-Type", "").encode() + b"\n" + body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
$PY hook.py "$port" hook.log &
hook_pid=$!
at_exit "kill $hook_pid"
wait_for 10 $PY -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)"
printf 'render = { webhook_url = "http://127.0.0.1:%s/hook"; webhook_timeout = 5; };\n' "$port" >hook.conf
sed -e '/^render = /d' mc.conf >>hook.conf
sqlite3 mc.db "UPDATE comments SET body = 'Modifié.' WHERE id = 4"
expect_rc 0 "render with a webhook" mc -c hook.conf render --all
check "the webhook was called once" test "$(grep -c '"event":"render"' hook.log 2>/dev/null)" = 1
grep_ok "with JSON" "^application/json$" hook.log
grep_ok "listing the changed article" '"slug":"2024/07/velo-en-ville","url":"https://blog.example.org/2024/07/velo-en-ville/"' hook.log
expect_rc 0 "render with a webhook, nothing changed" mc -c hook.conf render --all
check "no call when nothing changed" test "$(grep -c '"event"' hook.log)" = 1
kill "$hook_pid" 2>/dev/null
wait "$hook_pid" 2>/dev/null
sed -e 's/webhook_timeout = 5;/webhook_timeout = 2; webhook_retries = 1;/' hook.conf >dead.conf
sqlite3 mc.db "UPDATE comments SET body = 'Modifié encore.' WHERE id = 4"
expect_rc 0 "a webhook that fails is not fatal" mc -c dead.conf render --all
grep_ok "the failure is logged" "after 2 tries: webhook http://127\.0\.0\.1:$port/hook: " err

t_done
