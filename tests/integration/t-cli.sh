#!/bin/bash
# t-cli.sh: the command line: --help, help SUBCOMMAND, --version, unknown
# subcommands, check-config on good and bad files, make install layout,
# and the docs listing every subcommand and setting.
. "$(dirname "$0")/../lib.sh"

expect_rc 0 "--help exits 0" mc --help
for c in poll daemon import parse list show approve reject delete ban \
	unban forget render articles outbox stats check-config; do
	grep_ok "--help lists $c" "^  $c +[a-z]" out
done
expect_rc 0 "--version" mc --version
grep_ok "--version prints the version" '^mailcomments [0-9]+\.[0-9]+' out
# libcurl is opened by the commands that send over the network, when
# they first do (src/curlload.c), and libxml2 by those that read HTML or
# XML (src/xmlload.c), not by every start: the loader's trace lists what
# it initialises.
LD_DEBUG=libs expect_rc 0 "check-config, with the loader's trace" \
	mc check-config -c "$T_ROOT/conf/mailcomments.conf"
grep_ok "the trace lists what was initialised" 'calling init: .*libsqlite3' err
check "libcurl is not opened at start" test "$(grep -c libcurl err)" = 0
check "libxml2 is not opened at start" test "$(grep -c libxml2 err)" = 0
expect_rc 64 "unknown subcommand is EX_USAGE" mc frobnicate
grep_ok "unknown subcommand prints usage" "usage: mailcomments" err
expect_rc 64 "no subcommand is EX_USAGE" mc
expect_rc 0 "help SUBCOMMAND" mc help check-config
grep_ok "help shows the synopsis" "usage: mailcomments check-config" out
expect_rc 64 "help of an unknown subcommand" mc help nope
expect_rc 0 "SUBCOMMAND --help" mc reject --help
grep_ok "reject --help shows usage" "reject N\.\.\. \[--reason" out

expect_rc 0 "check-config on the example" mc check-config -c "$T_ROOT/conf/mailcomments.conf"
cp out example.out
expect_rc 0 "check-config on the embedded defaults" mc check-config
# The example documents every default: both print the same settings.
check "example config equals the embedded defaults" \
	diff <(tail -n +2 example.out) <(tail -n +2 out)
expect_rc 0 "-c before the subcommand" mc -c "$T_ROOT/conf/mailcomments.conf" check-config
MAILCOMMENTS_CONFIG="$T_ROOT/conf/mailcomments.conf" expect_rc 0 \
	"MAILCOMMENTS_CONFIG" mc check-config
grep_ok "MAILCOMMENTS_CONFIG is used" "mailcomments.conf\)" out

printf 'site = {\n  name = "x";\n  langauge = "fr";\n};\n' >typo.conf
expect_rc 78 "typo'd setting is EX_CONFIG" mc check-config -c typo.conf
grep_ok "typo names file:line: setting" '^typo\.conf:3: site\.langauge: unknown setting' err
printf 'limits = {\n  message_size = "big";\n};\n' >type.conf
expect_rc 78 "wrong type is EX_CONFIG" mc check-config -c type.conf
grep_ok "wrong type names file:line" '^type\.conf:2: limits\.message_size: must be an integer' err
printf 'site = { name = "x" \n' >syntax.conf
expect_rc 78 "syntax error is EX_CONFIG" mc check-config -c syntax.conf
grep_ok "syntax error names the line" '^syntax\.conf:2: syntax error' err
expect_rc 78 "missing file is EX_CONFIG" mc check-config -c nope.conf

printf 'hunter2\n' >pw
chmod 644 pw
printf 'imap = { password_file = "%s/pw"; };\n' "$T_DIR" >pw.conf
expect_rc 78 "world-readable password file refused" mc check-config -c pw.conf
grep_ok "the refusal says why" "group or others can access" err
chmod 600 pw
expect_rc 0 "private password file accepted" mc check-config -c pw.conf
grep_not "the password is never printed" "hunter2" out
grep_ok "the password is masked" 'password = "\*+"; \(from .*/pw\)' out

# The man page lists every setting (generated: `make man`) and every
# subcommand.
check "mailcomments.conf(5) is in step with the settings table (make man)" \
	diff <(sh "$T_ROOT/scripts/mkman.sh" "$MC") "$T_ROOT/man/mailcomments.conf.5"

