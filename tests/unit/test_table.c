/* The terminal table (render/table.c), rendered from a JSON report: a small
 * hand-built one whose every line is known, and the golden report. */
#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "table.h"

/* A report with one measured workload (cpu: every kind of row, a probe, a
 * fit, a verdict with a tie), the empty workload (its overheads) and one that
 * failed to load. Single quotes stand for double quotes. */
static const char *report_text =
    "{'schema_version': 2,"
    " 'metadata': {'gilscope_version': '9.9.9', 'interpreter': '/usr/bin/python3.12', 'cores': 2,"
    "  'python': {'implementation': 'CPython', 'version': '3.12.1', 'gil_enabled': true, 'free_threaded': false},"
    "  'runs': 5, 'warmup': 1, 'tasks': 8, 'hash_seed': 0},"
    " 'workloads': ["
    "  {'name': 'cpu', 'description': 'arithmetic', 'kind': 'cpu', 'size': 1000, 'error': null, 'calibration': null, 'size_ignored': false},"
    "  {'name': 'empty', 'description': 'nothing', 'kind': 'mixed', 'size': 1, 'error': null, 'calibration': [], 'size_ignored': true},"
    "  {'name': 'broken', 'description': null, 'kind': null, 'size': 0, 'error': 'broken.py: SyntaxError', 'calibration': null, 'size_ignored': false}],"
    " 'cells': ["
    "  {'workload': 'cpu', 'strategy': 'serial', 'workers': 1, 'start_method': null, 'available': true, 'unavailable_reason': null,"
    "   'error': null, 'results_agree': true,"
    "   'wall_s': {'median': 1.5, 'ci_low': 1.4, 'ci_high': 1.6, 'ci_level': 0.9375, 'max': 1.7, 'n': 5},"
    "   'speedup': {'value': 1.0, 'ci_low': 0.95, 'ci_high': 1.05}, 'cpu_s': 1.49, 'cores_used': 0.99, 'pool_startup_s': null,"
    "   'per_task_s': 0.1875, 'peak_rss_bytes': 21705523, 'gil_latency_ms': null,"
    "   'states': {'on_cpu': 0.99, 'wait_core': 0.006, 'wait_gil': 0, 'wait_lock': 0, 'wait_io': 0, 'sleep': 0, 'idle': 0.004, 'other': 0}},"
    "  {'workload': 'cpu', 'strategy': 'threads', 'workers': 2, 'start_method': null, 'available': true, 'unavailable_reason': null,"
    "   'error': 'results disagree with serial', 'results_agree': false,"
    "   'wall_s': {'median': 1.52, 'ci_low': 1.5, 'ci_high': 1.6, 'ci_level': 0.9375, 'max': 1.61, 'n': 5},"
    "   'speedup': {'value': 0.98684, 'ci_low': 0.93, 'ci_high': 1.02}, 'cpu_s': 1.5, 'cores_used': 0.99, 'pool_startup_s': 0.0004,"
    "   'per_task_s': 0.19, 'peak_rss_bytes': 22020096,"
    "   'gil_latency_ms': {'p50': 5.1, 'p99': 9.87, 'max': 10.2, 'samples': 40, 'core_wait_mean': 0.01},"
    "   'states': {'on_cpu': 0.5, 'wait_core': 0, 'wait_gil': 0.48, 'wait_lock': 0, 'wait_io': 0, 'sleep': 0, 'idle': 0.02, 'other': 0}},"
    "  {'workload': 'cpu', 'strategy': 'threads', 'workers': 4, 'start_method': null, 'available': false,"
    "   'unavailable_reason': 'needs a newer interpreter', 'error': null, 'results_agree': true, 'wall_s': null, 'speedup': null},"
    "  {'workload': 'cpu', 'strategy': 'processes', 'workers': 1, 'start_method': 'fork', 'available': true, 'error': null,"
    "   'results_agree': true, 'wall_s': {'median': 1.53, 'max': 1.6, 'n': 1},"
    "   'speedup': {'value': 0.98, 'ci_low': null, 'ci_high': null}, 'cpu_s': 1.5, 'cores_used': 0.98, 'pool_startup_s': 0.0031,"
    "   'peak_rss_bytes': 1610612736, 'peak_uss_bytes': 16882073, 'states': null},"
    "  {'workload': 'cpu', 'strategy': 'processes', 'workers': 2, 'start_method': 'fork', 'available': true, 'error': null,"
    "   'results_agree': true, 'wall_s': {'median': 0.78, 'ci_low': 0.77, 'ci_high': 0.8, 'ci_level': 0.9375, 'max': 0.8, 'n': 5},"
    "   'speedup': {'value': 1.92, 'ci_low': 1.85, 'ci_high': 1.96}, 'cpu_s': 1.5, 'cores_used': 1.92, 'pool_startup_s': 0.0044,"
    "   'peak_rss_bytes': 55784243, 'states': null},"
    "  {'workload': 'cpu', 'strategy': 'processes', 'workers': 4, 'start_method': 'fork', 'available': true, 'error': null,"
    "   'results_agree': true, 'wall_s': {'median': 0.7732, 'ci_low': 0.77, 'ci_high': 0.78, 'ci_level': 0.9375, 'max': 0.79, 'n': 5},"
    "   'speedup': {'value': 1.94, 'ci_low': 1.9, 'ci_high': 1.98}, 'cpu_s': 1.52, 'cores_used': 1.97, 'pool_startup_s': 0.0061,"
    "   'peak_rss_bytes': 75784243, 'states': null},"
    "  {'workload': 'cpu', 'strategy': 'to_thread', 'workers': 2, 'start_method': null, 'available': true,"
    "   'error': 'task 1 raised ValueError: boom', 'results_agree': true, 'wall_s': null, 'speedup': null},"
    "  {'workload': 'cpu', 'strategy': 'to_thread', 'workers': 4, 'start_method': null, 'available': true,"
    "   'error': 'task 1 raised ValueError: boom', 'results_agree': true, 'wall_s': null, 'speedup': null},"
    "  {'workload': 'empty', 'strategy': 'serial', 'workers': 1, 'available': true, 'error': null, 'results_agree': true,"
    "   'wall_s': {'median': 0.0004, 'ci_low': 0.0003, 'ci_high': 0.0005, 'ci_level': 0.9375, 'max': 0.0006, 'n': 5},"
    "   'speedup': {'value': 1.0}, 'cpu_s': 0.0004, 'cores_used': 1.0, 'pool_startup_s': null, 'per_task_s': 0.00005,"
    "   'peak_rss_bytes': 0, 'states': null},"
    "  {'workload': 'empty', 'strategy': 'threads', 'workers': 2, 'available': true, 'error': null, 'results_agree': true,"
    "   'wall_s': {'median': 0.002, 'ci_low': 0.0019, 'ci_high': 0.0021, 'ci_level': 0.9375, 'max': 0.0022, 'n': 5},"
    "   'speedup': {'value': 0.2, 'ci_low': 0.19, 'ci_high': 0.21}, 'cpu_s': 0.002, 'cores_used': 1.0, 'pool_startup_s': 0.0009,"
    "   'per_task_s': 0.0001375, 'peak_rss_bytes': 512, 'states': null}],"
    " 'runs': ["
    "  {'workload': 'cpu', 'strategy': 'threads', 'workers': 2, 'status': 'ok', 'diagnostic': false, 'sample_hz': 80,"
    "   'process_wall_s': 2.0, 'observer_cpu_s': 0.02, 'error_detail': null},"
    "  {'workload': 'cpu', 'strategy': 'to_thread', 'workers': 2, 'status': 'failed', 'error_detail': null},"
    "  {'workload': 'cpu', 'strategy': 'to_thread', 'workers': 2, 'status': 'failed',"
    "   'error_detail': 'Traceback (most recent call last):\\n  one\\n  two\\n  three\\n  four\\n  five\\n  six\\nValueError: boom\\n\\n'},"
    "  {'workload': 'cpu', 'strategy': 'threads', 'workers': 2, 'status': 'ok', 'diagnostic': true, 'sample_hz': 1000,"
    "   'process_wall_s': 2.0, 'observer_cpu_s': 0.06, 'error_detail': null},"
    "  {'workload': 'cpu', 'strategy': 'to_thread', 'workers': 4, 'status': 'failed',"
    "   'error_detail': 'Traceback (most recent call last):\\n  one\\n  two\\n  three\\n  four\\n  five\\n  six\\nValueError: boom\\n\\n'},"
    "  {'workload': 'empty', 'strategy': 'serial', 'workers': 1, 'status': 'ok', 'diagnostic': false, 'sample_hz': 80,"
    "   'process_wall_s': null, 'observer_cpu_s': 0.5}],"
    " 'verdicts': ["
    "  {'workload': 'cpu', 'reason': 'cores saturated: 1.94× on 2 cores',"
    "   'best': {'strategy': 'processes', 'workers': 4, 'start_method': 'fork', 'speedup': 1.94, 'ci_low': 1.9, 'ci_high': 1.98},"
    "   'tie': [{'strategy': 'processes', 'workers': 2, 'start_method': 'fork', 'speedup': 1.92, 'ci_low': 1.85, 'ci_high': 1.96}]},"
    "  {'workload': 'empty', 'reason': 'nothing beats serial', 'tie': [],"
    "   'best': {'strategy': 'serial', 'workers': 1, 'start_method': null, 'speedup': 1.0, 'ci_low': null, 'ci_high': null}}],"
    " 'warnings': ["
    "  {'scope': 'machine', 'workload': null, 'cause': 'load', 'message': 'load average 3.00 at start'},"
    "  {'scope': 'cell', 'workload': 'cpu', 'strategy': 'threads', 'workers': 2, 'cause': 'noisy',"
    "   'finding': 'runs vary by more than 5%', 'fix': 'raise --runs', 'detail': '9.0%', 'message': 'threads × 2: runs vary by 9.0%'},"
    "  {'scope': 'cell', 'workload': 'cpu', 'strategy': 'serial', 'workers': 1, 'cause': 'noisy',"
    "   'finding': 'runs vary by more than 5%', 'fix': 'raise --runs', 'detail': '6.0%', 'message': 'serial × 1: runs vary by 6.0%'},"
    "  {'scope': 'cell', 'workload': 'empty', 'message': 'serial × 1: runs of 400 µs are too short'},"
    "  {'scope': 'cell', 'workload': 'empty', 'strategy': 'serial', 'workers': 1, 'cause': 'noisy',"
    "   'finding': 'runs vary by more than 5%', 'fix': 'raise --runs', 'detail': '7.5%', 'message': 'serial × 1: runs vary by 7.5%'},"
    "  {'scope': 'workload', 'workload': 'cpu', 'strategy': null, 'workers': null, 'cause': 'few_runs',"
    "   'finding': 'fewer runs than 6', 'fix': 'use --runs 6', 'detail': '5 runs', 'message': '5 runs per cell'},"
    "  {'scope': 'workload', 'workload': 'empty', 'strategy': null, 'workers': null, 'cause': 'few_runs',"
    "   'finding': 'fewer runs than 6', 'fix': 'use --runs 6', 'detail': '5 runs', 'message': '5 runs per cell'}],"
    " 'fits': ["
    "  {'workload': 'cpu', 'strategy': 'processes', 'model': 'amdahl', 'cores_aware': true, 'points': 3, 'cores': 2,"
    "   'relative_to': 'own 1-worker run', 'parameters': {'serial_fraction': {'value': 0.02, 'stderr': 0.01}}, 'r2': 0.99,"
    "   'prediction': {'workers': 8, 'speedup': 1.96, 'ci_low': 1.94, 'ci_high': 1.98, 'extrapolated': true}}]}";

