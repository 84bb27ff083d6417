#!/bin/bash
# t-flood.sh: the site-wide throttles.  Comments from many made-up senders
# switch the gateway to flood mode: after moderation.flood_threshold
# single notifications in an hour, the moderators get one digest that
# says why, then at most one every flood_digest_minutes; every comment
# reaches each moderator exactly once; digest replies still decide; flood
# mode ends once the rate falls to half the threshold.  The site limits
# (new comments an hour, comments waiting) set the excess aside, and that
# mail can be imported once the flood is over.  A normal day is unchanged.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
. "$T_ROOT/tests/servers.sh"

MOD='Moderator <moderator@example.org>'
T0=$(date +%s)
# at M: the time M minutes after T0.  The clock of every run is set.
at() { echo $((T0 + $1 * 60)); }
poll_at() { MAILCOMMENTS_NOW=$(at "$1") mc poll >>poll.log 2>&1; }
import_at() { MAILCOMMENTS_NOW=$(at "$1") mc import "$2" >>poll.log 2>&1; }

fresh() {
	rm -rf var mc.conf poll.log
	site "$1"
}

# flood FIRST LAST: comments FIRST..LAST into the inbox, each from its own
# made-up sender and domain, as a spammer sends them.
flood() {
	/usr/bin/python3 - "$INBOX" "$1" "$2" <<'PY'
import os, sys, time
inbox, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(inbox, d), exist_ok=True)
for i in range(a, b + 1):
    name = "%d.M%06dP%d.flood" % (time.time(), i, os.getpid())
    with open(os.path.join(inbox, "new", name), "w") as f:
        f.write("From: Reader %d <reader%d@made-up-%d.example>\n"
                "To: comments+2024/panne-mondiale@example.org\n"
                "Subject: Comment\nMessage-ID: <flood-%d@example.net>\n"
                "Date: Mon, 29 Jul 2024 10:00:00 +0000\n\n"
                "Flood comment number %d.\n" % (i, i, i, i, i))
PY
}

# told MODERATOR: the comment numbers MODERATOR was told about, one line
# per mention: single notifications by their subject, digests by their
# items.
told() {
	local f
	for f in $(grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null); do
		# answers and "handled by" notices carry tokens too
		grep -q '^In-Reply-To:' "$f" && continue
		if grep -q '^Reply-To: .*comments+d_' "$f"; then
			decoded "$f" | sed -n 's/^#\([0-9]*\)  .*/\1/p'
		elif grep -q '^Reply-To: .*comments+m_' "$f"; then
			$MUA subject "$f" | sed -n 's/.*(#\([0-9]*\))$/\1/p'
		fi
	done
}
# (answers and "handled by" notices, which carry tokens too, answer a mail)
singles() { grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -L '^In-Reply-To:' | xargs -r grep -l '^Reply-To: .*comments+m_' | wc -l; }
digests() { grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -L '^In-Reply-To:' | xargs -r grep -l '^Reply-To: .*comments+d_' | wc -l; }
# digest_to MODERATOR N: the Nth digest MODERATOR got.
digest_to() {
	grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null |
		xargs -r grep -L '^In-Reply-To:' |
		xargs -r grep -l '^Reply-To: .*comments+d_' |
		sed 's/.*outbox-\([0-9]*\)\.eml$/\1 &/' | sort -n | sed -n "$2p" | cut -d' ' -f2-
}
# once: every comment 1..N told exactly once to both moderators.
once() {
	local m n=$1
	for m in moderator@example.org second@example.org; do
		[ "$(told $m | sort -n | uniq -d | wc -l)" = 0 ] || return 1
		[ "$(told $m | sort -n | tr '\n' ' ')" = "$(seq -s ' ' 1 "$n") " ] || return 1
	done
}
unnotified() { sql "SELECT count(*) FROM comments WHERE status = 'pending' AND notified_at IS NULL"; }
audits() { sql "SELECT count(*) FROM audit WHERE action = '$1'"; }

# ---- a normal day: nothing changes ----
fresh ''
flood 1 5
poll_at 0
check "a normal day: one notification per comment and moderator" test \
	"$(singles moderator@example.org) $(singles second@example.org)" = "5 5"
check "a normal day: no digest" test "$(digests moderator@example.org)" = 0
check "a normal day: no flood mode" test "$(audits flood-start)" = 0

fresh 'moderation = { moderators = ["moderator@example.org", "second@example.org"]; flood_threshold = 10; };'
flood 1 10
poll_at 0
check "exactly flood_threshold comments in an hour: still single notifications" test \
	"$(singles moderator@example.org) $(digests moderator@example.org) $(audits flood-start)" = "10 0 0"

# ---- a flood: 30 comments from 30 made-up senders in one poll ----
fresh 'moderation = { moderators = ["moderator@example.org", "second@example.org"]; flood_threshold = 10; };'
flood 1 30
poll_at 0
for m in moderator@example.org second@example.org; do
	check "flood: $m gets flood_threshold single notifications" test "$(singles $m)" = 10
	check "flood: and one digest" test "$(digests $m)" = 1
