#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* syscall */
#endif
#include "reaper.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

#define POLL_MS 10

static int active;

int gs_reaper_become(void) {
#ifdef PR_SET_CHILD_SUBREAPER
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) {
        active = 1;
        return 0;
    }
    return -errno;
#else
    return -ENOSYS;
#endif
}

int gs_reaper_active(void) { return active; }

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(void) {
    struct timespec ts = {0, POLL_MS * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Every process, as (pid, ppid, state), from /proc. */
typedef struct node {
    pid_t pid, ppid;
    char state;
} node;

static size_t list_all(node **out) {
    DIR *d = opendir("/proc");
    size_t n = 0, cap = 0;
    node *v = NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)de->d_name[0])) continue;
        gs_proc_stat st;
        if (gs_procfs_read_stat((pid_t)atoi(de->d_name), &st) != 0) continue;
        if (n == cap) {
            node *g = realloc(v, (cap = cap ? 2 * cap : 256) * sizeof(*v));
            if (g == NULL) break;
            v = g;
        }
        v[n++] = (node){st.pid, st.ppid, st.state};
    }
    if (d) closedir(d);
    *out = v;
    return n;
}

/* The descendants of this process: indices into all[], breadth first. */
static size_t descendants(const node *all, size_t n, size_t *idx) {
    size_t m = 0;
    pid_t self = getpid();
    for (size_t i = 0; i < n; i++)
        if (all[i].ppid == self) idx[m++] = i;
    for (size_t k = 0; k < m; k++)
        for (size_t i = 0; i < n; i++)
            if (all[i].ppid == all[idx[k]].pid && all[i].pid != self) {
                int seen = 0;
                for (size_t j = 0; j < m && !seen; j++) seen = idx[j] == i;
                if (!seen) idx[m++] = i;
            }
    return m;
}

static int is_live(char state) { return state != 'Z' && state != 'X'; }

/* Reaps every zombie child of this process. */
static void reap_zombies(void) {
    node *all = NULL;
    size_t n = list_all(&all);
    for (size_t i = 0; i < n; i++)
        if (all[i].ppid == getpid() && !is_live(all[i].state)) waitpid(all[i].pid, NULL, WNOHANG);
    free(all);
}

/* The live descendants' pids into pids (at most cap); returns how many. */
static size_t live_descendants(pid_t *pids, size_t cap) {
    node *all = NULL;
    size_t n = list_all(&all), m = 0;
    size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
    if (idx != NULL) {
        size_t d = descendants(all, n, idx);
        for (size_t k = 0; k < d; k++)
            if (is_live(all[idx[k]].state)) {
                if (m < cap) pids[m] = all[idx[k]].pid;
                m++;
            }
    }
    free(idx);
    free(all);
    return m;
}

static void command_of(pid_t pid, char *buf, size_t cap) {
    char path[64], raw[1024];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;
    if (fd >= 0) close(fd);
    if (n <= 0) { /* a kernel thread, or gone: its name from stat */
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;
        if (fd >= 0) close(fd);
        if (n > 0 && raw[n - 1] == '\n') n--;
        if (n <= 0) n = 0;
    }
    while (n > 0 && raw[n - 1] == '\0') n--;
    size_t o = 0;
    int cut = n == (ssize_t)sizeof(raw);
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)raw[i];
        char piece[8];
        if (c == '\0') snprintf(piece, sizeof(piece), " ");
        else if (c < 0x20 || c >= 0x7f || c == '\\') snprintf(piece, sizeof(piece), "\\x%02x", c);
        else snprintf(piece, sizeof(piece), "%c", c);
        size_t len = strlen(piece);
        if (o + len + 4 > cap) { /* room for "…" and the NUL */
            cut = 1;
            break;
        }
        memcpy(buf + o, piece, len);
        o += len;
    }
    if (cut && o + 4 <= cap) memcpy(buf + o, "\xe2\x80\xa6", 3), o += 3;
    buf[o] = '\0';
}

/* Sends sig to pid through fd (a pidfd, or -1: kill). */
static void send_signal(pid_t pid, int fd, int sig) {
#ifdef SYS_pidfd_send_signal
    if (fd >= 0 && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0) return;
    if (fd >= 0) return; /* the process behind the pidfd is gone: its pid may be someone else's now */
#endif
    kill(pid, sig);
}

static int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

size_t gs_reaper_sweep(int settle_ms, int grace_ms, gs_leftover *out, size_t cap) {
    enum { MAX = 4096 };
    pid_t *pids = malloc(MAX * sizeof(*pids));
    int *fds = malloc(MAX * sizeof(*fds));
    if (pids == NULL || fds == NULL) {
        free(pids), free(fds);
        return 0;
    }
    size_t n = 0;
    for (int64_t end = now_ms() + settle_ms;;) {
        reap_zombies();
        n = live_descendants(pids, MAX);
        if (n == 0 || now_ms() >= end) break;
        nap();
    }
    size_t total = n;
    if (n > MAX) n = MAX;
    for (size_t i = 0; i < n; i++) {
        fds[i] = open_pidfd(pids[i]);
        if (i < cap) {
            out[i].pid = pids[i];
            command_of(pids[i], out[i].command, sizeof(out[i].command));
        }
    }
    for (size_t i = 0; i < n; i++) send_signal(pids[i], fds[i], SIGTERM);
    pid_t *still = malloc(MAX * sizeof(*still));
    for (int64_t end = now_ms() + grace_ms; still != NULL;) {
        reap_zombies();
        if (live_descendants(still, MAX) == 0 || now_ms() >= end) break;
        nap();
    }
    /* Whatever is alive now, the listed and any they started meanwhile. */
    for (int round = 0; still != NULL && round < 100; round++) {
        reap_zombies();
        size_t m = live_descendants(still, MAX);
        if (m == 0) break;
        for (size_t i = 0; i < n; i++) send_signal(pids[i], fds[i], SIGKILL);
        for (size_t j = 0; j < m && j < MAX; j++) {
            int listed = 0;
            for (size_t i = 0; i < n && !listed; i++) listed = pids[i] == still[j];
            if (!listed) kill(still[j], SIGKILL);
        }
        nap();
    }
    reap_zombies();
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0) close(fds[i]);
    free(still);
    free(pids);
    free(fds);
    return total;
}
