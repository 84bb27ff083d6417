/* xmlload.c: the libxml2 functions the program (and the fuzz targets'
 * checker) call, forwarding to libxml2 opened on first use (xmlload.h
 * says why).  Each is defined with libxml2's own prototype, from its
 * headers, so that a change of signature fails the build. */
#include <dlfcn.h>
#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlstring.h>
#include <libxml/xpath.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "xmlload.h"
#include "banned.h"

#ifndef MC_XML_SONAME
#define MC_XML_SONAME "libxml2.so.2"
#endif

static pthread_once_t xl_once = PTHREAD_ONCE_INIT;
static xmlFreeFunc xl_real_free;

/* Each function: a pointer filled from the library, and the definition
 * that opens the library and calls through it. */
#define XL_FN(ret, name, params, args)                                 \
	static ret(XMLCALL *xl_##name) params;                         \
	ret XMLCALL name params                                        \
	{                                                              \
		xl_open();                                             \
		return xl_##name args;                                 \
	}
#define XL_VOID(name, params, args)                                    \
	static void(XMLCALL *xl_##name) params;                        \
	void XMLCALL name params                                       \
	{                                                              \
		xl_open();                                             \
		xl_##name args;                                        \
	}

static void xl_open(void);

XL_FN(htmlDocPtr, htmlCtxtReadMemory,
      (htmlParserCtxtPtr ctxt, const char *buffer, int size, const char *URL,
       const char *encoding, int options),
      (ctxt, buffer, size, URL, encoding, options))
XL_VOID(htmlFreeParserCtxt, (htmlParserCtxtPtr ctxt), (ctxt))
XL_FN(htmlParserCtxtPtr, htmlNewParserCtxt, (void), ())
XL_FN(htmlDocPtr, htmlReadMemory,
      (const char *buffer, int size, const char *URL, const char *encoding,
       int options),
      (buffer, size, URL, encoding, options))
XL_VOID(xmlFreeDoc, (xmlDocPtr cur), (cur))
XL_VOID(xmlFreeTextReader, (xmlTextReaderPtr reader), (reader))
XL_FN(xmlErrorPtr, xmlGetLastError, (void), ())
XL_FN(xmlChar *, xmlGetProp, (const xmlNode *node, const xmlChar *name),
      (node, name))
XL_FN(xmlChar *, xmlNodeGetContent, (const xmlNode *cur), (cur))
XL_FN(xmlTextReaderPtr, xmlReaderForFile,
      (const char *filename, const char *encoding, int options),
      (filename, encoding, options))
XL_VOID(xmlResetLastError, (void), ())
XL_VOID(xmlStopParser, (xmlParserCtxtPtr ctxt), (ctxt))
XL_FN(const xmlChar *, xmlTextReaderConstLocalName, (xmlTextReaderPtr reader),
      (reader))
XL_FN(int, xmlTextReaderDepth, (xmlTextReaderPtr reader), (reader))
XL_FN(xmlNodePtr, xmlTextReaderExpand, (xmlTextReaderPtr reader), (reader))
XL_FN(int, xmlTextReaderGetParserLineNumber, (xmlTextReaderPtr reader),
      (reader))
XL_FN(int, xmlTextReaderNext, (xmlTextReaderPtr reader), (reader))
XL_FN(int, xmlTextReaderNodeType, (xmlTextReaderPtr reader), (reader))
XL_FN(int, xmlTextReaderRead, (xmlTextReaderPtr reader), (reader))
XL_FN(xmlXPathObjectPtr, xmlXPathEvalExpression,
      (const xmlChar *str, xmlXPathContextPtr ctxt), (str, ctxt))
XL_VOID(xmlXPathFreeContext, (xmlXPathContextPtr ctxt), (ctxt))
XL_VOID(xmlXPathFreeObject, (xmlXPathObjectPtr obj), (obj))
XL_FN(xmlXPathContextPtr, xmlXPathNewContext, (xmlDocPtr doc), (doc))
/* the fuzz targets' checker (fuzz/check.c) */
XL_FN(xmlErrorPtr, xmlCtxtGetLastError, (void *ctx), (ctx))
XL_FN(xmlDocPtr, xmlCtxtReadMemory,
      (xmlParserCtxtPtr ctxt, const char *buffer, int size, const char *URL,
       const char *encoding, int options),
      (ctxt, buffer, size, URL, encoding, options))
XL_FN(xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *doc), (doc))
XL_VOID(xmlFreeParserCtxt, (xmlParserCtxtPtr ctxt), (ctxt))
XL_FN(xmlParserCtxtPtr, xmlNewParserCtxt, (void), ())
XL_FN(int, xmlStrEqual, (const xmlChar *str1, const xmlChar *str2),
      (str1, str2))

/* xmlInitParser() is what the library's users call before threads use
 * it; opening it calls the real one, once, under xl_once. */
static void(XMLCALL *xl_xmlInitParser)(void);

void XMLCALL xmlInitParser(void)
{
	xl_open();
}

/* libxml2's hook for freeing what it returned (a variable, not a
 * function): only ever given what the library allocated, so it is open
 * by then. */
static void XMLCALL xl_free(void *mem)
{
	xl_open();
	xl_real_free(mem);
}

xmlFreeFunc xmlFree = xl_free;

/* dlsym() returns an object pointer; POSIX guarantees that it converts
 * to the function's type, which C alone does not. */
#define XL_SYM(name) {#name, (void **)&xl_##name}

static void xl_load(void)
{
	const struct {
		const char *name;
		void **slot;
	} syms[] = {
		XL_SYM(htmlCtxtReadMemory),
		XL_SYM(htmlFreeParserCtxt),
		XL_SYM(htmlNewParserCtxt),
		XL_SYM(htmlReadMemory),
		XL_SYM(xmlFreeDoc),
		XL_SYM(xmlFreeTextReader),
		XL_SYM(xmlGetLastError),
		XL_SYM(xmlGetProp),
		XL_SYM(xmlNodeGetContent),
		XL_SYM(xmlReaderForFile),
		XL_SYM(xmlResetLastError),
		XL_SYM(xmlStopParser),
		XL_SYM(xmlTextReaderConstLocalName),
		XL_SYM(xmlTextReaderDepth),
		XL_SYM(xmlTextReaderExpand),
		XL_SYM(xmlTextReaderGetParserLineNumber),
		XL_SYM(xmlTextReaderNext),
		XL_SYM(xmlTextReaderNodeType),
		XL_SYM(xmlTextReaderRead),
		XL_SYM(xmlXPathEvalExpression),
		XL_SYM(xmlXPathFreeContext),
		XL_SYM(xmlXPathFreeObject),
		XL_SYM(xmlXPathNewContext),
		XL_SYM(xmlCtxtGetLastError),
		XL_SYM(xmlCtxtReadMemory),
		XL_SYM(xmlDocGetRootElement),
		XL_SYM(xmlFreeParserCtxt),
		XL_SYM(xmlNewParserCtxt),
		XL_SYM(xmlStrEqual),
		XL_SYM(xmlInitParser),
	};
	void *h = dlopen(MC_XML_SONAME, RTLD_NOW | RTLD_LOCAL);
	xmlFreeFunc *hook;
	const char *e;
	size_t i;

	if (h == NULL)
		goto fail;
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if ((*syms[i].slot = dlsym(h, syms[i].name)) == NULL)
			goto fail;
	if ((hook = dlsym(h, "xmlFree")) == NULL || *hook == NULL)
		goto fail;
	xl_real_free = *hook;
	xl_xmlInitParser();
	return;
fail:
	e = dlerror();
	fprintf(stderr, "mailcomments: %s\n",
		e ? e : MC_XML_SONAME ": cannot be opened");
	exit(EX_OSFILE);
}

static void xl_open(void)
{
	(void)pthread_once(&xl_once, xl_load);
}
