#ifndef GS_SHORTFALL_H
#define GS_SHORTFALL_H

#include <jansson.h>

#include "session.h"

/* Why a parallel cell (two or more workers) fell short of the speedup the
 * machine allows: the gap between the ideal wall time (serial's median /
 * possible) and the measured one, split into causes whose seconds add up
 * to the gap, what the accounting cannot place being "unexplained"; when
 * the estimated causes exceed the gap they are scaled down alike.
 *
 * possible = min(workers, tasks, usable cores, measured capacity) for work
 * that needs a core, min(workers, tasks) for a cell whose workers mostly
 * slept or waited on I/O. The causes, from the cell's and serial's measured
 * runs (per run): pool start-up (wall) and the worker time before each
 * worker's first task and after its last (start-up and shutdown, from the
 * task records); then the worker threads' time by
 * state beyond what serial's worker spent in that state, less the waiting
 * that more workers than possible lanes must do anyway (deducted from
 * waiting for a core, then idle, then the other waits), divided by the
 * lanes: waiting for a core, the GIL, other locks, idle workers, extra
 * kernel time, extra on-CPU time (dispatch and transfer), other waits.
 * docs/statistics.md, "The shortfall". */

/* The causes, declared once: constant, JSON key, words for people (in a
 * verdict), a short name (in a table line), a colour (the HTML's bars; the
 * thread state's colour where a cause is one). */
#define GS_LOSS_MAP(X)                                                                           \
    X(STARTUP, "startup", "pool start-up and shutdown", "start-up", "#7b5ea7")                   \
    X(CORE, "core", "waiting for a core", "core wait", "#c9b037")                                \
    X(GIL, "gil", "waiting for the GIL", "GIL", "#d1495b")                                       \
    X(LOCK, "lock", "waiting on other locks", "locks", "#ed8b3a")                                \
    X(IDLE, "idle", "idle workers (imbalance, stragglers)", "idle", "#b5b5b5")                   \
    X(KERNEL, "kernel", "extra kernel time", "kernel", "#6b4226")                                \
    X(DISPATCH, "dispatch", "per-task dispatch and transfer", "dispatch", "#1b998b")             \
    X(OTHER, "other", "other waits (I/O, sleep, page faults)", "other waits", "#8a8a8a")         \
    X(UNEXPLAINED, "unexplained", "unexplained", "unexplained", "#ececec")

typedef enum gs_loss {
#define GS_LOSS_ENUM(name, key, label, brief, colour) GS_LOSS_##name,
    GS_LOSS_MAP(GS_LOSS_ENUM)
#undef GS_LOSS_ENUM
    GS_LOSS_COUNT
} gs_loss;

const char *gs_loss_key(gs_loss l);
const char *gs_loss_label(gs_loss l);
const char *gs_loss_brief(gs_loss l);
const char *gs_loss_colour(gs_loss l);
/* The cause whose key is key, or -1. */
int gs_loss_from_key(const char *key);

typedef struct gs_shortfall {
    int io;                    /* possible ignores the cores: the workers mostly waited on sleep or I/O */
    double possible;           /* the speedup the machine allows this cell */
    double serial_s;           /* serial's median wall */
    double wall_s;             /* this cell's median wall */
    double ideal_s;            /* serial_s / possible */
    double lost_s;             /* wall_s - ideal_s; <= 0: nothing lost */
    double part_s[GS_LOSS_COUNT]; /* seconds of lost wall time by cause, adding up to lost_s */
    double explained_s;        /* the causes' raw sum before they were scaled down to lost_s (when above it) */
    double per_task_overhead_s;/* a lane's wall per task less the mean task's own time (start-up, dispatch, idling) */
    double serial_task_s;      /* serial's median wall per task */
} gs_shortfall;

/* The shortfall of cell ci of s. Returns 0, or -1 when there is none to
 * explain: fewer than two workers, no measured run, no serial to compare. */
int gs_shortfall_of(const gs_session *s, size_t ci, gs_shortfall *out);

/* The share of the lost time of cause l (0 when nothing was lost). */
double gs_shortfall_share(const gs_shortfall *sf, gs_loss l);

/* The causes in order of their seconds, largest first (unexplained last
 * unless it is the largest). Fills order[GS_LOSS_COUNT]. */
void gs_shortfall_ranked(const gs_shortfall *sf, gs_loss order[GS_LOSS_COUNT]);

/* {possible, io, serial_s, wall_s, ideal_s, lost_s, explained_s, per_task_overhead_s,
 * serial_task_s, parts: [{cause, s,
 * share}] largest first}. New object. */
json_t *gs_shortfall_json(const gs_shortfall *sf, int *nonfinite);

#endif
