/* replyforms.c: the tables of replyforms.h and their matching.  The
 * tables are data, one row per language and form, written the way the
 * clients write them (Gmail, Outlook, Apple Mail, Thunderbird and the
 * phones' mail apps); the code only walks them.  Adding a language is
 * adding rows. */
#include <string.h>

#include "replyforms.h"
#include "util.h"
#include "banned.h"

#define FW_COLON "\xEF\xBC\x9A" /* U+FF1A, the full-width colon */

/* s against a pattern p of n bytes: ASCII case ignored */
static int rf_eq(const char *s, const char *p, size_t n)
{
	return ascii_ncasecmp(s, p, n) == 0;
}

static int rf_starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && rf_eq(s, p, k);
}

static int rf_ends(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && rf_eq(s + n - k, p, k);
}

static int rf_contains(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p), i;

	for (i = 0; i + k <= n; i++)
		if (rf_eq(s + i, p, k))
			return 1;
	return 0;
}

static void rf_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* --- attributions --- */

enum { A_START, A_END, A_HAS };

struct rf_attr {
	const char *lang;
	int how;          /* A_START: starts with start and holds word;
			   * A_END: ends with word; A_HAS: holds word */
	const char *start;
	const char *word;
};

/* The colon at the end is matched apart; words are written without it. */
static const struct rf_attr attrs[] = {
	{ "en", A_START, "On ", " wrote" },
	{ "en", A_START, "On ", " sent" },
	{ "en", A_START, "On ", " writes" },
	{ "en", A_END, "", " wrote" },
	{ "en", A_END, "", " writes" },
	{ "en", A_START, "Quoting ", "@" },      /* Horde */
	{ "fr", A_START, "Le ", " a \xC3\xA9" "crit" },
	{ "fr", A_END, "", " a \xC3\xA9" "crit" },
	{ "fr", A_START, "Citation ", "@" },
	{ "de", A_START, "Am ", " schrieb" },
	{ "de", A_END, "", " schrieb" },
	{ "de", A_END, "", " geschrieben" },
	{ "de", A_HAS, "", " schrieb am " },
	{ "de", A_START, "Zitat von ", "@" },
	{ "es", A_START, "El ", " escribi\xC3\xB3" },
	{ "es", A_END, "", " escribi\xC3\xB3" },
	{ "ca", A_START, "El ", " va escriure" },
	{ "ca", A_END, "", " va escriure" },
	{ "it", A_START, "Il ", " ha scritto" },
	{ "it", A_END, "", " ha scritto" },
	{ "it", A_END, "", " scrive" },
	{ "nl", A_START, "Op ", " schreef" },
	{ "nl", A_END, "", " schreef" },
	{ "nl", A_HAS, "", " schreef op " },
	{ "pt", A_START, "Em ", " escreveu" },
	{ "pt", A_START, "No dia ", " escreveu" },
	{ "pt", A_END, "", " escreveu" },
	{ "pl", A_START, "W dniu ", " napisa\xC5\x82" },
	{ "pl", A_START, "Dnia ", " napisa\xC5\x82" },
	{ "pl", A_START, "W dniu ", " pisze" },   /* Thunderbird */
	{ "pl", A_END, "", " pisze" },
	{ "pl", A_END, "", " napisa\xC5\x82" },
	{ "pl", A_END, "", " napisa\xC5\x82(a)" },
	{ "pl", A_END, "", " napisa\xC5\x82" "a" },
	{ "sv", A_START, "Den ", " skrev" },   /* and da, no */
	{ "sv", A_END, "", " skrev" },
	{ "sv", A_HAS, "", " skrev den " },
	{ "da", A_HAS, "", " skrev d. " },
	{ "fi", A_END, "", " kirjoitti" },
	{ "fi", A_HAS, "", " kirjoitti " },
	{ "et", A_END, "", " kirjutas" },
	{ "ru", A_END, "", " \xD0\xBF\xD0\xB8\xD1\x88\xD0\xB5\xD1\x82" },
	{ "ru", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0"
			   "\xD0\xBB" },
	{ "ru", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0"
			   "\xD0\xBB(\xD0\xB0)" },
	{ "ru", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0"
			   "\xD0\xBB\xD0\xB0" },
	{ "uk", A_END, "", " \xD0\xBF\xD0\xB8\xD1\x88\xD0\xB5" },
	{ "uk", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0"
			   "\xD0\xB2" },
	{ "uk", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0"
			   "\xD0\xB2(\xD0\xBB\xD0\xB0)" },
	{ "bg", A_END, "", " \xD0\xBD\xD0\xB0\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0" },
	{ "vi", A_START, "V\xC3\xA0o ", " vi\xE1\xBA\xBFt" },
	{ "vi", A_END, "", " \xC4\x91\xC3\xA3 vi\xE1\xBA\xBFt" },
	{ "cs", A_START, "Dne ", " napsal" },
	{ "cs", A_END, "", " napsal" },
	{ "cs", A_END, "", " napsal(a)" },
	{ "cs", A_END, "", " napsala" },
	{ "sk", A_END, "", " nap\xC3\xADsal" },
	{ "sk", A_END, "", " nap\xC3\xADsal(a)" },
	{ "sl", A_END, "", " je napisal" },
	{ "sl", A_END, "", " je napisal(a)" },
	{ "hr", A_END, "", " je napisao" },
	{ "hr", A_END, "", " je napisala" },
	{ "hr", A_END, "", " je napisao/la" },
	{ "tr", A_END, "", " yazd\xC4\xB1" },
	{ "hu", A_END, "", " \xC3\xADrta" },
	{ "hu", A_HAS, "", " ezt \xC3\xADrta (id\xC5\x91pont:" },
	{ "ro", A_START, "Pe ", " a scris" },
	{ "ro", A_END, "", " a scris" },
	{ "el", A_START, "\xCE\xA3\xCF\x84\xCE\xB9\xCF\x82 ",
	  " \xCE\xAD\xCE\xB3\xCF\x81\xCE\xB1\xCF\x88\xCE\xB5" },
	{ "el", A_END, "", " \xCE\xAD\xCE\xB3\xCF\x81\xCE\xB1\xCF\x88\xCE\xB5" },
	{ "id", A_START, "Pada ", " menulis" },
	{ "id", A_END, "", " menulis" },
	{ "lt", A_END, "", " ra\xC5\xA1\xC4\x97" },
	{ "lv", A_END, "", " rakst\xC4\xAB" "ja" },
	{ "ja", A_END, "", "\xE3\x81\xAE\xE3\x83\xA1\xE3\x83\xBC\xE3\x83\xAB" },
	{ "ja", A_END, "", "\xE6\x9B\xB8\xE3\x81\x8D\xE3\x81\xBE\xE3\x81\x97"
			   "\xE3\x81\x9F" },
	{ "zh", A_END, "", "\xE5\x86\x99\xE9\x81\x93" },
	{ "zh", A_END, "", "\xE5\xAF\xAB\xE9\x81\x93" },
	{ "ko", A_END, "", "\xEB\x8B\x98\xEC\x9D\xB4 \xEC\x9E\x91\xEC\x84\xB1" },
	{ "he", A_END, "", " \xD7\x9B\xD7\xAA\xD7\x91" },
	{ "he", A_END, "", " \xD7\x9B\xD7\xAA\xD7\x91/\xD7\x94" },
	{ "ar", A_END, "", " \xD9\x83\xD8\xAA\xD8\xA8" },
	{ "fa", A_END, "", " \xD9\x86\xD9\x88\xD8\xB4\xD8\xAA" },
	{ NULL, 0, NULL, NULL },
};

