#!/bin/bash
# t-moderation.sh: the moderation loop end to end on the embedded
# defaults: a comment goes in, the notification comes out, a moderator's
# reply (written as mail clients write them, English and French, top- and
# bottom-posted, and one in Polish) comes back in, and each decision does
# what it says.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

site
ALICE='Alice Martin <alice@example.net>'
MOD='Modératrice <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org

comment "$ALICE" "$ART" "Très bon article, merci pour ces détails !"
poll
check "the comment is stored pending" test "$(status_of 1)" = pending
n=$(notification_for 1)
check "a notification is in the outbox" test -n "$n"
n=${n:-/dev/null}
grep_ok "notification goes to the moderator" '^Delivered-To: moderator@example.org' "$n"
grep_ok "notification is From the gateway" '^From: Comments <comments@example.org>' "$n"
grep_ok "Reply-To carries a token" '^Reply-To: .*<comments\+m_[a-z2-7]{32}@example.org>' "$n"
tok=$(grep -oE 'm_[a-z2-7]{32}' "$n" | head -1)
grep_ok "the Message-ID embeds the same token" "^Message-ID: <mailcomments\.$tok@example\.org>" "$n"
grep_ok "Auto-Submitted: auto-generated" '^Auto-Submitted: auto-generated' "$n"
grep_ok "a Date header" '^Date: [A-Z][a-z]{2}, ' "$n"
grep_ok "UTF-8 quoted-printable" 'Content-Transfer-Encoding: quoted-printable' "$n"
decoded "$n" >n.txt
grep_ok "the comment exactly as it will be published" '^Très bon article, merci pour ces détails !$' n.txt
grep_ok "the article title and URL" 'https://blog.example.org/2024/panne-mondiale/' n.txt
grep_ok "the author's name and address, for the moderators only" '^From: Alice Martin <alice@example.net>$' n.txt
check "both moderators are notified" test "$(outbox_count '^Delivered-To: second@example.org')" = 1

reply_to "$n" "$MOD" "approve" --style top
poll
check "top-posted 'approve' publishes" test "$(status_of 1)" = approved
check "the audit log has who, what, which message" test \
	"$(sql "SELECT actor || '|' || action || '|' || (message_id LIKE '%mua.test') FROM audit WHERE comment_id = 1")" \
	= "moderator@example.org|approve|1"
p=$(outbox_last '^Delivered-To: alice@example.net')
check "the commenter's publish notice is in the outbox" test -n "$p"
grep_ok "the notice is From the gateway" '^From: Comments <comments@example.org>' "${p:-/dev/null}"
c=$(outbox_last '^Subject: Re: ')
check "the moderator gets a confirmation" test -n "$c"
decoded "${c:-/dev/null}" | grep -q 'approved' && ok "the confirmation says approved" ||
	notok "the confirmation says approved"

# French, bottom-posted, with the whole notification quoted.
comment "Bob <bob@example.net>" "$ART" "Je ne suis pas d'accord."
poll
reply_to "$(notification_for 2)" "$MOD" "Oui" --style bottom --lang fr
poll
check "bottom-posted French 'Oui' publishes" test "$(status_of 2)" = approved

comment "Carol <carol@example.net>" "$ART" "Hors sujet total."
poll
reply_to "$(notification_for 3)" "$MOD" "reject off-topic"
poll
check "reject refuses" test "$(status_of 3)" = rejected
check "the reason is in the audit log" test \
	"$(sql "SELECT detail FROM audit WHERE comment_id = 3 AND action = 'reject'")" = off-topic
check "no publish notice for a rejected comment" test "$(outbox_count '^Delivered-To: carol@example.net')" = 0

comment "Spammer <spam@spam.example>" "$ART" "Buy now"
poll
reply_to "$(notification_for 4)" "$MOD" "spam"
poll
check "spam refuses" test "$(status_of 4)" = spam
check "spam bans the sender" test "$(sql "SELECT banned FROM senders WHERE address = 'spam@spam.example'")" = 1
comment "Spammer <spam@spam.example>" "$ART" "Buy again" --message-id '<again@spam.example>'
poll
check "a banned sender's comment is set aside" test \
	"$(sql "SELECT outcome FROM processed WHERE key = '<again@spam.example>'")" = "set aside: banned sender"
