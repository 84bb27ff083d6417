#!/bin/bash
# t-languages.sh: each article speaks its own language, on one site.  The
# language comes from the page (the lang attribute nearest to the
# markers: <html>, or the element holding them on a bilingual page),
# else site.language_paths, else site.language; it is stored with the
# article (`articles list` shows it) and the article's section, JSON and
# feed speak it: the words, the declared lang, the mask of addresses.
# A lang attribute that is not a language tag is never written out.
. "$(dirname "$0")/../lib.sh"

export MAILCOMMENTS_NOW=1722124800

# page PATH LANG-ATTRIBUTES BODY-ATTRIBUTES: a page with the markers.
page() {
	mkdir -p "site/$(dirname "$1")"
	cat >"site/$1" <<EOF
<!DOCTYPE html>
<html$2>
<head><meta charset="utf-8"><title>Page $1</title></head>
<body>
<article><h1>$1</h1></article>
<section$3><!-- mailcomments:begin --><!-- mailcomments:end --></section>
</body>
</html>
EOF
}
page 2024/velo/index.html ' lang="fr-ca"' ''
page 2024/bike/index.html ' lang="en"' ''
page 2024/bilingue/index.html ' lang="en"' ' lang="fr"'
page de/2024/rad/index.html '' ''
page 2024/plain/index.html '' ''
page 2024/hostile/index.html ' lang="fr&quot; onload=&quot;alert(1)"' ''
for l in de es it nl pl; do page "2024/lang-$l/index.html" " lang=\"$l\"" ''; done
page 2024/lang-pt/index.html ' lang="pt-br"' ''
cp site/2024/hostile/index.html hostile.orig

cat >mc.conf <<EOF
site = {
  url = "https://blog.example.org/";
  directory = "$T_DIR/site";
  language = "en";
  language_paths = [ "de/=de", "de/2024/fr/=fr" ];
};
address = { mailbox = "comments@blog.example.org"; };
database = { path = "$T_DIR/mc.db"; };
EOF
export MAILCOMMENTS_CONFIG="$T_DIR/mc.conf"

expect_rc 0 "articles list finds the pages" mc articles list
cp out list.out
grep_ok "the header names the language column" '^SLUG +ORIGIN +STATE +LANG ' list.out
grep_ok "the page's <html lang>, normalised" '^2024/velo +site +open +fr-CA ' list.out
grep_ok "an English page is English" '^2024/bike +site +open +en ' list.out
grep_ok "a bilingual page: the lang nearest to the markers" \
	'^2024/bilingue +site +open +fr ' list.out
grep_ok "no lang: site.language_paths" '^de/2024/rad +site +open +de ' list.out
grep_ok "no lang, no path: site.language" '^2024/plain +site +open +en ' list.out
grep_ok "a lang that is no tag is not taken" '^2024/hostile +site +open +en ' list.out
check "stored with the article" \
	test "$(sqlite3 mc.db "SELECT language FROM articles WHERE slug = '2024/velo'")" = fr-CA

sqlite3 mc.db <<'EOF'
INSERT INTO comments (article_id, author_name, author_address, body, status,
  created_at, updated_at, decided_at)
SELECT id, 'Camille', 'camille@example.net',
  'Écrivez à camille.secret@example.net pour le tableau.', 'approved',
  1722240000, 1722240000, 1722243600 FROM articles;
EOF

expect_rc 0 "render --all" mc render --all
F=site/comments
grep_ok "fr-CA: the section declares it" 'lang="fr-CA"' $F/2024/velo.html
grep_ok "fr-CA: French words" 'Écrire un commentaire par courriel' $F/2024/velo.html
grep_ok "fr-CA: French dates" 'juillet 2024' $F/2024/velo.html
grep_ok "fr-CA: the French mask" '\[adresse masquée\]' $F/2024/velo.html
grep_not "fr-CA: no English word" 'Write a comment|Reply<|address hidden|July' $F/2024/velo.html
grep_ok "fr-CA: the JSON says it" '"language": "fr-CA"' $F/2024/velo.json
grep_ok "fr-CA: the feed says it" 'xml:lang="fr-CA"' $F/2024/velo.atom
grep_ok "fr-CA: the feed's title is French" '<title>Commentaires sur' $F/2024/velo.atom
grep_ok "en: the section declares it" 'lang="en"' $F/2024/bike.html
grep_ok "en: English words" 'Write a comment by email' $F/2024/bike.html
grep_ok "en: the English mask" '\[address hidden\]' $F/2024/bike.html
grep_not "en: no French word" 'Écrire|Répondre|adresse masquée|juillet' $F/2024/bike.html
grep_ok "bilingual page: French section" 'Écrire un commentaire par courriel' $F/2024/bilingue.html
grep_ok "bilingual page: written into the page" 'Écrire un commentaire par courriel' site/2024/bilingue/index.html
grep_not "the hostile lang is never written" 'onload|alert' $F/2024/hostile.html
grep_ok "the hostile page gets the site's language" 'lang="en"' $F/2024/hostile.html
# outside FILE: the page without what lies between its markers
outside() { perl -0pe 's/(mailcomments:begin -->).*(<!-- mailcomments:end)/$1$2/s' "$1"; }
check "the hostile page is kept outside the markers" \
	test "$(outside site/2024/hostile/index.html)" = "$(outside hostile.orig)"

