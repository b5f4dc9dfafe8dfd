#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threadstate.h"

static char *fixture(const char *name) {
    char path[1024];
    const char *dir = getenv("GS_FIXTURES") ? getenv("GS_FIXTURES") : "tests/fixtures";
    snprintf(path, sizeof(path), "%s/proc/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        fail();
    }
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    char *nl = strchr(buf, '\n');
    if (nl && strcmp(name + strlen(name) - 4, "_exe") == 0) *nl = '\0';
    return buf;
}

static void parses_syscall_lines(void **state) {
    (void)state;
    gs_syscall sc;
    assert_int_equal(gs_parse_syscall("running\n", &sc), 0);
    assert_int_equal(sc.kind, GS_SYSCALL_RUNNING);
    assert_int_equal(gs_parse_syscall("-1 0x7ffd 0x7f12\n", &sc), 0);
    assert_int_equal(sc.kind, GS_SYSCALL_NONE);
    assert_int_equal(gs_parse_syscall("202 0x7f5fe9f732cc 0x89 0x0 0x7f5fe8f56620 0x0 0xffffffff 0x1 0x2\n", &sc), 0);
    assert_int_equal(sc.kind, GS_SYSCALL_IN);
    assert_int_equal(sc.nr, 202);
    assert_true(sc.args[0] == 0x7f5fe9f732ccULL);
    assert_true(sc.args[1] == 0x89);
    assert_true(gs_futex_is_timed_wait(&sc));
    assert_int_equal(gs_parse_syscall("garbage", &sc), -1);
    assert_int_equal(gs_parse_syscall("202 0x1 zz", &sc), -1);
    assert_int_equal(gs_parse_syscall("", &sc), -1);
}

static void parses_schedstat(void **state) {
    (void)state;
    uint64_t run, wait, slices;
    assert_int_equal(gs_parse_schedstat("779403 12 2\n", &run, &wait, &slices), 0);
    assert_true(run == 779403 && wait == 12 && slices == 2);
    assert_int_equal(gs_parse_schedstat("1 2\n", &run, &wait, &slices), -1);
}

/* Samples recorded from two CPU-bound threads and a main thread in join():
 * one thread holds the GIL (running), one waits for it, main waits on a lock. */
static void classify_recorded(const char *tag, void **state) {
    (void)state;
    char name[64];
    snprintf(name, sizeof(name), "%s_maps", tag);
    char *maps = fixture(name);
    snprintf(name, sizeof(name), "%s_exe", tag);
    char *exe = fixture(name);
    gs_ranges gil;
    assert_true(gs_parse_maps(maps, exe, &gil) >= 1);
    int gil_waits = 0, lock_waits = 0, running = 0;
    for (int t = 0; t < 3; t++) {
        snprintf(name, sizeof(name), "%s_t%d_syscall", tag, t);
        char *text = fixture(name);
        gs_syscall sc;
        assert_int_equal(gs_parse_syscall(text, &sc), 0);
        if (sc.kind == GS_SYSCALL_RUNNING) {
            running++;
        } else {
            gs_state st = gs_classify_syscall(&sc, &gil);
            gil_waits += st == GS_ST_GIL;
            lock_waits += st == GS_ST_LOCK;
        }
        snprintf(name, sizeof(name), "%s_t%d_schedstat", tag, t);
        char *ss = fixture(name);
        uint64_t a, b, c;
        assert_int_equal(gs_parse_schedstat(ss, &a, &b, &c), 0);
        free(ss);
        free(text);
    }
    assert_int_equal(gil_waits, 1);
    assert_int_equal(lock_waits, 1);
    assert_int_equal(running, 1);
    free(maps);
    free(exe);
}

static void recorded_python38(void **state) { classify_recorded("py38", state); }
static void recorded_python312(void **state) { classify_recorded("py312", state); }

/* A free-threaded interpreter without its GIL: the sampler passes no GIL
 * ranges, and the recorded GIL waiter of 3.12 becomes a lock wait. */
