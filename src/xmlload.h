/* xmlload.h: libxml2, opened the first time a command parses HTML (an
 * HTML-only mail, an article's page) or reads an XML export.
 * As for libcurl (curlload.h), the program is compiled against libxml2
 * but not linked with it: xmlload.c defines the xml and html functions
 * it calls, and the xmlFree hook, which open the library and forward to
 * it.  Linked, libxml2 with ICU, liblzma and libstdc++ took 2 ms and
 * 2.2 MB of every start, `approve` and `render` included, which never
 * use it.  Unlike libcurl's, its absence is not an error to report and
 * go on from (a mail's HTML would read as empty): the first call that
 * needs it ends the process with EX_OSFILE and the loader's reason, as
 * the dynamic linker would have at start.  Nothing to call: the
 * header is the module's documentation. */
#ifndef MC_XMLLOAD_H
#define MC_XMLLOAD_H
#endif
