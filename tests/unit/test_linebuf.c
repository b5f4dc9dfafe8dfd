#include "gs_test.h"

#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

typedef struct collected {
    char text[4096]; /* lines joined with '|' */
    int count;
    int stop_after;  /* return non-zero after this many lines (0: never) */
} collected;

static int collect(void *ctx, const char *line, size_t len) {
    collected *c = ctx;
    assert_int_equal(line[len], '\0');
    assert_null(memchr(line, '\n', len));
    strncat(c->text, line, len);
    strcat(c->text, "|");
    c->count++;
    return c->stop_after && c->count >= c->stop_after ? 7 : 0;
}

static const char stream[] = "{\"type\":\"hello\"}\n\n{\"a\":[1,2,3]}\nx\nlast-partial";

/* Every way of cutting the stream into three reads gives the same lines. */
static void every_split_gives_the_same_lines(void **state) {
    (void)state;
    size_t n = strlen(stream);
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = i; j <= n; j++) {
            gs_linebuf lb;
            collected c;
            memset(&c, 0, sizeof(c));
            gs_linebuf_init(&lb, 1024);
            assert_int_equal(gs_linebuf_push(&lb, stream, i, collect, &c), 0);
            assert_int_equal(gs_linebuf_push(&lb, stream + i, j - i, collect, &c), 0);
            assert_int_equal(gs_linebuf_push(&lb, stream + j, n - j, collect, &c), 0);
            assert_string_equal(c.text, "{\"type\":\"hello\"}||{\"a\":[1,2,3]}|x|");
            assert_int_equal(c.count, 4);
            assert_int_equal(gs_linebuf_pending(&lb), strlen("last-partial"));
            gs_linebuf_free(&lb);
        }
    }
}

/* Byte-at-a-time reads, the worst split of all. */
static void byte_at_a_time(void **state) {
    (void)state;
    gs_linebuf lb;
    collected c;
    memset(&c, 0, sizeof(c));
    gs_linebuf_init(&lb, 1024);
    for (size_t i = 0; i < strlen(stream); i++)
        assert_int_equal(gs_linebuf_push(&lb, stream + i, 1, collect, &c), 0);
    assert_int_equal(c.count, 4);
    gs_linebuf_free(&lb);
}

static void too_long_line_is_refused_and_stays_refused(void **state) {
    (void)state;
    gs_linebuf lb;
    collected c;
    memset(&c, 0, sizeof(c));
    gs_linebuf_init(&lb, 8);
    assert_int_equal(gs_linebuf_push(&lb, "12345678\n", 9, collect, &c), 0);
    assert_int_equal(gs_linebuf_push(&lb, "12345", 5, collect, &c), 0);
    assert_int_equal(gs_linebuf_push(&lb, "6789", 4, collect, &c), GS_LINEBUF_TOO_LONG);
    assert_int_equal(gs_linebuf_push(&lb, "\nok\n", 4, collect, &c), GS_LINEBUF_TOO_LONG);
    assert_int_equal(c.count, 1);
    gs_linebuf_free(&lb);
}

static void callback_can_stop_feeding(void **state) {
    (void)state;
    gs_linebuf lb;
    collected c;
    memset(&c, 0, sizeof(c));
    c.stop_after = 2;
    gs_linebuf_init(&lb, 64);
    assert_int_equal(gs_linebuf_push(&lb, "a\nb\nc\n", 6, collect, &c), 7);
    assert_string_equal(c.text, "a|b|");
    gs_linebuf_free(&lb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_split_gives_the_same_lines),
        cmocka_unit_test(byte_at_a_time),
        cmocka_unit_test(too_long_line_is_refused_and_stays_refused),
        cmocka_unit_test(callback_can_stop_feeding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
