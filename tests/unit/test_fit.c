#include "gs_test.h"

#include <math.h>

#include "fit.h"

/* Exact Amdahl data with s = 0.1 gives back s = 0.1, no error, r2 = 1, and
 * the prediction at 16 workers is 1 / (0.1 + 0.9 / 16) = 6.4. */
static void recovers_amdahl(void **state) {
    (void)state;
    double n[] = {1, 2, 4, 8}, S[4];
    for (int i = 0; i < 4; i++) S[i] = 1.0 / (0.1 + 0.9 / n[i]);
    gs_fit f;
    gs_fit_curve(n, S, 4, 0, &f);
    assert_true(f.ok);
    assert_float_equal(f.s, 0.1, 1e-9);
    assert_float_equal(f.s_se, 0.0, 1e-9);
    assert_float_equal(f.r2_amdahl, 1.0, 1e-9);
    double lo, hi;
    assert_float_equal(gs_fit_amdahl_at(&f, 16, 0, &lo, &hi), 6.4, 1e-9);
    assert_float_equal(lo, 6.4, 1e-9);
    assert_float_equal(hi, 6.4, 1e-9);
}

/* 2 cores, perfect scaling up to them and flat after: with the core count
 * the serial fraction is 0; without it the plateau reads as a large one. */
static void the_cores_are_not_a_serial_fraction(void **state) {
    (void)state;
    double n[] = {1, 2, 4}, S[] = {1, 2, 2};
    gs_fit aware, naive;
    gs_fit_curve(n, S, 3, 2, &aware);
    gs_fit_curve(n, S, 3, 0, &naive);
    assert_float_equal(aware.s, 0.0, 1e-9);
    assert_float_equal(aware.r2_amdahl, 1.0, 1e-9);
    assert_true(naive.s > 0.2);
    assert_true(naive.r2_amdahl < 1.0);
    assert_false(aware.usl_ok); /* only two distinct effective counts */
    double lo, hi;
    assert_float_equal(gs_fit_amdahl_at(&aware, 8, 2, &lo, &hi), 2.0, 1e-9);
}

static void recovers_usl(void **state) {
    (void)state;
    double n[] = {1, 2, 4, 8, 16}, S[5];
    for (int i = 0; i < 5; i++) S[i] = n[i] / (1 + 0.05 * (n[i] - 1) + 0.01 * n[i] * (n[i] - 1));
    gs_fit f;
    gs_fit_curve(n, S, 5, 0, &f);
    assert_true(f.usl_ok);
    assert_float_equal(f.sigma, 0.05, 1e-9);
    assert_float_equal(f.kappa, 0.01, 1e-9);
    assert_float_equal(f.r2_usl, 1.0, 1e-9);
    assert_true(f.sigma_se < 1e-6);
}

/* Noisy data: the standard error is positive and the interval brackets the
 * prediction. */
static void noise_gives_uncertainty(void **state) {
    (void)state;
    double n[] = {1, 2, 4, 8}, S[] = {1.0, 1.75, 2.9, 4.8};
    gs_fit f;
    gs_fit_curve(n, S, 4, 0, &f);
    assert_true(f.s > 0 && f.s < 0.2);
    assert_true(f.s_se > 0);
    double lo, hi, p = gs_fit_amdahl_at(&f, 16, 0, &lo, &hi);
    assert_true(lo < p && p < hi);
    gs_fit one;
    gs_fit_curve(n, S, 1, 0, &one);
    assert_false(one.ok);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_amdahl),
        cmocka_unit_test(the_cores_are_not_a_serial_fraction),
        cmocka_unit_test(recovers_usl),
        cmocka_unit_test(noise_gives_uncertainty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
