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

/* "threads", "processes/fork", "mp_pool/fork chunk 4": a cell's strategy with its start
 * method and its chunk size. */
void gs_view_strategy_label(json_t *c, char *buf, size_t cap);

/* A cell's (or run's) chunk size: tasks per chunk of a strategy that sends
 * chunks (GS_SF_CHUNKS), 0 when it has none. */
json_int_t gs_view_chunksize(json_t *c);

/* Whether cells a and b of one strategy lie on one line over worker counts:
 * always, unless their session swept several chunk sizes (metadata
 * chunksizes_requested), when their chunk sizes must agree (without a sweep
 * each worker count has its own default chunk size). */
int gs_view_same_chunk_series(json_t *report, json_t *a, json_t *b);

/* Whether a and b (cells or runs) are the same cell of a workload: workload,
 * strategy, workers and chunk size agree (start method and source aside). */
int gs_view_same_cell(json_t *a, json_t *b);

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
    GS_TIME_MS,      /* "12.2 ms", and "850.0 µs" below 1 ms */
    GS_TIME_MS_ONLY, /* "0.2 ms" at any size */
    GS_TIME_AUTO,    /* "132.6 ms" below 1 s, else "1.234 s" (Markdown, HTML) */
    GS_TIME_US,      /* "850.0 µs" at any size */
    GS_TIME_OWN      /* its own unit (gs_view_time_unit of itself): "1.234 s", "12.2 ms", "850.0 µs" */
} gs_time_unit;

/* Formats a duration in seconds into buf in the given unit. */
void gs_view_fmt_time(double seconds, gs_time_unit unit, char *buf, size_t cap);

/* The unit of a duration (or of a column whose largest is largest
 * seconds): s from 1 s, ms from 1 ms, else µs. */
gs_time_unit gs_view_time_unit(double largest);

/* A column of durations (the terminal table): one unit for every row, s
 * when the largest is 1 s or more, ms from 1 ms, else µs (never ms in one
 * row and s in the next), and the decimals (1 to 3; 3 in s) that give the
 * smallest a second significant digit: "0.036 ms" beside "15.512 ms". */
typedef struct gs_time_col {
    gs_time_unit unit; /* GS_TIME_S, GS_TIME_MS_ONLY or GS_TIME_US */
    int decimals;
} gs_time_col;

/* The column of durations from smallest (its smallest value above 0; 0
 * when none) to largest, in seconds. */
gs_time_col gs_view_time_col(double smallest, double largest);

/* Formats a duration in seconds in a column's unit and decimals. */
void gs_view_fmt_time_col(double seconds, gs_time_col col, char *buf, size_t cap);

/* Formats a byte count as "12.3 MiB" (bytes below 1 KiB, KiB below 1 MiB, GiB from 1 GiB), or
 * "—" when it is 0 or less (not measured). */
void gs_view_fmt_bytes(int64_t bytes, char *buf, size_t cap);

/* A share (a fraction of 1) as a whole percentage: "48%". */
void gs_view_fmt_share(double share, char *buf, size_t cap);

/* The speedup of a cell (its "speedup" object) or of a verdict's "best" (a
 * number with "ci_low"/"ci_high" beside it): "1.00×" for the baseline,
 * "1.93× [1.85, 2.00]" with_interval when the interval is known, else
 * "1.93×". A figure that would read 0.00 reads "<0.01": "<0.01×", never
 * "0.00× [0.00, 0.00]". Returns 0, or -1 with buf "" when the speedup is not
 * known. */
int gs_view_fmt_speedup(json_t *c, int with_interval, char *buf, size_t cap);

/* The interval alone, "[1.85, 2.00]" or "[<0.01, 0.02]". Returns 0, or -1
 * with buf "" when it is not known, when both its ends are below 0.005 (it
 * would say nothing), or when the cell is the baseline (whose speedup is 1
 * by definition). */
int gs_view_fmt_speedup_ci(json_t *c, char *buf, size_t cap);

/* A verdict (an element of "verdicts") as one line: "processes/fork × 2,
 * 1.71× [1.62, 1.76] — REASON", or "a tie between threads × 2 and
 * to_thread × 2, 1.02× [0.98, 1.05] — REASON"; a tie names three cells at
 * most ("A, B, C and 8 more"). The best's speedup is always
 * shown with speedup_always, else only when its interval is known. Cut at a
 * character boundary when it does not fit. */
void gs_view_fmt_verdict(json_t *v, int speedup_always, char *buf, size_t cap);

