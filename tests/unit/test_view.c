/* The report's read-only view (report/view.c): every label and number
 * format the renderers share. */
#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "report_view.h"

/* A JSON value from text; the test fails when it does not parse. */
static json_t *J(const char *text) {
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (v == NULL) fail_msg("bad JSON in the test: %s: %s", e.text, text);
    return v;
}

static void time_in_each_unit(void **state) {
    (void)state;
    char b[32];
    gs_view_fmt_time(0.9724, GS_TIME_S, b, sizeof(b));
    assert_string_equal(b, "0.972 s");
    gs_view_fmt_time(0.01224, GS_TIME_MS, b, sizeof(b));
    assert_string_equal(b, "12.2 ms");
    gs_view_fmt_time(0.00085, GS_TIME_MS, b, sizeof(b));
    assert_string_equal(b, "850.0 µs");
    gs_view_fmt_time(0.001, GS_TIME_MS, b, sizeof(b));
    assert_string_equal(b, "1.0 ms");
    gs_view_fmt_time(0.0002, GS_TIME_MS_ONLY, b, sizeof(b));
    assert_string_equal(b, "0.2 ms");
    gs_view_fmt_time(2.5, GS_TIME_MS_ONLY, b, sizeof(b));
    assert_string_equal(b, "2500.0 ms");
    gs_view_fmt_time(0.1326, GS_TIME_AUTO, b, sizeof(b));
    assert_string_equal(b, "132.6 ms");
    gs_view_fmt_time(0.0002, GS_TIME_AUTO, b, sizeof(b));
    assert_string_equal(b, "0.2 ms");
    gs_view_fmt_time(1.0, GS_TIME_AUTO, b, sizeof(b));
    assert_string_equal(b, "1.000 s");
}

static void bytes_pick_their_unit(void **state) {
    (void)state;
    char b[32];
    gs_view_fmt_bytes(0, b, sizeof(b));
    assert_string_equal(b, "—");
    gs_view_fmt_bytes(-5, b, sizeof(b));
    assert_string_equal(b, "—");
    gs_view_fmt_bytes(512, b, sizeof(b));
    assert_string_equal(b, "0.5 KiB");
    gs_view_fmt_bytes(1048576, b, sizeof(b));
    assert_string_equal(b, "1.0 MiB");
    gs_view_fmt_bytes(21705523, b, sizeof(b));
    assert_string_equal(b, "20.7 MiB");
    gs_view_fmt_bytes(1073741824LL, b, sizeof(b));
    assert_string_equal(b, "1.00 GiB");
}

static void shares_are_whole_percentages(void **state) {
    (void)state;
    char b[16];
    gs_view_fmt_share(0.484, b, sizeof(b));
    assert_string_equal(b, "48%");
    gs_view_fmt_share(0, b, sizeof(b));
    assert_string_equal(b, "0%");
    gs_view_fmt_share(1, b, sizeof(b));
    assert_string_equal(b, "100%");
}

static void speedup_of_a_cell(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"processes\", \"workers\": 2, \"speedup\": {\"value\": 1.934, \"ci_low\": 1.851, \"ci_high\": 2.004}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "1.93× [1.85, 2.00]");
    assert_int_equal(gs_view_fmt_speedup(c, 0, b, sizeof(b)), 0);
    assert_string_equal(b, "1.93×");
    assert_int_equal(gs_view_fmt_speedup_ci(c, b, sizeof(b)), 0);
    assert_string_equal(b, "[1.85, 2.00]");
    json_decref(c);
}