static json_t *report(void) {
    char *text = strdup(report_text);
    for (char *p = text; *p; p++)
        if (*p == '\'') *p = '"';
    json_error_t e;
    json_t *r = json_loads(text, 0, &e);
    if (r == NULL) fail_msg("bad report in the test: %s (line %d, column %d)", e.text, e.line, e.column);
    free(text);
    return r;
}

/* What gs_table_header (workload NULL) or gs_table_workload prints in the
 * given style; the caller frees it. */
static char *render_in(json_t *r, const char *workload, gs_table_style st) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (workload) gs_table_workload(f, r, workload, &st);
    else gs_table_header(f, r, &st);
    fclose(f);
    char *out = strdup(buf); /* not buf itself: GCC takes it for a pointer to the local */
    free(buf);
    return out;
}

/* The default table at 100 columns, colour as asked. */
static char *render(json_t *r, const char *workload, int color) {
    return render_in(r, workload, (gs_table_style){color, 100, 0, 0});
}

/* Asserts that text holds line as a whole line. */
static void has_line(const char *text, const char *line) {
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n') return;
    fail_msg("line not found:\n[%s]\nin:\n%s", line, text);
}

/* Width in terminal columns of the n bytes at s (one per code point). */
static size_t width_of(const char *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

static void header_names_interpreter_runs_and_machine_warnings(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, NULL, 0);
    assert_string_equal(out, "gilscope 9.9.9 · CPython 3.12.1 (GIL enabled) · 2 cores · /usr/bin/python3.12\n"
                             "5 runs + 1 warm-up per cell, interleaved · 8 tasks per run · hash seed 0\n"
                             "warning: load average 3.00 at start\n");
    free(out);
    out = render(r, NULL, 1);
    assert_string_equal(out, "\033[1mgilscope 9.9.9\033[0m · CPython 3.12.1 (GIL enabled) · 2 cores · /usr/bin/python3.12\n"
                             "5 runs + 1 warm-up per cell, interleaved · 8 tasks per run · hash seed 0\n"
                             "\033[31mwarning\033[0m: load average 3.00 at start\n");
    free(out);
    json_decref(r);
}

