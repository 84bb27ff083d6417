#!/bin/bash
# t-deploy-git.sh: the `git` deploy target (deploy_git.c) against a local
# bare repository: an approval is committed in the site's working tree
# with a clear message and pushed (a clone has the files); the
# repository's hooks never run; a remote that moved on is rebased on and
# pushed again; a conflicting one fails clearly, leaves no rebase behind
# and never undoes the decision; a dry run commits nothing; removing an
# article removes its outputs in a commit; a hostile remote setting is
# never read as an option.
. "$(dirname "$0")/../lib.sh"

MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
ART=comments+2024/panne-mondiale@example.org
PAGE=2024/panne-mondiale/index.html
G="git -c user.name=Other -c user.email=other@example.org"
export GIT_CONFIG_NOSYSTEM=1

# fresh NAME [DEPLOY SETTINGS] [DEPLOY_GIT SETTINGS]: a bare repository
# holding a site with one article page, its working tree var/site (the
# site.directory), a comment pending.
fresh() {
	mkdir -p "$T_DIR/$1"
	cd "$T_DIR/$1" || exit 1
	W=$PWD
	git init -q --bare -b main remote.git
	git init -q -b main var/site
	mkdir -p var/site/2024/panne-mondiale
	cat >"var/site/$PAGE" <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	echo "le site" >var/site/README
	(cd var/site && $G add -A && $G commit -qm "the site" &&
		git remote add origin "$W/remote.git" && git push -q origin main)
	# a hook that would tell if it ran
	for h in pre-commit commit-msg post-commit pre-push; do
		printf '#!/bin/sh\ntouch "%s/HOOK-%s"\n' "$W" "$h" >"var/site/.git/hooks/$h"
		chmod 755 "var/site/.git/hooks/$h"
	done
	cat >mc.conf <<CONF
site = { url = "https://blog.example.org/"; directory = "$W/var/site"; };
source = { maildir = "$W/var/inbox"; };
transport = { maildir = "$W/var/outbox"; };
database = { path = "$W/var/mailcomments.db"; };
deploy = { targets = [ "git" ]; backoff = 0; ${2:-retries = 1;} };
deploy_git = { author_email = "comments@blog.example.org"; ${3:-} };
CONF
	export MAILCOMMENTS_CONFIG="$W/mc.conf"
	comment "Un commentaire."
}

# comment BODY: one more pending comment, polled in.
comment() {
	$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
		--to "$ART" --subject Comment --body "$1" >/dev/null
	mc poll >poll.log 2>&1
}

commits() { git -C "${1:-var/site}" rev-list --count "${2:-HEAD}"; }

# clone: a fresh clone of the remote in ./check.
clone() { rm -rf check && git clone -q -b main "$W/remote.git" check; }

# --- an approval is committed and pushed
fresh push
check "polling rendered the (empty) section and committed it" test "$(commits)" = 2
expect_rc 0 "approve with a git target" mc approve 1
clone
check "the clone has the fragment" test -f check/comments/2024/panne-mondiale.html
grep_ok "with the approved comment" "Un commentaire" check/comments/2024/panne-mondiale.html
grep_ok "and the page with its section" "Un commentaire" "check/$PAGE"
check "and the JSON" test -f check/comments/2024/panne-mondiale.json
git -C check log -1 --format='%s|%an|%ae' >msg
grep_ok "the message names the decision" \
	"^comment #1 on 2024/panne-mondiale approved\|mailcomments\|comments@blog\.example\.org$" msg
grep_ok "the poll's render (no decision) names the article" \
	"^comments on 2024/panne-mondiale updated \([0-9]+ files\)$" <(git -C check log -1 --skip=1 --format=%s)
check "one commit for the approval" test "$(commits check)" = 3
check "the working tree is clean" test -z "$(git -C var/site status --porcelain)"
check "no hook of the repository ran" sh -c "! ls HOOK-* 2>/dev/null | grep -q ."
grep_ok "the push is logged" "deploy git: [0-9]+ files sent" err

# a render that changes nothing makes no commit
expect_rc 0 "render again" mc render --all
check "no new commit" test "$(commits)" = 3

