/* extract.c: body extraction, on lines.  The rules run in the order of
 * PARSE-SPEC.md; each marks lines as dropped or cuts the text short, and
 * the survivors are joined at the end.  Patterns are matched on a copy of
 * each line where no-break spaces are plain spaces (French clients put
 * one before the colon of "a écrit :") and ASCII case is ignored. */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "util.h"
#include "banned.h"

enum { L_TEXT, L_BLANK, L_QUOTE };

struct line {
	const char *s; /* the line, trailing whitespace removed */
	size_t len;
	size_t norm, nlen; /* its matching copy in ex->norm */
	int kind;
	int drop;
};

struct ex {
	struct line *l;
	size_t n;
	struct buf norm;
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int eq_ci(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* The matching copy of line i, leading blanks skipped. */
static const char *norm(const struct ex *ex, size_t i, size_t *n)
{
	const char *s = ex->norm.s + ex->l[i].norm;
	size_t k = ex->l[i].nlen;

	while (k > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		k--;
	}
	*n = k;
	return s;
}

static int starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && eq_ci(s, p, k);
}

static int ends(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && eq_ci(s + n - k, p, k);
}

static int contains(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p), i;

	for (i = 0; i + k <= n; i++)
		if (eq_ci(s + i, p, k))
			return 1;
	return 0;
}

static int starts_any(const char *s, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (starts(s, n, *set))
			return 1;
	return 0;
}

/* --- rule 1: lines, trailing whitespace removed --- */

static void split(struct ex *ex, const char *text, size_t len)
{
	size_t pos = 0, cap = 16;

	ex->l = xmalloc(cap * sizeof(*ex->l));
	ex->n = 0;
	buf_init(&ex->norm);
	while (pos <= len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, i;
		size_t next = nl ? end + 1 : len + 1;
		struct line *l;

		if (!nl && pos == len && len > 0)
			break; /* text ended with a newline */
		for (;;) { /* blanks, CR, and U+00A0 at the end */
			if (end > pos && strchr(" \t\r\v\f", text[end - 1]) &&
			    text[end - 1] != '\0')
				end--;
			else if (end >= pos + 2 && text[end - 2] == '\xC2' &&
				 text[end - 1] == '\xA0')
				end -= 2;
			else
				break;
		}
		if (ex->n == cap) {
			cap *= 2;
			ex->l = xrealloc(ex->l, cap * sizeof(*ex->l));
		}
		l = &ex->l[ex->n++];
		l->s = text + pos;
		l->len = end - pos;
		l->kind = l->len == 0 ? L_BLANK :
			  l->s[0] == '>' ? L_QUOTE : L_TEXT;
		l->drop = 0;
		l->norm = ex->norm.len;
		for (i = 0; i < l->len; i++) {
			const char *c = l->s + i;

			if (i + 1 < l->len && c[0] == '\xC2' && c[1] == '\xA0') {
				buf_addc(&ex->norm, ' '); /* U+00A0 */
				i++;
			} else if (i + 2 < l->len && c[0] == '\xE2' &&
				   c[1] == '\x80' && c[2] == '\xAF') {
				buf_addc(&ex->norm, ' '); /* U+202F */
				i += 2;
			} else {
				buf_addc(&ex->norm, *c);
			}
		}
		l->nlen = ex->norm.len - l->norm;
		pos = next;
	}
}

/* --- rule 2: signature --- */

static void cut_signature(struct ex *ex)
{
	size_t i;

	for (i = 0; i < ex->n; i++)
		if (ex->l[i].len == 2 && memcmp(ex->l[i].s, "--", 2) == 0) {
			ex->n = i;
			return;
		}
}

/* --- rule 3: quoted material to the end --- */

/* The separators of the spec, as written (ASCII case ignored), and
 * Zimbra's ("----- Mail original -----", "----- Original Message -----"). */
static int separator(const char *s, size_t n)
{
	static const char *const lines[] = {
		"-----Original Message-----",
		"-----Message d'origine-----",
		"-------- Message d'origine --------",
		"-------- Original Message --------",
		"----- Original Message -----",
		"----- Mail original -----",
		"---------- Forwarded message ---------",
		"-------- Message transf\xC3\xA9r\xC3\xA9 --------",
		"Begin forwarded message:",
		"D\xC3\xA9" "but du message r\xC3\xA9" "exp\xC3\xA9" "di\xC3\xA9 :",
		NULL,
	};
	const char *const *p;

	for (p = lines; *p; p++)
		if (n == strlen(*p) && eq_ci(s, *p, n))
			return 1;
	return 0;
}

static int underscores(const char *s, size_t n)
{
	size_t i;

	if (n < 32)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			return 0;
	return 1;
}

static const char *const hdr_from[] = { "From:", "De :", "De:", "Von:",
					NULL };
