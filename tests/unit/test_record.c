#include "gs_test.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

#define HELLO "{\"type\":\"hello\",\"protocol\":1,\"pid\":42,\"cores\":2,\"python\":{\"implementation\":\"CPython\",\"version\":\"3.11.7\",\"executable\":\"/x\",\"gil_enabled\":true}}"
#define START "{\"type\":\"start\",\"workload\":\"cpu\",\"kind\":\"cpu\",\"strategy\":\"processes\",\"workers\":2,\"tasks\":1,\"size\":10,\"start_method\":\"spawn\"}"
#define RESULT "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":2000000100,\"strategy_wall_ns\":2000000000,\"pool_startup_ns\":50000000,\"checksum\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"cpu_user_s\":3.5,\"cpu_sys_s\":0.25,\"max_rss_bytes\":5000,\"workers_seen\":[],\"tasks\":[{\"index\":0,\"start_ns\":200,\"end_ns\":300,\"pid\":1,\"tid\":1}]}"

static void out_with(gs_spawn_out *o, const char **lines, const char *stderr_text) {
    memset(o, 0, sizeof(*o));
    gs_proto_init(&o->proto, GS_PROTO_RUN, 1);
    for (int i = 0; lines && lines[i]; i++) gs_proto_feed(&o->proto, lines[i], strlen(lines[i]));
    o->proto_ok = o->proto.state != GS_PROTO_BROKEN && gs_proto_finish(&o->proto) == 0;
    o->out_tail = strdup("");
    o->err_tail = strdup(stderr_text ? stderr_text : "");
    o->exited = 1;
    o->start_ns = 1000000000;
    o->exit_ns = 3500000000;
}

static void an_ok_run_carries_its_figures(void **state) {
    (void)state;
    const char *lines[] = {HELLO, START, RESULT, NULL};
    gs_spawn_out o;
    out_with(&o, lines, NULL);
    o.peak_rss_bytes = 9000;
    gs_run r;
    memset(&r, 0, sizeof(r));
    gs_record_run(&r, &o, 10);
    assert_int_equal(r.status, GS_RUN_OK);
    assert_float_equal(r.strategy_wall_s, 2.0, 1e-12);
    assert_float_equal(r.process_wall_s, 2.5, 1e-12);
    assert_float_equal(r.pool_startup_s, 0.05, 1e-12);
    assert_float_equal(r.cpu_user_s, 3.5, 0);
    assert_int_equal(r.peak_rss_bytes, 9000);
    assert_string_equal(r.start_method, "spawn");
    assert_int_equal(json_array_size(r.tasks), 1);
    free(r.start_method);
    json_decref(r.tasks);
    json_decref(r.workers_seen);
    gs_spawn_out_free(&o);
}

typedef struct fcase {
    const char *lines[4];
    int exit_status, term_signal, timed_out, spawn_error;
    const char *stderr_text;
    gs_run_status status;
    const char *needle;
} fcase;

