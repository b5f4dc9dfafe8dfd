/* Lesson "convoy": the convoy experiment (an I/O thread's HTTP round trips to
 * gilscope's loopback service, alone and beside 1 and 2 pure-Python threads),
 * from the figures of its run of median wall (cells[].measured). What the
 * text claims, and from which figures:
 * - the rate and median latency alone and beside one and two CPU threads,
 *   and the rate beside one as a share of the rate alone;
 * - that the switch interval is why only when the latency beside one thread
 *   is half the interval or more (the figure sys.getswitchinterval() gave);
 *   otherwise that the interval did not bind here;
 * - on a build without a GIL, that there was no GIL to hand back. */
#include <math.h>
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define WORKLOAD "convoy"

void gs_lesson_convoy_plan(gs_lesson_plan *p, int cores) {
    (void)cores;
    const char *args[] = {"-W", WORKLOAD, "--strategies", "serial", "--tasks", "3", "--runs", "3", "--warmup", "0",
                          "--size", "250"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
}

typedef struct point {
    double rate, p50, interval;
} point;

static int point_of(json_t *report, double threads, point *pt) {
    json_t *row = gs_lesson_row_num(report, WORKLOAD, "cpu_threads", threads);
    if (row == NULL) return -1;
    *pt = (point){gs_lesson_figure(report, WORKLOAD, row, "requests_per_s"),
                  gs_lesson_figure(report, WORKLOAD, row, "latency_p50_ms"),
                  gs_lesson_figure(report, WORKLOAD, row, "switch_interval_ms")};
    return isfinite(pt->rate) && isfinite(pt->p50) && pt->rate > 0 ? 0 : -1;
}

static void rate(double r, char *buf, size_t cap) {
    json_t *v = json_real(r >= 100 ? round(r) : r);
    gs_view_fmt_measure(v, "/s", buf, cap);
    json_decref(v);
}

int gs_lesson_convoy_text(json_t *report, json_t *paras) {
    point alone, one, two;
    if (point_of(report, 0, &alone) != 0 || point_of(report, 1, &one) != 0) {
        gs_lesson_say(paras, "This run has no measured figures of the I/O thread alone and beside one CPU thread (the "
                             "%s workload with three tasks), which this lesson reads; the table above says why.",
                      WORKLOAD);
        return -1;
    }
    int has_two = point_of(report, 2, &two) == 0;
    char ra[32], r1[32], r2[32] = "";
    rate(alone.rate, ra, sizeof(ra));
    rate(one.rate, r1, sizeof(r1));
    if (has_two) rate(two.rate, r2, sizeof(r2));
    char twos[160] = "";
    if (has_two) snprintf(twos, sizeof(twos), "; beside two, %s, each taking %.3g ms", r2, two.p50);
    gs_lesson_say(paras, "Alone, a thread making HTTP round trips to gilscope's loopback service made %s, each taking "
                         "%.3g ms. Beside one pure-Python thread it made %s, %.1f%% of that, each taking %.3g ms%s.",
                  ra, alone.p50, r1, 100 * one.rate / alone.rate, one.p50, twos);
    if (!gs_lesson_gil_enabled(report))
        gs_lesson_say(paras, "This interpreter runs without a GIL: there is no lock for the I/O thread to wait for "
                             "when its reply arrives.");
    else if (isfinite(one.interval) && one.p50 >= 0.5 * one.interval)
        gs_lesson_say(paras, "%.3g ms is %.1f switch intervals (sys.getswitchinterval(): %.3g ms here). Each time the "
                             "I/O thread waits for a reply it releases the GIL; the CPU thread takes it, and when the "
                             "reply arrives the I/O thread can only ask for the GIL back: the CPU thread is made to "
                             "drop it once the interval has passed. The network is as fast as before; what each "
                             "request now waits for is the GIL.", one.p50, one.p50 / one.interval, one.interval);
    else if (isfinite(one.interval))
        gs_lesson_say(paras, "That is less than half the switch interval (%.3g ms): here the CPU thread gave the GIL "
                             "back sooner than the interval forces it to, and the interval did not bind.",
                      one.interval);
    return 0;
}
