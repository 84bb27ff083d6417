#!/bin/bash
# t-follow.sh: following an article by mail.  A request to
# comments+SLUG+follow@ asks for a confirmation (one a day per mailbox,
# however it is spelt), the reply from that mailbox subscribes it, each
# newly published comment then reaches the followers but its author, and
# the List-Unsubscribe mailto ends that one subscription.  Forged
# requests, banned senders, unknown and closed articles, and forget.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
# French typography: a non-breaking space before : ; ! ? and inside « ».
NB=$(printf '\302\240')

ART=comments+2024/panne-mondiale@example.org
FOLLOW=comments+2024/panne-mondiale+follow@example.org
HELLO_FOLLOW=comments+notes/hello+follow@example.org
MOD='Moderator <moderator@example.org>'
DAY=86400
NOW=$(date +%s)
export MAILCOMMENTS_NOW=$NOW

# later DAYS: moves the clock on.
later() { NOW=$((NOW + $1 * DAY)); export MAILCOMMENTS_NOW=$NOW; }

fresh() {
	rm -rf var mc.conf poll.log
	site "$1"
}

# deliver NAME: standard input becomes a new mail of the inbox.
deliver() {
	mkdir -p "$INBOX/tmp" "$INBOX/new" "$INBOX/cur"
	cat >"$INBOX/tmp/$1" && mv "$INBOX/tmp/$1" "$INBOX/new/$1"
}

# raw ID FROM TO [BODY] [SUBJECT]: a mail with From: and To: as written.
raw() {
	{
		printf 'From: %s\nTo: <%s>\nSubject: %s\n' "$2" "$3" "${5:-follow}"
		printf 'Message-ID: <%s@mua.test>\n' "$1"
		printf 'Date: Mon, 29 Jul 2024 10:00:00 +0000\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		[ -n "${4:-}" ] && printf '%s\n' "$4"
	} | deliver "$1"
}

outcome_of() { sql "SELECT outcome FROM processed WHERE key = '<$1@mua.test>'"; }
kind_count() { sql "SELECT count(*) FROM outbox WHERE kind = '$1'"; }
followers() { sql "SELECT count(*) FROM followers"; }
# the List-Unsubscribe mailto address of a mail
unsub_of() { sed -n 's/^List-Unsubscribe: .*<mailto:\([^?]*\)?subject=unsubscribe>.*/\1/p' "$1"; }

# ---- 1. five spellings, one confirmation --------------------------------
fresh 'moderation = { moderators = ["moderator@example.org"]; };'
SPELLINGS=('Rita <rita@example.net>' '<rita+1@example.net>' \
	'<"rita"@example.net>' '<rita@example.net.>' '<RITA@EXAMPLE.NET>')
for i in 0 1 2 3 4; do
	# the first one empty, as a mailto: link with a subject only sends
	raw "req-$i" "${SPELLINGS[$i]}" "$FOLLOW" "$([ $i = 0 ] || echo 'Please follow.')"
done
poll
check "an empty follow request is no invalid mail" test \
	"$(outcome_of req-0)" = "follow request: confirmation sent"
check "five requests in five spellings: ONE confirmation mail" test \
	"$(kind_count follow-confirmation)" = 1
check "the others say why none was sent" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome LIKE 'follow request: a confirmation went%'")" = 4
check "a request alone subscribes nobody" test "$(followers)" = 0
check "a follow request is no comment" test "$(sql 'SELECT count(*) FROM comments')" = 0
cf=$(outbox_last '^Reply-To: .*comments\+f_')
check "the confirmation asks to reply to a follow token" test -n "$cf"
cf=${cf:-/dev/null}
grep_ok "it goes to the requesting address" '^Delivered-To: rita@example.net' "$cf"
grep_ok "it is an automatic mail" '^Auto-Submitted: auto-generated' "$cf"
decoded "$cf" >cf.txt
grep_ok "it names the article" 'La panne mondiale' cf.txt
grep_ok "and says what to do" 'Reply to this mail' cf.txt
check "its token is scoped to the article" test \
	"$(sql "SELECT a.slug FROM tokens t JOIN articles a ON a.id = t.article_id WHERE t.purpose = 'follow'")" = 2024/panne-mondiale

# ---- 2. confirming -------------------------------------------------------
reply_to "$cf" 'Mallory <mallory@attacker.example>' "yes" --style none
poll
check "a reply from another mailbox subscribes nobody" test "$(followers)" = 0
check "and is refused" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'refused' AND detail = 'follow confirmation from another address'")" = 1
reply_to "$cf" 'Rita <Rita+phone@Example.NET>' "" --style bottom
poll
check "the reply from the mailbox, any spelling, even with only the quote, subscribes it" test \
	"$(sql "SELECT address_key FROM followers")" = rita@example.net
