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

/* Checks every workload spec before anything runs: built-in names must exist
 * in dir, paths must be readable files. Returns 0, or -1 with a message. */
int gs_harness_check_specs(const char *dir, const char **specs, size_t n, char *err, size_t errlen);

/* Lists the built-in workload names of dir (sorted) into a NULL-terminated,
 * caller-freed array. */
char **gs_harness_builtins(const char *dir);

/* The environment for runs: ours with PYTHONHASHSEED set to seed.
 * NULL-terminated; free with gs_harness_env_free. */
char **gs_harness_env(unsigned long seed);
void gs_harness_env_free(char **env);

#endif
