#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parses a space-separated command line (program name added). */
static int parse(const char *line, gs_options *o, char *err) {
    static char buf[1024];
    char *argv[64];
    int argc = 0;
    snprintf(buf, sizeof(buf), "%s", line);
    argv[argc++] = "gilscope";
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) argv[argc++] = t;
    argv[argc] = NULL;
    return gs_cli_parse(argc, argv, o, err, 512);
}

static void defaults(void **state) {
    (void)state;
    gs_options o;
    char err[512];
    assert_int_equal(parse("run", &o, err), 0);
    assert_int_equal(o.command, GS_CMD_RUN);
    assert_int_equal(o.tasks, GS_DEFAULT_TASKS);
    assert_int_equal(o.runs, GS_DEFAULT_RUNS);
    assert_int_equal(o.warmup, GS_DEFAULT_WARMUP);
    assert_int_equal(o.strategies, gs_strategy_all());
    assert_string_equal(o.python, "python3");
    assert_null(o.start_method);
    assert_int_equal(o.nworkers, 0);
    assert_int_equal(o.nworkloads, 0);
    gs_cli_free(&o);
}

static void every_option_in_each_spelling(void **state) {
    (void)state;
    gs_options o;
    char err[512];
    assert_int_equal(parse("run --workload cpu -W sleep x/y.py --strategies serial,processes "
                           "--workers=1,4,2 -t 16 --size 100 -r3 --warmup 0 --python /usr/bin/python3 "
                           "--start-method spawn --timeout 2.5 --export-json out.json --hash-seed 7",
                           &o, err),
                     0);
    assert_int_equal(o.nworkloads, 3);
    assert_string_equal(o.workloads[0], "cpu");
    assert_string_equal(o.workloads[1], "sleep");
    assert_string_equal(o.workloads[2], "x/y.py");
    assert_int_equal(o.strategies, (1u << ST("serial")) | (1u << ST("processes")));
    assert_int_equal(o.nworkers, 3);
    assert_int_equal(o.workers[0], 1);
    assert_int_equal(o.workers[1], 2);
    assert_int_equal(o.workers[2], 4);
    assert_int_equal(o.tasks, 16);
    assert_int_equal(o.size, 100);
    assert_int_equal(o.runs, 3);
    assert_int_equal(o.warmup, 0);
    assert_string_equal(o.start_method, "spawn");
    assert_float_equal(o.timeout_s, 2.5, 1e-12);
    assert_string_equal(o.outputs.path[GS_EXPORT_JSON], "out.json");
    assert_int_equal(o.hash_seed, 7);
    gs_cli_free(&o);
    assert_int_equal(parse("run --size auto --target-time 0.5", &o, err), 0);
    assert_int_equal(o.size, -1);
    assert_float_equal(o.target_time_s, 0.5, 1e-12);
    gs_cli_free(&o);
}

static void worker_lists_and_ranges(void **state) {
    (void)state;
    char err[512];
    int *w;
    assert_int_equal(gs_cli_parse_workers("1..4", &w, err, sizeof(err)), 4);
    assert_int_equal(w[3], 4);
    free(w);
    assert_int_equal(gs_cli_parse_workers("8,2,2..3,1", &w, err, sizeof(err)), 4);
    assert_int_equal(w[0], 1);
    assert_int_equal(w[1], 2);
    assert_int_equal(w[2], 3);
    assert_int_equal(w[3], 8);
    free(w);
    const char *badw[] = {"0", "-1", "two", "1..", "4..2", "", ",", "2x", "1025"};
    for (size_t i = 0; i < sizeof(badw) / sizeof(badw[0]); i++) {
        err[0] = '\0';
        assert_int_equal(gs_cli_parse_workers(badw[i], &w, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "--workers"));
        assert_null(w);
    }
}

/* Every usage error is one message naming the argument at fault. */
static void usage_errors_name_the_culprit(void **state) {
    (void)state;
    struct {
        const char *line;
        const char *needle;
    } cases[] = {
        {"run --bogus", "unknown option --bogus"},
        {"run -x", "unknown option -x"},
        {"frobnicate", "unknown command \"frobnicate\""},
        {"run --workers 0", "--workers"},
        {"run --tasks 0", "--tasks"},
        {"run --runs many", "--runs"},
        {"run --warmup -1", "--warmup"},
        {"run --strategies serial,greenlets", "unknown strategy \"greenlets\""},
        {"run --start-method vfork", "unknown method \"vfork\""},
        {"run --timeout 0", "--timeout"},
        {"run --timeout nan", "--timeout"},
        {"run --size -5", "--size"},
        {"run --size sometimes", "\"auto\""},
        {"run --target-time 0", "--target-time"},
        {"run --min-time -1", "--min-time"},
        {"run --tasks", "--tasks needs a value"},
        {"run --progress=yes", "--progress takes no value"},
        {"list --runs 3", "--runs is not an option of list"},
        {"cpu", "unknown command \"cpu\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gs_options o;
        char err[512] = "";
        int rc = parse(cases[i].line, &o, err);
        if (rc != -1 || strstr(err, cases[i].needle) == NULL) {
            fprintf(stderr, "\"%s\": rc %d, message \"%s\"\n", cases[i].line, rc, err);
            fail();
        }
        gs_cli_free(&o);
    }
}

static void help_lists_every_run_option(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gs_cli_help(GS_CMD_RUN, f);
    fclose(f);
    const char *names[] = {"--workload", "--strategies", "--workers", "--tasks", "--size", "--runs",
                           "--warmup", "--python", "--start-method", "--timeout", "--export-json",
                           "--hash-seed", "--help", "--version"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) assert_non_null(strstr(buf, names[i]));
    free(buf);
}

static void version_and_help_flags(void **state) {
    (void)state;
    gs_options o;
    char err[512];
    assert_int_equal(parse("--version", &o, err), 0);
    assert_true(o.show_version);
    gs_cli_free(&o);
    assert_int_equal(parse("run --help", &o, err), 0);
    assert_true(o.show_help);
    assert_int_equal(o.command, GS_CMD_RUN);
    gs_cli_free(&o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_option_in_each_spelling),
        cmocka_unit_test(worker_lists_and_ranges),
        cmocka_unit_test(usage_errors_name_the_culprit),
        cmocka_unit_test(help_lists_every_run_option),
        cmocka_unit_test(version_and_help_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
