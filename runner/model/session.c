#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gs_run_status_name(gs_run_status s) {
    static const char *names[] = {"pending", "ok", "failed", "unavailable", "skipped", "interrupted"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *gs_cell_label(const gs_cell *c, char *buf, size_t cap) {
    if (gs_strategy_has(c->strategy, GS_SF_PROCESSES) && c->start_method)
        snprintf(buf, cap, "%s/%s × %d", gs_strategy_name(c->strategy), c->start_method, c->workers);
    else if (gs_strategy_has(c->strategy, GS_SF_BASELINE))
        snprintf(buf, cap, "%s", gs_strategy_name(c->strategy));
    else
        snprintf(buf, cap, "%s × %d", gs_strategy_name(c->strategy), c->workers);
    return buf;
}

int gs_session_plan(gs_session *s) {
    const gs_options *o = s->opt;
    size_t nworkers = o->nworkers;
    size_t per_workload = 0;
    for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++)
        if (o->strategies & (1u << st)) per_workload += gs_strategy_has(st, GS_SF_BASELINE) ? 1 : nworkers;
    s->ncells = per_workload * s->nworkloads;
    s->cells = calloc(s->ncells ? s->ncells : 1, sizeof(*s->cells));
    int diag = o->probe || o->timeline;
    int reps = o->warmup + o->runs + diag;
    s->nruns = s->ncells * (size_t)reps;
    s->runs = calloc(s->nruns ? s->nruns : 1, sizeof(*s->runs));
    if (s->cells == NULL || s->runs == NULL) return -1;
    size_t c = 0, r = 0;
    for (size_t w = 0; w < s->nworkloads; w++) {
        size_t first = c;
        for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++) {
            if (!(o->strategies & (1u << st))) continue;
            int baseline = gs_strategy_has(st, GS_SF_BASELINE);
            size_t nw = baseline ? 1 : nworkers;
            for (size_t i = 0; i < nw; i++) {
                gs_cell *cell = &s->cells[c++];
                cell->workload = w;
                cell->strategy = st;
                cell->workers = baseline ? 1 : o->workers[i];
                cell->pool_startup_s = -1;
            }
        }
        for (int rep = 1; rep <= reps; rep++) {
            for (size_t k = first; k < c; k++) {
                gs_run *run = &s->runs[r++];
                run->cell = k;
                run->repetition = rep;
                run->warmup = rep <= o->warmup;
                run->diagnostic = diag && rep == reps;
                run->order = -1;
                run->exit_status = -1;
                run->pool_startup_s = -1;
            }
        }
    }
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, size_t n) {
    if (n == 0) return 0.0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* The checksum every run of workload w must match: the first OK serial run's,
 * or, without serial, the first OK run's. NULL when there is none. */
static const char *reference_checksum(const gs_session *s, size_t w) {
    const char *any = NULL;
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        const gs_cell *c = &s->cells[r->cell];
        if (c->workload != w || r->status != GS_RUN_OK) continue;
        if (gs_strategy_has(c->strategy, GS_SF_BASELINE)) return r->checksum;
        if (any == NULL) any = r->checksum;
    }
    int has_serial = 0;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].workload == w && gs_strategy_has(s->cells[i].strategy, GS_SF_BASELINE)) has_serial = 1;
    return has_serial ? NULL : any;
}

/* The strategy walls of cell ci's measured OK runs, into buf; returns how many. */
static size_t cell_walls(const gs_session *s, size_t ci, double *buf) {
    size_t n = 0;
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell == ci && r->status == GS_RUN_OK && !r->warmup && !r->diagnostic) buf[n++] = r->strategy_wall_s;
    }
    return n;
}

static void set_str(char **dst, const char *src) {
    free(*dst);
    *dst = src ? strdup(src) : NULL;
}

