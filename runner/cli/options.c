#include "cli.h"

#include "optable.h"

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
    return gs_cli_parse_counts("--workers", "worker count", text, GS_MAX_WORKERS, out, err, errlen);
}

int gs_cli_parse_counts(const char *opt, const char *what, const char *text, int max, int **out, char *err,
                        size_t errlen) {
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
            if (parse_long(tok, 1, max, &lo) || parse_long(dots + 2, 1, max, &hi) || hi < lo) {
                errf(err, errlen, "%s: bad range \"%s..%s\" (expected A..B with 1 <= A <= B <= %d)", opt, tok,
                     dots + 2, max);
                goto out;
            }
        } else if (parse_long(tok, 1, max, &lo) == 0) {
            hi = lo;
        } else {
            errf(err, errlen, "%s: \"%s\" is not a %s from 1 to %d", opt, tok, what, max);
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
        errf(err, errlen, "%s: empty list (expected e.g. 2 or 1,2,4 or 1..8)", opt);
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
    case O_CHUNKSIZE: {
        free(o->chunksizes);
        int c = gs_cli_parse_counts("--chunksize", "chunk size", v, GS_MAX_CHUNKSIZE, &o->chunksizes, err, errlen);
        if (c < 0) return -1;
        if (c > GS_MAX_CHUNKSIZES) {
            free(o->chunksizes);
            o->chunksizes = NULL;
            return errf(err, errlen, "--chunksize: %d chunk sizes, at most %d (each is a row per worker count)", c,
                        GS_MAX_CHUNKSIZES);
        }
        o->nchunksizes = (size_t)c;
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
    case O_WARM_CALLS:
        if (parse_long(v, 0, 100000, &n))
            return errf(err, errlen, "--warm-calls: \"%s\" is not a number from 0 to 100000", v);
        o->warm_calls = (int)n;
        return 0;
    case O_PYTHON: {
        free(o->python_list);
        free(o->pythons);
        o->python_list = NULL, o->pythons = NULL;
        int c = gs_cli_parse_pythons(v, &o->python_list, &o->pythons, err, errlen);
        if (c < 0) return -1;
        o->npythons = (size_t)c;
        o->python = o->pythons[0];
        return 0;
    }
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
    case O_OUTPUT:
    case O_EXPORTS: {
        gs_export e = d->id == O_OUTPUT ? GS_EXPORT_JSON : (gs_export)d->export;
        if (*v == '\0') return errf(err, errlen, "--%s: empty path", d->lng);
        if (e == GS_EXPORT_JSON && o->outputs.path[e] && o->command == GS_CMD_MERGE)
            return errf(err, errlen, "the JSON report goes to one file: give one --output or --%s",
                        gs_exporter_get(GS_EXPORT_JSON)->option);
        o->outputs.path[e] = v;
        if (e == GS_EXPORT_JSON) o->outputs.json_flag = d->id == O_OUTPUT ? "--output" : NULL;
        return 0;
    }
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
    case O_NO_GC: o->no_gc = 1; return 0;
    case O_PROFILE: o->profile = 1; return 0;
    case O_ALLOW_DIFFERENT: o->allow_different = 1; return 0;
    case O_COMPARE_JSON:
        if (*v == '\0') return errf(err, errlen, "--export-json: empty path");
        o->outputs.path[GS_EXPORT_JSON] = v;
        return 0;
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
    case O_PROGRESS: o->progress = 1; return 0;
    case O_NO_PROGRESS: o->progress = 0; return 0;
    case O_WIDE: o->wide = 1; return 0;
    case O_VERBOSE: o->verbose = 1; return 0;
    case O_PORT:
        if (parse_long(v, 0, 65535, &n))
            return errf(err, errlen, "--port: \"%s\" is not a port from 0 to 65535 (0: a free one)", v);
        o->port = (int)n;
        return 0;
    }
    return errf(err, errlen, "internal error: unhandled option");
}

