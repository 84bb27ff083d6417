#!/bin/bash
# t-webhook.sh: the webhook, complete (webhook.c): after an approval a
# POST signed with HMAC-SHA256 over timestamp "." body, which a receiver
# (tests/servers/hooksink.py) verifies as the README says, within a replay
# window; a wrong secret is refused there and logged here without it;
# configured headers are sent and malformed ones refused; the event names
# the change (render, article.removed) with the files' public URLs; the
# netlify and cloudflare_purge presets.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/servers.sh"

MUA="/usr/bin/python3 $T_ROOT/scripts/mua.py"
ART=comments+2024/panne-mondiale@example.org
PAGE=2024/panne-mondiale/index.html

# start_sink NAME SECRET: a receiver checking SECRET ("" : none); its
# requests in NAME.log, one JSON line each.  Sets HOOK (its URL).
start_sink() {
	local port
	port=$(free_port)
	$PY "$T_SERVERS_DIR/hooksink.py" "$port" "$T_DIR/$1.log" "$2" &
	at_exit "kill $!"
	wait_for 10 port_open "$port" || notok "hooksink started"
	HOOK="http://127.0.0.1:$port"
}

# fresh NAME RENDER-SETTINGS: a site, its secret file, a comment pending.
fresh() {
	mkdir -p "$T_DIR/$1"
	cd "$T_DIR/$1" || exit 1
	W=$PWD
	mkdir -p var/site/2024/panne-mondiale
	cat >"var/site/$PAGE" <<'HTML'
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La panne mondiale</title></head><body><h1>La panne mondiale</h1>
<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>
HTML
	printf 'hook-s3cret-value\n' >secret
	chmod 600 secret
	cat >mc.conf <<CONF
site = { url = "https://blog.example.org/"; directory = "$W/var/site"; };
source = { maildir = "$W/var/inbox"; };
transport = { maildir = "$W/var/outbox"; };
database = { path = "$W/var/mailcomments.db"; };
render = { webhook_timeout = 5; webhook_retries = 0; ${2//@W@/$W} };
CONF
	export MAILCOMMENTS_CONFIG="$W/mc.conf"
	$MUA comment "$W/var/inbox" --from "Alice <alice@example.net>" \
		--to "$ART" --subject Comment --body "Un commentaire." >/dev/null
	mc poll >poll.log 2>&1
}

# field LOG N EXPR: a Python expression over request N (r) of LOG.
field() {
	$PY -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])]; print(eval(sys.argv[3]))' "$@"
}

