#!/bin/bash
# t-outgoing.sh: what the gateway's outgoing side tells cron and mail
# clients.
# - `poll --once` and `import` exit 75 (EX_TEMPFAIL) when the SMTP
#   server is unreachable and mail had to stay in the outbox, as the man
#   page says, and 0 once everything went out.
# - Reply notices carry List-Unsubscribe with a mailto: URI and, only
#   when an https endpoint is configured (address.unsubscribe_url),
#   that URI and List-Unsubscribe-Post (RFC 8058 forbids One-Click
#   with mailto: alone).
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"
MUA="$PY $T_ROOT/scripts/mua.py"
ART=comments+2024/velo@example.org

mkdir -p var/site/2024/velo
cat >var/site/2024/velo/index.html <<'HTML'
<!doctype html><html lang="fr"><head><title>Le vélo</title></head><body>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
sql() { sqlite3 "$T_DIR/mc.db" "$@"; }
comment() { # FROM TO BODY [MAILDIR]
	$MUA comment "${4:-var/inbox}" --from "$1" --to "$2" --subject Commentaire \
		--body "$3" >/dev/null
}

# ---- poll and import with the SMTP server down ----
if ! start_smtp; then
	notok "the SMTP server starts"
	t_done
	exit 1
fi
ok "the SMTP server starts"
write_conf mc.conf "site.directory=$T_DIR/var/site" "source.maildir=$T_DIR/var/inbox"
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
comment "Anne <anne@example.net>" "$ART" "Premier."
expect_rc 0 "poll --once with the SMTP server up" mc poll --once
check "the notification went out" test "$(smtp_count)" = 1

stop_smtp
comment "Bruno <bruno@example.net>" "$ART" "Deuxième."
expect_rc 75 "poll --once with the SMTP server down exits EX_TEMPFAIL" mc poll --once
grep_ok "saying why" 'server unreachable.*will retry' err
check "the comment is stored all the same" \
	test "$(sql "SELECT count(*) FROM comments")" = 2
check "its notification waits in the outbox" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 1
comment "Chloé <chloe@example.net>" "$ART" "Troisième." "$T_DIR/import"
expect_rc 75 "import with the SMTP server down exits EX_TEMPFAIL too" \
	mc import "$T_DIR/import"
check "two notifications wait" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 2

start_smtp
later=$(($(date +%s) + 600)) # past the retry delay
MAILCOMMENTS_NOW=$later expect_rc 0 "the server is back: exit 0" mc poll --once
check "both went out" test "$(smtp_count)" = 3
check "the outbox is empty" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
MAILCOMMENTS_NOW=$later expect_rc 0 "a pass with nothing to send: exit 0" mc poll --once
stop_smtp

# ---- List-Unsubscribe on reply notices (Maildir transport) ----
# notice CONF: Anne's comment 1 gets a reply; prints the reply notice.
notice() {
	local dir=$1 n
	rm -rf "$dir" && mkdir -p "$dir/site/2024/velo"
	cp var/site/2024/velo/index.html "$dir/site/2024/velo/"
	cat >"$dir.conf" <<CONF
site = { directory = "$dir/site"; };
database = { path = "$dir/mc.db"; };
source = { maildir = "$dir/inbox"; };
transport = { maildir = "$dir/outbox"; };
moderation = { moderators = ["moderator@example.org"]; };
${2:-}
CONF
	comment "Anne <anne@example.net>" "$ART" "Premier." "$dir/inbox"
	mc -c "$dir.conf" poll >/dev/null 2>&1
	mc -c "$dir.conf" approve 1 >/dev/null 2>&1
	comment "Bruno <bruno@example.net>" comments+2024/velo.1@example.org \
		"Réponse." "$dir/inbox"
	mc -c "$dir.conf" poll >/dev/null 2>&1
	mc -c "$dir.conf" approve 2 >/dev/null 2>&1
	n=$(grep -l '^To: .*anne@example.net' "$dir"/outbox/new/* |
		xargs grep -l '^List-Unsubscribe:' | head -1)
	[ -n "$n" ] && sed '/^$/q' "$n" | tr -d '\r' | sed -e ':a' -e 'N;$!ba' -e 's/\n[ \t]\+/ /g'
}

notice "$T_DIR/plain" >plain.h
grep_ok "a reply notice has List-Unsubscribe with a mailto: URI" \
	'^List-Unsubscribe: <mailto:comments\+u_[a-z2-7]+@example.org\?subject=unsubscribe>$' plain.h
grep_not "and, with mailto: alone, no List-Unsubscribe-Post (RFC 8058)" \
	'^List-Unsubscribe-Post' plain.h

notice "$T_DIR/https" 'address = { unsubscribe_url = "https://blog.example.org/unsubscribe?t={token}"; };' >https.h
grep_ok "with address.unsubscribe_url: the https URI first, then mailto:" \
	'^List-Unsubscribe: <https://blog.example.org/unsubscribe\?t=u_[a-z2-7]+>, <mailto:comments\+u_[a-z2-7]+@example.org\?subject=unsubscribe>$' https.h
grep_ok "and List-Unsubscribe-Post: List-Unsubscribe=One-Click" \
	'^List-Unsubscribe-Post: List-Unsubscribe=One-Click$' https.h
tok_url=$(grep -o 'unsubscribe?t=u_[a-z2-7]*' https.h | cut -d= -f2)
tok_mail=$(grep -o 'mailto:comments+u_[a-z2-7]*' https.h | cut -d+ -f2)
check "both carry the same token" test -n "$tok_url" -a "$tok_url" = "$tok_mail"

# What the endpoint does on POST: one mail to the token's address.
$MUA comment "$T_DIR/https/inbox" --from "www-data <www-data@blog.example.org>" \
	--to "comments+$tok_url@example.org" --subject unsubscribe --body unsubscribe >/dev/null
mc -c "$T_DIR/https.conf" poll >/dev/null 2>&1
check "a mail to the token's address unsubscribes the reader" \
	test "$(sqlite3 "$T_DIR/https/mc.db" "SELECT unsubscribed FROM senders WHERE address = 'anne@example.net'")" = 1

for bad in 'http://blog.example.org/u?t={token}' \
	'https://blog.example.org/unsubscribe' \
	'https://blog.example.org/u?t={token}&again={token}' \
	'https://blog.example.org/u?t={token}>, <mailto:x@evil.example'; do
	printf 'address = { unsubscribe_url = "%s"; };\n' "$bad" >bad.conf
	expect_rc 78 "address.unsubscribe_url \"$bad\" is refused" mc -c bad.conf check-config
	grep_ok "naming the setting" 'address.unsubscribe_url' err
done

t_done
