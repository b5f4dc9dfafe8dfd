#include "exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "report_view.h"
#include "state.h"
#include "tabwriter.h"

#define str gs_jstr
#define num gs_jnum


/* Warnings as one quoted list: those of a workload, or of the machine when
 * workload is NULL. */
static void md_warnings(json_t *report, const char *workload, FILE *f) {
    size_t i, n = 0;
    json_t *c;
    json_array_foreach(json_object_get(report, "warnings"), i, c) {
        if (!gs_view_warning_of(c, workload)) continue;
        if (n++ == 0) fputs("\n> **Warnings**\n", f);
        if (json_is_string(json_object_get(c, "source"))) fprintf(f, "> - (%s) %s\n", str(c, "source"), str(c, "message"));
        else fprintf(f, "> - %s\n", str(c, "message"));
    }
}

/* An experiment's figures: which run they come from, the table, the sentence. */
static void md_measured(const gs_view_measured *m, void *arg) {
    FILE *f = arg;
    fprintf(f, "\n**Figures** (%s):\n\n", m->title);
    gs_tab_write_markdown(m->tab, f);
    if (m->explanation) fprintf(f, "\n%s\n", m->explanation);
}

/* The verdicts and warnings of one workload (of every source), under its table. */
static void md_verdicts(json_t *report, const char *name, FILE *f) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "verdicts"), i, c) {
        if (strcmp(str(c, "workload"), name) != 0) continue;
        char line[4096];
        gs_view_fmt_verdict(c, 0, line, sizeof(line));
        fprintf(f, "\n**Verdict");
        if (json_is_string(json_object_get(c, "source"))) fprintf(f, " (%s)", str(c, "source"));
        fprintf(f, ":** %s\n", line);
    }
    md_warnings(report, name, f);
    fputc('\n', f);
}

/* A merged report's workload: one row per (strategy, workers), one column per
 * source with the speedup, its interval and the median wall time. */
static int md_matrix(json_t *report, const char *name, FILE *f) {
    gs_matrix m;
    if (gs_matrix_build(report, name, &m) != 0) return -1;
    size_t ncol = 2 + m.nsources;
    const char **head = calloc(ncol, sizeof(*head)), **cols = calloc(ncol, sizeof(*cols));
    int *right = calloc(ncol, sizeof(*right));
    char(*v)[200] = calloc(ncol, sizeof(*v));
    gs_tab t;
    int rc = -1;
    if (head == NULL || cols == NULL || right == NULL || v == NULL) goto out;
    head[0] = "strategy";
    head[1] = "workers";
    right[1] = 1;
    for (size_t k = 0; k < m.nsources; k++) head[2 + k] = m.sources[k], right[2 + k] = 1;
    if (gs_tab_init(&t, ncol, head, right) != 0) goto out;
    for (size_t k = 0; k < ncol; k++) cols[k] = v[k];
    for (size_t r = 0; r < m.nrows; r++) {
        gs_matrix_row_label(&m, r, v[0], sizeof(v[0]));
        snprintf(v[1], sizeof(v[1]), "%lld", (long long)json_integer_value(json_object_get(m.rows[r], "workers")));
        for (size_t k = 0; k < m.nsources; k++) {
            gs_matrix_fmt_entry(report, m.cells[r * m.nsources + k], v[2 + k], sizeof(v[0]));
            gs_utf8_trim(v[2 + k]);
        }
        gs_tab_add(&t, cols);
    }
    rc = gs_tab_write_markdown(&t, f);
    gs_tab_free(&t);
    for (size_t r = 0; r < m.nrows; r++) {
        char note[512];
        if (gs_matrix_fmt_start_methods(&m, r, note, sizeof(note)) == 0 &&
            (r == 0 || strcmp(json_string_value(json_object_get(m.rows[r], "strategy")),
                              json_string_value(json_object_get(m.rows[r - 1], "strategy"))) != 0))
            fprintf(f, "\n%s\n", note);
    }
    json_t *reasons = gs_matrix_reasons(&m), *l;
    size_t i;
    json_array_foreach(reasons, i, l) fprintf(f, "%s- %s\n", i ? "" : "\n", json_string_value(json_object_get(l, "text")));
    json_decref(reasons);
out:
    free(head);
    free(cols);
    free(right);
    free(v);
    gs_matrix_free(&m);
    return rc;
}

