#include "signals.h"

#include <stdio.h>

#include "spawn.h"

#define GS_SIGNAL_NUM(sig, name) sig,
static const int signums[] = {GS_STOP_SIGNALS(GS_SIGNAL_NUM)};
#undef GS_SIGNAL_NUM
#define NSIGNALS (sizeof(signums) / sizeof(signums[0]))

static uv_signal_t handles[NSIGNALS];
static size_t installed;
static volatile int received; /* set on the loop's thread only */

const char *gs_signal_name(int signum) {
    static char other[24];
#define GS_SIGNAL_CASE(sig, name) \
    if (signum == (sig)) return name;
    GS_STOP_SIGNALS(GS_SIGNAL_CASE)
#undef GS_SIGNAL_CASE
    snprintf(other, sizeof(other), "signal %d", signum);
    return other;
}

static void on_signal(uv_signal_t *h, int signum) {
    (void)h;
    if (!received) received = signum;
    gs_spawn_interrupt(signum);
}

int gs_signals_install(uv_loop_t *loop) {
    for (size_t i = 0; i < NSIGNALS; i++) {
        struct sigaction old;
        if (sigaction(signums[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) signal(signums[i], SIG_DFL);
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
    for (size_t i = 0; i < installed; i++) uv_close((uv_handle_t *)&handles[i], NULL);
    installed = 0;
}