static int rf_digit_early(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 40; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* Gmail in the languages whose attribution has no verb (ja, ru, ko...),
 * and English date-first lines: a date, a name, "<address>", a colon. */
static int rf_date_address(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '>' && memchr(s, '@', n) != NULL &&
	       memchr(s, '<', n) != NULL && rf_digit_early(s, n);
}

int rf_attribution(const char *s, size_t n)
{
	const struct rf_attr *a;

	rf_trim(&s, &n);
	if (n > 400)
		return 0; /* a paragraph, not an attribution */
	if (rf_ends(s, n, FW_COLON))
		n -= 3;
	else if (n > 0 && s[n - 1] == ':')
		n--;
	else
		return 0;
	rf_trim(&s, &n);
	if (rf_date_address(s, n))
		return 1;
	for (a = attrs; a->lang; a++) {
		switch (a->how) {
		case A_START:
			if (rf_starts(s, n, a->start) &&
			    rf_contains(s + strlen(a->start),
					n - strlen(a->start), a->word))
				return 1;
			break;
		case A_END:
			if (rf_ends(s, n, a->word) && n > strlen(a->word))
				return 1;
			break;
		default:
			if (rf_contains(s, n, a->word))
				return 1;
		}
	}
	return 0;
}

int rf_attribution_start(const char *s, size_t n)
{
	const struct rf_attr *a;

	rf_trim(&s, &n);
	for (a = attrs; a->lang; a++)
		if (a->how == A_START && rf_starts(s, n, a->start))
			return 1;
	return 0;
}

/* --- header blocks --- */

struct rf_field {
	const char *name; /* without the colon */
	int cat;
};

static const struct rf_field fields[] = {
	/* en */
	{ "From", RF_FROM }, { "Sent", RF_DATE }, { "Date", RF_DATE },
	{ "To", RF_TO }, { "Cc", RF_CC }, { "Subject", RF_SUBJECT },
	/* fr */
	{ "De", RF_FROM }, { "Envoy\xC3\xA9 le", RF_DATE },
	{ "Envoy\xC3\xA9", RF_DATE }, { "\xC3\x80", RF_TO },
	{ "Objet", RF_SUBJECT },
	/* de */
	{ "Von", RF_FROM }, { "Gesendet", RF_DATE }, { "Datum", RF_DATE },
	{ "An", RF_TO }, { "Betreff", RF_SUBJECT },
	/* es, pt */
	{ "Enviado el", RF_DATE }, { "Enviado", RF_DATE },
	{ "Enviada em", RF_DATE }, { "Enviado em", RF_DATE },
	{ "Enviada", RF_DATE },
	{ "Fecha", RF_DATE }, { "Para", RF_TO }, { "Asunto", RF_SUBJECT },
	{ "Assunto", RF_SUBJECT }, { "Data", RF_DATE },
	/* it */
	{ "Da", RF_FROM }, { "Inviato", RF_DATE }, { "A", RF_TO },
	{ "Oggetto", RF_SUBJECT },
	/* nl */
	{ "Van", RF_FROM }, { "Verzonden", RF_DATE }, { "Aan", RF_TO },
	{ "Onderwerp", RF_SUBJECT },
	/* sv, da, no */
	{ "Fr\xC3\xA5n", RF_FROM }, { "Skickat", RF_DATE },
	{ "Till", RF_TO }, { "\xC3\x84mne", RF_SUBJECT },
	{ "Fra", RF_FROM }, { "Sendt", RF_DATE }, { "Dato", RF_DATE },
	{ "Til", RF_TO }, { "Emne", RF_SUBJECT },
	/* fi */
	{ "L\xC3\xA4hett\xC3\xA4j\xC3\xA4", RF_FROM },
	{ "L\xC3\xA4hetetty", RF_DATE }, { "Vastaanottaja", RF_TO },
	{ "Aihe", RF_SUBJECT },
	/* pl, cs */
	{ "Od", RF_FROM }, { "Wys\xC5\x82" "ano", RF_DATE },
	{ "Do", RF_TO }, { "Temat", RF_SUBJECT },
	{ "Odesl\xC3\xA1no", RF_DATE }, { "Komu", RF_TO },
	{ "P\xC5\x99" "edm\xC4\x9Bt", RF_SUBJECT },
	/* ru, uk */
	{ "\xD0\x9E\xD1\x82", RF_FROM },
	{ "\xD0\x9E\xD1\x82\xD0\xBF\xD1\x80\xD0\xB0\xD0\xB2\xD0\xBB\xD0\xB5"
	  "\xD0\xBD\xD0\xBE", RF_DATE },
	{ "\xD0\x94\xD0\xB0\xD1\x82\xD0\xB0", RF_DATE },
	{ "\xD0\x9A\xD0\xBE\xD0\xBC\xD1\x83", RF_TO },
	{ "\xD0\xA2\xD0\xB5\xD0\xBC\xD0\xB0", RF_SUBJECT },
	{ "\xD0\x92\xD1\x96\xD0\xB4", RF_FROM },
	{ "\xD0\x9D\xD0\xB0\xD0\xB4\xD1\x96\xD1\x81\xD0\xBB\xD0\xB0\xD0\xBD"
	  "\xD0\xBE", RF_DATE },
	/* tr, hu, ro */
	{ "Kimden", RF_FROM }, { "G\xC3\xB6nderildi", RF_DATE },
	{ "Tarih", RF_DATE }, { "Kime", RF_TO }, { "Konu", RF_SUBJECT },
	{ "Felad\xC3\xB3", RF_FROM }, { "Elk\xC3\xBC" "ldve", RF_DATE },
	{ "D\xC3\xA1tum", RF_DATE }, { "C\xC3\xADmzett", RF_TO },
	{ "T\xC3\xA1rgy", RF_SUBJECT },
	{ "De la", RF_FROM }, { "Trimis", RF_DATE },
	{ "C\xC4\x83tre", RF_TO }, { "Subiect", RF_SUBJECT },
	/* el */
	{ "\xCE\x91\xCF\x80\xCF\x8C", RF_FROM },
	{ "\xCE\xA3\xCF\x84\xCE\xAC\xCE\xBB\xCE\xB8\xCE\xB7\xCE\xBA\xCE\xB5",
	  RF_DATE },
	{ "\xCE\xA0\xCF\x81\xCE\xBF\xCF\x82", RF_TO },
	{ "\xCE\x98\xCE\xAD\xCE\xBC\xCE\xB1", RF_SUBJECT },
	/* vi */
	{ "T\xE1\xBB\xAB", RF_FROM }, { "\xC4\x90\xC3\xA3 g\xE1\xBB\xADi",
					 RF_DATE },
	{ "\xC4\x90\xE1\xBA\xBFn", RF_TO },
	{ "Ch\xE1\xBB\xA7 \xC4\x91\xE1\xBB\x81", RF_SUBJECT },
	/* ja */
	{ "\xE5\xB7\xAE\xE5\x87\xBA\xE4\xBA\xBA", RF_FROM },
	{ "\xE9\x80\x81\xE4\xBF\xA1\xE6\x97\xA5\xE6\x99\x82", RF_DATE },
	{ "\xE5\xAE\x9B\xE5\x85\x88", RF_TO },
	{ "\xE4\xBB\xB6\xE5\x90\x8D", RF_SUBJECT },
	/* zh (simplified, traditional) */
	{ "\xE5\x8F\x91\xE4\xBB\xB6\xE4\xBA\xBA", RF_FROM },
	{ "\xE5\x8F\x91\xE9\x80\x81\xE6\x97\xB6\xE9\x97\xB4", RF_DATE },
	{ "\xE6\x94\xB6\xE4\xBB\xB6\xE4\xBA\xBA", RF_TO },
	{ "\xE4\xB8\xBB\xE9\xA2\x98", RF_SUBJECT },
	{ "\xE5\xAF\x84\xE4\xBB\xB6\xE8\x80\x85", RF_FROM },
	{ "\xE5\x82\xB3\xE9\x80\x81\xE6\x99\x82\xE9\x96\x93", RF_DATE },
	{ "\xE4\xB8\xBB\xE6\x97\xA8", RF_SUBJECT },
	/* ko */
	{ "\xEB\xB3\xB4\xEB\x82\xB8 \xEC\x82\xAC\xEB\x9E\x8C", RF_FROM },
	{ "\xEB\xB3\xB4\xEB\x82\xB8 \xEB\x82\xA0\xEC\xA7\x9C", RF_DATE },
	{ "\xEB\xB0\x9B\xEB\x8A\x94 \xEC\x82\xAC\xEB\x9E\x8C", RF_TO },
	{ "\xEC\xA0\x9C\xEB\xAA\xA9", RF_SUBJECT },
	{ NULL, 0 },
};

/* A colon, ASCII or full-width (its first byte is enough here), within
 * the length of the longest field name. */
static int rf_colon_near(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 40; i++)
		if (s[i] == ':' || s[i] == '\xEF')
			return 1;
	return 0;
}

