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
#include "jsonpath.h"
#include "machine.h"
#include "merge.h"
#include "record.h"
#include "report.h"
#include "report_view.h"
#include "serve.h"
#include "session.h"
#include "signals.h"
#include "spawn.h"
#include "table.h"
#include "tabwriter.h"

#define MAX_RUNS_PER_CELL 1000

/* One interpreter of the run (--python A,B,...: one lane each): its
 * session and where its runs stand. */
typedef struct lane {
    gs_options opt;        /* the command line's, with this interpreter as opt.python */
    char python[4096];     /* the --python entry, resolved (gs_interp_resolve) */
    gs_session s;
    int started;           /* s was initialised: free it */
    size_t next;           /* the index of its next run */
    size_t done;           /* its workloads whose runs are all over */
    size_t *last;          /* per cell, the index of its last planned run (NULL: unknown) */
    unsigned char *blocked;/* per cell: a run failed or was unavailable, skip the rest */
} lane;

/* What one `gilscope run` works with besides the sessions. */
typedef struct run_ctx {
    uv_loop_t *loop;
    lane *lanes;
    size_t nlanes;
    const char *dir;       /* the workloads directory */
    char **env;            /* the runs' environment */
    char **specs;          /* per workload, as the harness takes it (gs_cmd_run owns them) */
    json_t *command_line;  /* for a report of several interpreters */
    FILE *out;             /* the table's stream: stdout, or stderr when a report goes to stdout */
    gs_table_style style;  /* the table's colour, width, --wide and -v */
    json_t *shown;         /* the warnings the header printed */
    int show_progress;     /* progress on stderr, */
    int progress_tty;      /* as a line redrawn with an ETA (a terminal), else a plain line per finished cell */
    uint64_t measured_ns;  /* wall time of the runs measured so far */
    int measured;          /* their count */
    gs_http_server http;   /* the loopback HTTP service, for workloads that need it */
    int http_running;
} run_ctx;

/* Measures what the cores deliver, once for every lane: the first lane
 * measures, the others take its figure (their runs share the cores). */
static void measure_capacity(run_ctx *x, gs_capacity_when when) {
    double cap = gs_session_measure_capacity(&x->lanes[0].s, when);
    for (size_t k = 1; k < x->nlanes; k++) gs_session_share_capacity(&x->lanes[k].s, &x->lanes[0].s, cap);
}

/* Runs planned and executed over every lane. */
static size_t runs_planned(const run_ctx *x) {
    size_t n = 0;
    for (size_t k = 0; k < x->nlanes; k++) n += x->lanes[k].s.nruns;
    return n;
}

static size_t runs_done(const run_ctx *x) {
    size_t n = 0;
    for (size_t k = 0; k < x->nlanes; k++) n += x->lanes[k].next;
    return n;
}

/* The report of the run so far: the session's; with several interpreters,
 * their sessions' reports merged, one source per interpreter labelled by
 * its version (what `gilscope merge` of one report per interpreter gives).
 * NULL when out of memory. */
static json_t *report_of(const run_ctx *x) {
    if (x->nlanes == 1) return gs_json_report(&x->lanes[0].s);
    json_t **reports = calloc(x->nlanes, sizeof(*reports)), *merged = NULL;
    const char **labels = calloc(x->nlanes, sizeof(*labels));
    char(*names)[64] = calloc(x->nlanes, sizeof(*names));
    char err[512];
    size_t k;
    for (k = 0; reports && labels && names && k < x->nlanes; k++) {
        json_t *py = json_object_get(x->lanes[k].s.hello, "python");
        snprintf(names[k], sizeof(names[k]), "%s%s", gs_jstr(py, "version"),
                 json_is_true(json_object_get(py, "free_threaded")) ? "t" : "");
        labels[k] = names[k];
        if ((reports[k] = gs_json_report(&x->lanes[k].s)) == NULL) break;
    }
    if (k == x->nlanes) merged = gs_merge_labelled(reports, labels, x->nlanes, x->command_line, err, sizeof(err));
    for (k = 0; reports && k < x->nlanes; k++) json_decref(reports[k]);
    free(reports);
    free(labels);
    free(names);
    return merged;
}

