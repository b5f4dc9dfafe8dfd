#include "timeline.h"

#include "exports.h"

#include "report_view.h"

#include <stdlib.h>
#include <string.h>

/* Layout, in SVG user units (pixels). The label column holds the lane labels;
 * the plot runs from PLOT_X0 to PLOT_X1, leaving room on the right for the
 * last tick label. */
#define DOC_W 1000
#define MARGIN 10
#define PLOT_X0 160.0
#define PLOT_X1 970.0
#define HEADING_H 34   /* the heading line */
#define LEGEND_H 28    /* the legend row, with the space below it */
#define TITLE_H 22     /* a panel's title line */
#define LANE_H 18      /* one lane */
#define LANE_PITCH 22  /* one lane and the gap below it */
#define AXIS_H 26      /* a panel's time axis and its labels */
#define PANEL_GAP 14   /* the space between two panels */
#define MIN_SEG_W 0.2  /* the narrowest segment drawn, so short GIL hand-offs show */


/* A formatted number; returned by value so it can sit inside a printf call. */
typedef struct num {
    char s[32];
} num;

/* v with two decimals ("12.50", "-0.25"), by integer arithmetic so that no
 * locale's decimal comma can reach the document. */
static num fixed2(double v) {
    num n;
    const char *sign = v < 0 ? "-" : "";
    double a = v < 0 ? -v : v;
    unsigned long long c = (unsigned long long)(a * 100.0 + 0.5);
    snprintf(n.s, sizeof n.s, "%s%llu.%02llu", sign, c / 100, c % 100);
    return n;
}

/* ns as milliseconds with three decimals ("12.345"), rounded to the microsecond. */
static num ms3(uint64_t ns) {
    num n;
    unsigned long long us = (unsigned long long)((ns + 500) / 1000);
    snprintf(n.s, sizeof n.s, "%llu.%03llu", us / 1000, us % 1000);
    return n;
}

/* ns as milliseconds with no trailing zeros ("20", "0.5", "0.002"). */
static num ms_short(uint64_t ns) {
    num n;
    unsigned long long whole = ns / 1000000, frac = ns % 1000000;
    int len = snprintf(n.s, sizeof n.s, "%llu.%06llu", whole, frac);
    while (len > 0 && n.s[len - 1] == '0') n.s[--len] = '\0';
    if (len > 0 && n.s[len - 1] == '.') n.s[--len] = '\0';
    return n;
}

/* Length of the well-formed UTF-8 sequence at p (1 to 4), or 0 when the bytes
 * there are not one (a stray continuation byte, an overlong form, a surrogate,
 * a code point above U+10FFFF, or a truncated sequence). */
static size_t utf8_len(const unsigned char *p) {
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)) return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)) return 0;
    return n;
}

/* Writes s as XML character data, safe in both text and attribute values:
 * markup characters become entities, control characters that XML 1.0 forbids
 * become '?', and bytes that are not well-formed UTF-8 become U+FFFD. A NULL s
 * writes nothing. */
static void put_text(FILE *f, const char *s) {
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_len(p);
        if (*p == '&') fputs("&amp;", f);
        else if (*p == '<') fputs("&lt;", f);
        else if (*p == '>') fputs("&gt;", f);
        else if (*p == '"') fputs("&quot;", f);
        else if (*p == '\'') fputs("&apos;", f);
        else if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') fputc('?', f);
        else if (n == 0) fputs("\xEF\xBF\xBD", f);
        else fwrite(p, 1, n, f);
        p += n ? n : 1;
    }
}

static const char *colour_of(unsigned state) { return gs_state_colour((gs_state)state); }

/* The tick step in nanoseconds: the smallest 1, 2 or 5 × 10^k that gives at
 * most 8 ticks from 0 to span inclusive. Since consecutive steps differ by at
 * most 2.5 times, a span of at least 3 ns gets 4 ticks or more. */
