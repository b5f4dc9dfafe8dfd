#ifndef GS_COMPARE_H
#define GS_COMPARE_H

#include <jansson.h>
#include <stdio.h>

/* gilscope compare BASE.json NEW.json: the CI gate.
 *
 * Cells are matched by workload, strategy, workers and (in merged reports)
 * source. For each, from the raw
 * measured runs of both files: the wall-time change (new median / base
 * median − 1) with a 95% percentile-bootstrap interval of that ratio (2000
 * resamples), and the speedup against serial in each file. A change is
 * significant when the interval excludes 1 (no change); with fewer than 3
 * runs on a side nothing is called significant. A cell regressed when its
 * wall time grew by more than fail_above (a fraction) significantly, or its
 * speedup fell by more than fail_speedup (a fraction) and the new speedup's
 * interval lies wholly below the base's. */
typedef struct gs_compare_opts {
    double fail_above;       /* default 0.10 */
    double fail_speedup;     /* default 0.10 */
} gs_compare_opts;

/* Prints the comparison table (Markdown when markdown is set) to out and one
 * line per regressed cell to err_out. Returns 0 (no regression), 1 (a
 * regression) or 2 (the files measured different things; why is in why). */
int gs_compare(json_t *base, json_t *next, const gs_compare_opts *o, int markdown, FILE *out, FILE *err_out,
               char *why, size_t whylen);

#endif
