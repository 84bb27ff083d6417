#!/bin/bash
# t-commands.sh: moderators' replies as people write them, through poll:
# a command is a line that IS a command.  Sentences that start with a
# command word (the two misreadings of issue 10, as fixture mails) change
# nothing and are answered with the line and the commands; greetings,
# politeness, top and bottom posting work, in English and French, and in
# German, Spanish and Polish (fixture mails: "kein Problem,
# veröffentlichen." publishes, "Bitte nicht freigeben" and "No lo
# publiques" reject, "zatwierdz" without its accent publishes); two
# contradicting commands do nothing; a notification never acts on another
# comment than its own ("approve 8" with #7's token); a digest refuses one
# comment under two verbs.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

FX="$T_ROOT/maildir-fixtures/commands/cur"
NO_PROBLEM="$FX/1723021934.M512377P7731.mx.example.org,S=1621:2,S"
OUT_OF_OFFICE="$FX/1723030511.M664019P8142.mx.example.org,S=1766:2,S"
DE_NO_PROBLEM="$FX/1723122155.M402871P51207.mx.example.org,S=1469:2,S"
DE_NOT="$FX/1723123051.M118394P52944.mx.example.org,S=1728:2,S"
ES_NOT="$FX/1723123512.M733015P53370.mx.example.org,S=1458:2,S"
PL_APPROVE="$FX/1723124107.M590462P54108.mx.example.org,S=1398:2,S"
MODS='moderation = { moderators = ["moderator@example.org", "camille.moderation@example.org"]; };'
site "$MODS"
MOD='Modératrice <moderator@example.org>'
CAMILLE='Camille Roux <camille.moderation@example.org>'
ART=comments+2024/panne-mondiale@example.org
n=0

# new_comment: a reader's comment, stored and notified; prints its number.
new_comment() {
	n=$((n + 1))
	comment "Reader $n <reader$n@example.net>" "$ART" "Comment number $n."
	poll
}

# token_of FILE: the moderation token a notification carries.
token_of() { grep -oE 'm_[a-z2-7]{32}' "$1" | head -1; }

# replay FIXTURE TOKEN: a fixture mail, as delivered, answering TOKEN.
replay() {
	local name
	name="$(date +%s).M$$P$RANDOM.fixture"
	mkdir -p "$INBOX/new"
	sed "s/m_[a-z2-7]\{32\}/$2/g" "$1" >"$INBOX/new/$name"
}

# answer: the text of the newest answer of the gateway (it answers a mail).
answer() {
	local a
	a=$(outbox_last '^In-Reply-To: ')
	decoded "${a:-/dev/null}" >answer.txt
}

# --- the two misreadings of issue 10, as real mails -------------------
new_comment
n1=$(notification_for 1)
replay "$NO_PROBLEM" "$(token_of "$n1")"
poll
check "\"No problem with this one, publish it.\" changes nothing" test "$(status_of 1)" = pending
check "it is not rejected either (no audit row)" test "$(sql 'SELECT count(*) FROM audit WHERE comment_id = 1')" = 0
answer
grep_ok "the answer quotes the line" '"No problem with this one, publish it\."' answer.txt
grep_ok "says it goes on as a sentence" 'goes on as a' answer.txt
grep_ok "and lists the commands" 'reject \[reason\]' answer.txt
check "the record says help sent" test \
	"$(sql "SELECT outcome LIKE 'help sent: the line %' FROM processed WHERE key LIKE '%8F3A2C1D%'")" = 1

new_comment
n2=$(notification_for 2 camille.moderation@example.org)
replay "$OUT_OF_OFFICE" "$(token_of "$n2")"
poll
check "an out-of-office \"Non disponible jusqu'au 5 janvier.\" changes nothing" test "$(status_of 2)" = pending
a=$(outbox_last '^Delivered-To: camille.moderation@example.org')
decoded "${a:-/dev/null}" >ooo.txt
grep_ok "the answer goes to that moderator and quotes the line" "\"Non disponible jusqu'au 5 janvier\.\"" ooo.txt

# --- greetings, politeness, top and bottom posting ----------------------
reply_to "$n1" "$MOD" "Hello,

approve" --style top
poll
check "\"Hello,\" then \"approve\" publishes" test "$(status_of 1)" = approved
reply_to "$n2" "$CAMILLE" "Bonjour Camille,
approuvé, merci" --style bottom --lang fr
poll
check "\"Bonjour Camille,\" then \"approuvé, merci\", bottom-posted, publishes" test "$(status_of 2)" = approved

for words in "ok thanks" "Approve. Thanks!" "oui merci" "Hi Tom!

OK 👍

Thomas" "Bonsoir à tous,
Oui, publie-le stp"; do
	new_comment
	reply_to "$(notification_for $n)" "$MOD" "$words" --style top
	poll
	check "\"$(echo "$words" | tr '\n' ' ')\" publishes" test "$(status_of $n)" = approved
done

new_comment
reply_to "$(notification_for $n)" "$MOD" "Bonjour,

non : hors sujet

