#include "gs_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

static char *slurp(const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/proc/%s", getenv("GS_FIXTURES") ? getenv("GS_FIXTURES") : "tests/fixtures", name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[4096];
    *len = fread(buf, 1, sizeof(buf) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void parses_a_command_with_spaces_and_parens(void **state) {
    (void)state;
    size_t len;
    char *text = slurp("stat_weird_comm", &len);
    gs_proc_stat st;
    assert_int_equal(gs_procfs_parse_stat(text, len, &st), 0);
    assert_int_equal(st.pid, 4242);
    assert_int_equal(st.state, 'S');
    assert_int_equal(st.ppid, 4200);
    assert_int_equal(st.session, 4200);
    assert_int_equal(st.utime, 123);
    assert_int_equal(st.stime, 45);
    assert_int_equal(st.cutime, 6);
    assert_int_equal(st.cstime, 7);
    assert_int_equal(st.num_threads, 3);
    assert_int_equal(st.rss_pages, 2560);
}

static void refuses_truncated_text(void **state) {
    (void)state;
    gs_proc_stat st;
    const char *t = "12 (x) S 1 2 3";
    assert_int_equal(gs_procfs_parse_stat(t, strlen(t), &st), -1);
    assert_int_equal(gs_procfs_parse_stat("garbage", 7, &st), -1);
}

static void reads_itself_and_misses_the_dead(void **state) {
    (void)state;
    gs_proc_stat st;
    assert_int_equal(gs_procfs_read_stat(getpid(), &st), 0);
    assert_int_equal(st.pid, getpid());
    assert_int_equal(st.session, getsid(0));
    /* A process that is gone (pid_max is below this on Linux). */
    assert_int_equal(gs_procfs_read_stat(4194305 + 7, &st), -1);
    assert_true(errno == ENOENT || errno == ESRCH);
}

static int count(void *ctx, const gs_proc_stat *st) {
    (*(int *)ctx)++;
    (void)st;
    return 0;
}

static void finds_its_own_session(void **state) {
    (void)state;
    int n = 0;
    assert_true(gs_procfs_each_in_session(getsid(0), count, &n) >= 1);
    assert_true(n >= 1);
    /* A session nobody has. */
    assert_int_equal(gs_procfs_each_in_session(4194305 + 9, count, &n), 0);
}

/* A smaps_rollup as Linux 6.1 writes it: PSS from its own line (not the
 * Pss_Anon/Pss_File split), USS from the private lines. */
static void parses_smaps_rollup(void **state) {
    (void)state;
    const char *text = "55d0c0a00000-7ffd1e5f3000 ---p 00000000 00:00 0                          [rollup]\n"
                       "Rss:               20184 kB\n"
                       "Pss:               16421 kB\n"
                       "Pss_Anon:          12000 kB\n"
                       "Pss_File:           4421 kB\n"
                       "Shared_Clean:       5000 kB\n"
                       "Private_Clean:       800 kB\n"
                       "Private_Dirty:     13900 kB\n"
                       "Private_Hugetlb:       4 kB\n";
    gs_proc_mem m;
    assert_int_equal(gs_procfs_parse_smaps_rollup(text, &m), 0);
    assert_int_equal(m.pss_bytes, 16421LL * 1024);
    assert_int_equal(m.uss_bytes, (800LL + 13900 + 4) * 1024);
    assert_int_equal(gs_procfs_parse_smaps_rollup("Rss: 10 kB\n", &m), -1);
    /* This process's own: unique memory is part of what it maps, and above nothing. */
    char buf[8192];
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (f == NULL) return; /* a kernel before 4.14 */
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_int_equal(gs_procfs_parse_smaps_rollup(buf, &m), 0);
    assert_true(m.uss_bytes > 0 && m.uss_bytes <= m.pss_bytes);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_a_command_with_spaces_and_parens),
        cmocka_unit_test(refuses_truncated_text),
        cmocka_unit_test(reads_itself_and_misses_the_dead),
        cmocka_unit_test(finds_its_own_session),
        cmocka_unit_test(parses_smaps_rollup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
