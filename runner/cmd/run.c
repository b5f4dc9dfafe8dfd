#include "cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "calibrate.h"
#include "harness.h"
#include "interp.h"
#include "machine.h"
#include "record.h"
#include "report.h"
#include "report_view.h"
#include "session.h"
#include "signals.h"
#include "spawn.h"
#include "table.h"
#include "tabwriter.h"

#define MAX_RUNS_PER_CELL 1000

/* What one `gilscope run` works with besides the session. */
typedef struct run_ctx {
    uv_loop_t *loop;
    gs_session *s;
    const char *dir;       /* the workloads directory */
    char **env;            /* the runs' environment */
    char **specs;          /* per workload, as the harness takes it (gs_cmd_run owns them) */
    FILE *out;             /* the table's stream: stdout, or stderr when a report goes to stdout */
    gs_table_style style;  /* the table's colour, width, --wide and -v */
    json_t *shown;         /* the warnings the header printed */
    int show_progress;     /* progress on stderr, */
    int progress_tty;      /* as a line redrawn with an ETA (a terminal), else a plain line per finished cell */
    uint64_t measured_ns;  /* wall time of the runs measured so far */
    int measured;          /* their count */
    size_t *last;          /* per cell, the index of its last planned run (NULL: unknown) */
} run_ctx;

/* Notes where each cell's last planned run is, after planning or a new round. */
static void find_last_runs(run_ctx *x) {
    free(x->last);
    x->last = calloc(x->s->ncells ? x->s->ncells : 1, sizeof(*x->last));
    for (size_t i = 0; x->last && i < x->s->nruns; i++) x->last[x->s->runs[i].cell] = i;
}

/* " · ETA 1m 05s": the mean run time so far × the runs from i on; "" before
 * the first run is over. */
static void eta(const run_ctx *x, size_t i, const char *what, char *buf, size_t cap) {
    double left = x->measured ? (double)x->measured_ns / 1e9 / x->measured * (double)(x->s->nruns - i) : -1;
    if (left < 0 || i >= x->s->nruns) buf[0] = '\0';
    else if (left < 60) snprintf(buf, cap, " · %s %.0f s", what, left);
    else if (left < 3600) snprintf(buf, cap, " · %s %dm %02ds", what, (int)left / 60, (int)left % 60);
    else snprintf(buf, cap, " · %s %dh %02dm", what, (int)left / 3600, (int)left % 3600 / 60);
}

