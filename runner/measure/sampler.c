#include "sampler.h"

#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 256
#define LIST_EVERY 4
#define MEM_GROWTH 50 /* smaps_rollup is read again when the tree's RSS has grown by 1/50 and stopped growing, */
#define MEM_LEAP 10   /* or while it keeps growing, by 1/10 */

typedef struct thr {
    pid_t tid;
    int fd_stat, fd_sched, fd_sys;
    size_t track;         /* index into the sampler's tracks */
    int alive;
    int has_last;         /* last holds the previous sample */
    gs_tsample last;
} thr;

typedef struct proc {
    pid_t pid;
    int fd_stat;
    int fd_smaps;         /* smaps_rollup, or -1 (kernel before 4.14, or not readable) */
    int alive;
    int threads_seen;     /* num_threads when the task directory was last listed */
    int ranges_loaded;
    gs_ranges gil;        /* where this process's GIL can be */
    thr *t;
    size_t nt, capt;
} proc;

typedef struct state {
    proc p[MAX_PROCS];
    int np;
    unsigned char *foreign; /* bitmap of pids looked at and not ours */
    size_t foreign_bits;
    long page;
    int no_gil;              /* a free-threaded interpreter without its GIL: no wait is a GIL wait */
    int fd_loadavg;          /* /proc/loadavg (its last field: the last pid created), or -1 */
    long last_pid;           /* that field when /proc was last listed */
    int64_t rss_at_mem_read; /* the tree's RSS when smaps_rollup was last read */
    int64_t rss_prev;        /* the tree's RSS at the previous tick */
} state;

static ssize_t pread_text(int fd, char *buf, size_t cap) {
    ssize_t n;
    do {
        n = pread(fd, buf, cap - 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) buf[n] = '\0';
    return n;
}

static int open_ro(const char *path) { return open(path, O_RDONLY | O_CLOEXEC); }

static int is_foreign(state *st, pid_t pid) {
    size_t b = (size_t)pid;
    return b < st->foreign_bits && (st->foreign[b / 8] >> (b % 8)) & 1;
}

static void mark_foreign(state *st, pid_t pid) {
    size_t b = (size_t)pid;
    if (b < st->foreign_bits) st->foreign[b / 8] |= (unsigned char)(1u << (b % 8));
}

static proc *find_proc(state *st, pid_t pid) {
    for (int i = 0; i < st->np; i++)
        if (st->p[i].pid == pid) return &st->p[i];
    return NULL;
}

/* Looks at every pid of /proc not seen before: ours when in the session. */
static void discover_procs(gs_sampler *s, state *st) {
    DIR *d = opendir("/proc");
    if (d == NULL) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)de->d_name[0])) continue;
        pid_t pid = (pid_t)atoi(de->d_name);
        if (is_foreign(st, pid) || find_proc(st, pid) != NULL) continue;
        gs_proc_stat ps;
        if (gs_procfs_read_stat(pid, &ps) != 0) continue;
        if (ps.session != s->session || ps.state == 'Z' || st->np == MAX_PROCS) {
            if (ps.session != s->session) mark_foreign(st, pid);
            continue;
        }
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        proc *p = &st->p[st->np];
        memset(p, 0, sizeof(*p));
        p->pid = pid;
        p->fd_stat = open_ro(path);
        if (p->fd_stat < 0) continue;
        snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
        p->fd_smaps = open_ro(path);
        p->alive = 1;
        p->threads_seen = -1;
        st->np++;
    }
    closedir(d);
}

static int add_track(gs_sampler *s, pid_t pid, pid_t tid, size_t *idx) {
    gs_track *t = realloc(s->tracks, (s->ntracks + 1) * sizeof(*t));
    if (t == NULL) return -1;
    s->tracks = t;
    memset(&t[s->ntracks], 0, sizeof(*t));
    t[s->ntracks].pid = pid;
    t[s->ntracks].tid = tid;
    *idx = s->ntracks++;
    return 0;
}

/* Lists the task directory of p and opens the files of threads not seen. */
static void discover_threads(gs_sampler *s, proc *p) {
    char path[96];
    snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
    DIR *d = opendir(path);
    if (d == NULL) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)de->d_name[0])) continue;
        pid_t tid = (pid_t)atoi(de->d_name);
        int known = 0;
        for (size_t i = 0; i < p->nt; i++)
            if (p->t[i].tid == tid) known = 1;
        if (known) continue;
        if (p->nt == p->capt) {
            size_t cap = p->capt ? p->capt * 2 : 8;
            thr *n = realloc(p->t, cap * sizeof(*n));
            if (n == NULL) break;
            p->t = n;
            p->capt = cap;
        }
        thr *t = &p->t[p->nt];
        memset(t, 0, sizeof(*t));
        t->tid = tid;
        snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)p->pid, (int)tid);
        t->fd_stat = open_ro(path);
        snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)p->pid, (int)tid);
        t->fd_sched = open_ro(path);
        snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)p->pid, (int)tid);
        t->fd_sys = open_ro(path);
        if (t->fd_stat < 0 || t->fd_sched < 0 || add_track(s, p->pid, tid, &t->track) != 0) {
            /* It exited between the listing and the open. */
            if (t->fd_stat >= 0) close(t->fd_stat);
            if (t->fd_sched >= 0) close(t->fd_sched);
            if (t->fd_sys >= 0) close(t->fd_sys);
            continue;
        }
        t->alive = 1;
        p->nt++;
    }
    closedir(d);
}