check "it is told so, once" test "$(kind_count follow-answer)" = 1
w=$(outbox_last '^Subject: You now follow')
w=${w:-/dev/null}
grep_ok "\"you now follow\" carries a List-Unsubscribe" '^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]{32}@example.org\?subject=unsubscribe>' "$w"
decoded "$w" >w.txt
grep_ok "and says how to stop" 'To stop, use the' w.txt
reply_to "$cf" 'Rita <rita@example.net>' "yes again" --style none
poll
check "the confirmation token works once" test "$(kind_count follow-answer)" = 1
check "a second reply is refused as spent" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'refused' AND detail = 'revoked token'")" = 1
later 2
raw req-again 'Rita <rita@example.net>' "$FOLLOW" "follow"
poll
check "a follower asking again gets no new request, even days later" test \
	"$(kind_count follow-confirmation) $(outcome_of req-again)" = "1 follow request: already following"

# A second follower, Sam, through the same steps.
raw req-sam 'Sam <sam@example.net>' "$FOLLOW" "follow"
poll
reply_to "$(outbox_last '^Delivered-To: sam@example.net')" 'Sam <sam@example.net>' "ok" --style top
poll
check "a second follower" test "$(followers)" = 2

# ---- 3. new comments reach the followers --------------------------------
comment "Bob <bob@example.net>" "$ART" "Write to me at bob@example.net, I know more."
poll
check "a pending comment reaches no follower" test "$(kind_count follow-notice)" = 0
reply_to "$(notification_for 1)" "$MOD" "approve"
poll
check "a comment approved by a moderator goes to both followers" test "$(kind_count follow-notice)" = 2
reply_to "$(notification_for 1)" "$MOD" "undo"
poll
reply_to "$(notification_for 1)" "$MOD" "approve"
poll
check "undone and approved again, it is not sent to the followers twice" \
	test "$(status_of 1) $(kind_count follow-notice)" = "approved 2"
f=$(outbox_last '^Delivered-To: rita@example.net')
check "rita's copy" test -n "$f"
f=${f:-/dev/null}
grep_ok "its subject" '^Subject: New comment on' "$f"
grep_ok "a reply answers the comment in public" '^Reply-To: .*<comments\+2024/panne-mondiale\.1@example\.org>' "$f"
grep_ok "a one-step List-Unsubscribe" '^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]{32}@example.org\?subject=unsubscribe>' "$f"
grep_not "mailto: alone, no List-Unsubscribe-Post" '^List-Unsubscribe-Post' "$f"
grep_ok "threaded as a notice about the comment" '^Message-ID: <mailcomments\.n1\.' "$f"
decoded "$f" >f.txt
grep_ok "with the public name" '^Bob commented on "La panne mondiale"' f.txt
grep_ok "and the text" 'I know more' f.txt
grep_not "the author's address masked, as on the page" 'bob@example\.net' f.txt
grep_ok "a footer on how to stop" 'you follow this article' f.txt
check "the unsubscribe token is the article's, for no comment" test \
	"$(sql "SELECT count(*) FROM tokens WHERE purpose = 'unsubscribe' AND article_id IS NOT NULL AND comment_id IS NULL AND address = 'sam@example.net'")" = 2

# Replying to a follow mail answers the comment in public.
reply_to "$(outbox_last '^Delivered-To: sam@example.net')" 'Sam <sam@example.net>' "I disagree, Bob." --style top
poll
check "a reply to a follow mail is a comment under that comment, pending" test \
	"$(sql "SELECT parent_id || ' ' || status FROM comments WHERE author_key = 'sam@example.net'")" = "1 pending"
sql "DELETE FROM comments WHERE author_key = 'sam@example.net'"

# The author of a comment who follows gets no copy of their own.
comment "Rita <rita@example.net>" "$ART" "Thanks Bob."
poll
mc approve 2 >/dev/null 2>&1
poll
check "an approval from the shell reaches the followers but the author" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'sam@example.net'")" = 2
check "rita got no copy of her own comment" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'rita@example.net'")" = 1

# A reply to a follower's comment: the reply notice, not a second copy.
comment "Bob <bob@example.net>" comments+2024/panne-mondiale.2@example.org "You are welcome, Rita."
poll
reply_to "$(notification_for 3)" "$MOD" "trust"
poll
check "the parent's author gets the reply notice" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'reply-notice' AND recipient = 'rita@example.net'")" = 1
check "and no follow mail besides" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'rita@example.net'")" = 1
check "the other follower gets it" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'sam@example.net'")" = 3

