#include "gs_test.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"

#define HELLO                                                                                   \
    "{\"type\":\"hello\",\"protocol\":1,\"pid\":42,\"cores\":2,\"python\":{\"implementation\":" \
    "\"CPython\",\"version\":\"3.11.7\",\"executable\":\"/usr/bin/python3\",\"gil_enabled\":true}}"
#define START                                                                                  \
    "{\"type\":\"start\",\"workload\":\"cpu\",\"kind\":\"cpu\",\"strategy\":\"threads\","      \
    "\"workers\":2,\"tasks\":2,\"size\":10,\"start_method\":null}"
#define SUM "\"" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "\""
#define TASK(i, s, e) "{\"index\":" #i ",\"start_ns\":" #s ",\"end_ns\":" #e ",\"pid\":1,\"tid\":2}"
#define RESULT_WITH(tasks, sum)                                                                  \
    "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,\"strategy_wall_ns\":100," \
    "\"pool_startup_ns\":5,\"checksum\":" sum ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"           \
    "\"max_rss_bytes\":1000,\"workers_seen\":[],\"tasks\":[" tasks "]}"
#define RESULT RESULT_WITH(TASK(0, 110, 150) "," TASK(1, 120, 190), SUM)
/* A result with an experiment's figures ("values" one row per task) and sentence. */
#define RESULT_VALUES(values, explanation)                                                       \
    "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,\"strategy_wall_ns\":100," \
    "\"pool_startup_ns\":5,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"           \
    "\"max_rss_bytes\":1000,\"workers_seen\":[],\"tasks\":[" TASK(0, 110, 150) "," TASK(1, 120, 190) "]," \
    "\"values\":" values ",\"explanation\":" explanation "}"

/* A result with --profile's figures. */
#define RESULT_PROFILE(profile)                                                                  \
    "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,\"strategy_wall_ns\":100," \
    "\"pool_startup_ns\":5,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"           \
    "\"max_rss_bytes\":1000,\"workers_seen\":[],\"tasks\":[" TASK(0, 110, 150) "," TASK(1, 120, 190) "]," \
    "\"profile\":" profile "}"
#define TRANSFER(task, max_task) \
    "{\"task_bytes\":" #task ",\"result_bytes\":8,\"max_task_bytes\":" #max_task ",\"max_result_bytes\":4," \
    "\"pickle_s\":0.001,\"unpickle_s\":0.001}"
#define RESULT_TRANSFER(transfer)                                                                \
    "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,\"strategy_wall_ns\":100," \
    "\"pool_startup_ns\":5,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"           \
    "\"max_rss_bytes\":1000,\"workers_seen\":[],\"tasks\":[" TASK(0, 110, 150) "," TASK(1, 120, 190) "]," \
    "\"transfer\":" transfer "}"
#define PROFILE_ENTRY(calls, own) \
    "{\"function\":\"cpu.py:17(run)\",\"calls\":" #calls ",\"primitive_calls\":1,\"own_s\":" #own ",\"cumulative_s\":1.5}"
#define PROFILE(entries) \
    "{\"scope\":\"the thread that ran the tasks\",\"profiles\":1,\"total_own_s\":1.2,\"by_own\":[" entries "],\"by_cumulative\":[]}"

static int feed(gs_proto *p, const char *line) { return gs_proto_feed(p, line, strlen(line)); }

/* Feeds lines in order; returns the index of the first refused line, or -1. */
static int feed_all(gs_proto *p, const char *const *lines) {
    for (int i = 0; lines[i]; i++)
        if (feed(p, lines[i]) != 0) return i;
    return -1;
}

