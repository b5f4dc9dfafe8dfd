#include "table.h"

#include "fit.h"
#include "verdict.h"
#include "warn.h"

#include <math.h>
#include <string.h>

#define BOLD(c) ((c) ? "\033[1m" : "")
#define RED(c) ((c) ? "\033[31m" : "")
#define DIM(c) ((c) ? "\033[2m" : "")
#define RESET(c) ((c) ? "\033[0m" : "")

void gs_table_fmt_time(char *buf, size_t cap, double seconds, int unit_ms) {
    if (unit_ms && seconds < 0.001) snprintf(buf, cap, "%.1f µs", seconds * 1e6);
    else if (unit_ms) snprintf(buf, cap, "%.1f ms", seconds * 1e3);
    else snprintf(buf, cap, "%.3f s", seconds);
}

void gs_table_fmt_bytes(char *buf, size_t cap, int64_t bytes) {
    if (bytes <= 0) snprintf(buf, cap, "—");
    else if (bytes < 1024 * 1024) snprintf(buf, cap, "%.1f KiB", (double)bytes / 1024.0);
    else if (bytes < 1024LL * 1024 * 1024) snprintf(buf, cap, "%.1f MiB", (double)bytes / 1048576.0);
    else snprintf(buf, cap, "%.2f GiB", (double)bytes / 1073741824.0);
}

void gs_table_header(FILE *f, const gs_session *s, int color) {
    json_t *py = json_object_get(s->hello, "python");
    int gil = json_is_true(json_object_get(py, "gil_enabled"));
    int ft = json_is_true(json_object_get(py, "free_threaded"));
    fprintf(f, "%sgilscope %s%s · %s %s (%s%s) · %lld cores · %s\n", BOLD(color), GS_VERSION,
            RESET(color), json_string_value(json_object_get(py, "implementation")),
            json_string_value(json_object_get(py, "version")),
            gil ? "GIL enabled" : "GIL disabled", ft ? ", free-threaded build" : "",
            (long long)json_integer_value(json_object_get(s->hello, "cores")), s->python);
    const gs_options *o = s->opt;
    fprintf(f, "%d run%s + %d warm-up per cell, interleaved · %d task%s per run · hash seed %lu\n",
            o->runs, o->runs == 1 ? "" : "s", o->warmup, o->tasks, o->tasks == 1 ? "" : "s", o->hash_seed);
    json_t *warnings = gs_warnings(s, (size_t)-2); /* no workload matches: machine warnings only */
    size_t i;
    json_t *x;
    json_array_foreach(warnings, i, x)
        fprintf(f, "%swarning%s: %s\n", RED(color), RESET(color), json_string_value(json_object_get(x, "message")));
    json_decref(warnings);
}

/* Width of a UTF-8 string in terminal columns (every code point one column). */
static int cols(const char *s) {
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Prints s left-aligned in width columns. */
static void pad(FILE *f, const char *s, int width, int right) {
    int w = cols(s);
    if (right) fprintf(f, "%*s%s", width > w ? width - w : 0, "", s);
    else fprintf(f, "%s%*s", s, width > w ? width - w : 0, "");
}

static int unit_ms_for(const gs_session *s, size_t w) {
    double top = 0;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].workload == w && s->cells[i].wall.n > 0 && s->cells[i].wall.max > top)
            top = s->cells[i].wall.max;
    return top < 1.0;
}

/* The detail lines (a traceback's last lines) behind a failed cell's error,
 * unless they are the same as the previous cell's (*shown remembers it). */
static void print_detail(FILE *f, const gs_session *s, size_t ci, int color, const char **shown) {
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell != ci || r->status != GS_RUN_FAILED || r->detail == NULL) continue;
        if (*shown != NULL && strcmp(*shown, r->detail) == 0) return;
        *shown = r->detail;
        /* The last 6 lines are enough to see where it failed. */
        const char *d = r->detail;
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

/* The verdict line: the best (or the tie) and the measured reason. */
static void print_verdict(FILE *f, const gs_session *s, size_t w, int color) {
    gs_verdict v;
    if (gs_verdict_decide(s, w, &v) != 0) {
        gs_verdict_free(&v);
        return;
    }
    const gs_cell *b = &s->cells[v.best];
    char name[64];
    gs_cell_label(b, name, sizeof(name));
    fprintf(f, "  %sverdict%s: %s%s", BOLD(color), RESET(color), v.ntie ? "a tie between " : "", name);
    for (int i = 0; i < v.ntie; i++) {
        gs_cell_label(&s->cells[v.tie[i]], name, sizeof(name));
        fprintf(f, "%s%s", i + 1 == v.ntie ? " and " : ", ", name);
    }
    if (b->speedup_lo > 0 && !gs_strategy_has(b->strategy, GS_SF_BASELINE))
        fprintf(f, ", %.2f× [%.2f, %.2f] — %s\n", b->speedup, b->speedup_lo, b->speedup_hi, v.reason);
    else
        fprintf(f, ", %.2f× — %s\n", b->speedup, v.reason);
    gs_verdict_free(&v);
}

