/* robotsubj.c: the subject lines robots write, in many languages.  The
 * tables hold phrases already folded (fold.h) so that a subject is
 * folded once and compared with strncmp; test_robotsubj checks that
 * every entry is its own folding.  Pure functions, no state. */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "robotsubj.h"
#include "banned.h"

/* Vacation and auto-reply subjects (Outlook/Exchange, Gmail, Thunderbird,
 * Zimbra, Sieve vacation, ... in their languages). */
static const char *const vacation[] = {
	"out of office", "out of the office", "automatic reply",
	"auto reply", "auto-reply", "autoreply", "auto response",
	"auto-response", "autoresponse", "automated reply",
	"automated response", "auto:", "vacation", "away from the office",
	/* de */
	"automatische antwort", "abwesenheitsnotiz", "abwesenheitsnachricht",
	/* fr */
	"reponse automatique", "absence du bureau", "message d'absence",
	/* es, pt, it */
	"respuesta automatica", "fuera de la oficina", "ausente",
	"resposta automatica", "fora do escritorio", "risposta automatica",
	"fuori sede", "fuori ufficio",
	/* nl, sv, da, no, fi, pl, cs, sk, hu, ro, tr, el, ru */
	"automatisch antwoord", "afwezig", "autosvar", "automatiskt svar",
	"automatisk svar", "franvaro", "fravaer", "automaattinen vastaus",
	"poissa toimistosta", "odpowiedz automatyczna", "automatyczna odpowiedz",
	"automaticka odpoved",
	"automatikus valasz", "raspuns automat", "otomatik yanit",
	"otomatik cevap", "\xce\xb1\xcf\x85\xcf\x84\xce\xbf\xce\xbc\xce\xb1"
	"\xcf\x84\xce\xb7 \xce\xb1\xcf\x80\xce\xb1\xce\xbd\xcf\x84\xce\xb7"
	"\xcf\x83\xce\xb7", /* αυτοματη απαντηση */
	"\xd0\xb0\xd0\xb2\xd1\x82\xd0\xbe\xd0\xbe\xd1\x82\xd0\xb2\xd0\xb5"
	"\xd1\x82", /* автоответ */
	"\xd0\xb0\xd0\xb2\xd1\x82\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x82\xd0\xb8"
	"\xd1\x87\xd0\xb5\xd1\x81\xd0\xba\xd0\xb8\xd0\xb8 \xd0\xbe\xd1\x82"
	"\xd0\xb2\xd0\xb5\xd1\x82", /* автоматический ответ, folded */
	/* zh, ja */
	"\xe8\x87\xaa\xe5\x8a\xa8\xe5\x9b\x9e\xe5\xa4\x8d", /* 自动回复 */
	"\xe8\x87\xaa\xe5\x8b\x95\xe5\x9b\x9e\xe8\xa6\x86", /* 自動回覆 */
	"\xe8\x87\xaa\xe5\x8b\x95\xe5\xbf\x9c\xe7\xad\x94", /* 自動応答 */
	NULL,
};

/* Words that may follow a vacation phrase in a robot's subject ("Out of
 * Office AutoReply", "Absence du bureau jusqu'au 19 août"), where in a
 * person's sentence ("Out of office hours, what...") another word does. */
static const char *const vacation_next[] = {
	"autoreply", "auto-reply", "reply", "notice", "message", "until",
	"till", "from", "on", "jusqu", "du", "bis", "vom", "hasta", "desde",
	"fino", "dal", "tot", "van", "fran", "do", "od", "re",
	NULL,
};

/* Bounce subjects: Postfix, Exim, Sendmail, qmail, Exchange (and its
 * translated "Undeliverable:" prefixes), Gmail, Lotus Domino, ... */
