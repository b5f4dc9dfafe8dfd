#include "cmd.h"

#include <stdio.h>

#include "harness.h"
#include "report.h"

int gs_cmd_usage_error(const char *msg) {
    fprintf(stderr, "gilscope: %s\n", msg);
    return 2;
}

int gs_cmd_harness_dir(char *dir, size_t cap) {
    if (gs_harness_find(dir, cap) == 0) return 0;
    return gs_cmd_usage_error(
        "cannot find the Python harness (workloads/harness.py); set GILSCOPE_WORKLOADS to its directory");
}

/* Says that --timeline has nothing to draw: the report (file) or, for merge
 * (file NULL), the reports hold no timeline. */
static void no_timelines(const char *cmd, const char *file, const char *svg) {
    if (file) fprintf(stderr, "gilscope: %s: \"%s\" holds", cmd, file);
    else fprintf(stderr, "gilscope: %s: the reports hold", cmd);
    fprintf(stderr, " no timelines (record them with gilscope run --timeline); %s gets the heading only\n", svg);
}

int gs_cmd_render(json_t *report, const gs_options *o, gs_export_writer fallback, const char *cmd, const char *file) {
    const char *svg = o->outputs.path[GS_EXPORT_TIMELINE];
    if (svg && !gs_report_has_timelines(report)) no_timelines(cmd, file, svg);
    int files = gs_outputs_write(&o->outputs, report, 0) != 0; /* both, whatever the first gave */
    int out = gs_outputs_write(&o->outputs, report, 1) != 0;
    int rc = files || out;
    char err[512];
    if (!gs_outputs_any(&o->outputs, 0) && !gs_outputs_any(&o->outputs, 1) &&
        gs_export_to(report, fallback, "-", cmd, err, sizeof(err)) != 0) {
        rc = 1;
        fprintf(stderr, "gilscope: %s\n", err);
    }
    return rc;
}
