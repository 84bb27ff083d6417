/* fuzz_address.c: libFuzzer target for addresses a sender writes: the
 * recipient read as one of the gateway's plus-addresses (addr_classify),
 * subject tags (addr_subject_tag), slugs, local parts, ban patterns
 * (addr_matches), address lists (hdr_parse_addresses), and the canonical
 * mailbox that limits and bans count by (see canonical() below).
 *
 * Input: one flag byte (bit 0: the second configuration, a mailbox in
 * mixed case with '-' as separator), then NUL-separated fields: address,
 * subject, ban pattern, address-list header value.
 *
 * Checks, each a crash when broken:
 * - slug_valid() agrees with the rule written out again here;
 * - what addr_classify() reads is what the address says: an article,
 *   reply or token address is rebuilt by addr_article(), addr_reply() or
 *   addr_token() into the same address (ASCII case aside; token case
 *   kept), and the rebuilt one classifies the same; the bare mailbox is
 *   the configured one;
 * - a subject tag found is written in the subject as "[slug]" or
 *   "[slug#N]" (ASCII case aside);
 * - addr_local_part() and addr_matches() follow their rule;
 * - every mailbox of an address list has a non-empty address without
 *   CR, LF or NUL, and classifies without harm;
 * - canonical(), once wired: idempotent, an address with a local part
 *   and a domain, and the same for the spellings of one simple mailbox
 *   (case, quotes, trailing dot, sub-address). */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "check.h"
#include "conf.h"
#include "headers.h"
#include "input.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct conf confs[2];

/* The canonical mailbox that rate limits, bans, trust and confirmations
 * count by (case, quoting, trailing dot, IDN; sub-addressing folded): a
 * new string, or NULL for text that is no mailbox. */
static char *canonical(const struct conf *c, const char *addr)
{
	return addr_canonical(addr, c->limit_subaddress_separators);
}

static const char *fuzz_text; /* the input, for the crash report */
static size_t fuzz_len;

static void bad(const char *what, const char *detail)
{
	check_fail(what, detail, fuzz_text, fuzz_len);
}

static int my_slug_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > SLUG_MAX || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '/' && s[i + 1] == '/')
			return 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '/'))
			return 0;
	}
	return 1;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static void classify(const struct conf *c, const char *addr)
{
	struct addr_target t, u;
	char *back = NULL;

	addr_classify(c, addr, &t);
	switch (t.kind) {
	case ADDR_OTHER:
	case ADDR_INVALID:
		return;
	case ADDR_GATEWAY:
		if (ascii_casecmp(addr, c->address_mailbox) != 0)
			bad("addr_classify", "GATEWAY for another address");
		return;
	case ADDR_ARTICLE:
		if (!slug_valid(t.slug))
			bad("addr_classify", "ARTICLE with an invalid slug");
		back = addr_article(c, t.slug);
		break;
	case ADDR_REPLY:
		if (!slug_valid(t.slug) || t.parent <= 0)
			bad("addr_classify", "REPLY with an invalid slug or "
					     "number");
		back = addr_reply(c, t.slug, t.parent);
		break;
	case ADDR_TOKEN: {
		size_t i, n = strlen(t.token);

		if (strchr(ADDR_TOKEN_PURPOSES, t.purpose) == NULL ||
		    t.purpose == '\0' ||
		    n < 16 || n > TOKEN_MAX)
			bad("addr_classify", "TOKEN of a wrong purpose or "
					     "length");
		for (i = 0; i < n; i++)
			if (!((t.token[i] >= 'a' && t.token[i] <= 'z') ||
			      (t.token[i] >= 'A' && t.token[i] <= 'Z') ||
			      (t.token[i] >= '0' && t.token[i] <= '9')))
				bad("addr_classify", "TOKEN of other "
						     "characters");
		if (strstr(addr, t.token) == NULL)
			bad("addr_classify", "TOKEN not as written");
		back = addr_token(c, t.purpose, t.token);
		break;
	}
	default:
		bad("addr_classify", "kind out of range");
	}
	if (ascii_casecmp(back, addr) != 0)
		bad("addr_classify", "the address rebuilt from what was read "
				     "is another address");
	addr_classify(c, back, &u);
	if (memcmp(&t, &u, sizeof(t)) != 0)
		bad("addr_classify", "the rebuilt address reads otherwise");
	free(back);
}

static void subject_tag(const char *subject)
{
	struct addr_target t;
	char *low, *want;

	if (!addr_subject_tag(subject, &t))
		return;
	if (t.kind != ADDR_ARTICLE && t.kind != ADDR_REPLY)
		bad("addr_subject_tag", "kind neither ARTICLE nor REPLY");
	if (!slug_valid(t.slug))
		bad("addr_subject_tag", "invalid slug");
	if (t.kind == ADDR_REPLY && t.parent <= 0)
		bad("addr_subject_tag", "reply to a number <= 0");
	low = xstrdup(subject);
	lower(low);
	want = t.kind == ADDR_ARTICLE ?
		       xasprintf("[%s]", t.slug) :
		       xasprintf("[%s#%" PRId64 "]", t.slug, t.parent);
	if (strstr(low, want) == NULL)
		bad("addr_subject_tag", "the tag read is not in the subject");
	free(low);
	free(want);
}

