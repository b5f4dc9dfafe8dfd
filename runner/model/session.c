#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gs_run_status_name(gs_run_status s) {
    static const char *names[] = {"pending", "ok", "failed", "unavailable", "skipped", "interrupted"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *gs_cell_label(const gs_cell *c, char *buf, size_t cap) {
    int n;
    if (gs_strategy_has(c->strategy, GS_SF_PROCESSES) && c->start_method)
        n = snprintf(buf, cap, "%s/%s × %d", gs_strategy_name(c->strategy), c->start_method, c->workers);
    else if (gs_strategy_has(c->strategy, GS_SF_BASELINE))
        n = snprintf(buf, cap, "%s", gs_strategy_name(c->strategy));
    else
        n = snprintf(buf, cap, "%s × %d", gs_strategy_name(c->strategy), c->workers);
    if (c->chunksize > 0 && n >= 0 && (size_t)n < cap) snprintf(buf + n, cap - (size_t)n, " chunk %d", c->chunksize);
    return buf;
}

int gs_chunksize_default(int tasks, int workers) {
    int per = 4 * (workers > 0 ? workers : 1);
    int size = tasks / per + (tasks % per != 0);
    return size > 0 ? size : 1;
}

/* The worker counts of workload w: --workers; without it, the core count,
 * and for an I/O-kind workload also more workers than cores, doubling up to
 * the task count, since I/O scaling beyond the cores is what it shows.
 * Returns how many were written to out (at most cap). */
static size_t workers_of(const gs_session *s, size_t w, int *out, size_t cap) {
    const gs_options *o = s->opt;
    const char *kind = s->workloads[w].kind;
    size_t n = 0;
    if (o->workers_default && o->nworkers == 1 && kind && strcmp(kind, "io") == 0 && o->workers[0] < o->tasks) {
        for (int k = o->workers[0]; n < cap; k *= 2) {
            out[n++] = k < o->tasks ? k : o->tasks;
            if (k >= o->tasks) break;
        }
        return n;
    }
    for (; n < o->nworkers && n < cap; n++) out[n] = o->workers[n];
    return n;
}

#define MAX_WORKER_COUNTS 64

/* How many cells strategy st has for each worker count: one per chunk size
 * of a strategy that sends chunks (--chunksize; one, its own choice, without). */
static size_t chunk_cells(const gs_options *o, gs_strategy st) {
    return gs_strategy_has(st, GS_SF_CHUNKS) && o->nchunksizes > 0 ? o->nchunksizes : 1;
}

int gs_session_plan(gs_session *s) {
    const gs_options *o = s->opt;
    int ws[MAX_WORKER_COUNTS];
    size_t ncells = 0;
    for (size_t w = 0; w < s->nworkloads; w++) {
        size_t nworkers = workers_of(s, w, ws, MAX_WORKER_COUNTS);
        for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++)
            if (o->strategies & (1u << st))
                ncells += gs_strategy_has(st, GS_SF_BASELINE) ? 1 : nworkers * chunk_cells(o, st);
    }
    int diag = o->probe || o->profile || gs_cli_wants_timeline(o);
    int reps = o->warmup + o->runs + diag;
    size_t nruns = ncells * (size_t)reps;
    /* The counts are set only with their arrays, so that gs_session_free
     * never walks an array that was not allocated. */
    if ((s->cells = calloc(ncells ? ncells : 1, sizeof(*s->cells))) == NULL) return -1;
    s->ncells = ncells;
    if ((s->runs = calloc(nruns ? nruns : 1, sizeof(*s->runs))) == NULL) return -1;
    s->nruns = nruns;
    size_t c = 0, r = 0;
    for (size_t w = 0; w < s->nworkloads; w++) {
        size_t first = c, nworkers = workers_of(s, w, ws, MAX_WORKER_COUNTS);
        for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++) {
            if (!(o->strategies & (1u << st))) continue;
            int baseline = gs_strategy_has(st, GS_SF_BASELINE);
            size_t nw = baseline ? 1 : nworkers;
            for (size_t i = 0; i < nw; i++) {
                for (size_t k = 0; k < chunk_cells(o, st); k++) {
                    gs_cell *cell = &s->cells[c++];
                    cell->workload = w;
                    cell->strategy = st;
                    cell->workers = baseline ? 1 : ws[i];
                    cell->pool_startup_s = -1;
                    if (gs_strategy_has(st, GS_SF_CHUNKS))
                        cell->chunksize = o->nchunksizes ? o->chunksizes[k] : gs_chunksize_default(o->tasks, cell->workers);
                }
            }
        }
        for (int rep = 1; rep <= reps; rep++) {
            for (size_t k = first; k < c; k++) {
                gs_run *run = &s->runs[r++];
                gs_run_init(run);
                run->cell = k;
                run->repetition = rep;
                run->warmup = rep <= o->warmup;
                run->diagnostic = diag && rep == reps;
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
    if (s->workloads[w].measures != NULL) return NULL; /* an experiment's results are measurements */
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

/* An experiment cell's measured run of median strategy wall (the lower of
 * the two middle ones), among its measured OK runs that carry values; NULL
 * when none (or out of memory). */
static const gs_run *median_measured_run(const gs_session *s, size_t ci) {
    if (s->workloads[s->cells[ci].workload].measures == NULL) return NULL;
    const gs_run **pick = malloc((s->nruns ? s->nruns : 1) * sizeof(*pick));
    size_t n = 0;
    for (size_t i = 0; pick && i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell != ci || r->status != GS_RUN_OK || r->warmup || r->diagnostic || r->values == NULL) continue;
        size_t k = n++; /* insertion by wall: a cell has few runs */
        while (k > 0 && pick[k - 1]->strategy_wall_s > r->strategy_wall_s) pick[k] = pick[k - 1], k--;
        pick[k] = r;
    }
    const gs_run *median = n ? pick[(n - 1) / 2] : NULL;
    free(pick);
    return median;
}

static void set_str(char **dst, const char *src) {
    free(*dst);
    *dst = src ? strdup(src) : NULL;
}

/* The durations of the tasks of cell c's measured runs: median, longest
 * and the index of the longest. */
#define COLD_MIN_TASKS 4

typedef struct task_span {
    json_int_t pid, tid, start;
    double d;
} task_span;

static int by_worker_then_start(const void *a, const void *b) {
    const task_span *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

/* The ratio of one worker's k tasks (durations in start order). */
static double worker_cold_ratio(const task_span *t, size_t k) {
    double first[64], last[64];
    size_t nf = k / 2, nl = k / 4;
    if (nf > 64) nf = 64;
    if (nl > 64) nl = 64;
    for (size_t i = 0; i < nf; i++) first[i] = t[i].d;
    for (size_t i = 0; i < nl; i++) last[i] = t[k - nl + i].d;
    double l = gs_stats_median(last, nl);
    return l > 0 ? gs_stats_median(first, nf) / l : 0;
}

double gs_cold_ratio(const gs_session *s, size_t ci) {
    size_t cap = 0, nr = 0;
    for (size_t i = 0; i < s->nruns; i++) cap += json_array_size(s->runs[i].tasks);
    task_span *t = calloc(cap ? cap : 1, sizeof(*t));
    double *ratios = calloc(cap ? cap : 1, sizeof(double));
    for (size_t i = 0; t && ratios && i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell != ci || r->status != GS_RUN_OK || r->warmup || r->diagnostic) continue;
        size_t n = 0, k;
        json_t *x;
        json_array_foreach(r->tasks, k, x) {
            json_int_t t0 = json_integer_value(json_object_get(x, "start_ns"));
            json_int_t t1 = json_integer_value(json_object_get(x, "end_ns"));
            if (t1 < t0) continue;
            t[n++] = (task_span){json_integer_value(json_object_get(x, "pid")),
                                 json_integer_value(json_object_get(x, "tid")), t0, (double)(t1 - t0) / 1e9};
        }
        qsort(t, n, sizeof(*t), by_worker_then_start);
        for (size_t a = 0, b; a < n; a = b) {
            for (b = a; b < n && t[b].pid == t[a].pid && t[b].tid == t[a].tid; b++) continue;
            if (b - a >= COLD_MIN_TASKS) {
                double q = worker_cold_ratio(&t[a], b - a);
                if (q > 0) ratios[nr++] = q;
            }
        }
    }
    double m = nr ? gs_stats_median(ratios, nr) : 0;
    free(t);
    free(ratios);
    return m;
}

static void aggregate_tasks(gs_session *s, size_t ci) {
    gs_cell *c = &s->cells[ci];
    c->task_median_s = c->task_mean_s = c->task_max_s = 0;
    c->task_slowest = -1;
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < s->nruns; i++)
        if (s->runs[i].cell == ci && s->runs[i].status == GS_RUN_OK && !s->runs[i].warmup && !s->runs[i].diagnostic)
            cap += json_array_size(s->runs[i].tasks);
    double *d = calloc(cap ? cap : 1, sizeof(double));
    for (size_t i = 0; d && i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell != ci || r->status != GS_RUN_OK || r->warmup || r->diagnostic) continue;
        size_t k;
        json_t *t;
        json_array_foreach(r->tasks, k, t) {
            json_int_t t0 = json_integer_value(json_object_get(t, "start_ns"));
            json_int_t t1 = json_integer_value(json_object_get(t, "end_ns"));
            if (n >= cap || t1 < t0) continue;
            d[n] = (double)(t1 - t0) / 1e9;
            if (d[n] > c->task_max_s) {
                c->task_max_s = d[n];
                c->task_slowest = (int)json_integer_value(json_object_get(t, "index"));
            }
            n++;
        }
    }
    double sum = 0;
    for (size_t k = 0; k < n; k++) sum += d[k];
    if (n) c->task_mean_s = sum / (double)n;
    if (n) c->task_median_s = gs_stats_median(d, n);
    c->cold_ratio = gs_cold_ratio(s, ci);
    free(d);
}

