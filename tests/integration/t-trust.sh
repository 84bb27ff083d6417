#!/bin/bash
# t-trust.sh: what the gateway believes of a mail it receives, probed the
# way an attacker would: header fields the sender wrote (a forged
# Authentication-Results below the receiving server's own, a reader's
# X-Spam-Status), the gateway's own plus-addresses in From:, authors that
# are no address (<root>, source routes), a moderator made to ban
# themselves, and one victim's mailbox spelt five ways.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

ART=comments+2024/panne-mondiale@example.org
MOD='Moderator <moderator@example.org>'
fresh() {
	rm -rf var mc.conf poll.log
	site "$1"
}

# deliver NAME: standard input becomes a new mail of the inbox.
deliver() {
	mkdir -p "$INBOX/tmp" "$INBOX/new" "$INBOX/cur"
	cat >"$INBOX/tmp/$1" && mv "$INBOX/tmp/$1" "$INBOX/new/$1"
}

# raw_comment ID FROM [TOP]: a comment with From: FROM written as is, under
# the header lines TOP (the trace a delivery adds).
raw_comment() {
	local id=$1 from=$2 top=${3:-}
	{
		[ -n "$top" ] && printf '%s\n' "$top"
		printf 'From: %s\n' "$from"
		printf 'To: <%s>\nSubject: A comment\n' "$ART"
		printf 'Message-ID: <%s@mua.test>\n' "$id"
		printf 'Date: Mon, 29 Jul 2024 10:00:00 +0000\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		printf 'Comment %s.\n' "$id"
	} | deliver "$id"
}

# raw_reply ID TOKEN BODY [TOP]: the moderator's reply to a token address.
raw_reply() {
	local id=$1 tok=$2 body=$3 top=${4:-}
	{
		[ -n "$top" ] && printf '%s\n' "$top"
		printf 'From: %s\n' "$MOD"
		printf 'To: Comments <comments+%s@example.org>\n' "$tok"
		printf 'Subject: Re: New comment\nMessage-ID: <%s@example.org>\n' "$id"
		printf 'Date: Mon, 29 Jul 2024 10:00:03 +0000\n\n%s\n' "$body"
	} | deliver "$id"
}

outcome_of() { sql "SELECT outcome FROM processed WHERE key = '<$1>'"; }
token_of() { grep -oE 'm_[a-z2-7]{32}' "$1" | head -1; }

# What a Dovecot LMTP delivery of a mail that Postfix and OpenDKIM took
# from the sender's server looks like, from the top: Return-Path and
# Delivered-To (LMTP), LMTP's Received, Postfix's Received; OpenDKIM's
# result goes below that, then come the sender's own fields.
LMTP='Return-Path: <moderator@example.org>
Delivered-To: comments@example.org
Received: from mx.example.org
	by mx.example.org with LMTP
	id 8Bv0Cm2gqGZ1bQAA (envelope-from <moderator@example.org>)
	for <comments@example.org>; Mon, 29 Jul 2024 12:00:02 +0200
Received: from smtp.example.org (smtp.example.org [192.0.2.7])
	by mx.example.org (Postfix) with ESMTPS id 4WXYZ
	for <comments@example.org>; Mon, 29 Jul 2024 12:00:01 +0200'
SENDER='Received: from [10.0.0.5] (laptop [10.0.0.5])
	by smtp.example.org (Postfix) with ESMTPSA id 77AB;
	Mon, 29 Jul 2024 12:00:00 +0200'
AR='Authentication-Results: mx.example.org;'
PASS="$AR dkim=pass header.d=example.org"

# ---- 1. Authentication-Results: only the trusted server's own ---------
fresh 'moderation = { moderators = ["moderator@example.org"]; require_dkim = true; trusted_authserv_id = "mx.example.org"; };'
comment "Alice <alice@example.net>" "$ART" "First."
poll
tok=$(token_of "$(notification_for 1)")

