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

static void bootstrap_of_constant_samples_is_exact(void **state) {
    (void)state;
    double serial[] = {1.0, 1.0, 1.0, 1.0, 1.0}, fast[] = {0.5, 0.5, 0.5, 0.5};
    double lo, hi;
    assert_int_equal(gs_stats_ratio_ci(serial, 5, fast, 4, 2000, 1, &lo, &hi), 0);
    assert_float_equal(lo, 2.0, 1e-12);
    assert_float_equal(hi, 2.0, 1e-12);
    assert_int_equal(gs_stats_ratio_ci(serial, 0, fast, 4, 2000, 1, &lo, &hi), -1);
}

/* Serial 1.00..1.04, strategy 0.50..0.52: every resampled ratio lies in
 * [1.00/0.52, 1.04/0.50]; the interval holds the point estimate 1.02/0.51 = 2,
 * and the same seed gives the same interval. */
static void bootstrap_interval_is_bounded_and_reproducible(void **state) {
    (void)state;
    double serial[] = {1.00, 1.01, 1.02, 1.03, 1.04}, fast[] = {0.50, 0.505, 0.51, 0.515, 0.52};
    double lo, hi, lo2, hi2;
    gs_stats_ratio_ci(serial, 5, fast, 5, 2000, 42, &lo, &hi);
    gs_stats_ratio_ci(serial, 5, fast, 5, 2000, 42, &lo2, &hi2);
    assert_true(lo >= 1.00 / 0.52 - 1e-12 && hi <= 1.04 / 0.50 + 1e-12);
    assert_true(lo < 2.0 && hi > 2.0);
    assert_true(hi - lo > 0.02);
    assert_float_equal(lo, lo2, 0);
    assert_float_equal(hi, hi2, 0);
}

/* Median 1.0, MAD 0.01: 1.5 has z = 0.6745 * 0.5 / 0.01 = 33.7, an outlier;
 * 1.02 has z = 1.35, not one. */
static void outliers_by_modified_z_score(void **state) {
    (void)state;
    double x[] = {0.99, 1.0, 1.01, 1.02, 0.98, 1.5, 1.0};
    assert_int_equal(gs_stats_outliers(x, 7, 3.5), 1);
    double same[] = {1, 1, 1, 1};
    assert_int_equal(gs_stats_outliers(same, 4, 3.5), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_of_odd_and_even_samples),
        cmocka_unit_test(binomial_tail_matches_hand_computation),
        cmocka_unit_test(ten_runs_interval_is_second_and_ninth),
        cmocka_unit_test(five_runs_say_their_real_level),
        cmocka_unit_test(empty_and_single_samples),
        cmocka_unit_test(bootstrap_of_constant_samples_is_exact),
        cmocka_unit_test(bootstrap_interval_is_bounded_and_reproducible),
        cmocka_unit_test(outliers_by_modified_z_score),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
