#include "report.h"

#include "exports.h"
#include "fit.h"
#include "jsonnum.h"
#include "jsonpath.h"
#include "machine.h"
#include "shortfall.h"
#include "verdict.h"
#include "warn.h"

#define PROBE_P99_SAMPLES 100 /* wake-ups a 99th percentile needs */

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* x as a JSON number, or null counted in *nf (jsonnum.h). Every builder
 * below takes the report's count of non-finite figures as nf. */
static json_t *num(int *nf, double x) { return gs_json_num(x, nf); }

static json_t *summary_json(const gs_summary *m, int *nf) {
    if (m->n == 0) return json_null();
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "median", num(nf, m->median), "ci_low",
                     num(nf, m->ci_low), "ci_high", num(nf, m->ci_high), "ci_level", num(nf, m->ci_level), "mean", num(nf, m->mean),
                     "stddev", num(nf, m->stddev), "min", num(nf, m->min), "max", num(nf, m->max), "mad", num(nf, m->mad), "n",
                     (json_int_t)m->n, "cv", num(nf, m->mean > 0 ? m->stddev / m->mean : 0.0));
}

/* Fractions of worker-thread time by state, adding up to 1; null when no
 * worker thread was sampled. */
static json_t *states_json(const gs_thread_states *st, int *nf) {
    if (st->lifetime_ns <= 0) return json_null();
    json_t *o = json_object();
    for (int k = 0; k < GS_ST_COUNT; k++)
        json_object_set_new(o, gs_state_key((gs_state)k), num(nf, st->ns[k] / st->lifetime_ns));
    return o;
}

static void add_states(json_t *o, const gs_thread_states *st, int *nf) {
    json_object_set_new(o, "states", states_json(st, nf));
    json_object_set_new(o, "states_samples", json_integer((json_int_t)st->samples));
    json_object_set_new(o, "states_threads", json_integer(st->threads));
    json_object_set_new(o, "states_worker_time_s", num(nf, st->lifetime_ns / 1e9));
}

/* The GIL latency probe's figures of a run, or null. A 99th percentile
 * needs a hundred wake-ups to stand on: with fewer, p99 is null. */
static json_t *probe_json(const gs_run *r, int *nf) {
    if (r == NULL || r->status != GS_RUN_OK || r->probe_n == 0) return json_null();
    json_t *o = json_pack("{s:o,s:o,s:i,s:o}", "p50", num(nf, r->probe_p50_ms), "max", num(nf, r->probe_max_ms), "samples",
                          r->probe_n, "core_wait_mean", num(nf, r->probe_core_wait_ms));
    json_object_set_new(o, "p99", r->probe_n >= PROBE_P99_SAMPLES ? num(nf, r->probe_p99_ms) : json_null());
    return o;
}

/* The worker-thread lanes of a timeline run (the diagnostic run of
 * --timeline): segments as [start, end, state] with times in ns from the
 * window start, no lanes when no worker thread was sampled; null for every
 * other run. */
static json_t *timeline_json(const gs_session *s, const gs_run *r) {
    if (r->status != GS_RUN_OK || !r->diagnostic || !gs_cli_wants_timeline(s->opt)) return json_null();
    json_t *lanes = json_array();
    for (size_t i = 0; i < r->nlanes; i++) {
        const gs_lane *l = &r->lanes[i];
        json_t *segs = json_array();
        for (size_t k = 0; k < l->nsegs; k++) {
            const gs_segment *g = &l->segs[k];
            uint64_t a = g->t0_ns > r->window_start_ns ? g->t0_ns - r->window_start_ns : 0;
            uint64_t b = g->t1_ns > r->window_start_ns ? g->t1_ns - r->window_start_ns : 0;
            json_array_append_new(segs, json_pack("[I,I,s]", (json_int_t)a, (json_int_t)b, gs_state_key((gs_state)g->state)));
        }
        json_array_append_new(lanes, json_pack("{s:i,s:i,s:o}", "pid", (int)l->pid, "tid", (int)l->tid, "segments", segs));
    }
    return json_pack("{s:o}", "lanes", lanes);
}

