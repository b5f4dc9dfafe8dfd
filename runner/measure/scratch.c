#define _XOPEN_SOURCE 700 /* nftw */
#include "scratch.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPEN_FDS 16 /* descriptors nftw may keep open, one per level */

const char *gs_scratch_parent(void) {
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

int gs_scratch_make(char *path, size_t cap) {
    const char *parent = gs_scratch_parent();
    int n = snprintf(path, cap, "%s%sgilscope-run-XXXXXX", parent, parent[strlen(parent) - 1] == '/' ? "" : "/");
    if (n < 0 || (size_t)n >= cap) {
        snprintf(path, cap, "%s", parent);
        return -ENAMETOOLONG;
    }
    if (mkdtemp(path) == NULL) {
        int e = errno;
        snprintf(path, cap, "%s", parent);
        return -e;
    }
    return 0;
}

/* nftw keeps no user pointer: the first failure of one removal, kept here
 * (gilscope removes from one thread). */
static int first_error;

static int unlock_dir(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)f;
    if (flag == FTW_D || flag == FTW_DNR) chmod(p, (st->st_mode & 07777) | S_IRWXU);
    return 0;
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)f;
    int rc = flag == FTW_DP || flag == FTW_DNR ? rmdir(p) : unlink(p);
    if (rc != 0 && errno != ENOENT && first_error == 0) first_error = -errno;
    return 0;
}

int gs_scratch_remove(const char *path) {
    first_error = 0;
    /* Pre-order first: each directory readable, writable and searchable
     * before it is listed; then depth-first, contents before their directory. */
    nftw(path, unlock_dir, OPEN_FDS, FTW_PHYS | FTW_MOUNT);
    if (nftw(path, remove_one, OPEN_FDS, FTW_PHYS | FTW_MOUNT | FTW_DEPTH) != 0 && errno != ENOENT && first_error == 0)
        first_error = -errno;
    return first_error;
}
