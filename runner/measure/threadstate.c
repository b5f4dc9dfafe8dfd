#include "threadstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x86_64 system call numbers (the only architecture measured so far; see
 * docs/thread-states.md). */
#if defined(__x86_64__)
#define NR_READ 0
#define NR_WRITE 1
#define NR_POLL 7
#define NR_PREAD64 17
#define NR_PWRITE64 18
#define NR_READV 19
#define NR_WRITEV 20
#define NR_SELECT 23
#define NR_NANOSLEEP 35
#define NR_SENDFILE 40
#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define NR_FUTEX 202
#define NR_EPOLL_WAIT 232
#define NR_CLOCK_NANOSLEEP 230
#define NR_PSELECT6 270
#define NR_PPOLL 271
#define NR_EPOLL_PWAIT 281
#define NR_ACCEPT4 288
#define NR_RECVMMSG 299
#define NR_SENDMMSG 307
#define NR_PREADV 295
#define NR_PWRITEV 296
#define NR_PREADV2 327
#define NR_PWRITEV2 328
#define NR_EPOLL_PWAIT2 441
#define NR_FUTEX_WAITV 449
#define NR_FSYNC 74
#define NR_FDATASYNC 75
#define NR_UNLINK 87
#define NR_SYNC 162
#define NR_UNLINKAT 263
#define NR_SYNC_FILE_RANGE 277
#define NR_SYNCFS 306
#else
#error "gilscope's system call table covers x86_64 only"
#endif

#define FUTEX_WAIT 0
#define FUTEX_WAIT_BITSET 9
#define FUTEX_CMD_MASK 0x7f /* strips FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME */


int gs_parse_syscall(const char *text, gs_syscall *out) {
    memset(out, 0, sizeof(*out));
    if (strncmp(text, "running", 7) == 0) {
        out->kind = GS_SYSCALL_RUNNING;
        return 0;
    }
    char *end;
    long nr = strtol(text, &end, 10);
    if (end == text) return -1;
    if (nr == -1) {
        out->kind = GS_SYSCALL_NONE;
        out->nr = -1;
        return 0;
    }
    if (nr < 0) return -1;
    out->kind = GS_SYSCALL_IN;
    out->nr = nr;
    const char *p = end;
    for (int i = 0; i < 6; i++) {
        while (*p == ' ') p++;
        if (strncmp(p, "0x", 2) != 0) return -1;
        out->args[i] = strtoull(p, &end, 16);
        if (end == p) return -1;
        p = end;
    }
    return 0;
}

int gs_parse_schedstat(const char *text, uint64_t *run_ns, uint64_t *wait_ns, uint64_t *slices) {
    unsigned long long a, b, c;
    if (sscanf(text, "%llu %llu %llu", &a, &b, &c) != 3) return -1;
    *run_ns = a;
    *wait_ns = b;
    *slices = c;
    return 0;
}

static void add_range(gs_ranges *r, uint64_t lo, uint64_t hi) {
    if (r->n < (int)(sizeof(r->lo) / sizeof(r->lo[0]))) {
        r->lo[r->n] = lo;
        r->hi[r->n] = hi;
        r->n++;
    }
}

int gs_parse_maps(const char *text, const char *exe, gs_ranges *out) {
    memset(out, 0, sizeof(*out));
    const char *line = text;
    uint64_t prev_hi = 0;
    int prev_static = 0; /* the previous line was a static-data mapping */
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[4096 + 256];
        if (len >= sizeof(buf)) len = sizeof(buf) - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        unsigned long long lo, hi;
        char perms[8] = "";
        int path_at = 0;
        if (sscanf(buf, "%llx-%llx %7s %*s %*s %*s %n", &lo, &hi, perms, &path_at) >= 3) {
            const char *path = path_at > 0 && path_at <= (int)len ? buf + path_at : "";
            int rw = strcmp(perms, "rw-p") == 0;
            int is_static = rw && *path &&
                            (strstr(path, "libpython") != NULL || (exe && strcmp(path, exe) == 0));
            if (is_static) {
                add_range(out, lo, hi);
            } else if (rw && *path == '\0' && prev_static && lo == prev_hi) {
                add_range(out, lo, hi); /* the bss right after the data */
            }
            prev_static = is_static;
            prev_hi = hi;
        }
        if (nl == NULL) break;
        line = nl + 1;
    }
    return out->n;
}

int gs_ranges_contain(const gs_ranges *r, uint64_t addr) {
    for (int i = 0; r && i < r->n; i++)
        if (addr >= r->lo[i] && addr < r->hi[i]) return 1;
    return 0;
}

int gs_futex_is_timed_wait(const gs_syscall *sc) {
    if (sc->kind != GS_SYSCALL_IN || sc->nr != NR_FUTEX) return 0;
    int cmd = (int)(sc->args[1] & FUTEX_CMD_MASK);
    return (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) && sc->args[3] != 0;
}

