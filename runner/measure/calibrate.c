#include "calibrate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "interp.h"
#include "record.h"
#include "session.h"
#include "spawn.h"

#define REFINE_TRIES 3        /* samples of the scaled size */
#define REFINE_TOLERANCE 0.10 /* their median may miss the target by this much */

/* One serial try at size: its strategy wall time, or a negative value with
 * out->error set. */
static double try_size(uv_loop_t *loop, const gs_calibration_req *req, long size, gs_calibration *out) {
    gs_harness_argv a;
    gs_harness_argv_run(&a, req->python, req->dir, req->spec, gs_strategy_name(gs_strategy_baseline()), 1,
                        req->tasks, size);
    if (a.failed) {
        gs_harness_argv_free(&a);
        out->error = strdup("calibration (--size auto): out of memory");
        return -1;
    }
    gs_spawn_req sreq = {a.v, req->env, req->timeout_s, GS_RUN_GRACE_S, GS_PROTO_RUN, req->tasks, 0, 0, 1};
    gs_spawn_out o;
    gs_run r;
    gs_run_init(&r);
    gs_spawn_run(loop, &sreq, &o);
    gs_record_run(&r, &o, req->timeout_s);
    gs_spawn_out_free(&o);
    gs_harness_argv_free(&a);
    double wall = r.strategy_wall_s;
    if (r.status != GS_RUN_OK) {
        char msg[1200];
        snprintf(msg, sizeof(msg), "calibration (--size auto) at size %ld: %s", size, r.error ? r.error : "failed");
        out->error = strdup(msg);
        wall = -1;
    }
    gs_run_free(&r);
    return wall;
}

/* The size after size in the 1-2-5 sequence, or -1 past what a long holds. */
static long next_size(long size) {
    long decade = 1;
    while (decade <= LONG_MAX / 10 && decade * 10 <= size) decade *= 10;
    if (decade > LONG_MAX / 10) return -1;
    return size == decade ? 2 * decade : size == 2 * decade ? 5 * decade : 10 * decade;
}

/* size scaled linearly from wall to target, within [1, LONG_MAX / 2]. */
static long scale(long size, double target, double wall) {
    double scaled = (double)size * target / wall;
    return scaled < 1 ? 1 : scaled > (double)LONG_MAX / 2 ? LONG_MAX / 2 : (long)(scaled + 0.5);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One sample scaled from a fifth of the target misjudges coarse kernels and
 * fixed costs (a 0.5 s target once gave 0.32 s): the scaled size is run
 * REFINE_TRIES times and, when their median misses the target by more than
 * REFINE_TOLERANCE, scaled again from that median. */
static int refine(uv_loop_t *loop, const gs_calibration_req *req, gs_calibration *out) {
    double walls[REFINE_TRIES];
    int n = 0;
    for (; n < REFINE_TRIES && !(req->stop && req->stop()); n++) {
        if ((walls[n] = try_size(loop, req, out->size, out)) < 0) return -1;
        json_array_append_new(out->tries, json_pack("{s:I,s:f}", "size", (json_int_t)out->size, "wall_s", walls[n]));
    }
    if (n == 0) return 0;
    qsort(walls, (size_t)n, sizeof(walls[0]), cmp_double);
    double median = n % 2 ? walls[n / 2] : (walls[n / 2 - 1] + walls[n / 2]) / 2;
    if (median > 0 && (median < (1 - REFINE_TOLERANCE) * req->target_s || median > (1 + REFINE_TOLERANCE) * req->target_s))
        out->size = scale(out->size, req->target_s, median);
    return 0;
}

int gs_calibrate(uv_loop_t *loop, const gs_calibration_req *req, gs_calibration *out) {
    memset(out, 0, sizeof(*out));
    out->tries = json_array();
    long size = 1;
    double first_wall = 0;
    for (int step = 0; step < 60 && !(req->stop && req->stop()) && size > 0; step++) {
        double wall = try_size(loop, req, size, out);
        if (wall < 0) return -1;
        json_array_append_new(out->tries, json_pack("{s:I,s:f}", "size", (json_int_t)size, "wall_s", wall));
        if (step == 0) first_wall = wall;
        if (wall >= req->target_s / 5) {
            out->size = scale(size, req->target_s, wall);
            return refine(loop, req, out);
        }
        /* A thousand times the work did not even double the run time: the
         * size does not drive this workload (the empty one, say), so its
         * default stays rather than growing the size without end. */
        if (size >= 1000 && wall < 2 * first_wall) {
            out->size_ignored = 1;
            return 0;
        }
        size = next_size(size);
    }
    out->error = strdup("calibration (--size auto) never reached a fifth of --target-time");
    return -1;
}

void gs_calibration_free(gs_calibration *c) {
    json_decref(c->tries);
    free(c->error);
    memset(c, 0, sizeof(*c));
}
