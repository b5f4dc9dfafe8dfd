/* The report's read-only view (report/view.c): every label and number
 * format the renderers share. */
#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "report_view.h"
#include "tabwriter.h"

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
    assert_string_equal(b, "512 B");
    gs_view_fmt_bytes(1536, b, sizeof(b));
    assert_string_equal(b, "1.5 KiB");
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
    /* Four cells: three by name, the rest counted. */
    assert_string_equal(b, "a tie between threads × 2, serial, processes/spawn × 2 and 1 more, 2.00× [1.99, 2.00] — I/O-bound");
    json_array_remove(json_object_get(v, "tie"), 0);
    gs_view_fmt_verdict(v, 1, b, sizeof(b));
    assert_string_equal(b, "a tie between threads × 2, processes/spawn × 2 and to_thread × 2, 2.00× [1.99, 2.00] — I/O-bound");
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

/* A column of durations: one unit from its largest, digits from its smallest. */
static void time_columns(void **state) {
    (void)state;
    char b[32];
    gs_time_col c = gs_view_time_col(0.1326, 0.9724);
    assert_int_equal(c.unit, GS_TIME_MS_ONLY);
    gs_view_fmt_time_col(0.9724, c, b, sizeof(b));
    assert_string_equal(b, "972.4 ms");
    c = gs_view_time_col(0.0773, 1.5); /* s from 1 s, 0.077 s beside it */
    gs_view_fmt_time_col(0.0773, c, b, sizeof(b));
    assert_string_equal(b, "0.077 s");
    c = gs_view_time_col(0.000036, 0.0155); /* 36 µs beside 15.5 ms: ms, three decimals */
    gs_view_fmt_time_col(0.000036, c, b, sizeof(b));
    assert_string_equal(b, "0.036 ms");
    gs_view_fmt_time_col(0.0155, c, b, sizeof(b));
    assert_string_equal(b, "15.500 ms");
    c = gs_view_time_col(0.0004, 0.0009);
    assert_int_equal(c.unit, GS_TIME_US);
    gs_view_fmt_time_col(0.0004, c, b, sizeof(b));
    assert_string_equal(b, "400.0 µs");
    c = gs_view_time_col(0, 0); /* no value: still a unit */
    gs_view_fmt_time_col(0, c, b, sizeof(b));
    assert_string_equal(b, "0.0 µs");
    gs_view_fmt_time(0.00085, GS_TIME_US, b, sizeof(b));
    assert_string_equal(b, "850.0 µs");
    assert_int_equal(gs_view_time_unit(2.0), GS_TIME_S);
    assert_int_equal(gs_view_time_unit(0.002), GS_TIME_MS_ONLY);
}