check "and stored nowhere" test "$(sql "SELECT count(*) FROM comments WHERE author_address = 'spam@spam.example'")" = 1
reply_to "$(notification_for 1)" "$MOD" "supprimer" --lang fr
poll
check "delete unpublishes an approved comment" test "$(status_of 1)" = deleted

comment "Dan <dan@example.net>" "$ART" "Il y a une fote."
poll
reply_to "$(notification_for 5)" "$MOD" "edit
Il y a une faute." --style top
poll
check "edit publishes the corrected text" test \
	"$(sql "SELECT status || '|' || body || '|' || original_body FROM comments WHERE id = 5")" \
	= "approved|Il y a une faute.|Il y a une fote."

comment "Eve <eve@example.net>" "$ART" "Une question ?"
poll
reply_to "$(notification_for 6)" "$MOD" "reply
Bonne question : voir la mise à jour." --style top
poll
check "reply publishes the comment" test "$(status_of 6)" = approved
check "and the moderator's answer under it" test \
	"$(sql "SELECT parent_id || '|' || by_moderator || '|' || status || '|' || body FROM comments WHERE parent_id = 6")" \
	= "6|1|approved|Bonne question : voir la mise à jour."
check "the commenter hears of the answer" test "$(outbox_count '^Subject: .*=?UTF-8\?B\?|^Subject: New reply')" -ge 1

comment "Fred <fred@example.net>" "$ART" "Premier commentaire."
poll
reply_to "$(notification_for 8)" "$MOD" "trust"
poll
check "trust publishes" test "$(status_of 8)" = approved
comment "Fred <fred@example.net>" "$ART" "Second commentaire."
poll
check "a trusted sender is published at once" test "$(status_of 9)" = approved
check "without a notification" test -z "$(notification_for 9)"

# undo, and a second moderator who disagrees.
comment "Gus <gus@example.net>" "$ART" "Discutable."
poll
n10=$(notification_for 10)
reply_to "$n10" "$MOD" "approve"
poll
reply_to "$n10" "Second <second@example.org>" "reject"
poll
check "a second moderator's conflicting decision changes nothing" test "$(status_of 10)" = approved
a=$(outbox_last '^Delivered-To: second@example.org')
decoded "${a:-/dev/null}" >conflict.txt
grep_ok "and is answered with the first one's decision" 'already approved by moderator@example.org' conflict.txt
reply_to "$n10" "$MOD" "undo"
poll
check "undo reverts this moderator's decision" test "$(status_of 10)" = pending
reply_to "$n10" "Second <second@example.org>" "non"
poll
check "then the second moderator can decide" test "$(status_of 10)" = rejected

# Unknown commands get the help text.
comment "Hal <hal@example.net>" "$ART" "Bonjour."
poll
reply_to "$(notification_for 11)" "$MOD" "peut-être plus tard" --lang fr
poll
check "an unknown command changes nothing" test "$(status_of 11)" = pending
h=$(outbox_last '^Subject: Re: ')
decoded "${h:-/dev/null}" >help.txt
grep_ok "it is answered with the help text" 'reject \[reason\]' help.txt

# Reply notices, and unsubscribing by reply.
comment "Ivy <ivy@example.net>" comments+2024/panne-mondiale.9@example.org "Je réponds à Fred."
poll
reply_to "$(notification_for 12)" "$MOD" "ok"
poll
check "a reply to a comment is stored under it" test "$(sql 'SELECT parent_id FROM comments WHERE id = 12')" = 9
r=$(outbox_last '^Delivered-To: fred@example.net')
check "the parent's author gets a reply notice" test -n "$r"
r=${r:-/dev/null}
grep_ok "with List-Unsubscribe" '^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]{32}@example.org\?subject=unsubscribe>' "$r"
grep_not "and, mailto: alone, no List-Unsubscribe-Post (RFC 8058; t-outgoing)" '^List-Unsubscribe-Post' "$r"
reply_to "$r" "Fred <fred@example.net>" "unsubscribe"
poll
check "replying unsubscribes" test "$(sql "SELECT unsubscribed FROM senders WHERE address = 'fred@example.net'")" = 1

