/* The lessons' text (runner/lessons/), written from recorded reports
 * (tests/fixtures/lessons: real runs of `gilscope teach LESSON
 * --export-json`, gil-1core.json under `taskset -c 0`), and from the same
 * reports with figures changed, to see the words follow the numbers. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lesson.h"
#include "report_view.h"

static json_t *fixture(const char *name) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/lessons/%s.json", getenv("GS_FIXTURES") ? getenv("GS_FIXTURES") : "tests/fixtures",
             name);
    json_error_t e;
    json_t *r = json_load_file(path, 0, &e);
    if (r == NULL) fprintf(stderr, "%s: %s\n", path, e.text);
    assert_non_null(r);
    return r;
}

/* The lesson's paragraphs joined into one malloc'd string; *rc its writer's result. */
static char *text_of(gs_lesson l, json_t *report, int *rc) {
    json_t *paras = json_array(), *p;
    *rc = gs_lesson_get(l)->text(report, paras);
    size_t i, len = 1;
    json_array_foreach(paras, i, p) len += strlen(json_string_value(p)) + 1;
    char *s = calloc(1, len);
    json_array_foreach(paras, i, p) {
        strcat(s, json_string_value(p));
        strcat(s, "\n");
    }
    json_decref(paras);
    return s;
}

static json_t *cell(json_t *r, const char *workload, const char *strategy) {
    json_t *c = gs_lesson_cell(r, workload, strategy);
    assert_non_null(c);
    return c;
}

/* gil on two cores: the threads' speedup and GIL wait, the processes' speedup,
 * each as the table formats it; processes won (their interval lies above). */
static void gil_quotes_this_runs_figures(void **state) {
    (void)state;
    json_t *r = fixture("gil");
    int rc;
    char *s = text_of(GS_LESSON_GIL, r, &rc);
    assert_int_equal(rc, 0);
    char ts[64], ps[64], gil[16];
    gs_view_fmt_speedup(cell(r, "cpu", "threads"), 1, ts, sizeof(ts));
    gs_view_fmt_speedup(cell(r, "cpu", "processes"), 1, ps, sizeof(ps));
    gs_view_fmt_share(gs_lesson_state(cell(r, "cpu", "threads"), "wait_gil"), gil, sizeof(gil));
    assert_non_null(strstr(s, ts));
    assert_non_null(strstr(s, ps));
    char waited[64];
    snprintf(waited, sizeof(waited), "spent %s of their time", gil);
    assert_non_null(strstr(s, waited));
    assert_non_null(strstr(s, "Processes won"));
    assert_null(strstr(s, "one usable core"));
    free(s);
    json_decref(r);
}

/* gil under taskset -c 0: one usable core, said with its reason; no winner. */
static void gil_on_one_core_names_no_winner(void **state) {
    (void)state;
    json_t *r = fixture("gil-1core");
    int rc;
    char *s = text_of(GS_LESSON_GIL, r, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "one usable core"));
    assert_non_null(strstr(s, "CPU affinity"));
    assert_non_null(strstr(s, "One core cannot show a parallel speedup"));
    assert_null(strstr(s, "won"));
    assert_null(strstr(s, "measurably faster"));
    free(s);
    json_decref(r);
}

static void set_speedup(json_t *c, double v, double lo, double hi) {
    json_t *sp = json_object_get(c, "speedup");
    json_object_set_new(sp, "value", json_real(v));
    json_object_set_new(sp, "ci_low", json_real(lo));
    json_object_set_new(sp, "ci_high", json_real(hi));
}

