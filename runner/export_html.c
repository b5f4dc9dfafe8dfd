#include "export_text.h"

#include <stdio.h>
#include <string.h>

/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no network). Per workload: speedup bars with their 95% interval as
 * whiskers against the ideal, stacked thread-state bars, the verdict and the
 * warnings; the metadata at the top. */

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

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

static void label(json_t *c, char *buf, size_t cap) {
    const char *sm = json_string_value(json_object_get(c, "start_method"));
    if (strcmp(str(c, "strategy"), "serial") == 0) snprintf(buf, cap, "serial");
    else if (sm && strcmp(str(c, "strategy"), "processes") == 0)
        snprintf(buf, cap, "processes/%s × %lld", sm, (long long)json_integer_value(json_object_get(c, "workers")));
    else snprintf(buf, cap, "%s × %lld", str(c, "strategy"), (long long)json_integer_value(json_object_get(c, "workers")));
}

static const char *state_keys[] = {"on_cpu", "wait_core", "wait_gil", "wait_lock", "wait_io", "sleep", "idle", "other"};
static const char *state_names[] = {"on CPU", "core wait", "GIL wait", "lock wait", "I/O wait", "sleep", "idle", "other"};
static const char *state_colours[] = {"#2e9d4a", "#c9b037", "#d1495b", "#ed8b3a", "#3d7fc1", "#9cc3e6", "#dddddd", "#8a8a8a"};

/* Speedup bars: one row per measured cell, the bar to the speedup, a whisker
 * over its interval, a dashed mark at the ideal min(workers, cores). */
static void speedup_svg(FILE *f, json_t *report, const char *wl, int cores) {
    size_t i, n = 0;
    json_t *c;
    double top = 1.0;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *sp = json_object_get(c, "speedup");
        if (strcmp(str(c, "workload"), wl) || !json_is_object(sp)) continue;
        n++;
        double hi = json_is_number(json_object_get(sp, "ci_high")) ? num(sp, "ci_high") : num(sp, "value");
        double w = (double)json_integer_value(json_object_get(c, "workers"));
        double ideal = strcmp(str(c, "strategy"), "serial") == 0 ? 1.0 : w;
        if (hi > top) top = hi;
        if (ideal > top && ideal <= 64) top = ideal;
    }
    (void)cores;
    if (n == 0) return;
    int W = 760, left = 190, row = 24, H = (int)n * row + 40;
    double scale = (W - left - 40) / top;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"speedups\">\n", W, H);
    int y = 10;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *sp = json_object_get(c, "speedup");
        if (strcmp(str(c, "workload"), wl) || !json_is_object(sp)) continue;
        char name[96];
        label(c, name, sizeof(name));
        double v = num(sp, "value");
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", left - 8, y + 15);
        esc(f, name);
        fprintf(f, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#3d7fc1\"><title>%.2f×</title></rect>\n",
                left, y + 2, v * scale, v);
        if (json_is_number(json_object_get(sp, "ci_low")))
            fprintf(f, "<line class=\"whisker\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#111\" stroke-width=\"1.5\"/>\n",
                    left + num(sp, "ci_low") * scale, left + num(sp, "ci_high") * scale, y + 10, y + 10);
        double w = (double)json_integer_value(json_object_get(c, "workers"));
        double ideal = strcmp(str(c, "strategy"), "serial") == 0 ? 1.0 : w;
        if (ideal <= top)
            fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"3,2\"><title>ideal %.0f×</title></line>\n",
                    left + ideal * scale, left + ideal * scale, y, y + 20, ideal);
        fprintf(f, "<text x=\"%.2f\" y=\"%d\" font-size=\"11\">%.2f×</text>\n", left + v * scale + 6, y + 14, v);
        y += row;
    }
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", left, left, 5, y);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">speedup against serial (bar), 95%% interval (whisker), ideal (dashed)</text>\n",
            left, y + 18);
    fputs("</svg>\n", f);
}

/* Stacked thread-state bars: the share of worker-thread time in each state. */
static void states_svg(FILE *f, json_t *report, const char *wl) {
    size_t i, n = 0;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c)
        if (!strcmp(str(c, "workload"), wl) && json_is_object(json_object_get(c, "states"))) n++;
    if (n == 0) return;
    int W = 760, left = 190, row = 24, H = (int)n * row + 44;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"thread states\">\n", W, H);
    int y = 10;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        json_t *st = json_object_get(c, "states");
        if (strcmp(str(c, "workload"), wl) || !json_is_object(st)) continue;
        char name[96];
        label(c, name, sizeof(name));
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", left - 8, y + 15);
        esc(f, name);
        fputs("</text>\n", f);
        double x = left, width = W - left - 20;
        for (int k = 0; k < 8; k++) {
            double share = num(st, state_keys[k]);
            if (share <= 0) continue;
            fprintf(f, "<rect class=\"state\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"%s\"><title>%s %.1f%%</title></rect>\n",
                    x, y + 2, share * width, state_colours[k], state_names[k], share * 100);
            x += share * width;
        }
        y += row;
    }
    for (int k = 0, lx = left; k < 8; k++, lx += 68) {
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                lx, y + 8, state_colours[k], lx + 14, y + 17, state_names[k]);
    }
    fputs("</svg>\n", f);
}

int gs_export_html(json_t *report, FILE *f) {
    json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
    int cores = (int)json_integer_value(json_object_get(m, "cores"));
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gilscope report</title>\n"
          "<style>body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}h2{margin-top:2em}"
          ".verdict{background:#f2f7f2;padding:.6em;border-left:4px solid #2e9d4a}.warn{color:#a33}"
          "svg{display:block;margin:.5em 0}</style></head><body>\n<h1>gilscope report</h1>\n<p>", f);
    esc(f, str(py, "implementation"));
    fputc(' ', f);
    esc(f, str(py, "version"));
    fprintf(f, " (%s) · %d cores · ", json_is_true(json_object_get(py, "gil_enabled")) ? "GIL enabled" : "GIL disabled", cores);
    esc(f, str(m, "cpu_model"));
    fprintf(f, " · %lld runs + %lld warm-up per cell · ", (long long)json_integer_value(json_object_get(m, "runs")),
            (long long)json_integer_value(json_object_get(m, "warmup")));
    esc(f, str(m, "start_time"));
    fputs("</p>\n", f);
    size_t i, k;
    json_t *w, *x;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        const char *name = str(w, "name");
        fputs("<h2>", f);
        esc(f, name);
        if (json_is_string(json_object_get(w, "description"))) {
            fputs(" — ", f);
            esc(f, str(w, "description"));
        }
        fputs("</h2>\n", f);
        if (json_is_string(json_object_get(w, "error"))) {
            fputs("<p class=\"warn\">Failed: ", f);
            esc(f, str(w, "error"));
            fputs("</p>\n", f);
            continue;
        }
        speedup_svg(f, report, name, cores);
        states_svg(f, report, name);
        json_array_foreach(json_object_get(report, "verdicts"), k, x) {
            if (strcmp(str(x, "workload"), name)) continue;
            fputs("<p class=\"verdict\"><b>Verdict:</b> ", f);
            esc(f, str(x, "reason"));
            fputs("</p>\n", f);
        }
        json_array_foreach(json_object_get(report, "warnings"), k, x) {
            if (strcmp(str(x, "workload"), name)) continue;
            fputs("<p class=\"warn\">warning: ", f);
            esc(f, str(x, "message"));
            fputs("</p>\n", f);
        }
    }
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
