#include "report_view.h"

#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gs_jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

double gs_jnum(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

int gs_jhas(json_t *o, const char *k) { return json_is_number(json_object_get(o, k)); }

void gs_utf8_trim(char *s) {
    size_t n = strlen(s), back = 0;
    /* Walk back over continuation bytes to the lead byte of the last sequence. */
    while (back < 4 && back < n && ((unsigned char)s[n - 1 - back] & 0xC0) == 0x80) back++;
    if (back == n) return;
    unsigned char lead = (unsigned char)s[n - 1 - back];
    size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (back + 1 < want) s[n - 1 - back] = '\0';
}

void gs_view_strategy_label(json_t *c, char *buf, size_t cap) {
    const char *sm = json_string_value(json_object_get(c, "start_method"));
    if (sm && *sm && gs_strategy_named_has(gs_jstr(c, "strategy"), GS_SF_PROCESSES))
        snprintf(buf, cap, "%s/%s", gs_jstr(c, "strategy"), sm);
    else snprintf(buf, cap, "%s", gs_jstr(c, "strategy"));
    gs_utf8_trim(buf);
}

int gs_view_is_baseline(json_t *c) { return gs_strategy_named_has(gs_jstr(c, "strategy"), GS_SF_BASELINE); }

const char *gs_view_why_unmeasured(json_t *c) {
    return json_is_string(json_object_get(c, "unavailable_reason")) ? gs_jstr(c, "unavailable_reason")
           : json_is_string(json_object_get(c, "error"))            ? gs_jstr(c, "error")
                                                                     : "not measured";
}

void gs_view_cell_label(json_t *c, int with_source, char *buf, size_t cap) {
    gs_view_strategy_label(c, buf, cap);
    size_t len = strlen(buf);
    int n = (int)len;
    if (!gs_view_is_baseline(c))
        n += snprintf(buf + len, cap - len, " × %lld", (long long)json_integer_value(json_object_get(c, "workers")));
    const char *src = json_string_value(json_object_get(c, "source"));
    if (with_source && src && n >= 0 && (size_t)n < cap) snprintf(buf + n, cap - (size_t)n, " · %s", src);
    gs_utf8_trim(buf);
}

void gs_view_fmt_time(double seconds, gs_time_unit unit, char *buf, size_t cap) {
    if (unit == GS_TIME_AUTO) unit = seconds < 1.0 ? GS_TIME_MS_ONLY : GS_TIME_S;
    if (unit == GS_TIME_MS && seconds < 0.001) snprintf(buf, cap, "%.1f µs", seconds * 1e6);
    else if (unit == GS_TIME_MS || unit == GS_TIME_MS_ONLY) snprintf(buf, cap, "%.1f ms", seconds * 1e3);
    else snprintf(buf, cap, "%.3f s", seconds);
}

void gs_view_fmt_bytes(int64_t bytes, char *buf, size_t cap) {
    if (bytes <= 0) snprintf(buf, cap, "—");
    else if (bytes < 1024 * 1024) snprintf(buf, cap, "%.1f KiB", (double)bytes / 1024.0);
    else if (bytes < 1024LL * 1024 * 1024) snprintf(buf, cap, "%.1f MiB", (double)bytes / 1048576.0);
    else snprintf(buf, cap, "%.2f GiB", (double)bytes / 1073741824.0);
}

void gs_view_fmt_share(double share, char *buf, size_t cap) { snprintf(buf, cap, "%.0f%%", 100 * share); }

/* Where a speedup's figures are: the cell's "speedup" object, or the
 * verdict's "best" itself (a number beside ci_low/ci_high); NULL when the
 * speedup is not known. */
static json_t *speedup_holder(json_t *c, const char **value_key) {
    json_t *sp = json_object_get(c, "speedup");
    *value_key = json_is_object(sp) ? "value" : "speedup";
    json_t *o = json_is_object(sp) ? sp : c;
    return gs_jhas(o, *value_key) ? o : NULL;
}

int gs_view_fmt_speedup_ci(json_t *c, char *buf, size_t cap) {
    const char *k;
    json_t *o = speedup_holder(c, &k);
    if (cap > 0) buf[0] = '\0';
    if (o == NULL || gs_view_is_baseline(c) || !gs_jhas(o, "ci_low")) return -1;
    snprintf(buf, cap, "[%.2f, %.2f]", gs_jnum(o, "ci_low"), gs_jnum(o, "ci_high"));
    return 0;
}

int gs_view_fmt_speedup(json_t *c, int with_interval, char *buf, size_t cap) {
    const char *k;
    json_t *o = speedup_holder(c, &k);
    if (cap > 0) buf[0] = '\0';
    if (o == NULL) return -1;
    if (gs_view_is_baseline(c)) {
        snprintf(buf, cap, "1.00×");
        return 0;
    }
    char ci[64];
    if (with_interval && gs_view_fmt_speedup_ci(c, ci, sizeof(ci)) == 0)
        snprintf(buf, cap, "%.2f× %s", gs_jnum(o, k), ci);
    else snprintf(buf, cap, "%.2f×", gs_jnum(o, k));
    gs_utf8_trim(buf);
    return 0;
}

/* Appends to buf (holding *len bytes of cap), keeping *len at most cap - 1. */
static void append(char *buf, size_t cap, size_t *len, const char *s) {
    int n = snprintf(buf + *len, cap - *len, "%s", s);
    *len = n < 0 || *len + (size_t)n >= cap ? cap - 1 : *len + (size_t)n;
}

void gs_view_fmt_verdict(json_t *v, int speedup_always, char *buf, size_t cap) {
    json_t *best = json_object_get(v, "best"), *tie = json_object_get(v, "tie"), *tc;
    size_t len = 0, ntie = json_array_size(tie), k;
    char label[128];
    if (cap == 0) return;
    buf[0] = '\0';
    if (ntie) append(buf, cap, &len, "a tie between ");
    gs_view_cell_label(best, 0, label, sizeof(label));
    append(buf, cap, &len, label);
    json_array_foreach(tie, k, tc) {
        append(buf, cap, &len, k + 1 == ntie ? " and " : ", ");
        gs_view_cell_label(tc, 0, label, sizeof(label));
        append(buf, cap, &len, label);
    }
    char sp[96], ci[64];
    int has_ci = gs_view_fmt_speedup_ci(best, ci, sizeof(ci)) == 0;
    if ((speedup_always || has_ci) && gs_view_fmt_speedup(best, 1, sp, sizeof(sp)) == 0) {
        append(buf, cap, &len, ", ");
        append(buf, cap, &len, sp);
    }
    append(buf, cap, &len, " — ");
    append(buf, cap, &len, gs_jstr(v, "reason"));
    gs_utf8_trim(buf);
}

const char *gs_view_gil(json_t *python) {
    return json_is_true(json_object_get(python, "gil_enabled")) ? "GIL enabled" : "GIL disabled";
}

int gs_view_warning_of(json_t *x, const char *workload) {
    return workload ? strcmp(gs_jstr(x, "workload"), workload) == 0 : strcmp(gs_jstr(x, "scope"), "machine") == 0;
}

json_t *gs_view_verdict(json_t *report, const char *workload) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "verdicts"), i, v) {
        if (strcmp(gs_jstr(v, "workload"), workload) == 0) return v;
    }
    return NULL;
}

