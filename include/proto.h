#ifndef GS_PROTO_H
#define GS_PROTO_H

#include <jansson.h>
#include <stddef.h>

/* Validates the harness's result stream (docs/protocol.md): one JSON object a
 * line, in the order
 *     run mode:  hello ( unavailable | error | start ( error | result ) )
 *     info mode: hello info
 * Every accepted message is kept; the first bad line ends acceptance. */

/* The longest string an experiment's values may hold (a row's name, such as
 * "@dataclass(slots=True)"); the harness refuses longer ones first. */
#define GS_PROTO_VALUE_TEXT_MAX 64

/* The most entries a --profile ranking may hold (the harness sends 15). */
#define GS_PROTO_PROFILE_MAX 50
/* The longest function label in a profile, in bytes (the harness cuts at 200
 * characters). */
#define GS_PROTO_PROFILE_LABEL_MAX 1024

typedef enum gs_proto_mode { GS_PROTO_RUN, GS_PROTO_INFO } gs_proto_mode;

typedef enum gs_proto_state {
    GS_PROTO_WANT_HELLO,  /* nothing received yet */
    GS_PROTO_AFTER_HELLO, /* hello received */
    GS_PROTO_AFTER_START, /* start received, the window is open */
    GS_PROTO_DONE,        /* a final message received: nothing more is allowed */
    GS_PROTO_BROKEN       /* a bad line was received; see error */
} gs_proto_state;

typedef struct gs_proto {
    gs_proto_mode mode;
    gs_proto_state state;
    int expected_tasks;   /* tasks a result must carry in run mode (>= 0) */
    json_t *hello;        /* owned; NULL until received */
    json_t *start;
    json_t *result;
    json_t *error;        /* the harness's own error message */
    json_t *unavailable;
    json_t *info;
    char problem[512];    /* why the stream was rejected, when state is BROKEN */
} gs_proto;

/* Starts a validator for one run. expected_tasks is ignored in info mode. */
void gs_proto_init(gs_proto *p, gs_proto_mode mode, int expected_tasks);

/* Feeds one line (without its newline). Returns 0 when accepted, -1 when the
 * line is malformed or out of order: then p->problem says why and every later
 * line is refused too. */
int gs_proto_feed(gs_proto *p, const char *line, size_t len);

/* Call when the stream ended. Returns 0 when a final message was received,
 * else -1 with p->problem set ("ended after start without a result", ...). */
int gs_proto_finish(gs_proto *p);

/* Marks the stream broken for a reason found outside any one line (an
 * unfinished last line, an overlong line, no memory), formatted like
 * printf. The first problem is kept: a stream already broken stays as it
 * was. */
void gs_proto_break(gs_proto *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees every kept message. */
void gs_proto_free(gs_proto *p);

#endif
