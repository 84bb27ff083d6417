/* cmdwords.c: the table of reply words in en, fr, de, es, it, pt, nl, pl,
 * and its folded index.
 *
 * Each language gives: the verbs moderators type (imperative,
 * infinitive, the past participle they answer with: "genehmigt",
 * "aprobado", "zatwierdzone"; the Spanish and Italian imperatives with
 * the pronoun glued on: "publícalo", "eliminalo"), yes and no, the
 * readers' and the console's words, politeness, the little words that
 * point at the comment, words of approval, negations, the phrases that
 * say nothing is wrong, and greetings.  Only one spelling of each word:
 * folding makes "approuvé" and "approuve", "usuń" and "usun" one word.
 *
 * Words left out on purpose: words that mean one thing in one language
 * and another in a second where both could head a reply ("keur" is
 * approve and, in "keur af", reject; "vrijgeven" is release or publish),
 * and the Polish pronoun "ją", which folds to the German and Dutch "ja":
 * "nie, ją" must not hold a yes.  A word of approval is never also a
 * word that may follow "no" (politeness, pointing words): the English
 * "go" of "go ahead" is the Polish "go" (it), so only "ahead" approves.
 * Adding a language: its rows here, and test_cmdwords checks that every
 * verb has a word in it. */
#include <stdlib.h>
#include <string.h>

#include "cmdwords.h"
#include "fold.h"
#include "util.h"
#include "banned.h"

const char *const cmdwords_langs[] = { "en", "fr", "de", "es", "it",
				       "pt", "nl", "pl", NULL };

#define M CW_MOD
#define R CW_READER
#define C CW_CONSOLE
#define V(l, t, v, x) { l, CW_VERB, t, VERB_##v, x, 0 }
#define VS(l, t, v) { l, CW_VERB, t, VERB_##v, M, CW_SHORT }
#define VN(l, t, v) { l, CW_VERB, t, VERB_##v, M, CW_NEG_ONLY }
#define W(l, k, t) { l, CW_##k, t, VERB_NONE, 0, 0 }
#define WL(l, t) { l, CW_POLITE, t, VERB_NONE, 0, CW_LEAD }

