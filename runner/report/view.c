#include "report_view.h"

#include "merge.h"
#include "shortfall.h"
#include "state.h"
#include "strategy.h"
#include "tabwriter.h"

#include <ctype.h>
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

/* "strategy" or "strategy/start-method" into buf; returns its length as snprintf does. */
static int strategy_name(json_t *c, char *buf, size_t cap) {
    const char *sm = json_string_value(json_object_get(c, "start_method"));
    if (sm && *sm && gs_strategy_named_has(gs_jstr(c, "strategy"), GS_SF_PROCESSES))
        return snprintf(buf, cap, "%s/%s", gs_jstr(c, "strategy"), sm);
    return snprintf(buf, cap, "%s", gs_jstr(c, "strategy"));
}

/* Appends " chunk N" to the n bytes of buf when c has a chunk size. */
static int add_chunk(json_t *c, char *buf, size_t cap, int n) {
    json_int_t k = gs_view_chunksize(c);
    if (k > 0 && n >= 0 && (size_t)n < cap) n += snprintf(buf + n, cap - (size_t)n, " chunk %lld", (long long)k);
    return n;
}

void gs_view_strategy_label(json_t *c, char *buf, size_t cap) {
    add_chunk(c, buf, cap, strategy_name(c, buf, cap));
    gs_utf8_trim(buf);
}

json_int_t gs_view_chunksize(json_t *c) {
    json_t *k = json_object_get(c, "chunksize");
    return json_is_integer(k) ? json_integer_value(k) : 0;
}

int gs_view_same_chunk_series(json_t *report, json_t *a, json_t *b) {
    json_t *swept = json_object_get(gs_view_metadata_of(report, a), "chunksizes_requested");
    return json_array_size(swept) < 2 || gs_view_chunksize(a) == gs_view_chunksize(b);
}

int gs_view_same_cell(json_t *a, json_t *b) {
    return strcmp(gs_jstr(a, "workload"), gs_jstr(b, "workload")) == 0 &&
           strcmp(gs_jstr(a, "strategy"), gs_jstr(b, "strategy")) == 0 &&
           json_integer_value(json_object_get(a, "workers")) == json_integer_value(json_object_get(b, "workers")) &&
           gs_view_chunksize(a) == gs_view_chunksize(b);
}

int gs_view_is_baseline(json_t *c) { return gs_strategy_named_has(gs_jstr(c, "strategy"), GS_SF_BASELINE); }

const char *gs_view_why_unmeasured(json_t *c) {
    return json_is_string(json_object_get(c, "unavailable_reason")) ? gs_jstr(c, "unavailable_reason")
           : json_is_string(json_object_get(c, "error"))            ? gs_jstr(c, "error")
                                                                     : "not measured";
}

void gs_view_cell_label(json_t *c, int with_source, char *buf, size_t cap) {
    int n = strategy_name(c, buf, cap);
    if (!gs_view_is_baseline(c) && n >= 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, " × %lld", (long long)json_integer_value(json_object_get(c, "workers")));
    n = add_chunk(c, buf, cap, n);
    const char *src = json_string_value(json_object_get(c, "source"));
    if (with_source && src && n >= 0 && (size_t)n < cap) snprintf(buf + n, cap - (size_t)n, " · %s", src);
    gs_utf8_trim(buf);
}

void gs_view_fmt_time(double seconds, gs_time_unit unit, char *buf, size_t cap) {
    if (unit == GS_TIME_AUTO) unit = seconds < 1.0 ? GS_TIME_MS_ONLY : GS_TIME_S;
    if (unit == GS_TIME_OWN) unit = gs_view_time_unit(seconds);
    if (unit == GS_TIME_US || (unit == GS_TIME_MS && seconds < 0.001)) snprintf(buf, cap, "%.1f µs", seconds * 1e6);
    else if (unit == GS_TIME_MS || unit == GS_TIME_MS_ONLY) snprintf(buf, cap, "%.1f ms", seconds * 1e3);
    else snprintf(buf, cap, "%.3f s", seconds);
}

gs_time_unit gs_view_time_unit(double largest) {
    return largest >= 1.0 ? GS_TIME_S : largest >= 0.001 ? GS_TIME_MS_ONLY : GS_TIME_US;
}

gs_time_col gs_view_time_col(double smallest, double largest) {
    gs_time_col c = {gs_view_time_unit(largest), 1};
    double v = smallest * (c.unit == GS_TIME_S ? 1 : c.unit == GS_TIME_MS_ONLY ? 1e3 : 1e6) * 10;
    if (c.unit == GS_TIME_S) c.decimals = 3;
    else
        for (; smallest > 0 && v < 10 && c.decimals < 3; v *= 10) c.decimals++;
    return c;
}

void gs_view_fmt_time_col(double seconds, gs_time_col col, char *buf, size_t cap) {
    const char *unit = col.unit == GS_TIME_S ? "s" : col.unit == GS_TIME_MS_ONLY ? "ms" : "µs";
    double scale = col.unit == GS_TIME_S ? 1 : col.unit == GS_TIME_MS_ONLY ? 1e3 : 1e6;
    snprintf(buf, cap, "%.*f %s", col.decimals, seconds * scale, unit);
}

