#!/bin/sh
# bench/render.sh: how long rendering takes, as ratios against a baseline
# measured in the same run on the same machine (reported, never asserted):
#   - one article with 5,000 comments (`render SLUG`),
#   - 1,000 articles with 20 comments each (`render --all`),
#   - the same again when nothing changed (every output rendered and
#     compared with the file, none written; the baseline reads the files),
#   - `render --all` cold: the first render after an upgrade, with no
#     stored rendering (every body rendered and stored),
#   - one approval on the article with 5,000 comments, end to end
#     (`approve N`: the decision, its commit, the render, the mail).
# Each body's HTML is stored when first rendered (render.c), so a warm
# render reads it; the figures before that change come from MC_BEFORE, a
# binary of an earlier version (e.g. `git worktree add` the previous
# commit, `make build/tests/mailcomments-test` there), when it is set:
# the same measures then run with both binaries, interleaved, and the
# ratio after/before is reported.
# The baseline does the I/O a renderer cannot avoid: it reads the same
# rows with the same query, every column the renderer reads (the stored
# HTML included), and writes as many files of the same sizes the way the
# renderer does, durably and in its cheapest way: fsroot's batches (temp
# files, an fsync each for a few or one syncfs for many, renames, one
# fsync per directory), so that the ratio does not reward a renderer for
# syncing less than it must.  It is a C program linked with the library
# (bench/render_baseline.c: no interpreter to start), a process per
# measure like the renderer.  A ratio near 1 means rendering costs little
# beyond reading and writing.  Run by `make bench`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
# The test binary: MAILCOMMENTS_NOW fixes the dates (make bench builds it).
MC=${MC_BIN:-$root/${MC_BUILD:-build}/tests/mailcomments-test}
BASE=$root/${MC_BUILD:-build}/bench/render_baseline
dir=$(mktemp -d /tmp/mc-bench-render.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export TZ=UTC LANG=C.UTF-8 MAILCOMMENTS_NOW=1722124800
unset MAILCOMMENTS_CONFIG

# setup NAME ARTICLES COMMENTS_EACH: a site and database NAME with that
# many articles (slugs aN) and approved comments.  Bodies are CommonMark
# with emphasis, a link, a bare URL, a quote and an address; one comment
# in three answers the one before.
setup() {
	cat >"$1.conf" <<CONF
site = { directory = "$dir/$1"; url = "https://blog.example.org/"; language = "fr"; };
database = { path = "$dir/$1.db"; };
CONF
	"$MC" -c "$1.conf" render --all >/dev/null
	sqlite3 "$1.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO articles (id, slug, title, created_at, dirty)
  SELECT i, 'a' || i, 'Article numéro ' || i, 1722124800, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 * $3 - 1)
INSERT INTO comments (id, article_id, parent_id, author_name, author_address,
  body, status, created_at, updated_at)
  SELECT i + 1, 1 + i / $3,
    CASE WHEN i % 3 = 2 THEN i END,
    'Lectrice n° ' || i, 'l' || i || '@example.net',
    'Merci pour cet *article* n° ' || i || ' ! Voir [la source](https://example.org/s/' || i ||
    ') et https://fr.wikipedia.org/wiki/Vélo_(' || i || ').' || char(10) || char(10) ||
    '> Une citation, et une adresse : l' || i || '@example.net.' || char(10) || char(10) ||
    'Deuxième paragraphe, un peu plus long, pour que le texte ressemble à un vrai commentaire.',
    'approved', 1722124800 + i * 60, 1722124800 + i * 60
  FROM n;
SQL
}

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }

