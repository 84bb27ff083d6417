/* json.h: a small JSON writer (into a struct buf) and string escaper, for
 * `parse --json`, `list --json` and the per-article JSON output.
 * Output is UTF-8; invalid UTF-8 input bytes are written as U+FFFD. */
#ifndef MC_JSON_H
#define MC_JSON_H

#include <stdint.h>

#include "util.h"

struct json {
	struct buf *out;
	int depth;
	int first[32]; /* per level: no element written yet */
	int pretty;
	int after_key;
};

/* pretty: indent with two spaces per level, one member per line. */
void json_init(struct json *j, struct buf *out, int pretty);

void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, int64_t v);
void json_num(struct json *j, double v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);

/* Shorthands: key + value. */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, int64_t v);
void json_kbool(struct json *j, const char *key, int v);

/* Appends s as a quoted JSON string.  Controls (C0, DEL, C1 and bidi
 * controls, see term.h), U+2028/9 and < > & are written as \uXXXX:
 * the value is unchanged, and the JSON is safe on a terminal and inside
 * HTML. */
void json_escape(struct buf *out, const char *s);

#endif
