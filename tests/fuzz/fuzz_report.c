/* libFuzzer target: the report loader and every renderer on arbitrary JSON.
 * `gilscope report`, `merge` and `compare` read files anyone can edit: a
 * report that parses and passes the loader's checks (gs_report_accept) must
 * render through every exporter and the terminal table without a crash, a
 * leak or undefined behaviour, however odd its fields (missing, of the wrong
 * type, out of range). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exports.h"
#include "report.h"
#include "report_view.h"
#include "table.h"

static int render_workload(json_t *report, const char *name, FILE *f) {
    gs_table_style narrow = {1, 40, 0, 1}, wide = {0, 200, 1, 0};
    gs_table_workload(f, report, name, &narrow);
    gs_table_workload(f, report, name, &wide);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_error_t err;
    json_t *report = json_loadb((const char *)data, size, 0, &err);
    if (report == NULL) return 0;
    char msg[1024];
    if (gs_report_accept(report, "report", "fuzz", msg, sizeof(msg)) == 0) {
        FILE *f = fopen("/dev/null", "w");
        if (f == NULL) abort();
        for (int e = 0; e < GS_EXPORT_COUNT; e++) {
            const gs_exporter *x = gs_exporter_get((gs_export)e);
            if (x) x->write(report, f);
        }
        gs_table_style st = {0, 80, 0, 0};
        gs_table_header(f, report, &st);
        gs_view_each_workload(report, f, render_workload);
        gs_table_warnings(f, report, NULL, &st);
        fclose(f);
    }
    json_decref(report);
    return 0;
}