static void accepts_a_complete_run(void **state) {
    (void)state;
    gs_proto p;
    gs_proto_init(&p, GS_PROTO_RUN, 2);
    const char *lines[] = {HELLO, START, RESULT, NULL};
    assert_int_equal(feed_all(&p, lines), -1);
    assert_int_equal(gs_proto_finish(&p), 0);
    assert_non_null(p.result);
    assert_non_null(p.hello);
    gs_proto_free(&p);
    /* With an experiment's figures (a null among them: not measured) and its sentence, or null ones. */
    const char *values[] = {RESULT_VALUES("[[0, 9000.5], [\"plain class\", null]]", "\"why\""), RESULT_VALUES("null", "null"),
                            RESULT_PROFILE(PROFILE(PROFILE_ENTRY(2, 1.2))), RESULT_PROFILE("null"),
                            RESULT_TRANSFER(TRANSFER(2000, 1000)), RESULT_TRANSFER("null")};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        gs_proto_init(&p, GS_PROTO_RUN, 2);
        const char *with[] = {HELLO, START, values[i], NULL};
        assert_int_equal(feed_all(&p, with), -1);
        assert_int_equal(gs_proto_finish(&p), 0);
        gs_proto_free(&p);
    }
}

static void accepts_unavailable_and_error(void **state) {
    (void)state;
    gs_proto p;
    gs_proto_init(&p, GS_PROTO_RUN, 2);
    const char *a[] = {HELLO, "{\"type\":\"unavailable\",\"strategy\":\"to_thread\",\"reason\":\"needs 3.9\"}", NULL};
    assert_int_equal(feed_all(&p, a), -1);
    assert_int_equal(gs_proto_finish(&p), 0);
    gs_proto_free(&p);
    gs_proto_init(&p, GS_PROTO_RUN, 2);
    const char *b[] = {HELLO, START, "{\"type\":\"error\",\"stage\":\"tasks\",\"message\":\"ValueError: x\",\"task\":1}", NULL};
    assert_int_equal(feed_all(&p, b), -1);
    assert_int_equal(gs_proto_finish(&p), 0);
    assert_non_null(p.error);
    gs_proto_free(&p);
}

/* Each case: the lines, and the index of the line that must be refused. */
typedef struct bad_case {
    const char *name;
    const char *lines[5];
    int refused;
    const char *problem; /* a substring of the reason */
} bad_case;

