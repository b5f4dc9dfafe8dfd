/* Lesson "startmethods": the startmethods experiment (a multiprocessing.Pool
 * of 2 workers started under each start method the interpreter offers, its
 * first result, later round trips, shutdown), from the figures of its run of
 * median wall (cells[].measured). What the text claims, and from which
 * figures:
 * - each method's time to the first result, from fastest to slowest, and the
 *   slowest's as a multiple of the fastest's (arithmetic of the two);
 * - which method is this interpreter's default (metadata);
 * - the later round trips "about the same" only when the largest is within
 *   SAME of the smallest, else each as measured; the shutdowns as measured. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "startmethods"
#define SAME 1.25 /* per-task round trips within this ratio are "about the same" */

/* The methods, each with what it does (said only for the methods measured). */
static const char *const methods[] = {"fork", "forkserver", "spawn"};
static const char *const does[] = {
    "fork copies the running process, so its workers start with everything already imported",
    ("forkserver starts a server process the first time it is used (that is in its figure) and forks each worker "
     "from it"),
    "spawn starts a fresh interpreter for each worker, which imports what it needs before its first task"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))
_Static_assert(sizeof(does) / sizeof(does[0]) == NMETHODS, "one description per method");

void gs_lesson_startmethods_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "4", "--runs", "3", "--warmup", "0"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

typedef struct method {
    const char *name, *does;
    double start_ms, task_us, shutdown_ms;
} method;

static int by_start(const void *a, const void *b) {
    double x = ((const method *)a)->start_ms, y = ((const method *)b)->start_ms;
    return (x > y) - (x < y);
}

/* "fork 6.5 ms, forkserver 36.2 ms and spawn 55.9 ms" from field at offset off. */
static void list(const method *m, size_t n, size_t off, const char *unit, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        double v = *(const double *)((const char *)&m[i] + off);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s %.1f %s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                                m[i].name, v, unit);
    }
}

int gs_lesson_startmethods_text(json_t *report, json_t *paras) {
    method m[NMETHODS];
    size_t n = 0;
    for (size_t i = 0; i < NMETHODS; i++) {
        json_t *row = gs_lesson_row(report, WORKLOAD, "method", methods[i]);
        if (row == NULL) continue;
        method x = {methods[i], does[i], gs_lesson_figure(report, WORKLOAD, row, "start_ms"),
                    gs_lesson_figure(report, WORKLOAD, row, "task_us"),
                    gs_lesson_figure(report, WORKLOAD, row, "shutdown_ms")};
        if (isfinite(x.start_ms) && isfinite(x.task_us) && isfinite(x.shutdown_ms) && x.start_ms > 0 && x.task_us > 0)
            m[n++] = x;
    }
    if (n < 2) {
        gs_lesson_say(paras, "This run has figures of fewer than two start methods (the %s workload with one task per "
                             "method), which this lesson compares; the table above says why.", WORKLOAD);
        return -1;
    }
    qsort(m, n, sizeof(m[0]), by_start);
    char starts[256], tasks[256], downs[256], dflt[96] = "";
    list(m, n, offsetof(method, start_ms), "ms", starts, sizeof(starts));
    list(m, n, offsetof(method, task_us), "µs", tasks, sizeof(tasks));
    list(m, n, offsetof(method, shutdown_ms), "ms", downs, sizeof(downs));
    const char *d = gs_view_pool_start_method(json_object_get(report, "metadata"));
    if (d && *d) snprintf(dflt, sizeof(dflt), " (this interpreter's default is %s)", d);
    gs_lesson_say(paras, "Starting a pool of 2 worker processes and waiting for its first result took %s%s: %s took "
                         "%.1f× as long as %s.", starts, dflt, m[n - 1].name, m[n - 1].start_ms / m[0].start_ms,
                  m[0].name);
    char again[160] = "";
    json_t *row = gs_lesson_row(report, WORKLOAD, "method", "forkserver again");
    double a = row ? gs_lesson_figure(report, WORKLOAD, row, "start_ms") : NAN;
    if (isfinite(a) && a > 0)
        snprintf(again, sizeof(again), " A second forkserver pool, its server already running, took %.1f ms.", a);
    char what[640] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof(what); i++) /* in the order of the figures above */
        len += (size_t)snprintf(what + len, sizeof(what) - len, "%s%s", i ? "; " : "", m[i].does);
    gs_lesson_say(paras, "%s.%s", what, again);
    double lo = m[0].task_us, hi = m[0].task_us;
    for (size_t i = 1; i < n; i++) {
        lo = m[i].task_us < lo ? m[i].task_us : lo;
        hi = m[i].task_us > hi ? m[i].task_us : hi;
    }
    if (hi <= SAME * lo)
        gs_lesson_say(paras, "Once started, a task's round trip took about the same under each (%s): here the start "
                         "method changed what a pool cost to start, not what a task cost once it ran. Shutting down "
                         "took %s.", tasks, downs);
    else
        gs_lesson_say(paras, "Once started, a task's round trip took %s, and shutting down %s.", tasks, downs);
    return 0;
}
