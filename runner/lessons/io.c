/* Lesson "io": eight HTTP requests to gilscope's loopback service, each
 * answered after 50 ms (the http workload: real sockets, blocking urllib,
 * asyncio streams for the coroutines), serially, on threads, through
 * asyncio.to_thread and as coroutines on one event loop.
 * What the text claims, and from which figures:
 * - each strategy's speedup against the eight the waits allow;
 * - that the waiting threads did not hold the GIL: their share of time
 *   asleep or in I/O (states sleep + wait_io) against their GIL wait;
 * - that no cores were needed: the cores the threads kept busy
 *   (cells[].cores_used), said only when it is below one. */
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "http"

void gs_lesson_io_plan(gs_lesson_plan *p, int cores) {
    (void)cores; /* waiting needs no cores */
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial,threads,to_thread,asyncio", "--runs", "6",
                          "--warmup", "1", "--tasks", "8", "--workers", "8", "--size", "50"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

int gs_lesson_io_text(json_t *report, json_t *paras) {
    json_t *s = gs_lesson_cell(report, WORKLOAD, "serial"), *t = gs_lesson_cell(report, WORKLOAD, "threads");
    if (s == NULL || t == NULL) {
        gs_lesson_say(paras, "This run has no measured serial and threads cells of the %s workload, which this "
                             "lesson reads; the table above says why.", WORKLOAD);
        return -1;
    }
    char serial[32];
    double sw = gs_jnum(json_object_get(s, "wall_s"), "median");
    gs_view_fmt_time(sw, GS_TIME_OWN, serial, sizeof(serial));
    long tasks = (long)json_integer_value(json_object_get(json_object_get(report, "metadata"), "tasks"));
    long size = (long)json_integer_value(json_object_get(gs_view_workload(report, WORKLOAD), "size"));
    char list[512] = "";
    size_t len = 0;
    const char *names[] = {"threads", "to_thread", "asyncio"};
    const char *labels[] = {"threads", "asyncio.to_thread", "asyncio coroutines on one event loop"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        json_t *c = gs_lesson_cell(report, WORKLOAD, names[k]);
        if (c == NULL) continue;
        char sp[64];
        gs_view_fmt_speedup(c, 1, sp, sizeof(sp));
        int n = snprintf(list + len, sizeof(list) - len, "%s%s %s", len ? "; " : "", labels[k], sp);
        if (n > 0 && len + (size_t)n < sizeof(list)) len += (size_t)n;
    }
    gs_lesson_say(paras, "%ld HTTP requests to gilscope's loopback service, each answered after %ld ms, took %s one "
                         "after another. Waiting together, against the %ld× the waits allow: %s.", tasks, size, serial,
                  tasks, list);
    double asleep = gs_lesson_state(t, "sleep"), io = gs_lesson_state(t, "wait_io"), g = gs_lesson_state(t, "wait_gil");
    if (asleep >= 0) {
        char a[16], gil[16];
        gs_view_fmt_share((asleep > 0 ? asleep : 0) + (io > 0 ? io : 0), a, sizeof(a));
        gs_view_fmt_share(g, gil, sizeof(gil));
        gs_lesson_say(paras, "A thread that waits in a blocking call releases the GIL first: the worker threads spent "
                             "%s of their time asleep or waiting for I/O and %s waiting for the GIL.", a, gil);
    }
    double cu = gs_jnum(t, "cores_used");
    if (json_is_number(json_object_get(t, "cores_used")) && cu < 1)
        gs_lesson_say(paras, "None of this needed cores: the threads kept %.2f of a core busy. Waiting overlaps on one "
                             "core as well as on many; it is the CPU-bound work of the gil lesson that needs them.", cu);
    return 0;
}
