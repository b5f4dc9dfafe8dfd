/* gilscope: the pipeline is visible here: options -> interpreter probe ->
 * plan -> one run at a time -> records -> aggregate -> table and JSON. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "compare.h"
#include "merge.h"
#include "export_json.h"
#include "export_text.h"
#include "harness.h"
#include "record.h"
#include "session.h"
#include "spawn.h"
#include "table.h"
#include "timeline.h"
#include "warn.h"

#define GRACE_S 2.0
#define MAX_RUNS_PER_CELL 1000
#define PROBE_TIMEOUT_S 120.0

static volatile int g_signal; /* the SIGINT/SIGTERM received, set on the loop */

static void on_signal(uv_signal_t *h, int signum) {
    (void)h;
    if (!g_signal) g_signal = signum;
    gs_spawn_interrupt(signum);
}

/* Dispatches a signal that arrived while no run was in progress. */
static void poll_signals(uv_loop_t *loop) { uv_run(loop, UV_RUN_NOWAIT); }

static int usage_error(const char *msg) {
    fprintf(stderr, "gilscope: %s\n", msg);
    return 2;
}

/* Runs the harness in info mode: the interpreter's facts and its view of the
 * workloads. Returns 0, or 2 with a message printed. */
static int probe(uv_loop_t *loop, const char *dir, const gs_options *o, char **env,
                 gs_spawn_out *out) {
    size_t n = 5 + 2 * o->nworkloads;
    char **argv = calloc(n + 1, sizeof(*argv));
    char harness[4096 + 32];
    snprintf(harness, sizeof(harness), "%s/harness.py", dir);
    size_t k = 0;
    argv[k++] = (char *)o->python;
    argv[k++] = harness;
    argv[k++] = "--mode";
    argv[k++] = "info";
    char **paths = calloc(o->nworkloads + 1, sizeof(*paths));
    for (size_t i = 0; i < o->nworkloads; i++) {
        argv[k++] = "--workload";
        const char *spec = o->workloads[i];
        if (gs_harness_spec_is_path(spec)) paths[i] = realpath(spec, NULL);
        argv[k++] = paths[i] ? paths[i] : (char *)spec;
    }
    argv[k] = NULL;
    gs_spawn_req req = {argv, env, PROBE_TIMEOUT_S, GRACE_S, GS_PROTO_INFO, 0, 0};
    gs_spawn_run(loop, &req, out);
    for (size_t i = 0; i < o->nworkloads; i++) free(paths[i]);
    free(paths);
    free(argv);
    char last[300], msg[1024];
    gs_record_last_line(out->err_tail, last, sizeof(last));
    if (out->spawn_error) {
        snprintf(msg, sizeof(msg), "--python: cannot run \"%s\": %s", o->python,
                 uv_strerror(out->spawn_error));
        return usage_error(msg);
    }
    if (out->interrupted) return 128 + out->interrupted;
    if (out->proto.hello != NULL && (!out->proto_ok || out->proto.info == NULL)) {
        /* The interpreter answered: loading the workloads went wrong. */
        const char *why = out->timed_out ? "timed out while loading the workloads"
                          : out->proto.error ? json_string_value(json_object_get(out->proto.error, "message"))
                                             : out->proto.problem;
        if (out->term_signal)
            snprintf(msg, sizeof(msg), "loading the workloads killed the interpreter (signal %d, %s)%s%s",
                     out->term_signal, strsignal(out->term_signal), last[0] ? ": " : "", last);
        else
            snprintf(msg, sizeof(msg), "loading the workloads failed: %s%s%s", why, last[0] ? ": " : "", last);
        return usage_error(msg);
    }
    if (!out->proto_ok || out->proto.info == NULL) {
        snprintf(msg, sizeof(msg),
                 "--python %s: the harness did not start (%s)%s%s — gilscope needs CPython 3.8 or newer",
                 o->python, out->proto.error ? json_string_value(json_object_get(out->proto.error, "message"))
                                             : out->proto.problem,
                 last[0] ? ": " : "", last);
        return usage_error(msg);
    }
    const char *ver = json_string_value(json_object_get(json_object_get(out->proto.hello, "python"), "version"));
    int major = 0, minor = 0;
    if (sscanf(ver, "%d.%d", &major, &minor) != 2 || major < 3 || (major == 3 && minor < 8)) {
        snprintf(msg, sizeof(msg), "--python %s: Python %s is too old (gilscope needs 3.8 or newer)",
                 o->python, ver);
        return usage_error(msg);
    }
    return 0;
}

