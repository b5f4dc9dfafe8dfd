#ifndef GS_LESSON_H
#define GS_LESSON_H

#include <jansson.h>
#include <stddef.h>

/* Lessons (gilscope teach): each a short run on calibrated sizes, then a few
 * paragraphs written from that run's figures. The text is analysis, not a
 * template: every figure in it is read from the report it is given, and what
 * it claims follows from them (on one usable core it says that one core
 * cannot show a parallel speedup instead of naming a winner).
 *
 * Declared once here; runner/lessons/lesson.c holds the table, one file per
 * lesson writes its text (runner/lessons/<name>.c). */

/* X(ID, name, title, seconds, planner, writer); seconds: how long the lesson
 * took on our 2-core development machine (docs/lessons.md), for the list. */
#define GS_LESSONS(X)                                                                                   \
    X(GS_LESSON_GIL, "gil", "The GIL and CPU-bound threads", 15, gs_lesson_gil_plan, gs_lesson_gil_text) \
    X(GS_LESSON_RELEASE, "release", "C code that releases the GIL", 12, gs_lesson_release_plan,         \
      gs_lesson_release_text)                                                                           \
    X(GS_LESSON_PROCESSES, "processes", "What a process pool costs before it wins", 5,                   \
      gs_lesson_processes_plan, gs_lesson_processes_text)                                               \
    X(GS_LESSON_IO, "io", "Blocking I/O: threads, asyncio.to_thread and asyncio", 9, gs_lesson_io_plan,  \
      gs_lesson_io_text)                                                                                \
    X(GS_LESSON_CONVOY, "convoy", "The convoy effect: a CPU-bound thread slows I/O", 4,                  \
      gs_lesson_convoy_plan, gs_lesson_convoy_text)                                                     \
    X(GS_LESSON_SLOTS, "slots", "__slots__: memory and attribute reads per object", 5,                  \
      gs_lesson_slots_plan, gs_lesson_slots_text)                                                       \
    X(GS_LESSON_GC, "gc", "The garbage collector, and timing with it off", 3, gs_lesson_gc_plan,         \
      gs_lesson_gc_text)                                                                                \
    X(GS_LESSON_CHUNKS, "chunks", "Task size and chunksize: the cost of sending tasks", 17,           \
      gs_lesson_chunks_plan, gs_lesson_chunks_text)                                                     \
    X(GS_LESSON_INTERPRETERS, "interpreters", "Subinterpreters and free-threaded builds", 14,             \
      gs_lesson_interpreters_plan, gs_lesson_interpreters_text)                                         \
    X(GS_LESSON_LOCKS, "locks", "Locks and the GIL: what the GIL does not protect", 4, gs_lesson_locks_plan, \
      gs_lesson_locks_text)                                                                             \
    X(GS_LESSON_STARTMETHODS, "startmethods", "Start methods: fork, forkserver and spawn", 4,             \
      gs_lesson_startmethods_plan, gs_lesson_startmethods_text)

#define GS_LESSON_ENUM(id, name, title, seconds, plan, text) id,
typedef enum gs_lesson { GS_LESSONS(GS_LESSON_ENUM) GS_LESSON_COUNT } gs_lesson;
#undef GS_LESSON_ENUM

/* What a lesson runs: the arguments of a `gilscope run` (after "run"). */
#define GS_LESSON_ARGS_MAX 32
typedef struct gs_lesson_plan {
    const char *argv[GS_LESSON_ARGS_MAX];
    int argc;
    char buf[4][32]; /* storage for arguments made from numbers */
    int nbuf;
} gs_lesson_plan;

/* Appends one argument (static, or copied when it is one of buf's). */
void gs_lesson_plan_add(gs_lesson_plan *p, const char *arg);

/* Appends n static arguments. */
void gs_lesson_plan_add_all(gs_lesson_plan *p, const char *const *args, size_t n);
#define GS_LESSON_PLAN_ADD_ALL(p, args) gs_lesson_plan_add_all((p), (args), sizeof(args) / sizeof((args)[0]))

/* Appends an integer argument, formatted into p's own storage. */
void gs_lesson_plan_add_int(gs_lesson_plan *p, long v);

typedef struct gs_lesson_info {
    const char *name;    /* what the user types: "gil" */
    const char *title;   /* the heading of its text */
    int seconds;         /* how long it took on the development machine */
    /* Fills the run's arguments for a machine with `cores` CPUs the process
     * may use (sched affinity). */
    void (*plan)(gs_lesson_plan *p, int cores);
    /* Appends the lesson's paragraphs (strings) to paras, written from the
     * report of its run. Returns 0, or -1 when the report lacks the figures
     * it needs (a paragraph then says which). */
    int (*text)(json_t *report, json_t *paras);
} gs_lesson_info;

