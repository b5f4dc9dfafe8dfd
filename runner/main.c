/* gilscope: parses the command line, installs the signal handlers (for the
 * commands that start interpreters, which gilscope then supervises as their
 * subreaper) and hands over to the command (runner/cmd/<name>.c, through the table in
 * runner/cmd/commands.c). The pipeline shows in runner/'s folders:
 * cli -> cmd -> measure -> model -> analyse -> report -> render. */
#include <signal.h>
#include <stdio.h>
#include <uv.h>

#include "cli.h"
#include "cmd.h"
#include "exports.h"
#include "reaper.h"
#include "signals.h"

/* Whether a stop signal arrived: what an output write waiting on a FIFO asks. */
static int stop_requested(void) { return gs_signals_poll(uv_default_loop()) != 0; }

/* Runs cmd; one that starts interpreters runs as their subreaper (reaper.h)
 * with the signal handlers installed on the default loop, which is closed
 * cleanly afterwards. */
static int dispatch(const gs_command_info *cmd, gs_options *o, int argc, char **argv) {
    if (!cmd->starts_interpreters) return cmd->run(o, argc, argv);
    int sub = gs_reaper_become();
    if (sub != 0)
        fprintf(stderr, "gilscope: warning: cannot adopt the processes runs leave behind (PR_SET_CHILD_SUBREAPER: %s); "
                        "those that leave a run's session may survive it\n", uv_strerror(sub));
    uv_loop_t *loop = uv_default_loop();
    int rc = gs_signals_install(loop);
    if (rc != 0) {
        fprintf(stderr, "gilscope: cannot install signal handlers: %s\n", uv_strerror(rc));
        rc = 1;
    } else {
        gs_outputs_set_cancel(stop_requested);
        rc = cmd->run(o, argc, argv);
        gs_outputs_set_cancel(NULL);
        gs_signals_close();
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    return rc;
}

int main(int argc, char **argv) {
    /* A closed stdout (`gilscope run | head`) is a write error gilscope
     * reports (exit 1) after finishing the session and its report files, not
     * a death by SIGPIPE (141) that loses them. Children get the default
     * back: libuv resets every disposition in the child. */
    signal(SIGPIPE, SIG_IGN);
    gs_options o;
    char err[1024];
    int rc;
    if (gs_cli_parse(argc, argv, &o, err, sizeof(err)) != 0) {
        rc = gs_cmd_usage_error(err);
    } else if (o.show_version) {
        printf("gilscope %s\n", GS_VERSION);
        rc = 0;
    } else if (o.show_help || o.command == GS_CMD_NONE) {
        gs_cli_help(o.command, o.show_help ? stdout : stderr);
        rc = o.show_help ? 0 : 2;
    } else {
        rc = dispatch(gs_command_get(o.command), &o, argc, argv);
    }
    gs_cli_free(&o);
    return rc;
}
