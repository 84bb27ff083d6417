#!/bin/sh
# demo.sh: `make demo`.  The whole flow on the embedded defaults, with no
# configuration file and no server: a demo site in var/site, reader mail
# from maildir-fixtures/demo into the Maildir var/inbox, the gateway's mail
# into the Maildir var/outbox, the database var/mailcomments.db.  The
# moderator is played by scripts/mua.py, which answers the notifications it
# finds in the outbox the way a mail client would.
set -eu
cd "$(dirname "$0")/.."
mc=./mailcomments
mua="/usr/bin/python3 scripts/mua.py"
MOD="Camille Moderator <moderator@example.org>"

if [ -e var ] && [ ! -e var/.mailcomments-demo ]; then
	echo "demo: var/ exists and was not made by the demo; move it away first" >&2
	exit 1
fi
rm -rf var
mkdir -p var/inbox/new var/inbox/cur var/inbox/tmp
touch var/.mailcomments-demo
cp -R scripts/demo-site var/site

step() { printf '\n== %s\n' "$*"; }

# notification N: the moderator's notification about comment N.
notification() {
	$mua find var/outbox/new --subject "\\(#$1\\)$" --to moderator@example.org
}

answer() { # N TEXT [mua options]
	n=$1
	text=$2
	shift 2
	$mua reply "$(notification "$n")" var/inbox --from "$MOD" --body "$text" "$@" >/dev/null
	printf '   #%s: moderator answers "%s"\n' "$n" "$(echo "$text" | head -1)"
}

step "Readers' mail arrives in var/inbox (7 messages from several mail clients)"
cp maildir-fixtures/demo/new/* var/inbox/new/
$mc poll

step "The moderator's notifications are in var/outbox/new"
for f in var/outbox/new/*; do
	printf '   %s\n' "$($mua subject "$f")"
done

step "The moderator replies from a mail client"
answer 1 "Oui" --style bottom --lang fr
answer 2 "ok" --style top --lang fr
answer 3 "non : publicité" --lang fr
answer 4 "reply
Thanks Priya, the talk link is now in the article." --style top
answer 5 "approuver" --lang fr
answer 6 "approve"
answer 7 "trust"
$mc poll

step "A reader answers the first comment, by its Reply link's address"
cp maildir-fixtures/demo-replies/new/* var/inbox/new/
$mc poll
answer 9 "approve" --style top
$mc poll

step "Claire corrects her comment by replying to her publish notice"
CLAIRE="Claire Dubois <claire.dubois@example.net>"
notice=$($mua find var/outbox/new --to claire.dubois@example.net --subject 'publi')
$mua reply "$notice" var/inbox --from "$CLAIRE" --style top --lang fr --body "modifier
Merci pour ce récapitulatif clair. Dans mon service, les postes ont redémarré en boucle toute la matinée ; aucun plan de reprise ne prévoyait la mise à jour défectueuse d'un outil de sécurité.

Claire" >/dev/null
echo '   Claire replies "modifier" and her corrected text'
$mc poll
printf '   comment #1 is now: %s\n' "$($mc list 2>/dev/null | awk '$1 == 1 { print $3 }')"

step "The moderator asks the console what is pending, from a phone"
$mua comment var/inbox --from "$MOD" --to comments@example.org \
	--subject pending --body "pending

Sent from my phone" >/dev/null
echo '   the moderator mails "pending" to comments@example.org'
$mc poll
console=$($mua find var/outbox/new --to moderator@example.org --subject 'waiting for moderation')
printf '   answer: %s\n' "$($mua subject "$console")"
$mua text "$console" | sed -n '1,12s/^/   | /p'
$mua reply "$console" var/inbox --from "$MOD" --body "approve 1" --style top >/dev/null
echo '   the moderator answers "approve 1" to it'
$mc poll

step "mailcomments list"
$mc list

step "What was sent (var/outbox/new)"
$mc outbox list --all

step "The pages, re-rendered after each decision"
for page in var/site/2024/panne-mondiale/index.html \
	var/site/en/2024/rust-in-the-kernel/index.html \
	var/site/chroniques/pain-au-levain.html; do
	printf '   file://%s/%s\n' "$PWD" "$page"
done
echo "   (fragments, JSON and Atom feeds are in var/site/comments/)"

step "The same comments in a Hugo site (render.generator = \"hugo\")"
if command -v hugo >/dev/null; then
	cp -R scripts/demo-hugo var/hugo-site
	cp -R contrib/hugo/layouts/. var/hugo-site/layouts/
	# the embedded defaults, and where the generator's site is
	printf 'render = { generator = "hugo"; generator_directory = "var/hugo-site"; };\n' \
		>var/hugo.conf
	$mc -c var/hugo.conf render --all | grep 'hugo-site' | sed 's/^/   /'
	(cd var/hugo-site && hugo --quiet)
	hpage=var/hugo-site/public/2024/panne-mondiale/index.html
	printf '   hugo built file://%s/%s:\n' "$PWD" "$hpage"
	sed -n 's/.*<h2 id="comments-title">\(.*\)<\/h2>.*/   | \1/p; s/.*<bdi class="mc-author">\([^<]*\)<\/bdi>.*/   | - \1/p' "$hpage"
else
	echo "   hugo is not installed (scripts/deps.sh installs it, as root)"
fi
echo
echo "Open the first page in a browser.  The database is var/mailcomments.db;"
echo "try ./mailcomments show 6 (the hostile comment, published harmlessly)."
