#!/bin/bash
# t-robots.sh: the robots of maildir-fixtures (bounces from many servers
# and languages, feedback reports, delivery success notices, read
# receipts, auto-replies known by their subject alone) go through a real
# poll of the Maildir inbox: each is set aside under its kind, none is
# stored as a comment, none is answered, and `parse` shows the report
# kind; a forged null From on a reader's mail gains nothing.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

FX="$T_ROOT/maildir-fixtures"
PY=/usr/bin/python3
site
mc poll >/dev/null 2>&1 # creates the store and the Maildirs

# kind_of JSON: the kind an expectation names.
kind_of() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["kind"])' "$1"; }

n=0 nb=0 nr=0 na=0
for g in bounces-intl reports autoreply-subjects; do
	for f in "$FX/$g"/new/* "$FX/$g"/cur/*; do
		[ -f "$f" ] || continue
		k=$(kind_of "$FX/$g/expected/$(basename "$f").json")
		case $k in
		bounce) nb=$((nb + 1)) ;;
		report) nr=$((nr + 1)) ;;
		autoreply) na=$((na + 1)) ;;
		*) continue ;;
		esac
		n=$((n + 1))
		cp "$f" "$INBOX/new/robot-$n.$(basename "$f")"
	done
done
check "the fixtures hold bounces ($nb), reports ($nr), auto-replies ($na)" \
	test "$nb" -ge 15 -a "$nr" -ge 8 -a "$na" -ge 12
poll
processed() { sql "SELECT count(*) FROM processed WHERE outcome LIKE '$1'"; }
check "every robot was processed ($n)" test "$(sql 'SELECT count(*) FROM processed')" = "$n"
check "bounces are set aside as bounces" test "$(processed 'set aside: bounce%')" = "$nb"
check "reports are set aside as reports" test "$(processed 'set aside: report%')" = "$nr"
check "auto-replies are set aside as auto-replies" test "$(processed 'set aside: autoreply%')" = "$na"
check "the log line names the report's reason" test \
	"$(processed 'set aside: report, feedback report')" -ge 3
check "processed rows carry the kind report" test \
	"$(sql "SELECT count(*) FROM processed WHERE kind = 'report'")" = "$nr"
check "no robot is stored as a comment" test "$(sql 'SELECT count(*) FROM comments')" = 0
check "no robot is answered" test "$(ls "$OUTBOX/new" 2>/dev/null | wc -l)" = 0
check "every robot was acknowledged" test "$(ls "$INBOX/new" | wc -l)" = 0

# parse shows the kind and its reason
f=$(ls "$FX"/reports/new/* | head -1)
mc parse "$f" >parse.out 2>&1
grep_ok "parse prints Kind: report" '^Kind: +report$' parse.out
grep_ok "and the reason" '^Reasons: +feedback report' parse.out

# A reader's mail with a forged null From: not stored, not answered,
# whatever its name says.
before=$(ls "$OUTBOX/new" 2>/dev/null | wc -l)
$MUA comment "$INBOX" --from "MAILER-DAEMON <>" \
	--to comments+2024/panne-mondiale@example.org --subject "Comment" \
	--body "Publiez-moi." >/dev/null
$MUA comment "$INBOX" --from "Bob <>" \
	--to comments+2024/panne-mondiale@example.org --subject "Comment" \
	--body "Publiez-moi aussi." >/dev/null
poll
check "a forged null From stores nothing" test "$(sql 'SELECT count(*) FROM comments')" = 0
check "and is answered by nothing" test "$(ls "$OUTBOX/new" 2>/dev/null | wc -l)" = "$before"
check "one is set aside as a bounce, the other as invalid" test \
	"$(sql "SELECT group_concat(outcome, '/') FROM (SELECT outcome FROM processed WHERE key LIKE '%@mua.test>' ORDER BY id)")" \
	= "set aside: bounce, mailer-daemon sender/set aside: invalid, no from address"

t_done