void gs_view_fmt_bytes(int64_t bytes, char *buf, size_t cap) {
    if (bytes <= 0) snprintf(buf, cap, "—");
    else if (bytes < 1024) snprintf(buf, cap, "%lld B", (long long)bytes);
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

/* A speedup figure, "1.93", or "<0.01" when it would read 0.00. */
static void fmt_ratio(double v, char *buf, size_t cap) {
    if (v < 0.005) snprintf(buf, cap, "<0.01");
    else snprintf(buf, cap, "%.2f", v);
}

int gs_view_fmt_speedup_ci(json_t *c, char *buf, size_t cap) {
    const char *k;
    json_t *o = speedup_holder(c, &k);
    if (cap > 0) buf[0] = '\0';
    if (o == NULL || gs_view_is_baseline(c) || !gs_jhas(o, "ci_low") || gs_jnum(o, "ci_high") < 0.005) return -1;
    char lo[16], hi[16];
    fmt_ratio(gs_jnum(o, "ci_low"), lo, sizeof(lo));
    fmt_ratio(gs_jnum(o, "ci_high"), hi, sizeof(hi));
    snprintf(buf, cap, "[%s, %s]", lo, hi);
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
    char ci[64], v[16];
    fmt_ratio(gs_jnum(o, k), v, sizeof(v));
    if (with_interval && gs_view_fmt_speedup_ci(c, ci, sizeof(ci)) == 0) snprintf(buf, cap, "%s× %s", v, ci);
    else snprintf(buf, cap, "%s×", v);
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
    /* At most three cells by name: the rest are counted. */
    size_t named = ntie > 2 ? 2 : ntie;
    json_array_foreach(tie, k, tc) {
        if (k == named) break;
        append(buf, cap, &len, k + 1 == ntie ? " and " : ", ");
        gs_view_cell_label(tc, 0, label, sizeof(label));
        append(buf, cap, &len, label);
    }
    if (ntie > named) {
        char rest[48];
        snprintf(rest, sizeof(rest), " and %zu more", ntie - named);
        append(buf, cap, &len, rest);
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
    int gil = !json_is_false(json_object_get(python, "gil_enabled"));
    int free_threaded = json_is_true(json_object_get(python, "free_threaded"));
    if (free_threaded) return gil ? "free-threaded build, GIL enabled" : "free-threaded, GIL disabled";
    return gil ? "GIL enabled" : "GIL disabled";
}

int gs_view_has_gil(json_t *report, json_t *x) {
    json_t *m = gs_view_metadata_of(report, x);
    return !json_is_false(json_object_get(json_object_get(m, "python"), "gil_enabled"));
}

void gs_view_fmt_gil_wait(json_t *report, json_t *c, char *buf, size_t cap) {
    json_t *st = json_object_get(c, "states");
    if (cap == 0) return;
    buf[0] = '\0';
    if (!json_is_object(st)) return;
    if (!gs_view_has_gil(report, c)) snprintf(buf, cap, "—");
    else gs_view_fmt_share(gs_jnum(st, gs_state_key(GS_STATE_GIL)), buf, cap);
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

static const struct {
    const char *head;
    int right;
} num_cols[GS_NUM_COUNT] = {
#define GS_NUM_ROW(name, head, right) [GS_NUM_##name] = {head, right},
    GS_NUM_MAP(GS_NUM_ROW)
#undef GS_NUM_ROW
};

const char *gs_view_num_head(gs_num_col k) {
    if (k == GS_NUM_ONCPU) return gs_state_label(GS_ST_ON_CPU);
    if (k == GS_NUM_GIL) return gs_state_label(GS_STATE_GIL);
    return (unsigned)k < GS_NUM_COUNT ? num_cols[k].head : "?";
}

int gs_view_num_right(gs_num_col k) { return (unsigned)k < GS_NUM_COUNT && num_cols[k].right; }

int gs_view_num_row(json_t *report, json_t *c, char v[GS_NUM_COUNT][GS_NUM_CAP]) {
    json_t *ws = json_object_get(c, "wall_s"), *st = json_object_get(c, "states");
    for (int k = 0; k < GS_NUM_COUNT; k++) v[k][0] = '\0';
    gs_view_strategy_label(c, v[GS_NUM_STRATEGY], GS_NUM_CAP);
    snprintf(v[GS_NUM_WORKERS], GS_NUM_CAP, "%lld", (long long)json_integer_value(json_object_get(c, "workers")));
    if (!json_is_object(ws)) {
        snprintf(v[GS_NUM_WALL], GS_NUM_CAP, "%s", gs_view_why_unmeasured(c));
        gs_utf8_trim(v[GS_NUM_WALL]);
        return 0;
    }
    char m[24], a[24], b[24];
    gs_view_fmt_time(gs_jnum(ws, "median"), GS_TIME_AUTO, m, sizeof(m));
    gs_view_fmt_time(gs_jnum(ws, "ci_low"), GS_TIME_AUTO, a, sizeof(a));
    gs_view_fmt_time(gs_jnum(ws, "ci_high"), GS_TIME_AUTO, b, sizeof(b));
    snprintf(v[GS_NUM_WALL], GS_NUM_CAP, "%s [%s, %s]", m, a, b);
    gs_view_fmt_speedup(c, 1, v[GS_NUM_SPEEDUP], GS_NUM_CAP);
    gs_view_fmt_time(gs_jnum(c, "cpu_s"), GS_TIME_AUTO, v[GS_NUM_CPU], GS_NUM_CAP);
    snprintf(v[GS_NUM_CORES], GS_NUM_CAP, "%.2f", gs_jnum(c, "cores_used"));
    if (json_is_object(st)) {
        gs_view_fmt_share(gs_jnum(st, gs_state_key(GS_ST_ON_CPU)), v[GS_NUM_ONCPU], GS_NUM_CAP);
        gs_view_fmt_gil_wait(report, c, v[GS_NUM_GIL], GS_NUM_CAP);
    }
    gs_view_fmt_bytes((int64_t)json_integer_value(json_object_get(c, "peak_rss_bytes")), v[GS_NUM_RSS], GS_NUM_CAP);
    gs_view_fmt_bytes((int64_t)json_integer_value(json_object_get(c, "peak_uss_bytes")), v[GS_NUM_USS], GS_NUM_CAP);
    if (gs_jhas(c, "pool_startup_s")) gs_view_fmt_time(gs_jnum(c, "pool_startup_s"), GS_TIME_MS_ONLY, v[GS_NUM_POOL], GS_NUM_CAP);
    else snprintf(v[GS_NUM_POOL], GS_NUM_CAP, "—");
    return 1;
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
    return gs_view_same_cell(a, b) && (!procs || (sa == NULL) == (sb == NULL)) &&
           (!procs || sa == NULL || strcmp(sa, sb) == 0);
}

static int row_cmp(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int ra = strategy_rank(gs_jstr(a, "strategy")), rb = strategy_rank(gs_jstr(b, "strategy"));
    if (ra != rb) return ra - rb;
    json_int_t wa = json_integer_value(json_object_get(a, "workers")), wb = json_integer_value(json_object_get(b, "workers"));
    if (wa != wb) return wa < wb ? -1 : 1;
    json_int_t ka = gs_view_chunksize(a), kb = gs_view_chunksize(b);
    if (ka != kb) return ka < kb ? -1 : 1;
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
    /* One row for a pool whose start method differs only between sources
     * (each interpreter's default: fork before 3.14, forkserver from it). */
    m->mixed = calloc(m->nrows + 1, 1);
    if (m->mixed == NULL) goto oom;
    for (size_t r1 = 0; r1 < m->nrows; r1++)
        for (size_t r2 = r1 + 1; r2 < m->nrows; r2++) {
            json_t *a = m->rows[r1], *b = m->rows[r2];
            if (!gs_view_same_cell(a, b)) continue;
            int disjoint = 1;
            for (size_t k = 0; k < m->nsources; k++)
                disjoint &= m->cells[r1 * m->nsources + k] == NULL || m->cells[r2 * m->nsources + k] == NULL;
            if (!disjoint) continue;
            for (size_t k = 0; k < m->nsources; k++)
                if (m->cells[r1 * m->nsources + k] == NULL) m->cells[r1 * m->nsources + k] = m->cells[r2 * m->nsources + k];
            m->mixed[r1] = 1;
            memmove(&m->rows[r2], &m->rows[r2 + 1], (m->nrows - r2 - 1) * sizeof(*m->rows));
            memmove(&m->cells[r2 * m->nsources], &m->cells[(r2 + 1) * m->nsources],
                    (m->nrows - r2 - 1) * m->nsources * sizeof(*m->cells));
            memmove(&m->mixed[r2], &m->mixed[r2 + 1], m->nrows - r2 - 1);
            m->nrows--;
            r2--;
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

void gs_matrix_fmt_entry(json_t *report, json_t *c, char *buf, size_t cap) {
    json_t *ws = json_object_get(c, "wall_s");
    char sp[96], wall[32], gil[16];
    if (cap == 0) return;
    if (c == NULL) {
        snprintf(buf, cap, "—");
        return;
    }
    if (!json_is_object(ws)) {
        snprintf(buf, cap, "%s", json_is_false(json_object_get(c, "available")) ? "unavailable"
                                 : json_is_string(json_object_get(c, "error"))   ? "FAILED"
                                                                                 : "not measured");
        return;
    }
    size_t len = 0;
    buf[0] = '\0';
    if (gs_view_fmt_speedup(c, 1, sp, sizeof(sp)) == 0) {
        append(buf, cap, &len, sp);
        append(buf, cap, &len, " · ");
    }
    gs_view_fmt_time(gs_jnum(ws, "median"), GS_TIME_AUTO, wall, sizeof(wall));
    append(buf, cap, &len, wall);
    gs_view_fmt_gil_wait(report, c, gil, sizeof(gil));
    if (strcmp(gil, "—") == 0) append(buf, cap, &len, " · no GIL");
    else if (*gil) {
        append(buf, cap, &len, " · GIL wait ");
        append(buf, cap, &len, gil);
    }
    gs_utf8_trim(buf);
}

/* Whether matrix entry (r, k) is unavailable with the reason of entry c. */
static int same_unavailable(const gs_matrix *m, size_t r, size_t k, json_t *c) {
    json_t *d = m->cells[r * m->nsources + k];
    return d != NULL && json_is_false(json_object_get(d, "available")) &&
           strcmp(gs_jstr(d, "strategy"), gs_jstr(c, "strategy")) == 0 &&
           strcmp(gs_jstr(d, "unavailable_reason"), gs_jstr(c, "unavailable_reason")) == 0;
}

json_t *gs_matrix_reasons(const gs_matrix *m) {
    json_t *out = json_array();
    char line[2048];
    for (size_t r = 0; out && r < m->nrows; r++)
        for (size_t k = 0; k < m->nsources; k++) {
            json_t *c = m->cells[r * m->nsources + k];
            if (c == NULL || !json_is_false(json_object_get(c, "available"))) continue;
            int said = 0; /* by an earlier entry: another worker count, or another source */
            for (size_t q = 0; q <= r && !said; q++)
                for (size_t j = 0; j < m->nsources && !said && (q < r || j < k); j++) said = same_unavailable(m, q, j, c);
            if (said) continue;
            size_t len = 0;
            line[0] = '\0';
            append(line, sizeof(line), &len, gs_jstr(c, "strategy"));
            append(line, sizeof(line), &len, " unavailable on ");
            for (size_t j = k, n = 0; j < m->nsources; j++) {
                int here = 0;
                for (size_t q = 0; q < m->nrows && !here; q++) here = same_unavailable(m, q, j, c);
                if (!here) continue;
                append(line, sizeof(line), &len, n++ ? ", " : "");
                append(line, sizeof(line), &len, m->sources ? m->sources[j] : "this interpreter");
            }
            append(line, sizeof(line), &len, ": ");
            append(line, sizeof(line), &len, gs_jstr(c, "unavailable_reason"));
            gs_utf8_trim(line);
            json_array_append_new(out, json_pack("{s:s,s:b}", "text", line, "failed", 0));
        }
    for (size_t k = 0; out && k < m->nsources; k++)
        for (size_t r = 0; r < m->nrows; r++) {
            json_t *c = m->cells[r * m->nsources + k];
            if (c == NULL || json_is_false(json_object_get(c, "available")) || !json_is_string(json_object_get(c, "error")))
                continue;
            char name[160];
            gs_view_cell_label(c, 0, name, sizeof(name));
            snprintf(line, sizeof(line), "FAILED on %s: %s: %s", m->sources ? m->sources[k] : "this interpreter", name,
                     gs_jstr(c, "error"));
            gs_utf8_trim(line);
            json_array_append_new(out, json_pack("{s:s,s:b}", "text", line, "failed", 1));
        }
    return out;
}

void gs_matrix_row_label(const gs_matrix *m, size_t r, char *buf, size_t cap) {
    if (m->mixed[r]) { /* start methods differ by source: the strategy (and chunk) alone */
        add_chunk(m->rows[r], buf, cap, snprintf(buf, cap, "%s", gs_jstr(m->rows[r], "strategy")));
        gs_utf8_trim(buf);
    } else {
        gs_view_strategy_label(m->rows[r], buf, cap);
    }
}

int gs_matrix_fmt_start_methods(const gs_matrix *m, size_t r, char *buf, size_t cap) {
    size_t len = 0;
    if (cap == 0) return -1;
    buf[0] = '\0';
    if (!m->mixed[r]) return -1;
    append(buf, cap, &len, gs_jstr(m->rows[r], "strategy"));
    append(buf, cap, &len, " ran with each interpreter's start method:");
    int methods = 0;
    for (size_t k = 0; k < m->nsources; k++) {
        json_t *c = m->cells[r * m->nsources + k];
        const char *sm = json_string_value(json_object_get(c, "start_method"));
        int first = 1; /* list a method once, with every source that used it */
        for (size_t j = 0; j < k && first; j++) {
            const char *other = json_string_value(json_object_get(m->cells[r * m->nsources + j], "start_method"));
            first = !(sm && other && strcmp(sm, other) == 0);
        }
        if (sm == NULL || !first) continue;
        append(buf, cap, &len, methods++ ? "; " : " ");
        append(buf, cap, &len, sm);
        append(buf, cap, &len, " on ");
        for (size_t j = k, n = 0; j < m->nsources; j++) {
            const char *other = json_string_value(json_object_get(m->cells[r * m->nsources + j], "start_method"));
            if (!other || strcmp(sm, other) != 0) continue;
            append(buf, cap, &len, n++ ? ", " : "");
            append(buf, cap, &len, m->sources ? m->sources[j] : "");
        }
    }
    append(buf, cap, &len, " (--start-method picks one for all)");
    return 0;
}

void gs_matrix_free(gs_matrix *m) {
    free(m->mixed);
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

json_t *gs_view_metadata_of(json_t *report, json_t *x) {
    const char *src = json_string_value(json_object_get(x, "source"));
    size_t i;
    json_t *s;
    json_array_foreach(src ? json_object_get(report, "sources") : NULL, i, s) {
        if (strcmp(gs_jstr(s, "label"), src) == 0) return json_object_get(s, "metadata");
    }
    return json_object_get(report, "metadata");
}

#define SHORT_OF 0.9       /* a cell below this part of its possible speedup fell short */
#define CAUSE_SHOWN 0.15   /* a cause's share of the lost time worth showing */

static double speedup_of(json_t *c) { return gs_jnum(json_object_get(c, "speedup"), "value"); }

int gs_view_fmt_shortfalls(json_t *report, const char *workload, char *buf, size_t cap) {
    json_t *cells = json_object_get(report, "cells"), *c, *d;
    size_t len = 0, i, k, n = json_array_size(cells);
    if (cap == 0) return -1;
    buf[0] = '\0';
    json_array_foreach(cells, i, c) {
        json_t *sf = json_object_get(c, "shortfall");
        if (strcmp(gs_jstr(c, "workload"), workload) != 0 || !json_is_object(sf) || gs_jnum(sf, "lost_s") <= 0 ||
            speedup_of(c) >= SHORT_OF * gs_jnum(sf, "possible"))
            continue;
        /* Only the fastest such cell of its strategy, at its first place. */
        char label[96], other[96];
        gs_view_strategy_label(c, label, sizeof(label));
        int first = 1;
        for (k = 0; k < n && first; k++) {
            d = json_array_get(cells, k);
            json_t *sd = json_object_get(d, "shortfall");
            if (k == i || strcmp(gs_jstr(d, "workload"), workload) != 0 || !json_is_object(sd) ||
                gs_jnum(sd, "lost_s") <= 0 || speedup_of(d) >= SHORT_OF * gs_jnum(sd, "possible"))
                continue;
            gs_view_strategy_label(d, other, sizeof(other));
            if (strcmp(label, other) != 0) continue;
            if (speedup_of(d) > speedup_of(c) || (speedup_of(d) == speedup_of(c) && k < i)) first = 0;
        }
        if (!first) continue;
        char part[256];
        gs_view_cell_label(c, 0, label, sizeof(label));
        snprintf(part, sizeof(part), "%s%s:", len ? " · " : "", label);
        append(buf, cap, &len, part);
        json_t *p;
        int named = 0;
        json_array_foreach(json_object_get(sf, "parts"), k, p) {
            double share = gs_jnum(p, "share");
            int l = gs_loss_from_key(gs_jstr(p, "cause"));
            if (share < CAUSE_SHOWN || l < 0 || named == 3) break;
            snprintf(part, sizeof(part), "%s %s %.0f%%", named ? "," : "", gs_loss_brief((gs_loss)l), 100 * share);
            append(buf, cap, &len, part);
            named++;
        }
        if (named == 0) append(buf, cap, &len, " no single cause");
    }
    gs_utf8_trim(buf);
    return len ? 0 : -1;
}

/* The cell of workload wl, of the baseline, of source src. */
static json_t *serial_of(json_t *report, const char *wl, const char *src) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (strcmp(gs_jstr(c, "workload"), wl) == 0 && strcmp(gs_jstr(c, "source"), src) == 0 && gs_view_is_baseline(c) &&
            json_is_object(json_object_get(c, "wall_s")))
            return c;
    }
    return NULL;
}

static json_t *workload_of_source(json_t *report, const char *wl, const char *src) {
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (strcmp(gs_jstr(w, "name"), wl) == 0 && strcmp(gs_jstr(w, "source"), src) == 0) return w;
    }
    return NULL;
}

static json_t *verdict_of(json_t *report, const char *wl, const char *src) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "verdicts"), i, v) {
        if (strcmp(gs_jstr(v, "workload"), wl) == 0 && strcmp(gs_jstr(v, "source"), src) == 0) return v;
    }
    return NULL;
}

