#ifndef GS_SAMPLER_H
#define GS_SAMPLER_H

#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "threadstate.h"

/* Watches a run's process tree (every process of its session) from a thread
 * of its own, so that reads of /proc — a read of a thread's `syscall` file
 * can block for a kernel tick — never stall the loop that drains the run's
 * pipes. Every period (with up to 10% jitter, so it does not beat against
 * the interpreter's 5 ms switch interval) it reads, for every thread of
 * every process of the session, /proc/PID/task/TID/stat and schedstat, and
 * the syscall file of the threads that are not running, through descriptors
 * kept open and re-read with pread. New processes are found by listing /proc
 * (each pid is looked at once), new threads by listing the task directory of
 * a process whose thread count changed (/proc is listed on the first ticks
 * and every 4th, and only when /proc/loadavg's last pid moved: no process
 * was born otherwise). When the tree's summed RSS reaches a new high (by
 * 2%) and stops climbing, or climbs by 10% more, it also reads every
 * process's smaps_rollup for PSS and USS: RSS counts the pages a forked
 * worker shares with its parent once per process. */
typedef struct gs_sampler {
    uv_thread_t thread;
    pid_t session;            /* the run's session id (its leader's pid) */
    unsigned period_us;       /* time between samples */
    volatile int stop;        /* set by gs_sampler_stop */
    int running;              /* a thread was started */
    void *priv;               /* the sampling state (owned) */
    /* Results, valid after gs_sampler_stop. */
    int64_t peak_rss_bytes;   /* largest sum of RSS over the tree at one instant */
    int64_t peak_pss_bytes;   /* largest sum of PSS (shared pages divided among their sharers), read at RSS highs */
    int64_t peak_uss_bytes;   /* largest sum of USS (private pages) over the tree, read at RSS highs */
    int64_t peak_proc_uss_bytes; /* largest USS of one process of the tree */
    int max_processes;        /* most processes seen at one instant */
    uint64_t samples;         /* ticks taken */
    double cpu_s;             /* the sampler thread's own CPU time */
    gs_track *tracks;         /* every thread seen, with its samples (owned) */
    size_t ntracks;
} gs_sampler;

/* Starts sampling session sid every period_us microseconds. no_gil: the
 * interpreter has no GIL (a free-threaded build running without it), so
 * every futex wait is a lock wait and the maps are never read for the GIL's
 * address. Returns 0 or a negative uv error (then nothing runs and stop is
 * a no-op). */
int gs_sampler_start(gs_sampler *s, pid_t sid, unsigned period_us, int no_gil);

/* Stops the thread and waits for it; results are then in *s. */
void gs_sampler_stop(gs_sampler *s);

/* Moves the tracks out of s (the caller frees them with gs_sampler_free_tracks). */
gs_track *gs_sampler_take_tracks(gs_sampler *s, size_t *n);
void gs_sampler_free_tracks(gs_track *t, size_t n);

#endif
