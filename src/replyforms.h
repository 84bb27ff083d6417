/* replyforms.h: the words mail clients write around a quoted message, in
 * many languages, as tables: attribution lines ("On ... wrote:"), the
 * header blocks and separator lines of an original message, phone
 * signatures and mailing-list footers.  extract.c and htmltext.c decide
 * where these may stand; this module only says whether a text is one.
 *
 * Every function reads s[0..n) (UTF-8, one line or lines joined by a
 * space, no-break spaces already plain spaces) and owns nothing.  ASCII
 * letters match in any case; other letters as the clients write them. */
#ifndef MC_REPLYFORMS_H
#define MC_REPLYFORMS_H

#include <stddef.h>

/* Categories of a header line of a quoted message (rf_header_field). */
enum { RF_NONE, RF_FROM, RF_DATE, RF_TO, RF_CC, RF_SUBJECT };

/* 1 if s is a whole attribution line: it ends with a colon (":", " :"
 * or the full-width one) and either starts with a language's opening
 * word and holds its verb ("Am ... schrieb ...:"), ends with a verb
 * ("... napisał(a):", "... 写道："), holds a distinctive phrase ("ezt
 * írta (időpont: ...)"), or is a date-first line ending with an address
 * ("2017-11-24 16:32 GMT+01:00 Name <e>:", Gmail in ja, ru, no...). */
int rf_attribution(const char *s, size_t n);

/* 1 if s starts with one of the opening words of rf_attribution's
 * table ("On ", "Le ", "W dniu ", "Den "...). */
int rf_attribution_start(const char *s, size_t n);

/* The category of the header line s ("From: x", "Von: x", "De : x",
 * "Från: x", "От: x", "差出人: x", "*Sent:* x"...), or RF_NONE. */
int rf_header_field(const char *s, size_t n);

/* 1 if s is an "Original Message" line in any of the table's languages:
 * the words between runs of dashes ("-----Ursprüngliche Nachricht-----",
 * "----- Reply Message -----") or an Apple Mail forward line ("Begin
 * forwarded message:"). */
int rf_separator(const char *s, size_t n);

/* 1 if s is a phone or app signature ("Sent from my Wiko", "Von meinem
 * iPhone gesendet", "Wysłane z iPhone'a", "iPhoneから送信"): a table
 * form, then at most five words, no comma, semicolon, '!' or '?', so
 * "Sent from my desk, is much easier" is not one. */
int rf_phone_signature(const char *s, size_t n);

/* 1 if s is a line of a mailing list's footer ("... mailing list",
 * "https://lists.example.org/listinfo/x", "To unsubscribe ..."). */
int rf_list_footer(const char *s, size_t n);

#endif