/* A speedup that would read 0.00 reads "<0.01"; an interval of nothing goes. */
static void tiny_speedups(void **state) {
    (void)state;
    char b[64];
    json_t *c = J("{\"strategy\": \"processes\", \"workers\": 2, \"speedup\": {\"value\": 0.004, \"ci_low\": 0.003, \"ci_high\": 0.0049}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "<0.01×");
    assert_int_equal(gs_view_fmt_speedup_ci(c, b, sizeof(b)), -1);
    json_decref(c);
    c = J("{\"strategy\": \"threads\", \"workers\": 2, \"speedup\": {\"value\": 0.006, \"ci_low\": 0.004, \"ci_high\": 0.012}}");
    assert_int_equal(gs_view_fmt_speedup(c, 1, b, sizeof(b)), 0);
    assert_string_equal(b, "0.01× [<0.01, 0.01]");
    json_decref(c);
}

/* A workload's title names its kind once; its sizes come from the report. */
static void workload_title_and_sizes(void **state) {
    (void)state;
    char b[256];
    json_t *w = J("{\"name\": \"cpu\", \"description\": \"pure-Python arithmetic (CPU-bound)\", \"kind\": \"cpu\"}");
    gs_view_workload_title(w, b, sizeof(b));
    assert_string_equal(b, "cpu — pure-Python arithmetic (CPU-bound)");
    json_decref(w);
    w = J("{\"name\": \"sleep\", \"description\": \"blocking sleeps (I/O-bound)\", \"kind\": \"io\"}");
    gs_view_workload_title(w, b, sizeof(b));
    assert_string_equal(b, "sleep — blocking sleeps (I/O-bound)");
    json_decref(w);
    w = J("{\"name\": \"hash\", \"description\": \"sha256 of a cpuless ratio\", \"kind\": \"io\"}");
    gs_view_workload_title(w, b, sizeof(b)); /* "ratio" and "cpuless" name nothing */
    assert_string_equal(b, "hash — sha256 of a cpuless ratio (io)");
    json_decref(w);
    w = J("{\"name\": \"mine\", \"description\": null, \"kind\": \"mixed\"}");
    gs_view_workload_title(w, b, sizeof(b));
    assert_string_equal(b, "mine (mixed)");
    json_decref(w);
    json_t *r = J("{\"metadata\": {\"tasks\": 8, \"python\": {\"implementation\": \"CPython\", \"version\": \"3.12.1\"},"
                  "  \"start_method_requested\": null, \"default_start_method\": \"fork\"},"
                  " \"workloads\": [{\"name\": \"cpu\", \"size\": 1400000, \"calibration\": [{}]},"
                  "  {\"name\": \"empty\", \"size\": 1, \"size_ignored\": true}, {\"name\": \"bad\", \"error\": \"x\"}]}");
    gs_view_workload_sizes(r, "cpu", b, sizeof(b));
    assert_string_equal(b, "8 tasks × size 1400000 (calibrated: --size auto)");
    gs_view_workload_sizes(r, "empty", b, sizeof(b));
    assert_string_equal(b, "8 tasks × size 1 (--size auto: the run time does not grow with size; default kept)");
    gs_view_workload_sizes(r, "bad", b, sizeof(b));
    assert_string_equal(b, "");
    gs_view_interpreter(json_object_get(r, "metadata"), b, sizeof(b));
    assert_string_equal(b, "CPython 3.12.1");
    assert_string_equal(gs_view_pool_start_method(json_object_get(r, "metadata")), "fork");
    json_decref(r);
    /* Merged: once when the sources agree, else per source. */
    r = J("{\"sources\": [{\"label\": \"a\", \"metadata\": {\"tasks\": 8, \"start_method_requested\": \"spawn\"}},"
          "             {\"label\": \"b\", \"metadata\": {\"tasks\": 8}}],"
          " \"workloads\": [{\"name\": \"cpu\", \"size\": 200, \"source\": \"a\"}, {\"name\": \"cpu\", \"size\": 200, \"source\": \"b\"},"
          "  {\"name\": \"hash\", \"size\": 2, \"source\": \"a\"}, {\"name\": \"hash\", \"size\": 4, \"source\": \"b\"}]}");
    gs_view_workload_sizes(r, "cpu", b, sizeof(b));
    assert_string_equal(b, "8 tasks × size 200");
    gs_view_workload_sizes(r, "hash", b, sizeof(b));
    assert_string_equal(b, "a: 8 tasks × size 2; b: 8 tasks × size 4");
    json_t *cell = J("{\"source\": \"a\"}");
    assert_string_equal(gs_view_pool_start_method(gs_view_metadata_of(r, cell)), "spawn");
    json_decref(cell);
    json_decref(r);
}

/* One line per cause, workload by workload (warn.c writes a workload's
 * warnings together), at most 8 subjects named. */
static void warning_groups(void **state) {
    (void)state;
    json_t *r = J("{\"warnings\": ["
                  " {\"scope\": \"machine\", \"workload\": null, \"cause\": \"load\", \"message\": \"load 3\"},"
                  " {\"scope\": \"cell\", \"workload\": \"cpu\", \"strategy\": \"threads\", \"workers\": 2, \"cause\": \"noisy\","
                  "  \"finding\": \"noisy runs\", \"fix\": \"raise --runs\", \"detail\": \"9.0%\", \"message\": \"m1\"},"
                  " {\"scope\": \"cell\", \"workload\": \"cpu\", \"strategy\": \"processes\", \"workers\": 2, \"cause\": \"noisy\","
                  "  \"finding\": \"noisy runs\", \"fix\": \"raise --runs\", \"detail\": \"6.1%\", \"message\": \"m3\"},"
                  " {\"scope\": \"cell\", \"workload\": \"hash\", \"strategy\": \"serial\", \"workers\": 1, \"cause\": \"noisy\","
                  "  \"finding\": \"noisy runs\", \"fix\": \"raise --runs\", \"detail\": null, \"message\": \"m2\"},"
                  " {\"scope\": \"workload\", \"workload\": \"cpu\", \"cause\": \"few_runs\", \"finding\": \"few runs\","
                  "  \"fix\": \"use --runs 6\", \"detail\": \"5 runs\", \"message\": \"m4\"},"
                  " {\"scope\": \"cell\", \"workload\": \"cpu\", \"message\": \"an old warning\"}]}");
    json_t *shown = J("[{\"message\": \"load 3\"}]");
    json_t *g = gs_view_warning_groups(r, shown);
    assert_int_equal(json_array_size(g), 3);
    assert_string_equal(json_string_value(json_array_get(g, 0)),
                        "noisy runs in cpu: threads × 2 (9.0%), processes × 2 (6.1%); hash: serial — raise --runs");
    assert_string_equal(json_string_value(json_array_get(g, 1)), "few runs in cpu (5 runs) — use --runs 6");
    assert_string_equal(json_string_value(json_array_get(g, 2)), "cpu: an old warning");
    json_decref(g);
    g = gs_view_warning_groups(r, NULL);
    assert_string_equal(json_string_value(json_array_get(g, 0)), "load 3");
    json_decref(g);
    json_decref(r);
    /* Twelve cells: eight named, then how many more. */
    r = J("{\"warnings\": []}");
    for (int i = 1; i <= 12; i++)
        json_array_append_new(json_object_get(r, "warnings"),
                              json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "workload", "w", "strategy", "threads", "workers", i,
                                        "cause", "c", "finding", "f", "fix", "x", "message", "m"));
    g = gs_view_warning_groups(r, NULL);
    assert_int_equal(json_array_size(g), 1);
    assert_string_equal(json_string_value(json_array_get(g, 0)),
                        "f in w: threads × 1, threads × 2, threads × 3, threads × 4, threads × 5, threads × 6, threads × 7, "
                        "threads × 8 and 4 more — x");
    json_decref(g);
    json_decref(shown);
    json_decref(r);
}

