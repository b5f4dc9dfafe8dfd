/* The strategy table (model/strategy.c) and the command table
 * (cmd/commands.c): lookups, properties, the bit set. */
#include "gs_test.h"

#include <string.h>

#include "command.h"
#include "strategy.h"

static void names_round_trip(void **state) {
    (void)state;
    assert_true(gs_strategy_count() >= 1 && gs_strategy_count() <= GS_STRATEGY_MAX);
    for (gs_strategy s = 0; (size_t)s < gs_strategy_count(); s++) {
        const char *name = gs_strategy_name(s);
        assert_int_equal(gs_strategy_find(name, (size_t)-1), s);
        assert_int_equal(gs_strategy_find(name, strlen(name)), s);
        assert_non_null(gs_strategy_get(s)->summary);
        /* A prefix is not a name. */
        assert_int_equal(gs_strategy_find(name, strlen(name) - 1) == s, 0);
    }
    assert_int_equal(gs_strategy_find("greenlets", (size_t)-1), -1);
    assert_int_equal(gs_strategy_find(NULL, 0), -1);
    assert_null(gs_strategy_get(-1));
    assert_null(gs_strategy_get((gs_strategy)gs_strategy_count()));
    assert_string_equal(gs_strategy_name(-1), "?");
}

static void exactly_one_baseline_first(void **state) {
    (void)state;
    int baselines = 0;
    for (gs_strategy s = 0; (size_t)s < gs_strategy_count(); s++) baselines += gs_strategy_has(s, GS_SF_BASELINE);
    assert_int_equal(baselines, 1);
    /* The baseline runs first in a repetition, so speedups have their
     * reference before anything else. */
    assert_int_equal(gs_strategy_baseline(), 0);
    assert_true(gs_strategy_named_has(gs_strategy_name(gs_strategy_baseline()), GS_SF_BASELINE));
    assert_false(gs_strategy_named_has("nonesuch", GS_SF_BASELINE));
    assert_false(gs_strategy_has(-1, 0));
}

static void properties_as_today(void **state) {
    (void)state;
    assert_true(gs_strategy_named_has("threads", GS_SF_THREADS));
    assert_true(gs_strategy_named_has("to_thread", GS_SF_THREADS));
    assert_true(gs_strategy_named_has("processes", GS_SF_PROCESSES));
    assert_false(gs_strategy_named_has("processes", GS_SF_THREADS));
    assert_false(gs_strategy_named_has("serial", GS_SF_THREADS | GS_SF_BASELINE));
    /* Subinterpreters run on threads of the harness, each with its own GIL: a
     * parallel strategy that shares no GIL, so the verdict's GIL-bound clause
     * (GS_SF_THREADS) never picks it, and the shortfall allows it every core. */
    gs_strategy interp = gs_strategy_find("interpreters", (size_t)-1);
    assert_true(interp > gs_strategy_find("asyncio", (size_t)-1));
    assert_int_equal(gs_strategy_get(interp)->flags, 0);
}

static void bit_set_and_list(void **state) {
    (void)state;
    unsigned all = gs_strategy_all();
    for (gs_strategy s = 0; (size_t)s < gs_strategy_count(); s++) assert_true(all & (1u << s));
    assert_int_equal(all >> gs_strategy_count(), 0);
    /* The default set is every strategy but the opt-in ones, of which a chunk
     * strategy is one (it runs only when asked for, with its chunk sizes). */
    unsigned def = gs_strategy_default();
    for (gs_strategy s = 0; (size_t)s < gs_strategy_count(); s++)
        assert_int_equal(!!(def & (1u << s)), !gs_strategy_has(s, GS_SF_OPT_IN));
    assert_true(gs_strategy_named_has("mp_pool", GS_SF_CHUNKS | GS_SF_PROCESSES | GS_SF_OPT_IN));
    assert_true(def & (1u << gs_strategy_baseline()));
    char buf[256];
    gs_strategy_list(buf, sizeof(buf), ", ");
    assert_int_equal(strncmp(buf, gs_strategy_name(0), strlen(gs_strategy_name(0))), 0);
    assert_non_null(strstr(buf, ", to_thread"));
    char small[8];
    gs_strategy_list(small, sizeof(small), ", ");
    assert_true(strlen(small) < sizeof(small));
}

static void commands_round_trip(void **state) {
    (void)state;
    for (int c = GS_CMD_NONE + 1; c < GS_CMD_COUNT; c++) {
        const gs_command_info *i = gs_command_get((gs_command)c);
        assert_non_null(i);
        assert_non_null(i->run);
        assert_non_null(strstr(i->usage, "Usage: gilscope "));
        assert_int_equal(gs_command_find(i->name), c);
    }
    /* Only the commands that start interpreters take over SIGINT and SIGTERM. */
    assert_true(gs_command_get(GS_CMD_RUN)->starts_interpreters);
    assert_true(gs_command_get(GS_CMD_LIST)->starts_interpreters);
    assert_false(gs_command_get(GS_CMD_REPORT)->starts_interpreters);
    assert_false(gs_command_get(GS_CMD_MERGE)->starts_interpreters);
    assert_null(gs_command_get(GS_CMD_NONE));
    assert_int_equal(gs_command_find("frobnicate"), GS_CMD_NONE);
    assert_string_equal(gs_command_name(GS_CMD_NONE), "gilscope");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip),        cmocka_unit_test(exactly_one_baseline_first),
        cmocka_unit_test(properties_as_today),     cmocka_unit_test(bit_set_and_list),
        cmocka_unit_test(commands_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