static void without_a_gil_no_wait_is_a_gil_wait(void **state) {
    (void)state;
    int gil_waits = 0, lock_waits = 0;
    for (int t = 0; t < 3; t++) {
        char name[64];
        snprintf(name, sizeof(name), "py312_t%d_syscall", t);
        char *text = fixture(name);
        gs_syscall sc;
        assert_int_equal(gs_parse_syscall(text, &sc), 0);
        if (sc.kind != GS_SYSCALL_RUNNING) {
            gs_state st = gs_classify_syscall(&sc, NULL);
            gil_waits += st == GS_ST_GIL;
            lock_waits += st == GS_ST_LOCK;
        }
        free(text);
    }
    assert_int_equal(gil_waits, 0);
    assert_int_equal(lock_waits, 2);
}

static void maps_rules(void **state) {
    (void)state;
    const char *maps =
        "55ca05be8000-55ca05be9000 rw-p 00003000 fe:00 108271 /usr/bin/python3.11\n"
        "55ca05be9000-55ca05bf0000 rw-p 00000000 00:00 0 \n"
        "55ca19e47000-55ca19ee4000 rw-p 00000000 00:00 0                          [heap]\n"
        "7f0000000000-7f0000001000 r--p 00000000 fe:00 1 /usr/lib/libpython3.12.so.1.0\n"
        "7f0000001000-7f0000002000 rw-p 00001000 fe:00 1 /usr/lib/libpython3.12.so.1.0\n"
        "7f0000003000-7f0000004000 rw-p 00000000 00:00 0 \n"
        "7f0000004000-7f0000005000 rw-p 00000000 00:00 0 \n";
    gs_ranges r;
    /* exe data, the bss right after it, libpython's data; not the heap, not a gap-separated anon map. */
    assert_int_equal(gs_parse_maps(maps, "/usr/bin/python3.11", &r), 3);
    assert_true(gs_ranges_contain(&r, 0x55ca05be8010ULL));
    assert_true(gs_ranges_contain(&r, 0x55ca05bea000ULL));
    assert_false(gs_ranges_contain(&r, 0x55ca19e50000ULL));
    assert_true(gs_ranges_contain(&r, 0x7f0000001800ULL));
    assert_false(gs_ranges_contain(&r, 0x7f0000003800ULL));
    gs_syscall sc = {GS_SYSCALL_IN, 202, {0x7f0000001800ULL, 0x89, 0, 0x7ffd0000, 0, 0}};
    assert_int_equal(gs_classify_syscall(&sc, &r), GS_ST_GIL);
    /* The same wait on the heap (Event.wait(timeout)) is a lock wait. */
    sc.args[0] = 0x55ca19e50000ULL;
    assert_int_equal(gs_classify_syscall(&sc, &r), GS_ST_LOCK);
    /* An untimed wait on the GIL's address (no timeout) is a lock wait too. */
    sc.args[0] = 0x7f0000001800ULL;
    sc.args[3] = 0;
    assert_int_equal(gs_classify_syscall(&sc, &r), GS_ST_LOCK);
}

