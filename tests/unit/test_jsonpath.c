/* Paths in the JSON report (model/jsonpath.c): valid UTF-8 as it is, any
 * other as text with \xNN and, exactly, as base64. */
#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"

static void utf8_is_recognised(void **state) {
    (void)state;
    assert_true(gs_json_is_utf8("/tmp/été/ü.py"));
    assert_true(gs_json_is_utf8("\xf0\x9f\x90\x8d.py")); /* a 4-byte sequence */
    assert_false(gs_json_is_utf8("w\xff.py"));
    assert_false(gs_json_is_utf8("\xc0\xaf"));         /* overlong */
    assert_false(gs_json_is_utf8("\xed\xa0\x80"));     /* a surrogate */
    assert_false(gs_json_is_utf8("\xe2\x82"));         /* cut short */
}

static void text_and_bytes(void **state) {
    (void)state;
    char *t = gs_json_path_text("/tmp/w\xff\xfe-é.py");
    assert_string_equal(t, "/tmp/w\\xff\\xfe-é.py");
    free(t);
    json_t *o = json_object();
    assert_int_equal(gs_json_set_path(o, "spec", "a\xff"), 0);
    assert_string_equal(json_string_value(json_object_get(o, "spec")), "a\\xff");
    assert_string_equal(json_string_value(json_object_get(o, "spec_base64")), "Yf8=");
    gs_json_set_path(o, "ok", "plain.py");
    assert_string_equal(json_string_value(json_object_get(o, "ok")), "plain.py");
    assert_null(json_object_get(o, "ok_base64"));
    gs_json_set_path(o, "none", NULL);
    assert_true(json_is_null(json_object_get(o, "none")));
    json_decref(o);
    json_t *i = gs_json_path_item("\xff\xfe\xfd");
    assert_string_equal(json_string_value(json_object_get(i, "text")), "\\xff\\xfe\\xfd");
    assert_string_equal(json_string_value(json_object_get(i, "base64")), "//79");
    json_decref(i);
    i = gs_json_path_item("run");
    assert_string_equal(json_string_value(i), "run");
    json_decref(i);
}

static size_t allowed; /* jansson allocations left before they fail */

static void *scarce_malloc(size_t n) {
    if (allowed == 0) return NULL;
    allowed--;
    return malloc(n);
}

/* Out of memory is said (-1), not dropped silently: with every jansson
 * allocation failing, and with the first one only succeeding. */
static void set_path_says_out_of_memory(void **state) {
    (void)state;
    for (size_t k = 0; k < 2; k++) { /* the text's string takes two allocations */
        json_t *o = json_object();
        allowed = k;
        json_set_alloc_funcs(scarce_malloc, free);
        int rc = gs_json_set_path(o, "file", "a\xff");
        json_set_alloc_funcs(malloc, free);
        assert_int_equal(rc, -1);
        json_decref(o);
    }
    json_t *o = json_object();
    assert_int_equal(gs_json_set_path(o, "file", "a\xff"), 0);
    json_decref(o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_is_recognised),
        cmocka_unit_test(text_and_bytes),
        cmocka_unit_test(set_path_says_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