# Every shipped language: its own words, and none of the English ones
# (the catalog is complete for what a section shows).
english='Write a comment by email|Comments are read by a moderator|>Reply<|No comments yet|[0-9] comments?<|Comments feed|in reply to|address hidden|Anonymous|July|, 2024| at [0-9]'
want_de='Per E-Mail kommentieren'; want_es='Escribir un comentario por correo'
want_it='Scrivi un commento via email'; want_pt='Escrever um comentário por e-mail'
want_nl='Reageer per e-mail'; want_pl='Napisz komentarz e-mailem'
date_de='Juli 2024 um'; date_es='de julio de 2024'; date_it='luglio 2024'
date_pt='de julho de 2024'; date_nl='juli 2024'; date_pl='lipca 2024'
for l in de es it pt nl pl; do
	f=$F/2024/lang-$l.html
	w=want_$l d=date_$l
	check "$l: the section is written" test -s "$f"
	grep_ok "$l: its words" "${!w}" "$f"
	grep_ok "$l: its dates" "${!d}" "$f"
	grep_not "$l: no English" "$english" "$f"
done
grep_ok "pt-BR: the tag is kept, the words are pt's" 'lang="pt-BR"' $F/2024/lang-pt.html
grep_ok "pl: the count's plural" '>1 komentarz<' $F/2024/lang-pl.html
grep_not "fr-CA: no English at all" "$english" $F/2024/velo.html

# Stored renderings are per language: rendering the English article again
# does not give the French one an English mask, nor the reverse.
expect_rc 0 "render again" mc -v render --all
grep_ok "each body's stored rendering is used, in its language" \
	'bodies: 24 stored renderings used, 0 rendered, 0 refused' err
grep_ok "fr-CA: still the French mask" '\[adresse masquée\]' $F/2024/velo.html
grep_ok "en: still the English mask" '\[address hidden\]' $F/2024/bike.html

# A page that changes its lang changes its article's language, and its
# outputs follow at the next render.
sed -i 's/<html lang="en">/<html lang="fr">/' site/2024/bike/index.html
expect_rc 0 "articles list after the page changed" mc articles list
grep_ok "the new language is stored" '^2024/bike +site +open +fr ' out
expect_rc 0 "render --all after the change" mc render --all
grep_ok "the section follows" 'Écrire un commentaire par courriel' $F/2024/bike.html
grep_ok "so does its mask" '\[adresse masquée\]' $F/2024/bike.html

# An article recorded before languages were stored (language "") takes
# its path's or the site's at each use.
sqlite3 mc.db "UPDATE articles SET language = '' WHERE slug = '2024/velo'"
expect_rc 0 "render an article with no stored language" mc render 2024/velo
grep_ok "it is the site's language" 'Write a comment by email' $F/2024/velo.html

# ---- the mails to readers speak their article's language ----------------
# An English site (site.language = "en") with a French article (its page
# says lang="fr") and one whose page says nothing (English): publish and
# reply notices, and the answers to readers' commands, follow the article;
# the moderators' mails stay in the site's language.
unset MAILCOMMENTS_CONFIG
mkdir part1 && mv site mc.conf mc.db* part1/
. "$T_ROOT/tests/moderation-lib.sh"
# French typography: a non-breaking space before : ; ! ? and inside « ».
NB=$(printf '\302\240')
PAGE_LANG=fr site 'moderation = { moderators = ["moderator@example.org"]; };'
MOD='Modératrice <moderator@example.org>'
FR=comments+2024/panne-mondiale@example.org
EN=comments+notes/hello@example.org
approve() { reply_to "$(notification_for "$1")" "$MOD" approve; poll; }
subject_to() { # ADDR PATTERN: the subject of the newest mail to ADDR matching
	$MUA subject "$($MUA find "$OUTBOX/new" --subject "$2" --to "$1")"
}

