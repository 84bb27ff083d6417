#!/bin/bash
# t-roundtrip.sh: the whole loop against real servers.  A reader's
# comment is APPENDed to Dovecot; `poll --once` reads it over IMAPS and
# sends the moderator's notification through the SMTP server; the
# moderator's reply, written as a mail client writes it, is APPENDed in
# turn; the next poll approves the comment and sends the publish notice.
# Both source messages end up in the Processed folder.  (Under `make
# check-san` this runs the sanitized binary: no leak allowed.)
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

MUA="$PY $T_ROOT/scripts/mua.py"
BOXES="$T_DIR/boxes" # what the SMTP server delivered, per recipient

if ! start_dovecot || ! start_smtp --mailboxes "$BOXES"; then
	notok "Dovecot and the SMTP server start"
	t_done
	exit 1
fi
ok "Dovecot and the SMTP server start"

mkdir -p var/site/2024/panne-mondiale staging
cat >var/site/2024/panne-mondiale/index.html <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
write_conf mc.conf site.name="Le Blog" site.url=https://blog.example.org/ \
	site.directory="$T_DIR/var/site"
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
sql() { sqlite3 "$T_DIR/mc.db" "$@"; }

# A comment, as Alice's mail client writes it, lands in the INBOX.
c=$($MUA comment staging --from 'Alice Martin <alice@example.net>' \
	--to comments+2024/panne-mondiale@example.org --subject 'Super' \
	--body 'Très bon article, merci !' --message-id '<alice-1@example.net>' \
	--cte 8bit)
imap_tool append INBOX "$c" >/dev/null
expect_rc 0 "poll --once reads the comment over IMAPS" mc poll --once
grep_ok "one line for the message: Message-ID, kind, article, outcome" \
	'<?alice-1@example.net>? comment article=2024/panne-mondiale' err
check "the comment is stored pending" \
	test "$(sql 'SELECT status FROM comments WHERE id = 1')" = pending
n=$($MUA find "$BOXES/moderator@example.org/new" --to moderator@example.org)
check "the SMTP server received the moderator's notification" test -n "$n"
n=${n:-/dev/null}
grep_ok "it went From the gateway" '^From: .*<comments@example.org>' "$n"
grep_ok "the envelope sender is the gateway's" \
	' comments@example.org moderator@example.org tls$' "$SMTP_DIR/envelope.log"
$MUA text "$n" >n.txt
grep_ok "it shows the comment" 'Très bon article, merci !' n.txt
check "the comment left the INBOX for Processed" \
	test "$(imap_tool count INBOX) $(imap_tool count Processed)" = "0 1"

# The moderator answers from a mail client; the answer comes back by IMAP.
r=$($MUA reply "$n" staging --from 'Modératrice <moderator@example.org>' \
	--body approve --style top --message-id '<mod-1@example.org>')
imap_tool append INBOX "$r" >/dev/null
expect_rc 0 "the next poll reads the reply" mc poll --once
grep_ok "logged as a command" 'mod-1@example.org>? command' err
check "the comment is approved" \
	test "$(sql 'SELECT status FROM comments WHERE id = 1')" = approved
p=$($MUA find "$BOXES/alice@example.net/new" --to alice@example.net)
check "the publish notice reached Alice through SMTP" test -n "$p"
c2=$($MUA find "$BOXES/moderator@example.org/new" --to moderator@example.org --subject '^Re: ')
check "the moderator got a confirmation" test -n "$c2"
grep_ok "the article page shows the comment" 'Très bon article, merci !' \
	var/site/2024/panne-mondiale/index.html
imap_tool list Processed >processed
grep_ok "the comment is in Processed" '<alice-1@example.net>' processed
grep_ok "the reply is in Processed" '<mod-1@example.org>' processed
check "and the INBOX is empty" test "$(imap_tool count INBOX)" = 0
check "every notice went out once" \
	test "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" = 0
sent=$(sql "SELECT count(*) FROM outbox")
check "the SMTP server got exactly what the outbox sent ($sent)" \
	test "$(smtp_count)" = "$sent"
expect_rc 0 "a poll with nothing new" mc poll --once
check "does nothing" test "$(smtp_count)" = "$sent"

t_done
