#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int errf(char *err, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Parses a whole decimal integer in [lo, hi]. */
static int parse_long(const char *s, long lo, long hi, long *out) {
    if (s == NULL || *s == '\0') return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Parses a whole finite decimal number. Returns 0, or -1 when s is not one. */
static int parse_double(const char *s, double *out) {
    if (s == NULL || *s == '\0') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int gs_cli_parse_workers(const char *text, int **out, char *err, size_t errlen) {
    *out = NULL;
    size_t n = 0, cap = 0;
    int *v = NULL;
    char *copy = strdup(text);
    if (copy == NULL) return errf(err, errlen, "out of memory");
    char *save = NULL;
    int rc = -1;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long lo, hi;
        char *dots = strstr(tok, "..");
        if (dots != NULL) {
            *dots = '\0';
            if (parse_long(tok, 1, GS_MAX_WORKERS, &lo) || parse_long(dots + 2, 1, GS_MAX_WORKERS, &hi) ||
                hi < lo) {
                errf(err, errlen, "--workers: bad range \"%s..%s\" (expected A..B with 1 <= A <= B <= %d)",
                     tok, dots + 2, GS_MAX_WORKERS);
                goto out;
            }
        } else if (parse_long(tok, 1, GS_MAX_WORKERS, &lo) == 0) {
            hi = lo;
        } else {
            errf(err, errlen, "--workers: \"%s\" is not a worker count from 1 to %d", tok,
                 GS_MAX_WORKERS);
            goto out;
        }
        for (long w = lo; w <= hi; w++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                int *p = realloc(v, cap * sizeof(*v));
                if (p == NULL) {
                    errf(err, errlen, "out of memory");
                    goto out;
                }
                v = p;
            }
            v[n++] = (int)w;
        }
    }
    if (n == 0) {
        errf(err, errlen, "--workers: empty list (expected e.g. 2 or 1,2,4 or 1..8)");
        goto out;
    }
    qsort(v, n, sizeof(*v), cmp_int);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != v[i]) v[m++] = v[i];
    *out = v;
    v = NULL;
    rc = (int)m;
out:
    free(v);
    free(copy);
    return rc;
}

int gs_cli_parse_strategies(const char *text, unsigned *out, char *err, size_t errlen) {
    unsigned set = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",");
        int found = 0;
        if (len == 3 && strncmp(p, "all", 3) == 0) {
            set |= gs_strategy_all();
            found = 1;
        }
        gs_strategy s = found ? -1 : gs_strategy_find(p, len);
        if (s >= 0) {
            set |= 1u << s;
            found = 1;
        }
        if (!found) {
            char known[256];
            gs_strategy_list(known, sizeof(known), ", ");
            return errf(err, errlen, "--strategies: unknown strategy \"%.*s\" (known: %s, all)", (int)len, p, known);
        }
        p += len;
        if (*p == ',') p++;
    }
    if (set == 0) return errf(err, errlen, "--strategies: empty list");
    *out = set;
    return 0;
}

/* One row per option: the table drives both parsing and --help. */
typedef enum opt_id {
    O_HELP, O_VERSION, O_WORKLOAD, O_STRATEGIES, O_WORKERS, O_TASKS, O_SIZE, O_RUNS, O_WARMUP,
    O_PYTHON, O_START_METHOD, O_TIMEOUT, O_EXPORT_JSON, O_HASH_SEED, O_PROGRESS, O_NO_PROGRESS,
    O_SAMPLE_HZ, O_PROBE, O_TIMELINE, O_TARGET_TIME, O_MIN_TIME, O_EXPORT_MD, O_EXPORT_CSV, O_FAIL_ABOVE, O_FAIL_SPEEDUP, O_EXPORT_HTML, O_OUTPUT
} opt_id;

typedef struct opt_def {
    opt_id id;
    const char *lng;
    char shrt;
    const char *arg;   /* NULL for a flag */
    unsigned cmds;     /* bit (1u << gs_command) per command that takes it */
    const char *help;
} opt_def;

#define RUN (1u << GS_CMD_RUN)
#define LIST (1u << GS_CMD_LIST)
#define REPORT (1u << GS_CMD_REPORT)
#define COMPARE (1u << GS_CMD_COMPARE)
#define MERGE (1u << GS_CMD_MERGE)
#define ANY (RUN | LIST | REPORT | COMPARE | MERGE | (1u << GS_CMD_NONE))