/* The same report with the figures changed: the words change with them. */
static void gil_words_follow_the_numbers(void **state) {
    (void)state;
    json_t *r = fixture("gil");
    int rc;
    /* processes' interval now overlaps the threads': no winner */
    set_speedup(cell(r, "cpu", "processes"), 1.10, 1.00, 1.20);
    set_speedup(cell(r, "cpu", "threads"), 1.05, 0.95, 1.12);
    char *s = text_of(GS_LESSON_GIL, r, &rc);
    assert_non_null(strstr(s, "Neither was measurably faster"));
    assert_non_null(strstr(s, "1.10× [1.00, 1.20]"));
    assert_non_null(strstr(s, ": no faster"));
    free(s);
    /* threads measurably slower than serial */
    set_speedup(cell(r, "cpu", "threads"), 0.80, 0.75, 0.90);
    s = text_of(GS_LESSON_GIL, r, &rc);
    assert_non_null(strstr(s, ": slower"));
    free(s);
    /* the machine delivered less than one core and a half: one usable core */
    json_t *cap = json_object_get(json_object_get(json_object_get(r, "metadata"), "machine"), "capacity");
    json_object_set_new(cap, "mean", json_real(0.9));
    s = text_of(GS_LESSON_GIL, r, &rc);
    assert_non_null(strstr(s, "one usable core: the machine delivered 0.90 cores"));
    assert_null(strstr(s, "won"));
    free(s);
    /* no GIL: said, and the GIL's explanation is not given */
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "python"), "gil_enabled", json_false());
    s = text_of(GS_LESSON_GIL, r, &rc);
    assert_non_null(strstr(s, "runs without a GIL"));
    assert_null(strstr(s, "Only the thread that holds the GIL"));
    free(s);
    json_decref(r);
}

/* A report without the cells a lesson reads: -1, and a paragraph saying so. */
static void missing_cells_are_said(void **state) {
    (void)state;
    json_t *r = fixture("io"); /* no cpu, hash or objects cells */
    int rc;
    for (gs_lesson l = 0; l < GS_LESSON_COUNT; l++) {
        if (l == GS_LESSON_IO) continue; /* the io fixture has what it reads */
        char *s = text_of(l, r, &rc);
        assert_int_equal(rc, -1);
        assert_non_null(strstr(s, "the table above says why"));
        free(s);
    }
    json_decref(r);
}

static void release_io_and_slots_quote_their_figures(void **state) {
    (void)state;
    int rc;
    char buf[64];
    json_t *r = fixture("release");
    char *s = text_of(GS_LESSON_RELEASE, r, &rc);
    assert_int_equal(rc, 0);
    gs_view_fmt_speedup(cell(r, "hash", "threads"), 1, buf, sizeof(buf));
    assert_non_null(strstr(s, buf));
    assert_non_null(strstr(s, "in parallel"));
    free(s);
    json_decref(r);

    r = fixture("io");
    s = text_of(GS_LESSON_IO, r, &rc);
    assert_int_equal(rc, 0);
    const char *st[] = {"threads", "to_thread", "asyncio"};
    for (size_t i = 0; i < 3; i++) {
        gs_view_fmt_speedup(cell(r, "http", st[i]), 1, buf, sizeof(buf));
        assert_non_null(strstr(s, buf));
    }
    assert_non_null(strstr(s, "8 HTTP requests to gilscope's loopback service, each answered after 50 ms"));
    free(s);
    json_decref(r);

    r = fixture("slots");
    s = text_of(GS_LESSON_SLOTS, r, &rc);
    assert_int_equal(rc, 0);
    /* the figures of the measured run, row by row: plain, dataclass, slotted */
    json_t *rows = json_object_get(json_object_get(cell(r, "objects", "serial"), "measured"), "values");
    double plain = json_number_value(json_array_get(json_array_get(rows, 0), 1));
    double slotted = json_number_value(json_array_get(json_array_get(rows, 2), 1));
    snprintf(buf, sizeof(buf), "%.0f bytes as a plain class", plain);
    assert_non_null(strstr(s, buf));
    snprintf(buf, sizeof(buf), "%.0f%% less than the plain class", 100 * (plain - slotted) / plain);
    assert_non_null(strstr(s, buf));
    free(s);
    /* slotted objects no smaller: the text does not claim a saving */
    json_array_set_new(json_array_get(rows, 2), 1, json_real(plain + 8));
    s = text_of(GS_LESSON_SLOTS, r, &rc);
    assert_non_null(strstr(s, "no less than the plain class"));
    assert_null(strstr(s, "save"));
    free(s);
    json_decref(r);
}