/* A matrix of two interpreters: processes with fork on one and forkserver
 * on the other is one row, said once; a pool run with both start methods
 * by one source keeps its rows; why cells are missing, grouped by reason. */
static void matrix_rows_and_reasons(void **state) {
    (void)state;
    json_t *r = json_loads(
        "{\"sources\": [{\"label\": \"3.13.0\"}, {\"label\": \"3.14.10\"}], \"cells\": ["
        "{\"source\": \"3.13.0\", \"workload\": \"cpu\", \"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"fork\"},"
        "{\"source\": \"3.14.10\", \"workload\": \"cpu\", \"strategy\": \"processes\", \"workers\": 2, \"start_method\": \"forkserver\"},"
        "{\"source\": \"3.13.0\", \"workload\": \"cpu\", \"strategy\": \"interpreters\", \"workers\": 2, \"available\": false,"
        " \"unavailable_reason\": \"no\"},"
        "{\"source\": \"3.14.10\", \"workload\": \"cpu\", \"strategy\": \"interpreters\", \"workers\": 2, \"available\": false,"
        " \"unavailable_reason\": \"no\"},"
        "{\"source\": \"3.14.10\", \"workload\": \"cpu\", \"strategy\": \"threads\", \"workers\": 2, \"error\": \"boom\"}]}",
        0, NULL);
    assert_non_null(r);
    gs_matrix m;
    assert_int_equal(gs_matrix_build(r, "cpu", &m), 0);
    char buf[512];
    size_t procs = m.nrows;
    for (size_t i = 0; i < m.nrows; i++)
        if (strcmp(json_string_value(json_object_get(m.rows[i], "strategy")), "processes") == 0) procs = i;
    assert_true(procs < m.nrows);
    assert_int_equal(m.nrows, 3);
    gs_matrix_row_label(&m, procs, buf, sizeof(buf));
    assert_string_equal(buf, "processes");
    assert_int_equal(gs_matrix_fmt_start_methods(&m, procs, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "processes ran with each interpreter's start method: fork on 3.13.0; forkserver on 3.14.10 "
                             "(--start-method picks one for all)");
    json_t *why = gs_matrix_reasons(&m);
    assert_int_equal(json_array_size(why), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(why, 0), "text")),
                        "interpreters unavailable on 3.13.0, 3.14.10: no");
    assert_string_equal(json_string_value(json_object_get(json_array_get(why, 1), "text")),
                        "FAILED on 3.14.10: threads × 2: boom");
    json_decref(why);
    gs_matrix_free(&m);
    /* Both methods on one source: two rows, each with its own label. */
    json_object_set_new(json_array_get(json_object_get(r, "cells"), 1), "source", json_string("3.13.0"));
    assert_int_equal(gs_matrix_build(r, "cpu", &m), 0);
    assert_int_equal(m.nrows, 4);
    int pools = 0;
    for (size_t i = 0; i < m.nrows; i++) {
        gs_matrix_row_label(&m, i, buf, sizeof(buf));
        if (strncmp(buf, "processes", 9) != 0) continue;
        pools++;
        assert_non_null(strstr(buf, "processes/"));
        assert_int_equal(gs_matrix_fmt_start_methods(&m, i, buf, sizeof(buf)), -1);
    }
    assert_int_equal(pools, 2);
    gs_matrix_free(&m);
    json_decref(r);
}

