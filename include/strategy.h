#ifndef GS_STRATEGY_H
#define GS_STRATEGY_H

#include <stddef.h>

/* The concurrency strategies, declared once (runner/model/strategy.c) and
 * looped over everywhere else: parsing, planning, help, report order.
 *
 * A strategy is an index into that table, in the order the strategies run
 * within a repetition. Code never names a particular strategy: it asks the
 * table for a property (GS_SF_*). Adding a strategy is one row here plus one
 * module in workloads/gilscope_harness/strategies/. */
typedef int gs_strategy;

/* Properties a strategy row can carry. */
#define GS_SF_BASELINE 0x1u     /* the serial reference of speedups; always 1 worker */
#define GS_SF_THREADS 0x2u      /* runs tasks on threads of one interpreter (shares its GIL) */
#define GS_SF_PROCESSES 0x4u    /* runs tasks in worker processes; a start method applies */
#define GS_SF_ONE_THREAD 0x8u   /* every task on one thread (coroutines): overlaps waits, never CPU work */
#define GS_SF_CHUNKS 0x10u      /* sends its tasks in chunks (--chunksize): one cell per chunk size */
#define GS_SF_OPT_IN 0x20u      /* runs only when --strategies names it (or says all) */

/* One row of the table. Strings are static. */
typedef struct gs_strategy_info {
    const char *name;   /* on the command line, in the JSON report and to the harness */
    const char *summary;/* one line for --help */
    unsigned flags;     /* GS_SF_* */
} gs_strategy_info;

/* The most strategies a bit set (gs_options.strategies) can hold. */
#define GS_STRATEGY_MAX 32

/* How many strategies the table holds. */
size_t gs_strategy_count(void);

/* The row of s, or NULL when s is out of range. */
const gs_strategy_info *gs_strategy_get(gs_strategy s);

/* The name of s, or "?" when s is out of range. */
const char *gs_strategy_name(gs_strategy s);

/* The strategy called name (len bytes of it; (size_t)-1: up to its NUL), or
 * -1 when none is. */
gs_strategy gs_strategy_find(const char *name, size_t len);

/* Whether s carries every flag of flags (0 for an out-of-range s). */
int gs_strategy_has(gs_strategy s, unsigned flags);

/* The same question by name (for readers of a JSON report): 0 when the name
 * is unknown. */
int gs_strategy_named_has(const char *name, unsigned flags);

/* The baseline strategy (GS_SF_BASELINE): the reference of speedups. */
gs_strategy gs_strategy_baseline(void);

/* The bit set of every strategy (gs_options.strategies; --strategies all). */
unsigned gs_strategy_all(void);

/* The bit set run without --strategies: every strategy but the opt-in ones. */
unsigned gs_strategy_default(void);

/* Writes the names joined by sep ("serial, threads, ...") into buf. */
void gs_strategy_list(char *buf, size_t cap, const char *sep);

#endif