# Mail for an unknown article, and a duplicate Message-ID.
comment "Jo <jo@example.net>" comments+nope@example.org "Hello" --message-id '<unknown@example.net>'
comment "Jo <jo@example.net>" "$ART" "Hello" --message-id '<dup@example.net>'
comment "Jo <jo@example.net>" "$ART" "Hello again" --message-id '<dup@example.net>'
poll
check "an unknown article is set aside" test \
	"$(sql "SELECT outcome FROM processed WHERE key = '<unknown@example.net>'")" = "set aside: unknown article"
check "a duplicate Message-ID is stored once" test \
	"$(sql "SELECT count(*) FROM comments WHERE message_id = 'dup@example.net'")" = 1

# Loops: an auto-reply to a notification and a bounce are never answered.
before=$(ls "$OUTBOX/new" | wc -l)
reply_to "$(notification_for 11)" "$MOD" "I am out of office." --header 'Auto-Submitted: auto-replied'
comment "Mail Delivery System <MAILER-DAEMON@mx.example.net>" alice@example.net \
	"Delivery failed" --header 'Return-Path: <>'
poll
check "auto-replies and bounces get no answer" test "$(ls "$OUTBOX/new" | wc -l)" = "$before"
check "and are recorded as set aside" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome LIKE 'set aside: autoreply%' OR outcome LIKE 'set aside: bounce%'")" = 2

mc render >/dev/null 2>&1
check "no commenter's address in any page, JSON or feed" test \
	"$(grep -rlE '@example\.net|%40example\.net' var/site | wc -l)" = 0
check "no reader mail shows another commenter's address" test \
	"$(for f in $(grep -L '^Delivered-To: \(moderator\|second\)@example.org' "$OUTBOX"/new/*); do
		to=$(sed -n 's/^Delivered-To: //p' "$f" | head -1)
		decoded "$f" | grep -oE '[a-z]+@example\.net' | grep -vx "$to"
	done | wc -l)" = 0
check "every source message was acknowledged" test "$(ls "$INBOX/new" | wc -l)" = 0
check "no outgoing mail is From a commenter" test \
	"$(for f in "$OUTBOX"/new/*; do headers_of "$f" | grep '^From:'; done | sort -u)" \
	= "From: Comments <comments@example.org>"
check "every outgoing mail is auto-generated" test \
	"$(grep -L '^Auto-Submitted: auto-generated' "$OUTBOX"/new/* | wc -l)" = 0

# A domain banned by the operator: any address there, in any case.
expect_rc 0 "the operator bans a domain" mc ban @Flood.example
comment "Bot <bot7@flood.example>" "$ART" "Buy" --message-id '<bot7@flood.example>'
comment "Ann <ann@example.net>" "$ART" "Not banned." --message-id '<ann1@example.net>'
poll
check "a comment from the banned domain is set aside" test \
	"$(sql "SELECT outcome FROM processed WHERE key = '<bot7@flood.example>'")" = "set aside: banned sender"
check "one from elsewhere is not" test \
	"$(sql "SELECT count(*) FROM comments WHERE author_address = 'ann@example.net'")" = 1

# A Polish moderator on a site that speaks French: commands are read in
# every language, greeting and politeness included, accents or not.
comment "Zofia <zofia@example.net>" "$ART" "Świetny artykuł." --message-id '<zofia1@example.net>'
poll
z=$(sql "SELECT id FROM comments WHERE message_id = 'zofia1@example.net'")
reply_to "$(notification_for "$z")" "$MOD" "Dzień dobry,

Nie publikuj tego, dziękuję." --style top
poll
check "Polish \"Nie publikuj tego\" rejects" test "$(status_of "$z")" = rejected
check "the audit log has the rejection" test \
	"$(sql "SELECT action FROM audit WHERE comment_id = $z")" = reject

t_done
