#ifndef GS_INTERP_H
#define GS_INTERP_H

#include <uv.h>

#include "cli.h"
#include "spawn.h"

/* Asks the interpreter (o->python) what it is and what it sees: runs the
 * harness in info mode on o's workloads (docs/protocol.md). On success
 * out->proto.hello holds the interpreter's facts and out->proto.info its
 * workloads, strategies and start methods. out is filled in every case; the
 * caller frees it with gs_spawn_out_free.
 *
 * Returns 0; or 2 after printing why on stderr (the interpreter cannot be
 * started, is not CPython 3.8 or newer, or loading a workload killed or
 * failed it); or 128+N when signal N interrupted it. */
int gs_interp_query(uv_loop_t *loop, const char *dir, const gs_options *o, char **env, gs_spawn_out *out);

/* How long the query may take, and the grace after the process exits for its
 * pipes to reach EOF (a pool worker may hold them open). */
#define GS_INTERP_TIMEOUT_S 120.0
#define GS_RUN_GRACE_S 2.0

#endif
