#include "proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gs_proto_init(gs_proto *p, gs_proto_mode mode, int expected_tasks) {
    memset(p, 0, sizeof(*p));
    p->mode = mode;
    p->state = GS_PROTO_WANT_HELLO;
    p->expected_tasks = expected_tasks;
}

static int fail(gs_proto *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->problem, sizeof(p->problem), fmt, ap);
    va_end(ap);
    p->state = GS_PROTO_BROKEN;
    return -1;
}

void gs_proto_break(gs_proto *p, const char *fmt, ...) {
    if (p->state == GS_PROTO_BROKEN) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->problem, sizeof(p->problem), fmt, ap);
    va_end(ap);
    p->state = GS_PROTO_BROKEN;
}

static int is_str(json_t *o, const char *key) { return json_is_string(json_object_get(o, key)); }

/* Names the first of the listed fields that is missing or of the wrong type
 * ('i' integer, 'n' number, 's' string, 'o' object, 'a' array, 'S' string or
 * null, 'I' integer or null), or returns NULL when all are right. */
static const char *check_fields(json_t *o, const char *spec[][2]) {
    for (size_t i = 0; spec[i][0] != NULL; i++) {
        const char *k = spec[i][0];
        json_t *v = json_object_get(o, k);
        int ok = 0;
        switch (spec[i][1][0]) {
        case 'i': ok = json_is_integer(v); break;
        case 'n': ok = json_is_number(v); break;
        case 's': ok = json_is_string(v); break;
        case 'o': ok = json_is_object(v); break;
        case 'a': ok = json_is_array(v); break;
        case 'S': ok = json_is_string(v) || json_is_null(v); break;
        case 'I': ok = json_is_integer(v) || json_is_null(v); break;
        default: ok = 0;
        }
        if (!ok) return k;
    }
    return NULL;
}

static int check_hello(gs_proto *p, json_t *m) {
    static const char *spec[][2] = {{"protocol", "i"}, {"pid", "i"}, {"python", "o"},
                                    {"cores", "i"}, {NULL, NULL}};
    const char *bad = check_fields(m, spec);
    if (bad) return fail(p, "hello: field \"%s\" missing or of the wrong type", bad);
    if (json_integer_value(json_object_get(m, "protocol")) != 1)
        return fail(p, "hello: protocol %lld is not 1 (harness and gilscope differ in version)",
                    (long long)json_integer_value(json_object_get(m, "protocol")));
    if (json_integer_value(json_object_get(m, "pid")) <= 0 || json_integer_value(json_object_get(m, "cores")) < 1)
        return fail(p, "hello: implausible pid or core count");
    json_t *py = json_object_get(m, "python");
    static const char *pyspec[][2] = {{"implementation", "s"}, {"version", "s"},
                                      {"executable", "s"}, {NULL, NULL}};
    bad = check_fields(py, pyspec);
    if (bad) return fail(p, "hello: field \"python.%s\" missing or of the wrong type", bad);
    if (!json_is_boolean(json_object_get(py, "gil_enabled")))
        return fail(p, "hello: field \"python.gil_enabled\" missing or not a boolean");
    return 0;
}

/* Checks the task records of a result: exactly expected_tasks entries, each
 * index once, start <= end, inside the window. */
static int check_tasks(gs_proto *p, json_t *m) {
    json_t *tasks = json_object_get(m, "tasks");
    size_t n = json_array_size(tasks);
    if ((int)n != p->expected_tasks)
        return fail(p, "result: %zu task records, expected %d", n, p->expected_tasks);
    json_int_t w0 = json_integer_value(json_object_get(m, "window_start_ns"));
    json_int_t w1 = json_integer_value(json_object_get(m, "window_end_ns"));
    if (w1 < w0) return fail(p, "result: window ends before it starts");
    unsigned char *seen = calloc(n ? n : 1, 1);
    if (seen == NULL) return fail(p, "out of memory");
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        static const char *spec[][2] = {{"index", "i"}, {"start_ns", "i"}, {"end_ns", "i"},
                                        {"pid", "i"}, {"tid", "i"}, {NULL, NULL}};
        const char *bad = json_is_object(t) ? check_fields(t, spec) : "index";
        if (bad) {
            free(seen);
            return fail(p, "result: task record %zu: field \"%s\" missing or of the wrong type",
                        i, bad);
        }
        json_int_t idx = json_integer_value(json_object_get(t, "index"));
        json_int_t s = json_integer_value(json_object_get(t, "start_ns"));
        json_int_t e = json_integer_value(json_object_get(t, "end_ns"));
        if (idx < 0 || (size_t)idx >= n || seen[idx]) {
            free(seen);
            return fail(p, "result: task index %lld out of range or repeated", (long long)idx);
        }
        seen[idx] = 1;
        if (e < s || s < w0 || e > w1) {
            free(seen);
            return fail(p, "result: task %lld is not inside the timing window", (long long)idx);
        }
    }
    free(seen);
    return 0;
}