/* Every line of text at most width columns wide. */
static void fits(const char *text, int width) {
    for (const char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != '\0')) {
        size_t w = width_of(line, strcspn(line, "\n"));
        if (w > (size_t)width) fail_msg("a line of %zu columns in %d:\n%.*s", w, width, (int)strcspn(line, "\n"), line);
    }
}

/* The default table: the columns a reader needs first, one unit per column. */
static void rows(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, "cpu", 0);
    assert_int_equal(strncmp(out, "\ncpu — arithmetic (cpu) · 8 tasks × size 1000\n", 47), 0);
    has_line(out, "  strategy        workers  wall median  speedup [95% CI]    cores used  GIL wait  largest other");
    has_line(out, "  serial                1      1.500 s  1.00×                     0.99        0%   core wait 1%");
    /* Measured, but disagreeing: the row, then why. */
    has_line(out, "  threads               2      1.520 s  0.99× [0.93, 1.02]        0.99       48%        idle 2%");
    has_line(out, "      DISAGREES: results disagree with serial");
    has_line(out, "  threads               4  unavailable: needs a newer interpreter");
    /* One run: no interval on the speedup; no thread states. */
    has_line(out, "  processes/fork        1      1.530 s  0.98×                     0.98         —              —");
    /* Below 1 s in a column of seconds: still seconds. */
    has_line(out, "  processes/fork        4      0.773 s  1.94× [1.90, 1.98]        1.97         —              —");
    has_line(out, "  to_thread             2  FAILED: task 1 raised ValueError: boom");
    has_line(out, "  to_thread             4  FAILED: task 1 raised ValueError: boom");
    assert_null(strstr(out, "peak RSS"));
    assert_null(strstr(out, "warning")); /* after the last table, unless -v */
    assert_null(strchr(out, '\033'));
    fits(out, 100);
    free(out);
    json_decref(r);
}

