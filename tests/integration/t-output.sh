#!/bin/bash
# t-output.sh: what a person or a program reads.
# 1. A mail whose name, subject, Message-ID and body hold terminal
#    escapes (OSC 52 clipboard write, OSC 0 title, CSI 2K line erase),
#    C1 controls, a carriage return and bidi overrides: `list`, `show`,
#    `outbox list`, `articles list`, the JSON of `list` and the log lines
#    of `poll` carry none of them raw, and no newline forges a row or a
#    log line.
# 2. Addresses in names and bodies, written to slip past the masking
#    (soft hyphen, zero-width characters, full-width and small at,
#    full-width letters, escapes, entities, no display name, a display
#    name that is an address, spelled out): no part of any of them is in
#    the published HTML fragment, the injected page (also as headless
#    Chromium renders it), the JSON (text and author), the Atom feeds,
#    or the reply notice another reader gets.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
PY=/usr/bin/python3

# a French site, and its article's page French too (its lang decides)
PAGE_LANG=fr site 'moderation = { moderators = ["moderator@example.org"]; };'
sed -i 's|^site = { \(.*\) };$|site = { \1 language = "fr"; };|' mc.conf
ART=comments+2024/panne-mondiale@example.org

# raw NAME: a mail from stdin, bytes as they are, into the inbox.
raw() {
	mkdir -p "$INBOX/new" "$INBOX/cur" "$INBOX/tmp"
	cat >"$INBOX/new/$1"
}

# inert FILE...: no byte that drives a terminal or breaks a line: no C0
# control but LF and tab, no DEL, no CR, no C1 (raw or in UTF-8), no
# bidi embedding, override or isolate, no line separator.
inert() {
	$PY - "$@" <<'PYEOF'
import re, sys
bad = re.compile(rb'[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|'
                 rb'\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xe2\x80[\xa8\xa9]')
ok = True
for f in sys.argv[1:]:
    data = open(f, "rb").read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        print("# %s: not UTF-8 (%s)" % (f, e)); ok = False
    for m in bad.finditer(data):
        print("# %s: %r at %d" % (f, m.group(), m.start())); ok = False
        break
sys.exit(0 if ok else 1)
PYEOF
}

# ---- 1. terminals and logs ----
ESC=$'\x1b' BEL=$'\a' CR=$'\r' RLO=$'\u202e' PDF=$'\u202c' CSI1=$'\u009b'
raw esc.eml <<EOF
From: =?utf-8?q?Eve=1B=5D0=3Bpwned=07=C2=9B2K=0D=E2=80=AEgnp=2Eexe?= <eve@example.net>
To: $ART
Subject: =?utf-8?q?Salut=1B]52;c;ZXZpbA=3D=3D=07=0D=0Amailcomments:_forged_line?=
Message-ID: <esc.${ESC}[2K.${ESC}]0;t${BEL}.1@example.net>
Date: Mon, 29 Jul 2024 10:00:00 +0000
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour ${ESC}]52;c;ZXZpbA==${BEL} le monde${CR}${ESC}[2KApproved by moderator
${ESC}]0;titre${BEL} et ${RLO}lanigiro${PDF} et ${CSI1}31m rouge
EOF
mc poll >poll.out 2>poll.err
check "the hostile mail is stored" test "$(sql "SELECT count(*) FROM comments")" = 1
check "the database does hold the controls (the test means something)" \
	test "$(sql "SELECT instr(body, char(27)) > 0, instr(author_name, char(155)) > 0 FROM comments WHERE id = 1")" = "1|1"
check "poll's log lines: no control, no forged line" inert poll.out poll.err
grep_not "no log line starts with a forged prefix" '^mailcomments: forged' poll.err
mc list >list.out 2>&1
check "list: no control reaches the terminal" inert list.out
check "list: one header and one row, nothing forged" test "$(wc -l <list.out)" = 2
mc list --json >list.json 2>&1
check "list --json: none either" inert list.json
check "list --json: the text is all there, escaped" \
	grep -q '\\u001b]52;c;ZXZpbA==\\u0007' list.json