static char *dup_json_str(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? strdup(s) : NULL;
}

static int load_workloads(gs_session *s, json_t *info) {
    json_t *list = json_object_get(info, "workloads");
    s->nworkloads = json_array_size(list);
    s->workloads = calloc(s->nworkloads ? s->nworkloads : 1, sizeof(*s->workloads));
    if (s->workloads == NULL) return -1;
    for (size_t i = 0; i < s->nworkloads; i++) {
        json_t *w = json_array_get(list, i);
        gs_workload *wl = &s->workloads[i];
        wl->spec = i < s->opt->nworkloads ? strdup(s->opt->workloads[i]) : dup_json_str(w, "spec");
        wl->name = dup_json_str(w, "name");
        if (wl->name == NULL) wl->name = strdup(wl->spec ? wl->spec : "?");
        wl->kind = dup_json_str(w, "kind");
        wl->description = dup_json_str(w, "description");
        wl->error = dup_json_str(w, "error");
        json_t *ds = json_object_get(w, "default_size");
        wl->default_size = json_is_integer(ds) ? (long)json_integer_value(ds) : 1;
        wl->size = s->opt->size > 0 ? s->opt->size : wl->default_size;
        if (wl->size < 1) wl->size = 1;
    }
    return 0;
}

static void read_cpu_model(char *buf, size_t cap) {
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "re");
    if (f == NULL) return;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                c++;
                while (*c == ' ') c++;
                c[strcspn(c, "\n")] = '\0';
                snprintf(buf, cap, "%s", c);
            }
            break;
        }
    }
    fclose(f);
}

static json_t *build_metadata(const gs_session *s, int argc, char **argv, const char *dir,
                              json_t *info) {
    json_t *m = json_object();
    json_object_set_new(m, "gilscope_version", json_string(GS_VERSION));
    json_t *cmd = json_array();
    for (int i = 0; i < argc; i++) json_array_append_new(cmd, json_string(argv[i]));
    json_object_set_new(m, "command_line", cmd);
    time_t now = time(NULL);
    char ts[64];
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    json_object_set_new(m, "start_time", json_string(ts));
    json_t *py = json_deep_copy(json_object_get(s->hello, "python"));
    json_object_set_new(py, "requested", json_string(s->opt->python));
    json_object_set_new(m, "python", py);
    json_object_set_new(m, "interpreter", json_string(s->python));
    json_object_set_new(m, "gil_enabled", json_deep_copy(json_object_get(py, "gil_enabled")));
    json_object_set_new(m, "cores", json_integer((json_int_t)uv_available_parallelism()));
    char cpu[256];
    read_cpu_model(cpu, sizeof(cpu));
    json_object_set_new(m, "cpu_model", json_string(cpu));
    struct utsname u;
    if (uname(&u) == 0) {
        char k[600];
        snprintf(k, sizeof(k), "%s %s %s", u.sysname, u.release, u.machine);
        json_object_set_new(m, "kernel", json_string(k));
        json_object_set_new(m, "hostname", json_string(u.nodename));
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3)
        json_object_set_new(m, "load_average", json_pack("[f,f,f]", load[0], load[1], load[2]));
    const gs_options *o = s->opt;
    char *gov = gs_warn_read_governor();
    json_object_set_new(m, "cpu_governor", gov ? json_string(gov) : json_null());
    free(gov);
    json_object_set_new(m, "hash_seed", json_integer((json_int_t)o->hash_seed));
    json_object_set_new(m, "tasks", json_integer(o->tasks));
    json_object_set_new(m, "runs", json_integer(o->runs));
    json_object_set_new(m, "warmup", json_integer(o->warmup));
    json_object_set_new(m, "timeout_s", json_real(o->timeout_s));
    json_object_set_new(m, "start_method_requested", o->start_method ? json_string(o->start_method) : json_null());
    json_object_set_new(m, "default_start_method", json_deep_copy(json_object_get(info, "default_start_method")));
    json_t *ws = json_array();
    for (size_t i = 0; i < o->nworkers; i++) json_array_append_new(ws, json_integer(o->workers[i]));
    json_object_set_new(m, "workers", ws);
    json_t *st = json_array();
    for (gs_strategy i = 0; (size_t)i < gs_strategy_count(); i++)
        if (o->strategies & (1u << i)) json_array_append_new(st, json_string(gs_strategy_name(i)));
    json_object_set_new(m, "strategies", st);
    json_object_set_new(m, "harness_dir", json_string(dir));
    json_object_set_new(m, "sample_hz", json_real(o->sample_hz));
    return m;
}

