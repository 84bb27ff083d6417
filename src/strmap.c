/* strmap.c: strings to numbers, open addressing (strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "banned.h"


static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct smap_ent *slot(struct smap_ent *v, size_t cap,
				  const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);

	while (v[i].key && strcmp(v[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

struct smap_ent *smap_find(const struct smap *m, const char *key)
{
	struct smap_ent *e;

	if (m->cap == 0)
		return NULL;
	e = slot(m->v, m->cap, key);
	return e->key ? e : NULL;
}

struct smap_ent *smap_get(struct smap *m, const char *key, int *added)
{
	struct smap_ent *e;
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct smap_ent *v = xcalloc(cap, sizeof(*v));

		for (i = 0; i < m->cap; i++)
			if (m->v[i].key)
				*slot(v, cap, m->v[i].key) = m->v[i];
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	e = slot(m->v, m->cap, key);
	*added = e->key == NULL;
	if (*added) {
		e->key = xstrdup(key);
		e->val = 0;
		m->n++;
	}
	return e;
}

void smap_free(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
