#include "cmd.h"

#include <stdio.h>

#include "compare.h"
#include "report.h"

/* gilscope compare BASE.json NEW.json: the CI gate (compare.h). */
int gs_cmd_compare(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    json_t *base = gs_report_load(o->report_file, "compare");
    if (base == NULL) return 2;
    json_t *next = gs_report_load(o->compare_new, "compare");
    if (next == NULL) {
        json_decref(base);
        return 2;
    }
    gs_compare_opts opts = {o->fail_above, o->fail_speedup};
    char why[512] = "";
    int rc = gs_compare(base, next, &opts, 1, stdout, stderr, why, sizeof(why));
    if (rc == 2) fprintf(stderr, "gilscope: compare: %s\n", why);
    json_decref(base);
    json_decref(next);
    if (fflush(stdout) != 0 && rc == 0) rc = 1;
    return rc;
}