/* An experiment's figures (optional): "values" null or one array per task of
 * numbers, short strings (a row's name, at most GS_PROTO_VALUE_TEXT_MAX
 * bytes) or nulls, every row as long as the first; "explanation" null or a
 * string. */
static int check_values(gs_proto *p, json_t *m) {
    json_t *values = json_object_get(m, "values"), *ex = json_object_get(m, "explanation");
    if (ex != NULL && !json_is_null(ex) && !json_is_string(ex))
        return fail(p, "result: \"explanation\" is neither a string nor null");
    if (values == NULL || json_is_null(values)) return 0;
    if (!json_is_array(values) || json_array_size(values) != (size_t)p->expected_tasks)
        return fail(p, "result: \"values\" is not one row per task");
    size_t i, j, width = json_array_size(json_array_get(values, 0));
    json_t *row, *v;
    json_array_foreach(values, i, row) {
        if (!json_is_array(row) || json_array_size(row) != width || width == 0)
            return fail(p, "result: \"values\" row %zu is not a list as long as the first", i);
        json_array_foreach(row, j, v) {
            if (json_is_string(v) && json_string_length(v) > GS_PROTO_VALUE_TEXT_MAX)
                return fail(p, "result: \"values\" row %zu holds a string longer than %d bytes", i,
                            GS_PROTO_VALUE_TEXT_MAX);
            if (!json_is_number(v) && !json_is_null(v) && !json_is_string(v))
                return fail(p, "result: \"values\" row %zu holds something other than numbers and names", i);
        }
    }
    return 0;
}

/* --profile's figures (optional): "profile" null or {scope (string),
 * profiles (integer >= 0), total_own_s (number >= 0), by_own and
 * by_cumulative: at most GS_PROTO_PROFILE_MAX entries {function (string of
 * at most GS_PROTO_PROFILE_LABEL_MAX bytes), calls, primitive_calls
 * (integers >= 0), own_s, cumulative_s (numbers >= 0)}}. */
static int check_profile(gs_proto *p, json_t *m) {
    json_t *pr = json_object_get(m, "profile");
    if (pr == NULL || json_is_null(pr)) return 0;
    static const char *spec[][2] = {{"scope", "s"}, {"profiles", "i"}, {"total_own_s", "n"},
                                    {"by_own", "a"}, {"by_cumulative", "a"}, {NULL, NULL}};
    static const char *entry[][2] = {{"function", "s"}, {"calls", "i"}, {"primitive_calls", "i"},
                                     {"own_s", "n"}, {"cumulative_s", "n"}, {NULL, NULL}};
    const char *bad = json_is_object(pr) ? check_fields(pr, spec) : "profile";
    if (bad) return fail(p, "result: profile field \"%s\" missing or of the wrong type", bad);
    if (json_integer_value(json_object_get(pr, "profiles")) < 0 || json_number_value(json_object_get(pr, "total_own_s")) < 0)
        return fail(p, "result: profile with a negative count or time");
    const char *lists[] = {"by_own", "by_cumulative"};
    for (size_t k = 0; k < 2; k++) {
        json_t *list = json_object_get(pr, lists[k]), *e;
        size_t i;
        if (json_array_size(list) > GS_PROTO_PROFILE_MAX)
            return fail(p, "result: profile %s has more than %d entries", lists[k], GS_PROTO_PROFILE_MAX);
        json_array_foreach(list, i, e) {
            bad = json_is_object(e) ? check_fields(e, entry) : "entry";
            if (bad) return fail(p, "result: profile %s entry %zu: field \"%s\" missing or of the wrong type", lists[k], i, bad);
            if (json_string_length(json_object_get(e, "function")) > GS_PROTO_PROFILE_LABEL_MAX ||
                json_integer_value(json_object_get(e, "calls")) < 0 ||
                json_integer_value(json_object_get(e, "primitive_calls")) < 0 ||
                json_number_value(json_object_get(e, "own_s")) < 0 || json_number_value(json_object_get(e, "cumulative_s")) < 0)
                return fail(p, "result: profile %s entry %zu is implausible (a negative figure or a name over %d bytes)",
                            lists[k], i, GS_PROTO_PROFILE_LABEL_MAX);
        }
    }
    return 0;
}

