#!/bin/bash
# t-files.sh: the files the gateway writes, attacked like a local user or
# a compromised web-root writer would: links planted at the temp names
# and at the targets, directory links inside the site, a page that is a
# link to a file outside; then modes: a rewritten page keeps its mode and
# group, new outputs get render.file_mode / render.directory_mode whatever
# the umask, and the state (database, WAL, SHM, locks, outbox Maildir,
# the directories made for them) is owner-only whatever the umask.
. "$(dirname "$0")/../lib.sh"

MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
ART=comments+2024/panne-mondiale@example.org
PAGE=var/site/2024/panne-mondiale/index.html
OUT=var/site/comments

mode_of() { stat -c %a "$1" 2>/dev/null || echo missing; }
owner_of() { stat -c %U:%G "$1" 2>/dev/null || echo missing; }

# is WHAT FILE WANT: the octal mode of FILE is WANT.
is_mode() {
	local got
	got=$(mode_of "$2")
	if [ "$got" = "$3" ]; then ok "$1 is $3"; else notok "$1 is $3 (got $got: $2)"; fi
}

# fresh NAME [CONF LINES]: a new directory holding a site with one
# article page, the inbox and outbox Maildirs and the database under
# var/ (the embedded defaults' layout, paths absolute; $STATE, when set,
# names a directory for the database and the outbox instead), then cd
# there.
fresh() {
	mkdir -p "$T_DIR/$1"
	cd "$T_DIR/$1" || exit 1
	W=$PWD
	mkdir -p var/site/2024/panne-mondiale
	cat >"$PAGE" <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	cat >mc.conf <<CONF
site = { url = "https://blog.example.org/"; directory = "$W/var/site"; };
source = { maildir = "$W/var/inbox"; };
transport = { maildir = "$W/${STATE:-var}/outbox"; };
database = { path = "$W/${STATE:-var}/$db"; };
${2:-}
CONF
	export MAILCOMMENTS_CONFIG="$W/mc.conf"
}
db=mailcomments.db

# pending: one reader's comment, polled in (the article is rendered with
# no comment yet); approve: `mailcomments approve 1`, output in ./out, ./err.
pending() {
	$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
		--to "$ART" --subject Comment --body "Un commentaire." >/dev/null
	mc poll >poll.log 2>&1
}
approve() { mc approve 1 >out 2>err; }

published() { grep -q 'Un commentaire' "$OUT/2024/panne-mondiale.html"; }

# ---- links planted at the old temp names and at the targets ----------

fresh tmpnames
pending
for i in 1 2 3 4 5; do echo "VICTIM $i" >"$T_DIR/victim$i"; done
cp "$T_DIR"/victim* .
# PATH.tmp.PID was the temp name: the shell that execs the binary has its
# PID, so every one of them can be planted for that very run.
bash -c '
	ln -s "$0/victim1" "'"$OUT"'/2024/panne-mondiale.html.tmp.$$"
	ln -s "$0/victim2" "'"$OUT"'/2024/panne-mondiale.json.tmp.$$"
	ln -s "$0/victim3" "'"$OUT"'/2024/panne-mondiale.atom.tmp.$$"
	ln -s "$0/victim4" "'"$OUT"'/all_comments.atom.tmp.$$"
	ln -s "$0/victim5" "'"$PAGE"'.tmp.$$"
	exec "'"$MC"'" approve 1' "$T_DIR" >out 2>err
check "approve works with links planted at PATH.tmp.PID" published
for i in 1 2 3 4 5; do
	check "the file a planted temp link points to is untouched ($i)" \
		cmp -s "$T_DIR/victim$i" "victim$i"
done
check "no output became a link" test -z "$(find var/site -type l ! -name '*.tmp.*')"
check "no temp file is left behind" test -z "$(find var/site -name '.mc-*')"

fresh target
pending
echo '{"victim": true}' >"$T_DIR/victim-json"
cp "$T_DIR/victim-json" victim.orig
rm "$OUT/2024/panne-mondiale.json"
ln -s "$T_DIR/victim-json" "$OUT/2024/panne-mondiale.json"
approve
check "a link at an output's place: the file it points to is untouched" \
	cmp -s "$T_DIR/victim-json" victim.orig