comment 'Alice <alice@example.net>' "$FR" "Alice écrit."
comment 'Bob <bob@example.net>' "$EN" "Bob writes."
poll
check "the moderators' notification is in the site's language" \
	test -n "$(notification_for 1)"
grep_ok "(English)" '^Subject: .*New comment' "$(notification_for 1)"
approve 1
approve 2
check "the French article's publish notice is French" test \
	"$(subject_to alice@example.net 'publié')" = "Votre commentaire sur «${NB}La panne mondiale${NB}» est publié"
check "the English article's publish notice is English" test \
	"$(subject_to bob@example.net 'published')" = 'Your comment on "Hello" is published'
decoded "$($MUA find "$OUTBOX/new" --subject 'publié' --to alice@example.net)" >pub-fr.txt
grep_not "no English in the French notice" 'published|Reply to|your comment' pub-fr.txt

comment 'Carla <carla@example.net>' comments+2024/panne-mondiale.1@example.org "Carla répond."
poll
approve 3
check "the reply notice is French" test \
	"$(subject_to alice@example.net '^Nouvelle réponse')" = "Nouvelle réponse à votre commentaire sur «${NB}La panne mondiale${NB}»"

# a reader's command, answered in the article's language
reply_to "$($MUA find "$OUTBOX/new" --subject 'publié' --to alice@example.net)" \
	'Alice <alice@example.net>' mute
poll
a=$($MUA find "$OUTBOX/new" --subject '^Re' --to alice@example.net)
decoded "${a:-/dev/null}" >mute.txt
grep_ok "the answer to a command is French" "Vous ne recevrez plus d'avis de réponse" mute.txt


# ---- the same in de, es, it, pt, nl, pl ---------------------------------
# For an article in each language on an English site: the publish notice,
# the reply notice and the answer to a reader's command speak it, with no
# English sentence of these mails left; the moderators' stay English.
# LANG|publish subject|a phrase of the reply notice|the answer to "mute"
while IFS='|' read -r l pub rep muted; do
	mkdir "part-$l" && mv var mc.conf "part-$l/"
	PAGE_LANG=$l site 'moderation = { moderators = ["moderator@example.org"]; };'
	comment 'Alice <alice@example.net>' "$FR" "Alice ($l)."
	poll
	grep_ok "$l: the moderators' notification is English" \
		'^Subject: .*New comment on' "$(notification_for 1)"
	approve 1
	n=$($MUA find "$OUTBOX/new" --to alice@example.net --subject 'La panne')
	check "$l: the publish notice's subject" test \
		"$($MUA subject "${n:-/dev/null}")" = "$pub"
	decoded "${n:-/dev/null}" >"pub-$l.txt"
	mw=$(grep -oE '^  [^ ]+ ' "pub-$l.txt" | sed -n 4p)
	check "$l: the publish notice lists its own words (mute: ${mw# })" \
		test -n "$mw" -a "${mw# }" != "  mute "
	grep_not "$l: no English in the publish notice" \
		'published|Reply to this mail|your comment|no more notices|Anything else|moderators approve' \
		"pub-$l.txt"
	comment 'Carla <carla@example.net>' comments+2024/panne-mondiale.1@example.org "Carla ($l)."
	poll
	approve 2
	r=$($MUA find "$OUTBOX/new" --to alice@example.net --subject 'La panne')
	decoded "${r:-/dev/null}" >"reply-$l.txt"
	grep_ok "$l: the reply notice speaks it" "^Carla $rep" "reply-$l.txt"
	grep_not "$l: no English in the reply notice" \
		'replied|To answer in public|You receive this|to stop notices|Anything else|public answer|New reply' \
		"reply-$l.txt"
	$MUA subject "${r:-/dev/null}" >"reply-$l.subject"
	grep_not "$l: nor in its subject" 'New reply|your comment' "reply-$l.subject"
	reply_to "$n" 'Alice <alice@example.net>' mute
	poll
	a=$($MUA find "$OUTBOX/new" --subject '^Re' --to alice@example.net)
	decoded "${a:-/dev/null}" >"mute-$l.txt"
	grep_ok "$l: the answer to a command speaks it" "^$muted" "mute-$l.txt"
	grep_not "$l: no English in the answer" 'You will not|notices about' "mute-$l.txt"
