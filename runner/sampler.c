#include "sampler.h"

#include "procfs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 512
#define RESCAN_EVERY 8 /* ticks between full scans of /proc for new processes */

typedef struct tick {
    pid_t pids[MAX_PROCS]; /* live processes of the session seen so far */
    int n;
} tick;

static int remember(void *ctx, const gs_proc_stat *st) {
    tick *t = ctx;
    if (t->n < MAX_PROCS) t->pids[t->n++] = st->pid;
    return 0;
}

/* One sample: the summed RSS of the known processes. Those that exited are
 * dropped; every RESCAN_EVERY ticks the whole of /proc is walked to find new
 * ones (a full walk costs about as much as 100 stat reads, so it is rare). */
static void sample(gs_sampler *s, tick *t, long page) {
    if (s->samples % RESCAN_EVERY == 0) {
        t->n = 0;
        gs_procfs_each_in_session(s->session, remember, t);
    }
    int64_t rss = 0;
    int k = 0;
    for (int i = 0; i < t->n; i++) {
        gs_proc_stat st;
        if (gs_procfs_read_stat(t->pids[i], &st) != 0 || st.session != s->session || st.state == 'Z')
            continue;
        rss += st.rss_pages;
        t->pids[k++] = t->pids[i];
    }
    t->n = k;
    s->samples++;
    if (rss * page > s->peak_rss_bytes) s->peak_rss_bytes = rss * page;
    if (k > s->max_processes) s->max_processes = k;
}

static void sampler_main(void *arg) {
    gs_sampler *s = arg;
    long page = sysconf(_SC_PAGESIZE);
    unsigned seed = (unsigned)s->session;
    tick *t = calloc(1, sizeof(*t));
    while (t != NULL && !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        sample(s, t, page);
        /* Up to 10% jitter so the samples do not beat against periodic work. */
        unsigned jitter = s->period_us / 10 ? (unsigned)rand_r(&seed) % (s->period_us / 10) : 0;
        unsigned us = s->period_us - s->period_us / 20 + jitter;
        struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
    free(t);
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
        s->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                   (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    }
}

int gs_sampler_start(gs_sampler *s, pid_t sid, unsigned period_us) {
    memset(s, 0, sizeof(*s));
    s->session = sid;
    s->period_us = period_us ? period_us : 20000;
    int rc = uv_thread_create(&s->thread, sampler_main, s);
    if (rc == 0) s->running = 1;
    return rc;
}

void gs_sampler_stop(gs_sampler *s) {
    if (!s->running) return;
    __atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
    uv_thread_join(&s->thread);
    s->running = 0;
}