static json_t *run_json(const gs_session *s, const gs_run *r, int *nf) {
    const gs_cell *c = &s->cells[r->cell];
    const gs_workload *w = &s->workloads[c->workload];
    json_t *o = json_object();
    json_object_set_new(o, "order", json_integer(r->order));
    json_object_set_new(o, "python", json_deep_copy(json_object_get(json_object_get(s->hello, "python"), "version")));
    json_object_set_new(o, "workload", json_string(w->name));
    json_object_set_new(o, "strategy", json_string(gs_strategy_name(c->strategy)));
    json_object_set_new(o, "workers", json_integer(c->workers));
    json_object_set_new(o, "chunksize", c->chunksize > 0 ? json_integer(c->chunksize) : json_null());
    json_object_set_new(o, "repetition", json_integer(r->repetition));
    json_object_set_new(o, "warmup", json_boolean(r->warmup));
    json_object_set_new(o, "diagnostic", json_boolean(r->diagnostic));
    json_object_set_new(o, "transfer", r->transfer ? json_incref(r->transfer) : json_null());
    json_object_set_new(o, "sample_hz", num(nf, r->sample_hz));
    json_object_set_new(o, "gil_latency_ms", probe_json(r, nf));
    json_object_set_new(o, "status", json_string(gs_run_status_name(r->status)));
    json_object_set_new(o, "exit_status", r->exit_status >= 0 ? json_integer(r->exit_status) : json_null());
    json_object_set_new(o, "term_signal", r->term_signal ? json_integer(r->term_signal) : json_null());
    json_object_set_new(o, "error", r->status == GS_RUN_OK ? json_null() : str_or_null(r->error));
    json_object_set_new(o, "error_detail", str_or_null(r->detail));
    int ok = r->status == GS_RUN_OK;
    json_object_set_new(o, "strategy_wall_s", ok ? num(nf, r->strategy_wall_s) : json_null());
    json_object_set_new(o, "process_wall_s", r->process_wall_s > 0 ? num(nf, r->process_wall_s) : json_null());
    json_object_set_new(o, "pool_startup_s", ok && r->pool_startup_s >= 0 ? num(nf, r->pool_startup_s) : json_null());
    json_object_set_new(o, "cpu_user_s", ok ? num(nf, r->cpu_user_s) : json_null());
    json_object_set_new(o, "cpu_sys_s", ok ? num(nf, r->cpu_sys_s) : json_null());
    json_object_set_new(o, "peak_rss_bytes", ok ? json_integer(r->peak_rss_bytes) : json_null());
    json_object_set_new(o, "peak_pss_bytes", ok && r->peak_pss_bytes > 0 ? json_integer(r->peak_pss_bytes) : json_null());
    json_object_set_new(o, "peak_uss_bytes", ok && r->peak_uss_bytes > 0 ? json_integer(r->peak_uss_bytes) : json_null());
    json_object_set_new(o, "peak_process_uss_bytes",
                        ok && r->peak_proc_uss_bytes > 0 ? json_integer(r->peak_proc_uss_bytes) : json_null());
    json_object_set_new(o, "observer_cpu_s", num(nf, r->observer_cpu_s));
    json_object_set_new(o, "checksum", ok ? json_string(r->checksum) : json_null());
    json_object_set_new(o, "gil_enabled", ok && r->gil_enabled >= 0 ? json_boolean(r->gil_enabled) : json_null());
    json_object_set_new(o, "service_cpu_s", r->service_cpu_s >= 0 ? num(nf, r->service_cpu_s) : json_null());
    json_object_set_new(o, "start_method", str_or_null(r->start_method));
    json_object_set_new(o, "leftover_processes", json_integer(r->leftover));
    json_object_set_new(o, "leftovers", r->leftovers ? json_incref(r->leftovers) : json_array());
    add_states(o, &r->states, nf);
    json_object_set_new(o, "window_start_ns", ok ? json_integer((json_int_t)r->window_start_ns) : json_null());
    json_object_set_new(o, "window_end_ns", ok ? json_integer((json_int_t)r->window_end_ns) : json_null());
    json_object_set_new(o, "timeline", timeline_json(s, r));
    json_object_set_new(o, "tasks", r->tasks ? json_incref(r->tasks) : json_array());
    json_object_set_new(o, "workers_seen", r->workers_seen ? json_incref(r->workers_seen) : json_array());
    json_object_set_new(o, "values", ok && r->values ? json_incref(r->values) : json_null());
    json_object_set_new(o, "explanation", ok ? str_or_null(r->explanation) : json_null());
    return o;
}

/* An experiment cell's figures as the reports show them: those of its run
 * of median wall ("run" is that run's order), with that run's sentence, so
 * that the sentence and the figures agree; null otherwise. */
static json_t *measured_json(const gs_cell *c) {
    const gs_run *r = c->measured;
    if (r == NULL) return json_null();
    return json_pack("{s:i,s:O,s:o}", "run", r->order, "values", r->values, "explanation", str_or_null(r->explanation));
}

