/* curlload.h: libcurl, opened the first time a command sends mail over
 * SMTP, calls a webhook or deploys to S3, not at every start.
 * The program is not linked with libcurl: curlload.c defines the curl_*
 * functions it calls, which open the library (dlopen, its SONAME found
 * at build time) and forward to it.  Linked, libcurl and the seventeen
 * libraries only it needs (Kerberos, LDAP, SSH, libcrypto...) were
 * mapped and relocated at every start: 6.6 ms and 3.2 MB of every
 * `approve`, `render` or empty `poll --once`.  When the library cannot
 * be opened, curl_global_init() and curl_easy_init() fail as libcurl's
 * do (CURLE_FAILED_INIT, NULL) and curl_missing() says why. */
#ifndef MC_CURLLOAD_H
#define MC_CURLLOAD_H

/* "" when libcurl is open (or was never asked for); otherwise ": " and
 * the loader's reason, to append to the caller's message.  Static. */
const char *curl_missing(void);

#endif