/* --wide: every column, however wide, the wall time with its interval. */
static void wide_rows(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render_in(r, "cpu", (gs_table_style){0, 100, 1, 0});
    has_line(out, "  strategy        workers  wall median [93.75% CI]     speedup [95% CI]        CPU  cores used  on CPU"
                  "  GIL wait  largest other  peak RSS  peak USS  pool start-up");
    has_line(out, "  serial                1  1.500 s [1.400 s, 1.600 s]  1.00×               1.490 s        0.99     99%"
                  "        0%   core wait 1%  20.7 MiB         —              —");
    /* Pool start-up: one unit, two significant digits for the smallest. */
    has_line(out, "  threads               2  1.520 s [1.500 s, 1.600 s]  0.99× [0.93, 1.02]  1.500 s        0.99     50%"
                  "       48%        idle 2%  21.0 MiB         —        0.40 ms");
    /* Unique memory beside the RSS sum, when the report has it. */
    has_line(out, "  processes/fork        1  1.530 s                     0.98×               1.500 s        0.98       —"
                  "         —              —  1.50 GiB  16.1 MiB        3.10 ms");
    free(out);
    json_decref(r);
}

/* A narrow terminal: the speedup's interval goes first, then largest
 * other, cores used and GIL wait; text wraps with a hanging indent. */
static void narrow_terminals_drop_columns_in_order(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render_in(r, "cpu", (gs_table_style){0, 84, 0, 0});
    has_line(out, "  strategy        workers  wall median  speedup  cores used  GIL wait  largest other");
    free(out);
    out = render_in(r, "cpu", (gs_table_style){0, 70, 0, 0});
    has_line(out, "  strategy        workers  wall median  speedup  cores used  GIL wait");
    has_line(out, "  threads               2      1.520 s    0.99×        0.99       48%");
    free(out);
    out = render_in(r, "cpu", (gs_table_style){0, 50, 0, 0});
    has_line(out, "  strategy        workers  wall median  speedup");
    has_line(out, "  threads               4  unavailable: needs a");
    has_line(out, "                           newer interpreter");
    has_line(out, "  verdict: a tie between processes/fork × 4 and");
    has_line(out, "    processes/fork × 2, 1.94× [1.90, 1.98] — cores");
    fits(out, 50);
    free(out);
    json_decref(r);
}