/* gc: both kinds' times and collections as measured; the words follow them. */
static void gc_quotes_its_figures_and_follows_them(void **state) {
    (void)state;
    json_t *r = fixture("gc");
    int rc;
    json_t *objs = gs_lesson_row(r, "gc", "values", "objects"), *ints = gs_lesson_row(r, "gc", "values", "ints");
    assert_non_null(objs);
    assert_non_null(ints);
    char *s = text_of(GS_LESSON_GC, r, &rc);
    assert_int_equal(rc, 0);
    char want[160];
    snprintf(want, sizeof(want), "took %.1f ms with Python's cyclic garbage collector on and %.1f ms with it off",
             gs_lesson_figure(r, "gc", objs, "on_ms"), gs_lesson_figure(r, "gc", objs, "off_ms"));
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want), "its %.0f collections took %.0f%% of the time",
             gs_lesson_figure(r, "gc", objs, "collections"), gs_lesson_figure(r, "gc", objs, "gc_share_pct"));
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "300,000 small objects"));
    assert_non_null(strstr(s, "ran no collection at all"));
    assert_non_null(strstr(s, "the collector matters"));
    free(s);
    /* a small share: it mattered little; ints that ran collections: no claim they did not */
    json_array_set_new(objs, 3, json_real(7.0));
    json_array_set_new(ints, 4, json_integer(3));
    s = text_of(GS_LESSON_GC, r, &rc);
    assert_non_null(strstr(s, "mattered little"));
    assert_null(strstr(s, "the collector matters"));
    assert_null(strstr(s, "no collection"));
    assert_non_null(strstr(s, "ints ran 3 collections"));
    free(s);
    json_decref(r);
}

/* processes: the pool's start-up and per-task cost against the threads' and
 * the loop's, as the table formats them; the transfer paragraph only with
 * its figures. */
static void processes_quotes_the_costs(void **state) {
    (void)state;
    json_t *r = fixture("processes"); /* runs[].tasks left out of the recording: the lesson reads cells */
    int rc;
    char *s = text_of(GS_LESSON_PROCESSES, r, &rc);
    assert_int_equal(rc, 0);
    json_t *p = cell(r, "empty", "processes");
    char want[128], t[32];
    gs_view_fmt_time(gs_jnum(p, "pool_startup_s"), gs_view_time_unit(gs_jnum(p, "pool_startup_s")), t, sizeof(t));
    snprintf(want, sizeof(want), "Starting a pool of 2 processes (start method fork) took %s", t);
    assert_non_null(strstr(s, want));
    gs_view_fmt_time(gs_jnum(p, "per_task_s"), gs_view_time_unit(gs_jnum(p, "per_task_s")), t, sizeof(t));
    snprintf(want, sizeof(want), "every task cost %s in the process pool", t);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "as pickles: measured apart"));
    free(s);
    json_object_set_new(p, "transfer", json_null());
    s = text_of(GS_LESSON_PROCESSES, r, &rc);
    assert_null(strstr(s, "pickles"));
    free(s);
    json_decref(r);
}

/* A chunks cell (mp_pool of one chunk size). */
static json_t *chunk_cell(json_t *r, const char *workload, long chunksize) {
    json_t *c = gs_lesson_chunk_cell(r, workload, "mp_pool", chunksize);
    assert_non_null(c);
    return c;
}

/* chunks: the per-task costs as measured; "measurably faster" only from
 * intervals; the conclusion from the share sending is of a task's work; one
 * usable core said. */
