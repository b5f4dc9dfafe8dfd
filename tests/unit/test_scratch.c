/* A run's scratch directory (measure/scratch.c): made new and private in
 * $TMPDIR, removed with everything in it — nested directories, ones made
 * unreadable, symbolic links (never followed) — and a clear error when it
 * cannot be made. */
#include "gs_test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scratch.h"

static void touch(const char *dir, const char *name) {
    char p[4200];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    int fd = open(p, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x", 1), 1);
    close(fd);
}

static int exists(const char *p) {
    struct stat st;
    return lstat(p, &st) == 0;
}

/* A private TMPDIR for the test, removed by hand after. */
static char parent[] = "/tmp/gs-test-scratch-XXXXXX";

static int setup(void **state) {
    (void)state;
    strcpy(parent, "/tmp/gs-test-scratch-XXXXXX");
    if (mkdtemp(parent) == NULL) return -1;
    return setenv("TMPDIR", parent, 1);
}

static int teardown(void **state) {
    (void)state;
    gs_scratch_remove(parent);
    return unsetenv("TMPDIR");
}

static void made_new_and_private_in_tmpdir(void **state) {
    (void)state;
    char a[4096], b[4096];
    assert_string_equal(gs_scratch_parent(), parent);
    assert_int_equal(gs_scratch_make(a, sizeof(a)), 0);
    assert_int_equal(gs_scratch_make(b, sizeof(b)), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(strncmp(a, parent, strlen(parent)), 0);
    assert_non_null(strstr(a, "/gilscope-run-"));
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(gs_scratch_remove(a), 0);
    assert_int_equal(gs_scratch_remove(b), 0);
    assert_false(exists(a));
    /* An empty TMPDIR means /tmp, as in Python. */
    setenv("TMPDIR", "", 1);
    assert_string_equal(gs_scratch_parent(), "/tmp");
    setenv("TMPDIR", parent, 1);
}

static void everything_in_it_goes_and_links_are_not_followed(void **state) {
    (void)state;
    char s[4096], p[8400], outside[4200];
    assert_int_equal(gs_scratch_make(s, sizeof(s)), 0);
    /* Something outside the scratch directory that a link points at. */
    snprintf(outside, sizeof(outside), "%s/keep", parent);
    assert_int_equal(mkdir(outside, 0700), 0);
    touch(outside, "precious");
    snprintf(p, sizeof(p), "%s/a", s);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/a/b", s);
    assert_int_equal(mkdir(p, 0700), 0);
    touch(p, "deep");
    snprintf(p, sizeof(p), "%s/link", s);
    assert_int_equal(symlink(outside, p), 0);
    /* A directory its workload made unreadable and unwritable. */
    snprintf(p, sizeof(p), "%s/locked", s);
    assert_int_equal(mkdir(p, 0700), 0);
    touch(p, "inside");
    assert_int_equal(chmod(p, 0), 0);
    assert_int_equal(gs_scratch_remove(s), 0);
    assert_false(exists(s));
    snprintf(p, sizeof(p), "%s/precious", outside);
    assert_true(exists(p)); /* the link went, not what it pointed at */
    /* Removing what is gone already is no error. */
    assert_int_equal(gs_scratch_remove(s), 0);
}

static void a_parent_that_cannot_hold_it_is_named(void **state) {
    (void)state;
    char s[4096];
    setenv("TMPDIR", "/nonexistent/gilscope", 1);
    assert_int_equal(gs_scratch_make(s, sizeof(s)), -ENOENT);
    assert_string_equal(s, "/nonexistent/gilscope");
    char tiny[8];
    assert_int_equal(gs_scratch_make(tiny, sizeof(tiny)), -ENAMETOOLONG);
    setenv("TMPDIR", parent, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(made_new_and_private_in_tmpdir, setup, teardown),
        cmocka_unit_test_setup_teardown(everything_in_it_goes_and_links_are_not_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(a_parent_that_cannot_hold_it_is_named, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
