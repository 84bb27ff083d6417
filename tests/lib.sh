# tests/lib.sh: sourced by every integration test (bash).  Each test runs
# in its own temp directory with a clean environment, prints TAP lines, and
# cleans up what it started with the EXIT trap.  MC_KEEP=1 keeps the
# directory for a post-mortem.
set -u
T_NAME=$(basename "$0" .sh)
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T_DIR=$(mktemp -d "/tmp/mc-$T_NAME.XXXXXX")
# The test binary: the program with a clock MAILCOMMENTS_NOW can set.
MC=${MC_BIN:-$T_ROOT/${MC_BUILD:-build}/tests/mailcomments-test}
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$T_DIR/home"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
unset MAILCOMMENTS_CONFIG MAILCOMMENTS_NOW
mkdir -p "$HOME"
cd "$T_DIR" || exit 1

t_n=0
t_failed=0
t_cleanups=()

ok() { t_n=$((t_n + 1)); echo "ok $t_n - $*"; }
notok() {
	t_n=$((t_n + 1))
	t_failed=$((t_failed + 1))
	echo "not ok $t_n - $*"
}
diag() { sed 's/^/# /'; }

# check DESC CMD...: ok when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}

# expect_rc RC DESC CMD...: runs CMD (stdout to ./out, stderr to ./err)
# and checks its exit status.
expect_rc() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" >out 2>err
	rc=$?
	if [ "$rc" = "$want" ]; then
		ok "$desc"
	else
		notok "$desc (exit $rc, want $want)"
		head -20 err | diag
	fi
}

# grep_ok DESC PATTERN FILE: ok when FILE matches the extended regex.
grep_ok() {
	if grep -qE -- "$2" "$3"; then
		ok "$1"
	else
		notok "$1 (no /$2/ in $3)"
		head -20 "$3" | diag
	fi
}

grep_not() {
	if grep -qE -- "$2" "$3"; then
		notok "$1 (/$2/ found in $3)"
		grep -E -- "$2" "$3" | head -5 | diag
	else
		ok "$1"
	fi
}

# at_exit CMD: runs CMD (a string) when the test ends, last added first.
at_exit() { t_cleanups=("$1" "${t_cleanups[@]}"); }

t_finish() {
	local c
	for c in "${t_cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done
	cd /
	if [ "${MC_KEEP:-0}" = 1 ]; then
		echo "# kept $T_DIR"
	else
		rm -rf "$T_DIR"
	fi
}
trap t_finish EXIT

# mc ARGS...: the binary under test.
mc() { "$MC" "$@"; }

# A free TCP port on 127.0.0.1.
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s, bounded.
wait_for() {
	local limit=$(($1 * 10)) i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.1
	done
	return 0
}

# Every database the test left: the per-sender counters the triggers
# keep (store.c, sender_counts) equal a COUNT(*) of the comments, after
# whatever the test did to them (moderation, edits, forget, retention...).
t_counters_check() {
	local db n q
	q="WITH c AS (SELECT author_key, sum(status = 'unconfirmed'),
	  sum(status = 'pending'), sum(status = 'approved'),
	  sum(status IN ('rejected', 'spam')), sum(status = 'deleted')
	  FROM comments WHERE by_moderator = 0 AND author_key IS NOT NULL
	  GROUP BY author_key),
	  s AS (SELECT author_key, unconfirmed, pending, approved, refused,
	  deleted FROM sender_counts)
	  SELECT (SELECT count(*) FROM (SELECT * FROM c EXCEPT SELECT * FROM s))
	  + (SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM c));"
	while IFS= read -r db; do
		n=$(sqlite3 -readonly -cmd ".timeout 5000" "$db" "$q" 2>/dev/null) ||
			continue
		case $n in
		0) ok "sender counters match the comments (${db#"$T_DIR"/})" ;;
		[0-9]*) notok "sender counters differ from the comments in $n rows (${db#"$T_DIR"/})" ;;
		esac
	done < <(find "$T_DIR" -maxdepth 4 -name '*.db' -type f 2>/dev/null | sort)
}

t_done() {
	t_counters_check
	echo "1..$t_n"
	[ "$t_failed" = 0 ]
}