double gs_view_ideal(json_t *c) {
    return gs_view_is_baseline(c) ? 1.0 : (double)json_integer_value(json_object_get(c, "workers"));
}

/* The strategy table's order; a name it does not know sorts last. */
static int strategy_rank(const char *s) {
    gs_strategy st = gs_strategy_find(s, (size_t)-1);
    return st >= 0 ? st : (int)gs_strategy_count();
}

static int same_row(json_t *a, json_t *b) {
    const char *sa = json_string_value(json_object_get(a, "start_method"));
    const char *sb = json_string_value(json_object_get(b, "start_method"));
    int procs = gs_strategy_named_has(gs_jstr(a, "strategy"), GS_SF_PROCESSES);
    return strcmp(gs_jstr(a, "strategy"), gs_jstr(b, "strategy")) == 0 &&
           json_integer_value(json_object_get(a, "workers")) == json_integer_value(json_object_get(b, "workers")) &&
           (!procs || (sa == NULL) == (sb == NULL)) && (!procs || sa == NULL || strcmp(sa, sb) == 0);
}

static int row_cmp(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int ra = strategy_rank(gs_jstr(a, "strategy")), rb = strategy_rank(gs_jstr(b, "strategy"));
    if (ra != rb) return ra - rb;
    json_int_t wa = json_integer_value(json_object_get(a, "workers")), wb = json_integer_value(json_object_get(b, "workers"));
    if (wa != wb) return wa < wb ? -1 : 1;
    return strcmp(gs_jstr(a, "start_method"), gs_jstr(b, "start_method"));
}