static json_t *cell_json(const gs_session *s, const gs_cell *c, int *nf) {
    const gs_workload *w = &s->workloads[c->workload];
    json_t *o = json_object();
    json_object_set_new(o, "python", json_deep_copy(json_object_get(json_object_get(s->hello, "python"), "version")));
    json_object_set_new(o, "workload", json_string(w->name));
    json_object_set_new(o, "strategy", json_string(gs_strategy_name(c->strategy)));
    json_object_set_new(o, "workers", json_integer(c->workers));
    json_object_set_new(o, "chunksize", c->chunksize > 0 ? json_integer(c->chunksize) : json_null());
    json_object_set_new(o, "start_method", str_or_null(c->start_method));
    json_object_set_new(o, "runs_ok", json_integer(c->runs_ok));
    json_object_set_new(o, "runs_failed", json_integer(c->runs_failed));
    json_object_set_new(o, "available", json_boolean(!c->unavailable));
    json_object_set_new(o, "unavailable_reason", str_or_null(c->unavailable_reason));
    json_object_set_new(o, "error", str_or_null(c->error));
    json_object_set_new(o, "results_agree", json_boolean(!c->disagree));
    json_object_set_new(o, "wall_s", summary_json(&c->wall, nf));
    json_object_set_new(o, "outliers", json_integer((json_int_t)c->outliers));
    json_object_set_new(o, "process_wall_s", summary_json(&c->process_wall, nf));
    if (c->speedup > 0 && c->speedup_lo > 0)
        json_object_set_new(o, "speedup", json_pack("{s:o,s:o,s:o,s:s}", "value", num(nf, c->speedup), "ci_low",
                                                    num(nf, c->speedup_lo), "ci_high", num(nf, c->speedup_hi), "method",
                                                    "percentile bootstrap of the ratio of medians, 2000 resamples"));
    else if (c->speedup > 0)
        json_object_set_new(o, "speedup", json_pack("{s:o,s:n,s:n}", "value", num(nf, c->speedup), "ci_low", "ci_high"));
    else
        json_object_set_new(o, "speedup", json_null());
    int has = c->wall.n > 0;
    json_object_set_new(o, "cpu_s", has ? num(nf, c->cpu_s) : json_null());
    json_object_set_new(o, "cores_used", has ? num(nf, c->cores_used) : json_null());
    json_object_set_new(o, "pool_startup_s", has && c->pool_startup_s >= 0 ? num(nf, c->pool_startup_s) : json_null());
    /* Wall time per task once the pool is up: on the empty workload, the
     * strategy's dispatch cost per task. */
    json_object_set_new(o, "per_task_s", has ? num(nf, (c->wall.median - (c->pool_startup_s > 0 ? c->pool_startup_s : 0)) /
                                                         (double)s->opt->tasks)
                                             : json_null());
    json_object_set_new(o, "peak_rss_bytes", has ? json_integer(c->peak_rss_bytes) : json_null());
    json_object_set_new(o, "peak_pss_bytes", has && c->peak_pss_bytes > 0 ? json_integer(c->peak_pss_bytes) : json_null());
    json_object_set_new(o, "peak_uss_bytes", has && c->peak_uss_bytes > 0 ? json_integer(c->peak_uss_bytes) : json_null());
    json_object_set_new(o, "peak_process_uss_bytes",
                        has && c->peak_proc_uss_bytes > 0 ? json_integer(c->peak_proc_uss_bytes) : json_null());
    json_object_set_new(o, "observer_cpu_s", has ? num(nf, c->observer_cpu_s) : json_null());
    add_states(o, &c->states, nf);
    json_object_set_new(o, "gil_latency_ms", probe_json(c->diag, nf));
    json_object_set_new(o, "context_switches_per_s", c->states.lifetime_ns > 0 ? num(nf, c->switches_per_s) : json_null());
    json_object_set_new(o, "tasks", c->task_slowest >= 0 ? json_pack("{s:o,s:o,s:o,s:o,s:i}", "median_s", num(nf, c->task_median_s),
                                                                     "mean_s", num(nf, c->task_mean_s), "cold_ratio",
                                                                     c->cold_ratio > 0 ? num(nf, c->cold_ratio) : json_null(),
                                                                     "max_s", num(nf, c->task_max_s), "slowest", c->task_slowest)
                                                         : json_null());
    json_object_set_new(o, "measured", measured_json(c));
    /* --profile: the diagnostic run's figures, kept out of the statistics like the probe's. */
    json_object_set_new(o, "profile", c->diag && c->diag->profile ? json_incref(c->diag->profile) : json_null());
    /* Process pools: what pickling the tasks and results costs (sizes are the same in every run). */
    json_object_set_new(o, "transfer", c->transfer ? json_incref(c->transfer->transfer) : json_null());
    gs_shortfall sf;
    json_object_set_new(o, "shortfall", gs_shortfall_of(s, (size_t)(c - s->cells), &sf) == 0 ? gs_shortfall_json(&sf, nf)
                                                                                          : json_null());
    return o;
}

