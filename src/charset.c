/* charset.c: conversion to UTF-8.  UTF-8, ISO-8859-1 and windows-1252 are
 * read here directly (they are most mail, and latin1 needs the C1 check);
 * every other charset goes through iconv.  The conversion never stops at a
 * bad byte: it writes U+FFFD for it and goes on. */
#include <errno.h>
#include <stdio.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "utf8.h"
#include "banned.h"

#define REPLACEMENT "\xEF\xBF\xBD"
#define LABEL_MAX 64

/* windows-1252 0x80-0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static const char *const latin1_labels[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1",
	"latin-1", "l1", "iso-ir-100", "cp819", "ibm819", "csisolatin1",
	"8859-1", "iso88591", NULL,
};

static const char *const cp1252_labels[] = {
	"windows-1252", "cp1252", "x-cp1252", "cp-1252", "win-1252", NULL,
};

static const char *const utf8_labels[] = {
	"utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", NULL,
};

/* UTF-16 and UTF-32, read here rather than by iconv: glibc reads
 * "UTF-16" without a byte order mark as little-endian where RFC 2781
 * says big-endian, and keeps a mark met again later (each RFC 2047 word
 * starts with its own) as U+FEFF, or as garbage when its order differs.
 * order: 'l' or 'b' when the label says, 0 when the text must. */
static const struct {
	const char *label;
	int width;
	char order;
} ucs_labels[] = {
	{ "utf-16", 2, 0 },	 { "utf16", 2, 0 },
	{ "ucs-2", 2, 0 },	 { "ucs2", 2, 0 },
	{ "iso-10646-ucs-2", 2, 0 }, { "csunicode", 2, 0 },
	{ "unicode", 2, 0 },	 { "unicodefeff", 2, 'l' },
	{ "utf-16le", 2, 'l' },	 { "utf16le", 2, 'l' },
	{ "ucs-2le", 2, 'l' },	 { "unicodelittleunmarked", 2, 'l' },
	{ "utf-16be", 2, 'b' },	 { "utf16be", 2, 'b' },
	{ "ucs-2be", 2, 'b' },	 { "unicodefffe", 2, 'b' },
	{ "unicodebigunmarked", 2, 'b' },
	{ "utf-32", 4, 0 },	 { "utf32", 4, 0 },
	{ "ucs-4", 4, 0 },	 { "ucs4", 4, 0 },
	{ "iso-10646-ucs-4", 4, 0 },
	{ "utf-32le", 4, 'l' },	 { "utf32le", 4, 'l' },
	{ "ucs-4le", 4, 'l' },
	{ "utf-32be", 4, 'b' },	 { "utf32be", 4, 'b' },
	{ "ucs-4be", 4, 'b' },
};

/* Labels seen in mail that iconv spells differently. */
static const struct {
	const char *label, *iconv;
} aliases[] = {
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "iso-8859-8-e", "ISO-8859-8" },
	{ "iso-8859-6-i", "ISO-8859-6" },
	{ "iso-8859-6-e", "ISO-8859-6" },
	{ "x-mac-cyrillic", "MAC-CYRILLIC" },
	{ "x-mac-ce", "MAC-CENTRALEUROPE" },
	{ "x-mac-centraleurroman", "MAC-CENTRALEUROPE" },
	{ "x-x-big5", "BIG5" },
	{ "x-windows-949", "CP949" },
	{ "windows-949", "CP949" },
	{ "ks_c_5601-1989", "CP949" },
	{ "windows-31j", "CP932" },
	{ "x-sjis", "SHIFT_JIS" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "x-gbk", "GBK" },
	{ "gb2312", "GBK" }, /* what senders mean: GBK is its superset */
	{ "x-euc-jp", "EUC-JP" },
	{ "x-euc-tw", "EUC-TW" },
};

/* The name iconv may know a label by when it does not know the label
 * itself: without an "x-" prefix ("x-euc-kr"), without the "-i"/"-e"
 * (implicit/explicit direction) suffix of ISO-8859-6 and -8 ("iso-8859-8-e"
 * is ISO-8859-8 text), and "cp-1250", "win-1250", "windows_1250", "ms-1250"
 * as CP1250.  Writes it to out; returns 0 when no other name applies. */