# best RUNS CMD...: the shortest wall time of RUNS runs, in seconds.
best() {
	runs=$1
	shift
	b=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(now)
		"$@" >/dev/null
		t1=$(now)
		t=$(calc "$t1 - $t0")
		if [ -z "$b" ] || [ "$(calc "$t < $b")" = 1.000 ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}


fresh() { rm -rf "$1/comments"; "$MC" -c "$1.conf" render $2; }
# base DB write SIZE... / base DB read FILE...: the baseline; its files
# go to a fresh directory, as fresh() removes the outputs before a render.
base() {
	db=$1
	shift
	if [ "$1" = write ]; then
		shift
		rm -rf base
		"$BASE" "$db" write base "$@"
	else
		"$BASE" "$db" "$@"
	fi
}
cold() { # the stored renderings gone, as after an upgrade
	sqlite3 "$1.db" "UPDATE comments SET html_key = NULL" 2>/dev/null || :
	fresh "$@"
}
sizes() { find "$1/comments" -type f -printf '%s\n'; }
report() { # LABEL RENDER BASELINE
	printf '%-52s %8.3f s   baseline %8.3f s   ratio %6s\n' "$1" "$2" "$3" \
		"$(calc "$2 / $3")"
}

# approve NAME: approves the next of the pending comments of
# setup_pending (numbered from 1000001: counted here, so that no sqlite3
# is started inside the measure).
approve() {
	pending=$((pending + 1))
	"$MC" -c "$1.conf" approve "$pending"
}
# setup_pending NAME N: N comments waiting in article a1.
setup_pending() {
	sqlite3 "$1.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO comments (id, article_id, author_name, author_address, body,
  status, created_at, updated_at)
  SELECT 1000000 + i, 1, 'Nouvelle ' || i, 'n' || i || '@example.net',
    'Un *nouveau* commentaire, voir https://example.org/n/' || i || '.',
    'pending', 1722124800 + 400000 + i, 1722124800 + 400000 + i FROM n;
SQL
}

# measure TAG: every measure with the binary $MC; results in $dir/TAG.*
measure() {
	tag=$1
	echo "bench/render.sh: building the databases ($tag)..." >&2
	rm -rf big big.* many many.*
	setup big 1 5000
	setup many 1000 20
	setup_pending big 4

	t=$(best 3 fresh big a1)
	set -- $(sizes big)
	b=$(best 3 base big.db write "$@")
	rm -rf base
	echo "$t $b" >"$tag.slug"

	# the first approval after the render above, then the best of 3 more
	pending=1000000
	approve big >/dev/null
	t=$(best 3 approve big)
	set -- $(find big/comments -type f ! -name mailcomments.css -printf '%s\n')
	b=$(best 3 base big.db write "$@")
	rm -rf base
	echo "$t $b" >"$tag.approve"

	t=$(best 2 cold many --all)
	set -- $(sizes many)
	b=$(best 2 base many.db write "$@")
	echo "$t $b" >"$tag.cold"

	t=$(best 2 fresh many --all)
	b=$(best 2 base many.db write "$@")
	rm -rf base
	echo "$t $b" >"$tag.all"

	t=$(best 2 "$MC" -c many.conf render --all)
	b=$(best 2 base many.db read $(find many/comments -type f))
	echo "$t $b $(find many/comments -type f | wc -l)" >"$tag.same"
}

# min FIELD FILE...: the smallest value of that field in those files.
min() {
	f=$1
	shift
	cut -d' ' -f"$f" "$@" | sort -g | head -n 1
}
line() { # LABEL TAG MEASURE
	report "$1" "$(min 1 "$2"*."$3")" "$(min 2 "$2"*."$3")"
}

steal0=$(cpu_steal)
after=$MC
rounds=1
[ -n "${MC_BEFORE:-}" ] && rounds=2
r=0
while [ "$r" -lt "$rounds" ]; do
	MC=$after measure "after$r"
	[ -n "${MC_BEFORE:-}" ] && MC=$MC_BEFORE measure "before$r"
	r=$((r + 1))
done

n=$(min 3 after*.same)
line "render SLUG: one article, 5,000 comments" after slug
line "approve N on that article, end to end" after approve
line "render --all: 1,000 articles x 20, cold" after cold
line "render --all: 1,000 articles x 20 comments" after all
line "render --all again, nothing changed ($n files)" after same
if [ -n "${MC_BEFORE:-}" ]; then
	echo "before (MC_BEFORE), measured in the same run, interleaved:"
	line "render SLUG: one article, 5,000 comments" before slug
	line "approve N on that article, end to end" before approve
	line "render --all: 1,000 articles x 20 comments" before all
	line "render --all again, nothing changed ($n files)" before same
	for m in slug approve all same; do
		a=$(min 1 after*.$m)
		b=$(min 1 before*.$m)
		printf '%-10s after %8.3f s   before %8.3f s   after/before %6s\n' \
			"$m" "$a" "$b" "$(calc "$a / $b")"
	done
fi
pct=$(steal_percent "$steal0" "$(cpu_steal)")
[ -z "$pct" ] || echo "Steal (CPU time the hypervisor gave to other guests) during the run: $pct%"
exit 0
