#include "capacity.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FULL_S 0.1     /* each half of a full measurement */
#define BETWEEN_S 0.05 /* a measurement between rounds */
#define CHECK_EVERY 4096

/* ---- limits ---------------------------------------------------------------- */

double gs_cgroup2_quota(const char *cpu_max) {
    long long quota, period;
    if (cpu_max == NULL || strncmp(cpu_max, "max", 3) == 0) return -1;
    if (sscanf(cpu_max, "%lld %lld", &quota, &period) != 2 || quota <= 0 || period <= 0) return -1;
    return (double)quota / (double)period;
}

double gs_cgroup1_quota(long quota_us, long period_us) {
    if (quota_us <= 0 || period_us <= 0) return -1;
    return (double)quota_us / (double)period_us;
}

static int read_text(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "re");
    if (f == NULL) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return 0;
}

static long read_long(const char *path) {
    char buf[64];
    return read_text(path, buf, sizeof(buf)) == 0 ? strtol(buf, NULL, 10) : -1;
}

/* The smaller of two quotas, -1 meaning none. */
static double min_quota(double a, double b) {
    if (a < 0) return b;
    if (b < 0) return a;
    return a < b ? a : b;
}

/* The quota along the cgroup path rel (e.g. "/a/b") under the mount root,
 * from the leaf up to the root; v2 reads cpu.max, v1 the cfs pair. */
static double quota_along(const char *root, const char *rel, int v2) {
    char dir[1024], path[1100];
    snprintf(dir, sizeof(dir), "%s%s", root, strcmp(rel, "/") == 0 ? "" : rel);
    double q = -1;
    for (;;) {
        if (v2) {
            char buf[128];
            snprintf(path, sizeof(path), "%s/cpu.max", dir);
            if (read_text(path, buf, sizeof(buf)) == 0) q = min_quota(q, gs_cgroup2_quota(buf));
        } else {
            snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", dir);
            long quota = read_long(path);
            snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", dir);
            q = min_quota(q, gs_cgroup1_quota(quota, read_long(path)));
        }
        if (strlen(dir) <= strlen(root)) break;
        char *slash = strrchr(dir, '/');
        if (slash == NULL || slash < dir + strlen(root)) break;
        *slash = '\0';
    }
    return q;
}

/* The cgroup quota of this process in CPUs, or -1 (/proc/self/cgroup: the
 * v2 line "0::/path", or the v1 line whose controllers include "cpu"). */
static double cgroup_quota(void) {
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (f == NULL) return -1;
    char line[1024];
    double q = -1;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL) continue;
        *c2 = '\0';
        const char *ctrls = c1 + 1, *rel = c2 + 1;
        if (*ctrls == '\0') {
            q = min_quota(q, quota_along("/sys/fs/cgroup", rel, 1));
            q = min_quota(q, quota_along("/sys/fs/cgroup/unified", rel, 1));
            continue;
        }
        char list[256];
        snprintf(list, sizeof(list), ",%s,", ctrls);
        if (strstr(list, ",cpu,")) {
            q = min_quota(q, quota_along("/sys/fs/cgroup/cpu", rel, 0));
            q = min_quota(q, quota_along("/sys/fs/cgroup/cpu,cpuacct", rel, 0));
        }
    }
    fclose(f);
    return q;
}

void gs_cpu_limits_read(gs_cpu_limits *l) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    l->online = online > 0 ? (int)online : 1;
    cpu_set_t set;
    CPU_ZERO(&set);
    l->affinity = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : l->online;
    if (l->affinity < 1) l->affinity = l->online;
    l->quota = cgroup_quota();
    int usable = l->online < l->affinity ? l->online : l->affinity;
    if (l->quota > 0 && ceil(l->quota) < usable) usable = (int)ceil(l->quota);
    l->usable = usable > 0 ? usable : 1;
}

/* ---- the spin loop ----------------------------------------------------------- */