/* The cost of sending tasks and results as pickles (optional): "transfer"
 * null or {task_bytes, result_bytes, max_task_bytes, max_result_bytes
 * (integers >= 0), pickle_s, unpickle_s (numbers >= 0)}. */
static int check_transfer(gs_proto *p, json_t *m) {
    json_t *t = json_object_get(m, "transfer");
    if (t == NULL || json_is_null(t)) return 0;
    static const char *spec[][2] = {{"task_bytes", "i"}, {"result_bytes", "i"}, {"max_task_bytes", "i"},
                                    {"max_result_bytes", "i"}, {"pickle_s", "n"}, {"unpickle_s", "n"}, {NULL, NULL}};
    const char *bad = json_is_object(t) ? check_fields(t, spec) : "transfer";
    if (bad) return fail(p, "result: transfer field \"%s\" missing or of the wrong type", bad);
    for (size_t i = 0; spec[i][0] != NULL; i++)
        if (json_number_value(json_object_get(t, spec[i][0])) < 0) return fail(p, "result: transfer with a negative %s", spec[i][0]);
    if (json_integer_value(json_object_get(t, "max_task_bytes")) > json_integer_value(json_object_get(t, "task_bytes")) ||
        json_integer_value(json_object_get(t, "max_result_bytes")) > json_integer_value(json_object_get(t, "result_bytes")))
        return fail(p, "result: transfer with a largest pickle above the total");
    return 0;
}

static int check_result(gs_proto *p, json_t *m) {
    static const char *spec[][2] = {
        {"window_start_ns", "i"}, {"window_end_ns", "i"}, {"strategy_wall_ns", "i"},
        {"pool_startup_ns", "I"}, {"checksum", "s"},      {"cpu_user_s", "n"},
        {"cpu_sys_s", "n"},       {"max_rss_bytes", "i"}, {"workers_seen", "a"},
        {"tasks", "a"},           {NULL, NULL}};
    const char *bad = check_fields(m, spec);
    if (bad) return fail(p, "result: field \"%s\" missing or of the wrong type", bad);
    const char *sum = json_string_value(json_object_get(m, "checksum"));
    if (strlen(sum) != 64 || strspn(sum, "0123456789abcdef") != 64)
        return fail(p, "result: checksum is not 64 hex digits");
    json_int_t w0 = json_integer_value(json_object_get(m, "window_start_ns"));
    json_int_t w1 = json_integer_value(json_object_get(m, "window_end_ns"));
    json_int_t wall = json_integer_value(json_object_get(m, "strategy_wall_ns"));
    json_t *pool = json_object_get(m, "pool_startup_ns");
    if (wall < 0 || w0 < 0 || w1 < w0 || json_number_value(json_object_get(m, "cpu_user_s")) < 0 ||
        json_number_value(json_object_get(m, "cpu_sys_s")) < 0)
        return fail(p, "result: negative time");
    if (wall != w1 - w0) return fail(p, "result: strategy_wall_ns is not window_end_ns - window_start_ns");
    if (json_is_integer(pool) && (json_integer_value(pool) < 0 || json_integer_value(pool) > wall))
        return fail(p, "result: pool_startup_ns outside the window");
    if (json_integer_value(json_object_get(m, "max_rss_bytes")) < 0) return fail(p, "result: negative max_rss_bytes");
    if (check_tasks(p, m) != 0) return -1;
    if (check_profile(p, m) != 0 || check_transfer(p, m) != 0) return -1;
    return check_values(p, m);
}

static int check_start(gs_proto *p, json_t *m) {
    static const char *spec[][2] = {{"workload", "s"}, {"kind", "s"},  {"strategy", "s"},
                                    {"workers", "i"},  {"tasks", "i"}, {"size", "i"},
                                    {NULL, NULL}};
    const char *bad = check_fields(m, spec);
    if (bad) return fail(p, "start: field \"%s\" missing or of the wrong type", bad);
    if (json_integer_value(json_object_get(m, "workers")) < 1 || json_integer_value(json_object_get(m, "size")) < 0)
        return fail(p, "start: implausible workers or size");
    if (json_integer_value(json_object_get(m, "tasks")) != p->expected_tasks)
        return fail(p, "start: %lld tasks, expected %d",
                    (long long)json_integer_value(json_object_get(m, "tasks")), p->expected_tasks);
    return 0;
}

static int check_error(gs_proto *p, json_t *m) {
    if (!is_str(m, "stage") || !is_str(m, "message"))
        return fail(p, "error: fields \"stage\" and \"message\" must be strings");
    return 0;
}