static uint64_t tick_step(uint64_t span) {
    static const uint64_t mult[3] = {1, 2, 5};
    for (uint64_t base = 1;; base *= 10)
        for (int i = 0; i < 3; i++)
            if (span / (mult[i] * base) + 1 <= 8) return mult[i] * base;
}

/* The x coordinate of the time offset dt (ns) in a window of span ns. */
static double x_of(uint64_t dt, uint64_t span) {
    return PLOT_X0 + (PLOT_X1 - PLOT_X0) * ((double)dt / (double)(span ? span : 1));
}

static long panel_height(const gs_timeline_panel *p) {
    long rows = p->nlanes ? (long)p->nlanes : 1;
    return TITLE_H + rows * LANE_PITCH + AXIS_H + PANEL_GAP;
}

/* The legend: one swatch and label per state, in one row (the labels are short
 * enough to fit the width). */
static void write_legend(FILE *f, long y) {
    double x = MARGIN;
    fprintf(f, "<g class=\"legend\">\n");
    for (int s = 0; s < GS_ST_COUNT; s++) {
        const char *label = gs_state_label((gs_state)s);
        fprintf(f, "<rect x=\"%s\" y=\"%ld\" width=\"12\" height=\"12\" fill=\"%s\"/>", fixed2(x).s,
                y, gs_state_colour((gs_state)s));
        fprintf(f, "<text x=\"%s\" y=\"%ld\">", fixed2(x + 17).s, y + 10);
        put_text(f, label);
        fputs("</text>\n", f);
        x += 17 + 6.5 * (double)strlen(label) + 20;
    }
    fprintf(f, "</g>\n");
}

static uint64_t window_of(const gs_timeline_panel *p) { return p->t1_ns > p->t0_ns ? p->t1_ns - p->t0_ns : 0; }

/* The panel's axis: its own window, or the longer one it shares. */
static uint64_t axis_of(const gs_timeline_panel *p) {
    uint64_t w = window_of(p);
    return p->axis_ns > w ? p->axis_ns : w;
}

/* What lane i of p is, for people: lanes of several processes are pool
 * workers ("worker process 2", numbered by process); lanes of one process
 * are its "main thread" (tid == pid) and its "worker thread 1", 2, ... */
static void lane_label(const gs_timeline_panel *p, size_t i, char *buf, size_t cap) {
    const gs_lane *l = &p->lanes[i];
    int processes = 0, k = 0;
    for (size_t j = 0; j < p->nlanes; j++) processes |= p->lanes[j].pid != p->lanes[0].pid;
    if (processes) {
        for (size_t j = 0; j <= i; j++) {
            int first = 1; /* the first lane of its process counts the process */
            for (size_t m = 0; m < j; m++) first &= p->lanes[m].pid != p->lanes[j].pid;
            k += first;
        }
        snprintf(buf, cap, "worker process %d%s", k, l->tid == l->pid ? "" : " · thread");
        return;
    }
    if (l->tid == l->pid) {
        snprintf(buf, cap, "main thread");
        return;
    }
    for (size_t j = 0; j <= i; j++) k += p->lanes[j].tid != p->lanes[j].pid;
    snprintf(buf, cap, "worker thread %d", k);
}

/* A lane's label (pid and tid in its tooltip) and background; the segments
 * come later, above the grid. */
static void write_lane_base(FILE *f, const gs_timeline_panel *p, size_t i, long y) {
    const gs_lane *l = &p->lanes[i];
    char label[64];
    lane_label(p, i, label, sizeof(label));
    fprintf(f, "<text x=\"%d\" y=\"%ld\"><title>pid %ld \xC2\xB7 tid %ld</title>%s</text>", MARGIN, y + 13,
            (long)l->pid, (long)l->tid, label);
    fprintf(f, "<rect x=\"%s\" y=\"%ld\" width=\"%s\" height=\"%d\" fill=\"#f3f3f3\"/>\n", fixed2(PLOT_X0).s,
            y, fixed2(x_of(window_of(p), axis_of(p)) - PLOT_X0).s, LANE_H);
}