int rf_header_field(const char *s, size_t n)
{
	const struct rf_field *f;

	rf_trim(&s, &n);
	if (!rf_colon_near(s, n))
		return RF_NONE; /* most lines: no table lookup */
	while (n > 0 && *s == '*') { /* "*From:*" of HTML made text */
		s++;
		n--;
	}
	for (f = fields; f->name; f++) {
		size_t k = strlen(f->name);
		const char *r;
		size_t m;

		if (!rf_starts(s, n, f->name))
			continue;
		r = s + k;
		m = n - k;
		while (m > 0 && *r == ' ') {
			r++;
			m--;
		}
		if (m > 0 && *r == '*') { /* "*From*:" */
			r++;
			m--;
		}
		if ((m > 0 && *r == ':') || rf_starts(r, m, FW_COLON))
			return f->cat;
	}
	return RF_NONE;
}

/* --- separators --- */

static const char *const separators[] = {
	"original message", "reply message", "replied message",
	"forwarded message",
	"message d'origine", "mail original", "message transf\xC3\xA9r\xC3\xA9",
	"urspr\xC3\xBCngliche nachricht", "weitergeleitete nachricht",
	"originalnachricht",
	"mensaje original", "mensaje reenviado", "mensagem original",
	"mensagem encaminhada", "messaggio originale", "messaggio inoltrato",
	"oorspronkelijk bericht", "origineel bericht", "doorgestuurd bericht",
	"ursprungligt meddelande", "originalmeddelande",
	"vidarebefordrat meddelande", "oprindelig meddelelse",
	"videresendt meddelelse", "opprinnelig melding",
	"videresendt melding", "alkuper\xC3\xA4inen viesti",
	"v\xC3\xA4litetty viesti", "wiadomo\xC5\x9B\xC4\x87 oryginalna",
	"oryginalna wiadomo\xC5\x9B\xC4\x87", "p\xC5\xAFvodn\xC3\xAD zpr\xC3\xA1va",
	"orijinal mesaj", "eredeti \xC3\xBCzenet", "mesaj original",
	"mesajul original",
	"\xD0\x98\xD1\x81\xD1\x85\xD0\xBE\xD0\xB4\xD0\xBD\xD0\xBE\xD0\xB5 "
	"\xD1\x81\xD0\xBE\xD0\xBE\xD0\xB1\xD1\x89\xD0\xB5\xD0\xBD\xD0\xB8\xD0"
	"\xB5",
	"\xD0\x9F\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD1\x8B\xD0\xBB\xD0\xB0\xD0"
	"\xB5\xD0\xBC\xD0\xBE\xD0\xB5 \xD1\x81\xD0\xBE\xD0\xBE\xD0\xB1\xD1\x89"
	"\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5",
	"\xCE\x91\xCF\x81\xCF\x87\xCE\xB9\xCE\xBA\xCF\x8C \xCE\xBC\xCE\xAE"
	"\xCE\xBD\xCF\x85\xCE\xBC\xCE\xB1",
	"\xE5\x8E\x9F\xE5\xA7\x8B\xE9\x82\xAE\xE4\xBB\xB6",
	"\xE5\x8E\x9F\xE5\xA7\x8B\xE9\x83\xB5\xE4\xBB\xB6",
	"\xEC\x9B\x90\xEB\xB3\xB8 \xEB\xA9\x94\xEC\x8B\x9C\xEC\xA7\x80",
	"\xE5\x85\x83\xE3\x81\xAE\xE3\x83\xA1\xE3\x83\x83\xE3\x82\xBB\xE3\x83"
	"\xBC\xE3\x82\xB8",
	"th\xC6\xB0 g\xE1\xBB\x91" "c",
	NULL,
};