mc show 1 >show.out 2>&1
check "show: no control reaches the terminal" inert show.out
grep_ok "show: the body, its escapes shown as '?'" '^Bonjour \?\]52;c;ZXZpbA==\? le monde$' show.out
grep_ok "show: the line erase too" '^\?\[2KApproved by moderator$' show.out
grep_ok "show: the bidi override and C1 CSI too" '^\?\]0;titre\? et \?lanigiro\? et \?31m rouge$' show.out
grep_not "show: no header line is forged" '^mailcomments: forged' show.out
# An outbox row as a hostile recipient and server would leave it.
sql "INSERT INTO outbox (kind, recipient, created_at, next_attempt_at, last_error)
     VALUES ('answer', 'x' || char(27) || ']0;t' || char(7) || '@example.net', 0, 0,
             'smtp: 451 ' || char(27) || '[2K' || char(13) || char(10) || 'sent');
     INSERT INTO outbox_text VALUES (last_insert_rowid(), 'x')"
mc outbox list >outbox.out 2>&1
check "outbox list: no control reaches the terminal" inert outbox.out
check "outbox list: one line per row" \
	test "$(grep -c '^[0-9]' outbox.out)" = "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" \
	-a "$(wc -l <outbox.out)" = "$(($(grep -c '^[0-9]' outbox.out) + 1))"
mkdir -p var/site/evil
printf '<html><head><title>Titre \xe2\x80\xae\xc2\x9b2K</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>\n' \
	>var/site/evil/index.html
mc articles list >articles.out 2>&1
check "articles list: no control either" inert articles.out
sql "DELETE FROM outbox WHERE kind = 'answer'; DELETE FROM comments; DELETE FROM articles WHERE slug = 'evil'"
rm -rf var/site/evil