static int other_name(const char *label, char *out, size_t size)
{
	static const char *const cp[] = { "cp-", "cp_", "win-", "win",
					   "windows_", "windows", "ms-",
					   "ms", NULL };
	const char *const *pre;
	size_t n = strlen(label);

	if (strncmp(label, "x-", 2) == 0 && n > 2) {
		snprintf(out, size, "%s", label + 2);
		other_name(label + 2, out, size); /* "x-cp-1250" */
		return 1;
	}
	if (strncmp(label, "iso-8859-", 9) == 0 && n > 11 &&
	    label[n - 2] == '-' && (label[n - 1] == 'i' || label[n - 1] == 'e')) {
		snprintf(out, size, "%.*s", (int)(n - 2), label);
		return 1;
	}
	for (pre = cp; *pre; pre++) {
		size_t k = strlen(*pre), i;

		if (strncmp(label, *pre, k) != 0 || n == k || n - k > 5)
			continue;
		for (i = k; i < n && label[i] >= '0' && label[i] <= '9'; i++)
			;
		if (i == n) {
			snprintf(out, size, "CP%s", label + k);
			return 1;
		}
	}
	return 0;
}

static int in_list(const char *const *list, const char *label)
{
	for (; *list; list++)
		if (strcmp(*list, label) == 0)
			return 1;
	return 0;
}

char *charset_label_norm(const char *label)
{
	struct buf b;
	const char *p = label, *e;

	buf_init(&b);
	if (p == NULL)
		return buf_detach(&b);
	while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"' ||
			 e[-1] == '\''))
		e--;
	if (e - p > LABEL_MAX)
		e = p + LABEL_MAX;
	buf_add(&b, p, (size_t)(e - p));
	ascii_lower(b.s);
	return buf_detach(&b);
}

/* A label we dare hand to iconv_open(): a plain charset name, no
 * "//TRANSLIT"-style suffix, no path. */
static int iconv_safe(const char *label)
{
	const char *p;

	if (*label == '\0' || strlen(label) > 40)
		return 0;
	for (p = label; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("-_.:+()", *p)))
			return 0;
	return 1;
}

/* UTF-8 with every invalid byte and every NUL replaced. */
static unsigned read_utf8(const unsigned char *s, size_t len,
			  struct buf *out)
{
	unsigned flags = 0;
	size_t i = 0, run = 0;
	uint32_t cp;

	buf_grow(out, len);
	while (i < len) {
		size_t n;

		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		n = s[i] ? utf8_decode(s + i, len - i, &cp) : 0;
		if (n > 0) {
			i += n;
			continue;
		}
		buf_add(out, s + run, i - run);
		buf_adds(out, REPLACEMENT);
		flags |= CHARSET_REPLACED;
		run = ++i;
	}
	buf_add(out, s + run, i - run);
	return flags;
}

/* ISO-8859-1 (c1 == 0: bytes are their code points) or windows-1252. */
static unsigned read_8bit(const unsigned char *s, size_t len, int cp1252,
			  struct buf *out)
{
	unsigned flags = 0;
	size_t i = 0, run = 0;

	buf_grow(out, len + len / 4);
	while (i < len) {
		unsigned char c = s[i];

		if (c != 0 && c < 0x80) {
			i++;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (c == 0 || (cp1252 && c >= 0x80 && c < 0xA0 &&
			       cp1252_c1[c - 0x80] == 0)) {
			buf_adds(out, REPLACEMENT);
			flags |= CHARSET_REPLACED;
		} else if (cp1252 && c >= 0x80 && c < 0xA0) {
			utf8_encode(out, cp1252_c1[c - 0x80]);
		} else {
			utf8_encode(out, c);
		}
		run = ++i;
	}
	buf_add(out, s + run, i - run);
	return flags;
}

static int has_c1(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 0x80 && s[i] < 0xA0)
			return 1;
	return 0;
}

/* --- UTF-16 and UTF-32 --- */

struct ucs {
	int width; /* 2 or 4 */
	int big;   /* big-endian */
};

