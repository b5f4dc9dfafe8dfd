/* Lesson "release": sha256 of 1 MiB buffers (the hash workload), C code that
 * releases the GIL while it hashes, serially, on threads and on processes.
 * What the text claims, and from which figures:
 * - the threads' speedup and their GIL wait share (cells[].states.wait_gil)
 *   against the speedup their cores allow (cells[].shortfall.possible);
 * - on one usable core, that one core cannot show a parallel speedup;
 * - threads "enough" only when they ran in parallel (1.5× or more) and their
 *   interval is not wholly below the processes' one; a winner only when one
 *   interval lies wholly above. */
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "hash"
#define PARALLEL 1.5 /* a threads speedup at least this ran in parallel */

void gs_lesson_release_plan(gs_lesson_plan *p, int cores) {
    gs_lesson_plan_parallel(p, WORKLOAD, "serial,threads,processes", cores);
}

int gs_lesson_release_text(json_t *report, json_t *paras) {
    json_t *t, *p;
    if (gs_lesson_race_cells(report, paras, WORKLOAD, &t, &p) != 0) return -1;
    char ts[64], ps[64], gil[16], lost[160];
    gs_view_fmt_speedup(t, 1, ts, sizeof(ts));
    gs_view_fmt_speedup(p, 1, ps, sizeof(ps));
    double g = gs_lesson_state(t, "wait_gil"), tv = gs_jnum(json_object_get(t, "speedup"), "value");
    gs_view_fmt_share(g, gil, sizeof(gil));
    long tw = (long)json_integer_value(json_object_get(t, "workers"));
    int one = gs_lesson_one_core(report, p, t);
    char waited[96] = "";
    if (g >= 0) snprintf(waited, sizeof(waited), "; the worker threads spent %s of their time waiting for the GIL", gil);
    gs_lesson_say(paras, "hashlib computes sha256 in C and releases the GIL while it hashes a large buffer, so a "
                         "thread that hashes does not stop the others from running. On %ld threads the work ran at %s "
                         "the serial speed%s%s.",
                  tw, ts, tv >= PARALLEL ? ", in parallel" : "", waited);
    if (one) {
        gs_lesson_say_one_core(paras, report, p, t);
        return 0;
    }
    char cores[200], start[96] = "";
    gs_lesson_fmt_cores(report, cores, sizeof(cores));
    if (json_is_number(json_object_get(p, "pool_startup_s"))) {
        char took[32];
        double su = gs_jnum(p, "pool_startup_s");
        gs_view_fmt_time(su, GS_TIME_OWN, took, sizeof(took));
        snprintf(start, sizeof(start), " (the processes' pool took %s to start here)", took);
    }
    double possible = gs_jnum(json_object_get(t, "shortfall"), "possible");
    if (tv < PARALLEL && gs_lesson_fmt_largest_loss(t, lost, sizeof(lost)) == 0)
        gs_lesson_say(paras, "With %s the threads could have reached %.0f×; the largest part of what they lost was %s.",
                      cores, possible, lost);
    if (gs_lesson_faster(p, t))
        gs_lesson_say(paras, "Processes were measurably faster here (%s against %s): releasing the GIL was not enough "
                             "for these threads on this machine.", ps, ts);
    else if (tv < PARALLEL)
        gs_lesson_say(paras, "Processes reached %s against the threads' %s: neither ran the work in parallel here.", ps,
                      ts);
    else if (gs_lesson_faster(t, p))
        gs_lesson_say(paras, "Threads were measurably faster than processes (%s against %s): when the work runs in C "
                             "that releases the GIL, threads get the parallelism without a pool to start%s.",
                      ts, ps, start);
    else
        gs_lesson_say(paras, "Processes reached %s, not measurably more than the threads' %s: when the work runs in C "
                             "that releases the GIL, threads are enough, without a pool to start%s.", ps, ts, start);
    return 0;
}