int gs_view_fmt_changes(json_t *report, const char *workload, char *buf, size_t cap) {
    json_t *srcs = json_object_get(report, "sources");
    size_t n = json_array_size(srcs), len = 0, measured = 0, k;
    if (cap == 0) return -1;
    buf[0] = '\0';
    if (!gs_report_is_merged(report) || n < 2) return -1;
    /* An experiment runs for as long as it is told: its wall time compares nothing. */
    if (json_is_array(json_object_get(gs_view_workload(report, workload), "measures"))) return -1;
    const char *first = gs_jstr(json_array_get(srcs, 0), "label");
    json_t *base = serial_of(report, workload, first), *bw = json_object_get(base, "wall_s");
    char part[256], t[32], label[128], prev[128] = "";
    if (base == NULL) return -1;
    /* Serial's times compare only the same work; on another CPU they compare machines too. */
    int same_size = 1, same_cpu = 1;
    json_t *w0 = workload_of_source(report, workload, first), *m0 = json_object_get(json_array_get(srcs, 0), "metadata");
    for (k = 1; k < n; k++) {
        const char *src = gs_jstr(json_array_get(srcs, k), "label");
        json_t *wk = workload_of_source(report, workload, src), *mk = json_object_get(json_array_get(srcs, k), "metadata");
        if (wk && !json_equal(json_object_get(wk, "size"), json_object_get(w0, "size"))) same_size = 0;
        if (strcmp(gs_jstr(mk, "cpu_model"), gs_jstr(m0, "cpu_model")) != 0) same_cpu = 0;
    }
    if (!same_size) return -1;
    gs_view_fmt_time(gs_jnum(bw, "median"), GS_TIME_AUTO, t, sizeof(t));
    snprintf(part, sizeof(part), "serial ran %s on %s", t, first);
    append(buf, cap, &len, part);
    for (k = 1; k < n; k++) {
        const char *src = gs_jstr(json_array_get(srcs, k), "label");
        json_t *c = serial_of(report, workload, src), *w = json_object_get(c, "wall_s");
        if (c == NULL) continue;
        measured++;
        double ratio = gs_jnum(bw, "median") / gs_jnum(w, "median");
        int apart = gs_jnum(w, "ci_high") < gs_jnum(bw, "ci_low") || gs_jnum(w, "ci_low") > gs_jnum(bw, "ci_high");
        gs_view_fmt_time(gs_jnum(w, "median"), GS_TIME_AUTO, t, sizeof(t));
        if (!apart) snprintf(part, sizeof(part), ", %s on %s (no measurable change)", t, src);
        else if (ratio >= 1) snprintf(part, sizeof(part), ", %s on %s (%.2f× faster)", t, src, ratio);
        else snprintf(part, sizeof(part), ", %s on %s (%.2f× slower)", t, src, 1 / ratio);
        append(buf, cap, &len, part);
    }
    if (measured == 0) {
        buf[0] = '\0';
        return -1;
    }
    if (!same_cpu) append(buf, cap, &len, ", on different CPUs: the times compare the machines too");
    /* The best cell of each source, as its verdict names it. */
    int same = 1, any = 0;
    for (k = 0; k < n; k++) {
        json_t *v = verdict_of(report, workload, gs_jstr(json_array_get(srcs, k), "label"));
        if (v == NULL || !json_is_object(json_object_get(v, "best"))) continue;
        gs_view_cell_label(json_object_get(v, "best"), 0, label, sizeof(label));
        if (any && strcmp(label, prev) != 0) same = 0;
        if (!any) snprintf(prev, sizeof(prev), "%s", label);
        any = 1;
    }
    if (any && same) {
        snprintf(part, sizeof(part), "; the best stayed %s", prev);
        append(buf, cap, &len, part);
    } else if (any) {
        append(buf, cap, &len, "; the best:");
        for (k = 0, any = 0; k < n; k++) {
            const char *src = gs_jstr(json_array_get(srcs, k), "label");
            json_t *v = verdict_of(report, workload, src);
            if (v == NULL || !json_is_object(json_object_get(v, "best"))) continue;
            gs_view_cell_label(json_object_get(v, "best"), 0, label, sizeof(label));
            snprintf(part, sizeof(part), "%s %s on %s", any++ ? "," : "", label, src);
            append(buf, cap, &len, part);
        }
    }
    gs_utf8_trim(buf);
    return 0;
}

