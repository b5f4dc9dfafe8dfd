#ifndef GS_STATE_H
#define GS_STATE_H

/* Where a worker thread's time goes: the closed set of thread states, each
 * declared once, with its JSON/CSV key, its label and its colour, in
 * runner/model/state.c. Every renderer loops over that table; the rules that
 * tell one state from another are in measure/threadstate.c and
 * docs/thread-states.md. Adding a state is one constant here, one row in
 * state.c and one classifier rule. */

typedef enum gs_state {
    GS_ST_ON_CPU,     /* running on a core (schedstat run time) */
    GS_ST_WAIT_CORE,  /* runnable, waiting for a core (schedstat run-queue time) */
    GS_ST_GIL,        /* a timed futex wait on the interpreter's static data: the GIL */
    GS_ST_LOCK,       /* any other futex wait: threading.Lock, Event, Queue, join */
    GS_ST_IO,         /* blocked in read/recv/poll/select/epoll/connect/accept/send/... */
    GS_ST_SLEEP,      /* nanosleep/clock_nanosleep, or select/pselect6 without descriptors */
    GS_ST_IDLE,       /* a worker outside any task: waiting for work is not contention */
    GS_ST_OTHER,      /* anything else (page faults, other system calls) */
    GS_ST_COUNT
} gs_state;

/* One row of the table. Strings are static. */
typedef struct gs_state_info {
    const char *key;    /* JSON/CSV key: "on_cpu", "wait_gil", ... */
    const char *label;  /* for people: "on CPU", "GIL wait", ... */
    const char *colour; /* "#rrggbb" in timelines and the HTML report */
} gs_state_info;

/* The row of s, or NULL when s is out of range. */
const gs_state_info *gs_state_get(gs_state s);
/* JSON/CSV key of a state, or "?" when out of range. */
const char *gs_state_key(gs_state s);
/* Label for people, or "?" when out of range. */
const char *gs_state_label(gs_state s);
/* Colour of a state; that of GS_ST_OTHER when out of range. */
const char *gs_state_colour(gs_state s);
/* The state whose key is key, or -1 when none is. */
int gs_state_from_key(const char *key);
/* The state the table shows as the GIL's (the verdict's and the terminal
 * table's "GIL wait" column). */
#define GS_STATE_GIL GS_ST_GIL

#endif
