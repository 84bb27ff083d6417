#!/bin/sh
# fuzz/run.sh NAME [SECONDS]: runs the fuzz target build-fuzz/fuzz_NAME
# (built by `make fuzz-build`) for SECONDS (default 60), seeded from
# fuzz/seeds/NAME/ (and, for parse, from every message of
# maildir-fixtures/, */cur and */new at any depth), with the dictionary
# fuzz/NAME.dict when there is one.  The corpus grows in a scratch
# directory, so the tree is never written to; set FUZZ_CORPUS=DIR to keep
# it in DIR/NAME/ instead (and start from it next time).  Exits non-zero
# when the fuzzer finds a crash, a failed check, a leak or a timeout; the
# input is kept as build-fuzz/artifacts/NAME-*.
#
# The older form `fuzz/run.sh build-fuzz/fuzz_parse SECONDS` still works.
set -u
cd "$(dirname "$0")/.."
name=${1:?usage: fuzz/run.sh NAME [SECONDS]}
seconds=${2:-60}
case "$name" in
*/*) fuzzer=$name; name=$(basename "$name"); name=${name#fuzz_} ;;
*) fuzzer=build-fuzz/fuzz_$name ;;
esac
if [ ! -x "$fuzzer" ]; then
	echo "fuzz: $fuzzer not built (make fuzz-build)" >&2
	exit 2
fi

# Largest input per target: a whole mail for parse, a header block or a
# comment for the others (bigger inputs only slow the search down).
case "$name" in
parse) max_len=65536 ;;
htmltext) max_len=32768 ;;
render) max_len=8192 ;;
*) max_len=16384 ;;
esac

# Scratch space on tmpfs when there is one: the render target writes and
# fsyncs its outputs for every input.
base=/tmp
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	base=/dev/shm
fi
scratch=$(mktemp -d "$base/mc-fuzz-$name.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir "$scratch/tmp"
if [ -n "${FUZZ_CORPUS:-}" ]; then
	corpus=$FUZZ_CORPUS/$name
	mkdir -p "$corpus" || exit 2
else
	corpus=$scratch/corpus
	mkdir "$corpus"
fi
if [ "$name" = parse ] && [ -d maildir-fixtures ]; then
	n=0
	find maildir-fixtures -type f \( -path '*/cur/*' -o -path '*/new/*' \) |
	while IFS= read -r f; do
		n=$((n + 1))
		cp "$f" "$corpus/fixture-$n-$(basename "$f" | tr -c 'A-Za-z0-9._\n-' _)"
	done
fi
if [ -d "fuzz/seeds/$name" ]; then
	cp "fuzz/seeds/$name"/* "$corpus/" 2>/dev/null
fi
set --
if [ -f "fuzz/$name.dict" ]; then
	set -- -dict="fuzz/$name.dict"
fi
echo "fuzz $name: $(ls "$corpus" | wc -l) seeds, $seconds s" >&2
mkdir -p build-fuzz/artifacts
TMPDIR=$scratch/tmp "$fuzzer" -max_total_time="$seconds" -timeout=10 \
	-max_len="$max_len" -rss_limit_mb=2048 "$@" \
	-artifact_prefix="build-fuzz/artifacts/$name-" -print_final_stats=1 \
	"$corpus"