check "the link is left as it was, not replaced" test -L "$OUT/2024/panne-mondiale.json"
grep_ok "the refusal is logged, naming the path" \
	"refused: $W/$OUT/2024/panne-mondiale\.json is a symbolic link" err

# A page that is a link to a page outside the site: not read (its text
# would be copied into the site), not rewritten.
fresh pagelink
pending
mkdir -p "$T_DIR/elsewhere"
sed 's/<h1>/<h1>SECRET-OUTSIDE /' "$PAGE" >"$T_DIR/elsewhere/page.html"
cp "$T_DIR/elsewhere/page.html" outside.orig
rm "$PAGE"
ln -s "$T_DIR/elsewhere/page.html" "$PAGE"
approve
check "a page that is a link stays a link" test -L "$PAGE"
grep_not "the outside file's text is not copied into the site" SECRET-OUTSIDE \
	<(cat $(find var/site -type f))
check "the outside page is not rewritten" cmp -s "$T_DIR/elsewhere/page.html" outside.orig
grep_ok "the refusal is logged" "refused: $W/$PAGE is a symbolic link" err
check "the other outputs are still written" published

# Same with /etc/shadow-like content: a link to a secret file.
fresh shadow
pending
printf 'root:SECRET-HASH:19000::::::\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n' \
	>"$T_DIR/secret-shadow"
chmod 600 "$T_DIR/secret-shadow"
rm "$PAGE"
ln -s "$T_DIR/secret-shadow" "$PAGE"
approve
grep_not "a secret file behind a page link never reaches the site" SECRET-HASH \
	<(cat $(find var/site -type f))

# ---- directory links inside the site ---------------------------------

fresh dirlink
pending
mkdir -p "$T_DIR/outside-out"
mv "$OUT" "$T_DIR/outside-out/comments"
ln -s "$T_DIR/outside-out/comments" "$OUT"
before=$(cd "$T_DIR/outside-out" && find . -type f -exec md5sum {} + | sort)
approve
after=$(cd "$T_DIR/outside-out" && find . -type f -exec md5sum {} + | sort)
check "comments/ a link out of the site: nothing written there" test "$before" = "$after"
grep_ok "the refusal is logged, naming the link" \
	"refused: $W/$OUT is a symbolic link \(links below $W/var/site are never followed\)" err
check "approve still decides (the article stays dirty)" \
	test "$(sqlite3 var/mailcomments.db 'SELECT status FROM comments WHERE id = 1')" = approved
check "the article is left dirty for the next render" \
	test "$(sqlite3 var/mailcomments.db "SELECT dirty FROM articles WHERE slug = '2024/panne-mondiale'")" = 1

fresh sectionlink
pending
mkdir -p "$T_DIR/outside-section"
rm -r "$OUT/2024"
ln -s "$T_DIR/outside-section" "$OUT/2024"
approve
check "comments/2024 a link: nothing written outside" \
	test -z "$(ls -A "$T_DIR/outside-section")"
grep_ok "the refusal is logged" "refused: $W/$OUT/2024 is a symbolic link" err

fresh articlelink
pending
mkdir -p "$T_DIR/outside-article"
mv var/site/2024 "$T_DIR/outside-article/2024"
ln -s "$T_DIR/outside-article/2024" var/site/2024
cp "$T_DIR/outside-article/2024/panne-mondiale/index.html" article.orig
approve
check "an article directory that is a link: the page outside is not rewritten" \
	cmp -s "$T_DIR/outside-article/2024/panne-mondiale/index.html" article.orig
grep_ok "the refusal is logged" "refused: $W/var/site/2024 is a symbolic link" err