# ---- 2. addresses in published output ----
SHY=$'\u00ad' ZWSP=$'\u200b' FWAT=$'\uff20' SMAT=$'\ufe6b'
FW=$'\uff5a\uff4f\uff52\uff47\uff4c\uff55\uff42\uff20\uff53\uff45\uff43\uff52\uff45\uff54\uff0d\uff44\uff4f\uff4d\uff41\uff49\uff4e\uff0e\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45'
# Local parts and the domain, which must never be published in any form.
SECRETS="zorglub qwertzy xylophon dromadaire ornithorynque kumquat secret-domain"
# The display name: "zorglub<soft hyphen>@secret-domain.example".
raw zorglub.eml <<EOF
From: =?utf-8?q?zorglub=C2=AD=40secret-domain=2Eexample?= <zorglub@secret-domain.example>
To: $ART
Subject: Commentaire
Message-ID: <zorglub.1@secret-domain.example>
Date: Mon, 29 Jul 2024 10:00:00 +0000
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Écrivez-moi : zorglub${SHY}bis@secret-domain.example, zorglub${ZWSP}@secret-domain.example,
zorglub${FWAT}secret-domain.example ou zorglub${SMAT}secret-domain.example,
${FW},
zorglub\\@secret-domain.example, zorglub&#64;secret-domain.example,
[zorglub](https://blog.example.org/)@secret-domain.example,
[mail](mailto:zorglub&#64;secret-domain.example), <zorglub@secret-domain.example>,
zorglub @ secret-domain.example, \`zorglub@secret-domain.example\`.
Mais le blog : comments+2024/panne-mondiale@example.org.
EOF
comment "qwertzy@secret-domain.example" "$ART" "Sans nom d'affichage."
comment "xylophon@secret-domain.example <xylophon@secret-domain.example>" "$ART" "Un nom qui est une adresse."
comment '"Le Dromadaire (dromadaire at secret-domain dot example)" <dromadaire@secret-domain.example>' "$ART" "Nom épelé."
comment "ornithorynque${FWAT}secret-domain.example <ornithorynque@secret-domain.example>" "$ART" "Arobase pleine chasse."
poll
for id in $(sql "SELECT id FROM comments ORDER BY id"); do mc approve "$id" >/dev/null 2>&1; done
# Claire answers the first comment; her reply quotes addresses too.
p=$(sql "SELECT id FROM comments WHERE author_address = 'zorglub@secret-domain.example'")
comment "Claire Dubois <claire@example.org>" "comments+2024/panne-mondiale.$p@example.org" \
	"Merci ! Écrivez aussi à kumquat${SHY}@secret-domain.example ou kumquat${FWAT}secret-domain.example."
poll
r=$(sql "SELECT max(id) FROM comments")
mc approve "$r" >/dev/null 2>&1
check "six comments published" test "$(sql "SELECT count(*) FROM comments WHERE status = 'approved'")" = 6

OUT=var/site/comments/2024
files="$OUT/panne-mondiale.html $OUT/panne-mondiale.json $OUT/panne-mondiale.atom var/site/comments/all_comments.atom var/site/2024/panne-mondiale/index.html"
for f in $files; do check "$f is written" test -s "$f"; done

# unmasked FILE...: prints every secret found in the files, read the way
# a reader reads them: entities and JSON escapes decoded (twice: Atom
# holds escaped HTML), NFKC, default-ignorable code points dropped, in
# any case.
unmasked() {
	$PY - "$SECRETS" "$@" <<'PYEOF'
import html, json, re, sys, unicodedata
secrets = sys.argv[1].split()
ign = re.compile('[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f'
                 '\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f'
                 '\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a'
                 '\U000e0000-\U000e0fff]')
def strings(v):
    if isinstance(v, str): yield v
    elif isinstance(v, dict):
        for x in v.values(): yield from strings(x)
    elif isinstance(v, list):
        for x in v: yield from strings(x)
found = set()
for f in sys.argv[2:]:
    text = open(f, encoding="utf-8").read()
    views = [text]
    if f.endswith(".json"):
        views += list(strings(json.loads(text)))
    more = []
    for t in views:
        u = html.unescape(html.unescape(t))
        more += [u, ign.sub("", unicodedata.normalize("NFKC", ign.sub("", u)))]
    for t in views + more:
        for s in secrets:
            if s in t.lower():
                found.add("%s in %s" % (s, f))
for x in sorted(found): print(x)
PYEOF
}

# no_leak DESC FILE...
no_leak() {
	local desc=$1
	shift
	unmasked "$@" >leaks.txt
	if [ -s leaks.txt ]; then
		notok "$desc"
		diag <leaks.txt
	else
		ok "$desc"
	fi
}

no_leak "no part of any address in the HTML, the page, the JSON and the feeds" $files
grep_ok "the neutral name in the site's language" '>Anonyme</bdi>' "$OUT/panne-mondiale.html"
check "five comments are shown as Anonyme" \
	test "$(grep -o '>Anonyme</bdi>' "$OUT/panne-mondiale.html" | wc -l)" = 5
grep_ok "the mask in the site's language" 'adresse masquée' "$OUT/panne-mondiale.html"
grep_ok "the gateway's public address stays" 'comments\+2024/panne-mondiale@example.org\.' "$OUT/panne-mondiale.html"
authors=$($PY -c 'import json,sys; print(sorted(c["author"] for c in json.load(open(sys.argv[1]))["comments"]))' "$OUT/panne-mondiale.json")
check "JSON: the same names as the page ($authors)" \
	test "$authors" = "['Anonyme', 'Anonyme', 'Anonyme', 'Anonyme', 'Anonyme', 'Claire Dubois']"
grep_ok "Atom: the author is the public name" '<name>Claire Dubois</name>' "$OUT/panne-mondiale.atom"

# The reply notice to the first comment's author quotes Claire's reply.
n=$(grep -l '^List-Unsubscribe' "$OUTBOX"/new/* 2>/dev/null | newest)
check "the first commenter gets a reply notice" test -n "$n"
decoded "${n:-/dev/null}" >notice.txt
grep_ok "it names Claire" 'Claire Dubois' notice.txt
no_leak "it masks the addresses Claire quoted" notice.txt

# The page as a browser shows it.
if command -v chromium >/dev/null; then
	ud=$(mktemp -d "$T_DIR/chrome.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$ud" \
		--host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=2000 \
		--dump-dom "file://$T_DIR/var/site/2024/panne-mondiale/index.html" \
		>page.dom 2>chrome.err
	check "Chromium renders the page" grep -q 'adresse masquée' page.dom
	no_leak "nor in the page as Chromium renders it" page.dom
else
	notok "chromium is installed (scripts/deps.sh installs it)"
fi

t_done
