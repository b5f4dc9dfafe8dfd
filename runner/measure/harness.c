#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* The harness's entry point in the workloads directory: DIR/harness.py. */
#define ENTRY "harness"

static int has_harness(const char *dir) {
    char p[4096];
    snprintf(p, sizeof(p), "%s/" ENTRY ".py", dir);
    return access(p, R_OK) == 0;
}

int gs_harness_find(char *buf, size_t cap) {
    const char *env = getenv("GILSCOPE_WORKLOADS");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return has_harness(buf) ? 0 : -1;
    }
    char exe[4096];
    size_t len = sizeof(exe);
    if (uv_exepath(exe, &len) == 0) {
        char *dir = dirname(exe);
        const char *rel[] = {"../share/gilscope/workloads", "workloads", "../workloads"};
        for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
            snprintf(buf, cap, "%s/%s", dir, rel[i]);
            if (has_harness(buf)) return 0;
        }
    }
#ifdef GS_SOURCE_WORKLOADS
    snprintf(buf, cap, "%s", GS_SOURCE_WORKLOADS);
    if (has_harness(buf)) return 0;
#endif
    return -1;
}

int gs_harness_spec_is_path(const char *spec) {
    size_t n = strlen(spec);
    return strchr(spec, '/') != NULL || (n > 3 && strcmp(spec + n - 3, ".py") == 0);
}

/* Whether NAME (len bytes) is the harness's, never a workload: its entry
 * point (harness.py) or its package's name (the harness reserves both, so a
 * stale gilscope_harness.py of an older install is never run as a workload). */
static int is_reserved(const char *name, size_t len) {
    static const char *const reserved[] = {ENTRY, "gilscope_harness"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strlen(reserved[i]) == len && strncmp(name, reserved[i], len) == 0) return 1;
    return 0;
}

static int is_builtin_file(const char *name) {
    size_t n = strlen(name);
    if (n < 4 || strcmp(name + n - 3, ".py") != 0 || name[0] == '_' || name[0] == '.') return 0;
    return !is_reserved(name, n - 3);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **gs_harness_builtins(const char *dir) {
    char sub[4096];
    snprintf(sub, sizeof(sub), "%s/" GS_BUILTIN_DIR, dir);
    DIR *d = opendir(sub);
    size_t n = 0;
    char **v = calloc(1, sizeof(*v));
    if (d == NULL || v == NULL) {
        if (d) closedir(d);
        return v;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_builtin_file(de->d_name)) continue;
        char **p = realloc(v, (n + 2) * sizeof(*v));
        if (p == NULL) break;
        v = p;
        v[n++] = strndup(de->d_name, strlen(de->d_name) - 3);
        v[n] = NULL;
    }
    closedir(d);
    qsort(v, n, sizeof(*v), cmp_str);
    return v;
}

int gs_harness_check_specs(const char *dir, const char **specs, size_t n, char *err, size_t errlen) {
    for (size_t i = 0; i < n; i++) {
        const char *s = specs[i];
        struct stat st;
        if (gs_harness_spec_is_path(s)) {
            if (stat(s, &st) != 0 || access(s, R_OK) != 0) {
                snprintf(err, errlen, "--workload: cannot read \"%s\": %s", s, strerror(errno));
                return -1;
            }
            if (!S_ISREG(st.st_mode)) {
                snprintf(err, errlen, "--workload: \"%s\" is not a file", s);
                return -1;
            }
            continue;
        }
        char p[4096];
        snprintf(p, sizeof(p), "%s/" GS_BUILTIN_DIR "/%s.py", dir, s);
        if (strchr(s, '.') == NULL && s[0] != '_' && access(p, R_OK) == 0 && !is_reserved(s, strlen(s))) continue;
        char **names = gs_harness_builtins(dir);
        char list[512] = "";
        for (char **q = names; *q; q++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *q);
            free(*q);
        }
        free(names);
        snprintf(err, errlen,
                 "--workload: unknown workload \"%s\" (built-ins: %s; or give the path of a .py file)",
                 s, list);
        return -1;
    }
    return 0;
}

char **gs_harness_env(unsigned long seed) {
    size_t n = 0;
    while (environ[n]) n++;
    char **env = calloc(n + 2, sizeof(*env));
    if (env == NULL) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PYTHONHASHSEED=", 15) != 0) env[k++] = strdup(environ[i]);
    char buf[64];
    snprintf(buf, sizeof(buf), "PYTHONHASHSEED=%lu", seed);
    env[k++] = strdup(buf);
    env[k] = NULL;
    return env;
}

int gs_harness_env_set(char ***env, const char *name, const char *value) {
    size_t n = 0, len = strlen(name);
    char *entry = malloc(len + strlen(value) + 2);
    if (entry == NULL) return -1;
    sprintf(entry, "%s=%s", name, value);
    for (; (*env)[n]; n++)
        if (strncmp((*env)[n], name, len) == 0 && (*env)[n][len] == '=') {
            free((*env)[n]);
            (*env)[n] = entry;
            return 0;
        }
    char **grown = realloc(*env, (n + 2) * sizeof(**env));
    if (grown == NULL) {
        free(entry);
        return -1;
    }
    grown[n] = entry;
    grown[n + 1] = NULL;
    *env = grown;
    return 0;
}

void gs_harness_env_free(char **env) {
    if (env == NULL) return;
    for (char **p = env; *p; p++) free(*p);
    free(env);
}

char *gs_harness_resolve_spec(const char *spec) {
    char *real = gs_harness_spec_is_path(spec) ? realpath(spec, NULL) : NULL;
    return real ? real : strdup(spec);
}

/* Appends one copied string (NULL: the terminator only). */
static int push(gs_harness_argv *a, const char *s) {
    if (a->failed) return -1;
    if (a->n + 2 > a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        char **v = realloc(a->v, cap * sizeof(*v));
        if (v == NULL) goto oom;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n] = strdup(s);
    if (a->v[a->n] == NULL) goto oom;
    a->v[++a->n] = NULL;
    return 0;
oom:
    a->failed = 1;
    return -1;
}

int gs_harness_argv_init(gs_harness_argv *a, const char *python, const char *dir, const char *mode) {
    memset(a, 0, sizeof(*a));
    char harness[4096 + 32];
    snprintf(harness, sizeof(harness), "%s/" ENTRY ".py", dir);
    return push(a, python) || push(a, harness) ? -1 : gs_harness_argv_add(a, "--mode", mode);
}

int gs_harness_argv_add(gs_harness_argv *a, const char *flag, const char *value) {
    if (push(a, flag) != 0) return -1;
    return value ? push(a, value) : 0;
}

int gs_harness_argv_add_long(gs_harness_argv *a, const char *flag, long value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", value);
    return gs_harness_argv_add(a, flag, buf);
}

int gs_harness_argv_run(gs_harness_argv *a, const char *python, const char *dir, const char *spec,
                        const char *strategy, int workers, int tasks, long size) {
    gs_harness_argv_init(a, python, dir, "run");
    gs_harness_argv_add(a, "--workload", spec);
    gs_harness_argv_add(a, "--strategy", strategy);
    gs_harness_argv_add_long(a, "--workers", workers);
    gs_harness_argv_add_long(a, "--tasks", tasks);
    return gs_harness_argv_add_long(a, "--size", size);
}

void gs_harness_argv_free(gs_harness_argv *a) {
    for (size_t i = 0; i < a->n; i++) free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof(*a));
}
