/* pending.c: stands in for the Maildir source and transport until they
 * land on main (source.c and transport.c name them).  Weak, so that the
 * real ones win as soon as the library has them; delete this file then.
 * The drivers only ever use the IMAP source and the SMTP transport. */
#include "source.h"
#include "transport.h"

__attribute__((weak)) const struct source_ops source_maildir_ops = {
	"maildir", NULL, NULL, NULL, NULL, NULL,
};
__attribute__((weak)) const struct transport_ops transport_maildir_ops = {
	"maildir", NULL, NULL, NULL,
};