/* A failure's last 6 traceback lines, once when the next failure has the same. */
static void failure_details(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, "cpu", 0);
    const char *detail = "  to_thread             2  FAILED: task 1 raised ValueError: boom\n"
                         "      │   two\n      │   three\n      │   four\n      │   five\n      │   six\n"
                         "      │ ValueError: boom\n"
                         "  to_thread             4  FAILED: task 1 raised ValueError: boom\n";
    assert_non_null(strstr(out, detail));
    free(out);
    out = render(r, "cpu", 1);
    assert_non_null(strstr(out, "\033[2m      │   two\n"));
    assert_non_null(strstr(out, "      │ ValueError: boom\n\033[0m"));
    free(out);
    json_decref(r);
}

static void notes_fit_and_verdict_wrap(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, "cpu", 0);
    const char *tail =
        "  GIL latency probe (a 1 ms sleep in a loop; how late it ran again; one extra run per cell):\n"
        "    threads × 2        p50 5.10 ms · p99 9.87 ms · max 10.20 ms over 40 wake-ups; waiting for a\n"
        "      core: 0.01 ms per wake-up\n"
        "  note: the sampler used 3.0% of one core in a diagnostic run at 1000 Hz (threads × 2)\n"
        "  scaling (speedup against workers):\n"
        "    processes  Amdahl on min(workers, cores), relative to its 1-worker run: serial fraction 0.020 ±\n"
        "        0.010 (r² 0.990)\n"
        "      flat past 2 workers because the 2 cores run out, not from a serial fraction (ignoring the\n"
        "        cores it would read 0.242); predicted 1.96× [1.94, 1.98] of its 1-worker speed at 8 workers\n"
        "        (extrapolated)\n"
        "  verdict: a tie between processes/fork × 4 and processes/fork × 2, 1.94× [1.90, 1.98] — cores\n"
        "    saturated: 1.94× on 2 cores\n";
    size_t n = strlen(out), m = strlen(tail);
    assert_true(n > m);
    assert_string_equal(out + n - m, tail);
    free(out);
    /* Too few wake-ups for a p99: the report leaves it null, the line leaves it out. */
    json_t *probe = json_object_get(json_array_get(json_object_get(r, "cells"), 1), "gil_latency_ms");
    json_object_set_new(probe, "p99", json_null());
    out = render(r, "cpu", 0);
    assert_non_null(strstr(out, "    threads × 2        p50 5.10 ms · max 10.20 ms over 40 wake-ups; waiting for a core:"));
    assert_null(strstr(out, "p99"));
    free(out);
    json_decref(r);
}

static void empty_workload_overheads(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, "empty", 0);
    /* The heading and its sizes do not fit one line: the sizes go under it. */
    assert_int_equal(strncmp(out, "\nempty — nothing (mixed)\n  8 tasks × size 1 (--size auto: the run time does not grow "
                                  "with size; default kept)\n", 108), 0);
    /* 0.4 ms and 2 ms: one unit, the smallest with two digits. */
    has_line(out, "  serial          1      0.40 ms  1.00×                        —         —              —");
    has_line(out, "  threads         2      2.00 ms  0.20× [0.19, 0.21]        1.00         —              —");
    has_line(out, "  overheads (empty tasks): fixed = pool start-up; per task = (wall − start-up) / 8 tasks");
    has_line(out, "    serial       fixed    0.00 ms  per task     50.0 µs");
    has_line(out, "    threads × 2  fixed    0.90 ms  per task    137.5 µs");
    has_line(out, "  verdict: serial, 1.00× — nothing beats serial");
    assert_null(strstr(out, "note:")); /* no process wall: no sampler share */
    assert_null(strstr(out, "load average")); /* machine warnings are the header's */
    free(out);
    json_decref(r);
}

/* After the last table: one line per cause naming the workloads and cells,
 * leaving out the header's; -v lists each under its workload instead. */