/* The row of l; NULL out of range. */
const gs_lesson_info *gs_lesson_get(gs_lesson l);

/* The lesson called name, or -1. */
int gs_lesson_find(const char *name);

/* The report's "lesson" object: {name, title, paragraphs: [...], complete}.
 * A new reference; NULL when out of memory. */
json_t *gs_lesson_json(gs_lesson l, json_t *report);

/* Helpers the lesson writers share (runner/lessons/lesson.c). */

/* Appends a printf-formatted paragraph to paras. */
void gs_lesson_say(json_t *paras, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The measured cell of workload with the given strategy and most workers
 * (serial: its one cell); NULL when there is none or it has no wall time. */
json_t *gs_lesson_cell(json_t *report, const char *workload, const char *strategy);

/* The same among the cells of one chunk size (-1: any). */
json_t *gs_lesson_chunk_cell(json_t *report, const char *workload, const char *strategy, long chunksize);

/* The measured threads (*t) and processes (*p) cells of workload, beside its
 * serial one: 0; else -1 with a paragraph saying which cells the lesson
 * lacked appended to paras. */
int gs_lesson_race_cells(json_t *report, json_t *paras, const char *workload, json_t **t, json_t **p);

/* The cell's share of worker-thread time in state key ("wait_gil"), or -1
 * when its thread states were not sampled. */
double gs_lesson_state(json_t *c, const char *key);

/* Whether the speedup interval of a lies wholly above b's (a measurably
 * faster); 0 when either has no interval (too few runs to say). */
int gs_lesson_faster(json_t *a, json_t *b);

/* Whether cell c's speedup has an interval; and why neither of a and b was
 * measurably faster: "their speedup intervals overlap", or "too few runs for
 * a speedup interval". */
int gs_lesson_has_interval(json_t *c);

/* Cell c's speedup interval into *lo, *hi; -1 (both left as they were) when
 * it has none (too few runs). */
int gs_lesson_interval(json_t *c, double *lo, double *hi);
const char *gs_lesson_why_neither(json_t *a, json_t *b);

/* Whether the run had one usable core, for the lessons that race processes
 * p and threads t: the affinity or quota allowed one, or only the measured
 * capacity says so and neither speedup interval lies above 1×. */
int gs_lesson_one_core(json_t *report, json_t *p, json_t *t);

/* The cores the run could use: metadata.machine.usable, lowered to what the
 * machine delivered (capacity mean + 0.25, rounded down, at least 1: 1.8
 * cores delivered are two that work) when that was measured more than half a
 * core below it; *delivered gets the capacity mean or -1. */
int gs_lesson_usable_cores(json_t *report, double *delivered);

/* Whether the run's interpreter had its GIL enabled (1), not (0). */
int gs_lesson_gil_enabled(json_t *report);

/* "the machine allowed the run one usable core (sched affinity)" and the
 * like: why usable_cores is what it is, into buf. */
void gs_lesson_fmt_cores(json_t *report, char *buf, size_t cap);

/* The paragraph for a run on one usable core: which figures say so, and
 * that one core cannot show a parallel speedup, with the processes cell p
 * and the threads cell t as measured (no winner named). */
void gs_lesson_say_one_core(json_t *paras, json_t *report, json_t *p, json_t *t);

/* The largest cause of cell c's lost time with its share ("pool start-up
 * and shutdown (90% of it)") into buf; -1 when the cell lost nothing. */
int gs_lesson_fmt_largest_loss(json_t *c, char *buf, size_t cap);

/* An experiment's figures (workloads with MEASURES), from the serial cell's
 * measured run (cells[].measured): the first row whose measure name_key is
 * the string name, or NULL; and a row's measure key as a number (NAN when
 * the row, the measure or its number is missing). */
json_t *gs_lesson_row(json_t *report, const char *workload, const char *name_key, const char *name);
/* The same, the first row whose measure key is the number value. */
json_t *gs_lesson_row_num(json_t *report, const char *workload, const char *key, double value);
double gs_lesson_figure(json_t *report, const char *workload, json_t *row, const char *key);

/* The workers of a parallel lesson on `cores` usable CPUs: between 2 and 4. */
int gs_lesson_workers(int cores);

/* The default plan of the parallel lessons: workload on serial and the
 * given strategies, workers = usable cores between 2 and 4, calibrated to a
 * serial run of about 0.4 s, 6 runs a cell. */
void gs_lesson_plan_parallel(gs_lesson_plan *p, const char *workload, const char *strategies, int cores);

#endif