static void aggregate_cell(gs_session *s, size_t ci, const char *ref) {
    gs_cell *c = &s->cells[ci];
    size_t cap = s->nruns ? s->nruns : 1;
    double *wall = calloc(cap, sizeof(double)), *pwall = calloc(cap, sizeof(double));
    double *cpu = calloc(cap, sizeof(double)), *cores = calloc(cap, sizeof(double));
    double *pool = calloc(cap, sizeof(double)), *obs = calloc(cap, sizeof(double));
    size_t n = 0, npool = 0;
    int attempts = 0, unavailable = 0;
    c->runs_ok = c->runs_failed = 0;
    c->diag = NULL;
    c->disagree = 0;
    c->peak_rss_bytes = 0;
    memset(&c->states, 0, sizeof(c->states));
    set_str(&c->error, NULL);
    set_str(&c->unavailable_reason, NULL);
    for (size_t i = 0; i < s->nruns; i++) {
        gs_run *r = &s->runs[i];
        if (r->cell != ci) continue;
        if (r->status == GS_RUN_FAILED) {
            c->runs_failed++;
            if (c->error == NULL) set_str(&c->error, r->error);
        } else if (r->status == GS_RUN_UNAVAILABLE) {
            unavailable++;
            if (c->unavailable_reason == NULL) set_str(&c->unavailable_reason, r->error);
        }
        if (r->status != GS_RUN_PENDING && r->status != GS_RUN_SKIPPED &&
            r->status != GS_RUN_INTERRUPTED)
            attempts++;
        if (r->status != GS_RUN_OK) continue;
        if (r->start_method && c->start_method == NULL) set_str(&c->start_method, r->start_method);
        if (ref != NULL && strcmp(r->checksum, ref) != 0 && !c->disagree) {
            c->disagree = 1;
            char msg[256];
            snprintf(msg, sizeof(msg),
                     "results disagree with serial: checksum %.12s… instead of %.12s… "
                     "(hidden shared state?)",
                     r->checksum, ref);
            set_str(&c->error, msg);
        }
        if (r->diagnostic) {
            c->diag = r;
            continue;
        }
        if (r->peak_rss_bytes > c->peak_rss_bytes) c->peak_rss_bytes = r->peak_rss_bytes;
        if (r->warmup) continue;
        c->runs_ok++;
        for (int k = 0; k < GS_ST_COUNT; k++) c->states.ns[k] += r->states.ns[k];
        c->states.lifetime_ns += r->states.lifetime_ns;
        c->states.samples += r->states.samples;
        c->states.switches += r->states.switches;
        if (r->states.threads > c->states.threads) c->states.threads = r->states.threads;
        wall[n] = r->strategy_wall_s;
        pwall[n] = r->process_wall_s;
        cpu[n] = r->cpu_user_s + r->cpu_sys_s;
        cores[n] = r->strategy_wall_s > 0 ? cpu[n] / r->strategy_wall_s : 0.0;
        obs[n] = r->observer_cpu_s;
        n++;
        if (r->pool_startup_s >= 0) pool[npool++] = r->pool_startup_s;
    }
    c->unavailable = attempts > 0 && unavailable == attempts;
    c->switches_per_s = c->states.lifetime_ns > 0 ? (double)c->states.switches / (c->states.lifetime_ns / 1e9) : 0.0;
    gs_stats_summarise(wall, n, &c->wall);
    c->outliers = gs_stats_outliers(wall, n, GS_OUTLIER_Z);
    gs_stats_summarise(pwall, n, &c->process_wall);
    c->cpu_s = median_of(cpu, n);
    c->cores_used = median_of(cores, n);
    c->observer_cpu_s = median_of(obs, n);
    c->pool_startup_s = npool ? median_of(pool, npool) : -1;
    free(wall), free(pwall), free(cpu), free(cores), free(pool), free(obs);
}

