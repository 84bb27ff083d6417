/* term.c: mail text made safe for a terminal and a log line.  A
 * replacement, not an escape: the operator sees that something was
 * there, and the rest of a sequence ("]52;c;...") stays visible as the
 * harmless text it then is. */
#include <string.h>

#include "term.h"
#include "utf8.h"
#include "banned.h"

int term_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
	       cp == 0x2029;
}

void term_clean(struct buf *out, const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if ((flags & TERM_LINES) && (p[i] == '\n' || p[i] == '\t')) {
			i++;
			continue;
		}
		k = p[i] >= 0x80 ? utf8_decode(p + i, n - i, &cp) : 0;
		if (k > 0 && !term_control(cp)) {
			i += k;
			continue;
		}
		buf_add(out, s + run, i - run);
		buf_addc(out, '?');
		i += k > 0 ? k : 1;
		run = i;
	}
	buf_add(out, s + run, n - run);
}

void term_put(FILE *f, const char *s, int flags)
{
	struct buf b;

	if (s == NULL)
		return;
	buf_init(&b);
	term_clean(&b, s, strlen(s), flags);
	fwrite(b.s, 1, b.len, f);
	buf_free(&b);
}
