#ifndef GS_JSONPATH_H
#define GS_JSONPATH_H

#include <jansson.h>

/* Paths and other bytes from the system (argv, file names, an interpreter's
 * path) in the JSON report, which only holds UTF-8 text. A path that is
 * valid UTF-8 is a plain string. One that is not is written twice: as text
 * for people, each byte that is not part of a valid UTF-8 sequence written
 * \xNN (lowercase hex), and exactly, as base64 of its bytes
 * (docs/json-schema.md, "Paths"). Nothing is dropped. */

/* Whether s is valid UTF-8 (and so a JSON string as it is). */
int gs_json_is_utf8(const char *s);

/* The text form of s: s itself when valid UTF-8, else with \xNN for every
 * byte outside a valid sequence. A new string (the caller's); NULL for NULL
 * s or out of memory. */
char *gs_json_path_text(const char *s);

/* Sets o[key] to the text form of s, and, when s is not valid UTF-8,
 * o[key + "_base64"] to its exact bytes. null for NULL s. Returns 0, or -1
 * when memory ran out (a key it could not fill is then null or absent). */
int gs_json_set_path(json_t *o, const char *key, const char *s);

/* For arrays (a command line): s as a string when valid UTF-8, else
 * {"text": its text form, "base64": its bytes}. */
json_t *gs_json_path_item(const char *s);

#endif
