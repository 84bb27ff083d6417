/* flowed.c: RFC 3676 section 4, read side.  One pass over the lines; the
 * paragraph being joined waits in a buffer with its quote depth. */
#include <string.h>

#include "flowed.h"
#include "banned.h"

struct para {
	struct buf text;
	size_t depth;
	int open; /* the last line flowed: the next one may join */
};

static void emit(struct para *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->depth; i++)
		buf_addc(out, '>');
	if (p->depth > 0 && p->text.len > 0)
		buf_addc(out, ' ');
	buf_add(out, p->text.s, p->text.len);
	buf_addc(out, '\n');
	buf_reset(&p->text);
	p->open = 0;
}

void flowed_unwrap(const char *s, size_t len, int delsp, struct buf *out)
{
	struct para p = { { 0 }, 0, 0 };
	size_t pos = 0;

	buf_init(&p.text);
	buf_grow(out, len);
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, depth = 0, n;
		const char *c = s + pos;
		int flowed;

		while (depth < end - pos && c[depth] == '>')
			depth++;
		c += depth;
		n = end - pos - depth;
		if (n > 0 && c[0] == ' ') { /* stuffing, or after the '>'s */
			c++;
			n--;
		}
		flowed = n > 0 && c[n - 1] == ' ' &&
			 !(n == 3 && memcmp(c, "-- ", 3) == 0);
		if (p.open && depth != p.depth)
			emit(&p, out); /* improperly flowed: ends here */
		p.depth = depth;
		buf_add(&p.text, c, flowed && delsp ? n - 1 : n);
		if (flowed)
			p.open = 1;
		else
			emit(&p, out);
		pos = nl ? end + 1 : len;
	}
	if (p.open)
		emit(&p, out);
	buf_free(&p.text);
}