static void chunks_quote_the_costs_and_follow_them(void **state) {
    (void)state;
    json_t *r = fixture("chunks"); /* runs[].tasks left out of the recording */
    int rc;
    char *s = text_of(GS_LESSON_CHUNKS, r, &rc);
    assert_int_equal(rc, 0);
    json_t *one = chunk_cell(r, "empty", 1), *big = chunk_cell(r, "empty", 100);
    char want[160], t1[32], tb[32];
    gs_view_fmt_time(gs_jnum(one, "per_task_s"), gs_view_time_unit(gs_jnum(one, "per_task_s")), t1, sizeof(t1));
    gs_view_fmt_time(gs_jnum(big, "per_task_s"), gs_view_time_unit(gs_jnum(big, "per_task_s")), tb, sizeof(tb));
    snprintf(want, sizeof(want), "starmap cost %s per task in chunks of 1 and %s in chunks of 100", t1, tb);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "chunks of 100 were measurably faster than chunks of 1")); /* as recorded */
    /* 14% of a task, but on cpu the intervals overlapped, as recorded */
    assert_non_null(strstr(s, "yet chunks of 100 were not measurably faster on these tasks"));
    assert_null(strstr(s, "paid that back"));
    assert_null(strstr(s, "one usable core"));
    free(s);
    /* overlapping intervals: neither faster */
    set_speedup(one, 0.02, 0.01, 0.03);
    set_speedup(big, 0.025, 0.02, 0.04);
    /* a task 100 times as long: sending is 0.1% of it */
    json_t *tasks = json_object_get(cell(r, "cpu", "serial"), "tasks");
    json_object_set_new(tasks, "median_s", json_real(gs_jnum(tasks, "median_s") * 100));
    s = text_of(GS_LESSON_CHUNKS, r, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "neither chunk size was measurably faster (their speedup intervals overlap)"));
    assert_null(strstr(s, "chunks of 100 were measurably faster"));
    assert_non_null(strstr(s, "the work outweighed the sending"));
    free(s);
    /* chunks of 100 measurably faster on cpu: they paid it back */
    set_speedup(chunk_cell(r, "cpu", 1), 1.1, 1.0, 1.2);
    set_speedup(chunk_cell(r, "cpu", 100), 1.6, 1.4, 1.8);
    s = text_of(GS_LESSON_CHUNKS, r, &rc);
    assert_non_null(strstr(s, "chunks of 100 paid that back"));
    free(s);
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "machine"), "usable", json_integer(1));
    s = text_of(GS_LESSON_CHUNKS, r, &rc);
    assert_non_null(strstr(s, "one usable core"));
    assert_non_null(strstr(s, "cannot show a parallel speedup"));
    free(s);
    /* a chunk size the run did not measure */
    json_object_set_new(chunk_cell(r, "cpu", 100), "chunksize", json_integer(64));
    s = text_of(GS_LESSON_CHUNKS, r, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(s, "lacks a measured cell"));
    free(s);
    json_decref(r);
}

/* interpreters on 3.13 (they ran) and on 3.11 (they cannot): the speedups as
 * measured, differences only from intervals, the reason when they did not
 * run, and the GIL as the report says. */
