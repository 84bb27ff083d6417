#!/bin/bash
# t-closing.sh: closing comments.  `articles close` / `articles open` and
# moderation.close_after_days; a closed article's section says so in its
# language and offers no way to write; mail to it is set aside and
# answered only to senders who confirmed an address before, once a day
# per mailbox; what was pending before still gets moderated.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
DAY=86400
MOD='Moderator <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
NOTES=comments+notes/hello@example.org
PAGE=var/site/2024/panne-mondiale/index.html
JSON=var/site/comments/2024/panne-mondiale.json
site
outcome_last() { sql "SELECT outcome FROM processed ORDER BY rowid DESC LIMIT 1"; }
notices() { outbox_count '^Subject: .*Comments are closed'; }

comment "Alice <alice@example.net>" "$ART" "Le premier commentaire."
poll
reply_to "$(notification_for 1)" "$MOD" "approve"
poll
check "comment 1 published" test "$(status_of 1)" = approved
comment "Dave <dave@example.net>" "$ART" "Arrivé avant la fermeture."
poll
check "comment 2 pending" test "$(status_of 2)" = pending
grep_ok "open: the page offers to write" 'class="mc-leave"' "$PAGE"
grep_ok "open: and shows the address as text, to copy" \
	'<p class="mc-address">Or write to: <code>comments\+2024/panne-mondiale@example\.org</code></p>' "$PAGE"

expect_rc 65 "close: an unknown article is refused" mc articles close no/such
expect_rc 0 "close by command" mc articles close 2024/panne-mondiale
grep_ok "close: says so" 'closed' out
grep_ok "close: the page says comments are closed" '<p class="mc-closed">Comments are closed\.</p>' "$PAGE"
grep_not "close: no write button, no address" 'mc-leave|Write a comment|mc-address|Or write to' "$PAGE"
grep_not "close: no reply links" 'class="mc-reply"' "$PAGE"
grep_ok "close: the comments stay" 'Le premier commentaire' "$PAGE"
grep_ok "close: the JSON says closed" '"closed": ?true' "$JSON"
mc articles list >list.out 2>&1
grep_ok "close: articles list shows it closed" '^2024/panne-mondiale +site +closed ' list.out
check "close: audited" test \
	"$(sql "SELECT actor || '|' || action || '|' || detail FROM audit WHERE action = 'close'")" \
	= "operator|close|2024/panne-mondiale"

# mail to a closed article
comment "Alice <alice@example.net>" "$ART" "Encore un mot."
poll
check "closed: a new comment is not stored" test "$(sql "SELECT count(*) FROM comments")" = 2
check "closed: set aside with the reason" test "$(outcome_last)" = "set aside: comments are closed on 2024/panne-mondiale"
n=$(outbox_last '^Subject: .*Comments are closed')
check "closed: a sender with an approved comment is told" test -n "$n"
grep_ok "closed: the notice goes to her" '^Delivered-To: alice@example.net' "${n:-/dev/null}"
comment "Alice <ALICE+x@example.net>" "$ART" "Et encore."
comment "Alice <alice@example.net>" comments+2024/panne-mondiale.1@example.org "Une réponse."
poll
check "closed: a reply is set aside too" test "$(outcome_last)" = "set aside: comments are closed on 2024/panne-mondiale"
check "closed: at most one notice a day per mailbox" test "$(notices)" = 1
comment "Eve <eve@example.net>" "$ART" "Je suis nouvelle."
comment "Forged <victim@example.net>" "$ART" "Spam them." --header "Reply-To: alice@example.net"
poll
check "closed: an unconfirmed sender is never told" test "$(outbox_count '^Delivered-To: (eve|victim)@example.net')" = 0
check "closed: nor is the Reply-To" test "$(notices)" = 1
sql "INSERT INTO senders (address, confirmed, created_at, updated_at) VALUES ('frank@example.net', 1, 0, 0)"
comment "Frank <frank@example.net>" "$ART" "Je suis confirmé."
poll
check "closed: a confirmed sender is told" test "$(outbox_count '^Delivered-To: frank@example.net')" = 1
reply_to "$(notification_for 2)" "$MOD" "approve"
poll
check "closed: a comment pending before closing can be approved" test "$(status_of 2)" = approved
export MAILCOMMENTS_NOW=$((MAILCOMMENTS_NOW + DAY + 1))
comment "Alice <alice@example.net>" "$ART" "Le lendemain."
poll
check "closed: a day later, told again" test "$(notices)" = 3

