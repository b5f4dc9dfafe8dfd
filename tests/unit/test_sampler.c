#include "gs_test.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sampler.h"

static void *quick(void *arg) { return arg; }

/* A child in a session of its own that keeps creating threads that exit at
 * once, so the sampler meets threads that vanish between listing and reading. */
static pid_t churning_child(void) {
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        for (;;) {
            pthread_t t;
            if (pthread_create(&t, NULL, quick, NULL) == 0) pthread_join(t, NULL);
        }
    }
    return pid;
}

static void samples_a_churning_tree(void **state) {
    (void)state;
    pid_t child = churning_child();
    assert_true(child > 0);
    struct timespec settle = {0, 20 * 1000 * 1000};
    nanosleep(&settle, NULL);
    gs_sampler s;
    assert_int_equal(gs_sampler_start(&s, child, 1000, 0), 0);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    gs_sampler_stop(&s);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    assert_true(s.samples >= 50);
    assert_true(s.peak_rss_bytes > 0);
    assert_int_equal(s.max_processes, 1);
    assert_true(s.ntracks >= 2); /* the main thread and at least one short-lived one */
    int main_seen = 0;
    for (size_t i = 0; i < s.ntracks; i++) {
        assert_int_equal(s.tracks[i].pid, child);
        if (s.tracks[i].tid == child) {
            main_seen = 1;
            assert_true(s.tracks[i].n >= 50);
            for (size_t k = 1; k < s.tracks[i].n; k++) {
                assert_true(s.tracks[i].s[k].t_ns > s.tracks[i].s[k - 1].t_ns);
                assert_true(s.tracks[i].s[k].run_ns >= s.tracks[i].s[k - 1].run_ns);
            }
        }
    }
    assert_true(main_seen);
    assert_true(s.cpu_s >= 0);
    size_t n;
    gs_track *t = gs_sampler_take_tracks(&s, &n);
    gs_sampler_free_tracks(t, n);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(samples_a_churning_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
