/* fold.c: case folding, NFKD and mark removal by libunistring, then a
 * short table of letters without a decomposition.
 *
 * Why NFKD rather than NFD: compatibility forms are what phones and input
 * methods send for ordinary letters, and a moderator means the letters:
 * full-width "ＯＫ" (a Japanese or Chinese keyboard left in full-width
 * mode) is "ok", the ligature "ﬁ" of a copied text is "fi", the Dutch
 * "ĳ" is "ij", the long "ſ" is "s".  NFD would keep them apart and the
 * word would be unknown.  What NFKD also does (superscripts to digits,
 * "½" to "1⁄2") cannot create a command: callers split words and numbers
 * before folding, and fold words only.
 *
 * Why marks go: people type without accents on phones and foreign
 * keyboards ("aprobado" for "aprobado", "zatwierdz" for "zatwierdź",
 * "genehmigt"), and no two command words differ only by a mark.  Only
 * non-spacing (Mn) and enclosing (Me) marks are removed: the spacing
 * marks (Mc) are vowel signs of Indic scripts, part of the letter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "fold.h"
#include "util.h"
#include "banned.h"

/* The letters that keep their "mark" under NFKD, because Unicode sees a
 * letter of its own and not a letter plus a mark, but that people type
 * without it: a Polish moderator on an English keyboard writes "usun" for
 * "usuń" (decomposes) and "zle" for "źle", but also "l" for "ł"; a Danish
 * or Norwegian one "o" for "ø".  The list is the letters of the Latin
 * alphabets of Europe that have a stroke, a bar or a ligature and an
 * agreed plain spelling: Polish ł, Danish and Norwegian ø and æ, Croatian
 * and Vietnamese đ, Icelandic ð and þ, Maltese ħ, Sami ŧ, Turkish dotless
 * ı, French œ.  ß is not here: full case folding already makes it "ss"
 * (and ẞ too).  Entries are the case-folded (small) letters: case folding
 * runs first.  Letters outside Latin scripts are left alone: Greek or
 * Cyrillic words are matched as they are, never transliterated, so they
 * can never fold into a Latin command word. */
static const struct {
	uint32_t cp;
	const char *plain;
} bare[] = {
	{ 0x00E6, "ae" }, /* æ */
	{ 0x00F0, "d" },  /* ð */
	{ 0x00F8, "o" },  /* ø */
	{ 0x00FE, "th" }, /* þ */
	{ 0x0111, "d" },  /* đ */
	{ 0x0127, "h" },  /* ħ */
	{ 0x0131, "i" },  /* ı */
	{ 0x0142, "l" },  /* ł */
	{ 0x0153, "oe" }, /* œ */
	{ 0x0167, "t" },  /* ŧ */
};

static const char *bare_plain(ucs4_t uc)
{
	size_t i;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (bare[i].cp == uc)
			return bare[i].plain;
	return NULL;
}

static int ascii_only(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

/* Folds the valid UTF-8 s[0..n) onto out. */
static void fold_valid(struct buf *out, const uint8_t *s, size_t n)
{
	uint8_t tmp[256];
	size_t len = sizeof(tmp), i;
	uint8_t *f;
	uc_general_category_t marks =
		uc_general_category_or(UC_CATEGORY_Mn, UC_CATEGORY_Me);

	if (n == 0)
		return;
	if (ascii_only(s, n)) {
		/* the common case (subjects, command words): ASCII folds to
		 * its small letters, with nothing to decompose or drop */
		for (i = 0; i < n; i++)
			buf_addc(out, s[i] >= 'A' && s[i] <= 'Z' ?
					      (char)(s[i] + 'a' - 'A') :
					      (char)s[i]);
		return;
	}
	f = u8_casefold(s, n, NULL, UNINORM_NFKD, tmp, &len);
	if (f == NULL) { /* only for want of memory: s is valid */
		fprintf(stderr, "mailcomments: out of memory (folding %zu "
				"bytes)\n", n);
		abort();
	}
	for (i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, f + i, len - i);
		const char *plain;

		if (!uc_is_general_category(uc, marks)) {
			plain = bare_plain(uc);
			if (plain)
				buf_adds(out, plain);
			else
				buf_add(out, f + i, (size_t)k);
		}
		i += (size_t)k;
	}
	if (f != tmp)
		free(f);
}

void fold_buf(struct buf *out, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, start = 0;

	/* valid runs are folded whole (NFKD reorders marks across code
	 * points); each invalid byte is copied as it is */
	while (i < n) {
		ucs4_t uc;
		int k = u8_mbtoucr(&uc, u + i, n - i);

		if (k > 0) {
			i += (size_t)k;
			continue;
		}
		fold_valid(out, u + start, i - start);
		buf_add(out, s + i, 1);
		start = ++i;
	}
	fold_valid(out, u + start, i - start);
}

int fold_into(const char *s, size_t n, char *dst, size_t size)
{
	struct buf b;
	int rc = -1;

	buf_init(&b);
	fold_buf(&b, s, n);
	if (size > 0)
		dst[0] = '\0';
	if (b.len < size) {
		memcpy(dst, b.s, b.len + 1);
		rc = (int)b.len;
	}
	buf_free(&b);
	return rc;
}

char *fold_str(const char *s)
{
	struct buf b;

	buf_init(&b);
	fold_buf(&b, s, strlen(s));
	return buf_detach(&b);
}

int fold_starts(const char *s, const char *prefix)
{
	char *fs = fold_str(s), *fp = fold_str(prefix);
	int r = strncmp(fs, fp, strlen(fp)) == 0;

	free(fs);
	free(fp);
	return r;
}