json_t *gs_json_report(const gs_session *s) {
    int nonfinite = 0, *nf = &nonfinite; /* figures written as null */
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(GS_SCHEMA_VERSION));
    json_t *meta = s->metadata ? json_deep_copy(s->metadata) : json_object();
    json_object_set_new(meta, "interrupted", s->interrupted ? json_integer(s->interrupted) : json_null());
    json_object_set_new(meta, "runs_executed", json_integer(s->executed));
    json_object_set_new(meta, "runs_planned", json_integer((json_int_t)s->nruns));
    json_object_set_new(meta, "machine", gs_machine_json(&s->capacity, nf));
    json_object_set_new(root, "metadata", meta);
    json_t *workloads = json_array();
    for (size_t i = 0; i < s->nworkloads; i++) {
        const gs_workload *w = &s->workloads[i];
        json_t *wj = json_object();
        gs_json_set_path(wj, "spec", w->spec); /* a path as the user gave it: maybe not UTF-8 */
        json_object_set_new(wj, "name", str_or_null(w->name));
        json_object_set_new(wj, "kind", str_or_null(w->kind));
        json_object_set_new(wj, "description", str_or_null(w->description));
        json_object_set_new(wj, "size", json_integer((json_int_t)w->size));
        json_object_set_new(wj, "error", str_or_null(w->error));
        json_object_set_new(wj, "calibration", w->calibration ? json_incref(w->calibration) : json_null());
        json_object_set_new(wj, "size_ignored", json_boolean(w->size_ignored));
        json_object_set_new(wj, "sha256", str_or_null(w->sha256)); /* of the source file: compare checks it */
        json_object_set_new(wj, "measures", w->measures ? json_incref(w->measures) : json_null());
        json_object_set_new(wj, "capacity", w->capacity.n > 0 ? json_pack("{s:o,s:o,s:i}", "min", num(nf, w->capacity.min), "max",
                                                                          num(nf, w->capacity.max), "n", w->capacity.n)
                                                              : json_null());
        json_array_append_new(workloads, wj);
    }
    json_object_set_new(root, "workloads", workloads);
    /* Runs in the order they were executed; those never started are left out. */
    json_t *runs = json_array();
    for (int k = 0; k < s->executed; k++)
        for (size_t i = 0; i < s->nruns; i++)
            if (s->runs[i].order == k) json_array_append_new(runs, run_json(s, &s->runs[i], nf));
    json_object_set_new(root, "runs", runs);
    json_t *cells = json_array();
    for (size_t i = 0; i < s->ncells; i++) json_array_append_new(cells, cell_json(s, &s->cells[i], nf));
    json_object_set_new(root, "cells", cells);
    json_t *verdicts = json_array();
    for (size_t w = 0; w < s->nworkloads; w++) {
        gs_verdict v;
        if (gs_verdict_decide(s, w, &v) == 0) json_array_append_new(verdicts, gs_verdict_json(s, &v, nf));
        gs_verdict_free(&v);
    }
    json_object_set_new(root, "verdicts", verdicts);
    json_t *warnings = gs_warnings(s, (size_t)-1);
    json_object_set_new(root, "warnings", warnings);
    json_t *fits = json_array();
    for (size_t w = 0; w < s->nworkloads; w++) {
        json_t *f = gs_fit_workload(s, w, nf);
        json_array_extend(fits, f);
        json_decref(f);
    }
    json_object_set_new(root, "fits", fits);
    /* Said, not dropped: JSON has no infinity and no NaN. */
    json_object_set_new(meta, "nonfinite_values", json_integer(nonfinite));
    if (nonfinite > 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%d figure%s of this report %s not finite numbers (infinite or not a number) and %s "
                 "written as null", nonfinite, nonfinite == 1 ? "" : "s", nonfinite == 1 ? "was" : "were",
                 nonfinite == 1 ? "is" : "are");
        json_array_append_new(warnings, json_pack("{s:s,s:n,s:n,s:n,s:s,s:s,s:s}", "scope", "machine", "workload",
                                                  "strategy", "workers", "kind", "nonfinite", "cause", "nonfinite",
                                                  "message", msg));
    }
    return root;
}
