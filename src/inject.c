/* inject.c: replacing what stands between the comment markers of a page.
 * The page is treated as bytes, never parsed: whatever the site generator
 * wrote around the markers comes back byte for byte. */
#include <string.h>

#include "inject.h"
#include "banned.h"

static int line_at(const char *s, size_t pos)
{
	int line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		line += s[i] == '\n';
	return line;
}

/* Where marker occurs in s[0..len): the count, the first two offsets. */
static size_t find_all(const char *s, size_t len, const char *marker,
		       size_t pos[2])
{
	size_t n = 0, mlen = strlen(marker), i = 0;
	const char *p;

	while (i + mlen <= len &&
	       (p = memmem(s + i, len - i, marker, mlen)) != NULL) {
		if (n < 2)
			pos[n] = (size_t)(p - s);
		n++;
		i = (size_t)(p - s) + mlen;
	}
	return n;
}

static int marker_count(const char *s, size_t count,
			const char *which, const size_t pos[2],
			struct mc_err *err)
{
	if (count == 0)
		return err_set(err, "no %s marker %s", which,
			       strcmp(which, "begin") == 0 ? INJECT_BEGIN :
							      INJECT_END);
	if (count > 1)
		return err_set(err,
			       "%zu %s markers (lines %d and %d%s); there must "
			       "be exactly one",
			       count, which, line_at(s, pos[0]),
			       line_at(s, pos[1]), count > 2 ? ", ..." : "");
	return 0;
}

int inject_section(const char *page, size_t len, const char *section,
		   struct buf *out, struct mc_err *err)
{
	size_t b[2], e[2], nb, ne, from;

	nb = find_all(page, len, INJECT_BEGIN, b);
	ne = find_all(page, len, INJECT_END, e);
	if (marker_count(page, nb, "begin", b, err) < 0 ||
	    marker_count(page, ne, "end", e, err) < 0)
		return -1;
	if (e[0] < b[0])
		return err_set(err,
			       "the end marker (line %d) comes before the "
			       "begin marker (line %d)",
			       line_at(page, e[0]), line_at(page, b[0]));
	from = b[0] + strlen(INJECT_BEGIN);
	buf_add(out, page, from);
	buf_addc(out, '\n');
	buf_adds(out, section);
	buf_add(out, page + e[0], len - e[0]);
	return 0;
}