/* The argv of one measured run. Strings are owned by the caller's buffers. */
static void run_argv(char **argv, char *harness, char *workers, char *tasks, char *size,
                     const gs_session *s, const gs_run *r, char *spec) {
    const gs_cell *c = &s->cells[r->cell];
    const gs_workload *w = &s->workloads[c->workload];
    snprintf(workers, 16, "%d", c->workers);
    snprintf(tasks, 16, "%d", s->opt->tasks);
    snprintf(size, 32, "%ld", w->size);
    size_t k = 0;
    argv[k++] = s->python;
    argv[k++] = harness;
    argv[k++] = "--mode";
    argv[k++] = "run";
    argv[k++] = "--workload";
    argv[k++] = spec;
    argv[k++] = "--strategy";
    argv[k++] = (char *)gs_strategy_name(c->strategy);
    argv[k++] = "--workers";
    argv[k++] = workers;
    argv[k++] = "--tasks";
    argv[k++] = tasks;
    argv[k++] = "--size";
    argv[k++] = size;
    if (r->diagnostic && s->opt->probe) argv[k++] = "--probe";
    if (s->opt->start_method && gs_strategy_has(c->strategy, GS_SF_PROCESSES)) {
        argv[k++] = "--start-method";
        argv[k++] = (char *)s->opt->start_method;
    }
    argv[k] = NULL;
}

static void progress(FILE *f, const gs_session *s, const gs_run *r, int done) {
    if (done) {
        fprintf(f, "\r\033[K");
        fflush(f);
        return;
    }
    const gs_cell *c = &s->cells[r->cell];
    fprintf(f, "\r\033[K[%d/%zu] %s · %s × %d · run %d/%d%s", s->executed + 1, s->nruns,
            s->workloads[c->workload].name, gs_strategy_name(c->strategy), c->workers,
            r->repetition, s->opt->warmup + s->opt->runs, r->warmup ? " (warm-up)" : "");
    fflush(f);
}

/* Every --export-* destination with its writer. */
typedef struct export_target {
    const char *path;
    int (*writer)(json_t *, FILE *);
    const char *flag;
} export_target;

#define NEXPORTS 5

/* --timeline's writer: the heading alone when no timeline was recorded. */
static int export_timeline(json_t *report, FILE *f) { return gs_timeline_write_report(f, report, NULL, 1) < 0 ? -1 : 0; }

static void export_targets(const gs_options *o, export_target t[NEXPORTS]) {
    t[0] = (export_target){o->export_json, gs_export_json, o->command == GS_CMD_MERGE ? "--output" : "--export-json"};
    t[1] = (export_target){o->export_markdown, gs_export_markdown, "--export-markdown"};
    t[2] = (export_target){o->export_csv, gs_export_csv, "--export-csv"};
    t[3] = (export_target){o->export_html, gs_export_html, "--export-html"};
    t[4] = (export_target){o->timeline, export_timeline, "--timeline"};
}

/* Checks that every export file can be written before anything runs; those
 * it created are marked in created[] so that unlink_created can remove them
 * if nothing gets measured. Returns 0, or -1 with err set. */
static int check_exports(const gs_options *o, int created[NEXPORTS], char *err, size_t errlen) {
    export_target t[NEXPORTS];
    export_targets(o, t);
    memset(created, 0, NEXPORTS * sizeof(int));
    for (int i = 0; i < NEXPORTS; i++) {
        if (t[i].path && gs_check_output_path(t[i].path, t[i].flag, err, errlen, &created[i]) != 0) return -1;
    }
    return 0;
}

static void unlink_created(const gs_options *o, const int created[NEXPORTS]) {
    export_target t[NEXPORTS];
    export_targets(o, t);
    for (int i = 0; i < NEXPORTS; i++)
        if (created[i]) unlink(t[i].path);
}

/* Writes report to every --export-* that goes to stdout ("-") when
 * to_stdout is set, else to every one that goes to a file. Returns 0, or -1
 * after saying why. */
