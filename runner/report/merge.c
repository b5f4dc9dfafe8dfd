#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "jsonpath.h"
#include "report.h"

int gs_report_is_merged(json_t *report) { return json_is_array(json_object_get(report, "sources")); }

/* A JSON string of s; bytes that are not valid UTF-8 (a file name may hold
 * any) become '?', so that a label or a path is never lost. */
static json_t *lossy_string(const char *s) {
    json_t *j = json_string(s);
    if (j != NULL) return j;
    char *copy = strdup(s);
    if (copy == NULL) return NULL;
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    j = json_string(copy);
    free(copy);
    return j;
}

/* The label of path keeping its last k components, without ".json"; malloc'd. */
static char *label_of(const char *path, int k) {
    size_t len = strlen(path);
    if (len > 5 && strcmp(path + len - 5, ".json") == 0) len -= 5;
    while (len > 1 && path[len - 1] == '/') len--;
    size_t start = len;
    for (int seen = 0; start > 0; start--) {
        if (path[start - 1] == '/' && ++seen == k) break;
    }
    char *label = malloc(len - start + 1);
    if (label != NULL) {
        memcpy(label, path + start, len - start);
        label[len - start] = '\0';
    }
    return label;
}

static int label_taken(json_t *sources, const char *label) {
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s) {
        if (strcmp(json_string_value(json_object_get(s, "label")), label) == 0) return 1;
    }
    return 0;
}

/* A label not yet in sources: want itself, else "want (2)", "want (3)", ...;
 * NULL when out of memory. */
static json_t *distinct_label(json_t *sources, const char *want) {
    json_t *first = lossy_string(want);
    if (first == NULL || !label_taken(sources, json_string_value(first))) return first;
    size_t cap = strlen(json_string_value(first)) + 32;
    char *buf = malloc(cap);
    json_t *out = NULL;
    for (unsigned k = 2; buf != NULL && out == NULL; k++) {
        snprintf(buf, cap, "%s (%u)", json_string_value(first), k);
        if (!label_taken(sources, buf)) out = json_string(buf);
    }
    free(buf);
    json_decref(first);
    return out;
}

/* Labels for the plain (not merged) inputs: the fewest trailing path
 * components that keep them distinct from one another. The same path given
 * twice never counts as a clash (distinct_label then numbers it). */
static char **plain_labels(json_t *const *reports, const char *const *files, size_t n) {
    char **labels = calloc(n ? n : 1, sizeof(*labels));
    if (labels == NULL) return NULL;
    for (int k = 1; k <= 64; k++) {
        int clash = 0;
        for (size_t i = 0; i < n; i++) {
            free(labels[i]);
            if ((labels[i] = label_of(files[i], k)) == NULL) goto oom;
        }
        for (size_t i = 0; i < n && !clash; i++)
            for (size_t j = i + 1; j < n && !clash; j++)
                clash = !gs_report_is_merged(reports[i]) && !gs_report_is_merged(reports[j]) &&
                        strcmp(files[i], files[j]) != 0 && strcmp(labels[i], labels[j]) == 0;
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
 * to label (or, when rename is given, renamed from its old source label).
 * Each entry is a shallow copy: its values (a run's timeline, a cell's
 * figures) are shared with the input, which is left as it was; a deep copy
 * doubled a merge's memory (two 40 MB reports: 1.1 GB).
 * Returns 0, or -1 when an entry is not an object or memory ran out. */
static int append_sections(json_t *out, json_t *report, json_t *label, json_t *rename_from) {
    for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
        json_t *dst = json_object_get(out, sections[k]), *e;
        size_t i;
        json_array_foreach(json_object_get(report, sections[k]), i, e) {
            if (rename_from != NULL && !json_equal(json_object_get(e, "source"), rename_from)) continue;
            json_t *copy = json_copy(e); /* shallow: the entry's values are shared, read-only */
            if (!json_is_object(copy) || json_object_set(copy, "source", label) != 0 ||
                json_array_append_new(dst, copy) != 0) {
                json_decref(copy);
                return -1;
            }
        }
    }
    return 0;
}

/* gs_merge and gs_merge_labelled: files names the inputs (NULL: they were
 * never files), given the plain inputs' labels (NULL: from the files). */
static json_t *merge(json_t *const *reports, const char *const *files, const char *const *given, size_t n,
                     json_t *command_line, char *err, size_t errlen) {
    char **labels = given ? NULL : plain_labels(reports, files, n);
    if (labels == NULL && given == NULL) {
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
                    snprintf(err, errlen, "\"%s\": source %zu has no label", files ? files[i] : given[i], j + 1);
                    goto fail;
                }
                json_t *label = distinct_label(sources, json_string_value(old));
                json_t *copy = json_deep_copy(src);
                int bad = label == NULL || json_object_set(copy, "label", label) != 0 ||
                          json_array_append(sources, copy) != 0 || append_sections(out, r, label, old) != 0;
                json_decref(copy);
                json_decref(label);
                if (bad) {
                    snprintf(err, errlen, "\"%s\": source %zu has an entry that is not an object",
                             files ? files[i] : given[i], j + 1);
                    goto fail;
                }
            }
            continue;
        }
        json_t *label = distinct_label(sources, given ? given[i] : labels[i]);
        /* "file" only for inputs that were files. */
        json_t *entry = label ? json_pack("{s:O,s:O,s:O?}", "label", label, "schema_version",
                                          json_object_get(r, "schema_version"), "metadata", json_object_get(r, "metadata"))
                              : NULL;
        if (label == NULL || (entry != NULL && files != NULL && gs_json_set_path(entry, "file", files[i]) != 0)) {
            json_decref(entry); /* "file" as bytes: jsonpath.h */
            json_decref(label);
            snprintf(err, errlen, "out of memory while merging \"%s\"", files ? files[i] : given[i]);
            goto fail;
        }
        int bad = entry == NULL || json_array_append_new(sources, entry) != 0 || append_sections(out, r, label, NULL) != 0;
        json_decref(label);
        if (bad) {
            snprintf(err, errlen, "\"%s\": an entry of its runs, cells, verdicts, warnings or fits is not an object",
                     files ? files[i] : given[i]);
            goto fail;
        }
    }
    json_object_set_new(json_object_get(out, "metadata"), "sources", json_integer((json_int_t)json_array_size(sources)));
    json_object_set_new(out, "sources", sources);
    for (size_t i = 0; labels && i < n; i++) free(labels[i]);
    free(labels);
    return out;
fail:
    for (size_t i = 0; labels && i < n; i++) free(labels[i]);
    free(labels);
    json_decref(sources);
    json_decref(out);
    return NULL;
}

json_t *gs_merge(json_t *const *reports, const char *const *files, size_t n, json_t *command_line, char *err,
                 size_t errlen) {
    return merge(reports, files, NULL, n, command_line, err, errlen);
}

json_t *gs_merge_labelled(json_t *const *reports, const char *const *labels, size_t n, json_t *command_line, char *err,
                          size_t errlen) {
    return merge(reports, NULL, labels, n, command_line, err, errlen);
}