/* French clients write "Envoyé :" (Outlook, often with a no-break space,
 * which matches since lines are compared with no-break spaces as spaces)
 * or "Envoyé:" without a space (Zimbra). */
static const char *const hdr_sent[] = {
	"Sent:", "Envoy\xC3\xA9 :", "Envoy\xC3\xA9:", "Gesendet:", "Date:",
	"Date :", "Enviado:", NULL,
};
static const char *const hdr_to[] = {
	"To:", "\xC3\x80 :", "\xC3\x80:", "An:", "Para:", "Subject:",
	"Objet :", "Objet:", NULL,
};

/* Outlook's header block: a From line, then within 4 lines a Sent line
 * and a To line.  Bold markers ("*From:*") from HTML conversions are
 * allowed. */
static const char *unstar(const char *s, size_t *n)
{
	if (*n > 0 && *s == '*') {
		s++;
		(*n)--;
	}
	return s;
}

static int header_block(const struct ex *ex, size_t i)
{
	int sent = 0, to = 0;
	size_t n, j;
	const char *s = norm(ex, i, &n);

	s = unstar(s, &n);
	if (ex->l[i].kind != L_TEXT || !starts_any(s, n, hdr_from))
		return 0;
	for (j = i + 1; j < ex->n && j <= i + 4; j++) {
		s = norm(ex, j, &n);
		s = unstar(s, &n);
		sent |= starts_any(s, n, hdr_sent);
		to |= starts_any(s, n, hdr_to);
	}
	return sent && to;
}

static int lang_attribution(const char *s, size_t n);
static int has_digit(const char *s, size_t n);

/* Yahoo and some webmails quote the message under the attribution
 * without any ">": an attribution with a date in it, followed by text
 * but by no quote line at all, starts quoted material too.  last_quote
 * and last_text (the last such lines, or -1) keep this linear. */
static int unquoted_attribution(const struct ex *ex, size_t i,
				long last_quote, long last_text)
{
	size_t n;
	const char *s;

	if ((long)i <= last_quote || (long)i >= last_text)
		return 0;
	s = norm(ex, i, &n);
	return lang_attribution(s, n) && has_digit(s, n);
}

static void cut_quoted(struct ex *ex)
{
	long last_quote = -1, last_text = -1;
	size_t i, n;

	for (i = 0; i < ex->n; i++) {
		if (ex->l[i].kind == L_QUOTE)
			last_quote = (long)i;
		else if (ex->l[i].kind == L_TEXT)
			last_text = (long)i;
	}
	for (i = 0; i < ex->n; i++) {
		const char *s = norm(ex, i, &n);

		if (ex->l[i].kind != L_TEXT)
			continue;
		if (separator(s, n) || underscores(s, n) ||
		    header_block(ex, i) ||
		    unquoted_attribution(ex, i, last_quote, last_text)) {
			ex->n = i;
			return;
		}
	}
}

/* --- rule 4: attributions --- */

static int has_digit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* "On ... wrote:" and its sisters, a whole attribution in one string. */
static int lang_attribution(const char *s, size_t n)
{
	return (starts(s, n, "On ") && ends(s, n, "wrote:")) ||
	       (starts(s, n, "Le ") && (ends(s, n, "a \xC3\xA9" "crit :") ||
					ends(s, n, "a \xC3\xA9" "crit:"))) ||
	       (starts(s, n, "Am ") && contains(s, n, "schrieb") &&
		ends(s, n, ":")) ||
	       (starts(s, n, "El ") && ends(s, n, "escribi\xC3\xB3:")) ||
	       (starts(s, n, "Il ") && ends(s, n, "ha scritto:")) ||
	       (starts(s, n, "Op ") && contains(s, n, "schreef") &&
		ends(s, n, ":")) ||
	       (starts(s, n, "Em ") && ends(s, n, "escreveu:"));
}

/* "... wrote:" / "... a écrit :" ending a line. */
static int any_attribution(const char *s, size_t n)
{
	static const char *const tails[] = {
		" wrote:", " a \xC3\xA9" "crit :", " a \xC3\xA9" "crit:", NULL,
	};
	const char *const *t;

	for (t = tails; *t; t++)
		if (ends(s, n, *t))
			return 1;
	return 0;
}

/* Drops the attribution that ends at line a (the last non-blank line
 * before a quote block), on one line or wrapped over two. */
static void drop_attribution(struct ex *ex, size_t a, struct buf *tmp)
{
	size_t n, pn;
	const char *s = norm(ex, a, &n), *p;

	if (lang_attribution(s, n)) {
		ex->l[a].drop = 1;
		return;
	}
	if (a > 0 && ex->l[a - 1].kind == L_TEXT && !ex->l[a - 1].drop) {
		p = norm(ex, a - 1, &pn);
		buf_reset(tmp);
		buf_add(tmp, p, pn);
		buf_addc(tmp, ' ');
		buf_add(tmp, s, n);
		/* a date in it, so "On the other hand ... / Jean wrote:" is
		 * not taken for one */
		if (lang_attribution(tmp->s, tmp->len) &&
		    has_digit(tmp->s, tmp->len)) {
			ex->l[a - 1].drop = 1;
			ex->l[a].drop = 1;
			return;
		}
	}
	if (any_attribution(s, n))
		ex->l[a].drop = 1;
}