# Automatic approval (a trusted sender) reaches the followers too.
comment "Bob <bob@example.net>" "$ART" "One more thing."
poll
check "an automatic approval reaches the followers" test \
	"$(status_of 4) $(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'rita@example.net'")" = "approved 2"

# ---- 4. unfollowing ------------------------------------------------------
# rita follows hello too (two days later: one confirmation a day)
later 2
raw req-hello 'Rita <rita@example.net>' "$HELLO_FOLLOW" "follow"
poll
reply_to "$(outbox_last '^Reply-To: .*comments\+f_')" 'Rita <rita@example.net>' "oui" --style none
poll
check "rita follows two articles" test \
	"$(sql "SELECT count(*) FROM followers WHERE address_key = 'rita@example.net'")" = 2
f=$(grep -l '^Subject: New comment on' "$OUTBOX"/new/* | xargs grep -l '^Delivered-To: rita@example.net' | newest)
u=$(unsub_of "${f:-/dev/null}")
check "the follow mail names an unsubscribe address" test -n "$u"
# the List-Unsubscribe mailto, as a mail program's button sends it: no text
raw unsub-1 'Rita <rita@example.net>' "${u:-x@example.org}" "" unsubscribe
poll
check "the mailto unsubscribes from that article" test \
	"$(outcome_of unsub-1)" = unfollowed
check "and from that article only" test \
	"$(sql "SELECT a.slug FROM followers f JOIN articles a ON a.id = f.article_id WHERE address_key = 'rita@example.net'")" = notes/hello
check "rita's global flag is untouched" test \
	"$(sql "SELECT COALESCE(max(unsubscribed), 0) FROM senders WHERE address = 'rita@example.net'")" = 0
a=$(outbox_last '^Subject: Re: unsubscribe')
check "the answer goes to the follower" test -n "$a"
decoded "${a:-/dev/null}" >a.txt
grep_ok "and says it is over" 'no longer follow the comments on "La panne mondiale"' a.txt
raw unsub-2 'Someone <someone@example.com>' "${u:-x@example.org}" "" unsubscribe
poll
check "the same unsubscribe again: no second answer" test \
	"$(outcome_of unsub-2) $(outbox_count '^Subject: Re: unsubscribe')" = "unfollow: was not following 1"
comment "Bob <bob@example.net>" "$ART" "Anyone still here?"
poll
check "no more mail to rita about that article" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'rita@example.net'")" = 2
check "sam still gets them" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'sam@example.net'")" = 5
# a global unsubscribe stops follow mail too
sql "UPDATE senders SET unsubscribed = 1 WHERE address = 'sam@example.net'"
comment "Bob <bob@example.net>" "$ART" "And now?"
poll
check "a mailbox unsubscribed from everything gets no follow mail" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'follow-notice' AND recipient = 'sam@example.net'")" = 5

# ---- 5. refused requests -------------------------------------------------
mc ban 'Spammer <spam@example.net>' >/dev/null 2>&1 || mc ban spam@example.net >/dev/null 2>&1
raw req-banned 'Spammer <spam@example.net>' "$FOLLOW" "follow"
raw req-unknown 'Una <una@example.net>' comments+nope+follow@example.org "follow"
raw req-bad 'Una <una@example.net>' comments+No_Pe+follow@example.org "follow"
sql "UPDATE articles SET closed_at = $NOW WHERE slug = 'notes/hello'"
raw req-closed 'Una <una@example.net>' "$HELLO_FOLLOW" "follow"
raw req-gw 'Loop <comments+x.1@example.org>' "$FOLLOW" "follow"
before=$(sql "SELECT count(*) FROM outbox")
poll
check "a banned sender is refused" test "$(outcome_of req-banned)" = "set aside: banned sender"
check "an unknown article is set aside" test \
	"$(outcome_of req-unknown)" = "set aside: follow request for an unknown article"
check "a malformed follow address is no follow request" test \
	"$(outcome_of req-bad)" = "set aside: no article"
check "a closed article is set aside" test \
	"$(outcome_of req-closed)" = "set aside: follow request for a closed article"
check "the gateway never asks itself" test "$(outcome_of req-gw)" = "set aside: from the gateway itself"
check "none of them is answered" test "$(sql "SELECT count(*) FROM outbox")" = "$before"

# ---- 6. forget -------------------------------------------------------------
sql "UPDATE articles SET closed_at = NULL"
later 2
raw req-rita3 '<Rita+news@Example.NET>' "$FOLLOW" "follow"
poll
reply_to "$(outbox_last '^Reply-To: .*comments\+f_')" 'Rita <rita@example.net>' "ok" --style none
poll
check "rita follows both again" test \
	"$(sql "SELECT count(*) FROM followers WHERE address_key = 'rita@example.net'")" = 2
raw req-sam2 'Sam <sam@example.net>' "$HELLO_FOLLOW" "follow"
poll
reply_to "$(outbox_last '^Delivered-To: sam@example.net')" 'Sam <sam@example.net>' "yes" --style none
poll
check "following again, by a proven request, lifts a global unsubscribe" test \
	"$(sql "SELECT count(*) FROM followers WHERE address_key = 'sam@example.net'") $(sql "SELECT unsubscribed FROM senders WHERE address = 'sam@example.net'")" = "2 0"
expect_rc 0 "forget rita" mc forget rita@example.net
check "forget removes every subscription of the mailbox, in any spelling" test \
	"$(sql "SELECT count(*) FROM followers WHERE address_key = 'rita@example.net'")" = 0
check "and the tokens of its subscriptions" test \
	"$(sql "SELECT count(*) FROM tokens WHERE lower(address) LIKE 'rita%'")" = 0
check "and every mail to it" test \
	"$(sql "SELECT count(*) FROM outbox WHERE lower(recipient) LIKE 'rita%'")" = 0
check "sam stays" test "$(sql "SELECT count(*) FROM followers WHERE address_key = 'sam@example.net'")" = 2

# ---- 7. a forged request for a victim -------------------------------------
fresh 'moderation = { moderators = ["moderator@example.org"]; confirm_new_senders = true; };'
for i in 1 2 3; do
	raw "forged-$i" 'Victim <victim@example.com>' "$FOLLOW" "follow"
done
poll
check "three forged requests: one confirmation to the victim" test \
	"$(kind_count follow-confirmation)" = 1
check "nothing to the forger" test "$(sql "SELECT count(*) FROM outbox WHERE recipient NOT LIKE 'victim%'")" = 0
raw forged-reply 'Victim <victim@example.com>' comments+f_abcdefghijklmnopqrstuvwxyz234567@example.org "yes"
poll
check "a guessed follow token subscribes nobody" test "$(followers)" = 0
comment "Victim <victim@example.com>" "$ART" "A forged comment too."
poll
check "the rule is shared: no comment confirmation the same day" test \
	"$(kind_count confirmation)" = 0
later 2
comment "Victim <victim@example.com>" "$ART" "Another forged comment."
poll
check "a day later, one comment confirmation" test "$(kind_count confirmation)" = 1
# (the confirmation answered with nothing but the quote still counts)
reply_to "$(outbox_last '^Reply-To: .*comments\+c_')" 'Victim <victim@example.com>' "" --style bottom
poll
check "a comment confirmation answered with only the quote releases the comments" test \
	"$(sql "SELECT count(*) FROM comments WHERE status = 'pending'")" = 2
raw forged-4 'Victim <victim@example.com>' "$FOLLOW" "follow"
poll
check "and then no follow confirmation the same day" test \
	"$(kind_count follow-confirmation)" = 1
check "the victim follows nothing" test "$(followers)" = 0

# ---- 8. in French, and the one-click endpoint -------------------------------
# (the site, and the article's page: follow mails speak the article's)
PAGE_LANG=fr fresh 'moderation = { moderators = ["moderator@example.org"]; mode = "none"; };
address = { unsubscribe_url = "https://blog.example.org/unsub?t={token}"; };'
sed -i 's/^site = {/site = { language = "fr";/' mc.conf
raw fr-1 'Rita <rita@example.net>' "$FOLLOW" "suivre"
poll
cf=$(outbox_last '^Reply-To: .*comments\+f_')
check "a French confirmation" test "$($MUA subject "${cf:-/dev/null}")" = "Veuillez confirmer${NB}: suivre les commentaires de «${NB}La panne mondiale${NB}»"
reply_to "${cf:-/dev/null}" 'Rita <rita@example.net>' "oui" --style none --lang fr
poll
comment "Zoé <zoe@example.net>" "$ART" "Très juste."
poll
f=$(grep -l '^List-Unsubscribe-Post' "$OUTBOX"/new/* | xargs grep -l '^Delivered-To: rita@example.net' | newest)
check "with unsubscribe_url: List-Unsubscribe-Post" test -n "$f"
f=${f:-/dev/null}
grep_ok "and the https link first" '^List-Unsubscribe: <https://blog.example.org/unsub\?t=u_[a-z2-7]{32}>,' "$f"
decoded "$f" >ffr.txt
grep_ok "the text in French" "^Zoé a commenté «${NB}La panne mondiale${NB}»" ffr.txt
grep_ok "the footer in French" 'vous suivez cet article' ffr.txt

t_done
