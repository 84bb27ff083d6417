/* catalog.h: translation catalogs in gettext's .po format, read once at
 * start, with plural rules taken from each catalog's header and dates
 * written from catalog entries, never from the system's locales.
 *
 * Layout.  A directory holds one LANG.po per language (de.po, pt.po,
 * pt_BR.po...); msgids are English, so English needs no file (an en.po
 * may still change English strings).  The shipped catalogs (po/) are
 * compiled into the binary (catalog_builtins(), made by
 * scripts/embed.sh catalogs), so the program speaks them wherever it runs,
 * installed or not.  catalog_open() reads them, then an optional
 * override directory whose LANG.po files replace single strings of the
 * shipped ones or add a language: a site owner changes one string without
 * copying a whole catalog.
 *
 * Marking strings.  po/mailcomments.pot is made by `make pot` (xgettext)
 * from the sources, with these keywords:
 *   _(lang, "msgid")                          catalog_get(), no context
 *   C_(lang, "ctx", "msgid")                  catalog_get() with context
 *   P_(lang, "one", "many", n)                catalog_nget(), no context
 *   CP_(lang, "ctx", "one", "many", n)        catalog_nget() with context
 *   N_("msgid"), NC_("ctx", "msgid")          marks only (tables), the
 *   NP_("one", "many"), NCP_("ctx", "one", "many")   lookup comes later
 * Comments starting with "TRANSLATORS:" just before a marked string go
 * into the .pot for translators.
 *
 * Plural forms come from each catalog's "Plural-Forms:" header, evaluated
 * by a small bounded expression evaluator: no language has code in C.
 *
 * Ownership: a struct catalog owns every string and language it holds;
 * what catalog_lang(), catalog_get(), catalog_nget() and catalog_langs()
 * return points into it and lives until catalog_free().  A loaded catalog
 * is read-only, so threads may share it. */
#ifndef MC_CATALOG_H
#define MC_CATALOG_H

#include <stddef.h>
#include <time.h>

#include "util.h"

struct catalog;
struct catalog_lang;

/* Markers xgettext reads (see `make pot`); the lookups are functions. */
#define _(lang, s) catalog_get((lang), NULL, (s))
#define C_(lang, ctx, s) catalog_get((lang), (ctx), (s))
#define P_(lang, s, p, n) catalog_nget((lang), NULL, (s), (p), (n))
#define CP_(lang, ctx, s, p, n) catalog_nget((lang), (ctx), (s), (p), (n))
#define N_(s) (s)
#define NC_(ctx, s) (s)
#define NP_(s, p) (s), (p)
#define NCP_(ctx, s, p) (s), (p)

/* One shipped catalog: its language (the file name without .po) and the
 * bytes of the file. */
struct catalog_builtin {
	const char *tag;
	const char *text;
	size_t len;
};
/* The shipped catalogs, compiled in (generated file gen/catalogs.c). */
const struct catalog_builtin *catalog_builtins(size_t *n);

/* Reads the shipped catalogs (builtin: 1) and every LANG.po of dir
 * (NULL or "": none; site.catalogs), entries of the latter replacing
 * those of the former.  English is always present.  Returns NULL with
 * err set ("FILE:LINE: what") when a catalog is bad or dir cannot be
 * read: a half-loaded catalog would show some readers the wrong
 * language. */
struct catalog *catalog_open(int builtin, const char *dir,
			     struct mc_err *err);
/* The shipped catalogs alone, made once per process and kept to its end
 * (the configuration's when site.catalogs is empty: conf_catalog()):
 * catalog_open_shipped()'s.  Never NULL. */
const struct catalog *catalog_shipped(void);
/* The shipped catalogs, each language parsed only when catalog_lang()
 * first returns it (a process speaks one or two of them), under a mutex:
 * the catalog may be shared by threads as a loaded one.  If a built-in
 * catalog were bad (t-catalog checks them all with catalog_open()), the
 * reason is logged when its language is first used, and that language
 * is English.  Free with catalog_free(). */
struct catalog *catalog_open_shipped(void);
/* How many of cat's languages are parsed (English included): for tests. */
size_t catalog_parsed(const struct catalog *cat);
/* An empty catalog: English only (tests, and callers that have none). */
struct catalog *catalog_new(void);
/* Adds the .po text[0..len) as language `tag` (a file name without .po,
 * like "pt_BR"), its entries replacing those already there; `name` is
 * what errors call it.  On error the catalog is unchanged. */
int catalog_add_po(struct catalog *cat, const char *tag, const char *name,
		   const char *text, size_t len, struct mc_err *err);
void catalog_free(struct catalog *cat);

/* The language for a tag like "de", "pt-BR" or "pt_BR" (case ignored):
 * the exact language if loaded, else its primary language ("pt"), else
 * English.  cat may be NULL (English).  Never NULL. */
const struct catalog_lang *catalog_lang(const struct catalog *cat,
					const char *tag);
/* Its code, lowercase with '-' ("en", "pt-br"), for lang="" attributes. */
const char *catalog_lang_code(const struct catalog_lang *lang);
/* The codes of the languages loaded, sorted, "en" among them; *codes
 * points into the catalog.  Returns their number. */
size_t catalog_langs(const struct catalog *cat, const char *const **codes);

/* The translation of msgid in context ctx (NULL: none), or msgid itself
 * when there is none (lang NULL: English). */
const char *catalog_get(const struct catalog_lang *lang, const char *ctx,
			const char *msgid);
/* The same, but NULL when the language has no translation: for callers
 * that must tell "untranslated" from "translated the same" (cmdwords.c:
 * a language without its own command words has none, not English's). */
const char *catalog_find(const struct catalog_lang *lang, const char *ctx,
			 const char *msgid);
/* The plural form for n by the language's Plural-Forms, or msgid (n == 1)
 * / msgid_plural (otherwise) when untranslated. */
const char *catalog_nget(const struct catalog_lang *lang, const char *ctx,
			 const char *msgid, const char *msgid_plural,
			 unsigned long n);

/* Appends a date and time as the language writes it ("December 1, 2026
 * at 13:09", "1er décembre 2026 à 13:09"): the pattern, month and
 * weekday names are catalog entries (contexts "date", "month",
 * "weekday").  catalog_date() takes t in UTC; catalog_date_tm() a broken
 * down time the caller made (localtime_r for a time zone). */
void catalog_date(const struct catalog_lang *lang, time_t t, struct buf *out);
void catalog_date_tm(const struct catalog_lang *lang, const struct tm *tm,
		     struct buf *out);

/* catalog_date_tm() in two steps, for the thousands of dates of a page:
 * catalog_datefmt_init() looks the language's pattern and names up once
 * (f points into lang's catalog), catalog_datefmt_tm() writes a date
 * with them. */
#define CATALOG_DATE_SEGS 32
struct catalog_datefmt {
	const char *pattern, *time, *first_day;
	const char *months[12], *weekdays[7];
	/* the pattern, {time} in it, cut once into text and fields; nseg
	 * 0 when it needs more pieces (then read as each date is made) */
	struct catalog_dateseg {
		const char *text; /* into the catalog; NULL: a field */
		size_t len;       /* of text, or the field (enum in catalog.c) */
	} seg[CATALOG_DATE_SEGS];
	unsigned nseg;
};

void catalog_datefmt_init(const struct catalog_lang *lang,
			  struct catalog_datefmt *f);
void catalog_datefmt_tm(const struct catalog_datefmt *f, const struct tm *tm,
			struct buf *out);

#endif
