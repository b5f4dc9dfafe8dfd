/* gilscope: parses the command line, installs the signal handlers (for the
 * commands that start interpreters) and hands over to the command (runner/cmd/<name>.c, through the table in
 * runner/cmd/commands.c). The pipeline shows in runner/'s folders:
 * cli -> cmd -> measure -> model -> analyse -> report -> render. */
#include <stdio.h>
#include <uv.h>

#include "cli.h"
#include "cmd.h"
#include "signals.h"

/* Runs cmd; one that starts interpreters runs with the signal handlers
 * installed on the default loop, which is closed cleanly afterwards. */
static int dispatch(const gs_command_info *cmd, gs_options *o, int argc, char **argv) {
    if (!cmd->starts_interpreters) return cmd->run(o, argc, argv);
    uv_loop_t *loop = uv_default_loop();
    int rc = gs_signals_install(loop);
    if (rc != 0) {
        fprintf(stderr, "gilscope: cannot install signal handlers: %s\n", uv_strerror(rc));
        rc = 1;
    } else {
        rc = cmd->run(o, argc, argv);
        gs_signals_close();
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    return rc;
}

int main(int argc, char **argv) {
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