/* Apple Mail's forward lines, whole. */
static const char *const forward_lines[] = {
	"Begin forwarded message:",
	"D\xC3\xA9" "but du message r\xC3\xA9" "exp\xC3\xA9" "di\xC3\xA9 :",
	"Anfang der weitergeleiteten Nachricht:",
	"Inizio messaggio inoltrato:",
	"Comienzo del mensaje reenviado:",
	"Begin doorgestuurd bericht:",
	"In\xC3\xAD" "cio da mensagem reencaminhada:",
	NULL,
};

static int rf_dash(char c)
{
	return c == '-' || c == '_' || c == '=' || c == ' ';
}

int rf_separator(const char *s, size_t n)
{
	const char *const *p;
	size_t dashes = 0;

	rf_trim(&s, &n);
	for (p = forward_lines; *p; p++)
		if (n == strlen(*p) && rf_eq(s, *p, n))
			return 1;
	while (n > 0 && rf_dash(*s)) {
		dashes += *s == '-';
		s++;
		n--;
	}
	while (n > 0 && rf_dash(s[n - 1]))
		n--;
	if (dashes < 2)
		return 0;
	for (p = separators; *p; p++)
		if (n == strlen(*p) && rf_eq(s, *p, n))
			return 1;
	return 0;
}

/* --- phone signatures --- */

