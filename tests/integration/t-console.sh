#!/bin/bash
# t-console.sh: the moderators' console by mail.  A moderator writes to
# the gateway's bare address "pending", "show 12", "stats" or "help" (or
# the French words) and gets the answer, with tokens that work on the
# spot; anyone else gets nothing; a forged moderator From gets the answer
# sent to the real moderator only; a flood of console mail makes at most
# moderation.console_per_hour answers.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
GW=comments@example.org
MOD='Modératrice <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
conf() {
	cat >mc.conf <<CONF
site = { name = "Le Blog"; url = "https://blog.example.org/"; language = "${1:-en}"; };
moderation = {
  moderators = ["moderator@example.org", "second@example.org"];
  digest_minutes = 60;
  console_per_hour = ${2:-30};
  ${3:-}
};
CONF
}
site
conf

# console FROM TEXT [mua args]: a mail to the bare address, then a poll.
console() {
	local from=$1 text=$2
	shift 2
	comment "$from" "$GW" "$text" --subject "console" "$@"
	poll
}
last_answer() { outbox_last '^Delivered-To: moderator@example.org'; }
outcome_last() { sql "SELECT outcome FROM processed ORDER BY rowid DESC LIMIT 1"; }
answers() { outbox_count '^Delivered-To: moderator@example.org'; }

comment "Alice <alice@example.net>" "$ART" "Premier commentaire."
comment "Bob <bob@example.net>" "$ART" "Second commentaire."
poll
check "two comments pending" test "$(status_of 1)/$(status_of 2)" = pending/pending
check "the regular digest went out" test "$(sql "SELECT count(*) FROM comments WHERE notified_at IS NOT NULL")" = 2
comment "Carol <carol@example.net>" "$ART" "Troisième commentaire."
poll
check "the third waits for the next digest" test "$(sql "SELECT notified_at IS NULL FROM comments WHERE id = 3")" = 1
digest_at=$(sql "SELECT value FROM state WHERE key = 'digest_sent_at'")

# pending
before=$(answers)
console "$MOD" "pending"
a=$(last_answer)
check "pending: an answer" test "$(answers)" = $((before + 1))
a=${a:-/dev/null}
grep_ok "pending: a digest of the three" '^Subject: \[Le Blog\] 3 comments waiting' "$a"
grep_ok "pending: Reply-To carries a digest token" '^Reply-To: .*comments\+d_[a-z2-7]{32}@' "$a"
grep_ok "pending: it answers the moderator's mail" '^In-Reply-To: <.*@mua\.test>' "$a"
decoded "$a" >a.txt
grep_ok "pending: the oldest first" '#1 ' a.txt
grep_ok "pending: the not yet notified one too" 'Troisième commentaire' a.txt
check "pending: only the moderator who asked" test "$(outbox_count '^Delivered-To: second@example.org')" = 1
check "pending: comments not marked notified" test "$(sql "SELECT notified_at IS NULL FROM comments WHERE id = 3")" = 1
check "pending: digest_sent_at unchanged" test "$(sql "SELECT value FROM state WHERE key = 'digest_sent_at'")" = "$digest_at"
grep_ok "pending: the outcome says so" 'console: pending answered' <(outcome_last)
reply_to "$a" "$MOD" "approve 1"
poll
check "pending: 'approve 1' answering it approves" test "$(status_of 1)" = approved

# show, on a pending comment, then on a published one
console "$MOD" "show 2"
a=$(last_answer)
a=${a:-/dev/null}
grep_ok "show: Reply-To carries a moderation token" '^Reply-To: .*comments\+m_[a-z2-7]{32}@' "$a"
decoded "$a" >a.txt
grep_ok "show: the comment" 'Second commentaire' a.txt
grep_ok "show: its status" 'Comment #2 is pending' a.txt
reply_to "$a" "$MOD" "approve"
poll
check "show: 'approve' answering it approves" test "$(status_of 2)" = approved
console "$MOD" "show 1"
a=$(last_answer)
decoded "${a:-/dev/null}" >a.txt
grep_ok "show: a published comment too" 'Comment #1 is published' a.txt
reply_to "${a:-/dev/null}" "$MOD" "delete"
poll
check "show: 'delete' answering it unpublishes" test "$(status_of 1)" = deleted
console "$MOD" "show 99"
decoded "$(last_answer)" >a.txt
grep_ok "show: an unknown number says so" 'There is no comment #99' a.txt