#define DELIVERING_SAID 0.9 /* capacity below this part of the usable cores: the header says it */

void gs_view_fmt_cores(json_t *metadata, char *buf, size_t cap) {
    json_t *m = json_object_get(metadata, "machine"), *c = json_object_get(m, "capacity");
    long long cores = json_integer_value(json_object_get(m ? m : metadata, "cores"));
    long long usable = json_integer_value(json_object_get(m, "usable"));
    size_t len = 0;
    char part[96];
    if (cap == 0) return;
    buf[0] = '\0';
    snprintf(part, sizeof(part), "%lld core%s", cores, cores == 1 ? "" : "s");
    append(buf, cap, &len, part);
    if (m == NULL) return;
    if (usable > 0 && usable < cores) {
        double quota = gs_jnum(m, "quota");
        long long affinity = json_integer_value(json_object_get(m, "affinity"));
        if (affinity == usable) snprintf(part, sizeof(part), ", %lld usable (affinity mask)", usable);
        else if (quota > 0) snprintf(part, sizeof(part), ", %lld usable (CPU quota %.2g)", usable, quota);
        else snprintf(part, sizeof(part), ", %lld usable", usable);
        append(buf, cap, &len, part);
    }
    json_t *lo = json_object_get(c, "min"), *hi = json_object_get(c, "max");
    if (usable > 0 && json_is_number(lo) && json_number_value(lo) < DELIVERING_SAID * (double)usable) {
        double a = json_number_value(lo), b = json_is_number(hi) ? json_number_value(hi) : a;
        if (b - a < 0.05) snprintf(part, sizeof(part), ", delivering %.1f", a);
        else snprintf(part, sizeof(part), ", delivering %.1f–%.1f", a, b);
        append(buf, cap, &len, part);
    }
}

