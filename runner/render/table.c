#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "merge.h"
#include "report_view.h"
#include "state.h"
#include "tabwriter.h"

#define BOLD(c) ((c) ? "\033[1m" : "")
#define RED(c) ((c) ? "\033[31m" : "")
#define DIM(c) ((c) ? "\033[2m" : "")
#define RESET(c) ((c) ? "\033[0m" : "")

#define str gs_jstr
#define num gs_jnum
#define present gs_jhas

static long long jint(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

static int is_string(json_t *o, const char *k) { return json_is_string(json_object_get(o, k)); }

/* Prints a formatted line (or lines) wrapped to the style's width, its
 * continuation lines indented by hang columns. */
__attribute__((format(printf, 4, 5))) static void say(FILE *f, const gs_table_style *st, int hang, const char *fmt, ...) {
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    gs_utf8_trim(buf);
    gs_text_wrap(f, buf, hang, st->width);
}

/* The warnings of a workload (machine warnings when workload is NULL) each
 * on its own, but those whose message is that of an element of shown. */
static void print_warnings(FILE *f, json_t *report, const char *workload, json_t *shown, const gs_table_style *st) {
    size_t i, k;
    json_t *x, *y;
    json_t *all = json_object_get(report, "warnings");
    json_array_foreach(all, i, x) {
        int skip = !gs_view_warning_of(x, workload);
        json_array_foreach(shown, k, y) skip |= strcmp(str(x, "message"), str(y, "message")) == 0;
        /* the same warning of another source (every interpreter of one run) once */
        for (k = 0; k < i && !skip; k++) {
            y = json_array_get(all, k);
            skip = gs_view_warning_of(y, workload) && strcmp(str(x, "message"), str(y, "message")) == 0;
        }
        if (!skip)
            say(f, st, workload ? 6 : 4, "%s%swarning%s: %s", workload ? "  " : "", RED(st->color), RESET(st->color),
                str(x, "message"));
    }
}

/* A report of several interpreters: a line for the machine and the plan
 * (the first source's), then one per interpreter. */
static void header_of_sources(FILE *f, json_t *report, const gs_table_style *st) {
    json_t *srcs = json_object_get(report, "sources"), *src;
    json_t *m = json_object_get(json_array_get(srcs, 0), "metadata");
    long long runs = jint(m, "runs"), tasks = jint(m, "tasks");
    int c = st->color;
    char cores[128];
    gs_view_fmt_cores(m, cores, sizeof(cores));
    say(f, st, 2, "%sgilscope %s%s · %zu interpreters · %s · %lld run%s + %lld warm-up per cell, interleaved across "
                  "interpreters · %lld task%s per run",
        BOLD(c), str(m, "gilscope_version"), RESET(c), json_array_size(srcs), cores, runs, runs == 1 ? "" : "s",
        jint(m, "warmup"), tasks, tasks == 1 ? "" : "s");
    size_t i;
    json_array_foreach(srcs, i, src) {
        json_t *sm = json_object_get(src, "metadata"), *py = json_object_get(sm, "python");
        say(f, st, 6, "  %s%s%s: %s %s (%s) · %s", BOLD(c), str(src, "label"), RESET(c), str(py, "implementation"),
            str(py, "version"), gs_view_gil(py), str(sm, "interpreter"));
    }
}

void gs_table_header(FILE *f, json_t *report, const gs_table_style *st) {
    if (gs_report_is_merged(report)) {
        header_of_sources(f, report, st);
        print_warnings(f, report, NULL, NULL, st);
        return;
    }
    json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
    long long runs = jint(m, "runs"), tasks = jint(m, "tasks");
    int c = st->color;
    char cores[128];
    gs_view_fmt_cores(m, cores, sizeof(cores));
    say(f, st, 2, "%sgilscope %s%s · %s %s (%s) · %s · %s", BOLD(c), str(m, "gilscope_version"), RESET(c),
        str(py, "implementation"), str(py, "version"), gs_view_gil(py), cores, str(m, "interpreter"));
    char warm[96] = "";
    if (jint(m, "warm_calls") > 0)
        snprintf(warm, sizeof(warm), " · %lld warm call%s per worker before each window", jint(m, "warm_calls"),
                 jint(m, "warm_calls") == 1 ? "" : "s");
    say(f, st, 2, "%lld run%s + %lld warm-up per cell, interleaved · %lld task%s per run · hash seed %lu%s%s", runs,
        runs == 1 ? "" : "s", jint(m, "warmup"), tasks, tasks == 1 ? "" : "s", (unsigned long)jint(m, "hash_seed"), warm,
        json_is_true(json_object_get(m, "no_gc")) ? " · garbage collector off in the window (--no-gc)" : "");
    print_warnings(f, report, NULL, NULL, st);
}

void gs_table_warnings(FILE *f, json_t *report, json_t *shown, const gs_table_style *st) {
    int c = st->color;
    if (st->verbose) { /* the workloads' were under their tables: the machine's not shown yet */
        print_warnings(f, report, NULL, shown, st);
        return;
    }
    json_t *lines = gs_view_warning_groups(report, shown), *l;
    size_t i, n = json_array_size(lines), all = json_array_size(json_object_get(report, "warnings"));
    size_t before = json_array_size(shown), rest = all > before ? all - before : 0;
    if (n > 0) fputc('\n', f);
    json_array_foreach(lines, i, l) say(f, st, 4, "%swarning%s: %s", RED(c), RESET(c), json_string_value(l));
    if (n > 0 && rest > n) /* some were grouped */
        say(f, st, 2, "%s(one line per cause: -v lists every warning; the JSON report keeps them all)%s", DIM(c), RESET(c));
    json_decref(lines);
}

/* Prints s in width columns: left-aligned, or right-aligned with right. */
static void pad(FILE *f, const char *s, int width, int right) {
    int w = gs_text_cols(s);
    if (right) fprintf(f, "%*s%s", width > w ? width - w : 0, "", s);
    else fprintf(f, "%s%*s", s, width > w ? width - w : 0, "");
}

static int of_workload(json_t *x, const char *workload) { return strcmp(str(x, "workload"), workload) == 0; }

/* Whether run r belongs to cell c. */
static int run_of(json_t *r, json_t *c) { return gs_view_same_cell(r, c); }

/* The detail lines (a traceback's last lines) behind a failed cell's error,
 * unless they are the same as the previous cell's (*shown remembers it). */
static void print_detail(FILE *f, json_t *report, json_t *c, const gs_table_style *st, const char **shown) {
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
        fprintf(f, "%s", DIM(st->color));
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            char line[1024];
            snprintf(line, sizeof(line), "      │ %.*s", (int)(n < 900 ? n : 900), p);
            gs_utf8_trim(line);
            gs_text_cut(f, line, st->width);
            p += n + (nl ? 1 : 0);
        }
        fprintf(f, "%s", RESET(st->color));
        return;
    }
}