# --- the remote moved on: rebased on it, pushed again
(clone && cd check && echo "édité ailleurs" >>README &&
	$G commit -qam "edited elsewhere" && git push -q origin main)
comment "Un deuxième."
expect_rc 0 "approve while the remote moved on" mc approve 2
clone
grep_ok "the second comment reached the remote" "Un deuxième" check/comments/2024/panne-mondiale.html
grep_ok "the other change is kept" "édité ailleurs" check/README
grep_ok "the rebased commit keeps its message" "^comment #2 on 2024/panne-mondiale approved$" <(git -C check log -1 --format=%s)
check "history is linear (no merge)" test "$(git -C check rev-list --merges --count HEAD)" = 0
check "the other's commit, then the approval's on it" test "$(commits check)" = 5
grep_ok "the rebase is logged" "fetching origin main to rebase on it" err

# --- a conflicting change: a clear failure, no rebase left, decision kept
(clone && cd check && echo "changé à la main" >comments/2024/panne-mondiale.html &&
	$G commit -qam "hand edit" && git push -q origin main)
comment "Un troisième."
expect_rc 0 "approve with a conflicting remote" mc approve 3
grep_ok "the conflict is logged" "conflicts with our commit \(rebase aborted" err
grep_ok "and giving up" "deploy git: gave up after 2 attempts" err
check "no rebase is left in progress" test ! -d var/site/.git/rebase-merge -a ! -d var/site/.git/rebase-apply
check "the comment is approved all the same" \
	test "$(sqlite3 var/mailcomments.db 'SELECT status FROM comments WHERE id = 3')" = approved
grep_ok "the local file has it" "Un troisième" var/site/comments/2024/panne-mondiale.html

# a deletion is named too
expect_rc 0 "delete comment 1" mc delete 1
grep_ok "the deletion's commit says so" "^comment #1 on 2024/panne-mondiale deleted$" \
	<(git -C var/site log -1 --format=%s)

# --- a dry run commits nothing
fresh dry "dry_run = true;"
expect_rc 0 "approve in a dry run" mc approve 1
check "nothing committed" test "$(commits)" = 1
grep_ok "the plan is logged" "git: would add $W/var/site/comments/2024/panne-mondiale.html" err
grep_ok "with the push" "git: would push HEAD to origin main" err
grep_ok "and the message" "git: would commit in $W/var/site: \"comment #1 on 2024/panne-mondiale approved\"" err

# --- removing an article: its outputs go in a commit
fresh remove
expect_rc 0 "approve" mc approve 1
expect_rc 0 "articles remove --force" mc articles remove 2024/panne-mondiale --force
clone
check "the fragment is gone from the remote" test ! -e check/comments/2024/panne-mondiale.html
check "the JSON too" test ! -e check/comments/2024/panne-mondiale.json
check "the page stays (it is the site's)" test -f "check/$PAGE"
grep_ok "the commit says why" "^article 2024/panne-mondiale removed$" \
	<(git -C check log -2 --format=%s)
grep_ok "then counts.json and the feed without it" \
	"^article 2024/panne-mondiale removed \(counts and feed\)$" \
	<(git -C check log -1 --format=%s)
check "counts.json on the remote has no entry for it" /usr/bin/python3 -c '
import json, sys
assert "2024/panne-mondiale" not in json.load(open(sys.argv[1]))["articles"]' check/comments/counts.json

# --- a remote that looks like an option stays a remote name
fresh hostile "retries = 0;" 'remote = "--receive-pack=touch PWNED";'
expect_rc 0 "approve with a hostile remote setting" mc approve 1
check "no option was read from it" test ! -e PWNED -a ! -e var/site/PWNED
grep_ok "git took it for the remote's name (after --)" \
	"git push in .*strange pathname '--receive-pack=touch PWNED'" err
grep_ok "the failure is logged" "deploy git: gave up after 1 attempts" err

# --- commit only (push = false)
fresh nopush "" "push = false;"
expect_rc 0 "approve with push = false" mc approve 1
check "committed locally" test "$(commits)" = 3
check "not pushed" test "$(commits remote.git main)" = 1

t_done
