#include "gs_test.h"

#include <math.h>

#include "stats.h"

static void median_of_odd_and_even_samples(void **state) {
    (void)state;
    double odd[] = {5, 1, 3};
    double even[] = {4, 1, 3, 2};
    assert_float_equal(gs_stats_median(odd, 3), 3.0, 1e-12);
    assert_float_equal(gs_stats_median(even, 4), 2.5, 1e-12);
    assert_float_equal(odd[0], 5.0, 0); /* the input is left alone */
}

static void binomial_tail_matches_hand_computation(void **state) {
    (void)state;
    assert_float_equal(gs_stats_binom_half_cdf(5, 0), 1.0 / 32, 1e-12);
    assert_float_equal(gs_stats_binom_half_cdf(10, 1), 11.0 / 1024, 1e-12);
    assert_float_equal(gs_stats_binom_half_cdf(10, 2), 56.0 / 1024, 1e-12);
    assert_float_equal(gs_stats_binom_half_cdf(4, 4), 1.0, 1e-12);
}

/* n = 10: k = 2 is the largest with 2 * P(B <= 1) = 22/1024 <= 5%, so the
 * interval is [x(2), x(9)] with coverage 1 - 22/1024. */
static void ten_runs_interval_is_second_and_ninth(void **state) {
    (void)state;
    double x[] = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
    gs_summary s;
    assert_int_equal(gs_stats_summarise(x, 10, &s), 0);
    assert_float_equal(s.median, 5.5, 1e-12);
    assert_float_equal(s.ci_low, 2, 1e-12);
    assert_float_equal(s.ci_high, 9, 1e-12);
    assert_float_equal(s.ci_level, 1.0 - 22.0 / 1024, 1e-12);
    assert_float_equal(s.mean, 5.5, 1e-12);
    assert_float_equal(s.stddev, sqrt(82.5 / 9), 1e-12);
    assert_float_equal(s.min, 1, 0);
    assert_float_equal(s.max, 10, 0);
    assert_float_equal(s.mad, 2.5, 1e-12);
}

/* Five runs cannot reach 95%: the interval is [min, max] at 93.75%. */
static void five_runs_say_their_real_level(void **state) {
    (void)state;
    double x[] = {1.2, 1.0, 1.1, 1.4, 1.3};
    gs_summary s;
    gs_stats_summarise(x, 5, &s);
    assert_float_equal(s.median, 1.2, 1e-12);
    assert_float_equal(s.ci_low, 1.0, 0);
    assert_float_equal(s.ci_high, 1.4, 0);
    assert_float_equal(s.ci_level, 0.9375, 1e-12);
}

static void empty_and_single_samples(void **state) {
    (void)state;
    gs_summary s;
    assert_int_equal(gs_stats_summarise(NULL, 0, &s), 0);
    assert_int_equal(s.n, 0);
    double one[] = {2.0};
    gs_stats_summarise(one, 1, &s);
    assert_float_equal(s.median, 2.0, 0);
    assert_float_equal(s.stddev, 0.0, 0);
    assert_float_equal(s.ci_level, 0.0, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_of_odd_and_even_samples),
        cmocka_unit_test(binomial_tail_matches_hand_computation),
        cmocka_unit_test(ten_runs_interval_is_second_and_ninth),
        cmocka_unit_test(five_runs_say_their_real_level),
        cmocka_unit_test(empty_and_single_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
