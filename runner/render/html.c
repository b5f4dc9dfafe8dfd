#include "exports.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "report_view.h"
#include "state.h"
#include "timeline.h"

/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no network). At the top the metadata (a table of sources when merged); per
 * workload: the sources side by side (merged), speedup bars with their 95%
 * interval as whiskers against the ideal, scaling curves against the ideal
 * when workers were swept, stacked thread-state bars, the recorded timelines,
 * the verdicts and the warnings. */

#define str gs_jstr
#define num gs_jnum

static void esc(FILE *f, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* One line of the scaling chart: the cells of one strategy (start method,
 * source) at each worker count, ascending. */
typedef struct series {
    json_t *key;
    json_t *pts[64];
    size_t n;
} series;

static int same_strategy(json_t *a, json_t *b) {
    return strcmp(str(a, "strategy"), str(b, "strategy")) == 0 && strcmp(str(a, "start_method"), str(b, "start_method")) == 0;
}

static int same_series(json_t *a, json_t *b) {
    return same_strategy(a, b) && strcmp(str(a, "source"), str(b, "source")) == 0;
}

static const char *series_colours[] = {"#3d7fc1", "#d1495b", "#2e9d4a", "#ed8b3a", "#7b3294", "#1b9e9e", "#8a6d1f", "#555555"};
/* In a merged report the sources of one strategy share its colour and differ by dash. */
static const char *source_dashes[] = {"none", "7,3", "2,3", "9,3,2,3", "4,4", "1,2"};

/* The colour of series k: the rank of its strategy (and start method) among
 * the distinct strategies of the series, in order of first appearance. */
static size_t strategy_index(const series *s, size_t k) {
    size_t idx = 0;
    for (size_t j = 0; j <= k; j++) {
        int first = 1;
        for (size_t i = 0; i < j && first; i++) first = !same_strategy(s[i].key, s[j].key);
        if (!first) continue;
        if (same_strategy(s[j].key, s[k].key)) return idx;
        idx++;
    }
    return idx;
}

/* The position of a cell's source among the report's sources (0 when plain). */
static size_t source_index(json_t *report, json_t *c) {
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(report, "sources"), i, src) {
        if (strcmp(str(src, "label"), str(c, "source")) == 0) return i;
    }
    return 0;
}

#define BAR_W 760
#define BAR_LEFT 230
#define BAR_ROW 24

/* The cells of one workload that a bar chart draws, in report order. */
static size_t workload_cells(json_t *report, const char *wl, const char *need, json_t **out, size_t cap) {
    size_t i, n = 0;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (n < cap && strcmp(str(c, "workload"), wl) == 0 && json_is_object(json_object_get(c, need))) out[n++] = c;
    }
    return n;
}

static void svg_open(FILE *f, int w, int h, const char *label) {
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-label=\"%s\" font-family=\"sans-serif\">\n",
            w, h, w, h, label);
}

static void row_label(FILE *f, json_t *c, int merged, int y) {
    char name[256];
    gs_view_cell_label(c, merged, name, sizeof(name));
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", BAR_LEFT - 8, y + 15);
    esc(f, name);
    fputs("</text>\n", f);
}

/* Speedup bars: one row per measured cell, the bar to the speedup, a whisker
 * over its interval, a dashed mark at the ideal. */
