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

/* Terminal text: the heads then the rows, each line indented by indent
 * spaces, columns two spaces apart and padded to their widest cell
 * (gs_text_cols), right-aligned where t->right says. */
int gs_tab_write_text(const gs_tab *t, FILE *f, int indent);

void gs_tab_free(gs_tab *t);

/* Terminal text, shared by the terminal table and the progress lines. */

/* The width when the stream is not a terminal and COLUMNS does not say. */
#define GS_TEXT_DEFAULT_WIDTH 100

/* The width of the terminal f writes to (TIOCGWINSZ), else the COLUMNS
 * environment variable (a positive number), else GS_TEXT_DEFAULT_WIDTH. */
int gs_text_width(FILE *f);

/* The terminal columns of s: one per code point, none for ANSI escape
 * sequences ("\033[...m"). */
int gs_text_cols(const char *s);

/* Writes text, one or more lines, each ending in a newline, so that no line
 * is wider than width columns where spaces allow: a line keeps its leading
 * spaces and breaks at spaces (never around the "×" of "threads × 2" nor
 * before the unit of "7.5 µs"), its
 * continuation lines indented by hang columns; a word wider than the width
 * stays whole. width <= 0: as it is. */
void gs_text_wrap(FILE *f, const char *text, int hang, int width);

/* Writes one line of text cut to width columns, "…" marking the cut. */
void gs_text_cut(FILE *f, const char *text, int width);

#endif