/* The GIL latency probe of each cell that has one. */
static void print_probes(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    int header = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *p = json_object_get(c, "gil_latency_ms");
        if (!of_workload(c, workload) || !json_is_object(p)) continue;
        if (!header) {
            say(f, st, 4, "  GIL latency probe (a 1 ms sleep in a loop; how late it ran again; one extra run per cell):");
            header = 1;
        }
        /* No p99 without the wake-ups to back it (the report leaves it null). */
        char p99[48] = "";
        if (present(p, "p99")) snprintf(p99, sizeof(p99), " · p99 %.2f ms", num(p, "p99"));
        char name[160];
        gs_view_cell_label(c, 0, name, sizeof(name));
        int pad = 18 - gs_text_cols(name); /* columns, not bytes: "×" is two bytes */
        say(f, st, 6, "    %s%*s p50 %.2f ms%s · max %.2f ms over %d wake-ups; waiting for a core: %.2f ms per wake-up",
            name, pad > 0 ? pad : 0, "", num(p, "p50"), p99, num(p, "max"), (int)jint(p, "samples"),
            num(p, "core_wait_mean"));
    }
}

/* One line per cell of workload that note(report, c, buf, cap) says has
 * something (it returns 1 and writes it), under a heading printed once. */
static void print_cell_notes(FILE *f, json_t *report, const char *workload, const gs_table_style *st,
                             const char *heading, int (*note)(json_t *report, json_t *c, char *buf, size_t cap)) {
    int header = 0;
    size_t i;
    json_t *c;
    char label[64], text[1024];
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (!of_workload(c, workload) || !note(report, c, text, sizeof(text))) continue;
        if (!header) {
            say(f, st, 4, "  %s", heading);
            header = 1;
        }
        gs_view_cell_label(c, 0, label, sizeof(label));
        say(f, st, 8, "    %s: %s", label, text);
    }
}

/* --profile: the cell's top functions by own time (or what was not profiled). */
static int profile_note(json_t *report, json_t *c, char *buf, size_t cap) {
    (void)report;
    if (gs_view_profile(c) == NULL) return 0;
    gs_view_fmt_profile_top(c, 3, buf, cap);
    return 1;
}

/* Process pools whose tasks and results cost something to send as pickles. */
static int transfer_note(json_t *report, json_t *c, char *buf, size_t cap) {
    return gs_view_fmt_transfer(report, c, buf, cap) == 1;
}

