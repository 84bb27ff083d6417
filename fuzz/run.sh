#!/bin/sh
# fuzz/run.sh FUZZER SECONDS: runs the parser fuzz target for SECONDS,
# seeded from every message of maildir-fixtures/ (*/cur and */new, at any
# depth) and fuzz/seeds/, in a scratch corpus directory so the tree is
# never written to.  Exits non-zero when the fuzzer finds a crash, a leak
# or a slow input; the input is kept in build-fuzz/.
set -u
fuzzer=$1
seconds=${2:-60}
cd "$(dirname "$0")/.."
corpus=$(mktemp -d /tmp/mc-fuzz-corpus.XXXXXX)
trap 'rm -rf "$corpus"' EXIT INT TERM
n=0
if [ -d maildir-fixtures ]; then
	find maildir-fixtures -type f \( -path '*/cur/*' -o -path '*/new/*' \) |
	while IFS= read -r f; do
		n=$((n + 1))
		cp "$f" "$corpus/fixture-$n-$(basename "$f" | tr -c 'A-Za-z0-9._-\n' _)"
	done
fi
cp fuzz/seeds/* "$corpus/" 2>/dev/null
echo "fuzz: $(ls "$corpus" | wc -l) seeds, $seconds s" >&2
mkdir -p build-fuzz/artifacts
"$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=65536 \
	-rss_limit_mb=2048 -dict=fuzz/mail.dict \
	-artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
	"$corpus"
