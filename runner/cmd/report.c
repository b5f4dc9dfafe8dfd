#include "cmd.h"

#include "report.h"

/* gilscope report FILE.json: re-renders a saved report without running;
 * Markdown on stdout when no output is asked for. */
int gs_cmd_report(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    json_t *report = gs_report_load(o->report_file, "report");
    if (report == NULL) return 2;
    int rc = gs_cmd_render(report, o, gs_export_markdown, "report", o->report_file);
    json_decref(report);
    return rc;
}
