/* Loading a saved report (report/load.c): the golden report loads; a missing
 * file, a file that is not JSON, JSON that is not a report and a report of a
 * newer schema are each refused with a message naming the command and the
 * file. And which reports hold timelines. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

static char dir[] = "/tmp/gs-test-load-XXXXXX";

/* A golden file's path. */
static void golden(const char *name, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", getenv("GS_GOLDEN") ? getenv("GS_GOLDEN") : "tests/golden", name);
}

/* A file of the temporary directory, written with text unless it is NULL. */
static void scratch(const char *name, const char *text, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", dir, name);
    if (text == NULL) return;
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* stderr, captured into a temporary file while a call runs. */
static int saved_fd = -1;
static FILE *captured;

static void capture_start(void) {
    fflush(stderr);
    captured = tmpfile();
    assert_non_null(captured);
    saved_fd = dup(2);
    assert_true(saved_fd >= 0);
    assert_true(dup2(fileno(captured), 2) >= 0);
}

/* Restores stderr and returns what was written to it (the caller frees it). */
static char *capture_end(void) {
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    saved_fd = -1;
    rewind(captured);
    char *buf = calloc(1, 4096);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 4095, captured);
    buf[n] = '\0';
    fclose(captured);
    captured = NULL;
    return buf;
}

/* Loads path for cmd, expecting a refusal whose one message names cmd, path
 * and want. */
static void refused(const char *path, const char *cmd, const char *want) {
    capture_start();
    json_t *r = gs_report_load(path, cmd);
    char *err = capture_end();
    if (r != NULL) json_decref(r);
    assert_null(r);
    char head[256];
    snprintf(head, sizeof(head), "gilscope: %s: ", cmd);
    if (strncmp(err, head, strlen(head)) != 0) fail_msg("message does not start with \"%s\": %s", head, err);
    char quoted[600];
    snprintf(quoted, sizeof(quoted), "\"%s\"", path);
    if (strstr(err, quoted) == NULL) fail_msg("message does not name %s: %s", quoted, err);
    if (strstr(err, want) == NULL) fail_msg("message does not say \"%s\": %s", want, err);
    /* One line. */
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n'), "\n");
    free(err);
}

static int setup(void **state) {
    (void)state;
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static void the_golden_report_loads(void **state) {
    (void)state;
    char path[4096];
    golden("report.json", path, sizeof(path));
    capture_start();
    json_t *r = gs_report_load(path, "report");
    char *err = capture_end();
    assert_non_null(r);
    assert_string_equal(err, ""); /* nothing said */
    free(err);
    assert_true(json_integer_value(json_object_get(r, "schema_version")) <= GS_SCHEMA_VERSION);
    assert_true(json_array_size(json_object_get(r, "runs")) > 0);
    assert_true(json_array_size(json_object_get(r, "cells")) > 0);
    assert_true(json_array_size(json_object_get(r, "workloads")) > 0);
    json_decref(r);
    golden("merged.json", path, sizeof(path));
    r = gs_report_load(path, "merge");
    assert_non_null(r);
    json_decref(r);
}

static void a_missing_file_is_refused(void **state) {
    (void)state;
    char path[4096];
    scratch("no-such-report.json", NULL, path, sizeof(path));
    refused(path, "report", "cannot read");
}

static void a_file_that_is_not_json_is_refused(void **state) {
    (void)state;
    char path[4096];
    scratch("notes.json", "| workload | strategy |\n|---|---|\n", path, sizeof(path));
    refused(path, "compare", "cannot read");
    scratch("truncated.json", "{\"schema_version\": 2,\n \"runs\": [", path, sizeof(path));
    refused(path, "merge", "(line ");
    scratch("empty.json", "", path, sizeof(path));
    refused(path, "report", "cannot read");
}

static void json_that_is_not_a_report_is_refused(void **state) {
    (void)state;
    char path[4096];
    const char *not_reports[] = {
        "[1, 2, 3]\n",
        "{\"name\": \"package.json\", \"version\": \"1.0.0\"}\n",
        /* Each of the four members missing in turn, or of the wrong type. */
        "{\"workloads\": [], \"runs\": [], \"cells\": []}\n",
        "{\"schema_version\": 2, \"runs\": [], \"cells\": []}\n",
        "{\"schema_version\": 2, \"workloads\": [], \"cells\": []}\n",
        "{\"schema_version\": 2, \"workloads\": [], \"runs\": []}\n",
        "{\"schema_version\": \"2\", \"workloads\": [], \"runs\": [], \"cells\": []}\n",
        "{\"schema_version\": 2, \"workloads\": [], \"runs\": {}, \"cells\": []}\n",
    };
    for (size_t i = 0; i < sizeof(not_reports) / sizeof(not_reports[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "other-%zu.json", i);
        scratch(name, not_reports[i], path, sizeof(path));
        refused(path, "compare", "is not a gilscope JSON report");
    }
    /* The smallest report there is loads. */
    scratch("minimal.json", "{\"schema_version\": 1, \"workloads\": [], \"runs\": [], \"cells\": []}\n", path,
            sizeof(path));
    json_t *r = gs_report_load(path, "report");
    assert_non_null(r);
    assert_false(gs_report_has_timelines(r));
    json_decref(r);
}

static void a_newer_schema_is_refused(void **state) {
    (void)state;
    char path[4096], text[256], want[128];
    snprintf(text, sizeof(text), "{\"schema_version\": %d, \"workloads\": [], \"runs\": [], \"cells\": []}\n",
             GS_SCHEMA_VERSION + 1);
    scratch("future.json", text, path, sizeof(path));
    snprintf(want, sizeof(want), "has schema version %d; this gilscope reads up to %d", GS_SCHEMA_VERSION + 1,
             GS_SCHEMA_VERSION);
    refused(path, "merge", want);
    /* The current version itself is read. */
    snprintf(text, sizeof(text), "{\"schema_version\": %d, \"workloads\": [], \"runs\": [], \"cells\": []}\n",
             GS_SCHEMA_VERSION);
    scratch("current.json", text, path, sizeof(path));
    json_t *r = gs_report_load(path, "merge");
    assert_non_null(r);
    json_decref(r);
}

static void timelines_are_found_in_any_run(void **state) {
    (void)state;
    char path[4096];
    /* report.json was run without --timeline; merged.json holds the
     * timelines of py312.json's diagnostic runs. */
    golden("report.json", path, sizeof(path));
    json_t *r = gs_report_load(path, "report");
    assert_non_null(r);
    assert_false(gs_report_has_timelines(r));
    json_decref(r);
    golden("merged.json", path, sizeof(path));
    r = gs_report_load(path, "report");
    assert_non_null(r);
    assert_true(gs_report_has_timelines(r));
    json_decref(r);
    /* A null timeline is none; one object among the runs is enough. */
    json_error_t e;
    r = json_loads("{\"runs\": [{\"timeline\": null}, {}]}", 0, &e);
    assert_non_null(r);
    assert_false(gs_report_has_timelines(r));
    json_array_append_new(json_object_get(r, "runs"), json_pack("{s:{s:[]}}", "timeline", "lanes"));
    assert_true(gs_report_has_timelines(r));
    json_decref(r);
    /* No runs at all. */
    r = json_object();
    assert_false(gs_report_has_timelines(r));
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_golden_report_loads),
        cmocka_unit_test(a_missing_file_is_refused),
        cmocka_unit_test(a_file_that_is_not_json_is_refused),
        cmocka_unit_test(json_that_is_not_a_report_is_refused),
        cmocka_unit_test(a_newer_schema_is_refused),
        cmocka_unit_test(timelines_are_found_in_any_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