/* On the empty workload: each cell's fixed cost (pool start-up) and cost per task. */
static void print_overheads(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    say(f, st, 4, "  overheads (empty tasks): fixed = pool start-up; per task = (wall − start-up) / %d tasks",
        (int)jint(json_object_get(report, "metadata"), "tasks"));
    size_t i;
    json_t *c;
    char name[64];
    int w = 0;
    for (int pass = 0; pass < 2; pass++) /* the labels' width, then the lines */
        json_array_foreach(json_object_get(report, "cells"), i, c) {
            if (!of_workload(c, workload) || !json_is_object(json_object_get(c, "wall_s"))) continue;
            gs_view_cell_label(c, 0, name, sizeof(name));
            double fixed = present(c, "pool_startup_s") && num(c, "pool_startup_s") > 0 ? num(c, "pool_startup_s") : 0;
            if (pass == 0 && gs_text_cols(name) > w) w = gs_text_cols(name);
            if (pass == 1)
                say(f, st, 6, "    %s%*s  fixed %7.2f ms  per task %8.1f µs", name, w - gs_text_cols(name), "", fixed * 1e3,
                    num(c, "per_task_s") * 1e6);
        }
}

/* The observer's cost, when it exceeded 2% of one core in some run. */
static void print_sampler_cost(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (!of_workload(r, workload) || strcmp(str(r, "status"), "ok") != 0 || !present(r, "process_wall_s") ||
            num(r, "process_wall_s") <= 0)
            continue;
        double share = num(r, "observer_cpu_s") / num(r, "process_wall_s");
        if (share <= 0.02) continue;
        say(f, st, 4, "  %snote%s: the sampler used %.1f%% of one core in a %s run at %.0f Hz (%s × %d)", DIM(st->color),
            RESET(st->color), share * 100, json_is_true(json_object_get(r, "diagnostic")) ? "diagnostic" : "measured",
            num(r, "sample_hz"), str(r, "strategy"), (int)jint(r, "workers"));
        return;
    }
}

/* gilscope's HTTP service's CPU time per run (the median over the
 * workload's measured runs), which the CPU column does not count. */
static void print_service_cost(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    size_t i, n = 0;
    json_t *r;
    double v[4096];
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (n < sizeof(v) / sizeof(v[0]) && of_workload(r, workload) && strcmp(str(r, "status"), "ok") == 0 &&
            !json_is_true(json_object_get(r, "diagnostic")) && present(r, "service_cpu_s"))
            v[n++] = num(r, "service_cpu_s");
    }
    if (n == 0) return;
    for (size_t a = 1; a < n; a++) /* insertion sort: a few hundred runs at most */
        for (size_t b = a; b > 0 && v[b - 1] > v[b]; b--) {
            double t = v[b];
            v[b] = v[b - 1];
            v[b - 1] = t;
        }
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    char t[32];
    gs_view_fmt_time(med, GS_TIME_AUTO, t, sizeof(t));
    say(f, st, 4, "  %snote%s: gilscope's HTTP service used %s of CPU per run (median of %zu), not counted in the "
                  "CPU column", DIM(st->color), RESET(st->color), t, n);
}

/* Where the time went: one line of the shortfalls (share of lost time by cause). */
static void print_shortfalls(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    char line[2048];
    if (gs_view_fmt_shortfalls(report, workload, line, sizeof(line)) == 0)
        say(f, st, 4, "  %slost time%s: %s", BOLD(st->color), RESET(st->color), line);
}

/* Where print_measured_one writes, and how. */
typedef struct table_out {
    FILE *f;
    const gs_table_style *st;
} table_out;

/* An experiment's figures: which run they come from, the table, the sentence wrapped. */
static void print_measured_one(const gs_view_measured *m, void *arg) {
    const table_out *o = arg;
    say(o->f, o->st, 4, "  %sfigures%s (%s):", BOLD(o->st->color), RESET(o->st->color), m->title);
    gs_tab_write_text(m->tab, o->f, 4);
    if (m->explanation) say(o->f, o->st, 2, "  %s", m->explanation);
}

static void print_measured(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    table_out o = {f, st};
    gs_view_each_measured(report, workload, print_measured_one, &o);
}

/* The verdict line: the best (or the tie), its speedup and the measured reason. */
static void print_verdict(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    json_t *v = gs_view_verdict(report, workload);
    if (v == NULL) return;
    char line[4096];
    gs_view_fmt_verdict(v, 1, line, sizeof(line));
    say(f, st, 4, "  %sverdict%s: %s", BOLD(st->color), RESET(st->color), line);
}

