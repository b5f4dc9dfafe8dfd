#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tabwriter.h"

static char *render(const gs_tab *t, int csv) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(csv ? gs_tab_write_csv(t, f) : gs_tab_write_markdown(t, f), 0);
    fclose(f);
    return buf;
}

static void markdown_and_csv(void **state) {
    (void)state;
    const char *head[] = {"name", "value"};
    const int right[] = {0, 1};
    gs_tab t;
    assert_int_equal(gs_tab_init(&t, 2, head, right), 0);
    const char *r1[] = {"a|b", "1.5"};
    const char *r2[] = {"say \"hi\", then\nleave", NULL};
    gs_tab_add(&t, r1);
    gs_tab_add(&t, r2);
    char *md = render(&t, 0);
    assert_string_equal(md, "| name | value |\n|---|---:|\n| a\\|b | 1.5 |\n| say \"hi\", then leave |  |\n");
    free(md);
    char *csv = render(&t, 1);
    assert_string_equal(csv, "name,value\r\na|b,1.5\r\n\"say \"\"hi\"\", then\nleave\",\r\n");
    free(csv);
    gs_tab_free(&t);
}

/* Terminal text of a table: indented, columns two apart, widths in code
 * points ("µs" one each), right-aligned where asked, no trailing spaces. */
static void text_table(void **state) {
    (void)state;
    const char *head[] = {"threads", "latency", "note"};
    const int right[] = {1, 1, 0};
    gs_tab t;
    assert_int_equal(gs_tab_init(&t, 3, head, right), 0);
    const char *r1[] = {"0", "850 µs", "alone"};
    const char *r2[] = {"12", "5.27 ms", NULL};
    gs_tab_add(&t, r1);
    gs_tab_add(&t, r2);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(gs_tab_write_text(&t, f, 4), 0);
    fclose(f);
    assert_string_equal(buf, "    threads  latency  note\n"
                             "          0   850 µs  alone\n"
                             "         12  5.27 ms\n");
    free(buf);
    gs_tab_free(&t);
}

/* What gs_text_wrap (width > 0) or gs_text_cut (width < 0) writes. */
static char *text(const char *in, int hang, int width) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (width < 0) gs_text_cut(f, in, -width);
    else gs_text_wrap(f, in, hang, width);
    fclose(f);
    return buf;
}

/* Terminal text: columns count code points, not bytes nor escape codes;
 * lines wrap at spaces with a hanging indent, never around "×". */
static void terminal_text(void **state) {
    (void)state;
    assert_int_equal(gs_text_cols("1.93× µs"), 8);
    assert_int_equal(gs_text_cols("\033[31mwarning\033[0m: x"), 10);
    char *out = text("  verdict: threads × 2 beats serial by far", 4, 22);
    assert_string_equal(out, "  verdict: threads × 2\n    beats serial by\n    far\n");
    free(out);
    out = text("  a\n    a-very-long-word-indeed b", 6, 10); /* each line alone; a long word whole */
    assert_string_equal(out, "  a\n    a-very-long-word-indeed\n      b\n");
    free(out);
    out = text("\033[1mbold\033[0m words here", 2, 10);
    assert_string_equal(out, "\033[1mbold\033[0m words\n  here\n");
    free(out);
    out = text("per task 137.5 µs, fixed 0.9 ms", 2, 16);
    assert_string_equal(out, "per task\n  137.5 µs,\n  fixed 0.9 ms\n");
    free(out);
    out = text("unchanged when width is 0   ", 2, 0);
    assert_string_equal(out, "unchanged when width is 0\n");
    free(out);
    out = text("      │ a traceback line × too long", 0, -16);
    assert_string_equal(out, "      │ a trace…\n");
    free(out);
    out = text("short", 0, -16);
    assert_string_equal(out, "short\n");
    free(out);
}

/* COLUMNS when the stream is not a terminal, else 100. */
static void width_from_columns(void **state) {
    (void)state;
    FILE *f = tmpfile();
    setenv("COLUMNS", "72", 1);
    assert_int_equal(gs_text_width(f), 72);
    setenv("COLUMNS", "wide", 1);
    assert_int_equal(gs_text_width(f), GS_TEXT_DEFAULT_WIDTH);
    setenv("COLUMNS", "0", 1);
    assert_int_equal(gs_text_width(f), GS_TEXT_DEFAULT_WIDTH);
    unsetenv("COLUMNS");
    assert_int_equal(gs_text_width(f), 100);
    fclose(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_and_csv),
        cmocka_unit_test(text_table),
        cmocka_unit_test(terminal_text),
        cmocka_unit_test(width_from_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