# forged DESC TOP: a reply under the trace TOP is refused, nothing changes.
forged() {
	local id="forged-$t_n"
	raw_reply "$id" "$tok" approve "$2"
	poll
	check "$1: refused" test "$(outcome_of "$id@example.org")" = \
		"refused: no dkim=pass from the trusted server"
	check "$1: comment 1 still pending" test "$(status_of 1)" = pending
}
forged "a forged dkim=pass below the server's dkim=none" "$LMTP
$AR dkim=none
$PASS"
forged "a dkim=pass below the sender's server's Received" "$LMTP
$SENDER
$PASS"
forged "a dkim=pass below a relay's Received" "Received: from x (x [198.51.100.9]) by relay.attacker.example; Mon, 29 Jul 2024 12:00:00 +0200
$PASS"
forged "the server's pass for the forger's domain, then a forged one" "$LMTP
$AR dkim=pass header.d=attacker.example
$PASS"
forged "an authserv-id that only starts like the trusted one" "$LMTP
Authentication-Results: mx.example.org.attacker.example; dkim=pass header.d=example.org"
forged "the trusted authserv-id hidden in a comment" "$LMTP
Authentication-Results: (mx.example.org) attacker.example; dkim=pass header.d=example.org"
forged "a signing domain that ends like the moderator's" "$LMTP
$AR dkim=pass header.d=evil-example.org"
forged "a signing domain that starts like the moderator's" "$LMTP
$AR dkim=pass header.d=example.org.attacker.example"
forged "a result word that starts like pass" "$LMTP
$AR dkim=passed header.d=example.org"

raw_reply real-1 "$tok" approve "$LMTP
Authentication-Results: MX.Example.ORG (OpenDKIM 2.11);
	DKIM=pass (2048-bit key; unprotected) header.d=Example.ORG
	header.i=@example.org header.b=\"Zx1aB2c\"
DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=From:To:Subject; b=Zx1aB2c
$SENDER"
poll
check "a real Dovecot LMTP + Postfix + OpenDKIM delivery passes" test "$(status_of 1)" = approved

# ---- 2. spam verdicts: only the trusted run, never lowered -------------
fresh 'moderation = { moderators = ["moderator@example.org"]; trusted_authserv_id = "mx.example.org"; };
spam = { header = "spamassassin"; threshold = 5.0; };'
CTRACE='Return-Path: <reader@example.net>
Delivered-To: comments@example.org
Received: from mx.example.org by mx.example.org with LMTP id 1; Mon, 29 Jul 2024 12:00:02 +0200
Received: from mail.example.net (mail.example.net [203.0.113.5])
	by mx.example.org (Postfix) with ESMTPS id 4AB; Mon, 29 Jul 2024 12:00:01 +0200'
READER='Received: from [10.1.1.1] by mail.example.net with ESMTPSA; Mon, 29 Jul 2024 12:00:00 +0200'
raw_comment spam-1 "Spammer <s1@example.net>" "$CTRACE
X-Spam-Flag: YES
X-Spam-Score: 9.5
X-Spam-Status: No, score=-50 required=5.0 tests=NONE"
raw_comment spam-2 "Spammer <s2@example.net>" "$CTRACE
$READER
X-Spam-Status: Yes, score=9.0 required=5.0"
raw_comment spam-3 "Reader <r3@example.net>" "$CTRACE
X-Spam-Status: No, score=-2.0 required=5.0
$READER"
poll
check "a reader-written X-Spam-Status: score=-50 does not lower the server's 9.5" \
	test "$(sql "SELECT status || ' ' || spam_score FROM comments WHERE message_id = 'spam-1@mua.test'")" = "spam 9.5"
check "a verdict below a foreign Received is no verdict" \
	test "$(sql "SELECT status || ' ' || COALESCE(spam_score, 'none') FROM comments WHERE message_id = 'spam-2@mua.test'")" = "pending none"
check "the server's own verdict counts" \
	test "$(sql "SELECT status || ' ' || spam_score FROM comments WHERE message_id = 'spam-3@mua.test'")" = "pending -2.0"

# ---- 3. the gateway's own addresses in From: ---------------------------
fresh 'moderation = { moderators = ["moderator@example.org"]; mode = "none"; };'
comment "Alice <alice@example.net>" "$ART" "A published comment."
poll
own=0
for from in 'Comments <comments+2024/panne-mondiale.1@example.org>' \
	'<COMMENTS+m_abcdefghijklmnopqrstuvwxyz234567@EXAMPLE.ORG>' \
	'<"comments+2024/panne-mondiale"@example.org>' \
	'Comments <comments@example.org.>'; do
	own=$((own + 1))
	raw_comment "own-$own" "$from"
	poll
	check "From: $from is the gateway itself" test \
		"$(outcome_of "own-$own@mua.test")" = "set aside: from the gateway itself"