static void aggregate_cell(gs_session *s, size_t ci, const char *ref) {
    gs_cell *c = &s->cells[ci];
    size_t cap = s->nruns ? s->nruns : 1;
    double *wall = calloc(cap, sizeof(double)), *pwall = calloc(cap, sizeof(double));
    double *cpu = calloc(cap, sizeof(double)), *cores = calloc(cap, sizeof(double));
    double *pool = calloc(cap, sizeof(double)), *obs = calloc(cap, sizeof(double));
    if (!wall || !pwall || !cpu || !cores || !pool || !obs) {
        /* Out of memory: the cell keeps its previous figures. */
        free(wall), free(pwall), free(cpu), free(cores), free(pool), free(obs);
        return;
    }
    size_t n = 0, npool = 0;
    int attempts = 0, unavailable = 0;
    c->runs_ok = c->runs_failed = 0;
    c->diag = NULL;
    c->transfer = NULL;
    c->disagree = 0;
    c->peak_rss_bytes = c->peak_pss_bytes = c->peak_uss_bytes = c->peak_proc_uss_bytes = 0;
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
        if (!r->warmup && r->transfer != NULL && c->transfer == NULL) c->transfer = r; /* sizes do not vary */
        if (r->peak_rss_bytes > c->peak_rss_bytes) c->peak_rss_bytes = r->peak_rss_bytes;
        if (r->peak_pss_bytes > c->peak_pss_bytes) c->peak_pss_bytes = r->peak_pss_bytes;
        if (r->peak_uss_bytes > c->peak_uss_bytes) c->peak_uss_bytes = r->peak_uss_bytes;
        if (r->peak_proc_uss_bytes > c->peak_proc_uss_bytes) c->peak_proc_uss_bytes = r->peak_proc_uss_bytes;
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
    /* A pool cell none of whose runs started (all failed early) still ran with
     * the requested start method, else the interpreter's default. */
    if (c->start_method == NULL && gs_strategy_has(c->strategy, GS_SF_PROCESSES)) {
        const char *m = s->opt && s->opt->start_method
                            ? s->opt->start_method
                            : json_string_value(json_object_get(s->metadata, "default_start_method"));
        if (m != NULL) set_str(&c->start_method, m);
    }
    c->switches_per_s = c->states.lifetime_ns > 0 ? (double)c->states.switches / (c->states.lifetime_ns / 1e9) : 0.0;
    gs_stats_summarise(wall, n, &c->wall);
    c->outliers = gs_stats_outliers(wall, n, GS_OUTLIER_Z);
    gs_stats_summarise(pwall, n, &c->process_wall);
    c->cpu_s = median_of(cpu, n);
    c->cores_used = median_of(cores, n);
    c->observer_cpu_s = median_of(obs, n);
    c->pool_startup_s = npool ? median_of(pool, npool) : -1;
    free(wall), free(pwall), free(cpu), free(cores), free(pool), free(obs);
    aggregate_tasks(s, ci);
    c->measured = median_measured_run(s, ci);
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

void gs_run_init(gs_run *r) {
    memset(r, 0, sizeof(*r));
    r->order = -1;
    r->exit_status = -1;
    r->pool_startup_s = -1;
    r->gil_enabled = -1;
    r->service_cpu_s = -1;
}

void gs_session_fail_workload(gs_session *s, size_t w, const char *error) {
    if (w >= s->nworkloads || s->workloads[w].error != NULL) return;
    set_str(&s->workloads[w].error, error);
}

void gs_run_free(gs_run *r) {
    free(r->error);
    free(r->detail);
    free(r->start_method);
    json_decref(r->tasks);
    for (size_t k = 0; k < r->nlanes; k++) free(r->lanes[k].segs);
    free(r->lanes);
    json_decref(r->workers_seen);
    json_decref(r->values);
    json_decref(r->profile);
    json_decref(r->transfer);
    free(r->explanation);
    json_decref(r->leftovers);
    gs_run_init(r);
}

void gs_cell_free(gs_cell *c) {
    free(c->error);
    free(c->unavailable_reason);
    free(c->start_method);
    memset(c, 0, sizeof(*c));
}

void gs_workload_free(gs_workload *w) {
    free(w->spec);
    free(w->name);
    free(w->kind);
    free(w->description);
    free(w->sha256);
    free(w->error);
    json_decref(w->calibration);
    json_decref(w->measures);
    memset(w, 0, sizeof(*w));
}

static char *dup_json_str(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? strdup(s) : NULL;
}

int gs_session_init(gs_session *s, const gs_options *opt, json_t *hello) {
    memset(s, 0, sizeof(*s));
    s->opt = opt;
    s->hello = json_incref(hello);
    gs_capacity_init(&s->capacity);
    const char *exe = json_string_value(json_object_get(json_object_get(hello, "python"), "executable"));
    s->python = exe ? strdup(exe) : NULL;
    return s->python ? 0 : -1;
}

void gs_session_set_metadata(gs_session *s, json_t *metadata) {
    json_decref(s->metadata);
    s->metadata = metadata;
}

/* Logs cap into workload w's window (its limits the session's). */
static void log_capacity(gs_session *s, size_t w, gs_capacity_when when, double cap) {
    gs_capacity *c = &s->workloads[w].capacity;
    if (c->n == 0) {
        c->limits = s->capacity.limits;
        c->rate = s->capacity.rate;
        c->before = c->after = -1;
    }
    gs_capacity_log(c, when, cap);
}

/* Logs cap into the workloads a measurement taken now borders. */
static void log_borders(gs_session *s, double cap) {
    if (cap < 0 || s->workloads == NULL) return;
    /* The workloads this measurement borders: the last run's and the next one's. */
    size_t prev = (size_t)-1, next = (size_t)-1;
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (s->executed > 0 && r->order == s->executed - 1) prev = s->cells[r->cell].workload;
        if (next == (size_t)-1 && r->status == GS_RUN_PENDING) next = s->cells[r->cell].workload;
    }
    if (prev != (size_t)-1) log_capacity(s, prev, GS_CAP_AFTER, cap);
    if (next != (size_t)-1 && next != prev) log_capacity(s, next, GS_CAP_BEFORE, cap);
}

