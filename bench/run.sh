#!/bin/sh
# bench/run.sh: runs every benchmark, bench/*.sh, one after the other.
# Benchmarks print what they measured and ratios against a baseline; they
# never fail on timings (machines differ), only when something breaks.
cd "$(dirname "$0")/.." || exit 1
MC_BUILD=${MC_BUILD:-build}
export MC_BUILD
status=0
for b in bench/*.sh; do
	[ "$b" = bench/run.sh ] && continue
	echo "== $b"
	sh "$b" || { echo "$b failed"; status=1; }
done
exit $status
