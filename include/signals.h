#ifndef GS_SIGNALS_H
#define GS_SIGNALS_H

#include <uv.h>

/* SIGINT and SIGTERM for the whole process, through uv_signal on one loop.
 * The runs gilscope starts live in sessions of their own, so a terminal's
 * Ctrl-C or a CI job's SIGTERM reaches gilscope alone: it ends the run in
 * progress (gs_spawn_interrupt), and the commands stop between runs, write
 * their reports and exit 128+N. */

/* Installs the handlers on loop. Returns 0, or a negative uv error after
 * closing what it had opened (the loop runs their close callbacks). */
int gs_signals_install(uv_loop_t *loop);

/* The first signal received (SIGINT or SIGTERM), or 0. */
int gs_signals_pending(void);

/* Dispatches a signal that arrived while no run was in progress: runs the
 * loop once without blocking. Returns gs_signals_pending(). */
int gs_signals_poll(uv_loop_t *loop);

/* Closes the handlers (their close callbacks run on the loop's next turn). */
void gs_signals_close(void);

#endif