static void interpreters_follow_what_ran(void **state) {
    (void)state;
    json_t *r = fixture("interpreters"); /* CPython 3.13.0 */
    int rc;
    char *s = text_of(GS_LESSON_INTERPRETERS, r, &rc);
    assert_int_equal(rc, 0);
    json_t *i = cell(r, "cpu", "interpreters");
    char want[160], sp[64];
    gs_view_fmt_speedup(i, 1, sp, sizeof(sp));
    snprintf(want, sizeof(want), "each with its own GIL, it ran at %s", sp);
    assert_non_null(strstr(s, want));
    /* as recorded: 1.62× [1.49, 1.69] against threads 0.93× [0.88, 0.99] and processes 1.78× [1.65, 1.82] */
    assert_non_null(strstr(s, "measurably faster than the threads"));
    assert_non_null(strstr(s, "not measurably different from the processes (their speedup intervals overlap)"));
    assert_non_null(strstr(s, "starting them (an interpreter each, the workload loaded in it) took"));
    assert_non_null(strstr(s, "CPython 3.13.0 runs with its GIL"));
    assert_non_null(strstr(s, "no free-threaded build ran"));
    free(s);
    set_speedup(i, 2.5, 2.4, 2.6);
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "python"), "gil_enabled", json_false());
    s = text_of(GS_LESSON_INTERPRETERS, r, &rc);
    assert_non_null(strstr(s, "measurably faster than the processes"));
    assert_non_null(strstr(s, "runs without a GIL (a free-threaded build), so there was none to wait for"));
    assert_null(strstr(s, "no free-threaded build ran"));
    assert_null(strstr(s, "own GIL"));
    assert_null(strstr(s, "waiting for it"));
    free(s);
    /* a free-threaded build that ran with its GIL enabled */
    json_t *py = json_object_get(json_object_get(r, "metadata"), "python");
    json_object_set_new(py, "gil_enabled", json_true());
    json_object_set_new(py, "free_threaded", json_true());
    s = text_of(GS_LESSON_INTERPRETERS, r, &rc);
    assert_non_null(strstr(s, "is a free-threaded build that ran with its GIL enabled"));
    assert_null(strstr(s, "no free-threaded build ran"));
    free(s);
    json_decref(r);
    r = fixture("interpreters-3.11");
    s = text_of(GS_LESSON_INTERPRETERS, r, &rc);
    assert_int_equal(rc, 0); /* unavailable is an answer, not a failure */
    assert_non_null(strstr(s, "Subinterpreters did not run on CPython 3.11.7: needs Python 3.12 or newer"));
    assert_null(strstr(s, "measurably faster than the processes"));
    free(s);
    json_decref(r);
}

/* A row of the locks experiment, to change its figures. */
static void set_lock_figure(json_t *r, const char *way, int column, double v) {
    json_t *c = cell(r, "locks", "serial"), *values = json_object_get(json_object_get(c, "measured"), "values"), *row;
    size_t i;
    json_array_foreach(values, i, row) {
        if (strcmp(json_string_value(json_array_get(row, 0)), way) == 0) json_array_set_new(row, column, json_real(v));
    }
}

/* locks: the counts and costs as measured; the GIL named as the cause only
 * when updates were lost; contention only when it shows. */
static void locks_quote_the_counts_and_follow_them(void **state) {
    (void)state;
    json_t *r = fixture("locks");
    int rc;
    char *s = text_of(GS_LESSON_LOCKS, r, &rc);
    assert_int_equal(rc, 0);
    json_t *bare = gs_lesson_row(r, "locks", "updates", "threads, no lock");
    assert_non_null(bare);
    char want[160], got[32];
    json_t *counted = json_integer((json_int_t)gs_lesson_figure(r, "locks", bare, "counted"));
    gs_view_fmt_measure(counted, "", got, sizeof(got));
    json_decref(counted);
    snprintf(want, sizeof(want), "Without a lock they counted %s of 200,000 updates", got);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "can hand the interpreter to another thread between a read and its write"));
    assert_non_null(strstr(s, "they counted 200,000 of 200,000"));
    assert_non_null(strstr(s, "a lock that threads contend for cost")); /* 1994 ns against 262 ns, as recorded */
    free(s);
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "python"), "gil_enabled", json_false());
    s = text_of(GS_LESSON_LOCKS, r, &rc);
    assert_non_null(strstr(s, "runs without a GIL: the threads ran at once"));
    assert_null(strstr(s, "The GIL runs one thread at a time"));
    assert_null(strstr(s, "(and the GIL)"));
    free(s);
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "python"), "gil_enabled", json_true());
    /* columns: updates, threads, expected, counted, lost_pct, ns_per_update */
    set_lock_figure(r, "threads, no lock", 3, 200000);
    set_lock_figure(r, "threads, no lock", 4, 0);
    set_lock_figure(r, "threads, lock", 5, 300);
    s = text_of(GS_LESSON_LOCKS, r, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "they counted all 200,000 updates in this run"));
    assert_null(strstr(s, "were lost"));
    assert_non_null(strstr(s, "the lock cost about the same here"));
    assert_null(strstr(s, "contend for"));
    free(s);
    set_lock_figure(r, "threads, lock", 5, 340); /* 1.3× the lone thread's 262 ns: neither word */
    s = text_of(GS_LESSON_LOCKS, r, &rc);
    assert_null(strstr(s, "about the same"));
    assert_null(strstr(s, "contend for"));
    assert_non_null(strstr(s, "an update with the lock took 340 ns; taken by one thread, 262 ns"));
    free(s);
    json_decref(r);
}