/* One segment: a rect clipped to the window (span ns from t0), drawn on an
 * axis of axis ns, at least MIN_SEG_W wide and kept inside the plot, with a
 * tooltip giving its state and times from t0. */
static void write_segment(FILE *f, const gs_segment *g, uint64_t t0, uint64_t span, uint64_t axis, long y) {
    uint64_t a = g->t0_ns > t0 ? g->t0_ns - t0 : 0, b = g->t1_ns > t0 ? g->t1_ns - t0 : 0;
    if (a > span) a = span;
    if (b < a) b = a;
    if (b > span) b = span;
    double x = x_of(a, axis), w = x_of(b, axis) - x;
    if (w < MIN_SEG_W) w = MIN_SEG_W;
    if (x + w > PLOT_X1) x = PLOT_X1 - w;
    fprintf(f, "<rect class=\"seg\" x=\"%s\" y=\"%ld\" width=\"%s\" height=\"%d\" fill=\"%s\"><title>",
            fixed2(x).s, y, fixed2(w).s, LANE_H, colour_of(g->state));
    put_text(f, gs_state_label((gs_state)g->state));
    fprintf(f, " %s\xE2\x80\x93%s ms</title></rect>\n", ms3(a).s, ms3(b).s);
}

/* Vertical grid lines at the ticks, from top to bottom. */
static void write_grid(FILE *f, uint64_t span, uint64_t step, long top, long bottom) {
    for (uint64_t k = 0; k <= span / step; k++) {
        num x = fixed2(x_of(k * step, span));
        fprintf(f, "<line x1=\"%s\" y1=\"%ld\" x2=\"%s\" y2=\"%ld\" stroke=\"#cccccc\" "
                   "stroke-width=\"0.5\"/>\n", x.s, top, x.s, bottom);
    }
}

/* The time axis below the lanes: a line, tick marks and labels "N ms". */
static void write_axis(FILE *f, uint64_t span, uint64_t step, long y) {
    fprintf(f, "<line x1=\"%s\" y1=\"%ld\" x2=\"%s\" y2=\"%ld\" stroke=\"#555555\"/>\n", fixed2(PLOT_X0).s, y,
            fixed2(PLOT_X1).s, y);
    for (uint64_t k = 0; k <= span / step; k++) {
        uint64_t t = k * step;
        num x = fixed2(x_of(t, span));
        fprintf(f, "<line x1=\"%s\" y1=\"%ld\" x2=\"%s\" y2=\"%ld\" stroke=\"#555555\"/>", x.s, y, x.s,
                y + 4);
        fprintf(f, "<text x=\"%s\" y=\"%ld\" text-anchor=\"middle\" fill=\"#333333\">%s ms</text>\n", x.s,
                y + 16, ms_short(t).s);
    }
}

/* One panel with its top at y: title, lanes (or a note when there are none),
 * grid and axis. */
