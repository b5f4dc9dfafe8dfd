#ifndef GS_REPORT_H
#define GS_REPORT_H

#include <jansson.h>

#include "session.h"

/* The JSON report (docs/json-schema.md): the one model every output reads,
 * the terminal table included. Rename or remove a field only with a
 * GS_SCHEMA_VERSION bump; adding one is free. */
#define GS_SCHEMA_VERSION 2

/* Builds the whole report of a session: schema_version, metadata, workloads,
 * runs in execution order, cells, verdicts, fits, warnings. A pure function
 * of the session. The caller owns the result. */
json_t *gs_json_report(const gs_session *s);

/* Loads a saved report for command cmd ("report", "compare", "merge").
 * Returns it (the caller owns it), or NULL after printing a usage error that
 * names the file: unreadable, not JSON, not a gilscope report, or a schema
 * newer than this gilscope reads. */
json_t *gs_report_load(const char *path, const char *cmd);

/* What gs_report_load checks of a parsed report: the four top-level fields
 * and a schema_version from 1 to GS_SCHEMA_VERSION. Returns 0, or -1 with
 * msg saying why (cmd and path name it). */
int gs_report_accept(json_t *report, const char *cmd, const char *path, char *msg, size_t cap);

/* Whether any run of the report holds a timeline. */
int gs_report_has_timelines(json_t *report);

#endif
