#ifndef GS_HARNESS_H
#define GS_HARNESS_H

#include <stddef.h>
#include <uv.h>

#include "cli.h"
#include "session.h"
#include "spawn.h"

/* Where the Python harness lives and how to start it. */

/* Finds the workloads directory: $GILSCOPE_WORKLOADS, else next to the
 * executable (../share/gilscope/workloads, ./workloads), else the source tree
 * the binary was built from. Returns 0 with the directory in buf, or -1. */
int gs_harness_find(char *buf, size_t cap);

/* True when spec names a file (contains '/' or ends in ".py") rather than a
 * built-in workload. */
int gs_harness_spec_is_path(const char *spec);

/* The built-in workloads live in this subdirectory of the workloads
 * directory, off the interpreter's sys.path (the harness's directory is on
 * it): a built-in named like a standard module (http) cannot shadow it. */
#define GS_BUILTIN_DIR "builtin"

/* Checks every workload spec before anything runs: built-in names must exist
 * in dir/GS_BUILTIN_DIR, paths must be readable files. Returns 0, or -1 with
 * a message. */
int gs_harness_check_specs(const char *dir, const char **specs, size_t n, char *err, size_t errlen);

/* Lists the built-in workload names of dir/GS_BUILTIN_DIR (sorted) into a
 * NULL-terminated, caller-freed array. */
char **gs_harness_builtins(const char *dir);

/* The path the harness is given for a workload: a file's real path (so it
 * still resolves from the harness's directory), else the built-in name.
 * Returns a malloc'd string (the caller frees it), or NULL when out of
 * memory. */
char *gs_harness_resolve_spec(const char *spec);

/* One harness command line (docs/protocol.md): the interpreter, the
 * harness's path, --mode and its options, NULL-terminated. Owns every
 * string in it. Build it with gs_harness_argv_init and _add, pass v to
 * gs_spawn_run, free it with gs_harness_argv_free. */
typedef struct gs_harness_argv {
    char **v;            /* NULL-terminated (owned, as its strings) */
    size_t n, cap;
    int failed;          /* an allocation failed: v is incomplete */
} gs_harness_argv;

/* Starts `PYTHON DIR/harness.py --mode MODE`. Returns 0, or -1 when out of
 * memory (a->failed set; gs_harness_argv_free is still needed). */
int gs_harness_argv_init(gs_harness_argv *a, const char *python, const char *dir, const char *mode);

/* Appends flag, and value unless it is NULL (both copied). Returns 0 or -1
 * (out of memory: a->failed set). */
int gs_harness_argv_add(gs_harness_argv *a, const char *flag, const char *value);

/* Appends `--flag N`. Returns 0 or -1. */
int gs_harness_argv_add_long(gs_harness_argv *a, const char *flag, long value);

/* Starts a run-mode command line: `--mode run --workload SPEC --strategy S
 * --workers N --tasks T --size Z`; the caller may add --probe and
 * --start-method. Returns 0 or -1 (out of memory). */
int gs_harness_argv_run(gs_harness_argv *a, const char *python, const char *dir, const char *spec,
                        const char *strategy, int workers, int tasks, long size);

void gs_harness_argv_free(gs_harness_argv *a);

/* The environment for runs: ours with PYTHONHASHSEED set to seed.
 * NULL-terminated; free with gs_harness_env_free. */
char **gs_harness_env(unsigned long seed);
/* Sets name=value in an environment made by gs_harness_env (replacing an
 * entry of that name). Returns 0, or -1 when out of memory (env unchanged). */
int gs_harness_env_set(char ***env, const char *name, const char *value);
void gs_harness_env_free(char **env);

#endif
