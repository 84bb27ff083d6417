/* msgtest.h: helpers for the unit tests that parse whole messages. */
#ifndef MC_MSGTEST_H
#define MC_MSGTEST_H

#include "testutil.h"

#include "conf.h"
#include "message.h"

/* Parses raw with the embedded defaults (or c when not NULL). */
static inline struct message *mt_parse_conf(const char *raw, size_t len,
					    const struct conf *c)
{
	struct conf def;
	struct message *m = NULL;
	struct mc_err err;

	conf_defaults(&def);
	assert_int_equal(msg_parse(raw, len, c ? c : &def, &m, &err), 0);
	conf_free(&def);
	assert_non_null(m);
	return m;
}

static inline struct message *mt_parse(const char *raw)
{
	return mt_parse_conf(raw, strlen(raw), NULL);
}

/* Fails unless m's reasons are exactly the NULL-terminated list given
 * (as a set). */
static inline void mt_reasons(const struct message *m, ...)
{
	va_list ap;
	const char *r;
	size_t n = 0;

	va_start(ap, m);
	while ((r = va_arg(ap, const char *)) != NULL) {
		if (!strlist_has(&m->reasons, r))
			fail_msg("reason \"%s\" missing (kind %s, %zu reasons%s%s)",
				 r, msg_kind_name(m->kind), m->reasons.n,
				 m->reasons.n ? ", first: " : "",
				 m->reasons.n ? m->reasons.v[0] : "");
		n++;
	}
	va_end(ap);
	if (n != m->reasons.n) {
		size_t i;

		for (i = 0; i < m->reasons.n; i++)
			print_message("reason: %s\n", m->reasons.v[i]);
		fail_msg("%zu reasons, want %zu", m->reasons.n, n);
	}
}

#endif
