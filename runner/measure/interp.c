#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "record.h"

static int usage_error(const char *msg) {
    fprintf(stderr, "gilscope: %s\n", msg);
    return 2;
}

/* The message of the harness's own error, else the protocol's problem. */
static const char *why_broken(const gs_spawn_out *out) {
    return out->proto.error ? json_string_value(json_object_get(out->proto.error, "message")) : out->proto.problem;
}

/* The verdict on a finished query: 0, or 2 after saying why. */
static int judge(const gs_options *o, const gs_spawn_out *out) {
    char last[300], msg[1024];
    gs_record_last_line(out->err_tail, last, sizeof(last));
    const char *sep = last[0] ? ": " : "";
    if (out->spawn_error) {
        snprintf(msg, sizeof(msg), "--python: cannot run \"%s\": %s", o->python, uv_strerror(out->spawn_error));
        return usage_error(msg);
    }
    if (out->interrupted) return 128 + out->interrupted;
    if (out->proto.hello != NULL && (!out->proto_ok || out->proto.info == NULL)) {
        /* The interpreter answered: loading the workloads went wrong. */
        if (out->term_signal)
            snprintf(msg, sizeof(msg), "loading the workloads killed the interpreter (signal %d, %s)%s%s",
                     out->term_signal, strsignal(out->term_signal), sep, last);
        else
            snprintf(msg, sizeof(msg), "loading the workloads failed: %s%s%s",
                     out->timed_out ? "timed out while loading the workloads" : why_broken(out), sep, last);
        return usage_error(msg);
    }
    if (!out->proto_ok || out->proto.info == NULL) {
        snprintf(msg, sizeof(msg),
                 "--python %s: the harness did not start (%s)%s%s — gilscope needs CPython 3.8 or newer", o->python,
                 why_broken(out), sep, last);
        return usage_error(msg);
    }
    const char *ver = json_string_value(json_object_get(json_object_get(out->proto.hello, "python"), "version"));
    int major = 0, minor = 0;
    if (ver == NULL || sscanf(ver, "%d.%d", &major, &minor) != 2 || major < 3 || (major == 3 && minor < 8)) {
        snprintf(msg, sizeof(msg), "--python %s: Python %s is too old (gilscope needs 3.8 or newer)", o->python,
                 ver ? ver : "?");
        return usage_error(msg);
    }
    return 0;
}

int gs_interp_query(uv_loop_t *loop, const char *dir, const gs_options *o, char **env, gs_spawn_out *out) {
    gs_harness_argv a;
    gs_harness_argv_init(&a, o->python, dir, "info");
    for (size_t i = 0; i < o->nworkloads; i++) {
        char *spec = gs_harness_resolve_spec(o->workloads[i]);
        gs_harness_argv_add(&a, "--workload", spec ? spec : o->workloads[i]);
        free(spec);
    }
    if (a.failed) {
        memset(out, 0, sizeof(*out));
        gs_harness_argv_free(&a);
        return usage_error("out of memory");
    }
    gs_spawn_req req = {a.v, env, GS_INTERP_TIMEOUT_S, GS_RUN_GRACE_S, GS_PROTO_INFO, 0, 0};
    gs_spawn_run(loop, &req, out);
    gs_harness_argv_free(&a);
    return judge(o, out);
}