static const char *const phone_starts[] = {
	"Sent from my ", "Sent from ", "Sent with ", "Sent via ",
	"Get Outlook for ", "Envoy\xC3\xA9 de mon ", "Envoy\xC3\xA9 depuis ",
	"Envoy\xC3\xA9 \xC3\xA0 partir de ", "T\xC3\xA9l\xC3\xA9" "charger ",
	"Von meinem ", "Gesendet von ", "Gesendet mit ",
	"Enviado desde ", "Enviado do meu ", "Enviado de meu ",
	"Enviado a partir do ", "Inviato da ", "Inviato dal ",
	"Verzonden vanaf ", "Verstuurd vanaf ", "Verzonden met ",
	"Wys\xC5\x82" "ane z ", "Skickat fr\xC3\xA5n ", "Sendt fra ",
	"L\xC3\xA4hetetty ", "\xD0\x9E\xD1\x82\xD0\xBF\xD1\x80\xD0\xB0\xD0\xB2"
	"\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xBE \xD1\x81 ",
	"\xD0\x9D\xD0\xB0\xD0\xB4\xD1\x96\xD1\x81\xD0\xBB\xD0\xB0\xD0\xBD\xD0"
	"\xBE \xD0\xB7 ",
	"G\xE1\xBB\xADi t\xE1\xBB\xAB ", "Odesl\xC3\xA1no z ",
	"Trimis de pe ", "\xCE\x95\xCF\x83\xCF\x84\xCE\xAC\xCE\xBB\xCE\xB7 "
	"\xCE\xB1\xCF\x80\xCF\x8C ",
	"\xE4\xBB\x8E\xE6\x88\x91\xE7\x9A\x84", /* 从我的 */
	"\xE7\x99\xBC\xE8\x87\xAA\xE6\x88\x91\xE7\x9A\x84", /* 發自我的 */
	"\xE5\x8F\x91\xE8\x87\xAA\xE6\x88\x91\xE7\x9A\x84", /* 发自我的 */
	NULL,
};

