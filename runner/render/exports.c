#include "exports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"

#define WRITERS (GS_CMD_BIT(GS_CMD_RUN) | GS_CMD_BIT(GS_CMD_REPORT) | GS_CMD_BIT(GS_CMD_MERGE))

/* Every output format once, in the order --help lists them. Indexed by
 * gs_export, so a row cannot drift from its constant. */
static const gs_exporter table[GS_EXPORT_COUNT] = {
    [GS_EXPORT_MARKDOWN] = {"markdown", "export-markdown", "FILE", WRITERS,
                            "Write a Markdown report (one table per workload, the verdict under it; fits a CI job "
                            "summary) to FILE (run: rewritten after every run); - for stdout.",
                            gs_export_markdown},
    [GS_EXPORT_CSV] = {"csv", "export-csv", "FILE", WRITERS,
                       "Write one CSV row per cell (columns in docs/exports.md) to FILE (run: rewritten after every "
                       "run); - for stdout.",
                       gs_export_csv},
    [GS_EXPORT_HTML] = {"html", "export-html", "FILE", WRITERS,
                        "Write one self-contained HTML file (inline SVG: speedup bars with interval whiskers, "
                        "scaling curves, thread-state bars, timelines, verdicts; no network) to FILE (run: rewritten "
                        "after every run); - for stdout.",
                        gs_export_html},
    [GS_EXPORT_JSON] = {"json", "export-json", "FILE", WRITERS,
                        "Write the JSON report to FILE (run: rewritten after every run); - for stdout "
                        "(run: the table then goes to stderr).",
                        gs_export_json},
    [GS_EXPORT_TIMELINE] = {"timeline", "timeline", "FILE.svg", WRITERS,
                            "run: add one diagnostic run per cell, sampled at 1000 Hz, keep each worker thread's "
                            "states over time in the report (drawn in the HTML report too) and draw them into "
                            "FILE.svg, one panel per cell. report, merge: draw the timelines the reports hold. - for "
                            "stdout.",
                            gs_export_timeline},
};

const gs_exporter *gs_exporter_get(gs_export e) {
    return (unsigned)e < GS_EXPORT_COUNT && table[e].format != NULL ? &table[e] : NULL;
}

const char *gs_outputs_flag(const gs_outputs *o, gs_export e) {
    static char flags[GS_EXPORT_COUNT][40];
    if (e == GS_EXPORT_JSON && o->json_flag) return o->json_flag;
    const gs_exporter *x = gs_exporter_get(e);
    if (x == NULL) return "?";
    snprintf(flags[e], sizeof(flags[e]), "--%s", x->option);
    return flags[e];
}

static int is_stdout(const char *path) { return strcmp(path, "-") == 0; }

int gs_outputs_any(const gs_outputs *o, int to_stdout) {
    for (int e = 0; e < GS_EXPORT_COUNT; e++)
        if (o->path[e] != NULL && is_stdout(o->path[e]) == !!to_stdout) return 1;
    return 0;
}

int gs_outputs_check(const gs_outputs *o, int created[GS_EXPORT_COUNT], char *err, size_t errlen) {
    memset(created, 0, GS_EXPORT_COUNT * sizeof(int));
    for (int e = 0; e < GS_EXPORT_COUNT; e++)
        if (o->path[e] && gs_check_output_path(o->path[e], gs_outputs_flag(o, (gs_export)e), err, errlen, &created[e]) != 0)
            return -1;
    return 0;
}

void gs_outputs_unlink_created(const gs_outputs *o, const int created[GS_EXPORT_COUNT]) {
    for (int e = 0; e < GS_EXPORT_COUNT; e++)
        if (created[e]) unlink(o->path[e]);
}

int gs_outputs_write(const gs_outputs *o, json_t *report, int to_stdout) {
    int rc = 0;
    char err[512];
    for (int e = 0; e < GS_EXPORT_COUNT; e++) {
        const char *p = o->path[e];
        if (p == NULL || is_stdout(p) != !!to_stdout) continue;
        if (gs_export_to(report, table[e].write, p, gs_outputs_flag(o, (gs_export)e), err, sizeof(err)) != 0) {
            fprintf(stderr, "gilscope: %s\n", err);
            rc = -1;
        }
    }
    return rc;
}

/* True when path exists and is not a regular file (a device, a FIFO, a
 * symlink to one): such a path is written in place, never replaced. */
static int is_special(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int gs_check_output_path(const char *path, const char *flag, char *err, size_t errlen, int *created) {
    *created = 0;
    if (is_stdout(path)) return 0;
    if (is_special(path)) return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) *created = 1;
    else if (errno == EEXIST) fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

int gs_export_to(json_t *report, gs_export_writer writer, const char *path, const char *flag, char *err,
                 size_t errlen) {
    if (strcmp(path, "-") == 0) {
        if (writer(report, stdout) != 0 || fflush(stdout) != 0) {
            snprintf(err, errlen, "%s: cannot write to stdout: %s", flag, strerror(errno));
            return -1;
        }
        return 0;
    }
    int special = is_special(path);
    char tmp[4096];
    if (!special && snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", flag);
        return -1;
    }
    FILE *f = fopen(special ? path : tmp, "we");
    int ok = f != NULL && writer(report, f) == 0 && fflush(f) == 0;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok && !special) ok = rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        if (!special) unlink(tmp);
        return -1;
    }
    return 0;
}