void gs_view_interpreter(json_t *metadata, char *buf, size_t cap) {
    json_t *py = json_object_get(metadata, "python");
    snprintf(buf, cap, "%s %s", gs_jstr(py, "implementation"), gs_jstr(py, "version"));
    gs_utf8_trim(buf);
}

const char *gs_view_pool_start_method(json_t *metadata) {
    const char *m = json_string_value(json_object_get(metadata, "start_method_requested"));
    return m ? m : gs_jstr(metadata, "default_start_method");
}

/* Whether text names word as a whole word, ignoring case and '/' ("I/O-bound" names io). */
static int names_word(const char *text, const char *word) {
    char t[512];
    size_t n = 0, wl = strlen(word);
    for (; *text && n + 1 < sizeof(t); text++)
        if (*text != '/') t[n++] = (char)(*text >= 'A' && *text <= 'Z' ? *text - 'A' + 'a' : *text);
    t[n] = '\0';
    for (const char *p = t; wl > 0 && (p = strstr(p, word)) != NULL; p++) {
        int before = p == t || !isalnum((unsigned char)p[-1]), after = !isalnum((unsigned char)p[wl]);
        if (before && after) return 1;
    }
    return 0;
}

void gs_view_workload_title(json_t *w, char *buf, size_t cap) {
    const char *desc = json_string_value(json_object_get(w, "description"));
    const char *kind = json_string_value(json_object_get(w, "kind"));
    int n = snprintf(buf, cap, "%s", gs_jstr(w, "name"));
    if (desc && n >= 0 && (size_t)n < cap) n += snprintf(buf + n, cap - (size_t)n, " — %s", desc);
    if (kind && !(desc && names_word(desc, kind)) && n >= 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, " (%s)", kind);
    gs_utf8_trim(buf);
}

