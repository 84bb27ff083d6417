#!/bin/sh
# bench/run.sh: runs every benchmark, bench/*.sh, one after the other.
# Benchmarks print what they measured and ratios against a baseline; they
# never fail on timings (machines differ), only when something breaks.
cd "$(dirname "$0")/.." || exit 1
MC_BUILD=${MC_BUILD:-build}
export MC_BUILD
status=0
for b in bench/*.sh; do
	case $b in bench/run.sh | bench/lib.sh) continue ;; esac
	# On ext4 without a journal (this kind of virtual machine), inodes
	# freed less than 30 s before are passed over when new ones are
	# allocated: the files the last benchmark (or the tests) deleted
	# would make every file this one creates slow to create.
	sleep "${BENCH_SETTLE:-35}"
	echo "== $b"
	sh "$b" || { echo "$b failed"; status=1; }
done
exit $status
