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
#include <string.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "objects"
#define PLAIN "plain class"
#define DATACLASS "@dataclass"
#define SAME_SPEED 0.10

void gs_lesson_slots_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "3", "--runs", "3", "--warmup", "0",
                          "--size", "100000"};
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) gs_lesson_plan_add(p, args[i]);
}

typedef struct kind {
    const char *name;
    double bytes, create_ns, read_ns;
} kind;

/* The column of key among the workload's measures, or -1. */
static int column(json_t *report, const char *key) {
    json_t *w = gs_view_workload(report, WORKLOAD), *m;
    size_t i;
    json_array_foreach(json_object_get(w, "measures"), i, m) {
        if (strcmp(gs_jstr(m, "key"), key) == 0) return (int)i;
    }
    return -1;
}

static double at(json_t *row, int col) {
    json_t *v = json_array_get(row, (size_t)col);
    return col >= 0 && json_is_number(v) ? json_number_value(v) : NAN;
}

/* The rows of the measured run, first of each kind: plain, dataclass and
 * the slotted one (whichever other name it has). Returns how many of the
 * three were found. */
static int kinds(json_t *report, kind *plain, kind *data, kind *slotted) {
    json_t *c = gs_lesson_cell(report, WORKLOAD, "serial");
    json_t *values = json_object_get(json_object_get(c, "measured"), "values"), *row;
    int cn = column(report, "class"), cb = column(report, "bytes_per_object"), cc = column(report, "create_ns"),
        cr = column(report, "read_ns");
    int found = 0;
    size_t i;
    if (cn < 0) return 0;
    json_array_foreach(values, i, row) {
        json_t *name = json_array_get(row, (size_t)cn);
        if (!json_is_string(name)) continue;
        const char *n = json_string_value(name);
        kind *k = !strcmp(n, PLAIN) ? plain : !strcmp(n, DATACLASS) ? data : slotted;
        if (k->name != NULL) continue;
        *k = (kind){n, at(row, cb), at(row, cc), at(row, cr)};
        found++;
    }
    return found;
}

int gs_lesson_slots_text(json_t *report, json_t *paras) {
    kind p = {0}, d = {0}, s = {0};
    if (kinds(report, &p, &d, &s) < 3 || !isfinite(p.bytes) || !isfinite(s.bytes) || !isfinite(d.bytes)) {
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
        gs_lesson_say(paras, "Reading an attribute took %.2f ns on the plain class and %.2f ns with slots: %s here. "
                             "Creating one took %.0f ns and %.0f ns.",
                      p.read_ns, s.read_ns, how, p.create_ns, s.create_ns);
    }
    return 0;
}
