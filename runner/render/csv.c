#include "exports.h"

#include <stdio.h>
#include <string.h>

#include "report_view.h"
#include "state.h"
#include "tabwriter.h"

#define str gs_jstr
#define num gs_jnum
#define present gs_jhas

/* "%.9g" of a number field, or "" when it is null. */
static void fmt_num(char *buf, size_t cap, json_t *o, const char *k) {
    if (present(o, k)) snprintf(buf, cap, "%.9g", num(o, k));
    else buf[0] = '\0';
}

/* "%lld" of an integer field, or "" when it is not one. */
static void fmt_int(char *buf, size_t cap, json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    if (json_is_integer(v)) snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
    else buf[0] = '\0';
}

/* The CSV's columns: these, then one per thread state, then TAIL (new
 * columns go last, so existing ones keep their positions). */
static const char *const csv_head[] = {"workload", "strategy", "workers", "start_method", "runs_ok", "runs_failed",
                                       "wall_median_s", "wall_ci_low_s", "wall_ci_high_s", "wall_ci_level", "speedup",
                                       "speedup_ci_low", "speedup_ci_high", "cpu_s", "cores_used"};
static const char *const csv_tail[] = {"peak_rss_bytes", "pool_startup_s", "per_task_s", "error",   "source",
                                       "tasks",          "size",           "interpreter", "pool_start_method",
                                       "gil",            "chunksize"};
enum {
    CSV_HEAD = sizeof(csv_head) / sizeof(csv_head[0]),
    CSV_TAIL = sizeof(csv_tail) / sizeof(csv_tail[0]),
    CSV_N = CSV_HEAD + GS_ST_COUNT + CSV_TAIL
};

/* The workload entry of cell c (of its source in a merged report). */
static json_t *workload_of(json_t *report, json_t *c) {
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (strcmp(str(w, "name"), str(c, "workload")) == 0 && strcmp(str(w, "source"), str(c, "source")) == 0) return w;
    }
    return NULL;
}

int gs_export_csv(json_t *report, FILE *f) {
    const char *head[CSV_N];
    for (size_t k = 0; k < CSV_N; k++)
        head[k] = k < CSV_HEAD                 ? csv_head[k]
                  : k < CSV_HEAD + GS_ST_COUNT ? gs_state_key((gs_state)(k - CSV_HEAD))
                                               : csv_tail[k - CSV_HEAD - GS_ST_COUNT];
    gs_tab t;
    if (gs_tab_init(&t, CSV_N, head, NULL) != 0) return -1;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        char v[CSV_N][64];
        memset(v, 0, sizeof(v));
        const char *row[CSV_N];
        for (size_t k = 0; k < CSV_N; k++) row[k] = v[k];
        size_t k = 0;
        row[k++] = str(c, "workload");
        row[k++] = str(c, "strategy");
        snprintf(v[k++], 64, "%lld", (long long)json_integer_value(json_object_get(c, "workers")));
        row[k++] = str(c, "start_method");
        snprintf(v[k++], 64, "%lld", (long long)json_integer_value(json_object_get(c, "runs_ok")));
        snprintf(v[k++], 64, "%lld", (long long)json_integer_value(json_object_get(c, "runs_failed")));
        json_t *ws = json_object_get(c, "wall_s");
        fmt_num(v[k++], 64, ws, "median");
        fmt_num(v[k++], 64, ws, "ci_low");
        fmt_num(v[k++], 64, ws, "ci_high");
        fmt_num(v[k++], 64, ws, "ci_level");
        json_t *sp = json_object_get(c, "speedup");
        fmt_num(v[k++], 64, sp, "value");
        fmt_num(v[k++], 64, sp, "ci_low");
        fmt_num(v[k++], 64, sp, "ci_high");
        fmt_num(v[k++], 64, c, "cpu_s");
        fmt_num(v[k++], 64, c, "cores_used");
        for (gs_state st = 0; st < GS_ST_COUNT; st++) fmt_num(v[k++], 64, json_object_get(c, "states"), gs_state_key(st));
        fmt_num(v[k++], 64, c, "peak_rss_bytes");
        fmt_num(v[k++], 64, c, "pool_startup_s");
        fmt_num(v[k++], 64, c, "per_task_s");
        row[k++] = str(c, "error");
        row[k++] = str(c, "source");
        json_t *m = gs_view_metadata_of(report, c), *w = workload_of(report, c);
        fmt_int(v[k++], 64, m, "tasks");
        fmt_int(v[k++], 64, w != NULL && !json_is_string(json_object_get(w, "error")) ? w : NULL, "size");
        gs_view_interpreter(m, v[k++], 64);
        row[k++] = gs_view_pool_start_method(m);
        row[k++] = gs_view_gil(json_object_get(m, "python"));
        fmt_int(v[k++], 64, c, "chunksize");
        gs_tab_add(&t, row);
    }
    int rc = gs_tab_write_csv(&t, f);
    gs_tab_free(&t);
    return rc;
}
