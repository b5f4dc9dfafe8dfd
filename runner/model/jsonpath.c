#include "jsonpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s, or 0 when the byte at s does
 * not start one (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF). */
static size_t seq_len(const unsigned char *s) {
    unsigned char b = s[0];
    if (b < 0x80) return 1;
    size_t n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0) return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

int gs_json_is_utf8(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = seq_len(p);
        if (n == 0) return 0;
        p += n;
    }
    return 1;
}

char *gs_json_path_text(const char *s) {
    if (s == NULL) return NULL;
    size_t len = strlen(s);
    char *out = malloc(4 * len + 1), *o = out;
    if (out == NULL) return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = seq_len(p);
        if (n == 0) {
            o += sprintf(o, "\\x%02x", *p++);
        } else {
            memcpy(o, p, n);
            o += n, p += n;
        }
    }
    *o = '\0';
    return out;
}

static char *base64(const unsigned char *s, size_t n) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    if (out == NULL) return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        *o++ = abc[v >> 18 & 63];
        *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* s (malloc'd, or NULL when its allocation failed) as a JSON string, freed;
 * null when s or the string could not be made, with *failed set. */
static json_t *owned(char *s, int *failed) {
    json_t *j = s ? json_string(s) : NULL;
    free(s);
    if (j == NULL) *failed = 1;
    return j ? j : json_null();
}

static json_t *owned_string(char *s) {
    int failed = 0;
    return owned(s, &failed);
}

int gs_json_set_path(json_t *o, const char *key, const char *s) {
    int failed = 0;
    if (json_object_set_new(o, key, s ? owned(gs_json_path_text(s), &failed) : json_null()) != 0) failed = 1;
    if (s == NULL || gs_json_is_utf8(s)) return failed ? -1 : 0;
    char k[256];
    snprintf(k, sizeof(k), "%s_base64", key);
    if (json_object_set_new(o, k, owned(base64((const unsigned char *)s, strlen(s)), &failed)) != 0) failed = 1;
    return failed ? -1 : 0;
}

json_t *gs_json_path_item(const char *s) {
    if (s == NULL) return json_null();
    if (gs_json_is_utf8(s)) return json_string(s);
    json_t *o = json_object();
    json_object_set_new(o, "text", owned_string(gs_json_path_text(s)));
    json_object_set_new(o, "base64", owned_string(base64((const unsigned char *)s, strlen(s))));
    return o;
}