static void syscall_rules(void **state) {
    (void)state;
    struct {
        long nr;
        uint64_t a0, a1;
        gs_state want;
    } cases[] = {
        {230, 1, 0, GS_ST_SLEEP},  /* clock_nanosleep */
        {35, 0, 0, GS_ST_SLEEP},   /* nanosleep */
        {23, 0, 0, GS_ST_SLEEP},   /* select without descriptors: time.sleep on <= 3.10 */
        {270, 0, 0, GS_ST_SLEEP},  /* pselect6 likewise */
        {23, 5, 0, GS_ST_IO},      /* select on descriptors */
        {7, 0x1000, 1, GS_ST_IO},  /* poll */
        {0, 3, 0, GS_ST_IO},       /* read */
        {45, 3, 0, GS_ST_IO},      /* recvfrom */
        {232, 4, 0, GS_ST_IO},     /* epoll_wait */
        {74, 3, 0, GS_ST_IO},      /* fsync: waiting for the disk */
        {75, 3, 0, GS_ST_IO},      /* fdatasync */
        {263, 3, 0, GS_ST_IO},     /* unlinkat */
        {61, 0, 0, GS_ST_OTHER},   /* wait4 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gs_syscall sc = {GS_SYSCALL_IN, cases[i].nr, {cases[i].a0, cases[i].a1, 0, 0, 0, 0}};
        assert_int_equal(gs_classify_syscall(&sc, NULL), cases[i].want);
    }
    gs_syscall none = {GS_SYSCALL_NONE, -1, {0}};
    assert_int_equal(gs_classify_syscall(&none, NULL), GS_ST_OTHER);
}

/* A thread sampled every 10 ms for 100 ms: half of each interval on a CPU,
 * 10% waiting for a core, its 5 non-running samples inside tasks: 3 GIL, 2 sleep;
 * then 2 samples outside its task: idle. */
static void accounting_splits_the_rest_by_samples(void **state) {
    (void)state;
    gs_track t;
    memset(&t, 0, sizeof(t));
    const uint8_t kinds[] = {GS_ST_ON_CPU, GS_ST_GIL, GS_ST_ON_CPU, GS_ST_GIL, GS_ST_SLEEP, GS_ST_GIL,
                             GS_ST_ON_CPU, GS_ST_SLEEP, GS_ST_ON_CPU, GS_ST_LOCK, GS_ST_LOCK};
    for (int i = 0; i <= 10; i++) {
        gs_tsample s = {1000000000ULL + (uint64_t)i * 10000000ULL, (uint64_t)i * 5000000ULL,
                        (uint64_t)i * 1000000ULL, (uint32_t)i * 2, kinds[i] == GS_ST_ON_CPU ? 'R' : 'S', kinds[i]};
        assert_int_equal(gs_track_push(&t, &s), 0);
    }
    gs_interval task = {1000000000ULL, 1000000000ULL + 85000000ULL};
    gs_thread_states acc;
    memset(&acc, 0, sizeof(acc));
    gs_account_thread(&t, 0, UINT64_MAX, &task, 1, &acc);
    assert_float_equal(acc.lifetime_ns, 100e6, 1);
    assert_float_equal(acc.ns[GS_ST_ON_CPU], 50e6, 1);
    assert_float_equal(acc.ns[GS_ST_WAIT_CORE], 10e6, 1);
    /* 40 ms left over 7 non-running samples: 3 GIL, 2 sleep, 2 idle. */
    assert_float_equal(acc.ns[GS_ST_GIL], 40e6 * 3 / 7, 1);
    assert_float_equal(acc.ns[GS_ST_SLEEP], 40e6 * 2 / 7, 1);
    assert_float_equal(acc.ns[GS_ST_IDLE], 40e6 * 2 / 7, 1);
    assert_float_equal(acc.ns[GS_ST_LOCK], 0, 0);
    double total = 0;
    for (int k = 0; k < GS_ST_COUNT; k++) total += acc.ns[k];
    assert_float_equal(total, acc.lifetime_ns, 1);
    assert_int_equal(acc.switches, 20);
    assert_int_equal(acc.samples, 11);
    /* A window that holds one sample only adds nothing but the sample. */
    gs_thread_states one;
    memset(&one, 0, sizeof(one));
    gs_account_thread(&t, 1000000000ULL, 1000000001ULL, &task, 1, &one);
    assert_float_equal(one.lifetime_ns, 0, 0);
    /* Segments: the first interval ran more than half of it: on CPU. */
    gs_segment segs[16];
    size_t n = gs_track_segments(&t, 0, UINT64_MAX, &task, 1, segs, 16);
    assert_true(n >= 1);
    assert_int_equal(segs[0].state, GS_ST_ON_CPU);
    assert_true(segs[n - 1].t1_ns == 1000000000ULL + 100000000ULL);
    gs_track_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_syscall_lines),
        cmocka_unit_test(parses_schedstat),
        cmocka_unit_test(recorded_python38),
        cmocka_unit_test(recorded_python312),
        cmocka_unit_test(without_a_gil_no_wait_is_a_gil_wait),
        cmocka_unit_test(maps_rules),
        cmocka_unit_test(syscall_rules),
        cmocka_unit_test(accounting_splits_the_rest_by_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
