/* lang.h: language tags and the language each article speaks.  An
 * article's language is decided from its page (the lang attribute of the
 * element holding the markers, or of an ancestor), else from
 * site.language_paths, else site.language, and stored with it. */
#ifndef MC_LANG_H
#define MC_LANG_H

#include "conf.h"

/* Room for a tag lang_normalize() writes, its NUL included. */
#define LANG_TAG_MAX 36

/* Writes tag in the case BCP 47 recommends ("pt-BR", "zh-Hant-TW", "fr")
 * into out: 1 when it is a well-formed tag (a 2 or 3 letter language,
 * then subtags of 1 to 8 letters or digits, separated by '-' or '_'),
 * else 0 and out is "".  Pages are written by anyone: a lang attribute
 * is only ever used through this. */
int lang_normalize(const char *tag, char out[LANG_TAG_MAX]);

/* The language of a site.language_paths entry ("PREFIX=LANG") whose
 * prefix starts path (the longest wins), or NULL. */
const char *lang_for_path(const struct conf *c, const char *path);

/* Checks one site.language_paths entry: NULL when good, else why not. */
const char *lang_path_entry_error(const char *entry);
/* Checks an entry "KEY=LANG" where KEY is what (a "PREFIX" or an
 * "ADDRESS"): NULL when good, else why not. */
const char *lang_pair_error(const char *entry, const char *what);

/* The language of an article: its page's tag (page_lang, may be NULL or
 * ""), else the language its path is given, else site.language; into
 * out. */
void lang_decide(const struct conf *c, const char *page_lang,
		 const char *path, char out[LANG_TAG_MAX]);

/* 1 when tag's language (its first subtag) is lang ("fr-CA" is fr). */
int lang_is(const char *tag, const char *lang);

#endif