# Discovery does not follow links either (to a page, to a directory).
fresh discovery
mkdir -p "$T_DIR/disc/section"
sed 's/La panne mondiale/SECRET-TITLE/g' "$PAGE" >"$T_DIR/disc/page.html"
cp "$T_DIR/disc/page.html" "$T_DIR/disc/section/index.html"
ln -s "$T_DIR/disc/page.html" var/site/linked.html
ln -s "$T_DIR/disc/section" var/site/linkeddir
mc articles list >out 2>err
grep_ok "discovery finds the real page" '2024/panne-mondiale' out
grep_not "discovery follows no link" 'SECRET-TITLE|linked' out

# ---- the inbox: links and FIFOs are no mail --------------------------

# A local user who can write into the inbox plants a link to a secret
# file (it would be stored as a comment, and its text mailed to the
# moderators) and a FIFO (reading it would block every poll).
fresh inbox
mkdir -p var/inbox/new var/inbox/cur var/inbox/tmp "$T_DIR/inbox-secret"
printf 'From: Eve <eve@example.net>\nTo: %s\nSubject: x\n\nSECRET-INBOX\n' \
	"$ART" >"$T_DIR/inbox-secret/mail"
ln -s "$T_DIR/inbox-secret/mail" var/inbox/new/1723200000.M1P1.mx.example.org
mkfifo var/inbox/new/1723200001.M2P2.mx.example.org
$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
	--to "$ART" --subject Comment --body "Un commentaire." >/dev/null
expect_rc 0 "a link and a FIFO in the inbox do not stop the poll" \
	timeout 20 "$MC" poll
grep_ok "the real mail is stored" 'stored as #1' err
grep_ok "the link is skipped, saying why" 'symbolic link is no mail' err
grep_ok "the FIFO is skipped, saying why" 'not a regular file' err
mc list --all >out 2>&1
grep_not "the linked file is not read" 'SECRET-INBOX|eve@' out
check "the file behind the link is untouched" \
	test -f "$T_DIR/inbox-secret/mail"

# ---- modes ----------------------------------------------------------

fresh keep
pending
chmod 664 "$PAGE"
if [ "$(id -u)" = 0 ]; then
	chgrp mail "$PAGE"
	want_owner=root:mail
else
	want_owner=$(owner_of "$PAGE")
fi
(umask 022 && approve)
check "the page was rewritten" grep -q 'Un commentaire' "$PAGE"
is_mode "a rewritten page keeps its mode:" "$PAGE" 664
check "a rewritten page keeps its owner and group ($want_owner)" \
	test "$(owner_of "$PAGE")" = "$want_owner"

for um in 077 000; do
	fresh "umask$um"
	(umask $um && pending && approve)
	check "under umask $um the comment is published" published
	for f in "$OUT/2024/panne-mondiale.html" "$OUT/2024/panne-mondiale.json" \
		"$OUT/all_comments.atom" "$OUT/mailcomments.css"; do
		is_mode "under umask $um, new output ${f#$OUT/}" "$f" 644
	done
	is_mode "under umask $um, new directory comments/" "$OUT" 755
	is_mode "under umask $um, new directory comments/2024/" "$OUT/2024" 755
done

fresh modes 'render = { file_mode = "0640"; directory_mode = "0750"; };'
(umask 000 && pending)
is_mode "render.file_mode \"0640\":" "$OUT/2024/panne-mondiale.json" 640
is_mode "render.directory_mode \"0750\":" "$OUT/2024" 750

fresh badmode 'render = { file_mode = 0644; };'
expect_rc 78 "a bare 0644 (decimal 644 to libconfig) is refused" mc check-config
grep_ok "and told to write it in quotes" 'render\.file_mode: write the mode as a string in quotes' err
fresh worldmode 'render = { file_mode = "0666"; };'
expect_rc 78 "a file mode others may write is refused" mc check-config
grep_ok "saying why" 'render\.file_mode: "0666" lets every local user rewrite' err

# ---- state stays private ----------------------------------------------

# hold DB: a second connection that keeps DB's -wal and -shm in place
# until ./release exists (bounded), as a running daemon would.
hold() {
	/usr/bin/python3 - "$1" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM sqlite_master").fetchall()
open("held", "w").close()
for _ in range(300):
	if os.path.exists("release"):
		break
	time.sleep(0.1)
PY
	HOLD=$!
	at_exit "touch '$PWD/release'; kill $HOLD"
	wait_for 10 test -e held
}
release() { touch release; wait "$HOLD" 2>/dev/null; }

