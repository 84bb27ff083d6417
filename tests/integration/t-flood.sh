#!/bin/bash
# t-flood.sh: floods of comments.  Mail that a rate limit set aside can be
# imported once the flood is over.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

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
		if grep -q '^Reply-To: .*comments+d_' "$f"; then
			decoded "$f" | sed -n 's/^#\([0-9]*\)  .*/\1/p'
		elif grep -q '^Reply-To: .*comments+m_' "$f"; then
			$MUA subject "$f" | sed -n 's/.*(#\([0-9]*\))$/\1/p'
		fi
	done
}
singles() { grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -l '^Reply-To: .*comments+m_' | wc -l; }
digests() { grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null | xargs -r grep -l '^Reply-To: .*comments+d_' | wc -l; }
# digest_to MODERATOR N: the Nth digest MODERATOR got.
digest_to() {
	grep -l "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null |
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

t_done
