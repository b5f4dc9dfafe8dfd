#ifndef GS_SESSION_H
#define GS_SESSION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "capacity.h"
#include "cli.h"
#include "stats.h"
#include "threadstate.h"

/* The session: what one `gilscope run` plans, measures and aggregates.
 *
 * Ownership: a session owns its workloads, cells and runs and everything
 * they point to (freed by gs_session_free); opt is borrowed and must outlive
 * it. Who writes what: this module plans (cells, runs), keeps the
 * bookkeeping of execution (gs_session_*_run) and aggregates (the cells'
 * figures); measure/record.c fills the measured fields of a run record
 * (gs_record_run, gs_record_states). Everything else reads. */

/* A workload as the interpreter reported it (info mode). */
typedef struct gs_workload {
    char *spec;          /* what the user typed: a built-in name or a path */
    char *name;          /* module name shown in reports */
    char *kind;          /* "cpu" | "io" | "mixed" (NULL when it failed to load) */
    char *description;
    char *sha256;        /* sha256 hex of the workload's source file (info mode), or NULL */
    long default_size;
    long size;           /* the size every run of it uses */
    char *error;         /* why it could not be loaded, or NULL */
    json_t *calibration; /* --size auto: [{size, wall_s}] of the calibration runs (owned), or NULL */
    int size_ignored;    /* --size auto found that the run time does not grow with size: default kept */
    int needs_http;      /* it asked for gilscope's HTTP service (NEEDS = ("http",)): runs get GILSCOPE_HTTP_URL */
    json_t *measures;    /* an experiment's figures (MEASURES): [{key, label, unit}] (owned), or NULL. Its
                          * task results are measurements, so runs are not checked to agree. */
    gs_capacity capacity;/* the capacity measurements that border this workload's runs (limits: the session's) */
} gs_workload;

typedef enum gs_run_status {
    GS_RUN_PENDING,      /* not run yet */
    GS_RUN_OK,           /* measured */
    GS_RUN_FAILED,       /* see error */
    GS_RUN_UNAVAILABLE,  /* the interpreter cannot run the strategy: not a failure */
    GS_RUN_SKIPPED,      /* not run: an earlier run of its cell failed or was unavailable */
    GS_RUN_INTERRUPTED   /* gilscope was interrupted during or before it */
} gs_run_status;

const char *gs_run_status_name(gs_run_status s);

struct gs_cell;
/* "serial", "threads × 2", "processes/spawn × 4": a cell as people read it.
 * Returns buf. */
const char *gs_cell_label(const struct gs_cell *c, char *buf, size_t cap);

/* The chunk size multiprocessing.Pool.starmap picks itself for tasks tasks on
 * workers workers: tasks / (4 x workers), rounded up, at least 1. */
int gs_chunksize_default(int tasks, int workers);

/* One run: one fresh interpreter executing one cell once. */
typedef struct gs_run {
    size_t cell;             /* index into gs_session.cells */
    int repetition;          /* 1-based within the cell, warm-ups included */
    int warmup;              /* a warm-up run, left out of the statistics */
    int diagnostic;          /* a probe/timeline run, left out of the statistics */
    int order;               /* position in execution order (0-based), -1 until run */
    gs_run_status status;
    char *error;             /* one line naming the cause; NULL when OK */
    char *detail;            /* traceback or stderr tail behind the error; may be NULL */
    int64_t exit_status;     /* -1 when it never exited normally */
    int term_signal;
    double strategy_wall_s;  /* harness: monotonic time around the whole strategy */
    double process_wall_s;   /* orchestrator: spawn to exit */
    double pool_startup_s;   /* < 0 when there is no pool */
    double cpu_user_s;
    double cpu_sys_s;
    int64_t peak_rss_bytes;  /* max of the sampled tree sum and the harness's own high-water marks */
    int64_t peak_pss_bytes;  /* sampled peak of the tree's PSS sum; 0 when not read */
    int64_t peak_uss_bytes;  /* sampled peak of the tree's USS sum (its unique memory); 0 when not read */
    int64_t peak_proc_uss_bytes; /* the largest USS of one process of the tree; 0 when not read */
    double observer_cpu_s;   /* gilscope's sampler CPU during the run */
    char checksum[65];
    double service_cpu_s;     /* CPU time of gilscope's HTTP service during the run; < 0 when none ran */
    int gil_enabled;          /* the harness's sys._is_gil_enabled() after the window: 1, 0, or -1 unknown */
    char *start_method;      /* processes only */
    int leftover;            /* processes still alive after the run (ended by gilscope) */
    json_t *leftovers;       /* the first of them, [{pid, command}] (owned), or NULL */
    gs_thread_states states; /* worker threads' time by state, from the sampler */
    gs_lane *lanes;          /* per worker thread timeline (timeline runs only; owned) */
    size_t nlanes;
    uint64_t window_start_ns;/* the harness's window, CLOCK_MONOTONIC */
    uint64_t window_end_ns;
    double sample_hz;        /* the sampler's rate in this run */
    int probe_n;             /* GIL latency probe wake-ups (0: no probe) */
    pid_t probe_tid;
    double probe_p50_ms;
    double probe_p99_ms;
    double probe_max_ms;
    double probe_core_wait_ms; /* the probe thread's mean run-queue delay per wake-up */
    json_t *tasks;           /* per-task records from the harness (owned) */
    json_t *workers_seen;
    json_t *values;          /* an experiment's figures: per task, its MEASURES in order (owned), or NULL */
    char *explanation;       /* the workload's sentence about them (explain), or NULL */
    json_t *profile;         /* --profile's figures (a diagnostic run: docs/protocol.md) (owned), or NULL */
    json_t *transfer;        /* what pickling the tasks and results cost (process pools) (owned), or NULL */
} gs_run;

