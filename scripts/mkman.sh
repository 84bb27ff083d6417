#!/bin/sh
# mkman.sh BINARY: prints man/mailcomments.conf.5, its SETTINGS section
# generated from the settings table (check-config --reference), so the man
# page cannot drift from the code.  `make man` writes it.
set -eu
bin=$1
root=$(dirname "$0")/..
"$bin" check-config --reference | awk -F'\t' '
{
	split($1, g, ".")
	if (g[1] != last) { printf ".SS %s\n", g[1]; last = g[1] }
	printf ".TP\n.B %s\n(%s; default \\fB%s\\fR)\n%s.\n", $1, $2, $3,
		toupper(substr($4, 1, 1)) substr($4, 2)
}' >"${TMPDIR:-/tmp}/mc-settings.$$"
awk -v f="${TMPDIR:-/tmp}/mc-settings.$$" '
/^@SETTINGS@$/ { while ((getline l < f) > 0) print l; next }
{ print }' "$root/man/mailcomments.conf.5.in"
rm -f "${TMPDIR:-/tmp}/mc-settings.$$"
