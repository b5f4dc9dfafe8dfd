#ifndef GS_STATS_H
#define GS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Summary of a sample of run times (or any positive figures). */
typedef struct gs_summary {
    size_t n;
    double median;
    double ci_low;    /* distribution-free interval for the median (order statistics) */
    double ci_high;
    double ci_level;  /* its exact coverage: 0.95 or more when n >= 6, less below */
    double mean;
    double stddev;    /* sample standard deviation (n - 1); 0 when n < 2 */
    double min;
    double max;
    double mad;       /* median absolute deviation from the median, unscaled */
} gs_summary;

/* Median of x[0..n-1] (n > 0); x is left unchanged. */
double gs_stats_median(const double *x, size_t n);

/* Summarises x[0..n-1]. With n == 0 every field is 0. Returns 0, or -1 when
 * memory ran out. The median's interval is [x(k), x(n+1-k)] of the sorted
 * sample for the largest k whose two-sided binomial(n, 1/2) tail stays within
 * 5%; when even k = 1 misses (n < 6), it is [min, max] and ci_level says how
 * confident it is (93.75% for n = 5, 50% for n = 2). */
int gs_stats_summarise(const double *x, size_t n, gs_summary *out);

/* A 95% interval for median(num) / median(den) by the percentile bootstrap:
 * both samples are resampled with replacement, independently, `resamples`
 * times from a generator seeded with seed (so a report is reproducible), and
 * the 2.5th and 97.5th percentiles of the ratios are returned. Returns 0, or
 * -1 when a sample is empty or memory ran out. */
int gs_stats_ratio_ci(const double *num, size_t n1, const double *den, size_t n2, unsigned resamples,
                      uint64_t seed, double *lo, double *hi);

/* How many values have a modified z-score |0.6745 (x - median) / MAD| above
 * threshold (Iglewicz and Hoaglin recommend 3.5) and lie more than 1% from
 * the median (so that a very steady sample, with a tiny MAD, does not flag
 * differences nobody could care about). 0 when MAD is 0. */
size_t gs_stats_outliers(const double *x, size_t n, double threshold);

/* P(B <= k) for B ~ Binomial(n, 1/2). */
double gs_stats_binom_half_cdf(size_t n, size_t k);

#endif
