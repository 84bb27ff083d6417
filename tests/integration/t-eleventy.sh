#!/bin/bash
# t-eleventy.sh: a real Eleventy site (npm @11ty/eleventy, installed by
# scripts/deps.sh under MC_NODE_PREFIX) with contrib/eleventy's
# shortcodes.  After moderation decisions made by mail, mailcomments
# writes _data/comments/KEY.json into the site's input directory
# (render.generator = "jekyll": Eleventy reads the same _data/ layout);
# Eleventy builds it, and the built post shows the approved comments, not
# the rejected one, no element from the hostile one (Nunjucks does not
# escape a shortcode's output: the shortcode does), our own section as a
# browser reads it, in French; the index page shows the count; Chromium's
# DOM agrees; a deleted comment is gone from the next build.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/moderation-lib.sh"
. "$T_ROOT/tests/generator-lib.sh"

ELEVENTY=${MC_NODE_PREFIX:-/opt/mailcomments-node}/node_modules/.bin/eleventy
if [ ! -x "$ELEVENTY" ] || ! command -v node >/dev/null; then
	notok "eleventy is installed (scripts/deps.sh installs it under ${MC_NODE_PREFIX:-/opt/mailcomments-node})"
	t_done
	exit 1
fi

E="$T_DIR/esite"
mkdir -p "$E/src/_includes" "$E/src/posts"
cp "$T_ROOT/contrib/eleventy/mailcomments.js" "$E/"
cat >"$E/eleventy.config.js" <<'JS'
const mailcomments = require("./mailcomments.js");
module.exports = (config) => {
  mailcomments(config);
  return { dir: { input: "src", output: "_site" } };
};
JS
cat >"$E/src/_includes/post.njk" <<'NJK'
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>{{ content | safe }}</main>
{% mailcomments comments[mailcomments] %}
</body></html>
NJK
cat >"$E/src/posts/panne-mondiale.njk" <<'NJK'
---
layout: post.njk
title: "La panne mondiale"
permalink: /2024/panne-mondiale/
mailcomments: "2024_panne-mondiale"
tags: post
---
<p>Le 19 juillet, une mise à jour a arrêté des millions de machines.</p>
NJK
cat >"$E/src/index.njk" <<'NJK'
---
permalink: /index.html
---
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Blog</title></head>
<body><ul>{% for post in collections.post %}<li><a href="{{ post.url }}">{{ post.data.title }}</a>
{% mailcommentsCount comments[post.data.mailcomments] %}</li>{% endfor %}</ul></body></html>
NJK

PAGE_LANG=fr site "render = { generator = \"jekyll\"; generator_directory = \"$E/src\"; time_zone = \"Europe/Paris\"; };"

gen_moderate
gen_data "$E/src/_data/comments/2024_panne-mondiale.json"

build() {
	(cd "$E" && timeout 120 "$ELEVENTY" --quiet) >eleventy.log 2>&1
}
if build; then ok "eleventy builds the site"; else notok "eleventy builds the site"; diag <eleventy.log; fi
PAGE="$E/_site/2024/panne-mondiale/index.html"
gen_built shortcode "$E/_site/index.html"

# Deleting a published comment removes it from the next build.
gen_delete build

t_done
