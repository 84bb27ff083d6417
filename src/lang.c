/* lang.c: language tags and an article's language (lang.h). */
#include <string.h>

#include "lang.h"
#include "util.h"
#include "banned.h"

static int is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

static char upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
}

/* Subtag number k (0: the language) of length n at s, written into w:
 * a region (2 letters) in capitals, a script (4 letters) capitalised,
 * the rest in lower case. */
static char *put_subtag(char *w, const char *s, size_t n, int k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (k > 0 && n == 2 && is_alpha(s[0]))
			ch = upper(ch);
		else if (k > 0 && n == 4 && i == 0 && is_alpha(ch))
			ch = upper(ch);
		else
			ch = lower(ch);
		*w++ = ch;
	}
	return w;
}

int lang_normalize(const char *tag, char out[LANG_TAG_MAX])
{
	const char *p = tag;
	char *w = out;
	int k = 0;

	out[0] = '\0';
	if (tag == NULL)
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	for (;;) {
		size_t n = 0, i;

		while (p[n] && p[n] != '-' && p[n] != '_' && p[n] != ' ' &&
		       p[n] != '\t' && p[n] != '\n' && p[n] != '\r')
			n++;
		if (n == 0 || n > 8 || (k == 0 && (n < 2 || n > 3)))
			goto bad;
		for (i = 0; i < n; i++)
			if (!is_alpha(p[i]) && (k == 0 || !is_digit(p[i])))
				goto bad;
		if ((size_t)(w - out) + n + (k > 0) >= LANG_TAG_MAX)
			goto bad;
		if (k > 0)
			*w++ = '-';
		w = put_subtag(w, p, n, k);
		p += n;
		k++;
		if (*p == '-' || *p == '_') {
			p++;
			continue;
		}
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != '\0')
			goto bad;
		*w = '\0';
		return 1;
	}
bad:
	out[0] = '\0';
	return 0;
}

const char *lang_pair_error(const char *entry, const char *what)
{
	const char *eq = strrchr(entry, '=');
	char tag[LANG_TAG_MAX];

	if (eq == NULL)
		return strcmp(what, "ADDRESS") == 0 ?
			       "not ADDRESS=LANGUAGE (as in \"anna@example.org=de\")" :
			       "not PREFIX=LANGUAGE (as in \"en/=en\")";
	if (eq == entry)
		return strcmp(what, "ADDRESS") == 0 ?
			       "the address before '=' is empty" :
			       "the path prefix before '=' is empty";
	if (strcmp(what, "ADDRESS") != 0 && entry[0] == '/')
		return "the path prefix is relative to site.directory: no "
		       "leading '/'";
	if (!lang_normalize(eq + 1, tag))
		return "the language after '=' is not a language tag (as in "
		       "\"en\", \"pt-BR\")";
	return NULL;
}

const char *lang_path_entry_error(const char *entry)
{
	return lang_pair_error(entry, "PREFIX");
}

const char *lang_for_path(const struct conf *c, const char *path)
{
	const char *best = NULL;
	size_t i, bestn = 0;

	for (i = 0; path && i < c->site_language_paths.n; i++) {
		const char *e = c->site_language_paths.v[i];
		const char *eq = strrchr(e, '=');
		size_t n;

		if (eq == NULL)
			continue;
		n = (size_t)(eq - e);
		if (n > bestn && strncmp(path, e, n) == 0) {
			best = eq + 1;
			bestn = n;
		}
	}
	return best;
}

void lang_decide(const struct conf *c, const char *page_lang,
		 const char *path, char out[LANG_TAG_MAX])
{
	if (page_lang && lang_normalize(page_lang, out))
		return;
	if (lang_normalize(lang_for_path(c, path), out))
		return;
	if (!lang_normalize(c->site_language, out))
		memcpy(out, "en", 3);
}

int lang_is(const char *tag, const char *lang)
{
	size_t n = strlen(lang);

	return tag && ascii_ncasecmp(tag, lang, n) == 0 &&
	       (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_');
}
