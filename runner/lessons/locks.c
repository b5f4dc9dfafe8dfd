/* Lesson "locks": the locks experiment (a shared counter updated by one and
 * by four threads, without and with a threading.Lock), from the figures of
 * its run of median wall (cells[].measured). What the text claims, and from
 * which figures:
 * - the updates the threads counted without a lock against those expected,
 *   and the share lost; that the GIL did not prevent it only when some were
 *   lost (when none was, that no switch fell between a read and its write in
 *   this run), and on a build without a GIL, that there was none;
 * - the updates counted with the lock;
 * - the time per update on one thread without and with the lock, and on the
 *   threads with it; "contention costs the rest" only when the contended
 *   lock cost more than half as much again as the uncontended one, "about the
 *   same" only within SAME either way, else the two figures alone (one run's
 *   figures: no interval). */
#include <math.h>
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "locks"
#define CONTENDED 1.5 /* the threads' locked update this many times the lone thread's: contention shows */
#define SAME 1.15     /* within this ratio either way: about the same */

void gs_lesson_locks_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "4", "--runs", "3", "--warmup", "0"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

typedef struct way {
    double threads, expected, counted, lost_pct, ns;
} way;

static int way_of(json_t *report, const char *name, way *w) {
    json_t *row = gs_lesson_row(report, WORKLOAD, "updates", name);
    if (row == NULL) return -1;
    *w = (way){gs_lesson_figure(report, WORKLOAD, row, "threads"), gs_lesson_figure(report, WORKLOAD, row, "expected"),
               gs_lesson_figure(report, WORKLOAD, row, "counted"), gs_lesson_figure(report, WORKLOAD, row, "lost_pct"),
               gs_lesson_figure(report, WORKLOAD, row, "ns_per_update")};
    return isfinite(w->threads) && isfinite(w->expected) && isfinite(w->counted) && isfinite(w->lost_pct) &&
                   isfinite(w->ns) && w->expected > 0
               ? 0
               : -1;
}

/* "200,000" */
static void count(double v, char *buf, size_t cap) {
    json_t *n = json_integer((json_int_t)v);
    gs_view_fmt_measure(n, "", buf, cap);
    json_decref(n);
}

int gs_lesson_locks_text(json_t *report, json_t *paras) {
    way one, bare, one_locked, locked;
    if (way_of(report, "one thread, no lock", &one) != 0 || way_of(report, "threads, no lock", &bare) != 0 ||
        way_of(report, "one thread, lock", &one_locked) != 0 || way_of(report, "threads, lock", &locked) != 0) {
        gs_lesson_say(paras, "This run has no measured figures of the four ways of updating the counter (the %s "
                             "workload with four tasks), which this lesson reads; the table above says why.", WORKLOAD);
        return -1;
    }
    char per[32], got[32], of[32], lgot[32], lof[32];
    count(bare.expected / bare.threads, per, sizeof(per));
    count(bare.counted, got, sizeof(got));
    count(bare.expected, of, sizeof(of));
    count(locked.counted, lgot, sizeof(lgot));
    count(locked.expected, lof, sizeof(lof));
    int has_gil = gs_lesson_gil_enabled(report);
    if (bare.counted < bare.expected)
        gs_lesson_say(paras, "%.0f threads each added 1 to a shared counter %s times: read it, compute the next value, "
                             "write it back. Without a lock they counted %s of %s updates: %.2f%% were lost. %s",
                      bare.threads, per, got, of, bare.lost_pct,
                      has_gil ? "The GIL runs one thread at a time, yet it can hand the interpreter to another thread "
                                "between a read and its write; the thread that resumes writes an old value over what "
                                "the others did. The GIL keeps the interpreter's own state safe, not this update."
                              : "This interpreter runs without a GIL: the threads ran at once and wrote over each "
                                "other's updates.");
    else
        gs_lesson_say(paras, "%.0f threads each added 1 to a shared counter %s times: read it, compute the next value, "
                             "write it back. Without a lock they counted all %s updates in this run: no thread switch "
                             "fell between a read and its write this time. Nothing in the code prevents one; a lock "
                             "does.", bare.threads, per, of);
    char lock_cost[160] = "";
    if (one_locked.ns > one.ns)
        snprintf(lock_cost, sizeof(lock_cost), ", so taking and releasing the lock cost %.0f ns", one_locked.ns - one.ns);
    gs_lesson_say(paras, "With a threading.Lock held around each update they counted %s of %s. On one thread an update "
                         "took %.0f ns without the lock and %.0f ns with it%s; on %.0f threads with the lock, %.0f ns.",
                  lgot, lof, one.ns, one_locked.ns, lock_cost, locked.threads, locked.ns);
    double ratio = one_locked.ns > 0 ? locked.ns / one_locked.ns : 0;
    if (ratio >= CONTENDED)
        gs_lesson_say(paras, "The difference, %.0f ns per update, is the threads waiting for the lock and handing it%s "
                             "to one another: a lock that threads contend for cost %.1f× one that nobody waits for.",
                      locked.ns - one_locked.ns, has_gil ? " (and the GIL)" : "", ratio);
    else if (ratio > 0 && ratio <= SAME && ratio >= 1 / SAME)
        gs_lesson_say(paras, "Contended by %.0f threads or taken by one, the lock cost about the same here (%.0f ns "
                             "against %.0f ns per update).", locked.threads, locked.ns, one_locked.ns);
    else
        gs_lesson_say(paras, "Contended by %.0f threads, an update with the lock took %.0f ns; taken by one thread, "
                             "%.0f ns.", locked.threads, locked.ns, one_locked.ns);
    return 0;
}