done
check "flood: every comment reaches each moderator exactly once" once 30
check "flood: no comment is left waiting unnotified" test "$(unnotified)" = 0
d1=$(digest_to moderator@example.org 1)
decoded "${d1:-/dev/null}" >d1.txt
grep_ok "the digest lists the rest" '^#30  ' d1.txt
grep_not "and not the comments already notified" '^#10  ' d1.txt
grep_ok "the digest says why: the count and the senders" \
	'^Flood mode: 30 new comments for moderation in the last hour, from$' d1.txt
grep_ok "the number of senders" '^30 senders, more than moderation.flood_threshold \(10 an hour\)\.$' d1.txt
grep_ok "and until when single notifications are paused" \
	'^Single notifications are paused until at most 5 arrive in an hour$' d1.txt
grep_ok "with the earliest time" '^\(not before [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC\); until then' d1.txt
check "its subject says flood mode" test \
	"$($MUA subject "${d1:-/dev/null}")" = "[Le Blog] Flood mode: 20 comments waiting for moderation"
check "the switch is audited once" test \
	"$(sql "SELECT actor || '|' || detail FROM audit WHERE action = 'flood-start'")" = \
	"gateway|11 comments for moderation in the last hour from 11 senders, more than moderation.flood_threshold (10)"
grep_ok "and logged" 'flood mode started' poll.log
MAILCOMMENTS_NOW=$(at 0) mc stats >stats.txt 2>&1
grep_ok "stats says flood mode is on" '^flood mode \(1: on\) +1$' stats.txt

reply_to "${d1:-/dev/null}" "$MOD" "approve 12 13
reject 14 off-topic"
poll_at 1
check "a digest reply decides flood comments" test \
	"$(status_of 12) $(status_of 13) $(status_of 14) $(status_of 15)" = "approved approved rejected pending"

flood 31 31
poll_at 5
check "during the flood a new comment is not notified alone" test "$(singles moderator@example.org)" = 10
check "nor in a new digest before flood_digest_minutes" test "$(digests moderator@example.org)" = 1
grep_ok "it is logged as held" 'stored as #31, pending, held for the flood digest' poll.log
poll_at 31
check "the next digest comes flood_digest_minutes later" test "$(digests moderator@example.org)" = 2
decoded "$(digest_to moderator@example.org 2)" >d2.txt
check "with only the new comment" test "$(sed -n 's/^#\([0-9]*\)  .*/\1/p' d2.txt | tr '\n' ' ')" = "31 "
grep_ok "saying that flood mode goes on" '^Flood mode goes on: 31 new comments' d2.txt

flood 32 37
poll_at 40
poll_at 70
check "six comments in the last hour: under the threshold, flood mode stays (hysteresis)" test \
	"$(audits flood-end) $(digests moderator@example.org) $(singles moderator@example.org)" = "0 3 10"
flood 38 38
poll_at 80
poll_at 101
check "one comment in the last hour: flood mode ends" test "$(audits flood-end)" = 1
check "the comments still held go out in a last digest" test "$(digests moderator@example.org)" = 4
decoded "$(digest_to moderator@example.org 4)" >d4.txt
grep_ok "which says flood mode is over" '^Flood mode is over \(1 new comment for moderation in the last hour\):$' d4.txt
grep_ok "and lists the held comment" '^#38  ' d4.txt
flood 39 39
poll_at 105
check "after the flood, single notifications resume" test "$(singles moderator@example.org)" = 11
check "every comment of the flood reached each moderator exactly once" once 39
check "no comment is left waiting unnotified" test "$(unnotified)" = 0
MAILCOMMENTS_NOW=$(at 105) mc stats >stats.txt 2>&1
grep_ok "stats says flood mode is off" '^flood mode \(1: on\) +0$' stats.txt
check "exactly one mail says that flood mode started" test \
	"$(grep -l '^Delivered-To: moderator@example.org$' "$OUTBOX"/new/* | while read -r f; do decoded "$f" | head -1; done | grep -c '^Flood mode: ')" = 1

# ---- a big flood: a digest holds 100 comments, the rest follow ----
fresh 'moderation = { moderators = ["moderator@example.org"]; flood_threshold = 1; };
limits = { site_comments_per_hour = 1000; };'
flood 1 130
poll_at 0
check "a digest holds at most 100 comments" test \
	"$(decoded "$(digest_to moderator@example.org 1)" | grep -c '^#[0-9]*  ')" = 100
grep_ok "and says that more wait" '^More comments wait: they come in the next digest\.$' \
	<(decoded "$(digest_to moderator@example.org 1)")
poll_at 31
check "the rest come in the next digest" test \
	"$(told moderator@example.org | sort -n | uniq | wc -l) $(unnotified)" = "130 0"

# ---- French ----
fresh 'moderation = { moderators = ["moderator@example.org"]; flood_threshold = 2; };'
# French typography: a non-breaking space before : ; ! ? and inside « ».
NB=$(printf '\302\240')
sed -i 's/^site = {/site = { language = "fr";/' mc.conf
flood 1 4
poll_at 0
d=$(digest_to moderator@example.org 1)
check "site.language = fr: the flood digest's subject is French" test \
	"$($MUA subject "${d:-/dev/null}")" = "[Le Blog] Mode afflux${NB}: 2 commentaires en attente de modération"
