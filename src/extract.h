/* extract.h: the new text of a mail: what the sender wrote in this
 * message, without the quoted message they answer, the attribution line
 * above it, their signature or their phone's footer.  This is what a
 * comment publishes and what a moderator's command is read from. */
#ifndef MC_EXTRACT_H
#define MC_EXTRACT_H

#include <stddef.h>

/* Returns the new text of text[0..len) (UTF-8, LF line endings) as a new
 * string (caller frees), following the body extraction rules of
 * mailcomments(1)'s parse: trailing blanks, signature, a phone's signature and
 * what follows it, forwarded/original message markers, list footers and
 * header blocks, attributions (replyforms.h's tables, over 30 languages,
 * on one to three lines), quotes (kept only in an inline reply), mobile
 * footers, a leftover rule, blank lines.  No final newline.
 * Linear time. */
char *extract_body(const char *text, size_t len);

#endif