static double now_s(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -1;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile uint64_t sink; /* keeps the loop's work observable */

/* Spins until the monotonic clock reaches deadline; returns the iterations. */
static uint64_t spin_until(double deadline) {
    uint64_t x = 88172645463325252ull, n = 0;
    for (;;) {
        for (int i = 0; i < CHECK_EVERY; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        n += CHECK_EVERY;
        if (now_s(CLOCK_MONOTONIC) >= deadline) break;
    }
    sink = x;
    return n;
}

double gs_spin_rate(double seconds) {
    double c0 = now_s(CLOCK_THREAD_CPUTIME_ID), t0 = now_s(CLOCK_MONOTONIC);
    if (c0 < 0 || t0 < 0) return 0;
    uint64_t n = spin_until(t0 + seconds);
    double cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    return cpu > 0 ? (double)n / cpu : 0;
}

/* The start line: spinners wait on it until every one is created, so
 * that they spin together; abort sends them home without spinning. */
typedef struct start_line {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int go, abort;
} start_line;

typedef struct spinner {
    pthread_t thread;
    start_line *line;
    double seconds;
    double start, end; /* monotonic, when it started and stopped spinning */
    uint64_t n;
} spinner;

static void *spin_thread(void *arg) {
    spinner *s = arg;
    pthread_mutex_lock(&s->line->mu);
    while (!s->line->go) pthread_cond_wait(&s->line->cv, &s->line->mu);
    int abort = s->line->abort;
    pthread_mutex_unlock(&s->line->mu);
    if (abort) return NULL;
    s->start = now_s(CLOCK_MONOTONIC);
    s->n = spin_until(s->start + s->seconds);
    s->end = now_s(CLOCK_MONOTONIC);
    return NULL;
}

double gs_spin_capacity(int nthreads, double seconds, double rate) {
    if (nthreads < 1 || !(rate > 0)) return -1;
    spinner *sp = calloc((size_t)nthreads, sizeof(*sp));
    if (sp == NULL) return -1;
    start_line line = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    int started = 0;
    for (; started < nthreads; started++) {
        sp[started].line = &line;
        sp[started].seconds = seconds;
        if (pthread_create(&sp[started].thread, NULL, spin_thread, &sp[started]) != 0) break;
    }
    pthread_mutex_lock(&line.mu);
    line.go = 1;
    line.abort = started < nthreads;
    pthread_cond_broadcast(&line.cv);
    pthread_mutex_unlock(&line.mu);
    double first = -1, last = -1;
    uint64_t total = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(sp[i].thread, NULL);
        total += sp[i].n;
        if (first < 0 || sp[i].start < first) first = sp[i].start;
        if (sp[i].end > last) last = sp[i].end;
    }
    int aborted = line.abort;
    free(sp);
    double wall = last - first;
    return !aborted && wall > 0 ? (double)total / wall / rate : -1;
}

/* ---- the session's log ------------------------------------------------------- */

void gs_capacity_init(gs_capacity *c) {
    memset(c, 0, sizeof(*c));
    gs_cpu_limits_read(&c->limits);
    c->before = c->after = -1;
}

void gs_capacity_log(gs_capacity *c, gs_capacity_when when, double capacity) {
    if (when == GS_CAP_BEFORE) c->before = capacity;
    if (when == GS_CAP_AFTER) c->after = capacity;
    if (c->n == 0 || capacity < c->min) c->min = capacity;
    if (c->n == 0 || capacity > c->max) c->max = capacity;
    c->sum += capacity;
    c->n++;
}

double gs_capacity_measure(gs_capacity *c, gs_capacity_when when) {
    int full = when != GS_CAP_BETWEEN || !(c->rate > 0);
    if (full) {
        double rate = gs_spin_rate(FULL_S);
        if (!(rate > 0)) return -1;
        if (!(c->rate > 0)) c->rate = rate;
    }
    double cap = gs_spin_capacity(c->limits.usable, full ? FULL_S : BETWEEN_S, c->rate);
    if (cap < 0) return -1;
    gs_capacity_log(c, when, cap);
    return cap;
}

double gs_capacity_value(const gs_capacity *c) {
    double usable = c->limits.usable > 0 ? c->limits.usable : 1;
    if (c->n == 0 || c->max >= GS_CAPACITY_WHOLE * usable) return usable;
    return c->max;
}

double gs_capacity_possible(const gs_capacity *c, int workers, int tasks) {
    double p = workers < tasks ? workers : tasks;
    if (c->limits.usable > 0 && c->limits.usable < p) p = c->limits.usable;
    double cap = gs_capacity_value(c);
    if (cap < p) p = cap;
    return p > 1 ? p : 1;
}
