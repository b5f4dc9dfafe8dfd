#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacity.h"
#include "exports.h"
#include "lesson.h"
#include "report.h"
#include "table.h"
#include "tabwriter.h"

/* gilscope teach: lists the lessons, or runs one (lesson.h): its run is a
 * `gilscope run` with the lesson's arguments, writing its JSON report into a
 * private directory; the lesson's text is then written from that report,
 * added to it ("lesson"), printed, and the report goes to the --export-*
 * destinations. */

#define MAX_ARGS (GS_LESSON_ARGS_MAX + 16)

static void list(FILE *f) {
    int w = 0, tw = 0, total = 0;
    for (int l = 0; l < GS_LESSON_COUNT; l++) {
        int n = (int)strlen(gs_lesson_get((gs_lesson)l)->name), t = (int)strlen(gs_lesson_get((gs_lesson)l)->title);
        w = n > w ? n : w;
        tw = t > tw ? t : tw;
    }
    fprintf(f, "Lessons (gilscope teach LESSON):\n");
    for (int l = 0; l < GS_LESSON_COUNT; l++) {
        const gs_lesson_info *i = gs_lesson_get((gs_lesson)l);
        fprintf(f, "  %-*s  %-*s  about %2d s\n", w, i->name, tw, i->title, i->seconds);
        total += i->seconds;
    }
    fprintf(f, "All %d: about %d s on a 2-core machine. Each runs a short measurement on\n"
               "calibrated sizes, then says what this run's figures show.\n", GS_LESSON_COUNT, total);
}

/* Removes the private directory and what the run wrote into it. */
static void clean(const char *dir, const char *json, const char *svg) {
    unlink(json);
    unlink(svg);
    rmdir(dir);
}

int gs_cmd_teach(gs_options *o, int argc, char **argv) {
    if (o->lesson == NULL) {
        list(stdout);
        return 0;
    }
    int l = gs_lesson_find(o->lesson);
    if (l < 0) {
        fprintf(stderr, "gilscope: teach: unknown lesson \"%s\"\n", o->lesson);
        list(stderr);
        return 2;
    }
    if (o->npythons > 1) return gs_cmd_usage_error("teach: one interpreter at a time (--python takes one here)");
    if (gs_outputs_any(&o->outputs, 1))
        return gs_cmd_usage_error("teach: the lesson is written on stdout; give the --export-* options a file");
    char why[1024];
    if (gs_outputs_check(&o->outputs, why, sizeof(why)) != 0) return gs_cmd_usage_error(why);

    const char *tmp = getenv("TMPDIR");
    char dir[4096], json[4200], svg[4200];
    snprintf(dir, sizeof(dir), "%s/gilscope-teach-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "gilscope: teach: cannot create a directory in %s: %s\n", tmp && *tmp ? tmp : "/tmp",
                strerror(errno));
        return 1;
    }
    snprintf(json, sizeof(json), "%s/report.json", dir);
    snprintf(svg, sizeof(svg), "%s/timeline.svg", dir);

    gs_cpu_limits lim;
    gs_cpu_limits_read(&lim);
    gs_lesson_plan plan = {0};
    gs_lesson_get((gs_lesson)l)->plan(&plan, lim.usable);
    char *rargv[MAX_ARGS];
    int rargc = 0;
    rargv[rargc++] = argv[0];
    rargv[rargc++] = "run";
    for (int i = 0; i < plan.argc; i++) rargv[rargc++] = (char *)plan.argv[i];
    rargv[rargc++] = "--export-json";
    rargv[rargc++] = json;
    /* The HTML page shows the timelines: record them (one diagnostic run per cell). */
    if (o->outputs.path[GS_EXPORT_HTML] || o->outputs.path[GS_EXPORT_TIMELINE]) {
        rargv[rargc++] = "--timeline";
        rargv[rargc++] = svg;
    }
    if (o->python_list) {
        rargv[rargc++] = "--python";
        rargv[rargc++] = o->python_list;
    }
    if (o->progress == 0) rargv[rargc++] = "--no-progress";
    if (o->progress == 1) rargv[rargc++] = "--progress";
    if (o->wide) rargv[rargc++] = "--wide";
    if (o->verbose) rargv[rargc++] = "--verbose";
    rargv[rargc] = NULL;

    gs_options ro;
    char err[512];
    if (gs_cli_parse(rargc, rargv, &ro, err, sizeof(err)) != 0) {
        fprintf(stderr, "gilscope: teach: the lesson's run arguments were refused: %s\n", err);
        gs_cli_free(&ro);
        clean(dir, json, svg);
        return 1;
    }
    int rc = gs_cmd_run(&ro, argc, argv);
    gs_cli_free(&ro);
    /* Interrupted too: the run wrote every finished run, and the exports get them. */
    json_t *report = gs_report_load(json, "teach");
    clean(dir, json, svg);
    if (report == NULL) return rc ? rc : 1;
    json_t *lesson = gs_lesson_json((gs_lesson)l, report);
    if (lesson == NULL || json_object_set_new(report, "lesson", lesson) != 0) {
        json_decref(report);
        fprintf(stderr, "gilscope: teach: out of memory\n");
        return 1;
    }
    gs_table_style st = {isatty(fileno(stdout)) && getenv("NO_COLOR") == NULL, gs_text_width(stdout), o->wide,
                         o->verbose};
    if (rc < 128) gs_table_lesson(stdout, report, &st); /* interrupted: the outputs only */
    fflush(stdout);
    if (gs_outputs_write(&o->outputs, report, 0) != 0 && rc == 0) rc = 1;
    json_decref(report);
    return rc;
}