static void speedup_svg(FILE *f, json_t **cells, size_t n, int merged) {
    double top = 1.0;
    for (size_t i = 0; i < n; i++) {
        json_t *sp = json_object_get(cells[i], "speedup");
        double hi = gs_jhas(sp, "ci_high") ? num(sp, "ci_high") : num(sp, "value"), ideal = gs_view_ideal(cells[i]);
        if (hi > top) top = hi;
        if (ideal > top && ideal <= 64) top = ideal;
    }
    if (n == 0) return;
    int H = (int)n * BAR_ROW + 40, y = 10;
    double scale = (BAR_W - BAR_LEFT - 40) / top;
    svg_open(f, BAR_W, H, "speedups");
    for (size_t i = 0; i < n; i++) {
        json_t *c = cells[i], *sp = json_object_get(c, "speedup");
        double v = num(sp, "value"), ideal = gs_view_ideal(c);
        row_label(f, c, merged, y);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#3d7fc1\"><title>%.2f×</title></rect>\n",
                BAR_LEFT, y + 2, v * scale, v);
        if (gs_jhas(sp, "ci_low"))
            fprintf(f, "<line class=\"whisker\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#111\" stroke-width=\"1.5\"/>\n",
                    BAR_LEFT + num(sp, "ci_low") * scale, BAR_LEFT + num(sp, "ci_high") * scale, y + 10, y + 10);
        if (ideal <= top)
            fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"3,2\"><title>ideal %.0f×</title></line>\n",
                    BAR_LEFT + ideal * scale, BAR_LEFT + ideal * scale, y, y + 20, ideal);
        double end = gs_jhas(sp, "ci_high") && num(sp, "ci_high") > v ? num(sp, "ci_high") : v;
        fprintf(f, "<text x=\"%.2f\" y=\"%d\" font-size=\"11\">%.2f×</text>\n", BAR_LEFT + end * scale + 6, y + 14, v);
        y += BAR_ROW;
    }
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", BAR_LEFT, BAR_LEFT, 5, y);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">speedup against serial (bar), 95%% interval (whisker), ideal (dashed)</text>\n",
            BAR_LEFT, y + 18);
    fputs("</svg>\n", f);
}

/* Stacked thread-state bars: the share of worker-thread time in each state. */
static void states_svg(FILE *f, json_t **cells, size_t n, int merged) {
    if (n == 0) return;
    int H = (int)n * BAR_ROW + 44, y = 10;
    svg_open(f, BAR_W, H, "thread states");
    for (size_t i = 0; i < n; i++) {
        json_t *st = json_object_get(cells[i], "states");
        row_label(f, cells[i], merged, y);
        double x = BAR_LEFT, width = BAR_W - BAR_LEFT - 20;
        for (gs_state k = 0; k < GS_ST_COUNT; k++) {
            double share = num(st, gs_state_key(k));
            if (share <= 0) continue;
            fprintf(f, "<rect class=\"state\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"%s\"><title>%s %.1f%%</title></rect>\n",
                    x, y + 2, share * width, gs_state_colour(k), gs_state_label(k), share * 100);
            x += share * width;
        }
        y += BAR_ROW;
    }
    int lx = 20;
    for (gs_state k = 0; k < GS_ST_COUNT; k++, lx += 90) {
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                lx, y + 8, gs_state_colour(k), lx + 14, y + 17, gs_state_label(k));
    }
    fputs("</svg>\n", f);
}

/* The distinct core counts of the report's machines (one per source). */
static size_t core_counts(json_t *report, int *out, size_t cap) {
    size_t n = 0, i;
    json_t *src, *srcs = json_object_get(report, "sources");
    if (!json_is_array(srcs)) {
        out[0] = (int)json_integer_value(json_object_get(json_object_get(report, "metadata"), "cores"));
        return out[0] > 0;
    }
    json_array_foreach(srcs, i, src) {
        int c = (int)json_integer_value(json_object_get(json_object_get(src, "metadata"), "cores")), k = 0;
        while ((size_t)k < n && out[k] != c) k++;
        if (c > 0 && (size_t)k == n && n < cap) out[n++] = c;
    }
    return n;
}

/* A "nice" tick step (1, 2 or 5 × 10^k) giving at most 8 ticks up to top. */
static double nice_step(double top) {
    double base = pow(10, floor(log10(top > 0 ? top : 1)));
    static const double mult[] = {0.1, 0.2, 0.5, 1, 2, 5, 10};
    for (int i = 0; i < 7; i++)
        if (top / (mult[i] * base) <= 8) return mult[i] * base;
    return 10 * base;
}

/* Scaling curves: speedup against workers for each strategy swept over two
 * worker counts or more, with interval whiskers, against the ideal (speedup
 * = workers) and each machine's core count. Nothing when no sweep. */