/* Where each strategy's time went, in one line for workload: per
 * strategy, its fastest parallel cell that fell short of its possible
 * speedup by more than 10%, with the causes holding 15% or more of its lost
 * time, largest first ("threads × 2: GIL 76%, core wait 16% · processes/fork
 * × 2: core wait 80%"). Returns 0, or -1 (buf empty) when no cell fell
 * short or the report has no shortfalls (older reports). */
int gs_view_fmt_shortfalls(json_t *report, const char *workload, char *buf, size_t cap);

/* What changed between the sources of a merged report for workload (one
 * `run --python A,B,...`, or a merge): serial's median wall on each source
 * against the first's, "1.31× faster" or "slower" only when their intervals
 * do not overlap, else "no measurable change", noting when the sources ran
 * on different CPUs (left out when their task sizes differ); then the best cell of each
 * source's verdict when they differ ("the best: processes/fork × 2 on
 * 3.11.7, interpreters × 2 on 3.14.10"), or that it stayed the same.
 * Returns 0, or -1 (buf empty) when the report is not merged, serial was
 * measured on fewer than two sources, or the workload is an experiment
 * (MEASURES: it runs as long as it is told, so its wall time compares
 * nothing). */
int gs_view_fmt_changes(json_t *report, const char *workload, char *buf, size_t cap);

/* How the interpreter runs, from a metadata "python" object (or a hello's):
 * "GIL enabled"; "free-threaded, GIL disabled" (a free-threaded build, PEP
 * 703, running without its GIL); "free-threaded build, GIL enabled" (one
 * that PYTHON_GIL=1 or an extension module made take the GIL); "GIL
 * disabled" (no GIL, whatever the build). */
const char *gs_view_gil(json_t *python);

/* Whether x (a cell, run, workload or warning) ran on an interpreter with
 * a GIL: its source's metadata in a merged report, else the report's. True
 * when the report does not say (every report before free-threaded builds). */
int gs_view_has_gil(json_t *report, json_t *x);

/* A cell's GIL wait as a share, "48%"; "—" when it ran without a GIL
 * (there was none to wait for), "" when its thread states are unknown. */
void gs_view_fmt_gil_wait(json_t *report, json_t *c, char *buf, size_t cap);

/* The metadata that describes x (a cell, workload or warning): its
 * source's in a merged report, else the report's. */
json_t *gs_view_metadata_of(json_t *report, json_t *x);

/* The machine as the header says it, from a report's metadata: "2 cores";
 * "2 cores, 1 usable (affinity mask)" or "(CPU quota 1.5)" when fewer are
 * usable; ", delivering 1.2" (or "1.2–1.9" over the session) when the
 * measured capacity fell below 90% of the usable cores. Reports without
 * metadata.machine give "N cores". */
void gs_view_fmt_cores(json_t *metadata, char *buf, size_t cap);

/* "CPython 3.11.7", from a report's metadata. */
void gs_view_interpreter(json_t *metadata, char *buf, size_t cap);

/* The start method a session's process pools used: --start-method, else the
 * interpreter's default; "" when the metadata does not say. */
const char *gs_view_pool_start_method(json_t *metadata);

/* A workload's title: "cpu — pure-Python arithmetic (CPU-bound)", its
 * kind in parentheses unless the description names it already ("CPU-bound"
 * names cpu, "I/O-bound" io): "hash — sha256 of buffers (cpu)". */
void gs_view_workload_title(json_t *w, char *buf, size_t cap);

/* The tasks and size of the workload named name: "8 tasks × size 1400000",
 * with " (calibrated: --size auto)" or the note of a size-free workload; in
 * a merged report once when every source agrees, else per source
 * ("py311: 8 tasks × size 200; py312: 8 tasks × size 400"). "" when it
 * failed to load everywhere. */
void gs_view_workload_sizes(json_t *report, const char *name, char *buf, size_t cap);

/* The warnings of a report grouped by cause, one line per group in
 * first-seen order, as a JSON array of strings (the caller owns it; NULL
 * when out of memory). Warnings with a "cause" and a "finding" (warn.h)
 * group: "FINDING in cpu: threads × 2 (9.0%), serial (5.5%); hash: serial
 * (7.2%) — FIX", at most 8 subjects then "and N more"; any other warning is
 * a line of its own, "cpu: MESSAGE", said once when several sources of a
 * merged report give the same. Warnings whose message is that of an
 * element of shown (an array of warnings already printed, or NULL) are left
 * out. */
json_t *gs_view_warning_groups(json_t *report, json_t *shown);

