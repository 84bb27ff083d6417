#!/bin/bash
# t-secrets.sh: secrets at rest.  Whatever the database holds (its dump,
# the bytes of its file and write-ahead log, queued or sent) approves
# nothing: no token that a real mail carries is in it, and every string
# found in it fails as a token.  The key file is private; forget leaves
# no trace of a person; revoke takes tokens back, audited; retention
# prunes what it should and keeps the audit log.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

MOD='Moderator <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
DEAD_PORT=$(free_port) # nothing listens there: mail stays queued
base_conf='moderation = { moderators = ["moderator@example.org", "second@example.org"]; confirm_new_senders = true; };'
smtp_down="transport = { type = \"smtp\"; }; smtp = { host = \"127.0.0.1\"; port = $DEAD_PORT; tls = \"none\"; timeout = 5; };"

# everything the database is made of: its dump and the bytes of its files
db_bytes() {
	sql .dump
	cat "$DB" "$DB-wal" 2>/dev/null | strings -n 8
}
# every token that real mail (the outbox Maildir) carries
mail_tokens() { grep -ohE '[mdcu]_[a-z2-7]{32}' "$OUTBOX"/new/* 2>/dev/null | sort -u; }
# tokens_in FILE: how many of the real tokens FILE holds
tokens_in() {
	local n=0 t
	for t in $(mail_tokens); do grep -qF -- "${t:2}" "$1" && n=$((n + 1)); done
	echo "$n"
}
audit_count() { sql "SELECT count(*) FROM audit WHERE action = '$1'"; }

# ---- the key file ----
site "$base_conf"
(umask 000; mc articles list >/dev/null 2>&1)
comment "Alice Martin <alice@example.net>" "$ART" "Premier commentaire."
(umask 000; poll)
check "the key file is created beside the database" test -f "$DB.key"
check "owner-only even under umask 000" test "$(stat -c %a "$DB.key")" = 600
check "it holds 256 bits in hex" grep -qxE '[0-9a-f]{64}' "$DB.key"
grep_ok "its creation is logged" 'created the key file' poll.log

# ---- confirmation, notification, reply notice: nothing usable at rest ----
c=$($MUA find "$OUTBOX/new" --to alice@example.net)
check "a confirmation request went out" test -n "$c"
grep_ok "it carries a c_ token" '^Reply-To: .*comments\+c_[a-z2-7]{32}@' "${c:-/dev/null}"
reply_to "${c:-/dev/null}" "Alice Martin <alice@example.net>" "oui"
poll
check "the confirmation released the comment" test "$(status_of 1)" = pending
n1=$(notification_for 1)
reply_to "$n1" "$MOD" approve
poll
check "the real notification approves" test "$(status_of 1)" = approved
comment "Bob <bob@example.net>" "comments+2024/panne-mondiale.1@example.org" "Une réponse."
poll
reply_to "$($MUA find "$OUTBOX/new" --to bob@example.net)" "Bob <bob@example.net>" "ok"
poll
reply_to "$(notification_for 2)" "$MOD" approve
poll
check "Bob's reply is approved" test "$(status_of 2)" = approved
r=$(outbox_last '^Delivered-To: alice@example.net' )
grep_ok "Alice got a reply notice with an unsubscribe token" \
	'^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]{32}@' "${r:-/dev/null}"
check "the mails carry m_, c_ and u_ tokens" test \
	"$(mail_tokens | cut -c1 | sort -u | tr -d '\n')" = cmu
db_bytes >at-rest
check "no token of a real mail is in the database (dump, file, WAL)" \
	test "$(tokens_in at-rest)" = 0

# ---- a mail queued while the server is down ----
site "$base_conf $smtp_down"
comment "Alice Martin <alice@example.net>" "$ART" "Deuxième commentaire."
poll
check "its notifications wait in the outbox" test \
	"$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 2
db_bytes >queued
sql "SELECT nonce FROM outbox_tokens" | sort -u >placeholders
check "the queued mail holds a placeholder, listed for its row" test \
	"$(wc -l <placeholders)" = 1
site "$base_conf"
MAILCOMMENTS_NOW=$(($(date +%s) + 120)) expect_rc 0 "the outbox is flushed later" mc outbox flush
n3=$(notification_for 3)
tok3=$(grep -oE 'm_[a-z2-7]{32}' "${n3:-/dev/null}" | head -1)
check "the mail that left carries a token" test -n "$tok3"
check "the token was in no byte of the database while it was queued" \
	test "$(tokens_in queued)" = 0
check "nor is it now" test "$(db_bytes | grep -cF -- "${tok3:2}")" = 0
check "the sent copy lost its placeholder" test \
	"$(db_bytes | grep -cF -- "$(cat placeholders)")" = 0
check "and its link" test "$(sql "SELECT count(*) FROM outbox_tokens")" = 0

# ---- a forger holding the database ----
# Every token-shaped string of the database (placeholders, hashes cut to
# size, the whole hashes) is tried as a moderator's token.
{
	cat placeholders
	grep -ohE '[a-z2-7]{32}' queued at-rest
	sql "SELECT hash FROM tokens" | cut -c1-32
	sql "SELECT hash FROM tokens"
} | sort -u | head -60 >candidates
before=$(sql "SELECT count(*) FROM audit WHERE action = 'refused'")
i=0
while read -r cand; do
	i=$((i + 1))
	$MUA reply "$n3" "$INBOX" --from "$MOD" --body approve \
		--to "comments+m_$cand@example.org" --in-reply-to '<x@y>' \
		--message-id "<forge-$i@attacker.example>" >/dev/null
done <candidates
poll
check "every one of the $i forged replies is refused" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'refused'")" = $((before + i))
check "and the comment is still pending" test "$(status_of 3)" = pending
reply_to "$n3" "$MOD" approve
poll
check "the real mail still approves" test "$(status_of 3)" = approved

# A live token in a comment (a notification forwarded to an article
# address) is not stored either.
comment "Alice Martin <alice@example.net>" "$ART" \
	"Forwarded: Reply-To: Comments <comments+$tok3@example.org>"
poll
last=$(sql "SELECT max(id) FROM comments")
check "a token quoted in a comment is overwritten" test \
	"$(sql "SELECT instr(body, 'comments+m_00000000000000000000000000000000@') > 0 FROM comments WHERE id = $last")" = 1
check "nothing of it is left in the database" test "$(db_bytes | grep -cF -- "${tok3:2}")" = 0

# ---- a wrong key: queued mail fails, saying why ----
site "$base_conf $smtp_down"
comment "Alice Martin <alice@example.net>" "$ART" "Troisième commentaire."
poll
k=$(sql "SELECT max(id) FROM comments")
cp "$DB.key" key.saved
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DB.key"
echo >>"$DB.key"
site "$base_conf"
MAILCOMMENTS_NOW=$(($(date +%s) + 120)) mc outbox flush >out 2>err
check "a mail made with another key is not sent" test -z "$(notification_for "$k")"
check "it is marked failed, saying why" test \
	"$(sql "SELECT count(*) FROM outbox WHERE status = 'failed' AND last_error LIKE '%another key%'")" = 2
grep_ok "and the log says what to do" 'revoke --all --renotify' err
cp key.saved "$DB.key"
chmod 640 "$DB.key"
expect_rc 78 "a key file others can read is refused by check-config" mc check-config
grep_ok "saying why" 'key file .*group or others can access.*chmod 600' err
expect_rc 78 "and by poll" mc poll
chmod 600 "$DB.key"
ln -s "$DB.key" var/link.key
site "$base_conf database = { key_file = \"$T_DIR/var/link.key\"; };"
expect_rc 78 "a key file that is a symlink is refused" mc check-config
grep_ok "saying why" 'symbolic link' err
site "$base_conf"

# ---- revoke ----
revoke_case() { # DESC N ARG...: revoke, then the real notification of N fails
	local desc=$1 n=$2 mid="<after-revoke-$2@example.org>" f
	shift 2
	f=$(notification_for "$n")
	expect_rc 0 "revoke $desc" mc revoke "$@"
	check "revoke $desc: in the audit log" test \
		"$(sql "SELECT count(*) FROM audit WHERE action = 'revoke' AND actor = 'operator'")" = "$revokes"
	reply_to "$f" "$MOD" approve --message-id "$mid"
	poll
	check "revoke $desc: the moderator's approve is refused" test \
		"$(sql "SELECT outcome FROM processed WHERE key = '$mid'")" = "refused: revoked token"
	check "revoke $desc: the comment stays pending" test "$(status_of "$n")" = pending
}
for who in Dora Eve Fay Gus Hal; do
	comment "$who <${who,,}@example.net>" "$ART" "Commentaire de $who."
done
sql "INSERT OR REPLACE INTO senders (address, confirmed, created_at, updated_at) VALUES
	('dora@example.net', 1, 0, 0), ('eve@example.net', 1, 0, 0),
	('fay@example.net', 1, 0, 0), ('gus@example.net', 1, 0, 0),
	('hal@example.net', 1, 0, 0)"
poll
ids=$(sql "SELECT id FROM comments WHERE author_name IN ('Dora','Eve','Fay','Gus','Hal') ORDER BY id" | tr '\n' ' ')
read -r d e f g h <<<"$ids"
revokes=1
tokd=$(grep -oE 'm_[a-z2-7]{32}' "$(notification_for "$d")" | head -1)
revoke_case "TOKEN" "$d" "$tokd"
revokes=2
toke=$(grep -oE 'm_[a-z2-7]{32}' "$(notification_for "$e")" | head -1)
revoke_case "ADDRESS" "$e" "comments+$toke@example.org"
revokes=3
tokf=$(grep -oE 'm_[a-z2-7]{32}' "$(notification_for "$f")" | head -1)
revoke_case "MESSAGE-ID" "$f" "<mailcomments.$tokf@example.org>"
revokes=4
revoke_case "--comment N" "$g" --comment "$g"
check "the audit names the comment" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'revoke' AND comment_id = $g")" = 1
grep_not "no token is ever written in the audit log" \
	"${tokd:2}|${toke:2}|${tokf:2}" <(sql "SELECT * FROM audit")
expect_rc 65 "revoke of an unknown token" mc revoke "comments+m_abcdefghijklmnopqrstuvwxyz234567@example.org"
revokes=5
revoke_case "--all" "$h" --all
grep_ok "revoke --all says how to notify again" 'revoke --renotify' out
old_h=$(notification_for "$h")
expect_rc 0 "revoke --renotify" mc revoke --renotify
grep_ok "it says what it sent" 'sent again: [1-9][0-9]* comments? to the moderators' out
check "and it is audited" test "$(audit_count renotify)" = 1
new_h=$(notification_for "$h")
check "a new notification went out" test "$new_h" != "$old_h"
reply_to "$new_h" "$MOD" approve
poll
check "and it approves" test "$(status_of "$h")" = approved

# ---- retention ----
mc reject "$d" >/dev/null
audits=$(sql "SELECT count(*) FROM audit")
done_mail=$(sql "SELECT count(*) FROM outbox WHERE status != 'queued'")
body1=$(sql "SELECT body FROM comments WHERE id = 1")
expect_rc 0 "prune with nothing old" mc prune
grep_ok "it says so" 'nothing older than 90 days' out
site "$base_conf $smtp_down"
comment "Alice Martin <alice@example.net>" "$ART" "Quatrième commentaire."
poll
site "$base_conf"
MAILCOMMENTS_NOW=$(($(date +%s) + 91 * 86400)) expect_rc 0 "prune 91 days later" mc prune
grep_ok "it says what went" "pruned what is older than 90 days: $done_mail sent or failed mails" out
check "sent mail is gone" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = 0
check "failed mail is gone" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'failed'")" = 0
check "queued mail stays" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 2
check "a rejected comment loses its text and headers" test \
	"$(sql "SELECT body || headers || subject FROM comments WHERE id = $d")" = ""
check "a published comment keeps its text" test \
	"$(sql "SELECT body FROM comments WHERE id = 1")" = "$body1"
check "but not its mail headers" test "$(sql "SELECT headers FROM comments WHERE id = 1")" = ""
check "expired and revoked tokens are gone" test \
	"$(sql "SELECT count(*) FROM tokens WHERE expires_at < strftime('%s') - 0")" = 0
check "the audit log stays whole" test "$(sql "SELECT count(*) FROM audit")" = "$audits"
MAILCOMMENTS_NOW=$(($(date +%s) + 200 * 86400)) poll
grep_ok "a poll prunes too, and logs it" 'pruned what is older than 90 days' poll.log

# ---- forget ----
rm -rf var "$T_DIR"/mc.conf
site 'moderation = { moderators = ["moderator@example.org"]; digest_minutes = 60; };'
WORD=zanzibarquux
comment "Alice Martin <alice@example.net>" "$ART" "Alice écrit."
comment "Carole Dupontel <carol@example.net>" "$ART" "Le mot $WORD est à moi." \
	--message-id '<carole-1@mua.test>'
poll
reply_to "$($MUA find "$OUTBOX/new" --to moderator@example.org)" "$MOD" "approve 1 2"
poll
check "both comments published through the digest" test "$(status_of 1)/$(status_of 2)" = approved/approved
# Carole answers Alice (a reply notice to Alice carries her name and
# words); Bob answers Carole (a reply notice to her).
comment "Carole Dupontel <carol@example.net>" "comments+2024/panne-mondiale.1@example.org" "Encore $WORD."
comment "Bob <bob@example.net>" "comments+2024/panne-mondiale.2@example.org" "Bien vu."
MAILCOMMENTS_NOW=$(($(date +%s) + 3700)) poll
reply_to "$($MUA find "$OUTBOX/new" --to moderator@example.org)" "$MOD" "approve 3 4"
MAILCOMMENTS_NOW=$(($(date +%s) + 3800)) poll
check "the replies are published" test "$(status_of 3)/$(status_of 4)" = approved/approved
# A digest that holds Carole's comment and Dave's waits in the outbox.
site "moderation = { moderators = [\"moderator@example.org\"]; digest_minutes = 60; }; $smtp_down"
comment "Carole Dupontel <carol@example.net>" "$ART" "Troisième $WORD."
comment "Dave <dave@example.net>" "$ART" "Dave attend."
MAILCOMMENTS_NOW=$(($(date +%s) + 7500)) poll
check "a digest waits in the outbox" test \
	"$(sql "SELECT count(*) FROM outbox WHERE status = 'queued' AND kind = 'digest'")" = 1
db_bytes >before-forget
check "before forget, the database names Carole" grep -qF "carol@example.net" before-forget
expect_rc 0 "forget carol@example.net" mc forget carol@example.net
check "her queued digest is gone" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'digest' AND status = 'queued'")" = 0
check "Dave's comment waits for the next digest" test \
	"$(sql "SELECT notified_at IS NULL FROM comments WHERE author_address = 'dave@example.net'")" = 1
db_bytes >after-forget
for s in carol@example.net "Carole Dupontel" Dupontel "$WORD"; do
	check "no byte of the database holds \"$s\" after forget" \
		test "$(grep -ciF -- "$s" after-forget)" = 0
done
site 'moderation = { moderators = ["moderator@example.org"]; digest_minutes = 60; };'
# Her first mail, delivered again, is still known (by its hash).
comment "Carole Dupontel <carol@example.net>" "$ART" "Le mot $WORD est à moi." \
	--message-id '<carole-1@mua.test>'
MAILCOMMENTS_NOW=$(($(date +%s) + 15000)) poll
grep_ok "her mail seen again is a duplicate" 'carole-1@mua.test.*duplicate' poll.log
check "and stores nothing" test \
	"$(sql "SELECT count(*) FROM comments WHERE author_address = 'carol@example.net'")" = 0
dg=$($MUA find "$OUTBOX/new" --to moderator@example.org)
decoded "$dg" >digest.txt
grep_ok "the next digest shows Dave's comment" 'Dave attend' digest.txt
grep_not "and nothing of Carole" "$WORD|Carole" digest.txt
check "the audit keeps the forget, hashed" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'forget' AND detail LIKE 'sha256:%'")" = 1

# ---- renotify and the one-a-day rule ----

# A confirmation request sent again by --renotify counts for the
# one-a-day rule like any other: two days after Ivy's first request,
# --renotify asks her again, and her next comment an hour later brings
# no third mail.
rm -rf var "$T_DIR"/mc.conf
site "$base_conf"
comment "Ivy <ivy@example.net>" "$ART" "Commentaire d'Ivy."
poll
check "Ivy, a new sender, is asked once" test "$(outbox_count '^Delivered-To: ivy@example.net')" = 1
later=$(($(date +%s) + 2 * 86400))
MAILCOMMENTS_NOW=$later mc revoke --all --renotify >out 2>err
check "--renotify asks her again" test "$(outbox_count '^Delivered-To: ivy@example.net')" = 2
comment "Ivy <ivy@example.net>" "$ART" "Encore Ivy."
MAILCOMMENTS_NOW=$((later + 3600)) poll
check "her next comment within the day asks no more" \
	test "$(outbox_count '^Delivered-To: ivy@example.net')" = 2

t_done
