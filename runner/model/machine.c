#include "machine.h"

#include "jsonnum.h"

#include "jsonpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <uv.h>

#include "cli.h"

void gs_machine_cpu_model(char *buf, size_t cap) {
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "re");
    if (f == NULL) return;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                c++;
                while (*c == ' ') c++;
                c[strcspn(c, "\n")] = '\0';
                snprintf(buf, cap, "%s", c);
            }
            break;
        }
    }
    fclose(f);
}

json_t *gs_machine_metadata(const gs_session *s, int argc, char **argv, const char *dir, json_t *info) {
    json_t *m = json_object();
    json_object_set_new(m, "gilscope_version", json_string(GS_VERSION));
    json_t *cmd = json_array();
    for (int i = 0; i < argc; i++) json_array_append_new(cmd, gs_json_path_item(argv[i]));
    json_object_set_new(m, "command_line", cmd);
    time_t now = time(NULL);
    char ts[64];
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    json_object_set_new(m, "start_time", json_string(ts));
    json_t *py = json_deep_copy(json_object_get(s->hello, "python"));
    gs_json_set_path(py, "requested", s->opt->python);
    json_object_set_new(m, "python", py);
    gs_json_set_path(m, "interpreter", s->python);
    json_object_set_new(m, "gil_enabled", json_deep_copy(json_object_get(py, "gil_enabled")));
    json_object_set_new(m, "cores", json_integer((json_int_t)uv_available_parallelism()));
    char cpu[256];
    gs_machine_cpu_model(cpu, sizeof(cpu));
    json_object_set_new(m, "cpu_model", json_string(cpu));
    struct utsname u;
    if (uname(&u) == 0) {
        char k[600];
        snprintf(k, sizeof(k), "%s %s %s", u.sysname, u.release, u.machine);
        json_object_set_new(m, "kernel", json_string(k));
        json_object_set_new(m, "hostname", json_string(u.nodename));
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3)
        json_object_set_new(m, "load_average", json_pack("[f,f,f]", load[0], load[1], load[2]));
    const gs_options *o = s->opt;
    char *gov = gs_machine_governor();
    json_object_set_new(m, "cpu_governor", gov ? json_string(gov) : json_null());
    free(gov);
    json_object_set_new(m, "hash_seed", json_integer((json_int_t)o->hash_seed));
    json_object_set_new(m, "tasks", json_integer(o->tasks));
    json_object_set_new(m, "runs", json_integer(o->runs));
    json_object_set_new(m, "warmup", json_integer(o->warmup));
    json_object_set_new(m, "warm_calls", json_integer(o->warm_calls));
    json_object_set_new(m, "no_gc", json_boolean(o->no_gc));
    json_object_set_new(m, "profile", json_boolean(o->profile));
    json_object_set_new(m, "timeout_s", json_real(o->timeout_s));
    json_object_set_new(m, "start_method_requested", o->start_method ? json_string(o->start_method) : json_null());
    json_object_set_new(m, "default_start_method", json_deep_copy(json_object_get(info, "default_start_method")));
    json_t *ws = json_array();
    for (size_t i = 0; i < o->nworkers; i++) json_array_append_new(ws, json_integer(o->workers[i]));
    json_object_set_new(m, "workers", ws);
    json_t *cs = json_array();
    for (size_t i = 0; i < o->nchunksizes; i++) json_array_append_new(cs, json_integer(o->chunksizes[i]));
    json_object_set_new(m, "chunksizes_requested", cs);
    json_t *st = json_array();
    for (gs_strategy i = 0; (size_t)i < gs_strategy_count(); i++)
        if (o->strategies & (1u << i)) json_array_append_new(st, json_string(gs_strategy_name(i)));
    json_object_set_new(m, "strategies", st);
    gs_json_set_path(m, "harness_dir", dir);
    json_object_set_new(m, "sample_hz", json_real(o->sample_hz));
    return m;
}

/* x when known, else null; a known figure that is not finite is null too,
 * counted (jsonnum.h). */
static json_t *real_or_null(double x, int known, int *nonfinite) {
    return known ? gs_json_num(x, nonfinite) : json_null();
}

json_t *gs_machine_json(const gs_capacity *c, int *nonfinite) {
    const gs_cpu_limits *l = &c->limits;
    json_t *cap = json_object();
    json_object_set_new(cap, "before", real_or_null(c->before, c->before >= 0, nonfinite));
    json_object_set_new(cap, "min", real_or_null(c->min, c->n > 0, nonfinite));
    json_object_set_new(cap, "max", real_or_null(c->max, c->n > 0, nonfinite));
    json_object_set_new(cap, "after", real_or_null(c->after, c->after >= 0, nonfinite));
    json_object_set_new(cap, "mean", real_or_null(c->n > 0 ? c->sum / c->n : 0, c->n > 0, nonfinite));
    json_object_set_new(cap, "n", json_integer(c->n));
    json_t *m = json_object();
    json_object_set_new(m, "cores", json_integer(l->online));
    json_object_set_new(m, "affinity", json_integer(l->affinity));
    json_object_set_new(m, "quota", real_or_null(l->quota, l->quota > 0, nonfinite));
    json_object_set_new(m, "usable", json_integer(l->usable));
    json_object_set_new(m, "capacity", cap);
    return m;
}

char *gs_machine_governor(void) {
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "re");
    if (f == NULL) return NULL;
    char buf[64] = "";
    char *ok = fgets(buf, sizeof(buf), f);
    fclose(f);
    if (ok == NULL) return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return strdup(buf);
}
