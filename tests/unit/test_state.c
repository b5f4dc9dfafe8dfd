/* The thread-state table (model/state.c): every state has a row with a
 * distinct key, label and colour, and keys round-trip. */
#include "gs_test.h"

#include <string.h>

#include "state.h"

static void every_state_has_a_row(void **state) {
    (void)state;
    for (gs_state s = 0; s < GS_ST_COUNT; s++) {
        const gs_state_info *i = gs_state_get(s);
        assert_non_null(i);
        assert_int_equal(gs_state_from_key(i->key), s);
        assert_int_equal(strlen(i->colour), 7);
        assert_int_equal(i->colour[0], '#');
        for (gs_state t = 0; t < s; t++) {
            assert_string_not_equal(gs_state_key(t), i->key);
            assert_string_not_equal(gs_state_label(t), i->label);
            assert_string_not_equal(gs_state_colour(t), i->colour);
        }
    }
}

static void out_of_range(void **state) {
    (void)state;
    assert_null(gs_state_get(GS_ST_COUNT));
    assert_string_equal(gs_state_key(GS_ST_COUNT), "?");
    assert_string_equal(gs_state_label((gs_state)-1), "?");
    assert_string_equal(gs_state_colour(GS_ST_COUNT), gs_state_colour(GS_ST_OTHER));
    assert_int_equal(gs_state_from_key("nonesuch"), -1);
    assert_int_equal(gs_state_from_key(NULL), -1);
}

static void the_report_keys(void **state) {
    (void)state;
    /* docs/json-schema.md names these keys: they are part of the contract. */
    assert_string_equal(gs_state_key(GS_ST_ON_CPU), "on_cpu");
    assert_string_equal(gs_state_key(GS_ST_GIL), "wait_gil");
    assert_string_equal(gs_state_key(GS_ST_IDLE), "idle");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_has_a_row),
        cmocka_unit_test(out_of_range),
        cmocka_unit_test(the_report_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
