/* curlload.c: the curl_* functions the program calls, forwarding to
 * libcurl opened on first use (curlload.h says why).  Each is defined
 * with libcurl's own prototype, from its header, so that a change of
 * signature fails the build. */
#define CURL_DISABLE_TYPECHECK /* its macros would rename our definitions */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "curlload.h"
#include "banned.h"

#ifndef MC_CURL_SONAME
#define MC_CURL_SONAME "libcurl-gnutls.so.4"
#endif

/* A function pointer of no particular type, to carry a callback through
 * curl_easy_setopt()'s variable arguments as libcurl reads it back. */
typedef void (*cl_fn)(void);

static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_recv)(CURL *, void *, size_t, size_t *);
	CURLcode (*easy_send)(CURL *, const void *, size_t, size_t *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cl;

static pthread_once_t cl_once = PTHREAD_ONCE_INIT;
static int cl_ok;
static char cl_why[512];

/* dlsym() returns an object pointer; POSIX guarantees that it converts
 * to the function's type, which C alone does not. */
#define CL_SYM(h, field, name)                                         \
	(*(void **)(&cl.field) = dlsym((h), (name))) != NULL

static void cl_open(void)
{
	void *h = dlopen(MC_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (h == NULL) {
		e = dlerror();
		snprintf(cl_why, sizeof(cl_why), ": %s",
			 e ? e : MC_CURL_SONAME ": cannot be opened");
		return;
	}
	if (!(CL_SYM(h, global_init, "curl_global_init") &&
	      CL_SYM(h, global_cleanup, "curl_global_cleanup") &&
	      CL_SYM(h, easy_init, "curl_easy_init") &&
	      CL_SYM(h, easy_setopt, "curl_easy_setopt") &&
	      CL_SYM(h, easy_perform, "curl_easy_perform") &&
	      CL_SYM(h, easy_cleanup, "curl_easy_cleanup") &&
	      CL_SYM(h, easy_getinfo, "curl_easy_getinfo") &&
	      CL_SYM(h, easy_reset, "curl_easy_reset") &&
	      CL_SYM(h, easy_recv, "curl_easy_recv") &&
	      CL_SYM(h, easy_send, "curl_easy_send") &&
	      CL_SYM(h, easy_strerror, "curl_easy_strerror") &&
	      CL_SYM(h, slist_append, "curl_slist_append") &&
	      CL_SYM(h, slist_free_all, "curl_slist_free_all"))) {
		e = dlerror();
		snprintf(cl_why, sizeof(cl_why), ": %s",
			 e ? e : MC_CURL_SONAME ": a function is missing");
		return;
	}
	cl_ok = 1;
}

static int cl_loaded(void)
{
	(void)pthread_once(&cl_once, cl_open);
	return cl_ok;
}

const char *curl_missing(void)
{
	return cl_why;
}

CURLcode curl_global_init(long flags)
{
	return cl_loaded() ? cl.global_init(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup(void)
{
	if (cl_loaded())
		cl.global_cleanup();
}

CURL *curl_easy_init(void)
{
	return cl_loaded() ? cl.easy_init() : NULL;
}

/* The value's type follows from the option's number, as libcurl itself
 * reads it (CURLOPTTYPE_*). */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	if (!cl_loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = cl.easy_setopt(curl, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = cl.easy_setopt(curl, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = cl.easy_setopt(curl, option, va_arg(ap, cl_fn));
	else if (option < CURLOPTTYPE_BLOB)
		rc = cl.easy_setopt(curl, option, va_arg(ap, curl_off_t));
	else
		rc = cl.easy_setopt(curl, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
	return cl_loaded() ? cl.easy_perform(curl) : CURLE_FAILED_INIT;
}

void curl_easy_cleanup(CURL *curl)
{
	if (cl_loaded())
		cl.easy_cleanup(curl);
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	void *p;

	if (!cl_loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	return cl.easy_getinfo(curl, info, p);
}

void curl_easy_reset(CURL *curl)
{
	if (cl_loaded())
		cl.easy_reset(curl);
}

CURLcode curl_easy_recv(CURL *curl, void *buffer, size_t buflen, size_t *n)
{
	return cl_loaded() ? cl.easy_recv(curl, buffer, buflen, n) :
			     CURLE_FAILED_INIT;
}

CURLcode curl_easy_send(CURL *curl, const void *buffer, size_t buflen,
			size_t *n)
{
	return cl_loaded() ? cl.easy_send(curl, buffer, buflen, n) :
			     CURLE_FAILED_INIT;
}

const char *curl_easy_strerror(CURLcode code)
{
	return cl_loaded() ? cl.easy_strerror(code) :
			     "libcurl could not be opened";
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
	return cl_loaded() ? cl.slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (cl_loaded())
		cl.slist_free_all(list);
}