static void close_thread(thr *t) {
    if (!t->alive) return;
    close(t->fd_stat);
    close(t->fd_sched);
    if (t->fd_sys >= 0) close(t->fd_sys);
    t->alive = 0;
}

static void load_ranges(proc *p) {
    p->ranges_loaded = 1;
    char path[64], exe[4096];
    snprintf(path, sizeof(path), "/proc/%d/exe", (int)p->pid);
    ssize_t n = readlink(path, exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    snprintf(path, sizeof(path), "/proc/%d/maps", (int)p->pid);
    FILE *f = fopen(path, "re");
    if (f == NULL) return;
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *m = realloc(text, cap * 2);
            if (m == NULL) break;
            text = m;
            cap *= 2;
        }
    }
    fclose(f);
    if (text == NULL) return;
    text[len] = '\0';
    gs_parse_maps(text, exe, &p->gil);
    free(text);
}

/* Samples one thread; returns -1 when it is gone. schedstat is read first:
 * when none of its counters moved since the previous sample, the thread was
 * never on a CPU nor waiting for one in between, so it is still blocked
 * where it was, and the previous state is reused without reading stat and
 * syscall (most samples of sleeping or idle threads cost one read). */
static int sample_thread(gs_sampler *s, proc *p, thr *t, uint64_t now) {
    char buf[1024];
    uint64_t run, wait, slices;
    if (pread_text(t->fd_sched, buf, sizeof(buf)) <= 0 || gs_parse_schedstat(buf, &run, &wait, &slices) != 0)
        return -1;
    if (t->has_last && t->last.sched_state != 'R' && t->last.run_ns == run && t->last.wait_ns == wait &&
        t->last.slices == (uint32_t)slices) {
        t->last.t_ns = now;
        gs_track_push(&s->tracks[t->track], &t->last);
        return 0;
    }
    if (pread_text(t->fd_stat, buf, sizeof(buf)) <= 0) return -1;
    const char *close_paren = strrchr(buf, ')');
    if (close_paren == NULL || close_paren[1] == '\0') return -1;
    gs_tsample smp;
    memset(&smp, 0, sizeof(smp));
    smp.t_ns = now;
    smp.sched_state = close_paren[2];
    if (smp.sched_state == 'Z' || smp.sched_state == 'X') return -1;
    smp.run_ns = run;
    smp.wait_ns = wait;
    smp.slices = (uint32_t)slices;
    smp.kind = GS_ST_ON_CPU;
    if (smp.sched_state != 'R') {
        gs_syscall sc;
        smp.kind = GS_ST_OTHER;
        if (t->fd_sys >= 0 && pread_text(t->fd_sys, buf, sizeof(buf)) > 0 && gs_parse_syscall(buf, &sc) == 0) {
            const state *st = s->priv;
            if (!st->no_gil && gs_futex_is_timed_wait(&sc) && !p->ranges_loaded) load_ranges(p);
            smp.kind = (uint8_t)gs_classify_syscall(&sc, st->no_gil ? NULL : &p->gil);
        }
    }
    gs_track_push(&s->tracks[t->track], &smp);
    t->last = smp;
    t->has_last = 1;
    return 0;
}

/* The tree's PSS and USS now, and its largest single USS: read when the
 * tree's RSS reaches a new high (smaps_rollup walks the page tables, too
 * costly for every tick), so the peaks are those at the RSS peaks. */
static void read_memory(gs_sampler *s, state *st) {
    int64_t pss = 0, uss = 0;
    char buf[4096];
    for (int i = 0; i < st->np; i++) {
        proc *p = &st->p[i];
        gs_proc_mem m;
        if (!p->alive || p->fd_smaps < 0 || pread_text(p->fd_smaps, buf, sizeof(buf)) <= 0 ||
            gs_procfs_parse_smaps_rollup(buf, &m) != 0)
            continue;
        pss += m.pss_bytes;
        uss += m.uss_bytes;
        if (m.uss_bytes > s->peak_proc_uss_bytes) s->peak_proc_uss_bytes = m.uss_bytes;
    }
    if (pss > s->peak_pss_bytes) s->peak_pss_bytes = pss;
    if (uss > s->peak_uss_bytes) s->peak_uss_bytes = uss;
}

/* Whether a process may have been created since the last call: the last pid
 * the kernel handed out (the 5th field of /proc/loadavg) moved. Cheap next
 * to listing /proc, which it spares on every tick where no process was born
 * anywhere (most ticks of a run once its pool is up). */
