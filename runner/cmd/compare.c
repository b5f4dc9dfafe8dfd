#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "exports.h"
#include "report.h"

/* gilscope compare BASE.json NEW.json: the CI gate (compare.h). With
 * --export-json the comparison is also written as JSON (docs/ci.md); to
 * stdout (-), the table then goes to stderr. */
int gs_cmd_compare(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    const char *json_path = o->outputs.path[GS_EXPORT_JSON];
    char err[1024] = "";
    if (json_path && gs_check_output_path(json_path, "--export-json", err, sizeof(err)) != 0)
        return gs_cmd_usage_error(err);
    json_t *base = gs_report_load(o->report_file, "compare");
    json_t *next = base ? gs_report_load(o->compare_new, "compare") : NULL;
    if (next == NULL) {
        json_decref(base);
        return 2;
    }
    gs_compare_opts opts = {o->fail_above, o->fail_speedup, o->allow_different, o->report_file, o->compare_new};
    char why[512] = "";
    json_t *result = NULL;
    FILE *out = json_path && strcmp(json_path, "-") == 0 ? stderr : stdout;
    int rc = gs_compare(base, next, &opts, out, stderr, json_path ? &result : NULL, why, sizeof(why));
    if (rc == 2) fprintf(stderr, "gilscope: compare: %s\n", why);
    if (fflush(out) != 0 && rc == 0) rc = 1;
    if (result != NULL && gs_export_to(result, gs_export_json, json_path, "--export-json", err, sizeof(err)) != 0) {
        fprintf(stderr, "gilscope: %s\n", err);
        rc = 2;
    }
    json_decref(result);
    json_decref(base);
    json_decref(next);
    return rc;
}
