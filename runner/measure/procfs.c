#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int gs_procfs_parse_stat(const char *text, size_t len, gs_proc_stat *out) {
    char buf[1024];
    if (len >= sizeof(buf)) len = sizeof(buf) - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *close = strrchr(buf, ')');
    if (close == NULL || close[1] != ' ') return -1;
    memset(out, 0, sizeof(*out));
    out->pid = (pid_t)strtol(buf, NULL, 10);
    /* Fields after the command, numbered as in proc(5): 3 state, 4 ppid,
     * 5 pgrp, 6 session, 14 utime, 15 stime, 16 cutime, 17 cstime,
     * 20 num_threads, 22 starttime, 24 rss. */
    char *save = NULL;
    int field = 3;
    for (char *tok = strtok_r(close + 2, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        switch (field) {
        case 3: out->state = tok[0]; break;
        case 4: out->ppid = (pid_t)strtol(tok, NULL, 10); break;
        case 5: out->pgrp = (pid_t)strtol(tok, NULL, 10); break;
        case 6: out->session = (pid_t)strtol(tok, NULL, 10); break;
        case 14: out->utime = strtoull(tok, NULL, 10); break;
        case 15: out->stime = strtoull(tok, NULL, 10); break;
        case 16: out->cutime = strtoull(tok, NULL, 10); break;
        case 17: out->cstime = strtoull(tok, NULL, 10); break;
        case 20: out->num_threads = strtoll(tok, NULL, 10); break;
        case 22: out->starttime = strtoull(tok, NULL, 10); break;
        case 24: out->rss_pages = strtoll(tok, NULL, 10); return 0;
        default: break;
        }
        field++;
    }
    return -1;
}

int gs_procfs_read_stat(pid_t pid, gs_proc_stat *out) {
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n;
    do {
        n = read(fd, buf, sizeof(buf));
    } while (n < 0 && errno == EINTR);
    close(fd);
    if (n <= 0) {
        if (n == 0) errno = ESRCH;
        return -1;
    }
    if (gs_procfs_parse_stat(buf, (size_t)n, out) != 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int gs_procfs_each_in_session(pid_t sid, int (*cb)(void *ctx, const gs_proc_stat *st), void *ctx) {
    DIR *d = opendir("/proc");
    if (d == NULL) return 0;
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)de->d_name[0])) continue;
        gs_proc_stat st;
        if (gs_procfs_read_stat((pid_t)atoi(de->d_name), &st) != 0) continue;
        if (st.session != sid || st.state == 'Z' || st.state == 'X') continue;
        found++;
        if (cb != NULL && cb(ctx, &st) != 0) break;
    }
    closedir(d);
    return found;
}

static int kill_one(void *ctx, const gs_proc_stat *st) {
    (void)ctx;
    kill(st->pid, SIGKILL);
    return 0;
}

static int signal_one(void *ctx, const gs_proc_stat *st) {
    kill(st->pid, *(const int *)ctx);
    return 0;
}

int gs_procfs_signal_session(pid_t sid, int sig) { return gs_procfs_each_in_session(sid, signal_one, &sig); }

/* Milliseconds on CLOCK_MONOTONIC. */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gs_procfs_kill_session(pid_t sid, int wait_ms) {
    int alive = gs_procfs_each_in_session(sid, kill_one, NULL);
    if (alive == 0) return 0;
    for (int64_t end = now_ms() + wait_ms; now_ms() < end;) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (gs_procfs_each_in_session(sid, kill_one, NULL) == 0) break;
    }
    return alive;
}

int gs_procfs_wait_session_empty(pid_t sid, int wait_ms) {
    int alive = gs_procfs_each_in_session(sid, NULL, NULL);
    for (int64_t end = now_ms() + wait_ms; alive > 0 && now_ms() < end;) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
        alive = gs_procfs_each_in_session(sid, NULL, NULL);
    }
    return alive;
}

int gs_procfs_parse_smaps_rollup(const char *text, gs_proc_mem *out) {
    static const struct {
        const char *key;
        int uss;
    } fields[] = {{"Pss:", 0}, {"Private_Clean:", 1}, {"Private_Dirty:", 1}, {"Private_Hugetlb:", 1}};
    int found = 0;
    out->pss_bytes = out->uss_bytes = 0;
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
            size_t n = strlen(fields[i].key);
            if (strncmp(line, fields[i].key, n) != 0) continue;
            long long kb = strtoll(line + n, NULL, 10);
            if (fields[i].uss) out->uss_bytes += kb * 1024;
            else out->pss_bytes = kb * 1024, found = 1;
        }
    }
    return found ? 0 : -1;
}
