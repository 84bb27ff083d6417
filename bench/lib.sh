# bench/lib.sh: what the benchmarks share, sourced after tests/lib.sh.

# discard PATH...: out of the way, deleted only when the benchmark ends
# (with T_DIR).  On ext4 without a journal, inodes freed less than
# dirty_expire_centisecs (30 s) before are passed over when new ones are
# allocated: deleting 10,000 files just before a measure makes every
# file it creates slow to create (300 us an open(O_CREAT) instead of
# 15), and the figures then follow what was deleted before each measure,
# not what is measured.  A directory of its own for each: callers run in
# subshells too.
discard() {
	local f
	mkdir -p "$T_DIR/trash"
	for f in "$@"; do
		[ -e "$f" ] || continue
		mv "$f" "$(mktemp -d "$T_DIR/trash/XXXXXX")/"
	done
}
