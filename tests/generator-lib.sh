# tests/generator-lib.sh: what t-hugo and t-jekyll share.  A French
# article (2024/panne-mondiale, from tests/moderation-lib.sh's site)
# gets three comments through the gateway: Alice's is approved, Carol's
# rejected, and Eve's, a hostile one (a <script>, an onerror handler, a
# name with markup in it), approved; the generator's site is then built
# with the theme parts of contrib/ and its page checked: in the HTML, as
# a browser's DOM sees it against our own section, and in headless
# Chromium.  Sourced after tests/lib.sh and tests/moderation-lib.sh.

ALICE='Alice Martin <alice@example.net>'
CAROL='Carol <carol@example.net>'
EVE='"Eve <svg onload=alert(3)>" <eve@example.net>'
MOD='Modératrice <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
HOSTILE='<script>alert("pwned")</script> Voici **mon** avis <img src=x onerror=alert(2)>'

# gen_moderate: the three comments, decided by replies to the
# notifications, as a moderator does.
gen_moderate() {
	comment "$ALICE" "$ART" "Très bon article, merci Alice-approuvé."
	comment "$CAROL" "$ART" "Hors sujet Carol-refusé."
	comment "$EVE" "$ART" "$HOSTILE"
	poll
	reply_to "$(notification_for 1)" "$MOD" "approuver" --lang fr
	reply_to "$(notification_for 2)" "$MOD" "refuser hors sujet" --lang fr
	reply_to "$(notification_for 3)" "$MOD" "approve"
	poll
	check "the moderators' decisions are applied" test \
		"$(sql "SELECT group_concat(status, ' ') FROM (SELECT status FROM comments ORDER BY id)")" \
		= "approved rejected approved"
}

# gen_data FILE: the checks on an article's data file.
gen_data() {
	check "the data file is written" test -s "$1"
	if $PYTHON -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
' "$T_ROOT/contrib/mailcomments-data.schema.json" "$1" >schema.err 2>&1; then
		ok "data: valid against contrib/mailcomments-data.schema.json"
	else
		notok "data: valid against contrib/mailcomments-data.schema.json"
		tail -5 schema.err | diag
	fi
	grep_ok "data: version 1, the article's slug" '"version": 1' "$1"
	grep_ok "data: the heading with its plural count, in French" '"heading": "2 commentaires"' "$1"
	grep_ok "data: 'Reply' in French" '"reply": "Répondre"' "$1"
	grep_ok "data: the localized date" '"date_text": "[0-9]+ [a-zéû]+ [0-9]{4} à [0-9]{2}:[0-9]{2}"' "$1"
	grep_not "data: no commenter's address" 'alice@example|eve@example|carol@example' "$1"
	grep_not "data: the rejected comment is not there" 'Carol-refusé' "$1"
	grep_ok "data: the per-article mailto" '"comment_mailto": "mailto:comments\+2024%2Fpanne-mondiale@example.org\?subject=' "$1"
}

# gen_page BUILT FRAGMENT: the checks on the generator's built page.
gen_page() {
	local page=$1 frag=$2
	check "the generator built the article's page" test -s "$page"
	grep_ok "the approved comment is in the built page" 'Très bon article, merci Alice-approuvé\.' "$page"
	grep_not "the rejected one is not" 'Carol-refusé' "$page"
	grep_ok "the hostile body is shown as text" '&lt;script&gt;alert' "$page"
	grep_not "no script injected (no element a payload made)" '<(script|img|svg)[ >/]' "$page"
	grep_not "no commenter's address in the page" 'alice@example|eve@example' "$page"
	grep_ok "the heading in French with its plural" '<h2 id="comments-title">2 commentaires</h2>' "$page"
	grep_ok "'Write a comment by email' in French, with the article's address" \
		'<a href="mailto:comments(\+|&#43;)2024%2Fpanne-mondiale@example.org\?subject=[^"]*" rel="nofollow">Écrire un commentaire par courriel</a>' "$page"
	if $PYTHON "$T_ROOT/tests/section-dom.py" "$frag" "$page" >dom.diff 2>&1; then
		ok "the theme's section is our own section, as a browser reads it"
	else
		notok "the theme's section is our own section, as a browser reads it"
		diag <dom.diff
	fi
}

PYTHON=/usr/bin/python3

# gen_chrome PAGE: the built page in headless Chromium; its DOM has the
# approved comments, not the rejected one, and no element a payload made.
gen_chrome() {
	local ud dom=chrome.dom
	if ! command -v chromium >/dev/null; then
		notok "chromium is installed (scripts/deps.sh installs it)"
		return
	fi
	ud=$(mktemp -d "$T_DIR/chrome.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$ud" \
		--host-resolver-rules="MAP * ~NOTFOUND" \
		--virtual-time-budget=2000 --dump-dom "file://$1" \
		>"$dom" 2>chrome.err
	grep_ok "Chromium: the approved comments are in the DOM" \
		'<article class="mc-comment" id="comment-1">' "$dom"
	grep_ok "Chromium: Eve's comment too, its payload as text" \
		'&lt;script&gt;alert' "$dom"
	grep_not "Chromium: the rejected one is not" 'Carol-refusé|id="comment-2"' "$dom"
	grep_not "Chromium: no element a payload made" '<(script|img|svg)[ >/]' "$dom"
}

# gen_built WHAT INDEX: checks after the generator built the site (the
# article's page is $PAGE, INDEX its index page): the section, Eve's
# name escaped by the theme part WHAT, the index page's count, Chromium.
gen_built() {
	local what=$1 index=$2
	gen_page "$PAGE" var/site/comments/2024/panne-mondiale.html
	grep_ok "Eve's name is escaped by the $what" \
		'<bdi class="mc-author">Eve &lt;svg onload=alert\(3\)&gt;</bdi>' "$PAGE"
	grep_ok "the index page has the count from the $what" \
		'<a class="mc-count" href="https://blog.example.org/2024/panne-mondiale/#comments">2 commentaires</a>' \
		"$index"
	gen_chrome "$PAGE"
}

# gen_delete BUILD: deleting a published comment by mail removes it from
# the page BUILD builds next.
gen_delete() {
	reply_to "$(notification_for 1)" "$MOD" "supprimer" --lang fr
	poll
	"$1"
	grep_not "a deleted comment is gone from the rebuilt page" 'Alice-approuvé' "$PAGE"
	grep_ok "and the heading counts one" '>1 commentaire</h2>' "$PAGE"
}
