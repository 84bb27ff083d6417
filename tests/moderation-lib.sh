# tests/moderation-lib.sh: a small site on the embedded-default layout
# (Maildir in, Maildir out, SQLite) and the helpers the moderation tests
# share.  Sourced after tests/lib.sh.
MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
DB="$T_DIR/var/mailcomments.db"
INBOX="$T_DIR/var/inbox"
OUTBOX="$T_DIR/var/outbox"

# site [EXTRA CONFIG LINES]: writes mc.conf and two article pages.  Two
# moderators unless the extra lines set the moderation group.  The first
# page declares PAGE_LANG (English unless set): its article speaks it,
# and the mails to its readers too (t-languages).
site() {
	mkdir -p var/site/2024/panne-mondiale var/site/notes
	cat >var/site/2024/panne-mondiale/index.html <<HTML
<!doctype html><html lang="${PAGE_LANG:-en}"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	cat >var/site/notes/hello.html <<'HTML'
<!doctype html><html><head><title>Hello</title></head><body>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	local mods='moderation = { moderators = ["moderator@example.org", "second@example.org"]; };'
	case "${1:-}" in *"moderation ="*) mods= ;; esac
	cat >mc.conf <<CONF
site = { name = "Le Blog"; url = "https://blog.example.org/"; };
$mods
${1:-}
CONF
	export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"
}

sql() { sqlite3 "$DB" "$@"; }

poll() { mc poll >>poll.log 2>&1; }

# comment FROM TO [BODY] [mua args...]: a reader's mail in the inbox.
comment() {
	local from=$1 to=$2 body=${3:-A comment.}
	shift 3 2>/dev/null || shift $#
	$MUA comment "$INBOX" --from "$from" --to "$to" --subject "Comment" \
		--body "$body" "$@" >/dev/null
}

# newest: of outbox file paths on stdin, the one queued last.
newest() { sed 's/.*outbox-\([0-9]*\)\.eml$/\1 &/' | sort -n | tail -1 | cut -d' ' -f2-; }

# outbox_last PATTERN: the newest outbox file whose content matches.
outbox_last() {
	local f
	f=$(grep -lE -- "$1" "$OUTBOX"/new/* 2>/dev/null | newest)
	[ -n "$f" ] && echo "$f"
}

outbox_count() { grep -lE -- "$1" "$OUTBOX"/new/* 2>/dev/null | wc -l; }

# notification_for N [MODERATOR]: the notification about comment N sent to
# MODERATOR (default moderator@example.org).
notification_for() {
	$MUA find "$OUTBOX/new" --subject "^\\[.*(\\(#$1\\)|n°[ $(printf '\302\240')]$1\\))$" \
		--to "${2:-moderator@example.org}"
}

# headers_of FILE: the header block of a mail.
headers_of() { sed '/^$/q' "$1"; }

# reply_to FILE FROM BODY [mua args...]: a reply, as a mail client writes.
reply_to() {
	local file=$1 from=$2 body=$3
	shift 3
	$MUA reply "$file" "$INBOX" --from "$from" --body "$body" "$@" >/dev/null
}

status_of() { sql "SELECT status FROM comments WHERE id = $1"; }

# decoded MAILFILE: the text of a mail, transfer encoding undone.
decoded() { $MUA text "$1"; }

# crash_corpus MAILDIR N: N plain comments from N readers to one article
# (Message-IDs <crash-I@example.net>), for the tests that kill runs.
crash_corpus() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import os, sys
inbox, n = sys.argv[1], int(sys.argv[2])
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(inbox, d), exist_ok=True)
for i in range(n):
    with open(os.path.join(inbox, "new", "%010d.M%dP1.test" % (1700000000 + i, i)), "w") as f:
        f.write("From: Reader %d <reader%d@example.net>\n"
                "To: comments+2024/panne-mondiale@example.org\n"
                "Subject: Comment %d\nMessage-ID: <crash-%d@example.net>\n"
                "Date: Mon, 29 Jul 2024 10:00:00 +0000\n\n"
                "Comment number %d.\n" % (i, i, i, i, i))
PY
}