/* "8 tasks × size 1400000 (calibrated: --size auto)" of one workload entry. */
static void sizes_of(json_t *report, json_t *w, char *buf, size_t cap) {
    long long tasks = (long long)json_integer_value(json_object_get(gs_view_metadata_of(report, w), "tasks"));
    json_t *cal = json_object_get(w, "calibration");
    snprintf(buf, cap, "%lld task%s × size %lld%s", tasks, tasks == 1 ? "" : "s",
             (long long)json_integer_value(json_object_get(w, "size")),
             json_is_true(json_object_get(w, "size_ignored"))
                 ? " (--size auto: the run time does not grow with size; default kept)"
             : cal != NULL && !json_is_null(cal) ? " (calibrated: --size auto)"
                                                 : "");
}

void gs_view_workload_sizes(json_t *report, const char *name, char *buf, size_t cap) {
    char one[256], first[256] = "";
    size_t len = 0, i, parts = 0;
    int same = 1;
    json_t *w;
    if (cap == 0) return;
    buf[0] = '\0';
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (strcmp(gs_jstr(w, "name"), name) != 0 || json_is_string(json_object_get(w, "error"))) continue;
        sizes_of(report, w, one, sizeof(one));
        same &= parts == 0 || strcmp(first, one) == 0;
        if (parts++ == 0) snprintf(first, sizeof(first), "%s", one);
        append(buf, cap, &len, parts > 1 ? "; " : ""); /* "SOURCE: sizes" of each, when they differ */
        append(buf, cap, &len, gs_jstr(w, "source"));
        append(buf, cap, &len, json_is_string(json_object_get(w, "source")) ? ": " : "");
        append(buf, cap, &len, one);
    }
    if (same) snprintf(buf, cap, "%s", first);
    gs_utf8_trim(buf);
}

/* Whether warning x's message is that of an element of shown. */
static int was_shown(json_t *x, json_t *shown) {
    size_t i;
    json_t *y;
    json_array_foreach(shown, i, y) {
        if (strcmp(gs_jstr(x, "message"), gs_jstr(y, "message")) == 0) return 1;
    }
    return 0;
}

/* The group of warning i and every later one of its cause as one line,
 * naming at most 8 subjects; marks its members in done. */
static void group_line(json_t *ws, size_t i, json_t *shown, unsigned char *done, FILE *f) {
    json_t *x = json_array_get(ws, i), *z;
    const char *cause = gs_jstr(x, "cause"), *prev = NULL;
    size_t named = 0, k;
    fputs(gs_jstr(x, "finding"), f);
    json_array_foreach(ws, k, z) {
        if (k < i || done[k] || strcmp(gs_jstr(z, "cause"), cause) != 0 || was_shown(z, shown)) continue;
        done[k] = 1;
        if (named++ >= 8) continue;
        const char *wl = gs_jstr(z, "workload"); /* a workload's warnings come together */
        int same = prev != NULL && strcmp(prev, wl) == 0;
        if (!same && *wl) fprintf(f, "%s%s", prev ? "; " : " in ", wl);
        if (json_is_string(json_object_get(z, "strategy"))) {
            char label[128];
            gs_view_cell_label(z, 1, label, sizeof(label)); /* " · SOURCE" in a merged report */
            fprintf(f, "%s%s", same ? ", " : ": ", label);
        } else if (json_is_string(json_object_get(z, "source"))) {
            fprintf(f, "%s%s", same ? ", " : ": ", gs_jstr(z, "source"));
        }
        if (json_is_string(json_object_get(z, "detail"))) fprintf(f, " (%s)", gs_jstr(z, "detail"));
        prev = wl;
    }
    if (named > 8) fprintf(f, " and %zu more", named - 8);
    if (json_is_string(json_object_get(x, "fix"))) fprintf(f, " — %s", gs_jstr(x, "fix"));
}

