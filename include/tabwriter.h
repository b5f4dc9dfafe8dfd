#ifndef GS_TABWRITER_H
#define GS_TABWRITER_H

#include <stddef.h>
#include <stdio.h>

/* A generic table shared by the text exporters: columns with a header and
 * an alignment, rows of strings (copied). Each format is a writer over it. */
typedef struct gs_tab {
    size_t ncols;
    char **head;      /* owned copies */
    int *right;       /* right-align column i */
    char **cells;     /* nrows * ncols owned strings */
    size_t nrows;
} gs_tab;

/* Starts a table of ncols columns. Returns 0 or -1 (out of memory). */
int gs_tab_init(gs_tab *t, size_t ncols, const char *const *head, const int *right);

/* Appends a row of ncols strings (NULL is an empty cell). Returns 0 or -1. */
int gs_tab_add(gs_tab *t, const char *const *row);

/* GitHub-flavoured Markdown: header, alignment row, rows; '|' escaped. */
int gs_tab_write_markdown(const gs_tab *t, FILE *f);

/* RFC 4180 CSV: header then rows; fields with a comma, quote or newline are
 * quoted, quotes doubled; lines end in "\r\n" as the RFC says. */
int gs_tab_write_csv(const gs_tab *t, FILE *f);

void gs_tab_free(gs_tab *t);

#endif