/* startmethods: each method's start as measured, fastest first; the later
 * round trips "about the same" only when they are. */
static void startmethods_order_the_methods_by_their_figures(void **state) {
    (void)state;
    json_t *r = fixture("startmethods"); /* CPython 3.11.2: fork, spawn, forkserver, forkserver again */
    int rc;
    char *s = text_of(GS_LESSON_STARTMETHODS, r, &rc);
    assert_int_equal(rc, 0);
    json_t *values = json_object_get(json_object_get(cell(r, "startmethods", "serial"), "measured"), "values");
    double fork = json_number_value(json_array_get(json_array_get(values, 0), 1));
    double spawn = json_number_value(json_array_get(json_array_get(values, 1), 1));
    double again = json_number_value(json_array_get(json_array_get(values, 3), 1));
    char want[160];
    snprintf(want, sizeof(want), "took fork %.1f ms, ", fork);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want), "spawn %.1f ms (this interpreter's default is fork): spawn took %.1f× as long as fork",
             spawn, spawn / fork);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want), "A second forkserver pool, its server already running, took %.1f ms.", again);
    assert_non_null(strstr(s, want));
    free(s);
    /* round trips 100 µs against 500 µs: not "about the same" */
    json_array_set_new(json_array_get(values, 0), 2, json_real(100));
    json_array_set_new(json_array_get(values, 1), 2, json_real(500));
    s = text_of(GS_LESSON_STARTMETHODS, r, &rc);
    assert_null(strstr(s, "about the same"));
    assert_non_null(strstr(s, "a task's round trip took fork 100.0 µs"));
    free(s);
    /* one method left: nothing to compare */
    while (json_array_size(values) > 1) json_array_remove(values, 1);
    s = text_of(GS_LESSON_STARTMETHODS, r, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(s, "fewer than two start methods"));
    free(s);
    json_decref(r);
}

/* convoy: the rates and latencies as measured; the switch interval named as
 * the cause only when the latency reaches half of it. */
static void convoy_names_the_interval_only_when_the_latency_shows_it(void **state) {
    (void)state;
    json_t *r = fixture("convoy");
    int rc;
    json_t *one = gs_lesson_row_num(r, "convoy", "cpu_threads", 1);
    assert_non_null(one);
    char *s = text_of(GS_LESSON_CONVOY, r, &rc);
    assert_int_equal(rc, 0);
    char want[96];
    snprintf(want, sizeof(want), "each taking %.3g ms", gs_lesson_figure(r, "convoy", one, "latency_p50_ms"));
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "switch intervals (sys.getswitchinterval(): 5 ms here)"));
    free(s);
    /* a latency under half the interval: the interval did not bind */
    int col = -1;
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(gs_view_workload(r, "convoy"), "measures"), i, m) {
        if (!strcmp(gs_jstr(m, "key"), "latency_p50_ms")) col = (int)i;
    }
    assert_true(col >= 0);
    json_array_set_new(one, (size_t)col, json_real(1.2));
    s = text_of(GS_LESSON_CONVOY, r, &rc);
    assert_non_null(strstr(s, "did not bind"));
    assert_null(strstr(s, "what each request now waits for is the GIL"));
    free(s);
    json_object_set_new(json_object_get(json_object_get(r, "metadata"), "python"), "gil_enabled", json_false());
    s = text_of(GS_LESSON_CONVOY, r, &rc);
    assert_non_null(strstr(s, "without a GIL"));
    free(s);
    json_decref(r);
}

