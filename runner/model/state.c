#include "state.h"

#include <stddef.h>
#include <string.h>

/* Each state once: its key in the JSON report and the CSV, its label, its
 * colour. Indexed by gs_state, so a row cannot drift from its constant. */
static const gs_state_info table[GS_ST_COUNT] = {
    [GS_ST_ON_CPU] = {"on_cpu", "on CPU", "#2e9d4a"},
    [GS_ST_WAIT_CORE] = {"wait_core", "core wait", "#c9b037"},
    [GS_ST_GIL] = {"wait_gil", "GIL wait", "#d1495b"},
    [GS_ST_LOCK] = {"wait_lock", "lock wait", "#ed8b3a"},
    [GS_ST_IO] = {"wait_io", "I/O wait", "#3d7fc1"},
    [GS_ST_SLEEP] = {"sleep", "sleep", "#9cc3e6"},
    [GS_ST_IDLE] = {"idle", "idle", "#dddddd"},
    [GS_ST_OTHER] = {"other", "other", "#8a8a8a"},
};

const gs_state_info *gs_state_get(gs_state s) {
    return (unsigned)s < GS_ST_COUNT && table[s].key != NULL ? &table[s] : NULL;
}

const char *gs_state_key(gs_state s) {
    const gs_state_info *i = gs_state_get(s);
    return i ? i->key : "?";
}

const char *gs_state_label(gs_state s) {
    const gs_state_info *i = gs_state_get(s);
    return i ? i->label : "?";
}

const char *gs_state_colour(gs_state s) {
    const gs_state_info *i = gs_state_get(s);
    return i ? i->colour : table[GS_ST_OTHER].colour;
}

int gs_state_from_key(const char *key) {
    for (int s = 0; key != NULL && s < GS_ST_COUNT; s++)
        if (table[s].key != NULL && strcmp(table[s].key, key) == 0) return s;
    return -1;
}
