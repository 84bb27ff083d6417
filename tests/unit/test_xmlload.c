/* test_xmlload.c: libxml2 is opened when first used, not at start, and
 * what it returns comes back whole and is freed through its own hook
 * (the xmlFree variable xmlload.c defines), under ASan in check-san. */
#include <dlfcn.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "testutil.h"

static int xml_mapped(void)
{
	void *h = dlopen(MC_XML_SONAME, RTLD_NOW | RTLD_NOLOAD);

	if (h != NULL)
		dlclose(h);
	return h != NULL;
}

static void test_opened_when_first_used(void **state)
{
	static const char page[] =
		"<html><head><title>Vélo &amp; ville</title></head>"
		"<body><p class=x>un</p></body></html>";
	htmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;
	xmlChar *s;

	(void)state;
	/* nothing of libxml2's at start: an approval never maps it */
	assert_false(xml_mapped());
	doc = htmlReadMemory(page, (int)sizeof(page) - 1, NULL, "UTF-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_true(xml_mapped());
	ctx = xmlXPathNewContext(doc);
	assert_non_null(ctx);
	res = xmlXPathEvalExpression((const xmlChar *)"//title", ctx);
	assert_non_null(res);
	assert_non_null(res->nodesetval);
	assert_int_equal(res->nodesetval->nodeNr, 1);
	s = xmlNodeGetContent(res->nodesetval->nodeTab[0]);
	assert_string_equal((const char *)s, "Vélo & ville");
	xmlFree(s);
	s = xmlGetProp(xmlDocGetRootElement(doc)->children->next->children,
		       (const xmlChar *)"class");
	assert_non_null(s);
	assert_true(xmlStrEqual(s, (const xmlChar *)"x"));
	xmlFree(s);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opened_when_first_used),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
