/* Lesson "interpreters": pure-Python arithmetic (the cpu workload) on threads
 * that share one GIL, on subinterpreters that each have their own (3.12+),
 * and on processes; and what a build without a GIL changes. What the text
 * claims, and from which figures:
 * - the threads' speedup and their GIL wait share (cells[].states.wait_gil),
 *   or, on a build without a GIL (metadata gil_enabled false), that there is
 *   none to wait for;
 * - the subinterpreters' speedup, GIL wait and start-up against the threads'
 *   and the processes', a difference only when one speedup interval lies
 *   wholly above the other; when they did not run, the reason the report
 *   gives (e.g. this Python is older than 3.12);
 * - on one usable core, that one core cannot show a parallel speedup;
 * - that no free-threaded build ran, when the interpreter had its GIL and is
 *   not a free-threaded build (metadata python.free_threaded); on one that
 *   ran with its GIL enabled, that. */
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "cpu"

void gs_lesson_interpreters_plan(gs_lesson_plan *p, int cores) {
    gs_lesson_plan_parallel(p, WORKLOAD, "serial,threads,processes,interpreters", cores);
}

/* The cell of strategy st, measured or not; NULL when there is none. */
static json_t *any_cell(json_t *report, const char *st) {
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (strcmp(gs_jstr(c, "workload"), WORKLOAD) == 0 && strcmp(gs_jstr(c, "strategy"), st) == 0) return c;
    }
    return NULL;
}

/* " (starting them took 12.0 ms)" when the cell has its pool's start-up. */
static void startup(json_t *c, const char *what, char *buf, size_t cap) {
    char t[32];
    buf[0] = '\0';
    if (!json_is_number(json_object_get(c, "pool_startup_s"))) return;
    gs_view_fmt_time(gs_jnum(c, "pool_startup_s"), GS_TIME_OWN, t, sizeof(t));
    snprintf(buf, cap, "; starting %s took %s", what, t);
}

/* "measurably faster than", "measurably slower than", or why neither. */
static void against(json_t *a, json_t *b, const char *bname, char *buf, size_t cap) {
    if (gs_lesson_faster(a, b)) snprintf(buf, cap, "measurably faster than %s", bname);
    else if (gs_lesson_faster(b, a)) snprintf(buf, cap, "measurably slower than %s", bname);
    else snprintf(buf, cap, "not measurably different from %s (%s)", bname, gs_lesson_why_neither(a, b));
}

int gs_lesson_interpreters_text(json_t *report, json_t *paras) {
    json_t *t, *p;
    if (gs_lesson_race_cells(report, paras, WORKLOAD, &t, &p) != 0) return -1;
    char python[96], ts[64], ps[64], gil[16];
    json_t *meta = json_object_get(report, "metadata");
    gs_view_interpreter(meta, python, sizeof(python));
    gs_view_fmt_speedup(t, 1, ts, sizeof(ts));
    gs_view_fmt_speedup(p, 1, ps, sizeof(ps));
    double g = gs_lesson_state(t, "wait_gil");
    gs_view_fmt_share(g, gil, sizeof(gil));
    int has_gil = gs_lesson_gil_enabled(report);
    long tw = (long)json_integer_value(json_object_get(t, "workers"));
    char why[256] = "";
    if (!has_gil)
        snprintf(why, sizeof(why), ": %s runs without a GIL (a free-threaded build), so there was none to wait for",
                 python);
    else if (g >= 0)
        snprintf(why, sizeof(why), ", their worker threads spending %s of their time waiting for it", gil);
    gs_lesson_say(paras, "On %ld threads, which share %s, the pure-Python work ran at %s the serial speed%s.", tw,
                  has_gil ? "one GIL" : "one interpreter", ts, why);

    char psu[160];
    startup(p, "the pool", psu, sizeof(psu));
    gs_lesson_say(paras, "%lld processes, each with its own interpreter%s, ran it at %s%s.",
                  (long long)json_integer_value(json_object_get(p, "workers")), has_gil ? " and its own GIL" : "", ps,
                  psu);

    json_t *i = gs_lesson_cell(report, WORKLOAD, "interpreters"), *raw = any_cell(report, "interpreters");
    int ok = 1;
    if (i == NULL) {
        const char *reason = raw ? gs_view_why_unmeasured(raw) : "it was not part of the run";
        gs_lesson_say(paras, "Subinterpreters did not run on %s: %s. From Python 3.12 each subinterpreter can have its "
                             "own GIL, so threads of one process can run Python in parallel; gilscope teach "
                             "interpreters --python 3.13 runs this lesson on another interpreter.",
                      python, reason);
        ok = raw != NULL && json_is_string(json_object_get(raw, "unavailable_reason"));
    } else {
        char is[64], ig[96] = "", su[160], vs_t[160], vs_p[160];
        gs_view_fmt_speedup(i, 1, is, sizeof(is));
        double gi = gs_lesson_state(i, "wait_gil");
        if (gi >= 0) {
            char share[16];
            gs_view_fmt_share(gi, share, sizeof(share));
            snprintf(ig, sizeof(ig), ", their threads spending %s of their time waiting for a GIL", share);
        }
        startup(i, "them (an interpreter each, the workload loaded in it)", su, sizeof(su));
        against(i, t, "the threads", vs_t, sizeof(vs_t));
        against(i, p, "the processes", vs_p, sizeof(vs_p));
        gs_lesson_say(paras, "On %lld subinterpreters, one per thread of a single process%s, it ran at %s%s%s. They were "
                             "%s, and %s.",
                      (long long)json_integer_value(json_object_get(i, "workers")),
                      has_gil ? " and each with its own GIL" : "", is, ig, su, vs_t, vs_p);
    }
    if (gs_lesson_one_core(report, i ? i : p, t)) gs_lesson_say_one_core(paras, report, p, t);
    json_t *py = json_object_get(meta, "python");
    if (has_gil && json_is_true(json_object_get(py, "free_threaded")))
        gs_lesson_say(paras, "%s is a free-threaded build that ran with its GIL enabled (PYTHON_GIL=1, or an extension "
                             "module that needs it turned it on): its threads shared one GIL here.", python);
    else if (has_gil)
        gs_lesson_say(paras, "%s runs with its GIL. A free-threaded build (3.13t and later) runs threads without one; "
                             "no free-threaded build ran in this lesson (gilscope teach interpreters --python 3.13t "
                             "runs it on one).", python);
    return ok ? 0 : -1;
}