static const char *const phone_ends[] = {
	"'umdan g\xC3\xB6nderildi", "'dan g\xC3\xB6nderildi",
	"-r\xC3\xB3l k\xC3\xBC" "ldve", "-r\xC5\x91l k\xC3\xBC" "ldve",
	"\xE3\x81\x8B\xE3\x82\x89\xE9\x80\x81\xE4\xBF\xA1", /* から送信 */
	"\xEC\x97\x90\xEC\x84\x9C \xEB\xB3\xB4\xEB\x83\x84", /* 에서 보냄 */
	"iPhonesta", "Androidista",
	NULL,
};

static size_t rf_words(const char *s, size_t n)
{
	size_t i, w = 0;
	int in = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			in = 0;
		} else if (!in) {
			in = 1;
			w++;
		}
	}
	return w;
}

/* The word after a phone form names a device or an app ("iPhone",
 * "Wiko", "Outlook", "Galaxy", "phone"), not a place: "Sent from my desk"
 * and "Sent from home" are sentences. */
static int rf_device(const char *s, size_t n)
{
	static const char *const owners[] = {
		"my ", "mon ", "ma ", "mi ", "meu ", "mijn ", "min ", "mio ",
		"mojego ", "moje ", "meinem ", "mein ", NULL,
	};
	static const char *const devices[] = {
		"phone", "mobile", "smartphone", "tablet", "handy",
		"t\xC3\xA9l\xC3\xA9phone", "portable", "telefon", "m\xC3\xB3vil",
		"cellulare", "celular", "appareil", "telefoon", "mobiel", "puhelin", NULL,
	};
	const char *const *p;
	size_t i;

	for (p = owners; *p; p++)
		if (rf_starts(s, n, *p)) {
			s += strlen(*p);
			n -= strlen(*p);
			break;
		}
	for (p = devices; *p; p++)
		if (rf_starts(s, n, *p))
			return 1;
	for (i = 0; i < n && s[i] != ' '; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

int rf_phone_signature(const char *s, size_t n)
{
	const char *const *p;

	rf_trim(&s, &n);
	if (n == 0 || n > 100 || memchr(s, ',', n) || memchr(s, ';', n) ||
	    memchr(s, '!', n) || memchr(s, '?', n))
		return 0;
	if (rf_words(s, n) > 8)
		return 0;
	for (p = phone_starts; *p; p++) {
		size_t k = strlen(*p);

		if (n > k && rf_starts(s, n, *p) &&
		    rf_words(s + k, n - k) <= 5 && rf_device(s + k, n - k))
			return 1;
	}
	if (s[n - 1] == '.')
		n--;
	for (p = phone_ends; *p; p++)
		if (rf_ends(s, n, *p) && rf_words(s, n) <= 6 && n > strlen(*p))
			return 1;
	return 0;
}

/* --- mailing-list footers --- */

int rf_list_footer(const char *s, size_t n)
{
	static const char *const words[] = {
		"mailing list", "listinfo", "unsubscribe", "mailman",
		"@googlegroups.com", "liste de diffusion", "d\xC3\xA9sabonner",
		"d\xC3\xA9sinscri", "mailingliste", "abmelden", "abbestellen",
		"lista de correo", "lista di distribuzione", "lista de discuss",
		NULL,
	};
	const char *const *w;

	for (w = words; *w; w++)
		if (rf_contains(s, n, *w))
			return 1;
	return 0;
}
