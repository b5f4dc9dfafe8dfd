/* The exporter table and the output destinations (render/exports.c). */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "exports.h"

static char dir[] = "/tmp/gs-test-exports-XXXXXX";

static int setup(void **state) {
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static json_t *tiny_report(void) {
    return json_pack("{s:i,s:{s:s},s:[],s:[],s:[],s:[]}", "schema_version", 2, "metadata", "gilscope_version",
                     "test", "workloads", "runs", "cells", "verdicts");
}

static void every_row_is_complete(void **state) {
    (void)state;
    for (int e = 0; e < GS_EXPORT_COUNT; e++) {
        const gs_exporter *x = gs_exporter_get((gs_export)e);
        assert_non_null(x);
        assert_non_null(x->format);
        assert_non_null(x->write);
        assert_non_null(x->help);
        assert_true(x->commands & GS_CMD_BIT(GS_CMD_RUN));
        for (int k = 0; k < e; k++) assert_string_not_equal(gs_exporter_get((gs_export)k)->option, x->option);
    }
    assert_null(gs_exporter_get(GS_EXPORT_COUNT));
}

/* Every writer renders even an empty report, and says nothing false about
 * it (no NULL dereference, output written). */
static void every_writer_renders_an_empty_report(void **state) {
    (void)state;
    json_t *r = tiny_report();
    for (int e = 0; e < GS_EXPORT_COUNT; e++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(gs_exporter_get((gs_export)e)->write(r, f), 0);
        fclose(f);
        assert_true(len > 0);
        free(buf);
    }
    json_decref(r);
}

static void flags_name_the_option(void **state) {
    (void)state;
    gs_outputs o;
    memset(&o, 0, sizeof(o));
    assert_string_equal(gs_outputs_flag(&o, GS_EXPORT_CSV), "--export-csv");
    assert_string_equal(gs_outputs_flag(&o, GS_EXPORT_TIMELINE), "--timeline");
    assert_string_equal(gs_outputs_flag(&o, GS_EXPORT_JSON), "--export-json");
    o.json_flag = "--output";
    assert_string_equal(gs_outputs_flag(&o, GS_EXPORT_JSON), "--output");
}

/* The check writes nothing but its temporary file, removed at once; it
 * refuses a directory, a path it cannot write, and two outputs on one file. */
static void check_tries_each_destination_as_written(void **state) {
    (void)state;
    char a[256], b[256], bad[256], err[512] = "";
    snprintf(a, sizeof(a), "%s/a.csv", dir);
    snprintf(b, sizeof(b), "%s/b.md", dir);
    snprintf(bad, sizeof(bad), "%s/missing/x.html", dir);
    gs_outputs o;
    memset(&o, 0, sizeof(o));
    o.path[GS_EXPORT_CSV] = a;
    o.path[GS_EXPORT_MARKDOWN] = b;
    o.path[GS_EXPORT_JSON] = "-";
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), 0);
    assert_int_not_equal(access(a, F_OK), 0); /* nothing created */
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", a, (int)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
    assert_true(gs_outputs_any(&o, 1));
    assert_true(gs_outputs_any(&o, 0));
    o.path[GS_EXPORT_HTML] = bad;
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--export-html: cannot write"));
    o.path[GS_EXPORT_HTML] = dir;
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--export-html: \""));
    assert_non_null(strstr(err, "\" is a directory"));
    /* One file under two spellings, and stdout twice. */
    char again[300];
    snprintf(again, sizeof(again), "%s/./a.csv", dir);
    o.path[GS_EXPORT_HTML] = again;
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--export-html: \""));
    assert_non_null(strstr(err, "is also the destination of --export-csv"));
    o.path[GS_EXPORT_HTML] = "-";
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--export-html: \"-\" is also the destination of --export-json"));
    /* /dev/null is written in place: accepted, and twice is one file twice. */
    o.path[GS_EXPORT_HTML] = "/dev/null";
    assert_int_equal(gs_outputs_check(&o, err, sizeof(err)), 0);
}

/* A FIFO nobody reads: the write waits, asking the cancel hook, and gives
 * up when it says so; with a reader it is written in place. */
static int cancel_calls;
static int cancel_after_three(void) { return ++cancel_calls >= 3; }

static void fifo_writes_are_cancellable(void **state) {
    (void)state;
    char p[256], err[512];
    snprintf(p, sizeof(p), "%s/fifo", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    json_t *r = tiny_report();
    gs_outputs_set_cancel(cancel_after_three);
    cancel_calls = 0;
    assert_int_equal(gs_export_to(r, gs_export_json, p, "--export-json", err, sizeof(err)), -1);
    assert_int_equal(cancel_calls, 3);
    assert_non_null(strstr(err, "interrupted while it waited for a reader"));
    gs_outputs_set_cancel(NULL);
    json_decref(r);
    unlink(p);
}

static void write_replaces_whole_files(void **state) {
    (void)state;
    char p[256], tmp[300];
    snprintf(p, sizeof(p), "%s/r.json", dir);
    gs_outputs o;
    memset(&o, 0, sizeof(o));
    o.path[GS_EXPORT_JSON] = p;
    json_t *r = tiny_report();
    assert_int_equal(gs_outputs_write(&o, r, 0), 0);
    json_error_t jerr;
    json_t *back = json_load_file(p, 0, &jerr);
    assert_non_null(back);
    assert_true(json_equal(back, r));
    json_decref(back);
    /* No temporary file is left beside it. */
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", p, (int)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
    /* A destination that cannot be written fails with the flag named. */
    char err[512];
    snprintf(p, sizeof(p), "%s/no/such/dir.json", dir);
    assert_int_equal(gs_export_to(r, gs_export_json, p, "--export-json", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--export-json: cannot write"));
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_complete),
        cmocka_unit_test(every_writer_renders_an_empty_report),
        cmocka_unit_test(flags_name_the_option),
        cmocka_unit_test(check_tries_each_destination_as_written),
        cmocka_unit_test(fifo_writes_are_cancellable),
        cmocka_unit_test(write_replaces_whole_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
