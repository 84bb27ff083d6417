#!/bin/bash
# t-sites.sh: three sites on one gateway (the `sites` list, site.h): one
# shared inbox routed by the address the server delivered to; each site's
# comments, pages and notifications its own; a token of one site sent to
# another refused; one site's lock held while the others poll; a site's
# folder moved to a fresh configuration; mail for no site set aside with
# the reason; --site required and checked; a forged Delivered-To below
# the server's Received ignored.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"
MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
INBOX="$T_DIR/var/inbox"
ART=notes/hello

page() {
	mkdir -p "$1/notes"
	cat >"$1/notes/hello.html" <<'HTML'
<!doctype html><html lang="en"><head><title>Hello</title></head><body>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
}

for s in a b c; do page "var/www-$s"; done
cat >mc.conf <<'CONF'
site = { name = "Hosting"; };
moderation = { moderators = ["boss@example.org"]; };
source = { set_aside = "Set-Aside"; };
sites = (
  { name = "a";
    site = { name = "Blog A"; url = "https://a.example/"; directory = "var/www-a"; };
    address = { mailbox = "comments@a.example"; };
    moderation = { moderators = ["mod@example.org"]; }; },
  { name = "b";
    site = { name = "Blog B"; url = "https://b.example/"; directory = "var/www-b";
             addresses = ["talk@b-alias.example"]; };
    address = { mailbox = "comments@b.example"; };
    moderation = { moderators = ["mod@example.org", "modb@example.org"]; }; },
  { name = "c";
    site = { name = "Blog C"; url = "https://c.example/"; directory = "var/www-c"; };
    address = { mailbox = "comments@c.example"; };
    moderation = { moderators = ["modc@example.org"]; }; }
);
CONF
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"

db() { sqlite3 "var/sites/$1/mailcomments.db" "$2"; }
ncomments() { db "$1" "SELECT count(*) FROM comments"; }

# send TO [DELIVERED-TO] [BODY]: a reader's comment to TO, with the
# Delivered-To a server adds on top when given; prints the file.
send() {
	local f
	f=$($MUA comment "$INBOX" --from "reader@example.net" --to "$1" \
		--body "${3:-A comment for $1.}")
	[ -n "${2:-}" ] && sed -i "1i Delivered-To: $2" "$f"
	echo "$f"
}

mkdir -p "$INBOX"/{tmp,new,cur}

# ---- configuration --------------------------------------------------------
expect_rc 0 "check-config with three sites" mc check-config
grep_ok "check-config: the sites are named" "the 3 sites .*: a b c" out
grep_ok "check-config: a site's own setting is marked" 'mailbox = "comments@b.example"; # site' out
grep_ok "check-config: an inherited setting is marked" 'render = {' out
grep_ok "check-config: the shard's database" 'path = "var/sites/c/mailcomments.db"; # shard' out
grep_ok "check-config: inherited settings say so" 'retention_days = 90; # top level' out
grep_ok "check-config: shared settings say they cannot differ" 'target = "stderr"; # top level .cannot differ per site' out
expect_rc 0 "check-config --site b" mc --site b check-config
grep_not "check-config --site b shows b alone" 'comments@c.example' out

sed 's/name = "c";/name = "C!";/' mc.conf >bad-name.conf
expect_rc 78 "a site name outside [a-z0-9-] is refused" mc -c bad-name.conf check-config
grep_ok "the name's rule is given" 'lowercase letters, digits' err
sed 's/name = "c";/name = "c"; render = { formatt = "text"; };/' mc.conf >typo.conf
expect_rc 78 "an unknown setting inside a site is refused" mc -c typo.conf check-config
grep_ok "the unknown setting is named" 'render.formatt: unknown setting' err
sed 's/name = "c";/name = "c"; database = { path = "\/tmp\/elsewhere.db"; };/' mc.conf >db.conf
expect_rc 78 "database.path inside a site is refused" mc -c db.conf check-config
grep_ok "and the reason is given" 'database.path: cannot differ per site' err
sed 's/name = "c";/name = "b";/' mc.conf >dup.conf
expect_rc 78 "two sites of one name are refused" mc -c dup.conf check-config

expect_rc 64 "a command on one database needs --site" mc approve 1
grep_ok "and the sites are named" 'has 3 sites .a, b, c.: name one with --site NAME' err
expect_rc 78 "--site of no such site" mc --site z list
grep_ok "the sites there are are named" 'no such site; the sites are: a b c' err

