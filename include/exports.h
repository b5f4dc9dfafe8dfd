#ifndef GS_EXPORTS_H
#define GS_EXPORTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* The report's output formats, declared once (runner/render/exports.c): each
 * is one option (--export-json, ...), one writer over a JSON report
 * (docs/json-schema.md), one file under runner/render/. The command line, the
 * up-front checks, the rewrites after every run and `report`/`merge` all loop
 * over that table. Adding a format is one constant here, one row in
 * exports.c and one writer file. */

typedef enum gs_export {
    GS_EXPORT_JSON,     /* the versioned JSON report (render/json.c) */
    GS_EXPORT_MARKDOWN, /* tables for a CI job summary (render/markdown.c) */
    GS_EXPORT_CSV,      /* one row per cell (render/csv.c) */
    GS_EXPORT_HTML,     /* one self-contained page (render/html.c) */
    GS_EXPORT_TIMELINE, /* the per-thread timelines as SVG (render/timeline.c) */
    GS_EXPORT_COUNT
} gs_export;

/* A writer renders a whole report onto f. Returns 0, or -1 when a write
 * failed. */
typedef int (*gs_export_writer)(json_t *report, FILE *f);

/* One row of the table. Strings are static. */
typedef struct gs_exporter {
    const char *format;     /* "json", "markdown", ...: how docs and messages name it */
    const char *option;     /* its long option without the dashes */
    const char *arg;        /* the argument's name in --help */
    unsigned commands;      /* GS_CMD_BIT of every command that takes it */
    const char *help;       /* for --help */
    gs_export_writer write;
} gs_exporter;

/* The row of e, or NULL when out of range. */
const gs_exporter *gs_exporter_get(gs_export e);

/* The writers (one file each under runner/render/). */
int gs_export_json(json_t *report, FILE *f);
int gs_export_markdown(json_t *report, FILE *f);
int gs_export_csv(json_t *report, FILE *f);
int gs_export_html(json_t *report, FILE *f);
int gs_export_timeline(json_t *report, FILE *f);

/* The destinations one command line asked for: a path per format, "-" for
 * stdout, NULL when not asked. Points into argv; not owned. */
typedef struct gs_outputs {
    const char *path[GS_EXPORT_COUNT];
    const char *json_flag;  /* how the JSON destination was given when not by its own option ("--output"), or NULL */
} gs_outputs;

/* The option that names e's destination in messages ("--export-csv", or
 * o->json_flag for JSON). */
const char *gs_outputs_flag(const gs_outputs *o, gs_export e);

/* Whether any destination is stdout (to_stdout) or a file (!to_stdout). */
int gs_outputs_any(const gs_outputs *o, int to_stdout);

/* Checks every destination before anything is measured, exactly as it will
 * be written: a directory is refused; a FIFO or a character device
 * (/dev/null, /dev/stdout) is written in place, so it is only checked for
 * write access; any other path gets its temporary file created in its
 * directory and removed (nothing else is created). Two destinations that
 * are one file (the same path, another spelling of it, a link to it, or
 * stdout twice) are refused. Returns 0, or -1 with a message naming the
 * option and the path in err. */
int gs_outputs_check(const gs_outputs *o, char *err, size_t errlen);

/* Sets what a write waiting on a FIFO or a device asks, every 100 ms, to
 * know whether to give up (a pending SIGINT, SIGTERM or SIGHUP): non-zero
 * ends the wait and fails that destination alone. NULL (the default): wait
 * for ever. */
void gs_outputs_set_cancel(int (*cancelled)(void));

/* Writes report to every destination that is stdout (to_stdout) or a file
 * (!to_stdout). Returns 0, or -1 after printing why on stderr. */
int gs_outputs_write(const gs_outputs *o, json_t *report, int to_stdout);

/* Writes report with writer to path ("-" for stdout). A regular file is
 * written beside its final name and renamed over it, so a reader never sees
 * half a report; a FIFO or a device is written in place, without blocking
 * gilscope (a wait for a reader or for room is cancellable: see
 * gs_outputs_set_cancel). Returns 0, or -1 with a message naming flag and
 * path in err. */
int gs_export_to(json_t *report, gs_export_writer writer, const char *path, const char *flag, char *err,
                 size_t errlen);

/* Checks one destination as gs_outputs_check does (flag names the option
 * in the message). Returns 0, or -1 with err set. */
int gs_check_output_path(const char *path, const char *flag, char *err, size_t errlen);

#endif