/* What the review found: no "-100%" for states not sampled, no winner
 * without intervals, no "threads are enough" when nothing ran in parallel,
 * no collector's share when no collection ran. */
static void claims_need_their_figures(void **state) {
    (void)state;
    int rc;
    json_t *r = fixture("release");
    json_object_set_new(cell(r, "hash", "threads"), "states", json_null());
    set_speedup(cell(r, "hash", "threads"), 1.02, 0.98, 1.05);
    set_speedup(cell(r, "hash", "processes"), 1.01, 0.97, 1.04);
    char *s = text_of(GS_LESSON_RELEASE, r, &rc);
    assert_null(strstr(s, "-100%"));
    assert_null(strstr(s, "in parallel;"));
    assert_null(strstr(s, "threads are enough"));
    assert_non_null(strstr(s, "neither ran the work in parallel here"));
    free(s);
    json_decref(r);

    r = fixture("gil");
    json_t *t = cell(r, "cpu", "threads"), *p = cell(r, "cpu", "processes");
    json_object_del(json_object_get(p, "speedup"), "ci_low");
    s = text_of(GS_LESSON_GIL, r, &rc);
    assert_null(strstr(s, "won"));
    assert_non_null(strstr(s, "too few runs for a speedup interval"));
    free(s);
    json_object_set_new(t, "cores_used", json_null());
    s = text_of(GS_LESSON_GIL, r, &rc);
    assert_null(strstr(s, "cores busy"));
    free(s);
    json_decref(r);

    r = fixture("gc");
    json_t *objs = gs_lesson_row(r, "gc", "values", "objects");
    json_array_set_new(objs, 4, json_integer(0));
    s = text_of(GS_LESSON_GC, r, &rc);
    assert_non_null(strstr(s, "no collection ran"));
    assert_null(strstr(s, "matters"));
    assert_null(strstr(s, "is what starts"));
    free(s);
    json_decref(r);
}

/* Every lesson's plan is a command line `gilscope run` accepts, on one core and many. */
static void plans_are_valid_run_arguments(void **state) {
    (void)state;
    for (gs_lesson l = 0; l < GS_LESSON_COUNT; l++) {
        const gs_lesson_info *i = gs_lesson_get(l);
        assert_int_equal(gs_lesson_find(i->name), (int)l);
        for (int cores = 1; cores <= 64; cores *= 8) {
            gs_lesson_plan p = {0};
            i->plan(&p, cores);
            char *argv[GS_LESSON_ARGS_MAX + 3] = {"gilscope", "run"};
            for (int k = 0; k < p.argc; k++) argv[2 + k] = (char *)p.argv[k];
            gs_options o;
            char err[256];
            int rc = gs_cli_parse(p.argc + 2, argv, &o, err, sizeof(err));
            if (rc != 0) fprintf(stderr, "%s: %s\n", i->name, err);
            assert_int_equal(rc, 0);
            assert_true(o.nworkloads >= 1);
            gs_cli_free(&o);
        }
    }
    assert_int_equal(gs_lesson_find("nope"), -1);
    assert_null(gs_lesson_get(GS_LESSON_COUNT));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gil_quotes_this_runs_figures),
        cmocka_unit_test(gil_on_one_core_names_no_winner),
        cmocka_unit_test(gil_words_follow_the_numbers),
        cmocka_unit_test(missing_cells_are_said),
        cmocka_unit_test(release_io_and_slots_quote_their_figures),
        cmocka_unit_test(gc_quotes_its_figures_and_follows_them),
        cmocka_unit_test(processes_quotes_the_costs),
        cmocka_unit_test(convoy_names_the_interval_only_when_the_latency_shows_it),
        cmocka_unit_test(chunks_quote_the_costs_and_follow_them),
        cmocka_unit_test(interpreters_follow_what_ran),
        cmocka_unit_test(locks_quote_the_counts_and_follow_them),
        cmocka_unit_test(startmethods_order_the_methods_by_their_figures),
        cmocka_unit_test(claims_need_their_figures),
        cmocka_unit_test(plans_are_valid_run_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