static uint32_t ucs_unit(const unsigned char *p, const struct ucs *u)
{
	if (u->width == 2)
		return u->big ? (uint32_t)p[0] << 8 | p[1] :
				(uint32_t)p[1] << 8 | p[0];
	return u->big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				(uint32_t)p[2] << 8 | p[3] :
			(uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
				(uint32_t)p[1] << 8 | p[0];
}

/* The byte order of text without a mark: the one that puts the zero
 * bytes of ASCII where they belong ("A\0" little-endian, "\0A"
 * big-endian), else big-endian, as RFC 2781 says. */
static int ucs_guess_big(const unsigned char *s, size_t len, int width)
{
	size_t i, lo = 0, hi = 0;

	if (len > 4096)
		len = 4096;
	for (i = 0; i + (size_t)width <= len; i += (size_t)width) {
		hi += s[i] == 0;                     /* high byte first */
		lo += s[i + (size_t)width - 1] == 0; /* low byte first */
	}
	return !(lo > hi);
}

/* 1 if s is to be read as UTF-16 or UTF-32: a label that says so, or,
 * whatever the label, a UTF-16 byte order mark (a mark says more about
 * the bytes than a label does: the rule browsers follow).  Fills *u. */
static int ucs_detect(const char *norm, const unsigned char *s, size_t len,
		      struct ucs *u)
{
	size_t i;

	for (i = 0; i < sizeof(ucs_labels) / sizeof(ucs_labels[0]); i++) {
		if (strcmp(norm, ucs_labels[i].label) != 0)
			continue;
		u->width = ucs_labels[i].width;
		if (ucs_labels[i].order) {
			u->big = ucs_labels[i].order == 'b';
		} else if (u->width == 2 && len >= 2 &&
			   ((s[0] == 0xFE && s[1] == 0xFF) ||
			    (s[0] == 0xFF && s[1] == 0xFE))) {
			u->big = s[0] == 0xFE;
		} else if (u->width == 4 && len >= 4 &&
			   ((s[0] == 0 && s[1] == 0 && s[2] == 0xFE &&
			     s[3] == 0xFF) ||
			    (s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 &&
			     s[3] == 0))) {
			u->big = s[0] == 0;
		} else {
			u->big = ucs_guess_big(s, len, u->width);
		}
		return 1;
	}
	if (len >= 2 && ((s[0] == 0xFE && s[1] == 0xFF) ||
			 (s[0] == 0xFF && s[1] == 0xFE))) {
		u->width = 2;
		u->big = s[0] == 0xFE;
		return 1;
	}
	return 0;
}

/* Every U+FEFF goes (a byte order mark, wherever a word or a part
 * starts), a swapped one (U+FFFE) turns the byte order round; unpaired
 * surrogates, NULs, values past U+10FFFF and a cut last unit become
 * U+FFFD. */
static unsigned read_ucs(const unsigned char *s, size_t len, struct ucs u,
			 struct buf *out)
{
	size_t w = (size_t)u.width, i = 0;
	unsigned flags = 0;

	buf_grow(out, len / w * 3);
	while (i + w <= len) {
		uint32_t cp = ucs_unit(s + i, &u);

		i += w;
		if (cp == 0xFEFF)
			continue;
		if (cp == (w == 2 ? 0xFFFEu : 0xFFFE0000u)) {
			u.big = !u.big;
			continue;
		}
		if (w == 2 && cp >= 0xD800 && cp <= 0xDBFF && i + 2 <= len) {
			uint32_t lo = ucs_unit(s + i, &u);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				i += 2;
			}
		}
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			buf_adds(out, REPLACEMENT);
			flags |= CHARSET_REPLACED;
			continue;
		}
		utf8_encode(out, cp);
	}
	if (i < len) {
		buf_adds(out, REPLACEMENT);
		flags |= CHARSET_REPLACED;
	}
	return flags;
}

/* Converts with cd; a byte iconv refuses becomes U+FFFD and the shift
 * state starts again after it.  U+0000 in the output is replaced too. */
static unsigned read_iconv(iconv_t cd, const char *s, size_t len,
			   struct buf *out)
{
	struct buf tmp;
	char chunk[4096];
	char *in = (char *)s;
	size_t inleft = len;
	unsigned flags = 0;

