#!/bin/bash
# t-deploy-s3.sh: the `s3` deploy target (deploy_s3.c) against s3rver, a
# real S3-protocol server on loopback that checks SigV4 signatures: an
# approval uploads the changed files (read back with curl, itself
# signing), with Content-Type and Cache-Control; a wrong secret is
# refused by the server, logged without the secret, retried, and never
# undoes the decision; a secret file others can read is refused;
# removing an article DELETEs its objects; `deploy --all` uploads the
# whole site with keys percent-encoded; dry runs show both URL styles.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
ART=comments+2024/panne-mondiale@example.org
PAGE=2024/panne-mondiale/index.html
FRAG=comments/2024/panne-mondiale

start_s3rver "$T_DIR/s3" site

EMPTY=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
# get KEY: the object, signed like any S3 client (headers in ./hdr).
get() {
	curl -sS --max-time 10 --aws-sigv4 "aws:amz:us-east-1:s3" \
		--user S3RVER:S3RVER -H "x-amz-content-sha256: $EMPTY" -D hdr -o obj -w '%{http_code}' "$BASE/$1"
}

# fresh NAME SECRET [DEPLOY SETTINGS] [DEPLOY_S3 SETTINGS]: a site with
# one article page deployed under the prefix NAME/ (BASE), the secret in
# a file only we read, a comment pending.
fresh() {
	mkdir -p "$T_DIR/$1"
	cd "$T_DIR/$1" || exit 1
	W=$PWD
	BASE="http://127.0.0.1:$S3_PORT/site/$1"
	mkdir -p var/site/2024/panne-mondiale
	cat >"var/site/$PAGE" <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	printf '%s\n' "$2" >secret
	local sec="secret_file = \"$W/secret\";"
	chmod 600 secret
	cat >mc.conf <<CONF
site = { url = "https://blog.example.org/"; directory = "$W/var/site"; };
source = { maildir = "$W/var/inbox"; };
transport = { maildir = "$W/var/outbox"; };
database = { path = "$W/var/mailcomments.db"; };
deploy = { targets = [ "s3" ]; backoff = 0; ${3:-retries = 1;} };
deploy_s3 = { endpoint = "http://127.0.0.1:$S3_PORT"; bucket = "site";
  prefix = "$1/"; url_style = "path"; access_key_id = "S3RVER";
  ${4:-$sec} };
CONF
	export MAILCOMMENTS_CONFIG="$W/mc.conf"
	$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
		--to "$ART" --subject Comment --body "Un commentaire." >/dev/null
	mc poll >poll.log 2>&1
}

# --- an approval uploads the changed files
fresh ok S3RVER
expect_rc 0 "approve with an s3 target" mc approve 1
grep_ok "the upload is logged" "deploy s3: [0-9]+ files sent" err
check "the fragment is in the bucket" test "$(get $FRAG.html)" = 200
grep_ok "with the approved comment" "Un commentaire" obj
grep_ok "as HTML in UTF-8" "^Content-Type: text/html; charset=utf-8" hdr
grep_ok "with the configured Cache-Control" "^Cache-Control: public, max-age=300" hdr
check "the JSON is there" test "$(get $FRAG.json)" = 200
grep_ok "as JSON" "^Content-Type: application/json" hdr
check "the Atom feed is there" test "$(get $FRAG.atom)" = 200
grep_ok "as Atom" "^Content-Type: application/atom\+xml" hdr
check "the page is there" test "$(get $PAGE)" = 200
grep_ok "with its section" "Un commentaire" obj
check "the keys are under the prefix only" test "$(curl -s -o /dev/null -w '%{http_code}' \
	--aws-sigv4 aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
	-H "x-amz-content-sha256: $EMPTY" \
	"http://127.0.0.1:$S3_PORT/site/$FRAG.html")" = 404

