#ifndef GS_REPORT_VIEW_H
#define GS_REPORT_VIEW_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Read-only helpers the exporters share over a JSON report
 * (docs/json-schema.md), plain or merged. */

/* A string field, or "" when missing or not a string. */
const char *gs_jstr(json_t *o, const char *k);
/* A number field, or 0. */
double gs_jnum(json_t *o, const char *k);
/* Whether a field is a number (not null, not missing). */
int gs_jhas(json_t *o, const char *k);

/* Cuts an incomplete UTF-8 sequence off the end of s (left by snprintf
 * truncating a long label), so no output gets half a character. */
void gs_utf8_trim(char *s);

/* "threads", "processes/fork": a cell's strategy with its start method. */
void gs_view_strategy_label(json_t *c, char *buf, size_t cap);

/* Whether a cell (or a verdict's "best") is of the baseline strategy
 * (serial): its speedup is 1 by definition and it has no worker count. */
int gs_view_is_baseline(json_t *c);

/* Why a cell has no wall time: its unavailable reason, its error, or "not measured". */
const char *gs_view_why_unmeasured(json_t *c);

/* Calls fn once per distinct workload name (gs_view_workloads' order),
 * stopping at the first that returns non-zero. Returns 0 or -1. */
int gs_view_each_workload(json_t *report, FILE *f, int (*fn)(json_t *report, const char *name, FILE *f));

/* "serial", "threads × 2", "processes/spawn × 2"; with_source adds
 * " · SOURCE" when the cell has one; cut at a character boundary when it
 * does not fit. */
void gs_view_cell_label(json_t *c, int with_source, char *buf, size_t cap);

/* The speedup bars' ideal for a cell: 1 for serial, else its workers. */
double gs_view_ideal(json_t *c);

/* A report's matrix for one workload: one row per (strategy, start method,
 * workers) in strategy order then workers, one column per source (one column
 * for a plain report); cells[row * nsources + col] is the cell or NULL. */
typedef struct gs_matrix {
    size_t nrows, nsources;
    json_t **rows;       /* the first cell seen of each row (its key) */
    json_t **cells;
    const char **sources;/* the source labels; NULL for a plain report */
} gs_matrix;

int gs_matrix_build(json_t *report, const char *workload, gs_matrix *m);
void gs_matrix_free(gs_matrix *m);

/* The distinct workload names of a report in first-seen order (a merged
 * report lists a workload once per source). Returns how many; names[] point
 * into the report. */
size_t gs_view_workloads(json_t *report, const char **names, size_t cap);

/* The first workload entry of that name that did not fail, else the first of
 * that name. */
json_t *gs_view_workload(json_t *report, const char *name);

#endif