for um in 022 000; do
	db=mc.db STATE=state fresh "state$um"
	umask $um
	mc poll >poll.log 2>&1 # makes the inbox and the database
	pending
	hold state/mc.db
	approve
	is_mode "under umask $um, the database" state/mc.db 600
	is_mode "under umask $um, its WAL" state/mc.db-wal 600
	is_mode "under umask $um, its shared memory" state/mc.db-shm 600
	release
	umask 022
	is_mode "under umask $um, the directory made for it" state 700
	is_mode "under umask $um, the outbox lock" state/mc.db.outbox-lock 600
	is_mode "under umask $um, the poll lock" state/mc.db.poll-lock 600
	is_mode "under umask $um, the outbox Maildir" state/outbox 700
	is_mode "under umask $um, the outbox Maildir's new/" state/outbox/new 700
	m=$(stat -c %a state/outbox/new/* | sort -u | tr '\n' ' ')
	check "under umask $um, the outbox's mails are 600 ($m)" test "$m" = "600 "
	is_mode "under umask $um, the inbox the gateway made" var/inbox/cur 700
	check "under umask $um, nothing under state/ is open to others" \
		test -z "$(find state -perm /077)"
done

fresh loose
(umask 022 && sqlite3 var/mailcomments.db 'PRAGMA journal_mode = WAL; CREATE TABLE x (y);' >/dev/null)
is_mode "a database made by hand under umask 022" var/mailcomments.db 644
hold var/mailcomments.db
chmod 644 var/mailcomments.db-wal var/mailcomments.db-shm
mc list >out 2>err
is_mode "an existing database open to others is tightened:" var/mailcomments.db 600
is_mode "its WAL too:" var/mailcomments.db-wal 600
is_mode "its shared memory too:" var/mailcomments.db-shm 600
release
grep_ok "the change is logged" "var/mailcomments\.db was readable by group or others \(mode 0644\): made owner-only \(0600\)" err

fresh dblink
mkdir -p "$T_DIR/dbvictim"
ln -s "$T_DIR/dbvictim/x.db" var/mailcomments.db
expect_rc 74 "a link at database.path is refused" mc list
grep_ok "saying why" 'refused: .*var/mailcomments\.db is a symbolic link' err
check "nothing is created where it points" test ! -e "$T_DIR/dbvictim/x.db"

# The defaults' layout: var/ holds the state and the site.  A var/ the
# gateway makes must let the web server reach var/site; what is in it
# stays private.
mkdir -p "$T_DIR/defaults" && cd "$T_DIR/defaults" || exit 1
unset MAILCOMMENTS_CONFIG
(umask 022 && mc poll >poll.log 2>&1)
is_mode "defaults: var/, shared with the site," var 755
is_mode "defaults: the database" var/mailcomments.db 600
is_mode "defaults: the inbox" var/inbox 700

# ---- the systemd units ------------------------------------------------

for u in mailcomments.service mailcomments-poll.service; do
	f="$T_ROOT/contrib/$u"
	grep_ok "$u: UMask=0077" '^UMask=0077$' "$f"
	grep_ok "$u: a state directory of its own" '^StateDirectory=mailcomments$' "$f"
	grep_ok "$u: private to the service user" '^StateDirectoryMode=0700$' "$f"
	grep_ok "$u: the rest of the system read-only" '^ProtectSystem=strict$' "$f"
	grep_ok "$u: no new privileges" '^NoNewPrivileges=yes$' "$f"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T_DIR/units" && cd "$T_DIR/units" || exit 1
	for f in "$T_ROOT"/contrib/*.service "$T_ROOT"/contrib/*.timer; do
		sed "s#/usr/local/bin/mailcomments#$MC#" "$f" >"$(basename "$f")"
	done
	expect_rc 0 "systemd-analyze verify accepts the units" systemd-analyze \
		verify --man=no ./mailcomments.service ./mailcomments-poll.service \
		./mailcomments-poll.timer
fi

t_done
