#ifndef GS_SCRATCH_H
#define GS_SCRATCH_H

#include <stddef.h>

/* A run's scratch directory. gilscope makes one before each measured run,
 * gives its path to the run in the environment (GS_SCRATCH_ENV) and removes
 * it, with everything in it, once the run's processes are gone, however the
 * run ended: a run killed by --timeout, a signal or a crash leaves nothing in
 * the temporary directory. Workloads keep their files there (the built-ins
 * disk and sqlite do). */

#define GS_SCRATCH_ENV "GILSCOPE_SCRATCH"

/* The directory scratch directories are made in: $TMPDIR when it is set and
 * not empty, else /tmp (Python's tempfile looks in the same place first). */
const char *gs_scratch_parent(void);

/* Makes a new, empty directory "gilscope-run-XXXXXX" (mode 0700) in
 * gs_scratch_parent() and writes its path into path. Returns 0, or a
 * negative errno (path then holds the parent, for the message). */
int gs_scratch_make(char *path, size_t cap);

/* Removes path and everything under it, without following symbolic links or
 * crossing into another file system; directories a workload made
 * unreadable or unwritable are given back to their owner first. Returns 0,
 * or the negative errno of the first thing that could not be removed (the
 * rest is removed). */
int gs_scratch_remove(const char *path);

#endif
