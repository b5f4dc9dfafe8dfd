/* Asking the interpreter what it is (measure/interp.c), on the real harness
 * and the interpreter CMake found ($GS_PYTHON): a working interpreter answers
 * hello and info; one that cannot be started, a program that is no Python
 * and a workload that kills the interpreter while loading each give 2 and a
 * message on stderr. Each case checks that the loop closes cleanly. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "harness.h"
#include "interp.h"

static char tmp[] = "/tmp/gs-test-interp-XXXXXX";
static char workloads[4096];
static char **env;

static const char *python(void) { return getenv("GS_PYTHON") ? getenv("GS_PYTHON") : "python3"; }

/* A workload file in the temporary directory; its path into path. */
static void workload_file(const char *name, const char *text, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* stderr, captured into a temporary file while a call runs. */
static int saved_fd = -1;
static FILE *captured;

static void capture_start(void) {
    fflush(stderr);
    captured = tmpfile();
    assert_non_null(captured);
    saved_fd = dup(2);
    assert_true(saved_fd >= 0);
    assert_true(dup2(fileno(captured), 2) >= 0);
}

/* Restores stderr and returns what was written to it (the caller frees it). */
static char *capture_end(void) {
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    saved_fd = -1;
    rewind(captured);
    char *buf = calloc(1, 8192);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 8191, captured);
    buf[n] = '\0';
    fclose(captured);
    captured = NULL;
    return buf;
}

/* Queries interp about specs on a loop of its own; stderr into *err. */
static int query(const char *interp, const char **specs, size_t n, gs_spawn_out *out, char **err) {
    gs_options o;
    memset(&o, 0, sizeof(o));
    o.python = interp;
    o.workloads = specs;
    o.nworkloads = n;
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    capture_start();
    int rc = gs_interp_query(&loop, workloads, &o, env, out);
    *err = capture_end();
    /* Every handle the query used is closed when it returns. */
    assert_int_equal(uv_loop_close(&loop), 0);
    return rc;
}

static int setup(void **state) {
    (void)state;
    if (mkdtemp(tmp) == NULL) return -1;
    if (gs_harness_find(workloads, sizeof(workloads)) != 0) return -1;
    env = gs_harness_env(1);
    return env == NULL ? -1 : 0;
}

static int teardown(void **state) {
    (void)state;
    gs_harness_env_free(env);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd);
}

/* The info entry of spec, or NULL. */
static json_t *entry(const gs_spawn_out *out, const char *spec) {
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(out->proto.info, "workloads"), i, w) {
        if (strcmp(json_string_value(json_object_get(w, "spec")), spec) == 0) return w;
    }
    return NULL;
}

