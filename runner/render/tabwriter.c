#include "tabwriter.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

int gs_tab_init(gs_tab *t, size_t ncols, const char *const *head, const int *right) {
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->head = calloc(ncols, sizeof(char *));
    t->right = calloc(ncols, sizeof(int));
    if (t->head == NULL || t->right == NULL) return -1;
    for (size_t i = 0; i < ncols; i++) {
        t->head[i] = dup_or_empty(head[i]);
        t->right[i] = right ? right[i] : 0;
    }
    return 0;
}

int gs_tab_add(gs_tab *t, const char *const *row) {
    char **c = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
    if (c == NULL) return -1;
    t->cells = c;
    for (size_t i = 0; i < t->ncols; i++) c[t->nrows * t->ncols + i] = dup_or_empty(row[i]);
    t->nrows++;
    return 0;
}

/* A Markdown cell: '|' escaped, newlines turned into spaces. */
static void md_cell(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else fputc(*s, f);
    }
}

int gs_tab_write_markdown(const gs_tab *t, FILE *f) {
    fputc('|', f);
    for (size_t i = 0; i < t->ncols; i++) {
        fputc(' ', f);
        md_cell(f, t->head[i]);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (size_t i = 0; i < t->ncols; i++) fputs(t->right[i] ? "---:|" : "---|", f);
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputc('|', f);
        for (size_t i = 0; i < t->ncols; i++) {
            fputc(' ', f);
            md_cell(f, t->cells[r * t->ncols + i]);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

static void csv_field(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int gs_tab_write_csv(const gs_tab *t, FILE *f) {
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t i = 0; i < t->ncols; i++) {
            if (i) fputc(',', f);
            csv_field(f, r == 0 ? t->head[i] : t->cells[(r - 1) * t->ncols + i]);
        }
        fputs("\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}

static int cols_n(const char *s, size_t n);

int gs_tab_write_text(const gs_tab *t, FILE *f, int indent) {
    int *w = calloc(t->ncols ? t->ncols : 1, sizeof(int));
    if (w == NULL) return -1;
    for (size_t r = 0; r <= t->nrows; r++)
        for (size_t i = 0; i < t->ncols; i++) {
            const char *s = r == 0 ? t->head[i] : t->cells[(r - 1) * t->ncols + i];
            int c = cols_n(s, strlen(s));
            if (c > w[i]) w[i] = c;
        }
    for (size_t r = 0; r <= t->nrows; r++) {
        char **line = r == 0 ? t->head : t->cells + (r - 1) * t->ncols;
        size_t end = t->ncols; /* up to the last cell with text: no trailing spaces */
        while (end > 0 && !*line[end - 1]) end--;
        fprintf(f, "%*s", indent, "");
        for (size_t i = 0; i < end; i++) {
            const char *s = line[i];
            int fill = w[i] - cols_n(s, strlen(s)), last = i + 1 == end;
            if (i) fputs("  ", f);
            if (t->right[i]) fprintf(f, "%*s%s", fill, "", s);
            else fprintf(f, "%s%*s", s, last ? 0 : fill, "");
        }
        fputc('\n', f);
    }
    free(w);
    return ferror(f) ? -1 : 0;
}

void gs_tab_free(gs_tab *t) {
    for (size_t i = 0; i < t->ncols; i++) free(t->head ? t->head[i] : NULL);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->head);
    free(t->right);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

/* The columns of the n bytes at s (gs_text_cols). */
static int cols_n(const char *s, size_t n) {
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033') {
            while (i + 1 < n && s[i] != 'm') i++;
            continue;
        }
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    }
    return w;
}

int gs_text_cols(const char *s) { return cols_n(s, strlen(s)); }

/* Whether the word at w (up to a space, a newline or end) is a unit that
 * stays with the number before it: "ms", "µs)", "MiB,". */
static int is_unit(const char *w, const char *end) {
    static const char *const units[] = {"s", "ms", "µs", "KiB", "MiB", "GiB"};
    size_t n = strcspn(w, " \n");
    if (w + n > end) n = (size_t)(end - w);
    while (n > 0 && strchr(",;:.)]", w[n - 1])) n--;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (n == strlen(units[i]) && strncmp(w, units[i], n) == 0) return 1;
    return 0;
}

void gs_text_wrap(FILE *f, const char *text, int hang, int width) {
    const char *p = text;
    do {
        const char *end = p + strcspn(p, "\n"), *q = p;
        int col = 0, words = 0;
        while (q < end) {
            const char *w = q + strspn(q, " ");
            if (w >= end) break; /* trailing spaces */
            const char *e = w + strcspn(w, " \n");
            /* "threads × 2" and "7.5 µs" stay whole. */
            for (;;) {
                if (e < end && strncmp(e, " × ", 4) == 0 && e + 4 < end && e[4] != ' ') e += 4;
                else if (e + 1 < end && e[0] == ' ' && e[1] != ' ' && is_unit(e + 1, end)) e += 1;
                else break;
                e += strcspn(e, " \n");
            }
            if (e > end) e = end;
            int gap = cols_n(q, (size_t)(w - q)), ww = cols_n(w, (size_t)(e - w));
            if (words > 0 && width > 0 && col + gap + ww > width) {
                fprintf(f, "\n%*s", hang, "");
                col = hang;
            } else {
                fwrite(q, 1, (size_t)(w - q), f);
                col += gap;
            }
            fwrite(w, 1, (size_t)(e - w), f);
            col += ww;
            words++;
            q = e;
        }
        fputc('\n', f);
        p = *end ? end + 1 : end;
    } while (*p);
}

void gs_text_cut(FILE *f, const char *text, int width) {
    size_t n = strcspn(text, "\n");
    if (width <= 1 || cols_n(text, n) <= width) {
        fprintf(f, "%.*s\n", (int)n, text);
        return;
    }
    size_t i = 0;
    for (int w = 0; i < n; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80 && ++w == width) break;
    }
    fprintf(f, "%.*s…\n", (int)i, text);
}

int gs_text_width(FILE *f) {
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *env = getenv("COLUMNS");
    char *end = NULL;
    long n = env && *env ? strtol(env, &end, 10) : 0;
    return n > 0 && n <= 100000 && *end == '\0' ? (int)n : GS_TEXT_DEFAULT_WIDTH;
}
