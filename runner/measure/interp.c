#include "interp.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    gs_spawn_req req = {a.v, env, GS_INTERP_TIMEOUT_S, GS_RUN_GRACE_S, GS_PROTO_INFO, 0, 0, 0, 0};
    gs_spawn_run(loop, &req, out);
    gs_harness_argv_free(&a);
    return judge(o, out);
}

/* "3.11" or "python3.13t" → the executable's name "python3.11" /
 * "python3.13t" and the pyenv version prefix "3.11." / "3.13."; 0, or -1
 * when name is not a version name. */
static int version_name(const char *name, char *exe, size_t exe_cap, char *prefix, size_t prefix_cap, int *threaded) {
    const char *v = strncmp(name, "python", 6) == 0 ? name + 6 : name;
    int major = 0, minor = 0, used = 0;
    if (sscanf(v, "%d.%d%n", &major, &minor, &used) != 2 || major != 3 || v[0] != '3') return -1;
    *threaded = v[used] == 't';
    if (v[used + *threaded] != '\0') return -1;
    snprintf(exe, exe_cap, "python%d.%d%s", major, minor, *threaded ? "t" : "");
    snprintf(prefix, prefix_cap, "%d.%d.", major, minor);
    return 0;
}

static int executable(const char *path) { return access(path, X_OK) == 0; }

/* pythonX.Y in the directories of PATH but pyenv's shims (a shim runs only
 * the versions pyenv has activated: pyenv's own directory is searched next). */
static int on_path(const char *exe, const char *pyenv, char *out, size_t cap) {
    const char *path = getenv("PATH");
    char shims[4200];
    snprintf(shims, sizeof(shims), "%s/shims", pyenv);
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        int is_shims = len == strlen(shims) && strncmp(path, shims, len) == 0;
        if (len > 0 && !is_shims && (size_t)snprintf(out, cap, "%.*s/%s", (int)len, path, exe) < cap && executable(out))
            return 0;
        path = colon ? colon + 1 : NULL;
    }
    return -1;
}

/* The highest X.Y.N[t] under pyenv's versions directory with bin/exe. */
static int in_pyenv(const char *root, const char *prefix, int threaded, const char *exe, char *out, size_t cap) {
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof(dir), "%.4000s/versions", root) >= sizeof(dir)) return -1;
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    struct dirent *e;
    long best = -1;
    while ((e = readdir(d)) != NULL) {
        size_t plen = strlen(prefix);
        if (strncmp(e->d_name, prefix, plen) != 0) continue;
        char *end;
        long micro = strtol(e->d_name + plen, &end, 10);
        if (end == e->d_name + plen || strcmp(end, threaded ? "t" : "") != 0 || micro <= best) continue;
        char path[8192];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s/bin/%s", dir, e->d_name, exe) >= sizeof(path) || !executable(path))
            continue;
        best = micro;
        snprintf(out, cap, "%s", path);
    }
    closedir(d);
    return best >= 0 ? 0 : -1;
}

int gs_interp_resolve(const char *name, char *out, size_t cap, char *err, size_t errlen) {
    char exe[64], prefix[32], pyenv[4096], cache[4096];
    int threaded = 0;
    if (strchr(name, '/') != NULL || version_name(name, exe, sizeof(exe), prefix, sizeof(prefix), &threaded) != 0) {
        if ((size_t)snprintf(out, cap, "%s", name) >= cap) {
            snprintf(err, errlen, "--python: the path \"%.200s...\" is too long", name);
            return -1;
        }
        return 0;
    }
    const char *home = getenv("HOME") ? getenv("HOME") : "";
    if (getenv("PYENV_ROOT") && *getenv("PYENV_ROOT")) snprintf(pyenv, sizeof(pyenv), "%s", getenv("PYENV_ROOT"));
    else snprintf(pyenv, sizeof(pyenv), "%s/.pyenv", home);
    if (getenv("GILSCOPE_PYTHONS") && *getenv("GILSCOPE_PYTHONS"))
        snprintf(cache, sizeof(cache), "%s", getenv("GILSCOPE_PYTHONS"));
    else if (getenv("XDG_CACHE_HOME") && *getenv("XDG_CACHE_HOME"))
        snprintf(cache, sizeof(cache), "%s/gilscope/pythons", getenv("XDG_CACHE_HOME"));
    else
        snprintf(cache, sizeof(cache), "%s/.cache/gilscope/pythons", home);
    if (on_path(exe, pyenv, out, cap) == 0 || in_pyenv(pyenv, prefix, threaded, exe, out, cap) == 0) return 0;
    if ((size_t)snprintf(out, cap, "%s/bin/%s", cache, exe) < cap && executable(out)) return 0;
    snprintf(err, errlen,
             "--python %s: no %s on PATH, in pyenv (%s/versions) or in gilscope's cache of Pythons (%s/bin; "
             "scripts/pythons.sh fetches 3.14 and 3.15)",
             name, exe, pyenv, cache);
    return -1;
}