static void warnings_one_line_per_cause(void **state) {
    (void)state;
    json_t *r = report();
    json_t *shown = json_pack("[{s:s}]", "message", "load average 3.00 at start");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gs_table_style st = {0, 100, 0, 0};
    gs_table_warnings(f, r, shown, &st);
    fclose(f);
    assert_string_equal(buf, "\n"
                             "warning: runs vary by more than 5% in cpu: threads × 2 (9.0%), serial (6.0%); empty: serial "
                             "(7.5%) —\n"
                             "    raise --runs\n"
                             "warning: empty: serial × 1: runs of 400 µs are too short\n"
                             "warning: fewer runs than 6 in cpu (5 runs); empty (5 runs) — use --runs 6\n"
                             "(one line per cause: -v lists every warning; the JSON report keeps them all)\n");
    free(buf);
    /* -v: the workloads' warnings under their tables, each on its own... */
    st.verbose = 1;
    char *out = render_in(r, "cpu", st);
    has_line(out, "  warning: threads × 2: runs vary by 9.0%");
    has_line(out, "  warning: serial × 1: runs vary by 6.0%");
    has_line(out, "  warning: 5 runs per cell");
    free(out);
    /* ... and at the end only the machine's not shown yet. */
    buf = NULL;
    f = open_memstream(&buf, &len);
    gs_table_warnings(f, r, shown, &st);
    gs_table_warnings(f, r, NULL, &st);
    fclose(f);
    assert_string_equal(buf, "warning: load average 3.00 at start\n");
    free(buf);
    json_decref(shown);
    json_decref(r);
}

static void failed_and_unknown_workloads(void **state) {
    (void)state;
    json_t *r = report();
    char *out = render(r, "broken", 0);
    assert_string_equal(out, "\nbroken\n  FAILED: broken.py: SyntaxError\n");
    free(out);
    out = render(r, "broken", 1);
    assert_string_equal(out, "\n\033[1mbroken\033[0m\n  \033[31mFAILED\033[0m: broken.py: SyntaxError\n");
    free(out);
    out = render(r, "nosuch", 1);
    assert_string_equal(out, "");
    free(out);
    json_decref(r);
}

/* An experiment: its serial row, one row per strategy unavailable at every
 * worker count for one reason, then its figures with the run they come
 * from, and its sentence wrapped under them; no verdict. */
static void experiment_figures(void **state) {
    (void)state;
    const char *text =
        "{'schema_version': 2, 'metadata': {'cores': 2, 'python': {'version': '3.11.7', 'gil_enabled': true}, 'tasks': 2},"
        " 'workloads': [{'name': 'convoy', 'description': 'the convoy effect', 'kind': 'io', 'size': 250, 'error': null,"
        "  'measures': [{'key': 'k', 'label': 'CPU threads', 'unit': ''}, {'key': 'r', 'label': 'requests', 'unit': '/s'},"
        "   {'key': 'l', 'label': 'latency p50', 'unit': 'ms'}]}],"
        " 'cells': ["
        "  {'workload': 'convoy', 'strategy': 'serial', 'workers': 1, 'available': true, 'error': null, 'states': null,"
        "   'wall_s': {'median': 0.5, 'ci_low': 0.49, 'ci_high': 0.51, 'ci_level': 0.9375, 'n': 6}, 'speedup': {'value': 1.0},"
        "   'measured': {'run': 7, 'values': [[0, 9223.1, 0.109], [1, 174.2, 5.2679]],"
        "    'explanation': 'With one CPU-bound thread beside it, the I/O thread made 174 requests/s, 1.9% of the 9,223 it made alone.'}},"
        "  {'workload': 'convoy', 'strategy': 'threads', 'workers': 2, 'available': false, 'unavailable_reason': 'not applicable', 'wall_s': null},"
        "  {'workload': 'convoy', 'strategy': 'threads', 'workers': 4, 'available': false, 'unavailable_reason': 'not applicable', 'wall_s': null}],"
        " 'runs': [], 'verdicts': [], 'warnings': [], 'fits': []}";
    char *t = strdup(text);
    for (char *p = t; *p; p++)
        if (*p == '\'') *p = '"';
    json_t *r = json_loads(t, 0, NULL);
    free(t);
    assert_non_null(r);
    char *out = render_in(r, "convoy", (gs_table_style){0, 60, 0, 0});
    has_line(out, "  threads       2,4  unavailable: not applicable");
    has_line(out, "  figures (serial, measured in the run of median wall of 6):");
    has_line(out, "    CPU threads  requests  latency p50");
    has_line(out, "              0   9,223/s     0.109 ms");
    has_line(out, "              1     174/s      5.27 ms");
    has_line(out, "  With one CPU-bound thread beside it, the I/O thread made");
    has_line(out, "  174 requests/s, 1.9% of the 9,223 it made alone.");
    assert_null(strstr(out, "verdict"));
    free(out);
    json_decref(r);
}