done
check "none of them was stored" test "$(sql 'SELECT count(*) FROM comments')" = 1
check "nothing was ever queued to the gateway" test \
	"$(sql "SELECT count(*) FROM outbox WHERE lower(recipient) LIKE '%comments%'")" = 0

# ---- 4. authors that are no address, and the outbox's last guard -------
bad=0
invalid() {
	bad=$((bad + 1))
	raw_comment "bad-$bad" "$1"
	poll
	check "From: $1 is set aside ($2)" test \
		"$(outcome_of "bad-$bad@mua.test")" = "set aside: invalid, $2"
}
invalid '<root>' "from address without a domain"
invalid 'Bob <@a.example:bob@b.example>' "from address with a source route"
invalid '<bob smith@example.net>' "malformed from address"
invalid 'a@example.net, b@example.net' "more than one from address"
invalid '<bob@localhost>' "from address without a fully qualified domain"
invalid '<bob@[192.0.2.1]>' "from address with an address literal"
invalid "<bo$(printf '\001')b@example.net>" "control character in the from address"
check "none of them became an author" test "$(sql 'SELECT count(*) FROM comments')" = 1

# Rows from before the guard: authors "root" and the gateway's reply
# address, approved from the shell.  Their publish notices are refused,
# logged, recorded as failed, and never leave.
sql "INSERT INTO comments (article_id, author_name, author_address, body, status, created_at, updated_at) VALUES
	(1, 'Root', 'root', 'x', 'pending', 0, 0),
	(1, 'Loop', 'comments+2024/panne-mondiale.1@example.org', 'y', 'pending', 0, 0)"
expect_rc 0 "the operator approves both" mc approve 2 3
grep_ok "the refusal is logged" "not queueing the publish-notice to <root>: no domain" err
grep_ok "for the gateway's own address too" "to <comments\+2024/panne-mondiale\.1@example\.org>: the gateway's own address" err
check "and recorded as failed rows" test \
	"$(sql "SELECT group_concat(status || ' ' || last_error, '|') FROM outbox WHERE kind = 'publish-notice'")" = \
	"failed refused: no domain|failed refused: the gateway's own address"
check "nothing went to root" test "$(outbox_count '^Delivered-To: root')" = 0
check "nothing went to the gateway" test "$(outbox_count '^Delivered-To: comments')" = 0
# A row queued by an older version is refused when it is sent.
sql "INSERT INTO outbox (kind, recipient, created_at, next_attempt_at) VALUES ('answer', 'root', 0, 0);
     INSERT INTO outbox_text VALUES (last_insert_rowid(), 'To: root')"
expect_rc 75 "outbox flush reports a row it could not send" mc outbox flush
grep_ok "and logs why" "outbox [0-9]+ to root: refused: no domain" err
check "an old queued row to root is refused at send time" test \
	"$(sql "SELECT status || ' ' || last_error FROM outbox WHERE kind = 'answer'")" = "failed refused: no domain"
check "and not sent" test "$(outbox_count '^Delivered-To: root')" = 0

# ---- 5. a moderator made to ban a moderator ----------------------------
fresh ''
comment "$MOD" "$ART" "Forged in the moderator's name."
comment "Second <SECOND+x@Example.ORG.>" "$ART" "Forged in the other moderator's name."
comment "Eve <eve@attacker.example>" "$ART" "Eve's."
poll
reply_to "$(notification_for 1)" "$MOD" spam
poll
check "spam on a comment in the moderator's name rejects it" test "$(status_of 1)" = spam
check "but bans nobody" test "$(sql 'SELECT count(*) FROM senders WHERE banned = 1')" = 0
a=$(outbox_last '^Subject: Re: ')
decoded "${a:-/dev/null}" >a1.txt
grep_ok "and the answer says why" "moderator@example.org is a moderator's address, which anyone can forge: it was not banned" a1.txt
reply_to "$(notification_for 2)" "$MOD" spam
poll
check "another moderator's address, spelt otherwise, is not banned either" test \
	"$(status_of 2) $(sql 'SELECT count(*) FROM senders WHERE banned = 1')" = "spam 0"
