#!/bin/sh
# mkman.sh BINARY: prints man/mailcomments.conf.5, its SETTINGS section
# generated from the settings table (check-config --reference), so the man
# page cannot drift from the code.  `make man` writes it.
set -eu
bin=$1
root=$(dirname "$0")/..
tmp=$(mktemp "${TMPDIR:-/tmp}/mc-settings.XXXXXX")
trap 'rm -f "$tmp"' EXIT
"$bin" check-config --reference | awk -F'\t' '
{
	split($1, g, ".")
	if (g[1] != last) { printf ".SS %s\n", g[1]; last = g[1] }
	printf ".TP\n.B %s\n(%s; default \\fB%s\\fR)\n%s.\n", $1, $2, $3,
		toupper(substr($4, 1, 1)) substr($4, 2)
}' >"$tmp"
awk -v f="$tmp" '
/^@SETTINGS@$/ { while ((getline l < f) > 0) print l; next }
{ print }' "$root/man/mailcomments.conf.5.in"