/* One workload x strategy x workers (x chunk size), with its aggregated figures. */
typedef struct gs_cell {
    size_t workload;
    gs_strategy strategy;
    int workers;
    int chunksize;           /* tasks per chunk (GS_SF_CHUNKS strategies); 0 for the others */
    /* Aggregation (gs_session_aggregate). */
    int runs_ok;
    int runs_failed;
    int unavailable;         /* every attempt said unavailable */
    char *error;             /* the first failure, or a result disagreement */
    char *unavailable_reason;
    gs_summary wall;         /* strategy wall of the measured OK runs */
    gs_summary process_wall;
    double speedup;          /* serial median / this median; 0 when unknown */
    double speedup_lo;       /* its 95% interval (percentile bootstrap); 0 when unknown */
    double speedup_hi;
    size_t outliers;         /* measured runs with a modified z-score above 3.5 */
    double cpu_s;            /* median of user + sys */
    double cores_used;       /* median over runs of CPU / strategy wall */
    double pool_startup_s;   /* median; < 0 when there is no pool */
    int64_t peak_rss_bytes;  /* largest over the runs */
    int64_t peak_pss_bytes;  /* largest over the runs, as the run's */
    int64_t peak_uss_bytes;
    int64_t peak_proc_uss_bytes;
    double observer_cpu_s;   /* median */
    char *start_method;
    int disagree;            /* a checksum differed from the reference */
    gs_thread_states states; /* worker-thread time by state, summed over the measured runs */
    double switches_per_s;   /* context switches per second of worker-thread time */
    const gs_run *diag;      /* the cell's diagnostic run, when one finished OK */
    const gs_run *transfer;  /* its first measured OK run that carries a transfer cost, or NULL */
    const gs_run *measured;  /* an experiment's: the measured run of median wall whose values the
                              * reports show (its sentence agrees with its figures), or NULL */
    /* Task durations over the measured runs (the harness's task records). */
    double task_median_s;    /* 0 when no task was recorded */
    double task_mean_s;      /* 0 when no task was recorded */
    double cold_ratio;       /* a worker's first tasks against its last ones (gs_cold_ratio); 0 when unknown */
    double task_max_s;
    int task_slowest;        /* the index of the longest task, -1 when none */
} gs_cell;

typedef struct gs_session {
    const gs_options *opt;
    char *python;            /* the interpreter's real path, as it reported */
    json_t *hello;           /* the interpreter's facts (owned) */
    json_t *metadata;        /* the JSON report's metadata (owned) */
    gs_workload *workloads;
    size_t nworkloads;
    gs_cell *cells;
    size_t ncells;
    gs_run *runs;            /* in planned execution order */
    size_t nruns;
    int executed;            /* runs executed so far */
    int interrupted;         /* the signal that stopped the session, or 0 */
    gs_capacity capacity;    /* the machine's limits and measured capacity (gs_session_measure_capacity) */
} gs_session;

/* How much slower a worker's first tasks ran than its last ones, over the
 * task records of runs (those of cell ci that count): for each worker
 * (pid, tid) of a run that ran 4 tasks or more, the median duration of
 * the first half of its tasks (in start order) over the median of its last
 * quarter; the median of those ratios. 0 when no worker ran 4 tasks. A
 * ratio well above 1 is cold code: the interpreter's specialisation, caches
 * or imports warming up in each fresh worker. */
double gs_cold_ratio(const gs_session *s, size_t ci);

/* A run record's init/free pair: init zeroes it and marks it not run
 * (order, exit status and pool start-up -1); free releases what it owns
 * (error, detail, start method, task records, lanes) and re-inits it. */
