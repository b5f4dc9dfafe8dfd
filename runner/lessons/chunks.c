/* Lesson "chunks": what sending each task to a process pool costs, and what
 * sending them in chunks (multiprocessing.Pool.starmap's chunksize) saves,
 * on tasks that do nothing (empty) and on small tasks that work (cpu), with
 * the pools started before the window (--warm-calls), so that the figures
 * are the sending alone. What the text claims, and from which figures:
 * - the cost of each task (cells[].per_task_s) of empty under
 *   ProcessPoolExecutor and starmap in chunks of 1 and of CHUNK;
 * - "chunks measurably faster" only when one speedup interval lies wholly
 *   above the other (gs_lesson_faster), else why neither was;
 * - the share that cost is of a cpu task's own time (cells[].tasks.median_s
 *   of serial): arithmetic of two measured figures;
 * - the cpu speedups as measured; that chunks paid off on those tasks only
 *   when their interval lies wholly above the chunks of 1's, else what the
 *   share and the intervals leave open; on one usable core, that one core
 *   cannot show a parallel speedup. */
#include <stdio.h>

#include "lesson.h"
#include "report_view.h"

#define EMPTY "empty"
#define WORK "cpu"
#define CHUNK 100
#define ENOUGH 0.10 /* sending costs at least this share of a task: it matters */

void gs_lesson_chunks_plan(gs_lesson_plan *p, int cores) {
    const char *args[] = {"-W", EMPTY, "-W", WORK, "--size", "2000", "--tasks", "1000", "--strategies",
                          "serial,processes,mp_pool", "--chunksize", "1,100", "--warm-calls", "1", "--runs", "6",
                          "--warmup", "1", "--workers"};
    GS_LESSON_PLAN_ADD_ALL(p, args);
    gs_lesson_plan_add_int(p, gs_lesson_workers(cores));
}

/* "chunks of 100 were measurably faster than chunks of 1" and the like. */
static void compare(json_t *big, json_t *one, char *buf, size_t cap) {
    if (gs_lesson_faster(big, one))
        snprintf(buf, cap, "chunks of %d were measurably faster than chunks of 1", CHUNK);
    else if (gs_lesson_faster(one, big))
        snprintf(buf, cap, "chunks of 1 were measurably faster than chunks of %d", CHUNK);
    else
        snprintf(buf, cap, "neither chunk size was measurably faster (%s)", gs_lesson_why_neither(big, one));
}

int gs_lesson_chunks_text(json_t *report, json_t *paras) {
    json_t *pe = gs_lesson_cell(report, EMPTY, "processes"), *e1 = gs_lesson_chunk_cell(report, EMPTY, "mp_pool", 1);
    json_t *eb = gs_lesson_chunk_cell(report, EMPTY, "mp_pool", CHUNK), *sw = gs_lesson_cell(report, WORK, "serial");
    json_t *pw = gs_lesson_cell(report, WORK, "processes"), *w1 = gs_lesson_chunk_cell(report, WORK, "mp_pool", 1);
    json_t *wb = gs_lesson_chunk_cell(report, WORK, "mp_pool", CHUNK);
    json_t *need[] = {pe, e1, eb, sw, pw, w1, wb};
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
        if (need[i] == NULL || !json_is_number(json_object_get(need[i], "per_task_s"))) {
            gs_lesson_say(paras, "This run lacks a measured cell this lesson reads (serial, processes and mp_pool in "
                                 "chunks of 1 and %d, on %s and %s); the table above says why.", CHUNK, EMPTY, WORK);
            return -1;
        }
    char per_p[32], per_1[32], per_b[32], cmp[160];
    gs_view_fmt_time(gs_jnum(pe, "per_task_s"), GS_TIME_OWN, per_p, sizeof(per_p));
    gs_view_fmt_time(gs_jnum(e1, "per_task_s"), GS_TIME_OWN, per_1, sizeof(per_1));
    gs_view_fmt_time(gs_jnum(eb, "per_task_s"), GS_TIME_OWN, per_b, sizeof(per_b));
    compare(eb, e1, cmp, sizeof(cmp));
    long w = (long)json_integer_value(json_object_get(e1, "workers"));
    gs_lesson_say(paras, "A task of %s does nothing, so its time is what sending it to a worker and its result back "
                         "costs (the pools were started before the timing began). On %ld processes, "
                         "ProcessPoolExecutor, one message per task, cost %s per task; multiprocessing.Pool.starmap cost "
                         "%s per task in chunks of 1 and %s in chunks of %d, where one message, one pickle and one trip "
                         "through the pool's queue carry %d tasks: %s.",
                  EMPTY, w, per_p, per_1, per_b, CHUNK, CHUNK, cmp);
    double task = gs_jnum(json_object_get(sw, "tasks"), "median_s"), cost = gs_jnum(e1, "per_task_s");
    char t[32], sp_p[64], sp_1[64], sp_b[64], share[16], cmpw[160];
    gs_view_fmt_time(task, GS_TIME_OWN, t, sizeof(t));
    gs_view_fmt_speedup(pw, 1, sp_p, sizeof(sp_p));
    gs_view_fmt_speedup(w1, 1, sp_1, sizeof(sp_1));
    gs_view_fmt_speedup(wb, 1, sp_b, sizeof(sp_b));
    compare(wb, w1, cmpw, sizeof(cmpw));
    if (task <= 0) {
        gs_lesson_say(paras, "The %s tasks have no task time recorded in this run, which the rest of this lesson "
                             "reads.", WORK);
        return -1;
    }
    gs_view_fmt_share(cost / task, share, sizeof(share));
    gs_lesson_say(paras, "A %s task here works for %s, so sending it one at a time (%s) adds %s of its own time. On "
                         "these tasks ProcessPoolExecutor ran at %s the serial speed, starmap in chunks of 1 at %s and in "
                         "chunks of %d at %s: %s.",
                  WORK, t, per_1, share, sp_p, sp_1, CHUNK, sp_b, cmpw);
    if (gs_lesson_one_core(report, pw, wb)) {
        char cores[200];
        gs_lesson_fmt_cores(report, cores, sizeof(cores));
        gs_lesson_say(paras, "This run had %s, and one core cannot show a parallel speedup: whatever the chunk size, the "
                             "processes took turns. The costs of sending the empty tasks, above, were measured on that "
                             "core too.", cores);
    } else if (gs_lesson_faster(wb, w1)) {
        gs_lesson_say(paras, "Sending one task at a time cost %s of a task's work, and chunks of %d paid that back: "
                             "one message carried %d tasks, so the sending was spread over them.", share, CHUNK, CHUNK);
    } else if (cost / task >= ENOUGH) {
        gs_lesson_say(paras, "Sending one task at a time cost %s of a task's work, yet chunks of %d were not measurably "
                             "faster on these tasks: the saving on the empty tasks did not show against this work in "
                             "this run.", share, CHUNK);
    } else {
        gs_lesson_say(paras, "Sending one task at a time cost %s of a task's work: on these tasks the work outweighed "
                             "the sending, and chunks had little to save.", share);
    }
    return 0;
}
