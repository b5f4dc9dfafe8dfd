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
    gs_spawn_req sreq = {a.v, req->env, req->timeout_s, GS_RUN_GRACE_S, GS_PROTO_RUN, req->tasks, 0};
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
            double scaled = (double)size * req->target_s / wall;
            out->size = scaled < 1 ? 1 : scaled > (double)LONG_MAX / 2 ? LONG_MAX / 2 : (long)(scaled + 0.5);
            return 0;
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
