/* Figures in the JSON report (model/jsonnum.c): a finite number as it is,
 * infinity and NaN as null, counted. */
#include "gs_test.h"

#include <math.h>

#include "jsonnum.h"

static void finite_numbers_are_kept(void **state) {
    (void)state;
    int n = 0;
    json_t *j = gs_json_num(-2.5, &n);
    assert_true(json_is_real(j));
    assert_true(json_real_value(j) == -2.5);
    assert_int_equal(n, 0);
    json_decref(j);
}

static void nonfinite_numbers_are_null_and_counted(void **state) {
    (void)state;
    int n = 0;
    double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *j = gs_json_num(bad[i], &n);
        assert_true(json_is_null(j));
        json_decref(j);
    }
    assert_int_equal(n, 3);
    json_t *j = gs_json_num(NAN, NULL); /* not counted, still null */
    assert_true(json_is_null(j));
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finite_numbers_are_kept),
        cmocka_unit_test(nonfinite_numbers_are_null_and_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
