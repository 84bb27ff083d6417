/* robotsubj.h: subject lines that robots write (auto-replies, bounces) in
 * many languages, recognised when no header says what the mail is.
 * Stateless; the tables are static and shared read-only. */
#ifndef MC_ROBOTSUBJ_H
#define MC_ROBOTSUBJ_H

/* 1 if subject (UTF-8) is an auto-reply's: after any reply prefixes
 * ("Re:", "AW:", "SV:"...) and an optional '[', a vacation phrase ("Out
 * of Office", "Automatische Antwort", "Réponse automatique", "Autosvar",
 * "Odpowiedź automatyczna"...) that ends the subject or is followed by
 * punctuation or a word robots use there ("AutoReply", "until", "jusqu'au");
 * "Out of office hours, ..." is a person's sentence.  Folded (fold.h):
 * any case, accents optional. */
int rs_vacation(const char *subject);

/* 1 if subject starts (no reply prefix) with a bounce phrase, as a whole
 * word: "Undelivered Mail Returned to Sender", "Delivery Status
 * Notification (Failure)", "Mail delivery failed", "failure notice",
 * "Returned mail", "Undeliverable:", "Unzustellbar:", "Non remis :"... */
int rs_bounce(const char *subject);

/* The tables, for the unit test that checks they are folded. */
enum { RS_VACATION, RS_VACATION_NEXT, RS_BOUNCE, RS_PREFIXES };
const char *const *rs_table(int which);

#endif