static const struct cmdword table[] = {
	/* ---- English ---- */
	VS("en", "yes", APPROVE), VS("en", "ok", APPROVE),
	VS("en", "okay", APPROVE), VS("en", "no", REJECT),
	V("en", "approve", APPROVE, M), V("en", "approved", APPROVE, M),
	V("en", "publish", APPROVE, M), V("en", "published", APPROVE, M),
	V("en", "accept", APPROVE, M), V("en", "accepted", APPROVE, M),
	V("en", "reject", REJECT, M), V("en", "rejected", REJECT, M),
	V("en", "decline", REJECT, M), V("en", "declined", REJECT, M),
	V("en", "spam", SPAM, M),
	V("en", "delete", DELETE, M | R), V("en", "deleted", DELETE, M),
	V("en", "remove", DELETE, M | R), V("en", "unpublish", DELETE, M),
	V("en", "ban", BAN, M), V("en", "unban", UNBAN, M),
	V("en", "edit", EDIT, M | R), V("en", "trust", TRUST, M),
	V("en", "reply", REPLY, M), V("en", "answer", REPLY, M),
	V("en", "undo", UNDO, M),
	V("en", "follow", FOLLOW, R), V("en", "mute", MUTE, R),
	V("en", "unsubscribe", UNSUBSCRIBE, R), V("en", "stop", UNSUBSCRIBE, R),
	V("en", "pending", PENDING, C), V("en", "show", SHOW, C),
	V("en", "stats", STATS, C), V("en", "help", HELP, C),
	WL("en", "thanks"), WL("en", "thank"),
	WL("en", "thx"), W("en", POLITE, "ty"), W("en", POLITE, "tks"),
	W("en", POLITE, "cheers"), WL("en", "please"),
	WL("en", "pls"), WL("en", "plz"), W("en", POLITE, "you"),
	W("en", POLITE, "much"), W("en", POLITE, "lot"), W("en", POLITE, "a"),
	W("en", POLITE, "so"), W("en", POLITE, "very"),
	W("en", POLITE, "again"), W("en", POLITE, "sorry"),
	W("en", POLITE, "regards"), W("en", POLITE, "best"),
	W("en", NEUTRAL, "it"), W("en", NEUTRAL, "this"),
	W("en", NEUTRAL, "that"), W("en", NEUTRAL, "one"),
	W("en", NEUTRAL, "comment"), W("en", NEUTRAL, "me"),
	W("en", NEUTRAL, "for"), W("en", NEUTRAL, "is"),
	W("en", NEUTRAL, "its"),
	W("en", APPROVING, "good"), W("en", APPROVING, "fine"),
	W("en", APPROVING, "great"), W("en", APPROVING, "perfect"),
	W("en", APPROVING, "cool"), W("en", APPROVING, "nice"),
	W("en", APPROVING, "looks"), W("en", APPROVING, "all"),
	W("en", APPROVING, "ahead"), /* "go" is the Polish "it": neutral */
	W("en", NEGATION, "not"), W("en", NEGATION, "don't"),
	W("en", NEGATION, "dont"), W("en", NEGATION, "do not"),
	W("en", NEGATION, "never"),
	W("en", NO_OBJECTION, "no problem"),
	W("en", NO_OBJECTION, "no problems"),
	W("en", NO_OBJECTION, "no objection"),
	W("en", NO_OBJECTION, "no objections"),
	W("en", NO_OBJECTION, "not spam"), W("en", NO_OBJECTION, "all good"),
	W("en", GREETING, "hello"), W("en", GREETING, "hi"),
	W("en", GREETING, "hey"), W("en", GREETING, "hiya"),
	W("en", GREETING, "howdy"), W("en", GREETING, "greetings"),
	W("en", GREETING, "dear"), W("en", GREETING, "morning"),
	W("en", GREETING, "evening"), W("en", GREETING2, "good"),
	W("en", GREET_ALL, "all"), W("en", GREET_ALL, "everyone"),
	W("en", GREET_ALL, "everybody"), W("en", GREET_ALL, "team"),
	W("en", GREET_ALL, "there"), W("en", GREET_ALL, "folks"),
	W("en", GREET_ALL, "guys"), W("en", GREET_ALL, "a"),
	/* "how are you?" */
	W("en", GREET_ALL, "how"), W("en", GREET_ALL, "are"),
	W("en", GREET_ALL, "you"),
	W("en", NOT_YET, "yet"), W("en", NOT_YET, "now"),
	W("en", NOT_YET, "later"), W("en", NOT_YET, "until"),
	W("en", NOT_YET, "before"),
	W("en", AND, "and"),

	/* ---- French ---- */
	VS("fr", "oui", APPROVE), VS("fr", "non", REJECT),
	V("fr", "approuver", APPROVE, M), V("fr", "approuvé", APPROVE, M),
	V("fr", "approuvez", APPROVE, M), V("fr", "publier", APPROVE, M),
	V("fr", "publié", APPROVE, M), V("fr", "publiez", APPROVE, M),
	V("fr", "valider", APPROVE, M), V("fr", "validé", APPROVE, M),
	V("fr", "validez", APPROVE, M), V("fr", "accepter", APPROVE, M),
	V("fr", "accepté", APPROVE, M),
	V("fr", "refuser", REJECT, M), V("fr", "refusé", REJECT, M),
	V("fr", "refusez", REJECT, M), V("fr", "rejeter", REJECT, M),
	V("fr", "rejeté", REJECT, M), V("fr", "rejetez", REJECT, M),
	V("fr", "indésirable", SPAM, M),
	V("fr", "supprimer", DELETE, M | R), V("fr", "supprimé", DELETE, M),
	V("fr", "supprimez", DELETE, M), V("fr", "dépublier", DELETE, M),
	V("fr", "effacer", DELETE, R),
	V("fr", "bannir", BAN, M), V("fr", "banni", BAN, M),
	V("fr", "débannir", UNBAN, M),
	V("fr", "modifier", EDIT, M | R), V("fr", "corriger", EDIT, M | R),
	V("fr", "confiance", TRUST, M), V("fr", "répondre", REPLY, M),
	V("fr", "annuler", UNDO, M),
	V("fr", "suivre", FOLLOW, R), V("fr", "silence", MUTE, R),
	V("fr", "désabonner", UNSUBSCRIBE, R),
	V("fr", "désinscrire", UNSUBSCRIBE, R),
	V("fr", "attente", PENDING, C), V("fr", "voir", SHOW, C),
	V("fr", "afficher", SHOW, C), V("fr", "statistiques", STATS, C),
	V("fr", "aide", HELP, C),
	/* "s'il vous plaît" is s, il, vous, plaît: apostrophes split */
	WL("fr", "merci"), W("fr", POLITE, "beaucoup"),
	W("fr", POLITE, "bcp"), W("fr", POLITE, "mille"), WL("fr", "stp"),
	WL("fr", "svp"), WL("fr", "s"), W("fr", POLITE, "il"),
	W("fr", POLITE, "te"), W("fr", POLITE, "vous"),
	W("fr", POLITE, "plaît"), W("fr", POLITE, "d"),
	W("fr", POLITE, "avance"), W("fr", POLITE, "encore"),
	W("fr", POLITE, "désolé"), W("fr", POLITE, "désolée"),
	W("fr", POLITE, "cordialement"), W("fr", POLITE, "bises"),
	W("fr", POLITE, "amicalement"),
	W("fr", NEUTRAL, "le"), W("fr", NEUTRAL, "la"), W("fr", NEUTRAL, "l"),
	W("fr", NEUTRAL, "les"), W("fr", NEUTRAL, "ce"),
	W("fr", NEUTRAL, "cet"),
	W("fr", NEUTRAL, "cette"), W("fr", NEUTRAL, "celui"),
	W("fr", NEUTRAL, "celle"), W("fr", NEUTRAL, "ci"),
	W("fr", NEUTRAL, "cela"), W("fr", NEUTRAL, "ça"),
	W("fr", NEUTRAL, "commentaire"), W("fr", NEUTRAL, "pour"),
	W("fr", NEUTRAL, "moi"), W("fr", NEUTRAL, "c"), W("fr", NEUTRAL, "est"),
	W("fr", APPROVING, "bon"), W("fr", APPROVING, "bien"),
	W("fr", APPROVING, "parfait"), W("fr", APPROVING, "super"),
	W("fr", APPROVING, "nickel"), W("fr", APPROVING, "vas"),
	W("fr", APPROVING, "y"), W("fr", APPROVING, "très"),
	W("fr", APPROVING, "impeccable"),
	W("fr", NEGATION, "ne"), W("fr", NEGATION, "n"),
	W("fr", NEGATION, "pas"),
	W("fr", NEGATION, "jamais"),
	W("fr", NO_OBJECTION, "pas de problème"),
	W("fr", NO_OBJECTION, "pas de souci"),
	W("fr", NO_OBJECTION, "pas de soucis"),
	W("fr", NO_OBJECTION, "aucun problème"),
	W("fr", NO_OBJECTION, "aucune objection"),
	W("fr", NO_OBJECTION, "pas du spam"),
	W("fr", NO_OBJECTION, "pas un spam"),
	W("fr", GREETING, "bonjour"), W("fr", GREETING, "bonsoir"),
	W("fr", GREETING, "salut"), W("fr", GREETING, "coucou"),
	W("fr", GREETING, "cher"), W("fr", GREETING, "chère"),
	W("fr", GREETING, "chers"), W("fr", GREETING, "chères"),
	W("fr", GREETING, "madame"), W("fr", GREETING, "monsieur"),
	W("fr", GREETING, "mesdames"), W("fr", GREETING, "messieurs"),
	W("fr", GREET_ALL, "tous"), W("fr", GREET_ALL, "toutes"),
	W("fr", GREET_ALL, "tout"), W("fr", GREET_ALL, "le"),
	W("fr", GREET_ALL, "monde"), W("fr", GREET_ALL, "l"),
	W("fr", GREET_ALL, "équipe"), W("fr", GREET_ALL, "les"),
	W("fr", GREET_ALL, "amis"), W("fr", GREET_ALL, "collègues"),
	W("fr", GREET_ALL, "à"),
	/* "how are you?" */
	W("fr", GREET_ALL, "ça"), W("fr", GREET_ALL, "va"),
	W("fr", NOT_YET, "encore"), W("fr", NOT_YET, "maintenant"),
	W("fr", NOT_YET, "avant"), W("fr", NOT_YET, "jusqu"),
	W("fr", AND, "et"),

	/* ---- German ---- */
	VS("de", "ja", APPROVE), VS("de", "nein", REJECT),
	V("de", "genehmigen", APPROVE, M), V("de", "genehmigt", APPROVE, M),
	V("de", "genehmige", APPROVE, M), V("de", "freigeben", APPROVE, M),
	V("de", "freigegeben", APPROVE, M),
	V("de", "veröffentlichen", APPROVE, M),
	V("de", "veröffentlicht", APPROVE, M),
	V("de", "veröffentliche", APPROVE, M),
	V("de", "akzeptieren", APPROVE, M), V("de", "akzeptiert", APPROVE, M),
	V("de", "ablehnen", REJECT, M), V("de", "abgelehnt", REJECT, M),
	V("de", "zurückweisen", REJECT, M),
	V("de", "zurückgewiesen", REJECT, M),
	V("de", "spam", SPAM, M), V("de", "löschen", DELETE, M | R),
	V("de", "gelöscht", DELETE, M),
	V("de", "lösche", DELETE, M), V("de", "entfernen", DELETE, M | R),
	V("de", "entfernt", DELETE, M),
	V("de", "sperren", BAN, M), V("de", "gesperrt", BAN, M),
	V("de", "sperre", BAN, M), V("de", "bannen", BAN, M),
	V("de", "entsperren", UNBAN, M), V("de", "entsperrt", UNBAN, M),
	V("de", "bearbeiten", EDIT, M | R), V("de", "ändern", EDIT, M | R),
	V("de", "korrigieren", EDIT, M | R),
	V("de", "vertrauen", TRUST, M), V("de", "antworten", REPLY, M),
	V("de", "antworte", REPLY, M),
	V("de", "rückgängig", UNDO, M), V("de", "zurücknehmen", UNDO, M),
	V("de", "folgen", FOLLOW, R), V("de", "abonnieren", FOLLOW, R),
	V("de", "stummschalten", MUTE, R), V("de", "stumm", MUTE, R),
	V("de", "abmelden", UNSUBSCRIBE, R),
	V("de", "abbestellen", UNSUBSCRIBE, R),
	V("de", "stopp", UNSUBSCRIBE, R),
	V("de", "ausstehend", PENDING, C), V("de", "ausstehende", PENDING, C),
	V("de", "offen", PENDING, C), V("de", "zeigen", SHOW, C),
	V("de", "anzeigen", SHOW, C), V("de", "zeige", SHOW, C),
	V("de", "statistik", STATS, C), V("de", "hilfe", HELP, C),
	WL("de", "danke"), W("de", POLITE, "dank"),
	W("de", POLITE, "vielen"), WL("de", "bitte"),
	W("de", POLITE, "schön"), W("de", POLITE, "sehr"),
	W("de", POLITE, "gruß"), W("de", POLITE, "grüße"),
	W("de", POLITE, "viele"), W("de", POLITE, "liebe"),
	W("de", POLITE, "lg"), W("de", POLITE, "vg"), W("de", POLITE, "mfg"),
	W("de", NEUTRAL, "es"), W("de", NEUTRAL, "ihn"),
	W("de", NEUTRAL, "den"),
	W("de", NEUTRAL, "diesen"), W("de", NEUTRAL, "diese"),
	W("de", NEUTRAL, "dieses"), W("de", NEUTRAL, "das"),
	W("de", NEUTRAL, "kommentar"), W("de", NEUTRAL, "für"),
	W("de", NEUTRAL, "mich"), W("de", NEUTRAL, "machen"),
	W("de", APPROVING, "gut"), W("de", APPROVING, "passt"),
	W("de", APPROVING, "prima"), W("de", APPROVING, "perfekt"),
	W("de", APPROVING, "klar"), W("de", APPROVING, "gerne"),
	W("de", APPROVING, "gern"), W("de", APPROVING, "alles"),
	W("de", APPROVING, "sieht"), W("de", APPROVING, "aus"),
	W("de", APPROVING, "in"), W("de", APPROVING, "ordnung"),
	W("de", NEGATION, "nicht"), W("de", NEGATION, "kein"),
	W("de", NEGATION, "keine"), W("de", NEGATION, "nie"),
	W("de", NO_OBJECTION, "kein Problem"),
	W("de", NO_OBJECTION, "keine Probleme"),
	W("de", NO_OBJECTION, "kein Einwand"),
	W("de", NO_OBJECTION, "keine Einwände"),
	W("de", NO_OBJECTION, "nichts dagegen"),
	W("de", NO_OBJECTION, "kein Spam"), W("de", NO_OBJECTION, "alles gut"),
	W("de", NO_OBJECTION, "alles klar"),
	W("de", GREETING, "hallo"), W("de", GREETING, "moin"),
	W("de", GREETING, "servus"), W("de", GREETING, "grüß"),
	W("de", GREETING, "grüezi"), W("de", GREETING, "tag"),
	W("de", GREETING, "liebe"), W("de", GREETING, "lieber"),
	W("de", GREETING2, "guten"), W("de", GREETING2, "sehr"),
	W("de", GREET_ALL, "zusammen"), W("de", GREET_ALL, "allerseits"),
	W("de", GREET_ALL, "alle"), W("de", GREET_ALL, "leute"),
	/* "how are you?" */
	W("de", GREET_ALL, "wie"), W("de", GREET_ALL, "geht"),
	W("de", GREET_ALL, "s"),
	W("de", NOT_YET, "noch"), W("de", NOT_YET, "jetzt"),
	W("de", NOT_YET, "später"), W("de", NOT_YET, "bis"),
	W("de", NOT_YET, "bevor"),
	W("de", AND, "und"),

	/* ---- Spanish ---- */
	VS("es", "sí", APPROVE), VS("es", "vale", APPROVE),
	VS("es", "no", REJECT),
	V("es", "aprobar", APPROVE, M), V("es", "aprueba", APPROVE, M),
	V("es", "apruébalo", APPROVE, M), V("es", "apruébala", APPROVE, M),
	V("es", "aprobado", APPROVE, M), V("es", "aprobada", APPROVE, M),
	V("es", "publicar", APPROVE, M), V("es", "publica", APPROVE, M),
	V("es", "publícalo", APPROVE, M), V("es", "publícala", APPROVE, M),
	V("es", "publicado", APPROVE, M), V("es", "publicada", APPROVE, M),
	V("es", "aceptar", APPROVE, M), V("es", "acepta", APPROVE, M),
	V("es", "aceptado", APPROVE, M), V("es", "aceptada", APPROVE, M),
	VN("es", "publiques", APPROVE), VN("es", "apruebes", APPROVE),
	VN("es", "aceptes", APPROVE),
	V("es", "rechazar", REJECT, M), V("es", "rechaza", REJECT, M),
	V("es", "recházalo", REJECT, M), V("es", "recházala", REJECT, M),
	V("es", "rechazado", REJECT, M), V("es", "rechazada", REJECT, M),
	V("es", "spam", SPAM, M), V("es", "borrar", DELETE, M | R),
	V("es", "borra", DELETE, M),
	V("es", "bórralo", DELETE, M), V("es", "bórrala", DELETE, M),
	V("es", "borrado", DELETE, M), V("es", "borrada", DELETE, M),
	V("es", "eliminar", DELETE, M | R), V("es", "elimina", DELETE, M | R),
	V("es", "elimínalo", DELETE, M), V("es", "elimínala", DELETE, M),
	V("es", "eliminado", DELETE, M), V("es", "eliminada", DELETE, M),
	V("es", "despublicar", DELETE, M),
	V("es", "bloquear", BAN, M), V("es", "bloquea", BAN, M),
	V("es", "bloqueado", BAN, M), V("es", "banear", BAN, M),
	V("es", "desbloquear", UNBAN, M), V("es", "desbloquea", UNBAN, M),
	V("es", "editar", EDIT, M | R), V("es", "edita", EDIT, M),
	V("es", "modificar", EDIT, M | R), V("es", "modifica", EDIT, M | R),
	V("es", "corregir", EDIT, M | R), V("es", "corrige", EDIT, M),
	V("es", "confiar", TRUST, M), V("es", "confianza", TRUST, M),
	V("es", "responder", REPLY, M), V("es", "responde", REPLY, M),
	V("es", "contestar", REPLY, M), V("es", "contesta", REPLY, M),
	V("es", "deshacer", UNDO, M), V("es", "deshaz", UNDO, M),
	V("es", "anular", UNDO, M), V("es", "anula", UNDO, M),
	V("es", "cancelar", UNDO, M),
	V("es", "seguir", FOLLOW, R), V("es", "silenciar", MUTE, R),
	V("es", "baja", UNSUBSCRIBE, R), V("es", "desuscribir", UNSUBSCRIBE, R),
	V("es", "pendientes", PENDING, C), V("es", "ver", SHOW, C),
	V("es", "mostrar", SHOW, C), V("es", "estadísticas", STATS, C),
	V("es", "ayuda", HELP, C),
	WL("es", "gracias"), W("es", POLITE, "muchas"),
	W("es", POLITE, "mil"), WL("es", "por"), W("es", POLITE, "favor"),
	WL("es", "porfa"), W("es", POLITE, "saludos"),
	W("es", POLITE, "un"), W("es", POLITE, "saludo"),
	W("es", POLITE, "abrazo"),
	W("es", NEUTRAL, "lo"), W("es", NEUTRAL, "la"), W("es", NEUTRAL, "el"),
	W("es", NEUTRAL, "este"), W("es", NEUTRAL, "esta"),
	W("es", NEUTRAL, "esto"), W("es", NEUTRAL, "ese"),
	W("es", NEUTRAL, "esa"),
	W("es", NEUTRAL, "eso"), W("es", NEUTRAL, "comentario"),
	W("es", NEUTRAL, "para"), W("es", NEUTRAL, "mí"),
	W("es", APPROVING, "bien"), W("es", APPROVING, "bueno"),
	W("es", APPROVING, "perfecto"), W("es", APPROVING, "genial"),
	W("es", APPROVING, "claro"), W("es", APPROVING, "todo"),
	W("es", APPROVING, "adelante"),
	W("es", NEGATION, "no"), W("es", NEGATION, "nunca"),
	W("es", NO_OBJECTION, "sin problema"),
	W("es", NO_OBJECTION, "sin problemas"),
	W("es", NO_OBJECTION, "no hay problema"),
	W("es", NO_OBJECTION, "ningún problema"),
	W("es", NO_OBJECTION, "no es spam"),
	W("es", NO_OBJECTION, "sin objeciones"),
	W("es", NO_OBJECTION, "todo bien"),
	W("es", GREETING, "hola"), W("es", GREETING, "buenas"),
	W("es", GREETING, "querida"), W("es", GREETING, "querido"),
	W("es", GREETING, "estimado"), W("es", GREETING, "estimada"),
	W("es", GREETING2, "buenos"), W("es", GREETING2, "buenas"),
	W("es", GREET_ALL, "todos"), W("es", GREET_ALL, "todas"),
	W("es", GREET_ALL, "equipo"), W("es", GREET_ALL, "chicos"),
	/* "how are you?" */
	W("es", GREET_ALL, "qué"), W("es", GREET_ALL, "tal"),
	W("es", NOT_YET, "todavía"), W("es", NOT_YET, "aún"),
	W("es", NOT_YET, "ahora"), W("es", NOT_YET, "luego"),
	W("es", NOT_YET, "hasta"), W("es", NOT_YET, "antes"),
	W("es", AND, "y"),

	/* ---- Italian ---- */
	VS("it", "sì", APPROVE), VS("it", "no", REJECT),
	V("it", "approvare", APPROVE, M), V("it", "approva", APPROVE, M),
	V("it", "approvalo", APPROVE, M), V("it", "approvala", APPROVE, M),
	V("it", "approvato", APPROVE, M), V("it", "approvata", APPROVE, M),
	V("it", "pubblicare", APPROVE, M), V("it", "pubblica", APPROVE, M),
	V("it", "pubblicalo", APPROVE, M), V("it", "pubblicala", APPROVE, M),
	V("it", "pubblicato", APPROVE, M), V("it", "pubblicata", APPROVE, M),
	V("it", "accettare", APPROVE, M), V("it", "accetta", APPROVE, M),
	V("it", "accettato", APPROVE, M),
	V("it", "rifiutare", REJECT, M), V("it", "rifiuta", REJECT, M),
	V("it", "rifiutalo", REJECT, M), V("it", "rifiutato", REJECT, M),
	V("it", "rifiutata", REJECT, M), V("it", "respingere", REJECT, M),
	V("it", "respingi", REJECT, M), V("it", "respinto", REJECT, M),
	V("it", "spam", SPAM, M), V("it", "eliminare", DELETE, M | R),
	V("it", "eliminalo", DELETE, M),
	V("it", "eliminato", DELETE, M), V("it", "cancellare", DELETE, M | R),
	V("it", "cancella", DELETE, M | R), V("it", "cancellalo", DELETE, M),
	V("it", "cancellato", DELETE, M), V("it", "rimuovi", DELETE, M),
	V("it", "bannare", BAN, M), V("it", "banna", BAN, M),
	V("it", "bloccare", BAN, M), V("it", "blocca", BAN, M),
	V("it", "sbloccare", UNBAN, M), V("it", "sblocca", UNBAN, M),
	V("it", "modificare", EDIT, M | R), V("it", "correggere", EDIT, M | R),
	V("it", "correggi", EDIT, M | R),
	V("it", "fidati", TRUST, M), V("it", "fiducia", TRUST, M),
	V("it", "rispondere", REPLY, M), V("it", "rispondi", REPLY, M),
	V("it", "annullare", UNDO, M), V("it", "annulla", UNDO, M),
	V("it", "segui", FOLLOW, R), V("it", "seguire", FOLLOW, R),
	V("it", "silenzia", MUTE, R), V("it", "disiscrivi", UNSUBSCRIBE, R),
	V("it", "disiscriviti", UNSUBSCRIBE, R),
	V("it", "attesa", PENDING, C), V("it", "mostra", SHOW, C),
	V("it", "vedi", SHOW, C), V("it", "statistiche", STATS, C),
	V("it", "aiuto", HELP, C),
	WL("it", "grazie"), WL("it", "per"),
	W("it", POLITE, "favore"), W("it", POLITE, "piacere"),
	W("it", POLITE, "saluti"), W("it", POLITE, "cordiali"),
	W("it", POLITE, "ciao"),
	W("it", NEUTRAL, "lo"), W("it", NEUTRAL, "il"),
	W("it", NEUTRAL, "questo"), W("it", NEUTRAL, "questa"),
	W("it", NEUTRAL, "commento"),
	W("it", APPROVING, "bene"), W("it", APPROVING, "va"),
	W("it", APPROVING, "perfetto"), W("it", APPROVING, "ottimo"),
	W("it", APPROVING, "pure"), W("it", APPROVING, "certo"),
	W("it", APPROVING, "tutto"), W("it", APPROVING, "posto"),
	W("it", NEGATION, "non"), W("it", NEGATION, "mai"),
	W("it", NO_OBJECTION, "nessun problema"),
	W("it", NO_OBJECTION, "non c'è problema"),
	W("it", NO_OBJECTION, "nessuna obiezione"),
	W("it", NO_OBJECTION, "non è spam"),
	W("it", NO_OBJECTION, "tutto a posto"),
	W("it", GREETING, "ciao"), W("it", GREETING, "buongiorno"),
	W("it", GREETING, "buonasera"), W("it", GREETING, "salve"),
	W("it", GREETING, "caro"), W("it", GREETING, "cara"),
	W("it", GREETING, "cari"), W("it", GREETING, "gentile"),
	W("it", GREETING2, "buon"),
	W("it", GREET_ALL, "tutti"), W("it", GREET_ALL, "tutte"),
	W("it", GREET_ALL, "ragazzi"),
	/* "how are you?" */
	W("it", GREET_ALL, "come"), W("it", GREET_ALL, "stai"),
	W("it", GREET_ALL, "va"),
	W("it", NOT_YET, "ancora"), W("it", NOT_YET, "adesso"),
	W("it", NOT_YET, "ora"), W("it", NOT_YET, "dopo"),
	W("it", NOT_YET, "finché"), W("it", NOT_YET, "prima"),
	W("it", AND, "e"),

	/* ---- Portuguese ---- */
	VS("pt", "sim", APPROVE), VS("pt", "não", REJECT),
	V("pt", "aprovar", APPROVE, M), V("pt", "aprova", APPROVE, M),
	V("pt", "aprove", APPROVE, M), V("pt", "aprovado", APPROVE, M),
	V("pt", "aprovada", APPROVE, M), V("pt", "publique", APPROVE, M),
	V("pt", "aceitar", APPROVE, M), V("pt", "aceita", APPROVE, M),
	V("pt", "aceite", APPROVE, M), V("pt", "aceito", APPROVE, M),
	V("pt", "rejeitar", REJECT, M), V("pt", "rejeita", REJECT, M),
	V("pt", "rejeite", REJECT, M), V("pt", "rejeitado", REJECT, M),
	V("pt", "rejeitada", REJECT, M), V("pt", "recusar", REJECT, M),
	V("pt", "recuse", REJECT, M), V("pt", "recusado", REJECT, M),
	V("pt", "spam", SPAM, M), V("pt", "apagar", DELETE, M | R),
	V("pt", "apaga", DELETE, M),
	V("pt", "apague", DELETE, M), V("pt", "apagado", DELETE, M),
	V("pt", "excluir", DELETE, M | R), V("pt", "exclua", DELETE, M),
	V("pt", "excluído", DELETE, M), V("pt", "remover", DELETE, M | R),
	V("pt", "remova", DELETE, M),
	V("pt", "banir", BAN, M), V("pt", "bloqueie", BAN, M),
	V("pt", "desbanir", UNBAN, M), V("pt", "desbloqueie", UNBAN, M),
	V("pt", "edite", EDIT, M), V("pt", "corrigir", EDIT, M | R),
	V("pt", "corrija", EDIT, M), V("pt", "alterar", EDIT, M | R),
	V("pt", "altere", EDIT, M),
	V("pt", "confiança", TRUST, M), V("pt", "confie", TRUST, M),
	V("pt", "responda", REPLY, M),
	V("pt", "desfazer", UNDO, M), V("pt", "desfaça", UNDO, M),
	V("pt", "siga", FOLLOW, R), V("pt", "silencie", MUTE, R),
	V("pt", "descadastrar", UNSUBSCRIBE, R),
	V("pt", "desinscrever", UNSUBSCRIBE, R),
	V("pt", "pendentes", PENDING, C), V("pt", "mostre", SHOW, C),
	V("pt", "estatísticas", STATS, C),
	V("pt", "ajuda", HELP, C),
	WL("pt", "obrigado"), WL("pt", "obrigada"),
	W("pt", POLITE, "obg"), W("pt", POLITE, "muito"),
	W("pt", POLITE, "cumprimentos"), W("pt", POLITE, "abraço"),
	W("pt", POLITE, "abraços"),
	W("pt", NEUTRAL, "o"), W("pt", NEUTRAL, "isto"),
	W("pt", NEUTRAL, "esse"),
	W("pt", NEUTRAL, "essa"), W("pt", NEUTRAL, "isso"),
	W("pt", NEUTRAL, "comentário"), W("pt", NEUTRAL, "mim"),
	W("pt", APPROVING, "bem"), W("pt", APPROVING, "bom"),
	W("pt", APPROVING, "perfeito"), W("pt", APPROVING, "ótimo"),
	W("pt", APPROVING, "tudo"),
	W("pt", NEGATION, "não"), W("pt", NEGATION, "nunca"),
	W("pt", NO_OBJECTION, "sem problema"),
	W("pt", NO_OBJECTION, "sem problemas"),
	W("pt", NO_OBJECTION, "não há problema"),
	W("pt", NO_OBJECTION, "nenhum problema"),
	W("pt", NO_OBJECTION, "não é spam"),
	W("pt", NO_OBJECTION, "sem objeções"),
	W("pt", NO_OBJECTION, "tudo bem"),
	W("pt", GREETING, "olá"), W("pt", GREETING, "oi"),
	W("pt", GREETING, "caro"), W("pt", GREETING, "cara"),
	W("pt", GREETING, "prezado"), W("pt", GREETING, "prezada"),
	W("pt", GREETING, "querido"), W("pt", GREETING, "querida"),
	W("pt", GREETING2, "bom"), W("pt", GREETING2, "boa"),
	W("pt", GREET_ALL, "todos"), W("pt", GREET_ALL, "pessoal"),
	W("pt", GREET_ALL, "equipe"), W("pt", GREET_ALL, "equipa"),
	/* "how are you?" */
	W("pt", GREET_ALL, "tudo"), W("pt", GREET_ALL, "bem"),
	W("pt", NOT_YET, "ainda"), W("pt", NOT_YET, "agora"),
	W("pt", NOT_YET, "depois"), W("pt", NOT_YET, "até"),
	W("pt", NOT_YET, "antes"),
	W("pt", AND, "e"),

	/* ---- Dutch ---- */
	VS("nl", "ja", APPROVE), VS("nl", "akkoord", APPROVE),
	VS("nl", "nee", REJECT),
	V("nl", "goedkeuren", APPROVE, M), V("nl", "goedgekeurd", APPROVE, M),
	V("nl", "publiceren", APPROVE, M), V("nl", "publiceer", APPROVE, M),
	V("nl", "gepubliceerd", APPROVE, M),
	V("nl", "accepteren", APPROVE, M), V("nl", "accepteer", APPROVE, M),
	V("nl", "geaccepteerd", APPROVE, M),
	V("nl", "afwijzen", REJECT, M), V("nl", "afgewezen", REJECT, M),
	V("nl", "weigeren", REJECT, M), V("nl", "geweigerd", REJECT, M),
	V("nl", "afkeuren", REJECT, M), V("nl", "afgekeurd", REJECT, M),
	V("nl", "spam", SPAM, M), V("nl", "verwijderen", DELETE, M | R),
	V("nl", "verwijder", DELETE, M | R),
	V("nl", "verwijderd", DELETE, M), V("nl", "wissen", DELETE, M | R),
	V("nl", "blokkeren", BAN, M), V("nl", "blokkeer", BAN, M),
	V("nl", "geblokkeerd", BAN, M),
	V("nl", "deblokkeren", UNBAN, M), V("nl", "deblokkeer", UNBAN, M),
	V("nl", "bewerken", EDIT, M | R), V("nl", "bewerk", EDIT, M),
	V("nl", "wijzigen", EDIT, M | R), V("nl", "wijzig", EDIT, M),
	V("nl", "aanpassen", EDIT, M | R), V("nl", "corrigeren", EDIT, M),
	V("nl", "vertrouw", TRUST, M),
	V("nl", "antwoorden", REPLY, M), V("nl", "antwoord", REPLY, M),
	V("nl", "beantwoorden", REPLY, M),
	V("nl", "ongedaan", UNDO, M), V("nl", "terugdraaien", UNDO, M),
	V("nl", "volgen", FOLLOW, R), V("nl", "volg", FOLLOW, R),
	V("nl", "dempen", MUTE, R), V("nl", "afmelden", UNSUBSCRIBE, R),
	V("nl", "uitschrijven", UNSUBSCRIBE, R),
	V("nl", "wachtend", PENDING, C), V("nl", "openstaand", PENDING, C),
	V("nl", "toon", SHOW, C), V("nl", "tonen", SHOW, C),
	V("nl", "statistieken", STATS, C), V("nl", "hulp", HELP, C),
	WL("nl", "bedankt"), W("nl", POLITE, "je"), W("nl", POLITE, "u"),
	WL("nl", "dank"), W("nl", POLITE, "alvast"),
	WL("nl", "alsjeblieft"), WL("nl", "alstublieft"),
	WL("nl", "aub"), W("nl", POLITE, "groet"),
	W("nl", POLITE, "groeten"), W("nl", POLITE, "groetjes"),
	W("nl", POLITE, "hartelijk"),
	W("nl", NEUTRAL, "het"), W("nl", NEUTRAL, "hem"),
	W("nl", NEUTRAL, "deze"),
	W("nl", NEUTRAL, "dit"), W("nl", NEUTRAL, "dat"),
	W("nl", NEUTRAL, "reactie"), W("nl", NEUTRAL, "commentaar"),
	W("nl", NEUTRAL, "voor"), W("nl", NEUTRAL, "mij"),
	W("nl", NEUTRAL, "maken"),
	W("nl", APPROVING, "goed"), W("nl", APPROVING, "perfect"),
	W("nl", APPROVING, "prachtig"), W("nl", APPROVING, "maar"),
	W("nl", APPROVING, "hoor"), W("nl", APPROVING, "ziet"),
	W("nl", APPROVING, "er"), W("nl", APPROVING, "uit"),
	W("nl", NEGATION, "niet"), W("nl", NEGATION, "geen"),
	W("nl", NEGATION, "nooit"),
	W("nl", NO_OBJECTION, "geen probleem"),
	W("nl", NO_OBJECTION, "geen bezwaar"),
	W("nl", NO_OBJECTION, "geen spam"),
	W("nl", GREETING, "hoi"), W("nl", GREETING, "hallo"),
	W("nl", GREETING, "dag"), W("nl", GREETING, "beste"),
	W("nl", GREETING, "goedemorgen"), W("nl", GREETING, "goedemiddag"),
	W("nl", GREETING, "goedenavond"), W("nl", GREETING2, "goede"),
	W("nl", GREET_ALL, "allemaal"), W("nl", GREET_ALL, "iedereen"),
	W("nl", GREET_ALL, "allen"),
	/* "how are you?" */
	W("nl", GREET_ALL, "hoe"), W("nl", GREET_ALL, "gaat"),
	W("nl", GREET_ALL, "het"),
	W("nl", NOT_YET, "nog"), W("nl", NOT_YET, "nu"),
	W("nl", NOT_YET, "straks"), W("nl", NOT_YET, "tot"),
	W("nl", NOT_YET, "voordat"),
	W("nl", AND, "en"),

	/* ---- Polish ---- */
	VS("pl", "tak", APPROVE), VS("pl", "nie", REJECT),
	V("pl", "zatwierdź", APPROVE, M), V("pl", "zatwierdzić", APPROVE, M),
	V("pl", "zatwierdzam", APPROVE, M), V("pl", "zatwierdzony", APPROVE, M),
	V("pl", "zatwierdzone", APPROVE, M),
	V("pl", "zatwierdzona", APPROVE, M),
	V("pl", "akceptuj", APPROVE, M), V("pl", "akceptuję", APPROVE, M),
	V("pl", "zaakceptuj", APPROVE, M), V("pl", "zaakceptowany", APPROVE, M),
	V("pl", "zaakceptowane", APPROVE, M), V("pl", "opublikuj", APPROVE, M),
	V("pl", "publikuj", APPROVE, M), V("pl", "opublikować", APPROVE, M),
	V("pl", "opublikowany", APPROVE, M),
	V("pl", "opublikowane", APPROVE, M),
	V("pl", "opublikowana", APPROVE, M),
	V("pl", "odrzuć", REJECT, M), V("pl", "odrzucić", REJECT, M),
	V("pl", "odrzucam", REJECT, M), V("pl", "odrzucony", REJECT, M),
	V("pl", "odrzucone", REJECT, M), V("pl", "odrzucona", REJECT, M),
	V("pl", "spam", SPAM, M), V("pl", "usuń", DELETE, M | R),
	V("pl", "usunąć", DELETE, M | R),
	V("pl", "usuwam", DELETE, M), V("pl", "usunięty", DELETE, M),
	V("pl", "usunięte", DELETE, M), V("pl", "skasuj", DELETE, M | R),
	V("pl", "zablokuj", BAN, M), V("pl", "zbanuj", BAN, M),
	V("pl", "zablokować", BAN, M),
	V("pl", "odblokuj", UNBAN, M), V("pl", "odblokować", UNBAN, M),
	V("pl", "edytuj", EDIT, M | R), V("pl", "popraw", EDIT, M | R),
	V("pl", "zmień", EDIT, M | R), V("pl", "poprawić", EDIT, M),
	V("pl", "zaufaj", TRUST, M), V("pl", "zaufany", TRUST, M),
	V("pl", "odpowiedz", REPLY, M), V("pl", "odpowiedzieć", REPLY, M),
	V("pl", "cofnij", UNDO, M), V("pl", "anuluj", UNDO, M),
	V("pl", "obserwuj", FOLLOW, R), V("pl", "śledź", FOLLOW, R),
	V("pl", "wycisz", MUTE, R), V("pl", "wypisz", UNSUBSCRIBE, R),
	V("pl", "oczekujące", PENDING, C), V("pl", "pokaż", SHOW, C),
	V("pl", "statystyki", STATS, C), V("pl", "pomoc", HELP, C),
	WL("pl", "dziękuję"), WL("pl", "dzięki"),
	WL("pl", "proszę"), W("pl", POLITE, "bardzo"),
	W("pl", POLITE, "pozdrawiam"), W("pl", POLITE, "pozdrowienia"),
	W("pl", POLITE, "serdecznie"),
	W("pl", NEUTRAL, "to"), W("pl", NEUTRAL, "ten"), W("pl", NEUTRAL, "tę"),
	W("pl", NEUTRAL, "ta"), W("pl", NEUTRAL, "tego"),
	W("pl", NEUTRAL, "go"),
	W("pl", NEUTRAL, "komentarz"), W("pl", NEUTRAL, "dla"),
	W("pl", NEUTRAL, "mnie"),
	W("pl", APPROVING, "dobrze"), W("pl", APPROVING, "świetnie"),
	W("pl", APPROVING, "jasne"), W("pl", APPROVING, "spoko"),
	W("pl", APPROVING, "może"), W("pl", APPROVING, "być"),
	W("pl", NEGATION, "nie"), W("pl", NEGATION, "nigdy"),
	W("pl", NO_OBJECTION, "nie ma problemu"),
	W("pl", NO_OBJECTION, "bez problemu"),
	W("pl", NO_OBJECTION, "nie ma sprawy"),
	W("pl", NO_OBJECTION, "to nie spam"),
	W("pl", NO_OBJECTION, "nie jest spamem"),
	W("pl", NO_OBJECTION, "w porządku"),
	W("pl", GREETING, "cześć"), W("pl", GREETING, "witam"),
	W("pl", GREETING, "witaj"), W("pl", GREETING, "witajcie"),
	W("pl", GREETING, "hej"), W("pl", GREETING, "drogi"),
	W("pl", GREETING, "droga"), W("pl", GREETING, "szanowny"),
	W("pl", GREETING, "szanowna"), W("pl", GREETING, "szanowni"),
	W("pl", GREETING2, "dzień"), W("pl", GREETING2, "dobry"),
	W("pl", GREET_ALL, "wszystkim"), W("pl", GREET_ALL, "wszyscy"),
	W("pl", GREET_ALL, "zespół"),
	/* "how are you?" */
	W("pl", GREET_ALL, "co"), W("pl", GREET_ALL, "słychać"),
	W("pl", NOT_YET, "jeszcze"), W("pl", NOT_YET, "teraz"),
	W("pl", NOT_YET, "później"), W("pl", NOT_YET, "dopóki"),
	W("pl", NOT_YET, "przed"),
	W("pl", AND, "i"), W("pl", AND, "oraz"),
};