/* An experiment's figures: each value in its unit, three significant
 * digits below 1000, whole with separators above, integers as they are. */
static void measured_values_in_their_units(void **state) {
    (void)state;
    static const struct {
        const char *json, *unit, *want;
    } cases[] = {
        {"5.2679", "ms", "5.27 ms"},   {"0.10899", "ms", "0.109 ms"}, {"236.4", "/s", "236/s"},
        {"11125.4", "/s", "11,125/s"}, {"1234567.0", "", "1,234,567"}, {"2.12", "%", "2.12%"},
        {"100.0", "%", "100%"},        {"0.0", "ms", "0 ms"},         {"7", "", "7"},
        {"null", "ms", "—"},           {"-0.5", "", "-0.500"},        {"999.7", "", "1,000"},
    };
    char b[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        gs_view_fmt_measure(v, cases[i].unit, b, sizeof(b));
        if (strcmp(b, cases[i].want) != 0) fail_msg("%s %s: \"%s\", not \"%s\"", cases[i].json, cases[i].unit, b, cases[i].want);
        json_decref(v);
    }
}

/* The table of a cell's figures: the workload's labels as heads, one row
 * per task; none for a cell without figures or a workload without measures. */
static void measured_table_of_a_cell(void **state) {
    (void)state;
    json_t *r = J("{\"workloads\": [{\"name\": \"convoy\", \"measures\": [{\"key\": \"k\", \"label\": \"CPU threads\", \"unit\": \"\"},"
                  " {\"key\": \"r\", \"label\": \"requests\", \"unit\": \"/s\"}]}, {\"name\": \"cpu\", \"measures\": null}],"
                  " \"cells\": [{\"workload\": \"convoy\", \"strategy\": \"serial\", \"wall_s\": {\"n\": 6},"
                  " \"measured\": {\"run\": 4, \"values\": [[0, 9223.1], [1, 174.2]], \"explanation\": \"why\"}},"
                  " {\"workload\": \"convoy\", \"strategy\": \"threads\", \"measured\": null},"
                  " {\"workload\": \"cpu\", \"strategy\": \"serial\", \"measured\": {\"values\": [[1]]}}]}");
    json_t *cells = json_object_get(r, "cells");
    gs_tab t;
    assert_int_equal(gs_view_measured_tab(r, json_array_get(cells, 0), &t), 0);
    assert_int_equal(t.ncols, 2);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(t.head[0], "CPU threads");
    assert_string_equal(t.cells[1], "9,223/s");
    assert_string_equal(t.cells[2], "1");
    assert_string_equal(t.cells[3], "174/s");
    assert_true(t.right[1]);
    gs_tab_free(&t);
    assert_int_equal(gs_view_measured_tab(r, json_array_get(cells, 1), &t), -1);
    assert_int_equal(gs_view_measured_tab(r, json_array_get(cells, 2), &t), -1);
    char b[128];
    gs_view_fmt_measured_from(json_array_get(cells, 0), b, sizeof(b));
    assert_string_equal(b, "measured in the run of median wall of 6");
    gs_view_fmt_measured_from(json_array_get(cells, 1), b, sizeof(b));
    assert_string_equal(b, "");
    json_decref(r);
}

/* A strategy unavailable at every worker count for one reason is one row
 * ("2,4,8"); another reason, another strategy label or a measured cell
 * starts a row of its own. */
/* --profile: the top entries by own time with their share of the total; the
 * scope when there are none; nothing without a profile. */
