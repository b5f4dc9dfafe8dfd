#include "cmd.h"

#include "exports.h"
#include "report.h"

/* gilscope report FILE.json: re-renders a saved report without running;
 * Markdown on stdout when no output is asked for. */
int gs_cmd_report(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    char err[1024];
    if (gs_outputs_check(&o->outputs, err, sizeof(err)) != 0) return gs_cmd_usage_error(err);
    json_t *report = gs_report_load(o->report_file, "report");
    if (report == NULL) return 2;
    int rc = gs_cmd_render(report, o, gs_export_markdown, "report", o->report_file);
    json_decref(report);
    return rc;
}
