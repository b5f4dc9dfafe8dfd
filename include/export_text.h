#ifndef GS_EXPORT_TEXT_H
#define GS_EXPORT_TEXT_H

#include <jansson.h>
#include <stdio.h>

/* Text exporters over the shared table writer (tabwriter.h). Both render a
 * JSON report (export_json.h's schema), so a saved report re-renders exactly
 * as the run that made it (`gilscope report`). */

/* Markdown for a CI job summary: the metadata line, then per workload a
 * heading, one table, the verdict and the warnings. Returns 0 or -1. */
int gs_export_markdown(json_t *report, FILE *f);

/* CSV, one row per cell with a header row (columns in docs/exports.md).
 * Returns 0 or -1. */
int gs_export_csv(json_t *report, FILE *f);

/* One self-contained HTML file (inline CSS and SVG, no script, no network):
 * per workload, speedup bars with interval whiskers against the ideal,
 * stacked thread-state bars, the verdict and the warnings. Returns 0 or -1. */
int gs_export_html(json_t *report, FILE *f);

/* Writes report with writer to path ("-" for stdout); a file is written
 * beside its final name and renamed over it. Returns 0, or -1 with a
 * message naming flag and path in err. */
int gs_export_to(json_t *report, int (*writer)(json_t *, FILE *), const char *path, const char *flag, char *err,
                 size_t errlen);

#endif