/* The heading of a workload: its title, then its tasks and size, on one
 * line when they fit. */
static void print_heading(FILE *f, json_t *report, json_t *w, const gs_table_style *st) {
    char title[1024], sizes[1024];
    gs_view_workload_title(w, title, sizeof(title));
    gs_view_workload_sizes(report, str(w, "name"), sizes, sizeof(sizes));
    const char *rest = title + strlen(str(w, "name"));
    fputc('\n', f);
    if (!*sizes) {
        say(f, st, 4, "%s%s%s%s", BOLD(st->color), str(w, "name"), RESET(st->color), rest);
    } else if (gs_text_cols(title) + 3 + gs_text_cols(sizes) <= st->width) {
        say(f, st, 4, "%s%s%s%s · %s", BOLD(st->color), str(w, "name"), RESET(st->color), rest, sizes);
    } else {
        say(f, st, 4, "%s%s%s%s", BOLD(st->color), str(w, "name"), RESET(st->color), rest);
        say(f, st, 4, "  %s", sizes);
    }
}

/* The table's columns, in order. */
enum { K_STRATEGY, K_WORKERS, K_WALL, K_SPEEDUP, K_CPU, K_CORES, K_ONCPU, K_GIL, K_OTHER, K_RSS, K_USS, K_POOL, K_COUNT };
#define GAP 2

/* The columns of the default table; the rest come with --wide. */
static const int narrow[K_COUNT] = {[K_STRATEGY] = 1, [K_WORKERS] = 1, [K_WALL] = 1, [K_SPEEDUP] = 1,
                                    [K_CORES] = 1,    [K_GIL] = 1,     [K_OTHER] = 1};
/* When the default table is too wide: the speedup's interval goes first, then these. */
static const int drop_order[] = {K_OTHER, K_CORES, K_GIL};

typedef struct row {
    json_t *c;
    int measured;
    char v[K_COUNT][64];
    char ci[K_COUNT][64]; /* the interval beside the wall or speedup value */
} row;

typedef struct layout {
    int show[K_COUNT];
    int ci[K_COUNT];     /* the wall or speedup column shows its interval */
    int main_w[K_COUNT]; /* width of the values before the intervals */
    int width[K_COUNT];
    char head[K_COUNT][64];
} layout;

/* The column of durations of fields ks (of object obj, or of the cell)
 * over the workload's measured rows. */
static gs_time_col time_col(const row *rows, size_t n, const char *obj, const char *const *ks) {
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = obj ? json_object_get(rows[i].c, obj) : rows[i].c;
        for (const char *const *k = ks; rows[i].measured && *k; k++) {
            double v = present(o, *k) ? num(o, *k) : 0;
            if (v > 0 && (lo == 0 || v < lo)) lo = v;
            if (v > hi) hi = v;
        }
    }
    return gs_view_time_col(lo, hi);
}

/* The thread-state columns of a measured cell: on CPU, GIL wait, and the
 * largest other state when it holds 0.5% of the time or more. */
static void fill_states(json_t *report, row *r) {
    json_t *st = json_object_get(r->c, "states");
    if (!json_is_object(st)) return;
    gs_view_fmt_share(num(st, gs_state_key(GS_ST_ON_CPU)), r->v[K_ONCPU], 64);
    gs_view_fmt_gil_wait(report, r->c, r->v[K_GIL], 64);
    gs_state best = GS_ST_WAIT_CORE;
    for (gs_state k = GS_ST_WAIT_CORE; k < GS_ST_COUNT; k++)
        if (k != GS_STATE_GIL && num(st, gs_state_key(k)) > num(st, gs_state_key(best))) best = k;
    if (num(st, gs_state_key(best)) >= 0.005) {
        char share[16];
        gs_view_fmt_share(num(st, gs_state_key(best)), share, sizeof(share));
        snprintf(r->v[K_OTHER], 64, "%s %s", gs_state_label(best), share);
    }
}

/* The figures of every measured row, each column of durations in one unit
 * chosen from the values it shows (the wall time's interval only when wide). */