static void profile_top_entries(void **state) {
    (void)state;
    json_t *c = json_pack("{s:{s:s,s:i,s:f,s:[{s:s,s:i,s:f,s:f},{s:s,s:i,s:f,s:f},{s:s,s:i,s:f,s:f}],s:[]}}",
                          "profile", "scope", "the thread that ran the tasks", "profiles", 1, "total_own_s", 2.0,
                          "by_own", "function", "cpu.py:17(run)", "calls", 8, "own_s", 1.5, "cumulative_s", 1.5,
                          "function", "{built-in method posix.read}", "calls", 30, "own_s", 0.0132, "cumulative_s",
                          0.0132, "function", "worker.py:60(_call)", "calls", 8, "own_s", 0.000135, "cumulative_s", 1.5,
                          "by_cumulative");
    char buf[512];
    assert_non_null(gs_view_profile(c));
    assert_int_equal(gs_view_fmt_profile_top(c, 2, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "cpu.py:17(run) 1.500 s (75%) · {built-in method posix.read} 13.2 ms (1%)");
    json_array_clear(json_object_get(json_object_get(c, "profile"), "by_own"));
    assert_int_equal(gs_view_fmt_profile_top(c, 2, buf, sizeof(buf)), -1);
    assert_string_equal(buf, "the thread that ran the tasks");
    json_object_set_new(c, "profile", json_null());
    assert_null(gs_view_profile(c));
    assert_int_equal(gs_view_fmt_profile_top(c, 2, buf, sizeof(buf)), -1);
    assert_string_equal(buf, "");
    json_decref(c);
}

/* Process pools: the transfer line per task and per result, material from a
 * share of the wall or from large tasks. */
static void transfer_of_a_pool(void **state) {
    (void)state;
    json_t *r = json_pack("{s:{s:i}}", "metadata", "tasks", 4);
    json_t *c = json_pack("{s:{s:f},s:{s:i,s:i,s:i,s:i,s:f,s:f}}", "wall_s", "median", 0.1, "transfer", "task_bytes",
                          4 * 1048576, "result_bytes", 40, "max_task_bytes", 1048576, "max_result_bytes", 10, "pickle_s",
                          0.006, "unpickle_s", 0.004);
    char buf[256];
    assert_int_equal(gs_view_fmt_transfer(r, c, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "1.0 MiB per task, 10 B per result; pickling and unpickling all of them once: 10.0 ms, 10% of "
                             "the wall median");
    /* small tasks, little time: not material */
    json_t *t = json_object_get(c, "transfer");
    json_object_set_new(t, "task_bytes", json_integer(400));
    json_object_set_new(t, "max_task_bytes", json_integer(100));
    json_object_set_new(t, "pickle_s", json_real(0.0001));
    json_object_set_new(t, "unpickle_s", json_real(0.0001));
    assert_int_equal(gs_view_fmt_transfer(r, c, buf, sizeof(buf)), 0);
    json_object_set_new(c, "transfer", json_null());
    assert_int_equal(gs_view_fmt_transfer(r, c, buf, sizeof(buf)), -1);
    json_decref(c);
    json_decref(r);
}

static void unavailable_rows_span_their_workers(void **state) {
    (void)state;
    json_t *cells = J("[{\"workload\": \"w\", \"strategy\": \"serial\", \"workers\": 1, \"available\": true},"
                      " {\"workload\": \"w\", \"strategy\": \"threads\", \"workers\": 2, \"available\": false, \"unavailable_reason\": \"n/a\"},"
                      " {\"workload\": \"w\", \"strategy\": \"threads\", \"workers\": 4, \"available\": false, \"unavailable_reason\": \"n/a\"},"
                      " {\"workload\": \"w\", \"strategy\": \"threads\", \"workers\": 8, \"available\": false, \"unavailable_reason\": \"other\"},"
                      " {\"workload\": \"w\", \"strategy\": \"to_thread\", \"workers\": 2, \"available\": false, \"unavailable_reason\": \"other\"},"
                      " {\"workload\": \"v\", \"strategy\": \"to_thread\", \"workers\": 4, \"available\": false, \"unavailable_reason\": \"other\"}]");
    char b[64];
    assert_int_equal(gs_view_row_span(cells, 0, b, sizeof(b)), 1);
    assert_string_equal(b, "1");
    assert_int_equal(gs_view_row_span(cells, 1, b, sizeof(b)), 2);
    assert_string_equal(b, "2,4");
    assert_int_equal(gs_view_row_span(cells, 3, b, sizeof(b)), 1); /* to_thread is another strategy */
    assert_int_equal(gs_view_row_span(cells, 4, b, sizeof(b)), 1); /* v is another workload */
    assert_string_equal(b, "2");
    assert_int_equal(gs_view_row_span(cells, 1, b, 3), 1); /* "2,4" does not fit 3 bytes: a row each */
    assert_string_equal(b, "2");
    json_decref(cells);
}

/* Cells and their chunk sizes: identity, labels, and series over workers
 * (split by chunk size only when the session swept several). */
static void chunk_cells(void **state) {
    (void)state;
    json_t *r = J("{\"metadata\": {\"chunksizes_requested\": []}}");
    json_t *a = J("{\"workload\": \"cpu\", \"strategy\": \"mp_pool\", \"workers\": 2, \"chunksize\": 4, "
                  "\"start_method\": \"fork\"}");
    json_t *b = J("{\"workload\": \"cpu\", \"strategy\": \"mp_pool\", \"workers\": 2, \"chunksize\": 8}");
    json_t *old = J("{\"workload\": \"cpu\", \"strategy\": \"threads\", \"workers\": 2}");
    json_t *now = J("{\"workload\": \"cpu\", \"strategy\": \"threads\", \"workers\": 2, \"chunksize\": null}");
    assert_int_equal(gs_view_chunksize(a), 4);
    assert_int_equal(gs_view_chunksize(old), 0);
    assert_false(gs_view_same_cell(a, b));
    assert_true(gs_view_same_cell(old, now)); /* a report from before chunk sizes matches */
    char buf[96];
    gs_view_cell_label(a, 0, buf, sizeof(buf));
    assert_string_equal(buf, "mp_pool/fork × 2 chunk 4");
    gs_view_strategy_label(a, buf, sizeof(buf));
    assert_string_equal(buf, "mp_pool/fork chunk 4");
    assert_true(gs_view_same_chunk_series(r, a, b)); /* defaults: one per worker count, one series */
    json_object_set_new(json_object_get(r, "metadata"), "chunksizes_requested", json_pack("[i,i]", 4, 8));
    assert_false(gs_view_same_chunk_series(r, a, b));
    assert_true(gs_view_same_chunk_series(r, a, a));
    json_decref(r), json_decref(a), json_decref(b), json_decref(old), json_decref(now);
}

static void upper(FILE *f, const char *s, const void *ctx) {
    fputs((const char *)ctx, f);
    for (; *s; s++) fputc(*s >= 'a' && *s <= 'z' ? *s - 32 : *s, f);
}

static void plain(FILE *f, const char *s, const void *ctx) {
    (void)ctx;
    fputs(s, f);
}

/* The lesson walk: the markup in order, the title and each paragraph through
 * their own writer; nothing for a report without a lesson, or with a
 * paragraph that is not a string. */
static void lesson_walk(void **state) {
    (void)state;
    json_t *r = J("{\"lesson\": {\"name\": \"x\", \"title\": \"A title\", \"paragraphs\": [\"one\", \"two\"]}}");
    gs_view_lesson_markup m = {"<", ">", "[", "]", "!", upper, plain, "^"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gs_view_write_lesson(f, r, &m);
    json_object_set_new(r, "lesson", json_pack("{s:s,s:[s,i]}", "title", "T", "paragraphs", "p", 1));
    gs_view_write_lesson(f, r, &m);
    json_object_del(r, "lesson");
    gs_view_write_lesson(f, r, &m);
    fclose(f);
    assert_string_equal(buf, "<^A TITLE>[one][two]!");
    free(buf);
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(measured_values_in_their_units),
        cmocka_unit_test(measured_table_of_a_cell),
        cmocka_unit_test(unavailable_rows_span_their_workers),
        cmocka_unit_test(profile_top_entries),
        cmocka_unit_test(transfer_of_a_pool),
        cmocka_unit_test(matrix_rows_and_reasons),
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
        cmocka_unit_test(time_columns),
        cmocka_unit_test(tiny_speedups),
        cmocka_unit_test(workload_title_and_sizes),
        cmocka_unit_test(warning_groups),
        cmocka_unit_test(lesson_walk),
        cmocka_unit_test(chunk_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
