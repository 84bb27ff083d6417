/* tls_verify.c: certificate chain and host name verification with GnuTLS
 * (see tls_verify.h for why this is not left to libetpan). */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#include "tls_verify.h"
#include "banned.h"

/* A chain longer than this is not a server's chain. */
#define CHAIN_MAX 16

static int load_trust(gnutls_x509_trust_list_t tl, const char *ca_file,
		      struct mc_err *err)
{
	int r;

	if (ca_file != NULL && ca_file[0] != '\0') {
		r = gnutls_x509_trust_list_add_trust_file(
			tl, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (r < 0)
			return err_set(err, "CA file %s: %s", ca_file,
				       gnutls_strerror(r));
		if (r == 0)
			return err_set(err, "CA file %s: no PEM certificate "
				       "in it", ca_file);
		return 0;
	}
	r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r < 0)
		return err_set(err, "cannot load the system's CA "
			       "certificates: %s", gnutls_strerror(r));
	if (r == 0)
		return err_set(err, "the system has no CA certificates "
			       "(install ca-certificates, or set ca_file)");
	return 0;
}

int tls_verify_chain(const struct tls_der *chain, size_t n, const char *host,
		     const char *ca_file, struct mc_err *err)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t crts[CHAIN_MAX];
	gnutls_typed_vdata_st vdata[2];
	gnutls_datum_t d, out;
	unsigned status = 0;
	size_t i, ncrt = 0;
	int r, rc = TLS_VERIFY_ERROR;

	if (n == 0)
		return err_set(err, "the server sent no certificate");
	if (n > CHAIN_MAX)
		n = CHAIN_MAX;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return err_set(err, "cannot set up certificate checks");
	if (load_trust(tl, ca_file, err) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		if (gnutls_x509_crt_init(&crts[i]) < 0) {
			err_set(err, "cannot set up certificate checks");
			goto done;
		}
		ncrt++;
		d.data = (unsigned char *)chain[i].data;
		d.size = (unsigned)chain[i].len;
		r = gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER);
		if (r < 0) {
			err_set(err, "the server's certificate %zu cannot be "
				"read: %s", i + 1, gnutls_strerror(r));
			goto done;
		}
	}
	memset(vdata, 0, sizeof(vdata));
	vdata[0].type = GNUTLS_DT_DNS_HOSTNAME;
	vdata[0].data = (unsigned char *)host;
	vdata[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	r = gnutls_x509_trust_list_verify_crt2(tl, crts, (unsigned)ncrt, vdata,
					       2, 0, &status, NULL);
	if (r < 0) {
		err_set(err, "cannot verify the server's certificate: %s",
			gnutls_strerror(r));
		goto done;
	}
	if (status != 0) {
		rc = TLS_VERIFY_UNTRUSTED;
		if (gnutls_certificate_verification_status_print(
			    status, GNUTLS_CRT_X509, &out, 0) == 0) {
			char *why = str_trim((char *)out.data);
			size_t len = strlen(why);

			while (len > 0 && why[len - 1] == ' ')
				why[--len] = '\0';
			err_set(err, "the certificate of %s is not trusted: %s",
				host, why);
			gnutls_free(out.data);
		} else {
			err_set(err, "the certificate of %s is not trusted",
				host);
		}
		goto done;
	}
	rc = TLS_VERIFY_OK;
done:
	for (i = 0; i < ncrt; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_x509_trust_list_deinit(tl, 1);
	return rc;
}