static void fill(json_t *report, row *rows, size_t n, int wide) {
    static const char *const wall_k[] = {"median", "ci_low", "ci_high", NULL}, *const cpu_k[] = {"cpu_s", NULL},
                             *const pool_k[] = {"pool_startup_s", NULL}, *const median_k[] = {"median", NULL};
    gs_time_col wall = time_col(rows, n, "wall_s", wide ? wall_k : median_k), cpu = time_col(rows, n, NULL, cpu_k),
                pool = time_col(rows, n, NULL, pool_k);
    for (size_t i = 0; i < n; i++) {
        row *r = &rows[i];
        json_t *c = r->c, *ws = json_object_get(c, "wall_s");
        for (int k = K_WALL; k < K_COUNT; k++) snprintf(r->v[k], 64, "—");
        if (!r->measured) continue;
        gs_view_fmt_time_col(num(ws, "median"), wall, r->v[K_WALL], 64);
        if (jint(ws, "n") > 1) {
            char a[28], b[28];
            gs_view_fmt_time_col(num(ws, "ci_low"), wall, a, sizeof(a));
            gs_view_fmt_time_col(num(ws, "ci_high"), wall, b, sizeof(b));
            snprintf(r->ci[K_WALL], 64, "[%s, %s]", a, b);
        }
        if (gs_view_fmt_speedup(c, 0, r->v[K_SPEEDUP], 64) != 0) snprintf(r->v[K_SPEEDUP], 64, "—");
        gs_view_fmt_speedup_ci(c, r->ci[K_SPEEDUP], 64);
        gs_view_fmt_time_col(num(c, "cpu_s"), cpu, r->v[K_CPU], 64);
        /* CPU time is counted in clock ticks for pool processes: below 1 ms of
         * wall its ratio to the wall time means nothing (a warning says why). */
        if (num(ws, "median") >= 0.001) snprintf(r->v[K_CORES], 64, "%.2f", num(c, "cores_used"));
        fill_states(report, r);
        gs_view_fmt_bytes(jint(c, "peak_rss_bytes"), r->v[K_RSS], 64);
        /* The tree's unique memory: pages a forked worker shares with its
         * parent count once (RSS counts them in every process). */
        if (jint(c, "peak_uss_bytes") > 0) gs_view_fmt_bytes(jint(c, "peak_uss_bytes"), r->v[K_USS], 64);
        if (present(c, "pool_startup_s")) gs_view_fmt_time_col(num(c, "pool_startup_s"), pool, r->v[K_POOL], 64);
    }
}

/* The column widths and heads of a layout (level: the wall time's interval
 * level); returns the table's width. */
static int measure(layout *L, const row *rows, size_t n, double level) {
    int total = 2 - GAP;
    for (int k = 0; k < K_COUNT; k++) {
        int ci_w = 0;
        L->main_w[k] = 0;
        for (size_t i = 0; i < n; i++) {
            if (!rows[i].measured && k > K_WORKERS) continue;
            int w = gs_text_cols(rows[i].v[k]), c = L->ci[k] ? gs_text_cols(rows[i].ci[k]) : 0;
            if (w > L->main_w[k]) L->main_w[k] = w;
            if (c > ci_w) ci_w = c;
        }
        L->width[k] = L->main_w[k] + (ci_w ? 1 + ci_w : 0);
        if (!ci_w) L->ci[k] = 0; /* no row has one: the column is a plain number */
        if (k == K_WALL && L->ci[k] && level > 0)
            snprintf(L->head[k], sizeof(L->head[k]), "wall median [%.4g%% CI]", level * 100);
        if (k == K_SPEEDUP) snprintf(L->head[k], sizeof(L->head[k]), "%s", L->ci[k] ? "speedup [95% CI]" : "speedup");
        if (gs_text_cols(L->head[k]) > L->width[k]) L->width[k] = gs_text_cols(L->head[k]);
        if (L->show[k]) total += GAP + L->width[k];
    }
    return total;
}

/* The columns to show: every one with --wide; else the default ones, fewer
 * while the table is wider than the terminal. */
static void plan(layout *L, const row *rows, size_t n, const gs_table_style *st, double level) {
    static const char *const heads[K_COUNT] = {"strategy", "workers", "wall median", "speedup", "CPU", "cores used",
                                               NULL, NULL, "largest other", "peak RSS", "peak USS", "pool start-up"};
    memset(L, 0, sizeof(*L));
    for (int k = 0; k < K_COUNT; k++) {
        L->show[k] = st->wide || narrow[k];
        snprintf(L->head[k], sizeof(L->head[k]), "%s", heads[k] ? heads[k] : "");
    }
    snprintf(L->head[K_ONCPU], sizeof(L->head[0]), "%s", gs_state_label(GS_ST_ON_CPU));
    snprintf(L->head[K_GIL], sizeof(L->head[0]), "%s", gs_state_label(GS_STATE_GIL));
    L->ci[K_WALL] = st->wide;
    L->ci[K_SPEEDUP] = 1;
    int total = measure(L, rows, n, level);
    for (size_t d = 0; !st->wide && total > st->width && d <= sizeof(drop_order) / sizeof(drop_order[0]); d++) {
        if (d == 0) L->ci[K_SPEEDUP] = 0;
        else L->show[drop_order[d - 1]] = 0;
        total = measure(L, rows, n, level);
    }
}

