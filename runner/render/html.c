#include "exports.h"
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "shortfall.h"
#include "report_view.h"
#include "tabwriter.h"
#include "state.h"
#include "timeline.h"

/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no network). At the top the metadata (a table of sources when merged); per
 * workload: the sources side by side (merged), speedup bars with their 95%
 * interval as whiskers against the ideal, scaling curves against the ideal
 * when workers were swept (html_scaling.c), stacked thread-state bars, the
 * lost time of each parallel cell by cause, the recorded timelines, the
 * verdicts and the warnings; a plain report's table of numbers first. */

#define str gs_jstr
#define num gs_jnum

/* gs__html_esc as a lesson's text writer. */
static void html_text(FILE *f, const char *s, const void *ctx) {
    (void)ctx;
    gs__html_esc(f, s);
}

void gs__html_esc(FILE *f, const char *s) {
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

#define BAR_W GS__HTML_CHART_W
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

void gs__html_svg_open(FILE *f, int w, int h, const char *label) {
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-label=\"%s\" font-family=\"sans-serif\">\n",
            w, h, w, h, label);
}

static void row_label(FILE *f, json_t *c, int merged, int y) {
    char name[256];
    gs_view_cell_label(c, merged, name, sizeof(name));
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", BAR_LEFT - 8, y + 15);
    gs__html_esc(f, name);
    fputs("</text>\n", f);
}

/* The speedup axis below the bars: a tick and a label "N×" every step,
 * step a 1/2/5 × 10^k chosen for 3 to 8 ticks over [0, top]. */
static void speedup_axis(FILE *f, double top, double scale, int y) {
    static const double mult[] = {1, 2, 5};
    double step = 0.1;
    for (double base = 0.1; base < 1e6 && step * 8 < top; base *= 10)
        for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
            if (mult[i] * base * 8 >= top) {
                step = mult[i] * base;
                goto found;
            }
found:
    if (step * 8 < top) step = top / 8; /* beyond a million (a report edited by hand): plain eighths */
    for (int k = 0; k <= 10 && k * step <= top * 1.0001; k++) {
        double x = BAR_LEFT + k * step * scale;
        fprintf(f, "<line class=\"tick\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
                   "<text class=\"tick\" x=\"%.2f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%g×</text>\n",
                x, x, y, y + 4, x, y + 14, k * step);
    }
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
    int H = (int)n * BAR_ROW + 56, y = 10;
    double scale = (BAR_W - BAR_LEFT - 40) / top;
    gs__html_svg_open(f, BAR_W, H, "speedups");
    for (size_t i = 0; i < n; i++) {
        json_t *c = cells[i], *sp = json_object_get(c, "speedup");
        double v = num(sp, "value"), ideal = gs_view_ideal(c);
        char value[64];
        gs_view_fmt_speedup(c, 0, value, sizeof(value));
        row_label(f, c, merged, y);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#3d7fc1\"><title>%s</title></rect>\n",
                BAR_LEFT, y + 2, v * scale, value);
        if (gs_jhas(sp, "ci_low"))
            fprintf(f, "<line class=\"whisker\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#111\" stroke-width=\"1.5\"/>\n",
                    BAR_LEFT + num(sp, "ci_low") * scale, BAR_LEFT + num(sp, "ci_high") * scale, y + 10, y + 10);
        if (ideal <= top)
            fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"3,2\"><title>ideal %.0f×</title></line>\n",
                    BAR_LEFT + ideal * scale, BAR_LEFT + ideal * scale, y, y + 20, ideal);
        double end = gs_jhas(sp, "ci_high") && num(sp, "ci_high") > v ? num(sp, "ci_high") : v;
        fprintf(f, "<text x=\"%.2f\" y=\"%d\" font-size=\"11\">%s</text>\n", BAR_LEFT + end * scale + 6, y + 14, value);
        y += BAR_ROW;
    }
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", BAR_LEFT, BAR_LEFT, 5, y);
    fprintf(f, "<line x1=\"%d\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", BAR_LEFT, BAR_LEFT + top * scale, y, y);
    speedup_axis(f, top, scale, y);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">speedup against serial (bar), 95%% interval (whisker), ideal (dashed)</text>\n",
            BAR_LEFT, y + 34);
    fputs("</svg>\n", f);
}