static int write_exports(json_t *report, const gs_options *o, int to_stdout) {
    export_target t[NEXPORTS];
    export_targets(o, t);
    int rc = 0;
    char err[512];
    for (int i = 0; i < NEXPORTS; i++) {
        if (t[i].path == NULL || (strcmp(t[i].path, "-") == 0) != to_stdout) continue;
        if (gs_export_to(report, t[i].writer, t[i].path, t[i].flag, err, sizeof(err)) != 0) {
            fprintf(stderr, "gilscope: %s\n", err);
            rc = -1;
        }
    }
    return rc;
}

/* Whether any --export-* goes to stdout (to_stdout) or to a file. */
static int has_exports(const gs_options *o, int to_stdout) {
    export_target t[NEXPORTS];
    export_targets(o, t);
    for (int i = 0; i < NEXPORTS; i++)
        if (t[i].path != NULL && (strcmp(t[i].path, "-") == 0) == to_stdout) return 1;
    return 0;
}

/* Rewrites the report files; those going to stdout are written once, at
 * the end, by write_stdout_exports. The report is built once for all of
 * them. Returns 0, or -1 after saying why. */
static int save_json(const gs_session *s) {
    if (!has_exports(s->opt, 0)) return 0;
    json_t *report = gs_json_report(s);
    int rc = write_exports(report, s->opt, 0);
    json_decref(report);
    return rc;
}

/* The one export that goes to stdout, if any. Returns 0 or -1. */
static int write_stdout_exports(const gs_session *s) {
    if (!has_exports(s->opt, 1)) return 0;
    json_t *report = gs_json_report(s);
    int rc = write_exports(report, s->opt, 1);
    json_decref(report);
    return rc;
}

/* --size auto: serial runs with sizes 1, 2, 5, 10, 20, 50, ... (as
 * timeit.autorange) until one lasts a fifth of --target-time, then the size
 * scaled linearly to the target. Each try is a fresh interpreter, recorded in
 * the workload's calibration. Returns 0, or -1 with w->error set. */
static int calibrate(uv_loop_t *loop, gs_session *s, gs_workload *w, const char *harness, char **env) {
    char spec_buf[4096], size_buf[32], tasks_buf[16];
    char *spec = gs_harness_spec_is_path(w->spec) ? realpath(w->spec, NULL) : NULL;
    snprintf(spec_buf, sizeof(spec_buf), "%s", spec ? spec : w->spec);
    free(spec);
    snprintf(tasks_buf, sizeof(tasks_buf), "%d", s->opt->tasks);
    w->calibration = json_array();
    long size = 1;
    double first_wall = 0;
    for (int step = 0; step < 60 && !g_signal; step++) {
        snprintf(size_buf, sizeof(size_buf), "%ld", size);
        char *argv[] = {s->python, (char *)harness, "--mode", "run", "--workload", spec_buf, "--strategy", (char *)gs_strategy_name(gs_strategy_baseline()),
                        "--workers", "1", "--tasks", tasks_buf, "--size", size_buf, NULL};
        gs_spawn_req req = {argv, env, s->opt->timeout_s, GRACE_S, GS_PROTO_RUN, s->opt->tasks, 0};
        gs_spawn_out o;
        gs_run r;
        memset(&r, 0, sizeof(r));
        gs_spawn_run(loop, &req, &o);
        gs_record_run(&r, &o, s->opt->timeout_s);
        gs_spawn_out_free(&o);
        json_decref(r.tasks);
        json_decref(r.workers_seen);
        free(r.start_method);
        free(r.detail);
        if (r.status != GS_RUN_OK) {
            char msg[1200];
            snprintf(msg, sizeof(msg), "calibration (--size auto) at size %ld: %s", size, r.error ? r.error : "failed");
            free(r.error);
            w->error = strdup(msg);
            return -1;
        }
        free(r.error);
        json_array_append_new(w->calibration, json_pack("{s:I,s:f}", "size", (json_int_t)size, "wall_s", r.strategy_wall_s));
        if (step == 0) first_wall = r.strategy_wall_s;
        if (r.strategy_wall_s >= s->opt->target_time_s / 5) {
            double scaled = (double)size * s->opt->target_time_s / r.strategy_wall_s;
            w->size = scaled < 1 ? 1 : scaled > (double)LONG_MAX / 2 ? LONG_MAX / 2 : (long)(scaled + 0.5);
            return 0;
        }
        /* A thousand times the work did not even double the run time: the
         * size does not drive this workload (the empty one, say), so its
         * default stays rather than growing the size without end. */
        if (size >= 1000 && r.strategy_wall_s < 2 * first_wall) {
            w->size_ignored = 1;
            return 0;
        }
        /* The 1-2-5 sequence, short of overflowing a long. */
        long decade = 1;
        while (decade <= LONG_MAX / 10 && decade * 10 <= size) decade *= 10;
        if (decade > LONG_MAX / 10) break;
        size = size == decade ? 2 * decade : size == 2 * decade ? 5 * decade : 10 * decade;
    }
    w->error = strdup("calibration (--size auto) never reached a fifth of --target-time");
    return -1;
}

