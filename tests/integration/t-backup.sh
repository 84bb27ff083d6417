#!/bin/bash
# t-backup.sh: `mailcomments backup FILE`, SQLite's online backup of the
# live database.  The copy is consistent while another connection holds
# a write transaction open (what the daemon does between a message and
# its commit), private (0600 under any umask: it holds readers' addresses
# and token hashes), replaces FILE atomically without following a link
# there, leaves nothing behind when it fails, and restores: a gateway
# pointed at the copy (and the key file) lists the same comments.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"

export MAILCOMMENTS_NOW=1722124800
ART=comments+2024/panne-mondiale@example.org
site
for i in 1 2 3; do comment "Reader $i <r$i@example.net>" "$ART" "Comment $i."; done
poll
mc approve 1 >/dev/null

(umask 000; mc backup "$T_DIR/copy.db" >out 2>err)
check "backup exits 0" test $? = 0
grep_ok "it says what it copied" '^/.*/copy\.db: 3 comments, [0-9]+ bytes' out
grep_ok "and that the key file is apart" 'key file .*mailcomments\.db\.key is not in the copy' out
check "the copy is private under umask 000" test "$(stat -c %a copy.db)" = 600
check "the copy is a sound database" test "$(sqlite3 copy.db 'PRAGMA integrity_check')" = ok
check "with the decision in it" \
	test "$(sqlite3 copy.db 'SELECT status FROM comments WHERE id = 1')" = approved
check "no temporary file left" test -z "$(ls -a | grep -F 'mc-backup-')"

# A writer holds a transaction open (uncommitted change to comment 2)
# while the backup runs: the copy has the last committed state, and the
# backup neither waits for the writer nor breaks it.
/usr/bin/python3 - "$DB" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE comments SET status = 'rejected' WHERE id = 2")
open("writer.holds", "w").close()
time.sleep(3)
db.execute("COMMIT")
PY
writer=$!
for _ in $(seq 1 100); do [ -e writer.holds ] && break; sleep 0.05; done
check "the writer holds its transaction" test -e writer.holds
expect_rc 0 "backup while a write transaction is open" mc backup "$T_DIR/during.db"
check "the copy has the committed state, not the open transaction" \
	test "$(sqlite3 during.db 'SELECT status FROM comments WHERE id = 2')" = pending
check "the backup did not wait for the writer" test -n "$(jobs -r)"
wait "$writer"
check "the writer committed after the backup" test "$(status_of 2)" = rejected

# FILE is a link to a file elsewhere: the link is replaced, its target
# never written; a second backup replaces the first atomically.
echo "precious" >precious.txt
ln -s "$T_DIR/precious.txt" link.db
expect_rc 0 "backup over a symbolic link" mc backup "$T_DIR/link.db"
check "the link's target is untouched" test "$(cat precious.txt)" = precious
check "the link became the copy" test -f link.db -a ! -L link.db
expect_rc 0 "backup over an earlier copy" mc backup "$T_DIR/copy.db"
check "the replaced copy is sound" test "$(sqlite3 copy.db 'SELECT count(*) FROM comments')" = 3

# Failures: a clear error, nothing left, the old copy kept.
expect_rc 73 "a directory that does not exist" mc backup "$T_DIR/nowhere/x.db"
grep_ok "is named in the error" 'backup to .*/nowhere/x\.db: No such file' err
mkdir adir
expect_rc 73 "FILE is a directory" mc backup "$T_DIR/adir"
check "nothing left beside it" test -z "$(ls -a | grep -F 'mc-backup-')"
check "the directory is still one" test -d adir
expect_rc 64 "no FILE is a usage error" mc backup

# Restore: the copy and the key file, and the gateway sees the same.
mkdir restored
cp copy.db restored/mailcomments.db
cp "$DB.key" restored/mailcomments.db.key
mc list >before.txt
sed -i "s|^site = |database = { path = \"$T_DIR/restored/mailcomments.db\"; };\nsite = |" mc.conf
mc list >after.txt
check "the restored database lists the same comments" cmp -s before.txt after.txt
check "and it is the restored one" grep -q restored mc.conf

t_done