# ---- routing by recipient -------------------------------------------------
send "comments+$ART@a.example" "comments+$ART@a.example" "First for A." >/dev/null
send "comments+$ART@b.example" "comments+$ART@b.example" "First for B." >/dev/null
send "comments+$ART@c.example" "" "First for C, To only." >/dev/null
send "talk+$ART@b-alias.example" "talk+$ART@b-alias.example" "B by its alias." >/dev/null
# the sender wrote To: A, the server delivered to C: C it is
send "comments+$ART@a.example" "comments+$ART@c.example" "Envelope says C." >/dev/null
# a Delivered-To the sender wrote below the server's Received counts for
# nothing: To decides
f=$($MUA comment "$INBOX" --from reader@example.net --to "comments+$ART@a.example" \
	--body "Forged envelope." --header "Delivered-To: comments@c.example")
sed -i '1i Received: from mx.example by mail.example with LMTP' "$f"
# mail for no site, and for two at once
send "someone@elsewhere.example" "someone@elsewhere.example" "Lost?" >/dev/null
send "comments+$ART@a.example, comments+$ART@b.example" "" "Both." >/dev/null

expect_rc 0 "poll routes the shared inbox" mc poll
check "site a has its two comments" test "$(ncomments a)" = 2
check "site b has its comment and the one to its alias" test "$(ncomments b)" = 2
# site.addresses route, and take comments at their sub-addresses
check "site b: the alias's comment is on the article" \
	test "$(db b "SELECT count(*) FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = '$ART' AND c.body LIKE '%B by its alias%'")" = 1
check "site c has the To-only and the envelope's comment" test "$(ncomments c)" = 2
check "site c: the envelope beat To" test "$(db c "SELECT count(*) FROM comments WHERE body LIKE '%Envelope says C%'")" = 1
check "site a: a Delivered-To below Received was ignored" \
	test "$(db a "SELECT count(*) FROM comments WHERE body LIKE '%Forged envelope%'")" = 1
check "router: mail for no site recorded with the reason" \
	test "$(sqlite3 var/sites/router.db "SELECT count(*) FROM processed WHERE outcome LIKE 'set aside: no site is reached at someone@elsewhere.example%'")" = 1
check "router: mail for two sites recorded as ambiguous" \
	test "$(sqlite3 var/sites/router.db "SELECT count(*) FROM processed WHERE outcome = 'set aside: addressed to sites a and b'")" = 1
check "unrouted mail kept in the shared set-aside folder" \
	test "$(ls "$INBOX/.Set-Aside/cur" | wc -l)" = 2
check "shards are owner-only" test "$(stat -c %a var/sites/a)" = 700 -a "$(stat -c %a var/sites/a/mailcomments.db)" = 600

# notifications: to each site's own moderators, from its own address
check "each site has its own outbox" test -d var/sites/a/outbox/new -a -d var/sites/c/outbox/new
check "site a's moderator is notified by a" test -n "$(grep -l 'From:.*comments@a.example' var/sites/a/outbox/new/* | xargs grep -l '^To:.*mod@example.org' | head -1)"
check "site c's moderator is notified by c" test -n "$(grep -l 'From:.*comments@c.example' var/sites/c/outbox/new/* | xargs grep -l '^To:.*modc@example.org' | head -1)"
check "site b's two moderators are notified of its two comments" test "$(grep -l '^To:.*mod' var/sites/b/outbox/new/* | wc -l)" = 4
check "nobody of c hears of a" test -z "$(grep -l 'modc@example.org' var/sites/a/outbox/new/* var/sites/b/outbox/new/*)"

