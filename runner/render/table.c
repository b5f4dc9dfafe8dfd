#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "report_view.h"
#include "state.h"

#define BOLD(c) ((c) ? "\033[1m" : "")
#define RED(c) ((c) ? "\033[31m" : "")
#define DIM(c) ((c) ? "\033[2m" : "")
#define RESET(c) ((c) ? "\033[0m" : "")

#define str gs_jstr
#define num gs_jnum
#define present gs_jhas

static long long jint(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

static int is_string(json_t *o, const char *k) { return json_is_string(json_object_get(o, k)); }

/* The warnings of a workload (machine warnings when workload is NULL), one
 * line each, with the given indent. */
static void print_warnings(FILE *f, json_t *report, const char *workload, const char *indent, int color) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(report, "warnings"), i, x) {
        if (gs_view_warning_of(x, workload))
            fprintf(f, "%s%swarning%s: %s\n", indent, RED(color), RESET(color), str(x, "message"));
    }
}

void gs_table_header(FILE *f, json_t *report, int color) {
    json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
    long long runs = jint(m, "runs"), tasks = jint(m, "tasks");
    fprintf(f, "%sgilscope %s%s · %s %s (%s%s) · %lld cores · %s\n", BOLD(color), str(m, "gilscope_version"),
            RESET(color), str(py, "implementation"), str(py, "version"), gs_view_gil(py),
            json_is_true(json_object_get(py, "free_threaded")) ? ", free-threaded build" : "", jint(m, "cores"),
            str(m, "interpreter"));
    fprintf(f, "%lld run%s + %lld warm-up per cell, interleaved · %lld task%s per run · hash seed %lu\n", runs,
            runs == 1 ? "" : "s", jint(m, "warmup"), tasks, tasks == 1 ? "" : "s", (unsigned long)jint(m, "hash_seed"));
    print_warnings(f, report, NULL, "", color);
}

/* Width of a UTF-8 string in terminal columns (every code point one column). */
static int cols(const char *s) {
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Prints s in width columns: left-aligned, or right-aligned with right. */
static void pad(FILE *f, const char *s, int width, int right) {
    int w = cols(s);
    if (right) fprintf(f, "%*s%s", width > w ? width - w : 0, "", s);
    else fprintf(f, "%s%*s", s, width > w ? width - w : 0, "");
}

static int of_workload(json_t *x, const char *workload) { return strcmp(str(x, "workload"), workload) == 0; }

/* Whether run r belongs to cell c (same workload, strategy and workers). */
static int run_of(json_t *r, json_t *c) {
    return of_workload(r, str(c, "workload")) && strcmp(str(r, "strategy"), str(c, "strategy")) == 0 &&
           jint(r, "workers") == jint(c, "workers");
}

/* The workload's time unit: ms when every measured wall time is below 1 s. */
static gs_time_unit unit_for(json_t *report, const char *workload) {
    double top = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *ws = json_object_get(c, "wall_s");
        if (of_workload(c, workload) && json_is_object(ws) && num(ws, "max") > top) top = num(ws, "max");
    }
    return top < 1.0 ? GS_TIME_MS : GS_TIME_S;
}

/* The detail lines (a traceback's last lines) behind a failed cell's error,
 * unless they are the same as the previous cell's (*shown remembers it). */
static void print_detail(FILE *f, json_t *report, json_t *c, int color, const char **shown) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (!run_of(r, c) || strcmp(str(r, "status"), "failed") != 0 || !is_string(r, "error_detail")) continue;
        const char *d = str(r, "error_detail");
        if (*shown != NULL && strcmp(*shown, d) == 0) return;
        *shown = d;
        /* The last 6 lines are enough to see where it failed. */
        const char *end = d + strlen(d);
        while (end > d && end[-1] == '\n') end--;
        const char *p = end;
        int lines = 0;
        while (p > d && lines < 6) {
            p--;
            if (*p == '\n') lines++;
        }
        if (*p == '\n') p++;
        fprintf(f, "%s", DIM(color));
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            fprintf(f, "      │ %.*s\n", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
        fprintf(f, "%s", RESET(color));
        return;
    }
}

/* The GIL latency probe of each cell that has one. */
static void print_probes(FILE *f, json_t *report, const char *workload) {
    int header = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *p = json_object_get(c, "gil_latency_ms");
        if (!of_workload(c, workload) || !json_is_object(p)) continue;
        if (!header) {
            fprintf(f, "  GIL latency probe (a 1 ms sleep in a loop; how late it ran again; one extra run per cell):\n");
            header = 1;
        }
        fprintf(f, "    %-12s × %-3d p50 %.2f ms · p99 %.2f ms · max %.2f ms over %d wake-ups; waiting for a core: %.2f ms per wake-up\n",
                str(c, "strategy"), (int)jint(c, "workers"), num(p, "p50"), num(p, "p99"), num(p, "max"),
                (int)jint(p, "samples"), num(p, "core_wait_mean"));
    }
}

