#ifndef GS_REPORT_VIEW_H
#define GS_REPORT_VIEW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
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

/* The units a duration is shown in. */
typedef enum gs_time_unit {
    GS_TIME_S,       /* "0.972 s" */
    GS_TIME_MS,      /* "12.2 ms", and "850.0 µs" below 1 ms (the terminal table) */
    GS_TIME_MS_ONLY, /* "0.2 ms" at any size */
    GS_TIME_AUTO     /* "132.6 ms" below 1 s, else "1.234 s" (Markdown, HTML) */
} gs_time_unit;

/* Formats a duration in seconds into buf in the given unit. */
void gs_view_fmt_time(double seconds, gs_time_unit unit, char *buf, size_t cap);

/* Formats a byte count as "12.3 MiB" (KiB below 1 MiB, GiB from 1 GiB), or
 * "—" when it is 0 or less (not measured). */
void gs_view_fmt_bytes(int64_t bytes, char *buf, size_t cap);

/* A share (a fraction of 1) as a whole percentage: "48%". */
void gs_view_fmt_share(double share, char *buf, size_t cap);

/* The speedup of a cell (its "speedup" object) or of a verdict's "best" (a
 * number with "ci_low"/"ci_high" beside it): "1.00×" for the baseline,
 * "1.93× [1.85, 2.00]" with_interval when the interval is known, else
 * "1.93×". Returns 0, or -1 with buf "" when the speedup is not known. */
int gs_view_fmt_speedup(json_t *c, int with_interval, char *buf, size_t cap);

/* The interval alone, "[1.85, 2.00]". Returns 0, or -1 with buf "" when it
 * is not known or the cell is the baseline (whose speedup is 1 by definition). */
int gs_view_fmt_speedup_ci(json_t *c, char *buf, size_t cap);

/* A verdict (an element of "verdicts") as one line: "processes/fork × 2,
 * 1.71× [1.62, 1.76] — REASON", or "a tie between threads × 2 and
 * to_thread × 2, 1.02× [0.98, 1.05] — REASON". The best's speedup is always
 * shown with speedup_always, else only when its interval is known. Cut at a
 * character boundary when it does not fit. */
void gs_view_fmt_verdict(json_t *v, int speedup_always, char *buf, size_t cap);

/* "GIL enabled" or "GIL disabled", from a metadata "python" object. */
const char *gs_view_gil(json_t *python);

/* Whether warning x (an element of "warnings") belongs to the workload named
 * workload, or, when workload is NULL, to the machine. */
int gs_view_warning_of(json_t *x, const char *workload);

/* The verdict of a workload (the first of that name), or NULL. */
json_t *gs_view_verdict(json_t *report, const char *workload);

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
