#!/bin/bash
# t-modes.sh: moderation modes, trusted senders, first-time-sender
# confirmation, digests, rate limits and the spam filter's verdict.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

MOD='Moderator <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
fresh() {
	rm -rf var mc.conf
	case "$1" in
	*"moderation ="*) site "$1" ;;
	*) site "moderation = { moderators = [\"moderator@example.org\"]; };
$1" ;;
	esac
}

fresh 'moderation = { moderators = ["moderator@example.org"]; mode = "none"; };'
comment "A <a@example.net>" "$ART" "Published at once."
poll
check "mode none publishes at once" test "$(status_of 1)" = approved
check "mode none notifies nobody" test "$(ls "$OUTBOX/new" 2>/dev/null | wc -l)" = 0
check "the automatic decision is audited" test \
	"$(sql "SELECT actor || '|' || action FROM audit WHERE comment_id = 1")" = "gateway|auto-approve"

fresh 'moderation = { moderators = ["moderator@example.org"]; mode = "first"; };'
comment "A <a@example.net>" "$ART" "One."
poll
check "mode first holds a first comment" test "$(status_of 1)" = pending
reply_to "$(notification_for 1)" "$MOD" approve
poll
comment "A <a@example.net>" "$ART" "Two."
poll
check "mode first publishes the next one" test "$(status_of 2)" = approved
comment "B <b@example.net>" "$ART" "Other."
poll
check "mode first still holds a new sender" test "$(status_of 3)" = pending

fresh 'moderation = { moderators = ["moderator@example.org"]; auto_approve_after = 2; };'
for i in 1 2; do
	comment "A <a@example.net>" "$ART" "Comment $i."
	poll
	reply_to "$(notification_for $i)" "$MOD" approve
	poll
done
comment "A <a@example.net>" "$ART" "Third."
poll
check "auto-approve after 2 approved comments" test "$(status_of 3)" = approved

fresh 'moderation = { moderators = ["moderator@example.org"]; confirm_new_senders = true; };'
comment "New <new@example.net>" "$ART" "Hello, first time."
poll
check "a first-time sender's comment waits for confirmation" test "$(status_of 1)" = unconfirmed
check "the moderators are not bothered yet" test -z "$(notification_for 1)"
cf=$(outbox_last '^Delivered-To: new@example.net')
check "the sender gets one confirmation mail" test -n "$cf"
grep_ok "asking for a reply to a confirmation token" '^Reply-To: .*comments\+c_[a-z2-7]{32}@example.org' "${cf:-/dev/null}"
comment "New <new@example.net>" "$ART" "And a second one before confirming."
poll
check "a second comment waits too" test "$(status_of 2)" = unconfirmed
check "without a second confirmation mail (no flood to a forged From)" test \
	"$(outbox_count '^Delivered-To: new@example.net')" = 1
reply_to "${cf:-/dev/null}" "Other <other@example.net>" "yes it was me"
poll
check "a confirmation from another address is refused" test "$(status_of 1)" = unconfirmed
reply_to "${cf:-/dev/null}" "New <new@example.net>" "oui c'est moi"
poll
check "the sender's reply releases the comment" test "$(status_of 1)" = pending
check "and the one that waited with it" test "$(status_of 2)" = pending
check "to the moderators" test -n "$(notification_for 1)"
comment "New <new@example.net>" "$ART" "Third time."
poll
check "a confirmed sender is not asked again" test "$(status_of 3)" = pending

fresh 'moderation = { moderators = ["moderator@example.org"]; digest_minutes = 60; };'
for who in a b c d; do comment "$who <$who@example.net>" "$ART" "From $who."; done
poll
d=$(outbox_last '^Reply-To: .*comments\+d_')
check "a digest lists the pending comments" test -n "$d"
check "and no single notifications are sent" test -z "$(notification_for 1)"
decoded "${d:-/dev/null}" >digest.txt
grep_ok "the digest names comment 4" '^#4 ' digest.txt
reply_to "$d" "$MOD" "approve 1 2
reject 3 hors sujet" --lang fr --style top
poll
check "one digest reply decides several comments" test \
	"$(sql 'SELECT group_concat(status) FROM (SELECT status FROM comments ORDER BY id)')" = "approved,approved,rejected,pending"