/* Notes where each cell's last planned run is, after planning or a new round. */
static void find_last_runs(lane *l) {
    free(l->last);
    l->last = calloc(l->s.ncells ? l->s.ncells : 1, sizeof(*l->last));
    for (size_t i = 0; l->last && i < l->s.nruns; i++) l->last[l->s.runs[i].cell] = i;
}

/* " · ETA 1m 05s": the mean run time so far × the runs left after `done`
 * of them (over every lane); "" before the first run is over. */
static void eta(const run_ctx *x, size_t done, const char *what, char *buf, size_t cap) {
    size_t planned = runs_planned(x);
    double left = x->measured ? (double)x->measured_ns / 1e9 / x->measured * (double)(planned - done) : -1;
    if (left < 0 || done >= planned) buf[0] = '\0';
    else if (left < 60) snprintf(buf, cap, " · %s %.0f s", what, left);
    else if (left < 3600) snprintf(buf, cap, " · %s %dm %02ds", what, (int)left / 60, (int)left % 60);
    else snprintf(buf, cap, " · %s %dh %02dm", what, (int)left / 3600, (int)left % 3600 / 60);
}

/* "3.11.7 · " before a lane's progress when there are several; else "". */
static void lane_tag(const run_ctx *x, const lane *l, char *buf, size_t cap) {
    buf[0] = '\0';
    if (x->nlanes > 1) snprintf(buf, cap, "%s · ", gs_jstr(json_object_get(l->s.hello, "python"), "version"));
}

