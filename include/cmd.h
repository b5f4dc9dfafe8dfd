#ifndef GS_CMD_H
#define GS_CMD_H

#include "cli.h"

/* The commands' entry points (runner/cmd/<name>.c), reached through the
 * command table (command.h). Each returns the process exit status: 0 done,
 * 1 failed work (a run, a regression, an unwritable output), 2 usage or
 * input error, 128+N interrupted by signal N. */
int gs_cmd_run(gs_options *o, int argc, char **argv);
int gs_cmd_list(gs_options *o, int argc, char **argv);
int gs_cmd_report(gs_options *o, int argc, char **argv);
int gs_cmd_compare(gs_options *o, int argc, char **argv);
int gs_cmd_merge(gs_options *o, int argc, char **argv);
int gs_cmd_serve(gs_options *o, int argc, char **argv);
int gs_cmd_teach(gs_options *o, int argc, char **argv);

/* Helpers the commands share (runner/cmd/common.c). */

/* Prints "gilscope: msg" on stderr; returns 2, the usage exit status. */
int gs_cmd_usage_error(const char *msg);

/* Finds the workloads directory (harness.h) into dir. Returns 0, or 2 after
 * saying how to point gilscope at it. */
int gs_cmd_harness_dir(char *dir, size_t cap);

/* Writes a loaded report to every destination o asks for; with none, writes
 * it with fallback on stdout. When --timeline is asked for and the report
 * holds none, says so (file names the input, NULL for several). Returns 0,
 * or 1 after saying why an output could not be written. */
int gs_cmd_render(json_t *report, const gs_options *o, gs_export_writer fallback, const char *cmd, const char *file);

#endif
