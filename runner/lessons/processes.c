/* Lesson "processes": what a process pool costs before it can win, from the
 * empty workload (tasks that do nothing) serially, on threads and on
 * processes. What the text claims, and from which figures:
 * - the pool's start-up (cells[].pool_startup_s) and the cost of each empty
 *   task in it (cells[].per_task_s) against the threads' and serial's;
 * - what sending one task and its result as pickles costs, measured
 *   (cells[].transfer), only when the report has it;
 * - that a task must do more work than the pool's per-task cost to gain from
 *   it: the arithmetic of those two figures, not a measured break-even. */
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "empty"

void gs_lesson_processes_plan(gs_lesson_plan *p, int cores) {
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial,threads,processes", "--tasks", "64", "--runs", "6",
                          "--warmup", "1", "--workers"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
    gs_lesson_plan_add_int(p, gs_lesson_workers(cores));
}

int gs_lesson_processes_text(json_t *report, json_t *paras) {
    json_t *s = gs_lesson_cell(report, WORKLOAD, "serial"), *t = gs_lesson_cell(report, WORKLOAD, "threads");
    json_t *p = gs_lesson_cell(report, WORKLOAD, "processes");
    if (s == NULL || t == NULL || p == NULL || !json_is_number(json_object_get(p, "per_task_s")) ||
        !json_is_number(json_object_get(p, "pool_startup_s"))) {
        gs_lesson_say(paras, "This run has no measured serial, threads and processes cells of the %s workload with "
                             "their start-up and per-task costs, which this lesson reads; the table above says why.",
                      WORKLOAD);
        return -1;
    }
    char start[32], tstart[32], per[32], tper[32], sper[32];
    gs_view_fmt_time(gs_jnum(p, "pool_startup_s"), GS_TIME_OWN, start, sizeof(start));
    gs_view_fmt_time(gs_jnum(p, "per_task_s"), GS_TIME_OWN, per, sizeof(per));
    gs_view_fmt_time(gs_jnum(t, "per_task_s"), GS_TIME_OWN, tper, sizeof(tper));
    gs_view_fmt_time(gs_jnum(s, "per_task_s"), GS_TIME_OWN, sper, sizeof(sper));
    gs_view_fmt_time(json_is_number(json_object_get(t, "pool_startup_s")) ? gs_jnum(t, "pool_startup_s") : 0, GS_TIME_OWN, tstart, sizeof(tstart));
    const char *method = json_is_string(json_object_get(p, "start_method")) ? gs_jstr(p, "start_method") : "default";
    long w = (long)json_integer_value(json_object_get(p, "workers"));
    gs_lesson_say(paras, "Each task here does nothing, so what the table shows is what each strategy costs by itself. "
                         "Starting a pool of %ld processes (start method %s) took %s, against %s for %ld threads. "
                         "Then every task cost %s in the process pool, %s on threads and %s in a plain loop.",
                  w, method, start, tstart, (long)json_integer_value(json_object_get(t, "workers")), per, tper, sper);
    char text[512];
    if (gs_view_fmt_transfer(report, p, text, sizeof(text)) >= 0)
        gs_lesson_say(paras, "Part of each task's cost is sending it and its result between processes as pickles: "
                             "measured apart, %s.", text);
    char sp[64];
    gs_view_fmt_speedup(p, 1, sp, sizeof(sp));
    gs_lesson_say(paras, "So a process pool gains only when each task's own work is well above the %s it costs to "
                         "hand out, and the whole run well above the %s it costs to start: on these empty tasks the pool "
                         "ran at %s the plain loop's speed.", per, start, sp);
    return 0;
}