static void write_panel(FILE *f, const gs_timeline_panel *p, long y) {
    uint64_t span = window_of(p), axis = axis_of(p);
    uint64_t step = tick_step(axis);
    long top = y + TITLE_H, bottom = top + (p->nlanes ? (long)p->nlanes : 1) * LANE_PITCH;
    fprintf(f, "<g class=\"panel\">\n<text x=\"%d\" y=\"%ld\" font-size=\"13\" font-weight=\"bold\">", MARGIN,
            y + 15);
    put_text(f, p->title);
    fputs("</text>\n", f);
    if (p->nlanes == 0)
        fprintf(f, "<text x=\"%s\" y=\"%ld\" fill=\"#777777\" font-style=\"italic\">"
                   "no worker threads sampled</text>\n", fixed2(PLOT_X0 + 4).s, top + 13);
    for (size_t i = 0; i < p->nlanes; i++) write_lane_base(f, p, i, top + (long)i * LANE_PITCH);
    write_grid(f, axis, step, top - 2, bottom - 2);
    for (size_t i = 0; i < p->nlanes; i++)
        for (size_t j = 0; j < p->lanes[i].nsegs; j++)
            write_segment(f, &p->lanes[i].segs[j], p->t0_ns, span, axis, top + (long)i * LANE_PITCH);
    for (size_t k = 0; k < p->nmarks; k++) /* task boundaries: a dark tick where each task started */
        for (size_t i = 0; i < p->nlanes; i++) {
            const gs_task_mark *m = &p->marks[k];
            if (m->pid != p->lanes[i].pid || m->tid != p->lanes[i].tid || m->t_ns < p->t0_ns || m->t_ns > p->t1_ns) continue;
            num x = fixed2(x_of(m->t_ns - p->t0_ns, axis));
            long ly = top + (long)i * LANE_PITCH;
            fprintf(f, "<line class=\"task\" x1=\"%s\" y1=\"%ld\" x2=\"%s\" y2=\"%ld\" stroke=\"#222222\" "
                       "stroke-width=\"1\"/>\n", x.s, ly - 2, x.s, ly + LANE_H + 2);
        }
    write_axis(f, axis, step, bottom);
    fputs("</g>\n", f);
}

int gs_timeline_write_svg(FILE *f, const char *heading, const gs_timeline_panel *panels, size_t n) {
    long height = HEADING_H + LEGEND_H;
    for (size_t i = 0; i < n; i++) height += panel_height(&panels[i]);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%ld\" viewBox=\"0 0 %d %ld\" "
               "font-family=\"sans-serif\" font-size=\"11\">\n<title>", DOC_W, height, DOC_W, height);
    put_text(f, heading);
    fprintf(f, "</title>\n<rect width=\"%d\" height=\"%ld\" fill=\"#ffffff\"/>\n", DOC_W, height);
    fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">", MARGIN);
    put_text(f, heading);
    fputs("</text>\n", f);
    write_legend(f, HEADING_H);
    long y = HEADING_H + LEGEND_H;
    for (size_t i = 0; i < n; i++) {
        write_panel(f, &panels[i], y);
        y += panel_height(&panels[i]);
    }
    fputs("</svg>\n", f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}


/* The lanes of one run's "timeline" object into lanes[] (segments in absolute
 * ns from t0); returns the number of lanes, or -1 when malformed. */
static long lanes_from_json(json_t *tl, uint64_t t0, gs_lane **out) {
    json_t *arr = json_object_get(tl, "lanes");
    if (!json_is_array(arr)) return -1;
    size_t n = json_array_size(arr), i, k;
    gs_lane *lanes = calloc(n ? n : 1, sizeof(*lanes));
    if (lanes == NULL) return -1;
    json_t *l, *g;
    json_array_foreach(arr, i, l) {
        json_t *segs = json_object_get(l, "segments");
        lanes[i].pid = (pid_t)json_integer_value(json_object_get(l, "pid"));
        lanes[i].tid = (pid_t)json_integer_value(json_object_get(l, "tid"));
        lanes[i].segs = calloc(json_array_size(segs) + 1, sizeof(gs_segment));
        if (!json_is_array(segs) || lanes[i].segs == NULL) goto bad;
        json_array_foreach(segs, k, g) {
            int st = gs_state_from_key(json_string_value(json_array_get(g, 2)));
            json_t *a = json_array_get(g, 0), *b = json_array_get(g, 1);
            if (st < 0 || !json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 0 ||
                json_integer_value(b) < json_integer_value(a))
                goto bad;
            lanes[i].segs[k] = (gs_segment){t0 + (uint64_t)json_integer_value(a), t0 + (uint64_t)json_integer_value(b),
                                             (uint8_t)st};
        }
        lanes[i].nsegs = json_array_size(segs);
    }
    *out = lanes;
    return (long)n;
bad:
    for (size_t j = 0; j < n; j++) free(lanes[j].segs);
    free(lanes);
    return -1;
}