static const opt_def opts[] = {
    {O_WORKLOAD, "workload", 'W', "NAME|FILE", RUN | LIST,
     "Workload to measure: a built-in name or a path to a .py file (repeatable; "
     "also taken as positional arguments). Default: every built-in."},
    {O_STRATEGIES, "strategies", 's', "LIST", RUN,
     "Comma-separated strategies: serial, threads, processes, to_thread, or all "
     "(default: all)."},
    {O_WORKERS, "workers", 'j', "LIST", RUN,
     "Worker counts, e.g. 2 or 1,2,4 or 1..8 (default: the number of cores). "
     "serial always runs with 1."},
    {O_TASKS, "tasks", 't', "N", RUN, "Tasks per run (default: 8)."},
    {O_MIN_TIME, "min-time", 0, "SECONDS", RUN,
     "Repeat each workload's cells (another interleaved round at a time, up to 1000 runs a cell) "
     "until every cell has measured at least this much strategy wall time (default: 0, off)."},
    {O_TARGET_TIME, "target-time", 0, "SECONDS", RUN,
     "With --size auto: how long one serial run should last (default: 1)."},
    {O_SIZE, "size", 'z', "N|default|auto", RUN,
     "Task size passed to the workload (default: the workload's DEFAULT_SIZE). auto: calibrate it "
     "once per workload, in the manner of timeit.autorange, so a serial run lasts about "
     "--target-time; the chosen size is reported."},
    {O_RUNS, "runs", 'r', "N", RUN, "Measured runs per cell (default: 6, the fewest whose median interval reaches 95%)."},
    {O_WARMUP, "warmup", 'w', "N", RUN,
     "Warm-up runs per cell before the measured ones, not counted (default: 1)."},
    {O_PYTHON, "python", 'p', "PATH", RUN | LIST,
     "Interpreter to run (default: python3 on PATH); its real path is recorded."},
    {O_START_METHOD, "start-method", 'm', "METHOD", RUN,
     "Process pool start method: fork, spawn or forkserver (default: the "
     "interpreter's own default, reported)."},
    {O_TIMEOUT, "timeout", 'T', "SECONDS", RUN,
     "Kill a run, its pool workers included, after this long (default: 300)."},
    {O_FAIL_ABOVE, "fail-above", 0, "PCT", COMPARE,
     "Fail (exit 1) when a cell's wall time grew significantly by more than PCT percent (default: 10)."},
    {O_FAIL_SPEEDUP, "fail-speedup-below", 0, "PCT", COMPARE,
     "Fail when a cell's speedup fell by more than PCT percent with non-overlapping intervals "
     "(default: 10)."},
    {O_OUTPUT, "output", 'o', "FILE", MERGE,
     "Write the merged JSON report to FILE (default: stdout, unless an --export-* or --timeline "
     "option is given); - for stdout."},
    {O_EXPORT_MD, "export-markdown", 0, "FILE", RUN | REPORT | MERGE,
     "Write a Markdown report (one table per workload, the verdict under it; fits a CI job "
     "summary) to FILE (run: rewritten after every run); - for stdout."},
    {O_EXPORT_CSV, "export-csv", 0, "FILE", RUN | REPORT | MERGE,
     "Write one CSV row per cell (columns in docs/exports.md) to FILE (run: rewritten after every run); "
     "- for stdout."},
    {O_EXPORT_HTML, "export-html", 0, "FILE", RUN | REPORT | MERGE,
     "Write one self-contained HTML file (inline SVG: speedup bars with interval whiskers, "
     "scaling curves, thread-state bars, timelines, verdicts; no network) to FILE (run: rewritten "
     "after every run); - for stdout."},
    {O_EXPORT_JSON, "export-json", 0, "FILE", RUN | REPORT | MERGE,
     "Write the JSON report to FILE (run: rewritten after every run); - for stdout "
     "(run: the table then goes to stderr)."},
    {O_HASH_SEED, "hash-seed", 0, "N", RUN,
     "PYTHONHASHSEED for every run, so hash()-ordered results agree (default: 0)."},
    {O_SAMPLE_HZ, "sample-hz", 0, "HZ", RUN,
     "Rate at which every thread of a run is sampled from /proc (default: 80; at most 1000). "
     "The sampler's own CPU time is reported per run."},
    {O_PROBE, "probe", 0, NULL, RUN,
     "Add one diagnostic run per cell with a GIL latency probe: a thread that sleeps 1 ms in a "
     "loop and records how late it runs Python again (p50/p99/max). Diagnostic runs are kept "
     "out of the wall-time statistics."},
    {O_TIMELINE, "timeline", 0, "FILE.svg", RUN | REPORT | MERGE,
     "run: add one diagnostic run per cell, sampled at 1000 Hz, keep each worker thread's "
     "states over time in the report (drawn in the HTML report too) and draw them into FILE.svg, "
     "one panel per cell. report, merge: draw the timelines the reports hold. - for stdout."},
    {O_PROGRESS, "progress", 0, NULL, RUN, "Show progress on stderr even when it is not a terminal."},
    {O_NO_PROGRESS, "no-progress", 0, NULL, RUN, "Never show progress."},
    {O_HELP, "help", 'h', NULL, ANY, "Print this help and exit."},
    {O_VERSION, "version", 'V', NULL, ANY, "Print the version and exit."},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const opt_def *find_long(const char *name, size_t len) {
    for (size_t i = 0; i < NOPTS; i++)
        if (strlen(opts[i].lng) == len && strncmp(opts[i].lng, name, len) == 0) return &opts[i];
    return NULL;
}

static const opt_def *find_short(char c) {
    for (size_t i = 0; i < NOPTS; i++)
        if (opts[i].shrt == c) return &opts[i];
    return NULL;
}

static int add_workload(gs_options *o, const char *w, char *err, size_t errlen) {
    if (*w == '\0') return errf(err, errlen, "--workload: empty name");
    const char **p = realloc(o->workloads, (o->nworkloads + 1) * sizeof(*p));
    if (p == NULL) return errf(err, errlen, "out of memory");
    o->workloads = p;
    o->workloads[o->nworkloads++] = w;
    return 0;
}

/* Applies one option with its argument (NULL for flags). */
static int apply(gs_options *o, const opt_def *d, const char *v, char *err, size_t errlen) {
    long n;
    double x;
    switch (d->id) {
    case O_HELP: o->show_help = 1; return 0;
    case O_VERSION: o->show_version = 1; return 0;
    case O_WORKLOAD: return add_workload(o, v, err, errlen);
    case O_STRATEGIES: return gs_cli_parse_strategies(v, &o->strategies, err, errlen);
    case O_WORKERS: {
        free(o->workers);
        int c = gs_cli_parse_workers(v, &o->workers, err, errlen);
        if (c < 0) return -1;
        o->nworkers = (size_t)c;
        return 0;
    }
    case O_TASKS:
        if (parse_long(v, 1, 100000, &n))
            return errf(err, errlen, "--tasks: \"%s\" is not a number from 1 to 100000", v);
        o->tasks = (int)n;
        return 0;
    case O_SIZE:
        if (strcmp(v, "default") == 0) {
            o->size = 0;
            return 0;
        }
        if (strcmp(v, "auto") == 0) {
            o->size = -1;
            return 0;
        }
        if (parse_long(v, 1, LONG_MAX, &n))
            return errf(err, errlen, "--size: \"%s\" is not a positive integer, \"default\" or \"auto\"", v);
        o->size = n;
        return 0;
    case O_RUNS:
        if (parse_long(v, 1, 100000, &n))
            return errf(err, errlen, "--runs: \"%s\" is not a number from 1 to 100000", v);
        o->runs = (int)n;
        return 0;
    case O_WARMUP:
        if (parse_long(v, 0, 100000, &n))
            return errf(err, errlen, "--warmup: \"%s\" is not a number from 0 to 100000", v);
        o->warmup = (int)n;
        return 0;
    case O_PYTHON:
        if (*v == '\0') return errf(err, errlen, "--python: empty path");
        o->python = v;
        return 0;
    case O_START_METHOD:
        if (strcmp(v, "fork") && strcmp(v, "spawn") && strcmp(v, "forkserver"))
            return errf(err, errlen,
                        "--start-method: unknown method \"%s\" (known: fork, spawn, forkserver)", v);
        o->start_method = v;
        return 0;
    case O_TIMEOUT:
        if (parse_double(v, &x) || !(x > 0) || x > 1e6)
            return errf(err, errlen, "--timeout: \"%s\" is not a positive number of seconds", v);
        o->timeout_s = x;
        return 0;
    case O_EXPORT_JSON:
    case O_OUTPUT:
        if (*v == '\0') return errf(err, errlen, "%s: empty path", d->id == O_OUTPUT ? "--output" : "--export-json");
        if (o->export_json && o->command == GS_CMD_MERGE)
            return errf(err, errlen, "the JSON report goes to one file: give one --output or --export-json");
        o->export_json = v;
        return 0;
    case O_EXPORT_MD:
        if (*v == '\0') return errf(err, errlen, "--export-markdown: empty path");
        o->export_markdown = v;
        return 0;
    case O_EXPORT_HTML:
        if (*v == '\0') return errf(err, errlen, "--export-html: empty path");
        o->export_html = v;
        return 0;
    case O_EXPORT_CSV:
        if (*v == '\0') return errf(err, errlen, "--export-csv: empty path");
        o->export_csv = v;
        return 0;
    case O_HASH_SEED:
        if (parse_long(v, 0, 4294967295L, &n))
            return errf(err, errlen, "--hash-seed: \"%s\" is not a number from 0 to 4294967295", v);
        o->hash_seed = (unsigned long)n;
        return 0;
    case O_SAMPLE_HZ:
        if (parse_double(v, &x) || !(x >= 1.0) || x > GS_MAX_SAMPLE_HZ)
            return errf(err, errlen, "--sample-hz: \"%s\" is not a rate from 1 to %g", v, GS_MAX_SAMPLE_HZ);
        o->sample_hz = x;
        return 0;
    case O_PROBE: o->probe = 1; return 0;
    case O_FAIL_ABOVE:
    case O_FAIL_SPEEDUP:
        if (parse_double(v, &x) || !(x >= 0) || x > 1000)
            return errf(err, errlen, "--%s: \"%s\" is not a percentage from 0 to 1000", d->lng, v);
        if (d->id == O_FAIL_ABOVE) o->fail_above = x / 100;
        else o->fail_speedup = x / 100;
        return 0;
    case O_MIN_TIME:
        if (parse_double(v, &x) || !(x >= 0) || x > 86400)
            return errf(err, errlen, "--min-time: \"%s\" is not a number of seconds from 0 to 86400", v);
        o->min_time_s = x;
        return 0;
    case O_TARGET_TIME:
        if (parse_double(v, &x) || !(x >= 0.01) || x > 3600)
            return errf(err, errlen, "--target-time: \"%s\" is not a number of seconds from 0.01 to 3600", v);
        o->target_time_s = x;
        return 0;
    case O_TIMELINE:
        if (*v == '\0') return errf(err, errlen, "--timeline: empty path");
        o->timeline = v;
        return 0;
    case O_PROGRESS: o->progress = 1; return 0;
    case O_NO_PROGRESS: o->progress = 0; return 0;
    }
    return errf(err, errlen, "internal error: unhandled option");
}

static const char *cmd_name(gs_command c) {
    return c == GS_CMD_RUN      ? "run"
           : c == GS_CMD_LIST   ? "list"
           : c == GS_CMD_REPORT ? "report"
           : c == GS_CMD_MERGE  ? "merge"
           : c == GS_CMD_COMPARE ? "compare"
                                 : "gilscope";
}

int gs_cli_parse(int argc, char **argv, gs_options *o, char *err, size_t errlen) {
    memset(o, 0, sizeof(*o));
    o->tasks = GS_DEFAULT_TASKS;
    o->runs = GS_DEFAULT_RUNS;
    o->warmup = GS_DEFAULT_WARMUP;
    o->timeout_s = GS_DEFAULT_TIMEOUT_S;
    o->strategies = gs_strategy_all();
    o->python = "python3";
    o->progress = -1;
    o->sample_hz = GS_DEFAULT_SAMPLE_HZ;
    o->target_time_s = GS_DEFAULT_TARGET_TIME_S;
    o->fail_above = 0.10;
    o->fail_speedup = 0.10;
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_positional && strcmp(a, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (only_positional || a[0] != '-' || a[1] == '\0') {
            if (o->command == GS_CMD_NONE) {
                if (strcmp(a, "run") == 0) o->command = GS_CMD_RUN;
                else if (strcmp(a, "list") == 0) o->command = GS_CMD_LIST;
                else if (strcmp(a, "report") == 0) o->command = GS_CMD_REPORT;
                else if (strcmp(a, "compare") == 0) o->command = GS_CMD_COMPARE;
                else if (strcmp(a, "merge") == 0) o->command = GS_CMD_MERGE;
                else if (strcmp(a, "help") == 0) o->show_help = 1;
                else
                    return errf(err, errlen,
                                "unknown command \"%s\" (commands: run, list, report, compare, merge; try gilscope --help)", a);
                continue;
            }
            if (o->command == GS_CMD_COMPARE) {
                if (o->report_file == NULL) o->report_file = a;
                else if (o->compare_new == NULL) o->compare_new = a;
                else return errf(err, errlen, "compare takes two files (got \"%s\" too)", a);
                continue;
            }
            if (o->command == GS_CMD_MERGE) {
                const char **p = realloc(o->inputs, (o->ninputs + 1) * sizeof(*p));
                if (p == NULL) return errf(err, errlen, "out of memory");
                o->inputs = p;
                o->inputs[o->ninputs++] = a;
                continue;
            }
            if (o->command == GS_CMD_REPORT) {
                if (o->report_file != NULL) return errf(err, errlen, "report takes one file (got \"%s\" too)", a);
                o->report_file = a;
                continue;
            }
            if (add_workload(o, a, err, errlen)) return -1;
            continue;
        }
        const opt_def *d = NULL;
        const char *val = NULL;
        char shown[64];
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            d = find_long(name, len);
            snprintf(shown, sizeof(shown), "--%.*s", (int)(len > 40 ? 40 : len), name);
            if (d && eq) {
                if (d->arg == NULL) return errf(err, errlen, "%s takes no value", shown);
                val = eq + 1;
            }
        } else {
            d = find_short(a[1]);
            snprintf(shown, sizeof(shown), "-%c", a[1]);
            if (d && a[2] != '\0') {
                if (d->arg == NULL) return errf(err, errlen, "%s takes no value (got \"%s\")", shown, a);
                val = a + 2;
            }
        }
        if (d == NULL || !(d->cmds & (1u << o->command))) {
            if (d != NULL)
                return errf(err, errlen, "%s is not an option of %s (try gilscope %s --help)", shown,
                            cmd_name(o->command), o->command ? cmd_name(o->command) : "");
            return errf(err, errlen, "unknown option %s (try gilscope %s%s--help)", shown,
                        o->command ? cmd_name(o->command) : "", o->command ? " " : "");
        }
        if (d->arg != NULL && val == NULL) {
            if (i + 1 >= argc) return errf(err, errlen, "%s needs a value (%s)", shown, d->arg);
            val = argv[++i];
        }
        if (apply(o, d, val, err, errlen)) return -1;
    }
    if (o->nworkloads > 0 && o->command == GS_CMD_NONE && !o->show_help && !o->show_version)
        return errf(err, errlen, "workloads given without a command (try gilscope run ...)");
    if (o->command == GS_CMD_COMPARE && o->compare_new == NULL && !o->show_help)
        return errf(err, errlen, "compare needs two saved JSON reports (gilscope compare BASE.json NEW.json)");
    if (o->command == GS_CMD_MERGE && o->ninputs == 0 && !o->show_help)
        return errf(err, errlen, "merge needs saved JSON reports (gilscope merge A.json B.json ... -o ALL.json)");
    if (o->command == GS_CMD_REPORT && o->report_file == NULL && !o->show_help)
        return errf(err, errlen, "report needs a saved JSON report (gilscope report FILE.json)");
    int to_stdout = (o->export_json && strcmp(o->export_json, "-") == 0) +
                    (o->export_markdown && strcmp(o->export_markdown, "-") == 0) +
                    (o->export_csv && strcmp(o->export_csv, "-") == 0) +
                    (o->export_html && strcmp(o->export_html, "-") == 0) +
                    (o->timeline && strcmp(o->timeline, "-") == 0);
    if (to_stdout > 1) return errf(err, errlen, "only one of --export-* and --timeline can write to stdout (-)");
    return 0;
}