	buf_init(&tmp);
	for (;;) {
		char *o = chunk;
		size_t oleft = sizeof(chunk), r;

		if (inleft > 0)
			r = iconv(cd, &in, &inleft, &o, &oleft);
		else
			r = iconv(cd, NULL, NULL, &o, &oleft); /* flush */
		buf_add(&tmp, chunk, (size_t)(o - chunk));
		if (r != (size_t)-1) {
			if (inleft == 0 && o == chunk)
				break;
			continue;
		}
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL for a sequence cut by the end */
		buf_adds(&tmp, REPLACEMENT);
		flags |= CHARSET_REPLACED;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* iconv's output is UTF-8; read_utf8 also catches the NULs */
	flags |= read_utf8((const unsigned char *)tmp.s, tmp.len, out);
	buf_free(&tmp);
	return flags;
}

/* Converters kept per thread (the parse worker has its own), by the
 * name handed to iconv_open(), those it refused too: opening one walks
 * glibc's module cache and, once its module was let go, loads the
 * shared object again; mail of one corpus uses a handful. */
#define CD_CACHE 8

static _Thread_local struct cd_slot {
	char name[LABEL_MAX + 8];
	iconv_t cd;
	unsigned long used;
} cd_cache[CD_CACHE];
static _Thread_local unsigned long cd_clock;

static iconv_t cd_get(const char *name)
{
	struct cd_slot *old = &cd_cache[0];
	size_t i;

	for (i = 0; i < CD_CACHE; i++) {
		struct cd_slot *c = &cd_cache[i];

		if (c->used && strcmp(c->name, name) == 0) {
			c->used = ++cd_clock;
			if (c->cd != (iconv_t)-1)
				iconv(c->cd, NULL, NULL, NULL, NULL);
			return c->cd;
		}
		if (c->used < old->used)
			old = c;
	}
	if (strlen(name) >= sizeof(old->name))
		return iconv_open("UTF-8", name); /* not kept: see cd_put() */
	if (old->used && old->cd != (iconv_t)-1)
		iconv_close(old->cd);
	memcpy(old->name, name, strlen(name) + 1);
	old->cd = iconv_open("UTF-8", name);
	old->used = ++cd_clock;
	return old->cd;
}

/* Closes cd unless the cache keeps it. */
static void cd_put(iconv_t cd)
{
	size_t i;

	for (i = 0; i < CD_CACHE; i++)
		if (cd_cache[i].used && cd_cache[i].cd == cd)
			return;
	iconv_close(cd);
}

void charset_release(void)
{
	size_t i;

	for (i = 0; i < CD_CACHE; i++) {
		if (cd_cache[i].used && cd_cache[i].cd != (iconv_t)-1)
			iconv_close(cd_cache[i].cd);
		cd_cache[i].used = 0;
	}
}

unsigned charset_to_utf8(const char *label, const char *s, size_t len,
			 struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	char *norm = charset_label_norm(label);
	unsigned flags = 0;
	const char *name = norm;
	struct ucs ucs;
	iconv_t cd;
	size_t i;

	if (ucs_detect(norm, u, len, &ucs)) {
		flags = read_ucs(u, len, ucs, out);
		goto done;
	}
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		/* a UTF-8 byte order mark, whatever the label */
		flags = read_utf8(u, len, out);
		goto done;
	}
	if (*norm == '\0') {
		if (utf8_valid(s, len))
			flags = read_utf8(u, len, out);
		else
			flags = read_8bit(u, len, 1, out);
		goto done;
	}
	if (in_list(utf8_labels, norm)) {
		flags = read_utf8(u, len, out);
		goto done;
	}
	if (in_list(latin1_labels, norm)) {
		if (has_c1(u, len)) {
			flags = CHARSET_LATIN1_AS_1252 | read_8bit(u, len, 1, out);
		} else {
			flags = read_8bit(u, len, 0, out);
		}
		goto done;
	}
	if (in_list(cp1252_labels, norm)) {
		flags = read_8bit(u, len, 1, out);
		goto done;
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].label, norm) == 0)
			name = aliases[i].iconv;
	cd = iconv_safe(norm) ? cd_get(name) : (iconv_t)-1;
	if (cd == (iconv_t)-1 && iconv_safe(norm)) {
		char other[LABEL_MAX + 8];

		if (other_name(norm, other, sizeof(other)))
			cd = cd_get(other);
	}
	if (cd != (iconv_t)-1) {
		flags = read_iconv(cd, s, len, out);
		cd_put(cd);
		goto done;
	}
	if (utf8_valid(s, len))
		flags = CHARSET_UNKNOWN_UTF8 | read_utf8(u, len, out);
	else
		flags = CHARSET_UNKNOWN_1252 | read_8bit(u, len, 1, out);
done:
	free(norm);
	return flags;
}

size_t charset_cut(const char *label, const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	char *norm;
	struct ucs ucs;
	size_t i, w = 1;

	if (len <= max)
		return len;
	norm = charset_label_norm(label);
	if (ucs_detect(norm, u, len, &ucs)) {
		w = (size_t)ucs.width;
		/* the line feed's unit, whose low byte is 0x0A */
		for (i = max / w * w; i >= w; i -= w)
			if (u[i - (ucs.big ? 1 : w)] == '\n' &&
			    ucs_unit(u + i - w, &ucs) == '\n')
				break;
	} else {
		/* in every other charset of mail, a byte 0x0A is a line
		 * feed and never part of another character */
		for (i = max; i > 0 && u[i - 1] != '\n'; i--)
			;
		/* no line break: UTF-8 (or maybe UTF-8) is cut between
		 * characters */
		if (i == 0 && (*norm == '\0' || in_list(utf8_labels, norm)))
			for (i = max; i > 0 && i + 4 > max &&
				      (u[i] & 0xC0) == 0x80;
			     i--)
				;
	}
	free(norm);
	return i >= w ? i : max / w * w;
}

char *charset_note(unsigned flag, const char *label)
{
	char *norm = charset_label_norm(label), *note;

	switch (flag) {
	case CHARSET_LATIN1_AS_1252:
		note = xasprintf("charset %s read as windows-1252", norm);
		break;
	case CHARSET_UNKNOWN_UTF8:
		note = xasprintf("unknown charset %s read as utf-8", norm);
		break;
	case CHARSET_UNKNOWN_1252:
		note = xasprintf("unknown charset %s read as windows-1252",
				 norm);
		break;
	default:
		note = xstrdup("invalid bytes replaced");
		break;
	}
	free(norm);
	return note;
}
