#!/bin/bash
# t-conversation.sh: the whole conversation by mail against the real
# servers.  Every mail a person sends is written as a mail client writes
# it (scripts/mua.py) and APPENDed to Dovecot; `poll --once` reads it over
# IMAPS and sends what it answers through the SMTP server, whose
# deliveries the next step reads and answers in turn.  Two moderators
# (English and French, greetings, sentences, top- and bottom-posting, the
# console), readers who answer a reply notice, edit and delete their
# comments by reply, follow an article and unsubscribe.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

MUA="$PY $T_ROOT/scripts/mua.py"
BOXES="$T_DIR/boxes" # what the SMTP server delivered, per recipient

if ! start_dovecot || ! start_smtp --mailboxes "$BOXES"; then
	notok "Dovecot and the SMTP server start"
	t_done
	exit 1
fi
ok "Dovecot and the SMTP server start"

mkdir -p var/site/2024/panne-mondiale staging
cat >var/site/2024/panne-mondiale/index.html <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
write_conf mc.conf site.name="Le Blog" site.url=https://blog.example.org/ \
	site.directory="$T_DIR/var/site" \
	moderation.moderators='["moderator@example.org", "camille@example.org"]'
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
sql() { sqlite3 "$T_DIR/mc.db" "$@"; }
status_of() { sql "SELECT status FROM comments WHERE id = $1"; }

ART=comments+2024/panne-mondiale@example.org
ALICE='Alice Martin <alice@example.net>'
BOB='Bob Durand <bob@example.com>'
CAROL='Carol Nguyen <carol@example.net>'
MOD='Moderator <moderator@example.org>'
CAMILLE='Camille Dupont <camille@example.org>'
PAGE=var/site/2024/panne-mondiale/index.html

# deliver: appends a mail file to the INBOX and polls once.
deliver() {
	imap_tool append INBOX "$1" >/dev/null
	mc poll --once >>poll.log 2>&1
}
# newest TO [SUBJECT-REGEX]: the newest mail the SMTP server delivered to TO.
newest() {
	$MUA find "$BOXES/$1/new" --to "$1" ${2:+--subject "$2"} 2>/dev/null
}
# answer MAIL FROM BODY [mua options]: a reply from a mail client, polled.
answer() {
	local m=$1 from=$2 body=$3
	shift 3
	deliver "$($MUA reply "${m:-/dev/null}" staging --from "$from" --body "$body" "$@")"
}
# write FROM TO BODY [SUBJECT]: a new mail, polled.
write() {
	deliver "$($MUA comment staging --from "$1" --to "$2" --subject "${4:-Hello}" --body "$3")"
}
text_of() { $MUA text "${1:-/dev/null}"; }

# ---- a reader comments; two moderators are notified -------------------
write "$ALICE" "$ART" "Très bon article, merci pour ces détails !" "Super"
check "Alice's comment is pending" test "$(status_of 1)" = pending
n1=$(newest moderator@example.org '\(#1\)$')
text_of "$n1" >n1.txt
grep_ok "the notification shows the moderators the author's address" 'alice@example.net' n1.txt
n1c=$(newest camille@example.org '\(#1\)$')
check "both moderators got the notification by SMTP" test -n "$n1" -a -n "$n1c"

# A sentence that starts with a command word is no command.
answer "$n1" "$MOD" "No problem with this one, publish it." --style top
check "\"No problem with this one, publish it.\" changes nothing" \
	test "$(status_of 1)" = pending
h=$(newest moderator@example.org '^Re: ')
text_of "$h" >help.txt
grep_ok "the answer quotes the line" 'No problem with this one, publish it' help.txt

# The French moderator greets, then approves, bottom-posting.
answer "$n1c" "$CAMILLE" $'Bonjour,\n\napprouvé, merci' --style bottom --lang fr
check "\"Bonjour, / approuvé, merci\" publishes" test "$(status_of 1)" = approved
grep_ok "the page shows the comment" 'Très bon article' "$PAGE"
h1=$(newest moderator@example.org 'Re: .*\(#1\)')
text_of "$h1" >handled.txt
grep_ok "the other moderator is told who decided" 'camille@example.org' handled.txt
p1=$(newest alice@example.net 'publi')
check "Alice got the publish notice" test -n "$p1"
grep_ok "the publish notice carries Alice's commenter token" \
	'^Reply-To: .*<comments\+r_[a-z2-7]{32}@example.org>' "${p1:-/dev/null}"

# ---- a reply to Alice; she answers the reply notice -------------------
write "$BOB" comments+2024/panne-mondiale.1@example.org "Je ne suis pas d'accord, la panne venait du DNS."
check "Bob's reply is pending" test "$(status_of 2)" = pending
n2=$(newest moderator@example.org '\(#2\)$')
answer "$n2" "$MOD" $'Hello,\n\napprove' --style top
check "\"Hello, / approve\" publishes Bob's reply" test "$(status_of 2)" = approved
# The gateway's answer is answerable: "undo" to it, then "approve" again.
a2=$(newest moderator@example.org '^Re: ')
answer "$a2" "$MOD" "undo" --style top
check "\"undo\" in reply to the gateway's answer reverts the decision" test "$(status_of 2)" = pending
answer "$(newest moderator@example.org '^Re: ')" "$MOD" "approve" --style bottom
check "and \"approve\" to that answer publishes it again" test "$(status_of 2)" = approved
r2=$(newest alice@example.net 'r.ponse|reply')
check "Alice got the reply notice" test -n "$r2"
answer "$r2" "$ALICE" "Merci, bon point !" --style top --lang fr
check "her answer to the reply notice is a new comment" \
	test "$(sql 'SELECT parent_id || status FROM comments WHERE id = 3')" = 2pending
