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
    /* Every strategy but the opt-in ones (named, or through "all"). */
    assert_int_equal(o.strategies, gs_strategy_default());
    assert_false(o.strategies & (1u << ST("mp_pool")));
    assert_int_equal(o.nchunksizes, 0);
    assert_string_equal(o.python, "python3");
    assert_null(o.start_method);
    assert_int_equal(o.nworkers, 0);
    assert_int_equal(o.nworkloads, 0);
    gs_cli_free(&o);
}

/* --python takes a list: each entry kept in order, the first as o.python;
 * empty entries, repeats and more than GS_MAX_PYTHONS are refused. */
static void python_lists(void **state) {
    (void)state;
    gs_options o;
    char err[512];
    assert_int_equal(parse("run --python 3.11,/opt/py/bin/python3,python3.13t", &o, err), 0);
    assert_int_equal(o.npythons, 3);
    assert_string_equal(o.python, "3.11");
    assert_string_equal(o.pythons[1], "/opt/py/bin/python3");
    assert_string_equal(o.pythons[2], "python3.13t");
    gs_cli_free(&o);
    assert_int_equal(parse("run -p 3.12 --python 3.13", &o, err), 0); /* the last one counts */
    assert_int_equal(o.npythons, 1);
    assert_string_equal(o.python, "3.13");
    gs_cli_free(&o);
    assert_int_equal(parse("run --python 3.11,,3.12", &o, err), -1);
    assert_non_null(strstr(err, "an empty entry"));
    gs_cli_free(&o);
    assert_int_equal(parse("run --python 3.11,3.12,3.11", &o, err), -1);
    assert_non_null(strstr(err, "given twice"));
    gs_cli_free(&o);
    assert_int_equal(parse("run --python 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &o, err), -1);
    assert_non_null(strstr(err, "more than 16"));
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
    assert_false(o.wide);
    assert_false(o.verbose);
    gs_cli_free(&o);
    /* The terminal table's: every column, every warning; run's alone. */
    assert_int_equal(parse("run --wide -v", &o, err), 0);
    assert_true(o.wide);
    assert_true(o.verbose);
    gs_cli_free(&o);
    assert_int_equal(parse("run --verbose", &o, err), 0);
    assert_true(o.verbose);
    gs_cli_free(&o);
    assert_int_equal(parse("report r.json --wide", &o, err), -1);
    assert_non_null(strstr(err, "--wide is not an option of report"));
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

/* --chunksize: a list or range of chunk sizes, a sweep; it needs a strategy
 * that sends chunks among --strategies (none of the default set does). */
static void chunk_sizes(void **state) {
    (void)state;
    gs_options o;
    char err[512] = "";
    assert_int_equal(parse("run --strategies serial,mp_pool --chunksize 16,1,4", &o, err), 0);
    assert_int_equal(o.nchunksizes, 3);
    assert_int_equal(o.chunksizes[0], 1);
    assert_int_equal(o.chunksizes[2], 16);
    assert_true(o.strategies & (1u << ST("mp_pool")));
    gs_cli_free(&o);
    assert_int_equal(parse("run -s all --chunksize 2..3", &o, err), 0);
    assert_int_equal(o.nchunksizes, 2);
    assert_int_equal(o.strategies, gs_strategy_all());
    gs_cli_free(&o);
    const char *bad[] = {"run --chunksize 4", "run -s threads,processes --chunksize 4",
                         "run -s mp_pool --chunksize 0", "run -s mp_pool --chunksize big",
                         "run -s mp_pool --chunksize 1..65"};
    const char *needle[] = {"--strategies has none", "--strategies has none", "not a chunk size", "not a chunk size",
                            "at most 64"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_int_equal(parse(bad[i], &o, err), -1);
        if (strstr(err, needle[i]) == NULL || strstr(err, "--chunksize") == NULL) {
            fprintf(stderr, "\"%s\": \"%s\"\n", bad[i], err);
            fail();
        }
        gs_cli_free(&o);
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
                           "--hash-seed", "--wide", "--verbose", "-v,", "--help", "--version"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) assert_non_null(strstr(buf, names[i]));
    free(buf);
}

/* Help is drawn from the tables: every strategy, every exporter a command
 * takes and every command appear, and nothing is wider than a terminal. */
static void help_comes_from_the_tables(void **state) {
    (void)state;
    for (int cmd = GS_CMD_NONE; cmd < GS_CMD_COUNT; cmd++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        gs_cli_help((gs_command)cmd, f);
        fclose(f);
        for (gs_strategy s = 0; cmd == GS_CMD_RUN && (size_t)s < gs_strategy_count(); s++) {
            char line[64];
            snprintf(line, sizeof(line), "        %s ", gs_strategy_name(s));
            assert_non_null(strstr(buf, line));
        }
        for (int e = 0; e < GS_EXPORT_COUNT; e++) {
            const gs_exporter *x = gs_exporter_get((gs_export)e);
            char flag[64];
            snprintf(flag, sizeof(flag), "--%s ", x->option);
            /* compare's --export-json is a row of its own (the comparison, not the report) */
            int own = cmd == GS_CMD_COMPARE && e == GS_EXPORT_JSON;
            if (cmd != GS_CMD_NONE) assert_int_equal(strstr(buf, flag) != NULL, own || ((x->commands >> cmd) & 1));
        }
        for (int c = GS_CMD_NONE + 1; cmd == GS_CMD_NONE && c < GS_CMD_COUNT; c++) {
            char line[64];
            snprintf(line, sizeof(line), "  %s ", gs_command_name((gs_command)c));
            assert_non_null(strstr(buf, line));
        }
        for (char *p = buf; *p;) {
            size_t n = strcspn(p, "\n"), cols = 0;
            for (size_t i = 0; i < n; i++) cols += ((unsigned char)p[i] & 0xC0) != 0x80;
            assert_true(cols <= 80);
            p += n + (p[n] == '\n');
        }
        free(buf);
    }
}

/* Each exporter is an option of the commands its row names, and --output
 * is merge's name for the JSON destination. */
static void exporters_are_options(void **state) {
    (void)state;
    gs_options o;
    char err[512];
    assert_int_equal(parse("report r.json --export-csv c.csv --timeline t.svg --export-html -", &o, err), 0);
    assert_string_equal(o.outputs.path[GS_EXPORT_CSV], "c.csv");
    assert_string_equal(o.outputs.path[GS_EXPORT_TIMELINE], "t.svg");
    assert_string_equal(o.outputs.path[GS_EXPORT_HTML], "-");
    assert_null(o.outputs.path[GS_EXPORT_JSON]);
    gs_cli_free(&o);
    assert_int_equal(parse("merge a.json b.json -o all.json", &o, err), 0);
    assert_string_equal(o.outputs.path[GS_EXPORT_JSON], "all.json");
    assert_string_equal(gs_outputs_flag(&o.outputs, GS_EXPORT_JSON), "--output");
    gs_cli_free(&o);
    assert_int_equal(parse("merge a.json -o x.json --export-json y.json", &o, err), -1);
    assert_non_null(strstr(err, "one file"));
    gs_cli_free(&o);
    assert_int_equal(parse("run --export-csv - --export-json -", &o, err), -1);
    assert_non_null(strstr(err, "only one"));
    gs_cli_free(&o);
    assert_int_equal(parse("list --export-csv c.csv", &o, err), -1);
    assert_non_null(strstr(err, "--export-csv is not an option of list"));
    gs_cli_free(&o);
    assert_int_equal(parse("run --timeline t.svg", &o, err), 0);
    assert_true(gs_cli_wants_timeline(&o));
    gs_cli_free(&o);
    /* compare: --export-json writes the comparison; --allow-different is its own */
    assert_int_equal(parse("compare a.json b.json --export-json - --allow-different", &o, err), 0);
    assert_string_equal(o.outputs.path[GS_EXPORT_JSON], "-");
    assert_true(o.allow_different);
    gs_cli_free(&o);
    assert_int_equal(parse("run --allow-different", &o, err), -1);
    assert_non_null(strstr(err, "--allow-different is not an option of run"));
    gs_cli_free(&o);
    assert_int_equal(parse("report r.json --export-json r2.json", &o, err), 0);
    assert_string_equal(o.outputs.path[GS_EXPORT_JSON], "r2.json");
    gs_cli_free(&o);
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
        cmocka_unit_test(python_lists),
        cmocka_unit_test(every_option_in_each_spelling),
        cmocka_unit_test(worker_lists_and_ranges),
        cmocka_unit_test(chunk_sizes),
        cmocka_unit_test(usage_errors_name_the_culprit),
        cmocka_unit_test(help_lists_every_run_option),
        cmocka_unit_test(version_and_help_flags),
        cmocka_unit_test(help_comes_from_the_tables),
        cmocka_unit_test(exporters_are_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