void gs_run_init(gs_run *r);
void gs_run_free(gs_run *r);

/* Frees what a cell owns (error, reasons, start method). */
void gs_cell_free(gs_cell *c);

/* Frees what a workload owns (its strings and calibration). */
void gs_workload_free(gs_workload *w);

/* Measures what the cores deliver now (capacity.h) and logs it in
 * s->capacity: a full measurement before the first run and after the last,
 * a cheap one between rounds. Also logs it in the capacity of the
 * workload of the run executed last and of the run that executes next, so
 * that each workload's analysis uses what the cores delivered while it ran.
 * Returns the capacity, or -1. */
double gs_session_measure_capacity(gs_session *s, gs_capacity_when when);

/* Takes a measurement another session of the same run made (cap, -1 when
 * none; one interpreter measures for every interpreter of `run --python
 * A,B`: they share the cores): copies from's machine-wide log into s and
 * logs cap into s's workloads as gs_session_measure_capacity does. */
void gs_session_share_capacity(gs_session *s, const gs_session *from, double cap);

/* The capacity the analysis of workload w uses: the measurements around
 * its runs when there are any, else the session's. */
const gs_capacity *gs_session_capacity_of(const gs_session *s, size_t w);

/* Fills s->workloads from the harness's info message (docs/protocol.md):
 * one per workload it reported, with the user's spec, the size every run
 * will use (--size, else the workload's default). Returns 0, or -1 when out
 * of memory (what was loaded is freed by gs_session_free). */
int gs_session_load_workloads(gs_session *s, json_t *info);

/* The name of a workload that appears twice in s->workloads (given twice,
 * or two specs with one name), or NULL: rows, reports and comparisons are
 * keyed by name, so a session refuses such a list. */
const char *gs_session_duplicate_workload(const gs_session *s);

/* Fails workload w before any of its runs (error is copied): its runs are
 * skipped and its table says why. */
void gs_session_fail_workload(gs_session *s, size_t w, const char *error);

/* Records what --size auto found for workload w (calibrate.h): the tries,
 * and the size, or that the size is ignored, or the error that fails the
 * workload (error NULL when none). tries is not stolen. */
void gs_session_calibrated(gs_session *s, size_t w, long size, int size_ignored, json_t *tries, const char *error);

/* Starts a session over opt for the interpreter that sent hello (the
 * harness's hello message, kept with a new reference): its executable
 * becomes s->python. Returns 0, or -1 when hello names no executable or
 * memory ran out (free the session anyway). */
int gs_session_init(gs_session *s, const gs_options *opt, json_t *hello);

/* Attaches the report's metadata (machine.h); the session takes the
 * reference. */
void gs_session_set_metadata(gs_session *s, json_t *metadata);

/* Execution bookkeeping of run i: begin before it runs (its sampling rate),
 * end after gs_record_run/_states (its place in execution order), skip when
 * it is not run (its workload failed to load, or an earlier run of its cell
 * failed or was unavailable). */
void gs_session_begin_run(gs_session *s, size_t i, double sample_hz);
void gs_session_end_run(gs_session *s, size_t i);
void gs_session_skip_run(gs_session *s, size_t i);

/* Records that signal sig stopped the session. */
void gs_session_interrupt(gs_session *s, int sig);

/* Builds the cells and the run plan for the workloads already in s: per
 * workload, repetitions interleaved across its cells (serial, threads,
 * processes, to_thread, each worker count), warm-ups first. The worker
 * counts are --workers'; without it (opt->workers_default), the core count,
 * and for an I/O-kind workload also doublings of it up to the task count.
 * Returns 0 or -1 (out of memory). */
int gs_session_plan(gs_session *s);

#define GS_BOOTSTRAP_RESAMPLES 2000
#define GS_OUTLIER_Z 3.5

/* Inserts one more measured repetition of workload w's cells after run index
 * `after` (its rounds stay interleaved). Returns how many runs were added, 0
 * when none (out of memory). */
size_t gs_session_add_round(gs_session *s, size_t w, size_t after);

/* True when some measured cell of workload w has less than min_time_s of
 * measured strategy wall and fewer than max_runs runs. */
int gs_session_needs_more(const gs_session *s, size_t w, double min_time_s, int max_runs);

/* Recomputes every cell's figures from the runs: pure function of the runs. */
void gs_session_aggregate(gs_session *s);

/* Exit status the session earned: 0 all measured, 1 a run failed or a cell's
 * results disagreed (unavailable strategies are not failures). */
int gs_session_exit_status(const gs_session *s);

void gs_session_free(gs_session *s);

#endif
