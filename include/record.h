#ifndef GS_RECORD_H
#define GS_RECORD_H

#include "session.h"
#include "spawn.h"

/* Turns what one harness process did into a run record: its figures when it
 * measured, else a status and a one-line error naming the cause (spawn
 * failure, timeout, a raising task, a crash, a protocol error), with the
 * traceback or stderr tail kept in detail. timeout_s is quoted in messages. */
void gs_record_run(gs_run *r, const gs_spawn_out *out, double timeout_s);

/* Accounts the worker threads of an OK run (those that ran a task) from the
 * sampler's tracks: fills r->states, and r->lanes when keep_lanes is set. */
void gs_record_states(gs_run *r, const gs_track *tracks, size_t ntracks, int keep_lanes);

/* The last non-empty line of text (at most cap-1 bytes) into buf. */
void gs_record_last_line(const char *text, char *buf, size_t cap);

/* Text from a workload (an error's message, a traceback, a stderr tail)
 * is kept to this many bytes per field, in the report and the table. */
#define GS_RECORD_TEXT_MAX 4096

/* text cut to at most max bytes on a character boundary, the cut said:
 * its start and "… (N bytes cut)", or (keep_end, for tracebacks and
 * stderr, whose last lines matter) "[… N bytes cut …]", a newline and its
 * end. A copy the caller frees; NULL for NULL or out of memory. */
char *gs_record_bound(const char *text, size_t max, int keep_end);

#endif