int gs_matrix_build(json_t *report, const char *workload, gs_matrix *m) {
    memset(m, 0, sizeof(*m));
    json_t *cells = json_object_get(report, "cells"), *srcs = json_object_get(report, "sources"), *c;
    size_t ncells = json_array_size(cells), i;
    m->nsources = json_is_array(srcs) && json_array_size(srcs) > 0 ? json_array_size(srcs) : 1;
    m->rows = calloc(ncells ? ncells : 1, sizeof(*m->rows));
    m->sources = calloc(m->nsources, sizeof(*m->sources));
    if (m->rows == NULL || m->sources == NULL) goto oom;
    if (json_is_array(srcs))
        for (i = 0; i < m->nsources; i++) m->sources[i] = gs_jstr(json_array_get(srcs, i), "label");
    json_array_foreach(cells, i, c) {
        if (strcmp(gs_jstr(c, "workload"), workload) != 0) continue;
        size_t r = 0;
        while (r < m->nrows && !same_row(m->rows[r], c)) r++;
        if (r == m->nrows) m->rows[m->nrows++] = c;
    }
    qsort(m->rows, m->nrows, sizeof(*m->rows), row_cmp);
    m->cells = calloc(m->nrows * m->nsources + 1, sizeof(*m->cells));
    if (m->cells == NULL) goto oom;
    json_array_foreach(cells, i, c) {
        if (strcmp(gs_jstr(c, "workload"), workload) != 0) continue;
        size_t col = 0;
        if (json_is_array(srcs)) {
            while (col < m->nsources && strcmp(m->sources[col], gs_jstr(c, "source")) != 0) col++;
            if (col == m->nsources) continue; /* a source the report does not list */
        }
        for (size_t r = 0; r < m->nrows; r++)
            if (same_row(m->rows[r], c) && m->cells[r * m->nsources + col] == NULL) m->cells[r * m->nsources + col] = c;
    }
    if (!json_is_array(srcs)) {
        free(m->sources);
        m->sources = NULL;
    }
    return 0;
oom:
    gs_matrix_free(m);
    return -1;
}

void gs_matrix_free(gs_matrix *m) {
    free(m->rows);
    free(m->cells);
    free(m->sources);
    memset(m, 0, sizeof(*m));
}

int gs_view_each_workload(json_t *report, FILE *f, int (*fn)(json_t *report, const char *name, FILE *f)) {
    size_t cap = json_array_size(json_object_get(report, "workloads"));
    const char **names = calloc(cap ? cap : 1, sizeof(*names));
    if (names == NULL) return -1;
    size_t n = gs_view_workloads(report, names, cap);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) rc = fn(report, names[i], f);
    free(names);
    return rc != 0 ? -1 : 0;
}

size_t gs_view_workloads(json_t *report, const char **names, size_t cap) {
    size_t n = 0, i;
    json_t *w;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        const char *name = gs_jstr(w, "name");
        size_t k = 0;
        while (k < n && strcmp(names[k], name) != 0) k++;
        if (k == n && n < cap) names[n++] = name;
    }
    return n;
}

json_t *gs_view_workload(json_t *report, const char *name) {
    json_t *first = NULL, *w;
    size_t i;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (strcmp(gs_jstr(w, "name"), name) != 0) continue;
        if (!json_is_string(json_object_get(w, "error"))) return w;
        if (first == NULL) first = w;
    }
    return first;
}
