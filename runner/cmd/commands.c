#include "command.h"

#include <string.h>

#include "cmd.h"

/* Every command once: its name, its line in gilscope --help, the head of its
 * own --help, and the function in runner/cmd/<name>.c that runs it. */
static const gs_command_info table[GS_CMD_COUNT] = {
    [GS_CMD_RUN] = {"run", "measure workloads under each strategy and compare them",
                    "Usage: gilscope run [options] [WORKLOAD...]\n\n"
                    "Runs every workload under every strategy and worker count, one fresh\n"
                    "interpreter per run, repetitions interleaved across strategies, and prints\n"
                    "a table per workload: wall time with its interval, speedup against serial\n"
                    "with its 95% interval, CPU, cores used, where the worker threads' time went\n"
                    "(on CPU, GIL wait, ...), peak memory and pool start-up, then the verdict,\n"
                    "scaling fits and warnings. Exit status: 0 all measured, 1 a run failed, a\n"
                    "strategy's results disagreed with serial or an output could not be written,\n"
                    "2 usage or input error, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP\n"
                    "(reports written first).\n",
                    1, gs_cmd_run},
    [GS_CMD_LIST] = {"list", "show the workloads and strategies the interpreter can run",
                     "Usage: gilscope list [options] [WORKLOAD...]\n\n"
                     "Shows the workloads (built-in, or the files given) and the strategies and\n"
                     "start methods the interpreter can run, with the reason for any that it\n"
                     "cannot.\n",
                     1, gs_cmd_list},
    [GS_CMD_REPORT] = {"report", "re-render a saved JSON report as Markdown, CSV, HTML or JSON",
                       "Usage: gilscope report FILE.json [options]\n\n"
                       "Re-renders a report saved with --export-json, without running anything. With\n"
                       "no --export-* or --timeline option it prints Markdown on stdout. Exit status:\n"
                       "0; 1 an output could not be written; 2 the file cannot be read or is not a\n"
                       "gilscope report.\n",
                       0, gs_cmd_report},
    [GS_CMD_COMPARE] = {"compare", "compare two saved reports; exit 1 on a significant regression",
                        "Usage: gilscope compare BASE.json NEW.json [options]\n\n"
                        "Refuses reports that measured different things (task size, task count,\n"
                        "interpreter, start method, workload file or --no-gc), naming each difference.\n"
                        "Then compares every cell (workload, strategy, workers, and source in merged\n"
                        "reports) measured in both: the wall-time change with a distribution-free\n"
                        "interval of the ratio (Mann-Whitney; the cells share 95%) and the speedup\n"
                        "against serial, and lists the cells found on one side only. A cell regressed\n"
                        "when its interval lies wholly beyond a threshold. Exit status: 0 no\n"
                        "regression; 1 a regression (one line per cell on stderr); 2 the files cannot\n"
                        "be read, share no cell or measured different things (docs/ci.md).\n",
                        0, gs_cmd_compare},
    [GS_CMD_MERGE] = {"merge", "join saved reports (a CI matrix of machines and interpreters) into one",
                      "Usage: gilscope merge A.json B.json ... [-o ALL.json] [options]\n\n"
                      "Joins saved reports into one, for a CI matrix across machines and\n"
                      "interpreters. Each file becomes a source labelled by its path without .json\n"
                      "(the fewest trailing directories that keep the labels distinct); every cell\n"
                      "keeps its source's label, and each source keeps its metadata. report, compare\n"
                      "and the exporters show the sources side by side. Exit status: 0; 1 an output\n"
                      "could not be written; 2 a file cannot be read or is not a gilscope report.\n",
                      0, gs_cmd_merge},
    /* serve installs its own handlers (SIGINT, SIGTERM and SIGHUP end it, exit 0). */
    [GS_CMD_SERVE] = {"serve", "run the loopback HTTP service alone, for experiments",
                      "Usage: gilscope serve [--port N]\n\n"
                      "Runs gilscope's loopback HTTP service on its own (docs/http-service.md):\n"
                      "HTTP/1.1 on 127.0.0.1, keep-alive, GET / (the list of endpoints), GET and POST\n"
                      "/echo, GET /delay/MS?bytes=N (answers after MS ms with N bytes). Prints\n"
                      "http://127.0.0.1:PORT on a line of its own, serves until SIGINT, SIGTERM or\n"
                      "SIGHUP, then prints one line of statistics on stderr (requests, connections,\n"
                      "the service's CPU time). Exit status: 0 stopped by a signal; 1 an internal\n"
                      "error; 2 usage error, or the port is taken or not allowed.\n",
                      0, gs_cmd_serve},
    [GS_CMD_TEACH] = {"teach", "run a lesson: a short measurement, then what its figures show",
                      "Usage: gilscope teach [LESSON] [options]\n\n"
                      "Without LESSON, lists the lessons. With one, runs its short measurement (a\n"
                      "gilscope run on calibrated sizes: the table), then writes what this run's\n"
                      "figures show, in paragraphs whose every number comes from it: on a machine\n"
                      "with one usable core the text says so instead of naming a winner. The\n"
                      "--export-* options write the report with the lesson in it (HTML: one page\n"
                      "with the timelines, to project). Exit status: 0; 1 a run failed or an output\n"
                      "could not be written; 2 usage error or unknown lesson (the lessons are\n"
                      "listed); 130/143/129 interrupted.\n",
                      1, gs_cmd_teach},
};

const gs_command_info *gs_command_get(gs_command cmd) {
    return cmd > GS_CMD_NONE && cmd < GS_CMD_COUNT && table[cmd].name ? &table[cmd] : NULL;
}

gs_command gs_command_find(const char *name) {
    for (int c = GS_CMD_NONE + 1; c < GS_CMD_COUNT; c++)
        if (table[c].name && strcmp(table[c].name, name) == 0) return (gs_command)c;
    return GS_CMD_NONE;
}

const char *gs_command_name(gs_command cmd) {
    const gs_command_info *i = gs_command_get(cmd);
    return i ? i->name : "gilscope";
}