# ---- a token of site a, sent to site b ------------------------------------
nota=$(grep -l 'First for A' var/sites/a/outbox/new/* | head -1)
tok=$(grep -oE 'm_[a-z2-7]{32}' "$nota" | head -1)
check "site a's notification carries a token" test -n "$tok"
$MUA comment "$INBOX" --from "Mod <mod@example.org>" --to "comments+$tok@b.example" \
	--subject "Re: new comment" --body "approve" >/tmp/i16-cross.$$ 2>&1
sed -i "1i Delivered-To: comments+$tok@b.example" "$(cat /tmp/i16-cross.$$)"
rm -f /tmp/i16-cross.$$
expect_rc 0 "poll with a's token sent to b" mc poll
check "the comment of site a is still pending" \
	test "$(db a "SELECT status FROM comments WHERE body LIKE '%First for A%'")" = pending
check "site b refused the foreign token" \
	test "$(db b "SELECT count(*) FROM processed WHERE outcome LIKE 'refused%' OR outcome LIKE 'set aside%'")" -ge 1
check "nothing of b was approved" test "$(db b "SELECT count(*) FROM comments WHERE status = 'approved'")" = 0
# the same reply to a's address approves
f=$($MUA reply "$nota" "$INBOX" --from "Mod <mod@example.org>" --body "approve" --style top)
expect_rc 0 "poll with a's token sent to a" mc poll
check "site a's comment is approved" \
	test "$(db a "SELECT status FROM comments WHERE body LIKE '%First for A%'")" = approved
grep_ok "site a's page shows it" 'First for A' var/www-a/notes/hello.html
grep_not "site b's page does not" 'First for A' var/www-b/notes/hello.html

# ---- one site's lock held while the others poll ---------------------------
send "comments+$ART@a.example" "comments+$ART@a.example" "Second for A." >/dev/null
send "comments+$ART@b.example" "comments+$ART@b.example" "Second for B." >/dev/null
# a process of the test's own holds a's lock (flock(1), as an operator's
# long command would): the sleep holds the descriptor itself
bash -c 'exec 9>>"$1" && flock 9 && exec sleep 30' _ var/sites/a/mailcomments.db.poll-lock &
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_for 5 sh -c '! flock -n var/sites/a/mailcomments.db.poll-lock true' ||
	notok "the test could not take the lock"
start=$(date +%s)
expect_rc 75 "poll with a's lock held: a skipped (EX_TEMPFAIL)" mc poll
check "the pass did not wait for the lock" test $(($(date +%s) - start)) -lt 10
grep_ok "a's skip is logged" 'site a: another mailcomments' err
check "b polled: its second comment is in" \
	test "$(db b "SELECT count(*) FROM comments WHERE body LIKE '%Second for B%'")" = 1
check "a's mail waits in its queue" test "$(ls var/sites/a/queue/new | wc -l)" = 1
check "what a read left its queue's new/ and cur/" test "$(ls var/sites/a/queue/cur | wc -l)" = 0 -a "$(ls var/sites/a/queue/.Processed/cur | wc -l)" -ge 2
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_rc 0 "poll after the lock is released" mc poll
check "a's second comment is in" \
	test "$(db a "SELECT count(*) FROM comments WHERE body LIKE '%Second for A%'")" = 1

# ---- stats and list over every site ----------------------------------------
expect_rc 0 "stats without --site spans every site" mc stats
check "stats: one section per site" test "$(grep -c '^# site ' out)" = 3
expect_rc 0 "list --site b" mc --site b list
grep_ok "list --site b shows b's comments" 'Second for B' out
grep_not "and only b's" 'Second for A' out

# ---- site b's folder moved to a fresh configuration ------------------------
notb=$(grep -l 'Second for B' var/sites/b/outbox/new/* | head -1)
mkdir -p moved/state/sites moved/inbox/{tmp,new,cur}
mv var/sites/b moved/state/sites/b
notb=moved/state/sites/b/${notb#var/sites/b/}
cat >moved.conf <<CONF
moderation = { moderators = ["boss@example.org"]; };
database = { path = "$T_DIR/moved/state/mailcomments.db"; };
source = { maildir = "$T_DIR/moved/inbox"; };
transport = { maildir = "$T_DIR/moved/outbox"; };
sites = (
  { name = "b";
    site = { name = "Blog B"; url = "https://b.example/"; directory = "$T_DIR/var/www-b"; };
    address = { mailbox = "comments@b.example"; };
    moderation = { moderators = ["mod@example.org", "modb@example.org"]; }; }
);
CONF
$MUA reply "$notb" "$T_DIR/moved/inbox" --from "Mod <mod@example.org>" --body "approve" --style top >/dev/null
expect_rc 0 "the moved site polls in its new home" mc -c moved.conf poll
check "the moved site's pending comment is approved by its old token" \
	test "$(sqlite3 moved/state/sites/b/mailcomments.db "SELECT status FROM comments WHERE body LIKE '%Second for B%'")" = approved
grep_ok "and published" 'Second for B' var/www-b/notes/hello.html

# ---- a symbolic link where a shard should be is refused --------------------
mkdir -p elsewhere
ln -s "$T_DIR/elsewhere" var/sites/c-link 2>/dev/null
sed 's/name = "c";/name = "c-link";/' mc.conf >link.conf
expect_rc 74 "a shard that is a symbolic link is refused" mc -c link.conf --site c-link stats
grep_ok "and said so" 'c-link is a symbolic link' err
check "nothing was written through the link" test -z "$(ls elsewhere)"

# ---- three sites on one Dovecot mailbox, a fourth in a folder of its own --
if ! start_dovecot; then
	notok "Dovecot starts"
	t_done
	exit 1
fi
for s in a b c d; do page "dv/www-$s"; done
write_conf dv.conf database.path="$T_DIR/dv/state/mc.db" source.poll_interval=300 \
	moderation.moderators='["boss@example.org"]' transport.maildir="$T_DIR/dv/outbox"
cat >>dv.conf <<CONF
sites = (
  { name = "a"; site = { url = "https://a.example/"; directory = "$T_DIR/dv/www-a"; };
    address = { mailbox = "comments@a.example"; }; },
  { name = "b"; site = { url = "https://b.example/"; directory = "$T_DIR/dv/www-b"; };
    address = { mailbox = "comments@b.example"; }; },
  { name = "c"; site = { url = "https://c.example/"; directory = "$T_DIR/dv/www-c"; };
    address = { mailbox = "comments@c.example"; }; },
  { name = "d"; site = { url = "https://d.example/"; directory = "$T_DIR/dv/www-d"; };
    address = { mailbox = "comments@d.example"; };
    imap = { folder = "Club"; }; }
);
CONF
dvdb() { sqlite3 "dv/state/sites/$1/mailcomments.db" "$2"; }
# lmtp NAME TO BODY: a comment as Dovecot's LMTP stores it: Delivered-To
# and its Received on top of the sender's fields.
lmtp() {
	printf 'Return-Path: <reader@example.net>\nDelivered-To: %s\nReceived: from mx by imap.example.org with LMTP\nFrom: reader@example.net\nTo: %s\nSubject: Comment\nMessage-ID: <%s@example.net>\nDate: Mon, 29 Jul 2024 10:00:00 +0000\n\n%s\n' \
		"$2" "$2" "$1" "$3" >"$1.eml"
}
lmtp dva "comments+$ART@a.example" "Dovecot for A."
lmtp dvb "comments+$ART@b.example" "Dovecot for B."
lmtp dvc "comments+$ART@c.example" "Dovecot for C."
lmtp dvx "nobody@example.org" "For nobody."
lmtp dvd "comments+$ART@d.example" "Club mail, in its folder."
dv_deliver comments dva.eml dvb.eml dvc.eml dvx.eml
dv_adm mailbox create -u comments@example.org Club
imap_tool --user comments append Club dvd.eml >/dev/null
expect_rc 0 "poll: one Dovecot INBOX routed to three sites, a folder of its own for d" mc -c dv.conf poll
for s in a b c; do
	check "Dovecot: site $s has its comment" test "$(dvdb $s "SELECT count(*) FROM comments WHERE body LIKE '%Dovecot for ${s^^}%'")" = 1
done
check "Dovecot: site d read its own folder" test "$(dvdb d "SELECT count(*) FROM comments")" = 1
check "Dovecot: the routed mail (and d's) is in Processed" test "$(imap_tool --user comments count Processed)" = 4
check "Dovecot: mail for nobody is set aside in the mailbox" test "$(imap_tool --user comments count 'Set aside')" = 1
check "Dovecot: the INBOX is empty" test "$(imap_tool --user comments count INBOX)" = 0

# the daemon: IDLE on the shared INBOX wakes a round long before
# source.poll_interval (300 s)
"$MC" -c dv.conf daemon >daemon.log 2>&1 &
dpid=$!
at_exit "kill $dpid 2>/dev/null"
wait_for 10 grep -q 'routing\|daemon started' daemon.log
sleep 1
lmtp dvb2 "comments+$ART@b.example" "Dovecot for B, by IDLE."
imap_tool --user comments append INBOX dvb2.eml >/dev/null
check "daemon: the new mail reached b within 15 s (IDLE)" \
	wait_for 15 sh -c "test \"\$(sqlite3 dv/state/sites/b/mailcomments.db \"SELECT count(*) FROM comments WHERE body LIKE '%by IDLE%'\")\" = 1"
kill -TERM "$dpid"
check "daemon: stops on SIGTERM" wait_for 10 sh -c "! kill -0 $dpid 2>/dev/null"
grep_ok "daemon: said so" 'daemon stopped' daemon.log

t_done