/* Executes the plan, one run at a time; returns the session's exit status. */
static int execute(uv_loop_t *loop, gs_session *s, const char *dir, char **env, FILE *out, int color,
                   int show_progress) {
    char harness[4096 + 32], workers[16], tasks[16], size[32];
    snprintf(harness, sizeof(harness), "%s/harness.py", dir);
    char *argv[20];
    unsigned char *blocked = calloc(s->ncells ? s->ncells : 1, 1);
    char **specs = calloc(s->nworkloads ? s->nworkloads : 1, sizeof(*specs));
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *spec = s->workloads[w].spec;
        specs[w] = gs_harness_spec_is_path(spec) ? realpath(spec, NULL) : NULL;
        if (specs[w] == NULL) specs[w] = strdup(spec);
    }
    size_t printed = 0; /* workloads whose table is out */
    for (size_t i = 0; i < s->nruns; i++) {
        poll_signals(loop);
        if (g_signal) break;
        gs_run *r = &s->runs[i];
        const gs_cell *c = &s->cells[r->cell];
        const gs_workload *w = &s->workloads[c->workload];
        if (w->error != NULL || blocked[r->cell]) {
            r->status = GS_RUN_SKIPPED;
        } else {
            if (show_progress) progress(stderr, s, r, 0);
            run_argv(argv, harness, workers, tasks, size, s, r, specs[c->workload]);
            r->sample_hz = r->diagnostic && s->opt->timeline ? GS_TIMELINE_SAMPLE_HZ : s->opt->sample_hz;
            unsigned period_us = (unsigned)(1e6 / r->sample_hz);
            gs_spawn_req req = {argv, env, s->opt->timeout_s, GRACE_S, GS_PROTO_RUN, s->opt->tasks, period_us};
            gs_spawn_out o;
            gs_spawn_run(loop, &req, &o);
            gs_record_run(r, &o, s->opt->timeout_s);
            gs_record_states(r, o.tracks, o.ntracks, r->diagnostic && s->opt->timeline != NULL);
            gs_spawn_out_free(&o);
            r->order = s->executed++;
            if (r->status == GS_RUN_FAILED || r->status == GS_RUN_UNAVAILABLE) blocked[r->cell] = 1;
            if (show_progress) progress(stderr, s, r, 1);
            if (r->leftover > 0)
                fprintf(stderr, "gilscope: warning: %d process%s of %s/%s were still running after the run; killed\n",
                        r->leftover, r->leftover == 1 ? "" : "es", w->name, gs_strategy_name(c->strategy));
            gs_session_aggregate(s);
            save_json(s);
        }
        /* A workload's table is printed as soon as its last run is over. */
        int last = i + 1 == s->nruns || s->cells[s->runs[i + 1].cell].workload != c->workload;
        if (last && !g_signal && s->opt->min_time_s > 0) {
            size_t wl = c->workload;
            gs_session_aggregate(s);
            if (gs_session_needs_more(s, wl, s->opt->min_time_s, MAX_RUNS_PER_CELL) &&
                gs_session_add_round(s, wl, i) > 0)
                continue; /* the new round runs next; the table waits for it */
        }
        if (last && !g_signal) {
            gs_session_aggregate(s);
            gs_table_workload(out, s, c->workload, color);
            fflush(out);
            printed = c->workload + 1;
        }
    }
    poll_signals(loop);
    gs_session_aggregate(s);
    if (g_signal) {
        s->interrupted = g_signal;
        /* Show what was measured before the interruption. */
        for (size_t w = printed; w < s->nworkloads; w++) gs_table_workload(out, s, w, color);
        fprintf(stderr, "gilscope: interrupted by %s after %d of %zu runs; reports keep every finished run\n",
                g_signal == SIGTERM ? "SIGTERM" : "SIGINT", s->executed, s->nruns);
    }
    int write_failed = save_json(s) != 0;
    for (size_t w = 0; w < s->nworkloads; w++) free(specs[w]);
    free(specs);
    free(blocked);
    if (g_signal) return 128 + g_signal;
    int rc = gs_session_exit_status(s);
    return rc == 0 && write_failed ? 1 : rc;
}

