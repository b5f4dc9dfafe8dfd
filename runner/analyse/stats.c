#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double sorted_median(const double *s, size_t n) {
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double gs_stats_median(const double *x, size_t n) {
    if (n == 0) return 0.0;
    double *s = malloc(n * sizeof(*s));
    if (s == NULL) return NAN;
    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    double m = sorted_median(s, n);
    free(s);
    return m;
}

double gs_stats_binom_half_cdf(size_t n, size_t k) {
    if (k >= n) return 1.0;
    /* Sum C(n, i) / 2^n in log space so large n does not overflow. */
    double total = 0.0;
    for (size_t i = 0; i <= k; i++) {
        double lc = lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1);
        total += exp(lc - (double)n * log(2.0));
    }
    return total > 1.0 ? 1.0 : total;
}

int gs_stats_summarise(const double *x, size_t n, gs_summary *out) {
    memset(out, 0, sizeof(*out));
    if (n == 0) return 0;
    double *s = malloc(n * sizeof(*s));
    if (s == NULL) return -1;
    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    out->n = n;
    out->min = s[0];
    out->max = s[n - 1];
    out->median = sorted_median(s, n);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += s[i];
    out->mean = sum / (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) ss += (s[i] - out->mean) * (s[i] - out->mean);
    out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    /* Interval: k is 1-based; tail = P(B <= k - 1). */
    size_t k = 1;
    while (k + 1 <= (n + 1) / 2 && 2.0 * gs_stats_binom_half_cdf(n, k) <= 0.05) k++;
    double level = 1.0 - 2.0 * gs_stats_binom_half_cdf(n, k - 1);
    out->ci_low = s[k - 1];
    out->ci_high = s[n - k];
    out->ci_level = n == 1 ? 0.0 : level;
    for (size_t i = 0; i < n; i++) s[i] = fabs(s[i] - out->median);
    qsort(s, n, sizeof(*s), cmp_double);
    out->mad = sorted_median(s, n);
    free(s);
    return 0;
}

/* xorshift64*: small, fast, and reproducible across platforms. */
static uint64_t next_rand(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Median of n values drawn with replacement from x, using buf as scratch. */
static double resampled_median(const double *x, size_t n, double *buf, uint64_t *rng) {
    for (size_t i = 0; i < n; i++) buf[i] = x[next_rand(rng) % n];
    qsort(buf, n, sizeof(*buf), cmp_double);
    return sorted_median(buf, n);
}

/* The p-quantile (0..1) of sorted v by linear interpolation between ranks. */
static double quantile_sorted(const double *v, size_t n, double p) {
    double pos = p * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (pos - (double)i) * (v[i + 1] - v[i]);
}

int gs_stats_ratio_ci(const double *num, size_t n1, const double *den, size_t n2, unsigned resamples,
                      uint64_t seed, double *lo, double *hi) {
    if (n1 == 0 || n2 == 0 || resamples == 0) return -1;
    double *buf = malloc((n1 > n2 ? n1 : n2) * sizeof(double));
    double *ratios = malloc(resamples * sizeof(double));
    if (buf == NULL || ratios == NULL) {
        free(buf);
        free(ratios);
        return -1;
    }
    uint64_t rng = seed ? seed : 0x9E3779B97F4A7C15ULL;
    for (unsigned b = 0; b < resamples; b++) {
        double a = resampled_median(num, n1, buf, &rng);
        double d = resampled_median(den, n2, buf, &rng);
        ratios[b] = d > 0 ? a / d : 0.0;
    }
    qsort(ratios, resamples, sizeof(double), cmp_double);
    *lo = quantile_sorted(ratios, resamples, 0.025);
    *hi = quantile_sorted(ratios, resamples, 0.975);
    free(buf);
    free(ratios);
    return 0;
}

size_t gs_stats_outliers(const double *x, size_t n, double threshold) {
    gs_summary s;
    if (n < 3 || gs_stats_summarise(x, n, &s) != 0 || s.mad <= 0) return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(0.6745 * (x[i] - s.median) / s.mad) > threshold && fabs(x[i] - s.median) > 0.01 * s.median) k++;
    return k;
}
