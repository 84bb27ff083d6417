#!/bin/bash
# t-deploy-cmd.sh: the `command` deploy target (deploy_cmd.c): after an
# approval the program gets the changed files as absolute paths, one
# argument each; hostile file names stay arguments (never options, never
# shell text); many files go on stdin; a failing program is retried with
# its status logged and never undoes the decision; a hanging one is
# killed with its process group at deploy.timeout; dry runs run nothing;
# removing an article removes its outputs and tells the program.
. "$(dirname "$0")/../lib.sh"

MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
ART=comments+2024/panne-mondiale@example.org
PAGE=var/site/2024/panne-mondiale/index.html
OUT=var/site/comments

# The programs deployed to (in bin/): record writes its arguments, its
# stdin and what it was told to $HOME/rec (the environment of a target's
# program is fixed: HOME and PATH pass, not the test's own variables),
# and exits with the status in $HOME/exit; hang starts a child and waits.
mkdir -p "$T_DIR/bin"
REC=$HOME/rec
cat >"$T_DIR/bin/record" <<'SH'
#!/bin/sh
REC=$HOME/rec
{
	echo "run pid=$$ stdin=$MAILCOMMENTS_FILES_ON_STDIN argc=$#"
	for a in "$@"; do printf 'arg[%s]\n' "$a"; done
} >>"$REC"
if [ "$MAILCOMMENTS_FILES_ON_STDIN" = 1 ]; then
	tr '\0' '\n' | sed 's/^/stdin[/; s/$/]/' >>"$REC"
fi
exit "$(cat "$HOME/exit" 2>/dev/null || echo 0)"
SH
chmod 755 "$T_DIR/bin/record"
cat >"$T_DIR/bin/hang" <<'SH'
#!/bin/sh
REC=$HOME/rec
sleep 60 &
echo $! >"$REC.child"
sleep 60
SH
chmod 755 "$T_DIR/bin/hang"

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
transport = { maildir = "$W/var/outbox"; };
database = { path = "$W/var/mailcomments.db"; };
deploy = { targets = [ "command" ]; backoff = 0; ${2:-retries = 2;} };
deploy_command = { argv = [ "$T_DIR/bin/${3:-record}", "--flag" ]; ${4:-} };
CONF
	export MAILCOMMENTS_CONFIG="$W/mc.conf"
	$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
		--to "$ART" --subject Comment --body "Un commentaire." >/dev/null
	mc poll >poll.log 2>&1
	rm -f "$REC" "$HOME/exit"
}

# --- an approval runs the program with the changed files
fresh ok
expect_rc 0 "approve with a command target" mc approve 1
grep_ok "the program ran once" "^run pid=[0-9]+ stdin=0 argc=" "$REC"
check "it ran once only" test "$(grep -c '^run' "$REC")" = 1
grep_ok "its own arguments come first" "^arg\[--flag\]" "$REC"
grep_ok "the fragment is passed as an absolute path" \
	"^arg\[$W/var/site/comments/2024/panne-mondiale\.html\]" "$REC"
grep_ok "the JSON too" "^arg\[$W/$OUT/2024/panne-mondiale\.json\]" "$REC"
grep_ok "and the page the section went into" "^arg\[$W/$PAGE\]" "$REC"
grep_not "no relative path is passed" "^arg\[[^/-]" "$REC"
grep_ok "the exit status is logged" "exited with status 0" err
check "the comment is approved" \
	test "$(sqlite3 var/mailcomments.db 'SELECT status FROM comments')" = approved
rm -f "$REC"
expect_rc 0 "render again: nothing changed" mc render
check "nothing changed, nothing run" test ! -e "$REC"

# --- a failing program: retried, logged, the decision stays
fresh fail
echo 3 >"$HOME/exit"
expect_rc 0 "approve succeeds when the deploy fails" mc approve 1
check "tried 1 + deploy.retries times" test "$(grep -c '^run' "$REC")" = 3
grep_ok "each failure is logged with the status" \
	"deploy command: attempt 1 of 3 failed: .*record exited with status 3" err
grep_ok "giving up is logged" "deploy command: gave up after 3 attempts" err
check "the comment is approved all the same" \
	test "$(sqlite3 var/mailcomments.db 'SELECT status FROM comments')" = approved

# --- a hanging program is killed with its process group
fresh hang "timeout = 1; retries = 0;" hang
start=$(date +%s)
expect_rc 0 "approve with a hanging command" mc approve 1
end=$(date +%s)
check "killed at the timeout (took $((end - start)) s)" test $((end - start)) -lt 10
grep_ok "the kill is logged" "still running after 1 s: its process group was killed" err
child=$(cat "$REC.child" 2>/dev/null)
# gone, or a zombie waiting for whoever reaps orphans here
alive() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }
sleep 0.2
check "what it started was killed too" eval "[ -n '$child' ] && ! alive '$child'"

