#ifndef GS_COMPARE_H
#define GS_COMPARE_H

#include <jansson.h>
#include <stdio.h>

/* gilscope compare BASE.json NEW.json: the CI gate (docs/ci.md, the rule in
 * docs/statistics.md).
 *
 * First, whether the two reports measured the same thing: per source (merged
 * reports) the interpreter (implementation, version, GIL), the task count,
 * the start method of the process pools and, per workload, the task size and
 * the sha256 of the workload's file. A difference refuses the comparison
 * (exit 2) unless allow_different is set; what a report does not record (a
 * report older than the hash) is listed as not checked.
 *
 * Then cells are matched by workload, strategy, workers and (in merged
 * reports) source; cells found on one side only, or not measured on both,
 * are listed. For each cell measured on both sides, from the raw measured
 * runs: the wall-time change (new median / base median − 1) and a
 * distribution-free interval of the ratio of walls (the Mann–Whitney
 * interval on log walls, Hodges–Lehmann), at the level 1 − 0.05/m for the m
 * cells compared (Bonferroni: 95% for the comparison as a whole). The change
 * is significant when the interval excludes 1. A cell regressed when the
 * interval lies wholly above 1 + fail_above, or (6 runs a side or more) the
 * new speedup's interval lies wholly below the base's low end less
 * fail_speedup. Fewer than 6 measured runs on a side are warned about. */
typedef struct gs_compare_opts {
    double fail_above;       /* default 0.10 */
    double fail_speedup;     /* default 0.10 */
    int allow_different;     /* compare reports that measured different things, saying so */
    const char *base_name;   /* how messages name the files (the paths given); NULL: "BASE", "NEW" */
    const char *new_name;
} gs_compare_opts;

/* Prints the comparison (a Markdown table and notes) to out and one line per
 * regressed cell, or per difference that refuses the comparison, to err_out.
 * When result is not NULL, *result is set to the comparison as JSON
 * (docs/ci.md; the caller owns it), refusals included. Returns 0 (no
 * regression), 1 (a regression) or 2 (the files measured different things,
 * or share no cell; why is in why). */
int gs_compare(json_t *base, json_t *next, const gs_compare_opts *o, FILE *out, FILE *err_out, json_t **result,
               char *why, size_t whylen);

#endif
