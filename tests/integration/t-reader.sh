#!/bin/bash
# t-reader.sh: commenters act on their own comments by replying to the
# gateway's notices (issue 10).  The publish notice and the reply notice
# carry a commenter token in Reply-To: a command line from the same
# mailbox (edit, delete, mute, unsubscribe) acts on that one comment,
# months later too; any other text is a new comment in reply to the
# comment the notice showed.  Old reply notices (Reply-To u_TOKEN)
# unsubscribe only when asked to in so many words.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

site
MOD='Modératrice <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
PAGE=var/site/2024/panne-mondiale/index.html

# published ADDR [N]: the newest publish notice to ADDR (about comment N).
published() {
	if [ -z "${2:-}" ]; then
		$MUA find "$OUTBOX/new" --subject 'is published' --to "$1"
		return
	fi
	grep -l "^Delivered-To: $1" "$OUTBOX"/new/* | xargs grep -l '^Subject: Your comment' |
		xargs grep -l "#comment-$2\$" | newest
}
# reply_notice ADDR: the newest reply notice to ADDR.
reply_notice() { $MUA find "$OUTBOX/new" --subject '^New reply' --to "$1"; }
# answer_to ADDR: the newest answer to ADDR.
answer_to() { $MUA find "$OUTBOX/new" --subject '^Re: ' --to "$1"; }
approve() { reply_to "$(notification_for "$1")" "$MOD" approve; poll; }
body_of() { sql "SELECT body FROM comments WHERE id = $1"; }
unsubscribed() { sql "SELECT COALESCE(MAX(unsubscribed), 0) FROM senders WHERE address = '$1'"; }
count_to() { grep -l "^Delivered-To: $1" "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -l "^Subject: $2" | wc -l; }
id_of() { sql "SELECT id FROM comments WHERE body = '$1'"; }
outcome_last() { sql "SELECT outcome FROM processed ORDER BY id DESC LIMIT 1"; }

# ---- the notices carry a commenter token --------------------------
comment 'Alice Martin <alice@example.net>' "$ART" "Alice's first words."
poll
approve 1
p=$(published alice@example.net)
check "the publish notice is sent" test -n "$p"
p=${p:-/dev/null}
grep_ok "its Reply-To is a commenter token" '^Reply-To: .*<comments\+r_[a-z2-7]{32}@example.org>' "$p"
decoded "$p" >pub.txt
grep_ok "its text says what the reader can reply" '^  edit  ' pub.txt
grep_ok "and that any other text is a new comment" 'becomes a new comment under yours' pub.txt
rtok=$(grep -oE 'r_[a-z2-7]{32}' "$p" | head -1)
art=$(sql "SELECT id FROM articles WHERE slug = '2024/panne-mondiale'")
check "the commenter token is stored for comment 1, its author, its article" test \
	"$(sql "SELECT comment_id || '|' || address || '|' || article_id || '|' || context_id FROM tokens WHERE purpose = 'reader'")" \
	= "1|alice@example.net|$art|1"
check "it lives about two years (moderation.reader_token_days = 730)" test \
	"$(sql "SELECT (expires_at - created_at) / 86400 FROM tokens WHERE purpose = 'reader'")" = 730
check "and only its hash is at rest" test "$(sqlite3 "$DB" .dump | grep -c "${rtok#r_}")" = 0

comment 'Bob <bob@example.net>' comments+2024/panne-mondiale.1@example.org "Bob answers Alice."
poll
approve 2
r=$(reply_notice alice@example.net)
check "Alice gets a reply notice" test -n "$r"
r=${r:-/dev/null}
grep_ok "its Reply-To is a commenter token, not the unsubscribe token" \
	'^Reply-To: .*<comments\+r_[a-z2-7]{32}@example.org>' "$r"
grep_ok "List-Unsubscribe keeps the unsubscribe token" \
	'^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]{32}@example.org\?subject=unsubscribe>' "$r"
check "its token is Alice's, showing Bob's reply" test \
	"$(sql "SELECT comment_id || '|' || context_id FROM tokens WHERE purpose = 'reader' ORDER BY id DESC LIMIT 1")" = "1|2"
decoded "$r" >rn.txt
grep_ok "its text says a reply is a public answer" 'becomes your public answer' rn.txt

# ---- a reply to a reply notice is a new comment --------------------
reply_to "$r" 'Alice Martin <alice@example.net>' "Thanks, good point!"
poll
check "\"Thanks, good point!\" is a new pending comment" test "$(status_of 3)" = pending
check "in reply to the reply the notice was about" test "$(sql 'SELECT parent_id FROM comments WHERE id = 3')" = 2
check "its text is kept" test "$(body_of 3)" = "Thanks, good point!"
check "and Alice is not unsubscribed" test "$(unsubscribed alice@example.net)" = 0
check "the moderators are notified" test -n "$(notification_for 3)"
approve 3
check "once approved, Bob hears of Alice's answer" test "$(count_to bob@example.net 'New reply')" = 1

# A sentence that starts with a command word is not a command.
before=$(sql 'SELECT count(*) FROM comments')
reply_to "$r" 'Alice Martin <alice@example.net>' "Delete this nonsense, you are wrong"
poll
check "\"Delete this nonsense...\" deletes nothing" test "$(status_of 1)" = approved
check "and is no new comment" test "$(sql 'SELECT count(*) FROM comments')" = "$before"
a=$(answer_to alice@example.net)
decoded "${a:-/dev/null}" >help.txt
grep_ok "the reader gets the reader help" 'alone on the first line' help.txt
grep_ok "quoting the line" 'Delete this nonsense' help.txt
grep_not "not the moderators' commands" 'approve' help.txt
grep_ok "the help answer carries a commenter token too" '^Reply-To: .*<comments\+r_' "${a:-/dev/null}"
# After a greeting too: the greeting is skipped, the sentence still is
# no command, and no comment either.
reply_to "$r" 'Alice Martin <alice@example.net>' $'Hello,\n\nDelete this nonsense, you are wrong'
poll
check "a greeting, then \"Delete this nonsense...\": nothing deleted" test "$(status_of 1)" = approved
check "and no new comment" test "$(sql 'SELECT count(*) FROM comments')" = "$before"

reply_to "$r" 'Alice Martin <alice@example.net>' "follow"
poll
check "\"follow\" from the proven mailbox follows at once (no double opt-in)" \
	test "$(outcome_last)" = "following"
check "a followers row for her mailbox" test \
	"$(sql "SELECT count(*) FROM followers WHERE address_key = 'alice@example.net'")" = 1
reply_to "$r" 'Alice Martin <alice@example.net>' "Suivre"
poll
check "again (in French): already following, still one row" test \
	"$(outcome_last) $(sql 'SELECT count(*) FROM followers')" = "already following 1"

# ---- old reply notices: Reply-To u_TOKEN ---------------------------
utok=$(grep -oE 'u_[a-z2-7]{32}' "$r" | head -1)
reply_to "$r" 'Alice Martin <alice@example.net>' "Great, I agree with you." --to "comments+$utok@example.org"
poll
g=$(id_of "Great, I agree with you.")
check "text to an old unsubscribe address is a new comment" test -n "$g" -a "$(status_of "${g:-0}")" = pending
check "in reply to the reply its notice named (Message-ID mailcomments.nID)" test \
	"$(sql "SELECT parent_id FROM comments WHERE id = ${g:-0}")" = 2
check "and does not unsubscribe" test "$(unsubscribed alice@example.net)" = 0

# Carol unsubscribes by the old address, by the word alone.
comment 'Carol <carol@example.net>' "$ART" "Carol writes."
poll
cid=$(id_of "Carol writes.")
approve "$cid"
comment 'Bob <bob@example.net>' comments+2024/panne-mondiale.$cid@example.org "Bob answers Carol."
poll
approve "$(id_of "Bob answers Carol.")"
rc=$(reply_notice carol@example.net)
ctok=$(grep -oE 'u_[a-z2-7]{32}' "${rc:-/dev/null}" | head -1)
$MUA comment "$INBOX" --from 'Carol <carol@example.net>' --to "comments+$ctok@example.org" \
	--subject unsubscribe --body "" >/dev/null
poll
check "the List-Unsubscribe mailto: (subject unsubscribe, no text) unsubscribes" test \
	"$(unsubscribed carol@example.net)" = 1
sql "UPDATE senders SET unsubscribed = 0 WHERE address = 'carol@example.net'"
reply_to "$rc" 'Carol <carol@example.net>' "stop" --to "comments+$ctok@example.org"
poll
check "\"stop\" alone to the old address unsubscribes" test "$(unsubscribed carol@example.net)" = 1
sql "UPDATE senders SET unsubscribed = 0 WHERE address = 'carol@example.net'"

# ... and by the commenter token.
reply_to "$rc" 'Carol <carol@example.net>' "unsubscribe" --style bottom
poll
check "\"unsubscribe\" alone to a reply notice unsubscribes" test "$(unsubscribed carol@example.net)" = 1
check "and is no comment" test "$(sql "SELECT count(*) FROM comments WHERE author_key = 'carol@example.net'")" = 1
a=$(answer_to carol@example.net)
decoded "${a:-/dev/null}" | grep -q 'not receive notices about replies' &&
	ok "the answer says so" || notok "the answer says so"
comment 'Dan <dan@example.net>' comments+2024/panne-mondiale.$cid@example.org "Dan answers Carol."
poll
approve "$(id_of "Dan answers Carol.")"
check "an unsubscribed reader gets no more reply notices" test "$(count_to carol@example.net 'New reply')" = 1

sql "UPDATE senders SET unsubscribed = 0 WHERE address = 'carol@example.net'"
p6=$(published carol@example.net "$cid")
reply_to "$p6" 'Carol <carol@example.net>' "Désabonner" --lang fr
poll
check "\"Désabonner\" alone (French) unsubscribes too" test "$(unsubscribed carol@example.net)" = 1

# ---- mute ----------------------------------------------------------
comment 'Fay <fay@example.net>' "$ART" "Fay writes."
poll
fid=$(id_of "Fay writes.")
approve "$fid"
reply_to "$(published fay@example.net "$fid")" 'Fay <fay@example.net>' "Mute"
poll
check "\"Mute\" mutes the comment" test "$(sql "SELECT muted FROM comments WHERE id = $fid")" = 1
check "and is audited" test "$(sql "SELECT actor || '|' || action FROM audit WHERE comment_id = $fid ORDER BY id DESC LIMIT 1")" = "fay@example.net|mute"
comment 'Bob <bob@example.net>' comments+2024/panne-mondiale.$fid@example.org "Bob answers Fay."
poll
approve "$(id_of "Bob answers Fay.")"
check "the answer to Fay is published" test "$(status_of "$(id_of "Bob answers Fay.")")" = approved
check "no reply notice for a muted comment" test "$(count_to fay@example.net 'New reply')" = 0
check "while Fay is not unsubscribed from the others" test "$(unsubscribed fay@example.net)" = 0

# ---- proof of the mailbox ------------------------------------------
p1=$(published alice@example.net 1)
before=$(ls "$OUTBOX/new" | wc -l)
reply_to "$p1" 'Mallory <mallory@evil.example>' "delete"
poll
check "a stolen token from another address deletes nothing" test "$(status_of 1)" = approved
check "it is refused and audited" test \
	"$(sql "SELECT actor || '|' || action || '|' || detail FROM audit WHERE action = 'refused' ORDER BY id DESC LIMIT 1")" \
	= "mallory@evil.example|refused|commenter token from another mailbox"
check "nothing is sent to the sender" test "$(count_to mallory@evil.example '')" = 0
a=$(answer_to alice@example.net)
decoded "${a:-/dev/null}" >warn.txt
grep_ok "the token's owner is told" 'mallory@evil.example' warn.txt
reply_to "$p1" '"alice@example.net" <mallory@evil.example>' "delete"
poll
check "a From that only looks like the owner is refused" test "$(status_of 1)" = approved
check "and the owner is told at most once a day" test "$(ls "$OUTBOX/new" | wc -l)" = $((before + 1))
reply_to "$p1" 'Alice <alice@other.example>' "delete"
poll
check "the owner's other mailbox is refused too" test "$(status_of 1)" = approved
reply_to "$p1" 'Mallory <mallory@evil.example>' "I disagree with all of you."
poll
check "but anyone's plain text there is an ordinary comment (moderated)" test \
	"$(sql "SELECT status || '|' || parent_id FROM comments WHERE author_key = 'mallory@evil.example'")" = "pending|1"

# ---- a token acts on its own comment only --------------------------
comment 'Gus <gus@example.net>' "$ART" "Gus A."
comment 'Gus <gus@example.net>' "$ART" "Gus B."
poll
ga=$(id_of "Gus A.")
gb=$(id_of "Gus B.")
ga_n=$(notification_for "$ga")
approve "$ga"
pa=$(published gus@example.net "$ga")
approve "$gb"
pb=$(published gus@example.net "$gb")
mid_b=$(grep -i '^Message-ID:' "$pb" | sed 's/^[^:]*: *//')
reply_to "$pa" 'Gus <gus@example.net>' "$(printf 'edit\nGus B, rewritten.')" --in-reply-to "$mid_b"
poll
check "the token of comment A, in a reply threaded under B's notice, edits A" test \
	"$(body_of "$ga")" = "Gus B, rewritten."
check "and leaves B alone" test "$(body_of "$gb")|$(status_of "$gb")" = "Gus B.|approved"
check "A waits for the moderators again" test "$(status_of "$ga")" = pending
reply_to "$ga_n" "$MOD" approve
poll
check "the notification that showed A's old text cannot approve the new one" test \
	"$(status_of "$ga")|$(outcome_last)" = "pending|refused: revoked token"

# ---- edit, months later --------------------------------------------
export MAILCOMMENTS_NOW=$(($(date +%s) + 200 * 86400))
old_n=$(notification_for 1)
reply_to "$p1" 'Alice Martin <alice+news@example.net>' "$(printf 'Edit\n\nAlice, corrected after months.')"
poll
check "an edit 200 days later (from any spelling of the mailbox) is applied" test \
	"$(body_of 1)" = "Alice, corrected after months."
check "and goes back to moderation" test "$(status_of 1)" = pending
check "the first text is kept" test "$(sql 'SELECT original_body FROM comments WHERE id = 1')" = "Alice's first words."
check "audited as the author's edit" test \
	"$(sql "SELECT actor || '|' || action || '|' || prev_status FROM audit WHERE comment_id = 1 ORDER BY id DESC LIMIT 1")" \
	= "alice@example.net|author-edit|approved"
mc render --all >/dev/null 2>&1
grep_not "the comment leaves the page while it waits" "Alice's first words|corrected after months" "$PAGE"
new_n=$(notification_for 1)
check "the moderators get a new notification" test -n "$new_n" -a "$new_n" != "$old_n"
decoded "${new_n:-/dev/null}" | grep -q 'corrected after months' &&
	ok "showing the new text" || notok "showing the new text"
a=$(answer_to alice@example.net)
decoded "${a:-/dev/null}" | grep -q 'goes to the moderators' &&
	ok "Alice is told it waits for the moderators" || notok "Alice is told it waits for the moderators"
reply_to "$old_n" "$MOD" approve
poll
check "the old notification (old text) cannot approve the new text" test "$(status_of 1)" = pending
bob_before=$(count_to bob@example.net 'New reply')
approve 1
check "the new notification approves it" test "$(status_of 1)" = approved
mc render --all >/dev/null 2>&1
grep_ok "and the page shows the new text" "corrected after months" "$PAGE"

# An edited reply, approved again: its parent's author heard of it once.
reply_to "$(published alice@example.net 3)" 'Alice Martin <alice@example.net>' "$(printf 'edit\nThanks, a very good point!')"
poll
check "an edited reply waits for the moderators" test "$(status_of 3)|$(body_of 3)" = "pending|Thanks, a very good point!"
approve 3
check "approved again" test "$(status_of 3)" = approved
check "without a second reply notice to Bob" test "$(count_to bob@example.net 'New reply')" = "$bob_before"

# Trusted sender: applied at once.
comment 'Hal <hal@example.net>' comments+2024/panne-mondiale.2@example.org "Hal, trusted."
poll
hid=$(id_of "Hal, trusted.")
reply_to "$(notification_for "$hid")" "$MOD" trust
poll
check "after trust, Hal's comment is published" test "$(status_of "$hid")" = approved
bob_before=$(count_to bob@example.net 'New reply')
reply_to "$(published hal@example.net)" 'Hal <hal@example.net>' "$(printf 'edit\nHal, corrected at once.')"
poll
check "a trusted sender's edit is applied at once" test \
	"$(body_of "$hid")|$(status_of "$hid")" = "Hal, corrected at once.|approved"
grep_ok "and the page is rendered again" "corrected at once" "$PAGE"
check "Bob is not told of Hal's reply twice" test "$(count_to bob@example.net 'New reply')" = "$bob_before"

# ---- delete --------------------------------------------------------
reply_to "$(published carol@example.net "$cid")" 'Carol <carol@example.net>' "supprimer" --lang fr
poll
check "\"supprimer\" deletes the comment" test "$(status_of "$cid")" = deleted
check "audited as deleted by its author" test \
	"$(sql "SELECT actor || '|' || action FROM audit WHERE comment_id = $cid ORDER BY id DESC LIMIT 1")" \
	= "carol@example.net|author-delete"
grep_not "and the page no longer shows it" "Carol writes" "$PAGE"
reply_to "$(published carol@example.net "$cid")" 'Carol <carol@example.net>' "$(printf 'edit\nBack again.')"
poll
check "a deleted comment cannot be edited back" test "$(status_of "$cid")|$(body_of "$cid")" = "deleted|Carol writes."

# ---- moderation.mode "first": an approved sender's edit needs no moderator
site 'moderation = { moderators = ["moderator@example.org"]; mode = "first"; };'
reply_to "$(published fay@example.net "$fid")" 'Fay <fay@example.net>' "$(printf 'edit\nFay, corrected.')"
poll
check "with mode \"first\", an approved sender's edit is applied at once" test \
	"$(body_of "$fid")|$(status_of "$fid")" = "Fay, corrected.|approved"

# ---- expired and revoked tokens ------------------------------------
pg=$(published gus@example.net "$gb")
gtok=$(grep -oE 'r_[a-z2-7]{32}' "$pg" | head -1)
mc revoke "comments+$gtok@example.org" >/dev/null 2>&1 ||
	sql "UPDATE tokens SET revoked = 1 WHERE purpose = 'reader' AND comment_id = $gb"
reply_to "$pg" 'Gus <gus@example.net>' "delete"
poll
check "a revoked commenter token is refused" test "$(status_of "$gb")" = approved
check "as revoked" test "$(outcome_last)" = "refused: revoked token"
export MAILCOMMENTS_NOW=$(($(date +%s) + 1000 * 86400))
reply_to "$(published hal@example.net)" 'Hal <hal@example.net>' "delete"
poll
check "an expired commenter token is refused" test "$(status_of "$hid")" = approved
check "as expired" test "$(outcome_last)" = "refused: expired token"
unset MAILCOMMENTS_NOW
t_done