# --- signed: the receiver verifies it
start_sink signed hook-s3cret-value
fresh signed "webhook_url = \"$HOOK/hook\"; webhook_secret_file = \"@W@/secret\";
  webhook_headers = [ \"X-Site-Token: abc123\" ];"
# (the poll rendered the empty section: request 0)
expect_rc 0 "approve with a signed webhook" mc approve 1
check "two requests (the poll's render, the approval's)" test "$(wc -l <"$T_DIR/signed.log")" = 2
check "the receiver verified the signature" test "$(field "$T_DIR/signed.log" 1 "r['verified']")" = True
check "the first one too" test "$(field "$T_DIR/signed.log" 0 "r['verified']")" = True
check "the poll's render is the event render" test "$(field "$T_DIR/signed.log" 0 "r['headers'].get('X-Mailcomments-Event')")" = render
check "the approval's event is comment.approved" test "$(field "$T_DIR/signed.log" 1 "r['headers'].get('X-Mailcomments-Event')")" = comment.approved
check "also in the body" test "$(field "$T_DIR/signed.log" 1 "json.loads(r['body'])['event']")" = comment.approved
check "the body lists the decision" \
	test "$(field "$T_DIR/signed.log" 1 "json.loads(r['body'])['changes']")" = "[{'comment': 1, 'article': '2024/panne-mondiale', 'event': 'comment.approved'}]"
check "the body lists the article" \
	test "$(field "$T_DIR/signed.log" 1 "json.loads(r['body'])['articles'][0]['slug']")" = 2024/panne-mondiale
check "and the changed files' public URLs" \
	test "$(field "$T_DIR/signed.log" 1 "'https://blog.example.org/comments/2024/panne-mondiale.html' in json.loads(r['body'])['files']")" = True
check "the configured header is sent" test "$(field "$T_DIR/signed.log" 1 "r['headers'].get('X-Site-Token')")" = abc123
grep_not "the secret is never logged" "hook-s3cret-value" err

# a deletion: comment.deleted
expect_rc 0 "delete comment 1" mc delete 1
check "the deletion's event is comment.deleted" test "$(field "$T_DIR/signed.log" 2 "r['headers'].get('X-Mailcomments-Event')")" = comment.deleted

# removal: article.removed, signed
expect_rc 0 "articles remove --force" mc articles remove 2024/panne-mondiale --force
check "the removal is told" test "$(field "$T_DIR/signed.log" 3 "r['headers'].get('X-Mailcomments-Event')")" = article.removed
check "verified too" test "$(field "$T_DIR/signed.log" 3 "r['verified']")" = True
check "naming the removed files" \
	test "$(field "$T_DIR/signed.log" 3 "'https://blog.example.org/comments/2024/panne-mondiale.json' in json.loads(r['body'])['files']")" = True

# --- a wrong secret: the receiver refuses, we log it (not the secret)
start_sink wrong another-secret
fresh wrong "webhook_url = \"$HOOK/hook\"; webhook_secret_file = \"@W@/secret\";"
expect_rc 0 "approve with a wrong webhook secret" mc approve 1
check "the receiver refused it" test "$(field "$T_DIR/wrong.log" 1 "r['verified']")" = False
grep_ok "the refusal is logged" "webhook $HOOK/hook: HTTP status 401" err
grep_not "without the secret" "hook-s3cret-value" err

# --- a replayed request is refused by the window: the same signature, old
ts=$(( $(date +%s) - 3600 ))
sig=$($PY -c 'import hmac,hashlib,sys; print("sha256="+hmac.new(b"hook-s3cret-value", sys.argv[1].encode()+b".{}", hashlib.sha256).hexdigest())' "$ts")
start_sink replay hook-s3cret-value
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Mailcomments-Timestamp: $ts" \
	-H "X-Mailcomments-Signature: $sig" --data '{}' "$HOOK/hook")
check "a correctly signed but hour-old request is refused (got $code)" test "$code" = 401

# --- headers must be single lines
fresh badhdr "webhook_url = \"http://127.0.0.1:1/\"; webhook_headers = [ \"NoColon\" ];"
expect_rc 78 "check-config refuses a header without a colon" mc check-config
grep_ok "naming it" 'render.webhook_headers: "NoColon" is not one "Name: value" line' err

# --- presets
start_sink netlify ""
fresh netlify "webhook_url = \"$HOOK/build_hooks/abc\"; webhook_preset = \"netlify\";"
expect_rc 0 "approve with the netlify preset" mc approve 1
check "a build hook gets an empty JSON object" test "$(field "$T_DIR/netlify.log" 1 "r['body']")" = "{}"
check "posted to the hook's path" test "$(field "$T_DIR/netlify.log" 1 "r['path']")" = /build_hooks/abc

start_sink cf ""
fresh cf "webhook_url = \"$HOOK/client/v4/zones/z1/purge_cache\"; webhook_preset = \"cloudflare_purge\"; webhook_secret_file = \"@W@/secret\";"
expect_rc 0 "approve with the cloudflare_purge preset" mc approve 1
check "the API token is the bearer" test "$(field "$T_DIR/cf.log" 1 "r['headers'].get('Authorization')")" = "Bearer hook-s3cret-value"
check "the body lists the files to purge" \
	test "$(field "$T_DIR/cf.log" 1 "sorted(json.loads(r['body']).keys()) == ['files'] and 'https://blog.example.org/comments/2024/panne-mondiale.html' in json.loads(r['body'])['files']")" = True
check "the page is purged too" \
	test "$(field "$T_DIR/cf.log" 1 "'https://blog.example.org/$PAGE' in json.loads(r['body'])['files']")" = True
# many files: requests of at most 30 URLs (Cloudflare's limit), all sent
for i in 1 2 3 4 5 6 7 8 9 10; do
	mkdir -p "var/site/a$i"
	sed "s/La panne mondiale/Article $i/g" "var/site/$PAGE" >"var/site/a$i/index.html"
done
mc articles list >/dev/null 2>&1
before=$(wc -l <"$T_DIR/cf.log")
expect_rc 0 "render --all with ten new articles" mc render --all
after=$(wc -l <"$T_DIR/cf.log")
check "sent in several requests ($before -> $after)" test $((after - before)) -ge 2
check "none holds more than 30 URLs" test "$($PY -c 'import json,sys; print(max(len(json.loads(json.loads(l)["body"])["files"]) for l in list(open(sys.argv[1]))[int(sys.argv[2]):]))' "$T_DIR/cf.log" "$before")" -le 30
check "together they name every new fragment" test "$($PY -c 'import json,sys; u={x for l in list(open(sys.argv[1]))[int(sys.argv[2]):] for x in json.loads(json.loads(l)["body"])["files"]}; print(all("https://blog.example.org/comments/a%d.html" % i in u for i in range(1, 11)))' "$T_DIR/cf.log" "$before")" = True
sed -i 's|webhook_secret_file = "[^"]*";||' mc.conf
expect_rc 78 "cloudflare_purge without a token is refused" mc check-config

t_done
