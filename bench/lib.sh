# bench/lib.sh: what the benchmarks share (discard and local_conf want
# tests/lib.sh and tests/servers.sh sourced before it).

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

# cpu_steal: "TOTAL STOLEN", the CPUs' time so far and the part of it a
# virtual machine's host gave to other guests (/proc/stat, in ticks), or
# "0 0" where it cannot be read.  A run where the host took much is slow
# whatever the code, and unevenly so from one measure to the next: the
# benchmarks print it beside their figures.
cpu_steal() {
	{ [ -r /proc/stat ] && awk '/^cpu / { t = 0
		for (i = 2; i <= 9; i++) t += $i
		print t, $9; exit }' /proc/stat; } || echo "0 0"
}

# steal_percent BEFORE AFTER: the share of the CPUs' time stolen between
# two cpu_steal readings, in percent; nothing when no time passed.
steal_percent() {
	# word splitting wanted: each reading is two numbers
	# shellcheck disable=SC2086
	set -- $1 $2
	if [ "$#" = 4 ] && [ "$3" -gt "$1" ]; then
		awk -v t="$(($3 - $1))" -v s="$(($4 - $2))" \
			'BEGIN { printf "%.1f\n", 100 * s / t }'
	fi
}
