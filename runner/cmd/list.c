#include "cmd.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "harness.h"
#include "interp.h"
#include "report_view.h"

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
        /* What else it declares: run_async; an experiment (MEASURES); the strategies it runs
         * under when not all (a built-in of that kind runs when named, not in a run of all). */
        char more[256] = "";
        size_t len = 0, k;
        json_t *only = json_object_get(w, "strategies"), *x;
        if (json_is_true(json_object_get(w, "has_async"))) len += (size_t)snprintf(more + len, sizeof(more) - len, ", has run_async");
        if (json_is_array(json_object_get(w, "measures")) && len < sizeof(more))
            len += (size_t)snprintf(more + len, sizeof(more) - len, ", an experiment");
        json_array_foreach(only, k, x) if (len < sizeof(more))
            len += (size_t)snprintf(more + len, sizeof(more) - len, "%s%s", k ? "," : ", under ", json_string_value(x));
        if (json_is_array(only) && json_is_true(json_object_get(w, "builtin")) && len < sizeof(more))
            snprintf(more + len, sizeof(more) - len, " only: run it by name");
        printf("  %-10s %-6s %s (default size %lld%s)\n", json_string_value(json_object_get(w, "name")),
               json_string_value(json_object_get(w, "kind")), json_string_value(json_object_get(w, "description")),
               (long long)json_integer_value(json_object_get(w, "default_size")), more);
    }
    return rc;
}

/* The strategies as the interpreter sees them, with the start methods of
 * the process pools. */
static void print_strategies(json_t *info) {
    printf("\nStrategies:\n");
    size_t i;
    json_t *w;
    int width = 10;
    json_array_foreach(json_object_get(info, "strategies"), i, w) {
        const char *name = json_string_value(json_object_get(w, "name"));
        if (name && (int)strlen(name) > width) width = (int)strlen(name);
    }
    json_array_foreach(json_object_get(info, "strategies"), i, w) {
        const char *name = json_string_value(json_object_get(w, "name"));
        if (!json_is_true(json_object_get(w, "available"))) {
            printf("  %-*s unavailable: %s\n", width, name, json_string_value(json_object_get(w, "reason")));
            continue;
        }
        printf("  %-*s available", width, name);
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

/* One interpreter's block: what it is, its workloads, its strategies. 0, 1
 * when a workload failed to load, or the status after saying why it could
 * not be asked. */
static int list_one(const gs_options *o, const char *entry, const char *dir, char **env) {
    char path[4096], err[1024];
    if (gs_interp_resolve(entry, path, sizeof(path), err, sizeof(err)) != 0) return gs_cmd_usage_error(err);
    gs_options one = *o;
    one.python = path;
    gs_spawn_out info;
    int rc = gs_interp_query(uv_default_loop(), dir, &one, env, &info);
    if (rc == 0) {
        json_t *py = json_object_get(info.proto.hello, "python");
        printf("%s %s (%s) · %lld cores · %s\n\n", json_string_value(json_object_get(py, "implementation")),
               json_string_value(json_object_get(py, "version")), gs_view_gil(py),
               (long long)json_integer_value(json_object_get(info.proto.hello, "cores")),
               json_string_value(json_object_get(py, "executable")));
        rc = print_workloads(o, info.proto.info);
        print_strategies(info.proto.info);
    }
    gs_spawn_out_free(&info);
    return rc;
}

/* gilscope list: what each interpreter of --python can run. */
int gs_cmd_list(gs_options *o, int argc, char **argv) {
    (void)argc, (void)argv;
    char dir[4096], err[1024];
    int rc = gs_cmd_harness_dir(dir, sizeof(dir));
    if (rc != 0) return rc;
    if (gs_harness_check_specs(dir, o->workloads, o->nworkloads, err, sizeof(err)) != 0)
        return gs_cmd_usage_error(err);
    char **env = gs_harness_env(o->hash_seed);
    if (env == NULL) return gs_cmd_usage_error("out of memory");
    for (size_t k = 0; k < o->npythons; k++) {
        if (k) printf("\n");
        int one = list_one(o, o->pythons ? o->pythons[k] : o->python, dir, env);
        if (one > rc) rc = one;
        if (one > 1) break; /* a usage error or a signal: said already */
    }
    gs_harness_env_free(env);
    if (fflush(stdout) != 0 && rc == 0) rc = 1;
    return rc;
}
