#!/bin/bash
# t-modmail.sh: the mails to moderators.  What a notification shows about
# a comment (the author's address, the trusted server's verdicts, the
# sender's history, the comment it answers) and that the address goes
# nowhere else; every answer to a moderator is answerable, scoped to what
# it talks about, and a reader's never is; the other moderators hear of a
# decision, once, threaded under their notification.  Attackers: a
# comment forged From a moderator's address, a forged Authentication-
# Results below the server's, a reader replying to a moderator's token.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

ART=comments+2024/panne-mondiale@example.org
MOD='Modératrice <moderator@example.org>'
SECOND='Second <second@example.org>'
fresh() {
	rm -rf var mc.conf poll.log
	site "$1"
}
deliver() {
	mkdir -p "$INBOX/tmp" "$INBOX/new" "$INBOX/cur"
	cat >"$INBOX/tmp/$1" && mv "$INBOX/tmp/$1" "$INBOX/new/$1"
}
# raw_comment ID FROM TOP: a comment with From: FROM under the header
# lines TOP, as a real delivery writes them.
raw_comment() {
	{
		printf '%s\n' "$3"
		printf 'From: %s\nTo: <%s>\nSubject: A comment\n' "$2" "$ART"
		printf 'Message-ID: <%s@mua.test>\n' "$1"
		printf 'Date: Mon, 29 Jul 2024 10:00:00 +0000\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\nComment %s.\n' "$1"
	} | deliver "$1"
}
# answer_to MODERATOR: the newest answer ("Re: ...", kind answer) to them.
answer_to() {
	grep -lE '^Delivered-To: '"$1"'$' "$OUTBOX"/new/* 2>/dev/null |
		xargs -r grep -L '^In-Reply-To: <mailcomments\.t' |
		xargs -r grep -l '^Subject: Re' | newest
}
# handled_to MODERATOR: the "handled by" notices to them, one per line.
handled_to() {
	grep -lE '^Delivered-To: '"$1"'$' "$OUTBOX"/new/* 2>/dev/null |
		xargs -r grep -l '^In-Reply-To: <mailcomments\.t' | sort
}
hdr() { headers_of "$2" | grep -i "^$1:" | head -1 | sed 's/^[^:]*: //'; }
SERVER='Received: from mx.example.org by mx.example.org with LMTP id 1; Mon, 29 Jul 2024 12:00:02 +0200
Received: from mail.example.net (mail.example.net [203.0.113.5])
	by mx.example.org (Postfix) with ESMTPS id 4AB; Mon, 29 Jul 2024 12:00:01 +0200'
FOREIGN='Received: from [10.1.1.1] by mail.example.net with ESMTPSA; Mon, 29 Jul 2024 12:00:00 +0200'
AR='Authentication-Results: mx.example.org;'

# ---- 1. what the notification shows ---------------------------------
fresh 'moderation = { moderators = ["moderator@example.org", "second@example.org"]; trusted_authserv_id = "mx.example.org"; };
spam = { header = "spamassassin"; threshold = 5.0; };'
raw_comment c1 'Alice Martin <alice@example.net>' "$SERVER
$AR dkim=pass header.d=example.net; spf=pass smtp.mailfrom=example.net; dmarc=pass header.from=example.net
X-Spam-Score: 1.5
$FOREIGN"
poll
check "the verdict is stored at arrival" test \
	"$(sql 'SELECT auth FROM comments WHERE id = 1')" = "dkim=pass spf=pass dmarc=pass from=pass"
n1=$(notification_for 1)
decoded "${n1:-/dev/null}" >n1.txt
grep_ok "the notification shows the author's name and address" '^From: Alice Martin <alice@example.net>$' n1.txt
grep_ok "the trusted server's verdict" '^Authentication: dkim=pass spf=pass dmarc=pass$' n1.txt
grep_ok "the spam score and the threshold" '^Spam score: 1\.5 \(threshold 5\.0\)$' n1.txt
grep_ok "a first comment says so" '^Sender: first comment$' n1.txt
grep_not "an authenticated sender raises no warning" 'WARNING' n1.txt
thread1=$(hdr References "${n1:-/dev/null}")
check "the notification names a token-free thread id" \
	expr "$thread1" : '<mailcomments\.t1\.[0-9]*@example\.org>$'

# A comment forged From a moderator's address: the server saw it fail;
# a forged pass below the server's own changes nothing.
raw_comment c2 'Moderator <moderator@example.org>' "$SERVER
$AR dkim=none; spf=fail smtp.mailfrom=example.org; dmarc=fail header.from=example.org
$FOREIGN
$AR dkim=pass header.d=example.org; spf=pass; dmarc=pass"
poll
n2=$(notification_for 2)
decoded "${n2:-/dev/null}" >n2.txt
grep_ok "forged From a moderator: the address is shown" '^From: .*<moderator@example\.org>$' n2.txt
grep_ok "with the server's failed verdict, not the forged pass" '^Authentication: dkim=none spf=fail dmarc=fail$' n2.txt
grep_ok "a From forged? warning" '^WARNING: From forged\? The trusted server did not authenticate example\.org' n2.txt
grep_ok "and the moderator's address flagged plainly" '^WARNING: this comment comes From the moderator address moderator@example\.org' n2.txt
grep_ok "no spam verdict says so" '^Spam score: none$' n2.txt

# No verdict at all (no Authentication-Results of the trusted server).
raw_comment c3 'Moderator <MODERATOR+x@example.org>' "$SERVER
$FOREIGN
$AR dkim=pass header.d=example.org; dmarc=pass"
poll
decoded "$(notification_for 3)" >n3.txt
grep_ok "no trusted verdict: none" '^Authentication: none \(no verdict from the trusted server\)$' n3.txt
grep_ok "a moderator's address in another spelling is flagged too" 'moderator address MODERATOR\+x@example\.org' n3.txt
grep_not "with no verdict, no From forged? guess" 'From forged' n3.txt

# History, and the comment a reply answers.
reply_to "$n1" "$MOD" approve
poll
mc reject 2 >/dev/null 2>&1
comment 'Alice Martin <alice@example.net>' comments+2024/panne-mondiale.1@example.org "Et j'ajoute ceci."
poll
decoded "$(notification_for 4)" >n4.txt
grep_ok "the sender's history" '^Sender: other comments: 1 approved, 0 rejected or spam$' n4.txt
grep_ok "a reply names the comment it answers" '^In reply to comment #1 by Alice Martin:$' n4.txt
grep_ok "and quotes it" '^> Comment c1\.$' n4.txt
raw_comment c5 'Moderator <moderator@example.org>' "$SERVER
$AR dmarc=fail header.from=example.org
$FOREIGN"
poll
decoded "$(notification_for 5)" >n5.txt
grep_ok "a rejected comment counts in the history" '^Sender: other comments: 0 approved, 1 rejected or spam, 1 waiting$' n5.txt

# ---- 2. answers are answerable ----------------------------------------
a=$(answer_to moderator@example.org)
check "the moderator got an answer" test -n "$a"
a=${a:-/dev/null}
grep_ok "the answer carries a moderation token in Reply-To" '^Reply-To: .*<comments\+m_[a-z2-7]{32}@example\.org>' "$a"
grep_ok "and in its Message-ID" '^Message-ID: <mailcomments\.m_[a-z2-7]{32}@example\.org>' "$a"
grep_ok "it still threads under the moderator's mail" '^In-Reply-To: <.*@mua\.test>' "$a"
check "the comment is approved" test "$(status_of 1)" = approved
reply_to "$a" "$MOD" undo
poll
check "'undo' in reply to the answer undoes the decision" test "$(status_of 1)" = pending
reply_to "$(answer_to moderator@example.org)" "$MOD" approve
poll
check "'approve' in reply to the undo's answer approves again" test "$(status_of 1)" = approved

# A conflict answer, then answered.
reply_to "$(notification_for 4 second@example.org)" "$MOD" approve
poll
reply_to "$(notification_for 4 second@example.org)" "$SECOND" reject
poll
ca=$(answer_to second@example.org)
decoded "${ca:-/dev/null}" >ca.txt
grep_ok "the second moderator gets a conflict answer" 'already approved by moderator@example.org' ca.txt
grep_ok "which is answerable too" '^Reply-To: .*comments\+m_[a-z2-7]{32}@' "${ca:-/dev/null}"
reply_to "$(answer_to moderator@example.org)" "$MOD" undo
poll
reply_to "$ca" "$SECOND" reject
poll
check "'reject' in reply to the conflict answer decides, once the first undid" test "$(status_of 4)" = rejected

# Attacker: a reader who got hold of an answer replies to its token.
a=$(answer_to second@example.org)
reply_to "$a" 'Mallory <mallory@example.net>' undo
reply_to "$a" 'Alice Martin <alice@example.net>' approve
poll
check "a non-moderator replying to an answer's token changes nothing" test "$(status_of 4)" = rejected
check "and is refused" test "$(sql "SELECT count(*) FROM processed WHERE outcome LIKE 'refused: % is not a moderator'")" = 2

# Help is answerable about the comment it was asked on.
reply_to "$(notification_for 3)" "$MOD" "peut-être plus tard" --lang fr
poll
ha=$(answer_to moderator@example.org)
grep_ok "the help answer carries the comment's token" '^Reply-To: .*comments\+m_[a-z2-7]{32}@' "${ha:-/dev/null}"
reply_to "${ha:-/dev/null}" "$MOD" reject
poll
check "'reject' in reply to the help decides" test "$(status_of 3)" = rejected

# ---- 3. the other moderators hear of it ----------------------------------
h=$(handled_to second@example.org | xargs -r grep -l '#1: approved by' | head -1)
check "the other moderator hears of the decision" test -n "$h"
h=${h:-/dev/null}
decoded "$h" >h.txt
grep_ok "Comment #N: approved by A." '^Comment #1: approved by moderator@example\.org\.$' h.txt
check "threaded under their notification" test "$(hdr In-Reply-To "$h")" = "$thread1"
check "with the notification's subject" test "$($MUA subject "$h")" = \
	"Re: $($MUA subject "$(notification_for 1 second@example.org)")"
grep_ok "answerable" '^Reply-To: .*comments\+m_[a-z2-7]{32}@' "$h"
check "the one who decided hears nothing of it" test \
	"$(handled_to moderator@example.org | xargs -r grep -l 'by moderator@example\.org' | wc -l)" = 0
check "one notice per decision per other moderator (#1: approve, undo, approve)" test \
	"$(handled_to second@example.org | xargs -r grep -lE '^Comment #1: ' | wc -l)" = 3
check "a refused decision (a conflict) tells nobody, the later one does" test \
	"$(handled_to moderator@example.org | xargs -r grep -l '^Comment #4: ' | wc -l)" = 1
grep -l 'by the operator' $(handled_to moderator@example.org) >/dev/null 2>&1 &&
	ok "a decision from the shell is told to every moderator" ||
	notok "a decision from the shell is told to every moderator"
reply_to "$h" "$SECOND" undo
poll
check "'undo' by another moderator in reply to the notice changes nothing" test "$(status_of 1)" = approved
reply_to "$h" "$SECOND" delete
poll
check "'delete' in reply to the notice acts on the comment" test "$(status_of 1)" = deleted
check "and the first moderator hears of that" test \
	"$(handled_to moderator@example.org | xargs -r grep -l '^Comment #1: deleted by second@example\.org\.' | wc -l)" = 1

# Automatic decisions tell nobody.
before=$(ls "$OUTBOX/new" | wc -l)
mc trust alice@example.net >/dev/null 2>&1 || sql "INSERT INTO senders (address, trusted, created_at, updated_at) VALUES ('alice@example.net', 1, 0, 0) ON CONFLICT (address) DO UPDATE SET trusted = 1"
comment 'Alice Martin <alice@example.net>' "$ART" "Auto."
raw_comment c7 'Spammer <s@spam.example>' "$SERVER
X-Spam-Score: 9.0
$FOREIGN"
poll
check "an automatic approval and a spam verdict mail no moderator" test \
	"$(handled_to moderator@example.org | xargs -r grep -lE '#(6|7): ' | wc -l)" = 0

# ---- 4. digests: the same facts, several comments, digest tokens ------
fresh 'moderation = { moderators = ["moderator@example.org", "second@example.org"]; digest_minutes = 60; trusted_authserv_id = "mx.example.org"; };'
raw_comment d1 'Bob <bob@example.net>' "$SERVER
$AR dkim=pass header.d=example.net; spf=pass; dmarc=pass
$FOREIGN"
comment 'Carol <carol@example.net>' "$ART" "Deux."
comment 'Dan <dan@example.net>' "$ART" "Trois."
comment 'Carol <carol@example.net>' "$ART" "Quatre."
poll
d=$(grep -lE '^Delivered-To: moderator@example.org$' "$OUTBOX"/new/* | xargs -r grep -l '^Reply-To: .*comments+d_' | newest)
decoded "${d:-/dev/null}" >d.txt
grep_ok "the digest shows each address" '^From: Bob <bob@example\.net>$' d.txt
grep_ok "and a short verdict line" '^dkim=pass spf=pass dmarc=pass; first comment$' d.txt
grep_ok "no verdict: none" '^authentication: none; first comment$' d.txt
# Carol's two comments each count the other one, never themselves.
check "a sender's record counts their other comments" test \
	"$(grep -c '^authentication: none; first comment$' d.txt)-$(grep -c '^authentication: none; other comments: 0 approved, 0 rejected or spam, 1 waiting$' d.txt)" = 1-2
reply_to "${d:-/dev/null}" "$MOD" "approve 1 2"
poll
a=$(answer_to moderator@example.org)
a12=${a:-/dev/null}
grep_ok "an answer about several comments carries a digest token" '^Reply-To: .*<comments\+d_[a-z2-7]{32}@example\.org>' "${a:-/dev/null}"
check "listing those comments" test \
	"$(sql "SELECT group_concat(comment_id) FROM (SELECT comment_id FROM digest_items WHERE token_id = (SELECT max(id) FROM tokens WHERE purpose = 'digest') ORDER BY 1)")" = "1,2"
check "two decisions, two notices to the other moderator" test "$(handled_to second@example.org | wc -l)" = 2
reply_to "${a:-/dev/null}" "$MOD" "undo 2"
poll
check "'undo 2' in reply to that answer undoes #2" test "$(status_of 2)-$(status_of 1)" = pending-approved
reply_to "$a12" "$MOD" "approve 3"
poll
a=$(answer_to moderator@example.org)
decoded "${a:-/dev/null}" >a3.txt
grep_ok "a comment outside that answer's scope is refused" 'Comment #3 is not in this digest' a3.txt
check "and not decided" test "$(status_of 3)" = pending
grep_ok "an answer about no comment points to the gateway itself" '^Reply-To: .*<comments@example\.org>' "${a:-/dev/null}"

# ---- 5. readers' answers carry no moderation token -------------------
fresh 'moderation = { moderators = ["moderator@example.org", "second@example.org"]; mode = "none"; };'
comment 'Fred <fred@example.net>' "$ART" "Premier."
poll
comment 'Ivy <ivy@example.net>' comments+2024/panne-mondiale.1@example.org "Réponse."
poll
r=$(outbox_last '^Delivered-To: fred@example.net')
reply_to "${r:-/dev/null}" 'Fred <fred@example.net>' unsubscribe
poll
u=$(grep -lE '^Delivered-To: fred@example.net$' "$OUTBOX"/new/* | xargs -r grep -l '^Subject: Re' | newest)
check "a reader gets an answer" test -n "$u"
grep_not "with no moderation or digest token" 'comments\+[md]_' "${u:-/dev/null}"
grep_not "and no token Message-ID" '^Message-ID: <mailcomments\.[md]_' "${u:-/dev/null}"
grep_not "nor a Reply-To to the moderators' console" '^Reply-To: .*<comments@example\.org>' "${u:-/dev/null}"
# The answer to a sender's confirmation goes through the same answer
# code as the moderators': it must carry none of their tokens.
fresh 'moderation = { moderators = ["moderator@example.org"]; confirm_new_senders = true; };'
comment 'Gil <gil@example.net>' "$ART" "Bonjour."
poll
q=$(outbox_last '^Delivered-To: gil@example.net')
reply_to "${q:-/dev/null}" 'Gil <gil@example.net>' "oui"
poll
check "the confirmation released the comment" test "$(status_of 1)" = pending
u=$(grep -lE '^Delivered-To: gil@example.net$' "$OUTBOX"/new/* | xargs -r grep -l '^Subject: Re' | newest)
check "the sender gets the answer" test -n "$u"
grep_not "no moderation or digest token in it" 'comments\+[md]_' "${u:-/dev/null}"
grep_not "and no Reply-To at all (not the console)" '^Reply-To:' "${u:-/dev/null}"
check "no reader mail shows another reader's address" test \
	"$(grep -lE '^Delivered-To: fred@example.net$' "$OUTBOX"/new/* | xargs -r grep -l 'ivy@example' | wc -l)" = 0

# ---- 6. French --------------------------------------------------------
fresh ''
sed -i 's/^site = {/site = { language = "fr";/' mc.conf
comment 'Alice Martin <alice@example.net>' "$ART" "Bonjour."
poll
n=$(notification_for 1)
decoded "${n:-/dev/null}" >fr.txt
# French typography: a non-breaking space before : ; ! ? and inside « ».
NB=$(printf '\302\240')
grep_ok "fr: the address" "^Auteur${NB}: Alice Martin <alice@example\.net>\$" fr.txt
grep_ok "fr: no verdict" "^Authentification${NB}: aucune" fr.txt
grep_ok "fr: first comment" "^Expéditeur${NB}: premier commentaire\$" fr.txt
reply_to "$n" "$MOD" oui --lang fr
poll
decoded "$(handled_to second@example.org | head -1)" >frh.txt
grep_ok "fr: the handled notice" "^Commentaire n°${NB}1${NB}: approuvé par moderator@example\.org\.\$" frh.txt

# ---- 7. a sender cannot write lines of the facts block ------------------
fresh ''
raw_comment e1 '=?UTF-8?Q?Eve=0AAuthentication:_dkim=3Dpass_spf=3Dpass_dmarc=3Dpass?= <eve@example.net>' "$SERVER
$FOREIGN"
poll
decoded "$(notification_for 1)" >e1.txt
grep_ok "the facts block holds the server's verdict" '^Authentication: none' e1.txt
grep_not "and no line the sender wrote in their name" '^Authentication: dkim' e1.txt

# ---- the address stays out of every public output -----------------------
check "no commenter's address in the pages, JSON or feeds" test \
	"$(grep -rlE 'alice@|alice%40' var/site | wc -l)" = 0
t_done
