#ifndef GS_CALIBRATE_H
#define GS_CALIBRATE_H

#include <jansson.h>
#include <uv.h>

/* --size auto: finds the task size at which one serial run of a workload
 * lasts about a target time, in the manner of timeit.autorange. */

/* What calibrating one workload found. Owns tries and error; free with
 * gs_calibration_free. */
typedef struct gs_calibration {
    long size;          /* the size to use (when ok and !size_ignored) */
    int size_ignored;   /* the run time does not grow with the size: keep the default */
    json_t *tries;      /* [{size, wall_s}] of every calibration run, in order */
    char *error;        /* why it failed, or NULL */
} gs_calibration;

/* What to run: one fresh interpreter per try, serial, on the harness. */
typedef struct gs_calibration_req {
    const char *python;  /* the interpreter's path */
    const char *dir;     /* the workloads directory (harness.h) */
    const char *spec;    /* the workload as the harness takes it (gs_harness_resolve_spec) */
    char **env;          /* the runs' environment (gs_harness_env) */
    int tasks;           /* tasks per run */
    double timeout_s;    /* per run */
    double target_s;     /* how long one serial run should last */
    int (*stop)(void);   /* polled before each try: non-zero stops calibrating */
} gs_calibration_req;

/* Runs serial tries with sizes 1, 2, 5, 10, 20, 50, ... until one lasts a
 * fifth of the target, then scales that size linearly to the target, runs
 * the scaled size three times and, when their median misses the target by
 * more than 10%, scales once more from that median. A
 * thousand times the work that does not double the run time means the size
 * does not drive the workload (size_ignored). Always fills *out. Returns 0,
 * or -1 with out->error set (a try failed, or no size was found). */
int gs_calibrate(uv_loop_t *loop, const gs_calibration_req *req, gs_calibration *out);

void gs_calibration_free(gs_calibration *c);

#endif