static int new_pids(state *st) {
    char buf[128];
    if (st->fd_loadavg < 0 || pread_text(st->fd_loadavg, buf, sizeof(buf)) <= 0) return 1;
    const char *last = strrchr(buf, ' ');
    long pid = last ? strtol(last + 1, NULL, 10) : -1;
    if (pid > 0 && pid == st->last_pid) return 0;
    st->last_pid = pid;
    return 1;
}

static void tick(gs_sampler *s, state *st) {
    /* Listing /proc costs about as much as sampling a dozen threads: new
     * processes are looked for on every LIST_EVERY-th tick only (and on the
     * first ones, while the interpreter starts). */
    if ((s->samples < 4 || s->samples % LIST_EVERY == 0) && new_pids(st)) discover_procs(s, st);
    int64_t rss = 0;
    int live = 0;
    for (int i = 0; i < st->np; i++) {
        proc *p = &st->p[i];
        if (!p->alive) continue;
        char buf[1024];
        gs_proc_stat ps;
        if (pread_text(p->fd_stat, buf, sizeof(buf)) <= 0 ||
            gs_procfs_parse_stat(buf, strlen(buf), &ps) != 0 || ps.state == 'Z' || ps.state == 'X') {
            p->alive = 0;
            close(p->fd_stat);
            if (p->fd_smaps >= 0) close(p->fd_smaps);
            for (size_t k = 0; k < p->nt; k++) close_thread(&p->t[k]);
            continue;
        }
        live++;
        rss += ps.rss_pages;
        if (ps.num_threads != p->threads_seen) {
            discover_threads(s, p);
            p->threads_seen = (int)ps.num_threads;
        }
        uint64_t now = uv_hrtime();
        for (size_t k = 0; k < p->nt; k++)
            if (p->t[k].alive && sample_thread(s, p, &p->t[k], now) != 0) close_thread(&p->t[k]);
    }
    s->samples++;
    if (rss * st->page > s->peak_rss_bytes) s->peak_rss_bytes = rss * st->page;
    /* Reading smaps_rollup walks the page tables: while the interpreter
     * starts and the RSS climbs tick after tick, read at every 10% only, and
     * once where the climb stops (a plateau, where a peak is). */
    if (rss > st->rss_at_mem_read + st->rss_at_mem_read / MEM_GROWTH &&
        (rss <= st->rss_prev || rss > st->rss_at_mem_read + st->rss_at_mem_read / MEM_LEAP)) {
        st->rss_at_mem_read = rss;
        read_memory(s, st);
    }
    st->rss_prev = rss;
    if (live > s->max_processes) s->max_processes = live;
}

static void sampler_main(void *arg) {
    gs_sampler *s = arg;
    state *st = s->priv;
    unsigned seed = (unsigned)s->session;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        tick(s, st);
        unsigned jitter = s->period_us / 10 ? (unsigned)rand_r(&seed) % (s->period_us / 10) : 0;
        unsigned us = s->period_us - s->period_us / 20 + jitter;
        struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
        s->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                   (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    }
}

static size_t pid_max(void) {
    FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
    long v = 0;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1) v = 0;
        fclose(f);
    }
    return v > 0 ? (size_t)v + 1 : (size_t)4194305;
}

int gs_sampler_start(gs_sampler *s, pid_t sid, unsigned period_us, int no_gil) {
    memset(s, 0, sizeof(*s));
    s->session = sid;
    s->period_us = period_us ? period_us : 10000;
    state *st = calloc(1, sizeof(*st));
    if (st == NULL) return UV_ENOMEM;
    st->foreign_bits = pid_max();
    st->foreign = calloc(st->foreign_bits / 8 + 1, 1);
    st->page = sysconf(_SC_PAGESIZE);
    st->no_gil = no_gil;
    if (st->foreign == NULL) {
        free(st);
        return UV_ENOMEM;
    }
    st->fd_loadavg = open_ro("/proc/loadavg");
    s->priv = st;
    int rc = uv_thread_create(&s->thread, sampler_main, s);
    if (rc == 0) s->running = 1;
    return rc;
}

void gs_sampler_stop(gs_sampler *s) {
    state *st = s->priv;
    if (s->running) {
        __atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
        uv_thread_join(&s->thread);
        s->running = 0;
    }
    if (st != NULL) {
        for (int i = 0; i < st->np; i++) {
            proc *p = &st->p[i];
            if (p->alive) close(p->fd_stat);
            if (p->alive && p->fd_smaps >= 0) close(p->fd_smaps);
            for (size_t k = 0; k < p->nt; k++) close_thread(&p->t[k]);
            free(p->t);
        }
        if (st->fd_loadavg >= 0) close(st->fd_loadavg);
        free(st->foreign);
        free(st);
        s->priv = NULL;
    }
}

gs_track *gs_sampler_take_tracks(gs_sampler *s, size_t *n) {
    gs_track *t = s->tracks;
    *n = s->ntracks;
    s->tracks = NULL;
    s->ntracks = 0;
    return t;
}

void gs_sampler_free_tracks(gs_track *t, size_t n) {
    for (size_t i = 0; i < n; i++) gs_track_free(&t[i]);
    free(t);
}