static int cmd_run(uv_loop_t *loop, gs_options *o, const char *dir, int argc, char **argv) {
    char err[1024];
    if (o->nworkers == 0) {
        o->workers = malloc(sizeof(int));
        o->workers[0] = (int)uv_available_parallelism();
        o->nworkers = 1;
    }
    if (gs_harness_check_specs(dir, o->workloads, o->nworkloads, err, sizeof(err)) != 0)
        return usage_error(err);
    int created[NEXPORTS];
    if (check_exports(o, created, err, sizeof(err)) != 0) {
        unlink_created(o, created);
        return usage_error(err);
    }
    char **env = gs_harness_env(o->hash_seed);
    gs_spawn_out info;
    int rc = probe(loop, dir, o, env, &info);
    if (rc != 0) {
        /* Nothing was measured: leave no empty report behind. */
        unlink_created(o, created);
        gs_spawn_out_free(&info);
        gs_harness_env_free(env);
        return rc;
    }
    gs_session s;
    memset(&s, 0, sizeof(s));
    s.opt = o;
    s.hello = json_incref(info.proto.hello);
    s.python = dup_json_str(json_object_get(s.hello, "python"), "executable");
    if (load_workloads(&s, info.proto.info) != 0 || gs_session_plan(&s) != 0) {
        gs_spawn_out_free(&info);
        gs_harness_env_free(env);
        gs_session_free(&s);
        return usage_error("out of memory");
    }
    s.metadata = build_metadata(&s, argc, argv, dir, info.proto.info);
    gs_spawn_out_free(&info);
    int to_stdout = has_exports(o, 1);
    FILE *out = to_stdout ? stderr : stdout;
    int color = isatty(fileno(out)) && getenv("NO_COLOR") == NULL;
    int show_progress = o->progress == 1 || (o->progress == -1 && isatty(2));
    if (o->size < 0) {
        char harness[4096 + 32];
        snprintf(harness, sizeof(harness), "%s/harness.py", dir);
        for (size_t w = 0; w < s.nworkloads && !g_signal; w++) {
            if (s.workloads[w].error) continue;
            if (show_progress) fprintf(stderr, "\r\033[Kcalibrating %s (--size auto)…", s.workloads[w].name);
            calibrate(loop, &s, &s.workloads[w], harness, env);
            poll_signals(loop);
        }
        if (show_progress) fprintf(stderr, "\r\033[K");
    }
    save_json(&s);
    gs_table_header(out, &s, color);
    rc = execute(loop, &s, dir, env, out, color, show_progress);
    if (to_stdout && write_stdout_exports(&s) != 0 && rc == 0) rc = 1;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope: cannot write to stdout: %s\n", strerror(errno));
        if (rc == 0) rc = 1;
    }
    gs_session_free(&s);
    gs_harness_env_free(env);
    return rc;
}

