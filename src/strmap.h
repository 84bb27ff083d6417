/* strmap.h: a map from strings to numbers (open addressing, FNV-1a,
 * doubling), for sets and indexes that grow with an input: the threads
 * of an import, the authors seen.  The map owns copies of its keys. */
#ifndef MC_STRMAP_H
#define MC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct smap_ent {
	char *key;
	int64_t val;
};

struct smap {
	struct smap_ent *v;
	size_t cap, n; /* n: keys held */
};

/* The entry for key, or NULL. */
struct smap_ent *smap_find(const struct smap *m, const char *key);

/* The entry for key, added (val 0) when absent; *added says which.  The
 * pointer is valid until the next smap_get(). */
struct smap_ent *smap_get(struct smap *m, const char *key, int *added);

void smap_free(struct smap *m);

#endif
