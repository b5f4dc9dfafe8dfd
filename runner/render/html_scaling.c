#include "html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_view.h"

/* The HTML report's scaling chart (html.h). */

#define str gs_jstr
#define num gs_jnum

/* One line of the scaling chart: the cells of one strategy (start method,
 * chunk size, source) at each worker count, ascending. */
typedef struct series {
    json_t *key;
    json_t *pts[64];
    size_t n;
} series;

static int same_strategy(json_t *report, json_t *a, json_t *b) {
    return strcmp(str(a, "strategy"), str(b, "strategy")) == 0 &&
           strcmp(str(a, "start_method"), str(b, "start_method")) == 0 && gs_view_same_chunk_series(report, a, b);
}

static int same_series(json_t *report, json_t *a, json_t *b) {
    return same_strategy(report, a, b) && strcmp(str(a, "source"), str(b, "source")) == 0;
}

static const char *series_colours[] = {"#3d7fc1", "#d1495b", "#2e9d4a", "#ed8b3a", "#7b3294", "#1b9e9e", "#8a6d1f", "#555555"};
/* In a merged report the sources of one strategy share its colour and differ by dash. */
static const char *source_dashes[] = {"none", "7,3", "2,3", "9,3,2,3", "4,4", "1,2"};

/* The colour of series k: the rank of its strategy (and start method) among
 * the distinct strategies of the series, in order of first appearance. */
static size_t strategy_index(json_t *report, const series *s, size_t k) {
    size_t idx = 0;
    for (size_t j = 0; j <= k; j++) {
        int first = 1;
        for (size_t i = 0; i < j && first; i++) first = !same_strategy(report, s[i].key, s[j].key);
        if (!first) continue;
        if (same_strategy(report, s[j].key, s[k].key)) return idx;
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

void gs__html_scaling_svg(FILE *f, json_t *report, json_t **cells, size_t n, int merged) {
    series *s = calloc(n ? n : 1, sizeof(*s));
    size_t ns = 0, swept = 0;
    double xmax = 1, ymax = 1;
    for (size_t i = 0; s && i < n; i++) {
        json_t *c = cells[i];
        if (gs_view_is_baseline(c)) continue;
        size_t k = 0;
        while (k < ns && !same_series(report, s[k].key, c)) k++;
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
    const int W = GS__HTML_CHART_W, T = 14, H = 330 > T + 8 + ((int)ns + 1) * 18 + 10 ? 330 : T + 8 + ((int)ns + 1) * 18 + 10;
    const int L = 50, R = W - 230, B = H - 44;
    double sx = (R - L) / xmax, sy = (B - T) / ymax;
#define PX(x) (L + (x) * sx)
#define PY(y) (B - (y) * sy)
    fputs("<h3>Scaling with workers</h3>\n", f);
    gs__html_svg_open(f, W, H, "scaling");
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
        const char *col = series_colours[strategy_index(report, s, k) % 8];
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
            char name[256], value[64];
            gs_view_cell_label(c, merged, name, sizeof(name));
            gs_view_fmt_speedup(c, 0, value, sizeof(value));
            fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"><title>", x, PY(num(sp, "value")), col);
            gs__html_esc(f, name);
            fprintf(f, ": %s</title></circle>\n", value);
        }
        /* The legend names the series: strategy, start method, source. */
        json_t *key = s[k].key;
        char name[256];
        gs_view_strategy_label(key, name, sizeof(name));
        int ly = T + 8 + (int)k * 18;
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">",
                R + 14, R + 34, ly, ly, col, dash, R + 40, ly + 4);
        gs__html_esc(f, name);
        if (merged && *str(key, "source")) {
            fputs(" · ", f);
            gs__html_esc(f, str(key, "source"));
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
