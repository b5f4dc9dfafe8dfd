#include "export_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tabwriter.h"

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static int present(json_t *o, const char *k) { return json_is_number(json_object_get(o, k)); }

/* "%.9g" of a number field, or "" when it is null. */
static void fmt_num(char *buf, size_t cap, json_t *o, const char *k) {
    if (present(o, k)) snprintf(buf, cap, "%.9g", num(o, k));
    else buf[0] = '\0';
}

static void fmt_time(char *buf, size_t cap, double s) {
    if (s < 1.0) snprintf(buf, cap, "%.1f ms", s * 1e3);
    else snprintf(buf, cap, "%.3f s", s);
}

static void cell_label(json_t *c, char *buf, size_t cap) {
    const char *sm = json_string_value(json_object_get(c, "start_method"));
    if (sm && strcmp(str(c, "strategy"), "processes") == 0) snprintf(buf, cap, "processes/%s", sm);
    else snprintf(buf, cap, "%s", str(c, "strategy"));
}

static int md_workload(json_t *report, json_t *w, FILE *f) {
    const char *name = str(w, "name");
    fprintf(f, "\n### %s", name);
    if (json_is_string(json_object_get(w, "description"))) fprintf(f, " — %s", str(w, "description"));
    fprintf(f, "\n\n");
    if (json_is_string(json_object_get(w, "error"))) {
        fprintf(f, "**Failed:** %s\n", str(w, "error"));
        return 0;
    }
    static const char *head[] = {"strategy", "workers", "wall (median [CI])", "speedup [95% CI]", "CPU",
                                 "cores used", "on CPU", "GIL wait", "peak RSS", "pool start-up"};
    static const int right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    gs_tab t;
    if (gs_tab_init(&t, 10, head, right) != 0) return -1;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (strcmp(str(c, "workload"), name) != 0) continue;
        char label[64], workers[16], wall[1200] = "", sp[64] = "", cpu[32] = "", cores[16] = "", oncpu[16] = "",
             gil[16] = "", rss[32] = "", pool[32] = "—";
        cell_label(c, label, sizeof(label));
        snprintf(workers, sizeof(workers), "%lld", (long long)json_integer_value(json_object_get(c, "workers")));
        json_t *ws = json_object_get(c, "wall_s");
        if (!json_is_object(ws)) {
            const char *why = json_is_string(json_object_get(c, "unavailable_reason")) ? str(c, "unavailable_reason")
                              : json_is_string(json_object_get(c, "error"))            ? str(c, "error")
                                                                                        : "not measured";
            snprintf(wall, sizeof(wall), "%s", why);
        } else {
            char m[32], a[32], b[32];
            fmt_time(m, sizeof(m), num(ws, "median"));
            fmt_time(a, sizeof(a), num(ws, "ci_low"));
            fmt_time(b, sizeof(b), num(ws, "ci_high"));
            snprintf(wall, sizeof(wall), "%s [%s, %s]", m, a, b);
            json_t *s = json_object_get(c, "speedup");
            if (strcmp(str(c, "strategy"), "serial") == 0) snprintf(sp, sizeof(sp), "1.00×");
            else if (json_is_object(s) && present(s, "ci_low"))
                snprintf(sp, sizeof(sp), "%.2f× [%.2f, %.2f]", num(s, "value"), num(s, "ci_low"), num(s, "ci_high"));
            else if (json_is_object(s)) snprintf(sp, sizeof(sp), "%.2f×", num(s, "value"));
            fmt_time(cpu, sizeof(cpu), num(c, "cpu_s"));
            snprintf(cores, sizeof(cores), "%.2f", num(c, "cores_used"));
            json_t *st = json_object_get(c, "states");
            if (json_is_object(st)) {
                snprintf(oncpu, sizeof(oncpu), "%.0f%%", 100 * num(st, "on_cpu"));
                snprintf(gil, sizeof(gil), "%.0f%%", 100 * num(st, "wait_gil"));
            }
            snprintf(rss, sizeof(rss), "%.1f MiB", num(c, "peak_rss_bytes") / 1048576.0);
            if (present(c, "pool_startup_s")) snprintf(pool, sizeof(pool), "%.1f ms", num(c, "pool_startup_s") * 1e3);
            if (json_is_string(json_object_get(c, "error"))) {
                size_t n = strlen(wall);
                snprintf(wall + n, sizeof(wall) - n, " — %s", str(c, "error"));
            }
        }
        const char *row[] = {label, workers, wall, sp, cpu, cores, oncpu, gil, rss, pool};
        gs_tab_add(&t, row);
    }
    int rc = gs_tab_write_markdown(&t, f);
    gs_tab_free(&t);
    json_array_foreach(json_object_get(report, "verdicts"), i, c) {
        if (strcmp(str(c, "workload"), name) != 0) continue;
        json_t *best = json_object_get(c, "best");
        char label[64];
        cell_label(best, label, sizeof(label));
        fprintf(f, "\n**Verdict:** %s%s", json_array_size(json_object_get(c, "tie")) ? "a tie between " : "", label);
        if (strcmp(label, "serial") != 0) fprintf(f, " × %lld", (long long)json_integer_value(json_object_get(best, "workers")));
        size_t k;
        json_t *tc;
        json_array_foreach(json_object_get(c, "tie"), k, tc) {
            cell_label(tc, label, sizeof(label));
            fprintf(f, "%s%s × %lld", k + 1 == json_array_size(json_object_get(c, "tie")) ? " and " : ", ", label,
                    (long long)json_integer_value(json_object_get(tc, "workers")));
        }
        if (present(best, "ci_low") && strcmp(str(best, "strategy"), "serial") != 0)
            fprintf(f, ", %.2f× [%.2f, %.2f]", num(best, "speedup"), num(best, "ci_low"), num(best, "ci_high"));
        fprintf(f, " — %s\n", str(c, "reason"));
    }
    json_array_foreach(json_object_get(report, "warnings"), i, c) {
        if (strcmp(str(c, "workload"), name) == 0) fprintf(f, "\n> warning: %s", str(c, "message"));
    }
    fputc('\n', f);
    return rc;
}