/* On a terminal, the line redrawn before each run, with an ETA. */
static void progress(const run_ctx *x, const lane *l, size_t i) {
    if (!x->show_progress || !x->progress_tty) return;
    const gs_session *s = &l->s;
    const gs_run *r = &s->runs[i];
    const gs_cell *c = &s->cells[r->cell];
    char line[512], left[48], tag[48], name[128];
    size_t done = runs_done(x);
    eta(x, done, "ETA", left, sizeof(left));
    lane_tag(x, l, tag, sizeof(tag));
    gs_cell_label(c, name, sizeof(name));
    snprintf(line, sizeof(line), "[%zu/%zu] %s%s · %s · run %d/%d%s%s", done + 1, runs_planned(x), tag,
             s->workloads[c->workload].name, name, r->repetition, s->opt->warmup + s->opt->runs,
             r->warmup ? " (warm-up)" : "", left);
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
static void progress_cell(const run_ctx *x, const lane *l, size_t i) {
    if (!x->show_progress || x->progress_tty) return;
    const gs_session *s = &l->s;
    const gs_cell *c = &s->cells[s->runs[i].cell];
    if (l->last && l->last[s->runs[i].cell] == i && s->workloads[c->workload].error == NULL) {
        char label[96], wall[32], left[48], tag[48];
        size_t done = runs_done(x);
        gs_cell_label(c, label, sizeof(label));
        eta(x, done, "about", left, sizeof(left));
        lane_tag(x, l, tag, sizeof(tag));
        fprintf(stderr, "[%zu/%zu] %s%s · %s: ", done, runs_planned(x), tag, s->workloads[c->workload].name, label);
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
static int save(const run_ctx *x, int to_stdout) {
    const gs_outputs *outputs = &x->lanes[0].opt.outputs;
    if (!gs_outputs_any(outputs, to_stdout)) return 0;
    json_t *report = report_of(x);
    if (report == NULL) {
        fprintf(stderr, "gilscope: out of memory while building the report\n");
        return -1;
    }
    int rc = gs_outputs_write(outputs, report, to_stdout);
    json_decref(report);
    return rc;
}

/* Measures run i: one fresh interpreter on the harness, sampled. */
static void measure(run_ctx *x, lane *l, size_t i) {
    gs_session *s = &l->s;
    gs_run *r = &s->runs[i];
    const gs_options *o = s->opt;
    const gs_cell *c = &s->cells[r->cell];
    gs_harness_argv a;
    gs_harness_argv_run(&a, s->python, x->dir, x->specs[c->workload], gs_strategy_name(c->strategy), c->workers,
                        o->tasks, s->workloads[c->workload].size);
    if (r->diagnostic && o->probe) gs_harness_argv_add(&a, "--probe", NULL);
    if (r->diagnostic && o->profile) gs_harness_argv_add(&a, "--profile", NULL);
    if (o->warm_calls > 0) gs_harness_argv_add_long(&a, "--warm-calls", o->warm_calls);
    if (o->no_gc) gs_harness_argv_add(&a, "--no-gc", NULL);
    if (o->start_method && gs_strategy_has(c->strategy, GS_SF_PROCESSES))
        gs_harness_argv_add(&a, "--start-method", o->start_method);
    if (c->chunksize > 0) gs_harness_argv_add_long(&a, "--chunksize", c->chunksize);
    /* The transfer cost (the same figures every run) is measured after the
     * window of the cell's first measured run only: it lengthens the process. */
    if (r->warmup || r->diagnostic || r->repetition != o->warmup + 1) gs_harness_argv_add(&a, "--no-transfer", NULL);
    int timeline = r->diagnostic && gs_cli_wants_timeline(o);
    gs_session_begin_run(s, i, timeline ? GS_TIMELINE_SAMPLE_HZ : o->sample_hz);
    /* A free-threaded build without its GIL has no GIL to wait for. */
    int no_gil = json_is_false(json_object_get(json_object_get(s->hello, "python"), "gil_enabled"));
    gs_spawn_req req = {a.v, x->env, o->timeout_s, GS_RUN_GRACE_S, GS_PROTO_RUN, o->tasks,
                        (unsigned)(1e6 / r->sample_hz), no_gil, 1};
    gs_spawn_out out;
    gs_http_stats before, after;
    /* The service's CPU is a figure of the workloads that use it only. */
    int served = x->http_running && s->workloads[c->workload].needs_http;
    if (served) gs_http_server_stats(&x->http, &before);
    if (a.failed) {
        memset(&out, 0, sizeof(out));
        out.spawn_error = UV_ENOMEM;
    } else {
        gs_spawn_run(x->loop, &req, &out);
    }
    gs_record_run(r, &out, o->timeout_s);
    if (out.scratch_remove_error != 0)
        fprintf(stderr, "gilscope: warning: could not remove all of the run's scratch directory %s: %s\n", out.scratch,
                uv_strerror(out.scratch_remove_error));
    if (served) {
        gs_http_server_stats(&x->http, &after);
        r->service_cpu_s = after.cpu_s - before.cpu_s;
    }
    gs_record_states(r, out.tracks, out.ntracks, timeline);
    gs_spawn_out_free(&out);
    gs_harness_argv_free(&a);
    gs_session_end_run(s, i);
}

/* Executes run `next` of lane l (or skips it), then, when it ended its
 * workload, adds a round for --min-time or counts the workload done. */
static void step(run_ctx *x, lane *l) {
    gs_session *s = &l->s;
    size_t i = l->next++;
    gs_run *r = &s->runs[i];
    const gs_cell *c = &s->cells[r->cell];
    const gs_workload *w = &s->workloads[c->workload];
    if (w->error != NULL || l->blocked[r->cell]) {
        gs_session_skip_run(s, i);
    } else {
        progress(x, l, i);
        uint64_t t0 = uv_hrtime();
        measure(x, l, i);
        x->measured_ns += uv_hrtime() - t0;
        x->measured++;
        if (r->status == GS_RUN_FAILED || r->status == GS_RUN_UNAVAILABLE) l->blocked[r->cell] = 1;
        progress_clear(x);
        if (r->leftover > 0) {
            fprintf(stderr, "gilscope: warning: %d process%s of %s/%s were still running after the run, ended:",
                    r->leftover, r->leftover == 1 ? "" : "es", w->name, gs_strategy_name(c->strategy));
            size_t k;
            json_t *p;
            json_array_foreach(r->leftovers, k, p) fprintf(stderr, "%s pid %d (%s)", k ? "," : "",
                                                         (int)json_integer_value(json_object_get(p, "pid")),
                                                         json_string_value(json_object_get(p, "command")));
            fputc('\n', stderr);
        }
        gs_session_aggregate(s);
        save(x, 0);
    }
    progress_cell(x, l, i);
    /* Between rounds of repetitions (the first lane's): what the cores deliver now. */
    if (l == &x->lanes[0] && i + 1 < s->nruns && s->runs[i + 1].repetition != r->repetition && !gs_signals_pending())
        measure_capacity(x, GS_CAP_BETWEEN);
    int last = i + 1 == s->nruns || s->cells[s->runs[i + 1].cell].workload != c->workload;
    if (!last || gs_signals_pending()) return;
    size_t wl = c->workload;
    gs_session_aggregate(s);
    if (s->opt->min_time_s > 0 && gs_session_needs_more(s, wl, s->opt->min_time_s, MAX_RUNS_PER_CELL) &&
        gs_session_add_round(s, wl, i) > 0) {
        find_last_runs(l);
        return; /* the new round runs next; the table waits for it */
    }
    l->done = wl + 1;
}

/* The workloads every lane is done with. */
static size_t workloads_done(const run_ctx *x) {
    size_t done = x->lanes[0].done;
    for (size_t k = 1; k < x->nlanes; k++)
        if (x->lanes[k].done < done) done = x->lanes[k].done;
    return done;
}

/* Prints the tables of workloads [from, to). */
static void print_tables(run_ctx *x, size_t from, size_t to) {
    if (from >= to) return;
    json_t *report = report_of(x);
    for (size_t w = from; report && w < to; w++)
        gs_table_workload(x->out, report, x->lanes[0].s.workloads[w].name, &x->style);
    json_decref(report);
    fflush(x->out);
}

/* Executes the plans, one run at a time, the lanes' runs interleaved (one
 * of each interpreter in turn), printing each workload's table as soon as
 * every lane's last run of it is over; returns the exit status. */
static int execute(run_ctx *x) {
    size_t printed = 0; /* workloads whose table is out */
    for (size_t k = 0; k < x->nlanes; k++) {
        lane *l = &x->lanes[k];
        l->blocked = calloc(l->s.ncells ? l->s.ncells : 1, 1);
        if (l->blocked == NULL) return gs_cmd_usage_error("out of memory");
        find_last_runs(l);
    }
    for (int more = 1; more;) {
        more = 0;
        for (size_t k = 0; k < x->nlanes; k++) {
            lane *l = &x->lanes[k];
            if (l->next >= l->s.nruns || gs_signals_poll(x->loop)) continue;
            step(x, l);
            more = 1;
        }
        if (gs_signals_pending()) break;
        size_t done = workloads_done(x);
        print_tables(x, printed, done);
        if (done > printed) printed = done;
    }
    int sig = gs_signals_poll(x->loop), rc = 0;
    if (!gs_signals_pending() && x->lanes[0].s.executed > 0) measure_capacity(x, GS_CAP_AFTER);
    for (size_t k = 0; k < x->nlanes; k++) {
        gs_session *s = &x->lanes[k].s;
        gs_session_aggregate(s);
        if (sig) gs_session_interrupt(s, sig);
        int lrc = gs_session_exit_status(s);
        if (lrc > rc) rc = lrc;
    }
    sig = sig ? sig : gs_signals_poll(x->loop);
    if (sig) {
        /* Show what was measured before the interruption. */
        size_t executed = 0;
        for (size_t k = 0; k < x->nlanes; k++) executed += (size_t)x->lanes[k].s.executed;
        print_tables(x, printed, x->lanes[0].s.nworkloads);
        fprintf(stderr, "gilscope: interrupted by %s after %zu of %zu runs; reports keep every finished run\n",
                gs_signal_name(sig), executed, runs_planned(x));
    }
    json_t *report = report_of(x); /* the warnings, one line per cause */
    if (report) gs_table_warnings(x->out, report, x->shown, &x->style);
    json_decref(report);
    fflush(x->out);
    int write_failed = save(x, 0) != 0;
    if (sig) return 128 + sig;
    return rc == 0 && write_failed ? 1 : rc;
}

/* --size auto: calibrates every workload that loaded, on the first
 * interpreter that loaded it; every interpreter then runs that size, so
 * that their times compare the same work. */
static void calibrate_all(run_ctx *x) {
    gs_session *s0 = &x->lanes[0].s;
    for (size_t w = 0; w < s0->nworkloads && !gs_signals_pending(); w++) {
        size_t k = 0;
        while (k < x->nlanes && x->lanes[k].s.workloads[w].error) k++;
        if (k == x->nlanes) continue;
        gs_session *s = &x->lanes[k].s;
        if (x->show_progress)
            fprintf(stderr, x->progress_tty ? "\r\033[Kcalibrating %s (--size auto)…" : "calibrating %s (--size auto)…\n",
                    s->workloads[w].name);
        gs_calibration_req req = {s->python, x->dir, x->specs[w], x->env, s->opt->tasks,
                                  s->opt->timeout_s, s->opt->target_time_s, gs_signals_pending};
        gs_calibration cal;
        gs_calibrate(x->loop, &req, &cal);
        for (; k < x->nlanes; k++)
            if (x->lanes[k].s.workloads[w].error == NULL)
                gs_session_calibrated(&x->lanes[k].s, w, cal.size, cal.size_ignored, cal.tries, cal.error);
        gs_calibration_free(&cal);
        gs_signals_poll(x->loop);
    }
    progress_clear(x);
}

/* The session of the interpreter's answer; 0, or 2 when out of memory. */
static int start_session(lane *l, const gs_spawn_out *info, int argc, char **argv, const char *dir) {
    gs_session *s = &l->s;
    l->started = 1;
    if (gs_session_init(s, &l->opt, info->proto.hello) != 0 || gs_session_load_workloads(s, info->proto.info) != 0 ||
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

/* Starts gilscope's HTTP service when a workload asked for it (NEEDS =
 * ("http",)), its address in every run's environment as GILSCOPE_HTTP_URL;
 * when it cannot start, those workloads fail with the reason and the others
 * are measured. */
static void start_services(run_ctx *x) {
    int wanted = 0;
    for (size_t k = 0; k < x->nlanes; k++)
        for (size_t w = 0; w < x->lanes[k].s.nworkloads; w++) wanted |= x->lanes[k].s.workloads[w].needs_http;
    if (!wanted) return;
    char why[256] = "";
    int rc = gs_http_server_start(&x->http, NULL);
    if (rc != 0) snprintf(why, sizeof(why), "gilscope's HTTP service could not start: %s", uv_strerror(rc));
    else if (gs_harness_env_set(&x->env, "GILSCOPE_HTTP_URL", gs_http_server_url(&x->http)) != 0) {
        gs_http_server_stop(&x->http);
        snprintf(why, sizeof(why), "gilscope's HTTP service could not start: out of memory");
    } else {
        /* The service raised the soft RLIMIT_NOFILE, which the runs would inherit: they get
         * the one gilscope found back (the harness sets it first thing), so that a workload
         * runs under the limit it would have without the service. */
        char nofile[32];
        snprintf(nofile, sizeof(nofile), "%ld", gs_http_server_nofile_before(&x->http));
        if (gs_http_server_nofile_before(&x->http) > 0 && gs_harness_env_set(&x->env, "GILSCOPE_NOFILE_SOFT", nofile) != 0)
            fprintf(stderr, "gilscope: warning: runs keep the raised descriptor limit (out of memory)\n");
        x->http_running = 1;
        return;
    }
    for (size_t k = 0; k < x->nlanes; k++)
        for (size_t w = 0; w < x->lanes[k].s.nworkloads; w++)
            if (x->lanes[k].s.workloads[w].needs_http) gs_session_fail_workload(&x->lanes[k].s, w, why);
}

static int measure_sessions(run_ctx *x) {
    const gs_options *o = &x->lanes[0].opt;
    int to_stdout = gs_outputs_any(&o->outputs, 1);
    x->loop = uv_default_loop();
    x->out = to_stdout ? stderr : stdout;
    x->style.color = isatty(fileno(x->out)) && getenv("NO_COLOR") == NULL;
    x->style.width = gs_text_width(x->out);
    x->style.wide = o->wide;
    x->style.verbose = o->verbose;
    /* Without --progress, only on a terminal: piped, the tables (one per
     * workload as it ends) are the log, and stderr stays for errors. */
    x->progress_tty = isatty(2);
    x->show_progress = o->progress == 1 || (o->progress == -1 && x->progress_tty);
    start_services(x);
    if (o->size < 0) calibrate_all(x);
    measure_capacity(x, GS_CAP_BEFORE);
    save(x, 0);
    json_t *report = report_of(x);
    if (report == NULL) return gs_cmd_usage_error("out of memory");
    gs_table_header(x->out, report, &x->style);
    x->shown = json_incref(json_object_get(report, "warnings"));
    json_decref(report);
    int rc = execute(x);
    if (x->http_running) {
        gs_http_server_stop(&x->http);
        x->http_running = 0;
    }
    json_decref(x->shown);
    if (to_stdout && save(x, 1) != 0 && rc == 0) rc = 1;
    int late = gs_signals_pending(); /* one that ended the write to stdout */
    return late && rc < 128 ? 128 + late : rc;
}

/* Resolves, asks and plans each interpreter of --python; 0, or the exit
 * status after saying why. */
static int start_lanes(run_ctx *x, gs_options *o, int argc, char **argv) {
    char err[1024];
    for (size_t k = 0; k < x->nlanes; k++) {
        lane *l = &x->lanes[k];
        const char *entry = o->pythons ? o->pythons[k] : o->python;
        if (gs_interp_resolve(entry, l->python, sizeof(l->python), err, sizeof(err)) != 0)
            return gs_cmd_usage_error(err);
        l->opt = *o;
        l->opt.python = l->python;
    }
    for (size_t k = 0; k < x->nlanes; k++) {
        gs_spawn_out info;
        int rc = gs_interp_query(uv_default_loop(), x->dir, &x->lanes[k].opt, x->env, &info);
        if (rc == 0) rc = start_session(&x->lanes[k], &info, argc, argv, x->dir);
        gs_spawn_out_free(&info);
        if (rc != 0) return rc;
    }
    return 0;
}

/* gilscope run: measures every workload under every strategy, on every
 * interpreter of --python. */
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
    if (gs_outputs_check(&o->outputs, err, sizeof(err)) != 0) return gs_cmd_usage_error(err);
    run_ctx x;
    memset(&x, 0, sizeof(x));
    x.dir = dir;
    x.nlanes = o->npythons ? o->npythons : 1;
    x.lanes = calloc(x.nlanes, sizeof(*x.lanes));
    x.env = gs_harness_env(o->hash_seed);
    x.command_line = json_array();
    for (int i = 0; x.command_line && i < argc; i++) json_array_append_new(x.command_line, gs_json_path_item(argv[i]));
    if (x.lanes == NULL || x.env == NULL || x.command_line == NULL) rc = gs_cmd_usage_error("out of memory");
    if (rc == 0) rc = start_lanes(&x, o, argc, argv);
    if (rc == 0 && (x.specs = resolve_specs(&x.lanes[0].s)) == NULL) rc = gs_cmd_usage_error("out of memory");
    if (rc == 0) {
        rc = measure_sessions(&x);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "gilscope: cannot write to stdout: %s\n", strerror(errno));
            if (rc == 0) rc = 1;
        }
    }
    for (size_t k = 0; x.lanes && k < x.nlanes; k++) {
        lane *l = &x.lanes[k];
        if (k == 0) free_specs(x.specs, l->s.nworkloads);
        if (l->started) gs_session_free(&l->s);
        free(l->last);
        free(l->blocked);
    }
    free(x.lanes);
    json_decref(x.command_line);
    if (x.env) gs_harness_env_free(x.env);
    return rc;
}