int gs_timeline_write_report(FILE *f, json_t *report, const char *workload, int even_if_empty) {
    json_t *runs = json_object_get(report, "runs"), *r;
    size_t i, n = 0, cap = json_array_size(runs);
    gs_timeline_panel *panels = calloc(cap ? cap : 1, sizeof(*panels));
    char (*titles)[400] = calloc(cap ? cap : 1, sizeof(*titles));
    const char **of = calloc(cap ? cap : 1, sizeof(*of)); /* each panel's workload */
    gs_task_mark **marks = calloc(cap ? cap : 1, sizeof(*marks));
    int rc = panels && titles && of && marks ? 0 : -1;
    json_array_foreach(runs, i, r) {
        json_t *tl = json_object_get(r, "timeline");
        if (rc != 0 || !json_is_object(tl) || (workload && strcmp(gs_jstr(r, "workload"), workload) != 0)) continue;
        json_int_t w0 = json_integer_value(json_object_get(r, "window_start_ns"));
        json_int_t w1 = json_integer_value(json_object_get(r, "window_end_ns"));
        gs_lane *lanes = NULL;
        long nl = w0 >= 0 && w1 >= w0 ? lanes_from_json(tl, (uint64_t)w0, &lanes) : -1;
        if (nl < 0) continue; /* a malformed timeline (a hand-edited report): left out, not fatal */
        const char *src = json_string_value(json_object_get(r, "source"));
        char name[96];
        gs_view_cell_label(r, 0, name, sizeof(name));
        snprintf(titles[n], sizeof(titles[n]), "%s · %s%s%s · diagnostic run sampled at %.0f Hz", gs_jstr(r, "workload"),
                 name, src ? " · " : "", src ? src : "", json_number_value(json_object_get(r, "sample_hz")));
        json_t *tasks = json_object_get(r, "tasks"), *t;
        size_t nm = 0, k;
        marks[n] = calloc(json_array_size(tasks) + 1, sizeof(**marks));
        json_array_foreach(tasks, k, t) {
            if (marks[n] == NULL) break;
            marks[n][nm++] = (gs_task_mark){(pid_t)json_integer_value(json_object_get(t, "pid")),
                                            (pid_t)json_integer_value(json_object_get(t, "tid")),
                                            (uint64_t)json_integer_value(json_object_get(t, "start_ns"))};
        }
        panels[n] = (gs_timeline_panel){titles[n], (uint64_t)w0, (uint64_t)w1, lanes, (size_t)nl, 0, marks[n], nm};
        of[n++] = gs_jstr(r, "workload");
    }
    /* One axis per workload: its longest window. */
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            if (strcmp(of[a], of[b]) == 0 && window_of(&panels[b]) > panels[a].axis_ns)
                panels[a].axis_ns = window_of(&panels[b]);
    if (rc == 0 && (n > 0 || even_if_empty)) {
        json_t *m = json_object_get(report, "metadata"), *py = json_object_get(m, "python");
        char heading[512];
        if (json_is_object(py))
            snprintf(heading, sizeof(heading), "gilscope %s · thread states over time · %s %s · %lld cores",
                     gs_jstr(m, "gilscope_version"), gs_jstr(py, "implementation"), gs_jstr(py, "version"),
                     (long long)json_integer_value(json_object_get(m, "cores")));
        else
            snprintf(heading, sizeof(heading), "gilscope %s · thread states over time", gs_jstr(m, "gilscope_version"));
        rc = gs_timeline_write_svg(f, heading, panels, n);
    }
    for (size_t k = 0; k < n; k++) {
        for (size_t j = 0; j < panels[k].nlanes; j++) free(panels[k].lanes[j].segs);
        free((void *)panels[k].lanes);
    }
    free(panels);
    free(titles);
    free(of);
    for (size_t k = 0; marks && k < n; k++) free(marks[k]);
    free(marks);
    return rc < 0 ? -1 : (int)n;
}

int gs_export_timeline(json_t *report, FILE *f) { return gs_timeline_write_report(f, report, NULL, 1) < 0 ? -1 : 0; }
