/* One harness process to its end (measure/spawn.c), with /bin/sh standing in
 * for the interpreter: exit status, the tails of stdout and stderr, the
 * result pipe at fd 3, a timeout, a grandchild that outlives the run and
 * holds the pipes, and an interpreter that cannot be started. Each case
 * checks that the loop closes cleanly afterwards. Generous times only. */
#include "gs_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "spawn.h"

static void run_sh(const char *script, double timeout_s, gs_spawn_out *out) {
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    gs_spawn_req req = {argv, NULL, timeout_s, 0.5, GS_PROTO_INFO, 0, 0, 0, 0};
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    gs_spawn_run(&loop, &req, out);
    /* Every handle the run used is closed when it returns. */
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void exit_status_and_tails(void **state) {
    (void)state;
    gs_spawn_out out;
    run_sh("echo to-stdout; echo to-stderr >&2; exit 3", 30, &out);
    assert_int_equal(out.spawn_error, 0);
    assert_true(out.exited);
    assert_int_equal(out.exit_status, 3);
    assert_int_equal(out.term_signal, 0);
    assert_false(out.timed_out);
    assert_non_null(strstr(out.out_tail, "to-stdout"));
    assert_non_null(strstr(out.err_tail, "to-stderr"));
    /* Nothing came on fd 3: the stream is incomplete, and says so. */
    assert_false(out.proto_ok);
    assert_true(strlen(out.proto.problem) > 0);
    gs_spawn_out_free(&out);
}

static void results_arrive_on_fd3(void **state) {
    (void)state;
    gs_spawn_out out;
    /* A line that is not JSON is refused, and the reason kept. */
    run_sh("echo 'not json' >&3", 30, &out);
    assert_int_equal(out.exit_status, 0);
    assert_false(out.proto_ok);
    assert_true(strlen(out.proto.problem) > 0);
    gs_spawn_out_free(&out);
    /* An unfinished last line is a problem of its own. */
    run_sh("printf '{\"type\": \"hel' >&3", 30, &out);
    assert_false(out.proto_ok);
    assert_non_null(strstr(out.proto.problem, "no newline"));
    gs_spawn_out_free(&out);
}

static void timeout_kills_the_run(void **state) {
    (void)state;
    gs_spawn_out out;
    uint64_t t0 = uv_hrtime();
    run_sh("sleep 30", 0.3, &out);
    double took = (double)(uv_hrtime() - t0) / 1e9;
    assert_true(out.timed_out);
    assert_int_not_equal(out.term_signal, 0);
    assert_true(took < 20); /* far less than the 30 s the script asked for */
    gs_spawn_out_free(&out);
}

static void a_grandchild_holding_the_pipes_is_killed(void **state) {
    (void)state;
    gs_spawn_out out;
    uint64_t t0 = uv_hrtime();
    /* The shell exits at once; its background sleep keeps stdout, stderr and
     * fd 3 open. The run ends after the grace, and the sleep is killed. */
    run_sh("sleep 30 & exit 0", 30, &out);
    double took = (double)(uv_hrtime() - t0) / 1e9;
    assert_int_equal(out.exit_status, 0);
    assert_true(out.leftover >= 1);
    assert_true(took < 20);
    gs_spawn_out_free(&out);
}

static void an_interpreter_that_cannot_start(void **state) {
    (void)state;
    char *argv[] = {"/nonexistent/python3", NULL};
    gs_spawn_req req = {argv, NULL, 30, 0.5, GS_PROTO_INFO, 0, 0, 0, 0};
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    gs_spawn_out out;
    int rc = gs_spawn_run(&loop, &req, &out);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(rc, UV_ENOENT);
    assert_int_equal(out.spawn_error, UV_ENOENT);
    assert_false(out.exited);
    gs_spawn_out_free(&out);
}

/* With a scratch directory: the run finds it in GILSCOPE_SCRATCH, empty and
 * its own; it is gone after the run, whatever the run left in it, a run
 * killed by the timeout too. */
static void a_scratch_directory_for_the_run_only(void **state) {
    (void)state;
    for (int killed = 0; killed < 2; killed++) {
        char *argv[] = {"/bin/sh", "-c",
                        killed ? "mkdir \"$GILSCOPE_SCRATCH/d\" && echo x > \"$GILSCOPE_SCRATCH/d/f\" && sleep 30"
                               : "ls -A \"$GILSCOPE_SCRATCH\" | wc -l; mkdir \"$GILSCOPE_SCRATCH/d\"; touch \"$GILSCOPE_SCRATCH/d/f\"",
                        NULL};
        gs_spawn_req req = {argv, NULL, killed ? 0.5 : 30, 0.5, GS_PROTO_INFO, 0, 0, 0, 1};
        uv_loop_t loop;
        assert_int_equal(uv_loop_init(&loop), 0);
        gs_spawn_out out;
        assert_int_equal(gs_spawn_run(&loop, &req, &out), 0);
        assert_int_equal(uv_loop_close(&loop), 0);
        assert_false(out.scratch_failed);
        assert_int_equal(out.scratch_remove_error, 0);
        assert_non_null(strstr(out.scratch, "gilscope-run-"));
        if (!killed) assert_string_equal(out.out_tail, "0\n"); /* empty when the run began */
        else assert_true(out.timed_out);
        struct stat st;
        assert_int_equal(lstat(out.scratch, &st), -1);
        gs_spawn_out_free(&out);
    }
    /* A directory that cannot be made: nothing starts, and the parent is named. */
    setenv("TMPDIR", "/nonexistent/gilscope", 1);
    char *argv[] = {"/bin/sh", "-c", "exit 0", NULL};
    gs_spawn_req req = {argv, NULL, 30, 0.5, GS_PROTO_INFO, 0, 0, 0, 1};
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    gs_spawn_out out;
    assert_int_equal(gs_spawn_run(&loop, &req, &out), UV_ENOENT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_true(out.scratch_failed);
    assert_false(out.exited);
    assert_string_equal(out.scratch, "/nonexistent/gilscope");
    gs_spawn_out_free(&out);
    unsetenv("TMPDIR");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_scratch_directory_for_the_run_only),
        cmocka_unit_test(exit_status_and_tails),
        cmocka_unit_test(results_arrive_on_fd3),
        cmocka_unit_test(timeout_kills_the_run),
        cmocka_unit_test(a_grandchild_holding_the_pipes_is_killed),
        cmocka_unit_test(an_interpreter_that_cannot_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
