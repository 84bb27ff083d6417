/* fuzz_parse.c: libFuzzer target for the mail parser.  Every input goes
 * through msg_parse(), msg_to_json() and msg_free() with the embedded
 * default configuration; the sanitizers catch memory errors and leaks,
 * MC_FUZZING makes mime.c abort when libetpan builds a bigger or deeper
 * tree than mime_scan() measured, and the JSON of `parse --json` must
 * pass check_json() (strict JSON, safe inside <script>).  The input is
 * one whole mail. */
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "conf.h"
#include "message.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf conf;
	static int ready;
	struct message *m;
	struct mc_err err;
	struct buf out;
	char why[CHECK_WHY];

	if (!ready) {
		conf_defaults(&conf);
		ready = 1;
	}
	if (msg_parse((const char *)data, size, &conf, &m, &err) < 0)
		return 0;
	buf_init(&out);
	msg_to_json(m, &out);
	if (check_json(out.s, out.len, NULL, NULL, why) < 0)
		check_fail("msg_to_json", why, out.s, out.len);
	buf_free(&out);
	msg_free(m);
	return 0;
}