# --- many files: on stdin, NUL-separated
fresh many "" record "max_args = 2;"
expect_rc 0 "approve with max_args = 2" mc approve 1
grep_ok "told the files are on stdin" "^run pid=[0-9]+ stdin=1 argc=1$" "$REC"
grep_ok "the files arrive on stdin" "^stdin\[$W/$OUT/2024/panne-mondiale\.html\]" "$REC"

# --- dry run: nothing runs, the plan is logged
fresh dry "dry_run = true;"
expect_rc 0 "approve in a dry run" mc approve 1
check "the program did not run" test ! -e "$REC"
grep_ok "the plan is logged" "command: would run $T_DIR/bin/record --flag with [0-9]+ files" err

# --- hostile names from the site (deploy --all)
fresh hostile
mkdir -p 'var/site/-rf' 
: >'var/site/--help'
: >'var/site/$(touch PWNED)'
: >'var/site/a b;c'
: >"var/site/$(printf 'new\nline')"
ln -s /etc/passwd var/site/link.html
: >var/site/.hidden
expect_rc 0 "deploy --all --dry-run" mc deploy --all --dry-run
grep_ok "the dry run prints the plan" "^command: would run" out
check "and runs nothing" test ! -e "$REC"
expect_rc 0 "deploy --all" mc deploy --all
grep_ok "an option-like name is an absolute path" "^arg\[$W/var/site/--help\]" "$REC"
grep_ok "shell text is a plain argument" "^arg\[$W/var/site/\\\$\(touch PWNED\)\]" "$REC"
grep_ok "spaces and ';' stay in one argument" "^arg\[$W/var/site/a b;c\]" "$REC"
check "no shell ran the name" test ! -e PWNED -a ! -e var/site/PWNED
grep_not "a name with a newline is not passed" "new$" "$REC"
grep_ok "it is refused in the log" "refused the path .*new" err
grep_not "a link is not followed" "link\.html" "$REC"
grep_not "dot files are skipped" "\.hidden" "$REC"

# the gateway's state inside the site is never sent
mkdir -p var/site/state
cp -p var/mailcomments.db.key var/site/state/k.key
sed -i "s|path = \"$W/var/mailcomments.db\"|path = \"$W/var/site/state/mc.db\"; key_file = \"$W/var/site/state/k.key\"|" mc.conf
expect_rc 0 "deploy --all --dry-run with the database inside the site" mc deploy --all --dry-run
check "the database is there" test -f var/site/state/mc.db
grep_not "the database is not sent" "mc\.db" out
grep_not "nor its key file" "k\.key" out
grep_ok "and the log says why" "state/k\.key is the gateway's own state: never sent" err

# --- removing an article removes its outputs, and tells the program
fresh remove
expect_rc 0 "approve" mc approve 1
check "the fragment exists" test -f "$OUT/2024/panne-mondiale.html"
rm -f "$REC"
expect_rc 0 "articles remove --force" mc articles remove 2024/panne-mondiale --force
grep_ok "says the outputs went" "^removed 3 output files" out
check "the fragment is gone" test ! -e "$OUT/2024/panne-mondiale.html"
check "the JSON is gone" test ! -e "$OUT/2024/panne-mondiale.json"
check "the feed is gone" test ! -e "$OUT/2024/panne-mondiale.atom"
grep_ok "the program is told the removed paths" \
	"^arg\[$W/$OUT/2024/panne-mondiale\.json\]" "$REC"

# a link planted where an output was is refused, not followed
fresh link
expect_rc 0 "approve" mc approve 1
rm -f "$OUT/2024/panne-mondiale.json"
echo keep >"$T_DIR/outside"
ln -s "$T_DIR/outside" "$OUT/2024/panne-mondiale.json"
expect_rc 74 "articles remove with a planted link" mc articles remove 2024/panne-mondiale --force
grep_ok "the link is refused" "refused: .*panne-mondiale\.json is not a regular file" err
check "the file it points to is intact" grep -q keep "$T_DIR/outside"

# --- configuration: refused before anything runs
fresh conf
sed -i 's|argv = \[ "[^"]*"|argv = [ "bin/record"|' mc.conf
expect_rc 78 "check-config refuses a relative program" mc check-config
grep_ok "saying why" "deploy_command.argv: must start with a program's absolute path" err
sed -i 's|targets = \[ "command" \]|targets = [ "ftp" ]|' mc.conf
expect_rc 78 "check-config refuses an unknown target" mc check-config
grep_ok "naming it" '"ftp" is not a target' err

t_done
