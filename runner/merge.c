#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "export_json.h"

int gs_report_is_merged(json_t *report) { return json_is_array(json_object_get(report, "sources")); }

/* The label of path keeping its last k components, without ".json". */
static void label_of(const char *path, int k, char *buf, size_t cap) {
    size_t len = strlen(path);
    if (len > 5 && strcmp(path + len - 5, ".json") == 0) len -= 5;
    while (len > 1 && path[len - 1] == '/') len--;
    size_t start = len;
    for (int seen = 0; start > 0; start--) {
        if (path[start - 1] == '/' && ++seen == k) break;
    }
    snprintf(buf, cap, "%.*s", (int)(len - start), path + start);
}

static int label_taken(json_t *sources, const char *label) {
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s) {
        if (strcmp(json_string_value(json_object_get(s, "label")), label) == 0) return 1;
    }
    return 0;
}

/* A label not yet in sources: want itself, else "want (2)", "want (3)", ... */
static json_t *distinct_label(json_t *sources, const char *want) {
    char buf[1200];
    snprintf(buf, sizeof(buf), "%s", want);
    for (int k = 2; label_taken(sources, buf); k++) snprintf(buf, sizeof(buf), "%s (%d)", want, k);
    return json_string(buf);
}

/* Labels for the plain (not merged) inputs: the fewest trailing path
 * components that keep them distinct from one another. */
static char **plain_labels(json_t *const *reports, const char *const *files, size_t n) {
    char **labels = calloc(n ? n : 1, sizeof(*labels));
    if (labels == NULL) return NULL;
    for (int k = 1; k <= 64; k++) {
        int clash = 0;
        for (size_t i = 0; i < n; i++) {
            free(labels[i]);
            labels[i] = malloc(1024);
            if (labels[i] == NULL) goto oom;
            label_of(files[i], k, labels[i], 1024);
        }
        for (size_t i = 0; i < n && !clash; i++)
            for (size_t j = i + 1; j < n && !clash; j++)
                clash = !gs_report_is_merged(reports[i]) && !gs_report_is_merged(reports[j]) &&
                        strcmp(labels[i], labels[j]) == 0;
        if (!clash) break;
    }
    return labels;
oom:
    for (size_t i = 0; i < n; i++) free(labels[i]);
    free(labels);
    return NULL;
}

static const char *const sections[] = {"workloads", "runs", "cells", "verdicts", "warnings", "fits"};

/* Appends every entry of report's sections to out's, each with "source" set
 * to label (or, when rename is given, renamed from its old source label). */
static void append_sections(json_t *out, json_t *report, json_t *label, json_t *rename_from) {
    for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
        json_t *dst = json_object_get(out, sections[k]), *e;
        size_t i;
        json_array_foreach(json_object_get(report, sections[k]), i, e) {
            if (rename_from != NULL && !json_equal(json_object_get(e, "source"), rename_from)) continue;
            json_t *copy = json_deep_copy(e);
            json_object_set(copy, "source", label);
            json_array_append_new(dst, copy);
        }
    }
}

json_t *gs_merge(json_t *const *reports, const char *const *files, size_t n, json_t *command_line, char *err,
                 size_t errlen) {
    char **labels = plain_labels(reports, files, n);
    if (labels == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    json_t *out = json_object(), *sources = json_array();
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    json_object_set_new(out, "schema_version", json_integer(GS_SCHEMA_VERSION));
    json_object_set_new(out, "metadata", json_pack("{s:s,s:b,s:s,s:I,s:O}", "gilscope_version", GS_VERSION, "merged", 1,
                                                   "merged_at", now, "sources", (json_int_t)0, "command_line",
                                                   command_line ? command_line : json_null()));
    for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++)
        json_object_set_new(out, sections[k], json_array());
    for (size_t i = 0; i < n; i++) {
        json_t *r = reports[i];
        if (gs_report_is_merged(r)) {
            size_t j;
            json_t *src;
            json_array_foreach(json_object_get(r, "sources"), j, src) {
                json_t *old = json_object_get(src, "label");
                if (!json_is_string(old)) {
                    snprintf(err, errlen, "\"%s\": source %zu has no label", files[i], j + 1);
                    goto fail;
                }
                json_t *label = distinct_label(sources, json_string_value(old));
                json_t *copy = json_deep_copy(src);
                json_object_set(copy, "label", label);
                json_array_append_new(sources, copy);
                append_sections(out, r, label, old);
                json_decref(label);
            }
            continue;
        }
        json_t *label = distinct_label(sources, labels[i]);
        json_array_append_new(sources, json_pack("{s:O,s:s,s:O,s:O}", "label", label, "file", files[i],
                                                 "schema_version", json_object_get(r, "schema_version"), "metadata",
                                                 json_object_get(r, "metadata")));
        append_sections(out, r, label, NULL);
        json_decref(label);
    }
    json_object_set_new(json_object_get(out, "metadata"), "sources", json_integer((json_int_t)json_array_size(sources)));
    json_object_set_new(out, "sources", sources);
    for (size_t i = 0; i < n; i++) free(labels[i]);
    free(labels);
    return out;
fail:
    for (size_t i = 0; i < n; i++) free(labels[i]);
    free(labels);
    json_decref(sources);
    json_decref(out);
    return NULL;
}