json_t *gs_view_warning_groups(json_t *report, json_t *shown) {
    json_t *ws = json_object_get(report, "warnings"), *out = json_array();
    size_t n = json_array_size(ws);
    unsigned char *done = calloc(n ? n : 1, 1);
    for (size_t i = 0; out && done && i < n; i++) {
        json_t *x = json_array_get(ws, i);
        if (done[i] || was_shown(x, shown)) continue;
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);
        if (f == NULL) break;
        if (json_is_string(json_object_get(x, "cause")) && json_is_string(json_object_get(x, "finding"))) {
            group_line(ws, i, shown, done, f);
        } else {
            done[i] = 1;
            if (json_is_string(json_object_get(x, "workload"))) fprintf(f, "%s: ", gs_jstr(x, "workload"));
            fputs(gs_jstr(x, "message"), f);
        }
        fclose(f);
        /* The same line from another source (a machine warning of every
         * interpreter of one run) once. */
        int seen = 0;
        size_t k;
        json_t *l;
        json_array_foreach(out, k, l) seen |= strcmp(json_string_value(l), line ? line : "") == 0;
        if (!seen) json_array_append_new(out, json_string(line ? line : ""));
        free(line);
    }
    if (done == NULL) {
        json_decref(out);
        out = NULL;
    }
    free(done);
    return out;
}

/* x with thousands separators, whole ("9,223"). */
static void fmt_thousands(double x, char *buf, size_t cap) {
    char digits[64];
    snprintf(digits, sizeof(digits), "%.0f", x < 0 ? -x : x);
    size_t n = strlen(digits), o = 0;
    if (x < 0 && o + 1 < cap) buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void gs_view_fmt_measure(json_t *value, const char *unit, char *buf, size_t cap) {
    char num[64];
    if (json_is_string(value)) { /* a row's name: as it is */
        snprintf(buf, cap, "%s", json_string_value(value));
        gs_utf8_trim(buf);
        return;
    }
    if (!json_is_number(value)) {
        snprintf(buf, cap, "—");
        return;
    }
    double x = json_number_value(value), a = x < 0 ? -x : x;
    if (json_is_integer(value) || a >= 999.5) {
        fmt_thousands(x, num, sizeof(num));
    } else if (a == 0) {
        snprintf(num, sizeof(num), "0");
    } else {
        int decimals = 2;
        for (double m = a; m >= 10 && decimals > 0; m /= 10) decimals--;
        for (double m = a; m < 1 && decimals < 9; m *= 10) decimals++;
        snprintf(num, sizeof(num), "%.*f", decimals, x);
    }
    unit = unit ? unit : "";
    /* "12 ms", "3.1 µs", but "40%" and "14,771/s" */
    snprintf(buf, cap, "%s%s%s", num, unit[0] != '\0' && unit[0] != '%' && unit[0] != '/' ? " " : "", unit);
    gs_utf8_trim(buf);
}

/* The MEASURES of the workload entry of cell c (its source's in a merged
 * report), or NULL. */
static json_t *measures_of(json_t *report, json_t *c) {
    const char *src = json_string_value(json_object_get(c, "source"));
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (strcmp(gs_jstr(w, "name"), gs_jstr(c, "workload")) != 0) continue;
        if (src && strcmp(gs_jstr(w, "source"), src) != 0) continue;
        json_t *m = json_object_get(w, "measures");
        return json_is_array(m) && json_array_size(m) > 0 ? m : NULL;
    }
    return NULL;
}

/* A measured value's text: a name of up to 64 bytes (GS_PROTO_VALUE_TEXT_MAX)
 * or a number with its unit, with room to spare. */
#define GS_VIEW_MEASURE_CAP 128

int gs_view_measured_tab(json_t *report, json_t *c, gs_tab *t) {
    json_t *measured = json_object_get(c, "measured"), *values = json_object_get(measured, "values");
    json_t *measures = measures_of(report, c);
    memset(t, 0, sizeof(*t));
    if (!json_is_array(values) || measures == NULL) return -1;
    size_t ncols = json_array_size(measures);
    const char **head = calloc(ncols, sizeof(*head));
    int *right = calloc(ncols, sizeof(*right));
    char (*cells)[GS_VIEW_MEASURE_CAP] = calloc(ncols, sizeof(*cells));
    const char **row = calloc(ncols, sizeof(*row));
    int rc = head && right && cells && row ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < ncols; k++) {
        head[k] = gs_jstr(json_array_get(measures, k), "label");
        right[k] = 1;
        row[k] = cells[k];
    }
    if (rc == 0) rc = gs_tab_init(t, ncols, head, right);
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        if (rc != 0) break;
        for (size_t k = 0; k < ncols; k++)
            gs_view_fmt_measure(json_array_get(v, k), gs_jstr(json_array_get(measures, k), "unit"), cells[k], GS_VIEW_MEASURE_CAP);
        rc = gs_tab_add(t, row);
    }
    if (rc != 0) gs_tab_free(t);
    free(head), free(right), free(cells), free(row);
    return rc;
}

void gs_view_fmt_measured_from(json_t *c, char *buf, size_t cap) {
    json_t *m = json_object_get(c, "measured");
    buf[0] = '\0';
    if (!json_is_object(m)) return;
    long long n = (long long)json_integer_value(json_object_get(json_object_get(c, "wall_s"), "n"));
    if (n > 1) snprintf(buf, cap, "measured in the run of median wall of %lld", n);
    else snprintf(buf, cap, "measured in one run");
}

/* Whether cell b repeats cell a's unavailability: same workload and
 * strategy label, both unavailable for the same reason. */