/* Colour codes only with color, and the same text around them. */
static void colour_only_when_asked(void **state) {
    (void)state;
    json_t *r = report();
    gs_table_style plain_st = {0, 100, 0, 1}, colour_st = {1, 100, 0, 1};
    char *plain = render_in(r, "cpu", plain_st), *coloured = render_in(r, "cpu", colour_st);
    assert_null(strchr(plain, '\033'));
    assert_non_null(strstr(coloured, "\n\033[1mcpu\033[0m — arithmetic"));
    assert_non_null(strstr(coloured, "  \033[1mverdict\033[0m: a tie between"));
    assert_non_null(strstr(coloured, "  \033[2munavailable: needs a newer interpreter\033[0m\n"));
    assert_non_null(strstr(coloured, "\033[31mFAILED\033[0m: task 1 raised"));
    assert_non_null(strstr(coloured, "      \033[31mDISAGREES\033[0m: results disagree"));
    assert_non_null(strstr(coloured, "  \033[2mnote\033[0m: the sampler"));
    assert_non_null(strstr(coloured, "  \033[31mwarning\033[0m: threads × 2"));
    /* Without the escape sequences, the same table, wrapped the same. */
    char *p = coloured, *q = coloured;
    while (*p) {
        if (*p == '\033') p = strchr(p, 'm') + 1;
        else *q++ = *p++;
    }
    *q = '\0';
    assert_string_equal(coloured, plain);
    free(plain);
    free(coloured);
    json_decref(r);
}

/* The golden report: every row as wide as the column heads, the figures
 * right-aligned under them, the whole within 100 columns; the kind not
 * repeated after a description that names it. */
static void golden_report_aligns(void **state) {
    (void)state;
    char path[4096];
    snprintf(path, sizeof(path), "%s/report.json", getenv("GS_GOLDEN") ? getenv("GS_GOLDEN") : "tests/golden");
    json_error_t e;
    json_t *r = json_load_file(path, 0, &e);
    if (r == NULL) fail_msg("%s: %s", path, e.text);
    char *out = render(r, "cpu", 0);
    assert_int_equal(strncmp(out, "\ncpu — pure-Python arithmetic (CPU-bound) · 8 tasks × size 200000\n", 68), 0);
    char *head = strstr(out, "\n  strategy ");
    assert_non_null(head);
    head++;
    size_t head_w = width_of(head, strcspn(head, "\n"));
    assert_int_equal(head_w, 2 + 14 + 2 + 7 + 2 + 11 + 2 + 18 + 2 + 10 + 2 + 8 + 2 + 13);
    int rows = 0;
    for (char *line = strchr(head, '\n') + 1; strncmp(line, "  verdict", 9) != 0; line = strchr(line, '\n') + 1) {
        assert_int_equal(width_of(line, strcspn(line, "\n")), head_w);
        rows++;
    }
    assert_int_equal(rows, 7);
    has_line(out, "  processes/fork        2      77.7 ms  1.71× [1.62, 1.76]        1.90        0%   core wait 3%");
    has_line(out, "  verdict: processes/fork × 2, 1.71× [1.62, 1.76] — cores saturated: 1.71× on 2 cores (1.90 cores");
    fits(out, 100);
    free(out);
    json_decref(r);
}

/* The python object of the recorded hello of a free-threaded build
 * (tests/fixtures/hello/free-threaded-3.13t.json). */
static json_t *free_threaded_python(void) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/hello/free-threaded-3.13t.json",
             getenv("GS_FIXTURES") ? getenv("GS_FIXTURES") : "tests/fixtures");
    json_error_t e;
    json_t *hello = json_load_file(path, 0, &e);
    if (hello == NULL) fail_msg("%s: %s", path, e.text);
    json_t *py = json_incref(json_object_get(hello, "python"));
    json_decref(hello);
    return py;
}

/* A free-threaded build without its GIL says so in the header, and its GIL
 * wait column says there was no GIL ("—"), whatever the states hold. */
