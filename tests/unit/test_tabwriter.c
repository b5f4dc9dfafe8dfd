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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_and_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