/* One column of a row (or of the heads, with r NULL). */
static void print_col(FILE *f, const layout *L, const row *r, int k) {
    if (k > 0) fprintf(f, "%*s", GAP, "");
    int left = k == K_STRATEGY || L->ci[k];
    if (r == NULL) {
        pad(f, L->head[k], L->width[k], !left);
    } else if (L->ci[k]) {
        char cell[160];
        snprintf(cell, sizeof(cell), "%*s%s%s%s", L->main_w[k] - gs_text_cols(r->v[k]), "", r->v[k], *r->ci[k] ? " " : "",
                 r->ci[k]);
        pad(f, cell, L->width[k], 0);
    } else {
        pad(f, r->v[k], L->width[k], !left);
    }
}

/* One row: the cell's label and workers, then its figures, or why it has
 * none; a failure's message and traceback under it. */
static void print_row(FILE *f, json_t *report, const layout *L, const row *r, const gs_table_style *st,
                      const char **shown) {
    json_t *c = r->c;
    int col = st->color;
    if (r->measured) {
        fprintf(f, "  ");
        for (int k = 0; k < K_COUNT; k++)
            if (L->show[k]) print_col(f, L, r, k);
        fputc('\n', f);
        if (is_string(c, "error")) {
            say(f, st, 8, "      %s%s%s: %s", RED(col), json_is_false(json_object_get(c, "results_agree")) ? "DISAGREES" : "FAILED",
                RESET(col), str(c, "error"));
            print_detail(f, report, c, st, shown);
        }
        return;
    }
    /* Unmeasured: the reason after the workers (ASCII both), wrapped under itself. */
    int w0 = L->width[K_STRATEGY], w1 = L->width[K_WORKERS], failed = is_string(c, "error");
    int unavailable = json_is_false(json_object_get(c, "available")); /* dim, the whole line; else the word red */
    const char *what = unavailable ? "unavailable" : failed ? "FAILED" : "not measured";
    const char *why = unavailable ? (is_string(c, "unavailable_reason") ? str(c, "unavailable_reason") : "?")
                      : failed    ? str(c, "error")
                                  : "no run finished";
    say(f, st, 2 + w0 + GAP + w1 + GAP, "  %-*s%*s  %s%s%s: %s%s", w0, r->v[K_STRATEGY], GAP + w1, r->v[K_WORKERS],
        unavailable ? DIM(col) : RED(col), what, unavailable ? "" : RESET(col), why, unavailable ? RESET(col) : "");
    if (!unavailable) print_detail(f, report, c, st, shown);
}

/* Why a matrix entry has no speedup: one word (the reason goes under the table). */
static const char *unmeasured_word(json_t *c) {
    if (c == NULL) return "—";
    if (json_is_false(json_object_get(c, "available"))) return "unavailable";
    return is_string(c, "error") ? "FAILED" : "—";
}

/* Under a matrix: why entries are missing (gs_matrix_reasons), an
 * unavailable strategy dim, a failure's word red. */
static void print_matrix_reasons(FILE *f, const gs_matrix *m, const gs_table_style *st) {
    json_t *lines = gs_matrix_reasons(m), *l;
    size_t i;
    json_array_foreach(lines, i, l) {
        if (json_is_true(json_object_get(l, "failed")))
            say(f, st, 6, "  %sFAILED%s%s", RED(st->color), RESET(st->color), str(l, "text") + strlen("FAILED"));
        else
            say(f, st, 6, "  %s%s%s", DIM(st->color), str(l, "text"), RESET(st->color));
    }
    json_decref(lines);
}

/* A report of several interpreters (or a merge): the workload as a matrix,
 * one row per strategy and worker count, per interpreter its speedup
 * (with its interval when --wide) and GIL wait (left out when the table
 * would not fit); then why entries are missing, a verdict per interpreter
 * and what changed between them. */