double gs_session_measure_capacity(gs_session *s, gs_capacity_when when) {
    double cap = gs_capacity_measure(&s->capacity, when);
    log_borders(s, cap);
    return cap;
}

void gs_session_share_capacity(gs_session *s, const gs_session *from, double cap) {
    s->capacity = from->capacity;
    log_borders(s, cap);
}

const gs_capacity *gs_session_capacity_of(const gs_session *s, size_t w) {
    return w < s->nworkloads && s->workloads[w].capacity.n > 0 ? &s->workloads[w].capacity : &s->capacity;
}

void gs_session_begin_run(gs_session *s, size_t i, double sample_hz) { s->runs[i].sample_hz = sample_hz; }

void gs_session_end_run(gs_session *s, size_t i) { s->runs[i].order = s->executed++; }

void gs_session_skip_run(gs_session *s, size_t i) { s->runs[i].status = GS_RUN_SKIPPED; }

void gs_session_interrupt(gs_session *s, int sig) { s->interrupted = sig; }

/* Whether info's workload entry w is left out of a run that names no
 * workload: a built-in that runs under some strategies only (an experiment
 * such as convoy) answers no comparison, so it runs when named. */
static int named_only(json_t *w) { return json_is_true(json_object_get(w, "builtin")) && json_is_array(json_object_get(w, "strategies")); }