expect_rc 0 "open by command" mc articles open 2024/panne-mondiale
grep_ok "open: the page offers to write again" 'class="mc-leave"' "$PAGE"
grep_not "open: no closed notice" 'mc-closed' "$PAGE"
grep_ok "open: the JSON says open" '"closed": ?false' "$JSON"
comment "Alice <alice@example.net>" "$ART" "Rouvert !"
poll
check "open: comments are taken again" test "$(sql "SELECT count(*) FROM comments")" = 3
check "open: audited" test "$(sql "SELECT count(*) FROM audit WHERE action = 'open' AND actor = 'operator'")" = 1

# moderation.close_after_days: articles were first seen at the first poll
# conf LANG [CLOSE_AFTER_DAYS]: the configuration, pages left as they are
conf() {
	cat >mc.conf <<CONF
site = { name = "Le Blog"; url = "https://blog.example.org/"; language = "$1"; };
moderation = { moderators = ["moderator@example.org"]; close_after_days = ${2:-0}; };
CONF
}
conf en 10
export MAILCOMMENTS_NOW=$((1722124800 + 9 * DAY))
comment "Alice <alice@example.net>" "$NOTES" "Day nine."
poll
check "days: day 9, comments are taken" test "$(sql "SELECT count(*) FROM comments WHERE body LIKE 'Day nine%'")" = 1
grep_not "days: day 9, the page is open" 'mc-closed' var/site/notes/hello.html
export MAILCOMMENTS_NOW=$((1722124800 + 10 * DAY + 1))
comment "Alice <alice@example.net>" "$NOTES" "Day ten."
poll
check "days: day 10, set aside" test "$(outcome_last)" = "set aside: comments are closed on notes/hello"
check "days: Alice told (about Hello)" test "$(outbox_count '^Subject: .*Comments are closed on .Hello')" = 1
grep_ok "days: the pass closes the page" '<p class="mc-closed">Comments are closed\.</p>' var/site/notes/hello.html
grep_not "days: no write button" 'mc-leave' var/site/notes/hello.html
check "days: audited as the gateway" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'close' AND actor = 'gateway' AND detail LIKE 'notes/hello%'")" = 1
grep_ok "days: an article opened by hand stays open" 'class="mc-leave"' "$PAGE"
comment "Alice <alice@example.net>" "$ART" "Still open."
poll
check "days: ...and takes comments" test "$(sql "SELECT count(*) FROM comments WHERE body LIKE 'Still open%'")" = 1
expect_rc 0 "days: open by command" mc articles open notes/hello
poll
grep_ok "days: opened, it stays open" 'class="mc-leave"' var/site/notes/hello.html

# in French: the site, and the page (its <html lang>), which an article
# and the mails to its readers follow
conf fr
sed -i '0,/lang="en"/s//lang="fr"/' "$PAGE"
expect_rc 0 "the page's new language is found" mc articles list
grep_ok "the article is French now" '^2024/panne-mondiale +site +open +fr ' out
export MAILCOMMENTS_NOW=$((MAILCOMMENTS_NOW + DAY + 1))
expect_rc 0 "close again" mc articles close 2024/panne-mondiale
grep_ok "fr: the page says so in French" '<p class="mc-closed">Les commentaires sont fermés\.</p>' "$PAGE"
comment "Alice <alice@example.net>" "$ART" "Fermé ?"
poll
n=$(outbox_last '^Delivered-To: alice@example.net')
decoded "${n:-/dev/null}" >n.txt
grep_ok "fr: the notice in French" 'Les commentaires sont fermés sur' n.txt

t_finish