/* ---- the folded index ------------------------------------------------ */

static char **folded;  /* folded[i]: table[i], folded */
static size_t *sorted; /* the table's indexes, by folded text */

static int by_folded(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(folded[x], folded[y]);

	return c ? c : (x > y) - (x < y);
}

/* The folding of t with apostrophes, hyphens and runs of spaces made one
 * space, as command.c splits words. */
static char *fold_entry(const char *t)
{
	char *f = fold_str(t), *r = f, *w = f;

	for (; *r; r++) {
		char c = *r == '\'' || *r == '-' ? ' ' : *r;

		if (c == ' ' && (w == f || w[-1] == ' '))
			continue;
		*w++ = c;
	}
	while (w > f && w[-1] == ' ')
		w--;
	*w = '\0';
	return f;
}

static void index_build(void)
{
	size_t n = sizeof(table) / sizeof(table[0]), i;

	if (folded)
		return;
	folded = xcalloc(n, sizeof(*folded));
	sorted = xcalloc(n, sizeof(*sorted));
	for (i = 0; i < n; i++) {
		folded[i] = fold_entry(table[i].text);
		sorted[i] = i;
	}
	qsort(sorted, n, sizeof(*sorted), by_folded);
}

const struct cmdword *cmdwords_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const char *cmdwords_folded(size_t i)
{
	index_build();
	return folded[i];
}

