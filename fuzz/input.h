/* input.h: a fuzz input read as several text fields.  Fields are
 * separated by NUL bytes, which no C string can hold anyway; missing
 * fields are "".  Shared by the fuzz targets (header only). */
#ifndef MC_FUZZ_INPUT_H
#define MC_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX 32

struct fields {
	const char *v[FIELDS_MAX];
	size_t n;   /* fields present in the input */
	char *mem;  /* the copy they point into */
};

/* Splits data[0..size) into at most max (<= FIELDS_MAX) fields; the
 * last one takes the rest (up to its first NUL). */
static inline void fields_split(const uint8_t *data, size_t size,
				size_t max, struct fields *f)
{
	size_t i, start = 0;

	f->mem = malloc(size + 1);
	if (f->mem == NULL)
		abort();
	memcpy(f->mem, data, size);
	f->mem[size] = '\0';
	f->n = 0;
	for (i = 0; i < max; i++)
		f->v[i] = "";
	for (i = 0; i <= size && f->n < max; i++) {
		if (i < size && f->mem[i] != '\0')
			continue;
		f->v[f->n++] = f->mem + start;
		start = i + 1;
		if (f->n == max - 1 && start <= size) {
			f->v[f->n++] = f->mem + start;
			break;
		}
	}
}

static inline void fields_free(struct fields *f)
{
	free(f->mem);
	f->mem = NULL;
}

/* data[0..size) as one NUL-terminated string (a NUL inside ends it).
 * Caller frees. */
static inline char *input_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
