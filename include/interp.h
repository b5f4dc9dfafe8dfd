#ifndef GS_INTERP_H
#define GS_INTERP_H

#include <stddef.h>
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

/* The interpreter a --python entry names. A path (with a '/') or a name
 * that is not a version ("python3", "pypy3") is taken as it is (uv_spawn
 * looks a bare name up on PATH). A version name — "3.11", "python3.13",
 * "3.13t" (a free-threaded build) — is looked for, first found wins, as
 * pythonX.Y[t] on PATH (but pyenv's shims, which run only the versions
 * pyenv has activated), then in pyenv ($PYENV_ROOT, else ~/.pyenv:
 * versions/X.Y.N[t]/bin/pythonX.Y[t], the highest N), then in gilscope's
 * cache of Pythons (scripts/pythons.sh: $GILSCOPE_PYTHONS, else
 * ${XDG_CACHE_HOME:-~/.cache}/gilscope/pythons, bin/pythonX.Y[t]).
 * Returns 0 with the path in out; -1 with a message naming the places
 * searched in err when a version name is found nowhere. */
int gs_interp_resolve(const char *name, char *out, size_t cap, char *err, size_t errlen);

/* How long the query may take, and the grace after the process exits for its
 * pipes to reach EOF (a pool worker may hold them open). */
#define GS_INTERP_TIMEOUT_S 120.0
#define GS_RUN_GRACE_S 2.0

#endif