done <<'LANGS'
de|Ihr Kommentar zu „La panne mondiale“ ist veröffentlicht|hat auf Ihren Kommentar zu „La panne mondiale“ geantwortet:|Sie erhalten keine Hinweise mehr auf Antworten zu diesem Kommentar\.
es|Su comentario en «La panne mondiale» está publicado|respondió a su comentario en «La panne mondiale»:|Ya no recibirá avisos de respuestas a este comentario\.
it|Il suo commento su «La panne mondiale» è pubblicato|ha risposto al suo commento su «La panne mondiale»:|Non riceverà più avvisi di risposta per questo commento\.
pt|O seu comentário em “La panne mondiale” foi publicado|respondeu ao seu comentário em “La panne mondiale”:|Não receberá mais avisos de respostas a este comentário\.
nl|Uw reactie op “La panne mondiale” is geplaatst|heeft geantwoord op uw reactie bij “La panne mondiale”:|U ontvangt geen meldingen meer van antwoorden op deze reactie\.
pl|Twój komentarz do „La panne mondiale” został opublikowany|odpowiada na Twój komentarz do „La panne mondiale”:|Nie będziesz już dostawać powiadomień o odpowiedziach na ten komentarz\.
LANGS

# ---- each moderator in their own language (moderation.languages) ---------
mkdir part-mods && mv var mc.conf part-mods/
site 'moderation = { moderators = ["moderator@example.org", "second@example.org"];
  languages = [ "second@example.org=de" ]; };'
comment 'Alice <alice@example.net>' "$EN" "Alice writes to both."
poll
grep_ok "the moderator without a language: site.language (English)" \
	'^Subject: .*New comment on' "$(notification_for 1)"
de=$($MUA find "$OUTBOX/new" --to second@example.org --subject 'Neuer Kommentar')
check "the other one gets a German notification" test -n "$de"
decoded "${de:-/dev/null}" >mod-de.txt
grep_not "with no English sentence" 'New comment|Reply to this mail|approve, reject' mod-de.txt
# the facts about the sender, in German too
grep_ok "de: the sender's address" '^Von: Alice <alice@example\.net>$' mod-de.txt
grep_ok "de: the authentication line" '^Authentifizierung: keine' mod-de.txt
grep_ok "de: the spam line" '^Spam-Wert: ' mod-de.txt
grep_ok "de: the sender's record" '^Absender: erster Kommentar$' mod-de.txt
grep_not "de: no English fact left" \
	'^(From|Authentication|Spam score|Sender):|first comment|trusted server' mod-de.txt
decoded "$(notification_for 1)" >mod-en.txt
grep_ok "en: the facts stay English" '^From: Alice <alice@example\.net>$' mod-en.txt

