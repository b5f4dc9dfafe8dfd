#include "optable.h"

#include <string.h>

#define RUN GS_CMD_BIT(GS_CMD_RUN)
#define LIST GS_CMD_BIT(GS_CMD_LIST)
#define REPORT GS_CMD_BIT(GS_CMD_REPORT)
#define COMPARE GS_CMD_BIT(GS_CMD_COMPARE)
#define MERGE GS_CMD_BIT(GS_CMD_MERGE)
#define SERVE GS_CMD_BIT(GS_CMD_SERVE)
#define TEACH GS_CMD_BIT(GS_CMD_TEACH)
#define ANY (RUN | LIST | REPORT | COMPARE | MERGE | SERVE | TEACH | GS_CMD_BIT(GS_CMD_NONE))

static const opt_def opts[] = {
    {O_WORKLOAD, 0, "workload", 'W', "NAME|FILE", RUN | LIST,
     "Workload to measure: a built-in name or a path to a .py file (repeatable; "
     "also taken as positional arguments). Default: every built-in."},
    {O_STRATEGIES, 0, "strategies", 's', "LIST", RUN,
     "Comma-separated strategies, or all (default: every one not marked \"only when named\"); they run in "
     "this order:"},
    {O_WORKERS, 0, "workers", 'j', "LIST", RUN,
     "Worker counts, e.g. 2 or 1,2,4 or 1..8 (default: the number of cores, and for "
     "I/O-bound workloads doublings of it up to --tasks). serial always runs with 1."},
    {O_CHUNKSIZE, 0, "chunksize", 0, "LIST", RUN,
     "Tasks per chunk of mp_pool (multiprocessing.Pool.starmap), e.g. 1 or 1,4,16 or 1..4: a list "
     "is a sweep, one row per chunk size (default: starmap's own, tasks / (4 × workers) rounded up)."},
    {O_TASKS, 0, "tasks", 't', "N", RUN, "Tasks per run (default: 8)."},
    {O_MIN_TIME, 0, "min-time", 0, "SECONDS", RUN,
     "Repeat each workload's cells (another interleaved round at a time, up to 1000 runs a cell) "
     "until every cell has measured at least this much strategy wall time (default: 0, off)."},
    {O_TARGET_TIME, 0, "target-time", 0, "SECONDS", RUN,
     "With --size auto: how long one serial run should last (default: 1)."},
    {O_SIZE, 0, "size", 'z', "N|default|auto", RUN,
     "Task size passed to the workload (default: the workload's DEFAULT_SIZE). auto: calibrate it "
     "once per workload, in the manner of timeit.autorange, so a serial run lasts about "
     "--target-time; the chosen size is reported."},
    {O_RUNS, 0, "runs", 'r', "N", RUN, "Measured runs per cell (default: 6, the fewest whose median interval reaches 95%)."},
    {O_WARMUP, 0, "warmup", 'w', "N", RUN,
     "Warm-up runs per cell before the measured ones, not counted (default: 1)."},
    {O_WARM_CALLS, 0, "warm-calls", 0, "N", RUN,
     "In every run, each worker calls the workload N times before the timed window opens, so that "
     "speedups compare warm code with warm code (a fresh interpreter specialises code as it runs it). "
     "Pools are then started outside the window: pool start-up is not measured (default: 0)."},
    {O_PYTHON, 0, "python", 'p', "LIST", RUN | LIST | TEACH,
     "Interpreters to run, comma-separated: paths, or version names (3.11, python3.13, 3.13t) "
     "looked up on PATH, in pyenv, then in gilscope's cache (scripts/pythons.sh). Several: one "
     "session each, runs interleaved, one table with the Pythons side by side (default: python3 "
     "on PATH); each real path is recorded."},
    {O_START_METHOD, 0, "start-method", 'm', "METHOD", RUN,
     "Process pool start method: fork, spawn or forkserver (default: the "
     "interpreter's own default, reported)."},
    {O_TIMEOUT, 0, "timeout", 'T', "SECONDS", RUN,
     "Kill a run, its pool workers included, after this long (default: 300)."},
    {O_FAIL_ABOVE, 0, "fail-above", 0, "PCT", COMPARE,
     "Fail (exit 1) when a cell's wall-time interval lies wholly above +PCT percent: the runs show a "
     "slowdown larger than PCT (default: 10)."},
    {O_FAIL_SPEEDUP, 0, "fail-speedup-below", 0, "PCT", COMPARE,
     "Fail when a cell's new speedup interval lies wholly below the base's low end less PCT percent "
     "(6 measured runs a side or more; default: 10)."},
    {O_ALLOW_DIFFERENT, 0, "allow-different", 0, NULL, COMPARE,
     "Compare reports that measured different things (task size, task count, interpreter, start method, "
     "workload file or --no-gc differ), saying so in the output, instead of refusing them (exit 2)."},
    {O_COMPARE_JSON, 0, "export-json", 0, "FILE", COMPARE,
     "Also write the comparison as JSON (docs/ci.md) to FILE, refusals included; - for stdout (the table "
     "then goes to stderr)."},
    {O_OUTPUT, 0, "output", 'o', "FILE", MERGE,
     "Write the merged JSON report to FILE (default: stdout, unless an --export-* or --timeline "
     "option is given); - for stdout."},
    {O_EXPORTS, 0, NULL, 0, NULL, 0, NULL},
    {O_PORT, 0, "port", 0, "N", SERVE,
     "TCP port to listen on, on 127.0.0.1 only (default: 0, a free port chosen by the system; the "
     "URL line says which)."},
    {O_HASH_SEED, 0, "hash-seed", 0, "N", RUN,
     "PYTHONHASHSEED for every run, so hash()-ordered results agree (default: 0)."},
    {O_SAMPLE_HZ, 0, "sample-hz", 0, "HZ", RUN,
     "Rate at which every thread of a run is sampled from /proc (default: 80; at most 1000). "
     "The sampler's own CPU time is reported per run."},
    {O_PROFILE, 0, "profile", 0, NULL, RUN,
     "Add one diagnostic run per cell under cProfile and report where its time went: the top functions "
     "by own and by cumulative time, as file.py:line(function), of the threads or pool processes that ran "
     "the tasks (docs/measurement.md, \"Profiles\"). Kept out of the statistics; not with --probe or "
     "--timeline, whose diagnostic run the profiler would slow."},
    {O_NO_GC, 0, "no-gc", 0, NULL, RUN,
     "Switch Python's cyclic garbage collector off while tasks are timed, as timeit does: in the "
     "harness's process for each run's window (threads, asyncio, serial), in pool processes and "
     "subinterpreters from their start (they live for one run, warm-up calls included); recorded in the "
     "report, and compare refuses to set a run with it beside one without (default: the collector runs)."},
    {O_PROBE, 0, "probe", 0, NULL, RUN,
     "Add one diagnostic run per cell with a GIL latency probe: a thread that sleeps 1 ms in a "
     "loop and records how late it runs Python again (p50/p99/max). Diagnostic runs are kept "
     "out of the wall-time statistics."},
    {O_PROGRESS, 0, "progress", 0, NULL, RUN | TEACH,
     "Show progress on stderr even when it is not a terminal (default: only on a terminal, as a line "
     "redrawn with an ETA); into a pipe or file, one plain line per finished cell."},
    {O_NO_PROGRESS, 0, "no-progress", 0, NULL, RUN | TEACH, "Never show progress."},
    {O_WIDE, 0, "wide", 0, NULL, RUN | TEACH,
     "Print every column of the table (CPU, on CPU, peak RSS, pool start-up, the wall time's interval), "
     "however wide. By default the table fits the terminal (its width, else COLUMNS, else 100)."},
    {O_VERBOSE, 0, "verbose", 'v', NULL, RUN | TEACH,
     "Print every warning on its own under its workload's table, instead of one line per cause after "
     "the last table."},
    {O_HELP, 0, "help", 'h', NULL, ANY, "Print this help and exit."},
    {O_VERSION, 0, "version", 'V', NULL, ANY, "Print the version and exit."},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

const opt_def *gs__opt_table(size_t *n) {
    *n = NOPTS;
    return opts;
}

const opt_def *gs__opt_of_exporter(gs_export e, opt_def *out) {
    const gs_exporter *x = gs_exporter_get(e);
    *out = (opt_def){O_EXPORTS, (int)e, x->option, 0, x->arg, x->commands, x->help};
    return out;
}

const opt_def *gs__opt_find_long(const char *name, size_t len, gs_command cmd, opt_def *tmp) {
    const opt_def *found = NULL;
    for (size_t i = 0; i < NOPTS; i++)
        if (opts[i].lng && strlen(opts[i].lng) == len && strncmp(opts[i].lng, name, len) == 0) {
            if (opts[i].cmds & GS_CMD_BIT(cmd)) return &opts[i];
            if (found == NULL) found = &opts[i];
        }
    for (int e = 0; e < GS_EXPORT_COUNT; e++) {
        const gs_exporter *x = gs_exporter_get((gs_export)e);
        if (x && strlen(x->option) == len && strncmp(x->option, name, len) == 0) {
            gs__opt_of_exporter((gs_export)e, tmp);
            if ((tmp->cmds & GS_CMD_BIT(cmd)) || found == NULL) return tmp;
        }
    }
    return found;
}

const opt_def *gs__opt_find_short(char c) {
    for (size_t i = 0; i < NOPTS; i++)
        if (opts[i].shrt && opts[i].shrt == c) return &opts[i];
    return NULL;
}