/* Whether warning x (an element of "warnings") belongs to the workload named
 * workload, or, when workload is NULL, to the machine. */
int gs_view_warning_of(json_t *x, const char *workload);

/* The verdict of a workload (the first of that name), or NULL. */
json_t *gs_view_verdict(json_t *report, const char *workload);

/* The numbers of one cell as the exports' tables show them (Markdown, HTML;
 * the terminal table chooses its own units and columns), declared once:
 * constant, head ("" for the thread states', whose heads are their labels),
 * right-aligned. */
#define GS_NUM_MAP(X)                       \
    X(STRATEGY, "strategy", 0)              \
    X(WORKERS, "workers", 1)                \
    X(WALL, "wall (median [CI])", 1)        \
    X(SPEEDUP, "speedup [95% CI]", 1)       \
    X(CPU, "CPU", 1)                        \
    X(CORES, "cores used", 1)               \
    X(ONCPU, "", 1)                         \
    X(GIL, "", 1)                           \
    X(RSS, "peak RSS", 1)                   \
    X(USS, "peak USS", 1)                   \
    X(POOL, "pool start-up", 1)

typedef enum gs_num_col {
#define GS_NUM_ENUM(name, head, right) GS_NUM_##name,
    GS_NUM_MAP(GS_NUM_ENUM)
#undef GS_NUM_ENUM
    GS_NUM_COUNT
} gs_num_col;

#define GS_NUM_CAP 96

/* A column's head and whether its figures are right-aligned. */
const char *gs_view_num_head(gs_num_col k);
int gs_view_num_right(gs_num_col k);

/* Fills v[k] with the figures of cell c of report, times in GS_TIME_AUTO ("—" or ""
 * where a figure is not known). Returns 1 when the cell has a measured wall
 * time; 0 when not, with v[GS_NUM_WALL] the reason (gs_view_why_unmeasured)
 * and the other figures "". */
int gs_view_num_row(json_t *report, json_t *c, char v[GS_NUM_COUNT][GS_NUM_CAP]);

/* The row that cell cells[i] (of a plain report's "cells") starts: how many
 * cells it stands for, and their workers into buf ("4"; "2,4,8"). A
 * strategy unavailable at several worker counts for one reason (the cells
 * after cells[i], of the same workload and strategy label, with the same
 * unavailable_reason) is one row; any other cell is a row of its own
 * (returns 1). */
size_t gs_view_row_span(json_t *cells, size_t i, char *buf, size_t cap);

/* The speedup bars' ideal for a cell: 1 for serial, else its workers. */
double gs_view_ideal(json_t *c);

/* A report's matrix for one workload: one row per (strategy, start method,
 * workers) in strategy order then workers, one column per source (one column
 * for a plain report); cells[row * nsources + col] is the cell or NULL. A
 * process pool whose start method differs only between sources (each
 * interpreter's default: fork before 3.14, forkserver from it) gets one row,
 * marked mixed. */
typedef struct gs_matrix {
    size_t nrows, nsources;
    json_t **rows;       /* the first cell seen of each row (its key) */
    json_t **cells;
    const char **sources;/* the source labels; NULL for a plain report */
    unsigned char *mixed;/* per row: its cells' start methods differ between sources */
} gs_matrix;

int gs_matrix_build(json_t *report, const char *workload, gs_matrix *m);
void gs_matrix_free(gs_matrix *m);

/* A matrix entry as the Markdown and HTML show it: "1.93× [1.85, 2.00] ·
 * 127.0 ms · GIL wait 48%" ("· no GIL" on an interpreter without one; no
 * GIL part when the thread states are unknown), or one word when it has no
 * wall time: "unavailable", "FAILED", "not measured"; "—" for no cell. */
void gs_matrix_fmt_entry(json_t *report, json_t *c, char *buf, size_t cap);

/* Why entries of the matrix are missing, as lines: each strategy
 * unavailable, once per reason with every source it concerns ("threads
 * unavailable on 3.12.1, 3.13.0t: REASON"), then each failure ("FAILED on
 * 3.12.1: to_thread × 2: ERROR"). A JSON array of {text, failed}, the
 * caller's; NULL when out of memory. */
json_t *gs_matrix_reasons(const gs_matrix *m);

/* The label of row r: "processes/fork × 2"'s "processes/fork", or only the
 * strategy, "processes", for a mixed row. */
void gs_matrix_row_label(const gs_matrix *m, size_t r, char *buf, size_t cap);

