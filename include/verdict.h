#ifndef GS_VERDICT_H
#define GS_VERDICT_H

#include <jansson.h>

#include "session.h"

/* The verdict of one workload: the best strategy, or a tie when intervals
 * overlap, and the measured reason. Rules (docs/statistics.md, "Verdicts"), each a clause
 * that cites the figures it rests on:
 *   - nothing beats serial: no parallel cell's interval lies above 1;
 *   - cores saturated: the best reached >= 80% of min(workers, cores) with
 *     as many cores used;
 *   - GIL-bound: a thread strategy's workers spent >= 25% of their time
 *     waiting for the GIL;
 *   - I/O-bound: the best's workers spent >= 50% of their time sleeping or in
 *     I/O: its speedup against the min(workers, tasks) possible;
 *   - start-up dominated: a pool's start-up took >= 30% of its wall time. */
typedef struct gs_verdict {
    size_t workload;
    int best;             /* cell index, or -1 when no cell was measured */
    int tie[32];          /* cells whose speedup interval overlaps the best's */
    int ntie;
    char reason[1024];
    json_t *figures;      /* the figures the reason cites (owned) */
} gs_verdict;

/* Decides workload w's verdict from the aggregated cells. Returns 0, or -1
 * when nothing was measured (v->reason then says so). Free with
 * gs_verdict_free. */
int gs_verdict_decide(const gs_session *s, size_t w, gs_verdict *v);

/* The verdict as a JSON object: workload, best {strategy, workers,
 * start_method, speedup, ci_low, ci_high}, tie [...], reason, figures. */
json_t *gs_verdict_json(const gs_session *s, const gs_verdict *v);

void gs_verdict_free(gs_verdict *v);

#endif
