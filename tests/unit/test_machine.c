/* The report's metadata (model/machine.c): what ran, on what, and how. */
#include "gs_test.h"

#include <string.h>

#include "machine.h"

static void metadata_of_a_session(void **state) {
    (void)state;
    gs_options o;
    memset(&o, 0, sizeof(o));
    o.tasks = 8;
    o.runs = 6;
    o.warmup = 1;
    o.python = "python3";
    o.strategies = (1u << ST("serial")) | (1u << ST("processes"));
    int workers[] = {1, 2};
    o.workers = workers;
    o.nworkers = 2;
    o.hash_seed = 7;
    gs_session s;
    json_t *hello = json_pack("{s:{s:s,s:s,s:b}}", "python", "version", "3.11.7", "executable", "/usr/bin/python3.11",
                              "gil_enabled", 1);
    assert_int_equal(gs_session_init(&s, &o, hello), 0);
    assert_string_equal(s.python, "/usr/bin/python3.11");
    char *argv[] = {"gilscope", "run", NULL};
    json_t *info = json_pack("{s:s}", "default_start_method", "fork");
    json_t *m = gs_machine_metadata(&s, 2, argv, "/w", info);
    assert_string_equal(json_string_value(json_object_get(m, "interpreter")), "/usr/bin/python3.11");
    assert_true(json_is_true(json_object_get(m, "gil_enabled")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(m, "python"), "requested")), "python3");
    assert_int_equal(json_array_size(json_object_get(m, "command_line")), 2);
    assert_true(json_integer_value(json_object_get(m, "cores")) >= 1);
    json_t *st = json_object_get(m, "strategies");
    assert_int_equal(json_array_size(st), 2);
    assert_string_equal(json_string_value(json_array_get(st, 0)), "serial");
    assert_string_equal(json_string_value(json_array_get(st, 1)), "processes");
    assert_int_equal(json_array_size(json_object_get(m, "workers")), 2);
    assert_int_equal(json_integer_value(json_object_get(m, "hash_seed")), 7);
    assert_string_equal(json_string_value(json_object_get(m, "default_start_method")), "fork");
    assert_true(json_is_null(json_object_get(m, "start_method_requested")));
    assert_true(json_is_string(json_object_get(m, "cpu_model")));
    gs_session_set_metadata(&s, m);
    json_decref(info);
    json_decref(hello);
    s.opt = NULL;
    gs_session_free(&s);
}

static void a_hello_without_executable_is_refused(void **state) {
    (void)state;
    gs_options o;
    memset(&o, 0, sizeof(o));
    gs_session s;
    json_t *hello = json_pack("{s:{}}", "python");
    assert_int_equal(gs_session_init(&s, &o, hello), -1);
    gs_session_free(&s);
    json_decref(hello);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metadata_of_a_session),
        cmocka_unit_test(a_hello_without_executable_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
