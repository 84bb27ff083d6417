#!/bin/bash
# t-browser.sh: pages rendered by `mailcomments render`, opened in headless
# Chromium.  A small demo site (a French article with a threaded
# discussion) is screenshot on desktop and phone widths (kept in
# tests/out/browser/), its DOM checked for the comments and for no
# horizontal overflow on a phone; the same discussion under a German and
# a Polish page, screenshot, in their words, plurals and dates; then
# every payload of
# tests/xss-payloads.txt, stored as comment bodies and display names, is
# rendered (CommonMark and plain text) and the DOM Chromium built must
# show that none ran: the original title, no element with an id "xss-*",
# and inside the section only the elements and attributes mailcomments
# writes.  A control page with one payload left unescaped proves the
# check sees a payload that runs.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
ART="$T_ROOT/tests/out/browser"
PAYLOADS="$T_ROOT/tests/xss-payloads.txt"
export MAILCOMMENTS_NOW=1722124800
rm -rf "$ART"
mkdir -p "$ART"

if ! command -v chromium >/dev/null; then
	notok "chromium is installed (scripts/deps.sh installs it)"
	t_done
	exit 1
fi

# chrome ARGS...: one headless Chromium run, bounded, nothing leaving the
# machine (every host name fails to resolve; the pages are file:// URLs).
chrome() {
	local ud
	ud=$(mktemp -d "$T_DIR/chrome.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$ud" \
		--host-resolver-rules="MAP * ~NOTFOUND" --hide-scrollbars \
		"$@" 2>>chrome.err
}

# page DIR TITLE [LANG]: an article page with the markers (and a probe
# that records whether the page is wider than the window), in French
# unless LANG says otherwise: its comments speak the page's language.
page() {
	mkdir -p "$1"
	cat >"$1/index.html" <<EOF
<!DOCTYPE html>
<html lang="${3:-fr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$2</title>
<style>body { font: 17px/1.6 Georgia, serif; margin: 0; color: #222; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }</style>
</head>
<body>
<main>
<h1>$2</h1>
<p>Depuis le printemps, la ville compte deux fois plus de cyclistes le matin.
Nous avons suivi trois trajets pendant un été entier.</p>
</main>
<!-- mailcomments:begin -->
<!-- mailcomments:end -->
<script>
addEventListener("load", function () {
  document.body.setAttribute("data-overflow",
    document.documentElement.scrollWidth > innerWidth ? "yes" : "no");
});
</script>
</body>
</html>
EOF
}

page site/2024/velo "Le vélo en ville"
page site/2024/rad "Das Fahrrad in der Stadt" de
page site/2024/rower "Rower w mieście" pl
page site/xss "Démo XSS"
page site-text/xss "Démo XSS"
cp site/xss/index.html control.html

conf() { # SITE FORMAT
	cat <<EOF
site = { name = "Le Blog"; url = "file://$T_DIR/$1/"; directory = "$T_DIR/$1"; language = "fr"; };
address = { mailbox = "commentaires@blog.example.org"; };
render = { format = "$2"; time_zone = "Europe/Paris"; };
database = { path = "$T_DIR/mc.db"; };
EOF
}
conf site markdown >mc.conf
conf site-text text >text.conf

expect_rc 0 "render on an empty database" mc -c mc.conf render --all

if ! $PY - mc.db "$PAYLOADS" >insert.log 2>&1 <<'EOF'; then
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
INSERT INTO articles (id, slug, title, page, created_at) VALUES
 (1, '2024/velo', 'Le vélo en ville', '2024/velo/index.html', 1722150000),
 (2, 'xss', 'Démo XSS', 'xss/index.html', 1722150000),
 (3, '2024/rad', 'Das Fahrrad in der Stadt', '2024/rad/index.html', 1722150000),
 (4, '2024/rower', 'Rower w mieście', '2024/rower/index.html', 1722150000);
""")
demo = [
 (None, "Camille Martin", 0, "Merci pour ce **bilan** ! Les chiffres de la "
  "[mairie](https://www.example.fr/mobilite) vont dans le même sens.\n\n"
  "Une question : avez-vous mesuré le temps de trajet ?"),
 (1, "Jérôme L.", 0, "> avez-vous mesuré le temps de trajet ?\n\n"
  "Oui : 20 minutes contre 35 en bus. Écrivez-moi à jerome@example.net."),
 (2, "La rédaction", 1, "Merci Jérôme, nous ajoutons ce chiffre à l’article."),
 (3, "Zoé", 0, "Et à trottinette ?"),
 (4, "Élodie", 0, "Plus rapide, moins sûr. Une source très longue : "
  "https://fr.wikipedia.org/wiki/Trottinette_%C3%A9lectrique_et_s%C3%A9curit%C3%A9_routi%C3%A8re_en_milieu_urbain_dense"),
 (None, "Anticonstitutionnellement", 0, "Le mot le plus long : "
  "anticonstitutionnellementanticonstitutionnellementanticonstitutionnellement."
  "\n\n```\nvitesse_moyenne = distance / temps  # en km/h, mesurée au GPS sur trois semaines\n```"),
]
t = 1722240000
for i, (parent, name, mod, body) in enumerate(demo, 1):
    db.execute("INSERT INTO comments (id, article_id, parent_id, author_name,"
               " author_address, body, status, created_at, updated_at,"
               " by_moderator) VALUES (?, 1, ?, ?, ?, ?, 'approved', ?, ?, ?)",
               (i, parent, name, "c%d@example.net" % i, body, t, t, mod))
    t += 3600
# the same discussion under the German and the Polish article
for art in (3, 4):
    db.execute("INSERT INTO comments (id, article_id, parent_id, author_name,"
               " author_address, body, status, created_at, updated_at,"
               " by_moderator) SELECT 100 * ?1 + id, ?1, 100 * ?1 + parent_id,"
               " author_name, author_address, body, status, created_at,"
               " updated_at, by_moderator FROM comments WHERE article_id = 1",
               (art,))
n = 0
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    n += 1
    p = (line.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\")
         .replace("{N}", str(n)))
    cid = 1000 + n
    # Every other payload answers the one before, to run the nested
    # templates too.
    parent = cid - 1 if n % 2 == 0 else None
    db.execute("INSERT INTO comments (id, article_id, parent_id, author_name,"
               " author_address, body, subject, status, created_at,"
               " updated_at) VALUES (?, 2, ?, ?, ?, ?, ?, 'approved', ?, ?)",
               (cid, parent, p, "x%d@example.net" % n, p, p, t, t))
    t += 60
db.commit()
print(n)
EOF
	notok "fixture inserted"
	diag <insert.log
fi
npayloads=$(tail -1 insert.log)
check "at least 30 XSS payloads ($npayloads)" test "$npayloads" -ge 30

# as poll does, find the pages: their language is read there
expect_rc 0 "the pages are found" mc -c mc.conf articles list
expect_rc 0 "render --all (CommonMark)" mc -c mc.conf render --all
expect_rc 0 "render xss (plain text)" mc -c text.conf render xss

# The demo page: screenshots, and the DOM holds the comments.
url="file://$T_DIR/site/2024/velo/index.html"
chrome --window-size=1280,2200 --screenshot="$ART/page.png" "$url" >/dev/null
chrome --window-size=390,2600 --screenshot="$ART/page-phone.png" "$url" >/dev/null
for png in page.png page-phone.png; do
	check "screenshot $png is a PNG" \
		bash -c "[ \$(head -c 8 '$ART/$png' | od -An -tx1 | tr -d ' ') = 89504e470d0a1a0a ]"
	check "screenshot $png is not blank" \
		test "$(stat -c %s "$ART/$png" 2>/dev/null || echo 0)" -gt 20000
done
chrome --window-size=1280,2200 --virtual-time-budget=3000 --dump-dom "$url" >demo.dom
chrome --window-size=390,2600 --virtual-time-budget=3000 --dump-dom "$url" >demo-phone.dom
cp demo.dom "$ART/page.dom.html"
check "the demo DOM has the page" grep -q "<h1>Le vélo en ville</h1>" demo.dom
check "the address to write to is there as text, to copy" \
	grep -q '<p class="mc-address">Ou écrivez à.*<code>commentaires+2024/velo@blog.example.org</code></p>' demo.dom
check "the demo DOM has the six comments" \
	test "$(grep -o '<article class="mc-comment[^"]*" id="comment-[0-9]*"' demo.dom | wc -l)" = 6
grep_ok "the heading counts them" '<h2 id="comments-title">6 commentaires</h2>' demo.dom
grep_ok "a French date in Paris time" '<time datetime="2024-07-29T08:00:00Z">29 juillet 2024 à 10:00</time>' demo.dom
grep_ok "the moderator's reply is marked" 'class="mc-comment mc-moderator" id="comment-3"' demo.dom
grep_ok "the notice" "Chaque commentaire est relu par un modérateur" demo.dom
grep_ok "the leave-a-comment link" 'href="mailto:commentaires\+2024%2Fvelo@blog\.example\.org\?subject=' demo.dom
grep_not "no commenter's address" "@example\.net" demo.dom
grep_ok "nothing overflows on a desktop" 'data-overflow="no"' demo.dom
grep_ok "long words and URLs wrap on a phone" 'data-overflow="no"' demo-phone.dom
check "the stylesheet applies (badge in capitals)" \
	grep -q 'class="mc-badge">Modération<' demo.dom

# The German and the Polish article: their own words, counts and dates
# (Paris time), screenshot.
for l in de pl; do
	d=rad; [ $l = pl ] && d=rower
	lurl="file://$T_DIR/site/2024/$d/index.html"
	chrome --window-size=1280,2200 --screenshot="$ART/page-$l.png" "$lurl" >/dev/null
	check "screenshot page-$l.png is not blank" \
		test "$(stat -c %s "$ART/page-$l.png" 2>/dev/null || echo 0)" -gt 20000
	chrome --window-size=1280,2200 --virtual-time-budget=3000 --dump-dom "$lurl" >"$l.dom"
	cp "$l.dom" "$ART/page-$l.dom.html"
	check "$l: the DOM has the six comments" \
		test "$(grep -o '<article class="mc-comment[^"]*" id="comment-[0-9]*"' "$l.dom" | wc -l)" = 6
	grep_ok "$l: the section declares its language" "<section class=\"mailcomments\" id=\"comments\" lang=\"$l\"" "$l.dom"
	grep_not "$l: no French or English word" '>Répondre<|juillet|Écrire un|[0-9] commentaires?<|Chaque commentaire|Write a comment|>Reply<|comments<|July' "$l.dom"
done
grep_ok "de: the heading counts them" '<h2 id="comments-title">6 Kommentare</h2>' de.dom
grep_ok "de: a German date in Paris time" '>29\. Juli 2024 um 10:00</time>' de.dom
grep_ok "de: the leave-a-comment link" '>Per E-Mail kommentieren<' de.dom
grep_ok "de: the badge" 'class="mc-badge">Moderation<' de.dom
grep_ok "pl: the heading counts them (plural of 5 and more)" '<h2 id="comments-title">6 komentarzy</h2>' pl.dom
grep_ok "pl: a Polish date in Paris time" '>29 lipca 2024 o 10:00</time>' pl.dom
grep_ok "pl: the leave-a-comment link" '>Napisz komentarz e-mailem<' pl.dom

# checkdom DOMFILE TITLE: exits non-zero, saying why, if a payload ran or
# the section holds anything mailcomments does not write.
cat >checkdom.py <<'EOF'
import html.parser, sys
ALLOWED = {"section", "link", "h2", "div", "article", "header", "bdi", "span",
           "a", "time", "p", "em", "strong", "code", "pre", "blockquote",
           "ul", "ol", "li", "br", "hr", "footer"}
ATTRS = {"class", "id", "lang", "aria-labelledby", "rel", "href", "type",
         "datetime", "start"}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.title, self.in_title, self.depth = "", False, 0
        self.problems, self.comments = [], 0
    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if tag == "title":
            self.in_title = True
        for k, v in attrs:
            if k == "id" and (v or "").startswith("xss"):
                self.problems.append("marker element <%s id=%s>" % (tag, v))
        if tag == "section" and "mailcomments" in (d.get("class") or ""):
            self.depth = 1
            return
        if not self.depth:
            return
        if tag not in ALLOWED:
            self.problems.append("<%s> in the section" % tag)
        for k, v in attrs:
            v = (v or "").strip().lower()
            if k not in ATTRS:
                self.problems.append("attribute %s on <%s>" % (k, tag))
            if k == "href" and not v.startswith(("#", "http://", "https://",
                                                 "mailto:", "file://")):
                self.problems.append("href %r on <%s>" % (v, tag))
        if tag == "article" and (d.get("id") or "").startswith("comment-"):
            self.comments += 1
    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "section" and self.depth:
            self.depth = 0
    def handle_data(self, data):
        if self.in_title:
            self.title += data
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
if p.title != sys.argv[2]:
    p.problems.append("title is %r" % p.title)
if len(sys.argv) > 3 and p.comments != int(sys.argv[3]):
    p.problems.append("%d comments in the DOM, want %s" % (p.comments, sys.argv[3]))
for x in p.problems:
    print(x)
sys.exit(1 if p.problems else 0)
EOF

# The control: one payload of each kind left unescaped must be seen.
sed -i 's|<!-- mailcomments:end -->|<script>document.title="pwned"</script><img src=x onerror="document.body.appendChild(Object.assign(document.createElement(\x27b\x27),{id:\x27xss-0\x27}))">&|' control.html
cp control.html site/control.html
chrome --virtual-time-budget=3000 --dump-dom "file://$T_DIR/site/control.html" >control.dom
$PY checkdom.py control.dom "Démo XSS" >control.out 2>&1
grep_ok "control: the check sees a script that ran" "title is 'pwned'" control.out
grep_ok "control: the check sees an element a handler added" "marker element <b id=xss-0>" control.out

for v in site:CommonMark site-text:plain; do
	dir=${v%%:*}
	chrome --window-size=1280,4000 --virtual-time-budget=5000 \
		--dump-dom "file://$T_DIR/$dir/xss/index.html" >"$dir.dom"
	cp "$dir.dom" "$ART/xss-$dir.dom.html"
	if $PY checkdom.py "$dir.dom" "Démo XSS" "$npayloads" >"$dir.check" 2>&1; then
		ok "no payload ran, ${v#*:} ($npayloads payloads in bodies and names)"
	else
		notok "no payload ran, ${v#*:}"
		head -20 "$dir.check" | diag
	fi
done
chrome --window-size=1280,3000 --screenshot="$ART/xss.png" \
	"file://$T_DIR/site/xss/index.html" >/dev/null
check "screenshot of the XSS page" test -s "$ART/xss.png"
grep_not "no javascript: or data: link survives" '<[a-z]+ [^>]*(href|src)="(javascript|data|vbscript):' site.dom

# A closed article, as a browser shows it: the comments, the words, no
# mailto: link left to write or reply.
mc -c mc.conf articles close 2024/velo >/dev/null 2>&1
chrome --window-size=1280,2200 --virtual-time-budget=3000 --dump-dom "$url" >closed.dom
check "closed: the six comments stay" \
	test "$(grep -o '<article class="mc-comment[^"]*" id="comment-[0-9]*"' closed.dom | wc -l)" = 6
grep_ok "closed: the section says so" '<p class="mc-closed">Les commentaires sont fermés\.</p>' closed.dom
grep_not "closed: no mailto: link to write or reply" 'href="mailto:' closed.dom

t_done
