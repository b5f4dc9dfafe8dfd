/* libFuzzer target: the harness protocol (proto.h) on arbitrary bytes, split
 * into lines by the line buffer as gilscope reads fd 3. The first byte picks
 * the mode and the number of tasks a result must carry. A stream is accepted
 * or refused, never crashes; once refused it stays refused; an accepted
 * complete run holds its messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"
#include "proto.h"

static void check(int ok) {
    if (!ok) abort();
}

static int feed(void *ctx, const char *line, size_t len) {
    gs_proto *p = ctx;
    int broken_before = p->state == GS_PROTO_BROKEN;
    int rc = gs_proto_feed(p, line, len);
    if (broken_before) check(rc != 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    gs_proto p;
    gs_proto_init(&p, data[0] & 0x80 ? GS_PROTO_INFO : GS_PROTO_RUN, data[0] & 0x07);
    gs_linebuf lb;
    gs_linebuf_init(&lb, 1 << 16);
    gs_linebuf_push(&lb, (const char *)data + 1, size - 1, feed, &p);
    int ok = p.state != GS_PROTO_BROKEN && gs_proto_finish(&p) == 0;
    if (ok) {
        check(p.hello != NULL);
        check(p.result != NULL || p.error != NULL || p.unavailable != NULL || p.info != NULL);
    } else {
        check(strlen(p.problem) > 0);
    }
    gs_linebuf_free(&lb);
    gs_proto_free(&p);
    return 0;
}