static int md_workload(json_t *report, const char *name, FILE *f) {
    json_t *w = gs_view_workload(report, name);
    char title[1024], sizes[1024];
    gs_view_workload_title(w, title, sizeof(title));
    gs_view_workload_sizes(report, name, sizes, sizeof(sizes));
    fprintf(f, "\n### %s\n\n", title);
    if (*sizes) fprintf(f, "%s\n\n", sizes);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "workloads"), i, c) {
        if (strcmp(str(c, "name"), name) != 0 || !json_is_string(json_object_get(c, "error"))) continue;
        if (json_is_string(json_object_get(c, "source"))) fprintf(f, "**Failed (%s):** %s\n\n", str(c, "source"), str(c, "error"));
        else fprintf(f, "**Failed:** %s\n", str(c, "error"));
    }
    if (json_is_string(json_object_get(w, "error"))) return 0;
    if (gs_report_is_merged(report)) {
        int rc = md_matrix(report, name, f);
        char changes[2048];
        if (gs_view_fmt_changes(report, name, changes, sizeof(changes)) == 0)
            fprintf(f, "\n**Between sources:** %s\n", changes);
        gs_view_each_measured(report, name, md_measured, f);
        md_verdicts(report, name, f);
        return rc;
    }
    const char *head[GS_NUM_COUNT];
    int right[GS_NUM_COUNT];
    for (int k = 0; k < GS_NUM_COUNT; k++) head[k] = gs_view_num_head((gs_num_col)k), right[k] = gs_view_num_right((gs_num_col)k);
    gs_tab t;
    if (gs_tab_init(&t, GS_NUM_COUNT, head, right) != 0) return -1;
    json_t *cells = json_object_get(report, "cells");
    for (i = 0; i < json_array_size(cells); i++) {
        c = json_array_get(cells, i);
        if (strcmp(str(c, "workload"), name) != 0) continue;
        char v[GS_NUM_COUNT][GS_NUM_CAP], wall[1200];
        const char *row[GS_NUM_COUNT];
        gs_view_num_row(report, c, v);
        i += gs_view_row_span(cells, i, v[GS_NUM_WORKERS], sizeof(v[0])) - 1;
        for (int k = 0; k < GS_NUM_COUNT; k++) row[k] = v[k];
        /* A measured cell that failed: its error after the wall time. */
        if (json_is_object(json_object_get(c, "wall_s")) && json_is_string(json_object_get(c, "error"))) {
            snprintf(wall, sizeof(wall), "%s — %s", v[GS_NUM_WALL], str(c, "error"));
            gs_utf8_trim(wall);
            row[GS_NUM_WALL] = wall;
        }
        gs_tab_add(&t, row);
    }
    int rc = gs_tab_write_markdown(&t, f);
    gs_tab_free(&t);
    gs_view_each_measured(report, name, md_measured, f);
    md_verdicts(report, name, f);
    return rc;
}

/* A merged report's sources: one row each, with the metadata that tells the
 * machines and interpreters apart. */
static int md_sources(json_t *report, FILE *f) {
    static const char *head[] = {"source", "interpreter", "GIL", "cores", "CPU", "host", "runs per cell", "started"};
    static const int right[] = {0, 0, 0, 1, 0, 0, 1, 0};
    gs_tab t;
    if (gs_tab_init(&t, 8, head, right) != 0) return -1;
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(report, "sources"), i, src) {
        json_t *m = json_object_get(src, "metadata"), *py = json_object_get(m, "python");
        char interp[128], cores[16], runs[48];
        snprintf(interp, sizeof(interp), "%s %s", str(py, "implementation"), str(py, "version"));
        snprintf(cores, sizeof(cores), "%lld", (long long)json_integer_value(json_object_get(m, "cores")));
        snprintf(runs, sizeof(runs), "%lld + %lld warm-up", (long long)json_integer_value(json_object_get(m, "runs")),
                 (long long)json_integer_value(json_object_get(m, "warmup")));
        const char *row[] = {str(src, "label"), interp,
                             gs_view_gil(py), cores,
                             str(m, "cpu_model"), str(m, "hostname"), runs, str(m, "start_time")};
        gs_tab_add(&t, row);
    }
    int rc = gs_tab_write_markdown(&t, f);
    gs_tab_free(&t);
    return rc;
}

/* Writes prose as Markdown text: the characters that would start emphasis,
 * code, a link or HTML are escaped (__slots__ stays __slots__). */
static void md_prose(FILE *f, const char *s) {
    for (; *s; s++) {
        if (strchr("\\`*_[]<>", *s)) fputc('\\', f);
        fputc(*s, f);
    }
}

/* md_prose as a lesson's text writer. */
static void md_text(FILE *f, const char *s, const void *ctx) {
    (void)ctx;
    md_prose(f, s);
}

int gs_export_markdown(json_t *report, FILE *f) {
    json_t *m = json_object_get(report, "metadata");
    json_t *py = json_object_get(m, "python");
    if (gs_report_is_merged(report)) {
        fprintf(f, "## gilscope report — %zu sources merged\n\n", json_array_size(json_object_get(report, "sources")));
        if (md_sources(report, f) != 0) return -1;
    } else {
        char cores[128];
        gs_view_fmt_cores(m, cores, sizeof(cores));
        fprintf(f, "## gilscope report\n\n%s %s (%s) · %s · %s · %lld runs + %lld warm-up per cell, interleaved · %s\n",
                str(py, "implementation"), str(py, "version"), gs_view_gil(py), cores, str(m, "cpu_model"),
                (long long)json_integer_value(json_object_get(m, "runs")),
                (long long)json_integer_value(json_object_get(m, "warmup")), str(m, "start_time"));
    }
    static const gs_view_lesson_markup lesson = {"\n### Lesson: ", "\n", "\n", "\n", "", md_text, md_text, NULL};
    gs_view_write_lesson(f, report, &lesson);
    md_warnings(report, NULL, f);
    return gs_view_each_workload(report, f, md_workload) != 0 || ferror(f) ? -1 : 0;
}