static void drop_attributions(struct ex *ex)
{
	struct buf tmp;
	size_t i, prev = (size_t)-1; /* last non-blank line */

	buf_init(&tmp);
	for (i = 0; i < ex->n; i++) {
		if (ex->l[i].kind == L_BLANK)
			continue;
		if (ex->l[i].kind == L_QUOTE && prev != (size_t)-1 &&
		    ex->l[prev].kind == L_TEXT)
			drop_attribution(ex, prev, &tmp);
		prev = i;
	}
	buf_free(&tmp);
}

/* --- rule 5: quotes ---
 *
 * The inline-reply rule.  Look at the non-blank lines that are left, in
 * order, as alternating blocks of quote lines and of new text.  If at
 * least two blocks of new text each come right after a quote block, the
 * sender is answering the quoted message point by point: the quotes are
 * the questions, and the reply makes no sense without them.  Then every
 * quote block that is followed by new text stays, as written ("> ..."),
 * and only quote blocks with no new text after them (the rest of the
 * quoted message, usually at the end) are dropped.  In every other case
 * (top-posting, bottom-posting under one quote block, a message of quotes
 * only) every quote line is dropped.  Blank lines do not separate blocks. */
static void drop_quotes(struct ex *ex)
{
	size_t i, answers = 0;
	int prev = L_BLANK; /* kind of the previous non-blank line */

	for (i = 0; i < ex->n; i++) {
		const struct line *l = &ex->l[i];

		if (l->drop || l->kind == L_BLANK)
			continue;
		if (l->kind == L_TEXT && prev == L_QUOTE)
			answers++;
		prev = l->kind;
	}
	if (answers >= 2) {
		/* drop the trailing quote blocks: those with no text after */
		for (i = ex->n; i > 0; i--) {
			struct line *l = &ex->l[i - 1];

			if (l->drop || l->kind == L_BLANK)
				continue;
			if (l->kind == L_TEXT)
				break;
			l->drop = 1;
		}
		return;
	}
	for (i = 0; i < ex->n; i++)
		if (ex->l[i].kind == L_QUOTE)
			ex->l[i].drop = 1;
}

/* --- rule 2, second half: mobile footers --- */

static void drop_footer(struct ex *ex)
{
	static const char *const footers[] = {
		"Sent from my ",
		"Sent from Mail for Windows",
		"Sent from Yahoo Mail",
		"Get Outlook for iOS",
		"Get Outlook for Android",
		"Envoy\xC3\xA9 de mon ",
		"Envoy\xC3\xA9 depuis mon ",
		"T\xC3\xA9l\xC3\xA9" "charger Outlook pour Android",
		"T\xC3\xA9l\xC3\xA9" "charger Outlook pour iOS",
		"Von meinem iPhone gesendet",
		"Enviado desde mi iPhone",
		"Inviato da iPhone",
		NULL,
	};
	size_t i, n;

	for (i = ex->n; i > 0; i--) {
		struct line *l = &ex->l[i - 1];
		const char *s;

		if (l->drop || l->kind == L_BLANK)
			continue;
		s = norm(ex, i - 1, &n);
		if (l->kind == L_TEXT && starts_any(s, n, footers))
			l->drop = 1;
		return;
	}
}

/* --- rule 6: blank lines --- */

static char *join(const struct ex *ex)
{
	struct buf out;
	size_t i;
	int blank = 0;

	buf_init(&out);
	for (i = 0; i < ex->n; i++) {
		const struct line *l = &ex->l[i];

		if (l->drop)
			continue;
		if (l->kind == L_BLANK) {
			blank = out.len > 0;
			continue;
		}
		if (out.len > 0)
			buf_adds(&out, blank ? "\n\n" : "\n");
		blank = 0;
		buf_add(&out, l->s, l->len);
	}
	return buf_detach(&out);
}

char *extract_body(const char *text, size_t len)
{
	struct ex ex;
	char *body;

	split(&ex, text, len);
	cut_signature(&ex);
	cut_quoted(&ex);
	drop_attributions(&ex);
	drop_quotes(&ex);
	/* A phone footer is dropped when it ends the new text, so after
	 * the quotes under it are gone ("Sent from my iPhone" sits above
	 * the quoted message when replying from a phone). */
	drop_footer(&ex);
	body = join(&ex);
	free(ex.l);
	buf_free(&ex.norm);
	return body;
}