static void free_threaded_header_and_gil_column(void **state) {
    (void)state;
    json_t *r = report(), *m = json_object_get(r, "metadata");
    json_object_set_new(m, "python", free_threaded_python());
    json_object_set_new(m, "interpreter", json_string("/usr/bin/python3.13t"));
    char *out = render(r, NULL, 0);
    has_line(out, "gilscope 9.9.9 · CPython 3.13.0 (free-threaded, GIL disabled) · 2 cores · /usr/bin/python3.13t");
    free(out);
    out = render(r, "cpu", 0);
    char *row = strstr(out, "\n  threads  "); /* threads × 2, the first threads row */
    assert_non_null(row);
    row[strcspn(row + 1, "\n") + 1] = '\0';
    assert_non_null(strstr(row, "—"));
    assert_null(strstr(row, "48%"));
    free(out);
    json_decref(r);
}

/* Two interpreters of one run (a merged report): one matrix, the Pythons
 * side by side with their speedup and GIL wait, why a cell is missing, a
 * verdict each and what changed. */
static void interpreters_side_by_side(void **state) {
    (void)state;
    json_t *in[2] = {report(), report()};
    json_object_set_new(json_object_get(in[1], "metadata"), "python", free_threaded_python());
    /* The second ran serial faster, its interval apart from the first's. */
    json_t *c, *ws;
    size_t i;
    json_array_foreach(json_object_get(in[1], "cells"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "strategy")), "serial") != 0) continue;
        ws = json_object_get(c, "wall_s");
        if (json_real_value(json_object_get(ws, "median")) < 1) continue;
        json_object_set_new(ws, "median", json_real(1.0));
        json_object_set_new(ws, "ci_low", json_real(0.9));
        json_object_set_new(ws, "ci_high", json_real(1.1));
    }
    const char *labels[] = {"3.12.1", "3.13.0t"};
    char err[256];
    json_t *r = gs_merge_labelled(in, labels, 2, NULL, err, sizeof(err));
    assert_non_null(r);
    char *out = render(r, "cpu", 0);
    has_line(out, "                                          3.12.1                3.13.0t");
    has_line(out, "  strategy        workers      speedup  GIL wait      speedup  GIL wait");
    has_line(out, "  threads               2        0.99×       48%        0.99×         —");
    has_line(out, "  threads               4  unavailable            unavailable");
    /* One line per reason, naming every interpreter it concerns. */
    has_line(out, "  threads unavailable on 3.12.1, 3.13.0t: needs a newer interpreter");
    has_line(out, "  FAILED on 3.13.0t: to_thread × 4: task 1 raised ValueError: boom");
    assert_non_null(strstr(out, "\n  verdict (3.12.1): a tie between processes/fork × 4 and processes/fork × 2, 1.94×"));
    assert_non_null(strstr(out, "\n  verdict (3.13.0t): a tie between processes/fork × 4"));
    assert_non_null(strstr(out, "\n  between interpreters: serial ran 1.500 s on 3.12.1, 1.000 s on 3.13.0t (1.50× faster); the best\n"
                                "    stayed processes/fork × 4\n"));
    fits(out, 100);
    free(out);
    out = render(r, NULL, 0);
    has_line(out, "  3.13.0t: CPython 3.13.0 (free-threaded, GIL disabled) · /usr/bin/python3.12");
    free(out);
    /* An experiment runs as long as it is told: no comparison of its wall times. */
    json_array_foreach(json_object_get(r, "workloads"), i, c) json_object_set_new(c, "measures", json_array());
    out = render(r, "cpu", 0);
    assert_null(strstr(out, "between interpreters"));
    free(out);
    json_decref(r);
    json_decref(in[0]);
    json_decref(in[1]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_threaded_header_and_gil_column),
        cmocka_unit_test(interpreters_side_by_side),
        cmocka_unit_test(header_names_interpreter_runs_and_machine_warnings),
        cmocka_unit_test(rows),
        cmocka_unit_test(wide_rows),
        cmocka_unit_test(narrow_terminals_drop_columns_in_order),
        cmocka_unit_test(failure_details),
        cmocka_unit_test(notes_fit_and_verdict_wrap),
        cmocka_unit_test(empty_workload_overheads),
        cmocka_unit_test(warnings_one_line_per_cause),
        cmocka_unit_test(failed_and_unknown_workloads),
        cmocka_unit_test(colour_only_when_asked),
        cmocka_unit_test(experiment_figures),
        cmocka_unit_test(golden_report_aligns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
