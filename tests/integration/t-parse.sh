#!/bin/bash
# t-parse.sh: `mailcomments parse`: the summary, --json, stdin, errors on
# unreadable input, and input that must be answered without being loaded
# (/dev/null, random bytes, 50 MB, an endless pipe), with -c limits.
. "$(dirname "$0")/../lib.sh"

cat >mail.eml <<'MAIL'
From: =?utf-8?q?=C3=89lodie_Martin?= <elodie@example.fr>
To: comments+2024/slug@example.org
Subject: Re: =?utf-8?q?L=27article?=
Message-ID: <abc@example.fr>
Date: Mon, 29 Jul 2024 10:00:00 +0200
Content-Type: text/plain; charset=utf-8

Très bien écrit.

Le lun. 29 juil. 2024 à 09:00, Blog <comments@example.org> a écrit :
> Question ?
MAIL

expect_rc 0 "parse FILE" mc parse mail.eml
grep_ok "summary shows the sender" '^From: +Élodie Martin <elodie@example.fr>$' out
grep_ok "summary shows the subject" "^Subject: +Re: L'article$" out
grep_ok "summary shows the message-id" '^Message-ID: +abc@example.fr$' out
grep_ok "summary shows the date" '^Date: +2024-07-29T08:00:00Z$' out
grep_ok "summary shows the kind" '^Kind: +comment$' out
grep_ok "summary shows the body" '^Très bien écrit\.$' out
grep_not "summary drops the quote" 'Question' out

expect_rc 0 "parse --json" mc parse --json mail.eml
check "--json is valid JSON with the spec's fields" python3 -c '
import json, sys
d = json.load(open("out"))
keys = ["from_name", "from_address", "to", "subject", "message_id",
        "in_reply_to", "references", "date", "body", "kind", "is_autoreply",
        "is_bounce", "reasons"]
assert list(d) == keys, list(d)
assert d["from_name"] == "Élodie Martin"
assert d["body"] == "Très bien écrit."
assert d["kind"] == "comment" and d["reasons"] == []
'
mc parse --json - <mail.eml >stdin.out 2>err
check "- reads stdin" cmp out stdin.out

expect_rc 66 "a missing file is EX_NOINPUT" mc parse nope.eml
grep_ok "the error names the file" '^mailcomments: parse: nope\.eml: No such file' err
check "the error is one line" test "$(wc -l <err)" = 1
mkdir adir
expect_rc 66 "a directory is EX_NOINPUT" mc parse adir
expect_rc 64 "no file is a usage error" mc parse
expect_rc 64 "two files are a usage error" mc parse a b

expect_rc 0 "parse /dev/null" mc parse --json /dev/null
grep_ok "/dev/null is invalid" '"kind": "invalid"' out
grep_ok "/dev/null has no from address" '"no from address"' out

head -c 200000 /dev/urandom >random.bin
expect_rc 0 "parse random bytes" mc parse --json random.bin
check "random bytes give valid JSON" python3 -c 'import json; json.load(open("out"))'
expect_rc 0 "random bytes, summary" mc parse random.bin

{ printf 'From: a@example.org\nSubject: big\n\n'; head -c 52428800 /dev/zero | tr '\0' 'x'; } >big.eml
expect_rc 0 "parse a 50 MB file" mc parse --json big.eml
grep_ok "50 MB is too large" '"message too large"' out
grep_ok "its headers are still read" '"from_address": "a@example.org"' out
check "an endless pipe is answered" timeout 60 bash -c \
	'yes | "$0" parse --json - >pipe.out' "$MC"
grep_ok "the pipe is too large" '"message too large"' pipe.out

printf 'limits = { message_size = 2048; };\n' >small.conf
{ cat mail.eml; head -c 3000 /dev/zero | tr '\0' 'y'; echo; } >over.eml
expect_rc 0 "-c limits apply" mc -c small.conf parse --json over.eml
grep_ok "-c message_size is used" '"message too large"' out
expect_rc 0 "under the configured size" mc -c small.conf parse --json mail.eml
grep_not "a small mail fits" 'too large' out
t_done
