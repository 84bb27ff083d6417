/* fuzz_catalog.c: libFuzzer target for the translation catalogs'
 * parser (catalog_add_po): the input is one .po file, as a site owner's
 * override directory could hold.  A bad file must be refused with an
 * error naming it, never crash or hang; its Plural-Forms expression is
 * evaluated for many n.  Checks that a file accepted once is accepted
 * again (the override path: its entries replace themselves), that every
 * lookup gives a string, and that a refused file leaves the catalog as
 * it was (English only). */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned long fuzz_n[] = { 0, 1, 2, 3, 5, 11, 12, 21, 22, 101,
					111, 1000000, (unsigned long)-1 };

static void lookups(const struct catalog_lang *l)
{
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(fuzz_n) / sizeof(fuzz_n[0]); i++)
		if (catalog_nget(l, NULL, "%d comment", "%d comments",
				 fuzz_n[i]) == NULL)
			abort();
	if (catalog_get(l, NULL, "Reply") == NULL ||
	    catalog_get(l, "", "") == NULL)
		abort();
	buf_init(&b);
	catalog_date(l, 1764594540, &b);
	catalog_date(l, 0, &b);
	if (b.len == 0)
		abort();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog *cat = catalog_new();
	struct mc_err err = { "" };
	const char *const *codes;
	const char *text = (const char *)data;

	if (catalog_add_po(cat, "xx", "fuzz.po", text, size, &err) < 0) {
		/* refused: an error with the file's name, nothing added */
		if (strncmp(err.msg, "fuzz.po:", 8) != 0 ||
		    catalog_langs(cat, &codes) != 1)
			abort();
		lookups(catalog_lang(cat, "xx"));
		catalog_free(cat);
		return 0;
	}
	if (catalog_langs(cat, &codes) != 2 ||
	    strcmp(catalog_lang_code(catalog_lang(cat, "xx-YY")), "xx") != 0)
		abort();
	lookups(catalog_lang(cat, "xx"));
	if (catalog_add_po(cat, "xx", "again.po", text, size, &err) < 0)
		abort();
	lookups(catalog_lang(cat, "xx"));
	catalog_free(cat);
	return 0;
}