check "and she is still subscribed" \
	test "$(sql "SELECT COALESCE(MAX(unsubscribed), 0) FROM senders WHERE address = 'alice@example.net'")" = 0

# ---- the console: pending, then a decision from its answer ------------
write "$CAMILLE" comments@example.org "pending"
c=$(newest camille@example.org '')
text_of "$c" >pending.txt
grep_ok "\"pending\" lists the waiting comment" 'Merci, bon point' pending.txt
answer "$c" "$CAMILLE" "oui 3" --style top --lang fr
check "\"oui 3\" to the console's answer publishes #3" test "$(status_of 3)" = approved
write "$MOD" comments@example.org "stats"
s=$(newest moderator@example.org '')
text_of "$s" >stats.txt
grep_ok "\"stats\" answers with counts" '[0-9]' stats.txt
write "$BOB" comments@example.org "pending"
check "a reader writing \"pending\" gets no answer" test -z "$(newest bob@example.com 'Re: ')"

# ---- Carol follows the article (double opt-in) ------------------------
write "$CAROL" comments+2024/panne-mondiale+follow@example.org "" "follow"
f=$(newest carol@example.net '')
check "a follow request gets a confirmation request" test -n "$f"
grep_ok "answerable with a follow token" '^Reply-To: .*<comments\+f_[a-z2-7]{32}@example.org>' "${f:-/dev/null}"
answer "$f" "$CAROL" "Oui" --style top --lang fr
check "her reply makes her a follower" \
	test "$(sql "SELECT count(*) FROM followers WHERE address_key = 'carol@example.net'")" = 1
write "$BOB" "$ART" "Et la panne de 2021, quelqu'un s'en souvient ?"
id=$(sql "SELECT MAX(id) FROM comments")
answer "$(newest moderator@example.org "\\(#$id\\)\$")" "$MOD" "ok" --style top
check "Bob's new comment is published" test "$(status_of "$id")" = approved
fm=$(newest carol@example.net '')
text_of "$fm" >follow.txt
grep_ok "the follower receives it" 'panne de 2021' follow.txt
unsub=$(grep -oE '<mailto:comments\+u_[a-z2-7]{32}@example.org' "${fm:-/dev/null}" | head -1 | sed 's/<mailto://')
check "with a List-Unsubscribe mailto" test -n "$unsub"
write "$CAROL" "${unsub:-nobody@example.org}" "" "unsubscribe"
check "one mail there ends the subscription" \
	test "$(sql "SELECT count(*) FROM followers WHERE address_key = 'carol@example.net'")" = 0

# ---- Alice edits her comment by replying to the publish notice --------
answer "$p1" "$ALICE" $'edit\nTrès bon article, merci pour ces précisions !' --style top --lang fr
check "the edit waits for moderation" test "$(status_of 1)" = pending
grep_ok "with the new text" 'précisions' <(sql 'SELECT body FROM comments WHERE id = 1')
n1e=$(newest moderator@example.org '\(#1\)$')
answer "$n1e" "$MOD" "approve" --style top
check "approved again" test "$(status_of 1)" = approved
grep_ok "the page shows the corrected text" 'précisions' "$PAGE"

# ---- Alice deletes her answer, and then unsubscribes ------------------
# the publish notice of #3 (#1's came again after the edit)
p3=$(grep -l 'comment-3' $(grep -l '^Reply-To: .*comments+r_' "$BOXES"/alice@example.net/new/*) | head -1)
check "the publish notice of #3 is found" test -n "$p3"
answer "$p3" "$ALICE" "supprimer" --style top --lang fr
check "\"supprimer\" deletes her comment #3" test "$(status_of 3)" = deleted
grep_not "the page no longer shows it" 'bon point' "$PAGE"
answer "$r2" "$ALICE" "unsubscribe" --style top
check "\"unsubscribe\" alone unsubscribes her" \
	test "$(sql "SELECT unsubscribed FROM senders WHERE address = 'alice@example.net'")" = 1

# ---- a digest, answered with greetings and two decisions --------------
write_conf mc.conf site.name="Le Blog" site.url=https://blog.example.org/ \
	site.directory="$T_DIR/var/site" moderation.digest_minutes=30 \
	moderation.moderators='["moderator@example.org", "camille@example.org"]'
imap_tool append INBOX "$($MUA comment staging --from "$BOB" --to "$ART" \
	--subject Avis --body "Un autre avis : le problème était connu depuis des mois.")" >/dev/null
imap_tool append INBOX "$($MUA comment staging --from "$CAROL" --to "$ART" \
	--subject Promo --body "Achetez nos montres, les meilleurs prix du web.")" >/dev/null
mc poll --once >>poll.log 2>&1
ib=$(sql "SELECT id FROM comments WHERE body LIKE 'Un autre avis%'")
ic=$(sql "SELECT id FROM comments WHERE body LIKE 'Achetez%'")
d=$(newest camille@example.org 'attendent|waiting')
check "one digest lists both comments" test -n "$d" -a -n "$ib" -a -n "$ic"
text_of "$d" >digest.txt
grep_ok "with Bob's" 'le problème était connu' digest.txt
answer "$d" "$CAMILLE" $'Bonjour à tous,\n\noui '"$ib"$'\nrefuser '"$ic"' publicité' --style bottom --lang fr
check "\"oui $ib\" in the digest reply publishes Bob's" test "$(status_of "${ib:-0}")" = approved
check "\"refuser $ic publicité\" rejects Carol's" test "$(status_of "${ic:-0}")" = rejected

t_done
