#ifndef GS_COMMAND_H
#define GS_COMMAND_H

#include <stddef.h>
#include <stdio.h>

/* The commands, declared once (runner/cmd/commands.c): their names, the
 * line --help shows, the paragraph of their own --help, and the function that
 * runs them. main parses, installs signals where the row asks, and calls the function; each
 * command lives in runner/cmd/<name>.c. */

typedef enum gs_command { GS_CMD_NONE, GS_CMD_RUN, GS_CMD_LIST, GS_CMD_REPORT, GS_CMD_COMPARE, GS_CMD_MERGE, GS_CMD_SERVE, GS_CMD_TEACH, GS_CMD_COUNT } gs_command;

struct gs_options;

/* One row of the table. Strings are static. */
typedef struct gs_command_info {
    const char *name;    /* what the user types: "run" */
    const char *summary; /* its line in gilscope --help */
    const char *usage;   /* the head of gilscope NAME --help: usage line, what it does, exit status */
    /* Starts interpreters on the default loop: main installs the SIGINT and
     * SIGTERM handlers (signals.h) for it alone. Commands that only read and
     * write files keep the default dispositions, so a signal ends them even
     * while a write blocks. */
    int starts_interpreters;
    /* Runs the command with the parsed options (argv: the whole command line,
     * recorded in reports). Returns the exit status. */
    int (*run)(struct gs_options *o, int argc, char **argv);
} gs_command_info;

/* The row of cmd; NULL for GS_CMD_NONE or out of range. */
const gs_command_info *gs_command_get(gs_command cmd);

/* The command named name, or GS_CMD_NONE when none is. */
gs_command gs_command_find(const char *name);

/* The command's name, or "gilscope" for GS_CMD_NONE. */
const char *gs_command_name(gs_command cmd);

/* Bit of a command in an option's or an exporter's command set. */
#define GS_CMD_BIT(c) (1u << (c))

#endif
