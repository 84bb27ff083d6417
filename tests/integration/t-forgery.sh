#!/bin/bash
# t-forgery.sh: nothing but a configured moderator holding the right,
# valid token changes a comment.  Each forgery is refused, logged with its
# reason (processed outcome and audit row), and changes no comment.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

site
MOD='Moderator <moderator@example.org>'
ART=comments+2024/panne-mondiale@example.org
comment "A <a@example.net>" "$ART" "First."
comment "B <b@example.net>" "$ART" "Second."
poll
n1=$(notification_for 1)
n2=$(notification_for 2)
tok1=$(grep -oE 'm_[a-z2-7]{32}' "$n1" | head -1)
snapshot() { sql "SELECT id, status, body FROM comments ORDER BY id"; }
snapshot >before

# refused DESC REASON MUA-ARGS...: the reply is refused for REASON.
refused() {
	local desc=$1 why=$2 mid
	shift 2
	mid="<forgery-$t_n@attacker.example>"
	"$@" --message-id "$mid" >/dev/null
	poll
	snapshot >after
	if diff -q before after >/dev/null; then
		ok "$desc: nothing changed"
	else
		notok "$desc: nothing changed"
		diff before after | diag
	fi
	check "$desc: refused as \"$why\"" test \
		"$(sql "SELECT outcome FROM processed WHERE key = '$mid'")" = "refused: $why"
	check "$desc: in the audit log" test \
		"$(sql "SELECT count(*) FROM audit WHERE action = 'refused' AND message_id = '${mid:1:-1}' AND detail = '$why'")" = 1
}

reply() { $MUA reply "$@"; }

# A forged From: without any token, written to the bare mailbox.
$MUA comment "$INBOX" --from "$MOD" --to comments@example.org \
	--subject "approve" --body "approve" --message-id '<notoken@attacker.example>' >/dev/null
poll
snapshot >after
check "forged From: without a token changes nothing" diff -q before after
check "it is not taken as a command" test \
	"$(sql "SELECT kind FROM processed WHERE key = '<notoken@attacker.example>'")" = comment

refused "valid token from a non-moderator" "eve@attacker.example is not a moderator" \
	reply "$n1" "$INBOX" --from 'Eve <eve@attacker.example>' --body approve
refused "forged moderator with a made-up token" "unknown token" \
	reply "$n1" "$INBOX" --from "$MOD" --body approve \
	--to "comments+m_abcdefghijklmnopqrstuvwxyz234567@example.org" --in-reply-to '<x@y>'
upper=$(echo "$tok1" | tr a-z A-Z | sed 's/^M_/m_/')
refused "a token in the wrong case" "unknown token" \
	reply "$n1" "$INBOX" --from "$MOD" --body approve \
	--to "comments+$upper@example.org" --in-reply-to '<x@y>'
refused "a token with junk around it" "unknown token" \
	reply "$n1" "$INBOX" --from "$MOD" --body approve \
	--to "comments+${tok1}x@example.org" --in-reply-to '<x@y>'
refused "a token of another kind" "token of another kind" \
	reply "$n1" "$INBOX" --from "$MOD" --body approve \
	--to "comments+u_${tok1#m_}@example.org" --in-reply-to '<x@y>'

# Expired: the clock moves past the lifetime (30 days).
export MAILCOMMENTS_NOW=$(($(date +%s) + 31 * 86400))
refused "an expired token" "expired token" \
	reply "$n1" "$INBOX" --from "$MOD" --body approve
unset MAILCOMMENTS_NOW

sql "UPDATE tokens SET revoked = 1 WHERE comment_id = 2"
refused "a revoked token" "revoked token" \
	reply "$n2" "$INBOX" --from "$MOD" --body approve
sql "UPDATE tokens SET revoked = 0 WHERE comment_id = 2"

# The token travels in In-Reply-To only when the plus-address is lost;
# a token for comment 1 can only ever act on comment 1.
reply "$n1" "$INBOX" --from "$MOD" --body approve --to comments@example.org \
	--message-id '<irt@example.org>' >/dev/null
poll
check "the token in In-Reply-To alone works" test "$(status_of 1)" = approved
check "and acts on its own comment only" test "$(status_of 2)" = pending
snapshot >before

# A replayed reply (same Message-ID) is recognised and changes nothing;
# replayed with a new Message-ID, it repeats a decision already made.
reply "$n1" "$INBOX" --from "$MOD" --body approve --to comments@example.org \
	--message-id '<irt@example.org>' >/dev/null
poll
check "a replayed reply is a duplicate" test \
	"$(sql "SELECT count(*) FROM processed WHERE key = '<irt@example.org>'")" = 1
reply "$n1" "$INBOX" --from "$MOD" --body approve --message-id '<replay2@example.org>' >/dev/null
poll
snapshot >after
check "a replay under a new Message-ID changes nothing" diff -q before after

# require_dkim: the trusted server's dkim=pass for the moderator's domain.
site 'moderation = { moderators = ["moderator@example.org"]; require_dkim = true; trusted_authserv_id = "mx.example.org"; };'
refused "require_dkim without Authentication-Results" "no dkim=pass from the trusted server" \
	reply "$n2" "$INBOX" --from "$MOD" --body approve
refused "require_dkim with another server's result" "no dkim=pass from the trusted server" \
	reply "$n2" "$INBOX" --from "$MOD" --body approve \
	--header 'Authentication-Results: evil.example; dkim=pass header.d=example.org'
refused "require_dkim with dkim=fail" "no dkim=pass from the trusted server" \
	reply "$n2" "$INBOX" --from "$MOD" --body approve \
	--header 'Authentication-Results: mx.example.org; dkim=fail header.d=example.org'
refused "require_dkim with a pass for another domain" "no dkim=pass from the trusted server" \
	reply "$n2" "$INBOX" --from "$MOD" --body approve \
	--header 'Authentication-Results: mx.example.org; dkim=pass header.d=attacker.example'
reply "$n2" "$INBOX" --from "$MOD" --body approve \
	--header 'Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org header.s=s1' >/dev/null
poll
check "require_dkim with the trusted server's pass works" test "$(status_of 2)" = approved
check "no answer was ever sent to a forger" test \
	"$(outbox_count '^Delivered-To: eve@attacker.example')" = 0
t_done