/* On a terminal, the line redrawn before each run, with an ETA. */
static void progress(const run_ctx *x, size_t i) {
    if (!x->show_progress || !x->progress_tty) return;
    const gs_session *s = x->s;
    const gs_run *r = &s->runs[i];
    const gs_cell *c = &s->cells[r->cell];
    char line[512], left[48];
    eta(x, i, "ETA", left, sizeof(left));
    snprintf(line, sizeof(line), "[%d/%zu] %s · %s × %d · run %d/%d%s%s", s->executed + 1, s->nruns,
             s->workloads[c->workload].name, gs_strategy_name(c->strategy), c->workers, r->repetition,
             s->opt->warmup + s->opt->runs, r->warmup ? " (warm-up)" : "", left);
    /* Cut to the terminal's width: a line that wrapped could not be redrawn. */
    int width = gs_text_width(stderr) - 1, w = 0;
    for (char *p = line; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && ++w > width) *p = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

/* After a run, on a terminal: clears the progress line. */
static void progress_clear(const run_ctx *x) {
    if (!x->show_progress || !x->progress_tty) return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

/* After run i, into a pipe or file: one plain line when it was its cell's
 * last (measured or skipped). */
static void progress_cell(const run_ctx *x, size_t i) {
    if (!x->show_progress || x->progress_tty) return;
    const gs_session *s = x->s;
    const gs_cell *c = &s->cells[s->runs[i].cell];
    if (x->last && x->last[s->runs[i].cell] == i && s->workloads[c->workload].error == NULL) {
        char label[96], wall[32], left[48];
        gs_cell_label(c, label, sizeof(label));
        eta(x, i + 1, "about", left, sizeof(left));
        fprintf(stderr, "[%zu/%zu] %s · %s: ", i + 1, s->nruns, s->workloads[c->workload].name, label);
        if (c->wall.n > 0) {
            gs_view_fmt_time(c->wall.median, GS_TIME_AUTO, wall, sizeof(wall));
            fprintf(stderr, "%zu run%s, wall median %s", c->wall.n, c->wall.n == 1 ? "" : "s", wall);
        } else {
            fprintf(stderr, "%s", c->unavailable ? "unavailable" : c->error ? "failed" : "no run finished");
        }
        fprintf(stderr, "%s%s\n", left, *left ? " left" : "");
    }
    fflush(stderr);
}

/* Rewrites the report destinations that are files (to_stdout 0), or writes
 * those on stdout once at the end (to_stdout 1). Returns 0, or -1 after
 * saying why. */
static int save(const gs_session *s, int to_stdout) {
    if (!gs_outputs_any(&s->opt->outputs, to_stdout)) return 0;
    json_t *report = gs_json_report(s);
    int rc = gs_outputs_write(&s->opt->outputs, report, to_stdout);
    json_decref(report);
    return rc;
}

/* Measures run i: one fresh interpreter on the harness, sampled. */
static void measure(run_ctx *x, size_t i) {
    gs_session *s = x->s;
    gs_run *r = &s->runs[i];
    const gs_options *o = s->opt;
    const gs_cell *c = &s->cells[r->cell];
    gs_harness_argv a;
    gs_harness_argv_run(&a, s->python, x->dir, x->specs[c->workload], gs_strategy_name(c->strategy), c->workers,
                        o->tasks, s->workloads[c->workload].size);
    if (r->diagnostic && o->probe) gs_harness_argv_add(&a, "--probe", NULL);
    if (o->warm_calls > 0) gs_harness_argv_add_long(&a, "--warm-calls", o->warm_calls);
    if (o->start_method && gs_strategy_has(c->strategy, GS_SF_PROCESSES))
        gs_harness_argv_add(&a, "--start-method", o->start_method);
    int timeline = r->diagnostic && gs_cli_wants_timeline(o);
    gs_session_begin_run(s, i, timeline ? GS_TIMELINE_SAMPLE_HZ : o->sample_hz);
    gs_spawn_req req = {a.v, x->env, o->timeout_s, GS_RUN_GRACE_S, GS_PROTO_RUN, o->tasks,
                        (unsigned)(1e6 / r->sample_hz)};
    gs_spawn_out out;
    if (a.failed) {
        memset(&out, 0, sizeof(out));
        out.spawn_error = UV_ENOMEM;
    } else {
        gs_spawn_run(x->loop, &req, &out);
    }
    gs_record_run(r, &out, o->timeout_s);
    gs_record_states(r, out.tracks, out.ntracks, timeline);
    gs_spawn_out_free(&out);
    gs_harness_argv_free(&a);
    gs_session_end_run(s, i);
}

/* Executes the plan, one run at a time, printing each workload's table as
 * soon as its last run is over; returns the session's exit status. */
static int execute(run_ctx *x) {
    gs_session *s = x->s;
    unsigned char *blocked = calloc(s->ncells ? s->ncells : 1, 1);
    if (blocked == NULL) return gs_cmd_usage_error("out of memory");
    find_last_runs(x);
    size_t printed = 0; /* workloads whose table is out */
    for (size_t i = 0; i < s->nruns; i++) {
        if (gs_signals_poll(x->loop)) break;
        gs_run *r = &s->runs[i];
        const gs_cell *c = &s->cells[r->cell];
        const gs_workload *w = &s->workloads[c->workload];
        if (w->error != NULL || blocked[r->cell]) {
            gs_session_skip_run(s, i);
        } else {
            progress(x, i);
            uint64_t t0 = uv_hrtime();
            measure(x, i);
            x->measured_ns += uv_hrtime() - t0;
            x->measured++;
            if (r->status == GS_RUN_FAILED || r->status == GS_RUN_UNAVAILABLE) blocked[r->cell] = 1;
            progress_clear(x);
            if (r->leftover > 0)
                fprintf(stderr, "gilscope: warning: %d process%s of %s/%s were still running after the run; killed\n",
                        r->leftover, r->leftover == 1 ? "" : "es", w->name, gs_strategy_name(c->strategy));
            gs_session_aggregate(s);
            save(s, 0);
        }
        progress_cell(x, i);
        /* Between rounds of repetitions: what the cores deliver now. */
        if (i + 1 < s->nruns && s->runs[i + 1].repetition != r->repetition && !gs_signals_pending())
            gs_session_measure_capacity(s, GS_CAP_BETWEEN);
        int last = i + 1 == s->nruns || s->cells[s->runs[i + 1].cell].workload != c->workload;
        if (!last || gs_signals_pending()) continue;
        size_t wl = c->workload;
        gs_session_aggregate(s);
        if (s->opt->min_time_s > 0 && gs_session_needs_more(s, wl, s->opt->min_time_s, MAX_RUNS_PER_CELL) &&
            gs_session_add_round(s, wl, i) > 0) {
            find_last_runs(x);
            continue; /* the new round runs next; the table waits for it */
        }
        json_t *report = gs_json_report(s);
        gs_table_workload(x->out, report, s->workloads[wl].name, &x->style);
        json_decref(report);
        fflush(x->out);
        printed = wl + 1;
    }
    free(blocked);
    if (!gs_signals_pending() && s->executed > 0) gs_session_measure_capacity(s, GS_CAP_AFTER);
    int sig = gs_signals_poll(x->loop);
    gs_session_aggregate(s);
    if (sig) {
        gs_session_interrupt(s, sig);
        /* Show what was measured before the interruption. */
        json_t *report = gs_json_report(s);
        for (size_t w = printed; w < s->nworkloads; w++) gs_table_workload(x->out, report, s->workloads[w].name, &x->style);
        json_decref(report);
        fprintf(stderr, "gilscope: interrupted by %s after %d of %zu runs; reports keep every finished run\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT", s->executed, s->nruns);
    }
    json_t *report = gs_json_report(s); /* the warnings, one line per cause */
    gs_table_warnings(x->out, report, x->shown, &x->style);
    json_decref(report);
    fflush(x->out);
    int write_failed = save(s, 0) != 0;
    if (sig) return 128 + sig;
    int rc = gs_session_exit_status(s);
    return rc == 0 && write_failed ? 1 : rc;
}

/* --size auto: calibrates every workload that loaded. */
static void calibrate_all(run_ctx *x) {
    gs_session *s = x->s;
    for (size_t w = 0; w < s->nworkloads && !gs_signals_pending(); w++) {
        if (s->workloads[w].error) continue;
        if (x->show_progress)
            fprintf(stderr, x->progress_tty ? "\r\033[Kcalibrating %s (--size auto)…" : "calibrating %s (--size auto)…\n",
                    s->workloads[w].name);
        gs_calibration_req req = {s->python, x->dir, x->specs[w], x->env, s->opt->tasks,
                                  s->opt->timeout_s, s->opt->target_time_s, gs_signals_pending};
        gs_calibration cal;
        gs_calibrate(x->loop, &req, &cal);
        gs_session_calibrated(s, w, cal.size, cal.size_ignored, cal.tries, cal.error);
        gs_calibration_free(&cal);
        gs_signals_poll(x->loop);
    }
    progress_clear(x);
}

/* The session of the interpreter's answer; 0, or 2 when out of memory. */
static int start_session(gs_session *s, gs_options *o, const gs_spawn_out *info, int argc, char **argv,
                         const char *dir) {
    if (gs_session_init(s, o, info->proto.hello) != 0 || gs_session_load_workloads(s, info->proto.info) != 0 ||
        gs_session_plan(s) != 0)
        return gs_cmd_usage_error("out of memory");
    const char *twice = gs_session_duplicate_workload(s);
    if (twice) {
        fprintf(stderr, "gilscope: --workload: \"%s\" is given twice; a report keys each workload by its name\n", twice);
        return 2;
    }
    gs_session_set_metadata(s, gs_machine_metadata(s, argc, argv, dir, info->proto.info));
    return 0;
}

/* The harness's spec of each workload (gs_harness_resolve_spec), freed with
 * free_specs; NULL when out of memory. */
static char **resolve_specs(const gs_session *s) {
    char **specs = calloc(s->nworkloads ? s->nworkloads : 1, sizeof(*specs));
    for (size_t w = 0; specs && w < s->nworkloads; w++)
        if ((specs[w] = gs_harness_resolve_spec(s->workloads[w].spec)) == NULL) {
            for (size_t k = 0; k < w; k++) free(specs[k]);
            free(specs);
            specs = NULL;
        }
    return specs;
}

static void free_specs(char **specs, size_t n) {
    for (size_t w = 0; specs && w < n; w++) free(specs[w]);
    free(specs);
}

static int measure_session(gs_session *s, const char *dir, char **env, char **specs) {
    run_ctx x;
    memset(&x, 0, sizeof(x));
    x.loop = uv_default_loop(), x.s = s, x.dir = dir, x.env = env, x.specs = specs;
    const gs_options *o = s->opt;
    int to_stdout = gs_outputs_any(&o->outputs, 1);
    x.out = to_stdout ? stderr : stdout;
    x.style.color = isatty(fileno(x.out)) && getenv("NO_COLOR") == NULL;
    x.style.width = gs_text_width(x.out);
    x.style.wide = o->wide;
    x.style.verbose = o->verbose;
    /* Without --progress, only on a terminal: piped, the tables (one per
     * workload as it ends) are the log, and stderr stays for errors. */
    x.progress_tty = isatty(2);
    x.show_progress = o->progress == 1 || (o->progress == -1 && x.progress_tty);
    if (o->size < 0) calibrate_all(&x);
    gs_session_measure_capacity(s, GS_CAP_BEFORE);
    save(s, 0);
    json_t *report = gs_json_report(s);
    gs_table_header(x.out, report, &x.style);
    x.shown = json_incref(json_object_get(report, "warnings"));
    json_decref(report);
    int rc = execute(&x);
    json_decref(x.shown);
    free(x.last);
    if (to_stdout && save(s, 1) != 0 && rc == 0) rc = 1;
    return rc;
}

/* gilscope run: measures every workload under every strategy. */
int gs_cmd_run(gs_options *o, int argc, char **argv) {
    char dir[4096], err[1024];
    int rc = gs_cmd_harness_dir(dir, sizeof(dir));
    if (rc != 0) return rc;
    if (o->nworkers == 0) {
        if ((o->workers = malloc(sizeof(int))) == NULL) return gs_cmd_usage_error("out of memory");
        o->workers[0] = (int)uv_available_parallelism();
        o->nworkers = 1;
        o->workers_default = 1;
    }
    if (gs_harness_check_specs(dir, o->workloads, o->nworkloads, err, sizeof(err)) != 0)
        return gs_cmd_usage_error(err);
    int created[GS_EXPORT_COUNT];
    if (gs_outputs_check(&o->outputs, created, err, sizeof(err)) != 0) {
        gs_outputs_unlink_created(&o->outputs, created);
        return gs_cmd_usage_error(err);
    }
    char **env = gs_harness_env(o->hash_seed);
    if (env == NULL) {
        gs_outputs_unlink_created(&o->outputs, created);
        return gs_cmd_usage_error("out of memory");
    }
    gs_spawn_out info;
    rc = gs_interp_query(uv_default_loop(), dir, o, env, &info);
    gs_session s;
    if (rc == 0) rc = start_session(&s, o, &info, argc, argv, dir);
    else memset(&s, 0, sizeof(s));
    gs_spawn_out_free(&info);
    char **specs = NULL;
    if (rc == 0 && (specs = resolve_specs(&s)) == NULL) rc = gs_cmd_usage_error("out of memory");
    if (rc != 0) {
        /* Nothing was measured: leave no empty report behind. */
        gs_outputs_unlink_created(&o->outputs, created);
    } else {
        rc = measure_session(&s, dir, env, specs);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "gilscope: cannot write to stdout: %s\n", strerror(errno));
            if (rc == 0) rc = 1;
        }
    }
    free_specs(specs, s.nworkloads);
    gs_session_free(&s);
    gs_harness_env_free(env);
    return rc;
}
