#ifndef GS_SAMPLER_H
#define GS_SAMPLER_H

#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

/* Watches a run's process tree (every process of its session) from a thread
 * of its own, so that reads of /proc never stall the loop that drains the
 * run's pipes. Today it records the peak of the tree's summed resident memory
 * and its own CPU cost. */
typedef struct gs_sampler {
    uv_thread_t thread;
    pid_t session;            /* the run's session id (its leader's pid) */
    unsigned period_us;       /* time between samples */
    volatile int stop;        /* set by gs_sampler_stop */
    int running;              /* a thread was started */
    /* Results, valid after gs_sampler_stop. */
    int64_t peak_rss_bytes;   /* largest sum of RSS over the tree at one instant */
    int max_processes;        /* most processes seen at one instant */
    uint64_t samples;         /* ticks taken */
    double cpu_s;             /* the sampler thread's own CPU time */
} gs_sampler;

/* Starts sampling session sid every period_us microseconds. Returns 0 or a
 * negative uv error (then nothing runs and stop is a no-op). */
int gs_sampler_start(gs_sampler *s, pid_t sid, unsigned period_us);

/* Stops the thread and waits for it; results are then in *s. */
void gs_sampler_stop(gs_sampler *s);

#endif
