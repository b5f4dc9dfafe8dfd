#ifndef GS_REAPER_H
#define GS_REAPER_H

#include <stddef.h>
#include <sys/types.h>

/* gilscope as the supervisor of every process it starts. It becomes a child
 * subreaper (prctl PR_SET_CHILD_SUBREAPER): a process a run started stays a
 * descendant of gilscope whatever session or group it moves to, even once
 * its parent is gone (it is reparented to gilscope, not to init). After each
 * run, when gilscope has no run in progress, every descendant still alive is
 * a leftover of that run: gs_reaper_sweep names it, asks it to end (SIGTERM),
 * kills it after a grace (SIGKILL), and reaps it, so no zombie is left for an
 * init that does not reap. Signals go through a pidfd where the kernel
 * offers one (Linux 5.3+), so a pid reused meanwhile is never signalled. */

/* Makes this process a child subreaper. Returns 0, or -errno (then
 * processes that leave a run's session are reparented to init, and only
 * those still in the session can be found). */
int gs_reaper_become(void);

/* Whether gs_reaper_become succeeded. */
int gs_reaper_active(void);

/* A process found alive after its run: its pid and command line (arguments
 * joined by spaces, bytes outside printable ASCII as \xNN, cut at the
 * buffer's size with "…"). */
typedef struct gs_leftover {
    pid_t pid;
    char command[256];
} gs_leftover;

/* Waits up to settle_ms for this process's descendants to end on their own
 * (helpers such as multiprocessing's resource tracker exit once their
 * parent is gone); those still alive then are leftovers: the first cap are
 * written to out, all are sent SIGTERM, those alive grace_ms later SIGKILL.
 * Every zombie child is reaped, leftovers or not. Call it only when no
 * process of this program's own is meant to be running (libuv reaps the
 * children it spawned itself; the others are reaped here). Returns how many
 * leftovers there were (may exceed cap). */
size_t gs_reaper_sweep(int settle_ms, int grace_ms, gs_leftover *out, size_t cap);

#endif