static void print_matrix(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    gs_matrix m;
    if (gs_matrix_build(report, workload, &m) != 0) return;
    size_t ns = m.nsources;
    char(*sp)[64] = calloc(m.nrows * ns + 1, sizeof(*sp)), (*gil)[16] = calloc(m.nrows * ns + 1, sizeof(*gil));
    char(*label)[96] = calloc(m.nrows + 1, sizeof(*label));
    int *spw = calloc(ns, sizeof(int)), *gilw = calloc(ns, sizeof(int));
    if (!sp || !gil || !label || !spw || !gilw) goto out;
    int lw = gs_text_cols("strategy"), ww = gs_text_cols("workers");
    const char *gil_head = gs_state_label(GS_STATE_GIL);
    for (size_t r = 0; r < m.nrows; r++) {
        gs_matrix_row_label(&m, r, label[r], sizeof(label[r]));
        if (gs_text_cols(label[r]) > lw) lw = gs_text_cols(label[r]);
        for (size_t k = 0; k < ns; k++) {
            json_t *c = m.cells[r * ns + k], *states = json_object_get(c, "states");
            char *v = sp[r * ns + k], *g = gil[r * ns + k];
            if (!json_is_object(json_object_get(c, "wall_s")) || gs_view_fmt_speedup(c, st->wide, v, 64) != 0)
                snprintf(v, 64, "%s", unmeasured_word(c));
            if (json_is_object(states)) gs_view_fmt_gil_wait(report, c, g, 16);
            if (gs_text_cols(v) > spw[k]) spw[k] = gs_text_cols(v);
            if (gs_text_cols(g) > gilw[k]) gilw[k] = gs_text_cols(g);
        }
    }
    int show_gil = 1, total;
    for (int pass = 0; pass < 2; pass++) {
        total = 2 + lw + GAP + ww;
        for (size_t k = 0; k < ns; k++) {
            int sub = spw[k] > gs_text_cols("speedup") ? spw[k] : gs_text_cols("speedup");
            if (show_gil) sub += GAP + (gilw[k] > gs_text_cols(gil_head) ? gilw[k] : gs_text_cols(gil_head));
            if (gs_text_cols(m.sources[k]) > sub) sub = gs_text_cols(m.sources[k]);
            total += GAP + sub;
        }
        if (total <= st->width || st->wide) break;
        show_gil = 0;
    }
    /* Widths per source: speedup, GIL, and the whole group under its label. */
    int *gw = calloc(ns, sizeof(int));
    if (gw == NULL) goto out;
    for (size_t k = 0; k < ns; k++) {
        if (spw[k] < gs_text_cols("speedup")) spw[k] = gs_text_cols("speedup");
        if (gilw[k] < gs_text_cols(gil_head)) gilw[k] = gs_text_cols(gil_head);
        gw[k] = spw[k] + (show_gil ? GAP + gilw[k] : 0);
        if (gs_text_cols(m.sources[k]) > gw[k]) spw[k] += gs_text_cols(m.sources[k]) - gw[k], gw[k] = gs_text_cols(m.sources[k]);
    }
    fprintf(f, "  %*s%*s", lw, "", GAP + ww, "");
    for (size_t k = 0; k < ns; k++) {
        fprintf(f, "%*s%s", GAP, "", BOLD(st->color));
        pad(f, m.sources[k], gw[k], 1);
        fputs(RESET(st->color), f);
    }
    fputs("\n  ", f);
    pad(f, "strategy", lw, 0);
    fprintf(f, "%*s", GAP, "");
    pad(f, "workers", ww, 1);
    for (size_t k = 0; k < ns; k++) {
        fprintf(f, "%*s", GAP, "");
        pad(f, "speedup", spw[k], 1);
        if (show_gil) fprintf(f, "%*s", GAP, ""), pad(f, gil_head, gilw[k], 1);
    }
    fputc('\n', f);
    for (size_t r = 0; r < m.nrows; r++) {
        char workers[16];
        snprintf(workers, sizeof(workers), "%lld", jint(m.rows[r], "workers"));
        fputs("  ", f);
        pad(f, label[r], lw, 0);
        fprintf(f, "%*s", GAP, "");
        pad(f, workers, ww, 1);
        for (size_t k = 0; k < ns; k++) {
            fprintf(f, "%*s", GAP, "");
            json_t *c = m.cells[r * ns + k];
            int measured = json_is_object(json_object_get(c, "wall_s"));
            if (!measured && c != NULL) fputs(json_is_false(json_object_get(c, "available")) ? DIM(st->color) : RED(st->color), f);
            pad(f, sp[r * ns + k], spw[k], 1);
            if (!measured && c != NULL) fputs(RESET(st->color), f);
            /* No trailing blanks after the last column. */
            if (show_gil && (k + 1 < ns || *gil[r * ns + k])) fprintf(f, "%*s", GAP, ""), pad(f, gil[r * ns + k], gilw[k], 1);
        }
        fputc('\n', f);
    }
    free(gw);
    for (size_t r = 0; r < m.nrows; r++) { /* once per strategy */
        char note[512];
        if (gs_matrix_fmt_start_methods(&m, r, note, sizeof(note)) == 0 && (r == 0 || strcmp(label[r], label[r - 1]) != 0))
            say(f, st, 4, "  %s", note);
    }
    print_matrix_reasons(f, &m, st);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "verdicts"), i, v) {
        if (!of_workload(v, workload)) continue;
        char line[4096];
        gs_view_fmt_verdict(v, 1, line, sizeof(line));
        say(f, st, 4, "  %sverdict%s (%s): %s", BOLD(st->color), RESET(st->color), str(v, "source"), line);
    }
    char changes[2048];
    if (gs_view_fmt_changes(report, workload, changes, sizeof(changes)) == 0)
        say(f, st, 4, "  %sbetween interpreters%s: %s", BOLD(st->color), RESET(st->color), changes);