/* Under the table: the GIL latency probe of each cell, and the observer's
 * cost when it exceeded 2% of one core. */
static void print_notes(FILE *f, const gs_session *s, size_t w, int color) {
    int header = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        const gs_run *d = c->diag;
        if (c->workload != w || d == NULL || d->status != GS_RUN_OK || d->probe_n == 0) continue;
        if (!header) {
            fprintf(f, "  GIL latency probe (a 1 ms sleep in a loop; how late it ran again; one extra run per cell):\n");
            header = 1;
        }
        fprintf(f, "    %-12s × %-3d p50 %.2f ms · p99 %.2f ms · max %.2f ms over %d wake-ups; waiting for a core: %.2f ms per wake-up\n",
                gs_strategy_name(c->strategy), c->workers, d->probe_p50_ms, d->probe_p99_ms, d->probe_max_ms,
                d->probe_n, d->probe_core_wait_ms);
    }
    if (strcmp(s->workloads[w].name, "empty") == 0) {
        fprintf(f, "  overheads (empty tasks): fixed = pool start-up; per task = (wall − start-up) / %d tasks\n", s->opt->tasks);
        for (size_t i = 0; i < s->ncells; i++) {
            const gs_cell *c = &s->cells[i];
            if (c->workload != w || c->wall.n == 0) continue;
            char name[64];
            gs_cell_label(c, name, sizeof(name));
            double fixed = c->pool_startup_s > 0 ? c->pool_startup_s : 0;
            fprintf(f, "    ");
            pad(f, name, 24, 0);
            fprintf(f, " fixed %8.2f ms   per task %8.1f µs\n", fixed * 1e3, (c->wall.median - fixed) / s->opt->tasks * 1e6);
        }
    }
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (s->cells[r->cell].workload != w || r->status != GS_RUN_OK || r->process_wall_s <= 0) continue;
        double share = r->observer_cpu_s / r->process_wall_s;
        if (share <= 0.02) continue;
        fprintf(f, "  %snote%s: the sampler used %.1f%% of one core in a %s run at %.0f Hz (%s × %d)\n", DIM(color),
                RESET(color), share * 100, r->diagnostic ? "diagnostic" : "measured", r->sample_hz,
                gs_strategy_name(s->cells[r->cell].strategy), s->cells[r->cell].workers);
        break;
    }
}