/* The first position in sorted whose entry folds to w, or n. */
static size_t first_of(const char *w)
{
	size_t lo = 0, hi = sizeof(table) / sizeof(table[0]);

	index_build();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(folded[sorted[mid]], w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum verb cmdwords_verb(const char *w, enum command_ctx ctx, int neg,
			unsigned *flags)
{
	size_t n = sizeof(table) / sizeof(table[0]), k;

	for (k = first_of(w); k < n && strcmp(folded[sorted[k]], w) == 0; k++) {
		const struct cmdword *e = &table[sorted[k]];

		if (e->kind != CW_VERB || !(e->ctx & (1u << ctx)) ||
		    ((e->flags & CW_NEG_ONLY) && !neg))
			continue;
		if (flags)
			*flags = e->flags;
		return e->verb;
	}
	if (flags)
		*flags = 0;
	return VERB_NONE;
}

int cmdwords_has(const char *w, enum cw_kind kind)
{
	return cmdwords_has_flags(w, kind, 0);
}

int cmdwords_has_flags(const char *w, enum cw_kind kind, unsigned flags)
{
	size_t n = sizeof(table) / sizeof(table[0]), k;

	for (k = first_of(w); k < n && strcmp(folded[sorted[k]], w) == 0; k++)
		if (table[sorted[k]].kind == kind &&
		    (table[sorted[k]].flags & flags) == flags)
			return 1;
	return 0;
}
