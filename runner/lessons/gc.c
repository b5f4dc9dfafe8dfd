/* Lesson "gc": the gc experiment (ints, then small objects kept in a list,
 * each built with Python's cyclic collector on and off in the same process),
 * from the figures of its run of median wall (cells[].measured). What the
 * text claims, and from which figures:
 * - each kind's time with the collector on and off, and the collections it
 *   ran while the kind was built;
 * - for the ints, that the difference is not the collector's only when no
 *   collection ran;
 * - that the collector "matters" for the objects only when it ran and its
 *   share of their time is 20% or more, else that it mattered little or, with
 *   no collection, nothing here. */
#include <math.h>
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "gc"
#define MATTERS 20.0 /* the collector's share, in percent, worth a lesson */

void gs_lesson_gc_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "2", "--runs", "3", "--warmup", "0",
                          "--size", "300000"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

typedef struct pass {
    double on_ms, off_ms, share, collections;
} pass;

static int pass_of(json_t *report, const char *name, pass *p) {
    json_t *row = gs_lesson_row(report, WORKLOAD, "values", name);
    if (row == NULL) return -1;
    *p = (pass){gs_lesson_figure(report, WORKLOAD, row, "on_ms"), gs_lesson_figure(report, WORKLOAD, row, "off_ms"),
                gs_lesson_figure(report, WORKLOAD, row, "gc_share_pct"),
                gs_lesson_figure(report, WORKLOAD, row, "collections")};
    return isfinite(p->on_ms) && isfinite(p->off_ms) && isfinite(p->share) && isfinite(p->collections) ? 0 : -1;
}

int gs_lesson_gc_text(json_t *report, json_t *paras) {
    pass ints, objs;
    if (pass_of(report, "ints", &ints) != 0 || pass_of(report, "objects", &objs) != 0) {
        gs_lesson_say(paras, "This run has no measured figures of the ints and the objects (the %s workload with two "
                             "tasks), which this lesson reads; the table above says why.", WORKLOAD);
        return -1;
    }
    char size[32];
    gs_view_fmt_measure(json_object_get(gs_view_workload(report, WORKLOAD), "size"), "", size, sizeof(size));
    if (objs.collections <= 0) {
        gs_lesson_say(paras, "Building %s small objects and keeping them in a list took %.1f ms with Python's cyclic "
                             "garbage collector on and %.1f ms with it off, and no collection ran: the collector did "
                             "not cost this build anything on this interpreter.", size, objs.on_ms, objs.off_ms);
        return 0;
    }
    gs_lesson_say(paras, "Building %s small objects and keeping them in a list took %.1f ms with Python's cyclic "
                         "garbage collector on and %.1f ms with it off: its %.0f collections took %.0f%% of the time.",
                  size, objs.on_ms, objs.off_ms, objs.collections, objs.share);
    if (ints.collections == 0)
        gs_lesson_say(paras, "Building %s ints ran no collection at all (%.1f ms on, %.1f ms off: that difference is "
                             "not the collector's). Ints hold no references, so the collector does not track them; "
                             "objects with attributes are containers it tracks, and allocating them is what starts "
                             "its collections.", size, ints.on_ms, ints.off_ms);
    else
        gs_lesson_say(paras, "Building %s ints ran %.0f collections and took %.1f ms on, %.1f ms off.", size,
                      ints.collections, ints.on_ms, ints.off_ms);
    if (objs.share >= MATTERS)
        gs_lesson_say(paras, "So the collector matters when code builds many objects and keeps them: here it took "
                             "%.0f%% of the time. timeit switches it off while it times, as gilscope run --no-gc "
                             "does; a timing taken that way leaves out a cost this code pays when it runs normally.",
                      objs.share);
    else
        gs_lesson_say(paras, "Here the collector took %.0f%% of the objects' time: it mattered little for this build "
                             "on this interpreter.", objs.share);
    return 0;
}
