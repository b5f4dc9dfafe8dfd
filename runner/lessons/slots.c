/* Lesson "slots": the objects experiment (one row per kind of class: bytes
 * per object, nanoseconds to create one and to read an attribute), from
 * the figures of its run of median wall (cells[].measured). What the text
 * claims, and from which figures:
 * - each kind's bytes per object, and how much less the slotted one took
 *   than the plain class (or that it took no less);
 * - that a @dataclass is laid out like a plain class only when their
 *   figures agree within a byte;
 * - what the difference comes to for a million objects (arithmetic on the
 *   measured difference);
 * - attribute reads "faster" or "slower" with slots only beyond 10%, else
 *   "about the same". */
#include <math.h>
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "objects"
#define PLAIN "plain class"
#define DATACLASS "@dataclass"
#define SLOTS_310 "@dataclass(slots=True)" /* Python 3.10 and newer */
#define SLOTS_38 "@dataclass + __slots__"  /* 3.8 and 3.9 */
#define SAME_SPEED 0.10

void gs_lesson_slots_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "3", "--runs", "3", "--warmup", "0",
                          "--size", "100000"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

typedef struct kind {
    const char *name;
    double bytes, create_ns, read_ns;
} kind;

/* The row of the kind named name (the objects workload's "class"); 0, or -1
 * when the run has none. */
static int kind_of(json_t *report, const char *name, kind *k) {
    json_t *row = gs_lesson_row(report, WORKLOAD, "class", name);
    if (row == NULL) return -1;
    *k = (kind){name, gs_lesson_figure(report, WORKLOAD, row, "bytes_per_object"),
                gs_lesson_figure(report, WORKLOAD, row, "create_ns"), gs_lesson_figure(report, WORKLOAD, row, "read_ns")};
    return isfinite(k->bytes) ? 0 : -1;
}

int gs_lesson_slots_text(json_t *report, json_t *paras) {
    kind p, d, s;
    if (kind_of(report, PLAIN, &p) != 0 || kind_of(report, DATACLASS, &d) != 0 ||
        (kind_of(report, SLOTS_310, &s) != 0 && kind_of(report, SLOTS_38, &s) != 0)) {
        gs_lesson_say(paras, "This run has no measured figures of the plain, dataclass and slotted objects (the %s "
                             "workload with three tasks), which this lesson reads; the table above says why.",
                      WORKLOAD);
        return -1;
    }
    json_t *py = json_object_get(json_object_get(report, "metadata"), "python");
    char less[160];
    if (s.bytes < p.bytes)
        snprintf(less, sizeof(less), ": %.0f%% less than the plain class", 100 * (p.bytes - s.bytes) / p.bytes);
    else
        snprintf(less, sizeof(less), ", no less than the plain class");
    gs_lesson_say(paras, "On %s %s, an object with three attributes took %.0f bytes as a plain class, %.0f bytes as a "
                         "%s and %.0f bytes as a %s%s. The bytes are everything creating the object allocated "
                         "(tracemalloc), its attribute storage included.",
                  gs_jstr(py, "implementation"), gs_jstr(py, "version"), p.bytes, d.bytes, DATACLASS, s.bytes, s.name,
                  less);
    if (fabs(d.bytes - p.bytes) < 1)
        gs_lesson_say(paras, "A %s is laid out like the plain class: the decorator writes methods (__init__, __repr__, "
                             "__eq__), not a different object. With slots the class reserves a fixed place for each "
                             "attribute in the object itself, and its objects have no __dict__.", DATACLASS);
    if (s.bytes < p.bytes)
        gs_lesson_say(paras, "For a million such objects the slots save %.0f MB (%.0f bytes each).",
                      p.bytes - s.bytes, p.bytes - s.bytes);
    if (isfinite(p.read_ns) && isfinite(s.read_ns) && p.read_ns > 0) {
        double r = (s.read_ns - p.read_ns) / p.read_ns;
        const char *how = r < -SAME_SPEED ? "faster with slots" : r > SAME_SPEED ? "slower with slots" :
                                                                                 "about the same speed either way";
        char create[96] = "";
        if (isfinite(p.create_ns) && isfinite(s.create_ns))
            snprintf(create, sizeof(create), " Creating one took %.0f ns and %.0f ns.", p.create_ns, s.create_ns);
        gs_lesson_say(paras, "Reading an attribute took %.2f ns on the plain class and %.2f ns with slots: %s here.%s",
                      p.read_ns, s.read_ns, how, create);
    }
    return 0;
}