static void scaling_svg(FILE *f, json_t *report, json_t **cells, size_t n, int merged) {
    series *s = calloc(n ? n : 1, sizeof(*s));
    size_t ns = 0, swept = 0;
    double xmax = 1, ymax = 1;
    for (size_t i = 0; s && i < n; i++) {
        json_t *c = cells[i];
        if (gs_view_is_baseline(c)) continue;
        size_t k = 0;
        while (k < ns && !same_series(s[k].key, c)) k++;
        if (k == ns) s[ns++].key = c;
        if (s[k].n < 64) s[k].pts[s[k].n++] = c;
        json_t *o = json_object_get(c, "speedup");
        double w = (double)json_integer_value(json_object_get(c, "workers"));
        double sp = gs_jhas(o, "ci_high") ? num(o, "ci_high") : num(o, "value");
        if (w > xmax) xmax = w;
        if (sp > ymax) ymax = sp;
    }
    for (size_t k = 0; k < ns; k++)
        if (s[k].n >= 2) swept++;
    if (s == NULL || swept == 0) {
        free(s);
        return;
    }
    int cores[16];
    size_t ncores = core_counts(report, cores, 16);
    for (size_t k = 0; k < ncores; k++)
        if (cores[k] > ymax && cores[k] <= xmax) ymax = cores[k];
    if (xmax > ymax) ymax = xmax < 2 * ymax ? xmax : ymax * 1.25; /* the ideal line, not the whole of it */
    ymax *= 1.08;
    const int W = BAR_W, T = 14, H = 330 > T + 8 + ((int)ns + 1) * 18 + 10 ? 330 : T + 8 + ((int)ns + 1) * 18 + 10;
    const int L = 50, R = W - 230, B = H - 44;
    double sx = (R - L) / xmax, sy = (B - T) / ymax;
#define PX(x) (L + (x) * sx)
#define PY(y) (B - (y) * sy)
    fputs("<h3>Scaling with workers</h3>\n", f);
    svg_open(f, W, H, "scaling");
    double ystep = nice_step(ymax), xstep = xmax <= 8 ? 1 : nice_step(xmax);
    for (double y = 0; y <= ymax + 1e-9; y += ystep)
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#e4e4e4\"/><text x=\"%d\" y=\"%.2f\" font-size=\"11\" text-anchor=\"end\">%g×</text>\n",
                L, R, PY(y), PY(y), L - 6, PY(y) + 4, y);
    for (double x = xstep; x <= xmax + 1e-9; x += xstep)
        fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/><text x=\"%.2f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%g</text>\n",
                PX(x), PX(x), B, B + 4, PX(x), B + 16, x);
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/><line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
            L, R, B, B, L, L, T, B);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">workers</text>\n", (L + R) / 2, B + 32);
    /* The ideal: speedup = workers, up to the top of the chart. */
    double ix = xmax < ymax ? xmax : ymax;
    fprintf(f, "<line class=\"ideal\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#888\" stroke-dasharray=\"5,3\"><title>ideal: speedup = workers</title></line>\n",
            PX(0), PY(0), PX(ix), PY(ix));
    for (size_t k = 0; k < ncores; k++)
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#b33\" stroke-dasharray=\"2,3\"/>"
                   "<text x=\"%d\" y=\"%.2f\" font-size=\"10\" fill=\"#b33\">%d cores</text>\n",
                L, R, PY(cores[k]), PY(cores[k]), L + 4, PY(cores[k]) - 3, cores[k]);
    for (size_t k = 0; k < ns; k++) {
        const char *col = series_colours[strategy_index(s, k) % 8];
        const char *dash = source_dashes[source_index(report, s[k].key) % 6];
        fprintf(f, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
                col, dash);
        for (size_t p = 0; p < s[k].n; p++) {
            json_t *c = s[k].pts[p];
            fprintf(f, "%s%.2f,%.2f", p ? " " : "", PX((double)json_integer_value(json_object_get(c, "workers"))),
                    PY(num(json_object_get(c, "speedup"), "value")));
        }
        fputs("\"/>\n", f);
        for (size_t p = 0; p < s[k].n; p++) {
            json_t *c = s[k].pts[p], *sp = json_object_get(c, "speedup");
            double x = PX((double)json_integer_value(json_object_get(c, "workers")));
            if (gs_jhas(sp, "ci_low"))
                fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", x, x,
                        PY(num(sp, "ci_low")), PY(num(sp, "ci_high")), col);
            char name[256];
            gs_view_cell_label(c, merged, name, sizeof(name));
            fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"><title>", x, PY(num(sp, "value")), col);
            esc(f, name);
            fprintf(f, ": %.2f×</title></circle>\n", num(sp, "value"));
        }
        /* The legend names the series: strategy, start method, source. */
        json_t *key = s[k].key;
        char name[256];
        gs_view_strategy_label(key, name, sizeof(name));
        int ly = T + 8 + (int)k * 18;
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">",
                R + 14, R + 34, ly, ly, col, dash, R + 40, ly + 4);
        esc(f, name);
        if (merged && *str(key, "source")) {
            fputs(" · ", f);
            esc(f, str(key, "source"));
        }
        fputs("</text>\n", f);
    }
    int ly = T + 8 + (int)ns * 18;
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"5,3\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">ideal (speedup = workers)</text>\n",
            R + 14, R + 34, ly, ly, R + 40, ly + 4);
    fputs("</svg>\n", f);