# --- removing the article deletes its objects
expect_rc 0 "articles remove --force" mc articles remove 2024/panne-mondiale --force
check "the fragment is deleted from the bucket" test "$(get $FRAG.html)" = 404
check "the JSON too" test "$(get $FRAG.json)" = 404
check "the feed too" test "$(get $FRAG.atom)" = 404
check "the page stays (it is the site's)" test "$(get $PAGE)" = 200

# --- a wrong secret: refused by the server, logged without it
fresh wrong "Wr0ng-S3cret-Value" "retries = 2;"
expect_rc 0 "approve with a wrong secret" mc approve 1
grep_ok "the refusal is logged with S3's code" "HTTP status 403 SignatureDoesNotMatch" err
grep_ok "each attempt is logged" "deploy s3: attempt 2 of 3 failed" err
grep_ok "then the giving up" "deploy s3: gave up after 3 attempts" err
grep_not "the secret is never logged" "Wr0ng-S3cret-Value" err
check "the comment is approved all the same" \
	test "$(sqlite3 var/mailcomments.db 'SELECT status FROM comments')" = approved
check "nothing was uploaded" test "$(get $FRAG.html)" = 404

# --- the secret from the environment
fresh env unused "" 'secret_env = "MC_S3_SECRET";'
MC_S3_SECRET=S3RVER expect_rc 0 "approve, the secret in the environment" \
	env MC_S3_SECRET=S3RVER "$MC" approve 1
check "the upload worked" test "$(get $FRAG.html)" = 200

# --- a secret file others can read is refused before any use
fresh open S3RVER
chmod 644 secret
expect_rc 78 "check-config refuses a readable secret file" mc check-config
grep_ok "saying why" "deploy_s3.secret_file: .*refusing a password file that group or others can access" err
chmod 600 secret
sed -i 's|bucket = "site"|bucket = ""|' mc.conf
expect_rc 78 "check-config refuses a missing bucket" mc check-config
grep_ok "naming it" "deploy_s3.bucket: must name a bucket" err

# --- deploy --all: the whole site, keys percent-encoded
fresh all S3RVER
: >"var/site/a b+c&d.html"
mkdir -p var/site/.git && echo secret >var/site/.git/config
expect_rc 0 "deploy --all" mc deploy --all
grep_ok "says what was sent" "^[0-9]+ files sent to 1 targets, 0 failed" out
check "a name with a space, + and & is stored under its own name" \
	test "$(get 'a%20b%2Bc%26d.html')" = 200
check "the page is there" test "$(get $PAGE)" = 200
check "dot directories are not uploaded" test "$(get .git/config)" = 404

# --- the server is down: retried, logged, not fatal
fresh down S3RVER "retries = 1; timeout = 5;"
sed -i "s|127.0.0.1:$S3_PORT|127.0.0.1:$(free_port)|" mc.conf
expect_rc 0 "approve with the server down" mc approve 1
grep_ok "the connection failure is logged" "deploy s3: gave up after 2 attempts: s3: PUT http://127.0.0.1:[0-9]+/site/down/" err
check "the files wait in the queue" test "$(sqlite3 var/mailcomments.db \
	"SELECT count(*) FROM deploy_queue WHERE target = 's3' AND removed = 0")" -ge 4
get $FRAG.html >/dev/null
grep_not "the approval did not reach the bucket" "Un commentaire" obj
DOWN_PORT=$(sed -n 's|.*endpoint = "http://127.0.0.1:\([0-9]*\)".*|\1|p' mc.conf)
# a poll's pass sends the queue again only once deploy.backoff_max has
# passed since the last attempt: not yet (60 s by default)
sed -i "s|127.0.0.1:$DOWN_PORT|127.0.0.1:$S3_PORT|" mc.conf
expect_rc 0 "a poll soon after" mc poll
get $FRAG.html >/dev/null
grep_not "the queue is not retried before its pause" "Un commentaire" obj
# plain `deploy`, nothing new to render: the queue goes
expect_rc 0 "deploy, the server back" mc deploy
grep_ok "the queued files are sent" "deploy s3: [0-9]+ files sent" err
check "the approved comment reached the bucket" test "$(get $FRAG.html)" = 200
grep_ok "with the comment" "Un commentaire" obj
check "the page too" test "$(get $PAGE)" = 200
check "and the queue is empty" test "$(sqlite3 var/mailcomments.db 'SELECT count(*) FROM deploy_queue')" = 0

