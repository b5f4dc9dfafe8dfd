#ifndef GS_RENDER_HTML_H
#define GS_RENDER_HTML_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Internals of the HTML report (html.c) shared with its scaling chart
 * (html_scaling.c); not part of any public API. */

/* The width of every chart, in SVG units. */
#define GS__HTML_CHART_W 760

/* Writes s with HTML's special characters escaped. */
void gs__html_esc(FILE *f, const char *s);

/* Opens an <svg> of w × h with an accessible label (a literal, not escaped). */
void gs__html_svg_open(FILE *f, int w, int h, const char *label);

/* Scaling curves of one workload's measured cells (n of them, report
 * order): speedup against workers for each strategy swept over two worker
 * counts or more, with interval whiskers, against the ideal (speedup =
 * workers) and each machine's core count; merged names the source of each
 * series. Writes nothing when no strategy was swept. */
void gs__html_scaling_svg(FILE *f, json_t *report, json_t **cells, size_t n, int merged);

#endif