static const char *const bounce[] = {
	"undelivered mail", "undeliverable", "undelivered message",
	"delivery status notification", "mail delivery failed",
	"mail delivery failure", "message delivery failure",
	"delivery failure", "delivery failed", "delivery has failed",
	"delivery notification: delivery has failed", "failure notice",
	"returned mail", "returned to sender", "message not delivered",
	"mail could not be delivered", "could not deliver message",
	"nondeliverable", "non-deliverable", "non deliverable",
	"warning: could not send message", "delayed mail",
	"delivery delayed", "mail system error",
	/* de */
	"unzustellbar", "nicht zustellbar", "zustellung fehlgeschlagen",
	"fehler bei der zustellung", "unzustellbare nachricht",
	/* fr */
	"non remis", "non distribuable", "echec de la remise",
	"echec de remise", "notification d'etat de remise",
	"rapport de non-remise", "message non remis",
	/* es, pt, it */
	"no se puede entregar", "no entregado", "no se pudo entregar",
	"notificacion de estado de entrega", "nao e possivel entregar",
	"nao entregue", "notificacao de status de entrega",
	"impossibile recapitare", "non recapitabile", "mancato recapito",
	"recapito non riuscito", "notifica sullo stato della consegna",
	/* nl, sv, da, no, fi, pl, cs, hu */
	"onbestelbaar", "niet bezorgd", "kan inte levereras", "olevererbart",
	"ej levererat", "ikke leveret", "kunne ikke leveres",
	"kan ikke leveres", "ei voi toimittaa", "toimitus epaonnistui",
	"niedostarczalne", "nie mozna dostarczyc", "niedostarczona",
	"nedorucitelne", "nedoruceno", "kezbesithetetlen",
	/* ru: недоставлено, не удается доставить, недоставляемое */
	"\xd0\xbd\xd0\xb5\xd0\xb4\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2"
	"\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xbe",
	"\xd0\xbd\xd0\xb5 \xd1\x83\xd0\xb4\xd0\xb0\xd0\xb5\xd1\x82\xd1\x81"
	"\xd1\x8f \xd0\xb4\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2\xd0\xb8"
	"\xd1\x82\xd1\x8c",
	"\xd0\xbd\xd0\xb5\xd0\xb4\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2"
	"\xd0\xbb\xd1\x8f\xd0\xb5\xd0\xbc\xd0\xbe\xd0\xb5",
	NULL,
};

/* Reply prefixes a vacation responder puts before the subject it
 * answers ("Re:", German "AW:", French "TR:", Nordic "SV:", ...). */
static const char *const reply_prefixes[] = { "re", "aw", "tr", "sv",
					      "antw", "odp", "vs", "res",
					      "r", NULL };

const char *const *rs_table(int which)
{
	return which == RS_VACATION ? vacation :
	       which == RS_VACATION_NEXT ? vacation_next :
	       which == RS_BOUNCE ? bounce :
				    reply_prefixes;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* s past any number of reply prefixes ("Re: AW:", "RE :"). */
static const char *past_prefixes(const char *s)
{
	const char *const *p;
	int again = 1;

	while (again) {
		again = 0;
		s = skip_blanks(s);
		for (p = reply_prefixes; *p; p++) {
			size_t n = strlen(*p);
			const char *t;

			if (strncmp(s, *p, n) != 0)
				continue;
			t = skip_blanks(s + n);
			if (*t == ':') {
				s = t + 1;
				again = 1;
				break;
			}
		}
	}
	return s;
}

/* The phrase of table that s starts with, its length; 0 if none. */
static size_t phrase(const char *s, const char *const *table)
{
	for (; *table; table++) {
		size_t n = strlen(*table);

		if (strncmp(s, *table, n) == 0)
			return n;
	}
	return 0;
}

/* 1 if what follows a vacation phrase (rest) ends it as a robot's
 * subject does: nothing, punctuation, or one of vacation_next. */
static int vacation_end(const char *rest, int cjk)
{
	size_t n;

	if (cjk)
		return 1;
	rest = skip_blanks(rest);
	if (*rest == '\0' || strchr(":!-([]|,.;/", *rest) != NULL ||
	    strncmp(rest, "\xe2\x80\x93", 3) == 0 || /* – */
	    strncmp(rest, "\xe2\x80\x94", 3) == 0 || /* — */
	    strncmp(rest, "\xef\xbc\x9a", 3) == 0)   /* ： */
		return 1;
	n = phrase(rest, vacation_next);
	return n > 0 && !is_letter((unsigned char)rest[n]);
}

int rs_vacation(const char *subject)
{
	char *f = fold_str(subject);
	const char *s = past_prefixes(f);
	size_t n;
	int r = 0;

	if (*s == '[')
		s = skip_blanks(s + 1);
	if ((n = phrase(s, vacation)) > 0)
		r = s[n - 1] == ':' ||
		    vacation_end(s + n, (unsigned char)s[0] >= 0xE0);
	free(f);
	return r;
}

int rs_bounce(const char *subject)
{
	char *f = fold_str(subject);
	const char *s = skip_blanks(f);
	const char *const *p;
	size_t n;
	int r;

	if (*s == '[')
		s = skip_blanks(s + 1);
	/* a whole word: "Undeliverable: x", never "Undeliverables" (but
	 * "Unzustellbare Nachricht" is a phrase of its own) */
	for (p = bounce, r = 0; *p && !r; p++) {
		n = strlen(*p);
		r = strncmp(s, *p, n) == 0 && !is_letter((unsigned char)s[n]);
	}
	free(f);
	return r;
}
