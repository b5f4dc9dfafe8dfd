#ifndef GS_MERGE_H
#define GS_MERGE_H

#include <jansson.h>
#include <stddef.h>

/* gilscope merge A.json B.json ...: one report out of many (a CI matrix across
 * machines and interpreters).
 *
 * Each input becomes a source, labelled by its path without ".json",
 * shortened to the fewest trailing path components that keep every label
 * distinct ("py3.12/report" when two files are both "report.json"). An input
 * that is itself merged brings its own sources, whose labels are kept (made
 * distinct with " (2)", " (3)", ... when they collide). The result has a
 * top-level "sources" array, one {label, file, schema_version, metadata} per
 * source, and every workload, run, cell, verdict, warning and fit carries a
 * "source" field with its source's label. The merged report's own metadata
 * says it was merged (merged: true, merged_at, sources, gilscope_version,
 * command_line).
 *
 * reports[i] was read from files[i]; neither is kept. Returns the new report,
 * or NULL with a message in err. */
json_t *gs_merge(json_t *const *reports, const char *const *files, size_t n, json_t *command_line, char *err,
                 size_t errlen);

/* The same for reports that were never files (one `gilscope run --python
 * A,B`): labels[i] labels reports[i] (made distinct like merged labels), and
 * no source has a "file". */
json_t *gs_merge_labelled(json_t *const *reports, const char *const *labels, size_t n, json_t *command_line, char *err,
                          size_t errlen);

/* Whether a report is a merge of several (it has "sources"). */
int gs_report_is_merged(json_t *report);

#endif