int gs_export_markdown(json_t *report, FILE *f) {
    json_t *m = json_object_get(report, "metadata");
    json_t *py = json_object_get(m, "python");
    fprintf(f, "## gilscope report\n\n%s %s (%s) · %lld cores · %s · %lld runs + %lld warm-up per cell, interleaved · %s\n",
            str(py, "implementation"), str(py, "version"),
            json_is_true(json_object_get(py, "gil_enabled")) ? "GIL enabled" : "GIL disabled",
            (long long)json_integer_value(json_object_get(m, "cores")), str(m, "cpu_model"),
            (long long)json_integer_value(json_object_get(m, "runs")),
            (long long)json_integer_value(json_object_get(m, "warmup")), str(m, "start_time"));
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(report, "warnings"), i, w) {
        if (strcmp(str(w, "scope"), "machine") == 0) fprintf(f, "\n> warning: %s\n", str(w, "message"));
    }
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (md_workload(report, w, f) != 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}

int gs_export_csv(json_t *report, FILE *f) {
    static const char *head[] = {"workload", "strategy", "workers", "start_method", "runs_ok", "runs_failed",
                                 "wall_median_s", "wall_ci_low_s", "wall_ci_high_s", "wall_ci_level", "speedup",
                                 "speedup_ci_low", "speedup_ci_high", "cpu_s", "cores_used", "on_cpu", "wait_core",
                                 "wait_gil", "wait_lock", "wait_io", "sleep", "idle", "other", "peak_rss_bytes",
                                 "pool_startup_s", "per_task_s", "error"};
    enum { N = sizeof(head) / sizeof(head[0]) };
    gs_tab t;
    if (gs_tab_init(&t, N, head, NULL) != 0) return -1;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        char v[N][64];
        memset(v, 0, sizeof(v));
        snprintf(v[0], 64, "%s", str(c, "workload"));
        snprintf(v[1], 64, "%s", str(c, "strategy"));
        snprintf(v[2], 64, "%lld", (long long)json_integer_value(json_object_get(c, "workers")));
        snprintf(v[3], 64, "%s", str(c, "start_method"));
        snprintf(v[4], 64, "%lld", (long long)json_integer_value(json_object_get(c, "runs_ok")));
        snprintf(v[5], 64, "%lld", (long long)json_integer_value(json_object_get(c, "runs_failed")));
        json_t *ws = json_object_get(c, "wall_s");
        fmt_num(v[6], 64, ws, "median");
        fmt_num(v[7], 64, ws, "ci_low");
        fmt_num(v[8], 64, ws, "ci_high");
        fmt_num(v[9], 64, ws, "ci_level");
        json_t *sp = json_object_get(c, "speedup");
        fmt_num(v[10], 64, sp, "value");
        fmt_num(v[11], 64, sp, "ci_low");
        fmt_num(v[12], 64, sp, "ci_high");
        fmt_num(v[13], 64, c, "cpu_s");
        fmt_num(v[14], 64, c, "cores_used");
        static const char *states[] = {"on_cpu", "wait_core", "wait_gil", "wait_lock", "wait_io", "sleep", "idle", "other"};
        for (int k = 0; k < 8; k++) fmt_num(v[15 + k], 64, json_object_get(c, "states"), states[k]);
        fmt_num(v[23], 64, c, "peak_rss_bytes");
        fmt_num(v[24], 64, c, "pool_startup_s");
        fmt_num(v[25], 64, c, "per_task_s");
        const char *row[N];
        for (int k = 0; k < N - 1; k++) row[k] = v[k];
        row[N - 1] = str(c, "error");
        gs_tab_add(&t, row);
    }
    int rc = gs_tab_write_csv(&t, f);
    gs_tab_free(&t);
    return rc;
}

int gs_export_to(json_t *report, int (*writer)(json_t *, FILE *), const char *path, const char *flag, char *err,
                 size_t errlen) {
    if (strcmp(path, "-") == 0) {
        if (writer(report, stdout) != 0 || fflush(stdout) != 0) {
            snprintf(err, errlen, "%s: cannot write to stdout: %s", flag, strerror(errno));
            return -1;
        }
        return 0;
    }
    struct stat st;
    int special = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
    char tmp[4096];
    if (!special && snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", flag);
        return -1;
    }
    FILE *f = fopen(special ? path : tmp, "we");
    int ok = f != NULL && writer(report, f) == 0 && fflush(f) == 0;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok && !special) ok = rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        if (!special) unlink(tmp);
        return -1;
    }
    return 0;
}