static void local_part(const char *addr)
{
	char *l = addr_local_part(addr), *want = xstrdup(addr), *at;

	at = strrchr(want, '@');
	if (at)
		*at = '\0';
	lower(want);
	if (strcmp(l, want) != 0)
		bad("addr_local_part", "not the lowercased text before the "
				       "last '@'");
	free(l);
	free(want);
}

static void matches(const char *pattern, const char *addr)
{
	const char *at = strrchr(addr, '@');
	int want = pattern[0] == '@' ? at && ascii_casecmp(at, pattern) == 0 :
				       ascii_casecmp(pattern, addr) == 0;

	if (addr_matches(pattern, addr) != want)
		bad("addr_matches", "not the pattern rule");
}

static void check_canonical(const struct conf *c, const char *addr);

static void address_list(const struct conf *c, const char *v)
{
	struct hdr_mailbox *boxes = NULL;
	struct addr_target t;
	size_t n = 0, i;
	char *u = hdr_unfold(v, strlen(v)); /* as message.c gives it */

	hdr_parse_addresses(u, &boxes, &n);
	free(u);
	for (i = 0; i < n; i++) {
		if (boxes[i].addr[0] == '\0' || strpbrk(boxes[i].addr, "\r\n"))
			bad("hdr_parse_addresses", "an empty address or one "
						   "with CR or LF");
		addr_classify(c, boxes[i].addr, &t);
		check_canonical(c, boxes[i].addr);
	}
	hdr_mailboxes_free(boxes, n);
}

/* A simple mailbox: ASCII dot-atom local part and host name. */
static int simple(const char *addr)
{
	const char *at = strchr(addr, '@'), *p;

	if (at == NULL || at == addr || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (p = addr; *p; p++)
		if (p != at && !((*p >= 'a' && *p <= 'z') ||
				 (*p >= 'A' && *p <= 'Z') ||
				 (*p >= '0' && *p <= '9') || *p == '.' ||
				 *p == '-'))
			return 0;
	return addr[0] != '.' && at[-1] != '.' && at[1] != '.' &&
	       p[-1] != '.' && strstr(addr, "..") == NULL;
}

static void same_canonical(const struct conf *c, const char *canon,
			   const char *variant)
{
	char *v = canonical(c, variant);

	if (v == NULL || strcmp(v, canon) != 0)
		bad("canonical", "two spellings of one mailbox differ");
	free(v);
}

static void check_canonical(const struct conf *c, const char *addr)
{
	char *canon = canonical(c, addr), *again, *v, *at;
	char why[CHECK_WHY];

	if (canon == NULL)
		return;
	at = strrchr(canon, '@');
	if (at == NULL || at == canon || at[1] == '\0')
		bad("canonical", "no local part or no domain");
	/* a space may stand only inside a quoted local part */
	if (check_text(canon, strlen(canon), "", why) < 0 ||
	    (canon[0] != '"' && strchr(canon, ' ')) || strchr(at, ' '))
		bad("canonical", "controls, spaces or invalid UTF-8");
	again = canonical(c, canon);
	if (again == NULL || strcmp(again, canon) != 0)
		bad("canonical", "not idempotent");
	free(again);
	if (simple(addr)) {
		size_t l = (size_t)(strchr(addr, '@') - addr);

		v = xstrdup(addr);
		for (at = v; *at; at++)
			if (*at >= 'a' && *at <= 'z')
				*at = (char)(*at - 32);
		same_canonical(c, canon, v);
		free(v);
		v = xasprintf("%s.", addr);
		same_canonical(c, canon, v);
		free(v);
		/* a local part longer than 64 bytes as written (RFC 5321
		 * 4.5.3.1.1) is no address: only spellings within it */
		if (l + 2 <= 64) {
			v = xasprintf("\"%.*s\"%s", (int)l, addr, addr + l);
			same_canonical(c, canon, v);
			free(v);
		}
		if (l + 4 <= 64) {
			v = xasprintf("%.*s%ctag%s", (int)l, addr,
				      c->address_separator[0], addr + l);
			same_canonical(c, canon, v);
			free(v);
		}
	}
	free(canon);
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const struct conf *c;
	struct fields f;

	if (!ready) {
		conf_defaults(&confs[0]);
		set(&confs[0].address_mailbox, "comments@example.org");
		set(&confs[0].address_separator, "+");
		conf_defaults(&confs[1]);
		set(&confs[1].address_mailbox, "Commentaires@Blog.Example.ORG");
		set(&confs[1].address_separator, "-");
		set(&confs[1].limit_subaddress_separators, "+-");
		ready = 1;
	}
	if (size < 1)
		return 0;
	fuzz_text = (const char *)data;
	fuzz_len = size;
	c = &confs[data[0] & 1];
	fields_split(data + 1, size - 1, 4, &f);
	if (slug_valid(f.v[0]) != my_slug_valid(f.v[0]))
		bad("slug_valid", "disagrees with the slug rule");
	classify(c, f.v[0]);
	subject_tag(f.v[1]);
	local_part(f.v[0]);
	matches(f.v[2], f.v[0]);
	address_list(c, f.v[3]);
	check_canonical(c, f.v[0]);
	fields_free(&f);
	return 0;
}