#undef PX
#undef PY
    free(s);
}

/* A merged report's workload: the sources side by side, one row per
 * (strategy, workers), each cell "speedup [interval] · wall". */
static int matrix_table(FILE *f, json_t *report, const char *wl) {
    gs_matrix m;
    if (gs_matrix_build(report, wl, &m) != 0) return -1;
    fputs("<table class=\"matrix\"><thead><tr><th>strategy</th><th>workers</th>", f);
    for (size_t k = 0; k < m.nsources; k++) {
        fputs("<th>", f);
        esc(f, m.sources[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r = 0; r < m.nrows; r++) {
        json_t *key = m.rows[r];
        char name[256];
        gs_view_strategy_label(key, name, sizeof(name));
        fputs("<tr><td>", f);
        esc(f, name);
        fprintf(f, "</td><td class=\"num\">%lld</td>", (long long)json_integer_value(json_object_get(key, "workers")));
        for (size_t k = 0; k < m.nsources; k++) {
            json_t *c = m.cells[r * m.nsources + k], *ws = json_object_get(c, "wall_s"), *sp = json_object_get(c, "speedup");
            fputs("<td class=\"num\">", f);
            if (c == NULL) fputs("—", f);
            else if (!json_is_object(ws)) esc(f, gs_view_why_unmeasured(c));
            else {
                if (json_is_object(sp)) fprintf(f, "<b>%.2f×</b>", num(sp, "value"));
                if (gs_jhas(sp, "ci_low") && !gs_view_is_baseline(c))
                    fprintf(f, " [%.2f, %.2f]", num(sp, "ci_low"), num(sp, "ci_high"));
                double w = num(ws, "median");
                fprintf(f, w < 1 ? " · %.1f ms" : " · %.3f s", w < 1 ? w * 1e3 : w);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    gs_matrix_free(&m);
    return 0;
}

/* The metadata: one line for a plain report, a table of sources when merged. */
static void header(FILE *f, json_t *report) {
    json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
    if (!gs_report_is_merged(report)) {
        fputs("<p>", f);
        esc(f, str(py, "implementation"));
        fputc(' ', f);
        esc(f, str(py, "version"));
        fprintf(f, " (%s) · %lld cores · ", json_is_true(json_object_get(py, "gil_enabled")) ? "GIL enabled" : "GIL disabled",
                (long long)json_integer_value(json_object_get(m, "cores")));
        esc(f, str(m, "cpu_model"));
        fprintf(f, " · %lld runs + %lld warm-up per cell · ", (long long)json_integer_value(json_object_get(m, "runs")),
                (long long)json_integer_value(json_object_get(m, "warmup")));
        esc(f, str(m, "start_time"));
        fputs("</p>\n", f);
        return;
    }
    fprintf(f, "<p>%zu reports merged at ", json_array_size(json_object_get(report, "sources")));
    esc(f, str(m, "merged_at"));
    fputs(".</p>\n<table class=\"sources\"><thead><tr><th>source</th><th>interpreter</th><th>GIL</th><th>cores</th>"
          "<th>CPU</th><th>host</th><th>runs per cell</th><th>started</th></tr></thead><tbody>\n",
          f);
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(report, "sources"), i, src) {
        json_t *sm = json_object_get(src, "metadata"), *spy = json_object_get(sm, "python");
        const char *cols[] = {str(src, "label"), str(spy, "implementation"), str(spy, "version")};
        fputs("<tr><td>", f);
        esc(f, cols[0]);
        fputs("</td><td>", f);
        esc(f, cols[1]);
        fputc(' ', f);
        esc(f, cols[2]);
        fprintf(f, "</td><td>%s</td><td class=\"num\">%lld</td><td>",
                json_is_true(json_object_get(spy, "gil_enabled")) ? "enabled" : "disabled",
                (long long)json_integer_value(json_object_get(sm, "cores")));
        esc(f, str(sm, "cpu_model"));
        fputs("</td><td>", f);
        esc(f, str(sm, "hostname"));
        fprintf(f, "</td><td class=\"num\">%lld + %lld warm-up</td><td>", (long long)json_integer_value(json_object_get(sm, "runs")),
                (long long)json_integer_value(json_object_get(sm, "warmup")));
        esc(f, str(sm, "start_time"));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* " (SOURCE)" after a verdict or warning of a merged report. */
static void source_tag(FILE *f, json_t *x) {
    if (!json_is_string(json_object_get(x, "source"))) return;
    fputs(" (", f);
    esc(f, str(x, "source"));
    fputc(')', f);
}

/* The warnings of a workload, or of the machine when wl is NULL, as a list. */
static void warnings(FILE *f, json_t *report, const char *wl) {
    size_t k, n = 0;
    json_t *x;
    json_array_foreach(json_object_get(report, "warnings"), k, x) {
        if (wl ? strcmp(str(x, "workload"), wl) != 0 : strcmp(str(x, "scope"), "machine") != 0) continue;
        fputs(n++ ? "<li>" : "<ul class=\"warn\"><li>", f);
        fputs("warning", f);
        source_tag(f, x);
        fputs(": ", f);
        esc(f, str(x, "message"));
        fputs("</li>\n", f);
    }
    if (n) fputs("</ul>\n", f);
}

static int workload_section(json_t *report, const char *name, FILE *f) {
    int merged = gs_report_is_merged(report);
    json_t *w = gs_view_workload(report, name), *x;
    size_t k;
    fputs("<h2>", f);
    esc(f, name);
    if (json_is_string(json_object_get(w, "description"))) {
        fputs(" — ", f);
        esc(f, str(w, "description"));
    }
    fputs("</h2>\n", f);
    json_array_foreach(json_object_get(report, "workloads"), k, x) {
        if (strcmp(str(x, "name"), name) != 0 || !json_is_string(json_object_get(x, "error"))) continue;
        fputs("<p class=\"warn\">Failed", f);
        source_tag(f, x);
        fputs(": ", f);
        esc(f, str(x, "error"));
        fputs("</p>\n", f);
    }
    if (json_is_string(json_object_get(w, "error"))) return 0;
    if (merged && matrix_table(f, report, name) != 0) return -1;
    size_t ncells = json_array_size(json_object_get(report, "cells"));
    json_t **cells = calloc(ncells ? ncells : 1, sizeof(*cells));
    if (cells == NULL) return -1;
    size_t n = workload_cells(report, name, "speedup", cells, ncells);
    if (n) fputs("<h3>Speedup against serial</h3>\n", f);
    speedup_svg(f, cells, n, merged);
    scaling_svg(f, report, cells, n, merged);
    n = workload_cells(report, name, "states", cells, ncells);
    if (n) fputs("<h3>Where the worker threads' time went</h3>\n", f);
    states_svg(f, cells, n, merged);
    free(cells);
    json_array_foreach(json_object_get(report, "verdicts"), k, x) {
        if (strcmp(str(x, "workload"), name)) continue;
        fputs("<p class=\"verdict\"><b>Verdict", f);
        source_tag(f, x);
        fputs(":</b> ", f);
        esc(f, str(x, "reason"));
        fputs("</p>\n", f);
    }
    warnings(f, report, name);
    return gs_timeline_write_report(f, report, name, 0) < 0 ? -1 : 0;
}

int gs_export_html(json_t *report, FILE *f) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gilscope report</title>\n"
          "<style>body{font-family:sans-serif;margin:2em;max-width:64em;color:#222}h2{margin-top:2em}"
          "h3{font-size:1em;margin:1.2em 0 .2em}"
          ".verdict{background:#f2f7f2;padding:.6em;border-left:4px solid #2e9d4a}.warn{color:#a33}"
          "svg{display:block;margin:.5em 0;max-width:100%;height:auto}"
          "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
          "td.num{text-align:right}</style></head><body>\n<h1>gilscope report</h1>\n",
          f);
    header(f, report);
    warnings(f, report, NULL);
    if (gs_view_each_workload(report, f, workload_section) != 0) return -1;
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
