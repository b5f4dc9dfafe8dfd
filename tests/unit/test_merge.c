#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "report_view.h"

/* A minimal plain report: one workload, the given cells (strategy, workers). */
static json_t *report(const char *python, int ncells, const char *const *strategies, const int *workers) {
    json_t *cells = json_array(), *runs = json_array();
    for (int i = 0; i < ncells; i++) {
        json_array_append_new(cells, json_pack("{s:s,s:s,s:i,s:{s:f}}", "workload", "cpu", "strategy", strategies[i],
                                               "workers", workers[i], "wall_s", "median", 1.0 / workers[i]));
        json_array_append_new(runs, json_pack("{s:s,s:s,s:i}", "workload", "cpu", "strategy", strategies[i], "workers",
                                              workers[i]));
    }
    return json_pack("{s:i,s:{s:{s:s}},s:[{s:s}],s:o,s:o,s:[],s:[],s:[]}", "schema_version", 2, "metadata", "python",
                     "version", python, "workloads", "name", "cpu", "runs", runs, "cells", cells, "verdicts",
                     "warnings", "fits");
}

static const char *label(json_t *m, size_t i) {
    return json_string_value(json_object_get(json_array_get(json_object_get(m, "sources"), i), "label"));
}

static void labels_are_the_shortest_distinct_paths(void **state) {
    (void)state;
    const char *st[] = {"serial"};
    const int w[] = {1};
    json_t *r[3] = {report("3.11", 1, st, w), report("3.12", 1, st, w), report("3.13", 1, st, w)};
    char err[256];
    const char *files[] = {"ci/py3.11.json", "ci/py3.12.json", "py3.13"};
    json_t *m = gs_merge(r, files, 3, NULL, err, sizeof(err));
    assert_non_null(m);
    assert_true(gs_report_is_merged(m));
    assert_string_equal(label(m, 0), "py3.11");
    assert_string_equal(label(m, 1), "py3.12");
    assert_string_equal(label(m, 2), "py3.13");
    json_decref(m);
    const char *same[] = {"a/linux/report.json", "b/linux/report.json", "c/mac/report.json"};
    m = gs_merge(r, same, 3, NULL, err, sizeof(err));
    assert_string_equal(label(m, 0), "a/linux/report");
    assert_string_equal(label(m, 1), "b/linux/report");
    assert_string_equal(label(m, 2), "c/mac/report");
    /* every entry carries its source, and its source keeps the metadata */
    json_t *c = json_array_get(json_object_get(m, "cells"), 2);
    assert_string_equal(json_string_value(json_object_get(c, "source")), "c/mac/report");
    json_t *meta = json_object_get(json_array_get(json_object_get(m, "sources"), 1), "metadata");
    assert_string_equal(json_string_value(json_object_get(json_object_get(meta, "python"), "version")), "3.12");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "metadata"), "sources")), 3);
    /* merging a merge flattens its sources and keeps labels distinct */
    json_t *again[2] = {m, r[0]};
    const char *files2[] = {"all.json", "a/linux/report.json"};
    json_t *m2 = gs_merge(again, files2, 2, NULL, err, sizeof(err));
    assert_int_equal(json_array_size(json_object_get(m2, "sources")), 4);
    assert_string_equal(label(m2, 3), "report");
    assert_int_equal(json_array_size(json_object_get(m2, "cells")), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(m2, "runs"), 1), "source")),
                        "b/linux/report");
    const char *files3[] = {"all.json", "x/a/linux/report.json"};
    json_t *m3 = gs_merge(again, files3, 2, NULL, err, sizeof(err));
    assert_string_equal(label(m3, 3), "report");
    json_t *again2[2] = {m, m};
    const char *files4[] = {"all.json", "all2.json"};
    json_t *m4 = gs_merge(again2, files4, 2, NULL, err, sizeof(err));
    assert_int_equal(json_array_size(json_object_get(m4, "sources")), 6);
    assert_string_equal(label(m4, 3), "a/linux/report (2)");
    assert_int_equal(json_array_size(json_object_get(m4, "cells")), 6);
    json_decref(m4);
    json_decref(m3);
    json_decref(m2);
    json_decref(m);
    for (int i = 0; i < 3; i++) json_decref(r[i]);
}

/* The inputs are left as they were (the merge shares their entries' values
 * instead of copying them), and a file name that is not UTF-8 is kept exactly. */
