#include "signals.h"

#include <signal.h>

#include "spawn.h"

static uv_signal_t handles[2];
static const int signums[2] = {SIGINT, SIGTERM};
static int installed;
static volatile int received; /* set on the loop's thread only */

static void on_signal(uv_signal_t *h, int signum) {
    (void)h;
    if (!received) received = signum;
    gs_spawn_interrupt(signum);
}

int gs_signals_install(uv_loop_t *loop) {
    for (int i = 0; i < 2; i++) {
        int rc = uv_signal_init(loop, &handles[i]);
        if (rc != 0) {
            gs_signals_close();
            return rc;
        }
        installed = i + 1; /* initialised: closed by gs_signals_close from now on */
        if ((rc = uv_signal_start(&handles[i], on_signal, signums[i])) != 0) {
            gs_signals_close();
            return rc;
        }
    }
    /* The handles stay referenced: gs_spawn_run loops on its own handles,
     * and gs_signals_poll runs the loop without blocking so that a signal
     * that arrived between runs is seen before the next one starts. */
    return 0;
}

int gs_signals_pending(void) { return received; }

int gs_signals_poll(uv_loop_t *loop) {
    uv_run(loop, UV_RUN_NOWAIT);
    return received;
}

void gs_signals_close(void) {
    for (int i = 0; i < installed; i++) uv_close((uv_handle_t *)&handles[i], NULL);
    installed = 0;
}