static const bad_case bad[] = {
    {"not json", {"garbage", NULL}, 0, "malformed"},
    {"not an object", {"[1,2]", NULL}, 0, "not a JSON object"},
    {"no type", {"{\"protocol\":1}", NULL}, 0, "without a \"type\""},
    {"unknown type", {HELLO, "{\"type\":\"surprise\"}", NULL}, 1, "unexpected \"surprise\""},
    {"start before hello", {START, NULL}, 0, "unexpected \"start\" message first"},
    {"two hellos", {HELLO, HELLO, NULL}, 1, "after hello"},
    {"result without start", {HELLO, RESULT, NULL}, 1, "unexpected \"result\""},
    {"anything after result", {HELLO, START, RESULT, HELLO, NULL}, 3, "after the end"},
    {"duplicate keys", {"{\"type\":\"hello\",\"type\":\"hello\"}", NULL}, 0, "malformed"},
    {"wrong protocol", {"{\"type\":\"hello\",\"protocol\":2,\"pid\":1,\"cores\":2,\"python\":{}}", NULL}, 0, "protocol 2"},
    {"hello without python", {"{\"type\":\"hello\",\"protocol\":1,\"pid\":1,\"cores\":2}", NULL}, 0, "python"},
    {"start with other task count",
     {HELLO, "{\"type\":\"start\",\"workload\":\"cpu\",\"kind\":\"cpu\",\"strategy\":\"serial\",\"workers\":1,\"tasks\":3,\"size\":1}", NULL},
     1, "3 tasks, expected 2"},
    {"too few tasks", {HELLO, START, RESULT_WITH(TASK(0, 110, 150), SUM), NULL}, 2, "1 task records, expected 2"},
    {"repeated index", {HELLO, START, RESULT_WITH(TASK(0, 110, 150) "," TASK(0, 110, 150), SUM), NULL}, 2, "repeated"},
    {"index out of range", {HELLO, START, RESULT_WITH(TASK(0, 110, 150) "," TASK(5, 110, 150), SUM), NULL}, 2, "out of range"},
    {"task outside the window", {HELLO, START, RESULT_WITH(TASK(0, 110, 150) "," TASK(1, 90, 150), SUM), NULL}, 2, "window"},
    {"task ends before it starts", {HELLO, START, RESULT_WITH(TASK(0, 150, 110) "," TASK(1, 110, 150), SUM), NULL}, 2, "window"},
    {"short checksum", {HELLO, START, RESULT_WITH(TASK(0, 110, 150) "," TASK(1, 110, 150), "\"abc\""), NULL}, 2, "checksum"},
    {"window backwards",
     {HELLO, START, "{\"type\":\"result\",\"window_start_ns\":200,\"window_end_ns\":100,\"strategy_wall_ns\":0,"
      "\"pool_startup_ns\":null,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,\"max_rss_bytes\":1,"
      "\"workers_seen\":[],\"tasks\":[]}", NULL}, 2, "negative time"},
    {"wall not the window", {HELLO, START, "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,"
      "\"strategy_wall_ns\":7,\"pool_startup_ns\":null,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"
      "\"max_rss_bytes\":1,\"workers_seen\":[],\"tasks\":[]}", NULL}, 2, "strategy_wall_ns"},
    {"pool start-up past the window", {HELLO, START, "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,"
      "\"strategy_wall_ns\":100,\"pool_startup_ns\":500,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"
      "\"max_rss_bytes\":1,\"workers_seen\":[],\"tasks\":[]}", NULL}, 2, "pool_startup_ns"},
    {"negative rss", {HELLO, START, "{\"type\":\"result\",\"window_start_ns\":100,\"window_end_ns\":200,"
      "\"strategy_wall_ns\":100,\"pool_startup_ns\":null,\"checksum\":" SUM ",\"cpu_user_s\":0.1,\"cpu_sys_s\":0.0,"
      "\"max_rss_bytes\":-1,\"workers_seen\":[],\"tasks\":[]}", NULL}, 2, "max_rss_bytes"},
    {"no workers", {HELLO, "{\"type\":\"start\",\"workload\":\"cpu\",\"kind\":\"cpu\",\"strategy\":\"threads\","
      "\"workers\":0,\"tasks\":2,\"size\":10}", NULL}, 1, "implausible workers"},
    {"pid zero", {"{\"type\":\"hello\",\"protocol\":1,\"pid\":0,\"cores\":2,\"python\":{}}", NULL}, 0, "implausible pid"},
    {"values not one row per task", {HELLO, START, RESULT_VALUES("[[1]]", "null"), NULL}, 2, "one row per task"},
    {"values rows of two widths", {HELLO, START, RESULT_VALUES("[[1, 2], [1]]", "null"), NULL}, 2, "as long as the first"},
    {"values that are not numbers or names", {HELLO, START, RESULT_VALUES("[[1], [[2]]]", "null"), NULL}, 2, "other than numbers"},
    {"a name longer than 64 bytes", {HELLO, START, RESULT_VALUES("[[1], [\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]]", "null"), NULL}, 2, "longer than 64 bytes"},
    {"explanation not text", {HELLO, START, RESULT_VALUES("null", "3"), NULL}, 2, "explanation"},
    {"transfer not an object", {HELLO, START, RESULT_TRANSFER("3"), NULL}, 2, "transfer field"},
    {"transfer with a negative size", {HELLO, START, RESULT_TRANSFER(TRANSFER(-1, 0)), NULL}, 2, "negative task_bytes"},
    {"transfer largest above the total", {HELLO, START, RESULT_TRANSFER(TRANSFER(10, 20)), NULL}, 2, "above the total"},
    {"profile not an object", {HELLO, START, RESULT_PROFILE("[]"), NULL}, 2, "profile field"},
    {"profile without its rankings", {HELLO, START, RESULT_PROFILE("{\"scope\":\"x\",\"profiles\":1,\"total_own_s\":1}"), NULL}, 2, "\"by_own\""},
    {"profile entry with negative calls", {HELLO, START, RESULT_PROFILE(PROFILE(PROFILE_ENTRY(-1, 1.2))), NULL}, 2, "implausible"},
    {"profile entry with negative time", {HELLO, START, RESULT_PROFILE(PROFILE(PROFILE_ENTRY(1, -0.5))), NULL}, 2, "implausible"},
    {"profile entry without a name", {HELLO, START, RESULT_PROFILE(PROFILE("{\"calls\":1}")), NULL}, 2, "\"function\""},
    {"error without message", {HELLO, "{\"type\":\"error\",\"stage\":\"load\"}", NULL}, 1, "message"},
    {"info in run mode", {HELLO, "{\"type\":\"info\",\"strategies\":[],\"start_methods\":[],\"workloads\":[]}", NULL}, 1, "unexpected \"info\""},
};