void gs_session_aggregate(gs_session *s) {
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *ref = reference_checksum(s, w);
        for (size_t i = 0; i < s->ncells; i++)
            if (s->cells[i].workload == w) aggregate_cell(s, i, ref);
    }
    /* Speedups against the serial cell of the same workload, with a
     * bootstrap interval; the seed depends only on the cell's position, so
     * the same runs always give the same interval. */
    double *a = calloc(s->nruns ? s->nruns : 1, sizeof(double));
    double *b = calloc(s->nruns ? s->nruns : 1, sizeof(double));
    for (size_t i = 0; a && b && i < s->ncells; i++) {
        gs_cell *c = &s->cells[i];
        c->speedup = c->speedup_lo = c->speedup_hi = 0.0;
        for (size_t j = 0; j < s->ncells; j++) {
            gs_cell *base = &s->cells[j];
            if (base->workload != c->workload || !gs_strategy_has(base->strategy, GS_SF_BASELINE) || base->wall.n == 0 ||
                c->wall.n == 0 || c->wall.median <= 0)
                continue;
            c->speedup = base->wall.median / c->wall.median;
            size_t na = cell_walls(s, j, a), nb = cell_walls(s, i, b);
            if (gs_stats_ratio_ci(a, na, b, nb, GS_BOOTSTRAP_RESAMPLES, 0x5eed0000ULL + i, &c->speedup_lo,
                                  &c->speedup_hi) != 0)
                c->speedup_lo = c->speedup_hi = 0.0;
        }
    }
    free(a);
    free(b);
}

int gs_session_exit_status(const gs_session *s) {
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].runs_failed > 0 || s->cells[i].disagree) return 1;
    for (size_t w = 0; w < s->nworkloads; w++)
        if (s->workloads[w].error) return 1;
    return 0;
}

void gs_session_free(gs_session *s) {
    for (size_t i = 0; i < s->nruns; i++) {
        free(s->runs[i].error);
        free(s->runs[i].detail);
        free(s->runs[i].start_method);
        json_decref(s->runs[i].tasks);
        for (size_t k = 0; k < s->runs[i].nlanes; k++) free(s->runs[i].lanes[k].segs);
        free(s->runs[i].lanes);
        json_decref(s->runs[i].workers_seen);
    }
    for (size_t i = 0; i < s->ncells; i++) {
        free(s->cells[i].error);
        free(s->cells[i].unavailable_reason);
        free(s->cells[i].start_method);
    }
    for (size_t i = 0; i < s->nworkloads; i++) {
        free(s->workloads[i].spec);
        free(s->workloads[i].name);
        free(s->workloads[i].kind);
        free(s->workloads[i].description);
        free(s->workloads[i].error);
        json_decref(s->workloads[i].calibration);
    }
    free(s->runs);
    free(s->cells);
    free(s->workloads);
    free(s->python);
    json_decref(s->hello);
    json_decref(s->metadata);
    memset(s, 0, sizeof(*s));
}

size_t gs_session_add_round(gs_session *s, size_t w, size_t after) {
    size_t add = 0;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].workload == w) add++;
    if (add == 0) return 0;
    gs_run *runs = realloc(s->runs, (s->nruns + add) * sizeof(*runs));
    if (runs == NULL) return 0;
    s->runs = runs;
    memmove(&runs[after + 1 + add], &runs[after + 1], (s->nruns - after - 1) * sizeof(*runs));
    size_t k = after + 1;
    for (size_t i = 0; i < s->ncells; i++) {
        if (s->cells[i].workload != w) continue;
        int rep = 0;
        for (size_t j = 0; j < s->nruns + add; j++)
            if ((j < after + 1 || j >= after + 1 + add) && runs[j].cell == i && runs[j].repetition > rep)
                rep = runs[j].repetition;
        gs_run *r = &runs[k++];
        memset(r, 0, sizeof(*r));
        r->cell = i;
        r->repetition = rep + 1;
        r->order = -1;
        r->exit_status = -1;
        r->pool_startup_s = -1;
    }
    s->nruns += add;
    return add;
}

int gs_session_needs_more(const gs_session *s, size_t w, double min_time_s, int max_runs) {
    if (min_time_s <= 0) return 0;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || c->unavailable || c->runs_failed > 0 || c->wall.n == 0) continue;
        if (c->wall.mean * (double)c->wall.n < min_time_s && (int)c->wall.n < max_runs) return 1;
    }
    return 0;
}