static int repeats_unavailable(json_t *a, json_t *b) {
    char la[64], lb[64];
    if (!json_is_false(json_object_get(a, "available")) || !json_is_false(json_object_get(b, "available"))) return 0;
    if (!json_is_string(json_object_get(a, "unavailable_reason")) ||
        strcmp(gs_jstr(a, "unavailable_reason"), gs_jstr(b, "unavailable_reason")) != 0 ||
        strcmp(gs_jstr(a, "workload"), gs_jstr(b, "workload")) != 0)
        return 0;
    gs_view_strategy_label(a, la, sizeof(la));
    gs_view_strategy_label(b, lb, sizeof(lb));
    return strcmp(la, lb) == 0;
}

size_t gs_view_row_span(json_t *cells, size_t i, char *buf, size_t cap) {
    json_t *first = json_array_get(cells, i);
    size_t n = 1, len = 0;
    int w = snprintf(buf, cap, "%lld", (long long)json_integer_value(json_object_get(first, "workers")));
    len = w > 0 && (size_t)w < cap ? (size_t)w : 0;
    for (json_t *c; (c = json_array_get(cells, i + n)) != NULL && repeats_unavailable(first, c); n++) {
        w = snprintf(buf + len, cap - len, ",%lld", (long long)json_integer_value(json_object_get(c, "workers")));
        if (w < 0 || (size_t)w >= cap - len) { /* no room: the row stops here */
            buf[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
    return n;
}

void gs_view_each_measured(json_t *report, const char *workload, void (*fn)(const gs_view_measured *m, void *arg),
                           void *arg) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        gs_tab t;
        if (strcmp(gs_jstr(c, "workload"), workload) != 0 || gs_view_measured_tab(report, c, &t) != 0) continue;
        gs_view_measured m = {c, &t, "", NULL};
        char from[256], label[160];
        gs_view_fmt_measured_from(c, from, sizeof(from));
        gs_view_cell_label(c, 1, label, sizeof(label));
        snprintf(m.title, sizeof(m.title), "%s, %s", label, from);
        const char *why = json_string_value(json_object_get(json_object_get(c, "measured"), "explanation"));
        m.explanation = why && *why ? why : NULL;
        fn(&m, arg);
        gs_tab_free(&t);
    }
}

const char *gs_view_lesson_title(json_t *report) {
    json_t *t = json_object_get(json_object_get(report, "lesson"), "title");
    return json_is_string(t) ? json_string_value(t) : NULL;
}

json_t *gs_view_lesson_paragraphs(json_t *report) {
    json_t *p = json_object_get(json_object_get(report, "lesson"), "paragraphs"), *x;
    size_t i;
    if (!json_is_array(p) || gs_view_lesson_title(report) == NULL) return NULL;
    json_array_foreach(p, i, x) if (!json_is_string(x)) return NULL;
    return p;
}

void gs_view_write_lesson(FILE *f, json_t *report, const gs_view_lesson_markup *m) {
    json_t *paras = gs_view_lesson_paragraphs(report), *p;
    size_t i;
    if (paras == NULL) return;
    fputs(m->title_before, f);
    m->title(f, gs_view_lesson_title(report), m->ctx);
    fputs(m->title_after, f);
    json_array_foreach(paras, i, p) {
        fputs(m->para_before, f);
        m->para(f, json_string_value(p), m->ctx);
        fputs(m->para_after, f);
    }
    fputs(m->after, f);
}

json_t *gs_view_profile(json_t *c) {
    json_t *p = json_object_get(c, "profile");
    return json_is_object(p) && json_is_string(json_object_get(p, "scope")) ? p : NULL;
}

int gs_view_fmt_profile_top(json_t *c, int n, char *buf, size_t cap) {
    json_t *p = gs_view_profile(c), *e;
    size_t i, len = 0;
    if (cap > 0) buf[0] = '\0';
    if (p == NULL) return -1;
    double total = gs_jnum(p, "total_own_s");
    json_array_foreach(json_object_get(p, "by_own"), i, e) {
        if ((int)i >= n) break;
        char t[32], share[16] = "";
        double own = gs_jnum(e, "own_s");
        gs_view_fmt_time(own, gs_view_time_unit(own), t, sizeof(t));
        if (total > 0) snprintf(share, sizeof(share), " (%.0f%%)", 100 * own / total);
        int k = snprintf(buf + len, cap - len, "%s%s %s%s", i ? " · " : "", gs_jstr(e, "function"), t, share);
        if (k < 0 || len + (size_t)k >= cap) break;
        len += (size_t)k;
    }
    if (len == 0) {
        snprintf(buf, cap, "%s", gs_jstr(p, "scope"));
        return -1;
    }
    gs_utf8_trim(buf);
    return 0;
}

int gs_view_fmt_transfer(json_t *report, json_t *c, char *buf, size_t cap) {
    json_t *t = json_object_get(c, "transfer");
    if (cap > 0) buf[0] = '\0';
    if (!json_is_object(t)) return -1;
    json_int_t tasks = json_integer_value(json_object_get(gs_view_metadata_of(report, c), "tasks"));
    if (tasks < 1) tasks = 1;
    json_int_t per_task = json_integer_value(json_object_get(t, "task_bytes")) / tasks;
    json_int_t per_result = json_integer_value(json_object_get(t, "result_bytes")) / tasks;
    double s = gs_jnum(t, "pickle_s") + gs_jnum(t, "unpickle_s");
    double wall = gs_jnum(json_object_get(c, "wall_s"), "median");
    char a[32], b[32], d[32], share[48] = "";
    gs_view_fmt_bytes(per_task, a, sizeof(a));
    gs_view_fmt_bytes(per_result, b, sizeof(b));
    gs_view_fmt_time(s, gs_view_time_unit(s), d, sizeof(d));
    if (wall > 0) snprintf(share, sizeof(share), ", %.0f%% of the wall median", 100 * s / wall);
    snprintf(buf, cap, "%s per task, %s per result; pickling and unpickling all of them once: %s%s", a, b, d, share);
    gs_utf8_trim(buf);
    return (wall > 0 && s >= GS_VIEW_TRANSFER_SHARE * wall) || per_task >= GS_VIEW_TRANSFER_BYTES;
}