static int check_info(gs_proto *p, json_t *m) {
    static const char *spec[][2] = {{"strategies", "a"}, {"start_methods", "a"},
                                    {"workloads", "a"}, {NULL, NULL}};
    const char *bad = check_fields(m, spec);
    if (bad) return fail(p, "info: field \"%s\" missing or of the wrong type", bad);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, "workloads"), i, e) {
        static const char *wspec[][2] = {{"spec", "s"}, {"name", "S"}, {"kind", "S"},
                                         {"description", "S"}, {"default_size", "I"},
                                         {"error", "S"}, {NULL, NULL}};
        bad = json_is_object(e) ? check_fields(e, wspec) : "spec";
        if (bad) return fail(p, "info: workload %zu: field \"%s\" missing or of the wrong type", i, bad);
        if (json_is_null(json_object_get(e, "error")) && !json_is_string(json_object_get(e, "name")))
            return fail(p, "info: workload %zu has neither a name nor an error", i);
    }
    json_array_foreach(json_object_get(m, "strategies"), i, e) {
        if (!json_is_object(e) || !json_is_string(json_object_get(e, "name")) ||
            !json_is_boolean(json_object_get(e, "available")))
            return fail(p, "info: strategy %zu: needs a \"name\" and \"available\"", i);
    }
    return 0;
}

/* Accepts message m of the given type in the current state, taking ownership
 * of m on success. */
static int accept(gs_proto *p, const char *type, json_t *m) {
    json_t **slot = NULL;
    int (*check)(gs_proto *, json_t *) = NULL;
    gs_proto_state next = GS_PROTO_DONE;
    switch (p->state) {
    case GS_PROTO_WANT_HELLO:
        if (strcmp(type, "hello") == 0) {
            slot = &p->hello, check = check_hello, next = GS_PROTO_AFTER_HELLO;
        }
        break;
    case GS_PROTO_AFTER_HELLO:
        if (p->mode == GS_PROTO_INFO) {
            if (strcmp(type, "info") == 0) slot = &p->info, check = check_info;
        } else if (strcmp(type, "start") == 0) {
            slot = &p->start, check = check_start, next = GS_PROTO_AFTER_START;
        } else if (strcmp(type, "unavailable") == 0) {
            slot = &p->unavailable;
        }
        if (strcmp(type, "error") == 0) slot = &p->error, check = check_error;
        break;
    case GS_PROTO_AFTER_START:
        if (strcmp(type, "result") == 0) slot = &p->result, check = check_result;
        if (strcmp(type, "error") == 0) slot = &p->error, check = check_error;
        break;
    default:
        break;
    }
    if (slot == NULL) {
        static const char *names[] = {"first", "after hello", "after start", "after the end", ""};
        return fail(p, "unexpected \"%s\" message %s", type, names[p->state]);
    }
    if (check != NULL && check(p, m) != 0) return -1;
    if (slot == &p->unavailable && !is_str(m, "reason"))
        return fail(p, "unavailable: field \"reason\" must be a string");
    *slot = m;
    p->state = next;
    return 0;
}

int gs_proto_feed(gs_proto *p, const char *line, size_t len) {
    if (p->state == GS_PROTO_BROKEN) return -1;
    json_error_t jerr;
    json_t *m = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (m == NULL) return fail(p, "malformed line (%s at column %d)", jerr.text, jerr.column);
    if (!json_is_object(m)) {
        json_decref(m);
        return fail(p, "a line that is not a JSON object");
    }
    json_t *type = json_object_get(m, "type");
    if (!json_is_string(type)) {
        json_decref(m);
        return fail(p, "a message without a \"type\"");
    }
    if (accept(p, json_string_value(type), m) != 0) {
        json_decref(m);
        return -1;
    }
    return 0;
}

int gs_proto_finish(gs_proto *p) {
    switch (p->state) {
    case GS_PROTO_DONE: return 0;
    case GS_PROTO_BROKEN: return -1;
    case GS_PROTO_WANT_HELLO: return fail(p, "no message received");
    case GS_PROTO_AFTER_HELLO:
        return fail(p, p->mode == GS_PROTO_INFO ? "ended after hello without info"
                                                : "ended after hello without a result");
    case GS_PROTO_AFTER_START: return fail(p, "ended inside the timing window, without a result");
    }
    return -1;
}

void gs_proto_free(gs_proto *p) {
    json_decref(p->hello);
    json_decref(p->start);
    json_decref(p->result);
    json_decref(p->error);
    json_decref(p->unavailable);
    json_decref(p->info);
    memset(p, 0, sizeof(*p));
}
