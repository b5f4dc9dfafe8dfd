#ifndef GS_TABLE_H
#define GS_TABLE_H

#include <jansson.h>
#include <stdio.h>

/* The terminal report, rendered from a JSON report (report.h,
 * docs/json-schema.md) through the read-only view (report_view.h) like every
 * other output: a header naming the interpreter, its GIL status and the core
 * count, then one aligned table per workload, then the warnings. The report
 * is only read; the caller keeps it. */

/* How the caller wants it. */
typedef struct gs_table_style {
    int color;   /* ANSI colour (the caller decides: a terminal, and NO_COLOR unset) */
    int width;   /* the columns every line fits in where spaces allow (gs_text_width) */
    int wide;    /* --wide: every column, however wide the table gets */
    int verbose; /* -v: every warning on its own under its workload, not one line per cause */
} gs_table_style;

/* Prints the header: gilscope's version, the interpreter, the runs and tasks
 * per cell, and the machine's warnings. */
void gs_table_header(FILE *f, json_t *report, const gs_table_style *st);

/* Prints the table of the workload named workload: its heading (title,
 * tasks and size), one row per cell, the probe and overhead notes, the
 * scaling fits, the verdict (and with verbose its warnings). The default
 * columns are the ones a reader needs first: strategy, workers, wall median,
 * speedup [CI], cores used, GIL wait, largest other state; when they do not
 * fit the width, the speedup's interval goes first, then largest other,
 * cores used, GIL wait. Each column of durations has one unit. Nothing when
 * the report has no such workload. */
void gs_table_workload(FILE *f, json_t *report, const char *workload, const gs_table_style *st);

/* Prints the warnings after the last table: one line per cause naming the
 * workloads and cells concerned (gs_view_warning_groups); with verbose only
 * the machine warnings not printed yet (the workloads' were under their
 * tables). Leaves out the warnings whose message is that of an element of
 * shown (the header's, or NULL). */
void gs_table_warnings(FILE *f, json_t *report, json_t *shown, const gs_table_style *st);

/* Prints the report's lesson (gilscope teach): its title, then each
 * paragraph wrapped to the width. Nothing when the report has none. */
void gs_table_lesson(FILE *f, json_t *report, const gs_table_style *st);

#endif