# --- queued while down, then sent with the next approval; a queued
# file removed meanwhile is deleted on the target, not uploaded
fresh down2 S3RVER "retries = 0; backoff_max = 0;"
$MUA comment "$W/var/inbox" --from "Bob <bob@example.net>" \
	--to "$ART" --subject Comment --body "Un autre avis." >/dev/null
mc poll >>poll.log 2>&1
sed -i "s|127.0.0.1:$S3_PORT|127.0.0.1:$DOWN_PORT|" mc.conf
expect_rc 0 "approve while the server is down" mc approve 1
grep_ok "given up" "deploy s3: gave up after 1 attempts" err
mkdir -p var/site/old && echo x >var/site/old/gone.html
sqlite3 var/mailcomments.db "INSERT INTO deploy_queue VALUES ('s3', 'old/gone.html', '$W/var/site/old/gone.html', 0, 0);
INSERT INTO deploy_queue VALUES ('s3', '../../etc/passwd', '/etc/passwd', 0, 0);"
curl -sS --max-time 10 --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER \
	-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T var/site/old/gone.html -o /dev/null "$BASE/old/gone.html"
check "(an object the site had)" test "$(get old/gone.html)" = 200
rm var/site/old/gone.html
sed -i "s|127.0.0.1:$DOWN_PORT|127.0.0.1:$S3_PORT|" mc.conf
expect_rc 0 "approve the second, the server back" mc approve 2
check "the first approval's fragment arrived with it" test "$(get $FRAG.html)" = 200
grep_ok "both comments are in it" "Un commentaire" obj
grep_ok "the second too" "Un autre avis" obj
grep_ok "a queued path outside the site is dropped, said" \
	"deploy s3: dropped from the queue: deploy: /etc/passwd is neither in site.directory" err
check "a queued file gone from disk since is deleted on the target" test "$(get old/gone.html)" = 404
check "the queue is empty" test "$(sqlite3 var/mailcomments.db 'SELECT count(*) FROM deploy_queue')" = 0
# a poll's pass with backoff_max = 0 retries what is queued at once
sed -i "s|127.0.0.1:$S3_PORT|127.0.0.1:$DOWN_PORT|" mc.conf
$MUA comment "$W/var/inbox" --from "Carol <carol@example.net>" \
	--to "$ART" --subject Comment --body "Troisième avis." >/dev/null
mc poll >>poll.log 2>&1
expect_rc 0 "approve the third, the server down" mc approve 3
sed -i "s|127.0.0.1:$DOWN_PORT|127.0.0.1:$S3_PORT|" mc.conf
expect_rc 0 "the next poll, nothing new to render" mc poll
check "the poll's pass sent the queue" test "$(get $FRAG.html)" = 200
grep_ok "with the third comment" "Troisième avis" obj

# --- dry runs: the URLs of both styles, nothing sent
fresh dry S3RVER "dry_run = true;"
expect_rc 0 "approve in a dry run" mc approve 1
grep_ok "path style" "s3: would PUT http://127.0.0.1:$S3_PORT/site/dry/$FRAG.html \(text/html; charset=utf-8\)" err
check "nothing was uploaded" test "$(get $FRAG.json)" = 404
sed -i 's|url_style = "path"|url_style = "virtual"|; s|endpoint = "[^"]*"|endpoint = "https://s3.eu-west-3.amazonaws.com"|' mc.conf
expect_rc 0 "deploy --all --dry-run, virtual-host style" mc deploy --all --dry-run
grep_ok "the bucket is in the host name" "^s3: would PUT https://site\.s3\.eu-west-3\.amazonaws\.com/dry/$PAGE \(text/html" out

t_done
