#include "exports.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"

#define WRITERS (GS_CMD_BIT(GS_CMD_RUN) | GS_CMD_BIT(GS_CMD_REPORT) | GS_CMD_BIT(GS_CMD_MERGE) | GS_CMD_BIT(GS_CMD_TEACH))

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

/* What identifies a destination's file: "-" for stdout, "i DEV INO" for one
 * that exists, else "p " and the real path of its directory with its name. */
static void identity(const char *path, char *key, size_t cap) {
    struct stat st;
    if (is_stdout(path)) {
        snprintf(key, cap, "-");
    } else if (stat(path, &st) == 0) {
        snprintf(key, cap, "i %llu %llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
    } else {
        char dir[4096], real[4096];
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        const char *base = slash ? slash + 1 : path;
        if (slash == dir) snprintf(dir, sizeof(dir), "/");
        else if (slash) *slash = '\0';
        else snprintf(dir, sizeof(dir), ".");
        if (realpath(dir, real) == NULL) snprintf(real, sizeof(real), "%s", dir);
        snprintf(key, cap, "p %s/%s", real, base);
    }
}

int gs_outputs_check(const gs_outputs *o, char *err, size_t errlen) {
    char keys[GS_EXPORT_COUNT][8300];
    for (int e = 0; e < GS_EXPORT_COUNT; e++) {
        if (o->path[e] == NULL) continue;
        if (gs_check_output_path(o->path[e], gs_outputs_flag(o, (gs_export)e), err, errlen) != 0) return -1;
        identity(o->path[e], keys[e], sizeof(keys[e]));
        for (int f = 0; f < e; f++)
            if (o->path[f] && strcmp(keys[f], keys[e]) == 0) {
                /* The flag of f first: gs_outputs_flag's buffer is per format. */
                snprintf(err, errlen, "%s: \"%s\" is also the destination of %s: give each output its own file",
                         gs_outputs_flag(o, (gs_export)e), is_stdout(o->path[e]) ? "-" : o->path[e],
                         gs_outputs_flag(o, (gs_export)f));
                return -1;
            }
    }
    return 0;
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

static int (*cancel_hook)(void);

void gs_outputs_set_cancel(int (*cancelled)(void)) { cancel_hook = cancelled; }

/* True when path exists and is not a regular file (a device, a FIFO, a
 * symlink to one): such a path is written in place, never replaced. A
 * directory is not special: it is refused. */
static int is_special(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* The temporary file a regular destination is written to first. Returns 0,
 * or -1 when the path is too long. */
static int temp_name(const char *path, char *tmp, size_t cap) {
    return snprintf(tmp, cap, "%s.tmp%d", path, (int)getpid()) < (int)cap ? 0 : -1;
}

int gs_check_output_path(const char *path, const char *flag, char *err, size_t errlen) {
    struct stat st;
    if (is_stdout(path)) return 0;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: \"%s\" is a directory", flag, path);
        return -1;
    }
    if (is_special(path)) {
        if (access(path, W_OK) == 0) return 0;
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        return -1;
    }
    char tmp[4096];
    if (temp_name(path, tmp, sizeof(tmp)) != 0) {
        snprintf(err, errlen, "%s: \"%s\": path too long", flag, path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}

/* Writes data to fd, waiting for room in steps of 100 ms and asking
 * cancel_hook between them, so that a stop signal ends a write nobody reads.
 * fd is non-blocking (a FIFO or device gilscope opened), or blocking (stdout,
 * whose open file gilscope shares with others and leaves as it is): there it
 * writes only after poll reported room, at most PIPE_BUF bytes, which a pipe
 * with room takes without blocking. Returns 0, or -1 with errno set (EINTR:
 * cancelled). */
static int write_all(int fd, const char *data, size_t len, size_t chunk) {
    size_t done = 0;
    while (done < len) {
        if (cancel_hook && cancel_hook()) {
            errno = EINTR;
            return -1;
        }
        struct pollfd p = {fd, POLLOUT, 0};
        if (poll(&p, 1, 100) <= 0) continue; /* no room yet, or EINTR: ask again */
        size_t want = len - done < chunk ? len - done : chunk;
        ssize_t n = write(fd, data + done, want);
        if (n > 0)
            done += (size_t)n;
        else if (n < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
    }
    return 0;
}

/* Writes data to a FIFO or device in place, without blocking: waits for a
 * reader (a FIFO opened for writing before anyone reads it fails with
 * ENXIO) in steps of 100 ms, asking cancel_hook between them, then writes it
 * as write_all does. Returns 0, or -1 with errno set (EINTR: cancelled). */
static int write_special(const char *path, const char *data, size_t len) {
    int fd;
    while ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        if (errno != ENXIO && errno != EINTR) return -1;
        if (cancel_hook && cancel_hook()) {
            errno = EINTR;
            return -1;
        }
        poll(NULL, 0, 100);
    }
    int rc = write_all(fd, data, len, 1 << 16);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* The report rendered by writer into memory (malloc'd, *len bytes), or NULL. */
static char *render(json_t *report, gs_export_writer writer, size_t *len) {
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (m == NULL) return NULL;
    int ok = writer(report, m) == 0;
    if (fclose(m) != 0) ok = 0;
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

int gs_export_to(json_t *report, gs_export_writer writer, const char *path, const char *flag, char *err,
                 size_t errlen) {
    int out = is_stdout(path);
    if (out || is_special(path)) {
        /* Rendered in memory, then written so that a stop signal ends a wait
         * for a reader or for room. */
        size_t len = 0;
        char *buf = render(report, writer, &len);
        if (buf == NULL) {
            snprintf(err, errlen, "%s: cannot render the report for \"%s\": out of memory", flag, path);
            return -1;
        }
        int rc = out ? (fflush(stdout) == 0 ? write_all(STDOUT_FILENO, buf, len, PIPE_BUF) : -1)
                     : write_special(path, buf, len);
        free(buf);
        if (rc != 0) {
            const char *why = errno == EINTR ? "interrupted while it waited for a reader or for room" : strerror(errno);
            if (out)
                snprintf(err, errlen, "%s: cannot write to stdout: %s", flag, why);
            else
                snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, why);
            return -1;
        }
        return 0;
    }
    char tmp[4096];
    if (temp_name(path, tmp, sizeof(tmp)) != 0) {
        snprintf(err, errlen, "%s: path too long", flag);
        return -1;
    }
    FILE *f = fopen(tmp, "we");
    int ok = f != NULL && writer(report, f) == 0 && fflush(f) == 0;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write \"%s\": %s", flag, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
