#!/bin/bash
# t-export-person.sh: `mailcomments export-person ADDR`, a person's data
# (GDPR art. 15/20) as one JSON document: their comments in every
# spelling of their mailbox (any case, +tags), with the text, the mail
# headers kept and the decisions; the articles they follow; the mail sent
# to them (with its text) and about them (kind and date only); their
# tokens (purpose and dates, never a token); the history of their
# comments.  Never another person's data: no other reader, no
# moderator's address, no moderator's reason.  --output writes a new
# private file, never through a link; after `forget`, nothing is left.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
ART=comments+2024/panne-mondiale@example.org
FOLLOW=comments+2024/panne-mondiale+follow@example.org
MOD='Moderator <moderator@example.org>'
site
comment 'Alice Martin <alice@example.net>' "$ART" "Alice's first comment."
comment 'Alice M. <Alice+blog@Example.NET>' "$ART" "Alice's second comment, from a tagged address."
comment 'Bob Stone <bob@example.net>' "$ART" "Bob's secret opinion."
poll
reply_to "$(notification_for 1)" "$MOD" approve
reply_to "$(notification_for 2)" "$MOD" "reject Confidential moderator reason"
reply_to "$(notification_for 3)" "$MOD" approve
poll
$MUA comment "$INBOX" --from 'Alice Martin <alice@example.net>' --to "$FOLLOW" \
	--subject follow --body follow >/dev/null
poll
cf=$(outbox_last '^Reply-To: .*comments\+f_')
reply_to "${cf:-/dev/null}" 'Alice Martin <alice@example.net>' "yes"
poll
check "alice follows the article" \
	test "$(sql "SELECT count(*) FROM followers WHERE address = 'alice@example.net'")" = 1

expect_rc 0 "export-person runs" mc export-person alice@example.net
cp out alice.json
grep_ok "it says what it found on stderr" '^alice@example.net: 2 comments, 1 follow, [0-9]+ mails, [0-9]+ tokens, [0-9]+ history entries' err
/usr/bin/python3 - alice.json >facts.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("format", d["format"])
print("comments", len(d["comments"]))
print("texts", "|".join(c["text"] for c in d["comments"]))
print("statuses", " ".join(c["status"] for c in d["comments"]))
print("decided_by", " ".join(str(c["decided_by"]) for c in d["comments"]))
print("headers", all("Message-ID:" in c["mail_headers"] for c in d["comments"]))
print("follows", " ".join(f["article"] for f in d["follows"]))
print("mail_to_you", sum(1 for m in d["mail"] if m["to"] == "you" and m["message"]))
print("mail_about", sum(1 for m in d["mail"] if m["to"] != "you" and m["message"] is None))
print("tokens", len(d["tokens"]), all(set(t) == {"purpose", "comment", "issued", "expires", "revoked"} for t in d["tokens"]))
print("history", len(d["history"]), sorted({h["by"] for h in d["history"]}))
PY
check "the document is JSON, format 1" grep -qx 'format 1' facts.txt
grep_ok "both comments, whatever the spelling of the address" '^comments 2$' facts.txt
grep_ok "with their texts" "^texts Alice's first comment\.\|Alice's second comment, from a tagged address\.$" facts.txt
grep_ok "and their outcome" '^statuses approved rejected$' facts.txt
grep_ok "the moderator is named by role" '^decided_by a moderator a moderator$' facts.txt
grep_ok "the mail headers kept are given" '^headers True$' facts.txt
grep_ok "the article followed" '^follows 2024/panne-mondiale$' facts.txt
grep_ok "mail sent to alice, with its text" '^mail_to_you [1-9]' facts.txt
grep_ok "mail about alice, without its text" '^mail_about [1-9]' facts.txt
grep_ok "tokens by purpose and dates only" '^tokens [1-9][0-9]* True$' facts.txt
grep_ok "her comments' history, by role" "^history [1-9][0-9]* \[.*'a moderator'" facts.txt
grep_not "nothing of bob" 'bob|Bob' alice.json
grep_not "no moderator's address" 'moderator@example\.org|second@example\.org' alice.json
grep_not "no moderator's reason" 'Confidential moderator reason' alice.json
# every token mailed so far (the delivered copies have them), and their
# SHA-256 hashes as the tokens table keeps them: none in the document
grep -ohE 'comments\+[a-z]_[A-Za-z0-9_-]{16,}' "$OUTBOX"/new/* | sed 's/^comments+[a-z]_//' | sort -u >tokens.txt
check "tokens were mailed to look for ($(wc -l <tokens.txt))" test -s tokens.txt
sql 'SELECT hash FROM tokens' >>tokens.txt
leaked=$(grep -oFf tokens.txt alice.json | head -3)
check "no token and no token hash in the document${leaked:+ ($leaked)}" test -z "$leaked"

expect_rc 0 "any case" mc export-person ALICE@EXAMPLE.NET
grep_ok "finds the same comments" '^ALICE@EXAMPLE.NET: 2 comments, 1 follow,' err

# --output: a new private file; an existing file or a link is refused.
(umask 000; mc export-person alice@example.net --output "$T_DIR/alice-out.json" 2>err)
check "--output writes the file" cmp -s alice-out.json alice.json
check "private under umask 000" test "$(stat -c %a alice-out.json)" = 600
expect_rc 73 "an existing file is not overwritten" mc export-person alice@example.net --output "$T_DIR/alice-out.json"
echo precious >precious.txt
ln -s "$T_DIR/precious.txt" link.json
expect_rc 73 "a link is not followed" mc export-person alice@example.net --output "$T_DIR/link.json"
check "its target is untouched" test "$(cat precious.txt)" = precious
expect_rc 64 "no address is a usage error" mc export-person alice
expect_rc 64 "a bare domain is no address" mc export-person @example.net

# Nobody: an empty document, not an error.
expect_rc 0 "an address never seen" mc export-person nobody@example.org
grep_ok "empty sections" '"comments": \[\]' out

# After forget, nothing of her is held.
expect_rc 0 "forget alice" mc forget alice@example.net
expect_rc 0 "export after forget" mc export-person alice@example.net
grep_ok "nothing left" '^alice@example.net: 0 comments, 0 follows, 0 mails, 0 tokens, 0 history entries$' err
grep_not "no text left" "Alice's" out

t_done