static void inputs_untouched_and_file_names_kept_as_bytes(void **state) {
    (void)state;
    const char *st[] = {"serial", "threads"};
    const int w[] = {1, 2};
    json_t *r[2] = {report("3.11", 2, st, w), report("3.12", 2, st, w)};
    json_t *before = json_deep_copy(r[0]);
    const char *files[] = {"/tmp/a\xff.json", "b.json"};
    char err[256];
    json_t *m = gs_merge(r, files, 2, NULL, err, sizeof(err));
    assert_non_null(m);
    assert_true(json_equal(before, r[0])); /* no "source" written into the input */
    json_t *src = json_array_get(json_object_get(m, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "file")), "/tmp/a\\xff.json");
    assert_string_equal(json_string_value(json_object_get(src, "file_base64")), "L3RtcC9h/y5qc29u");
    assert_null(json_object_get(json_array_get(json_object_get(m, "sources"), 1), "file_base64"));
    assert_int_equal(json_array_size(json_object_get(m, "cells")), 4);
    json_decref(m);
    json_decref(before);
    for (int i = 0; i < 2; i++) json_decref(r[i]);
}

static void matrix_puts_sources_side_by_side(void **state) {
    (void)state;
    const char *sa[] = {"threads", "serial", "threads"}, *sb[] = {"serial", "threads", "processes"};
    const int wa[] = {2, 1, 1}, wb[] = {1, 4, 2};
    json_t *r[2] = {report("3.11", 3, sa, wa), report("3.12", 3, sb, wb)};
    const char *files[] = {"a.json", "b.json"};
    char err[256];
    json_t *m = gs_merge(r, files, 2, NULL, err, sizeof(err));
    gs_matrix x;
    assert_int_equal(gs_matrix_build(m, "cpu", &x), 0);
    assert_int_equal(x.nsources, 2);
    assert_string_equal(x.sources[1], "b");
    /* rows in strategy order, then workers: serial 1, threads 1, 2, 4, processes 2 */
    assert_int_equal(x.nrows, 5);
    const char *want_st[] = {"serial", "threads", "threads", "threads", "processes"};
    const int want_w[] = {1, 1, 2, 4, 2};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(gs_jstr(x.rows[i], "strategy"), want_st[i]);
        assert_int_equal(json_integer_value(json_object_get(x.rows[i], "workers")), want_w[i]);
    }
    assert_non_null(x.cells[0 * 2 + 0]);
    assert_non_null(x.cells[0 * 2 + 1]);
    assert_non_null(x.cells[2 * 2 + 0]); /* threads × 2 in a */
    assert_null(x.cells[2 * 2 + 1]);     /* ... not in b */
    assert_null(x.cells[3 * 2 + 0]);     /* threads × 4 only in b */
    assert_string_equal(gs_jstr(x.cells[3 * 2 + 1], "source"), "b");
    gs_matrix_free(&x);
    /* a plain report is a matrix of one unnamed column */
    assert_int_equal(gs_matrix_build(r[0], "cpu", &x), 0);
    assert_int_equal(x.nsources, 1);
    assert_null(x.sources);
    assert_int_equal(x.nrows, 3);
    gs_matrix_free(&x);
    char buf[128];
    gs_view_cell_label(json_array_get(json_object_get(m, "cells"), 5), 1, buf, sizeof(buf));
    assert_string_equal(buf, "processes × 2 · b");
    json_decref(m);
    json_decref(r[0]);
    json_decref(r[1]);
}

static void utf8_trim_cuts_only_half_characters(void **state) {
    (void)state;
    char a[] = "threads \xC3\x97"; /* "threads ×", whole */
    gs_utf8_trim(a);
    assert_string_equal(a, "threads \xC3\x97");
    char b[] = "threads \xC3"; /* × cut after its first byte */
    gs_utf8_trim(b);
    assert_string_equal(b, "threads ");
    char c[] = "x\xE2\x80"; /* a 3-byte sequence cut after two */
    gs_utf8_trim(c);
    assert_string_equal(c, "x");
    char d[] = "x\xF0\x9F\x98\x80"; /* a whole 4-byte sequence stays */
    gs_utf8_trim(d);
    assert_string_equal(d, "x\xF0\x9F\x98\x80");
    char e[] = "";
    gs_utf8_trim(e);
    assert_string_equal(e, "");
    /* a label longer than its buffer ends on a whole character */
    json_t *cell = json_pack("{s:s,s:i,s:s}", "strategy", "threads", "workers", 2, "source", "ééééééééééé");
    char buf[20];
    gs_view_cell_label(cell, 1, buf, sizeof(buf));
    assert_string_equal(buf, "threads × 2 · é"); /* 19 bytes hold one é and half of the next */
    json_decref(cell);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_are_the_shortest_distinct_paths),
        cmocka_unit_test(inputs_untouched_and_file_names_kept_as_bytes),
        cmocka_unit_test(matrix_puts_sources_side_by_side),
        cmocka_unit_test(utf8_trim_cuts_only_half_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
