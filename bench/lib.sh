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

# local_conf FILE SITE DB BOX OUTBOX: a configuration (tests/servers.sh's
# write_conf) that polls the Maildir BOX into the database DB, leaving
# the mail in place, with no limit nor flood rule in the way, and
# delivers the notifications into the Maildir OUTBOX; BENCH_BATCH sets
# source.batch_size.
local_conf() {
	write_conf "$1" site.directory="$2" database.path="$3" \
		source.type=maildir source.maildir="$4" source.processed=- \
		source.set_aside=- source.junk=- \
		limits.comments_per_hour=1000000 \
		limits.pending_per_sender=1000000 \
		limits.site_comments_per_hour=0 limits.site_pending=0 \
		moderation.flood_threshold=0 transport.maildir="$5" \
		${BENCH_BATCH:+source.batch_size=$BENCH_BATCH}
}