gs_state gs_classify_syscall(const gs_syscall *sc, const gs_ranges *gil) {
    if (sc->kind != GS_SYSCALL_IN) return GS_ST_OTHER;
    switch (sc->nr) {
    case NR_FUTEX:
        if (gs_futex_is_timed_wait(sc) && gs_ranges_contain(gil, sc->args[0])) return GS_ST_GIL;
        return GS_ST_LOCK;
    case NR_FUTEX_WAITV:
        return GS_ST_LOCK;
    case NR_NANOSLEEP:
    case NR_CLOCK_NANOSLEEP:
        return GS_ST_SLEEP;
    case NR_SELECT:
    case NR_PSELECT6:
        /* Python <= 3.10's time.sleep is select() with no descriptors. */
        return sc->args[0] == 0 ? GS_ST_SLEEP : GS_ST_IO;
    case NR_POLL:
    case NR_PPOLL:
        return sc->args[1] == 0 ? GS_ST_SLEEP : GS_ST_IO;
    case NR_READ: case NR_WRITE: case NR_PREAD64: case NR_PWRITE64: case NR_READV:
    case NR_WRITEV: case NR_SENDFILE: case NR_CONNECT: case NR_ACCEPT: case NR_SENDTO:
    case NR_RECVFROM: case NR_SENDMSG: case NR_RECVMSG: case NR_EPOLL_WAIT:
    case NR_EPOLL_PWAIT: case NR_ACCEPT4: case NR_RECVMMSG: case NR_SENDMMSG:
    case NR_PREADV: case NR_PWRITEV: case NR_PREADV2: case NR_PWRITEV2: case NR_EPOLL_PWAIT2:
    /* waiting for the disk: flushing to it, and removing a file (its blocks freed) */
    case NR_FSYNC: case NR_FDATASYNC: case NR_SYNC: case NR_SYNCFS: case NR_SYNC_FILE_RANGE:
    case NR_UNLINK: case NR_UNLINKAT:
        return GS_ST_IO;
    default:
        return GS_ST_OTHER;
    }
}

int gs_track_push(gs_track *t, const gs_tsample *s) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        gs_tsample *p = realloc(t->s, cap * sizeof(*p));
        if (p == NULL) return -1;
        t->s = p;
        t->cap = cap;
    }
    t->s[t->n++] = *s;
    return 0;
}

void gs_track_free(gs_track *t) {
    free(t->s);
    t->s = NULL;
    t->n = t->cap = 0;
}

static int in_task(uint64_t t, const gs_interval *tasks, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (t >= tasks[i].t0_ns && t <= tasks[i].t1_ns) return 1;
    return 0;
}

/* The state a not-running sample stands for. */
static gs_state sample_state(const gs_tsample *s, const gs_interval *tasks, size_t ntasks) {
    if (!in_task(s->t_ns, tasks, ntasks)) return GS_ST_IDLE;
    return (gs_state)s->kind;
}

void gs_account_thread(const gs_track *t, uint64_t w0, uint64_t w1, const gs_interval *tasks,
                       size_t ntasks, gs_thread_states *acc) {
    size_t first = t->n, last = 0, counted = 0;
    uint64_t count[GS_ST_COUNT] = {0};
    for (size_t i = 0; i < t->n; i++) {
        const gs_tsample *s = &t->s[i];
        if (s->t_ns < w0 || s->t_ns > w1) continue;
        if (first == t->n) first = i;
        last = i;
        acc->samples++;
        if (s->sched_state == 'R') continue;
        count[sample_state(s, tasks, ntasks)]++;
        counted++;
    }
    if (first == t->n || last == first) return;
    const gs_tsample *a = &t->s[first], *b = &t->s[last];
    double span = (double)(b->t_ns - a->t_ns);
    double run = (double)(b->run_ns - a->run_ns);
    double wait = (double)(b->wait_ns - a->wait_ns);
    /* schedstat and the sample clock are read a few microseconds apart. */
    if (run > span) run = span;
    if (wait > span - run) wait = span - run;
    double rest = span - run - wait;
    acc->ns[GS_ST_ON_CPU] += run;
    acc->ns[GS_ST_WAIT_CORE] += wait;
    if (counted == 0) {
        acc->ns[GS_ST_OTHER] += rest;
    } else {
        for (int k = 0; k < GS_ST_COUNT; k++) acc->ns[k] += rest * (double)count[k] / (double)counted;
    }
    acc->lifetime_ns += span;
    acc->switches += b->slices - a->slices;
    acc->threads++;
}

size_t gs_track_segments(const gs_track *t, uint64_t w0, uint64_t w1, const gs_interval *tasks,
                         size_t ntasks, gs_segment *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i + 1 < t->n && n < cap; i++) {
        const gs_tsample *a = &t->s[i], *b = &t->s[i + 1];
        if (b->t_ns < w0 || a->t_ns > w1 || b->t_ns <= a->t_ns) continue;
        double dt = (double)(b->t_ns - a->t_ns);
        gs_state st;
        if ((double)(b->run_ns - a->run_ns) > dt / 2) st = GS_ST_ON_CPU;
        else if ((double)(b->wait_ns - a->wait_ns) > dt / 2) st = GS_ST_WAIT_CORE;
        else if (a->sched_state == 'R') st = in_task(a->t_ns, tasks, ntasks) ? GS_ST_ON_CPU : GS_ST_IDLE;
        else st = sample_state(a, tasks, ntasks);
        uint64_t t0 = a->t_ns < w0 ? w0 : a->t_ns, t1 = b->t_ns > w1 ? w1 : b->t_ns;
        if (n > 0 && out[n - 1].state == st && out[n - 1].t1_ns == t0) {
            out[n - 1].t1_ns = t1;
        } else {
            out[n].t0_ns = t0;
            out[n].t1_ns = t1;
            out[n].state = (uint8_t)st;
            n++;
        }
    }
    return n;
}