/* On the empty workload: each cell's fixed cost (pool start-up) and cost per task. */
static void print_overheads(FILE *f, json_t *report, const char *workload) {
    fprintf(f, "  overheads (empty tasks): fixed = pool start-up; per task = (wall − start-up) / %d tasks\n",
            (int)jint(json_object_get(report, "metadata"), "tasks"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (!of_workload(c, workload) || !json_is_object(json_object_get(c, "wall_s"))) continue;
        char name[64];
        gs_view_cell_label(c, 0, name, sizeof(name));
        double fixed = present(c, "pool_startup_s") && num(c, "pool_startup_s") > 0 ? num(c, "pool_startup_s") : 0;
        fprintf(f, "    ");
        pad(f, name, 24, 0);
        fprintf(f, " fixed %8.2f ms   per task %8.1f µs\n", fixed * 1e3, num(c, "per_task_s") * 1e6);
    }
}

/* The observer's cost, when it exceeded 2% of one core in some run. */
static void print_sampler_cost(FILE *f, json_t *report, const char *workload, int color) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (!of_workload(r, workload) || strcmp(str(r, "status"), "ok") != 0 || !present(r, "process_wall_s") ||
            num(r, "process_wall_s") <= 0)
            continue;
        double share = num(r, "observer_cpu_s") / num(r, "process_wall_s");
        if (share <= 0.02) continue;
        fprintf(f, "  %snote%s: the sampler used %.1f%% of one core in a %s run at %.0f Hz (%s × %d)\n", DIM(color),
                RESET(color), share * 100, json_is_true(json_object_get(r, "diagnostic")) ? "diagnostic" : "measured",
                num(r, "sample_hz"), str(r, "strategy"), (int)jint(r, "workers"));
        return;
    }
}

/* The verdict line: the best (or the tie), its speedup and the measured reason. */
static void print_verdict(FILE *f, json_t *report, const char *workload, int color) {
    json_t *v = gs_view_verdict(report, workload);
    if (v == NULL) return;
    char line[4096];
    gs_view_fmt_verdict(v, 1, line, sizeof(line));
    fprintf(f, "  %sverdict%s: %s\n", BOLD(color), RESET(color), line);
}

/* The heading of a workload: name, description, kind, tasks and size. */
static void print_heading(FILE *f, json_t *report, json_t *w, int color) {
    json_t *cal = json_object_get(w, "calibration");
    fprintf(f, "\n%s%s%s", BOLD(color), str(w, "name"), RESET(color));
    if (is_string(w, "description")) fprintf(f, " — %s", str(w, "description"));
    if (is_string(w, "kind")) fprintf(f, " (%s)", str(w, "kind"));
    if (!is_string(w, "error"))
        fprintf(f, " · %d tasks × size %ld%s", (int)jint(json_object_get(report, "metadata"), "tasks"),
                (long)jint(w, "size"),
                json_is_true(json_object_get(w, "size_ignored"))
                    ? " (--size auto: the run time does not grow with size; default kept)"
                : cal != NULL && !json_is_null(cal) ? " (calibrated: --size auto)"
                                                    : "");
    fputc('\n', f);
}

static void print_column_heads(FILE *f, json_t *report, const char *workload) {
    double level = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *ws = json_object_get(c, "wall_s");
        if (of_workload(c, workload) && json_is_object(ws) && jint(ws, "n") > 1) level = num(ws, "ci_level");
    }
    char ci_head[64];
    if (level > 0) snprintf(ci_head, sizeof(ci_head), "wall median [%.4g%% CI]", level * 100);
    else snprintf(ci_head, sizeof(ci_head), "wall median");
    fprintf(f, "  ");
    pad(f, "strategy", 20, 0);
    pad(f, "workers", 8, 1);
    fprintf(f, "   ");
    pad(f, ci_head, 34, 0);
    pad(f, "speedup [95% CI]", 22, 1);
    pad(f, "CPU", 11, 1);
    pad(f, "cores used", 12, 1);
    pad(f, gs_state_label(GS_ST_ON_CPU), 8, 1);
    pad(f, gs_state_label(GS_STATE_GIL), 10, 1);
    pad(f, "largest other", 16, 1);
    pad(f, "peak RSS", 12, 1);
    pad(f, "pool start-up", 15, 1);
    fputc('\n', f);
}

/* The thread-state columns of a measured cell: on CPU, GIL wait, and the
 * largest other state when it holds 0.5% of the time or more. */