static int cmd_list(uv_loop_t *loop, gs_options *o, const char *dir) {
    char err[1024];
    if (gs_harness_check_specs(dir, o->workloads, o->nworkloads, err, sizeof(err)) != 0)
        return usage_error(err);
    char **env = gs_harness_env(o->hash_seed);
    gs_spawn_out info;
    int rc = probe(loop, dir, o, env, &info);
    gs_harness_env_free(env);
    if (rc != 0) {
        gs_spawn_out_free(&info);
        return rc;
    }
    json_t *hello = info.proto.hello, *in = info.proto.info;
    json_t *py = json_object_get(hello, "python");
    printf("%s %s (%s) · %lld cores · %s\n\n", json_string_value(json_object_get(py, "implementation")),
           json_string_value(json_object_get(py, "version")),
           json_is_true(json_object_get(py, "gil_enabled")) ? "GIL enabled" : "GIL disabled",
           (long long)json_integer_value(json_object_get(hello, "cores")),
           json_string_value(json_object_get(py, "executable")));
    printf("Workloads%s:\n", o->nworkloads ? "" : " (built-in)");
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(in, "workloads"), i, w) {
        const char *e = json_string_value(json_object_get(w, "error"));
        if (e) {
            printf("  %-10s error: %s\n", json_string_value(json_object_get(w, "spec")), e);
            rc = 1;
            continue;
        }
        printf("  %-10s %-6s %s (default size %lld%s)\n", json_string_value(json_object_get(w, "name")),
               json_string_value(json_object_get(w, "kind")),
               json_string_value(json_object_get(w, "description")),
               (long long)json_integer_value(json_object_get(w, "default_size")),
               json_is_true(json_object_get(w, "has_async")) ? ", has run_async" : "");
    }
    printf("\nStrategies:\n");
    json_array_foreach(json_object_get(in, "strategies"), i, w) {
        const char *name = json_string_value(json_object_get(w, "name"));
        if (json_is_true(json_object_get(w, "available"))) {
            printf("  %-10s available", name);
            if (gs_strategy_named_has(name, GS_SF_PROCESSES)) {
                printf(" (start methods:");
                size_t j;
                json_t *m;
                json_array_foreach(json_object_get(in, "start_methods"), j, m)
                    printf("%s %s", j ? "," : "", json_string_value(m));
                printf("; default %s)", json_string_value(json_object_get(in, "default_start_method")));
            }
            printf("\n");
        } else {
            printf("  %-10s unavailable: %s\n", name, json_string_value(json_object_get(w, "reason")));
        }
    }
    gs_spawn_out_free(&info);
    if (fflush(stdout) != 0) return 1;
    return rc;
}

/* Loads a saved report; returns NULL after a usage error message. */
static json_t *load_report(const char *path, const char *cmd) {
    json_error_t jerr;
    json_t *report = json_load_file(path, 0, &jerr);
    char msg[1024];
    if (report == NULL) {
        if (jerr.line > 0)
            snprintf(msg, sizeof(msg), "%s: cannot read \"%s\": %s (line %d)", cmd, path, jerr.text, jerr.line);
        else
            snprintf(msg, sizeof(msg), "%s: cannot read \"%s\": %s", cmd, path, jerr.text);
        usage_error(msg);
        return NULL;
    }
    if (!json_is_integer(json_object_get(report, "schema_version")) || !json_is_array(json_object_get(report, "cells")) ||
        !json_is_array(json_object_get(report, "workloads")) || !json_is_array(json_object_get(report, "runs"))) {
        snprintf(msg, sizeof(msg), "%s: \"%s\" is not a gilscope JSON report (no schema_version, workloads, runs and cells)",
                 cmd, path);
        usage_error(msg);
        json_decref(report);
        return NULL;
    }
    json_int_t version = json_integer_value(json_object_get(report, "schema_version"));
    if (version > GS_SCHEMA_VERSION) {
        snprintf(msg, sizeof(msg), "%s: \"%s\" has schema version %lld; this gilscope reads up to %d", cmd, path,
                 (long long)version, GS_SCHEMA_VERSION);
        usage_error(msg);
        json_decref(report);
        return NULL;
    }
    return report;
}

/* gilscope compare BASE.json NEW.json: the CI gate. */
static int cmd_compare(const gs_options *o) {
    json_t *base = load_report(o->report_file, "compare");
    if (base == NULL) return 2;
    json_t *next = load_report(o->compare_new, "compare");
    if (next == NULL) {
        json_decref(base);
        return 2;
    }
    gs_compare_opts opts = {o->fail_above, o->fail_speedup};
    char why[512] = "";
    int rc = gs_compare(base, next, &opts, 1, stdout, stderr, why, sizeof(why));
    if (rc == 2) fprintf(stderr, "gilscope: compare: %s\n", why);
    json_decref(base);
    json_decref(next);
    if (fflush(stdout) != 0 && rc == 0) rc = 1;
    return rc;
}

/* Says that --timeline has nothing to draw: the report (file) or, for merge
 * (file NULL), the reports hold no timeline. */
static void no_timelines(const char *cmd, const char *file, const char *svg) {
    if (file) fprintf(stderr, "gilscope: %s: \"%s\" holds", cmd, file);
    else fprintf(stderr, "gilscope: %s: the reports hold", cmd);
    fprintf(stderr, " no timelines (record them with gilscope run --timeline); %s gets the heading only\n", svg);
}