int gs_cli_parse(int argc, char **argv, gs_options *o, char *err, size_t errlen) {
    memset(o, 0, sizeof(*o));
    o->tasks = GS_DEFAULT_TASKS;
    o->runs = GS_DEFAULT_RUNS;
    o->warmup = GS_DEFAULT_WARMUP;
    o->timeout_s = GS_DEFAULT_TIMEOUT_S;
    o->strategies = gs_strategy_default();
    o->python = "python3";
    o->npythons = 1;
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
                o->command = gs_command_find(a);
                if (o->command != GS_CMD_NONE) continue;
                if (strcmp(a, "help") == 0) {
                    o->show_help = 1;
                    continue;
                }
                char names[128] = "";
                for (int c = GS_CMD_NONE + 1; c < GS_CMD_COUNT; c++) {
                    size_t used = strlen(names);
                    snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", gs_command_name((gs_command)c));
                }
                return errf(err, errlen, "unknown command \"%s\" (commands: %s; try gilscope --help)", a, names);
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
            if (o->command == GS_CMD_SERVE) return errf(err, errlen, "serve takes no arguments (got \"%s\")", a);
            if (o->command == GS_CMD_TEACH) {
                if (o->lesson != NULL) return errf(err, errlen, "teach takes one lesson (got \"%s\" too)", a);
                o->lesson = a;
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
        opt_def exporter_row;
        const char *val = NULL;
        char shown[64];
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            d = gs__opt_find_long(name, len, o->command, &exporter_row);
            snprintf(shown, sizeof(shown), "--%.*s", (int)(len > 40 ? 40 : len), name);
            if (d && eq) {
                if (d->arg == NULL) return errf(err, errlen, "%s takes no value", shown);
                val = eq + 1;
            }
        } else {
            d = gs__opt_find_short(a[1]);
            snprintf(shown, sizeof(shown), "-%c", a[1]);
            if (d && a[2] != '\0') {
                if (d->arg == NULL) return errf(err, errlen, "%s takes no value (got \"%s\")", shown, a);
                val = a + 2;
            }
        }
        if (d == NULL || !(d->cmds & (1u << o->command))) {
            if (d != NULL)
                return errf(err, errlen, "%s is not an option of %s (try gilscope %s --help)", shown,
                            gs_command_name(o->command), o->command ? gs_command_name(o->command) : "");
            return errf(err, errlen, "unknown option %s (try gilscope %s%s--help)", shown,
                        o->command ? gs_command_name(o->command) : "", o->command ? " " : "");
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
    if (o->nchunksizes > 0 && !o->show_help) {
        int chunked = 0;
        for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++)
            chunked |= (o->strategies & (1u << st)) && gs_strategy_has(st, GS_SF_CHUNKS);
        if (!chunked) {
            char names[128] = "";
            for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++) {
                size_t used = strlen(names);
                if (gs_strategy_has(st, GS_SF_CHUNKS))
                    snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", gs_strategy_name(st));
            }
            return errf(err, errlen, "--chunksize applies to strategies that send tasks in chunks (%s), and "
                                     "--strategies has none: add one (e.g. --strategies serial,%s)", names, names);
        }
    }
    if (o->profile && (o->probe || gs_cli_wants_timeline(o)))
        return errf(err, errlen, "--profile cannot share its diagnostic run with --probe or --timeline (the profiler "
                                 "would slow what they measure): run them separately");
    int to_stdout = 0;
    for (int e = 0; e < GS_EXPORT_COUNT; e++) to_stdout += o->outputs.path[e] && strcmp(o->outputs.path[e], "-") == 0;
    if (to_stdout > 1) return errf(err, errlen, "only one of --export-* and --timeline can write to stdout (-)");
    return 0;
}

int gs_cli_wants_timeline(const gs_options *o) { return o->outputs.path[GS_EXPORT_TIMELINE] != NULL; }

int gs_cli_parse_pythons(const char *text, char **list, const char ***out, char *err, size_t errlen) {
    *list = NULL, *out = NULL;
    if (*text == '\0') return errf(err, errlen, "--python: empty path");
    char *copy = strdup(text);
    const char **v = calloc(GS_MAX_PYTHONS, sizeof(*v));
    int n = 0;
    if (copy == NULL || v == NULL) {
        free(copy);
        free(v);
        return errf(err, errlen, "out of memory");
    }
    for (char *p = copy, *next; p != NULL; p = next) {
        next = strchr(p, ',');
        if (next) *next++ = '\0';
        const char *why = *p == '\0' ? "an empty entry" : n == GS_MAX_PYTHONS ? "more than 16 interpreters" : NULL;
        for (int k = 0; why == NULL && k < n; k++)
            if (strcmp(v[k], p) == 0) why = "an interpreter given twice";
        if (why) {
            errf(err, errlen, "--python: \"%s\" has %s", text, why);
            free(copy);
            free(v);
            return -1;
        }
        v[n++] = p;
    }
    *list = copy, *out = v;
    return n;
}

void gs_cli_free(gs_options *o) {
    free(o->python_list);
    free(o->pythons);
    o->python_list = NULL, o->pythons = NULL;
    free(o->workloads);
    free(o->workers);
    free(o->chunksizes);
    o->chunksizes = NULL;
    free(o->inputs);
    o->inputs = NULL;
    o->workloads = NULL;
    o->workers = NULL;
}