mc check-config --reference | cut -f1 >settings
missing=$(while read -r s; do grep -qF -- "$s" "$T_ROOT/man/mailcomments.conf.5" ||
	printf '%s ' "$s"; done <settings)
check "mailcomments.conf(5) documents every setting${missing:+ (missing: $missing)}" \
	test -z "$missing"
missing=$(for c in $(mc --help | awk '/^Subcommands:/{f=1;next} /^$/{f=0} f{print $1}'); do
	grep -q "^\.B $c\|^\.SS $c\|^\.IP \"\?$c" "$T_ROOT/man/mailcomments.1" ||
		printf '%s ' "$c"; done)
check "mailcomments(1) documents every subcommand${missing:+ (missing: $missing)}" \
	test -z "$missing"
# Every word a person may write to the gateway (the command words of the
# catalogs, every language) is in mailcomments(1), accents or not.
words=$(/usr/bin/python3 "$T_ROOT/scripts/cmdwords-man.py" --words "$T_ROOT/po")
check "the catalogs' command words are found ($(echo $words | wc -w) words)" \
	test "$(echo $words | wc -w)" -gt 400
missing=$(/usr/bin/python3 - "$T_ROOT/man/mailcomments.1" $words <<'PY'
import re, sys, unicodedata
t = open(sys.argv[1], encoding="utf-8").read()
for esc in ("\\fB", "\\fR", "\\fI", "\\fP"):
    t = t.replace(esc, " ")
t = t.replace("\\%", "")
t = re.sub(r"\\\[u([0-9A-F]{4,})\]", lambda m: chr(int(m.group(1), 16)), t)
def ascii(s):
    s = s.replace("\u0142", "l").replace("\u0141", "L")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
words = set(re.findall(r"[a-z]+", ascii(t)))
print(" ".join(w for w in sys.argv[2:] if ascii(w) not in words) or "none")
PY
) || missing="(the check failed to run)"
[ "$missing" = none ] && missing=""
[ -n "$missing" ] || [ -n "$words" ] || missing="(no words)"
check "mailcomments(1) documents every command word${missing:+ (missing: $missing)}" \
	test -z "$missing"
# Its COMMAND WORDS section is the one scripts/cmdwords-man.py prints
# from the catalogs: nothing added or removed by hand.
/usr/bin/python3 "$T_ROOT/scripts/cmdwords-man.py" "$T_ROOT/po" >words.man
sed -n '/^\.SH COMMAND WORDS/,/^\.SH /p' "$T_ROOT/man/mailcomments.1" | sed '$d' >words.page
check "mailcomments(1)'s COMMAND WORDS section is cmdwords-man.py's" \
	cmp -s words.man words.page
# groff reads a page as Latin-1 unless told otherwise: letters beyond
# ASCII are written as escapes (\[u00E9]), or "désabonner" shows garbled.
check "the man pages are ASCII, other letters escaped" \
	test -z "$(LC_ALL=C grep -l '[^[:print:][:space:]]' "$T_ROOT"/man/*.[0-9])"
# The table of mail a person can send is a tbl table: the page must
# render without a warning (a broken table prints one).
groff -t -man -Tutf8 -ww "$T_ROOT/man/mailcomments.1" >man.txt 2>man.err
check "mailcomments(1) renders without a warning" test ! -s man.err -a -s man.txt
grep_ok "with its table of the mail a person can send" '│a moderator' man.txt

# make install lays out bin, man and the example config under PREFIX.
dest="$T_DIR/dest"
if make -s -C "$T_ROOT" install DESTDIR="$dest" PREFIX=/opt/mc \
	BUILD="${MC_BUILD:-build}" >install.log 2>&1; then
	ok "make install DESTDIR"
else
	notok "make install DESTDIR"
	diag <install.log
fi
for f in bin/mailcomments share/man/man1/mailcomments.1 \
	share/man/man5/mailcomments.conf.5 etc/mailcomments.conf \
	share/doc/mailcomments/mailcomments.conf.example; do
	check "installed /opt/mc/$f" test -f "$dest/opt/mc/$f"
done
check "installed binary runs" "$dest/opt/mc/bin/mailcomments" --version >/dev/null

t_done