# mods_to ADDR FILE: the text of every mail to ADDR, one after the other.
mods_to() {
	local f
	: >"$2"
	for f in $(grep -lE "^Delivered-To: $1\$" "$OUTBOX"/new/* 2>/dev/null | sort); do
		decoded "$f" >>"$2"
	done
}
# the English moderator decides: the German one hears it in German
reply_to "$(notification_for 1)" "$MOD" approve
poll
mods_to second@example.org de-all.txt
grep_ok "de: the handled notice in German" \
	'^Kommentar Nr\. 1: genehmigt von moderator@example\.org\.$' de-all.txt
grep_not "de: no English in it" 'Comment #|approved by|word of the notification' de-all.txt
# the German one decides: the English one hears English, the German one
# is answered in German
comment 'Bob <bob@example.net>' "$EN" "Bob writes to both."
poll
n2=$($MUA find "$OUTBOX/new" --to second@example.org --subject 'Nr\. 2\)$')
check "de: the second notification" test -n "$n2"
reply_to "${n2:-/dev/null}" 'Zweiter <second@example.org>' ablehnen
poll
check "de: 'ablehnen' rejects" test "$(status_of 2)" = rejected
mods_to moderator@example.org en-all.txt
grep_ok "en: the handled notice in English" \
	'^Comment #2: rejected by second@example\.org\.$' en-all.txt
mods_to second@example.org de-all.txt
grep_ok "de: the answer to the German moderator in German" \
	'^Kommentar Nr\. 2 von Bob: abgelehnt\.$' de-all.txt
# the console answers the German moderator in German
comment 'Zweiter <second@example.org>' comments@example.org "statistik" --subject console
poll
comment 'Zweiter <second@example.org>' comments@example.org "hilfe" --subject console
poll
comment 'Zweiter <second@example.org>' comments@example.org "zeigen 2" --subject console
poll
mods_to second@example.org de-all.txt
grep_ok "de: console stats in German" '^Warten auf Moderation: +0$' de-all.txt
grep_ok "de: console help in German, with German words" '^  ausstehend +die Kommentare' de-all.txt
grep_ok "de: 'zeigen 2' in German" '^Kommentar Nr\. 2 ist abgelehnt\.' de-all.txt
grep_not "de: no English in the console's answers" \
	'Waiting for|Received|Write to|Replying to|You asked to see it' de-all.txt
# another comment's number in a reply to a notification: said in German
reply_to "${n2:-/dev/null}" 'Zweiter <second@example.org>' "genehmigen 1"
poll
mods_to second@example.org de-all.txt
grep_ok "de: another comment's number, refused in German" \
	'^Es wurde nichts getan: Ihre Antwort nennt #1, aber diese E-Mail betrifft nur Kommentar Nr\. 2\.$' de-all.txt
grep_not "de: not in English" 'Nothing was done' de-all.txt

# ---- a reader's confirmation, answered in the article's language ----------
mkdir part-confirm && mv var mc.conf part-confirm/
PAGE_LANG=de site 'moderation = { moderators = ["moderator@example.org"];
  confirm_new_senders = true; };'
comment 'Neu <new@example.net>' "$FR" "Zum ersten Mal."
poll
cf=$(outbox_last '^Delivered-To: new@example.net')
check "de: a confirmation request" test -n "$cf"
reply_to "${cf:-/dev/null}" 'Neu <new@example.net>' "ja"
poll
check "de: the reply confirms" test "$(status_of 1)" = pending
mods_to new@example.net confirm-de.txt
grep_ok "de: 'address confirmed' in the article's language" \
	'^Danke, Ihre Adresse ist bestätigt\.' confirm-de.txt
grep_not "de: not in the site's English" 'Thank you, your address' confirm-de.txt

# ---- a ninth language is one .po file ---------------------------------------
# Swedish, in site.catalogs only: its page strings, its moderators' mails
# (moderation.languages) and its command words, with nothing in C.
mkdir part-confirm-de && mv var mc.conf part-confirm-de/
mkdir po-sv
cat >po-sv/sv.po <<'PO'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "%s comment"
msgid_plural "%s comments"
msgstr[0] "%s kommentar"
msgstr[1] "%s kommentarer"

msgid "[%s] New comment on \"%s\" by %s (#%lld)"
msgstr "[%s] Ny kommentar på ”%s” av %s (#%lld)"

msgctxt "command words: approve"
msgid "approve, approved, publish, published, accept, accepted"
msgstr "godkänn, godkänd, publicera"

msgctxt "reply words: politeness that may open a line"
msgid "thanks, thank, thx, please, pls, plz"
msgstr "tack, snälla"
PO
chmod 644 po-sv/sv.po; chmod 755 po-sv
PAGE_LANG=sv site "site = { name = \"Le Blog\"; url = \"https://blog.example.org/\";
  catalogs = \"$T_DIR/po-sv\"; };
moderation = { moderators = [\"moderator@example.org\"];
  languages = [\"moderator@example.org=sv\"]; };"
sed -i '1d' mc.conf # the site group is the one above
expect_rc 0 "sv: the configuration with a Swedish catalog is valid" mc check-config
comment 'Sven <sven@example.net>' "$FR" "Hej från Sverige."
poll
n=$(notification_for 1)
check "sv: the moderator's notification is Swedish" \
	test "$($MUA subject "${n:-/dev/null}")" = '[Le Blog] Ny kommentar på ”La panne mondiale” av Sven (#1)'

reply_to "${n:-/dev/null}" "$MOD" "Tack, godkänn"
poll
check "sv: 'Tack, godkänn' approves" test "$(status_of 1)" = approved
grep_ok "sv: the page counts in Swedish" '1 kommentar<' var/site/2024/panne-mondiale/index.html
# an override whose word two languages read two ways is refused
cat >>po-sv/sv.po <<'PO'

msgctxt "command words: reject"
msgid "reject, rejected, decline, declined"
msgstr "avvisa, ja"
PO
expect_rc 78 "sv: a Swedish reject that is the German yes is refused" mc check-config
grep_ok "sv: the refusal names the word and both meanings" \
	'site.catalogs: command words: de: "ja" \(command words: yes\) has two verbs in one context: also "ja" \(sv, command words: reject\)' err

t_done