/* Stacked thread-state bars: the share of worker-thread time in each state. */
static void states_svg(FILE *f, json_t **cells, size_t n, int merged) {
    if (n == 0) return;
    int H = (int)n * BAR_ROW + 44, y = 10;
    gs__html_svg_open(f, BAR_W, H, "thread states");
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

/* Where the lost time went: per parallel cell that lost time against the
 * speedup possible on this machine, one bar as long as its median wall time,
 * the ideal time first (grey), then each cause's lost seconds in its colour;
 * one scale for every bar. */
static void shortfall_svg(FILE *f, json_t **cells, size_t n, int merged) {
    double top = 0;
    size_t shown = 0;
    int used[GS_LOSS_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        json_t *sf = json_object_get(cells[i], "shortfall"), *p;
        size_t k;
        if (num(sf, "lost_s") <= 0) continue;
        shown++;
        if (num(sf, "wall_s") > top) top = num(sf, "wall_s");
        json_array_foreach(json_object_get(sf, "parts"), k, p) {
            int l = gs_loss_from_key(str(p, "cause"));
            if (l >= 0 && num(p, "s") > 0) used[l] = 1;
        }
    }
    if (shown == 0 || top <= 0) return;
    fputs("<h3>Where the lost time went</h3>\n", f);
    int H = (int)shown * BAR_ROW + 64, y = 10;
    double scale = (BAR_W - BAR_LEFT - 130) / top;
    gs__html_svg_open(f, BAR_W, H, "lost time by cause");
    for (size_t i = 0; i < n; i++) {
        json_t *sf = json_object_get(cells[i], "shortfall"), *p;
        size_t k;
        if (num(sf, "lost_s") <= 0) continue;
        char ideal[32], wall[32];
        gs_view_fmt_time(num(sf, "ideal_s"), GS_TIME_AUTO, ideal, sizeof(ideal));
        gs_view_fmt_time(num(sf, "wall_s"), GS_TIME_AUTO, wall, sizeof(wall));
        row_label(f, cells[i], merged, y);
        double x = BAR_LEFT;
        fprintf(f, "<rect class=\"ideal\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#d8e2ee\">"
                   "<title>ideal %s (%.2g× possible)</title></rect>\n",
                x, y + 2, num(sf, "ideal_s") * scale, ideal, num(sf, "possible"));
        x += num(sf, "ideal_s") * scale;
        json_array_foreach(json_object_get(sf, "parts"), k, p) {
            int l = gs_loss_from_key(str(p, "cause"));
            if (l < 0 || num(p, "s") <= 0) continue;
            char t[32];
            gs_view_fmt_time(num(p, "s"), GS_TIME_AUTO, t, sizeof(t));
            fprintf(f, "<rect class=\"loss\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"%s\">"
                       "<title>%s: %s (%.0f%% of the lost time)</title></rect>\n",
                    x, y + 2, num(p, "s") * scale, gs_loss_colour((gs_loss)l), gs_loss_label((gs_loss)l), t,
                    100 * num(p, "share"));
            x += num(p, "s") * scale;
        }
        fprintf(f, "<text x=\"%.2f\" y=\"%d\" font-size=\"11\">%s, ideal %s</text>\n", x + 6, y + 14, wall, ideal);
        y += BAR_ROW;
    }
    int lx = 20, ly = y + 8;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#d8e2ee\"/>"
               "<text x=\"%d\" y=\"%d\" font-size=\"11\">ideal</text>\n",
            lx, ly, lx + 14, ly + 9);
    lx += 60;
    for (gs_loss l = 0; l < GS_LOSS_COUNT; l++) {
        if (!used[l]) continue;
        int w = 14 + 6 * (int)strlen(gs_loss_brief(l)) + 16;
        if (lx + w > BAR_W) lx = 20, ly += 16;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                lx, ly, gs_loss_colour(l), lx + 14, ly + 9, gs_loss_brief(l));
        lx += w;
    }
    fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"11\">median wall time: the ideal at the speedup this machine "
               "allows, then the lost time by cause</text>\n",
            ly + 30);
    fputs("</svg>\n", f);
}

