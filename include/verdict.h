#ifndef GS_VERDICT_H
#define GS_VERDICT_H

#include <jansson.h>

#include "session.h"

/* The verdict of one workload: the answer (a strategy and a worker count),
 * the cells tied with it, and why it is not faster, each clause citing the
 * figures it rests on. The rules (docs/statistics.md, "Verdicts"):
 *   - "parallel" means two or more workers; a parallel cell wins when its
 *     speedup interval lies above 1 (above 1.05 without an interval);
 *   - the answer is the fewest workers whose interval overlaps the best
 *     parallel cell's; the winning cells that overlap it are its tie (a
 *     cell that does not beat serial is never in a tie);
 *   - without a winner: "nothing beats serial", with the best parallel cell;
 *   - why not more comes only from the cell's shortfall (shortfall.h):
 *     its causes largest first, each only when material (15% of the lost
 *     time or more); near the possible (90% or more): said so instead;
 *   - fewer usable cores than workers: "N usable core(s)"; a capacity
 *     below 80% of them: what the machine delivered;
 *   - "tasks too small" only when the per-task overhead is half a serial
 *     task or more and no single task dominates;
 *   - threads lose to the GIL: said of the best thread cell when the GIL
 *     is the largest cause of its shortfall;
 *   - one task dominates: the longest task takes half the wall or more
 *     and twice the median task or more. */
typedef struct gs_verdict {
    size_t workload;
    int best;             /* the answer's cell index, or -1 when no cell was measured */
    int tie[64];          /* cells whose speedup interval overlaps the best parallel cell's */
    int ntie;
    char reason[1024];
    json_t *figures;      /* the figures the reason cites (owned) */
    int nonfinite;        /* how many of them were not finite (null in figures) */
} gs_verdict;

/* Decides workload w's verdict from the aggregated cells. Returns 0, or -1
 * when nothing was measured (v->reason then says so) or when w is an
 * experiment (MEASURES: its figures and sentence are its answer). Free
 * with gs_verdict_free. */
int gs_verdict_decide(const gs_session *s, size_t w, gs_verdict *v);

/* The verdict as a JSON object: workload, best {strategy, workers,
 * start_method, speedup, ci_low, ci_high}, tie [...], reason, figures.
 * Figures that are not finite are null, and added to *nonfinite (may be
 * NULL; jsonnum.h). */
json_t *gs_verdict_json(const gs_session *s, const gs_verdict *v, int *nonfinite);

void gs_verdict_free(gs_verdict *v);

#endif
