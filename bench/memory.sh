#!/bin/bash
# bench/memory.sh: peak memory (RSS) on hostile mail, under the default
# limits.  tests/hostile-mail.py writes mails built to make a parser use
# memory (millions of header fields, HTML elements or lines, deep
# nesting, base64 and charset growth, a 200 MB mail...), each just under
# limits.message_size.  Prints the peak RSS of:
#   parse     `mailcomments parse --json` of each, against a normal mail
#   maildir   `poll --once` of 100 of them (and of one 200 MB mail) from
#             a Maildir, delivered as a mail server does
#   imap      `poll --once` of the same 100, and of 20 mails just over
#             the size limit, from a private Dovecot (tests/servers.sh)
# The ceilings that tests/integration/t-limits.sh asserts are 64 MiB for
# one mail and 128 MiB for a poll of 100.  Never fails on figures.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$B_ROOT/tests/lib.sh"
T_ROOT=$B_ROOT
MC=${MC_BIN:-$T_ROOT/${MC_BUILD:-build}/mailcomments}
. "$T_ROOT/tests/servers.sh"
GEN="$T_ROOT/tests/hostile-mail.py"
status=0

# peak OUT CMD...: prints "KIB EXIT" for CMD.
peak() { $PY "$GEN" peak "$@"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# A site with the article the hostile mails write to, so that what
# passes the limits is stored as a comment and notified.
mkdir -p var/site/2024/slug
printf '<html><head><title>Slug</title></head><body>\n<!-- mailcomments:begin --><!-- mailcomments:end -->\n</body></html>\n' \
	>var/site/2024/slug/index.html
mkconf() { # FILE EXTRA...: a configuration on Maildirs under $T_DIR
	local f=$1
	shift
	write_conf "$f" site.directory="$T_DIR/var/site" \
		database.path="$T_DIR/$f.db" \
		limits.comments_per_hour=1000000 \
		limits.pending_per_sender=1000000 \
		transport.maildir="$T_DIR/var/outbox" "$@"
}

echo "# one mail: mailcomments parse --json (peak RSS)"
mkdir mails
$PY "$GEN" normal mails/normal.eml
read -r base rc <<<"$(peak out "$MC" parse --json mails/normal.eml)"
printf '%-18s %8s MiB  %5s  %s\n' "normal (baseline)" "$(mib "$base")" \
	"1.0x" "exit $rc"
worst=0
for k in $($PY "$GEN" list); do
	[ "$k" = normal ] || [ "$k" = over ] && continue
	$PY "$GEN" "$k" "mails/$k.eml"
	read -r kb rc <<<"$(peak out "$MC" parse --json "mails/$k.eml")"
	[ "$rc" = 0 ] || status=1
	[ "$kb" -gt "$worst" ] && worst=$kb
	what=$($PY -c 'import json,sys; d=json.load(open("out")); print(d["kind"] + ": " + ", ".join(d["reasons"]))' 2>/dev/null)
	printf '%-18s %8s MiB  %5sx  %s\n' "$k" "$(mib "$kb")" \
		"$(awk -v a="$kb" -v b="$base" 'BEGIN { printf "%.1f", a / b }')" \
		"$what"
	rm -f "mails/$k.eml"
done
echo "worst single mail: $(mib "$worst") MiB (ceiling 64 MiB)"

echo "# poll --once of 100 hostile mails from a Maildir"
mkconf md.conf source.maildir="$T_DIR/inbox"
$PY "$GEN" maildir inbox 100
read -r kb rc <<<"$(peak out "$MC" -c md.conf poll --once)"
[ "$rc" = 0 ] || status=1
echo "maildir, 100 mails: $(mib "$kb") MiB ($(awk -v a="$kb" -v b="$base" 'BEGIN { printf "%.1f", a / b }')x the baseline; ceiling 128 MiB), exit $rc"
rm -rf inbox
$PY "$GEN" maildir inbox 1 0 big
read -r kb rc <<<"$(peak out "$MC" -c md.conf poll --once)"
echo "maildir, one 200 MB mail: $(mib "$kb") MiB, exit $rc"
rm -rf inbox

if start_dovecot; then
	box="$DV_MAIL/comments@example.org"
	deliver() { # COUNT KIND...: into the IMAP INBOX, owned by Dovecot
		$PY "$GEN" maildir "$box" "$@" && chown -R "$DV_UID:$DV_GID" "$box"
	}
	echo "# poll --once over IMAP (private Dovecot, IMAPS on loopback)"
	mkconf imap.conf
	deliver 100
	read -r kb rc <<<"$(peak out "$MC" -c imap.conf poll --once)"
	[ "$rc" = 0 ] || status=1
	echo "imap, 100 mails: $(mib "$kb") MiB, exit $rc"
	deliver 20 10420224 over
	read -r kb rc <<<"$(peak out "$MC" -c imap.conf poll --once)"
	[ "$rc" = 0 ] || status=1
	echo "imap, 20 mails over the size limit: $(mib "$kb") MiB, exit $rc"
else
	echo "# Dovecot does not start: no IMAP figures"
fi
exit $status
