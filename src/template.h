/* template.h: the tiny template language of the comment sections, which a
 * site owner can override (render.templates).  Four forms:
 *
 *   {{name}}                 the value of a text variable, HTML-escaped
 *   {{{name}}}               the value of an HTML variable (markup that
 *                            mailcomments built and escaped), as it is
 *   {{#name}} ... {{/name}}  the block, when name is set (non-empty, true)
 *   {{^name}} ... {{/name}}  the block, when name is not set
 *   {{! comment }}           nothing
 *
 * Escaping is the default: a text variable can only be written escaped and
 * an HTML variable only with the triple braces, so no template can print
 * a reader's words unescaped.  Every template is checked when it is
 * parsed against the variables it may use; an unknown name, the wrong
 * braces for a variable's type, or a block left open is an error naming
 * the template and the line.  A block tag or comment alone on its line
 * takes the whole line with it, so templates can be indented freely. */
#ifndef MC_TEMPLATE_H
#define MC_TEMPLATE_H

#include <stddef.h>

#include "util.h"

enum template_type {
	TEMPLATE_TEXT, /* {{x}}, escaped */
	TEMPLATE_HTML, /* {{{x}}}, trusted markup */
	TEMPLATE_BOOL, /* only {{#x}} and {{^x}} */
};

struct template_var {
	const char *name;
	enum template_type type;
};

/* The value of variable i of the template's variable list: s for text
 * and HTML (NULL reads as empty), b for booleans.  An HTML variable may
 * instead be written by put(arg, out) where the template prints it (it
 * is then set): a section's thousands of comments go straight to the
 * output, not through a buffer of their own copied into it. */
struct template_val {
	const char *s;
	int b;
	void (*put)(const void *arg, struct buf *out);
	const void *arg;
};

struct template;

/* Parses text[0..len) named name (for errors: "comment.html:12: ...")
 * against vars[0..nvars).  The caller frees *t with template_free().
 * vars must outlive *t. */
int template_parse(struct template **t, const char *name, const char *text,
		   size_t len, const struct template_var *vars, size_t nvars,
		   struct mc_err *err);

/* Appends the template applied to vals (indexed like the vars given to
 * template_parse) to out. */
void template_render(const struct template *t,
		     const struct template_val *vals, struct buf *out);

void template_free(struct template *t);

/* A built-in file of templates/ (compiled into the binary from the
 * source tree's templates/ directory), or NULL; *len gets its size. */
const char *template_builtin(const char *name, size_t *len);

#endif