comment "e <e@example.net>" "$ART" "Late."
poll
# digests: mails with a digest token that answer nothing (the answer to
# a digest reply carries one too)
digests() { grep -lE '^Reply-To: .*comments\+d_' "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -L '^In-Reply-To:' | wc -l; }
check "the next digest waits for its time" test "$(digests)" = 1
MAILCOMMENTS_NOW=$(($(date +%s) + 3700)) poll
check "and comes when it is due" test "$(digests)" = 2
d2=$(outbox_last '^Reply-To: .*comments\+d_')
reply_to "$d2" "$MOD" "approve 4"
MAILCOMMENTS_NOW=$(($(date +%s) + 3800)) poll
check "a digest only acts on its own comments" test "$(status_of 4)" = pending

fresh 'moderation = { moderators = ["moderator@example.org"]; };'
# French typography: a non-breaking space before : ; ! ? and inside « ».
NB=$(printf '\302\240')
sed -i 's/^site = {/site = { language = "fr";/' mc.conf
comment "Zoé <zoe@example.net>" "$ART" "Un avis."
poll
n=$(notification_for 1)
check "site.language = fr: the notification is in French" test \
	"$($MUA subject "${n:-/dev/null}")" = "[Le Blog] Nouveau commentaire sur «${NB}La panne mondiale${NB}» de Zoé (n°${NB}1)"
decoded "${n:-/dev/null}" >fr.txt
grep_ok "with the French commands" '^  oui / approuver    publier le commentaire$' fr.txt
reply_to "$n" "$MOD" "approuver" --lang fr
poll
c=$(outbox_last '^Delivered-To: moderator@example.org' )
decoded "$c" >fr-done.txt
grep_ok "and a French confirmation" "^Commentaire n°${NB}1 de Zoé${NB}: approuvé\.\$" fr-done.txt

fresh 'limits = { comments_per_hour = 2; pending_per_sender = 100; };'
for i in 1 2 3; do comment "A <a@example.net>" "$ART" "Flood $i." --message-id "<flood$i@example.net>"; done
poll
check "the rate limit stores two an hour" test "$(sql 'SELECT count(*) FROM comments')" = 2
check "the third is set aside" test \
	"$(sql "SELECT outcome FROM processed WHERE key = '<flood3@example.net>'")" = "set aside: over 2 comments an hour"

fresh 'limits = { pending_per_sender = 1; };'
for i in 1 2; do comment "A <a@example.net>" "$ART" "Wait $i."; done
poll
check "pending_per_sender holds one" test "$(sql 'SELECT count(*) FROM comments')" = 1

fresh 'spam = { header = "spamassassin"; threshold = 5.0; };'
comment "S <s@example.net>" "$ART" "Cheap pills" --header 'X-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99'
comment "H <h@example.net>" "$ART" "Honest comment" --header 'X-Spam-Status: No, score=1.2 required=5.0'
poll
check "a spam verdict over the threshold sets the comment aside as spam" test "$(status_of 1)" = spam
check "without notifying anyone" test -z "$(notification_for 1)"
check "a low score is stored pending" test "$(status_of 2)" = pending
decoded "$(notification_for 2)" >n2.txt
grep_ok "with the score in the notification" 'Spam score: 1\.2' n2.txt
fresh 'spam = { header = "rspamd"; threshold = 6.0; };'
comment "S <s@example.net>" "$ART" "Pills" --header 'X-Spamd-Result: default: False [8.10 / 15.00]; BAYES_SPAM(5.1)'
comment "T <t@example.net>" "$ART" "Pills" --header 'X-Spam-Status: Yes, score=9.9'
poll
check "rspamd's verdict is read" test "$(status_of 1)" = spam
check "a header that is not trusted is ignored" test "$(status_of 2)" = pending
t_done
