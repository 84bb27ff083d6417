#!/bin/bash
# t-jekyll.sh: a real Jekyll site (Debian's jekyll) with contrib/jekyll's
# includes.  After moderation decisions made by mail through the gateway,
# mailcomments writes _data/comments/KEY.json into the site
# (render.generator = "jekyll"); jekyll builds it, and the built post
# shows the approved comments, not the rejected one, no script from a
# hostile one (Liquid escapes nothing by itself: the includes do), the
# same section as ours (compared as a DOM), in the article's language;
# the index page shows the count; Chromium's DOM agrees.  Eleventy reads
# the same data files: t-eleventy builds a real Eleventy site.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
. "$T_ROOT/tests/generator-lib.sh"

if ! command -v jekyll >/dev/null; then
	notok "jekyll is installed (scripts/deps.sh installs it)"
	t_done
	exit 1
fi

J="$T_DIR/jsite"
mkdir -p "$J/_posts" "$J/_layouts"
cp -r "$T_ROOT/contrib/jekyll/_includes" "$J/"
cat >"$J/_config.yml" <<'YML'
title: Le Blog
url: https://blog.example.org
lang: fr
permalink: /:year/:title/
YML
cat >"$J/_layouts/post.html" <<'HTML'
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main><h1>{{ page.title }}</h1>{{ content }}</main>
{% include mailcomments.html %}
</body></html>
HTML
cat >"$J/index.html" <<'HTML'
---
---
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ site.title }}</title></head>
<body><ul>{% for post in site.posts %}<li><a href="{{ post.url }}">{{ post.title }}</a>
{% include mailcomments-count.html slug=post.mailcomments %}</li>{% endfor %}</ul></body></html>
HTML
cat >"$J/_posts/2024-07-19-panne-mondiale.md" <<'MD'
---
layout: post
title: "La panne mondiale"
mailcomments: "2024/panne-mondiale"
---
Le 19 juillet, une mise à jour a arrêté des millions de machines.
MD

PAGE_LANG=fr site "render = { generator = \"jekyll\"; generator_directory = \"$J\"; time_zone = \"Europe/Paris\"; };"

gen_moderate
gen_data "$J/_data/comments/2024_panne-mondiale.json"

build() { (cd "$J" && timeout 60 jekyll build --quiet) >jekyll.log 2>&1; }
if build; then ok "jekyll builds the site"; else notok "jekyll builds the site"; diag <jekyll.log; fi
PAGE="$J/_site/2024/panne-mondiale/index.html"
gen_built include "$J/_site/index.html"

# Deleting a published comment removes it from the next build.
gen_delete build

t_done
