#include "strategy.h"

#include <stdio.h>
#include <string.h>

/* The strategies in the order they run within a repetition. The harness has
 * one module per row (workloads/gilscope_harness/strategies/) under the same
 * name; docs/measurement.md says what each one runs. */
static const gs_strategy_info table[] = {
    {"serial", "a plain loop: the baseline of every speedup", GS_SF_BASELINE},
    {"threads", "concurrent.futures.ThreadPoolExecutor(workers)", GS_SF_THREADS},
    {"processes", "a process pool (fork, spawn or forkserver: --start-method)", GS_SF_PROCESSES},
    /* The same processes, the tasks sent in chunks: asked for by name. */
    {"mp_pool", "multiprocessing.Pool.starmap in chunks (only when named)",
     GS_SF_PROCESSES | GS_SF_CHUNKS | GS_SF_OPT_IN},
    {"to_thread", "asyncio.gather of asyncio.to_thread calls (Python 3.9+)", GS_SF_THREADS},
    {"asyncio", "the workload's async def run_async(arg) on one event loop", GS_SF_ONE_THREAD},
    /* Threads of the harness too, but each in its own interpreter with its own
     * GIL: not GS_SF_THREADS (which says "shares the GIL"). Its workers are
     * found from the task records like every strategy's. */
    {"interpreters", "subinterpreters, each with its own GIL (Python 3.12+)", 0},
};

#define COUNT (sizeof(table) / sizeof(table[0]))
_Static_assert(sizeof(table) / sizeof(table[0]) <= GS_STRATEGY_MAX, "too many strategies for a bit set");

size_t gs_strategy_count(void) { return COUNT; }

const gs_strategy_info *gs_strategy_get(gs_strategy s) {
    return s >= 0 && (size_t)s < COUNT ? &table[s] : NULL;
}

const char *gs_strategy_name(gs_strategy s) {
    const gs_strategy_info *i = gs_strategy_get(s);
    return i ? i->name : "?";
}

gs_strategy gs_strategy_find(const char *name, size_t len) {
    if (name == NULL) return -1;
    if (len == (size_t)-1) len = strlen(name);
    for (size_t i = 0; i < COUNT; i++)
        if (strlen(table[i].name) == len && strncmp(table[i].name, name, len) == 0) return (gs_strategy)i;
    return -1;
}

int gs_strategy_has(gs_strategy s, unsigned flags) {
    const gs_strategy_info *i = gs_strategy_get(s);
    return i != NULL && (i->flags & flags) == flags;
}

int gs_strategy_named_has(const char *name, unsigned flags) {
    return gs_strategy_has(gs_strategy_find(name, (size_t)-1), flags);
}

gs_strategy gs_strategy_baseline(void) {
    for (size_t i = 0; i < COUNT; i++)
        if (table[i].flags & GS_SF_BASELINE) return (gs_strategy)i;
    return -1;
}

unsigned gs_strategy_all(void) { return COUNT >= 32 ? ~0u : (1u << COUNT) - 1; }

unsigned gs_strategy_default(void) {
    unsigned set = 0;
    for (size_t i = 0; i < COUNT; i++)
        if (!(table[i].flags & GS_SF_OPT_IN)) set |= 1u << i;
    return set;
}

void gs_strategy_list(char *buf, size_t cap, const char *sep) {
    size_t used = 0;
    if (cap) buf[0] = '\0';
    for (size_t i = 0; i < COUNT && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? sep : "", table[i].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}