/* An experiment's figures: a heading naming the run, the table, the sentence. */
static void measured_table(const gs_view_measured *m, void *arg) {
    FILE *f = arg;
    const gs_tab *t = m->tab;
    fputs("<h3>Figures (", f);
    gs__html_esc(f, m->title);
    fputs(")</h3>\n<div class=\"wrap\"><table class=\"numbers measured\"><thead><tr>", f);
    for (size_t k = 0; k < t->ncols; k++) {
        fputs("<th>", f);
        gs__html_esc(f, t->head[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("<tr>", f);
        for (size_t k = 0; k < t->ncols; k++) {
            fputs("<td class=\"num\">", f);
            gs__html_esc(f, t->cells[r * t->ncols + k]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    if (m->explanation) {
        fputs("<p class=\"verdict\">", f);
        gs__html_esc(f, m->explanation);
        fputs("</p>\n", f);
    }
}

/* A plain report's workload: the numbers the terminal table shows, one row
 * per cell (report/view.c's columns). */
static void numbers_table(FILE *f, json_t *report, const char *wl) {
    size_t i;
    json_t *c;
    fputs("<div class=\"wrap\"><table class=\"numbers\"><thead><tr>", f);
    for (int k = 0; k < GS_NUM_COUNT; k++) {
        fputs("<th>", f);
        gs__html_esc(f, gs_view_num_head((gs_num_col)k));
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    json_t *cells = json_object_get(report, "cells");
    for (i = 0; i < json_array_size(cells); i++) {
        c = json_array_get(cells, i);
        if (strcmp(str(c, "workload"), wl) != 0) continue;
        char v[GS_NUM_COUNT][GS_NUM_CAP];
        int measured = gs_view_num_row(report, c, v);
        i += gs_view_row_span(cells, i, v[GS_NUM_WORKERS], sizeof(v[0])) - 1;
        fputs("<tr>", f);
        for (int k = 0; k < GS_NUM_COUNT; k++) {
            if (!measured && k == GS_NUM_WALL) {
                fprintf(f, "<td class=\"why\" colspan=\"%d\">", GS_NUM_COUNT - k);
                gs__html_esc(f, json_is_false(json_object_get(c, "available")) ? "unavailable: " : "");
                gs__html_esc(f, v[k]);
                fputs("</td>", f);
                break;
            }
            fputs(gs_view_num_right((gs_num_col)k) ? "<td class=\"num\">" : "<td>", f);
            /* An interval on a line of its own under its figure, so the table fits. */
            char *ci = strstr(v[k], " [");
            if (ci) *ci = '\0';
            gs__html_esc(f, v[k]);
            if (ci) {
                fputs("<br><span class=\"ci\">", f);
                gs__html_esc(f, ci + 1);
                fputs("</span>", f);
            }
            if (k == GS_NUM_WALL && json_is_string(json_object_get(c, "error"))) {
                fputs(" <span class=\"warn\">— ", f);
                gs__html_esc(f, str(c, "error"));
                fputs("</span>", f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
}

/* A merged report's workload: the sources side by side, one row per
 * (strategy, workers), each cell "speedup [interval] · wall". */
static int matrix_table(FILE *f, json_t *report, const char *wl) {
    gs_matrix m;
    if (gs_matrix_build(report, wl, &m) != 0) return -1;
    fputs("<table class=\"matrix\"><thead><tr><th>strategy</th><th>workers</th>", f);
    for (size_t k = 0; k < m.nsources; k++) {
        fputs("<th>", f);
        gs__html_esc(f, m.sources[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r = 0; r < m.nrows; r++) {
        json_t *key = m.rows[r];
        char name[256];
        gs_matrix_row_label(&m, r, name, sizeof(name));
        fputs("<tr><td>", f);
        gs__html_esc(f, name);
        fprintf(f, "</td><td class=\"num\">%lld</td>", (long long)json_integer_value(json_object_get(key, "workers")));
        for (size_t k = 0; k < m.nsources; k++) {
            char entry[256];
            gs_matrix_fmt_entry(report, m.cells[r * m.nsources + k], entry, sizeof(entry));
            fputs("<td class=\"num\">", f);
            gs__html_esc(f, entry);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    for (size_t r = 0; r < m.nrows; r++) {
        char note[512];
        if (gs_matrix_fmt_start_methods(&m, r, note, sizeof(note)) == 0 &&
            (r == 0 || strcmp(str(m.rows[r], "strategy"), str(m.rows[r - 1], "strategy")) != 0)) {
            fputs("<p>", f);
            gs__html_esc(f, note);
            fputs("</p>\n", f);
        }
    }
    json_t *reasons = gs_matrix_reasons(&m), *l;
    size_t i;
    json_array_foreach(reasons, i, l) {
        fputs(i ? "<li>" : "<ul class=\"why\"><li>", f);
        gs__html_esc(f, json_string_value(json_object_get(l, "text")));
        fputs("</li>\n", f);
    }
    if (json_array_size(reasons)) fputs("</ul>\n", f);
    json_decref(reasons);
    gs_matrix_free(&m);
    return 0;
}

/* The metadata: one line for a plain report, a table of sources when merged. */
static void header(FILE *f, json_t *report) {
    json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
    if (!gs_report_is_merged(report)) {
        fputs("<p>", f);
        gs__html_esc(f, str(py, "implementation"));
        fputc(' ', f);
        gs__html_esc(f, str(py, "version"));
        fprintf(f, " (%s) · %lld cores · ", gs_view_gil(py),
                (long long)json_integer_value(json_object_get(m, "cores")));
        gs__html_esc(f, str(m, "cpu_model"));
        fprintf(f, " · %lld runs + %lld warm-up per cell · ", (long long)json_integer_value(json_object_get(m, "runs")),
                (long long)json_integer_value(json_object_get(m, "warmup")));
        gs__html_esc(f, str(m, "start_time"));
        fputs("</p>\n", f);
        return;
    }
    fprintf(f, "<p>%zu reports merged at ", json_array_size(json_object_get(report, "sources")));
    gs__html_esc(f, str(m, "merged_at"));
    fputs(".</p>\n<table class=\"sources\"><thead><tr><th>source</th><th>interpreter</th><th>GIL</th><th>cores</th>"
          "<th>CPU</th><th>host</th><th>runs per cell</th><th>started</th></tr></thead><tbody>\n",
          f);
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(report, "sources"), i, src) {
        json_t *sm = json_object_get(src, "metadata"), *spy = json_object_get(sm, "python");
        const char *cols[] = {str(src, "label"), str(spy, "implementation"), str(spy, "version")};
        fputs("<tr><td>", f);
        gs__html_esc(f, cols[0]);
        fputs("</td><td>", f);
        gs__html_esc(f, cols[1]);
        fputc(' ', f);
        gs__html_esc(f, cols[2]);
        fprintf(f, "</td><td>%s</td><td class=\"num\">%lld</td><td>", gs_view_gil(spy),
                (long long)json_integer_value(json_object_get(sm, "cores")));
        gs__html_esc(f, str(sm, "cpu_model"));
        fputs("</td><td>", f);
        gs__html_esc(f, str(sm, "hostname"));
        fprintf(f, "</td><td class=\"num\">%lld + %lld warm-up</td><td>", (long long)json_integer_value(json_object_get(sm, "runs")),
                (long long)json_integer_value(json_object_get(sm, "warmup")));
        gs__html_esc(f, str(sm, "start_time"));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* " (SOURCE)" after a verdict or warning of a merged report. */
static void source_tag(FILE *f, json_t *x) {
    if (!json_is_string(json_object_get(x, "source"))) return;
    fputs(" (", f);
    gs__html_esc(f, str(x, "source"));
    fputc(')', f);
}

/* The warnings of a workload, or of the machine when wl is NULL, as a list. */
static void warnings(FILE *f, json_t *report, const char *wl) {
    size_t k, n = 0;
    json_t *x;
    json_array_foreach(json_object_get(report, "warnings"), k, x) {
        if (!gs_view_warning_of(x, wl)) continue;
        fputs(n++ ? "<li>" : "<ul class=\"warn\"><li>", f);
        fputs("warning", f);
        source_tag(f, x);
        fputs(": ", f);
        gs__html_esc(f, str(x, "message"));
        fputs("</li>\n", f);
    }
    if (n) fputs("</ul>\n", f);
}

/* One ranking of a cell's profile (by_own or by_cumulative) as a table. */
static void profile_table(FILE *f, json_t *p, const char *key, const char *title) {
    json_t *e;
    size_t i;
    fprintf(f, "<table class=\"numbers\"><tr><th>%s</th><th>calls</th><th>own</th><th>cumulative</th></tr>\n", title);
    json_array_foreach(json_object_get(p, key), i, e) {
        if (i >= 10) break;
        char own[32], cum[32];
        gs_view_fmt_time(gs_jnum(e, "own_s"), gs_view_time_unit(gs_jnum(e, "own_s")), own, sizeof(own));
        gs_view_fmt_time(gs_jnum(e, "cumulative_s"), gs_view_time_unit(gs_jnum(e, "cumulative_s")), cum, sizeof(cum));
        fputs("<tr><td><code>", f);
        gs__html_esc(f, str(e, "function"));
        fprintf(f, "</code></td><td class=\"num\">%lld</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                (long long)json_integer_value(json_object_get(e, "calls")), own, cum);
    }
    fputs("</table>\n", f);
}

/* Process pools whose tasks and results cost something to send as pickles. */
static void transfers(FILE *f, json_t *report, const char *name) {
    json_t *c;
    size_t i;
    char label[64], text[512];
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (strcmp(str(c, "workload"), name) != 0 || gs_view_fmt_transfer(report, c, text, sizeof(text)) != 1) continue;
        gs_view_cell_label(c, 1, label, sizeof(label));
        fputs("<p><b>Transfer", f);
        fputs("</b> (", f);
        gs__html_esc(f, label);
        fputs("; tasks and results as pickles, measured after the window): ", f);
        gs__html_esc(f, text);
        fputs("</p>\n", f);
    }
}

/* --profile: per cell, what was profiled and its top functions. */
static void profiles(FILE *f, json_t *report, const char *name) {
    json_t *c;
    size_t i;
    int header = 0;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *p = gs_view_profile(c);
        if (p == NULL || strcmp(str(c, "workload"), name) != 0) continue;
        if (!header) {
            fputs("<h3>Profiles (one extra run per cell under cProfile; wall time per function)</h3>\n", f);
            header = 1;
        }
        char label[64];
        gs_view_cell_label(c, 1, label, sizeof(label));
        fputs("<p><b>", f);
        gs__html_esc(f, label);
        fputs("</b>: ", f);
        gs__html_esc(f, str(p, "scope"));
        fputs("</p>\n<div class=\"wrap\">", f);
        profile_table(f, p, "by_own", "by own time");
        profile_table(f, p, "by_cumulative", "by cumulative time");
        fputs("</div>\n", f);
    }
}

static int workload_section(json_t *report, const char *name, FILE *f) {
    int merged = gs_report_is_merged(report);
    json_t *w = gs_view_workload(report, name), *x;
    size_t k;
    fputs("<h2>", f);
    gs__html_esc(f, name);
    if (json_is_string(json_object_get(w, "description"))) {
        fputs(" — ", f);
        gs__html_esc(f, str(w, "description"));
    }
    fputs("</h2>\n", f);
    json_array_foreach(json_object_get(report, "workloads"), k, x) {
        if (strcmp(str(x, "name"), name) != 0 || !json_is_string(json_object_get(x, "error"))) continue;
        fputs("<p class=\"warn\">Failed", f);
        source_tag(f, x);
        fputs(": ", f);
        gs__html_esc(f, str(x, "error"));
        fputs("</p>\n", f);
    }
    if (json_is_string(json_object_get(w, "error"))) return 0;
    if (merged && matrix_table(f, report, name) != 0) return -1;
    if (!merged) numbers_table(f, report, name);
    gs_view_each_measured(report, name, measured_table, f);
    size_t ncells = json_array_size(json_object_get(report, "cells"));
    json_t **cells = calloc(ncells ? ncells : 1, sizeof(*cells));
    if (cells == NULL) return -1;
    size_t n = workload_cells(report, name, "speedup", cells, ncells);
    if (n) fputs("<h3>Speedup against serial</h3>\n", f);
    speedup_svg(f, cells, n, merged);
    gs__html_scaling_svg(f, report, cells, n, merged);
    n = workload_cells(report, name, "states", cells, ncells);
    if (n) fputs("<h3>Where the worker threads' time went</h3>\n", f);
    states_svg(f, cells, n, merged);
    n = workload_cells(report, name, "shortfall", cells, ncells);
    shortfall_svg(f, cells, n, merged);
    free(cells);
    json_array_foreach(json_object_get(report, "verdicts"), k, x) {
        if (strcmp(str(x, "workload"), name)) continue;
        fputs("<p class=\"verdict\"><b>Verdict", f);
        source_tag(f, x);
        fputs(":</b> ", f);
        char line[4096];
        gs_view_fmt_verdict(x, 0, line, sizeof(line));
        gs__html_esc(f, line);
        fputs("</p>\n", f);
    }
    char changes[2048];
    if (merged && gs_view_fmt_changes(report, name, changes, sizeof(changes)) == 0) {
        fputs("<p class=\"verdict\"><b>Between sources:</b> ", f);
        gs__html_esc(f, changes);
        fputs("</p>\n", f);
    }
    warnings(f, report, name);
    transfers(f, report, name);
    profiles(f, report, name);
    return gs_timeline_write_report(f, report, name, 0) < 0 ? -1 : 0;
}

int gs_export_html(json_t *report, FILE *f) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gilscope report</title>\n"
          "<style>body{font-family:sans-serif;margin:2em;max-width:64em;color:#222}h2{margin-top:2em}"
          "h3{font-size:1em;margin:1.2em 0 .2em}"
          ".verdict{background:#f2f7f2;padding:.6em;border-left:4px solid #2e9d4a}.warn{color:#a33}"
          "svg{display:block;margin:.5em 0;max-width:100%;height:auto}"
          "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
          "td.num{text-align:right;white-space:nowrap}td.why{color:#666}.wrap{overflow-x:auto}"
          "table.numbers{font-size:.85em}.ci{color:#555;font-size:.9em}"
          ".lesson{font-size:1.15em;line-height:1.5;background:#f5f7fb;padding:.2em 1em;border-left:4px solid #3a6ea5}.lesson h2{margin-top:.6em}</style></head><body>\n<h1>gilscope report</h1>\n",
          f);
    header(f, report);
    static const gs_view_lesson_markup lesson = {"<section class=\"lesson\"><h2>Lesson: ", "</h2>\n", "<p>", "</p>\n",
                                                 "</section>\n", html_text, html_text, NULL};
    gs_view_write_lesson(f, report, &lesson);
    warnings(f, report, NULL);
    if (gs_view_each_workload(report, f, workload_section) != 0) return -1;
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