/* A single run has no interval: the report says null (or leaves it out). */
static void speedup_without_interval(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"threads\", \"workers\": 2, \"speedup\": {\"value\": 0.7, \"ci_low\": null, \"ci_high\": null}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "0.70×");
    assert_int_equal(gs_view_fmt_speedup_ci(c, b, sizeof(b)), -1);
    assert_string_equal(b, "");
    json_decref(c);
    c = J("{\"strategy\": \"threads\", \"workers\": 2, \"speedup\": {\"value\": 0.7}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "0.70×");
    json_decref(c);
}

/* The baseline's speedup is 1 by definition: never an interval. */
static void speedup_of_the_baseline(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"serial\", \"workers\": 1, \"speedup\": {\"value\": 1.0, \"ci_low\": 0.97, \"ci_high\": 1.03}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "1.00×");
    assert_int_equal(gs_view_fmt_speedup_ci(c, b, sizeof(b)), -1);
    json_decref(c);
}

static void speedup_unknown(void **state) {
    (void)state;
    char b[64] = "x";
    json_t *c = J("{\"strategy\": \"threads\", \"workers\": 2, \"speedup\": null}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), -1);
    assert_string_equal(b, "");
    json_decref(c);
    c = J("{\"strategy\": \"serial\", \"workers\": 1}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), -1);
    json_decref(c);
}

/* A verdict's "best" carries its speedup flat, beside ci_low/ci_high. */
static void speedup_of_a_verdicts_best(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"fork\", \"speedup\": 1.71, \"ci_low\": 1.62, \"ci_high\": 1.76}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "1.71× [1.62, 1.76]");
    json_decref(c);
    c = J("{\"strategy\": \"threads\", \"workers\": 2, \"speedup\": 1.2, \"ci_low\": null, \"ci_high\": null}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "1.20×");
    json_decref(c);
}

static void labels(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"processes\", \"workers\": 4, \"start_method\": \"spawn\", \"source\": \"py312\"}");
    gs_view_strategy_label(c, b, sizeof(b));
    assert_string_equal(b, "processes/spawn");
    gs_view_cell_label(c, 0, b, sizeof(b));
    assert_string_equal(b, "processes/spawn × 4");
    gs_view_cell_label(c, 1, b, sizeof(b));
    assert_string_equal(b, "processes/spawn × 4 · py312");
    json_decref(c);
    /* A start method only shows on a process strategy. */
    c = J("{\"strategy\": \"threads\", \"workers\": 2, \"start_method\": \"fork\"}");
    gs_view_cell_label(c, 0, b, sizeof(b));
    assert_string_equal(b, "threads × 2");
    json_decref(c);
    c = J("{\"strategy\": \"serial\", \"workers\": 1}");
    gs_view_cell_label(c, 1, b, sizeof(b));
    assert_string_equal(b, "serial");
    json_decref(c);
}

/* A label that does not fit is cut before a character, never inside one. */
static void long_labels_cut_at_a_character(void **state) {
    (void)state;
    json_t *c = J("{\"strategy\": \"threads\", \"workers\": 2}");
    char b[10]; /* "threads " is 8 bytes; "×" is 2: only its first would fit */
    gs_view_cell_label(c, 0, b, sizeof(b));
    assert_string_equal(b, "threads ");
    json_decref(c);
    c = J("{\"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"fork\", \"source\": \"zürich\"}");
    char s[26]; /* "processes/fork × 2 · z" is 24 bytes; "ü" would be cut */
    gs_view_cell_label(c, 1, s, sizeof(s));
    assert_string_equal(s, "processes/fork × 2 · z");
    json_decref(c);
    char t[] = "ab\xe2\x80"; /* the first two bytes of a 3-byte "—" */
    gs_utf8_trim(t);
    assert_string_equal(t, "ab");
    char u[] = "a—";
    gs_utf8_trim(u);
    assert_string_equal(u, "a—");
}

static const char *verdict_json =
    "{\"workload\": \"cpu\", \"reason\": \"cores saturated: 1.71× on 2 cores\","
    " \"best\": {\"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"fork\", \"speedup\": 1.71,"
    " \"ci_low\": 1.62, \"ci_high\": 1.76}, \"tie\": []}";

static void verdict_line(void **state) {
    (void)state;
    char b[512];
    json_t *v = J(verdict_json);
    gs_view_fmt_verdict(v, 1, b, sizeof(b));
    assert_string_equal(b, "processes/fork × 2, 1.71× [1.62, 1.76] — cores saturated: 1.71× on 2 cores");
    gs_view_fmt_verdict(v, 0, b, sizeof(b));
    assert_string_equal(b, "processes/fork × 2, 1.71× [1.62, 1.76] — cores saturated: 1.71× on 2 cores");
    json_decref(v);
}

static void verdict_tie(void **state) {
    (void)state;
    char b[512];
    json_t *v = J("{\"workload\": \"sleep\", \"reason\": \"I/O-bound\","
                  " \"best\": {\"strategy\": \"threads\", \"workers\": 2, \"speedup\": 2.0, \"ci_low\": 1.99, \"ci_high\": 2.0},"
                  " \"tie\": [{\"strategy\": \"serial\", \"workers\": 1, \"speedup\": 1.0},"
                  "         {\"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"spawn\", \"speedup\": 1.98},"
                  "         {\"strategy\": \"to_thread\", \"workers\": 2, \"speedup\": 1.99}]}");
    gs_view_fmt_verdict(v, 1, b, sizeof(b));
    assert_string_equal(b, "a tie between threads × 2, serial, processes/spawn × 2 and to_thread × 2, 2.00× [1.99, 2.00] — I/O-bound");
    json_decref(v);
}

/* Without speedup_always (Markdown) the speedup shows only with its interval. */
static void verdict_without_interval(void **state) {
    (void)state;
    char b[512];
    json_t *v = J("{\"workload\": \"cpu\", \"reason\": \"nothing beats serial\","
                  " \"best\": {\"strategy\": \"serial\", \"workers\": 1, \"speedup\": 1.0, \"ci_low\": 0.98, \"ci_high\": 1.02}, \"tie\": []}");
    gs_view_fmt_verdict(v, 1, b, sizeof(b));
    assert_string_equal(b, "serial, 1.00× — nothing beats serial");
    gs_view_fmt_verdict(v, 0, b, sizeof(b));
    assert_string_equal(b, "serial — nothing beats serial");
    json_decref(v);
    v = J("{\"workload\": \"cpu\", \"reason\": \"r\","
          " \"best\": {\"strategy\": \"threads\", \"workers\": 2, \"speedup\": 1.5, \"ci_low\": null, \"ci_high\": null}, \"tie\": []}");
    gs_view_fmt_verdict(v, 1, b, sizeof(b));
    assert_string_equal(b, "threads × 2, 1.50× — r");
    gs_view_fmt_verdict(v, 0, b, sizeof(b));
    assert_string_equal(b, "threads × 2 — r");
    json_decref(v);
}

/* A line that does not fit is cut at a character boundary, NUL-terminated. */
static void verdict_cut(void **state) {
    (void)state;
    json_t *v = J(verdict_json);
    char full[512], b[64];
    gs_view_fmt_verdict(v, 1, full, sizeof(full));
    for (size_t cap = 1; cap < sizeof(b); cap++) {
        memset(b, 'x', sizeof(b));
        gs_view_fmt_verdict(v, 1, b, cap);
        size_t n = strlen(b);
        assert_true(n < cap);
        assert_memory_equal(b, full, n);
        char again[64];
        memcpy(again, b, n + 1);
        gs_utf8_trim(again);
        assert_string_equal(again, b); /* nothing half a character left */
    }
    json_decref(v);
}

static void report_lookups(void **state) {
    (void)state;
    json_t *r = J("{\"verdicts\": [{\"workload\": \"cpu\", \"reason\": \"a\"}, {\"workload\": \"sleep\", \"reason\": \"b\"}],"
                  " \"warnings\": [{\"scope\": \"machine\", \"workload\": null}, {\"scope\": \"cell\", \"workload\": \"cpu\"}]}");
    assert_string_equal(gs_jstr(gs_view_verdict(r, "sleep"), "reason"), "b");
    assert_null(gs_view_verdict(r, "hash"));
    json_t *machine = json_array_get(json_object_get(r, "warnings"), 0), *cell = json_array_get(json_object_get(r, "warnings"), 1);
    assert_true(gs_view_warning_of(machine, NULL));
    assert_false(gs_view_warning_of(machine, "cpu"));
    assert_true(gs_view_warning_of(cell, "cpu"));
    assert_false(gs_view_warning_of(cell, NULL));
    assert_false(gs_view_warning_of(cell, "sleep"));
    json_decref(r);
    json_t *py = J("{\"gil_enabled\": false}");
    assert_string_equal(gs_view_gil(py), "GIL disabled");
    json_object_set_new(py, "gil_enabled", json_true());
    assert_string_equal(gs_view_gil(py), "GIL enabled");
    json_decref(py);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_in_each_unit),
        cmocka_unit_test(bytes_pick_their_unit),
        cmocka_unit_test(shares_are_whole_percentages),
        cmocka_unit_test(speedup_of_a_cell),
        cmocka_unit_test(speedup_without_interval),
        cmocka_unit_test(speedup_of_the_baseline),
        cmocka_unit_test(speedup_unknown),
        cmocka_unit_test(speedup_of_a_verdicts_best),
        cmocka_unit_test(labels),
        cmocka_unit_test(long_labels_cut_at_a_character),
        cmocka_unit_test(verdict_line),
        cmocka_unit_test(verdict_tie),
        cmocka_unit_test(verdict_without_interval),
        cmocka_unit_test(verdict_cut),
        cmocka_unit_test(report_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
