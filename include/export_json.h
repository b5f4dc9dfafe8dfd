#ifndef GS_EXPORT_JSON_H
#define GS_EXPORT_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "session.h"

#define GS_SCHEMA_VERSION 2

/* Builds the whole report (docs/json-schema.md): schema_version, metadata,
 * runs in execution order, cells, verdicts. The caller owns the result. */
json_t *gs_json_report(const gs_session *s);

/* Writes a report as indented JSON, floats at full precision. Returns 0 or
 * -1. A writer for gs_export_to. */
int gs_export_json(json_t *report, FILE *f);

/* Writes the report to path ("-" for stdout). A file is written beside its
 * final name and renamed over it, so a reader never sees half a report.
 * Returns 0, or -1 with a message naming the path in err. */
int gs_json_write(const gs_session *s, const char *path, char *err, size_t errlen);

/* Checks early that an output path can be written (creating it when it does
 * not exist, and saying so in *created), so a bad path fails before the first
 * run. flag names the option in the message. */
int gs_check_output_path(const char *path, const char *flag, char *err, size_t errlen, int *created);

#endif
