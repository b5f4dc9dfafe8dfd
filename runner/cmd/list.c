#include "cmd.h"

#include <stdio.h>
#include <uv.h>

#include "harness.h"
#include "interp.h"

/* The workloads the interpreter loaded; 1 when one failed to load. */
static int print_workloads(const gs_options *o, json_t *info) {
    int rc = 0;
    printf("Workloads%s:\n", o->nworkloads ? "" : " (built-in)");
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(info, "workloads"), i, w) {
        const char *e = json_string_value(json_object_get(w, "error"));
        if (e) {
            printf("  %-10s error: %s\n", json_string_value(json_object_get(w, "spec")), e);
            rc = 1;
            continue;
        }
        printf("  %-10s %-6s %s (default size %lld%s)\n", json_string_value(json_object_get(w, "name")),
               json_string_value(json_object_get(w, "kind")), json_string_value(json_object_get(w, "description")),
               (long long)json_integer_value(json_object_get(w, "default_size")),
               json_is_true(json_object_get(w, "has_async")) ? ", has run_async" : "");
    }
    return rc;
}

/* The strategies as the interpreter sees them, with the start methods of
 * the process pools. */
static void print_strategies(json_t *info) {
    printf("\nStrategies:\n");
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(info, "strategies"), i, w) {
        const char *name = json_string_value(json_object_get(w, "name"));
        if (!json_is_true(json_object_get(w, "available"))) {
            printf("  %-10s unavailable: %s\n", name, json_string_value(json_object_get(w, "reason")));
            continue;
        }
        printf("  %-10s available", name);
        if (gs_strategy_named_has(name, GS_SF_PROCESSES)) {
            printf(" (start methods:");
            size_t j;
            json_t *m;
            json_array_foreach(json_object_get(info, "start_methods"), j, m)
                printf("%s %s", j ? "," : "", json_string_value(m));
            printf("; default %s)", json_string_value(json_object_get(info, "default_start_method")));
        }
        if (gs_strategy_named_has(name, GS_SF_ONE_THREAD)) { /* coroutines: only where run_async exists */
            size_t j, n = 0;
            json_t *wl;
            printf(" for workloads with run_async (");
            json_array_foreach(json_object_get(info, "workloads"), j, wl)
                if (json_is_true(json_object_get(wl, "has_async")))
                    printf("%s%s", n++ ? ", " : "", json_string_value(json_object_get(wl, "name")));
            printf("%s)", n ? "" : "none here");
        }
        printf("\n");
    }
}

/* gilscope list: what the interpreter can run. */
int gs_cmd_list(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    char dir[4096], err[1024];
    int rc = gs_cmd_harness_dir(dir, sizeof(dir));
    if (rc != 0) return rc;
    if (gs_harness_check_specs(dir, o->workloads, o->nworkloads, err, sizeof(err)) != 0)
        return gs_cmd_usage_error(err);
    char **env = gs_harness_env(o->hash_seed);
    if (env == NULL) return gs_cmd_usage_error("out of memory");
    gs_spawn_out info;
    rc = gs_interp_query(uv_default_loop(), dir, o, env, &info);
    gs_harness_env_free(env);
    if (rc == 0) {
        json_t *py = json_object_get(info.proto.hello, "python");
        printf("%s %s (%s) · %lld cores · %s\n\n", json_string_value(json_object_get(py, "implementation")),
               json_string_value(json_object_get(py, "version")),
               json_is_true(json_object_get(py, "gil_enabled")) ? "GIL enabled" : "GIL disabled",
               (long long)json_integer_value(json_object_get(info.proto.hello, "cores")),
               json_string_value(json_object_get(py, "executable")));
        rc = print_workloads(o, info.proto.info);
        print_strategies(info.proto.info);
        if (fflush(stdout) != 0) rc = 1;
    }
    gs_spawn_out_free(&info);
    return rc;
}
