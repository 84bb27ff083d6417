#!/bin/bash
# t-catalog.sh: the translation catalogs of po/ as gettext's own tools see
# them.  Every po/LANG.po passes `msgfmt --check` (syntax, header, plural
# forms, printf directives matching the msgid's); po/mailcomments.pot is
# what `make pot` makes from the sources today (a string marked in the
# code and missing from the template fails here); and every catalog
# translates every string of the template, with none left over.
. "$(dirname "$0")/../lib.sh"

PO=$T_ROOT/po
POT=$PO/mailcomments.pot

n=0
for f in "$PO"/*.po; do
	n=$((n + 1))
	lang=$(basename "$f" .po)
	if msgfmt --check --check-accelerators -o /dev/null "$f" 2>msgfmt.err
	then
		ok "msgfmt --check $lang.po"
	else
		notok "msgfmt --check $lang.po"
		diag <msgfmt.err
	fi
	# msgcmp counts untranslated and fuzzy entries as missing
	if msgcmp "$f" "$POT" 2>msgcmp.err; then
		ok "$lang.po translates every string of the template"
	else
		notok "$lang.po translates every string of the template"
		head -20 msgcmp.err | diag
	fi
	rm -f merged.po obsolete.po
	msgmerge --quiet "$f" "$POT" -o merged.po 2>/dev/null
	msgattrib --only-obsolete merged.po -o obsolete.po 2>/dev/null
	if [ -s obsolete.po ] && grep -q '^#~ msgid' obsolete.po; then
		notok "$lang.po has no string the sources no longer use"
		grep '^#~ msgid' obsolete.po | head -10 | diag
	else
		ok "$lang.po has no string the sources no longer use"
	fi
done
check "seven catalogs besides English (found $n)" test "$n" -ge 7

# The template is current: `make pot` now gives the same file.
if make -s -C "$T_ROOT" pot POT="$T_DIR/now.pot" >make.out 2>&1 &&
	cmp -s "$POT" now.pot; then
	ok "po/mailcomments.pot is current (make pot)"
else
	notok "po/mailcomments.pot is current: run make pot (or make po)"
	diff "$POT" now.pot 2>&1 | head -30 | diag
	diag <make.out
fi

# And that check can fail: a string marked in a copy of the sources is
# in the template made from them, which then differs from the shipped one.
mkdir tree
cp -r "$T_ROOT/src" "$T_ROOT/Makefile" "$T_ROOT/po" tree/
cat >>tree/src/catalog.c <<'EOF'
static const char *const fresh[] __attribute__((unused)) = {
	NC_("test", "A string not in the template"),
};
EOF
make -s -C tree pot POT="$T_DIR/fresh.pot" >make.out 2>&1
grep_ok "a new marked string reaches the template" \
	'^msgid "A string not in the template"' fresh.pot
check "and the shipped template then differs" \
	sh -c "! cmp -s '$POT' fresh.pot"
msgmerge --quiet tree/po/de.po fresh.pot -o de-fresh.po 2>/dev/null
check "and msgcmp then finds de.po incomplete" \
	sh -c "! msgcmp de-fresh.po fresh.pot 2>/dev/null"

t_done
