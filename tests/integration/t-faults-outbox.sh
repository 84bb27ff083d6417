#!/bin/bash
# t-faults-outbox.sh: the Maildir outbox delivers in batches, made durable
# together (an fsync each for up to 16 files, else one syncfs; each
# renamed into new/, new/ synced once), then marked sent in one
# transaction.  With fsync, syncfs, rename or the
# directory's fsync failing (an LD_PRELOAD library, tests/faults/
# faultfs.c), nothing that is not on disk is marked sent: it stays
# queued, with its placeholders, and the next run delivers it exactly
# once.  A file found delivered by a run that died before its commit is
# left as it is, never written a second time.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

FAULTFS="$T_ROOT/${MC_BUILD:-build}/tests/faultfs.so"
# Under ASan the sanitizer's runtime must come first; faultfs only wraps
# three calls, which the sanitizer does not intercept.
export ASAN_OPTIONS="${ASAN_OPTIONS}:verify_asan_link_order=0"
site 'moderation = { moderators = ["moderator@example.org"]; flood_threshold = 0; };'
faulty() { LD_PRELOAD="$FAULTFS" MC_FAULT="$1" "$MC" outbox flush >out 2>err; }
later=$(($(date +%s) + 100000))

# queue N: N comments, their notifications queued and not sent (the
# outbox lock held during the import).
queue() {
	local i
	for i in $(seq 1 "$1"); do
		comment "Reader $i <reader$i@example.net>" \
			"comments+2024/panne-mondiale@example.org" "Comment $i."
	done
	flock "$DB.outbox-lock" "$MC" import "$INBOX" >import.log 2>&1
}
status_of() { sql "SELECT status FROM outbox WHERE id = $1"; }
# placeholder_kept ID: the row still holds its tokens' nonces, and where
# they go in its text
placeholder_kept() {
	test "$(sql "SELECT count(*) FROM outbox_tokens WHERE outbox_id = $1 AND at != ''")" -gt 0
}

check "faultfs is built" test -f "$FAULTFS"
queue 5
check "five notifications queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 5

# ---- a small batch: an fsync per file, no syncfs (it would wait for
# what other processes left dirty); they fail: nothing is durable ----
MC_FAULT_TRACE="$PWD/trace" faulty "fsync:outbox/tmp"
check "nothing is sent" test "$(cat out)" = "0 sent, 5 waiting for a retry, 0 given up"
grep_ok "saying why" 'outbox 3 to moderator@example.org: .*outbox/tmp/outbox-3.eml: Input/output error \(will retry\)' err
check "an fsync for each of the five files" test "$(grep -c '^fsync .*/outbox/tmp/outbox-[0-9]*\.eml$' trace)" = 5
check "and no syncfs" test "$(grep -c '^syncfs ' trace)" = 0
check "all five stay queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 5
check "with their placeholders" placeholder_kept 3
check "and no file, not even in tmp/" test "$(ls "$OUTBOX/new" "$OUTBOX/tmp" | grep -c eml)" = 0
MAILCOMMENTS_NOW=$later expect_rc 0 "the next flush delivers them" mc outbox flush
check "once each" test "$(ls "$OUTBOX/new" | wc -l)" = 5

# ---- one rename fails ----
queue 3
faulty "rename:outbox-7.eml"
check "the flush says something waits" test "$(cat out)" = "2 sent, 1 waiting for a retry, 0 given up"
check "the one whose rename failed is not sent" test "$(status_of 7)" = queued
check "with its placeholders" placeholder_kept 7
check "and not in new/" test ! -e "$OUTBOX/new/outbox-7.eml"
MAILCOMMENTS_NOW=$later expect_rc 0 "the next flush delivers it" mc outbox flush
check "once" test "$(ls "$OUTBOX/new" | wc -l)" = 8

# ---- the directory's fsync fails: the whole batch is not durable ----
queue 3
faulty "fsync:outbox/new"
check "nothing is marked sent" test "$(cat out)" = "0 sent, 3 waiting for a retry, 0 given up"
check "all three stay queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 3
check "with their placeholders" placeholder_kept 9
grep_ok "saying why" 'outbox/new: Input/output error \(will retry\)' err
check "their files are in new/ (renamed, not known durable)" test "$(ls "$OUTBOX/new" | wc -l)" = 11
inodes() { ls -i "$OUTBOX"/new/outbox-9.eml "$OUTBOX"/new/outbox-10.eml "$OUTBOX"/new/outbox-11.eml | awk '{print $1}' | tr '\n' ' '; }
before=$(inodes)
MAILCOMMENTS_NOW=$later expect_rc 0 "the next flush marks them sent" mc outbox flush
check "without a second copy" test "$(ls "$OUTBOX/new" | wc -l)" = 11
check "the files found there are left as they were (same inodes)" test "$(inodes)" = "$before"
check "nothing left in tmp/" test "$(ls "$OUTBOX/tmp" | wc -l)" = 0
check "every sent copy lost its placeholders" test \
	"$(sql "SELECT count(*) FROM outbox_tokens t JOIN outbox o ON o.id = t.outbox_id WHERE o.status = 'sent'")" = 0
check "each file carries its tokens" test "$(grep -l 'comments+m_[a-z2-7]\{32\}@' "$OUTBOX"/new/* | wc -l)" = 11
check "no file carries a zeroed token" test "$(grep -l 'm_00000000000000000000000000000000' "$OUTBOX"/new/* | wc -l)" = 0

# ---- a batch of more than 16 files: one syncfs; it fails: nothing of
# the batch is durable ----
queue 20
rm -f trace
MC_FAULT_TRACE="$PWD/trace" faulty "syncfs:outbox/tmp"
check "nothing of the big batch is sent" test "$(cat out)" = "0 sent, 20 waiting for a retry, 0 given up"
grep_ok "saying why" 'outbox 12 to moderator@example.org: .*outbox/tmp: Input/output error \(will retry\)' err
check "one syncfs, no fsync of its files" test "$(grep -c '^syncfs ' trace) $(grep -c '^fsync .*\.eml$' trace)" = "1 0"
check "all twenty stay queued" test "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 20
check "and no file of them, not even in tmp/" test "$(ls "$OUTBOX/new" | wc -l) $(ls "$OUTBOX/tmp" | wc -l)" = "11 0"
MAILCOMMENTS_NOW=$later expect_rc 0 "the next flush delivers them" mc outbox flush
check "once each" test "$(ls "$OUTBOX/new" | wc -l)" = 31

t_done
