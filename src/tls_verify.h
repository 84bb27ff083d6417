/* tls_verify.h: checks a server's certificate chain against the system's
 * CAs (or a configured CA file) and the host name we meant to reach.
 *
 * libetpan's GnuTLS build completes the handshake without verifying
 * anything, so the IMAP source calls this after the handshake and before
 * it sends a single credential.  (libcurl verifies SMTP servers itself.) */
#ifndef MC_TLS_VERIFY_H
#define MC_TLS_VERIFY_H

#include <stddef.h>

#include "util.h"

/* One certificate in DER form, as the server sent it. */
struct tls_der {
	const unsigned char *data;
	size_t len;
};

enum {
	TLS_VERIFY_OK = 0,
	TLS_VERIFY_ERROR = -1,     /* cannot check: bad CA file, no system
				    * CAs, unreadable chain */
	TLS_VERIFY_UNTRUSTED = -2, /* checked and refused */
};

/* Verifies chain[0] (the server's certificate; the rest are the
 * intermediates it sent) for host (a DNS name or an IP address in text
 * form), trusting the certificates of ca_file (PEM) when ca_file is set
 * and not empty, and the system's trust store otherwise.  Returns
 * TLS_VERIFY_OK, or _ERROR / _UNTRUSTED with err saying why (GnuTLS's
 * wording: "not signed by a known authority", "hostname does not match",
 * "expired"...). */
int tls_verify_chain(const struct tls_der *chain, size_t n, const char *host,
		     const char *ca_file, struct mc_err *err);

#endif