decoded "${d:-/dev/null}" >fr.txt
grep_ok "and so is the reason" "^Mode afflux${NB}: 4 nouveaux commentaires à modérer dans la dernière heure,\$" fr.txt

# ---- digests turned off while comments wait: they are not forgotten ----
fresh 'moderation = { moderators = ["moderator@example.org"]; digest_minutes = 60; };'
flood 1 2
poll_at 0
flood 3 3
poll_at 5
sed -i 's/digest_minutes = 60;//' mc.conf
poll_at 6
check "a comment waiting for a digest that was turned off still reaches the moderators" test \
	"$(told moderator@example.org | sort -n | tr '\n' ' ')" = "1 2 3 "

# ---- limits.site_comments_per_hour, a set-aside folder, import later ----
fresh 'limits = { site_comments_per_hour = 5; };
source = { set_aside = "SetAside"; };'
flood 1 8
poll_at 0
check "site_comments_per_hour stores five" test "$(sql 'SELECT count(*) FROM comments')" = 5
check "the others are set aside with the reason" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome = 'set aside: site limit: 5 new comments an hour'")" = 3
check "into the set-aside folder" test "$(ls var/inbox/.SetAside/cur | wc -l)" = 3
grep_ok "and logged" 'flood-8@example.net comment article=2024/panne-mondiale: set aside: site limit: 5 new comments an hour' poll.log
check "nobody is told about them" test "$(told moderator@example.org | sort -n | tr '\n' ' ')" = "1 2 3 4 5 "
mc stats >stats.txt 2>&1
grep_ok "stats counts them as set aside to retry" '^    to retry +3$' stats.txt
import_at 20 var/inbox/.SetAside
check "imported again within the hour, they are set aside again" test "$(sql 'SELECT count(*) FROM comments')" = 5
import_at 70 var/inbox/.SetAside
check "imported after the hour, they are stored" test \
	"$(sql "SELECT group_concat(message_id, ' ') FROM (SELECT message_id FROM comments WHERE id > 5 ORDER BY id)")" = \
	"flood-6@example.net flood-7@example.net flood-8@example.net"
check "and the moderators told" test "$(told moderator@example.org | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 "
import_at 71 var/inbox/.SetAside
check "importing once more changes nothing" test \
	"$(sql 'SELECT count(*) FROM comments') $(singles moderator@example.org)" = "8 8"

# ---- limits.site_pending, set aside in place, import later ----
fresh 'limits = { site_pending = 3; };'
flood 1 5
poll_at 0
check "site_pending stores three" test "$(sql 'SELECT count(*) FROM comments')" = 3
check "the others are set aside with the reason" test \
	"$(sql "SELECT count(*) FROM processed WHERE outcome = 'set aside: site limit: 3 comments wait for moderation'")" = 2
MAILCOMMENTS_NOW=$(at 1) mc approve 1 2 >/dev/null 2>&1
import_at 2 var/inbox
check "once some are decided, importing the inbox stores the waiting ones" test \
	"$(sql 'SELECT count(*) FROM comments') $(sql "SELECT count(*) FROM comments WHERE status = 'pending'")" = "5 3"
check "each once" test "$(sql 'SELECT count(DISTINCT message_id) FROM comments')" = 5

# ---- a sender's own limit: what it set aside can be imported later too ----
fresh 'limits = { comments_per_hour = 2; };'
for i in 1 2 3; do
	comment "A <a@example.net>" comments+2024/panne-mondiale@example.org "Mine $i." --message-id "<mine$i@example.net>"
done
poll_at 0
check "comments_per_hour sets the third aside" test "$(sql 'SELECT count(*) FROM comments')" = 2
import_at 70 var/inbox
check "an hour later it can be imported" test \
	"$(sql "SELECT message_id FROM comments WHERE id = 3")" = mine3@example.net

# ---- over IMAP: set aside into a folder, moved back by a mail client ----
if ! start_dovecot; then
	notok "Dovecot starts"
	t_done
	exit 1
fi
rm -rf var mc.conf
site ''
write_conf imap.conf site.directory="$T_DIR/var/site" \
	transport.maildir="$OUTBOX" limits.site_comments_per_hour=2
export MAILCOMMENTS_CONFIG="$T_DIR/imap.conf"
flood 1 4
for f in "$INBOX"/new/*; do imap_tool append INBOX "$f" >/dev/null; done
poll_at 0
check "over IMAP, the site limit stores two" test \
	"$(sqlite3 "$T_DIR/mc.db" 'SELECT count(*) FROM comments')" = 2
check "and moves two to the set-aside folder" test "$(imap_tool count 'Set aside')" = 2
imap_tool move 'Set aside' INBOX
poll_at 70
check "moved back to INBOX after the flood, they are stored" test \
	"$(sqlite3 "$T_DIR/mc.db" 'SELECT count(DISTINCT message_id) FROM comments')" = 4
check "and end in the processed folder" test \
	"$(imap_tool count 'Set aside') $(imap_tool count Processed)" = "0 4"
t_done
