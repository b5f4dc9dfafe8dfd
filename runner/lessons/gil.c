/* Lesson "gil": pure-Python arithmetic (the cpu workload) serially, on
 * threads and on processes. What the text claims, and from which figures:
 * - threads "slower" when their interval lies below 1×, "no faster" when it
 *   holds 1×, "barely faster" below 1.15×; why: the GIL
 *   wait share of their worker threads (cells[].states.wait_gil), or on one
 *   core the wait for the core beside it;
 * - on one usable core (affinity, or the capacity measured) it says one core
 *   cannot show a parallel speedup and names no winner;
 * - otherwise processes against the speedup the cores allow
 *   (cells[].shortfall.possible), the largest cause of what they lost, and a
 *   winner only when one speedup interval lies wholly above the other. */
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "cpu"
#define NO_FASTER 1.15 /* a threads speedup below this is "no faster" */
#define MATERIAL 0.10  /* a share of worker time worth naming */

void gs_lesson_gil_plan(gs_lesson_plan *p, int cores) {
    gs_lesson_plan_parallel(p, WORKLOAD, "serial,threads,processes", cores);
}

int gs_lesson_gil_text(json_t *report, json_t *paras) {
    json_t *s = gs_lesson_cell(report, WORKLOAD, "serial"), *t = gs_lesson_cell(report, WORKLOAD, "threads");
    json_t *p = gs_lesson_cell(report, WORKLOAD, "processes");
    if (s == NULL || t == NULL) {
        gs_lesson_say(paras, "This run has no measured serial and threads cells of the %s workload, which this "
                             "lesson reads; the table above says why.", WORKLOAD);
        return -1;
    }
    char serial[32], ts[64], gil[16], core[16];
    gs_view_fmt_time(gs_jnum(json_object_get(s, "wall_s"), "median"), GS_TIME_OWN, serial, sizeof(serial));
    gs_view_fmt_speedup(t, 1, ts, sizeof(ts));
    long tw = (long)json_integer_value(json_object_get(t, "workers"));
    double tv = gs_jnum(json_object_get(t, "speedup"), "value");
    double g = gs_lesson_state(t, "wait_gil"), k = gs_lesson_state(t, "wait_core");
    gs_view_fmt_share(g, gil, sizeof(gil));
    gs_view_fmt_share(k, core, sizeof(core));
    double delivered;
    int usable = gs_lesson_usable_cores(report, &delivered), one = gs_lesson_one_core(report, p, t);
    int has_gil = gs_lesson_gil_enabled(report);

    /* Threads. */
    char why[512] = "";
    if (!has_gil)
        snprintf(why, sizeof(why), " This interpreter runs without a GIL (a free-threaded build): its threads run "
                                   "Python in parallel when there are cores for them.");
    else if (g >= MATERIAL)
        snprintf(why, sizeof(why), " Only the thread that holds the GIL runs Python bytecode; the others wait for it, "
                                   "and the worker threads spent %s of their time doing so (the GIL wait column).", gil);
    else if (one && k >= MATERIAL)
        snprintf(why, sizeof(why), " With one core, one thread runs at a time whatever the GIL does: the worker "
                                   "threads spent %s of their time waiting for the core, %s waiting for the GIL.",
                 core, gil);
    else if (g >= 0)
        snprintf(why, sizeof(why), " The worker threads spent %s of their time waiting for the GIL.", gil);
    double lo = tv, hi = tv; /* without an interval, the point value */
    gs_lesson_interval(t, &lo, &hi);
    const char *verdict = hi < 1 ? ": slower" : lo <= 1 ? ": no faster" : tv < NO_FASTER ? ": barely faster" : "";
    char busy[64] = "";
    if (json_is_number(json_object_get(t, "cores_used")))
        snprintf(busy, sizeof(busy), " Together the threads kept %.2f cores busy.", gs_jnum(t, "cores_used"));
    gs_lesson_say(paras, "A serial run did the work in %s. On %ld threads the same pure-Python work ran at %s the serial "
                         "speed%s.%s%s", serial, tw, ts, verdict, why, busy);

    /* Processes. */
    if (p == NULL) {
        gs_lesson_say(paras, "The processes cell was not measured (the table says why), so this run cannot show what "
                             "a process pool buys.");
        return -1;
    }
    char ps[64], cores[200];
    gs_view_fmt_speedup(p, 1, ps, sizeof(ps));
    gs_lesson_fmt_cores(report, cores, sizeof(cores));
    long pw = (long)json_integer_value(json_object_get(p, "workers"));
    if (one) {
        gs_lesson_say_one_core(paras, report, p, t);
        if (has_gil && g >= 0)
            gs_lesson_say(paras, "What one core does show: threads cost nothing in parallelism here, because there "
                                 "was none to lose; the GIL only decides which thread runs, and %s of the worker "
                                 "threads' time went to waiting for it.", gil);
        return 0;
    }
    double possible = gs_jnum(json_object_get(p, "shortfall"), "possible");
    char lost[160], why_lost[256] = "", start[32], took[96] = "";
    if (gs_lesson_fmt_largest_loss(p, lost, sizeof(lost)) == 0)
        snprintf(why_lost, sizeof(why_lost), " Of the time they lost against that ideal, the largest part was %s.", lost);
    if (json_is_number(json_object_get(p, "pool_startup_s"))) {
        double su = gs_jnum(p, "pool_startup_s");
        gs_view_fmt_time(su, GS_TIME_OWN, start, sizeof(start));
        snprintf(took, sizeof(took), " Starting the pool took %s.", start);
    }
    gs_lesson_say(paras, "%ld processes, each with its own interpreter and its own GIL, ran it at %s, of the %.0f× "
                         "that %s allow.%s%s",
                  pw, ps, possible > 0 ? possible : (double)(pw < usable ? pw : usable), cores, why_lost, took);
    if (gs_lesson_faster(p, t))
        gs_lesson_say(paras, "Processes won: their speedup interval lies wholly above the threads'.%s",
                      has_gil ? " For CPU-bound pure Python on an interpreter with a GIL, a process pool is how to use "
                                "more than one core." : "");
    else if (gs_lesson_faster(t, p))
        gs_lesson_say(paras, "Threads were measurably faster than processes here (%s against %s)%s.", ts, ps,
                      has_gil ? "" : ": without a GIL, threads run in parallel and skip the processes' start-up "
                                 "and pickling");
    else
        gs_lesson_say(paras, "Neither was measurably faster than the other here: %s (threads %s, processes %s).",
                      gs_lesson_why_neither(t, p), ts, ps);
    return 0;
}
