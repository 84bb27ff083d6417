/* fuzz_trust.c: libFuzzer target for what the gateway reads of other
 * people's addresses and of the header fields it may believe.  The first
 * line of the input is an address for addr_problem(), addr_canonical(),
 * addr_key(), addr_pattern_key() and addr_is_gateway(); the rest is one
 * header value for trust_received_by(), trust_ar_from() and
 * trust_ar_dkim(), and the whole input a mail whose trusted run, DKIM
 * result and spam score are read.  Checks that a canonical key is stable
 * (canonicalising it again gives itself) and valid. */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "conf.h"
#include "message.h"
#include "trust.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf conf;
	static int ready;
	char *text = xstrndup((const char *)data, size), *nl, *k, *k2;
	const char *rest = "";
	struct message *m;
	struct mc_err err;
	double score;

	if (!ready) {
		conf_defaults(&conf);
		free(conf.trusted_authserv_id);
		conf.trusted_authserv_id = xstrdup("mx.example.org");
		free(conf.spam_header);
		conf.spam_header = xstrdup("spamassassin");
		ready = 1;
	}
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		rest = nl + 1;
	}
	(void)addr_problem(text, 1);
	k = addr_canonical(text, "+-");
	if (k) {
		if (addr_problem(k, 0) != NULL)
			abort();
		k2 = addr_canonical(k, "+-");
		if (k2 == NULL || strcmp(k, k2) != 0)
			abort();
		free(k2);
	}
	free(k);
	free(addr_key(&conf, text));
	free(addr_pattern_key(&conf, text));
	(void)addr_is_gateway(&conf, text);
	free(trust_received_by(rest));
	(void)trust_ar_from(rest, "mx.example.org");
	(void)trust_ar_dkim(rest, text);
	free(text);
	if (msg_parse((const char *)data, size, &conf, &m, &err) < 0)
		return 0;
	(void)trust_run(&conf, m);
	(void)trust_dkim_pass(&conf, m, "example.org");
	(void)trust_spam_score(&conf, m, &score);
	msg_free(m);
	return 0;
}
