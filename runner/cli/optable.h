#ifndef GS_CLI_OPTABLE_H
#define GS_CLI_OPTABLE_H

/* Internal to runner/cli/: the option table, which drives both parsing
 * (options.c) and --help (help.c). The --export-* options and --timeline are
 * not rows of it: they come from the exporter table (exports.h), and one
 * O_EXPORTS row says where --help lists them. */

#include <stddef.h>

#include "cli.h"

typedef enum opt_id {
    O_HELP, O_VERSION, O_WORKLOAD, O_STRATEGIES, O_WORKERS, O_CHUNKSIZE, O_TASKS, O_SIZE, O_RUNS, O_WARMUP, O_WARM_CALLS,
    O_PYTHON, O_START_METHOD, O_TIMEOUT, O_HASH_SEED, O_PROGRESS, O_NO_PROGRESS, O_WIDE, O_VERBOSE,
    O_SAMPLE_HZ, O_PROBE, O_PROFILE, O_NO_GC, O_TARGET_TIME, O_MIN_TIME, O_FAIL_ABOVE, O_FAIL_SPEEDUP, O_OUTPUT,
    O_ALLOW_DIFFERENT, O_COMPARE_JSON,
    O_PORT,
    O_EXPORTS /* stands for every row of the exporter table (exports.h), listed here in --help */
} opt_id;

typedef struct opt_def {
    opt_id id;
    int export;        /* O_EXPORTS: the exporter (gs_export) */
    const char *lng;
    char shrt;
    const char *arg;   /* NULL for a flag */
    unsigned cmds;     /* bit (1u << gs_command) per command that takes it */
    const char *help;
} opt_def;

/* The option rows in --help order; n set to their count. */
const opt_def *gs__opt_table(size_t *n);

/* The option called --NAME (len bytes of name) for cmd's command line:
 * a row of the table, or an exporter's option filled into *tmp; of two
 * options of one name (compare's --export-json and the exporter's), the one
 * cmd takes. NULL when none is called so. */
const opt_def *gs__opt_find_long(const char *name, size_t len, gs_command cmd, opt_def *tmp);

/* The option called -C, or NULL. */
const opt_def *gs__opt_find_short(char c);

/* An exporter's option as a row (id O_EXPORTS) into *out. Returns out. */
const opt_def *gs__opt_of_exporter(gs_export e, opt_def *out);

#endif
