#ifndef GS_SIGNALS_H
#define GS_SIGNALS_H

#include <signal.h>
#include <uv.h>

/* The signals that stop gilscope, declared once: SIGINT (a terminal's
 * Ctrl-C), SIGTERM (a CI job, a service manager), SIGHUP (a closed terminal
 * or ssh session). The runs gilscope starts live in sessions of their own,
 * so these reach gilscope alone: it ends the run in progress
 * (gs_spawn_interrupt), and the commands stop between runs, write their
 * reports and exit 128+N (130, 143, 129). `gilscope serve` takes the same
 * three as its normal end (exit 0). */
#define GS_STOP_SIGNALS(X) \
    X(SIGINT, "SIGINT")    \
    X(SIGTERM, "SIGTERM")  \
    X(SIGHUP, "SIGHUP")

/* "SIGINT", "SIGTERM", "SIGHUP"; "signal N" for another. The buffer of the
 * last call holds the latter: use it before the next call. */
const char *gs_signal_name(int signum);

/* Installs the handlers for every stop signal on loop, even for a signal
 * inherited as ignored (nohup, `trap '' HUP`): a stop always works. Returns
 * 0, or a negative uv error after closing what it had opened (the loop runs
 * their close callbacks). */
int gs_signals_install(uv_loop_t *loop);

/* The first stop signal received, or 0. */
int gs_signals_pending(void);

/* Dispatches a signal that arrived while no run was in progress: runs the
 * loop once without blocking. Returns gs_signals_pending(). */
int gs_signals_poll(uv_loop_t *loop);

/* Closes the handlers (their close callbacks run on the loop's next turn). */
void gs_signals_close(void);

#endif