static void a_working_interpreter_answers(void **state) {
    (void)state;
    gs_spawn_out out;
    char *err;
    const char *specs[] = {"sleep"};
    assert_int_equal(query(python(), specs, 1, &out, &err), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(out.spawn_error, 0);
    assert_true(out.exited);
    assert_int_equal(out.exit_status, 0);
    assert_true(out.proto_ok);
    /* hello: CPython 3.8 or newer, on at least one core. */
    json_t *py = json_object_get(out.proto.hello, "python");
    assert_string_equal(json_string_value(json_object_get(py, "implementation")), "CPython");
    int major = 0, minor = 0;
    assert_int_equal(sscanf(json_string_value(json_object_get(py, "version")), "%d.%d", &major, &minor), 2);
    assert_int_equal(major, 3);
    assert_true(minor >= 8);
    assert_true(json_integer_value(json_object_get(out.proto.hello, "cores")) >= 1);
    /* info: the one workload asked for, as sleep.py declares it, and the
     * baseline strategy available everywhere. */
    assert_int_equal(json_array_size(json_object_get(out.proto.info, "workloads")), 1);
    json_t *w = entry(&out, "sleep");
    assert_non_null(w);
    assert_string_equal(json_string_value(json_object_get(w, "name")), "sleep");
    assert_string_equal(json_string_value(json_object_get(w, "kind")), "io");
    assert_int_equal(json_integer_value(json_object_get(w, "default_size")), 50);
    assert_true(json_is_true(json_object_get(w, "builtin")));
    assert_true(json_is_null(json_object_get(w, "error")));
    size_t i;
    json_t *s;
    int serial = 0;
    json_array_foreach(json_object_get(out.proto.info, "strategies"), i, s) {
        if (strcmp(json_string_value(json_object_get(s, "name")), "serial") == 0)
            serial = json_is_true(json_object_get(s, "available"));
    }
    assert_true(serial);
    gs_spawn_out_free(&out);
}

static void no_workload_named_lists_every_builtin(void **state) {
    (void)state;
    gs_spawn_out out;
    char *err;
    assert_int_equal(query(python(), NULL, 0, &out, &err), 0);
    free(err);
    char **names = gs_harness_builtins(workloads);
    size_t n = 0;
    for (char **p = names; *p; p++, n++) {
        json_t *w = entry(&out, *p);
        if (w == NULL) fail_msg("built-in %s missing from info", *p);
        assert_true(json_is_null(json_object_get(w, "error")));
        free(*p);
    }
    free(names);
    assert_true(n >= 1);
    assert_int_equal(json_array_size(json_object_get(out.proto.info, "workloads")), n);
    gs_spawn_out_free(&out);
}

static void a_workload_that_raises_is_listed_with_its_error(void **state) {
    (void)state;
    char path[4096];
    workload_file("broken_load.py", "raise RuntimeError('no database here')\n\ndef run(arg):\n    return arg\n", path,
                  sizeof(path));
    gs_spawn_out out;
    char *err;
    const char *specs[] = {"sleep", path};
    /* The interpreter is fine: the failure is the workload's, in the listing. */
    assert_int_equal(query(python(), specs, 2, &out, &err), 0);
    free(err);
    assert_true(json_is_null(json_object_get(entry(&out, "sleep"), "error")));
    json_t *w = entry(&out, path);
    assert_non_null(w);
    const char *why = json_string_value(json_object_get(w, "error"));
    assert_non_null(why);
    assert_non_null(strstr(why, "broken_load.py"));
    assert_non_null(strstr(why, "no database here"));
    gs_spawn_out_free(&out);
}

static void a_workload_that_kills_the_interpreter_gives_2(void **state) {
    (void)state;
    char path[4096];
    workload_file("exits.py", "import os\nos._exit(7)\n", path, sizeof(path));
    gs_spawn_out out;
    char *err;
    const char *specs[] = {path};
    assert_int_equal(query(python(), specs, 1, &out, &err), 2);
    assert_int_equal(out.spawn_error, 0);
    assert_int_equal(out.exit_status, 7);
    assert_non_null(out.proto.hello); /* it did answer first */
    assert_null(out.proto.info);
    if (strstr(err, "gilscope: loading the workloads failed") != err) fail_msg("stderr: %s", err);
    free(err);
    gs_spawn_out_free(&out);

    workload_file("killed.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", path, sizeof(path));
    assert_int_equal(query(python(), specs, 1, &out, &err), 2);
    assert_int_equal(out.term_signal, 9);
    if (strstr(err, "gilscope: loading the workloads killed the interpreter (signal 9") != err)
        fail_msg("stderr: %s", err);
    free(err);
    gs_spawn_out_free(&out);
}

static void a_missing_interpreter_gives_2_and_names_it(void **state) {
    (void)state;
    const char *missing = "/nonexistent/gilscope-test/python3";
    gs_spawn_out out;
    char *err;
    assert_int_equal(query(missing, NULL, 0, &out, &err), 2);
    assert_true(out.spawn_error < 0);
    assert_false(out.proto_ok);
    assert_null(out.proto.hello);
    assert_null(out.proto.info);
    char want[256];
    snprintf(want, sizeof(want), "gilscope: --python: cannot run \"%s\": ", missing);
    if (strstr(err, want) != err) fail_msg("stderr: %s", err);
    assert_non_null(strstr(err, uv_strerror(out.spawn_error)));
    free(err);
    gs_spawn_out_free(&out);
}

static void a_program_that_is_no_python_gives_2(void **state) {
    (void)state;
    /* /bin/true starts, ignores the harness and says nothing on fd 3. */
    gs_spawn_out out;
    char *err;
    assert_int_equal(query("/bin/true", NULL, 0, &out, &err), 2);
    assert_int_equal(out.spawn_error, 0);
    assert_int_equal(out.exit_status, 0);
    assert_null(out.proto.hello);
    if (strstr(err, "gilscope: --python /bin/true: the harness did not start (") != err) fail_msg("stderr: %s", err);
    assert_non_null(strstr(err, "gilscope needs CPython 3.8 or newer"));
    free(err);
    gs_spawn_out_free(&out);
}

/* An executable file at path (its directories made). */
static void fake_python(const char *path) {
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    for (char *p = dir + strlen(tmp) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(dir, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0755), 0);
}

/* Sets name to tmp followed by rest. */
static void set_env(const char *name, const char *rest) {
    char v[4096];
    snprintf(v, sizeof(v), "%s%s", tmp, rest);
    assert_int_equal(setenv(name, v, 1), 0);
}

/* Version names are looked up on PATH (pyenv's shims left out), then in
 * pyenv's versions (the highest micro), then in the cache; paths and other
 * names are taken as they are; a version found nowhere names every place. */
static void version_names_resolve_through_path_pyenv_and_the_cache(void **state) {
    (void)state;
    char out[4096], err[1024], want[4096];
    char *saved_path = strdup(getenv("PATH") ? getenv("PATH") : "");
    set_env("PYENV_ROOT", "/pyenv");
    set_env("GILSCOPE_PYTHONS", "/cache");
    snprintf(want, sizeof(want), "%s/pyenv/shims/python3.97", tmp);
    fake_python(want);
    snprintf(want, sizeof(want), "%s/bin/python3.97", tmp);
    fake_python(want);
    char path[8192];
    snprintf(path, sizeof(path), "%s/pyenv/shims:%s/bin", tmp, tmp);
    setenv("PATH", path, 1);
    assert_int_equal(gs_interp_resolve("3.97", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, want); /* on PATH, not the shim */
    assert_int_equal(gs_interp_resolve("python3.97", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, want);
    /* pyenv: the highest micro of 3.98, a free-threaded build only for 3.98t. */
    snprintf(want, sizeof(want), "%s/pyenv/versions/3.98.2/bin/python3.98", tmp);
    fake_python(want);
    snprintf(path, sizeof(path), "%s/pyenv/versions/3.98.10/bin/python3.98", tmp);
    fake_python(path);
    snprintf(path, sizeof(path), "%s/pyenv/versions/3.98.11t/bin/python3.98t", tmp);
    fake_python(path);
    assert_int_equal(gs_interp_resolve("3.98", out, sizeof(out), err, sizeof(err)), 0);
    snprintf(want, sizeof(want), "%s/pyenv/versions/3.98.10/bin/python3.98", tmp);
    assert_string_equal(out, want);
    assert_int_equal(gs_interp_resolve("3.98t", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, path);
    /* The cache of Pythons. */
    snprintf(want, sizeof(want), "%s/cache/bin/python3.99", tmp);
    fake_python(want);
    assert_int_equal(gs_interp_resolve("3.99", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, want);
    /* Nowhere: the message names the version and every place looked at. */
    assert_int_equal(gs_interp_resolve("3.96", out, sizeof(out), err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--python 3.96: no python3.96 on PATH"));
    assert_non_null(strstr(err, "/pyenv/versions"));
    assert_non_null(strstr(err, "/cache/bin"));
    /* Paths and other names as they are. */
    assert_int_equal(gs_interp_resolve("./3.96", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, "./3.96");
    assert_int_equal(gs_interp_resolve("pypy3", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, "pypy3");
    assert_int_equal(gs_interp_resolve("3.x", out, sizeof(out), err, sizeof(err)), 0);
    assert_string_equal(out, "3.x");
    setenv("PATH", saved_path, 1);
    free(saved_path);
    unsetenv("PYENV_ROOT");
    unsetenv("GILSCOPE_PYTHONS");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_names_resolve_through_path_pyenv_and_the_cache),
        cmocka_unit_test(a_working_interpreter_answers),
        cmocka_unit_test(no_workload_named_lists_every_builtin),
        cmocka_unit_test(a_workload_that_raises_is_listed_with_its_error),
        cmocka_unit_test(a_workload_that_kills_the_interpreter_gives_2),
        cmocka_unit_test(a_missing_interpreter_gives_2_and_names_it),
        cmocka_unit_test(a_program_that_is_no_python_gives_2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
