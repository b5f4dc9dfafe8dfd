#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "optable.h"

/* Writes text wrapped at width columns, continuation lines indented. */
static void print_wrapped(FILE *f, const char *text, int indent, int width) {
    int col = indent;
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > indent && col + (int)w + 1 > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += (int)w;
        p += w;
        while (*p == ' ') p++;
    }
    fputc('\n', f);
}

static void top_level(FILE *f) {
    fprintf(f,
            "gilscope %s: how much faster does Python work get with threads, a process\n"
            "pool, asyncio, subinterpreters or another Python, and why not more?\n\n"
            "Usage: gilscope <command> [options]\n\n"
            "Commands:\n",
            GS_VERSION);
    for (int c = GS_CMD_NONE + 1; c < GS_CMD_COUNT; c++) {
        const gs_command_info *i = gs_command_get((gs_command)c);
        if (i) fprintf(f, "  %-7s %s\n", i->name, i->summary);
    }
    fprintf(f, "\nOptions:\n"
               "  -h, --help      print help (gilscope <command> --help for a command's options)\n"
               "  -V, --version   print the version\n\n"
               "Example: gilscope run --workload cpu --workers 2\n");
}

static void one_option(FILE *f, const opt_def *d) {
    char head[64];
    int n = d->shrt ? snprintf(head, sizeof(head), "-%c, --%s", d->shrt, d->lng)
                    : snprintf(head, sizeof(head), "    --%s", d->lng);
    if (d->arg) snprintf(head + n, sizeof(head) - (size_t)n, " %s", d->arg);
    fprintf(f, "  %s\n      ", head);
    print_wrapped(f, d->help, 6, 78);
    /* --strategies lists the strategy table under its own text, the
     * summaries aligned after the longest name. */
    int w = 0;
    for (gs_strategy s = 0; (size_t)s < gs_strategy_count(); s++)
        if ((int)strlen(gs_strategy_name(s)) > w) w = (int)strlen(gs_strategy_name(s));
    for (gs_strategy s = 0; d->id == O_STRATEGIES && (size_t)s < gs_strategy_count(); s++)
        fprintf(f, "        %-*s %s\n", w, gs_strategy_name(s), gs_strategy_get(s)->summary);
}

void gs_cli_help(gs_command cmd, FILE *f) {
    const gs_command_info *info = gs_command_get(cmd);
    if (info == NULL) {
        top_level(f);
        return;
    }
    fprintf(f, "%s\nOptions:\n", info->usage);
    size_t n;
    const opt_def *opts = gs__opt_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!(opts[i].cmds & GS_CMD_BIT(cmd)) && opts[i].id != O_EXPORTS) continue;
        if (opts[i].id != O_EXPORTS) {
            one_option(f, &opts[i]);
            continue;
        }
        for (int e = 0; e < GS_EXPORT_COUNT; e++) {
            opt_def row;
            if (gs__opt_of_exporter((gs_export)e, &row)->cmds & GS_CMD_BIT(cmd)) one_option(f, &row);
        }
    }
}
