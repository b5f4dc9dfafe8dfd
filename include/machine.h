#ifndef GS_MACHINE_H
#define GS_MACHINE_H

#include <jansson.h>
#include <stddef.h>

#include "session.h"

/* The report's metadata: what ran (gilscope, the command line, the
 * interpreter's facts), on what (cores, CPU model, kernel, host, load
 * average, CPU governor) and how (the options that shape the numbers).
 * info is the harness's info message (default start method); dir the
 * workloads directory. Returns a new object owned by the caller. */
json_t *gs_machine_metadata(const gs_session *s, int argc, char **argv, const char *dir, json_t *info);

/* The report's metadata.machine: {cores, affinity, quota, usable,
 * capacity {before, min, max, after, mean, n}} of a session's capacity log
 * (capacity.h); capacity figures null when not measured. New object. */
json_t *gs_machine_json(const gs_capacity *c, int *nonfinite);

/* The CPU's model name from /proc/cpuinfo into buf ("unknown" when none). */
void gs_machine_cpu_model(char *buf, size_t cap);

/* The scaling governor of cpu0, or NULL when the machine does not say (a VM
 * without cpufreq). The caller frees it. */
char *gs_machine_governor(void);

#endif
