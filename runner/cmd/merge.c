#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "exports.h"
#include "jsonpath.h"
#include "merge.h"
#include "report.h"

/* gilscope merge A.json B.json ...: one report out of many (merge.h); the
 * merged JSON on stdout when no output is asked for. */
int gs_cmd_merge(gs_options *o, int argc, char **argv) {
    char why[1024];
    if (gs_outputs_check(&o->outputs, why, sizeof(why)) != 0) return gs_cmd_usage_error(why);
    json_t **reports = calloc(o->ninputs ? o->ninputs : 1, sizeof(*reports));
    if (reports == NULL) {
        fprintf(stderr, "gilscope: merge: out of memory\n");
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->ninputs; i++)
        if ((reports[i] = gs_report_load(o->inputs[i], "merge")) == NULL) rc = 2;
    json_t *merged = NULL;
    if (rc == 0) {
        json_t *cl = json_array();
        for (int i = 0; i < argc; i++) json_array_append_new(cl, gs_json_path_item(argv[i]));
        char err[1024];
        merged = gs_merge(reports, o->inputs, o->ninputs, cl, err, sizeof(err));
        json_decref(cl);
        if (merged == NULL) {
            rc = 2;
            fprintf(stderr, "gilscope: merge: %s\n", err);
        }
    }
    if (merged != NULL) rc = gs_cmd_render(merged, o, gs_export_json, "merge", NULL);
    for (size_t i = 0; i < o->ninputs; i++) json_decref(reports[i]);
    free(reports);
    json_decref(merged);
    return rc;
}
