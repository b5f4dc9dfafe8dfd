#include "gs_test.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timeline.h"

#define MS 1000000ULL
#define T0 (5000 * MS)

/* Renders panels into a string the caller frees. */
static char *render(const char *heading, const gs_timeline_panel *p, size_t n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(gs_timeline_write_svg(f, heading, p, n), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static size_t count(const char *s, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static void assert_frame(const char *svg) {
    size_t len = strlen(svg);
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_true(len > 7 && strcmp(svg + len - 7, "</svg>\n") == 0);
}

/* Asserts that the document is well-formed XML, parsed by Python's minidom. */
static void assert_parses(const char *svg) {
    char path[] = "/tmp/gs_test_timeline_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(svg, f);
    assert_int_equal(fclose(f), 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' %s", path);
    int st = system(cmd);
    unlink(path);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/* One segment rect as written: its fill, its width and its tooltip. */
typedef struct seg_rect {
    char fill[8];
    double width;
    char tip[64];
} seg_rect;

/* Parses every <rect class="seg" ...><title>...</title></rect> of svg. */
static size_t parse_segs(const char *svg, seg_rect *out, size_t cap) {
    static const char open[] = "<rect class=\"seg\"";
    size_t n = 0;
    for (const char *p = strstr(svg, open); p && n < cap; p = strstr(p + 1, open)) {
        const char *w = strstr(p, "width=\""), *fill = strstr(p, "fill=\""), *t = strstr(p, "<title>");
        assert_non_null(w);
        assert_non_null(fill);
        assert_non_null(t);
        assert_int_equal(sscanf(w, "width=\"%lf\"", &out[n].width), 1);
        memcpy(out[n].fill, fill + 6, 7);
        out[n].fill[7] = '\0';
        const char *e = strstr(t, "</title>");
        assert_non_null(e);
        size_t tl = (size_t)(e - t - 7) < sizeof out[n].tip ? (size_t)(e - t - 7) : sizeof out[n].tip - 1;
        memcpy(out[n].tip, t + 7, tl);
        out[n].tip[tl] = '\0';
        n++;
    }
    return n;
}

static gs_segment main_segs[] = {
    {T0, T0 + 40 * MS, GS_ST_ON_CPU},
    {T0 + 40 * MS, T0 + 50 * MS, GS_ST_GIL},
    {T0 + 50 * MS, T0 + 50 * MS + 1000, GS_ST_LOCK}, /* 1 µs: far below a pixel */
};
static gs_segment worker_segs[] = {
    {T0, T0 + 20 * MS, GS_ST_IO},
    {T0 + 20 * MS, T0 + 30 * MS, GS_ST_SLEEP},
    {T0 + 30 * MS, T0 + 60 * MS, GS_ST_IDLE},
    {T0 + 60 * MS, T0 + 70 * MS, GS_ST_OTHER},
    {T0 + 70 * MS, T0 + 100 * MS, GS_ST_WAIT_CORE},
};

static gs_timeline_panel two_lanes(gs_lane lanes[2]) {
    lanes[0] = (gs_lane){.pid = 100, .tid = 100, .segs = main_segs, .nsegs = 3};
    lanes[1] = (gs_lane){.pid = 100, .tid = 101, .segs = worker_segs, .nsegs = 5};
    return (gs_timeline_panel){.title = "cpu <&> threads \xC3\x97 2",
                               .t0_ns = T0,
                               .t1_ns = T0 + 100 * MS,
                               .lanes = lanes,
                               .nlanes = 2};
}

static void segments_are_rects_with_colour_width_and_tooltip(void **state) {
    (void)state;
    gs_lane lanes[2];
    gs_timeline_panel p = two_lanes(lanes);
    char *svg = render("gilscope timeline", &p, 1);
    assert_frame(svg);
    seg_rect r[16];
    assert_int_equal(parse_segs(svg, r, 16), 8);
    const char *fills[8] = {"#2e9d4a", "#d1495b", "#ed8b3a", "#3d7fc1",
                            "#9cc3e6", "#dddddd", "#8a8a8a", "#c9b037"};
    for (int i = 0; i < 8; i++) assert_string_equal(r[i].fill, fills[i]);
    /* Widths are proportional to durations: 40 ms on CPU is 4 times 10 ms of
     * GIL wait, and the worker's lane (the whole 100 ms) is 2.5 times it. */
    assert_true(r[0].width > 100);
    assert_float_equal(r[0].width / r[1].width, 4.0, 0.01);
    double lane = 0;
    for (int i = 3; i < 8; i++) lane += r[i].width;
    assert_float_equal(lane / r[0].width, 2.5, 0.01);
    assert_float_equal(r[2].width, 0.2, 1e-9); /* the 1 µs lock wait is still drawn */
    assert_string_equal(r[1].tip, "GIL wait 40.000\xE2\x80\x93" "50.000 ms");
    assert_string_equal(r[2].tip, "lock wait 50.000\xE2\x80\x93" "50.001 ms");
    free(svg);
}

static void legend_lane_labels_title_and_axis(void **state) {
    (void)state;
    gs_lane lanes[2];
    gs_timeline_panel p = two_lanes(lanes);
    char *svg = render("gilscope timeline", &p, 1);
    char want[64];
    for (int s = 0; s < GS_ST_COUNT; s++) {
        snprintf(want, sizeof want, ">%s</text>", gs_state_label((gs_state)s));
        assert_non_null(strstr(svg, want));
    }
    assert_non_null(strstr(svg, "><title>pid 100 \xC2\xB7 tid 100</title>main thread</text>"));
    assert_non_null(strstr(svg, "><title>pid 100 \xC2\xB7 tid 101</title>worker thread 1</text>"));
    assert_non_null(strstr(svg, "cpu &lt;&amp;&gt; threads \xC3\x97 2"));
    assert_null(strstr(svg, "<&>"));
    /* 100 ms: a tick every 20 ms. */
    assert_int_equal(count(svg, " ms</text>"), 6);
    assert_non_null(strstr(svg, ">0 ms</text>"));
    assert_non_null(strstr(svg, ">20 ms</text>"));
    assert_non_null(strstr(svg, ">100 ms</text>"));
    assert_parses(svg);
    free(svg);
}

/* Every window gets 4 to 8 ticks at a 1, 2 or 5 × 10^k step. */
static void ticks_are_nice_and_few(void **state) {
    (void)state;
    static const struct {
        uint64_t span;
        const char *tick;
    } cases[] = {
        {7 * MS, ">7 ms</text>"},           {3300000, ">0.5 ms</text>"}, {1234 * MS, ">200 ms</text>"},
        {50000, ">0.01 ms</text>"},         {999 * MS, ">200 ms</text>"}, {60000 * MS, ">10000 ms</text>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gs_timeline_panel p = {.title = "t", .t0_ns = T0, .t1_ns = T0 + cases[i].span};
        char *svg = render("h", &p, 1);
        size_t n = count(svg, " ms</text>");
        assert_true(n >= 4 && n <= 8);
        assert_non_null(strstr(svg, ">0 ms</text>"));
        assert_non_null(strstr(svg, cases[i].tick));
        free(svg);
    }
}

static void empty_panel_and_no_panels_are_valid(void **state) {
    (void)state;
    gs_timeline_panel p = {.title = "empty", .t0_ns = T0, .t1_ns = T0 + 100 * MS};
    char *svg = render("nothing sampled", &p, 1);
    assert_frame(svg);
    assert_null(strstr(svg, "<rect class=\"seg\""));
    assert_non_null(strstr(svg, ">0 ms</text>"));
    assert_parses(svg);
    free(svg);
    svg = render(NULL, NULL, 0);
    assert_frame(svg);
    assert_parses(svg);
    free(svg);
}

/* Control characters and bytes that are not UTF-8 cannot break the XML, and a
 * locale with a decimal comma cannot reach the numbers. */
static void hostile_text_and_locale(void **state) {
    (void)state;
    gs_lane lanes[2];
    gs_timeline_panel p = two_lanes(lanes);
    p.title = "bad \x01 byte \xFF \xED\xA0\x80 \"q\" 'a' \xE2\x82";
    setlocale(LC_NUMERIC, "de_DE.UTF-8"); /* if installed; the test holds either way */
    char *svg = render("x < y & \"z\"", &p, 1);
    setlocale(LC_NUMERIC, "C");
    assert_null(strstr(svg, ","));
    assert_non_null(strstr(svg, "x &lt; y &amp; &quot;z&quot;"));
    assert_parses(svg);
    free(svg);
}

static void write_failure_returns_minus_one(void **state) {
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (f == NULL) skip();
    gs_lane lanes[2];
    gs_timeline_panel p = two_lanes(lanes);
    assert_int_equal(gs_timeline_write_svg(f, "h", &p, 1), -1);
    fclose(f);
}

/* Lanes of several processes are pool workers, numbered by process. */
static void worker_processes_are_named_as_such(void **state) {
    (void)state;
    gs_lane lanes[3] = {{.pid = 200, .tid = 200}, {.pid = 201, .tid = 201}, {.pid = 201, .tid = 205}};
    gs_timeline_panel p = {"cpu · processes × 2", 0, 1000000, lanes, 3, 0, NULL, 0};
    char *svg = render("h", &p, 1);
    assert_non_null(strstr(svg, "</title>worker process 1</text>"));
    assert_non_null(strstr(svg, "</title>worker process 2</text>"));
    assert_non_null(strstr(svg, "<title>pid 201 \xC2\xB7 tid 205</title>worker process 2 \xC2\xB7 thread</text>"));
    assert_null(strstr(svg, "main thread"));
    free(svg);
}

/* Panels compared share one axis: a window half as long draws half as wide,
 * and the axis is labelled to the longer window's end. */
static void a_shared_axis_keeps_durations_comparable(void **state) {
    (void)state;
    static gs_segment whole[] = {{0, 100 * MS, GS_ST_ON_CPU}};
    gs_lane lane = {.pid = 1, .tid = 1, .segs = whole, .nsegs = 1};
    static const gs_task_mark marks[] = {{1, 1, 0}, {1, 1, 60 * MS}, {2, 2, 10 * MS}}; /* the last: no such lane */
    gs_timeline_panel own = {"short run", 0, 100 * MS, &lane, 1, 0, marks, 3}, shared = own;
    shared.axis_ns = 200 * MS;
    char *a = render("h", &own, 1), *b = render("h", &shared, 1);
    seg_rect ra, rb;
    assert_int_equal(parse_segs(a, &ra, 1), 1);
    assert_int_equal(parse_segs(b, &rb, 1), 1);
    assert_float_equal(rb.width * 2, ra.width, 0.02);
    assert_non_null(strstr(b, ">200 ms</text>"));
    assert_null(strstr(a, ">200 ms</text>"));
    /* task starts: a tick on the lane of the thread that ran the task */
    assert_int_equal(count(a, "<line class=\"task\""), 2);
    free(a);
    free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shared_axis_keeps_durations_comparable),
        cmocka_unit_test(worker_processes_are_named_as_such),
        cmocka_unit_test(segments_are_rects_with_colour_width_and_tooltip),
        cmocka_unit_test(legend_lane_labels_title_and_axis),
        cmocka_unit_test(ticks_are_nice_and_few),
        cmocka_unit_test(empty_panel_and_no_panels_are_valid),
        cmocka_unit_test(hostile_text_and_locale),
        cmocka_unit_test(write_failure_returns_minus_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
