#include "tabwriter.h"

#include <stdlib.h>
#include <string.h>

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

void gs_tab_free(gs_tab *t) {
    for (size_t i = 0; i < t->ncols; i++) free(t->head ? t->head[i] : NULL);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->head);
    free(t->right);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}