# stats, help, not understood
console "$MOD" "Stats"
decoded "$(last_answer)" >a.txt
grep_ok "stats: pending count" '^Waiting for moderation: +1$' a.txt
grep_ok "stats: approved in 24 h and 7 days" '^Approved +1 +1$' a.txt
grep_ok "stats: flood mode" '^Flood mode: +off$' a.txt
grep_ok "stats: outbox" '^Outgoing mail failed: +0$' a.txt
console "$MOD" "help"
decoded "$(last_answer)" >a.txt
grep_ok "help: the console words" 'show 12' a.txt
grep_ok "help: the digest words" 'approve 12 13' a.txt
grep_ok "help: the reader words" 'unsubscribe' a.txt
grep_ok "help: the address to write to, as configured" '^Write to comments@example\.org \(' a.txt
console "$MOD" "Hello, what is up?"
decoded "$(last_answer)" >a.txt
grep_ok "not understood: says so" 'could not be understood' a.txt
grep_ok "not understood: the console help" 'pending +the comments waiting' a.txt

# French words, French site
conf fr
console "$MOD" "attente"
a=$(last_answer)
decoded "${a:-/dev/null}" >a.txt
grep_ok "attente: a French digest" '^Ces commentaires attendent votre décision' a.txt
check "attente: one comment is singular in the subject" \
	test "$($MUA subject "${a:-/dev/null}")" = "[Le Blog] 1 commentaire en attente de modération"
reply_to "${a:-/dev/null}" "$MOD" "oui 3" --lang fr
poll
check "attente: 'oui 3' answering it approves" test "$(status_of 3)" = approved
console "$MOD" "attente"
decoded "$(last_answer)" >a.txt
grep_ok "attente: nothing waits" "Aucun commentaire n'est en attente" a.txt
console "$MOD" "Voir 3"
decoded "$(last_answer)" >a.txt
NB=$(printf '\302\240') # French typography: n° and its number stay together
grep_ok "voir: the comment in French" "Le commentaire n°${NB}3 est publié" a.txt
console "$MOD" "afficher 3"
decoded "$(last_answer)" >a.txt
grep_ok "afficher: the same" "Le commentaire n°${NB}3 est publié" a.txt
console "$MOD" "statistiques"
decoded "$(last_answer)" >a.txt
# French typography: a non-breaking space before the colon
grep_ok "statistiques: in French" "En attente de modération$(printf '\302\240'): +0" a.txt
console "$MOD" "Aide"
decoded "$(last_answer)" >a.txt
grep_ok "aide: in French" 'attente +les commentaires à modérer' a.txt
conf en

# strangers, forgers
before=$(sql "SELECT count(*) FROM outbox")
console "Mallory <mallory@evil.example>" "pending"
check "a non-moderator gets nothing" test "$(sql "SELECT count(*) FROM outbox")" = "$before"
grep_ok "a non-moderator is set aside with the reason" 'set aside: .*mallory@evil.example is not a moderator' <(outcome_last)
console "Mallory <mallory@evil.example>" "stats" --header "Reply-To: moderator@example.org"
check "a non-moderator with a moderator Reply-To gets nothing" test "$(sql "SELECT count(*) FROM outbox")" = "$before"
before=$(answers)
console "Forger <MODERATOR@Example.ORG>" "stats" --header "Reply-To: victim@evil.example"
check "a forged moderator From: the answer goes to the moderator" test "$(answers)" = $((before + 1))
check "never to the Reply-To" test "$(outbox_count 'victim@evil.example')" = 0
grep_ok "to the address as configured" '^To: <moderator@example.org>' "$(last_answer)"

# dkim required: a moderator without dkim=pass gets nothing
conf en 30 'require_dkim = true; trusted_authserv_id = "mx.example.org";'
before=$(answers)
console "$MOD" "stats"
check "require_dkim: no dkim=pass, no answer" test "$(answers)" = "$before"
grep_ok "require_dkim: the reason" 'no dkim=pass' <(outcome_last)
console "$MOD" "stats" --header "Authentication-Results: mx.example.org; dkim=pass header.d=example.org"
check "require_dkim: with dkim=pass, the answer" test "$(answers)" = $((before + 1))

# the rate: a flood of console mail from a (forged) moderator address
export MAILCOMMENTS_NOW=$((MAILCOMMENTS_NOW + 7200))
conf en 3
before=$(answers)
for i in 1 2 3 4 5 6; do comment "$MOD" "$GW" "stats" --subject "flood $i"; done
poll
check "flood: at most console_per_hour answers" test "$(answers)" = $((before + 3))
check "flood: the rest set aside with the reason" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome LIKE 'set aside: console: over 3 answers an hour%'")" = 3
export MAILCOMMENTS_NOW=$((MAILCOMMENTS_NOW + 3601))
console "$MOD" "stats"
check "flood: an hour later, answers again" test "$(answers)" = $((before + 4))

t_finish