void gs_table_workload(FILE *f, const gs_session *s, size_t w, int color) {
    const gs_workload *wl = &s->workloads[w];
    fprintf(f, "\n%s%s%s", BOLD(color), wl->name, RESET(color));
    if (wl->description) fprintf(f, " — %s", wl->description);
    if (wl->kind) fprintf(f, " (%s)", wl->kind);
    if (wl->error == NULL)
        fprintf(f, " · %d tasks × size %ld%s", s->opt->tasks, wl->size,
                wl->size_ignored  ? " (--size auto: the run time does not grow with size; default kept)"
                : wl->calibration ? " (calibrated: --size auto)"
                                  : "");
    fputc('\n', f);
    if (wl->error != NULL) {
        fprintf(f, "  %sFAILED%s: %s\n", RED(color), RESET(color), wl->error);
        return;
    }
    int ms = unit_ms_for(s, w);
    const char *shown = NULL; /* the detail last printed */
    double level = 0;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].workload == w && s->cells[i].wall.n > 1) level = s->cells[i].wall.ci_level;
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
    pad(f, gs_state_label(GS_ST_GIL), 10, 1);
    pad(f, "largest other", 16, 1);
    pad(f, "peak RSS", 12, 1);
    pad(f, "pool start-up", 15, 1);
    fputc('\n', f);
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w) continue;
        char name[48];
        snprintf(name, sizeof(name), "%s", gs_strategy_name(c->strategy));
        if (gs_strategy_has(c->strategy, GS_SF_PROCESSES) && c->start_method)
            snprintf(name, sizeof(name), "%s/%s", gs_strategy_name(c->strategy), c->start_method);
        fprintf(f, "  ");
        pad(f, name, 20, 0);
        fprintf(f, "%8d   ", c->workers);
        if (c->unavailable) {
            fprintf(f, "%sunavailable: %s%s\n", DIM(color),
                    c->unavailable_reason ? c->unavailable_reason : "?", RESET(color));
            continue;
        }
        if (c->wall.n == 0) {
            fprintf(f, "%s%s%s: %s\n", RED(color), c->error ? "FAILED" : "not measured",
                    RESET(color), c->error ? c->error : "no run finished");
            print_detail(f, s, i, color, &shown);
            continue;
        }
        char a[32], b[32], m[32], cell[128];
        gs_table_fmt_time(m, sizeof(m), c->wall.median, ms);
        if (c->wall.n > 1) {
            gs_table_fmt_time(a, sizeof(a), c->wall.ci_low, ms);
            gs_table_fmt_time(b, sizeof(b), c->wall.ci_high, ms);
            snprintf(cell, sizeof(cell), "%10s [%s, %s]", m, a, b);
        } else {
            snprintf(cell, sizeof(cell), "%10s", m);
        }
        pad(f, cell, 34, 0);
        char sp[64] = "—", cpu[32], cu[32], rss[32], pool[32] = "—";
        if (c->speedup > 0 && gs_strategy_has(c->strategy, GS_SF_BASELINE)) snprintf(sp, sizeof(sp), "1.00×");
        else if (c->speedup > 0 && c->speedup_lo > 0)
            snprintf(sp, sizeof(sp), "%.2f× [%.2f, %.2f]", c->speedup, c->speedup_lo, c->speedup_hi);
        else if (c->speedup > 0) snprintf(sp, sizeof(sp), "%.2f×", c->speedup);
        gs_table_fmt_time(cpu, sizeof(cpu), c->cpu_s, ms);
        /* CPU time is counted in clock ticks for pool processes: below 1 ms of
         * wall its ratio to the wall time means nothing (a warning says why). */
        if (c->wall.median >= 0.001) snprintf(cu, sizeof(cu), "%.2f", c->cores_used);
        else snprintf(cu, sizeof(cu), "—");
        gs_table_fmt_bytes(rss, sizeof(rss), c->peak_rss_bytes);
        if (c->pool_startup_s >= 0) gs_table_fmt_time(pool, sizeof(pool), c->pool_startup_s, 1);
        pad(f, sp, 22, 1);
        pad(f, cpu, 11, 1);
        pad(f, cu, 12, 1);
        char oncpu[16] = "—", gil[16] = "—", other[48] = "—";
        const gs_thread_states *st = &c->states;
        if (st->lifetime_ns > 0) {
            snprintf(oncpu, sizeof(oncpu), "%.0f%%", 100 * st->ns[GS_ST_ON_CPU] / st->lifetime_ns);
            snprintf(gil, sizeof(gil), "%.0f%%", 100 * st->ns[GS_ST_GIL] / st->lifetime_ns);
            int best = GS_ST_WAIT_CORE;
            for (int k = GS_ST_WAIT_CORE; k < GS_ST_COUNT; k++)
                if (k != GS_ST_GIL && st->ns[k] > st->ns[best]) best = k;
            if (st->ns[best] / st->lifetime_ns >= 0.005)
                snprintf(other, sizeof(other), "%s %.0f%%", gs_state_label((gs_state)best),
                         100 * st->ns[best] / st->lifetime_ns);
        }
        pad(f, oncpu, 8, 1);
        pad(f, gil, 10, 1);
        pad(f, other, 16, 1);
        pad(f, rss, 12, 1);
        pad(f, pool, 15, 1);
        fputc('\n', f);
        if (c->error) {
            fprintf(f, "      %s%s%s: %s\n", RED(color), c->disagree ? "DISAGREES" : "FAILED",
                    RESET(color), c->error);
            print_detail(f, s, i, color, &shown);
        }
    }
    print_notes(f, s, w, color);
    char *fits = gs_fit_describe(s, w);
    if (fits != NULL) fprintf(f, "  scaling (speedup against workers):\n%s", fits);
    free(fits);
    print_verdict(f, s, w, color);
    json_t *warnings = gs_warnings(s, w);
    size_t i;
    json_t *x;
    json_array_foreach(warnings, i, x) {
        if (strcmp(json_string_value(json_object_get(x, "scope")), "machine") == 0) continue;
        fprintf(f, "  %swarning%s: %s\n", RED(color), RESET(color), json_string_value(json_object_get(x, "message")));
    }
    json_decref(warnings);
}
