#ifndef GS_TABLE_H
#define GS_TABLE_H

#include <jansson.h>
#include <stdio.h>

/* The terminal report, rendered from a JSON report (report.h,
 * docs/json-schema.md) through the read-only view (report_view.h) like every
 * other output: a header naming the interpreter, its GIL status and the core
 * count, then one aligned table per workload. Colour only when asked (the
 * caller decides: a terminal, and NO_COLOR unset). The report is only read;
 * the caller keeps it. */

/* Prints the header: gilscope's version, the interpreter, the runs and tasks
 * per cell, and the machine's warnings. */
void gs_table_header(FILE *f, json_t *report, int color);

/* Prints the table of the workload named workload: its heading, one row per
 * cell, the probe and overhead notes, the scaling fits, the verdict and the
 * workload's warnings. Nothing when the report has no such workload. */
void gs_table_workload(FILE *f, json_t *report, const char *workload, int color);

#endif