Envoyé de mon iPhone" --style top --lang fr
poll
check "\"non : hors sujet\" rejects" test "$(status_of $n)" = rejected
check "with its reason" test "$(sql "SELECT detail FROM audit WHERE comment_id = $n AND action = 'reject'")" = "hors sujet"

for words in "No, that's fine" "Non, c'est bon" "Reject?" "OK so I had a look, not sure"; do
	new_comment
	reply_to "$(notification_for $n)" "$MOD" "$words" --style top
	poll
	check "\"$words\" changes nothing" test "$(status_of $n)" = pending
done

# --- German, Spanish and Polish moderators, as real mails ----------------
for case in "$DE_NO_PROBLEM approved kein Problem, veröffentlichen." \
	"$DE_NOT rejected Bitte nicht freigeben, danke." \
	"$ES_NOT rejected No lo publiques, por favor." \
	"$PL_APPROVE approved zatwierdz, dziekuje"; do
	set -- $case
	fx=$1 want=$2
	shift 2
	new_comment
	replay "$fx" "$(token_of "$(notification_for $n)")"
	poll
	check "\"$*\" ($(basename "$fx" | cut -c1-10)): $want" test "$(status_of $n)" = "$want"
done
check "the rejections carry no reason" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'reject' AND comment_id > $((n - 3)) AND detail IS NOT NULL AND detail != ''")" = 0

# --- two contradicting commands -----------------------------------------
new_comment
reply_to "$(notification_for $n)" "$MOD" "approve

reject" --style top
poll
check "\"approve\" then \"reject\" changes nothing" test "$(status_of $n)" = pending
answer
grep_ok "the answer says why" '"approve" and "reject" contradict each other' answer.txt

# --- a notification acts on its own comment only -------------------------
new_comment
c7=$n
new_comment
c8=$n
reply_to "$(notification_for $c7)" "$MOD" "approve $c8"
poll
check "\"approve $c8\" with #$c7's token does not touch #$c7" test "$(status_of $c7)" = pending
check "nor #$c8" test "$(status_of $c8)" = pending
answer
grep_ok "the answer says the mail is about #$c7 only" "names #$c8, but this mail is about comment #$c7 only" answer.txt
grep_ok "and how to act on #$c8" "reply to its own notification or to a digest.*|write \"show $c8\" to comments@example.org" answer.txt
reply_to "$(notification_for $c7)" "$MOD" "approve $c7 $c8"
poll
check "\"approve $c7 $c8\" with #$c7's token approves #$c7" test "$(status_of $c7)" = approved
check "and not #$c8" test "$(status_of $c8)" = pending
answer
grep_ok "saying #$c8 was ignored" "Ignored: #$c8 \(this mail is about comment #$c7 only\)" answer.txt

# --- a digest -------------------------------------------------------------
rm -rf var mc.conf
site 'moderation = { moderators = ["moderator@example.org"]; digest_minutes = 60; };'
for who in a b c; do comment "$who <$who@example.net>" "$ART" "From $who."; done
poll
d=$(outbox_last '^Reply-To: .*comments\+d_')
check "a digest is sent" test -n "$d"
d=${d:-/dev/null}
reply_to "$d" "$MOD" "approve 1 2
spam 2"
poll
check "a digest reply naming #2 under two verbs changes nothing" test \
	"$(sql 'SELECT group_concat(status) FROM (SELECT status FROM comments ORDER BY id)')" = "pending,pending,pending"
answer
grep_ok "the answer names the comment and both lines" 'comment #2 is named both in "approve 1 2" and in "spam 2"' answer.txt
grep_ok "and lists the digest commands" 'approve 12 13' answer.txt
reply_to "$d" "$MOD" "Bonjour,

oui 1, merci
non 2 hors sujet
No idea about 3" --lang fr
poll
check "a digest line not understood refuses the whole reply" test \
	"$(sql 'SELECT group_concat(status) FROM (SELECT status FROM comments ORDER BY id)')" = "pending,pending,pending"
reply_to "$d" "$MOD" "Bonjour,

oui 1, merci
non 2 hors sujet

Bonne journée" --lang fr
poll
check "greetings and politeness around digest lines" test \
	"$(sql 'SELECT group_concat(status) FROM (SELECT status FROM comments ORDER BY id)')" = "approved,rejected,pending"

# --- a French site answers in French -------------------------------------
rm -rf var mc.conf
site 'moderation = { moderators = ["moderator@example.org"]; };'
sed -i 's/^site = {/site = { language = "fr";/' mc.conf
comment "Zoé <zoe@example.net>" "$ART" "Un avis."
poll
replay "$OUT_OF_OFFICE" "$(token_of "$(notification_for 1)")"
sed -i 's/camille.moderation@example.org>$/moderator@example.org>/' "$INBOX"/new/*
poll
check "French site: the out-of-office changes nothing" test "$(status_of 1)" = pending
answer
grep_ok "the answer is in French and quotes the line" "la ligne « Non disponible jusqu'au 5 janvier\. » commence par un mot de commande" answer.txt
grep_ok "with the French commands" 'oui / approuver' answer.txt

check "every source message was acknowledged" test "$(ls "$INBOX/new" | wc -l)" = 0
t_done
