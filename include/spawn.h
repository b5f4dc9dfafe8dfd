#ifndef GS_SPAWN_H
#define GS_SPAWN_H

#include <stdint.h>
#include <uv.h>

#include "proto.h"
#include "reaper.h"
#include "threadstate.h"

/* The leftovers of one run a spawn names (the count goes on). */
#define GS_LEFTOVERS_MAX 16

/* Runs one harness process to its end: argv only (never a shell), in a session
 * of its own, results read from a pipe at fd 3 and validated line by line,
 * stdout and stderr drained all along and their tails kept. */

typedef struct gs_spawn_req {
    char **argv;           /* argv[0] is the interpreter's path; NULL-terminated */
    char **env;            /* NULL-terminated, or NULL to inherit ours */
    double timeout_s;      /* end the run after this long (SIGTERM, SIGKILL GS_TERM_GRACE_MS later); 0 for never */
    double grace_s;        /* after exit, how long to wait for the pipes' EOF */
    gs_proto_mode mode;    /* what the fd-3 stream must contain */
    int expected_tasks;    /* run mode: task records a result must carry */
    unsigned sample_us;    /* sampler period; 0 for no sampler */
    int no_gil;            /* the interpreter runs without a GIL (free-threaded): no wait is a GIL wait */
    int scratch;           /* give the run a scratch directory (scratch.h): made before, removed after */
} gs_spawn_req;

typedef struct gs_spawn_out {
    int spawn_error;       /* 0, or the negative uv error of uv_spawn */
    int exited;            /* the exit callback fired */
    int64_t exit_status;
    int term_signal;       /* the signal that ended it, or 0 */
    int timed_out;         /* ended by the --timeout timer */
    int interrupted;       /* ended by gs_spawn_interrupt: the signal number */
    int proto_ok;          /* the fd-3 stream was complete and valid */
    gs_proto proto;        /* the accepted messages; problem says what was wrong */
    uint64_t start_ns;     /* uv_hrtime() just before uv_spawn */
    uint64_t exit_ns;      /* uv_hrtime() in the exit callback */
    char *out_tail;        /* last bytes of stdout, NUL-terminated (owned) */
    char *err_tail;        /* last bytes of stderr */
    int leftover;          /* processes of the run still alive after it (ended: SIGTERM, then SIGKILL) */
    gs_leftover leftovers[GS_LEFTOVERS_MAX]; /* the first of them, named */
    size_t nleftovers;     /* how many of leftovers[] are filled */
    int64_t peak_rss_bytes;/* sampled peak of the tree's summed RSS; 0 if never sampled */
    int64_t peak_pss_bytes;/* sampled peaks of the tree's summed PSS and USS, and of one process's USS; 0 if never read */
    int64_t peak_uss_bytes;
    int64_t peak_proc_uss_bytes;
    uint64_t samples;      /* sampler ticks */
    double observer_cpu_s; /* the sampler's own CPU time */
    gs_track *tracks;      /* every thread the sampler saw, with its samples (owned) */
    size_t ntracks;
    char scratch[4096];    /* req->scratch: the run's scratch directory (its parent when it could not be made) */
    int scratch_failed;    /* it could not be made: nothing was started, spawn_error says why */
    int scratch_remove_error; /* 0, or the negative errno of what could not be removed after the run */
} gs_spawn_out;

/* How long a process asked to end (SIGTERM) has before it is killed. */
#define GS_TERM_GRACE_MS 1000

/* Runs req on loop (which must have no other active, referenced handles) and
 * returns when the run is over and every handle it used is closed. With
 * req->scratch, the run gets a new scratch directory in its environment
 * (GILSCOPE_SCRATCH), removed after the run's processes are gone. Always
 * fills *out (free it with gs_spawn_out_free). Returns 0 when the process was
 * started, else its negative uv error (also in out->spawn_error). */
int gs_spawn_run(uv_loop_t *loop, const gs_spawn_req *req, gs_spawn_out *out);

/* Ends the run in progress, if any, because gilscope received signum: kills its
 * process group. Safe to call from a uv_signal callback on the same loop. */
void gs_spawn_interrupt(int signum);

/* Frees what gs_spawn_run allocated in *out. */
void gs_spawn_out_free(gs_spawn_out *out);

#endif