static void print_wrapped(FILE *f, const char *text, int indent, int width) {
    int col = indent;
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > indent && col + (int)w + 1 > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += (int)w;
        p += w;
        while (*p == ' ') p++;
    }
    fputc('\n', f);
}

void gs_cli_help(gs_command cmd, FILE *f) {
    if (cmd == GS_CMD_NONE) {
        fprintf(f,
                "gilscope %s: how much faster does Python work get with threads, a process\n"
                "pool or asyncio.to_thread, and why not more?\n\n"
                "Usage: gilscope <command> [options]\n\n"
                "Commands:\n"
                "  run     measure workloads under each strategy and compare them\n"
                "  list    show the workloads and strategies the interpreter can run\n"
                "  report  re-render a saved JSON report as Markdown, CSV, HTML or JSON\n"
                "  compare compare two saved reports; exit 1 on a significant regression\n"
                "  merge   join saved reports (a CI matrix of machines and interpreters) into one\n\n"
                "Options:\n"
                "  -h, --help      print help (gilscope <command> --help for a command's options)\n"
                "  -V, --version   print the version\n\n"
                "Example: gilscope run --workload cpu --workers 2\n",
                GS_VERSION);
        return;
    }
    if (cmd == GS_CMD_RUN)
        fprintf(f, "Usage: gilscope run [options] [WORKLOAD...]\n\n"
                   "Runs every workload under every strategy and worker count, one fresh\n"
                   "interpreter per run, repetitions interleaved across strategies, and prints\n"
                   "a table per workload: wall time with its interval, speedup against serial\n"
                   "with its 95%% interval, CPU, cores used, where the worker threads' time went\n"
                   "(on CPU, GIL wait, ...), peak memory and pool start-up, then the verdict,\n"
                   "scaling fits and warnings. Exit status: 0 all measured, 1 a run failed or a\n"
                   "strategy's results disagreed with serial, 2 usage or input error,\n"
                   "130/143 interrupted by SIGINT/SIGTERM (reports written first).\n\n");
    else if (cmd == GS_CMD_COMPARE)
        fprintf(f, "Usage: gilscope compare BASE.json NEW.json [options]\n\n"
                   "Compares every cell (workload, strategy, workers, and source in merged reports)\n"
                   "found in both: the wall-time change with a 95%% bootstrap interval of the ratio\n"
                   "of medians (significant when it excludes 1; needs 3 runs a side) and the\n"
                   "speedup against serial. Exit status: 0 no regression; 1 a significant\n"
                   "regression beyond a threshold (one line per cell on stderr); 2 the files\n"
                   "cannot be read or measured different things.\n\n");
    else if (cmd == GS_CMD_MERGE)
        fprintf(f, "Usage: gilscope merge A.json B.json ... [-o ALL.json] [options]\n\n"
                   "Joins saved reports into one, for a CI matrix across machines and\n"
                   "interpreters. Each file becomes a source labelled by its path without .json\n"
                   "(the fewest trailing directories that keep the labels distinct); every cell\n"
                   "keeps its source's label, and each source keeps its metadata. report, compare\n"
                   "and the exporters show the sources side by side. Exit status: 0; 1 an output\n"
                   "could not be written; 2 a file cannot be read or is not a gilscope report.\n\n");
    else if (cmd == GS_CMD_REPORT)
        fprintf(f, "Usage: gilscope report FILE.json [options]\n\n"
                   "Re-renders a report saved with --export-json, without running anything. With\n"
                   "no --export-* or --timeline option it prints Markdown on stdout. Exit status:\n"
                   "0; 1 an output could not be written; 2 the file cannot be read or is not a\n"
                   "gilscope report.\n\n");
    else
        fprintf(f, "Usage: gilscope list [options] [WORKLOAD...]\n\n"
                   "Shows the workloads (built-in, or the files given) and the strategies and\n"
                   "start methods the interpreter can run, with the reason for any that it\n"
                   "cannot.\n\n");
    fprintf(f, "Options:\n");
    for (size_t i = 0; i < NOPTS; i++) {
        if (!(opts[i].cmds & (1u << cmd))) continue;
        char head[64];
        int n = opts[i].shrt ? snprintf(head, sizeof(head), "-%c, --%s", opts[i].shrt, opts[i].lng)
                             : snprintf(head, sizeof(head), "    --%s", opts[i].lng);
        if (opts[i].arg) snprintf(head + n, sizeof(head) - (size_t)n, " %s", opts[i].arg);
        fprintf(f, "  %s\n      ", head);
        print_wrapped(f, opts[i].help, 6, 78);
    }
}

void gs_cli_free(gs_options *o) {
    free(o->workloads);
    free(o->workers);
    free(o->inputs);
    o->inputs = NULL;
    o->workloads = NULL;
    o->workers = NULL;
}
