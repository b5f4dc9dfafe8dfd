#ifndef GS_THREADSTATE_H
#define GS_THREADSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "state.h"

/* Where a thread's time goes, told from outside the interpreter through /proc
 * (docs/thread-states.md has every rule and its limits). */

/* One /proc/PID/task/TID/syscall reading. */
typedef struct gs_syscall {
    int kind;           /* GS_SYSCALL_IN (nr and args valid), _RUNNING, _NONE (blocked outside a call) */
    long nr;
    uint64_t args[6];
} gs_syscall;
#define GS_SYSCALL_IN 0
#define GS_SYSCALL_RUNNING 1
#define GS_SYSCALL_NONE 2

/* Parses "202 0x7f.. 0x89 0x0 ... sp pc", "running" or "-1 sp pc".
 * Returns 0, or -1 when the text is none of them. */
int gs_parse_syscall(const char *text, gs_syscall *out);

/* Parses /proc/.../schedstat: "run_ns wait_ns timeslices". Returns 0 or -1. */
int gs_parse_schedstat(const char *text, uint64_t *run_ns, uint64_t *wait_ns, uint64_t *slices);

/* Address ranges of an interpreter's static data, where the main
 * interpreter's GIL lives. */
typedef struct gs_ranges {
    int n;
    uint64_t lo[16];
    uint64_t hi[16];
} gs_ranges;

/* From the text of /proc/PID/maps and the path of the process's executable:
 * every rw-p mapping of a file whose name contains "libpython", every rw-p
 * mapping of the executable itself, and the anonymous rw-p mapping that
 * directly follows one of those (its bss). Returns how many were found. */
int gs_parse_maps(const char *text, const char *exe, gs_ranges *out);

int gs_ranges_contain(const gs_ranges *r, uint64_t addr);

/* Classifies a thread that was not running when sampled, from its system
 * call. gil may be NULL (no GIL known: a timed futex wait is then a lock
 * wait). Never returns ON_CPU, WAIT_CORE or IDLE. */
gs_state gs_classify_syscall(const gs_syscall *sc, const gs_ranges *gil);

/* True when a futex system call with these arguments is a timed wait that
 * could be the GIL's (FUTEX_WAIT or FUTEX_WAIT_BITSET with a timeout). */
int gs_futex_is_timed_wait(const gs_syscall *sc);

/* ---- time accounting ------------------------------------------------------ */

/* One sample of one thread. */
typedef struct gs_tsample {
    uint64_t t_ns;       /* uv_hrtime() when taken (CLOCK_MONOTONIC) */
    uint64_t run_ns;     /* schedstat: cumulative time on a CPU */
    uint64_t wait_ns;    /* schedstat: cumulative time runnable but waiting */
    uint32_t slices;     /* schedstat: times it was put on a CPU */
    char sched_state;    /* /proc stat state: R, S, D, ... */
    uint8_t kind;        /* gs_state from the system call when not running; ON_CPU when running */
} gs_tsample;

/* Everything sampled of one thread. */
typedef struct gs_track {
    pid_t pid;
    pid_t tid;
    gs_tsample *s;       /* in time order (owned) */
    size_t n;
    size_t cap;
} gs_track;

/* A task interval of a worker thread, from the harness's records. */
typedef struct gs_interval {
    uint64_t t0_ns;
    uint64_t t1_ns;
} gs_interval;

/* Time inside a window, by state, summed over one or more threads. */
typedef struct gs_thread_states {
    double ns[GS_ST_COUNT];  /* time by state, nanoseconds */
    double lifetime_ns;      /* sum of the threads' lifetimes inside the window */
    uint64_t samples;        /* samples taken inside the window */
    uint64_t switches;       /* times put on a CPU (schedstat timeslices delta) */
    int threads;             /* threads accounted */
} gs_thread_states;

/* Accounts one worker thread over the window [w0, w1] and adds into *acc: on
 * CPU and waiting for a core are the schedstat deltas between its first and
 * last samples inside the window; the rest of that span is split in
 * proportion to the states of its samples that were not running, a sample
 * outside every task interval counting as idle. A thread with fewer than two
 * samples inside the window adds nothing. */
void gs_account_thread(const gs_track *t, uint64_t w0, uint64_t w1, const gs_interval *tasks,
                       size_t ntasks, gs_thread_states *acc);

/* A stretch of one thread's time in one state, for timelines. */
typedef struct gs_segment {
    uint64_t t0_ns;
    uint64_t t1_ns;
    uint8_t state;           /* gs_state */
} gs_segment;

/* Cuts a track into segments inside [w0, w1]: between two consecutive
 * samples, on CPU when it ran more than half of the interval, waiting for a
 * core when it waited more than half, else the state of the earlier sample
 * (idle outside the task intervals). Adjacent segments of one state are
 * merged. Writes at most cap segments; returns how many. */
size_t gs_track_segments(const gs_track *t, uint64_t w0, uint64_t w1, const gs_interval *tasks,
                         size_t ntasks, gs_segment *out, size_t cap);

/* One worker thread's timeline. */
typedef struct gs_lane {
    pid_t pid;
    pid_t tid;
    gs_segment *segs;        /* owned */
    size_t nsegs;
} gs_lane;

/* Appends a sample to a track, growing it. Returns 0 or -1 (out of memory). */
int gs_track_push(gs_track *t, const gs_tsample *s);
void gs_track_free(gs_track *t);

#endif
