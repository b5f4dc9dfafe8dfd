#include "report.h"

#include <stdio.h>

/* Prints a usage error: "gilscope: msg". */
static void usage_error(const char *msg) { fprintf(stderr, "gilscope: %s\n", msg); }

json_t *gs_report_load(const char *path, const char *cmd) {
    json_error_t jerr;
    json_t *report = json_load_file(path, 0, &jerr);
    char msg[1024];
    if (report == NULL) {
        if (jerr.line > 0)
            snprintf(msg, sizeof(msg), "%s: cannot read \"%s\": %s (line %d)", cmd, path, jerr.text, jerr.line);
        else
            snprintf(msg, sizeof(msg), "%s: cannot read \"%s\": %s", cmd, path, jerr.text);
        usage_error(msg);
        return NULL;
    }
    if (gs_report_accept(report, cmd, path, msg, sizeof(msg)) != 0) {
        usage_error(msg);
        json_decref(report);
        return NULL;
    }
    return report;
}

int gs_report_accept(json_t *report, const char *cmd, const char *path, char *msg, size_t cap) {
    if (!json_is_integer(json_object_get(report, "schema_version")) || !json_is_array(json_object_get(report, "cells")) ||
        !json_is_array(json_object_get(report, "workloads")) || !json_is_array(json_object_get(report, "runs"))) {
        snprintf(msg, cap, "%s: \"%s\" is not a gilscope JSON report (no schema_version, workloads, runs and cells)",
                 cmd, path);
        return -1;
    }
    json_int_t version = json_integer_value(json_object_get(report, "schema_version"));
    if (version < 1) {
        snprintf(msg, cap, "%s: \"%s\" has schema_version %lld; gilscope's reports start at 1", cmd, path,
                 (long long)version);
        return -1;
    }
    if (version > GS_SCHEMA_VERSION) {
        snprintf(msg, cap, "%s: \"%s\" has schema version %lld; this gilscope reads up to %d", cmd, path,
                 (long long)version, GS_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

int gs_report_has_timelines(json_t *report) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (json_is_object(json_object_get(r, "timeline"))) return 1;
    }
    return 0;
}