reply_to "$(notification_for 3)" "$MOD" "ban @example.org"
poll
check "ban @their-domain is refused" test "$(sql 'SELECT count(*) FROM senders WHERE banned = 1')" = 0
a=$(outbox_last '^Subject: Re: ')
decoded "${a:-/dev/null}" >a3.txt
grep_ok "saying which moderator it would ban" "@example.org was not banned: that would ban the moderator moderator@example.org" a3.txt
check "the refusal is audited" test \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'refused' AND detail LIKE 'ban @example.org: covers moderator%'")" = 1
reply_to "$(notification_for 3)" "$MOD" spam
poll
check "spam still bans an ordinary sender" test \
	"$(sql "SELECT address FROM senders WHERE banned = 1")" = eve@attacker.example
for target in moderator@example.org 'Second@EXAMPLE.org' '@Example.ORG.'; do
	expect_rc 65 "operator: ban $target is refused" mc ban "$target"
	grep_ok "operator: saying why" "was not banned: that would ban the moderator" out
done
expect_rc 0 "operator: ban of another address works" mc ban mallory@attacker.example
check "no moderator is banned" test \
	"$(sql "SELECT count(*) FROM senders WHERE banned = 1 AND address LIKE '%example.org'")" = 0
comment "$MOD" "$ART" "Another forgery."
poll
reply_to "$(notification_for 4)" "$MOD" trust
poll
check "trust on a comment in a moderator's name publishes it" test "$(status_of 4)" = approved
check "without trusting the address" test \
	"$(sql 'SELECT count(*) FROM senders WHERE trusted = 1')" = 0
comment "$MOD" "$ART" "Yet another forgery."
poll
check "so the next forgery waits" test "$(status_of 5)" = pending

# ---- 6. one victim, five spellings -------------------------------------
SPELLINGS=('Victim <victim@example.com>' '<victim+1@example.com>' \
	'<"victim"@example.com>' '<victim@example.com.>' '<VICTIM@EXAMPLE.COM>')
five() {
	local i
	for i in 0 1 2 3 4; do
		raw_comment "$1-$i" "${SPELLINGS[$i]}"
	done
	poll
}
fresh 'moderation = { moderators = ["moderator@example.org"]; confirm_new_senders = true; };'
five confirm
check "five spellings: all five wait for confirmation" test \
	"$(sql "SELECT count(*) FROM comments WHERE status = 'unconfirmed'")" = 5
check "five spellings get ONE confirmation mail" test \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'confirmation'")" = 1
cf=$(outbox_last '^Reply-To: .*comments\+c_')
reply_to "${cf:-/dev/null}" 'Victim <Victim@Example.COM>' "yes"
poll
check "the answer from any spelling releases all five" test \
	"$(sql "SELECT count(*) FROM comments WHERE status = 'pending'")" = 5
fresh 'moderation = { moderators = ["moderator@example.org"]; };
limits = { comments_per_hour = 2; pending_per_sender = 100; };'
five hourly
check "five spellings are one sender for the hourly limit" test \
	"$(sql 'SELECT count(*) FROM comments')" = 2
fresh 'moderation = { moderators = ["moderator@example.org"]; };
limits = { pending_per_sender = 1; };'
five pending
check "five spellings are one sender for the pending limit" test \
	"$(sql 'SELECT count(*) FROM comments')" = 1
fresh 'moderation = { moderators = ["moderator@example.org"]; };'
expect_rc 0 "ban one spelling" mc ban 'Victim+x@Example.COM.'
five banned
check "the ban of one spelling covers all five" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome = 'set aside: banned sender'")" = 5
fresh 'moderation = { moderators = ["moderator@example.org"]; };
limits = { subaddress_separators = ""; comments_per_hour = 2; pending_per_sender = 100; };'
five unfolded
check "subaddress_separators = \"\": victim+1@ is a sender of its own" test \
	"$(sql 'SELECT count(*) FROM comments')" = 3

# A database from before the keys: rows without one, a senders row in
# another spelling.  The next command makes them.
sql "UPDATE comments SET author_key = NULL; DELETE FROM state WHERE key = 'address_keys';
	INSERT INTO senders (address, banned, created_at, updated_at) VALUES ('Other+tag@Example.NET.', 1, 0, 0)"
expect_rc 0 "any command on an old database" mc stats
check "fills every key" test \
	"$(sql 'SELECT count(*) FROM comments WHERE author_key IS NULL')" = 0
check "and moves old senders rows to their key" test \
	"$(sql "SELECT address || ' ' || banned FROM senders WHERE address LIKE '%other%'")" = "other+tag@example.net 1"
t_done
