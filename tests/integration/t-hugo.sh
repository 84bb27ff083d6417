#!/bin/bash
# t-hugo.sh: a real Hugo site (Debian's hugo) with contrib/hugo's partials
# and shortcode.  After moderation decisions made by mail through the
# gateway, mailcomments writes data/comments/KEY.json into the site
# (render.generator = "hugo"); hugo builds it, and the built page shows
# the approved comments, not the rejected one, no script from a hostile
# one, the same section as ours (compared as a DOM), in the article's
# language; the index page shows the count; Chromium's DOM agrees.
# Refusals: a generator without its directory, a data directory that is
# a symbolic link out of the site.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
. "$T_ROOT/tests/generator-lib.sh"

if ! command -v hugo >/dev/null; then
	notok "hugo is installed (scripts/deps.sh installs it)"
	t_done
	exit 1
fi

H="$T_DIR/hsite"
mkdir -p "$H/content/2024" "$H/content/notes" "$H/layouts/_default"
cp -r "$T_ROOT/contrib/hugo/layouts/." "$H/layouts/"
cat >"$H/config.toml" <<'TOML'
baseURL = 'https://blog.example.org/'
languageCode = 'fr'
title = 'Le Blog'
disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', '404']
TOML
cat >"$H/content/2024/panne-mondiale.md" <<'MD'
---
title: "La panne mondiale"
mailcomments: "2024/panne-mondiale"
---
Le 19 juillet, une mise à jour a arrêté des millions de machines.
MD
# the shortcode, in a page's content; the slug from its URL
cat >"$H/content/notes/hello.md" <<'MD'
---
title: "Hello"
url: "/notes/hello/"
---
Hello.

{{< mailcomments >}}
MD
cat >"$H/layouts/_default/single.html" <<'HTML'
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main>
{{ if .Params.mailcomments }}{{ partial "mailcomments/section.html" . }}{{ end }}
</body></html>
HTML
cat >"$H/layouts/index.html" <<'HTML'
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ site.Title }}</title></head>
<body><ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ partial "mailcomments/count.html" . }}</li>{{ end }}</ul></body></html>
HTML

PAGE_LANG=fr site "render = { generator = \"hugo\"; generator_directory = \"$H\"; time_zone = \"Europe/Paris\"; };"

gen_moderate
DATA="$H/data/comments/2024_panne-mondiale.json"
gen_data "$DATA"
check "the other article's data file, its slug's '/' written '_'" \
	test -s "$H/data/comments/notes_hello.json"

build() { (cd "$H" && timeout 60 hugo --quiet --destination public) >hugo.log 2>&1; }
if build; then ok "hugo builds the site"; else notok "hugo builds the site"; diag <hugo.log; fi
PAGE="$H/public/2024/panne-mondiale/index.html"
gen_page "$PAGE" var/site/comments/2024/panne-mondiale.html
grep_ok "the index page has the count from the partial" \
	'<a class="mc-count" href="https://blog.example.org/2024/panne-mondiale/#comments">2 commentaires</a>' \
	"$H/public/index.html"
grep_ok "the shortcode renders a section, in the site's language" \
	'<section class="mailcomments" id="comments" lang="en"' "$H/public/notes/hello/index.html"
gen_chrome "$PAGE"

# A new decision changes the data, and a build shows it.
comment "Dan <dan@example.net>" "$ART" "Dan-approuvé ensuite."
poll
reply_to "$(notification_for 4)" "$MOD" "ok"
poll
build
grep_ok "after another approval the rebuilt page shows it" 'Dan-approuvé ensuite' "$PAGE"
grep_ok "and the heading counts three" '>3 commentaires</h2>' "$PAGE"

# Closing the article: the comments stay, the ways to write go, as in
# our own section.
expect_rc 0 "articles close" mc articles close 2024/panne-mondiale
mc render >/dev/null 2>&1
build
grep_ok "a closed article's page says so" '<p class="mc-closed">Les commentaires sont fermés.</p>' "$PAGE"
grep_not "and offers no way to write" 'class="mc-leave"|class="mc-reply"' "$PAGE"
if $PYTHON "$T_ROOT/tests/section-dom.py" var/site/comments/2024/panne-mondiale.html "$PAGE" >dom.diff 2>&1; then
	ok "closed, the theme's section is still our own"
else
	notok "closed, the theme's section is still our own"
	diag <dom.diff
fi
expect_rc 0 "articles open" mc articles open 2024/panne-mondiale
mc render >/dev/null 2>&1

# Rendering again changes nothing: the data file is left alone.
touch -d '2000-01-01 00:00:00' "$DATA"
m=$(stat -c %Y "$DATA")
expect_rc 0 "render --all again" mc render --all
check "an unchanged data file is not rewritten" test "$(stat -c %Y "$DATA")" = "$m"

# Refusals.
# An article row with a hostile slug (written into the database by
# hand): no data file anywhere, inside the site or out of it.
sql "INSERT INTO articles (slug, title, created_at, dirty) VALUES ('../../evil', 'x', 1, 1)"
mc render --all >hostile.out 2>&1
check "a hostile slug writes no data file" test -z "$(find "$T_DIR" -name '*evil*' -not -path "$T_DIR/hostile.out")"
sql "DELETE FROM articles WHERE slug = '../../evil'"
sed 's/generator_directory = "[^"]*";//' mc.conf >nodir.conf
expect_rc 78 "check-config refuses a generator without its directory" mc -c nodir.conf check-config
grep_ok "and says which setting" 'render.generator_directory' err
mkdir -p outside
mv "$H/data/comments" "$H/data/comments.real"
ln -s "$T_DIR/outside" "$H/data/comments"
sql "UPDATE articles SET dirty = 1"
mc render --all >render.out 2>&1
grep_ok "a data directory that is a symbolic link is refused, and said" 'symbolic link' render.out
check "nothing is written where the link points" test -z "$(ls outside)"

t_done
