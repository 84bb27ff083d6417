#!/bin/bash
# t-output.sh: what a person or a program reads.
# 1. A mail whose name, subject, Message-ID and body hold terminal
#    escapes (OSC 52 clipboard write, OSC 0 title, CSI 2K line erase),
#    C1 controls, a carriage return and bidi overrides: `list`, `show`,
#    `outbox list`, `articles list`, the JSON of `list` and the log lines
#    of `poll` carry none of them raw, and no newline forges a row or a
#    log line.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
PY=/usr/bin/python3

site 'moderation = { moderators = ["moderator@example.org"]; };'
sed -i 's|^site = { \(.*\) };$|site = { \1 language = "fr"; };|' mc.conf
ART=comments+2024/panne-mondiale@example.org

# raw NAME: a mail from stdin, bytes as they are, into the inbox.
raw() {
	mkdir -p "$INBOX/new" "$INBOX/cur" "$INBOX/tmp"
	cat >"$INBOX/new/$1"
}

# inert FILE...: no byte that drives a terminal or breaks a line: no C0
# control but LF and tab, no DEL, no CR, no C1 (raw or in UTF-8), no
# bidi embedding, override or isolate, no line separator.
inert() {
	$PY - "$@" <<'PYEOF'
import re, sys
bad = re.compile(rb'[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|'
                 rb'\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xe2\x80[\xa8\xa9]')
ok = True
for f in sys.argv[1:]:
    data = open(f, "rb").read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        print("# %s: not UTF-8 (%s)" % (f, e)); ok = False
    for m in bad.finditer(data):
        print("# %s: %r at %d" % (f, m.group(), m.start())); ok = False
        break
sys.exit(0 if ok else 1)
PYEOF
}

# ---- 1. terminals and logs ----
ESC=$'\x1b' BEL=$'\a' CR=$'\r' RLO=$'\u202e' PDF=$'\u202c' CSI1=$'\u009b'
raw esc.eml <<EOF
From: =?utf-8?q?Eve=1B=5D0=3Bpwned=07=C2=9B2K=0D=E2=80=AEgnp=2Eexe?= <eve@example.net>
To: $ART
Subject: =?utf-8?q?Salut=1B]52;c;ZXZpbA=3D=3D=07=0D=0Amailcomments:_forged_line?=
Message-ID: <esc.${ESC}[2K.${ESC}]0;t${BEL}.1@example.net>
Date: Mon, 29 Jul 2024 10:00:00 +0000
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour ${ESC}]52;c;ZXZpbA==${BEL} le monde${CR}${ESC}[2KApproved by moderator
${ESC}]0;titre${BEL} et ${RLO}lanigiro${PDF} et ${CSI1}31m rouge
EOF
mc poll >poll.out 2>poll.err
check "the hostile mail is stored" test "$(sql "SELECT count(*) FROM comments")" = 1
check "the database does hold the controls (the test means something)" \
	test "$(sql "SELECT instr(body, char(27)) > 0, instr(author_name, char(155)) > 0 FROM comments WHERE id = 1")" = "1|1"
check "poll's log lines: no control, no forged line" inert poll.out poll.err
grep_not "no log line starts with a forged prefix" '^mailcomments: forged' poll.err
mc list >list.out 2>&1
check "list: no control reaches the terminal" inert list.out
check "list: one header and one row, nothing forged" test "$(wc -l <list.out)" = 2
mc list --json >list.json 2>&1
check "list --json: none either" inert list.json
check "list --json: the text is all there, escaped" \
	grep -q '\\u001b]52;c;ZXZpbA==\\u0007' list.json
mc show 1 >show.out 2>&1
check "show: no control reaches the terminal" inert show.out
grep_ok "show: the body, its escapes shown as '?'" '^Bonjour \?\]52;c;ZXZpbA==\? le monde$' show.out
grep_ok "show: the line erase too" '^\?\[2KApproved by moderator$' show.out
grep_ok "show: the bidi override and C1 CSI too" '^\?\]0;titre\? et \?lanigiro\? et \?31m rouge$' show.out
grep_not "show: no header line is forged" '^mailcomments: forged' show.out
# An outbox row as a hostile recipient and server would leave it.
sql "INSERT INTO outbox (kind, recipient, message, created_at, next_attempt_at, last_error)
     VALUES ('answer', 'x' || char(27) || ']0;t' || char(7) || '@example.net', 'x', 0, 0,
             'smtp: 451 ' || char(27) || '[2K' || char(13) || char(10) || 'sent')"
mc outbox list >outbox.out 2>&1
check "outbox list: no control reaches the terminal" inert outbox.out
check "outbox list: one line per row" \
	test "$(grep -c '^[0-9]' outbox.out)" = "$(sql "SELECT count(*) FROM outbox WHERE status != 'sent'")" \
	-a "$(wc -l <outbox.out)" = "$(($(grep -c '^[0-9]' outbox.out) + 1))"
mkdir -p var/site/evil
printf '<html><head><title>Titre \xe2\x80\xae\xc2\x9b2K</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end --></body></html>\n' \
	>var/site/evil/index.html
mc articles list >articles.out 2>&1
check "articles list: no control either" inert articles.out
sql "DELETE FROM outbox WHERE kind = 'answer'; DELETE FROM comments; DELETE FROM articles WHERE slug = 'evil'"
rm -rf var/site/evil

t_done