int gs_session_load_workloads(gs_session *s, json_t *info) {
    json_t *list = json_object_get(info, "workloads");
    int every = s->opt->nworkloads == 0;
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(list); i++) n += !(every && named_only(json_array_get(list, i)));
    s->nworkloads = n;
    s->workloads = calloc(s->nworkloads ? s->nworkloads : 1, sizeof(*s->workloads));
    if (s->workloads == NULL) {
        s->nworkloads = 0;
        return -1;
    }
    for (size_t i = 0, j = 0; i < json_array_size(list); i++) {
        json_t *w = json_array_get(list, i);
        if (every && named_only(w)) continue;
        gs_workload *wl = &s->workloads[j++];
        wl->spec = !every && i < s->opt->nworkloads ? strdup(s->opt->workloads[i]) : dup_json_str(w, "spec");
        wl->name = dup_json_str(w, "name");
        if (wl->name == NULL) wl->name = strdup(wl->spec ? wl->spec : "?");
        if (wl->spec == NULL || wl->name == NULL) return -1;
        wl->kind = dup_json_str(w, "kind");
        wl->description = dup_json_str(w, "description");
        wl->sha256 = dup_json_str(w, "sha256");
        wl->error = dup_json_str(w, "error");
        json_t *need, *needs = json_object_get(w, "needs");
        size_t k;
        json_array_foreach(needs, k, need) wl->needs_http |= json_is_string(need) && !strcmp(json_string_value(need), "http");
        json_t *measures = json_object_get(w, "measures");
        if (json_is_array(measures) && json_array_size(measures) > 0) wl->measures = json_deep_copy(measures);
        json_t *ds = json_object_get(w, "default_size");
        wl->default_size = json_is_integer(ds) ? (long)json_integer_value(ds) : 1;
        wl->size = s->opt->size > 0 ? s->opt->size : wl->default_size;
        if (wl->size < 1) wl->size = 1;
    }
    return 0;
}

const char *gs_session_duplicate_workload(const gs_session *s) {
    for (size_t i = 0; i < s->nworkloads; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->workloads[i].name, s->workloads[j].name) == 0) return s->workloads[i].name;
    return NULL;
}

void gs_session_calibrated(gs_session *s, size_t w, long size, int size_ignored, json_t *tries, const char *error) {
    gs_workload *wl = &s->workloads[w];
    json_decref(wl->calibration);
    wl->calibration = json_incref(tries);
    if (error) {
        free(wl->error);
        wl->error = strdup(error);
    } else if (size_ignored) {
        wl->size_ignored = 1;
    } else {
        wl->size = size;
    }
}

void gs_session_free(gs_session *s) {
    for (size_t i = 0; i < s->nruns; i++) gs_run_free(&s->runs[i]);
    for (size_t i = 0; i < s->ncells; i++) gs_cell_free(&s->cells[i]);
    for (size_t i = 0; i < s->nworkloads; i++) gs_workload_free(&s->workloads[i]);
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
        gs_run_init(r);
        r->cell = i;
        r->repetition = rep + 1;
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
