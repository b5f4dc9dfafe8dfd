#ifndef GS_CAPACITY_H
#define GS_CAPACITY_H

#include <stddef.h>

/* What the machine's cores deliver, measured rather than assumed.
 *
 * The limits are read: the cores online, the CPUs of the affinity mask, the
 * cgroup CPU quota (v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us, the
 * smallest along the cgroup's ancestors). The capacity is measured: a C spin
 * loop on one thread alone gives its iterations per second of its own CPU
 * time; the same loop on N threads at once gives their iterations per wall
 * second; capacity = the latter / the former. An idle 2-core machine gives
 * about 2, a CPU hog on every core about 1, a host that time-slices the
 * vCPUs or a quota less. docs/measurement.md, "Machine capacity". */

typedef struct gs_cpu_limits {
    int online;   /* cores online */
    int affinity; /* CPUs in this process's affinity mask */
    double quota; /* the cgroup quota in CPUs (1.5: 150 ms per 100 ms), or -1 when none */
    int usable;   /* min(online, affinity, quota rounded up), at least 1 */
} gs_cpu_limits;

/* Reads the limits of this process. */
void gs_cpu_limits_read(gs_cpu_limits *l);

/* The quota in CPUs of a cgroup v2 cpu.max text ("150000 100000"), or -1
 * for "max" or text that is not a quota. */
double gs_cgroup2_quota(const char *cpu_max);

/* The quota in CPUs of cgroup v1 cpu.cfs_quota_us and cpu.cfs_period_us
 * (-1 as the quota means none), or -1. */
double gs_cgroup1_quota(long quota_us, long period_us);

/* The spin loop's iterations per second of CPU time on one thread running
 * alone for about seconds of wall time; 0 when the clocks fail. */
double gs_spin_rate(double seconds);

/* Runs the spin loop on nthreads threads at once for about seconds of wall
 * time and returns their iterations per wall second divided by rate (a
 * gs_spin_rate): the cores they got between them. Returns -1 when a thread
 * cannot be started or rate is not positive. */
double gs_spin_capacity(int nthreads, double seconds, double rate);

/* The log of one session's capacity measurements. Plain data, no memory
 * owned: an init is a zeroed struct. */
typedef struct gs_capacity {
    gs_cpu_limits limits;
    double rate;      /* gs_spin_rate of the first full measurement; 0 before it */
    double before;    /* before the first run; < 0 when not measured */
    double after;     /* after the last run; < 0 when not measured */
    double min, max;  /* over every measurement */
    double sum;       /* for the mean */
    int n;            /* measurements taken */
} gs_capacity;

/* Zeroes c and reads the limits; before and after -1 (not measured). */
void gs_capacity_init(gs_capacity *c);

/* Which measurement: before the first run (a full one: the single-thread
 * rate, then usable threads), between rounds (cheap: usable threads against
 * the rate measured before), after the last run (full). */
typedef enum gs_capacity_when { GS_CAP_BEFORE, GS_CAP_BETWEEN, GS_CAP_AFTER } gs_capacity_when;

/* Measures and logs one capacity (about 0.2 s for a full one, 0.05 s
 * between rounds). Returns the capacity, or -1 when it could not be
 * measured (nothing logged). */
double gs_capacity_measure(gs_capacity *c, gs_capacity_when when);

/* Logs a capacity measured elsewhere (tests, recorded sessions). */
void gs_capacity_log(gs_capacity *c, gs_capacity_when when, double capacity);

/* A capacity within this part of the usable cores is all of them: an idle
 * 2-core machine measures 1.95-2.0. */
#define GS_CAPACITY_WHOLE 0.95

/* The capacity the analysis uses: the most the cores delivered in any
 * measurement of the session (so a passing load shows as time lost waiting
 * for a core, and a lasting one lowers what is possible), the usable cores
 * when it is within 5% of them or when nothing was measured. */
double gs_capacity_value(const gs_capacity *c);

/* The speedup the machine allows with workers workers on tasks tasks:
 * min(workers, tasks, usable cores, capacity), and at least 1 (serial ran
 * on the same cores). */
double gs_capacity_possible(const gs_capacity *c, int workers, int tasks);

#endif