/* For a mixed row: "processes ran with each interpreter's start method:
 * fork on 3.12.1, 3.13.0; forkserver on 3.14.10 (--start-method picks one
 * for all)". Returns 0, or -1 (buf empty) for a row that is not mixed. */
int gs_matrix_fmt_start_methods(const gs_matrix *m, size_t r, char *buf, size_t cap);

/* An experiment's figures (a workload with MEASURES, docs/workloads.md).
 * Formats one measured value in its unit: numbers under 1000 with three
 * significant digits ("5.27", "0.109", "174"), larger ones whole with
 * thousands separators ("9,223"), integers as they are; then the unit, after
 * a space when it begins with a letter ("5.27 ms", "1.9%", "9,223/s"); "—"
 * for null (a figure the task could not measure). */
void gs_view_fmt_measure(json_t *value, const char *unit, char *buf, size_t cap);

struct gs_tab;
/* Fills t (gs_tab_init'ed here; the caller frees it) with the figures of
 * cell c (its "measured": the values of its run of median wall): one column
 * per MEASURES entry of its workload, headed by its label, right-aligned;
 * one row per task. Returns 0, or -1 (t empty, nothing to free) when the cell has no
 * figures or its workload declares no measures. */
int gs_view_measured_tab(json_t *report, json_t *c, struct gs_tab *t);

/* Which run the figures of cell c come from, for the line above them:
 * "measured in the run of median wall of 6" ("measured in one run"). ""
 * when c has none. */
void gs_view_fmt_measured_from(json_t *c, char *buf, size_t cap);

/* One cell's figures as every output shows them: the table
 * (gs_view_measured_tab), a title naming the cell and the run ("serial,
 * measured in the run of median wall of 6"; "serial · 3.12.1, ..." in a
 * merged report), the workload's sentence (NULL when none). */
typedef struct gs_view_measured {
    json_t *cell;
    struct gs_tab *tab;
    char title[448];
    const char *explanation;
} gs_view_measured;

/* Calls fn(m, arg) for each cell of workload that has figures, in report order. */
void gs_view_each_measured(json_t *report, const char *workload, void (*fn)(const gs_view_measured *m, void *arg),
                           void *arg);

/* The distinct workload names of a report in first-seen order (a merged
 * report lists a workload once per source). Returns how many; names[] point
 * into the report. */
size_t gs_view_workloads(json_t *report, const char **names, size_t cap);

/* The first workload entry of that name that did not fail, else the first of
 * that name. */
json_t *gs_view_workload(json_t *report, const char *name);

/* --profile: the cell's profile object, or NULL; and its top n entries by
 * own time as "cpu.py:17(run) 1.21 s (99%) · {built-in method posix.read}
 * 13.2 ms (1%)" (share of the profile's total own time) into buf. Returns
 * -1 when the cell has no profile entries (buf then holds the scope, or ""). */
json_t *gs_view_profile(json_t *c);
int gs_view_fmt_profile_top(json_t *c, int n, char *buf, size_t cap);

/* Process pools: what sending a cell's tasks and results as pickles costs
 * (cells[].transfer), as "1.0 MiB per task, 6 B per result; pickling and
 * unpickling all of them once: 9.5 ms, 12% of the wall median" into buf. Returns 1
 * when material (GS_VIEW_TRANSFER_SHARE of the wall or more, or
 * GS_VIEW_TRANSFER_BYTES per task or more), 0 when not, -1 when the cell has
 * no transfer figures. */
#define GS_VIEW_TRANSFER_SHARE 0.02
#define GS_VIEW_TRANSFER_BYTES 65536
int gs_view_fmt_transfer(json_t *report, json_t *c, char *buf, size_t cap);

/* The report's lesson (gilscope teach): its title, and its paragraphs (an
 * array of strings); NULL for both when the report has no lesson. */
const char *gs_view_lesson_title(json_t *report);
json_t *gs_view_lesson_paragraphs(json_t *report);

/* How one output writes the lesson: the markup around its title, around each
 * paragraph and after it all, and the functions that write the title's and a
 * paragraph's text the format's way (escaped, wrapped), given ctx. */
typedef struct gs_view_lesson_markup {
    const char *title_before, *title_after, *para_before, *para_after, *after;
    void (*title)(FILE *f, const char *s, const void *ctx);
    void (*para)(FILE *f, const char *s, const void *ctx);
    const void *ctx;
} gs_view_lesson_markup;

/* Writes the report's lesson with m; nothing when it has none. */
void gs_view_write_lesson(FILE *f, json_t *report, const gs_view_lesson_markup *m);

#endif
