#ifndef GS_CLI_H
#define GS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "command.h"
#include "exports.h"
#include "strategy.h"

#define GS_VERSION "0.1.0"

/* Everything the command line said. Strings point into argv. */
typedef struct gs_options {
    gs_command command;
    int show_help;             /* --help: print help for the command */
    int show_version;          /* --version */
    const char **workloads;    /* built-in names or paths; owned array */
    size_t nworkloads;         /* 0: every built-in */
    unsigned strategies;       /* bit (1u << gs_strategy) per selected strategy */
    int *workers;              /* worker counts, ascending, distinct; owned */
    size_t nworkers;           /* 0: the number of cores */
    int workers_default;       /* run set workers to the core count itself (no --workers) */
    int *chunksizes;           /* --chunksize: tasks per chunk, ascending, distinct; owned; NULL: the
                                * strategy's own choice (starmap's: tasks / (4 x workers), rounded up) */
    size_t nchunksizes;
    int tasks;                 /* tasks per run */
    long size;                 /* task size; 0: each workload's default; -1: calibrate */
    double target_time_s;      /* --size auto: how long a serial run should last */
    double min_time_s;         /* --min-time: measured wall time each cell needs at least; 0: none */
    int runs;                  /* measured runs per cell */
    int warmup;                /* warm-up runs per cell, not counted */
    int warm_calls;            /* --warm-calls: calls of run per worker before each run's window */
    const char *python;        /* interpreter to run: pythons[0] */
    const char **pythons;      /* --python A,B,...: each entry (a path or a version name); owned array */
    size_t npythons;           /* at least 1 */
    char *python_list;         /* the storage pythons[] point into; owned */
    const char *start_method;  /* NULL: the interpreter's default */
    double timeout_s;          /* per run */
    gs_outputs outputs;        /* --export-*, --timeline, --output: where the report goes */
    const char *report_file;   /* report: the saved JSON report to re-render; compare: BASE */
    const char *compare_new;   /* compare: NEW */
    const char **inputs;       /* merge: the reports to merge; owned array */
    size_t ninputs;
    double fail_above;         /* compare: wall-time growth that fails, as a fraction */
    double fail_speedup;       /* compare: speedup drop that fails, as a fraction */
    int allow_different;       /* compare: compare reports that measured different things */
    unsigned long hash_seed;   /* PYTHONHASHSEED for every run */
    int progress;              /* -1 auto (stderr is a terminal), 0 off, 1 on */
    int wide;                  /* --wide: every column of the terminal table */
    int verbose;               /* -v: every warning on its own */
    double sample_hz;          /* /proc sampling rate of measured runs */
    int probe;                 /* --probe: an extra run per cell with the GIL latency probe */
    int no_gc;                 /* --no-gc: the cyclic GC off during each run's window */
    int profile;               /* --profile: a diagnostic run per cell under cProfile */
    int port;                  /* serve --port: 0 for a free port */
    const char *lesson;        /* teach: the lesson to run; NULL: list them */
} gs_options;

#define GS_DEFAULT_TASKS 8
#define GS_DEFAULT_RUNS 6
#define GS_DEFAULT_WARMUP 1
#define GS_DEFAULT_TIMEOUT_S 300.0
#define GS_MAX_WORKERS 1024
#define GS_MAX_CHUNKSIZE 100000
#define GS_MAX_CHUNKSIZES 64
#define GS_DEFAULT_SAMPLE_HZ 80.0
#define GS_DEFAULT_TARGET_TIME_S 1.0
#define GS_MAX_SAMPLE_HZ 1000.0
#define GS_TIMELINE_SAMPLE_HZ 1000.0

/* Parses argv (argv[0] is the program). Returns 0, or -1 with a one-line
 * message naming the argument at fault in err. Free with gs_cli_free. */
int gs_cli_parse(int argc, char **argv, gs_options *o, char *err, size_t errlen);

/* Parses a worker list "1,2,4" or a range "1..8" (or a mix "1,2..4"): sorted,
 * duplicates removed. Returns the count, or -1 with err set. *out is owned by
 * the caller. */
int gs_cli_parse_workers(const char *text, int **out, char *err, size_t errlen);

/* The same for any list of counts from 1 to max: opt ("--chunksize") and what
 * ("chunk size") name them in err. */
int gs_cli_parse_counts(const char *opt, const char *what, const char *text, int max, int **out, char *err,
                        size_t errlen);

/* Parses "--python A,B,...": the entries of a comma-separated list, none
 * empty, none twice. Returns the count (1 to GS_MAX_PYTHONS) with *list the
 * storage and *out the entries pointing into it (the caller frees both), or
 * -1 with err set. */
int gs_cli_parse_pythons(const char *text, char **list, const char ***out, char *err, size_t errlen);
#define GS_MAX_PYTHONS 16

/* Parses "serial,threads" or "all" into a strategy bit set. Returns -1 with
 * err set on an unknown name. */
int gs_cli_parse_strategies(const char *text, unsigned *out, char *err, size_t errlen);

/* Whether run should add the diagnostic run per cell that --timeline asks
 * for (sampled fast, its lanes kept in the report). */
int gs_cli_wants_timeline(const gs_options *o);

/* Writes the help of a command (GS_CMD_NONE: the top level), from the
 * option, command, strategy and exporter tables. */
void gs_cli_help(gs_command cmd, FILE *f);

void gs_cli_free(gs_options *o);

#endif