static void print_states(FILE *f, json_t *c) {
    char oncpu[16] = "—", gil[16] = "—", other[48] = "—";
    json_t *st = json_object_get(c, "states");
    if (json_is_object(st)) {
        gs_view_fmt_share(num(st, gs_state_key(GS_ST_ON_CPU)), oncpu, sizeof(oncpu));
        gs_view_fmt_share(num(st, gs_state_key(GS_STATE_GIL)), gil, sizeof(gil));
        gs_state best = GS_ST_WAIT_CORE;
        for (gs_state k = GS_ST_WAIT_CORE; k < GS_ST_COUNT; k++)
            if (k != GS_STATE_GIL && num(st, gs_state_key(k)) > num(st, gs_state_key(best))) best = k;
        if (num(st, gs_state_key(best)) >= 0.005) {
            char share[16];
            gs_view_fmt_share(num(st, gs_state_key(best)), share, sizeof(share));
            snprintf(other, sizeof(other), "%s %s", gs_state_label(best), share);
        }
    }
    pad(f, oncpu, 8, 1);
    pad(f, gil, 10, 1);
    pad(f, other, 16, 1);
}

/* The figures of a measured cell, from the wall time to the pool start-up. */
static void print_figures(FILE *f, json_t *c, gs_time_unit unit) {
    json_t *ws = json_object_get(c, "wall_s");
    char a[32], b[32], m[32], cell[128];
    gs_view_fmt_time(num(ws, "median"), unit, m, sizeof(m));
    if (jint(ws, "n") > 1) {
        gs_view_fmt_time(num(ws, "ci_low"), unit, a, sizeof(a));
        gs_view_fmt_time(num(ws, "ci_high"), unit, b, sizeof(b));
        snprintf(cell, sizeof(cell), "%10s [%s, %s]", m, a, b);
    } else {
        snprintf(cell, sizeof(cell), "%10s", m);
    }
    pad(f, cell, 34, 0);
    char sp[96], cpu[32], cu[32] = "—", rss[32], pool[32] = "—";
    if (gs_view_fmt_speedup(c, 1, sp, sizeof(sp)) != 0) snprintf(sp, sizeof(sp), "—");
    gs_view_fmt_time(num(c, "cpu_s"), unit, cpu, sizeof(cpu));
    /* CPU time is counted in clock ticks for pool processes: below 1 ms of
     * wall its ratio to the wall time means nothing (a warning says why). */
    if (num(ws, "median") >= 0.001) snprintf(cu, sizeof(cu), "%.2f", num(c, "cores_used"));
    gs_view_fmt_bytes(jint(c, "peak_rss_bytes"), rss, sizeof(rss));
    if (present(c, "pool_startup_s")) gs_view_fmt_time(num(c, "pool_startup_s"), GS_TIME_MS, pool, sizeof(pool));
    pad(f, sp, 22, 1);
    pad(f, cpu, 11, 1);
    pad(f, cu, 12, 1);
    print_states(f, c);
    pad(f, rss, 12, 1);
    pad(f, pool, 15, 1);
    fputc('\n', f);
}

/* One row: the cell's label and workers, then its figures, or why it has
 * none; a failure's message and traceback under it. */
static void print_row(FILE *f, json_t *report, json_t *c, gs_time_unit unit, int color, const char **shown) {
    char name[48];
    gs_view_strategy_label(c, name, sizeof(name));
    fprintf(f, "  ");
    pad(f, name, 20, 0);
    fprintf(f, "%8d   ", (int)jint(c, "workers"));
    if (json_is_false(json_object_get(c, "available"))) {
        fprintf(f, "%sunavailable: %s%s\n", DIM(color),
                is_string(c, "unavailable_reason") ? str(c, "unavailable_reason") : "?", RESET(color));
        return;
    }
    int failed = is_string(c, "error");
    if (!json_is_object(json_object_get(c, "wall_s"))) {
        fprintf(f, "%s%s%s: %s\n", RED(color), failed ? "FAILED" : "not measured", RESET(color),
                failed ? str(c, "error") : "no run finished");
        print_detail(f, report, c, color, shown);
        return;
    }
    print_figures(f, c, unit);
    if (failed) {
        fprintf(f, "      %s%s%s: %s\n", RED(color), json_is_false(json_object_get(c, "results_agree")) ? "DISAGREES" : "FAILED",
                RESET(color), str(c, "error"));
        print_detail(f, report, c, color, shown);
    }
}

void gs_table_workload(FILE *f, json_t *report, const char *workload, int color) {
    json_t *w = gs_view_workload(report, workload);
    if (w == NULL) return;
    print_heading(f, report, w, color);
    if (is_string(w, "error")) {
        fprintf(f, "  %sFAILED%s: %s\n", RED(color), RESET(color), str(w, "error"));
        return;
    }
    gs_time_unit unit = unit_for(report, workload);
    const char *shown = NULL; /* the detail last printed */
    print_column_heads(f, report, workload);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (of_workload(c, workload)) print_row(f, report, c, unit, color, &shown);
    }
    print_probes(f, report, workload);
    if (strcmp(workload, "empty") == 0) print_overheads(f, report, workload);
    print_sampler_cost(f, report, workload, color);
    char *fits = gs_fit_describe_report(report, workload);
    if (fits != NULL) fprintf(f, "  scaling (speedup against workers):\n%s", fits);
    free(fits);
    print_verdict(f, report, workload, color);
    print_warnings(f, report, workload, "  ", color);
}