static void refuses_forged_and_out_of_order_lines(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        gs_proto p;
        gs_proto_init(&p, GS_PROTO_RUN, 2);
        int at = feed_all(&p, bad[i].lines);
        if (at != bad[i].refused || strstr(p.problem, bad[i].problem) == NULL) {
            fprintf(stderr, "case \"%s\": refused line %d (expected %d), problem \"%s\"\n", bad[i].name, at,
                    bad[i].refused, p.problem);
            fail();
        }
        assert_int_equal(p.state, GS_PROTO_BROKEN);
        /* Once broken, everything is refused, even a good line. */
        assert_int_equal(feed(&p, HELLO), -1);
        assert_int_equal(gs_proto_finish(&p), -1);
        gs_proto_free(&p);
    }
}

static void finish_names_where_the_stream_stopped(void **state) {
    (void)state;
    gs_proto p;
    gs_proto_init(&p, GS_PROTO_RUN, 2);
    assert_int_equal(gs_proto_finish(&p), -1);
    assert_non_null(strstr(p.problem, "no message"));
    gs_proto_free(&p);
    gs_proto_init(&p, GS_PROTO_RUN, 2);
    feed(&p, HELLO);
    feed(&p, START);
    assert_int_equal(gs_proto_finish(&p), -1);
    assert_non_null(strstr(p.problem, "inside the timing window"));
    gs_proto_free(&p);
}

static void info_mode(void **state) {
    (void)state;
    gs_proto p;
    gs_proto_init(&p, GS_PROTO_INFO, 0);
    assert_int_equal(feed(&p, HELLO), 0);
    assert_int_equal(feed(&p, START), -1);
    gs_proto_free(&p);
    gs_proto_init(&p, GS_PROTO_INFO, 0);
    feed(&p, HELLO);
    assert_int_equal(feed(&p, "{\"type\":\"info\",\"strategies\":[],\"start_methods\":[],\"workloads\":[]}"), 0);
    assert_int_equal(gs_proto_finish(&p), 0);
    gs_proto_free(&p);
    /* Entries are checked too: a workload without a spec is refused. */
    gs_proto_init(&p, GS_PROTO_INFO, 0);
    feed(&p, HELLO);
    assert_int_equal(feed(&p, "{\"type\":\"info\",\"strategies\":[],\"start_methods\":[],\"workloads\":[{\"name\":\"x\"}]}"), -1);
    assert_non_null(strstr(p.problem, "workload 0"));
    gs_proto_free(&p);
    gs_proto_init(&p, GS_PROTO_INFO, 0);
    feed(&p, HELLO);
    assert_int_equal(feed(&p, "{\"type\":\"info\",\"strategies\":[{\"name\":\"serial\"}],\"start_methods\":[],\"workloads\":[]}"), -1);
    assert_non_null(strstr(p.problem, "strategy 0"));
    gs_proto_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_a_complete_run),
        cmocka_unit_test(accepts_unavailable_and_error),
        cmocka_unit_test(refuses_forged_and_out_of_order_lines),
        cmocka_unit_test(finish_names_where_the_stream_stopped),
        cmocka_unit_test(info_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