out:
    free(sp);
    free(gil);
    free(label);
    free(spw);
    free(gilw);
    gs_matrix_free(&m);
}

void gs_table_workload(FILE *f, json_t *report, const char *workload, const gs_table_style *st) {
    json_t *w = gs_view_workload(report, workload);
    if (w == NULL) return;
    print_heading(f, report, w, st);
    if (gs_report_is_merged(report)) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(report, "workloads"), i, x) {
            if (strcmp(str(x, "name"), workload) == 0 && is_string(x, "error"))
                say(f, st, 6, "  %sFAILED%s on %s: %s", RED(st->color), RESET(st->color), str(x, "source"), str(x, "error"));
        }
        print_matrix(f, report, workload, st);
        print_measured(f, report, workload, st);
        if (st->verbose) print_warnings(f, report, workload, NULL, st);
        return;
    }
    if (is_string(w, "error")) {
        fprintf(f, "  %sFAILED%s: %s\n", RED(st->color), RESET(st->color), str(w, "error"));
        return;
    }
    json_t *cells = json_object_get(report, "cells"), *c;
    size_t n = 0, i;
    double level = 0;
    row *rows = calloc(json_array_size(cells) + 1, sizeof(*rows));
    if (rows == NULL) return;
    for (i = 0; i < json_array_size(cells); i++) {
        c = json_array_get(cells, i);
        if (!of_workload(c, workload)) continue;
        json_t *ws = json_object_get(c, "wall_s");
        rows[n].c = c;
        rows[n].measured = json_is_object(ws) && !json_is_false(json_object_get(c, "available"));
        if (rows[n].measured && jint(ws, "n") > 1) level = num(ws, "ci_level");
        gs_view_strategy_label(c, rows[n].v[K_STRATEGY], 64);
        i += gs_view_row_span(cells, i, rows[n].v[K_WORKERS], 64) - 1;
        n++;
    }
    fill(report, rows, n, st->wide);
    layout L;
    plan(&L, rows, n, st, level);
    const char *shown = NULL; /* the detail last printed */
    fprintf(f, "  ");
    for (int k = 0; k < K_COUNT; k++)
        if (L.show[k]) print_col(f, &L, NULL, k);
    fputc('\n', f);
    for (i = 0; i < n; i++) print_row(f, report, &L, &rows[i], st, &shown);
    free(rows);
    print_probes(f, report, workload, st);
    print_cell_notes(f, report, workload, st,
                     "profile (cProfile, one extra run per cell; the top functions by own wall time):", profile_note);
    print_cell_notes(f, report, workload, st, "transfer (tasks and results as pickles, measured after the window):",
                     transfer_note);
    if (strcmp(workload, "empty") == 0) print_overheads(f, report, workload, st);
    print_sampler_cost(f, report, workload, st);
    print_service_cost(f, report, workload, st);
    char *fits = gs_fit_describe_report(report, workload);
    if (fits != NULL) {
        fprintf(f, "  scaling (speedup against workers):\n");
        gs_text_wrap(f, fits, 8, st->width);
    }
    free(fits);
    print_shortfalls(f, report, workload, st);
    print_measured(f, report, workload, st);
    print_verdict(f, report, workload, st);
    if (st->verbose) print_warnings(f, report, workload, NULL, st);
}

/* A lesson's title as it is; its paragraphs wrapped to the terminal. */
static void lesson_title(FILE *f, const char *s, const void *ctx) {
    (void)ctx;
    fputs(s, f);
}

static void lesson_para(FILE *f, const char *s, const void *ctx) {
    gs_text_wrap(f, s, 0, ((const gs_table_style *)ctx)->width);
}

void gs_table_lesson(FILE *f, json_t *report, const gs_table_style *st) {
    gs_view_lesson_markup m = {st->color ? "\n\033[1mLesson: " : "\nLesson: ", st->color ? "\033[0m\n" : "\n", "\n", "",
                               "", lesson_title, lesson_para, st};
    gs_view_write_lesson(f, report, &m);
}