static int has_timelines(json_t *report) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (json_is_object(json_object_get(r, "timeline"))) return 1;
    }
    return 0;
}

/* Writes a loaded report to every --export-* and --timeline target, or with
 * none of them, with fallback to stdout. Returns 0, or 1 after saying why. */
static int render(json_t *report, const gs_options *o, int (*fallback)(json_t *, FILE *), const char *cmd) {
    int rc = (write_exports(report, o, 0) != 0) | (write_exports(report, o, 1) != 0);
    char err[512];
    if (!has_exports(o, 0) && !has_exports(o, 1) && gs_export_to(report, fallback, "-", cmd, err, sizeof(err)) != 0)
        rc = 1, fprintf(stderr, "gilscope: %s\n", err);
    return rc;
}

/* gilscope report FILE.json: re-renders a saved report without running. */
static int cmd_report(const gs_options *o) {
    json_t *report = load_report(o->report_file, "report");
    if (report == NULL) return 2;
    if (o->timeline && !has_timelines(report)) no_timelines("report", o->report_file, o->timeline);
    int rc = render(report, o, gs_export_markdown, "report");
    json_decref(report);
    return rc;
}

/* gilscope merge A.json B.json ...: one report out of many. */
static int cmd_merge(const gs_options *o, int argc, char **argv) {
    json_t **reports = calloc(o->ninputs, sizeof(*reports));
    int rc = reports ? 0 : 1;
    for (size_t i = 0; rc == 0 && i < o->ninputs; i++)
        if ((reports[i] = load_report(o->inputs[i], "merge")) == NULL) rc = 2;
    json_t *merged = NULL;
    if (rc == 0) {
        json_t *cl = json_array();
        for (int i = 0; i < argc; i++) json_array_append_new(cl, json_string(argv[i]));
        char err[1024];
        merged = gs_merge(reports, o->inputs, o->ninputs, cl, err, sizeof(err));
        json_decref(cl);
        if (merged == NULL) rc = 2, fprintf(stderr, "gilscope: merge: %s\n", err);
    }
    if (merged != NULL) {
        if (o->timeline && !has_timelines(merged)) no_timelines("merge", NULL, o->timeline);
        rc = render(merged, o, gs_export_json, "merge");
    }
    for (size_t i = 0; reports && i < o->ninputs; i++) json_decref(reports[i]);
    free(reports);
    json_decref(merged);
    return rc;
}

int main(int argc, char **argv) {
    gs_options o;
    char err[1024];
    if (gs_cli_parse(argc, argv, &o, err, sizeof(err)) != 0) {
        gs_cli_free(&o);
        return usage_error(err);
    }
    if (o.show_version) {
        printf("gilscope %s\n", GS_VERSION);
        gs_cli_free(&o);
        return 0;
    }
    if (o.show_help || o.command == GS_CMD_NONE) {
        gs_cli_help(o.command, o.show_help ? stdout : stderr);
        gs_cli_free(&o);
        return o.show_help ? 0 : 2;
    }
    if (o.command == GS_CMD_REPORT || o.command == GS_CMD_COMPARE || o.command == GS_CMD_MERGE) {
        int rc = o.command == GS_CMD_REPORT ? cmd_report(&o) : o.command == GS_CMD_COMPARE ? cmd_compare(&o) : cmd_merge(&o, argc, argv);
        gs_cli_free(&o);
        return rc;
    }
    char dir[4096];
    if (gs_harness_find(dir, sizeof(dir)) != 0) {
        gs_cli_free(&o);
        return usage_error("cannot find the Python harness (workloads/harness.py); set GILSCOPE_WORKLOADS to its directory");
    }
    uv_loop_t *loop = uv_default_loop();
    uv_signal_t sigint, sigterm;
    uv_signal_init(loop, &sigint);
    uv_signal_init(loop, &sigterm);
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    /* The signal handles stay referenced: gs_spawn_run loops on its own
     * handles, and poll_signals() runs the loop without blocking so that a
     * signal that arrived between runs is seen before the next one starts. */
    int rc = o.command == GS_CMD_RUN ? cmd_run(loop, &o, dir, argc, argv) : cmd_list(loop, &o, dir);
    uv_close((uv_handle_t *)&sigint, NULL);
    uv_close((uv_handle_t *)&sigterm, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    gs_cli_free(&o);
    return rc;
}
