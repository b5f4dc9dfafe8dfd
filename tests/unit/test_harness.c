/* Finding the harness, checking workload specs, and building its command
 * line (measure/harness.c). */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static char dir[] = "/tmp/gs-test-harness-XXXXXX";

static void touch(const char *name) {
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f) fclose(f);
}

static int setup(void **state) {
    (void)state;
    if (mkdtemp(dir) == NULL) return -1;
    char p[512];
    snprintf(p, sizeof(p), "%s/builtin", dir);
    if (mkdir(p, 0755) != 0) return -1;
    touch("harness.py");
    touch("cpu.py"); /* beside the harness: not a built-in */
    touch("builtin/cpu.py");
    touch("builtin/sleep.py");
    touch("builtin/_private.py");
    touch("builtin/harness.py"); /* reserved: never a workload */
    touch("builtin/notes.txt");
    snprintf(p, sizeof(p), "%s/gilscope_harness", dir);
    return mkdir(p, 0755);
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static void builtins_skip_the_harness(void **state) {
    (void)state;
    char **names = gs_harness_builtins(dir);
    assert_string_equal(names[0], "cpu");
    assert_string_equal(names[1], "sleep");
    assert_null(names[2]);
    for (char **p = names; *p; p++) free(*p);
    free(names);
}

static void specs_are_checked_up_front(void **state) {
    (void)state;
    char err[512];
    const char *good[] = {"cpu", "sleep"};
    assert_int_equal(gs_harness_check_specs(dir, good, 2, err, sizeof(err)), 0);
    const char *reserved[] = {"harness"};
    assert_int_equal(gs_harness_check_specs(dir, reserved, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "unknown workload \"harness\" (built-ins: cpu, sleep;"));
    const char *missing[] = {"/nonexistent/w.py"};
    assert_int_equal(gs_harness_check_specs(dir, missing, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot read \"/nonexistent/w.py\""));
    const char *a_dir[] = {"/tmp/"};
    assert_int_equal(gs_harness_check_specs(dir, a_dir, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "is not a file"));
}

static void find_honours_the_environment(void **state) {
    (void)state;
    char buf[4096];
    setenv("GILSCOPE_WORKLOADS", dir, 1);
    assert_int_equal(gs_harness_find(buf, sizeof(buf)), 0);
    assert_string_equal(buf, dir);
    setenv("GILSCOPE_WORKLOADS", "/nonexistent", 1);
    assert_int_equal(gs_harness_find(buf, sizeof(buf)), -1);
    unsetenv("GILSCOPE_WORKLOADS");
}

static void argv_of_a_run(void **state) {
    (void)state;
    gs_harness_argv a;
    assert_int_equal(gs_harness_argv_run(&a, "/usr/bin/python3", "/w", "cpu", "threads", 2, 8, 1000), 0);
    assert_int_equal(gs_harness_argv_add(&a, "--probe", NULL), 0);
    const char *want[] = {"/usr/bin/python3", "/w/harness.py", "--mode", "run", "--workload", "cpu", "--strategy",
                          "threads", "--workers", "2", "--tasks", "8", "--size", "1000", "--probe", NULL};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (want[i] == NULL) assert_null(a.v[i]);
        else assert_string_equal(a.v[i], want[i]);
    }
    assert_false(a.failed);
    gs_harness_argv_free(&a);
    assert_null(a.v);
}

static void specs_resolve_to_real_paths(void **state) {
    (void)state;
    char *s = gs_harness_resolve_spec("cpu");
    assert_string_equal(s, "cpu");
    free(s);
    char p[512];
    snprintf(p, sizeof(p), "%s/../%s/cpu.py", dir, strrchr(dir, '/') + 1);
    s = gs_harness_resolve_spec(p);
    char want[512];
    snprintf(want, sizeof(want), "%s/cpu.py", dir);
    assert_string_equal(s, want);
    free(s);
}

static void env_fixes_the_hash_seed(void **state) {
    (void)state;
    setenv("PYTHONHASHSEED", "99", 1);
    char **env = gs_harness_env(7);
    int seeds = 0;
    for (char **p = env; *p; p++)
        if (strncmp(*p, "PYTHONHASHSEED=", 15) == 0) {
            seeds++;
            assert_string_equal(*p, "PYTHONHASHSEED=7");
        }
    assert_int_equal(seeds, 1);
    gs_harness_env_free(env);
    unsetenv("PYTHONHASHSEED");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtins_skip_the_harness),   cmocka_unit_test(specs_are_checked_up_front),
        cmocka_unit_test(find_honours_the_environment), cmocka_unit_test(argv_of_a_run),
        cmocka_unit_test(specs_resolve_to_real_paths), cmocka_unit_test(env_fixes_the_hash_seed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