static void failures_are_named(void **state) {
    (void)state;
    fcase cases[] = {
        {{HELLO, START, "{\"type\":\"error\",\"stage\":\"tasks\",\"message\":\"ValueError: boom\",\"task\":3,\"traceback\":\"Traceback...\"}"},
         1, 0, 0, 0, NULL, GS_RUN_FAILED, "task 3 raised ValueError: boom"},
        {{HELLO, "{\"type\":\"error\",\"stage\":\"load\",\"message\":\"bad.py: SyntaxError: invalid syntax (line 3)\",\"task\":null}"},
         1, 0, 0, 0, NULL, GS_RUN_FAILED, "cannot load the workload: bad.py: SyntaxError"},
        {{HELLO, START}, 0, SIGABRT, 0, 0, "Fatal Python error: Aborted\n", GS_RUN_FAILED, "killed by signal 6"},
        {{HELLO, START}, 0, SIGKILL, 1, 0, NULL, GS_RUN_FAILED, "timed out after 10 s"},
        {{HELLO, "{\"type\":\"unavailable\",\"strategy\":\"to_thread\",\"reason\":\"needs Python 3.9\"}"},
         0, 0, 0, 0, NULL, GS_RUN_UNAVAILABLE, "needs Python 3.9"},
        {{HELLO, "not json"}, 0, 0, 0, 0, NULL, GS_RUN_FAILED, "protocol error on fd 3: malformed"},
        {{NULL}, 3, 0, 0, 0, "boom\nImportError: no\n", GS_RUN_FAILED, "exited with status 3 before reporting a result: ImportError: no"},
        {{NULL}, 0, 0, 0, -2, NULL, GS_RUN_FAILED, "cannot start the interpreter"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gs_spawn_out o;
        out_with(&o, cases[i].lines, cases[i].stderr_text);
        o.exit_status = cases[i].exit_status;
        o.term_signal = cases[i].term_signal;
        o.timed_out = cases[i].timed_out;
        o.spawn_error = cases[i].spawn_error;
        gs_run r;
        memset(&r, 0, sizeof(r));
        gs_record_run(&r, &o, 10);
        if (r.status != cases[i].status || r.error == NULL || strstr(r.error, cases[i].needle) == NULL) {
            fprintf(stderr, "case %zu: status %d, error \"%s\"\n", i, r.status, r.error ? r.error : "(null)");
            fail();
        }
        free(r.error);
        free(r.detail);
        gs_spawn_out_free(&o);
    }
}

static void interruption_is_not_a_failure(void **state) {
    (void)state;
    gs_spawn_out o;
    const char *lines[] = {HELLO, START, NULL};
    out_with(&o, lines, NULL);
    o.interrupted = SIGINT;
    o.term_signal = SIGKILL;
    gs_run r;
    memset(&r, 0, sizeof(r));
    gs_record_run(&r, &o, 10);
    assert_int_equal(r.status, GS_RUN_INTERRUPTED);
    free(r.error);
    gs_spawn_out_free(&o);
}

static void last_line_skips_blank_tails(void **state) {
    (void)state;
    char buf[16];
    gs_record_last_line("a\nsecond line\n\n", buf, sizeof(buf));
    assert_string_equal(buf, "second line");
    gs_record_last_line("", buf, sizeof(buf));
    assert_string_equal(buf, "");
    gs_record_last_line("a very long line indeed", buf, 8);
    assert_string_equal(buf, "a very ");
}

/* Text from a workload is bounded on a character boundary, the cut said:
 * a message keeps its start, a traceback its end. */
static void text_is_bounded(void **state) {
    (void)state;
    char big[10000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big + 60, "\xc3\xa9\xc3\xa9", 4); /* é é: a cut must not split one */
    char *m = gs_record_bound(big, 100, 0);
    assert_true(strlen(m) <= 100);
    assert_non_null(strstr(m, " bytes cut)"));
    assert_int_equal(strncmp(m, "xxxxxxxxxx", 10), 0);
    free(m);
    memcpy(big + sizeof(big) - 5, "END!", 4);
    char *t = gs_record_bound(big, 100, 1);
    assert_true(strlen(t) <= 100);
    assert_int_equal(strncmp(t, "[… ", 5), 0);
    assert_non_null(strstr(t, "END!"));
    free(t);
    for (size_t max = 100; max < 116; max++) { /* room = max - 48 cuts at 52..67, across the two é */
        char *c = gs_record_bound(big, max, 0);
        json_t *j = json_string(c); /* NULL if the cut left half a character */
        assert_non_null(j);
        json_decref(j);
        free(c);
    }
    char *same = gs_record_bound("short", 100, 0);
    assert_string_equal(same, "short");
    free(same);
    assert_null(gs_record_bound(NULL, 100, 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_is_bounded),
        cmocka_unit_test(an_ok_run_carries_its_figures),
        cmocka_unit_test(failures_are_named),
        cmocka_unit_test(interruption_is_not_a_failure),
        cmocka_unit_test(last_line_skips_blank_tails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
